"""What the ArchiMate exporter and importer agree on: namespaces, identifiers, property names.

The mapping itself is documented in docs/echanges.md (« ArchiMate : table de correspondance »):

==================================  ===================================================
cartographie                        ArchiMate 3.1 exchange format
==================================  ===================================================
application                         ApplicationComponent
bloc (niveau bloc)                  ApplicationFunction, assigned from its components
zone, quartier                      Grouping, composing what lies below
application → bloc                  Assignment (component → function)
bloc → parent                       Composition (parent → child)
métropole, commune, partenaire      BusinessActor (property ``nature``)
utilisateurs                        Serving (component → actor)
centre de données                   Location, aggregating the components it hosts
donnée                              DataObject
flux                                Flow (component → component) with property ``donnee``,
                                    plus Access Write (source) / Read (target) to the DataObject
other fields                        properties, one propertyDefinition per French key
==================================  ===================================================

Identifiers are ``kind.inventory-id`` (``app.vc-etat-civil``): valid ``xs:ID`` values (they start
with a letter, and ``.`` never appears in an inventory id, so the parts cannot be confused). An
object imported from another model keeps that model's identifier in its free properties
(``identifiant_archimate``), and the export gives it back, so that the other tool recognises its
elements.
"""

from __future__ import annotations

import re

ARCHIMATE_NS = "http://www.opengroup.org/xsd/archimate/3.0/"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
XML_NS = "http://www.w3.org/XML/1998/namespace"
# The 2.x exchange format's namespace: recognised only to say clearly that it is not supported.
ARCHIMATE2_NS = "http://www.opengroup.org/xsd/archimate"
SCHEMA_LOCATION = (
    "http://www.opengroup.org/xsd/archimate/3.0/ "
    "http://www.opengroup.org/xsd/archimate/3.1/archimate3_Diagram.xsd"
)

A = f"{{{ARCHIMATE_NS}}}"
XSI_TYPE = f"{{{XSI_NS}}}type"
XML_LANG = f"{{{XML_NS}}}lang"

LANGUAGE = "fr"

# Property ``nature`` on BusinessActor / Location tells which inventory object it carries.
NATURE = "nature"
NATURE_METROPOLE = "metropole"
NATURE_COMMUNE = "commune"
NATURE_PARTNER = "partenaire"
NATURE_DATACENTER = "centre_de_donnees"

# The free property that keeps the identifier an object had in the model it was imported from.
IDENTIFIER_PROPERTY = "identifiant_archimate"
# Property of an Assignment (application → bloc): the bloc's rank in the application's list, so
# that the order of ``blocs`` (the first bloc is where the maps draw the application) survives.
RANK_PROPERTY = "rang"
# What an xs:ID (an NCName) may be: the exporter reuses an identifier only if it is one.
NCNAME = re.compile(r"^[^\W\d][\w.-]*$")

# Prefixes of exported properties that rebuild the product and its vendor on import.
PRODUCT_PREFIX = "produit."
VENDOR_PREFIX = "editeur."

# Fields carried by structure (name, documentation, relationships, free properties), never by a
# property of the same name: the exporter writes none, the importer takes none.
STRUCTURAL_FIELDS = frozenset(
    {
        "nom",
        "description",
        "blocs",
        "utilisateurs",
        "parent",
        "mutualisations",
        "source",
        "cible",
        "proprietes",
    }
)

# Property name -> exchange-format data type; anything not listed is a string. The inventory's
# dates (mise_en_service, retrait, depuis…) are a year or a full date: strings, read back as such.
PROPERTY_TYPES: dict[str, str] = {
    "cout_annuel": "number",
    "jours_internes": "number",
    "montant": "number",
    "population": "number",
    "hub": "boolean",
    "hors_secours": "boolean",
    "partagee": "boolean",
    "personnelle": "boolean",
    "ville_centre": "boolean",
    "derniere_revue": "date",
    RANK_PROPERTY: "number",
}

# Relationships between two application components that become flows on import.
FLOW_RELATIONSHIPS = ("Flow", "Serving", "Triggering")
# Element types that become blocs on import.
BLOCK_ELEMENTS = ("ApplicationFunction", "ApplicationService", "Grouping")

"""GraphML export, for Gephi and yEd.

Nodes are the organisations (métropole, communes, partners), the urbanisation map (zones,
quartiers, blocs) and the applications; edges are the flows between applications, the uses
(organisation → application), the attachments (application → bloc) and the map's hierarchy
(bloc → its parent). Every attribute is declared once with its GraphML type (``string``, ``int``,
``boolean``), so that Gephi's data laboratory can filter and size on them; ``label`` is the name
Gephi shows. yEd does not read plain attributes as labels, so each node also carries a yFiles
``ShapeNode`` with its name and the colour of its kind (Gephi ignores it).

Node ids are the inventory ids with a kind prefix (``application:vc-etat-civil``); nodes and edges
are written sorted, and edge ids derive from what they join, so the file diffs well.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from cartographie.document.text import xml_text
from cartographie.model.inventory import Inventory

GRAPHML_NS = "http://graphml.graphdrawing.org/xmlns"
YFILES_NS = "http://www.yworks.com/xml/graphml"

# Fill colours per node kind (yEd); layers follow the maps' palette idea: one colour per band.
_COLOURS = {
    "organisation": "#FFE699",
    "zone": "#D9D9D9",
    "quartier": "#E7E6E6",
    "bloc": "#F2F2F2",
    "interface": "#BDD7EE",
    "metier": "#C6E0B4",
    "support": "#F8CBAD",
}


@dataclass(frozen=True)
class _Key:
    name: str
    domain: str  # node | edge
    kind: str  # string | int | boolean

    @property
    def identifier(self) -> str:
        return f"{self.domain[0]}_{self.name}"


_NODE_KEYS = [
    _Key("label", "node", "string"),
    _Key("type", "node", "string"),
    # organisations
    _Key("population", "node", "int"),
    # blocs
    _Key("niveau", "node", "string"),
    _Key("parent", "node", "string"),
    _Key("zone", "node", "string"),
    # applications
    _Key("couche", "node", "string"),
    _Key("hebergement", "node", "string"),
    _Key("cycle_de_vie", "node", "string"),
    _Key("gouvernance", "node", "string"),
    _Key("proprietaire", "node", "string"),
    _Key("utilisateurs", "node", "string"),
    _Key("nb_utilisateurs", "node", "int"),
    _Key("blocs", "node", "string"),
    _Key("produit", "node", "string"),
    _Key("editeur", "node", "string"),
    _Key("api", "node", "string"),
    _Key("secteurs_cnil", "node", "string"),
    _Key("cout_annuel", "node", "int"),
    _Key("mise_en_service", "node", "int"),
    _Key("hub", "node", "boolean"),
    _Key("partagee", "node", "boolean"),
    _Key("externe", "node", "boolean"),
]
_EDGE_KEYS = [
    _Key("type", "edge", "string"),
    _Key("label", "edge", "string"),
    _Key("donnee", "edge", "string"),
    _Key("personnelle", "edge", "boolean"),
    _Key("secteur_cnil", "edge", "string"),
    _Key("via", "edge", "string"),
    _Key("point_a_point", "edge", "boolean"),
    _Key("protocole", "edge", "string"),
    _Key("frequence", "edge", "string"),
    _Key("consentement", "edge", "string"),
]


def _value(kind: str, value: object) -> str:
    if kind == "boolean":
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return ",".join(str(item) for item in value)
    return str(value)


def _data(keys: list[_Key], values: dict[str, object]) -> Iterable[str]:
    for key in keys:
        value = values.get(key.name)
        if value is None or value in ([], ()):
            continue
        yield f'      <data key="{key.identifier}">{escape(_value(key.kind, value))}</data>\n'


def _yfiles_label(label: str, colour: str) -> str:
    return (
        '      <data key="n_yfiles"><y:ShapeNode>'
        f'<y:Fill color="{colour}" transparent="false"/>'
        f"<y:NodeLabel>{escape(label)}</y:NodeLabel>"
        "</y:ShapeNode></data>\n"
    )


def export_graphml(inventory: Inventory) -> str:
    """The portfolio as a GraphML document (text)."""
    nodes: list[tuple[str, dict[str, object], str]] = []
    organisations = [
        (inventory.metropole.id, inventory.metropole.name, "metropole", None),
        *((c.id, c.name, "commune", c.population) for c in inventory.communes.values()),
        *((p.id, p.name, "partenaire", None) for p in inventory.partners.values()),
    ]
    for org_id, name, kind, population in organisations:
        nodes.append(
            (
                f"organisation:{org_id}",
                {"label": name, "type": kind, "population": population},
                _COLOURS["organisation"],
            )
        )
    for block in inventory.blocks.values():
        nodes.append(
            (
                f"bloc:{block.id}",
                {
                    "label": block.name,
                    "type": block.level,
                    "niveau": block.level,
                    "parent": block.parent,
                    "zone": inventory.zone_of(block.id),
                },
                _COLOURS[block.level],
            )
        )
    for application_id, application in inventory.applications.items():
        nodes.append(
            (
                f"application:{application_id}",
                {
                    "label": application.name,
                    "type": "application",
                    "couche": application.layer,
                    "hebergement": application.hosting,
                    "cycle_de_vie": application.lifecycle,
                    "gouvernance": application.governance,
                    "proprietaire": inventory.owners[application_id],
                    "utilisateurs": inventory.users[application_id],
                    "nb_utilisateurs": len(inventory.users[application_id]),
                    "blocs": application.blocks,
                    "produit": application.product,
                    "editeur": inventory.vendor_of(application_id),
                    "api": inventory.api_openness(application_id),
                    "secteurs_cnil": application.cnil_sectors,
                    "cout_annuel": application.annual_cost,
                    "mise_en_service": application.in_service_since,
                    "hub": application.hub,
                    "partagee": inventory.is_shared(application_id),
                    "externe": inventory.is_external(application_id),
                },
                _COLOURS[application.layer],
            )
        )
    edges: list[tuple[str, str, str, dict[str, object]]] = []
    for application_id, application in inventory.applications.items():
        for user in inventory.users[application_id]:
            edges.append(
                (
                    f"utilise:{user}:{application_id}",
                    f"organisation:{user}",
                    f"application:{application_id}",
                    {"type": "utilise"},
                )
            )
        for block_id in application.blocks:
            edges.append(
                (
                    f"bloc:{application_id}:{block_id}",
                    f"application:{application_id}",
                    f"bloc:{block_id}",
                    {"type": "bloc"},
                )
            )
    for block in inventory.blocks.values():
        if block.parent is not None:
            edges.append(
                (
                    f"parent:{block.id}",
                    f"bloc:{block.id}",
                    f"bloc:{block.parent}",
                    {"type": "parent"},
                )
            )
    for flow in inventory.flows:
        data_object = inventory.data_objects[flow.data]
        edges.append(
            (
                f"flux:{flow.key}",
                f"application:{flow.source}",
                f"application:{flow.target}",
                {
                    "type": "flux",
                    "label": data_object.name,
                    "donnee": flow.data,
                    "personnelle": data_object.personal,
                    "secteur_cnil": data_object.cnil_sector,
                    "via": flow.via,
                    "point_a_point": flow.point_to_point,
                    "protocole": flow.protocol,
                    "frequence": flow.frequency,
                    "consentement": flow.consent,
                },
            )
        )
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>\n',
        f'<graphml xmlns="{GRAPHML_NS}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        f'xmlns:y="{YFILES_NS}" xsi:schemaLocation="{GRAPHML_NS} '
        'http://www.yworks.com/xml/schema/graphml/1.1/ygraphml.xsd">\n',
    ]
    for key in [*_NODE_KEYS, *_EDGE_KEYS]:
        parts.append(
            f'  <key id="{key.identifier}" for="{key.domain}" attr.name="{key.name}" '
            f'attr.type="{key.kind}"/>\n'
        )
    parts.append('  <key id="n_yfiles" for="node" yfiles.type="nodegraphics"/>\n')
    parts.append(f'  <graph id={quoteattr(inventory.metropole.id)} edgedefault="directed">\n')
    for identifier, values, colour in sorted(nodes, key=lambda node: node[0]):
        parts.append(f"    <node id={quoteattr(identifier)}>\n")
        parts.extend(_data(_NODE_KEYS, values))
        parts.append(_yfiles_label(str(values["label"]), colour))
        parts.append("    </node>\n")
    for identifier, source, target, values in sorted(edges, key=lambda edge: edge[0]):
        parts.append(
            f"    <edge id={quoteattr(identifier)} source={quoteattr(source)} "
            f"target={quoteattr(target)}>\n"
        )
        parts.extend(_data(_EDGE_KEYS, values))
        parts.append("    </edge>\n")
    parts.append("  </graph>\n</graphml>\n")
    # Whatever a name holds, the document stays XML: characters XML forbids become U+FFFD.
    return xml_text("".join(parts))

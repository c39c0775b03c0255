"""ArchiMate export: the inventory as an Open Group ArchiMate 3.1 Model Exchange File.

Archi (File › Import › Open Exchange XML Model) and other tools open it. The mapping is in
``archimate_common`` and docs/echanges.md; in short, applications are ApplicationComponents,
blocs ApplicationFunctions (zones and quartiers Groupings), communes BusinessActors, flows
FlowRelationships that keep their data object, every other field a property. One view per commune
shows the applications it uses in three bands (interface, métier, support) and the flows among
them.

The output is deterministic: identifiers derive from inventory ids, everything is sorted, the
layout is computed from counts, and no date or tool version is written.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from typing import Any

from cartographie.document.text import xml_text
from cartographie.interop.archimate_common import (
    ARCHIMATE_NS,
    IDENTIFIER_PROPERTY,
    LANGUAGE,
    NATURE,
    NATURE_COMMUNE,
    NATURE_DATACENTER,
    NATURE_METROPOLE,
    NATURE_PARTNER,
    NCNAME,
    PRODUCT_PREFIX,
    PROPERTY_TYPES,
    RANK_PROPERTY,
    SCHEMA_LOCATION,
    STRUCTURAL_FIELDS,
    VENDOR_PREFIX,
    XML_LANG,
    XSI_NS,
    XSI_TYPE,
)
from cartographie.interop.common import slugify
from cartographie.model.inventory import Inventory
from cartographie.model.records import Flow, Record
from cartographie.model.vocabulary import LAYER_LABELS, LAYERS

_STRUCTURAL = STRUCTURAL_FIELDS

# View layout, in pixels: application boxes in a grid inside one container per layer.
_BOX_W, _BOX_H, _GAP, _COLUMNS, _TITLE = 180, 55, 20, 8, 30


def application_ref(application_id: str) -> str:
    return f"app.{application_id}"


def block_ref(block_id: str) -> str:
    return f"bloc.{block_id}"


def organisation_ref(organisation_id: str) -> str:
    return f"org.{organisation_id}"


def data_ref(data_id: str) -> str:
    return f"donnee.{data_id}"


def flow_ref(key: str) -> str:
    """``flux.<id>``, or ``flux.<source>.<cible>.<donnee>`` for a flow without id (its key)."""
    if ">" not in key:
        return f"flux.{key}"
    source, rest = key.split(">", 1)
    target, data = rest.split(":", 1)
    return f"flux.{source}.{target}.{data}"


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return ", ".join(str(item) for item in value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


@dataclass
class _Concept:
    identifier: str
    kind: str
    name: str | None = None
    documentation: str | None = None
    properties: list[tuple[str, str]] = field(default_factory=list)
    source: str | None = None
    target: str | None = None
    access_type: str | None = None


class _Builder:
    def __init__(self, inventory: Inventory) -> None:
        self.inventory = inventory
        self.elements: list[_Concept] = []
        self.relationships: list[_Concept] = []
        self.property_names: set[str] = set()
        self.language = inventory.metropole.language or LANGUAGE
        self.refs = _references(inventory)

    def ref(self, kind: str, identifier: str) -> str:
        return self.refs.get((kind, identifier)) or _REFS[kind](identifier)

    def free_properties(self, kind: str, key: str, record: Record) -> list[tuple[str, Any]]:
        """The record's free properties, but the identifier it was exported under."""
        properties: dict[str, str] = getattr(record, "properties", {})
        kept = (kind, key) in self.refs
        return [
            (name, value)
            for name, value in properties.items()
            if not (kept and name == IDENTIFIER_PROPERTY)
        ]

    def properties(self, pairs: list[tuple[str, Any]]) -> list[tuple[str, str]]:
        found = []
        for name, value in pairs:
            if value is None or value in ([], ""):
                continue
            self.property_names.add(name)
            found.append((name, _text(value)))
        return found

    def record_properties(
        self,
        record: Record,
        extra: list[tuple[str, Any]] | None = None,
        free: list[tuple[str, Any]] | None = None,
    ) -> list[tuple[str, str]]:
        data = record.model_dump(by_alias=True)
        pairs = [(key, value) for key, value in data.items() if key not in _STRUCTURAL]
        return self.properties([*(extra or []), *pairs, *(free or [])])

    def element(
        self,
        identifier: str,
        kind: str,
        name: str,
        documentation: str | None,
        properties: list[tuple[str, str]],
    ) -> None:
        self.elements.append(_Concept(identifier, kind, name, documentation, properties))

    def relationship(
        self,
        identifier: str,
        kind: str,
        source: str,
        target: str,
        *,
        name: str | None = None,
        properties: list[tuple[str, str]] | None = None,
        documentation: str | None = None,
        access_type: str | None = None,
    ) -> None:
        self.relationships.append(
            _Concept(
                identifier, kind, name, documentation, properties or [], source, target, access_type
            )
        )

    def build(self) -> None:
        inventory = self.inventory
        metropole = inventory.metropole
        self.element(
            organisation_ref(metropole.id),
            "BusinessActor",
            metropole.name,
            None,
            self.record_properties(metropole, [(NATURE, NATURE_METROPOLE)]),
        )
        for commune in inventory.communes.values():
            self.element(
                organisation_ref(commune.id),
                "BusinessActor",
                commune.name,
                None,
                self.record_properties(commune, [(NATURE, NATURE_COMMUNE)]),
            )
        for partner in inventory.partners.values():
            self.element(
                organisation_ref(partner.id),
                "BusinessActor",
                partner.name,
                partner.description,
                self.record_properties(partner, [(NATURE, NATURE_PARTNER)]),
            )
        for datacenter in inventory.datacenters.values():
            self.element(
                f"dc.{datacenter.id}",
                "Location",
                datacenter.name,
                None,
                self.record_properties(datacenter, [(NATURE, NATURE_DATACENTER)]),
            )
        for block in inventory.blocks.values():
            kind = "ApplicationFunction" if block.level == "bloc" else "Grouping"
            self.element(
                self.ref("bloc", block.id),
                kind,
                block.name,
                block.description,
                self.record_properties(block, free=self.free_properties("bloc", block.id, block)),
            )
            if block.parent is not None:
                self.relationship(
                    f"rel.compose.{block.id}",
                    "Composition",
                    self.ref("bloc", block.parent),
                    self.ref("bloc", block.id),
                )
        for data_object in inventory.data_objects.values():
            self.element(
                self.ref("donnee", data_object.id),
                "DataObject",
                data_object.name,
                data_object.description,
                self.record_properties(
                    data_object, free=self.free_properties("donnee", data_object.id, data_object)
                ),
            )
        for application_id in inventory.applications:
            self.application(application_id)
        accesses: set[tuple[str, str, str]] = set()
        for flow in inventory.flows:
            data_object = inventory.data_objects[flow.data]
            self.relationship(
                self.ref("flux", flow.key),
                "Flow",
                self.ref("app", flow.source),
                self.ref("app", flow.target),
                name=data_object.name,
                documentation=flow.description,
                properties=self.record_properties(
                    flow, free=self.free_properties("flux", flow.key, flow)
                ),
            )
            accesses.add((flow.source, flow.data, "Write"))
            accesses.add((flow.target, flow.data, "Read"))
        for application_id, data_id, access in sorted(accesses):
            verb = "ecrit" if access == "Write" else "lit"
            self.relationship(
                f"rel.{verb}.{application_id}.{data_id}",
                "Access",
                self.ref("app", application_id),
                self.ref("donnee", data_id),
                access_type=access,
            )

    def application(self, application_id: str) -> None:
        inventory = self.inventory
        application = inventory.applications[application_id]
        extra: list[tuple[str, Any]] = [("proprietaire", inventory.owners[application_id])]
        if application.product is not None:
            product = inventory.products[application.product]
            vendor = inventory.vendors[product.vendor]
            for key, value in product.model_dump(by_alias=True).items():
                if key not in ("id", "editeur"):
                    extra.append((PRODUCT_PREFIX + key, value))
            extra.append(("editeur", vendor.id))
            for key, value in vendor.model_dump(by_alias=True).items():
                if key != "id":
                    extra.append((VENDOR_PREFIX + key, value))
        extra.append(("partagee", inventory.is_shared(application_id)))
        data = application.model_dump(by_alias=True)
        data.pop("proprietaire", None)
        pairs = [(key, value) for key, value in data.items() if key not in _STRUCTURAL]
        # id first, then the resolved owner and the product's fields, then the record's order
        ordered = [pairs[0], *extra, *pairs[1:]]
        ordered += self.free_properties("app", application_id, application)
        reference = self.ref("app", application_id)
        self.element(
            reference,
            "ApplicationComponent",
            application.name,
            application.description,
            self.properties(ordered),
        )
        for rank, block_id in enumerate(application.blocks, start=1):
            self.relationship(
                f"rel.assigne.{application_id}.{block_id}",
                "Assignment",
                reference,
                self.ref("bloc", block_id),
                properties=self.properties([(RANK_PROPERTY, rank)]),
            )
        for user in inventory.users[application_id]:
            self.relationship(
                f"rel.sert.{application_id}.{user}", "Serving", reference, organisation_ref(user)
            )
        if application.datacenter is not None:
            self.relationship(
                f"rel.heberge.{application_id}",
                "Aggregation",
                f"dc.{application.datacenter}",
                reference,
            )


_REFS = {
    "app": application_ref,
    "bloc": block_ref,
    "donnee": data_ref,
    "flux": flow_ref,
}


def _references(inventory: Inventory) -> dict[tuple[str, str], str]:
    """The identifiers objects imported from another model had there (their free property
    ``identifiant_archimate``), when each is a valid xs:ID that nothing else takes; every other
    object gets its ``kind.id`` identifier."""
    claims: list[tuple[str, str, str]] = []
    generated: set[str] = set()
    for kind, records in (
        ("app", inventory.applications.items()),
        ("bloc", inventory.blocks.items()),
        ("donnee", inventory.data_objects.items()),
        ("flux", ((flow.key, flow) for flow in inventory.flows)),
    ):
        for key, record in records:
            generated.add(_REFS[kind](key))
            wanted = record.properties.get(IDENTIFIER_PROPERTY)
            if wanted is not None:
                claims.append((wanted, kind, key))
    generated |= {organisation_ref(inventory.metropole.id)}
    generated |= {organisation_ref(key) for key in (*inventory.communes, *inventory.partners)}
    generated |= {f"dc.{key}" for key in inventory.datacenters}
    taken: set[str] = set()
    refs: dict[tuple[str, str], str] = {}
    for wanted, kind, key in sorted(claims):
        if NCNAME.match(wanted) and wanted not in taken and wanted not in generated:
            taken.add(wanted)
            refs[(kind, key)] = wanted
    return refs


def _property_identifiers(names: list[str]) -> dict[str, str]:
    """``prop.<name>``, or a slug of it when the name is no valid xs:ID part (a foreign model's
    « Object ID »), made unique in the order of the sorted names."""
    found: dict[str, str] = {}
    taken: set[str] = set()
    for name in sorted(names):
        part = name if NCNAME.match(f"p{name}") else slugify(name) or "propriete"
        base = f"prop.{part}"
        identifier, number = base, 2
        while identifier in taken:
            identifier, number = f"{base}-{number}", number + 1
        taken.add(identifier)
        found[name] = identifier
    return found


def _lang(parent: ET.Element, tag: str, text: str, language: str = LANGUAGE) -> None:
    child = ET.SubElement(parent, tag)
    child.set(XML_LANG, language)
    child.text = text


def _concept_xml(
    parent: ET.Element,
    tag: str,
    concept: _Concept,
    properties: dict[str, str],
    language: str,
) -> None:
    node = ET.SubElement(parent, tag)
    node.set("identifier", concept.identifier)
    if concept.source is not None and concept.target is not None:
        node.set("source", concept.source)
        node.set("target", concept.target)
    node.set(XSI_TYPE, concept.kind)
    if concept.access_type is not None:
        node.set("accessType", concept.access_type)
    if concept.name:
        _lang(node, "name", concept.name, language)
    if concept.documentation:
        _lang(node, "documentation", concept.documentation, language)
    if concept.properties:
        holder = ET.SubElement(node, "properties")
        for name, value in concept.properties:
            item = ET.SubElement(holder, "property")
            item.set("propertyDefinitionRef", properties[name])
            _lang(item, "value", value, language)


def _views(parent: ET.Element, builder: _Builder) -> None:
    inventory = builder.inventory
    diagrams = ET.SubElement(ET.SubElement(parent, "views"), "diagrams")
    flows_by_pair: dict[tuple[str, str], list[Flow]] = {}
    for flow in inventory.flows:
        flows_by_pair.setdefault((flow.source, flow.target), []).append(flow)
    used_by: dict[str, list[str]] = {}
    for application_id, users in inventory.users.items():
        for user in users:
            used_by.setdefault(user, []).append(application_id)
    for commune in inventory.communes.values():
        prefix = f"vue.{commune.id}"
        view = ET.SubElement(diagrams, "view")
        view.set("identifier", prefix)
        view.set(XSI_TYPE, "Diagram")
        _lang(view, "name", f"{commune.name} — patrimoine applicatif", builder.language)
        _lang(
            view,
            "documentation",
            f"Applications utilisées par {commune.name}, par couche, et les flux entre elles.",
            builder.language,
        )
        actor = ET.SubElement(view, "node")
        actor.set("identifier", f"{prefix}.{organisation_ref(commune.id)}")
        actor.set("elementRef", organisation_ref(commune.id))
        actor.set(XSI_TYPE, "Element")
        for name, value in (("x", _GAP), ("y", _GAP), ("w", _BOX_W), ("h", _BOX_H)):
            actor.set(name, str(value))
        applications = sorted(used_by.get(commune.id, []))
        placed: dict[str, str] = {}
        width = _COLUMNS * (_BOX_W + _GAP) + _GAP
        top = 2 * _GAP + _BOX_H
        for layer in LAYERS:
            members = [a for a in applications if inventory.applications[a].layer == layer]
            rows = max(1, (len(members) + _COLUMNS - 1) // _COLUMNS)
            height = _TITLE + rows * (_BOX_H + _GAP) + _GAP
            band = ET.SubElement(view, "node")
            band.set("identifier", f"{prefix}.couche.{layer}")
            band.set(XSI_TYPE, "Container")
            for name, value in (("x", _GAP), ("y", top), ("w", width), ("h", height)):
                band.set(name, str(value))
            _lang(band, "label", LAYER_LABELS[layer], builder.language)
            for index, application_id in enumerate(members):
                row, column = divmod(index, _COLUMNS)
                box = ET.SubElement(band, "node")
                reference = builder.ref("app", application_id)
                identifier = f"{prefix}.{reference}"
                box.set("identifier", identifier)
                box.set("elementRef", reference)
                box.set(XSI_TYPE, "Element")
                x = 2 * _GAP + column * (_BOX_W + _GAP)
                y = top + _TITLE + row * (_BOX_H + _GAP)
                for name, value in (("x", x), ("y", y), ("w", _BOX_W), ("h", _BOX_H)):
                    box.set(name, str(value))
                placed[application_id] = identifier
            top += height + _GAP
        for (source, target), flows in sorted(flows_by_pair.items()):
            if source not in placed or target not in placed:
                continue
            for flow in sorted(flows, key=lambda item: item.key):
                connection = ET.SubElement(view, "connection")
                reference = builder.ref("flux", flow.key)
                connection.set("identifier", f"{prefix}.{reference}")
                connection.set("relationshipRef", reference)
                connection.set(XSI_TYPE, "Relationship")
                connection.set("source", placed[source])
                connection.set("target", placed[target])


def export_archimate(inventory: Inventory) -> str:
    """The inventory as an ArchiMate 3.1 exchange document (text, UTF-8 declared)."""
    builder = _Builder(inventory)
    builder.build()
    properties = _property_identifiers(sorted(builder.property_names))
    language = builder.language
    # Tags are written unqualified under a default namespace declared by hand: ElementTree's
    # ``default_namespace`` option refuses the unqualified attributes the format uses.
    root = ET.Element("model")
    root.set("xmlns", ARCHIMATE_NS)
    root.set("identifier", f"modele.{inventory.metropole.id}")
    root.set(f"{{{XSI_NS}}}schemaLocation", SCHEMA_LOCATION)
    _lang(root, "name", inventory.metropole.name, language)
    _lang(
        root,
        "documentation",
        f"Patrimoine applicatif de {inventory.metropole.name}, exporté par cartographie "
        "(docs/echanges.md).",
        language,
    )
    elements = ET.SubElement(root, "elements")
    for concept in sorted(builder.elements, key=lambda item: item.identifier):
        _concept_xml(elements, "element", concept, properties, language)
    if builder.relationships:
        relationships = ET.SubElement(root, "relationships")
        for concept in sorted(builder.relationships, key=lambda item: item.identifier):
            _concept_xml(relationships, "relationship", concept, properties, language)
    if properties:
        definitions = ET.SubElement(root, "propertyDefinitions")
        for name, identifier in properties.items():
            definition = ET.SubElement(definitions, "propertyDefinition")
            definition.set("identifier", identifier)
            definition.set("type", PROPERTY_TYPES.get(name, "string"))
            ET.SubElement(definition, "name").text = name
    if inventory.communes:
        _views(root, builder)
    ET.indent(root, space="  ")
    # Whatever a name holds, the document stays XML: characters XML forbids become U+FFFD (the
    # loader has already refused them in names and made them visible in free texts). A carriage
    # return is written as a reference: a raw one would be read back as a line feed.
    body = xml_text(ET.tostring(root, encoding="unicode")).replace("\r", "&#13;")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n"

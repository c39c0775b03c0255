"""ArchiMate import: an Open Group exchange file (3.0/3.1) becomes a new, valid inventory.

What is mapped (docs/echanges.md has the table and the reasons):

- ApplicationComponent → application. Properties named like inventory fields (``couche``,
  ``hebergement``, …) fill those fields when their value is valid; the others are kept in the
  description, under « Propriétés ArchiMate ».
- ApplicationFunction, ApplicationService, Grouping → bloc. Composition or aggregation between two
  of them gives the bloc hierarchy; a component is attached to a bloc by an Assignment or a
  Realization (component → bloc) or by a Composition or Aggregation (bloc → component).
- Flow, Serving and Triggering between two components → flux. The data object is the ``donnee``
  property, else the DataObject named like the relationship, else a data object made from the
  relationship's name, else « donnée non précisée ».
- DataObject → donnée; BusinessActor and Location carrying a ``nature`` property (what
  ``cartographie exporter --format archimate`` writes) → métropole, commune, partenaire or centre de
  données; any other Location → commune.

A minimal territory is synthesised so that the result validates: the métropole (the model's name)
if the file has none, and a commune « Commune importée » that owns every application no commune
claims. Everything not mapped — element and relationship types, properties with invalid values,
ambiguous parents, views — is listed in ``rapport-import-archimate.md`` written with the inventory:
nothing is dropped silently.

Labels: the French one (``xml:lang="fr"``) when there is one, else the first (the GEMMA models are
in Dutch). Ids are slugs of the ``id`` property, else of the name, else of the identifier, made
unique deterministically (``-2``, ``-3`` in the order of the source identifiers).

The file is parsed with ``defusedxml`` (models come from outside: a vendor, another authority):
DTDs with entities and external references are refused, so a hostile file cannot expand into
gigabytes or read local files, whatever the version of expat underneath.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from cartographie.errors import InventoryError, Location, Problem
from cartographie.interop.archimate_common import (
    ARCHIMATE2_NS,
    ARCHIMATE_NS,
    BLOCK_ELEMENTS,
    FLOW_RELATIONSHIPS,
    LANGUAGE,
    NATURE,
    NATURE_COMMUNE,
    NATURE_DATACENTER,
    NATURE_METROPOLE,
    NATURE_PARTNER,
    PRODUCT_PREFIX,
    VENDOR_PREFIX,
    XML_LANG,
    XSI_TYPE,
    A,
)
from cartographie.interop.common import (
    InteropError,
    InventoryDraft,
    SlugAllocator,
    check_draft_files,
    ensure_writable_directory,
    read_input,
    render_draft,
    slugify,
    write_directory_atomic,
)
from cartographie.model.records import (
    Application,
    Block,
    Commune,
    Datacenter,
    DataObject,
    Flow,
    Metropole,
    Partner,
    Product,
    Record,
    Vendor,
)

REPORT_NAME = "rapport-import-archimate.md"
IMPORTED_COMMUNE = ("commune-importee", "Commune importée")
UNSPECIFIED_DATA = ("donnee-non-precisee", "Donnée non précisée")
DEFAULT_LAYER = "metier"
DEFAULT_HOSTING = "datacenter"
# Parent levels a bloc level accepts (the loader's rule, DESIGN.md §3).
_PARENT_LEVELS = {"zone": (), "quartier": ("zone",), "bloc": ("quartier", "bloc")}
_CONTAINMENT = ("Composition", "Aggregation")
# Properties the exporter writes that the inventory recomputes: read, not reported.
_DERIVED = {"partagee", NATURE}
# Fields set from structure, never from a property of the same name.
_STRUCTURAL = {"nom", "description", "blocs", "utilisateurs", "parent", "source", "cible"}


# --- reading the file -------------------------------------------------------------------------


@dataclass
class Concept:
    """An element or a relationship as read: what the mapping needs, nothing more."""

    identifier: str
    kind: str
    name: str
    documentation: str
    properties: list[tuple[str, str]]
    line: int
    source: str = ""
    target: str = ""

    def prop(self, name: str) -> str | None:
        return next((value for key, value in self.properties if key == name), None)

    @property
    def label(self) -> str:
        return f"{self.kind} « {self.name or self.identifier} » ({self.identifier})"


@dataclass
class ArchimateModel:
    name: str
    elements: dict[str, Concept]
    relationships: dict[str, Concept]
    views: int
    organizations: bool


class _LineTreeBuilder(ET.TreeBuilder):
    """Remembers the source line of every element (ElementTree does not)."""

    def __init__(self) -> None:
        super().__init__()
        self.lines: dict[int, int] = {}
        self.parser: Any = None

    def start(self, tag: str, attrs: dict[str, str]) -> ET.Element:
        element = super().start(tag, attrs)
        self.lines[id(element)] = self.parser.parser.CurrentLineNumber
        return element


def _pick(parent: ET.Element, tag: str) -> str:
    """The French text among ``tag`` children, else the first; '' when there is none."""
    texts = [(child.get(XML_LANG), (child.text or "").strip()) for child in parent.findall(A + tag)]
    for lang, text in texts:
        if lang and lang.lower().startswith(LANGUAGE) and text:
            return text
    return next((text for _lang, text in texts if text), "")


def read_archimate(path: Path) -> ArchimateModel:
    """Parse and check an exchange file; :class:`InteropError` or :class:`InventoryError`."""
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import DefusedXMLParser

    builder = _LineTreeBuilder()
    parser = DefusedXMLParser(target=builder)
    builder.parser = parser
    data = memoryview(read_input(path))
    try:
        for start in range(0, len(data), 1 << 20):
            parser.feed(bytes(data[start : start + (1 << 20)]))
        root = parser.close()
    except ET.ParseError as error:
        line, column = getattr(error, "position", (0, 0))
        raise InteropError(
            f"{path.name}:{line} : fichier XML mal formé (ligne {line}, colonne {column + 1} : "
            f"{_expat_message(str(error))})",
            "le fichier est tronqué ou abîmé : réexportez-le depuis l'outil de modélisation",
        ) from None
    except DefusedXmlException as error:
        raise InteropError(
            f"{path.name} : construction XML refusée ({type(error).__name__})",
            "un modèle ArchiMate n'a pas besoin de DTD ni d'entités : réexportez-le sans",
        ) from None
    namespace = root.tag[1:].split("}", 1)[0] if root.tag.startswith("{") else ""
    local = root.tag.rsplit("}", 1)[-1]
    if namespace == ARCHIMATE2_NS:
        raise InteropError(
            f"{path.name} : format d'échange ArchiMate 2.1 (espace de noms {namespace}), "
            "non pris en charge",
            "ouvrez-le dans Archi et réexportez-le au format d'échange ArchiMate 3.1",
        )
    if namespace != ARCHIMATE_NS or local != "model":
        raise InteropError(
            f"{path.name} : ce n'est pas un modèle au format d'échange ArchiMate 3 "
            f"(élément racine « {local} », espace de noms « {namespace or 'aucun'} »)",
            f'la racine attendue est <model xmlns="{ARCHIMATE_NS}">',
        )
    return _read_model(path.name, root, builder.lines)


def _expat_message(text: str) -> str:
    message = text.split(":", 1)[0]
    return {
        "no element found": "fin de fichier inattendue, un élément n'est pas refermé",
        "unclosed token": "balise non refermée",
        "mismatched tag": "balise fermante qui ne correspond pas",
        "not well-formed (invalid token)": "caractère invalide",
        "syntax error": "erreur de syntaxe",
        "junk after document element": "contenu après la fin du document",
    }.get(message, message)


def _read_model(name: str, root: ET.Element, lines: dict[int, int]) -> ArchimateModel:
    problems: list[Problem] = []

    def problem(code: str, node: ET.Element, message: str, hint: str) -> None:
        problems.append(Problem(code, Location(name, lines.get(id(node), 0)), message, hint))

    definitions: dict[str, str] = {}
    seen: dict[str, int] = {}
    for node in root.iter():
        identifier = node.get("identifier")
        if identifier is None:
            continue
        if identifier in seen:
            problem(
                "E301",
                node,
                f"identifiant « {identifier} » en double (déjà ligne {seen[identifier]})",
                "chaque identifiant du fichier est unique : le fichier est incohérent",
            )
        seen.setdefault(identifier, lines.get(id(node), 0))
    for node in root.iterfind(f"{A}propertyDefinitions/{A}propertyDefinition"):
        identifier = node.get("identifier", "")
        definitions[identifier] = _pick(node, "name") or identifier
    for node in root.iter(A + "property"):
        reference = node.get("propertyDefinitionRef")
        if reference not in definitions:
            problem(
                "E302",
                node,
                f"propriété liée à la définition « {reference} », absente de <propertyDefinitions>",
                "le fichier n'est pas valide au schéma ArchiMate 3.1 : réexportez-le, ou "
                "déclarez la définition de propriété",
            )

    def concept(node: ET.Element) -> Concept:
        properties = []
        for item in node.iterfind(f"{A}properties/{A}property"):
            key = definitions.get(item.get("propertyDefinitionRef", ""), "")
            if key:
                properties.append((key, _pick(item, "value")))
        return Concept(
            identifier=node.get("identifier", ""),
            kind=node.get(XSI_TYPE, ""),
            name=_pick(node, "name"),
            documentation=_pick(node, "documentation"),
            properties=properties,
            line=lines.get(id(node), 0),
            source=node.get("source", ""),
            target=node.get("target", ""),
        )

    elements: dict[str, Concept] = {}
    for node in root.iterfind(f"{A}elements/{A}element"):
        item = concept(node)
        if not item.kind:
            problem(
                "E204",
                node,
                f"élément « {item.identifier} » sans xsi:type",
                "chaque élément déclare son type ArchiMate",
            )
            continue
        elements[item.identifier] = item
    relationships: dict[str, Concept] = {}
    for node in root.iterfind(f"{A}relationships/{A}relationship"):
        item = concept(node)
        relationships[item.identifier] = item
    known = set(elements) | set(relationships)
    for item in relationships.values():
        for end, reference in (("source", item.source), ("target", item.target)):
            if reference not in known:
                problems.append(
                    Problem(
                        "E302",
                        Location(name, item.line),
                        f"relation {item.label} : {end} « {reference} » introuvable",
                        "le fichier est incohérent : réexportez-le depuis l'outil de modélisation",
                    )
                )
    if problems:
        raise InventoryError(problems)
    views = len(root.findall(f"{A}views/{A}diagrams/{A}view"))
    return ArchimateModel(
        name=_pick(root, "name"),
        elements=elements,
        relationships=relationships,
        views=views,
        organizations=root.find(A + "organizations") is not None,
    )


# --- mapping ----------------------------------------------------------------------------------


@dataclass
class ImportReport:
    """What was mapped, defaulted and left out; written as Markdown beside the inventory."""

    source: str
    model_name: str
    counts: dict[str, int] = field(default_factory=dict)
    synthesised: list[str] = field(default_factory=list)
    defaults: list[str] = field(default_factory=list)
    adjustments: list[str] = field(default_factory=list)
    unmapped_elements: list[Concept] = field(default_factory=list)
    unmapped_relationships: list[tuple[Concept, str]] = field(default_factory=list)
    views: int = 0

    names: dict[str, str] = field(default_factory=dict)

    def end(self, identifier: str) -> str:
        name = self.names.get(identifier)
        return f"{_md(name)} (`{identifier}`)" if name else f"`{identifier}`"

    @property
    def unmapped(self) -> int:
        return len(self.unmapped_elements) + len(self.unmapped_relationships)

    def message(self, target: Path) -> str:
        counts = self.counts
        return (
            f"Inventaire écrit dans {target} : {counts.get('applications', 0)} applications, "
            f"{counts.get('blocs', 0)} blocs, {counts.get('flux', 0)} flux, "
            f"{counts.get('communes', 0)} communes. Non repris : {len(self.unmapped_elements)} "
            f"éléments, {len(self.unmapped_relationships)} relations, {self.views} vues — "
            f"détail dans {target / REPORT_NAME}."
        )

    def markdown(self) -> str:
        out = [
            f"# Import ArchiMate : {self.model_name or self.source}",
            "",
            f"Fichier source : `{self.source}`. Correspondance : docs/echanges.md.",
            "",
            "## Repris",
            "",
            "| objet | nombre |",
            "|---|---:|",
        ]
        out += [f"| {name} | {count} |" for name, count in self.counts.items()]
        for title, lines in (
            ("## Créé pour que l'inventaire soit complet", self.synthesised),
            ("## Valeurs par défaut", self.defaults),
            ("## Ajustements", self.adjustments),
        ):
            if lines:
                out += ["", title, ""] + [f"- {line}" for line in lines]
        out += ["", f"## Éléments non repris ({len(self.unmapped_elements)})", ""]
        by_kind: dict[str, list[Concept]] = defaultdict(list)
        for element in self.unmapped_elements:
            by_kind[element.kind].append(element)
        for kind in sorted(by_kind):
            out += [f"### {kind} ({len(by_kind[kind])})", ""]
            out += [
                f"- {_md(item.name or '(sans nom)')} — `{item.identifier}`"
                for item in sorted(by_kind[kind], key=lambda item: item.identifier)
            ]
            out.append("")
        out += [f"## Relations non reprises ({len(self.unmapped_relationships)})", ""]
        by_reason: dict[str, list[Concept]] = defaultdict(list)
        for relationship, reason in self.unmapped_relationships:
            by_reason[f"{relationship.kind} : {reason}"].append(relationship)
        for reason in sorted(by_reason):
            items = sorted(by_reason[reason], key=lambda item: item.identifier)
            out += [f"### {reason} ({len(items)})", ""]
            out += [
                f"- `{item.identifier}` : {self.end(item.source)} → {self.end(item.target)}"
                for item in items
            ]
            out.append("")
        out += [
            "## Vues",
            "",
            f"{self.views} vue(s) non reprise(s) : l'inventaire calcule ses cartes lui-même "
            "(`cartographie carte`, `cartographie atlas`).",
            "",
        ]
        return "\n".join(out)


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


class _Mapper:
    def __init__(self, model: ArchimateModel, source: str) -> None:
        self.model = model
        self.report = ImportReport(
            source=source,
            model_name=model.name,
            views=model.views,
            names={key: item.name for key, item in model.elements.items() if item.name},
        )
        self.used_elements: set[str] = set()
        self.used_relationships: set[str] = set()
        self.ids: dict[str, str] = {}  # source identifier -> inventory id
        self.organisations = SlugAllocator()
        self.metropole: Metropole | None = None
        self.communes: dict[str, Commune] = {}
        self.partners: dict[str, Partner] = {}
        self.datacenters: dict[str, Datacenter] = {}
        self.blocks: dict[str, Block] = {}
        self.data_objects: dict[str, DataObject] = {}
        self.vendors: dict[str, Vendor] = {}
        self.products: dict[str, Product] = {}
        self.applications: dict[str, tuple[str, Application]] = {}
        self.flows: list[Flow] = []

    # --- helpers ----------------------------------------------------------------------------

    def of_kind(self, *kinds: str) -> list[Concept]:
        return sorted(
            (item for item in self.model.elements.values() if item.kind in kinds),
            key=lambda item: item.identifier,
        )

    def allocate(self, items: list[Concept], allocator: SlugAllocator, fallback: str) -> None:
        """Give each element an id: its ``id`` property first, then its name, then identifier."""

        def base(item: Concept) -> tuple[int, str]:
            explicit = slugify(item.prop("id") or "")
            if explicit and explicit == (item.prop("id") or ""):
                return 0, explicit
            return 1, slugify(item.name) or slugify(item.identifier) or fallback

        for item in sorted(items, key=lambda item: (base(item)[0], item.identifier)):
            self.ids[item.identifier] = allocator.allocate(base(item)[1], fallback)

    def fields(self, model: type[Record], item: Concept) -> dict[str, Any]:
        """The properties of ``item`` named like fields of ``model``, as raw values."""
        aliases = {info.alias or name: info for name, info in model.model_fields.items()}
        values: dict[str, Any] = {}
        for key, value in item.properties:
            alias = key if key in aliases else slugify(key).replace("-", "_")
            if alias in values or alias not in aliases or alias in _STRUCTURAL or alias == "id":
                continue
            annotation = str(aliases[alias].annotation)
            values[alias] = (
                [part.strip() for part in value.split(",") if part.strip()]
                if annotation.startswith("list")
                else value
            )
        return values

    def leftover_properties(self, model: type[Record], item: Concept, used: set[str]) -> list[str]:
        aliases = {info.alias or name for name, info in model.model_fields.items()}
        lines = []
        for key, value in item.properties:
            alias = key if key in aliases else slugify(key).replace("-", "_")
            if alias in used or key in used or key in _DERIVED or key == "id":
                continue
            if "produit" in used and key.startswith((PRODUCT_PREFIX, VENDOR_PREFIX)):
                continue
            lines.append(f"- {key} : {value}")
        return lines

    def validate(self, model: type[Record], data: dict[str, Any], item: Concept) -> Any:
        """Validate, dropping (and reporting) the optional fields whose values are refused."""
        for _attempt in range(len(data) + 1):
            try:
                return model.model_validate(data)
            except ValidationError as error:
                faulty = {str(detail["loc"][0]) for detail in error.errors() if detail["loc"]}
                droppable = faulty - {
                    "id",
                    "nom",
                    "couche",
                    "hebergement",
                    "niveau",
                    "source",
                    "cible",
                    "donnee",
                    "editeur",
                    "api",
                }
                if not droppable:
                    raise
                for key in sorted(droppable):
                    self.report.adjustments.append(
                        f"{item.label} : propriété « {key} » = « {data[key]} » refusée "
                        "(valeur invalide), champ laissé vide"
                    )
                    data.pop(key)
        return model.model_validate(data)

    # --- territory --------------------------------------------------------------------------

    def map_territory(self) -> None:
        actors = self.of_kind("BusinessActor", "Location")
        natured = [item for item in actors if item.prop(NATURE)]
        plain_locations = [
            item for item in actors if not item.prop(NATURE) and item.kind == "Location"
        ]
        organisations = [
            item for item in natured if item.prop(NATURE) != NATURE_DATACENTER
        ] + plain_locations
        self.allocate(organisations, self.organisations, "organisation")
        datacenter_ids = SlugAllocator()
        self.allocate(
            [item for item in natured if item.prop(NATURE) == NATURE_DATACENTER],
            datacenter_ids,
            "centre",
        )
        for item in organisations:
            nature = item.prop(NATURE) or NATURE_COMMUNE
            identifier = self.ids[item.identifier]
            if nature == NATURE_METROPOLE and self.metropole is None:
                data = {"id": identifier, "nom": item.name or identifier}
                if item.prop("sigle"):
                    data["sigle"] = item.prop("sigle") or ""
                self.metropole = self.validate(Metropole, data, item)
            elif nature == NATURE_PARTNER:
                data = {"id": identifier, "nom": item.name or identifier}
                if item.documentation:
                    data["description"] = item.documentation
                self.partners[identifier] = self.validate(Partner, data, item)
            elif nature in (NATURE_COMMUNE, NATURE_METROPOLE):
                data = {"id": identifier, "nom": item.name or identifier}
                data.update(self.fields(Commune, item))
                data.pop("mutualisations", None)
                self.communes[identifier] = self.validate(Commune, data, item)
            else:
                self.report.unmapped_elements.append(item)
                continue
            self.used_elements.add(item.identifier)
        for item in self.of_kind("Location"):
            if item.prop(NATURE) != NATURE_DATACENTER:
                continue
            identifier = self.ids[item.identifier]
            commune = item.prop("commune")
            data = {"id": identifier, "nom": item.name or identifier}
            if commune in self.communes:
                data["commune"] = commune
            self.datacenters[identifier] = self.validate(Datacenter, data, item)
            self.used_elements.add(item.identifier)
        if self.metropole is None:
            identifier = self.organisations.allocate("metropole")
            name = self.model.name or "Métropole"
            self.metropole = Metropole.model_validate({"id": identifier, "nom": name})
            self.report.synthesised.append(
                f"la métropole « {identifier} » ({name}) : le modèle n'en décrit pas"
            )

    def imported_commune(self) -> str:
        """The commune that owns every application no commune claims (made on first need)."""
        for commune_id, commune in self.communes.items():
            if commune.name == IMPORTED_COMMUNE[1]:
                return commune_id
        identifier = self.organisations.allocate(IMPORTED_COMMUNE[0])
        self.communes[identifier] = Commune.model_validate(
            {"id": identifier, "nom": IMPORTED_COMMUNE[1]}
        )
        self.report.synthesised.append(
            f"la commune « {identifier} » : propriétaire des applications qu'aucune commune du "
            "modèle ne revendique"
        )
        return identifier

    # --- blocs ------------------------------------------------------------------------------

    def map_blocks(self) -> None:
        items = self.of_kind(*BLOCK_ELEMENTS)
        allocator = SlugAllocator()
        self.allocate(items, allocator, "bloc")
        levels: dict[str, str] = {}
        for item in items:
            level = item.prop("niveau")
            levels[item.identifier] = level if level in _PARENT_LEVELS else "bloc"
        parents: dict[str, str] = {}
        relationships = sorted(self.model.relationships.values(), key=lambda rel: rel.identifier)
        for relationship in relationships:
            if relationship.kind not in _CONTAINMENT:
                continue
            parent, child = relationship.source, relationship.target
            if parent not in levels or child not in levels:
                continue
            if levels[parent] not in _PARENT_LEVELS[levels[child]]:
                self.report.unmapped_relationships.append(
                    (
                        relationship,
                        f"un(e) {levels[child]} ne se range pas dans un(e) {levels[parent]}",
                    )
                )
                continue
            if child in parents:
                self.report.unmapped_relationships.append(
                    (
                        relationship,
                        "le bloc a déjà un parent (le premier par identifiant est gardé)",
                    )
                )
                continue
            parents[child] = parent
            self.used_relationships.add(relationship.identifier)
        # Break cycles: walk up from each bloc; a bloc met twice drops its parent link.
        for start in sorted(parents):
            path: list[str] = []
            current: str | None = start
            while current is not None and current not in path:
                path.append(current)
                current = parents.get(current)
            if current is not None:
                self.report.adjustments.append(
                    f"cycle dans la hiérarchie des blocs rompu : "
                    f"« {self.ids[current]} » n'a plus de parent"
                )
                parents.pop(current)
        synthetic_zone: str | None = None
        synthetic_district: str | None = None

        def zone() -> str:
            nonlocal synthetic_zone
            if synthetic_zone is None:
                synthetic_zone = allocator.allocate("modele-archimate")
                name = f"Modèle ArchiMate « {self.model.name or 'importé'} »"
                self.blocks[synthetic_zone] = Block.model_validate(
                    {"id": synthetic_zone, "nom": name, "niveau": "zone"}
                )
                self.report.synthesised.append(
                    f"la zone « {synthetic_zone} » : racine de la carte des blocs importés"
                )
            return synthetic_zone

        def district() -> str:
            nonlocal synthetic_district
            if synthetic_district is None:
                parent = zone()
                synthetic_district = allocator.allocate("a-classer")
                self.blocks[synthetic_district] = Block.model_validate(
                    {
                        "id": synthetic_district,
                        "nom": "À classer",
                        "niveau": "quartier",
                        "parent": parent,
                    }
                )
                self.report.synthesised.append(
                    f"le quartier « {synthetic_district} » : range les blocs sans parent"
                )
            return synthetic_district

        for item in items:
            identifier = self.ids[item.identifier]
            level = levels[item.identifier]
            parent_id: str | None
            if item.identifier in parents:
                parent_id = self.ids[parents[item.identifier]]
            elif level == "bloc":
                parent_id = district()
            elif level == "quartier":
                parent_id = zone()
            else:
                parent_id = None
            description = item.documentation
            extra = self.leftover_properties(Block, item, {"niveau"})
            if extra:
                description = "\n".join(
                    filter(None, [description, "Propriétés ArchiMate :", *extra])
                )
            data: dict[str, Any] = {
                "id": identifier,
                "nom": item.name or identifier,
                "niveau": level,
            }
            if parent_id is not None:
                data["parent"] = parent_id
            if description:
                data["description"] = description
            self.blocks[identifier] = self.validate(Block, data, item)
            self.used_elements.add(item.identifier)

    # --- data objects -----------------------------------------------------------------------

    def map_data_objects(self) -> None:
        items = self.of_kind("DataObject")
        self.data_allocator = SlugAllocator()
        self.allocate(items, self.data_allocator, "donnee")
        self.data_by_name: dict[str, str] = {}
        for item in items:
            identifier = self.ids[item.identifier]
            data: dict[str, Any] = {"id": identifier, "nom": item.name or identifier}
            data.update(self.fields(DataObject, item))
            if item.documentation:
                data["description"] = item.documentation
            record = self.validate(DataObject, data, item)
            self.data_objects[identifier] = record
            self.data_by_name.setdefault(slugify(record.name), identifier)
            self.used_elements.add(item.identifier)

    def data_for(self, relationship: Concept) -> str:
        explicit = relationship.prop("donnee")
        if explicit in self.data_objects:
            return explicit
        if relationship.name and slugify(relationship.name) in self.data_by_name:
            return self.data_by_name[slugify(relationship.name)]
        name = relationship.name or UNSPECIFIED_DATA[1]
        base = slugify(relationship.name) or UNSPECIFIED_DATA[0]
        if base in self.data_by_name:
            return self.data_by_name[base]
        identifier = self.data_allocator.allocate(base)
        self.data_objects[identifier] = DataObject.model_validate({"id": identifier, "nom": name})
        self.data_by_name[base] = identifier
        self.report.synthesised.append(
            f"la donnée « {identifier} » : échangée par un flux sans objet de données"
        )
        return identifier

    # --- applications -----------------------------------------------------------------------

    def map_applications(self) -> None:
        items = self.of_kind("ApplicationComponent")
        allocator = SlugAllocator()
        self.allocate(items, allocator, "application")
        elements = self.model.elements
        blocks_of: dict[str, list[str]] = defaultdict(list)
        users_of: dict[str, list[str]] = defaultdict(list)
        located: dict[str, list[str]] = defaultdict(list)
        hosted: dict[str, str] = {}
        # Users are communes or the métropole (a partner owns, it does not use).
        possible_users = {*self.communes, getattr(self.metropole, "id", "")}
        for relationship in sorted(self.model.relationships.values(), key=lambda r: r.identifier):
            source = elements.get(relationship.source)
            target = elements.get(relationship.target)
            if source is None or target is None:
                continue
            kind = relationship.kind
            component, other = (
                (source, target) if source.kind == "ApplicationComponent" else (target, source)
            )
            if component.kind != "ApplicationComponent" or other.identifier not in self.ids:
                continue
            other_id = self.ids[other.identifier]
            forward = component is source
            if other.kind in BLOCK_ELEMENTS and other_id in self.blocks:
                attach = (forward and kind in ("Assignment", "Realization")) or (
                    not forward and kind in _CONTAINMENT
                )
                if attach and self.blocks[other_id].level == "bloc":
                    blocks_of[component.identifier].append(other_id)
                    self.used_relationships.add(relationship.identifier)
            elif other.kind == "BusinessActor" and other_id in possible_users:
                if forward and kind == "Serving":
                    users_of[component.identifier].append(other_id)
                    self.used_relationships.add(relationship.identifier)
            elif other.kind == "Location" and not forward and kind in _CONTAINMENT:
                if other_id in self.datacenters and component.identifier not in hosted:
                    hosted[component.identifier] = other_id
                    self.used_relationships.add(relationship.identifier)
                elif other_id in self.communes:
                    located[component.identifier].append(other_id)
                    self.used_relationships.add(relationship.identifier)
        defaults: Counter[str] = Counter()
        pending: list[tuple[Concept, dict[str, Any], str]] = []
        for item in items:
            identifier = self.ids[item.identifier]
            data: dict[str, Any] = {"id": identifier, "nom": item.name or identifier}
            fields = self.fields(Application, item)
            used = set(fields) | {"proprietaire", "produit", "editeur"}
            owner = fields.pop("proprietaire", None)
            if (
                owner not in self.communes
                and owner != getattr(self.metropole, "id", None)
                and (owner not in self.partners)
            ):
                owner = None
            locations = sorted(set(located.get(item.identifier, [])))
            if owner is None and locations:
                owner = locations[0]
            if owner is None:
                owner = self.imported_commune()
                defaults["propriétaire « commune importée »"] += 1
            product = self.product_for(item)
            if product:
                data["produit"] = product
            fields.pop("produit", None)
            if "couche" not in fields:
                fields["couche"] = DEFAULT_LAYER
                defaults[f"couche « {DEFAULT_LAYER} »"] += 1
            if "hebergement" not in fields:
                fields["hebergement"] = DEFAULT_HOSTING
                defaults[f"hébergement « {DEFAULT_HOSTING} »"] += 1
            if item.identifier in hosted:
                fields["centre_de_donnees"] = hosted[item.identifier]
            elif fields.get("centre_de_donnees") not in self.datacenters:
                fields.pop("centre_de_donnees", None)
            if fields.pop("delegation", None) is not None:
                self.report.adjustments.append(
                    f"{item.label} : « delegation » retirée (les contrats de délégation ne sont "
                    "pas dans le format d'échange)"
                )
            blocks = sorted(set(blocks_of.get(item.identifier, [])))
            if blocks:
                data["blocs"] = blocks
            users = sorted(set(users_of.get(item.identifier, [])) | set(locations))
            if users and users != [owner]:
                data["utilisateurs"] = users
            data.update(fields)
            description_parts = [item.documentation]
            extra = self.leftover_properties(Application, item, used)
            if extra:
                description_parts += ["Propriétés ArchiMate :", *extra]
            description = "\n".join(part for part in description_parts if part)
            if description:
                data["description"] = description
            if item.prop("id") is None and "origine" not in data:
                data["origine"] = f"Modèle ArchiMate « {self.model.name} », {item.identifier}"
            pending.append((item, data, owner))
        known = {self.ids[item.identifier] for item in items}
        for item, data, owner in pending:
            if data.get("remplacee_par") not in known:
                if "remplacee_par" in data:
                    self.report.adjustments.append(
                        f"{item.label} : « remplacee_par » = « {data['remplacee_par']} » "
                        "ne désigne aucune application importée, retiré"
                    )
                data.pop("remplacee_par", None)
            # Keys in the model's order: the YAML reads like a hand-written file.
            ordered = {
                alias: data[alias]
                for alias in (info.alias for info in Application.model_fields.values())
                if alias in data
            }
            application = self.validate(Application, ordered, item)
            self.applications[application.id] = (owner, application)
            self.used_elements.add(item.identifier)
        for what, count in sorted(defaults.items()):
            self.report.defaults.append(
                f"{count} application(s) sans {what.split(' ')[0]} : {what}"
            )

    def product_for(self, item: Concept) -> str | None:
        product_id = slugify(item.prop("produit") or "")
        vendor_id = slugify(item.prop("editeur") or "")
        if not product_id or not vendor_id:
            return None
        if vendor_id not in self.vendors:
            vendor: dict[str, Any] = {"id": vendor_id}
            for key, value in item.properties:
                if key.startswith(VENDOR_PREFIX):
                    vendor[key.removeprefix(VENDOR_PREFIX)] = value
            vendor.setdefault("nom", vendor_id)
            vendor.setdefault("api", "proprietaire")
            self.vendors[vendor_id] = self.validate(Vendor, vendor, item)
        if product_id not in self.products:
            product: dict[str, Any] = {"id": product_id, "editeur": vendor_id}
            for key, value in item.properties:
                if key.startswith(PRODUCT_PREFIX):
                    product[key.removeprefix(PRODUCT_PREFIX)] = value
            product.setdefault("nom", product_id)
            self.products[product_id] = self.validate(Product, product, item)
        elif self.products[product_id].vendor != vendor_id:
            self.report.adjustments.append(
                f"{item.label} : produit « {product_id} » déjà attribué à l'éditeur "
                f"« {self.products[product_id].vendor} », éditeur « {vendor_id} » ignoré"
            )
        return product_id

    # --- flows ------------------------------------------------------------------------------

    def map_flows(self) -> None:
        components = {
            item.identifier: self.ids[item.identifier]
            for item in self.of_kind("ApplicationComponent")
            if self.ids.get(item.identifier) in self.applications
        }
        keys: Counter[str] = Counter()
        candidates: list[tuple[Concept, dict[str, Any]]] = []
        for relationship in sorted(self.model.relationships.values(), key=lambda r: r.identifier):
            if relationship.identifier in self.used_relationships:
                continue
            if relationship.kind not in FLOW_RELATIONSHIPS:
                continue
            source = components.get(relationship.source)
            target = components.get(relationship.target)
            if source is None or target is None:
                continue
            if source == target:
                self.report.unmapped_relationships.append(
                    (relationship, "relie une application à elle-même")
                )
                self.used_relationships.add(relationship.identifier)
                continue
            data: dict[str, Any] = {
                "source": source,
                "cible": target,
                "donnee": self.data_for(relationship),
            }
            data.update(self.fields(Flow, relationship))
            data.pop("donnee", None)
            data["donnee"] = self.data_for(relationship)
            explicit = slugify(relationship.prop("id") or "")
            if explicit:
                data["id"] = explicit
            via = data.get("via")
            if via is not None and (
                via not in self.applications
                or not self.applications[via][1].hub
                or via in (source, target)
            ):
                self.report.adjustments.append(
                    f"relation {relationship.identifier} : « via » = « {via} » n'est pas un hub "
                    "importé, retiré"
                )
                data.pop("via")
            if relationship.documentation:
                data["description"] = relationship.documentation
            candidates.append((relationship, data))
            keys[data.get("id") or f"{source}>{target}:{data['donnee']}"] += 1
            self.used_relationships.add(relationship.identifier)
        flow_ids = SlugAllocator(d["id"] for _r, d in candidates if "id" in d)
        for relationship, data in candidates:
            key = data.get("id") or f"{data['source']}>{data['cible']}:{data['donnee']}"
            if keys[key] > 1 and "id" not in data:
                # Several relationships join the same pair with the same data object: each keeps
                # its own flow, told apart by an id made from the source identifier.
                data["id"] = flow_ids.allocate(slugify(relationship.identifier), "flux")
            ordered = {
                alias: data[alias]
                for alias in (info.alias for info in Flow.model_fields.values())
                if alias in data
            }
            self.flows.append(self.validate(Flow, ordered, relationship))

    # --- the rest ---------------------------------------------------------------------------

    def collect_unmapped(self) -> None:
        mapped = set(self.used_elements)
        for item in self.model.elements.values():
            if item.identifier not in mapped and item not in self.report.unmapped_elements:
                self.report.unmapped_elements.append(item)
        # Relationships the exporter writes and the inventory derives (Access to data objects)
        # are consumed, not lost: the flows carry their data object.
        for relationship in self.model.relationships.values():
            if relationship.identifier in self.used_relationships:
                continue
            if any(relationship is rel for rel, _reason in self.report.unmapped_relationships):
                continue
            if self.consumed_access(relationship):
                self.used_relationships.add(relationship.identifier)
                continue
            self.report.unmapped_relationships.append((relationship, self.reason(relationship)))

    def consumed_access(self, relationship: Concept) -> bool:
        if relationship.kind != "Access":
            return False
        target = self.ids.get(relationship.target)
        source = self.ids.get(relationship.source)
        if target not in self.data_objects or source not in self.applications:
            return False
        return any(
            flow.data == target and source in (flow.source, flow.target) for flow in self.flows
        )

    def reason(self, relationship: Concept) -> str:
        elements = self.model.elements
        kinds = []
        for end in (relationship.source, relationship.target):
            kinds.append(elements[end].kind if end in elements else "relation")
        return f"entre {kinds[0]} et {kinds[1]}, sans équivalent dans l'inventaire"

    def draft(self) -> InventoryDraft:
        assert self.metropole is not None
        by_owner: dict[str, list[Application]] = defaultdict(list)
        for owner, application in self.applications.values():
            by_owner[owner].append(application)
        if not self.communes:
            self.imported_commune()
        blocks_count = sum(1 for block in self.blocks.values() if block.level == "bloc")
        self.report.counts = {
            "applications": len(self.applications),
            "blocs": blocks_count,
            "flux": len(self.flows),
            "données": len(self.data_objects),
            "communes": len(self.communes),
            "partenaires": len(self.partners),
            "centres de données": len(self.datacenters),
            "éditeurs": len(self.vendors),
            "produits": len(self.products),
        }
        return InventoryDraft(
            metropole=self.metropole,
            communes=list(self.communes.values()),
            partners=list(self.partners.values()),
            datacenters=list(self.datacenters.values()),
            blocks=list(self.blocks.values()),
            data_objects=list(self.data_objects.values()),
            vendors=list(self.vendors.values()),
            products=list(self.products.values()),
            applications=dict(by_owner),
            flows=self.flows,
            provenance=f"Importé du modèle ArchiMate « {self.model.name} » par cartographie.",
        )


def build_archimate_files(path: Path, target: Path) -> tuple[dict[str, bytes], ImportReport]:
    """Read, map and validate: the files of the new inventory (report included)."""
    model = read_archimate(path)
    mapper = _Mapper(model, path.name)
    mapper.map_territory()
    mapper.map_blocks()
    mapper.map_data_objects()
    mapper.map_applications()
    mapper.map_flows()
    mapper.collect_unmapped()
    files = render_draft(mapper.draft())
    check_draft_files(target, files)
    files[REPORT_NAME] = mapper.report.markdown().encode("utf-8")
    return files, mapper.report


def import_archimate(path: Path, target: Path, *, force: bool = False) -> ImportReport:
    """Import an ArchiMate exchange file into a new inventory directory ``target``."""
    ensure_writable_directory(target, force)
    files, report = build_archimate_files(path, target)
    write_directory_atomic(target, files, force=force)
    return report


__all__ = [
    "REPORT_NAME",
    "ArchimateModel",
    "ImportReport",
    "build_archimate_files",
    "import_archimate",
    "read_archimate",
]

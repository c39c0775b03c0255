"""The state of one ArchiMate import: what was read, the ids given, the records made so far.

The mapping runs in steps over one :class:`MappingState` (``territory`` → ``applications`` →
``flows``); the helpers here are what every step needs: elements by type, ids allocated
deterministically (the ``id`` property, else the name, else the identifier; ``-2``, ``-3`` in the
order of the source identifiers), properties read as inventory fields, records validated with
the refused optional fields dropped and reported.
"""

from __future__ import annotations

from collections import defaultdict
from functools import cache, lru_cache
from types import UnionType
from typing import Any, Union, get_args, get_origin

from pydantic import ValidationError

from cartographie.errors import shorten
from cartographie.interop.archimate_common import IDENTIFIER_PROPERTY, NATURE, STRUCTURAL_FIELDS
from cartographie.interop.archimate_import.read import ArchimateModel, Concept
from cartographie.interop.archimate_import.report import ImportReport
from cartographie.interop.common import InventoryDraft, SlugAllocator, slugify
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

IMPORTED_COMMUNE = ("commune-importee", "Commune importée")
UNSPECIFIED_DATA = ("donnee-non-precisee", "Donnée non précisée")
DEFAULT_LAYER = "metier"
DEFAULT_HOSTING = "datacenter"
# Parent levels a bloc level accepts (the loader's rule, DESIGN.md §3).
PARENT_LEVELS = {"zone": (), "quartier": ("zone",), "bloc": ("quartier", "bloc")}
CONTAINMENT = ("Composition", "Aggregation")
# Properties the exporter writes that the inventory recomputes: read, not reported.
_DERIVED = {"partagee", NATURE}
_STRUCTURAL = STRUCTURAL_FIELDS
# Values the import sets itself: a refusal there is a bug, not a property to keep.
_NEVER_DROPPED = {"id", "nom", "niveau", "source", "cible", "donnee", "editeur"}
# Required fields a property may fill: a refused value gives way to the default.
_REQUIRED_DEFAULTS: dict[str, Any] = {
    "couche": DEFAULT_LAYER,
    "hebergement": DEFAULT_HOSTING,
    "api": "proprietaire",
}


@cache
def _aliases(model: type[Record]) -> dict[str, bool]:
    """The model's YAML keys, each with whether it holds a list."""
    return {
        info.alias or name: get_origin(_unwrap(info.annotation)) is list
        for name, info in model.model_fields.items()
    }


def _unwrap(annotation: Any) -> Any:
    args = [arg for arg in get_args(annotation) if arg is not type(None)]
    if get_origin(annotation) in (Union, UnionType) and len(args) == 1:
        return args[0]
    return annotation


@lru_cache(maxsize=4096)
def _as_alias(key: str) -> str:
    return slugify(key).replace("-", "_")


def _is_id(value: str) -> bool:
    return bool(value) and slugify(value) == value


class MappingState:
    """One import in progress."""

    def __init__(self, model: ArchimateModel, source: str) -> None:
        self.model = model
        self.report = ImportReport(
            source=source,
            model_name=model.name,
            views=model.views,
            names={key: item.name for key, item in model.elements.items() if item.name},
        )
        self.report.adjustments.extend(model.adjustments)
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
        self.data_allocator = SlugAllocator()
        self.data_by_name: dict[str, str] = {}
        # id(concept) -> field alias -> the property key that filled it (for the report)
        self.sources: dict[int, dict[str, str]] = {}

    def of_kind(self, *kinds: str) -> list[Concept]:
        return sorted(
            (item for item in self.model.elements.values() if item.kind in kinds),
            key=lambda item: item.identifier,
        )

    def allocate(self, items: list[Concept], allocator: SlugAllocator, fallback: str) -> None:
        """Give each element an id: its ``id`` property first, then its name, then identifier."""

        def base(item: Concept) -> tuple[int, str]:
            explicit = item.prop("id") or ""
            if _is_id(explicit):
                return 0, explicit
            return 1, slugify(item.name) or slugify(item.identifier) or fallback

        for item in sorted(items, key=lambda item: (base(item)[0], item.identifier)):
            self.ids[item.identifier] = allocator.allocate(base(item)[1], fallback)

    def split(
        self, model: type[Record], item: Concept, consumed: tuple[str, ...] = ()
    ) -> tuple[dict[str, Any], dict[str, str]]:
        """The properties of ``item``: those named like a field of ``model`` (raw values, the
        first of each), and the others as free properties, in the file's order. Properties the
        exporter writes and the inventory recomputes (``partagee``, ``nature``), a valid ``id``
        and the keys or prefixes in ``consumed`` are read elsewhere."""
        aliases = _aliases(model)
        values: dict[str, Any] = {}
        free: dict[str, str] = {}
        for key, value in item.properties:
            alias = key if key in aliases else _as_alias(key)
            if key in _DERIVED or key.startswith(consumed) or (key == "id" and _is_id(value)):
                continue
            if alias in aliases and alias not in values and alias not in (*_STRUCTURAL, "id"):
                values[alias] = (
                    [part.strip() for part in value.split(",") if part.strip()]
                    if aliases[alias]
                    else value
                )
                if key != alias:
                    self.sources.setdefault(id(item), {})[alias] = key
                continue
            free[key] = f"{free[key]}\n{value}" if key in free else value
        return values, free

    def keep(
        self,
        model: type[Record],
        item: Concept,
        data: dict[str, Any],
        free: dict[str, str],
        generated: str,
    ) -> None:
        """Put the free properties into ``data`` (reporting them when ``model`` has no place for
        them), with the identifier the element had, unless it is the one cartographie gives."""
        if item.identifier != generated:
            free.setdefault(IDENTIFIER_PROPERTY, item.identifier)
        if "proprietes" in _aliases(model):
            if free:
                data["proprietes"] = free
            return
        for key, value in free.items():
            if key != IDENTIFIER_PROPERTY:
                self.report.adjustments.append(
                    f"{item.label} : propriété « {key} » = « {shorten(value)} » non reprise "
                    "(l'inventaire n'a pas de propriétés libres pour cet objet)"
                )

    def validate(self, model: type[Record], data: dict[str, Any], item: Concept) -> Any:
        """Validate; a property whose value a field refuses goes back to the free properties
        (a required field takes its default), and the report says so."""
        for _attempt in range(len(data) + 1):
            try:
                return model.model_validate(data)
            except ValidationError as error:
                faulty = {str(detail["loc"][0]) for detail in error.errors() if detail["loc"]}
                fixable = {
                    key
                    for key in (faulty & data.keys()) - _NEVER_DROPPED
                    if _REQUIRED_DEFAULTS.get(key, object()) != data[key]
                }
                if not fixable:
                    raise
                for key in sorted(fixable):
                    self._set_aside(model, data, item, key)
        return model.model_validate(data)

    def _set_aside(
        self, model: type[Record], data: dict[str, Any], item: Concept, key: str
    ) -> None:
        value = data.pop(key)
        source = self.sources.get(id(item), {}).get(key, key)
        shown = ", ".join(value) if isinstance(value, list) else str(value)
        outcome = "non reprise"
        if key != "proprietes" and "proprietes" in _aliases(model):
            data.setdefault("proprietes", {})[source] = shown
            outcome = "gardée en propriété libre"
        if key in _REQUIRED_DEFAULTS:
            data[key] = _REQUIRED_DEFAULTS[key]
            outcome += f", « {key} » = « {data[key]} »"
        self.report.adjustments.append(
            f"{item.label} : propriété « {source} » = « {shorten(shown)} » refusée pour le "
            f"champ « {key} » ({outcome})"
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

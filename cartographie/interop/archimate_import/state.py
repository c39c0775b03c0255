"""The state of one ArchiMate import: what was read, the ids given, the records made so far.

The mapping runs in steps over one :class:`MappingState` (``territory`` → ``applications`` →
``flows``); the helpers here are what every step needs: elements by type, ids allocated
deterministically (the ``id`` property, else the name, else the identifier; ``-2``, ``-3`` in the
order of the source identifiers), properties read as inventory fields, records validated with
the refused optional fields dropped and reported.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from pydantic import ValidationError

from cartographie.interop.archimate_common import NATURE, PRODUCT_PREFIX, VENDOR_PREFIX
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
# Fields set from structure, never from a property of the same name.
_STRUCTURAL = {"nom", "description", "blocs", "utilisateurs", "parent", "source", "cible"}


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

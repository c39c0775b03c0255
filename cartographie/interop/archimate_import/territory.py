"""Mapping the territory (BusinessActor, Location → métropole, communes, partners, data
centres) and the urbanisation map (ApplicationFunction, ApplicationService, Grouping → blocs,
their hierarchy from Composition and Aggregation, cycles broken and reported)."""

from __future__ import annotations

from typing import Any

from cartographie.interop.archimate_common import (
    BLOCK_ELEMENTS,
    NATURE,
    NATURE_COMMUNE,
    NATURE_DATACENTER,
    NATURE_METROPOLE,
    NATURE_PARTNER,
)
from cartographie.interop.archimate_export import block_ref, organisation_ref
from cartographie.interop.archimate_import.state import CONTAINMENT, PARENT_LEVELS, MappingState
from cartographie.interop.common import SlugAllocator
from cartographie.model.records import Block, Commune, Datacenter, Metropole, Partner, Record


def map_territory(state: MappingState) -> None:
    actors = state.of_kind("BusinessActor", "Location")
    natured = [item for item in actors if item.prop(NATURE)]
    plain_locations = [item for item in actors if not item.prop(NATURE) and item.kind == "Location"]
    organisations = [
        item for item in natured if item.prop(NATURE) != NATURE_DATACENTER
    ] + plain_locations
    state.allocate(organisations, state.organisations, "organisation")
    datacenter_ids = SlugAllocator()
    state.allocate(
        [item for item in natured if item.prop(NATURE) == NATURE_DATACENTER],
        datacenter_ids,
        "centre",
    )
    for item in organisations:
        nature = item.prop(NATURE) or NATURE_COMMUNE
        identifier = state.ids[item.identifier]
        data: dict[str, Any] = {"id": identifier, "nom": item.name or identifier}
        model: type[Record]
        if nature == NATURE_METROPOLE and state.metropole is None:
            model = Metropole
        elif nature == NATURE_PARTNER:
            model = Partner
            if item.documentation:
                data["description"] = item.documentation
        elif nature in (NATURE_COMMUNE, NATURE_METROPOLE):
            model = Commune
        else:
            model = Record
        if model is not Record:
            values, free = state.split(model, item)
            values.pop("mutualisations", None)
            data.update(values)
            state.keep(model, item, data, free, organisation_ref(identifier))
            record = state.validate(model, data, item)
            if isinstance(record, Metropole):
                state.metropole = record
            elif isinstance(record, Partner):
                state.partners[identifier] = record
            else:
                state.communes[identifier] = record
        else:
            state.report.unmapped_elements.append(item)
            continue
        state.used_elements.add(item.identifier)
    centres = {
        state.ids[item.identifier] for item in natured if item.prop(NATURE) == NATURE_DATACENTER
    }
    for item in state.of_kind("Location"):
        if item.prop(NATURE) != NATURE_DATACENTER:
            continue
        identifier = state.ids[item.identifier]
        data = {"id": identifier, "nom": item.name or identifier}
        values, free = state.split(Datacenter, item)
        if values.get("commune") not in state.communes:
            values.pop("commune", None)
        if values.get("secours") not in centres or values.get("secours") == identifier:
            values.pop("secours", None)
        data.update(values)
        state.keep(Datacenter, item, data, free, f"dc.{identifier}")
        state.datacenters[identifier] = state.validate(Datacenter, data, item)
        state.used_elements.add(item.identifier)
    if state.metropole is None:
        identifier = state.organisations.allocate("metropole")
        name = state.model.name or "Métropole"
        data = {"id": identifier, "nom": name}
        if state.model.language:
            data["langue"] = state.model.language
        state.metropole = Metropole.model_validate(data)
        state.report.synthesised.append(
            f"la métropole « {identifier} » ({name}) : le modèle n'en décrit pas"
        )


def map_blocks(state: MappingState) -> None:
    items = state.of_kind(*BLOCK_ELEMENTS)
    allocator = SlugAllocator()
    state.allocate(items, allocator, "bloc")
    levels: dict[str, str] = {}
    for item in items:
        level = item.prop("niveau")
        levels[item.identifier] = level if level in PARENT_LEVELS else "bloc"
    parents: dict[str, str] = {}
    relationships = sorted(state.model.relationships.values(), key=lambda rel: rel.identifier)
    for relationship in relationships:
        if relationship.kind not in CONTAINMENT:
            continue
        parent, child = relationship.source, relationship.target
        if parent not in levels or child not in levels:
            continue
        if levels[parent] not in PARENT_LEVELS[levels[child]]:
            state.report.unmapped_relationships.append(
                (
                    relationship,
                    f"un(e) {levels[child]} ne se range pas dans un(e) {levels[parent]}",
                )
            )
            continue
        if child in parents:
            state.report.unmapped_relationships.append(
                (
                    relationship,
                    "le bloc a déjà un parent (le premier par identifiant est gardé)",
                )
            )
            continue
        parents[child] = parent
        state.used_relationships.add(relationship.identifier)
    # Break cycles: walk up from each bloc; a bloc met twice drops its parent link.
    for start in sorted(parents):
        path: list[str] = []
        current: str | None = start
        while current is not None and current not in path:
            path.append(current)
            current = parents.get(current)
        if current is not None:
            state.report.adjustments.append(
                f"cycle dans la hiérarchie des blocs rompu : "
                f"« {state.ids[current]} » n'a plus de parent"
            )
            parents.pop(current)
    synthetic_zone: str | None = None
    synthetic_district: str | None = None

    def zone() -> str:
        nonlocal synthetic_zone
        if synthetic_zone is None:
            synthetic_zone = allocator.allocate("modele-archimate")
            name = f"Modèle ArchiMate « {state.model.name or 'importé'} »"
            state.blocks[synthetic_zone] = Block.model_validate(
                {"id": synthetic_zone, "nom": name, "niveau": "zone"}
            )
            state.report.synthesised.append(
                f"la zone « {synthetic_zone} » : racine de la carte des blocs importés"
            )
        return synthetic_zone

    def district() -> str:
        nonlocal synthetic_district
        if synthetic_district is None:
            parent = zone()
            synthetic_district = allocator.allocate("a-classer")
            state.blocks[synthetic_district] = Block.model_validate(
                {
                    "id": synthetic_district,
                    "nom": "À classer",
                    "niveau": "quartier",
                    "parent": parent,
                }
            )
            state.report.synthesised.append(
                f"le quartier « {synthetic_district} » : range les blocs sans parent"
            )
        return synthetic_district

    for item in items:
        identifier = state.ids[item.identifier]
        level = levels[item.identifier]
        parent_id: str | None
        if item.identifier in parents:
            parent_id = state.ids[parents[item.identifier]]
        elif level == "bloc":
            parent_id = district()
        elif level == "quartier":
            parent_id = zone()
        else:
            parent_id = None
        values, free = state.split(Block, item)
        values.pop("niveau", None)
        data: dict[str, Any] = {
            "id": identifier,
            "nom": item.name or identifier,
            "niveau": level,
            **values,
        }
        if parent_id is not None:
            data["parent"] = parent_id
        if item.documentation:
            data["description"] = item.documentation
        state.keep(Block, item, data, free, block_ref(identifier))
        state.blocks[identifier] = state.validate(Block, data, item)
        state.used_elements.add(item.identifier)

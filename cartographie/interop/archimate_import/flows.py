"""Mapping flows (Flow, Serving, Triggering between two components → flux, with their data
object) and listing everything not mapped, with the reason, for the import's report."""

from __future__ import annotations

from collections import Counter
from typing import Any

from cartographie.interop.archimate_common import FLOW_RELATIONSHIPS
from cartographie.interop.archimate_export import flow_ref
from cartographie.interop.archimate_import.read import Concept
from cartographie.interop.archimate_import.state import MappingState
from cartographie.interop.common import SlugAllocator, slugify
from cartographie.model.records import Flow


def map_flows(state: MappingState) -> None:
    components = {
        item.identifier: state.ids[item.identifier]
        for item in state.of_kind("ApplicationComponent")
        if state.ids.get(item.identifier) in state.applications
    }
    keys: Counter[str] = Counter()
    candidates: list[tuple[Concept, dict[str, Any]]] = []
    for relationship in sorted(state.model.relationships.values(), key=lambda r: r.identifier):
        if relationship.identifier in state.used_relationships:
            continue
        if relationship.kind not in FLOW_RELATIONSHIPS:
            continue
        source = components.get(relationship.source)
        target = components.get(relationship.target)
        if source is None or target is None:
            continue
        if source == target:
            state.report.unmapped_relationships.append(
                (relationship, "relie une application à elle-même")
            )
            state.used_relationships.add(relationship.identifier)
            continue
        data: dict[str, Any] = {
            "source": source,
            "cible": target,
            "donnee": state.data_for(relationship),
        }
        values, free = state.split(Flow, relationship)
        values.pop("donnee", None)
        data.update(values)
        explicit = slugify(relationship.prop("id") or "")
        if explicit:
            data["id"] = explicit
        via = data.get("via")
        if via is not None and (
            via not in state.applications
            or not state.applications[via][1].hub
            or via in (source, target)
        ):
            state.report.adjustments.append(
                f"relation {relationship.identifier} : « via » = « {via} » n'est pas un hub "
                "importé, retiré"
            )
            data.pop("via")
        if relationship.documentation:
            data["description"] = relationship.documentation
        data["proprietes"] = free
        candidates.append((relationship, data))
        keys[data.get("id") or f"{source}>{target}:{data['donnee']}"] += 1
        state.used_relationships.add(relationship.identifier)
    flow_ids = SlugAllocator(d["id"] for _r, d in candidates if "id" in d)
    for relationship, data in candidates:
        key = data.get("id") or f"{data['source']}>{data['cible']}:{data['donnee']}"
        if keys[key] > 1 and "id" not in data:
            # Several relationships join the same pair with the same data object: each keeps
            # its own flow, told apart by an id made from the source identifier.
            data["id"] = flow_ids.allocate(slugify(relationship.identifier), "flux")
        free = data.pop("proprietes")
        key = data.get("id") or f"{data['source']}>{data['cible']}:{data['donnee']}"
        state.keep(Flow, relationship, data, free, flow_ref(key))
        ordered = {
            alias: data[alias]
            for alias in (info.alias for info in Flow.model_fields.values())
            if alias in data
        }
        state.flows.append(state.validate(Flow, ordered, relationship))


def collect_unmapped(state: MappingState) -> None:
    mapped = set(state.used_elements)
    listed = {id(item) for item in state.report.unmapped_elements}
    for item in state.model.elements.values():
        if item.identifier not in mapped and id(item) not in listed:
            state.report.unmapped_elements.append(item)
    # Relationships the exporter writes and the inventory derives (Access to data objects)
    # are consumed, not lost: the flows carry their data object.
    reported = {id(relationship) for relationship, _reason in state.report.unmapped_relationships}
    exchanged = {(end, flow.data) for flow in state.flows for end in (flow.source, flow.target)}
    for relationship in state.model.relationships.values():
        if relationship.identifier in state.used_relationships or id(relationship) in reported:
            continue
        if consumed_access(state, relationship, exchanged):
            state.used_relationships.add(relationship.identifier)
            continue
        state.report.unmapped_relationships.append((relationship, reason(state, relationship)))


def consumed_access(
    state: MappingState, relationship: Concept, exchanged: set[tuple[str, str]]
) -> bool:
    """An Access from an application to a data object that one of its flows carries."""
    if relationship.kind != "Access":
        return False
    target = state.ids.get(relationship.target)
    source = state.ids.get(relationship.source)
    if target not in state.data_objects or source not in state.applications:
        return False
    return (source, target) in exchanged


def reason(state: MappingState, relationship: Concept) -> str:
    elements = state.model.elements
    kinds = []
    for end in (relationship.source, relationship.target):
        kinds.append(elements[end].kind if end in elements else "relation")
    return f"entre {kinds[0]} et {kinds[1]}, sans équivalent dans l'inventaire"

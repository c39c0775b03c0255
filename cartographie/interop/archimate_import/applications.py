"""Mapping data objects (DataObject → donnée) and applications (ApplicationComponent →
application): their blocs, users, owner, data centre and product from the relationships, their
fields from the properties named like inventory fields, defaults applied and reported."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from cartographie.interop.archimate_common import (
    BLOCK_ELEMENTS,
    PRODUCT_PREFIX,
    RANK_PROPERTY,
    VENDOR_PREFIX,
)
from cartographie.interop.archimate_export import application_ref, data_ref
from cartographie.interop.archimate_import.read import Concept
from cartographie.interop.archimate_import.state import (
    CONTAINMENT,
    DEFAULT_HOSTING,
    DEFAULT_LAYER,
    MappingState,
)
from cartographie.interop.common import SlugAllocator, slugify
from cartographie.model.records import Application, DataObject, Product, Vendor


def map_data_objects(state: MappingState) -> None:
    items = state.of_kind("DataObject")
    state.allocate(items, state.data_allocator, "donnee")
    for item in items:
        identifier = state.ids[item.identifier]
        data: dict[str, Any] = {"id": identifier, "nom": item.name or identifier}
        values, free = state.split(DataObject, item)
        data.update(values)
        if item.documentation:
            data["description"] = item.documentation
        state.keep(DataObject, item, data, free, data_ref(identifier))
        record = state.validate(DataObject, data, item)
        state.data_objects[identifier] = record
        state.data_by_name.setdefault(slugify(record.name), identifier)
        state.used_elements.add(item.identifier)


def map_applications(state: MappingState) -> None:
    items = state.of_kind("ApplicationComponent")
    allocator = SlugAllocator()
    state.allocate(items, allocator, "application")
    elements = state.model.elements
    # component -> (rank, position in the file, bloc): the order of its blocs
    blocks_of: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    users_of: dict[str, list[str]] = defaultdict(list)
    located: dict[str, list[str]] = defaultdict(list)
    hosted: dict[str, str] = {}
    # Users are communes or the métropole (a partner owns, it does not use).
    possible_users = {*state.communes, getattr(state.metropole, "id", "")}
    for relationship in sorted(state.model.relationships.values(), key=lambda r: r.identifier):
        source = elements.get(relationship.source)
        target = elements.get(relationship.target)
        if source is None or target is None:
            continue
        kind = relationship.kind
        component, other = (
            (source, target) if source.kind == "ApplicationComponent" else (target, source)
        )
        if component.kind != "ApplicationComponent" or other.identifier not in state.ids:
            continue
        other_id = state.ids[other.identifier]
        forward = component is source
        if other.kind in BLOCK_ELEMENTS and other_id in state.blocks:
            attach = (forward and kind in ("Assignment", "Realization")) or (
                not forward and kind in CONTAINMENT
            )
            if attach and state.blocks[other_id].level == "bloc":
                rank = relationship.prop(RANK_PROPERTY) or ""
                blocks_of[component.identifier].append(
                    (int(rank) if rank.isdigit() else 1 << 30, relationship.position, other_id)
                )
                state.used_relationships.add(relationship.identifier)
        elif other.kind == "BusinessActor" and other_id in possible_users:
            if forward and kind == "Serving":
                users_of[component.identifier].append(other_id)
                state.used_relationships.add(relationship.identifier)
        elif other.kind == "Location" and not forward and kind in CONTAINMENT:
            if other_id in state.datacenters and component.identifier not in hosted:
                hosted[component.identifier] = other_id
                state.used_relationships.add(relationship.identifier)
            elif other_id in state.communes:
                located[component.identifier].append(other_id)
                state.used_relationships.add(relationship.identifier)
    defaults: Counter[str] = Counter()
    pending: list[tuple[Concept, dict[str, Any], str]] = []
    for item in items:
        identifier = state.ids[item.identifier]
        data: dict[str, Any] = {"id": identifier, "nom": item.name or identifier}
        product = product_for(state, item)
        consumed = (PRODUCT_PREFIX, VENDOR_PREFIX) if product else ()
        fields, free = state.split(Application, item, consumed)
        if product:
            free.pop("editeur", None)
        owner = fields.pop("proprietaire", None)
        known_owner = (
            owner in state.communes
            or owner == getattr(state.metropole, "id", None)
            or owner in state.partners
        )
        if owner is not None and not known_owner:
            free.setdefault("proprietaire", owner)
            owner = None
        locations = sorted(set(located.get(item.identifier, [])))
        if owner is None and locations:
            owner = locations[0]
        if owner is None:
            owner = state.imported_commune()
            defaults["propriétaire « commune importée »"] += 1
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
        elif fields.get("centre_de_donnees") not in state.datacenters:
            fields.pop("centre_de_donnees", None)
        if fields.pop("delegation", None) is not None:
            state.report.adjustments.append(
                f"{item.label} : « delegation » retirée (les contrats de délégation ne sont "
                "pas dans le format d'échange)"
            )
        blocks: list[str] = []
        for _rank, _position, block in sorted(blocks_of.get(item.identifier, [])):
            if block not in blocks:
                blocks.append(block)
        if blocks:
            data["blocs"] = blocks
        users = sorted(set(users_of.get(item.identifier, [])) | set(locations))
        if users and users != [owner]:
            data["utilisateurs"] = users
        data.update(fields)
        if item.documentation:
            data["description"] = item.documentation
        if item.prop("id") is None and "origine" not in data:
            data["origine"] = f"Modèle ArchiMate « {state.model.name} »"
        state.keep(Application, item, data, free, application_ref(identifier))
        pending.append((item, data, owner))
    known = {state.ids[item.identifier] for item in items}
    for item, data, owner in pending:
        if data.get("remplacee_par") not in known:
            if "remplacee_par" in data:
                state.report.adjustments.append(
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
        application = state.validate(Application, ordered, item)
        state.applications[application.id] = (owner, application)
        state.used_elements.add(item.identifier)
    for what, count in sorted(defaults.items()):
        state.report.defaults.append(f"{count} application(s) sans {what.split(' ')[0]} : {what}")


def product_for(state: MappingState, item: Concept) -> str | None:
    product_id = slugify(item.prop("produit") or "")
    vendor_id = slugify(item.prop("editeur") or "")
    if not product_id or not vendor_id:
        return None
    if vendor_id not in state.vendors:
        vendor: dict[str, Any] = {"id": vendor_id}
        for key, value in item.properties:
            if key.startswith(VENDOR_PREFIX):
                vendor[key.removeprefix(VENDOR_PREFIX)] = value
        vendor.setdefault("nom", vendor_id)
        vendor.setdefault("api", "proprietaire")
        state.vendors[vendor_id] = state.validate(Vendor, vendor, item)
    if product_id not in state.products:
        product: dict[str, Any] = {"id": product_id, "editeur": vendor_id}
        for key, value in item.properties:
            if key.startswith(PRODUCT_PREFIX):
                product[key.removeprefix(PRODUCT_PREFIX)] = value
        product.setdefault("nom", product_id)
        state.products[product_id] = state.validate(Product, product, item)
    elif state.products[product_id].vendor != vendor_id:
        state.report.adjustments.append(
            f"{item.label} : produit « {product_id} » déjà attribué à l'éditeur "
            f"« {state.products[product_id].vendor} », éditeur « {vendor_id} » ignoré"
        )
    return product_id

"""Building the portfolio graph: one networkx ``MultiDiGraph`` from a validated inventory.

Node ids are ``<kind>:<id>`` (``application:vc-etat-civil``, ``step:gdu/signalement``), so that
objects of different kinds may share an id and every id is stable across runs. Each node carries
``kind`` and ``record`` (the model record); each edge carries ``kind`` (see ``EdgeKind``). Flow
edges are keyed by the flow's key, so several flows can join the same pair of applications.

Nodes and edges are added in sorted order: the graph's iteration order, and so every map and
report built on it, is deterministic.
"""

from __future__ import annotations

from typing import Literal

import networkx as nx

from cartographie.model.inventory import Inventory

NodeKind = Literal[
    "metropole",
    "commune",
    "other_commune",
    "sector",
    "partner",
    "domain",
    "datacenter",
    "zone",
    "district",
    "block",
    "process",
    "step",
    "data_object",
    "vendor",
    "product",
    "delegation",
    "application",
]

# Edge kinds, in the direction of the edge.
EdgeKind = Literal[
    "uses",  # commune or métropole -> application
    "owns",  # owner -> application
    "in_block",  # application -> bloc
    "part_of",  # bloc -> quartier -> zone
    "instance_of",  # application -> product
    "sold_by",  # product -> vendor
    "operated_under",  # application -> delegation
    "granted_by",  # delegation -> its authority (métropole or commune)
    "renews",  # delegation -> the contract it renews
    "hosted_in",  # application -> datacenter
    "replaced_by",  # application -> its successor
    "flow",  # application -> application (one edge per flow, keyed by the flow's key)
    "has_step",  # process -> step
    "next",  # step -> following step
    "served_by_block",  # step -> bloc
    "served_by",  # step -> application
    "mutualises",  # commune -> domain
    "covers",  # domain -> bloc
    "sector_area",  # secteur d'intervention -> commune it covers (``part``: None for all of it)
    "shared_by_sectors",  # step -> each sector it is shared between
]

_LEVEL_KIND: dict[str, NodeKind] = {"zone": "zone", "quartier": "district", "bloc": "block"}


def node_id(kind: str, record_id: str) -> str:
    """The graph node id of an object: ``<kind>:<id>``."""
    return f"{kind}:{record_id}"


def step_node_id(process_id: str, step_id: str) -> str:
    return f"step:{process_id}/{step_id}"


def organisation_node_id(inventory: Inventory, organisation_id: str) -> str:
    if organisation_id == inventory.metropole.id:
        return node_id("metropole", organisation_id)
    if organisation_id in inventory.partners:
        return node_id("partner", organisation_id)
    return node_id("commune", organisation_id)


def block_node_id(inventory: Inventory, block_id: str) -> str:
    return node_id(_LEVEL_KIND[inventory.blocks[block_id].level], block_id)


def build_graph(inventory: Inventory) -> nx.MultiDiGraph:
    """The whole portfolio as one graph (DESIGN.md §4)."""
    graph = nx.MultiDiGraph()
    _add_territory(graph, inventory)
    _add_referential(graph, inventory)
    _add_applications(graph, inventory)
    _add_flows(graph, inventory)
    _add_processes(graph, inventory)
    return graph


def _add_territory(graph: nx.MultiDiGraph, inventory: Inventory) -> None:
    metropole = inventory.metropole
    graph.add_node(node_id("metropole", metropole.id), kind="metropole", record=metropole)
    for commune in inventory.communes.values():
        graph.add_node(node_id("commune", commune.id), kind="commune", record=commune)
    for other in inventory.other_communes.values():
        graph.add_node(node_id("other_commune", other.id), kind="other_commune", record=other)
    for partner in inventory.partners.values():
        graph.add_node(node_id("partner", partner.id), kind="partner", record=partner)
    for sector in inventory.sectors.values():
        sector_node = node_id("sector", sector.id)
        graph.add_node(sector_node, kind="sector", record=sector)
        for area in sorted(sector.areas, key=lambda item: item.commune):
            kind = "commune" if area.commune in inventory.communes else "other_commune"
            graph.add_edge(
                sector_node, node_id(kind, area.commune), kind="sector_area", part=area.part
            )
    for datacenter in inventory.datacenters.values():
        graph.add_node(node_id("datacenter", datacenter.id), kind="datacenter", record=datacenter)
    for block in inventory.blocks.values():
        graph.add_node(
            block_node_id(inventory, block.id), kind=_LEVEL_KIND[block.level], record=block
        )
    for block in inventory.blocks.values():
        if block.parent is not None:
            graph.add_edge(
                block_node_id(inventory, block.id),
                block_node_id(inventory, block.parent),
                kind="part_of",
            )
    for domain in inventory.domains.values():
        domain_node = node_id("domain", domain.id)
        graph.add_node(domain_node, kind="domain", record=domain)
        for block_id in sorted(domain.blocks):
            graph.add_edge(domain_node, block_node_id(inventory, block_id), kind="covers")
    for commune in inventory.communes.values():
        for mutualisation in sorted(commune.mutualisations, key=lambda item: item.domain):
            graph.add_edge(
                node_id("commune", commune.id),
                node_id("domain", mutualisation.domain),
                kind="mutualises",
                since=mutualisation.since,
            )


def _add_referential(graph: nx.MultiDiGraph, inventory: Inventory) -> None:
    for data_object in inventory.data_objects.values():
        graph.add_node(
            node_id("data_object", data_object.id), kind="data_object", record=data_object
        )
    for vendor in inventory.vendors.values():
        graph.add_node(node_id("vendor", vendor.id), kind="vendor", record=vendor)
    for product in inventory.products.values():
        product_node = node_id("product", product.id)
        graph.add_node(product_node, kind="product", record=product)
        graph.add_edge(product_node, node_id("vendor", product.vendor), kind="sold_by")
    for delegation in inventory.delegations.values():
        delegation_node = node_id("delegation", delegation.id)
        graph.add_node(delegation_node, kind="delegation", record=delegation)
        graph.add_edge(
            delegation_node,
            organisation_node_id(inventory, delegation.authority),
            kind="granted_by",
        )
    for delegation in inventory.delegations.values():
        if delegation.renews is not None:
            graph.add_edge(
                node_id("delegation", delegation.id),
                node_id("delegation", delegation.renews),
                kind="renews",
            )


def _add_applications(graph: nx.MultiDiGraph, inventory: Inventory) -> None:
    for application in inventory.applications.values():
        graph.add_node(
            node_id("application", application.id), kind="application", record=application
        )
    for application in inventory.applications.values():
        app_node = node_id("application", application.id)
        owner = inventory.owners[application.id]
        graph.add_edge(organisation_node_id(inventory, owner), app_node, kind="owns")
        for user in inventory.users[application.id]:
            graph.add_edge(organisation_node_id(inventory, user), app_node, kind="uses")
        for block_id in sorted(set(application.blocks)):
            graph.add_edge(app_node, block_node_id(inventory, block_id), kind="in_block")
        if application.product is not None:
            graph.add_edge(app_node, node_id("product", application.product), kind="instance_of")
        if application.delegation is not None:
            graph.add_edge(
                app_node, node_id("delegation", application.delegation), kind="operated_under"
            )
        if application.datacenter is not None:
            graph.add_edge(
                app_node, node_id("datacenter", application.datacenter), kind="hosted_in"
            )
        if application.replaced_by is not None:
            graph.add_edge(
                app_node, node_id("application", application.replaced_by), kind="replaced_by"
            )


def _add_flows(graph: nx.MultiDiGraph, inventory: Inventory) -> None:
    for flow in inventory.flows:
        graph.add_edge(
            node_id("application", flow.source),
            node_id("application", flow.target),
            key=flow.key,
            kind="flow",
            flow=flow,
        )


def _add_processes(graph: nx.MultiDiGraph, inventory: Inventory) -> None:
    for process in inventory.processes.values():
        process_node = node_id("process", process.id)
        graph.add_node(process_node, kind="process", record=process)
        for order, step in enumerate(process.steps):
            step_node = step_node_id(process.id, step.id)
            graph.add_node(step_node, kind="step", record=step, process=process.id, order=order)
            graph.add_edge(process_node, step_node, kind="has_step", order=order)
            for block_id in sorted(set(step.blocks)):
                graph.add_edge(
                    step_node, block_node_id(inventory, block_id), kind="served_by_block"
                )
            for application_id in sorted(set(step.applications)):
                graph.add_edge(step_node, node_id("application", application_id), kind="served_by")
            for sector_id in sorted(set(step.sectors)):
                graph.add_edge(step_node, node_id("sector", sector_id), kind="shared_by_sectors")
        for order, step in enumerate(process.steps):
            if step.next_steps is not None:
                following = sorted(set(step.next_steps))
            elif order + 1 < len(process.steps):
                following = [process.steps[order + 1].id]
            else:
                following = []
            for next_id in following:
                graph.add_edge(
                    step_node_id(process.id, step.id),
                    step_node_id(process.id, next_id),
                    kind="next",
                )

"""Regulatory impact: what a change hitting a bloc, a data object or a vendor must reach.

DESIGN.md §1: "every change that must reach all of them costs as many operations as there are
applications". So, for a scope:

- **bloc** (a bloc fonctionnel, or a quartier or zone and everything below it): the applications
  in service attached to it;
- **donnée**: the applications in service that send or receive a flow carrying it, and the hubs
  those flows go through;
- **éditeur**: the applications in service running one of the vendor's products;

and from those applications: the communes that use them, their products and vendors, the flows
that touch them (for a data object: the flows carrying it), and the **operations** — one per
application. Applications of outside bodies (the CAF…) reached by the flows are listed apart:
the métropole cannot change them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from cartographie.analysis.common import FlowIndex, communes_using, is_in_service, suggest
from cartographie.errors import UnknownNameError
from cartographie.graph import Portfolio
from cartographie.model.records import Flow

ScopeKind = Literal["bloc", "donnee", "editeur"]


@dataclass(frozen=True)
class ImpactedApplication:
    application: str
    owner: str
    communes: tuple[str, ...]
    product: str | None
    vendor: str | None
    flows: int  # flows of the scope touching this application


@dataclass(frozen=True)
class Impact:
    kind: ScopeKind
    scope: str
    applications: tuple[ImpactedApplication, ...]
    external_applications: tuple[str, ...]
    communes: tuple[str, ...]
    products: tuple[str, ...]
    vendors: tuple[str, ...]
    flows: tuple[Flow, ...]

    @property
    def operations(self) -> int:
        """One operation per application to change."""
        return len(self.applications)


def _impact(
    portfolio: Portfolio,
    kind: ScopeKind,
    scope: str,
    application_ids: Iterable[str],
    flows: list[Flow] | None = None,
    index: FlowIndex | None = None,
) -> Impact:
    inventory = portfolio.inventory
    internal = sorted({app for app in application_ids if is_in_service(portfolio, app)})
    members = set(internal)
    if flows is None:
        # Source, target or relaying hub: a change to the hub reaches every flow it relays.
        index = index or FlowIndex(portfolio)
        flows = [index.flows[position] for position in index.touching(internal)]
    external = sorted(
        {
            endpoint
            for flow in flows
            for endpoint in (flow.source, flow.target)
            if inventory.is_external(endpoint)
        }
    )
    flow_count: dict[str, int] = dict.fromkeys(internal, 0)
    for flow in flows:
        for endpoint in {flow.source, flow.target, flow.via} - {None}:
            if endpoint in members:
                flow_count[endpoint] += 1
    applications = tuple(
        ImpactedApplication(
            application=app_id,
            owner=inventory.owners[app_id],
            communes=communes_using(portfolio, app_id),
            product=inventory.applications[app_id].product,
            vendor=inventory.vendor_of(app_id),
            flows=flow_count[app_id],
        )
        for app_id in internal
    )
    return Impact(
        kind=kind,
        scope=scope,
        applications=applications,
        external_applications=tuple(external),
        communes=tuple(sorted({c for item in applications for c in item.communes})),
        products=tuple(sorted({item.product for item in applications if item.product})),
        vendors=tuple(sorted({item.vendor for item in applications if item.vendor})),
        flows=tuple(flows),  # in key order: the index's, or flows_of_data's (inventory order)
    )


def impact_of_block(portfolio: Portfolio, block_id: str, index: FlowIndex | None = None) -> Impact:
    if block_id not in portfolio.inventory.blocks:
        raise UnknownNameError(
            f"bloc inconnu : {block_id}",
            suggest(block_id, sorted(portfolio.inventory.blocks), "blocs"),
        )
    applications = portfolio.applications_of_block(block_id)
    return _impact(portfolio, "bloc", block_id, applications, index=index)


def impact_of_data(portfolio: Portfolio, data_id: str) -> Impact:
    inventory = portfolio.inventory
    if data_id not in inventory.data_objects:
        raise UnknownNameError(
            f"donnée inconnue : {data_id}",
            suggest(data_id, sorted(inventory.data_objects), "données"),
        )
    flows = portfolio.flows_of_data(data_id)
    applications = {
        endpoint
        for flow in flows
        for endpoint in (flow.source, flow.target, flow.via)
        if endpoint is not None
    }
    return _impact(portfolio, "donnee", data_id, applications, flows)


def impact_of_vendor(portfolio: Portfolio, vendor_id: str) -> Impact:
    inventory = portfolio.inventory
    if vendor_id not in inventory.vendors:
        raise UnknownNameError(
            f"éditeur inconnu : {vendor_id}",
            suggest(vendor_id, sorted(inventory.vendors), "éditeurs"),
        )
    applications = [app for app in inventory.applications if inventory.vendor_of(app) == vendor_id]
    return _impact(portfolio, "editeur", vendor_id, applications)


def impact_by_block(portfolio: Portfolio) -> list[Impact]:
    """The impact of a change on each bloc fonctionnel: the overview the atlas shows."""
    index = FlowIndex(portfolio)
    return [impact_of_block(portfolio, block_id, index) for block_id in portfolio.leaf_blocks()]

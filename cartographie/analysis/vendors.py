"""Vendors (DESIGN.md §1, §7): who the portfolio depends on, and how open they are.

Over the applications in service that run a product (specific developments have no vendor):

- **per vendor**: applications, communes using them, annual cost (the sum of the known
  ``cout_annuel``; applications without one are counted apart), blocs served, and the share of
  its applications whose API is closed;
- an application's API is **closed** when its product's openness (or, when the product does not
  say, its vendor's) is ``proprietaire`` or ``aucune`` — anything but ``ouverte``;
- **blocs that depend on a single vendor**: blocs whose applications in service all run products
  of one vendor (none without a product);
- **suites**: products grouped by their vendor's ``suite``, with the applications and communes
  that run them — suites talk to each other, and lock clients in together.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from cartographie.analysis.common import applications_in_service, communes_using
from cartographie.graph import Portfolio


@dataclass(frozen=True)
class VendorSummary:
    vendor: str
    api: str
    applications: tuple[str, ...]
    communes: tuple[str, ...]
    annual_cost: int
    without_cost: int
    blocks: tuple[str, ...]
    closed_applications: int

    @property
    def closed_share(self) -> float:
        return self.closed_applications / len(self.applications) if self.applications else 0.0


@dataclass(frozen=True)
class SingleVendorBlock:
    block: str
    vendor: str
    applications: tuple[str, ...]
    api: str  # the vendor's openness


@dataclass(frozen=True)
class Suite:
    vendor: str
    suite: str
    products: tuple[str, ...]
    applications: tuple[str, ...]
    communes: tuple[str, ...]


@dataclass(frozen=True)
class VendorReport:
    vendors: tuple[VendorSummary, ...]  # by number of applications, then id
    applications_with_product: int
    specific_applications: int
    closed_applications: int
    single_vendor_blocks: tuple[SingleVendorBlock, ...]
    suites: tuple[Suite, ...]

    @property
    def closed_share(self) -> float:
        if not self.applications_with_product:
            return 0.0
        return self.closed_applications / self.applications_with_product


def is_closed(api: str | None) -> bool:
    return api is not None and api != "ouverte"


def vendor_report(portfolio: Portfolio) -> VendorReport:
    inventory = portfolio.inventory
    in_service = applications_in_service(portfolio)
    by_vendor: dict[str, list[str]] = defaultdict(list)
    specific = 0
    for app_id in in_service:
        vendor = inventory.vendor_of(app_id)
        if vendor is None:
            specific += 1
        else:
            by_vendor[vendor].append(app_id)

    summaries = []
    closed_total = 0
    for vendor_id, applications in by_vendor.items():
        closed = sum(1 for app in applications if is_closed(inventory.api_openness(app)))
        closed_total += closed
        costs = [inventory.applications[app].annual_cost for app in applications]
        summaries.append(
            VendorSummary(
                vendor=vendor_id,
                api=inventory.vendors[vendor_id].api,
                applications=tuple(sorted(applications)),
                communes=tuple(
                    sorted({c for app in applications for c in communes_using(portfolio, app)})
                ),
                annual_cost=sum(cost for cost in costs if cost is not None),
                without_cost=sum(1 for cost in costs if cost is None),
                blocks=tuple(
                    sorted({b for app in applications for b in inventory.applications[app].blocks})
                ),
                closed_applications=closed,
            )
        )
    summaries.sort(key=lambda item: (-len(item.applications), item.vendor))

    single: list[SingleVendorBlock] = []
    active = set(in_service)
    for block_id in portfolio.leaf_blocks():
        applications = [app for app in portfolio.applications_of_block(block_id) if app in active]
        vendors = {inventory.vendor_of(app) or "" for app in applications}
        if applications and len(vendors) == 1 and "" not in vendors:
            (only,) = vendors
            single.append(
                SingleVendorBlock(block_id, only, tuple(applications), inventory.vendors[only].api)
            )

    suite_products: dict[tuple[str, str], list[str]] = defaultdict(list)
    for product in inventory.products.values():
        if product.suite is not None:
            suite_products[(product.vendor, product.suite)].append(product.id)
    suites = []
    for (vendor_id, suite_id), products in sorted(suite_products.items()):
        members = set(products)
        applications = [app for app in in_service if inventory.applications[app].product in members]
        suites.append(
            Suite(
                vendor=vendor_id,
                suite=suite_id,
                products=tuple(sorted(products)),
                applications=tuple(applications),
                communes=tuple(
                    sorted({c for app in applications for c in communes_using(portfolio, app)})
                ),
            )
        )
    return VendorReport(
        vendors=tuple(summaries),
        applications_with_product=len(in_service) - specific,
        specific_applications=specific,
        closed_applications=closed_total,
        single_vendor_blocks=tuple(single),
        suites=tuple(suites),
    )

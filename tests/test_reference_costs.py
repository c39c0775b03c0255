"""The reference métropole's money (DESIGN.md §9–10): a DSI of 260 agents and 45 M€ that the
inventory reconciles with, within what ``couts.yaml`` documents as outside the inventory;
costs by product and size of commune; the keys the issue names."""

from __future__ import annotations

import statistics
from functools import cache
from pathlib import Path

from cartographie.analysis.costs import CostModel, reconcile
from cartographie.graph import Portfolio
from cartographie.inventory import load_inventory

WORKBOOKS = ("microsoft-excel", "microsoft-access")
REFERENCE = Path(__file__).resolve().parents[1] / "inventory"


@cache
def model() -> CostModel:
    return CostModel(Portfolio(load_inventory(REFERENCE)))


def test_the_dsi_is_the_field_study_s() -> None:
    department = model().parameters.it_department
    assert department is not None
    assert (department.budget, department.agents) == (45_000_000, 260)


def test_the_inventory_reconciles_with_the_budget_and_the_staff() -> None:
    found = reconcile(model())
    assert found is not None
    # What the inventory and the documented items explain leaves less than 2 % of the budget
    # and of the staff: about what the applications whose amount or days are unknown add.
    assert 0 <= found.gap < 0.02 * found.budget
    assert 0 <= found.days_gap < 0.02 * found.staff_days
    # The applications themselves are a real part of it, not a rounding error.
    assert found.paid_out.cents > 0.1 * found.budget
    assert found.internal_days > 0.25 * found.staff_days
    # Some amounts and days are unknown, as in a real inventory — but few.
    applications = len(model().in_scope)
    assert 0 < found.paid_out.unknown < 0.15 * applications
    assert 0 < found.without_days < 0.15 * applications


def test_unknown_full_costs_are_few_but_there() -> None:
    total = model().total()
    assert 0 < total.unknown < 0.06 * len(model().in_scope)


def test_costs_follow_the_size_of_the_commune() -> None:
    inventory = model().portfolio.inventory
    by_size: dict[str, list[int]] = {}
    sizes = {"aurelle": "centre", "saint-jean-de-veze": "grande", "lauzac": "petite"}
    for commune, size in sizes.items():
        by_size[size] = [
            cost
            for app_id in model().by_owner[commune]
            if (cost := model().cost(app_id)) is not None
            and inventory.applications[app_id].product is not None
            and inventory.applications[app_id].product not in WORKBOOKS
        ]
    medians = {size: statistics.median(costs) for size, costs in by_size.items()}
    assert medians["centre"] > medians["grande"] > medians["petite"]


def test_keys_and_overheads_of_the_domains() -> None:
    domains = model().portfolio.inventory.domains
    assert domains["finances"].allocation_key is not None
    assert domains["finances"].allocation_key.weights() == {"population": 1.0}
    assert domains["ressources-humaines"].allocation_key.weights() == {"agents": 1.0}  # type: ignore[union-attr]
    assert domains["relation-usagers"].allocation_key.weights() == {"usage": 1.0}  # type: ignore[union-attr]
    assert len(domains["socle-numerique"].allocation_key.weights()) > 1  # type: ignore[union-attr]
    assert all(domain.overhead for domain in domains.values())


def test_every_commune_has_its_staff() -> None:
    communes = model().portfolio.inventory.communes
    for commune in communes.values():
        assert commune.agents is not None and commune.population is not None
        # Between 10 and 25 agents per 1,000 inhabitants.
        assert 10 <= commune.agents * 1000 / commune.population <= 25, commune.id

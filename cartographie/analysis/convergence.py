"""Convergence of blocs and mutualisation of communes — the definitions of DESIGN.md §7.

Convergence of a bloc b: with N_b the (commune, application) use pairs of b and A_b the distinct
applications among them, ``taux = 1 - (A_b - 1) / (N_b - 1)``, and 1 when N_b ≤ 1. It is 0 when
every commune has its own application, 1 when all share one.

Mutualisation of a commune: the share of its use pairs whose application is shared (used by two
communes or more, or owned by the métropole).

Only communes count: the métropole's own use of an application is not a use pair, and the
applications of outside bodies never are. A retired application (``cycle_de_vie: retiree``) is
history, not a use: it makes no use pair, so retiring the last duplicate raises the rate.

These functions are shared by the POS map, the reports
and the diagnostic, so that a figure means the same everywhere.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from cartographie.graph import Portfolio


@dataclass(frozen=True)
class BlockConvergence:
    """The convergence figures of one bloc fonctionnel."""

    block: str
    use_pairs: int  # N_b
    applications: int  # A_b
    communes: tuple[str, ...]
    rate: float  # taux de convergence, in [0, 1]


@dataclass(frozen=True)
class CommuneMutualisation:
    commune: str
    use_pairs: int
    shared_pairs: int
    rate: float  # taux de mutualisation, in [0, 1]


def convergence_rate(use_pairs: int, applications: int) -> float:
    """``1 - (A - 1) / (N - 1)``; 1 when there is at most one use pair."""
    if use_pairs <= 1:
        return 1.0
    return 1.0 - (applications - 1) / (use_pairs - 1)


def block_convergence(portfolio: Portfolio, block_id: str) -> BlockConvergence:
    pairs = portfolio.use_pairs(block_id)
    applications = {pair.application for pair in pairs}
    communes = tuple(sorted({pair.commune for pair in pairs}))
    return BlockConvergence(
        block=block_id,
        use_pairs=len(pairs),
        applications=len(applications),
        communes=communes,
        rate=convergence_rate(len(pairs), len(applications)),
    )


def all_block_convergence(portfolio: Portfolio) -> dict[str, BlockConvergence]:
    """Convergence of every bloc fonctionnel (level ``bloc``), by bloc id."""
    return {
        block_id: block_convergence(portfolio, block_id) for block_id in portfolio.leaf_blocks()
    }


def commune_mutualisation(portfolio: Portfolio, commune_id: str) -> CommuneMutualisation:
    """Share of the applications the commune uses (retired ones aside) that are shared."""
    inventory = portfolio.inventory
    used = [
        app_id
        for app_id in portfolio.applications_of_commune(commune_id)
        if inventory.applications[app_id].lifecycle != "retiree"
    ]
    shared = sum(1 for app_id in used if inventory.is_shared(app_id))
    return CommuneMutualisation(
        commune=commune_id,
        use_pairs=len(used),
        shared_pairs=shared,
        rate=shared / len(used) if used else 0.0,
    )


def dominant_product(portfolio: Portfolio, block_id: str) -> str | None:
    """The product most used pairs of the bloc run (ties broken by product id)."""
    counts: Counter[str] = Counter()
    for pair in portfolio.use_pairs(block_id):
        product = portfolio.inventory.applications[pair.application].product
        if product is not None:
            counts[product] += 1
    if not counts:
        return None
    return min(counts, key=lambda product: (-counts[product], product))

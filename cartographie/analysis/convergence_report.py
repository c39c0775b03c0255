"""The convergence report's figures: bloc details, commune totals, the bloc × commune matrix.

Builds on :mod:`cartographie.analysis.convergence` (the rates of DESIGN.md §7) and adds what the
committee reads beside each rate:

- per bloc: the distinct products and vendors behind its use pairs, the applications without a
  product (specific developments, counted apart: they have no vendor), the dominant product, the
  bloc's **shared application** — among the bloc's applications that are shared (used by two
  communes or more, or owned by the métropole), the one used by the most communes of the bloc,
  ties broken by id — and the communes **outside it**: communes with a use pair in the bloc that
  do not use it (they run another application for the same function);
- the **matrix** bloc × commune: which applications each commune uses in each bloc. Its cells are
  the bloc's use pairs, so a row holds N_b pairs over A_b distinct applications — the same
  figures as the bloc's line of the convergence table.

Retired applications make no use pair (see ``Portfolio.use_pairs``), here as there.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from cartographie.analysis.common import suggest
from cartographie.analysis.convergence import (
    CommuneMutualisation,
    commune_mutualisation,
    convergence_rate,
)
from cartographie.errors import UnknownNameError
from cartographie.graph import Portfolio
from cartographie.graph.portfolio import UsePair

CellStatus = Literal["partagee", "propre", "plusieurs", "aucune"]


@dataclass(frozen=True)
class BlockConvergenceDetail:
    block: str
    zone: str
    communes: tuple[str, ...]
    use_pairs: int  # N_b
    applications: tuple[str, ...]  # the A_b distinct applications
    rate: float
    products: tuple[str, ...]
    vendors: tuple[str, ...]
    specific_applications: tuple[str, ...]  # without a product
    dominant_product: str | None
    shared_application: str | None
    outside_communes: tuple[str, ...]


@dataclass(frozen=True)
class MutualisationTotals:
    """The communes' mutualisation added up: sums of their pairs, and the overall rate."""

    use_pairs: int
    shared_pairs: int
    rate: float


@dataclass(frozen=True)
class OverallConvergence:
    """The blocs' convergence pooled into one figure for the métropole.

    ``rate = Σ (N_b − A_b) / Σ (N_b − 1)`` over the blocs with N_b ≥ 2: the mean of the blocs'
    rates weighted by N_b − 1 (each rate is (N_b − A_b)/(N_b − 1)); 1 when no bloc has two pairs.
    """

    blocks: int  # blocs counted (N_b ≥ 2)
    use_pairs: int  # Σ N_b over them
    applications: int  # Σ A_b over them
    rate: float


@dataclass(frozen=True)
class MatrixCell:
    block: str
    commune: str
    applications: tuple[str, ...]
    status: CellStatus


@dataclass(frozen=True)
class ConvergenceMatrix:
    blocks: tuple[str, ...]
    communes: tuple[str, ...]
    cells: dict[tuple[str, str], MatrixCell]  # (bloc, commune) -> cell

    def cell(self, block_id: str, commune_id: str) -> MatrixCell:
        return self.cells[(block_id, commune_id)]


@dataclass(frozen=True)
class ConvergenceReport:
    zone: str | None
    blocks: tuple[BlockConvergenceDetail, ...]
    communes: tuple[CommuneMutualisation, ...]
    totals: MutualisationTotals
    overall: OverallConvergence
    matrix: ConvergenceMatrix


def blocks_in_scope(portfolio: Portfolio, zone: str | None) -> list[str]:
    """The blocs fonctionnels under a zone (or quartier), or all of them."""
    leaves = portfolio.leaf_blocks()
    if zone is None:
        return leaves
    inventory = portfolio.inventory
    if zone not in inventory.blocks:
        raise UnknownNameError(f"zone inconnue : {zone}", suggest(zone, portfolio.zones(), "zones"))
    under = set(portfolio.blocks_under(zone))
    return [block_id for block_id in leaves if block_id in under]


def block_detail(portfolio: Portfolio, block_id: str) -> BlockConvergenceDetail:
    inventory = portfolio.inventory
    pairs = portfolio.use_pairs(block_id)
    return _detail(portfolio, block_id, pairs, inventory.zone_of(block_id))


def _detail(
    portfolio: Portfolio, block_id: str, pairs: list[UsePair], zone: str
) -> BlockConvergenceDetail:
    inventory = portfolio.inventory
    applications = sorted({pair.application for pair in pairs})
    communes = tuple(sorted({pair.commune for pair in pairs}))
    product_pairs: Counter[str] = Counter()
    for pair in pairs:
        product = inventory.applications[pair.application].product
        if product is not None:
            product_pairs[product] += 1
    products = sorted(product_pairs)
    vendors = sorted({inventory.products[product].vendor for product in products})
    specific = tuple(app for app in applications if inventory.applications[app].product is None)
    dominant = min(product_pairs, key=lambda p: (-product_pairs[p], p)) if product_pairs else None
    communes_of: dict[str, set[str]] = {}
    for pair in pairs:
        communes_of.setdefault(pair.application, set()).add(pair.commune)
    shared = [app for app in applications if inventory.is_shared(app)]
    shared_app = min(shared, key=lambda app: (-len(communes_of[app]), app)) if shared else None
    outside: tuple[str, ...] = ()
    if shared_app is not None:
        outside = tuple(commune for commune in communes if commune not in communes_of[shared_app])
    return BlockConvergenceDetail(
        block=block_id,
        zone=zone,
        communes=communes,
        use_pairs=len(pairs),
        applications=tuple(applications),
        rate=convergence_rate(len(pairs), len(applications)),
        products=tuple(products),
        vendors=tuple(vendors),
        specific_applications=specific,
        dominant_product=dominant,
        shared_application=shared_app,
        outside_communes=outside,
    )


def overall_convergence(details: Iterable[BlockConvergenceDetail]) -> OverallConvergence:
    counted = [item for item in details if item.use_pairs >= 2]
    pairs = sum(item.use_pairs for item in counted)
    applications = sum(len(item.applications) for item in counted)
    denominator = pairs - len(counted)
    return OverallConvergence(
        blocks=len(counted),
        use_pairs=pairs,
        applications=applications,
        rate=(pairs - applications) / denominator if denominator else 1.0,
    )


def mutualisation_totals(communes: Iterable[CommuneMutualisation]) -> MutualisationTotals:
    items = list(communes)
    use_pairs = sum(item.use_pairs for item in items)
    shared_pairs = sum(item.shared_pairs for item in items)
    return MutualisationTotals(
        use_pairs=use_pairs,
        shared_pairs=shared_pairs,
        rate=shared_pairs / use_pairs if use_pairs else 0.0,
    )


def convergence_matrix(portfolio: Portfolio, blocks: list[str]) -> ConvergenceMatrix:
    """Which applications each commune uses in each bloc (its use pairs), with a status."""
    inventory = portfolio.inventory
    communes = tuple(portfolio.communes())
    cells: dict[tuple[str, str], MatrixCell] = {}
    for block_id in blocks:
        by_commune: dict[str, list[str]] = {commune: [] for commune in communes}
        for pair in portfolio.use_pairs(block_id):
            by_commune[pair.commune].append(pair.application)
        for commune, applications in by_commune.items():
            status: CellStatus
            if not applications:
                status = "aucune"
            elif len(applications) > 1:
                status = "plusieurs"
            elif inventory.is_shared(applications[0]):
                status = "partagee"
            else:
                status = "propre"
            cells[(block_id, commune)] = MatrixCell(
                block_id, commune, tuple(sorted(applications)), status
            )
    return ConvergenceMatrix(blocks=tuple(blocks), communes=communes, cells=cells)


def convergence_report(portfolio: Portfolio, zone: str | None = None) -> ConvergenceReport:
    """Every figure of ``rapport convergence``: blocs (of a zone), communes, the matrix."""
    blocks = blocks_in_scope(portfolio, zone)
    details = tuple(block_detail(portfolio, block_id) for block_id in blocks)
    communes = tuple(commune_mutualisation(portfolio, commune) for commune in portfolio.communes())
    return ConvergenceReport(
        zone=zone,
        blocks=details,
        communes=communes,
        totals=mutualisation_totals(communes),
        overall=overall_convergence(details),
        matrix=convergence_matrix(portfolio, blocks),
    )

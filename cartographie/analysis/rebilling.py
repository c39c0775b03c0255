"""Re-invoicing the mutualised domains (refacturation, DESIGN.md §10): who pays what, to the cent.

For year Y, the analysis reads the portfolio **at Y** (``as_of`` on 1 January of Y, built by the
caller): its applications are those in service in Y, its communes' adhesions those that run in
Y (``depuis ≤ Y``, not left). Then, for each domain d:

- **C_d,Y** = the parts of the domain applications (the métropole's applications in its blocs,
  in service in Y; one serving two domains splits its cost, see ``analysis.costs``) plus the
  domain's overhead (``frais``);
- **participants**: the communes whose adhesion to d runs in Y;
- **weights** per basis of the key: ``population``, ``agents`` (commune fields), ``usage`` (the
  commune's use pairs on the domain applications), ``forfait`` (1 each). A mix weights the
  *normalised* shares: ``share_c = C × Σ_k α_k · w_k,c / Σ_c' w_k,c'`` with the α_k made
  relative (they add up to 1);
- **shares** are exact fractions of a cent, rounded to the cent by largest remainder (ties to
  the smaller commune id): they add up to C_d,Y exactly.

A domain that cannot be re-invoiced keeps its cost at the métropole, and says why: no
participant yet, no key declared, a weight unknown (a participant without ``population`` or
``agents``), or a basis no participant has (nobody uses the domain's applications). Costs
unknown in C_d,Y are counted apart: the shares are those of the known part.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Literal

from cartographie.analysis.allocation import exact_shares, round_shares
from cartographie.analysis.costs import CostModel, CostSum, DomainCost
from cartographie.graph import Portfolio
from cartographie.model.asof import as_of_year
from cartographie.model.dates import DateValue, year_start
from cartographie.model.records import AllocationBasis, AllocationKey, Commune

RebillingStatus = Literal["refacture", "sans-participant", "sans-cle", "poids-inconnu", "cle-vide"]


@dataclass(frozen=True)
class RebillingLine:
    """One participant of a domain: its weights, its exact share and its share in cents."""

    commune: str
    since: DateValue
    weights: tuple[tuple[AllocationBasis, int | None], ...]  # raw units, per basis of the key
    key_share: Fraction  # Σ_k α_k · w_k,c / W_k, in [0, 1]
    exact: Fraction  # C × key_share, in cents
    cents: int  # rounded: the lines add up to C exactly


@dataclass(frozen=True)
class DomainRebilling:
    domain: str
    year: int
    cost: DomainCost
    key: AllocationKey | None
    alphas: tuple[tuple[AllocationBasis, Fraction], ...]  # relative weights of the key
    totals: tuple[tuple[AllocationBasis, int], ...]  # W_k: Σ of each basis over participants
    lines: tuple[RebillingLine, ...]
    status: RebillingStatus
    missing: tuple[tuple[str, AllocationBasis], ...] = ()  # (commune, basis) unknown
    empty: tuple[AllocationBasis, ...] = ()  # bases every participant has 0 of

    @property
    def total(self) -> CostSum:
        return self.cost.total

    @property
    def billed(self) -> int:
        """Cents re-invoiced to the communes (all of C_d,Y's known part, or nothing)."""
        return sum(line.cents for line in self.lines)

    @property
    def kept(self) -> int:
        """Cents left with the métropole."""
        return self.total.cents - self.billed

    def share_of(self, commune_id: str) -> RebillingLine | None:
        return next((line for line in self.lines if line.commune == commune_id), None)


@dataclass(frozen=True)
class Rebilling:
    year: int
    domains: tuple[DomainRebilling, ...]

    def commune_total(self, commune_id: str) -> CostSum:
        """What the commune is re-invoiced in the year, every domain together; the unknowns are
        those of the domains it pays a share of."""
        total = CostSum()
        for domain in self.domains:
            line = domain.share_of(commune_id)
            if line is not None:
                total = total + CostSum(line.cents, domain.total.unknown)
        return total

    @property
    def billed(self) -> CostSum:
        total = CostSum()
        for domain in self.domains:
            if domain.lines:
                total = total + CostSum(domain.billed, domain.total.unknown)
        return total


def relative_weights(key: AllocationKey) -> tuple[tuple[AllocationBasis, Fraction], ...]:
    """α_k made relative: each weight over their sum, exactly (0.3 is 3/10, not a float)."""
    weights = {basis: Fraction(repr(weight)) for basis, weight in key.weights().items()}
    total = sum(weights.values(), Fraction(0))
    return tuple((basis, weight / total) for basis, weight in weights.items())


def _weight(commune: Commune, basis: AllocationBasis, usage: dict[str, int]) -> int | None:
    if basis == "population":
        return commune.population
    if basis == "agents":
        return commune.agents
    if basis == "usage":
        return usage.get(commune.id, 0)
    return 1


def year_model(model: CostModel, year: int) -> CostModel:
    """The cost model of the portfolio at 1 January of ``year`` (DESIGN.md §10–11): its
    applications in service in Y, its adhesions running in Y. ``model`` is the inventory as
    written, or already at that day (returned as it is)."""
    inventory = model.portfolio.inventory
    if inventory.moment is not None:
        if inventory.moment != year_start(year):
            raise ValueError(f"portfolio at {inventory.moment}, not on 1 January {year}")
        return model
    return CostModel(Portfolio(as_of_year(inventory, year)))


def rebill_domain(model: CostModel, domain_id: str, year: int) -> DomainRebilling:
    """Domain ``domain_id``'s cost in ``year`` and every participant's share (``model`` is the
    portfolio at that year)."""
    inventory = model.portfolio.inventory
    domain = inventory.domains[domain_id]
    cost = model.domain_costs[domain_id]
    # The communes whose adhesion runs at the portfolio's date: depuis ≤ D < jusqu_a.
    participants = [
        (commune, since)
        for commune in inventory.communes.values()
        for domain, since in model.portfolio.current_adhesions(commune.id).items()
        if domain == domain_id
    ]
    participants.sort(key=lambda pair: pair[0].id)
    key = domain.allocation_key
    if key is None:
        return DomainRebilling(domain_id, year, cost, None, (), (), (), "sans-cle")
    alphas = relative_weights(key)
    if not participants:
        return DomainRebilling(
            domain_id, year, cost, key, alphas, (), (), "sans-participant"
        )
    users = inventory.users
    usage: dict[str, int] = {}
    for share in cost.applications:
        for user in users.get(share.application, ()):
            usage[user] = usage.get(user, 0) + 1
    raw = {
        commune.id: {basis: _weight(commune, basis, usage) for basis, _alpha in alphas}
        for commune, _since in participants
    }
    missing = tuple(
        (commune_id, basis)
        for commune_id, weights in raw.items()
        for basis, value in weights.items()
        if value is None
    )
    totals = tuple(
        (basis, sum(weights[basis] or 0 for weights in raw.values())) for basis, _alpha in alphas
    )
    empty = tuple(basis for basis, total in totals if total == 0)
    if missing or empty:
        status: RebillingStatus = "poids-inconnu" if missing else "cle-vide"
        return DomainRebilling(
            domain_id, year, cost, key, alphas, totals, (), status, missing, empty
        )
    sums = dict(totals)
    key_shares = {
        commune_id: sum(
            (alpha * Fraction(weights[basis] or 0, sums[basis]) for basis, alpha in alphas),
            Fraction(0),
        )
        for commune_id, weights in raw.items()
    }
    total = cost.total.cents
    exact = exact_shares(total, key_shares)
    rounded = round_shares(total, exact)
    lines = tuple(
        RebillingLine(
            commune=commune.id,
            since=since,
            weights=tuple(raw[commune.id].items()),
            key_share=key_shares[commune.id],
            exact=exact[commune.id],
            cents=rounded[commune.id],
        )
        for commune, since in participants
    )
    return DomainRebilling(domain_id, year, cost, key, alphas, totals, lines, "refacture")


def rebilling(model: CostModel, year: int, domains: list[str] | None = None) -> Rebilling:
    """Every domain's re-invoicing in ``year`` (or only ``domains``), by domain id."""
    chosen = domains if domains is not None else list(model.portfolio.inventory.domains)
    return Rebilling(year, tuple(rebill_domain(model, domain_id, year) for domain_id in chosen))

"""What the portfolio costs (DESIGN.md §10): full costs, sums that know their unknowns, the
costs by owner, bloc, domain and vendor, and the reconciliation with the DSI's budget.

- **Full annual cost** of an application: ``cout_annuel + jours_internes × tjm``. Amounts are
  integer **cents** everywhere in the analyses: ``cout_annuel`` is in whole euros, the days in
  hundredths (the model refuses more decimals), the rate in whole euros, so every cost is exact
  and a sum never drifts. An application with neither field has an **unknown** cost: a
  :class:`CostSum` adds the known ones and counts the unknown ones apart, never as 0.
- **In scope**: the applications in service (not retired, not an outside body's), as in every
  report; at a date, the portfolio of that date.
- **Domain applications**: the métropole's applications attached to a domain's blocs (or below
  them). One serving the blocs of several domains splits its cost equally between them, to the
  cent: the largest remainder goes first, ties to the smaller domain id, so the parts add up to
  the application's cost exactly.
- **Budget reconciliation**: the declared budget against Σ ``cout_annuel`` + Σ ``frais`` + what
  ``couts.yaml`` documents as outside the inventory; the declared staff (agents ×
  ``jours_par_agent``) against Σ ``jours_internes`` + the days documented outside. The gap left
  is shown, with the applications whose amount or days are not known.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property

from cartographie.analysis.allocation import largest_remainder
from cartographie.analysis.common import applications_in_service, is_in_service
from cartographie.errors import CartographieError
from cartographie.graph import Portfolio
from cartographie.model.asof import domains_of_applications
from cartographie.model.records import Application, CostParameters


class MissingCostParametersError(CartographieError):
    """A cost figure was asked of an inventory without ``referentiel/couts.yaml``."""

    code = "C001"

    def __init__(self) -> None:
        super().__init__(
            "aucun paramètre de coût dans l'inventaire (section « couts »)",
            "créez referentiel/couts.yaml avec « couts: » : tjm, cout_interface, cout_operation "
            "(voir docs/inventaire.md, « Les coûts »)",
        )


@dataclass(frozen=True)
class CostSum:
    """A sum of costs in cents, with the number of unknown costs it could not add."""

    cents: int = 0
    unknown: int = 0

    def plus(self, cents: int | None) -> CostSum:
        if cents is None:
            return CostSum(self.cents, self.unknown + 1)
        return CostSum(self.cents + cents, self.unknown)

    def __add__(self, other: CostSum) -> CostSum:
        return CostSum(self.cents + other.cents, self.unknown + other.unknown)

    def __sub__(self, other: CostSum) -> CostSum:
        """What is left once ``other`` is taken away; its unknowns stay unknowns."""
        return CostSum(self.cents - other.cents, self.unknown + other.unknown)

    @property
    def complete(self) -> bool:
        return self.unknown == 0

    @classmethod
    def of(cls, costs: Iterable[int | None]) -> CostSum:
        cents = unknown = 0
        for cost in costs:
            if cost is None:
                unknown += 1
            else:
                cents += cost
        return cls(cents, unknown)


def cents_to_euros(cents: int) -> int | float:
    """An amount in euros: whole euros as an ``int``, else a ``float`` to the cent."""
    return cents // 100 if cents % 100 == 0 else round(cents / 100, 2)


def cost_parameters(portfolio: Portfolio) -> CostParameters:
    """The inventory's cost parameters, or :class:`MissingCostParametersError`."""
    parameters = portfolio.inventory.costs
    if parameters is None:
        raise MissingCostParametersError()
    return parameters


def full_cost(application: Application, parameters: CostParameters) -> int | None:
    """``cout_annuel + jours_internes × tjm`` in cents; ``None`` when neither is known."""
    hundredths = application.internal_hundredths
    if application.annual_cost is None and hundredths is None:
        return None
    paid = (application.annual_cost or 0) * 100
    # hundredths of a day × euros a day = cents.
    return paid + (hundredths or 0) * parameters.daily_rate


@dataclass(frozen=True)
class DomainShare:
    """A domain application's part in one domain (its cost split between its domains)."""

    application: str
    domains: tuple[str, ...]  # every domain it serves
    cents: int | None  # its part here; None when its cost is unknown


@dataclass(frozen=True)
class DomainCost:
    domain: str
    applications: tuple[DomainShare, ...]
    overhead: int  # frais, in cents (0 when not declared)
    overhead_declared: bool

    @property
    def applications_cost(self) -> CostSum:
        return CostSum.of(share.cents for share in self.applications)

    @property
    def total(self) -> CostSum:
        """C_d: the applications' parts plus the overhead."""
        return self.applications_cost.plus(self.overhead)


class CostModel:
    """The full cost of every application in scope, and the groupings reports ask for."""

    def __init__(self, portfolio: Portfolio) -> None:
        self.portfolio = portfolio
        self.parameters = cost_parameters(portfolio)
        inventory = portfolio.inventory
        self.in_scope: list[str] = applications_in_service(portfolio)
        self.costs: dict[str, int | None] = {
            app_id: full_cost(inventory.applications[app_id], self.parameters)
            for app_id in self.in_scope
        }

    @classmethod
    def changed(
        cls,
        like: CostModel,
        portfolio: Portfolio,
        applications: Collection[str],
        domains_of: Mapping[str, list[str]] | None = None,
    ) -> CostModel:
        """The cost model of ``portfolio``, whose applications and owners are ``like``'s, the
        records of ``applications`` aside: only their costs are computed again.
        ``domains_of``: ``domains_of_applications`` of an inventory with the same
        applications in the same blocs and owners (of which ``portfolio`` keeps some)."""
        model = cls.__new__(cls)
        model.portfolio = portfolio
        model.parameters = cost_parameters(portfolio)
        inventory = portfolio.inventory
        scope = set(like.in_scope)
        for app_id in applications:
            if app_id in inventory.applications and is_in_service(portfolio, app_id):
                scope.add(app_id)
            else:
                scope.discard(app_id)
        model.in_scope = (
            like.in_scope
            if len(scope) == len(like.in_scope) and scope.issuperset(like.in_scope)
            else [app_id for app_id in inventory.applications if app_id in scope]
        )
        costs = {app_id: like.costs.get(app_id) for app_id in model.in_scope}
        costs.update(
            (app_id, full_cost(inventory.applications[app_id], model.parameters))
            for app_id in applications
            if app_id in scope
        )
        model.costs = costs
        if domains_of is not None:
            model.__dict__["domains_of_application"] = {
                app_id: tuple(domains) for app_id, domains in domains_of.items() if app_id in scope
            }
        return model

    def cost(self, application_id: str) -> int | None:
        return self.costs.get(application_id)

    def total(self, applications: Iterable[str] | None = None) -> CostSum:
        ids = self.in_scope if applications is None else applications
        return CostSum.of(self.costs.get(app_id) for app_id in ids)

    # --- by owner -------------------------------------------------------------------------

    @cached_property
    def by_owner(self) -> dict[str, list[str]]:
        """Owner (commune or métropole) -> its applications in scope, sorted."""
        owners = self.portfolio.inventory.owners
        found: dict[str, list[str]] = {}
        for app_id in self.in_scope:
            found.setdefault(owners[app_id], []).append(app_id)
        return found

    def owned(self, organisation_id: str) -> CostSum:
        return self.total(self.by_owner.get(organisation_id, []))

    # --- by vendor ------------------------------------------------------------------------

    @cached_property
    def by_vendor(self) -> dict[str | None, list[str]]:
        """Vendor id (``None``: no product, a specific development) -> applications."""
        inventory = self.portfolio.inventory
        found: dict[str | None, list[str]] = {}
        for app_id in self.in_scope:
            found.setdefault(inventory.vendor_of(app_id), []).append(app_id)
        return found

    # --- by domain ------------------------------------------------------------------------

    @cached_property
    def domains_of_application(self) -> dict[str, tuple[str, ...]]:
        """Métropole application in scope -> the domains whose blocs it serves (sorted)."""
        in_scope = set(self.costs)
        return {
            app_id: tuple(domains)
            for app_id, domains in domains_of_applications(self.portfolio.inventory).items()
            if app_id in in_scope
        }

    @cached_property
    def domain_costs(self) -> dict[str, DomainCost]:
        """Every domain's applications (their parts) and overhead."""
        inventory = self.portfolio.inventory
        parts: dict[str, list[DomainShare]] = {domain_id: [] for domain_id in inventory.domains}
        for app_id, domains in self.domains_of_application.items():
            cost = self.costs[app_id]
            split = (
                largest_remainder(cost, {domain: Fraction(1) for domain in domains})
                if cost is not None
                else dict.fromkeys(domains)
            )
            for domain in domains:
                parts[domain].append(DomainShare(app_id, domains, split[domain]))
        return {
            domain_id: DomainCost(
                domain=domain_id,
                applications=tuple(parts[domain_id]),
                overhead=(domain.overhead or 0) * 100,
                overhead_declared=domain.overhead is not None,
            )
            for domain_id, domain in inventory.domains.items()
        }


# --- budget reconciliation -----------------------------------------------------------------


@dataclass(frozen=True)
class OutsideLine:
    name: str
    cents: int | None
    days_hundredths: int | None


@dataclass(frozen=True)
class Reconciliation:
    """The declared DSI against what the inventory accounts for (DESIGN.md §10)."""

    budget: int  # cents
    agents: int
    days_per_agent: int
    paid_out: CostSum  # Σ cout_annuel; unknown: applications without cout_annuel
    overheads: int  # Σ frais, cents
    outside: tuple[OutsideLine, ...]
    internal_days: int  # Σ jours_internes, hundredths of a day
    without_days: int  # applications without jours_internes

    @property
    def outside_amount(self) -> int:
        return sum(line.cents or 0 for line in self.outside)

    @property
    def outside_days(self) -> int:
        return sum(line.days_hundredths or 0 for line in self.outside)

    @property
    def accounted(self) -> int:
        return self.paid_out.cents + self.overheads + self.outside_amount

    @property
    def gap(self) -> int:
        """Budget not accounted for (cents); negative when the inventory says more."""
        return self.budget - self.accounted

    @property
    def staff_days(self) -> int:
        """Declared staff in hundredths of a day: agents × jours_par_agent."""
        return self.agents * self.days_per_agent * 100

    @property
    def accounted_days(self) -> int:
        return self.internal_days + self.outside_days

    @property
    def days_gap(self) -> int:
        return self.staff_days - self.accounted_days


def reconcile(model: CostModel) -> Reconciliation | None:
    """The reconciliation, or ``None`` when ``couts.yaml`` declares no DSI."""
    parameters = model.parameters
    department = parameters.it_department
    if department is None:
        return None
    applications = [model.portfolio.inventory.applications[a] for a in model.in_scope]
    paid = CostSum.of(
        None if application.annual_cost is None else application.annual_cost * 100
        for application in applications
    )
    days = [application.internal_hundredths for application in applications]
    return Reconciliation(
        budget=department.budget * 100,
        agents=department.agents,
        days_per_agent=parameters.days_per_agent,
        paid_out=paid,
        overheads=sum(cost.overhead for cost in model.domain_costs.values()),
        outside=tuple(
            OutsideLine(
                item.name,
                None if item.amount is None else item.amount * 100,
                None if item.days is None else item.days * 100,
            )
            for item in department.outside
        ),
        internal_days=sum(day for day in days if day is not None),
        without_days=sum(1 for day in days if day is None),
    )

"""Simulating a scenario (DESIGN.md §10): the portfolio before and after its operations.

The scenario is evaluated at the year Y of its last operation. *Before* is the portfolio at 1
January of Y (``as_of``); *after* is the same for the inventory with the operations written in
— the very text edits ``simuler --appliquer`` writes (:mod:`cartographie.inventory.edit`),
validated like any inventory, only the edited files parsed again. Nothing is written: the edits
stay in memory. So applying the scenario, then running a report at Y, gives the figures of the
*after* state, by construction. The dossiers, which simulate one join per domain a commune has
not joined, apply the operations to the loaded records instead (:func:`simulate_in_memory`,
:mod:`cartographie.inventory.apply`): the same *after* state (``tests/test_scenario_apply.py``),
without reading a file or checking the whole inventory again.

For each state: convergence of every bloc and of the métropole, mutualisation of every commune,
costs (what each commune owns and is re-invoiced), the refacturation of year Y. Beside them:
the applications the scenario retires (with what they cost), the flows that must be redone
(those of a retired application, with their ``file:line``), and the délégations and chantiers
the operations touch.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from functools import cached_property

from cartographie.analysis.convergence import CommuneMutualisation, commune_mutualisation
from cartographie.analysis.convergence_report import (
    BlockConvergenceDetail,
    MutualisationTotals,
    OverallConvergence,
    block_detail,
    mutualisation_totals,
    overall_convergence,
)
from cartographie.analysis.costs import CostModel, CostSum, cost_parameters, full_cost
from cartographie.analysis.rebilling import Rebilling, rebill_domain, rebilling
from cartographie.errors import Location, Problem
from cartographie.graph import Portfolio
from cartographie.inventory.apply import apply_in_memory
from cartographie.inventory.edit import scenario_edits
from cartographie.inventory.loader import FileMemo, check_inventory
from cartographie.inventory.scenario import ScenarioError, check_scenario
from cartographie.model.asof import (
    as_of_changed,
    as_of_year,
    domains_of_applications,
    flow_positions,
)
from cartographie.model.inventory import Inventory
from cartographie.model.records import Flow
from cartographie.model.scenario import Scenario


class ScenarioState:
    """The portfolio at the scenario's year, and every figure the simulation compares."""

    def __init__(self, inventory: Inventory, year: int) -> None:
        self.year = year
        self.portfolio = Portfolio(as_of_year(inventory, year))
        self.costs = CostModel(self.portfolio)
        # A state made from another (:meth:`changed`): that state, and what differs from it.
        self._like: ScenarioState | None = None
        self._applications: set[str] = set()
        self._communes: set[str] = set()

    @classmethod
    def changed(
        cls,
        like: ScenarioState,
        original: Inventory,
        inventory: Inventory,
        applications: Collection[str],
        communes: Collection[str],
        domains_of: dict[str, list[str]] | None = None,
    ) -> ScenarioState:
        """The state of ``inventory``, which differs from ``original`` (whose state is
        ``like``) only in the records and users of ``applications`` and the adhesions of
        ``communes``: a figure those do not reach (a bloc, a commune, a domain) is ``like``'s,
        the others are computed (the same figures as a state made whole:
        ``tests/test_scenario_apply.py``)."""
        made = as_of_changed(
            original,
            like.portfolio.inventory,
            inventory,
            applications,
            communes,
            like.flow_positions,
            domains_of,
        )
        if made is None:
            return cls(inventory, like.year)
        at, changed = made
        state = cls.__new__(cls)
        state.year = like.year
        # The same applications in the same blocs: the blocs' memberships are like's.
        state.portfolio = Portfolio(at, same_blocks=like.portfolio)
        state.costs = CostModel.changed(like.costs, state.portfolio, changed, domains_of)
        state._like = like
        state._applications = changed
        state._communes = set(communes)
        return state

    @cached_property
    def flow_positions(self) -> dict[str, list[int]]:
        """Application -> the positions of its flows at the year."""
        return flow_positions(self.portfolio.inventory)

    @cached_property
    def _reached_domains(self) -> set[str]:
        """The domains whose cost, participants or weights the changes may reach."""
        assert self._like is not None
        found: set[str] = set()
        for state in (self, self._like):
            domains = state.costs.domains_of_application
            for app_id in self._applications:
                found.update(domains.get(app_id, ()))
        # The domains a commune joined or left (an adhesion added, or its end set).
        before, after = self._like.portfolio.inventory, self.portfolio.inventory
        for commune in self._communes:
            found.update(
                item.domain
                for item in {*before.communes[commune].mutualisations}
                ^ {*after.communes[commune].mutualisations}
            )
        return found

    @cached_property
    def blocks(self) -> dict[str, BlockConvergenceDetail]:
        like = self._like
        return {
            # The blocs' applications are the same in both (no application comes or goes).
            block_id: like.blocks[block_id]
            if like is not None
            and self._applications.isdisjoint(like.portfolio.applications_of_block(block_id))
            else block_detail(self.portfolio, block_id)
            for block_id in self.portfolio.leaf_blocks()
        }

    @cached_property
    def overall(self) -> OverallConvergence:
        return overall_convergence(self.blocks.values())

    @cached_property
    def communes(self) -> dict[str, CommuneMutualisation]:
        like = self._like
        reached: set[str] = set(self._communes)
        if like is not None:
            # A commune's figure reads which applications it uses, and whether each is retired
            # or shared: it changes where an application gains or loses it as a user, or
            # changes for all of its users.
            before, after = like.portfolio.inventory, self.portfolio.inventory
            for app_id in self._applications:
                was, now = set(before.users[app_id]), set(after.users[app_id])
                reached.update(was ^ now)
                if before.applications[app_id].lifecycle != after.applications[
                    app_id
                ].lifecycle or before.is_shared(app_id) != after.is_shared(app_id):
                    reached.update(was | now)
        return {
            commune: like.communes[commune]
            if like is not None and commune not in reached
            else commune_mutualisation(self.portfolio, commune)
            for commune in self.portfolio.communes()
        }

    @cached_property
    def mutualisation(self) -> MutualisationTotals:
        return mutualisation_totals(self.communes.values())

    @cached_property
    def rebilling(self) -> Rebilling:
        like = self._like
        if like is None:
            return rebilling(self.costs, self.year)
        reached = self._reached_domains
        return Rebilling(
            self.year,
            tuple(
                rebill_domain(self.costs, domain.domain, self.year)
                if domain.domain in reached
                else domain
                for domain in like.rebilling.domains
            ),
        )

    def owned(self, organisation_id: str) -> CostSum:
        """What an organisation owns; the métropole with the domains' overheads."""
        owned = self.costs.owned(organisation_id)
        if organisation_id == self.portfolio.inventory.metropole.id:
            overheads = sum(cost.overhead for cost in self.costs.domain_costs.values())
            owned = owned.plus(overheads)
        return owned

    def billed(self, organisation_id: str) -> CostSum:
        """What a commune is re-invoiced; for the métropole, minus what it re-invoices."""
        if organisation_id == self.portfolio.inventory.metropole.id:
            billed = self.rebilling.billed
            return CostSum(-billed.cents, billed.unknown)
        return self.rebilling.commune_total(organisation_id)


@dataclass(frozen=True)
class RetiredApplication:
    application: str
    owner: str
    replaced_by: str | None
    year: int
    cost: int | None  # its full cost today, cents


@dataclass(frozen=True)
class Simulation:
    scenario: Scenario
    year: int
    before: ScenarioState
    after: ScenarioState
    after_inventory: Inventory
    edits: dict[str, bytes]  # relative path -> the file's new bytes (none: made in memory)
    retired: tuple[RetiredApplication, ...]
    flows_to_redo: tuple[Flow, ...]
    delegations: tuple[str, ...]
    programmes: tuple[str, ...]
    touched_applications: tuple[str, ...]


def _after_inventory(
    inventory: Inventory, contents: Mapping[str, bytes], edits: dict[str, bytes], memo: FileMemo
) -> Inventory:
    result = check_inventory(inventory.root, {**contents, **edits}, memo=memo)
    if result.errors or result.inventory is None:
        # The operations make the inventory invalid: say where, in the edited text.
        problems = [
            Problem(
                problem.code,
                problem.location,
                f"après les opérations du scénario : {problem.message}",
                problem.hint,
            )
            for problem in result.errors
        ]
        raise ScenarioError(problems or [Problem("C102", Location("."), "inventaire illisible")])
    return result.inventory


def touched(
    scenario: Scenario, inventory: Inventory, domains_of: Mapping[str, list[str]] | None = None
) -> tuple[str, ...]:
    """Applications the operations touch: retired, replacements, shared, and the domain
    applications of the domains joined or left (``domains_of``: the inventory's
    ``domains_of_applications``, when known)."""
    found: set[str] = set()
    if domains_of is None:
        domains_of = domains_of_applications(inventory)
    for operation in scenario.operations:
        if operation.retire is not None:
            found.add(operation.retire.application)
            if operation.retire.replaced_by is not None:
                found.add(operation.retire.replaced_by)
        elif operation.share is not None:
            found.add(operation.share.application)
        else:
            adhesion = operation.join or operation.leave
            assert adhesion is not None
            found.update(app for app, domains in domains_of.items() if adhesion.domain in domains)
    return tuple(sorted(found))


def simulate(
    scenario: Scenario,
    inventory: Inventory,
    contents: Mapping[str, bytes],
    *,
    today: dt.date,
    memo: FileMemo | None = None,
    before: ScenarioState | None = None,
) -> Simulation:
    """The scenario on a copy of the inventory given as its files' bytes (``contents``, what
    ``inventory`` was read from); ``today`` decides whether a retirement is past
    (``retiree``) or planned (``a-retirer``). ``before``: the state of ``inventory`` at the
    scenario's year, when already computed (several scenarios of one year share it)."""
    check_scenario(scenario, inventory)
    edits, problems = scenario_edits(scenario, inventory, contents, today)
    if problems:
        raise ScenarioError(problems)
    after_inventory = _after_inventory(inventory, contents, edits, memo if memo is not None else {})
    return _simulation(scenario, inventory, after_inventory, edits, before)


def simulate_in_memory(
    scenario: Scenario,
    inventory: Inventory,
    *,
    today: dt.date,
    before: ScenarioState | None = None,
    domains_of: dict[str, list[str]] | None = None,
) -> Simulation | None:
    """The same simulation with the operations applied to the records
    (:mod:`cartographie.inventory.apply`: the same *after* state, without reading or checking
    any file), writing nothing (``edits`` empty); ``None`` when only the text edits can tell
    whether the inventory stays valid (call :func:`simulate`). ``domains_of``: the
    inventory's ``domains_of_applications``, when known (several simulations share it)."""
    if domains_of is None:
        domains_of = domains_of_applications(inventory)
    check_scenario(scenario, inventory, domains_of)
    after_inventory = apply_in_memory(scenario, inventory, today, domains_of)
    if after_inventory is None:
        return None
    if before is None or before.year != scenario.year:
        before = ScenarioState(inventory, scenario.year)
    # The records the operations changed (the others are the very same objects).
    applications = {
        app_id
        for app_id, application in after_inventory.applications.items()
        if application is not inventory.applications[app_id]
        or after_inventory.users[app_id] is not inventory.users[app_id]
    }
    communes = {
        commune_id
        for commune_id, commune in after_inventory.communes.items()
        if commune is not inventory.communes[commune_id]
    }
    after = ScenarioState.changed(
        before, inventory, after_inventory, applications, communes, domains_of
    )
    return _simulation(scenario, inventory, after_inventory, {}, before, after, domains_of)


def _simulation(
    scenario: Scenario,
    inventory: Inventory,
    after_inventory: Inventory,
    edits: dict[str, bytes],
    before: ScenarioState | None,
    after: ScenarioState | None = None,
    domains_of: dict[str, list[str]] | None = None,
) -> Simulation:
    year = scenario.year
    if before is None or before.year != year:
        before = ScenarioState(inventory, year)
    if after is None:
        after = ScenarioState(after_inventory, year)
    parameters = cost_parameters(before.portfolio)
    retired = tuple(
        RetiredApplication(
            operation.retire.application,
            inventory.owners[operation.retire.application],
            operation.retire.replaced_by,
            operation.retire.year,
            full_cost(inventory.applications[operation.retire.application], parameters),
        )
        for operation in scenario.operations
        if operation.retire is not None
    )
    gone = {item.application for item in retired}
    flows = before.portfolio.inventory.flows
    redo = tuple(
        flows[position]
        for position in sorted(
            {position for app_id in gone for position in before.flow_positions.get(app_id, ())}
        )
    )
    applications = touched(scenario, inventory, domains_of)
    delegations = sorted(
        {
            delegation
            for app in applications
            if (delegation := inventory.applications[app].delegation) is not None
        }
    )
    programmes = sorted(
        programme.id
        for programme in inventory.programmes.values()
        if programme.target in applications or set(programme.retires) & set(applications)
    )
    return Simulation(
        scenario=scenario,
        year=year,
        before=before,
        after=after,
        after_inventory=after_inventory,
        edits=edits,
        retired=retired,
        flows_to_redo=redo,
        delegations=tuple(delegations),
        programmes=tuple(programmes),
        touched_applications=applications,
    )

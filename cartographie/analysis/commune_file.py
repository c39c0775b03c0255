"""The figures of a commune's file (dossier de commune, DESIGN.md §10): what the comité
numérique communal reads before its yearly choice.

For one commune, at a reference date: the domains it has joined and since when; its
applications per layer; its mutualisation against the métropole's; the blocs where it stays
outside the shared application; for every domain it has not joined, **what joining would
change** — a scenario simulated like ``simuler`` (it joins next year and its own applications in
the domain's blocs are retired for the domain's shared application); the contracts and
délégations ending; its CNIL and RGPD findings; the quality of its data; its costs and what it
pays in refacturation.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cached_property

from cartographie.analysis.cnil import CnilReport, LeavingFlow, SiloCrossing, cnil_report
from cartographie.analysis.common import suggest
from cartographie.analysis.convergence import CommuneMutualisation
from cartographie.analysis.convergence_report import BlockConvergenceDetail
from cartographie.analysis.costs import CostSum
from cartographie.analysis.delegations import ContractSummary, delegation_report
from cartographie.analysis.quality import OwnerQuality, quality_report
from cartographie.analysis.rebilling import DomainRebilling
from cartographie.analysis.scenario import (
    ScenarioState,
    Simulation,
    simulate,
    simulate_in_memory,
)
from cartographie.errors import UnknownNameError
from cartographie.graph import Portfolio
from cartographie.inventory.edit import shared_domain_applications
from cartographie.inventory.loader import FileMemo
from cartographie.model.asof import domains_of_applications
from cartographie.model.records import Mutualisation
from cartographie.model.scenario import Scenario, ScenarioFile


@dataclass(frozen=True)
class JoinOption:
    """What joining a domain would change for the commune, simulated."""

    domain: str
    retired: tuple[tuple[str, str], ...]  # (own application, the shared one replacing it)
    simulation: Simulation


@dataclass(frozen=True)
class CommuneFile:
    commune: str
    reference_date: dt.date
    year: int  # the refacturation year and the state the file describes (1 January)
    adhesions: tuple[Mutualisation, ...]
    applications: tuple[str, ...]  # in service, used by the commune
    mutualisation: CommuneMutualisation
    metropole_rate: float  # all communes together
    outside_blocks: tuple[BlockConvergenceDetail, ...]
    options: tuple[JoinOption, ...]
    contracts: tuple[ContractSummary, ...]  # ending within the horizon
    crossings: tuple[SiloCrossing, ...]
    leaving: tuple[LeavingFlow, ...]
    quality: OwnerQuality
    owned: CostSum
    rebilling: tuple[DomainRebilling, ...]  # the domains it pays a share of
    state: ScenarioState


def _own_applications_to_retire(
    state: ScenarioState, commune: str, domain: str, domains_of: dict[str, list[str]]
) -> list[tuple[str, str]]:
    """The commune's own applications in the domain's blocs, and the domain's shared
    application of the same bloc that would replace each (``domains_of``: the
    ``domains_of_applications`` of the inventory the state is made from)."""
    inventory = state.portfolio.inventory
    shared = shared_domain_applications(inventory, domain, domains_of)
    blocks_of = {app: set(inventory.applications[app].blocks) for app in shared}
    covered = {
        below
        for block in inventory.domains[domain].blocks
        for below in inventory.blocks_under(block)
    }
    found = []
    for app_id in state.portfolio.applications_of_commune(commune):
        application = inventory.applications[app_id]
        if inventory.owners[app_id] != commune or not covered & set(application.blocks):
            continue
        if application.retired_in is not None:
            continue  # its retirement is already planned
        candidates = [other for other in shared if blocks_of[other] & set(application.blocks)]
        if not candidates:
            continue
        replacement = min(
            candidates,
            key=lambda other: (
                -sum(1 for user in inventory.users[other] if user in inventory.communes),
                other,
            ),
        )
        found.append((app_id, replacement))
    return found


def join_scenario(
    commune: str, domain: str, year: int, retired: list[tuple[str, str]], name: str
) -> Scenario:
    """The scenario « the commune joins the domain in ``year`` » (and drops its own
    applications for the shared ones), as if written in a file."""
    operations: list[dict[str, object]] = [
        {"rejoindre": {"commune": commune, "domaine": domain, "annee": year}}
    ]
    operations += [
        {"retirer": {"application": own, "remplacee_par": shared, "annee": year}}
        for own, shared in retired
    ]
    record = ScenarioFile.model_validate({"nom": name, "operations": operations})
    return Scenario(f"dossier de {commune}", record, [0] * len(operations))


class CommuneFiles:
    """The files of the communes of one inventory at one date: what they share (the states of
    the portfolio, the quality, délégations and CNIL analyses, the parsed files) is computed
    once for all of them."""

    def __init__(
        self,
        portfolio: Portfolio,
        *,
        reference_date: dt.date,
        contents: Mapping[str, bytes] | None = None,
        memo: FileMemo | None = None,
        load: Callable[[], tuple[Mapping[str, bytes], FileMemo]] | None = None,
        months: int = 24,
    ) -> None:
        """``contents`` (and ``memo``): the bytes the inventory was read from, or ``load`` to
        read them if a simulation needs its text edits (see :meth:`file`)."""
        if contents is None and load is None:
            raise ValueError("contents or load")
        self.portfolio = portfolio
        self.reference_date = reference_date
        self._contents = contents
        self.memo: FileMemo = memo if memo is not None else {}
        self._load = load
        self.months = months
        self._states: dict[int, ScenarioState] = {}

    @property
    def contents(self) -> Mapping[str, bytes]:
        if self._contents is None:
            assert self._load is not None
            self._contents, self.memo = self._load()
        return self._contents

    def state(self, year: int) -> ScenarioState:
        if year not in self._states:
            self._states[year] = ScenarioState(self.portfolio.inventory, year)
        return self._states[year]

    @cached_property
    def domains_of(self) -> dict[str, list[str]]:
        return domains_of_applications(self.portfolio.inventory)

    @cached_property
    def quality(self) -> dict[str, OwnerQuality]:
        report = quality_report(self.portfolio, self.reference_date)
        return {owner.owner: owner for owner in report.owners}

    @cached_property
    def contracts(self) -> tuple[ContractSummary, ...]:
        report = delegation_report(self.portfolio, self.reference_date, self.months)
        return tuple(c for c in report.contracts if c.status in ("echeance", "echu"))

    @cached_property
    def cnil(self) -> CnilReport:
        return cnil_report(self.state(self.reference_date.year).portfolio)

    def file(self, commune: str) -> CommuneFile:
        """The commune's file (:class:`UnknownNameError` for an unknown commune)."""
        inventory = self.portfolio.inventory
        if commune not in inventory.communes:
            raise UnknownNameError(
                f"commune inconnue : {commune}",
                suggest(commune, list(inventory.communes), "communes"),
            )
        year = self.reference_date.year
        state, next_state = self.state(year), self.state(year + 1)
        # Domains it belongs to at the date, or has planned to join (an adhesion still open
        # in the inventory): joining them is no option.
        joined = set(state.portfolio.current_adhesions(commune)) | {
            item.domain for item in inventory.communes[commune].mutualisations if item.until is None
        }
        served = {domain for domains in self.domains_of.values() for domain in domains}
        options = []
        for domain in inventory.domains:
            if domain in joined or domain not in served:
                continue
            retired = _own_applications_to_retire(state, commune, domain, self.domains_of)
            name = (
                f"{inventory.communes[commune].name} rejoint le domaine « {domain} » en {year + 1}"
            )
            scenario = join_scenario(commune, domain, year + 1, retired, name)
            # On the records (the same after state as the text edits, without reading the
            # files or checking the inventory again), unless only the edits can tell.
            simulation = simulate_in_memory(
                scenario,
                inventory,
                today=self.reference_date,
                before=next_state,
                domains_of=self.domains_of,
            ) or simulate(
                scenario,
                inventory,
                self.contents,
                today=self.reference_date,
                memo=self.memo,
                before=next_state,
            )
            options.append(JoinOption(domain, tuple(retired), simulation))
        # In service at the date: what as_of keeps as retired (a past application still
        # named by a flow) is neither counted nor listed.
        present = state.portfolio.inventory.applications
        used = {
            app_id
            for app_id in state.portfolio.applications_of_commune(commune)
            if present[app_id].lifecycle != "retiree"
        }
        owners = state.portfolio.inventory.owners
        return CommuneFile(
            commune=commune,
            reference_date=self.reference_date,
            year=year,
            adhesions=tuple(inventory.communes[commune].mutualisations),
            applications=tuple(sorted(used)),
            mutualisation=state.communes[commune],
            metropole_rate=state.mutualisation.rate,
            outside_blocks=tuple(
                detail for detail in state.blocks.values() if commune in detail.outside_communes
            ),
            options=tuple(options),
            contracts=tuple(
                contract
                for contract in self.contracts
                if contract.authority == commune or used & set(contract.applications)
            ),
            # Its findings: the flows with one of its own applications at an end.
            crossings=tuple(
                crossing
                for crossing in self.cnil.crossings
                if commune in (owners[crossing.flow.source], owners[crossing.flow.target])
            ),
            leaving=tuple(item for item in self.cnil.leaving if item.flow.source in used),
            quality=self.quality[commune],
            # Today's costs (they have no history) of what it owns at the date.
            owned=state.costs.owned(commune),
            rebilling=tuple(
                domain for domain in state.rebilling.domains if domain.share_of(commune) is not None
            ),
            state=state,
        )

"""Délégations de service public: the applications private operators run, and their contracts.

A délégataire (transport, parking, water, waste) operates applications whose data the
collectivity owns but cannot easily get back. This module lists:

- the **applications operated by délégataires**: in service, and either attached to a contract
  (``delegation``) or hosted at the délégataire (``hebergement: delegataire``) — the latter
  without a contract is itself a finding;
- the **contracts**: délégataire, service, authority, dates, the data clause and whether it
  returns the data (``restitution_donnees``), the applications they cover, and their status at a
  reference date: ``echu`` (ended), ``echeance`` (ends within the given number of months),
  ``en-cours``; a contract that another one renews is history (``renouvele``).

The reference date is a parameter (the CLI's ``--date``, default today), so that the figures can
be checked and reproduced.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from cartographie.analysis.common import applications_in_service
from cartographie.graph import Portfolio
from cartographie.model.dates import DateValue, add_months, day_of, months_between

ContractStatus = Literal["echu", "echeance", "en-cours", "renouvele"]


@dataclass(frozen=True)
class DelegatedApplication:
    application: str
    owner: str
    delegation: str | None
    hosting: str
    governance: str


@dataclass(frozen=True)
class ContractSummary:
    delegation: str
    delegate: str
    service: str
    authority: str
    start: DateValue  # as written: a year or a full date
    end: DateValue
    data_clause: str | None
    data_returned: bool
    applications: tuple[str, ...]
    status: ContractStatus
    months_left: int  # whole months from the reference date to the end (negative once ended)
    amount: int | None = None  # euros over the whole contract, when the inventory says
    renews: str | None = None  # the contract it renews


@dataclass(frozen=True)
class DelegationReport:
    reference_date: dt.date
    months: int
    applications: tuple[DelegatedApplication, ...]
    contracts: tuple[ContractSummary, ...]

    @property
    def ending_soon(self) -> tuple[ContractSummary, ...]:
        return tuple(contract for contract in self.contracts if contract.status == "echeance")


def delegation_report(
    portfolio: Portfolio, reference_date: dt.date, months: int = 12
) -> DelegationReport:
    inventory = portfolio.inventory
    in_service = applications_in_service(portfolio)
    delegated = [
        DelegatedApplication(
            application=app_id,
            owner=inventory.owners[app_id],
            delegation=inventory.applications[app_id].delegation,
            hosting=inventory.applications[app_id].hosting,
            governance=inventory.applications[app_id].governance,
        )
        for app_id in in_service
        if inventory.applications[app_id].delegation is not None
        or inventory.applications[app_id].hosting == "delegataire"
    ]
    renewed = {d.renews for d in inventory.delegations.values() if d.renews is not None}
    horizon = add_months(reference_date, months)
    contracts = []
    for delegation in inventory.delegations.values():
        status: ContractStatus
        if delegation.id in renewed:
            status = "renouvele"
        elif day_of(delegation.end) < reference_date:
            status = "echu"
        elif day_of(delegation.end) <= horizon:
            status = "echeance"
        else:
            status = "en-cours"
        contracts.append(
            ContractSummary(
                delegation=delegation.id,
                delegate=delegation.delegate,
                service=delegation.service,
                authority=delegation.authority,
                start=delegation.start,
                end=delegation.end,
                data_clause=delegation.data_clause,
                data_returned=delegation.data_returned,
                applications=tuple(
                    item.application for item in delegated if item.delegation == delegation.id
                ),
                status=status,
                months_left=months_between(reference_date, day_of(delegation.end)),
                amount=delegation.amount,
                renews=delegation.renews,
            )
        )
    contracts.sort(key=lambda item: (day_of(item.end), item.delegation))
    return DelegationReport(reference_date, months, tuple(delegated), tuple(contracts))

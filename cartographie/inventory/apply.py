"""A scenario's operations applied to the loaded records: the inventory that ``simuler
--appliquer`` would leave, as the loader reads it back — without writing or reading any text.

The text edits (:mod:`cartographie.inventory.edit`) are the reference: what they write, read
again and checked like any inventory, is a scenario's *after* state (DESIGN.md §10). Making
them costs a reading of every file they touch and a check of the whole inventory; a commune's
dossier simulates one join per domain it has not joined (thirteen simulations for the reference
inventory's dossiers, several hundred at ×10), so it applies the same operations here, record
by record, as the loader would read the edited text:

- **rejoindre**: the commune's ``mutualisations`` gain ``{domaine, depuis}``; the commune joins
  the ``utilisateurs`` of the domain's shared applications (the owner written first where the
  record listed none, as the editor writes it);
- **quitter**: its last open adhesion to the domain gets ``jusqu_a``;
- **retirer**: ``retrait``, ``cycle_de_vie`` (``retiree`` when the year is past, else
  ``a-retirer``) and ``remplacee_par``; the replacement takes over its communes;
- **partager**: the communes join the application's ``utilisateurs``.

Only a check across records could refuse the edited inventory: a change such a check might
refuse — an adhesion ending before it starts, a retrait before the mise en service, a
replacement cycle, an application a chantier retires or targets, a partner's application
given users — is not applied here (``None``), and the caller makes and reads the text edits,
whose problems point at the edited ``file:line``. Nor can this module see a form the editor
refuses to write (a record on one ``{…}`` line): that is the text's business, and a dossier
shows the figures of the operations all the same. ``tests/test_scenario_apply.py`` checks, for
every operation kind and every dossier of the reference inventory, that the records are those
the text edits give once read again.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from typing import TypeVar

from cartographie.inventory.edit import shared_domain_applications
from cartographie.model.dates import day_of, year_start
from cartographie.model.inventory import Inventory
from cartographie.model.records import Application, Commune, Mutualisation
from cartographie.model.scenario import Operation, Scenario


_R = TypeVar("_R", Commune, Application, Mutualisation)


class _Unsure(Exception):  # noqa: N818 - control flow: the text edits decide
    """A change a cross-record check of the loader might refuse."""


class _Records:
    """The records the operations change, copied on write; users as the editor tracks them."""

    def __init__(
        self, inventory: Inventory, today: dt.date, domains_of: Mapping[str, list[str]] | None
    ) -> None:
        self.inventory = inventory
        self.today = today
        self.domains_of = domains_of
        self.communes: dict[str, Commune] = {}
        self.applications: dict[str, Application] = {}
        self.users: dict[str, tuple[str, ...]] = {}

    def commune(self, commune_id: str) -> Commune:
        return self.communes.get(commune_id) or self.inventory.communes[commune_id]

    def application(self, app_id: str) -> Application:
        return self.applications.get(app_id) or self.inventory.applications[app_id]

    def app_users(self, app_id: str) -> tuple[str, ...]:
        found = self.users.get(app_id)
        return found if found is not None else self.inventory.users.get(app_id, ())

    def set_commune(self, commune: Commune, **update: object) -> None:
        self.communes[commune.id] = _copy(commune, update)

    def set_application(self, application: Application, **update: object) -> None:
        self.applications[application.id] = _copy(application, update)

    def add_users(self, app_id: str, communes: list[str]) -> None:
        """As ``ScenarioEditor._add_users``: the new users appended to the record's list."""
        current = self.app_users(app_id)
        new = [commune for commune in sorted(set(communes)) if commune not in current]
        if not new:
            return
        application = self.application(app_id)
        if application.users is None:
            owner = self.inventory.owners[app_id]
            if owner in self.inventory.partners:
                raise _Unsure  # a partner written as a user is refused (E302)
            new = [owner, *new] if owner not in new else new
        listed = [*(application.users or []), *new]
        self.set_application(application, users=listed)
        self.users[app_id] = tuple(sorted(set(listed)))

    def apply(self, operation: Operation) -> None:
        inventory = self.inventory
        if operation.join is not None:
            commune = self.commune(operation.join.commune)
            joined = Mutualisation.model_validate(
                {"domaine": operation.join.domain, "depuis": operation.join.year}
            )
            self.set_commune(commune, mutualisations=[*commune.mutualisations, joined])
            for app_id in shared_domain_applications(
                inventory, operation.join.domain, self.domains_of
            ):
                self.add_users(app_id, [commune.id])
        elif operation.leave is not None:
            leave = operation.leave
            commune = self.commune(leave.commune)
            items = list(commune.mutualisations)
            position = max(
                index
                for index, item in enumerate(items)
                if item.domain == leave.domain and item.until is None
            )
            if year_start(leave.year) <= day_of(items[position].since):
                raise _Unsure  # E206: jusqu_a not after depuis
            items[position] = _copy(items[position], {"until": leave.year})
            self.set_commune(commune, mutualisations=items)
        elif operation.retire is not None:
            self._retire(operation)
        elif operation.share is not None:
            self.add_users(operation.share.application, list(operation.share.communes))

    def _retire(self, operation: Operation) -> None:
        retirement = operation.retire
        assert retirement is not None
        application = self.application(retirement.application)
        since = application.in_service_since
        if since is not None and year_start(retirement.year) < day_of(since):
            raise _Unsure  # E206: retrait before the mise en service
        if any(
            retirement.application in (programme.target, *programme.retires)
            for programme in self.inventory.programmes.values()
        ):
            raise _Unsure  # E311: a chantier's retirements keep to its dates
        update: dict[str, object] = {
            "retired_in": retirement.year,
            "lifecycle": "retiree" if year_start(retirement.year) <= self.today else "a-retirer",
        }
        if retirement.replaced_by is not None:
            update["replaced_by"] = retirement.replaced_by
        self.set_application(application, **update)
        if retirement.replaced_by is None:
            return
        if self._replacement_cycle(retirement.application):
            raise _Unsure  # E206 or E309: an application replacing itself, maybe through others
        communes = [
            user
            for user in self.app_users(retirement.application)
            if user in self.inventory.communes
        ]
        self.add_users(retirement.replaced_by, communes)

    def _replacement_cycle(self, app_id: str) -> bool:
        seen = {app_id}
        current = self.application(app_id).replaced_by
        while current is not None and current in self.inventory.applications:
            if current in seen:
                return True
            seen.add(current)
            current = self.application(current).replaced_by
        return False

    def inventory_after(self) -> Inventory:
        # Copied whole, then the changed entries replaced: keys and their order stay.
        communes = dict(self.inventory.communes)
        communes.update(self.communes)
        applications = dict(self.inventory.applications)
        applications.update(self.applications)
        users = dict(self.inventory.users)
        users.update(self.users)
        return dataclasses.replace(
            self.inventory, communes=communes, applications=applications, users=users
        )


def _copy(record: _R, update: dict[str, object]) -> _R:
    """The record with fields changed, where the loader placed the original."""
    copy = record.model_copy(update=update)
    copy.locate(record.origin)
    return copy


def apply_in_memory(
    scenario: Scenario,
    inventory: Inventory,
    today: dt.date,
    domains_of: Mapping[str, list[str]] | None = None,
) -> Inventory | None:
    """The inventory after the scenario's operations, as the text edits read again would give
    it; ``None`` when a check across records might refuse it (make the text edits then). The
    scenario is one ``check_scenario`` accepted; ``domains_of``: the inventory's
    ``domains_of_applications``, when known."""
    records = _Records(inventory, today, domains_of)
    try:
        for operation in scenario.operations:
            records.apply(operation)
    except _Unsure:
        return None
    return records.inventory_after()

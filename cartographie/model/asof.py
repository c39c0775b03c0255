"""The portfolio at a date (``as_of``): the inventory as it stood, or will stand, at a moment.

``as_of(inventory, D)`` returns a new :class:`Inventory`: the inventory as it would have been
written at D, under the rules of DESIGN.md §11 (dates compare through
:mod:`cartographie.model.dates`, a year standing for 1 January):

- **Applications**: *present* (in service) when ``mise_en_service ≤ D < retrait``, an unknown
  date counting as always begun or never ended. Presence follows the dates alone: ``cycle_de_vie``
  describes today, so a ``retiree`` application without ``retrait`` is absent at every date
  (``rapport qualite`` flags it). A present application's ``cycle_de_vie`` is read at D:
  ``retiree`` becomes ``production`` (it was running then), and so does a ``projet`` whose
  ``mise_en_service`` is reached (the target state shows it running); the others keep theirs.
  An application whose ``retrait`` is reached by D stays, as the inventory keeps retired
  applications, as history: ``cycle_de_vie: retiree`` (no use pair, off the maps by default,
  counted among the retired). One not yet in service at D is not there at all.
- **Use pairs**: a commune listed in ``utilisateurs`` (or added by a chantier's wave) uses the
  application from the start of its use (:func:`use_periods`): its chantier wave when a chantier
  targets the application and has the commune in a wave; else, for a *domain application* (owned
  by the métropole, in a bloc of a domain), its adhesion to that domain (``depuis``, until
  ``jusqu_a``); otherwise the application's ``mise_en_service``. The planned waves of chantiers
  thus apply in their year, even for a commune not yet in ``utilisateurs``.
- **Adhesions** stay as written, like chantiers: they are dated declarations (past, current,
  planned). Whether a commune has joined a domain is asked at a moment, the portfolio's
  reference date (``Portfolio.has_mutualised``: ``depuis ≤ D < jusqu_a``).
- **Flows**: there when the flow's ``depuis`` is reached (or unknown) and both ends (and the hub
  it goes through) are present — or retired by D and ``retiree`` in the inventory as written,
  which keeps such flows as history.
- **References stay resolved**: a process step's named applications, ``remplacee_par`` and a
  chantier's own references to absent applications are dropped from the copies, so that code
  downstream may still index ``inventory.applications[id]`` without checking.

Blocs, processes, the referential, délégations, chantiers and recorded diagnostics stay as they
are; costs have no history (a figure at a past date uses today's costs, and reports say so).
The result carries ``moment = D``. Records are shared with the original, copied only where a
field changes, so a date costs a fraction of a load. For an inventory whose dates agree with its
``cycle_de_vie`` today (nothing in service before its ``mise_en_service`` or after its
``retrait``, every ``retiree`` with a ``retrait``, no planned user listed yet), ``as_of`` today
gives the same figures as the inventory itself (``tests/test_timeline_properties.py``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Literal

from cartographie.model.dates import (
    DateValue,
    day_of,
    earliest,
    is_present,
    reached,
    year_start,
)
from cartographie.model.inventory import Inventory
from cartographie.model.records import Application, Flow, Process

UseOrigin = Literal["vague", "adhesion", "mise_en_service"]


@dataclass(frozen=True)
class UsePeriod:
    """When a commune (or the métropole) uses an application: ``start ≤ D < end``.

    ``origin`` says which date the start comes from: a chantier's wave (``vague``, with the
    chantier's id in ``programme``), the commune's adhesion to the domain (``adhesion``, with the
    domain), or the application's own ``mise_en_service`` (``None`` when unknown). ``end`` is the
    adhesion's ``jusqu_a``; the application's own ``retrait`` bounds every use anyway.
    """

    user: str
    application: str
    start: DateValue | None
    end: DateValue | None
    origin: UseOrigin
    programme: str | None = None
    domain: str | None = None


def is_application_present(application: Application, moment: dt.date) -> bool:
    """``mise_en_service ≤ D < retrait``; a ``retiree`` application without ``retrait`` never."""
    if application.lifecycle == "retiree" and application.retired_in is None:
        return False
    return is_present(application.in_service_since, application.retired_in, moment)


def present_applications(inventory: Inventory, moment: dt.date) -> list[str]:
    """The applications present at ``moment``, sorted by id."""
    return [
        app_id
        for app_id, application in inventory.applications.items()
        if is_application_present(application, moment)
    ]


def domains_of_applications(inventory: Inventory) -> dict[str, list[str]]:
    """Domain applications (DESIGN.md §10): application owned by the métropole -> the domains
    whose blocs cover one of its blocs (a domain naming a zone or quartier covers everything
    below it), sorted."""
    covering: dict[str, set[str]] = {}
    for domain in inventory.domains.values():
        for block_id in domain.blocks:
            for below in inventory.blocks_under(block_id):
                covering.setdefault(below, set()).add(domain.id)
    found: dict[str, list[str]] = {}
    for app_id, application in inventory.applications.items():
        if inventory.owners.get(app_id) != inventory.metropole.id:
            continue
        domains = {domain for block in application.blocks for domain in covering.get(block, ())}
        if domains:
            found[app_id] = sorted(domains)
    return found


def wave_years(inventory: Inventory) -> dict[str, dict[str, tuple[int, str]]]:
    """Target application -> commune -> (year of its earliest wave, chantier id)."""
    found: dict[str, dict[str, tuple[int, str]]] = {}
    for programme in inventory.programmes.values():
        if programme.target is None:
            continue
        communes = found.setdefault(programme.target, {})
        for wave in programme.waves:
            for commune in wave.communes:
                known = communes.get(commune)
                if known is None or (wave.year, programme.id) < known:
                    communes[commune] = (wave.year, programme.id)
    return found


class _UseRules:
    """What the start of a use depends on, read once: chantier waves, domain applications,
    adhesions. Most applications (a commune's own) have none of it: :meth:`plain`."""

    def __init__(self, inventory: Inventory, domains: dict[str, list[str]] | None = None) -> None:
        self.inventory = inventory
        self.waves = wave_years(inventory)
        self.domains = domains if domains is not None else domains_of_applications(inventory)
        self.adhesions = {
            commune.id: {item.domain: item for item in commune.mutualisations}
            for commune in inventory.communes.values()
        }

    def plain(self, app_id: str) -> bool:
        """Used by its listed users from its own start: no wave, no domain."""
        return app_id not in self.waves and app_id not in self.domains

    def periods(self, app_id: str) -> list[UsePeriod]:
        application = self.inventory.applications[app_id]
        listed = self.inventory.users.get(app_id, ())
        if self.plain(app_id):
            start = application.in_service_since
            return [UsePeriod(user, app_id, start, None, "mise_en_service") for user in listed]
        planned = self.waves.get(app_id, {})
        found = []
        for user in sorted({*listed, *planned}):
            joined = [
                self.adhesions[user][domain]
                for domain in self.domains.get(app_id, ())
                if domain in self.adhesions.get(user, {})
            ]
            adhesion = None
            if joined:
                first = earliest([item.since for item in joined])
                adhesion = min(
                    (item for item in joined if item.since == first), key=lambda item: item.domain
                )
            end = adhesion.until if adhesion is not None else None
            if user in planned:
                year, programme = planned[user]
                found.append(UsePeriod(user, app_id, year, end, "vague", programme=programme))
            elif adhesion is not None:
                found.append(
                    UsePeriod(user, app_id, adhesion.since, end, "adhesion", domain=adhesion.domain)
                )
            else:
                found.append(
                    UsePeriod(user, app_id, application.in_service_since, None, "mise_en_service")
                )
        return found

    def users_at(self, app_id: str, moment: dt.date) -> tuple[str, ...]:
        """Who uses the application (present at ``moment``) then."""
        if self.plain(app_id):
            return self.inventory.users.get(app_id, ())
        return tuple(
            period.user
            for period in self.periods(app_id)
            if is_present(period.start, period.end, moment)
        )


def use_periods(inventory: Inventory) -> list[UsePeriod]:
    """Every use of every application by a commune or the métropole, with when it starts and
    ends (DESIGN.md §11), sorted by application then user. The communes of a chantier's waves
    use its target application even when ``utilisateurs`` does not list them yet."""
    rules = _UseRules(inventory)
    return [period for app_id in inventory.applications for period in rules.periods(app_id)]


def users_at(
    inventory: Inventory,
    moment: dt.date,
    periods: list[UsePeriod] | None = None,
    present: set[str] | None = None,
) -> dict[str, tuple[str, ...]]:
    """Present application -> the organisations using it at ``moment``, sorted (``present``:
    the applications present then, when the caller knows them)."""
    if present is None:
        present = set(present_applications(inventory, moment))
    if periods is None:
        # The fast path of a date: a plain application present is used by its listed users.
        rules = _UseRules(inventory)
        found: dict[str, tuple[str, ...]] = {}
        for app_id in sorted(present):
            found[app_id] = rules.users_at(app_id, moment)
        return found
    using: dict[str, list[str]] = {app_id: [] for app_id in sorted(present)}
    for period in periods:
        if period.application not in present:
            continue
        # A use from the application's own start, without end, runs whenever it does.
        if period.origin == "mise_en_service" or is_present(period.start, period.end, moment):
            using[period.application].append(period.user)
    return {app_id: tuple(users) for app_id, users in using.items()}


def as_of(inventory: Inventory, moment: dt.date) -> Inventory:
    """The portfolio at ``moment``: see the module's docstring for the rules."""
    present: set[str] = set()
    history: set[str] = set()
    for app_id, application in inventory.applications.items():
        if reached(application.retired_in, moment):
            history.add(app_id)
        elif is_application_present(application, moment):
            present.add(app_id)
    kept = present | history
    applications = {
        app_id: _record_at(application, moment, kept, app_id in history)
        for app_id, application in inventory.applications.items()
        if app_id in kept
    }
    users = users_at(inventory, moment, present=present)
    users.update((app_id, inventory.users[app_id]) for app_id in history)
    # Flows to an application retired by D are history only where the inventory keeps them.
    ends = present | {
        app_id for app_id in history if inventory.applications[app_id].lifecycle == "retiree"
    }
    return dataclasses.replace(
        inventory,
        applications=applications,
        owners={app_id: inventory.owners[app_id] for app_id in applications},
        users=dict(sorted(users.items())),
        flows=[
            flow
            for flow in inventory.flows
            if flow.source in ends
            and flow.target in ends
            and (flow.via is None or flow.via in ends)
            and (flow.since is None or reached(flow.since, moment))
        ],
        processes={
            process_id: _process_at(process, kept)
            for process_id, process in inventory.processes.items()
        },
        moment=moment,
    )


def flow_positions(inventory: Inventory) -> dict[str, list[int]]:
    """Application -> the positions in ``inventory.flows`` of the flows it is an end of, or
    the hub of."""
    found: dict[str, list[int]] = {}
    for position, flow in enumerate(inventory.flows):
        for end in {flow.source, flow.target, flow.via}:
            if end is not None:
                found.setdefault(end, []).append(position)
    return found


def without_flows_of(
    flows: list[Flow], gone: Collection[str], positions: Mapping[str, list[int]]
) -> list[Flow]:
    """``flows`` without those of the applications ``gone`` (``positions``: their
    :func:`flow_positions`), in their order."""
    dropped = sorted({position for app_id in gone for position in positions.get(app_id, ())})
    kept: list[Flow] = []
    start = 0
    for position in dropped:
        kept.extend(flows[start:position])
        start = position + 1
    kept.extend(flows[start:])
    return kept


def as_of_changed(
    original: Inventory,
    base: Inventory,
    inventory: Inventory,
    applications: Collection[str],
    communes: Collection[str],
    base_flows: Mapping[str, list[int]] | None = None,
    domains_of: dict[str, list[str]] | None = None,
) -> tuple[Inventory, set[str]] | None:
    """``as_of(inventory, D)`` made from ``base = as_of(original, D)``, for an ``inventory``
    that differs from ``original`` only in the records and users of ``applications`` and the
    adhesions of ``communes`` (a scenario's operations): only what those reach is made again —
    those applications, and the users of the domain applications of the domains whose
    adhesions changed. Returns it with the applications whose record or users at D differ
    from ``base``; ``None`` when an application comes or goes at D, or one of its flows comes
    back (make it whole with :func:`as_of`). ``base_flows``: ``flow_positions(base)``, and
    ``domains_of``: ``domains_of_applications(inventory)``, when known."""
    moment = base.moment
    assert moment is not None
    kept = set(base.applications)
    history: set[str] = set()
    leaving: set[str] = set()
    for app_id in applications:
        before, after = original.applications[app_id], inventory.applications[app_id]
        retired = reached(after.retired_in, moment)
        if (retired or is_application_present(after, moment)) != (app_id in kept):
            return None
        if retired:
            history.add(app_id)
        if _flows_kept(before, moment) != _flows_kept(after, moment):
            if not _flows_kept(before, moment):
                return None
            leaving.add(app_id)
    domains = domains_of if domains_of is not None else domains_of_applications(inventory)
    moved: set[str] = set()
    for commune_id in communes:
        items = {
            (item.domain, item.since, item.until)
            for item in inventory.communes[commune_id].mutualisations
        }
        earlier = {
            (item.domain, item.since, item.until)
            for item in original.communes[commune_id].mutualisations
        }
        moved.update(domain for domain, _since, _until in items ^ earlier)
    reached_users = set(applications) | {
        app_id for app_id, app_domains in domains.items() if moved.intersection(app_domains)
    }
    records = dict(base.applications)
    for app_id in sorted(kept & set(applications)):
        records[app_id] = _record_at(
            inventory.applications[app_id], moment, kept, app_id in history
        )
    users = dict(base.users)
    rules = _UseRules(inventory, domains)
    for app_id in sorted(reached_users & kept):
        users[app_id] = (
            inventory.users.get(app_id, ())
            if reached(inventory.applications[app_id].retired_in, moment)
            else rules.users_at(app_id, moment)
        )
    changed = {
        app_id
        for app_id in reached_users & kept
        if records[app_id] != base.applications[app_id] or users[app_id] != base.users[app_id]
    }
    flows = base.flows
    if leaving:
        positions = base_flows if base_flows is not None else flow_positions(base)
        flows = without_flows_of(flows, leaving, positions)
    result = dataclasses.replace(
        inventory,
        applications=records,
        owners=base.owners,
        users=users,
        flows=flows,
        processes=base.processes,
        moment=moment,
    )
    return result, changed


def _flows_kept(application: Application, moment: dt.date) -> bool:
    """Whether as_of keeps the application's flows at ``moment`` (its ends being there)."""
    if reached(application.retired_in, moment):
        return application.lifecycle == "retiree"
    return is_application_present(application, moment)


def as_of_year(inventory: Inventory, year: int) -> Inventory:
    """The portfolio on 1 January of ``year`` (what a year stands for)."""
    return as_of(inventory, year_start(year))


def _record_at(
    application: Application, moment: dt.date, kept: set[str], retired: bool
) -> Application:
    """The application's record at ``moment`` (the record itself where nothing changes)."""
    if (
        retired
        or application.lifecycle in ("retiree", "projet")
        or (application.replaced_by is not None and application.replaced_by not in kept)
    ):
        return _application_at(application, moment, kept, retired)
    return application


def _application_at(
    application: Application, moment: dt.date, kept: set[str], retired: bool
) -> Application:
    update: dict[str, object] = {}
    if retired:
        if application.lifecycle != "retiree":
            update["lifecycle"] = "retiree"
    elif application.lifecycle == "retiree" or (
        application.lifecycle == "projet" and reached(application.in_service_since, moment)
    ):
        update["lifecycle"] = "production"
    if application.replaced_by is not None and application.replaced_by not in kept:
        update["replaced_by"] = None
    return application.model_copy(update=update) if update else application


def _process_at(process: Process, present: set[str]) -> Process:
    if all(app_id in present for step in process.steps for app_id in step.applications):
        return process
    steps = [
        step
        if all(app_id in present for app_id in step.applications)
        else step.model_copy(
            update={"applications": [app_id for app_id in step.applications if app_id in present]}
        )
        for step in process.steps
    ]
    return process.model_copy(update={"steps": steps})


def latest_date(inventory: Inventory) -> dt.date | None:
    """The latest date the inventory names (applications, adhesions, flows, products, chantiers
    and their waves): where a timeline naturally ends."""
    values: list[DateValue] = []
    for application in inventory.applications.values():
        values.extend(
            value
            for value in (application.in_service_since, application.retired_in)
            if value is not None
        )
    for commune in inventory.communes.values():
        for item in commune.mutualisations:
            values.append(item.since)
            if item.until is not None:
                values.append(item.until)
    values.extend(flow.since for flow in inventory.flows if flow.since is not None)
    values.extend(
        product.end_of_support
        for product in inventory.products.values()
        if product.end_of_support is not None
    )
    for programme in inventory.programmes.values():
        values.extend((programme.start, programme.end))
        values.extend(wave.year for wave in programme.waves)
    return max((day_of(value) for value in values), default=None)

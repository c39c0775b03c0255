"""Data quality of the inventory: completeness in three levels, reviews, orphan applications.

The levels follow the way the ANSSI guide *Cartographie du système d'information* and Mercator
(the open-source cartography tool built on that guide) grade each object: **niveau 1**, minimal
granularity, the information that is indispensable; **niveau 2**, intermediate granularity, the
important; **niveau 3**, fine granularity, the useful. The levels are cumulative, and a level's
share is the share of objects that carry every field it requires (Mercator's "maturité"). Mercator
asks of an application, at level 1, a description, a responsible, a type and users, and one
process; at level 2 the responsible entity and the security needs; at level 3 vendor, product
and version (CPE). In this inventory ``couche``, ``hebergement`` and ``utilisateurs`` are always
present (required or defaulted), and an application reaches a process through the blocs that
``processus.yaml`` names, so the levels ask, of each application in service:

- niveau 1: ``description``, ``responsable``, ``blocs`` (at least one);
- niveau 2: niveau 1, and ``cout_annuel``, ``mise_en_service``, a process that it serves,
  ``centre_de_donnees`` when ``hebergement: datacenter``, ``delegation`` when
  ``hebergement: delegataire``;
- niveau 3: niveau 2, and ``version`` and ``derniere_revue``.

Per owner (each commune and the métropole, so that the lines add up to the total): the count and
share of applications at each level, and a **score**, the mean of the three shares; per field,
the share of applications (to which the field applies) that carry it. Also: applications whose
``derniere_revue`` is older than a number of months before a reference date, applications
with no bloc, no process or no flow, and applications whose dates disagree with their
``cycle_de_vie`` at the reference date (DESIGN.md §11: with ``--date`` presence follows the
dates alone, so a disagreement makes the portfolio at a date differ from the one as written):
a ``retiree`` without ``retrait`` (absent at every date), a ``retrait`` passed while the cycle
says it still runs, a ``retiree`` whose ``retrait`` is to come, a ``mise_en_service`` to come
for an application that is not a ``projet``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from cartographie.analysis.common import (
    applications_in_flows,
    applications_in_processes,
    applications_in_service,
)
from cartographie.graph import Portfolio
from cartographie.model.dates import add_months, reached
from cartographie.model.records import Application


@dataclass(frozen=True)
class FieldCheck:
    """A field the levels look at: its YAML key, whether an application carries it, and
    whether it applies to that application at all."""

    key: str
    level: int
    present: Callable[[Application, bool], bool]  # (application, serves a process)
    applies: Callable[[Application], bool] = lambda application: True


FIELDS: tuple[FieldCheck, ...] = (
    FieldCheck("description", 1, lambda app, _p: bool(app.description)),
    FieldCheck("responsable", 1, lambda app, _p: bool(app.responsible)),
    FieldCheck("blocs", 1, lambda app, _p: bool(app.blocks)),
    FieldCheck("cout_annuel", 2, lambda app, _p: app.annual_cost is not None),
    FieldCheck("mise_en_service", 2, lambda app, _p: app.in_service_since is not None),
    FieldCheck("processus", 2, lambda _app, in_process: in_process),
    FieldCheck(
        "centre_de_donnees",
        2,
        lambda app, _p: app.datacenter is not None,
        lambda app: app.hosting == "datacenter",
    ),
    FieldCheck(
        "delegation",
        2,
        lambda app, _p: app.delegation is not None,
        lambda app: app.hosting == "delegataire",
    ),
    FieldCheck("version", 3, lambda app, _p: bool(app.version)),
    FieldCheck("derniere_revue", 3, lambda app, _p: app.last_review is not None),
)
LEVELS = (1, 2, 3)


@dataclass(frozen=True)
class ApplicationQuality:
    application: str
    owner: str
    level: int  # highest level reached, 0 if none
    missing: tuple[str, ...]  # fields missing, in FIELDS order
    last_review: dt.date | None
    has_block: bool
    in_process: bool
    has_flow: bool


@dataclass(frozen=True)
class OwnerQuality:
    owner: str
    applications: int
    at_level: tuple[int, int, int]  # applications reaching level 1, 2, 3
    fields: dict[str, tuple[int, int]]  # field -> (carrying it, to which it applies)
    stale_reviews: int
    never_reviewed: int

    def level_rate(self, level: int) -> float:
        return self.at_level[level - 1] / self.applications if self.applications else 0.0

    @property
    def score(self) -> float:
        return sum(self.level_rate(level) for level in LEVELS) / len(LEVELS)

    def field_rate(self, key: str) -> float | None:
        carrying, applicable = self.fields[key]
        return carrying / applicable if applicable else None


@dataclass(frozen=True)
class QualityReport:
    reference_date: dt.date
    months: int
    owners: tuple[OwnerQuality, ...]  # communes, then the métropole
    total: OwnerQuality
    applications: tuple[ApplicationQuality, ...]

    @property
    def stale(self) -> tuple[ApplicationQuality, ...]:
        limit = add_months(self.reference_date, -self.months)
        return tuple(
            item
            for item in self.applications
            if item.last_review is not None and item.last_review < limit
        )

    @property
    def orphans(self) -> tuple[ApplicationQuality, ...]:
        return tuple(
            item
            for item in self.applications
            if not (item.has_block and item.in_process and item.has_flow)
        )


@dataclass(frozen=True)
class DateDisagreement:
    application: str
    owner: str
    finding: str  # what disagrees, in French


def date_disagreements(
    portfolio: Portfolio, reference_date: dt.date
) -> tuple[DateDisagreement, ...]:
    """The portfolio's applications whose dates disagree with their ``cycle_de_vie`` at
    ``reference_date``, sorted by id."""
    inventory = portfolio.inventory
    found = []
    for app_id, application in inventory.applications.items():
        if inventory.is_external(app_id):
            continue
        retired = application.lifecycle == "retiree"
        gone = reached(application.retired_in, reference_date)
        finding = ""
        if retired and application.retired_in is None:
            finding = "retirée sans « retrait » : absente à toute date"
        elif retired and not gone:
            finding = "retirée, mais son « retrait » est à venir"
        elif not retired and gone:
            finding = "« retrait » passé, mais encore en service d'après son cycle de vie"
        elif (
            application.lifecycle != "projet"
            and application.in_service_since is not None
            and not reached(application.in_service_since, reference_date)
        ):
            finding = "« mise_en_service » à venir, mais le cycle de vie n'est pas « projet »"
        if finding:
            found.append(DateDisagreement(app_id, inventory.owners[app_id], finding))
    return tuple(found)


def grade(application: Application, in_process: bool) -> tuple[int, tuple[str, ...]]:
    """The highest level the application reaches, and the fields it lacks."""
    missing = tuple(
        check.key
        for check in FIELDS
        if check.applies(application) and not check.present(application, in_process)
    )
    lacking_levels = {check.level for check in FIELDS if check.key in missing}
    level = 0
    for candidate in LEVELS:
        if any(lacking <= candidate for lacking in lacking_levels):
            break
        level = candidate
    return level, missing


def _summarise(
    owner: str, items: list[ApplicationQuality], portfolio: Portfolio, limit: dt.date
) -> OwnerQuality:
    applications = portfolio.inventory.applications
    fields: dict[str, tuple[int, int]] = {}
    for check in FIELDS:
        applicable = [item for item in items if check.applies(applications[item.application])]
        carrying = sum(1 for item in applicable if check.key not in item.missing)
        fields[check.key] = (carrying, len(applicable))
    at_level = (
        sum(1 for item in items if item.level >= 1),
        sum(1 for item in items if item.level >= 2),
        sum(1 for item in items if item.level >= 3),
    )
    return OwnerQuality(
        owner=owner,
        applications=len(items),
        at_level=at_level,
        fields=fields,
        stale_reviews=sum(
            1 for item in items if item.last_review is not None and item.last_review < limit
        ),
        never_reviewed=sum(1 for item in items if item.last_review is None),
    )


def quality_report(
    portfolio: Portfolio, reference_date: dt.date, months: int = 12
) -> QualityReport:
    inventory = portfolio.inventory
    in_process = applications_in_processes(portfolio)
    in_flows = applications_in_flows(portfolio)
    items = []
    for app_id in applications_in_service(portfolio):
        application = inventory.applications[app_id]
        level, missing = grade(application, app_id in in_process)
        items.append(
            ApplicationQuality(
                application=app_id,
                owner=inventory.owners[app_id],
                level=level,
                missing=missing,
                last_review=application.last_review,
                has_block=bool(application.blocks),
                in_process=app_id in in_process,
                has_flow=app_id in in_flows,
            )
        )
    limit = add_months(reference_date, -months)
    owners = [*inventory.communes, inventory.metropole.id]
    by_owner: dict[str, list[ApplicationQuality]] = {owner: [] for owner in owners}
    for item in items:
        by_owner.setdefault(item.owner, []).append(item)
    summaries = tuple(_summarise(owner, by_owner[owner], portfolio, limit) for owner in owners)
    return QualityReport(
        reference_date=reference_date,
        months=months,
        owners=summaries,
        total=_summarise("total", items, portfolio, limit),
        applications=tuple(items),
    )

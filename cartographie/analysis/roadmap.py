"""The roadmap (feuille de route): what enters and leaves the portfolio, year by year.

Read from the inventory's dates (DESIGN.md §11, through :mod:`cartographie.model.dates` and
:mod:`cartographie.model.asof`), over a window of years ``[first_year, last_year]`` and for a
scope — the whole métropole, one commune, one bloc (and everything below it), one chantier:

- **movements**, each dated as the inventory writes it:

  - without a commune: an application *enters* at its ``mise_en_service`` and *leaves* at its
    ``retrait``; a chantier's *wave* brings its communes to the target application; a commune
    *joins* a domain at ``depuis`` and *leaves* it at ``jusqu_a``; a product's vendor *ends its
    support* (with the applications on it);
  - with a commune C: an application enters C's portfolio when C's use of it starts (its wave,
    its adhesion, or the application's ``mise_en_service``: ``asof.use_periods``) and leaves at
    the earlier of its ``retrait`` and the end of C's use; waves, adhesions and ends of support
    are C's;

- **chantiers** at the reference date R: ``a-venir`` (R < debut), ``en-cours``, ``termine``
  (R ≥ fin, nothing left) or ``en-retard`` (R ≥ fin, an application it retires still there).
  An application is still there at R when it is present at R by its dates, or when its
  ``retrait`` has passed *today* while its ``cycle_de_vie`` is not ``retiree`` (the inventory
  says it still runs: a date alone does not retire it);
- **ends of support** at R: products whose ``fin_de_support`` is reached (``depassee``) or within
  ``months`` (``proche``, default 24), with the applications on them present at R;
- **dispositions** (TIME) of the applications present at R, and the share without one.

Only the portfolio's own applications count (never an outside body's). Nothing here reads a
file or draws: ``reports.roadmap`` turns a :class:`Roadmap` into a document and a timeline.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import Literal

from cartographie.inventory.programmes import programme_domains
from cartographie.model.asof import (
    UsePeriod,
    is_application_present,
    latest_date,
    use_periods,
)
from cartographie.model.dates import (
    DateValue,
    add_months,
    day_of,
    earliest,
    is_present,
    latest,
    months_between,
    reached,
    year_start,
)
from cartographie.model.inventory import Inventory
from cartographie.model.records import Application, Programme
from cartographie.model.vocabulary import DISPOSITIONS

MovementKind = Literal["entree", "sortie", "vague", "adhesion", "depart", "fin-de-support"]
ProgrammeState = Literal["a-venir", "en-cours", "termine", "en-retard"]
SupportState = Literal["depassee", "proche"]
# The order movements of one day are listed in: what leaves, then what comes.
_KIND_ORDER: dict[str, int] = {
    "sortie": 0,
    "depart": 1,
    "fin-de-support": 2,
    "adhesion": 3,
    "vague": 4,
    "entree": 5,
}
DEFAULT_SUPPORT_MONTHS = 24


@dataclass(frozen=True)
class Scope:
    """What the roadmap looks at: everything, or one commune, bloc or chantier (combinable)."""

    commune: str | None = None
    block: str | None = None
    programme: str | None = None


@dataclass(frozen=True)
class Movement:
    date: DateValue  # as the inventory writes it
    kind: MovementKind
    application: str | None = None
    communes: tuple[str, ...] = ()
    programme: str | None = None
    domain: str | None = None
    product: str | None = None
    applications: tuple[str, ...] = ()  # on an ended product

    @property
    def day(self) -> dt.date:
        return day_of(self.date)

    def sort_key(self) -> tuple[dt.date, int, str, str, tuple[str, ...]]:
        return (
            self.day,
            _KIND_ORDER[self.kind],
            self.application or self.product or self.domain or "",
            self.programme or "",
            self.communes,
        )


@dataclass(frozen=True)
class ProgrammeStatus:
    programme: str
    start: DateValue
    end: DateValue
    target: str | None
    domains: tuple[str, ...]
    blocks: tuple[str, ...]
    waves: tuple[tuple[int, tuple[str, ...]], ...]
    retires: tuple[str, ...]
    remaining: tuple[str, ...]  # applications it retires still there at the reference date
    budget: int | None
    state: ProgrammeState


@dataclass(frozen=True)
class SupportEnd:
    product: str
    vendor: str
    end: DateValue
    state: SupportState
    months_left: int  # from the reference date (negative once passed)
    applications: tuple[str, ...]  # present at the reference date, in the scope
    communes: tuple[str, ...]


@dataclass(frozen=True)
class DispositionCount:
    disposition: str | None  # None: without one
    applications: int
    share: float


@dataclass(frozen=True)
class Roadmap:
    scope: Scope
    reference: dt.date  # R: the day states are read at (--date, else today)
    today: dt.date
    first_year: int
    last_year: int
    months: int
    movements: tuple[Movement, ...]
    programmes: tuple[ProgrammeStatus, ...]
    support_ends: tuple[SupportEnd, ...]
    dispositions: tuple[DispositionCount, ...]
    applications: tuple[str, ...]  # the applications in scope present at R
    concerned: frozenset[str] = frozenset()  # the applications in scope, whatever their dates

    @property
    def years(self) -> list[int]:
        return list(range(self.first_year, self.last_year + 1))


def default_window(
    inventory: Inventory, today: dt.date, scope: Scope | None = None
) -> tuple[int, int]:
    """From the earliest chantier's start (or this year) to the latest date the inventory
    names (at least this year); for one chantier, its own years (and this one)."""
    if scope is not None and scope.programme is not None:
        programme = inventory.programmes[scope.programme]
        first = day_of(programme.start).year
        return min(first, today.year), max(day_of(programme.end).year, today.year)
    starts = [day_of(programme.start).year for programme in inventory.programmes.values()]
    first = min([*starts, today.year])
    latest = latest_date(inventory)
    last = max(today.year, latest.year if latest else today.year)
    return first, last


def build_roadmap(
    inventory: Inventory,
    *,
    reference: dt.date,
    today: dt.date,
    scope: Scope | None = None,
    first_year: int | None = None,
    last_year: int | None = None,
    months: int = DEFAULT_SUPPORT_MONTHS,
    periods: list[UsePeriod] | None = None,
) -> Roadmap:
    """The roadmap of ``inventory`` (the inventory as written: ``as_of`` is applied inside, at
    each date that matters) for ``scope`` over the years given (default: :func:`default_window`).
    ``periods``: the inventory's :func:`use_periods`, when the caller made them for several
    roadmaps (the atlas's chantiers)."""
    scope = scope or Scope()
    default_first, default_last = default_window(inventory, today, scope)
    first = default_first if first_year is None else first_year
    last = default_last if last_year is None else last_year
    if periods is None:
        periods = use_periods(inventory)
    uses = _Uses(inventory, periods)
    in_scope = _applications_in_scope(inventory, scope, periods)
    window = (year_start(first), year_start(last + 1))
    movements = _movements(inventory, scope, in_scope, window, periods, uses)
    present = _present(inventory, scope, in_scope, reference, uses)
    return Roadmap(
        scope=scope,
        reference=reference,
        today=today,
        first_year=first,
        last_year=last,
        months=months,
        movements=tuple(sorted(movements, key=Movement.sort_key)),
        programmes=tuple(
            _programme_status(inventory, programme, reference, today)
            for programme in _programmes_in_scope(inventory, scope, in_scope)
        ),
        support_ends=tuple(_support_ends(inventory, scope, in_scope, reference, months, uses)),
        dispositions=tuple(_dispositions(inventory, present)),
        applications=tuple(present),
        concerned=frozenset(in_scope),
    )


# --- scope ------------------------------------------------------------------------------------


def _applications_in_scope(
    inventory: Inventory, scope: Scope, periods: list[UsePeriod]
) -> set[str]:
    """The portfolio's applications the scope looks at (whatever their dates)."""
    found = {app_id for app_id in inventory.applications if not inventory.is_external(app_id)}
    if scope.block is not None:
        blocks = set(inventory.blocks_under(scope.block))
        found = {
            app_id for app_id in found if blocks.intersection(inventory.applications[app_id].blocks)
        }
    if scope.commune is not None:
        used = {period.application for period in periods if period.user == scope.commune}
        owned = {app_id for app_id, owner in inventory.owners.items() if owner == scope.commune}
        found &= used | owned
    if scope.programme is not None:
        programme = inventory.programmes[scope.programme]
        found &= {*programme.retires, *([programme.target] if programme.target else [])}
    return found


def _present(
    inventory: Inventory,
    scope: Scope,
    in_scope: set[str],
    reference: dt.date,
    uses: _Uses,
) -> list[str]:
    """The applications in scope present at ``reference`` (for a commune: that it uses or owns
    then)."""
    return [
        app_id
        for app_id in sorted(in_scope)
        if uses.present(app_id, reference)
        and (
            scope.commune is None
            or inventory.owners[app_id] == scope.commune
            or scope.commune in uses(app_id, reference)
        )
    ]


def _programmes_in_scope(inventory: Inventory, scope: Scope, in_scope: set[str]) -> list[Programme]:
    found = []
    blocks = set(inventory.blocks_under(scope.block)) if scope.block is not None else None
    for programme in inventory.programmes.values():
        if scope.programme is not None and programme.id != scope.programme:
            continue
        concerned = {*programme.retires, *([programme.target] if programme.target else [])}
        if blocks is not None and not (
            blocks.intersection(programme.blocks) or concerned & in_scope
        ):
            continue
        if scope.commune is not None and not (
            any(scope.commune in wave.communes for wave in programme.waves) or concerned & in_scope
        ):
            continue
        found.append(programme)
    return found


# --- movements ----------------------------------------------------------------------------------


def _within(value: DateValue | None, window: tuple[dt.date, dt.date]) -> bool:
    return value is not None and window[0] <= day_of(value) < window[1]


def _movements(
    inventory: Inventory,
    scope: Scope,
    in_scope: set[str],
    window: tuple[dt.date, dt.date],
    periods: list[UsePeriod],
    using: _Uses,
) -> list[Movement]:
    found: list[Movement] = []
    if scope.commune is None:
        for app_id in sorted(in_scope):
            application = inventory.applications[app_id]
            start, end = application.in_service_since, application.retired_in
            if start is not None and _within(start, window):
                # the communes using it the day it enters
                found.append(Movement(start, "entree", app_id, using(app_id, day_of(start))))
            if end is not None and _within(end, window):
                # those using it the day before it leaves
                last = day_of(end) - dt.timedelta(days=1)
                found.append(Movement(end, "sortie", app_id, using(app_id, last)))
    else:
        found.extend(_commune_movements(inventory, scope.commune, in_scope, window, periods))
    for programme in _programmes_in_scope(inventory, scope, in_scope):
        for wave in programme.waves:
            communes = tuple(
                sorted(
                    commune
                    for commune in wave.communes
                    if scope.commune is None or commune == scope.commune
                )
            )
            if communes and _within(wave.year, window):
                found.append(Movement(wave.year, "vague", programme.target, communes, programme.id))
    found.extend(_adhesion_movements(inventory, scope, window))
    found.extend(_support_movements(inventory, scope, in_scope, window, using))
    return found


class _Uses:
    """Who uses each application on a day, from its use periods grouped once by application
    (a roadmap asks it for every movement and every product's end of support)."""

    def __init__(self, inventory: Inventory, periods: list[UsePeriod]) -> None:
        self.inventory = inventory
        self.by_application: dict[str, list[UsePeriod]] = {}
        for period in periods:
            self.by_application.setdefault(period.application, []).append(period)
        self.on_product: dict[str, list[str]] = {}
        for app_id, application in inventory.applications.items():
            if application.product is not None:
                self.on_product.setdefault(application.product, []).append(app_id)

    def communes_on(self, app_id: str, moment: dt.date) -> tuple[str, ...]:
        """The communes whose use of the application runs on ``moment`` (whatever the
        application's own presence)."""
        communes = self.inventory.communes
        return tuple(
            sorted(
                period.user
                for period in self.by_application.get(app_id, ())
                if period.user in communes and is_present(period.start, period.end, moment)
            )
        )

    def __call__(self, app_id: str, moment: dt.date) -> tuple[str, ...]:
        return self.communes_on(app_id, moment)

    def present(self, app_id: str, moment: dt.date) -> bool:
        return is_application_present(self.inventory.applications[app_id], moment)


def _commune_movements(
    inventory: Inventory,
    commune: str,
    in_scope: set[str],
    window: tuple[dt.date, dt.date],
    all_periods: list[UsePeriod],
) -> list[Movement]:
    found = []
    periods = {
        period.application: period
        for period in all_periods
        if period.user == commune and period.application in in_scope
    }
    for app_id in sorted(in_scope):
        application = inventory.applications[app_id]
        period = periods.get(app_id)
        # A use starts once both the commune's use and the application have begun, and ends at
        # the first of the application's retrait and the end of the commune's use.
        starts = [application.in_service_since, period.start if period else None]
        start = latest([value for value in starts if value is not None])
        ends = [application.retired_in, period.end if period else None]
        end = earliest([value for value in ends if value is not None])
        programme = period.programme if period is not None else None
        if start is not None and _within(start, window):
            found.append(Movement(start, "entree", app_id, (commune,), programme))
        if end is not None and _within(end, window):
            found.append(Movement(end, "sortie", app_id, (commune,)))
    return found


def _adhesion_movements(
    inventory: Inventory, scope: Scope, window: tuple[dt.date, dt.date]
) -> list[Movement]:
    found = []
    blocks = set(inventory.blocks_under(scope.block)) if scope.block is not None else None
    for commune in inventory.communes.values():
        if scope.commune is not None and commune.id != scope.commune:
            continue
        for item in commune.mutualisations:
            if blocks is not None:
                covered = {
                    below
                    for top in inventory.domains[item.domain].blocks
                    for below in inventory.blocks_under(top)
                }
                if not covered & blocks:
                    continue
            if _within(item.since, window):
                found.append(
                    Movement(item.since, "adhesion", None, (commune.id,), domain=item.domain)
                )
            if item.until is not None and _within(item.until, window):
                found.append(
                    Movement(item.until, "depart", None, (commune.id,), domain=item.domain)
                )
    return found


def _support_movements(
    inventory: Inventory,
    scope: Scope,
    in_scope: set[str],
    window: tuple[dt.date, dt.date],
    uses: _Uses,
) -> list[Movement]:
    found = []
    for product in inventory.products.values():
        end = product.end_of_support
        if end is None or not _within(end, window):
            continue
        running, communes = _on_product(inventory, scope, in_scope, product.id, day_of(end), uses)
        if running:
            found.append(
                Movement(
                    end, "fin-de-support", None, communes, product=product.id, applications=running
                )
            )
    return found


def _on_product(
    inventory: Inventory,
    scope: Scope,
    in_scope: set[str],
    product_id: str,
    moment: dt.date,
    uses: _Uses,
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The applications in scope on a product, in service at ``moment`` (for a commune: that
    it uses then), and the communes using them then."""
    running: list[str] = []
    communes: set[str] = set()
    for app_id in sorted(uses.on_product.get(product_id, ())):
        if app_id not in in_scope or not uses.present(app_id, moment):
            continue
        using = set(uses(app_id, moment))
        if scope.commune is not None:
            owned = inventory.owners[app_id] == scope.commune
            if scope.commune not in using and not owned:
                continue
            using &= {scope.commune}
        running.append(app_id)
        communes |= using
    return tuple(running), tuple(sorted(communes))


# --- states at the reference date ------------------------------------------------------------


def still_there(application: Application, reference: dt.date, today: dt.date) -> bool:
    """Present at ``reference`` by its dates — or, from today on, still running although its
    ``retrait`` has passed (its ``cycle_de_vie`` is not ``retiree``)."""
    if is_application_present(application, reference):
        return True
    overdue = application.lifecycle != "retiree" and reached(application.retired_in, today)
    return overdue and reference >= today


def _programme_status(
    inventory: Inventory, programme: Programme, reference: dt.date, today: dt.date
) -> ProgrammeStatus:
    remaining = tuple(
        sorted(
            app_id
            for app_id in programme.retires
            if app_id in inventory.applications
            and still_there(inventory.applications[app_id], reference, today)
        )
    )
    state: ProgrammeState
    if reference < day_of(programme.start):
        state = "a-venir"
    elif reference < day_of(programme.end):
        state = "en-cours"
    else:
        state = "en-retard" if remaining else "termine"
    return ProgrammeStatus(
        programme=programme.id,
        start=programme.start,
        end=programme.end,
        target=programme.target,
        domains=tuple(programme_domains(inventory, programme)),
        blocks=tuple(programme.blocks),
        waves=tuple(
            (wave.year, tuple(sorted(wave.communes)))
            for wave in sorted(programme.waves, key=lambda wave: wave.year)
        ),
        retires=tuple(sorted(programme.retires)),
        remaining=remaining,
        budget=programme.budget,
        state=state,
    )


def _support_ends(
    inventory: Inventory,
    scope: Scope,
    in_scope: set[str],
    reference: dt.date,
    months: int,
    uses: _Uses,
) -> list[SupportEnd]:
    horizon = add_months(reference, months)
    found = []
    for product in inventory.products.values():
        end = product.end_of_support
        if end is None or day_of(end) > horizon:
            continue
        on_it, communes = _on_product(inventory, scope, in_scope, product.id, reference, uses)
        if not on_it:
            continue
        found.append(
            SupportEnd(
                product=product.id,
                vendor=product.vendor,
                end=end,
                state="depassee" if reached(end, reference) else "proche",
                months_left=months_between(reference, day_of(end)),
                applications=on_it,
                communes=communes,
            )
        )
    found.sort(key=lambda item: (day_of(item.end), item.product))
    return found


def _dispositions(inventory: Inventory, present: list[str]) -> list[DispositionCount]:
    counts = Counter(inventory.applications[app_id].disposition for app_id in present)
    total = len(present)
    return [
        DispositionCount(
            value, counts.get(value, 0), counts.get(value, 0) / total if total else 0.0
        )
        for value in (*DISPOSITIONS, None)
    ]

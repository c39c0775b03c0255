"""The trend rebuilt from the inventory's dates: one point per year (1 January), any years.

Where ``analysis.trend`` reads the git history (a métropole that starts using the tool today has
a trend of one point), this module reads the dates the inventory holds (DESIGN.md §11): each
year's point is the portfolio at 1 January of that year (``model.asof``), measured exactly as
``analysis.trend.measure`` measures a version — convergence Σ(N − A) / Σ(N − 1) over the blocs
with N ≥ 2, mutualisation shared pairs / pairs, applications in service — plus, for each
chantier, the convergence of its blocs pooled the same way, so that a committee sees finances
converge over 2016–2019 and RH over 2018–2021.

Twenty years must cost less than half a load (``benchmarks/timeline.py``): rather than building
a portfolio and its graph per year, :class:`DatedPortfolio` indexes once what never changes —
each application's presence interval and blocs, each use's interval (``asof.use_periods``),
each bloc's applications — and a year is then a pass over those intervals. A test checks that
every year gives the figures of ``measure(as_of(inventory, year))``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from cartographie.model.asof import use_periods
from cartographie.model.dates import day_of, year_start
from cartographie.model.inventory import Inventory


@dataclass(frozen=True)
class YearFigures:
    year: int
    applications: int  # in service (the portfolio's own)
    use_pairs: int  # the communes' pairs
    convergence: float
    mutualisation: float
    programmes: tuple[tuple[str, float | None], ...]  # chantier id -> its blocs' convergence


@dataclass(frozen=True)
class DatesTrend:
    first_year: int
    last_year: int
    points: tuple[YearFigures, ...]
    programmes: tuple[str, ...]  # the chantiers with a series, in start order


def _interval(start: object, end: object) -> tuple[dt.date | None, dt.date | None]:
    return (
        day_of(start) if start is not None else None,  # type: ignore[arg-type]
        day_of(end) if end is not None else None,  # type: ignore[arg-type]
    )


def _within(interval: tuple[dt.date | None, dt.date | None], moment: dt.date) -> bool:
    start, end = interval
    return (start is None or start <= moment) and (end is None or moment < end)


class DatedPortfolio:
    """What a year's figures need, indexed once; :meth:`figures` measures one moment."""

    def __init__(self, inventory: Inventory) -> None:
        self.inventory = inventory
        communes = inventory.communes
        self.metropole = inventory.metropole.id
        # Applications that can be present at some date, with their interval.
        self.presence = {
            app_id: _interval(application.in_service_since, application.retired_in)
            for app_id, application in inventory.applications.items()
            if application.lifecycle != "retiree" or application.retired_in is not None
        }
        self.external = {
            app_id for app_id in inventory.applications if inventory.is_external(app_id)
        }
        self.owned_by_metropole = {
            app_id for app_id, owner in inventory.owners.items() if owner == self.metropole
        }
        # Uses by communes only: the métropole's own use is never a pair.
        self.uses = [
            (period.user, period.application, _interval(period.start, period.end))
            for period in use_periods(inventory)
            if period.user in communes and period.application in self.presence
        ]
        children: dict[str, list[str]] = {}
        for block in inventory.blocks.values():
            if block.parent is not None:
                children.setdefault(block.parent, []).append(block.id)
        attached: dict[str, list[str]] = {}
        for app_id in self.presence:
            for block_id in set(inventory.applications[app_id].blocks):
                attached.setdefault(block_id, []).append(app_id)
        self.leaf_blocks = [
            block.id for block in inventory.blocks.values() if block.level == "bloc"
        ]
        self.block_applications: dict[str, frozenset[str]] = {}
        for block_id in self.leaf_blocks:
            found: set[str] = set()
            todo = [block_id]
            while todo:
                current = todo.pop()
                found.update(attached.get(current, ()))
                todo.extend(children.get(current, ()))
            self.block_applications[block_id] = frozenset(found)
        self.programme_blocks = {
            programme.id: sorted(
                {
                    below
                    for top in programme.blocks
                    if top in inventory.blocks
                    for below in inventory.blocks_under(top)
                    if below in self.block_applications
                }
            )
            for programme in sorted(
                inventory.programmes.values(), key=lambda item: (day_of(item.start), item.id)
            )
        }

    def figures(self, moment: dt.date, year: int = 0) -> YearFigures:
        present = {
            app_id for app_id, interval in self.presence.items() if _within(interval, moment)
        }
        users: dict[str, set[str]] = {}
        for commune, app_id, interval in self.uses:
            if app_id in present and _within(interval, moment):
                users.setdefault(app_id, set()).add(commune)
        shared = {
            app_id
            for app_id, using in users.items()
            if app_id in self.owned_by_metropole or len(using) >= 2
        }
        pairs = sum(len(using) for using in users.values())
        shared_pairs = sum(len(users[app_id]) for app_id in shared)
        counted: dict[str, tuple[int, int]] = {}
        for block_id in self.leaf_blocks:
            applications = self.block_applications[block_id] & users.keys()
            block_pairs = sum(len(users[app_id]) for app_id in applications)
            if block_pairs >= 2:
                counted[block_id] = (block_pairs, len(applications))
        return YearFigures(
            year=year or moment.year,
            applications=len(present - self.external),
            use_pairs=pairs,
            convergence=_pooled(counted.values()),
            mutualisation=shared_pairs / pairs if pairs else 0.0,
            programmes=tuple(
                (programme, _pooled(counted[b] for b in blocks if b in counted) if blocks else None)
                for programme, blocks in self.programme_blocks.items()
            ),
        )


def _pooled(blocks: Iterable[tuple[int, int]]) -> float:
    """Σ(N − A) / Σ(N − 1) over blocs with N ≥ 2; 1 when there is none (as
    ``convergence_report.overall_convergence``)."""
    pairs = applications = count = 0
    for block_pairs, block_applications in blocks:
        pairs += block_pairs
        applications += block_applications
        count += 1
    denominator = pairs - count
    return (pairs - applications) / denominator if denominator else 1.0


def dates_trend(inventory: Inventory, first_year: int, last_year: int) -> DatesTrend:
    """One point per year from ``first_year`` to ``last_year`` (both included), each at
    1 January."""
    dated = DatedPortfolio(inventory)
    points = tuple(
        dated.figures(year_start(year), year) for year in range(first_year, last_year + 1)
    )
    return DatesTrend(first_year, last_year, points, tuple(dated.programme_blocks))

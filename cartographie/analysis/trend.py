"""The trend: convergence and mutualisation over the git history of the inventory.

One point per commit that touched the inventory (along the first-parent line, oldest first), or
per month (``par="mois"``: the last commit of each month, the state at the month's end). Each
point carries the métropole's two figures, computed exactly as the convergence report computes
them on that version (``analysis.convergence_report``):

- **convergence**: the blocs' rates pooled, Σ(N_b − A_b) / Σ(N_b − 1) over blocs with N_b ≥ 2;
- **mutualisation**: the communes' shared pairs over their pairs.

A commit where the inventory is invalid (it happens in history) gives a point without figures,
with its number of problems, rather than stopping the trend. The history is read through
``cartographie.inventory.history``; nothing here runs git or writes a file. Each distinct file
is parsed once over the whole history (``RevisionLoader``), and with ``cache`` each commit's
figures are kept between runs (``CommitCache``): the next run, after one more commit, computes
one point.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import astuple, dataclass
from pathlib import Path
from typing import Literal

from cartographie.analysis.common import applications_in_service
from cartographie.analysis.convergence import commune_mutualisation
from cartographie.analysis.convergence_report import (
    block_detail,
    mutualisation_totals,
    overall_convergence,
)
from cartographie.graph import Portfolio
from cartographie.inventory.git import Commit, find_repository, inventory_history
from cartographie.inventory.history import CommitCache, RevisionLoader
from cartographie.model.inventory import Inventory
from cartographie.progress import Progress, counted

Granularity = Literal["commit", "mois"]
# The code a point's figures depend on: its fingerprint names the cache of the figures.
CODE = ("model", "inventory", "graph", "analysis")


@dataclass(frozen=True)
class TrendPoint:
    revision: str  # full commit id
    date: dt.datetime
    subject: str
    label: str  # short id, or the month (AAAA-MM)
    applications: int | None = None
    use_pairs: int | None = None
    convergence: float | None = None
    mutualisation: float | None = None
    problems: int = 0  # errors when the inventory is invalid at this commit


@dataclass(frozen=True)
class Trend:
    granularity: Granularity
    points: tuple[TrendPoint, ...]


@dataclass(frozen=True)
class Figures:
    """What a point says of one version of the inventory (``None``: invalid there)."""

    applications: int | None = None  # in service
    use_pairs: int | None = None
    convergence: float | None = None
    mutualisation: float | None = None
    problems: int = 0  # errors when the inventory is invalid


def measure(inventory: Inventory) -> Figures:
    """The figures of one valid version."""
    portfolio = Portfolio(inventory)
    details = [block_detail(portfolio, block_id) for block_id in portfolio.leaf_blocks()]
    totals = mutualisation_totals(
        commune_mutualisation(portfolio, commune) for commune in portfolio.communes()
    )
    in_service = len(applications_in_service(portfolio))
    return Figures(in_service, totals.use_pairs, overall_convergence(details).rate, totals.rate)


def select_commits(commits: Iterable[Commit], granularity: Granularity) -> list[Commit]:
    """Oldest first; with ``mois``, the newest commit of each month only."""
    ordered = sorted(commits, key=lambda commit: commit.date)
    if granularity == "commit":
        return ordered
    by_month: dict[str, Commit] = {}
    for commit in ordered:
        by_month[commit.date.strftime("%Y-%m")] = commit
    return [by_month[month] for month in sorted(by_month)]


def trend_points(
    commits: Iterable[Commit],
    figures_at: Callable[[str], Figures],
    granularity: Granularity = "commit",
    progress: Progress | None = None,
) -> Trend:
    """The trend over the given commits; ``figures_at(revision)`` gives the figures there;
    ``progress`` hears of each commit measured."""
    points = []
    selected = list(select_commits(commits, granularity))
    for commit in counted(selected, len(selected), "Commits", progress):
        label = commit.date.strftime("%Y-%m") if granularity == "mois" else commit.revision[:8]
        figures = figures_at(commit.revision)
        points.append(
            TrendPoint(
                commit.revision,
                commit.date,
                commit.subject,
                label,
                applications=figures.applications,
                use_pairs=figures.use_pairs,
                convergence=figures.convergence,
                mutualisation=figures.mutualisation,
                problems=figures.problems,
            )
        )
    return Trend(granularity, tuple(points))


def figures_at(loader: RevisionLoader, revision: str) -> Figures:
    """The figures of the inventory at one commit (none when it is invalid there)."""
    inventory, problems = loader.load(revision)
    return Figures(problems=problems) if inventory is None else measure(inventory)


def _well_formed(values: object) -> bool:
    """A stored ``Figures``: four numbers or nulls, then an integer."""
    if not isinstance(values, list) or len(values) != 5:
        return False
    *numbers, problems = values
    kinds = (int, int, float, float)
    return type(problems) is int and all(
        value is None or type(value) is kind or (kind is float and type(value) is int)
        for value, kind in zip(numbers, kinds, strict=True)
    )


def inventory_trend(
    directory: Path,
    granularity: Granularity = "commit",
    limit: int | None = None,
    *,
    cache: bool = False,
    cache_directory: Path | None = None,
    until: dt.date | None = None,
    progress: Progress | None = None,
) -> Trend:
    """The trend of the inventory in ``directory`` over its repository's history (``limit``: the
    most recent commits only; ``until``: those of that day or before); with ``cache``, figures
    of commits seen by an earlier run are not computed again; ``progress`` hears of each
    commit."""
    repository = find_repository(directory)
    commits = inventory_history(repository)  # newest first
    if until is not None:
        commits = [commit for commit in commits if commit.date.date() <= until]
    if limit is not None:
        commits = commits[:limit]
    loader = RevisionLoader(repository)

    def compute(revision: str) -> Figures:
        return figures_at(loader, revision)

    if not cache:
        return trend_points(commits, compute, granularity, progress)
    kept = CommitCache("tendance", repository, _well_formed, CODE, cache_directory)
    trend = trend_points(
        commits,
        lambda revision: Figures(*kept.value(revision, lambda r: list(astuple(compute(r))))),
        granularity,
        progress,
    )
    kept.save()
    return trend

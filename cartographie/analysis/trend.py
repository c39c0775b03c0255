"""The trend: convergence and mutualisation over the git history of the inventory.

One point per commit that touched the inventory (along the first-parent line, oldest first), or
per month (``par="mois"``: the last commit of each month, the state at the month's end). Each
point carries the métropole's two figures, computed exactly as the convergence report computes
them on that version (``analysis.convergence_report``):

- **convergence**: the blocs' rates pooled, Σ(N_b − A_b) / Σ(N_b − 1) over blocs with N_b ≥ 2;
- **mutualisation**: the communes' shared pairs over their pairs.

A commit where the inventory is invalid (it happens in history) gives a point without figures,
with its number of problems, rather than stopping the trend. The history is read through
``cartographie.inventory.git``; nothing here runs git. Each distinct file is parsed once over
the whole history (see :class:`RevisionLoader`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
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
from cartographie.inventory import check_inventory
from cartographie.inventory.git import (
    Commit,
    Repository,
    find_repository,
    inventory_history,
    read_revision_files,
)
from cartographie.inventory.loader import FileMemo
from cartographie.model.inventory import Inventory

Granularity = Literal["commit", "mois"]


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


def measure(inventory: Inventory) -> tuple[int, int, float, float]:
    """(applications in service, use pairs, convergence, mutualisation) of one version."""
    portfolio = Portfolio(inventory)
    details = [block_detail(portfolio, block_id) for block_id in portfolio.leaf_blocks()]
    totals = mutualisation_totals(
        commune_mutualisation(portfolio, commune) for commune in portfolio.communes()
    )
    in_service = len(applications_in_service(portfolio))
    return in_service, totals.use_pairs, overall_convergence(details).rate, totals.rate


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
    load: Callable[[str], tuple[Inventory | None, int]],
    granularity: Granularity = "commit",
) -> Trend:
    """The trend over the given commits; ``load(revision)`` gives the inventory there (or None)
    and its number of errors."""
    points = []
    for commit in select_commits(commits, granularity):
        label = commit.date.strftime("%Y-%m") if granularity == "mois" else commit.revision[:8]
        inventory, problems = load(commit.revision)
        if inventory is None:
            points.append(
                TrendPoint(commit.revision, commit.date, commit.subject, label, problems=problems)
            )
            continue
        applications, pairs, convergence, mutualisation = measure(inventory)
        points.append(
            TrendPoint(
                commit.revision,
                commit.date,
                commit.subject,
                label,
                applications=applications,
                use_pairs=pairs,
                convergence=convergence,
                mutualisation=mutualisation,
            )
        )
    return Trend(granularity, tuple(points))


class RevisionLoader:
    """Loads the inventory at successive commits, parsing each distinct file only once.

    Between two commits of a history most files are unchanged: ``check_inventory`` keeps each
    file's check by (path, content) in a memo shared by the whole walk, and only the cross-record
    checks run again; what it reports is exactly what ``cartographie valider`` would say.
    """

    def __init__(self, repository: Repository) -> None:
        self.repository = repository
        self.root = Path(repository.root, repository.prefix)
        self._memo: FileMemo = {}

    def load(self, revision: str) -> tuple[Inventory | None, int]:
        contents = read_revision_files(self.repository, revision)
        if not contents:
            return None, 0
        result = check_inventory(self.root, contents, memo=self._memo)
        if result.errors or result.inventory is None:
            return None, len(result.errors)
        return result.inventory, 0


def inventory_trend(
    directory: Path, granularity: Granularity = "commit", limit: int | None = None
) -> Trend:
    """The trend of the inventory in ``directory`` over its repository's history (``limit``: the
    most recent commits only)."""
    repository = find_repository(directory)
    commits = inventory_history(repository)  # newest first
    if limit is not None:
        commits = commits[:limit]
    return trend_points(commits, RevisionLoader(repository).load, granularity)

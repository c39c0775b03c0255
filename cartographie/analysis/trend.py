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
the whole history (see :class:`RevisionLoader`), and with ``cache`` each commit's figures are
kept between runs (see :class:`TrendCache`): the next run, after one more commit, computes one
point.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
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
from cartographie.files import write_file_atomic
from cartographie.graph import Portfolio
from cartographie.inventory import check_inventory
from cartographie.inventory.cache import code_fingerprint, default_cache_directory
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
) -> Trend:
    """The trend over the given commits; ``figures_at(revision)`` gives the figures there."""
    points = []
    for commit in select_commits(commits, granularity):
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

    def figures(self, revision: str) -> Figures:
        inventory, problems = self.load(revision)
        return Figures(problems=problems) if inventory is None else measure(inventory)


class TrendCache:
    """Each commit's figures, kept between runs under the user's cache directory.

    A commit never changes, so its figures change only with the code that computes them: that
    code's fingerprint names the folder, and a new version starts afresh. One JSON file per
    repository and inventory folder. The cache is an accelerator, never a source of truth: a
    missing or corrupt file is a miss, a failed write only costs time.
    """

    def __init__(self, repository: Repository, directory: Path | None = None) -> None:
        base = directory if directory is not None else default_cache_directory()
        fingerprint = code_fingerprint("model", "inventory", "graph", "analysis")
        where = hashlib.blake2b(
            f"{repository.root}\0{repository.prefix}".encode(), digest_size=10
        ).hexdigest()
        self.path = base / f"tendance-{fingerprint}" / f"{where}.json"
        self._figures = self._read()
        self._changed = False

    def _read(self) -> dict[str, Figures]:
        try:
            stored = json.loads(self.path.read_text(encoding="utf-8"))
            return {
                revision: Figures(*values)
                for revision, values in stored.items()
                if _well_formed(values)  # anything else is a miss, computed again
            }
        except (OSError, ValueError, AttributeError):
            return {}

    def figures(self, revision: str, compute: Callable[[str], Figures]) -> Figures:
        found = self._figures.get(revision)
        if found is None:
            found = self._figures[revision] = compute(revision)
            self._changed = True
        return found

    def save(self) -> None:
        if not self._changed:
            return
        stored = {revision: astuple(self._figures[revision]) for revision in sorted(self._figures)}
        with contextlib.suppress(OSError):  # a cache that cannot be written only costs time
            write_file_atomic(self.path, json.dumps(stored, separators=(",", ":")))


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
) -> Trend:
    """The trend of the inventory in ``directory`` over its repository's history (``limit``: the
    most recent commits only); with ``cache``, figures of commits seen by an earlier run are
    not computed again."""
    repository = find_repository(directory)
    commits = inventory_history(repository)  # newest first
    if limit is not None:
        commits = commits[:limit]
    compute = RevisionLoader(repository).figures
    if not cache:
        return trend_points(commits, compute, granularity)
    kept = TrendCache(repository, cache_directory)
    trend = trend_points(commits, lambda revision: kept.figures(revision, compute), granularity)
    kept.save()
    return trend

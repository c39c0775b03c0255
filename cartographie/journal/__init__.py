"""The journal: the history of the portfolio, from git and from the recorded diagnostics.

One entry per commit that touched the inventory (first-parent line, newest first): its date,
author and message, and *what changed* — the semantic diff against its first parent, so that
the journal speaks of applications and flows, not of lines. The diagnostics recorded under
``diagnostics/`` (``cartographie diagnostic --enregistrer``) are merged in by date: which project
was judged, with which verdict. ``commune`` keeps only what touches one commune.

Each revision is loaded once (a commit's parent is usually the next entry). A commit where the
inventory is invalid is an entry with its number of problems, not a failure: history is a fact.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from cartographie.diagnostic.model import VERDICT_LABELS
from cartographie.diff import ChangeSet, diff_inventories
from cartographie.diff.report import summary_sentence
from cartographie.inventory import validate_inventory
from cartographie.inventory.git import (
    Commit,
    find_repository,
    inventory_history,
)
from cartographie.inventory.history import RevisionLoader
from cartographie.model.inventory import Inventory
from cartographie.model.records import RecordedDiagnostic

EntryKind = Literal["commit", "diagnostic"]
JSON_VERSION = 1


@dataclass(frozen=True)
class JournalEntry:
    kind: EntryKind
    date: dt.datetime
    title: str
    author: str | None = None
    revision: str | None = None
    changes: ChangeSet | None = None
    # The inventory was invalid at this commit (or its parent): its number of errors.
    problems: int = 0
    diagnostic: RecordedDiagnostic | None = None

    def sort_key(self) -> tuple[dt.date, int, dt.datetime, str]:
        # On one day, a recorded diagnostic comes before that day's commits (it judges them).
        moment = (
            self.date.astimezone(dt.UTC).replace(tzinfo=None) if self.date.tzinfo else self.date
        )
        return (self.date.date(), 0 if self.kind == "diagnostic" else 1, moment, self.title)

    def summary(self) -> str:
        if self.kind == "diagnostic" and self.diagnostic is not None:
            found = len([f for f in self.diagnostic.findings if not f.preexisting])
            verdict = VERDICT_LABELS[self.diagnostic.verdict]
            return f"{verdict} ({found} constat{'s' if found > 1 else ''})"
        if self.problems:
            return (
                f"inventaire invalide ({self.problems} problème{'s' if self.problems > 1 else ''})"
            )
        if self.changes is None:
            return "—"
        return summary_sentence(self.changes)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "type": self.kind,
            "date": self.date.isoformat(),
            "titre": self.title,
            "auteur": self.author,
            "revision": self.revision,
            "resume": self.summary(),
            "problemes": self.problems,
        }
        if self.changes is not None:
            data["changement"] = self.changes.to_dict()
        if self.diagnostic is not None:
            diagnostic = self.diagnostic
            data["diagnostic"] = {
                "projet": diagnostic.project,
                "verdict": diagnostic.verdict,
                "base": diagnostic.base,
                "fichier": diagnostic.origin.path,
                "constats": [
                    {"code": f.code, "gravite": f.severity, "message": f.message}
                    for f in diagnostic.findings
                    if not f.preexisting
                ],
                "communes": list(diagnostic.communes),
            }
        return data


@dataclass(frozen=True)
class Journal:
    entries: tuple[JournalEntry, ...]
    commune: str | None = None
    since: dt.date | None = None
    names: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "version": JSON_VERSION,
            "commune": self.commune,
            "depuis": self.since.isoformat() if self.since else None,
            "entrees": [entry.to_dict() for entry in self.entries],
        }


def build_journal(
    directory: Path,
    commune: str | None = None,
    since: dt.date | None = None,
    limit: int | None = None,
) -> Journal:
    """The journal of the inventory in ``directory`` (a git working tree)."""
    repository = find_repository(directory)
    commits = inventory_history(repository, since=since)
    if limit is not None:
        commits = commits[:limit]
    revisions = RevisionLoader(repository)
    entries = [_commit_entry(commit, revisions, commune) for commit in commits]
    current = _current_inventory(directory, commits, revisions)
    names: dict[str, str] = {}
    if current is not None:
        entries += _diagnostic_entries(current, commune, since)
        names = {key: value.name for key, value in current.communes.items()}
        names[current.metropole.id] = current.metropole.name
    kept = [entry for entry in entries if entry is not None]
    kept.sort(key=JournalEntry.sort_key, reverse=True)
    return Journal(tuple(kept), commune=commune, since=since, names=names)


def _commit_entry(
    commit: Commit, revisions: RevisionLoader, commune: str | None
) -> JournalEntry | None:
    after, after_problems = revisions.load(commit.revision)
    before, before_problems = revisions.load(commit.parent)
    if after_problems or before_problems:
        if commune is not None:
            return None  # what it did to one commune cannot be told
        return JournalEntry(
            "commit",
            commit.date,
            commit.subject,
            commit.author,
            commit.revision,
            problems=after_problems or before_problems,
        )
    changes = diff_inventories(before, after)
    if commune is not None:
        changes = changes.touching_commune(commune)
        if not changes and not changes.uses:
            return None
    return JournalEntry(
        "commit", commit.date, commit.subject, commit.author, commit.revision, changes=changes
    )


def _current_inventory(
    directory: Path, commits: list[Commit], revisions: RevisionLoader
) -> Inventory | None:
    """The inventory whose recorded diagnostics are listed: the working tree's when it is
    valid, else the newest commit's."""
    if directory.is_dir():
        result = validate_inventory(directory)
        if result.inventory is not None and not result.errors:
            return result.inventory
    if commits:
        return revisions.load(commits[0].revision)[0]
    return None


def _diagnostic_entries(
    inventory: Inventory, commune: str | None, since: dt.date | None
) -> list[JournalEntry | None]:
    entries: list[JournalEntry | None] = []
    for diagnostic in inventory.diagnostics:
        if since is not None and diagnostic.date < since:
            continue
        if commune is not None and commune not in diagnostic.communes:
            continue
        moment = dt.datetime.combine(diagnostic.date, dt.time(), tzinfo=dt.UTC)
        entries.append(
            JournalEntry(
                "diagnostic",
                moment,
                f"Diagnostic d'architecture : {diagnostic.project}",
                diagnostic=diagnostic,
            )
        )
    return entries

"""The journal: the history of the portfolio, from git and from the recorded diagnostics.

One entry per commit that changed the portfolio (first-parent line, newest first): its date,
author and message, and *what changed* — the semantic diff against its first parent, so that
the journal speaks of applications and flows, not of lines — and the verdicts of the
diagnostics it recorded (files it added under ``diagnostics/``, written by ``cartographie
diagnostic --enregistrer``). A commit that touched the inventory's files without changing the
portfolio (a comment, the schema) is counted, not listed. Diagnostics recorded in the working
tree and not committed yet come as entries of their own. ``commune`` keeps only what touches
one commune; ``since`` and ``until`` bound the dates; ``limit`` keeps the newest entries.

Each revision is loaded once (a commit's parent is usually the next entry). A commit where the
inventory is invalid is an entry with its number of problems, not a failure: history is a fact.
Walking a long history takes time: ``progress`` hears of each commit.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from cartographie.diagnostic.model import VERDICT_LABELS
from cartographie.diff import ChangeSet, diff_inventories
from cartographie.diff.report import summary_sentence
from cartographie.document import numbers
from cartographie.inventory import validate_inventory
from cartographie.inventory.git import (
    Commit,
    find_repository,
    inventory_history,
)
from cartographie.inventory.history import RevisionLoader
from cartographie.model.inventory import Inventory
from cartographie.model.records import RecordedDiagnostic
from cartographie.progress import Progress, silent

EntryKind = Literal["commit", "diagnostic"]
# 2: a commit carries the diagnostics it recorded; commits without a change are counted apart.
JSON_VERSION = 2


def verdict_text(diagnostic: RecordedDiagnostic) -> str:
    """« GMAO des Prés : avis défavorable (4 constats) »."""
    found = len([f for f in diagnostic.findings if not f.preexisting])
    verdict = VERDICT_LABELS[diagnostic.verdict]
    return f"{diagnostic.project} : {verdict} ({numbers.count(found, 'constat')})"


def _diagnostic_record(diagnostic: RecordedDiagnostic) -> dict[str, Any]:
    return {
        "projet": diagnostic.project,
        "date": diagnostic.date.isoformat(),
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


@dataclass(frozen=True)
class JournalEntry:
    """A commit that changed the portfolio (or recorded a diagnostic), or a diagnostic recorded
    in the working tree and not committed yet (``kind == "diagnostic"``)."""

    kind: EntryKind
    date: dt.datetime
    title: str
    author: str | None = None
    revision: str | None = None
    changes: ChangeSet | None = None
    # The inventory was invalid at this commit (or its parent): its number of errors.
    problems: int = 0
    # The diagnostics this commit recorded; for a diagnostic entry, that one.
    diagnostics: tuple[RecordedDiagnostic, ...] = ()

    def sort_key(self) -> tuple[int, dt.datetime, str]:
        # What is not committed yet comes first (newest first once reversed).
        moment = (
            self.date.astimezone(dt.UTC).replace(tzinfo=None) if self.date.tzinfo else self.date
        )
        return (1 if self.kind == "diagnostic" else 0, moment, self.title)

    def change_sentence(self) -> str:
        """What the commit changed (« 3 changements — applications : 2 ajouts ; … »), or why
        that cannot be told; empty for a commit that only recorded a diagnostic."""
        if self.problems:
            return f"inventaire invalide ({numbers.count(self.problems, 'problème')})"
        if self.changes is not None and (self.changes or not self.diagnostics):
            return summary_sentence(self.changes)
        return ""

    def summary(self) -> str:
        """What the entry did, in one sentence: its changes and the verdicts it recorded."""
        parts = [self.change_sentence()] if self.change_sentence() else []
        parts += [f"diagnostic « {verdict_text(d)} »" for d in self.diagnostics]
        return " ; ".join(parts) if parts else "—"

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "type": self.kind,
            "date": self.date.isoformat(),
            "titre": self.title,
            "auteur": self.author,
            "revision": self.revision,
            "resume": self.summary(),
            "problemes": self.problems,
            "diagnostics": [_diagnostic_record(d) for d in self.diagnostics],
        }
        if self.changes is not None:
            data["changement"] = self.changes.to_dict()
        return data


@dataclass(frozen=True)
class Journal:
    entries: tuple[JournalEntry, ...]
    commune: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    names: dict[str, str] = field(default_factory=dict)
    # Commits that touched the inventory's files without changing the portfolio (for the
    # commune asked for), not listed.
    unchanged: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "version": JSON_VERSION,
            "commune": self.commune,
            "depuis": self.since.isoformat() if self.since else None,
            "jusqu_a": self.until.isoformat() if self.until else None,
            "commits_sans_changement": self.unchanged,
            "entrees": [entry.to_dict() for entry in self.entries],
        }


def build_journal(
    directory: Path,
    commune: str | None = None,
    since: dt.date | None = None,
    limit: int | None = None,
    until: dt.date | None = None,
    progress: Progress | None = None,
) -> Journal:
    """The journal of the inventory in ``directory`` (a git working tree)."""
    report = progress or silent
    repository = find_repository(directory)
    commits = inventory_history(repository, since=since, until=until)
    revisions = RevisionLoader(repository)
    entries: list[JournalEntry] = []
    unchanged = 0
    report(0, len(commits), "Commits")
    for done, commit in enumerate(commits, 1):
        if limit is not None and len(entries) >= limit:
            break
        entry = _commit_entry(commit, revisions, commune)
        if entry is None:
            unchanged += 1
        else:
            entries.append(entry)
        report(done, len(commits), "Commits")
    current = _current_inventory(directory, commits, revisions)
    names: dict[str, str] = {}
    if current is not None:
        committed = _committed_diagnostics(revisions)
        pending = _diagnostic_entries(current, committed, commune, since, until)
        entries = pending + entries
        names = {key: value.name for key, value in current.communes.items()}
        names[current.metropole.id] = current.metropole.name
    entries.sort(key=JournalEntry.sort_key, reverse=True)
    if limit is not None:
        entries = entries[:limit]
    return Journal(tuple(entries), commune, since, until, names, unchanged)


def _commit_entry(
    commit: Commit, revisions: RevisionLoader, commune: str | None
) -> JournalEntry | None:
    """The commit's entry; None when it changed nothing of the portfolio (for ``commune``)."""
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
    recorded = _recorded(before, after, commune)
    if not changes and not changes.uses and not recorded:
        return None
    return JournalEntry(
        "commit",
        commit.date,
        commit.subject,
        commit.author,
        commit.revision,
        changes=changes,
        diagnostics=recorded,
    )


def _recorded(
    before: Inventory | None, after: Inventory | None, commune: str | None
) -> tuple[RecordedDiagnostic, ...]:
    """The diagnostics whose files the commit added (about ``commune`` if given)."""
    if after is None:
        return ()
    known = {d.origin.path for d in before.diagnostics} if before is not None else set()
    return tuple(
        d
        for d in after.diagnostics
        if d.origin.path not in known and (commune is None or commune in d.communes)
    )


def _committed_diagnostics(revisions: RevisionLoader) -> set[str]:
    """The diagnostics' files of HEAD: the others are the working tree's, not committed."""
    head, _problems = revisions.load("HEAD")
    return {d.origin.path for d in head.diagnostics} if head is not None else set()


def _current_inventory(
    directory: Path, commits: list[Commit], revisions: RevisionLoader
) -> Inventory | None:
    """The inventory whose uncommitted diagnostics are listed: the working tree's when it is
    valid, else the newest commit's."""
    if directory.is_dir():
        result = validate_inventory(directory)
        if result.inventory is not None and not result.errors:
            return result.inventory
    if commits:
        return revisions.load(commits[0].revision)[0]
    return None


def _diagnostic_entries(
    inventory: Inventory,
    committed: set[str],
    commune: str | None,
    since: dt.date | None,
    until: dt.date | None,
) -> list[JournalEntry]:
    entries: list[JournalEntry] = []
    for diagnostic in inventory.diagnostics:
        if diagnostic.origin.path in committed:
            continue
        if (since is not None and diagnostic.date < since) or (
            until is not None and diagnostic.date > until
        ):
            continue
        if commune is not None and commune not in diagnostic.communes:
            continue
        moment = dt.datetime.combine(diagnostic.date, dt.time(), tzinfo=dt.UTC)
        entries.append(
            JournalEntry(
                "diagnostic",
                moment,
                f"Diagnostic d'architecture : {diagnostic.project} (non commité)",
                diagnostics=(diagnostic,),
            )
        )
    return entries

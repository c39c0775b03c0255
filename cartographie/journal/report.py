"""The journal as a document: one entry per commit that changed the portfolio, newest first.

People read each entry in two lines — date, revision, author and message, then what changed
(counted by kind of object) and the verdicts of the diagnostics the commit recorded; with
``detail``, the objects that changed follow, one a line, and each diagnostic's findings. Machine
formats get the same columns (``changement`` and ``avis`` apart); ``--format json`` writes the
record of :meth:`Journal.to_dict`, every change included.
"""

from __future__ import annotations

from cartographie.diff.report import change_title
from cartographie.document import Column, Document, LineLayout, Paragraph, make_table, numbers
from cartographie.journal import Journal, JournalEntry, verdict_text

JSON_FORMAT = "cartographie/journal"
INDENT = "    "

ENTRY_COLUMNS = (
    Column("date", "Date", "date"),
    Column("revision", "Révision"),
    Column("auteur", "Auteur"),
    Column("message", "Message"),
    Column("changement", "Changement", audience="machines"),
    Column("avis", "Diagnostics enregistrés", audience="machines"),
    Column("resume", "Résumé", audience="people"),
)
DETAIL_COLUMN = Column("detail", "Détail", "lines")

ENTRY_LINES = LineLayout("{date}  {revision}  {auteur} — {message}", (f"{INDENT}{{resume}}",))
DETAIL_LINES = LineLayout(ENTRY_LINES.line, (*ENTRY_LINES.details, f"{INDENT}{INDENT}{{detail}}"))


def entry_lines(entry: JournalEntry) -> tuple[str, ...]:
    """The objects that changed, then each recorded diagnostic's findings."""
    lines = []
    if entry.changes is not None:
        lines += [f"{change.kind} {change_title(change)}" for change in entry.changes.changes]
    for diagnostic in entry.diagnostics:
        lines += [
            f"{f.code} [{f.severity}] {', '.join(f.objects)}"
            for f in diagnostic.findings
            if not f.preexisting
        ]
    return tuple(lines)


def _revision(entry: JournalEntry) -> str:
    return entry.revision[:8] if entry.revision else "non commité"


def journal_document(journal: Journal, detail: bool = False) -> Document:
    where = f" — {journal.names.get(journal.commune, journal.commune)}" if journal.commune else ""
    rows = []
    for entry in journal.entries:
        row = (
            entry.date.date().isoformat(),
            _revision(entry),
            entry.author or "—",
            entry.title,
            entry.change_sentence(),
            " ; ".join(verdict_text(d) for d in entry.diagnostics),
            entry.summary(),
        )
        rows.append((*row, entry_lines(entry)) if detail else row)
    columns = (*ENTRY_COLUMNS, DETAIL_COLUMN) if detail else ENTRY_COLUMNS
    table = make_table(
        "entrees", "Entrées", columns, rows, lines=DETAIL_LINES if detail else ENTRY_LINES
    )
    commits = len([entry for entry in journal.entries if entry.kind == "commit"])
    if rows:
        verb = "changent" if commits > 1 else "change"
        summary = f"{numbers.count(commits, 'commit')} qui {verb} le patrimoine"
    else:
        summary = "Journal vide : aucun commit ne change le patrimoine"
    pending = len(rows) - commits
    if pending:
        plural = "s" if pending > 1 else ""
        summary += f", {numbers.count(pending, 'diagnostic')} non commité{plural}"
    if journal.unchanged:
        other = journal.unchanged
        plural = "s" if other > 1 else ""
        summary += (
            f" ; {numbers.integer(other)} autre{plural} commit{plural} touche"
            f"{'nt' if other > 1 else ''} ses fichiers sans le changer"
        )
    summary += "."
    if rows and not detail:
        summary += " --detail pour les objets."
    parameters = []
    if journal.commune:
        parameters.append(("Commune", journal.commune))
    if journal.since:
        parameters.append(("Depuis", journal.since.isoformat()))
    if journal.until:
        parameters.append(("Jusqu'au", journal.until.isoformat()))
    return Document(
        "journal",
        f"Journal du patrimoine{where}",
        (table,) if rows else (),
        parameters=tuple(parameters),
        summary=(Paragraph(summary),),
        record={"format": JSON_FORMAT, **journal.to_dict()},
    )

"""The journal as a document: one row per commit or recorded diagnostic, newest first.

Each row gives the date, the revision, the author, the commit's message and what changed (the
diff's sentence); with ``--commune``, the objects that changed for that commune, and for a
diagnostic its findings (codes, severities, objects; the messages are in the JSON and the
recorded file). ``--format json`` writes the record of :meth:`Journal.to_dict`.
"""

from __future__ import annotations

from cartographie.diff.report import change_title
from cartographie.document import Column, Document, Paragraph, make_table, numbers
from cartographie.journal import Journal, JournalEntry

JSON_FORMAT = "cartographie/journal"

ENTRY_COLUMNS = (
    Column("date", "Date", "date"),
    Column("revision", "Révision"),
    Column("auteur", "Auteur"),
    Column("message", "Message"),
    Column("changement", "Changement"),
    Column("detail", "Détail", "lines"),
)


def entry_lines(entry: JournalEntry, commune: str | None) -> tuple[str, ...]:
    if entry.diagnostic is not None:
        return tuple(
            f"{f.code} [{f.severity}] {', '.join(f.objects)}"
            for f in entry.diagnostic.findings
            if not f.preexisting
        )
    if entry.changes is None or commune is None:
        return ()
    return tuple(f"{change.kind} {change_title(change)}" for change in entry.changes.changes)


def journal_document(journal: Journal) -> Document:
    where = f" — {journal.names.get(journal.commune, journal.commune)}" if journal.commune else ""
    rows = [
        (
            entry.date.date().isoformat(),
            entry.revision[:8] if entry.revision else "diagnostic",
            entry.author,
            entry.title,
            entry.summary(),
            entry_lines(entry, journal.commune),
        )
        for entry in journal.entries
    ]
    summary = (
        f"{numbers.count(len(rows), 'entrée')}."
        if rows
        else "Journal vide : aucun commit ne touche l'inventaire."
    )
    parameters = []
    if journal.commune:
        parameters.append(("Commune", journal.commune))
    if journal.since:
        parameters.append(("Depuis", journal.since.isoformat()))
    return Document(
        "journal",
        f"Journal du patrimoine{where}",
        (make_table("entrees", "Entrées", ENTRY_COLUMNS, rows),) if rows else (),
        parameters=tuple(parameters),
        summary=(Paragraph(summary),),
        record={"format": JSON_FORMAT, **journal.to_dict()},
    )

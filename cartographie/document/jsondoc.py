"""JSON for programs: a command's own record, or the document in a versioned schema.

A command with a documented record (``diff``, ``diagnostic``, ``journal``, ``stats``) writes it
as it is (:attr:`Document.record`, each with its ``format`` and ``version``). Any other document
writes :data:`FORMAT` version :data:`VERSION`:

- ``format``, ``version``, ``rapport`` (the document's name), ``titre``, ``parametres`` (label →
  value), ``resume`` (texts);
- ``tables``: every table in reading order — ``nom``, ``titre``, ``note``, ``section`` (the
  title of the section holding it, or null), ``colonnes`` (``cle``, ``libelle``, ``type`` among
  :data:`TYPE_NAMES`) and ``lignes`` (objects keyed by column; references as ids, lists as
  arrays, rates as fractions);
- ``listes`` (each item's ``texte`` and ``details``), ``graphique`` (the chart's points and
  series, when there is one), ``frise`` (a timeline's rows, their bars and marks, dates in ISO),
  ``notes``.

Keys are sorted: the same document gives the same bytes. A key added keeps the version; a key
that changes meaning or disappears bumps it.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from cartographie.document.model import (
    Block,
    CellValue,
    Document,
    Items,
    Ref,
    Section,
    Table,
    Timeline,
)

FORMAT = "cartographie/document"
VERSION = 1

TYPE_NAMES: dict[str, str] = {
    "text": "texte",
    "integer": "entier",
    "euros": "euros",
    "rate": "taux",
    "decimal": "decimal",
    "bytes": "octets",
    "year": "annee",
    "date": "date",
    "reference": "reference",
    "list": "liste",
    "lines": "lignes",
    "flag": "booleen",
    "location": "emplacement",
}


def _value(value: CellValue) -> Any:
    if isinstance(value, tuple):
        return [item.id if isinstance(item, Ref) else item for item in value]
    if isinstance(value, Ref):
        return value.id
    return value


def _table(table: Table, section: str | None) -> dict[str, Any]:
    columns = [column for column in table.columns if column.audience != "people"]
    positions = [table.columns.index(column) for column in columns]
    data: dict[str, Any] = {
        "nom": table.name,
        "titre": table.title,
        "note": table.note,
        "section": section,
        "colonnes": [
            {"cle": column.key, "libelle": column.label, "type": TYPE_NAMES[column.kind]}
            for column in columns
        ],
        "lignes": [
            {table.columns[index].key: _value(row[index]) for index in positions}
            for row in table.rows
        ],
    }
    return data


def _collect(
    blocks: tuple[Block, ...], section: str | None, tables: list[Any], lists: list[Any]
) -> None:
    for block in blocks:
        if isinstance(block, Table):
            tables.append(_table(block, section))
        elif isinstance(block, Section):
            _collect(block.blocks, block.title, tables, lists)
        elif isinstance(block, Items):
            lists.append(
                {
                    "nom": block.name,
                    "section": section,
                    "elements": [
                        {"texte": item.text, "details": list(item.details)} for item in block.items
                    ],
                }
            )


def to_data(document: Document) -> dict[str, Any]:
    """The document as plain data (the generic schema, whatever the record)."""
    tables: list[Any] = []
    lists: list[Any] = []
    _collect(document.blocks, None, tables, lists)
    data: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "rapport": document.name,
        "titre": document.title,
        "parametres": dict(document.parameters),
        "resume": [paragraph.text for paragraph in document.summary],
        "tables": tables,
        "listes": lists,
        "notes": list(document.notes),
    }
    for figure in document.figures:
        if figure.chart is not None:
            chart = figure.chart
            data["graphique"] = {
                "titre": chart.title,
                "abscisse": chart.x_label,
                "ordonnee": chart.y_label,
                "points": list(chart.x_values),
                "series": {series.key: list(series.values) for series in chart.series},
            }
            break
        if figure.timeline is not None:
            data["frise"] = _timeline_data(figure.timeline)
            break
    return data


def _timeline_data(timeline: Timeline) -> dict[str, Any]:
    def day(value: dt.date | None) -> str | None:
        return value.isoformat() if value is not None else None

    return {
        "titre": timeline.title,
        "debut": timeline.start.isoformat(),
        "fin": timeline.end.isoformat(),
        "aujourdhui": day(timeline.today),
        "lignes": [
            {
                "libelle": row.label,
                "titre": row.heading,
                "barres": [
                    {"debut": day(bar.start), "fin": day(bar.end), "style": bar.style}
                    for bar in row.bars
                ],
                "reperes": [
                    {"date": mark.day.isoformat(), "libelle": mark.label, "style": mark.style}
                    for mark in row.marks
                ],
            }
            for row in timeline.rows
        ],
    }


def to_json(document: Document) -> str:
    data = dict(document.record) if document.record is not None else to_data(document)
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"

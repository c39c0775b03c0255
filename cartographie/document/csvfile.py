"""CSV, one dialect for every table the tool writes (reports, documents, exports).

Two dialects, chosen with ``--csv`` (or ``CARTOGRAPHIE_CSV``):

- ``excel`` (the default): ``;`` between cells, a decimal comma, UTF-8 with a byte-order mark,
  CRLF line ends — what Excel in a French locale opens by a double click, in columns, with its
  numbers as numbers. The urbaniste's committees open these files; a tool can ask for the other.
- ``standard``: RFC 4180 — ``,``, a decimal point, no byte-order mark — for pandas, DuckDB,
  ``csvkit`` and shell pipelines.

Cells are typed the same way in both: numbers plain (no thousands separator, no ``%``), ids for
references, ``oui``/``non``, empty for nothing. A text cell that a spreadsheet would read as a
formula gets a leading ``'`` (:func:`~cartographie.document.text.spreadsheet_text`); control
characters are made visible.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from cartographie.document.cells import machine_columns, machine_lines
from cartographie.document.model import CellValue, Column, Document, Table
from cartographie.document.text import spreadsheet_text, visible
from cartographie.errors import UnknownNameError

DIALECT_VARIABLE = "CARTOGRAPHIE_CSV"


@dataclass(frozen=True)
class CsvDialect:
    name: str
    description: str
    delimiter: str
    decimal: str
    bom: bool
    line_end: str = "\r\n"


CSV_DIALECTS: dict[str, CsvDialect] = {
    "excel": CsvDialect(
        "excel", "« ; », virgule décimale, BOM : Excel en français", ";", ",", True
    ),
    "standard": CsvDialect(
        "standard", "« , », point décimal, sans BOM (RFC 4180) : les outils", ",", ".", False
    ),
}
DEFAULT_DIALECT = "excel"


def dialect(name: str | None = None) -> CsvDialect:
    """The dialect named, else ``CARTOGRAPHIE_CSV``, else the default (``excel``)."""
    chosen = name or os.environ.get(DIALECT_VARIABLE, "").strip() or DEFAULT_DIALECT
    found = CSV_DIALECTS.get(chosen)
    if found is None:
        raise UnknownNameError(
            f"dialecte CSV inconnu : « {chosen} »", f"dialectes : {', '.join(CSV_DIALECTS)}"
        )
    return found


def safe_cell(text: str) -> str:
    return spreadsheet_text(visible(text, keep_lines=True))


def csv_text(header: Sequence[str], rows: Iterable[Sequence[str]], chosen: CsvDialect) -> str:
    """Rows of ready cell texts as CSV in the dialect (text cells neutralised here)."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=chosen.delimiter, lineterminator=chosen.line_end)
    writer.writerow([safe_cell(name) for name in header])
    for row in rows:
        writer.writerow(row)
    return ("\ufeff" if chosen.bom else "") + buffer.getvalue()


def cell_text(value: CellValue, column: Column, chosen: CsvDialect) -> str:
    text = machine_lines(value, column, chosen.decimal)
    if isinstance(value, bool | int | float) or value is None:
        return text  # a number we wrote ourselves: nothing to neutralise
    return safe_cell(text)


def table_to_csv(table: Table, chosen: CsvDialect) -> str:
    shown = machine_columns(table.columns)
    return csv_text(
        [table.columns[index].key for index in shown],
        (
            [cell_text(row[index], table.columns[index], chosen) for index in shown]
            for row in table.rows
        ),
        chosen,
    )


def to_csv(document: Document, dialect_name: str | None = None) -> str:
    """The document's main table (restrict the document to pick another)."""
    table = document.main_table
    return "" if table is None else table_to_csv(table, dialect(dialect_name))

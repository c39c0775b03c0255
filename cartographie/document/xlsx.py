"""XLSX through openpyxl, for every document: one sheet per table, typed cells.

Each sheet has its header in bold and frozen (with the first column when the table is wide), an
autofilter over its rows, columns sized to their content, and cells typed by their column:
integers, euros and years as numbers with a French-readable format, rates as percentages, dates
as dates, flags as booleans; references as their ids (the ``nom`` columns beside them carry the
names), lists as one text. Text cells are stored as strings — never formulas, a leading
``= + - @`` marked as text (``quotePrefix``) so that editing the cell keeps it text — and their
control characters made visible (XML forbids them). A last sheet, ``a-propos``, holds the title,
parameters, summary and notes.

openpyxl stamps the workbook with the current time (document properties and every zip entry);
both are fixed here so that the same inventory gives byte-identical files.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from typing import TYPE_CHECKING, Any

from cartographie.document.cells import machine_columns
from cartographie.document.model import STYLE_COLOURS, CellValue, Column, Document, Ref, Table
from cartographie.document.text import spreadsheet_text, visible

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

FIXED_TIME = dt.datetime(2000, 1, 1, 0, 0, 0)  # openpyxl wants a naive datetime
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
SHEET_NAME_LENGTH = 31  # Excel's limit
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
NUMBER_FORMATS: dict[str, str] = {
    "integer": "#,##0",
    "euros": '#,##0 "€"',
    "rate": "0.00%",
    "decimal": "#,##0.00",
    "bytes": "#,##0",
    "year": "0",
    "date": "dd/mm/yyyy",
}
WIDE = 4  # columns from which the first one is frozen too


def _value(value: CellValue, column: Column) -> Any:
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, tuple):
        joined = ("\n" if column.kind == "lines" else ", ").join(value)
        return visible(joined, keep_lines=True)
    if isinstance(value, int | float):
        return value
    if isinstance(value, Ref):
        return visible(value.id)
    if column.kind == "date":
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    return visible(value, keep_lines=column.kind == "lines")


def _sheet_name(name: str, taken: set[str]) -> str:
    base = _SHEET_FORBIDDEN.sub("-", name)[:SHEET_NAME_LENGTH] or "table"
    candidate, number = base, 2
    while candidate.lower() in taken:
        suffix = f"-{number}"
        candidate = base[: SHEET_NAME_LENGTH - len(suffix)] + suffix
        number += 1
    taken.add(candidate.lower())
    return candidate


def _write_text(cell: Any, value: str) -> None:
    cell.value = value
    cell.data_type = "s"  # a string, whatever it starts with: never a formula
    if spreadsheet_text(value) != value:
        cell.quotePrefix = True


def _fill_sheet(sheet: Worksheet, table: Table) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    shown = machine_columns(table.columns)
    bold = Font(bold=True)
    for position, index in enumerate(shown, start=1):
        cell = sheet.cell(row=1, column=position)
        _write_text(cell, visible(table.columns[index].label))
        cell.font = bold
    widths = [len(table.columns[index].label) for index in shown]
    wrap = Alignment(wrap_text=True, vertical="top")
    for number, row in enumerate(table.rows, start=2):
        styles = table.style_of(number - 2)
        for position, index in enumerate(shown, start=1):
            column = table.columns[index]
            value = _value(row[index], column)
            cell = sheet.cell(row=number, column=position)
            if isinstance(value, str):
                _write_text(cell, value)
                longest = max((len(line) for line in value.split("\n")), default=0)
                if "\n" in value:
                    cell.alignment = wrap
            else:
                cell.value = value
                longest = len(str(value)) if value is not None else 0
                if value is not None and column.kind in NUMBER_FORMATS:
                    cell.number_format = NUMBER_FORMATS[column.kind]
                    longest += 3
            widths[position - 1] = max(widths[position - 1], longest)
            style = styles[index]
            if style is not None:
                background, colour = STYLE_COLOURS[style]
                cell.fill = PatternFill("solid", fgColor=background.lstrip("#").upper())
                cell.font = Font(color=colour.lstrip("#").upper())
    for position, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(position)].width = min(60, max(8, width + 2))
    last = get_column_letter(max(1, len(shown)))
    sheet.freeze_panes = "B2" if len(shown) >= WIDE else "A2"
    sheet.auto_filter.ref = f"A1:{last}{len(table.rows) + 1}"


def _about(sheet: Worksheet, document: Document) -> None:
    from openpyxl.styles import Font

    rows: list[tuple[str, str]] = [("Titre", document.title)]
    rows += list(document.parameters)
    rows += [("Résumé", paragraph.text) for paragraph in document.summary]
    rows += [
        (f"Table {table.name}", table.title + (f" — {table.note}" if table.note else ""))
        for table in document.tables
    ]
    rows += [("Note", note) for note in document.notes]
    for number, (label, text) in enumerate(rows, start=1):
        _write_text(sheet.cell(row=number, column=1), visible(label))
        sheet.cell(row=number, column=1).font = Font(bold=True)
        _write_text(sheet.cell(row=number, column=2), visible(text))
    sheet.column_dimensions["A"].width = 24
    sheet.column_dimensions["B"].width = 100


def to_xlsx(document: Document) -> bytes:
    from openpyxl import Workbook
    from openpyxl.writer.excel import ExcelWriter

    workbook = Workbook()
    workbook.remove(workbook.active)  # type: ignore[arg-type]
    workbook.properties.creator = "cartographie"
    workbook.properties.created = FIXED_TIME
    workbook.properties.modified = FIXED_TIME
    workbook.properties.title = visible(document.title)
    taken: set[str] = set()
    for table in document.tables:
        _fill_sheet(workbook.create_sheet(_sheet_name(table.name, taken)), table)
    _about(workbook.create_sheet(_sheet_name("a-propos", taken)), document)
    # Not ``workbook.save``: it stamps the file with the current time, so two runs in two
    # different seconds would give two different files.
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(workbook, archive).save()
    return _fix_zip_times(buffer.getvalue())


def _fix_zip_times(data: bytes) -> bytes:
    output = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            target.writestr(fixed, source.read(info.filename))
    return output.getvalue()

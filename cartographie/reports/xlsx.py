"""XLSX through openpyxl: one sheet per table, numbers as numbers, the matrix coloured.

openpyxl stamps the workbook with the current time (document properties and every zip entry);
both are fixed here so that the same inventory gives byte-identical files.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from typing import TYPE_CHECKING

from cartographie.reports.formats import STYLE_COLOURS, machine
from cartographie.reports.table import CellValue, ReportDocument, Table

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

FIXED_TIME = dt.datetime(2000, 1, 1, 0, 0, 0)  # openpyxl wants a naive datetime
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
SHEET_NAME_LENGTH = 31  # Excel's limit


def to_xlsx(document: ReportDocument) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    workbook = Workbook()
    workbook.remove(workbook.active)  # type: ignore[arg-type]
    workbook.properties.creator = "cartographie"
    workbook.properties.created = FIXED_TIME
    workbook.properties.modified = FIXED_TIME
    workbook.properties.title = document.title
    for table in document.tables:
        sheet = workbook.create_sheet(table.name[:SHEET_NAME_LENGTH])
        sheet.append([column.label for column in table.columns])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for index, row in enumerate(table.rows):
            sheet.append([_cell(value) for value in row])
            if table.styles is None:
                continue
            for column_index, style in enumerate(table.styles[index]):
                if style is None:
                    continue
                background, colour = STYLE_COLOURS[style]
                cell = sheet.cell(row=index + 2, column=column_index + 1)
                cell.fill = PatternFill("solid", fgColor=background.lstrip("#").upper())
                cell.font = Font(color=colour.lstrip("#").upper())
        _format_columns(sheet, table)
        sheet.freeze_panes = "B2"
    # Not ``workbook.save``: it stamps the file with the current time, so two runs in two
    # different seconds would give two different files.
    from openpyxl.writer.excel import ExcelWriter

    buffer = io.BytesIO()
    ExcelWriter(workbook, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED)).save()
    return _fix_zip_times(buffer.getvalue())


def _cell(value: CellValue) -> str | int | float:
    if isinstance(value, tuple | bool) or value is None:
        return machine(value)
    return value


def _format_columns(sheet: Worksheet, table: Table) -> None:
    from openpyxl.utils import get_column_letter

    for index, column in enumerate(table.columns, start=1):
        letter = get_column_letter(index)
        width = max([len(column.label)] + [len(machine(row[index - 1])) for row in table.rows])
        sheet.column_dimensions[letter].width = min(60, max(8, width + 2))
        if column.kind == "rate":
            for row_index in range(2, len(table.rows) + 2):
                sheet.cell(row=row_index, column=index).number_format = "0.00%"


def _fix_zip_times(data: bytes) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            target.writestr(fixed, source.read(info.filename))
    return output.getvalue()

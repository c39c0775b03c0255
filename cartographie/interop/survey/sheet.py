"""Reading the spreadsheet (XLSX through openpyxl, or CSV in whatever Excel saved): its header
and its rows, each with the number a person sees in the spreadsheet."""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cartographie.errors import PathError
from cartographie.interop.common import InteropError, check_unzipped_size, read_input


@dataclass
class Sheet:
    """The rows of a spreadsheet: header names, then each row with its number (as shown)."""

    name: str
    header: list[str]
    header_row: int
    rows: list[tuple[int, list[Any]]]


def read_sheet(path: Path, sheet: str | None = None, header_row: int = 1) -> Sheet:
    """Read a CSV or XLSX file into a :class:`Sheet`; :class:`InteropError` if unreadable."""
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        raw_rows = list(_xlsx_rows(path, sheet))
    elif suffix in (".csv", ".txt"):
        raw_rows = list(_csv_rows(path))
    else:
        raise PathError(
            f"format de tableur non reconnu : « {path.name} »",
            "donnez un fichier .xlsx ou .csv (enregistrez un .xls ou un .ods en .xlsx)",
        )
    header_index = next(
        (index for index, (number, _) in enumerate(raw_rows) if number == header_row), None
    )
    if header_index is None:
        raise InteropError(
            f"{path.name} : pas de ligne d'en-tête à la ligne {header_row}",
            "le tableur est vide, ou « ligne_entete » de la correspondance est faux",
        )
    header = [cell_text(value) for value in raw_rows[header_index][1]]
    while header and not header[-1]:
        header.pop()
    rows = [(number, values) for number, values in raw_rows[header_index + 1 :]]
    return Sheet(path.name, header, header_row, rows)


def _xlsx_rows(path: Path, sheet: str | None) -> Iterator[tuple[int, list[Any]]]:
    from openpyxl import load_workbook

    data = read_input(path)
    check_unzipped_size(path, data)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises zipfile, KeyError, InvalidFileException…
        raise InteropError(
            f"{path.name} : classeur XLSX illisible ({type(error).__name__}: {error})",
            "ouvrez-le et réenregistrez-le au format .xlsx, ou exportez la feuille en CSV",
        ) from None
    try:
        if sheet is None:
            worksheet = workbook.worksheets[0]
        elif sheet in workbook.sheetnames:
            worksheet = workbook[sheet]
        else:
            close = difflib.get_close_matches(sheet, workbook.sheetnames, n=1)
            raise InteropError(
                f"{path.name} : pas de feuille « {sheet} »",
                f"vouliez-vous dire « {close[0]} » ?"
                if close
                else f"feuilles : {', '.join(workbook.sheetnames)}",
            )
        for number, values in enumerate(worksheet.iter_rows(values_only=True), start=1):
            yield number, list(values)
    finally:
        workbook.close()


def _csv_rows(path: Path) -> Iterator[tuple[int, list[Any]]]:
    raw = read_input(path)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel in a French locale saves "CSV" in Windows-1252 unless told otherwise.
        text = raw.decode("cp1252", errors="replace")
    first_line = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    line = 1
    for values in reader:
        yield line, values
        line = reader.line_num + 1


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()

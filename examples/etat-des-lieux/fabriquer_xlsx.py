"""Rebuild etat-des-lieux.xlsx from etat-des-lieux.csv (the CSV is the source of truth).

    python examples/etat-des-lieux/fabriquer_xlsx.py

The workbook has the same rows on a sheet named « Applications », a frozen, bold header and
column widths, as a DSI would hand it over; cost and year cells are numbers, not text.
"""

from __future__ import annotations

import csv
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font

HERE = Path(__file__).resolve().parent
NUMERIC = {"Coût annuel (€ TTC)", "Année de mise en service"}


def main() -> None:
    with (HERE / "etat-des-lieux.csv").open(encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.reader(stream, delimiter=";"))
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Applications"
    header = rows[0]
    sheet.append(header)
    for row in rows[1:]:
        sheet.append(
            [
                int(value) if header[index] in NUMERIC and value.isdigit() else (value or None)
                for index, value in enumerate(row)
            ]
        )
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for index, name in enumerate(header, start=1):
        width = max(len(name), *(len(row[index - 1]) for row in rows[1:] if len(row) >= index))
        sheet.column_dimensions[sheet.cell(1, index).column_letter].width = min(width + 2, 60)
    # Fixed document properties: the workbook says who made it, not when it was last rebuilt.
    import datetime as dt

    workbook.properties.created = dt.datetime(2025, 1, 6, 9, 0, 0)
    workbook.properties.modified = dt.datetime(2025, 1, 6, 9, 0, 0)
    workbook.properties.creator = "DGSIN — cellule urbanisation"
    workbook.save(HERE / "etat-des-lieux.xlsx")


if __name__ == "__main__":
    main()

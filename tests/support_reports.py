"""What the report tests share: the hand-written example métropole, and table helpers."""

from __future__ import annotations

import datetime as dt
from functools import cache
from pathlib import Path

from cartographie.document import CellValue, Document
from cartographie.graph import Portfolio
from cartographie.inventory import load_inventory

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "petite-metropole"
# A fixed reference date for the dated reports (délégations, qualité).
REFERENCE_DATE = dt.date(2026, 6, 1)


@cache
def example_portfolio() -> Portfolio:
    return Portfolio(load_inventory(EXAMPLE))


def records(document: Document, table: str) -> list[dict[str, CellValue]]:
    return document.table(table).records()


def by_key(document: Document, table: str, key: str) -> dict[str, dict[str, CellValue]]:
    """The table's rows indexed by one column (which must be unique)."""
    rows = records(document, table)
    indexed = {str(row[key]): row for row in rows}
    assert len(indexed) == len(rows), f"{table}.{key} is not unique"
    return indexed

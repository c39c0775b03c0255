"""The neutral structure every report is built into before it is written in any format.

A report is a :class:`ReportDocument`: a title, the parameters it was computed with, and one or
more :class:`Table` — named columns with a kind (count, rate, money…) and rows of plain values —
plus, for the trend, a :class:`Chart`. Every format (markdown, CSV, JSON, HTML, XLSX, the rich
table of the CLI) is written from this one structure, so that the same figures appear in every
format; only their spelling changes (``0.6667`` in CSV and JSON, ``66,67 %`` for people).

Rates are rounded here, once, to :data:`RATE_DIGITS` decimals: a human format shows exactly that
value as a percentage with two decimals, never a different rounding.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

RATE_DIGITS = 4

# A cell: a number, a text, an ordered list of ids (JSON array, "a, b" elsewhere), or nothing.
CellValue = str | int | float | bool | tuple[str, ...] | None

ColumnKind = Literal["text", "count", "rate", "money", "date", "list", "flag", "location"]

# Style tokens for cells (the convergence matrix); each format maps them to its own colours.
CellStyle = Literal["partagee", "propre", "plusieurs", "aucune", "alerte", "ok"]


@dataclass(frozen=True)
class Column:
    """A column: ``key`` names it for machines (CSV header, JSON key), ``label`` for people."""

    key: str
    label: str
    kind: ColumnKind = "text"


@dataclass(frozen=True)
class Table:
    """One table of a report. ``name`` is a slug (``--table NAME``, JSON key, XLSX sheet)."""

    name: str
    title: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[CellValue, ...], ...]
    note: str = ""
    # Optional style token per cell, same shape as ``rows`` (None: no style).
    styles: tuple[tuple[CellStyle | None, ...], ...] | None = None

    def __post_init__(self) -> None:
        width = len(self.columns)
        for row in self.rows:
            if len(row) != width:
                raise ValueError(f"table {self.name}: a row has {len(row)} cells, expected {width}")
        if self.styles is not None and len(self.styles) != len(self.rows):
            raise ValueError(f"table {self.name}: styles and rows differ in length")

    def column_index(self, key: str) -> int:
        for index, column in enumerate(self.columns):
            if column.key == key:
                return index
        raise KeyError(key)

    def column_values(self, key: str) -> list[CellValue]:
        index = self.column_index(key)
        return [row[index] for row in self.rows]

    def records(self) -> list[dict[str, CellValue]]:
        """Rows as mappings column key -> value (the JSON form)."""
        keys = [column.key for column in self.columns]
        return [dict(zip(keys, row, strict=True)) for row in self.rows]


@dataclass(frozen=True)
class Series:
    key: str
    label: str
    values: tuple[float | None, ...]


@dataclass(frozen=True)
class Chart:
    """A line chart's data: one x label per point, series of values in [0, 1]."""

    title: str
    x_label: str
    y_label: str
    x_values: tuple[str, ...]
    series: tuple[Series, ...]


@dataclass(frozen=True)
class ReportDocument:
    """A report ready to be written: its tables (in reading order) and, maybe, a chart."""

    name: str
    title: str
    tables: tuple[Table, ...]
    # (label, value) of the options the figures depend on: zone, reference date, months…
    parameters: tuple[tuple[str, str], ...] = ()
    chart: Chart | None = None
    notes: tuple[str, ...] = field(default=())
    # The table a one-table format (CSV) writes by default; the first one when empty.
    primary: str = ""

    @property
    def main_table(self) -> Table | None:
        if self.primary:
            return self.table(self.primary)
        return self.tables[0] if self.tables else None

    def table(self, name: str) -> Table:
        for table in self.tables:
            if table.name == name:
                return table
        raise KeyError(name)

    def only(self, names: Iterable[str]) -> ReportDocument:
        """The same document restricted to the named tables (in the document's order)."""
        wanted = set(names)
        return ReportDocument(
            name=self.name,
            title=self.title,
            tables=tuple(table for table in self.tables if table.name in wanted),
            parameters=self.parameters,
            chart=self.chart,
            notes=self.notes,
            primary=self.primary if self.primary in wanted else "",
        )


def rate(value: float) -> float:
    """A rate as every format shows it: rounded once to :data:`RATE_DIGITS` decimals."""
    return round(value, RATE_DIGITS)


def ids(values: Iterable[str]) -> tuple[str, ...]:
    """A list cell: sorted, without duplicates."""
    return tuple(sorted(set(values)))


def make_table(
    name: str,
    title: str,
    columns: Sequence[Column],
    rows: Iterable[Sequence[CellValue]],
    *,
    note: str = "",
    styles: Iterable[Sequence[CellStyle | None]] | None = None,
) -> Table:
    return Table(
        name=name,
        title=title,
        columns=tuple(columns),
        rows=tuple(tuple(row) for row in rows),
        note=note,
        styles=None if styles is None else tuple(tuple(row) for row in styles),
    )

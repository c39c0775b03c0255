"""The document: what every command that prints a result returns, before any format.

A :class:`Document` is a title, the parameters its figures depend on, a summary (what a reader
must see first), and blocks in reading order: :class:`Table` (typed columns, rows of plain
values), :class:`Paragraph`, :class:`Items` (a list of lines with details), :class:`Figure`
(a chart or an SVG) and :class:`Section` (a titled group of blocks, maybe folded). Every format
of :mod:`cartographie.document.formats` writes any document; the terminal table is drawn from
the same structure by the CLI. So the same figures appear in every format, and only their
spelling changes (``0.1665`` for machines, ``16,65 %`` for people).

Columns are typed (:data:`ColumnKind`): a format knows that a cell is euros, a rate, a year or a
*reference* — an inventory object (:class:`Ref`: its kind, id and label) that people read by its
label and HTML links to its atlas page, while machines get its id. Rates are rounded here, once,
to :data:`RATE_DIGITS` decimals, so that every format shows the same value.

A command whose result already has a documented JSON record (``diff``, ``diagnostic``,
``journal``, ``stats``) keeps it in :attr:`Document.record`: ``--format json`` writes that record
(its own versioned schema) rather than the generic document.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal

RATE_DIGITS = 4

ColumnKind = Literal[
    "text",  # any text
    "integer",  # a count
    "euros",  # an amount in euros (integer or cents)
    "rate",  # a share in [0, 1], shown as a percentage
    "decimal",  # any other number
    "bytes",  # a size in bytes (ko, Mo, Go for people)
    "year",  # a year, written without a thousands separator
    "date",  # an ISO date (AAAA-MM-JJ)
    "reference",  # an inventory object (Ref)
    "list",  # texts or references, on one line
    "lines",  # texts, one per line (the fields of a change)
    "flag",  # yes / no
    "location",  # file:line
]
NUMERIC_KINDS: frozenset[str] = frozenset(
    {"integer", "euros", "rate", "decimal", "year", "bytes"}
)

# Style tokens for cells (the convergence matrix, statuses); each format has its colours.
CellStyle = Literal["partagee", "propre", "plusieurs", "aucune", "alerte", "ok"]
# Colours of the style tokens (background, text), shared by HTML, XLSX and the terminal.
STYLE_COLOURS: dict[CellStyle, tuple[str, str]] = {
    "partagee": ("#c7e9c0", "#00441b"),  # on the shared application: converged
    "propre": ("#fdd0a2", "#7f2704"),  # its own application: not converged
    "plusieurs": ("#fcbba1", "#67000d"),  # several applications for one function
    "aucune": ("#f0f0f0", "#595959"),  # no application in this bloc (contrast 6:1, WCAG AA)
    "alerte": ("#fcbba1", "#67000d"),
    "ok": ("#c7e9c0", "#00441b"),
}
STYLE_LABELS: dict[CellStyle, str] = {
    "partagee": "application partagée",
    "propre": "application propre à la commune",
    "plusieurs": "plusieurs applications",
    "aucune": "aucune application",
    "alerte": "à traiter",
    "ok": "conforme",
}


class Ref(str):
    """An inventory object in a cell: it *is* its id (a ``str``: it sorts, compares and writes
    as the id in CSV and JSON), and carries its ``kind`` and the ``label`` people read.

    ``kind`` is the French word of the object (``commune``, ``bloc``, ``application``,
    ``processus``, ``produit``, ``editeur``, ``donnee``, ``zone``…): HTML links the kinds that
    have an atlas page.
    """

    kind: str
    label: str

    def __new__(cls, kind: str, id: str, label: str = "") -> Ref:
        ref = super().__new__(cls, id)
        ref.kind = kind
        ref.label = label or id
        return ref

    @property
    def id(self) -> str:
        return str.__str__(self)

    def __getnewargs__(self) -> tuple[str, str, str]:  # type: ignore[override]
        return (self.kind, self.id, self.label)

    def __repr__(self) -> str:
        return f"Ref({self.kind!r}, {self.id!r}, {self.label!r})"


CellItem = str  # a text or a Ref
CellValue = str | int | float | bool | tuple[str, ...] | None


@dataclass(frozen=True)
class Column:
    """A column: ``key`` names it for machines (CSV header, JSON key), ``label`` for people.

    ``audience`` hides a column from one side: a ``nom`` column beside a reference column is
    for machines only (people read the name in the reference already).
    """

    key: str
    label: str
    kind: ColumnKind = "text"
    audience: Literal["all", "machines", "people"] = "all"
    # For an amount that sums costs some of which are unknown: the key of the integer column,
    # in the same table, that counts them. People read « au moins 12 300 €, 2 coûts
    # inconnus », never the partial sum alone; machines get both columns.
    unknowns: str = ""

    @property
    def numeric(self) -> bool:
        return self.kind in NUMERIC_KINDS


@dataclass(frozen=True)
class LineLayout:
    """How a linear human format (the terminal) writes a table as lines, one row each:
    ``line`` and ``details`` are ``str.format`` templates over the columns' keys (the values
    written for people). The diagnostic's ``fichier:ligne: code [gravité] message`` is one."""

    line: str
    details: tuple[str, ...] = ()


@dataclass(frozen=True)
class Table:
    """One table. ``name`` is a slug (``--table NAME``, JSON key, XLSX sheet)."""

    name: str
    title: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[CellValue, ...], ...]
    note: str = ""
    # Optional style token per cell, same shape as ``rows`` (None: no style).
    styles: tuple[tuple[CellStyle | None, ...], ...] | None = None
    # People's formats split the rows by this column's value, one part each (folded in
    # Markdown); machines get one table.
    group_by: str = ""
    lines: LineLayout | None = None

    def __post_init__(self) -> None:
        width = len(self.columns)
        for row in self.rows:
            if len(row) != width:
                raise ValueError(f"table {self.name}: a row has {len(row)} cells, expected {width}")
        if self.styles is not None and len(self.styles) != len(self.rows):
            raise ValueError(f"table {self.name}: styles and rows differ in length")
        if self.group_by:
            self.column_index(self.group_by)
        for column in self.columns:
            if column.unknowns:
                self.column_index(column.unknowns)

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

    def style_of(self, index: int) -> tuple[CellStyle | None, ...]:
        if self.styles is None:
            return (None,) * len(self.columns)
        return self.styles[index]

    def groups(self) -> list[tuple[CellValue, Table]]:
        """The parts of a grouped table (in the order their values first appear)."""
        if not self.group_by:
            return [(None, self)]
        index = self.column_index(self.group_by)
        order: list[CellValue] = []
        parts: dict[CellValue, list[int]] = {}
        for position, row in enumerate(self.rows):
            value = row[index]
            if value not in parts:
                order.append(value)
                parts[value] = []
            parts[value].append(position)
        # Within a part, the grouping column says the same thing on every row: people read it in
        # the part's title only.
        columns = tuple(
            replace(column, audience="machines") if position == index else column
            for position, column in enumerate(self.columns)
        )
        return [
            (
                value,
                replace(
                    self,
                    columns=columns,
                    rows=tuple(self.rows[i] for i in parts[value]),
                    styles=None
                    if self.styles is None
                    else tuple(self.styles[i] for i in parts[value]),
                    group_by="",
                ),
            )
            for value in order
        ]


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


# What a bar or a mark of a timeline stands for; each has its colour and shape in
# :mod:`cartographie.document.timeline` (styles are data).
TimelineStyle = Literal[
    "chantier",  # a chantier, from its start to its end
    "cible",  # the application a chantier converges to
    "retiree",  # an application a chantier retires
    "application",  # any other application of the roadmap
    "hors-support",  # the part of an application's life after its product's end of support
    "vague",  # a chantier's wave (a mark)
    "fin-de-support",  # a product's end of support (a mark)
]


@dataclass(frozen=True)
class TimelineBar:
    """A span of a row: ``None`` at an end means beyond the axis on that side."""

    start: dt.date | None
    end: dt.date | None
    style: TimelineStyle


@dataclass(frozen=True)
class TimelineMark:
    day: dt.date
    label: str
    style: TimelineStyle


@dataclass(frozen=True)
class TimelineRow:
    """One line of a timeline; a ``heading`` row opens a group (a chantier and its
    applications)."""

    label: str
    bars: tuple[TimelineBar, ...] = ()
    marks: tuple[TimelineMark, ...] = ()
    heading: bool = False


@dataclass(frozen=True)
class Timeline:
    """A Gantt-like picture over ``[start, end)``: rows of bars and marks, and today's line."""

    title: str
    start: dt.date
    end: dt.date
    rows: tuple[TimelineRow, ...]
    today: dt.date | None = None
    note: str = ""


@dataclass(frozen=True)
class Figure:
    """A picture: a chart drawn by :mod:`cartographie.document.chart`, a timeline drawn by
    :mod:`cartographie.document.timeline`, or a ready SVG."""

    title: str
    chart: Chart | None = None
    svg: str = ""
    timeline: Timeline | None = None

    def to_svg(self) -> str:
        """The picture as SVG (drawn now for a chart or a timeline)."""
        if self.chart is not None:
            from cartographie.document.chart import chart_to_svg

            return chart_to_svg(self.chart)
        if self.timeline is not None:
            from cartographie.document.timeline import timeline_to_svg

            return timeline_to_svg(self.timeline)
        return self.svg


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of plain text (never markup); ``strong`` for a verdict or a total."""

    text: str
    strong: bool = False


@dataclass(frozen=True)
class Item:
    """One line of a list, with lines under it."""

    text: str
    details: tuple[str, ...] = ()


@dataclass(frozen=True)
class Items:
    items: tuple[Item, ...]
    name: str = ""


@dataclass(frozen=True)
class Section:
    """A titled group of blocks; ``fold``: Markdown and HTML show it closed (``<details>``)."""

    title: str
    blocks: tuple[Block, ...]
    name: str = ""
    fold: bool = False


Block = Table | Paragraph | Items | Figure | Section


@dataclass(frozen=True)
class Document:
    """A result ready to be written in any format."""

    name: str
    title: str
    blocks: tuple[Block, ...] = ()
    # (label, value) of the options the figures depend on: zone, reference date, months…
    parameters: tuple[tuple[str, str], ...] = ()
    # What a reader must see first (a verdict, a count): Markdown puts it before anything.
    summary: tuple[Paragraph, ...] = ()
    notes: tuple[str, ...] = field(default=())
    # The table a one-table format (CSV) writes by default; the first one when empty.
    primary: str = ""
    # The command's own JSON record (its documented, versioned schema), when it has one.
    record: Mapping[str, Any] | None = None

    @property
    def tables(self) -> tuple[Table, ...]:
        return tuple(block for block in walk(self.blocks) if isinstance(block, Table))

    @property
    def figures(self) -> tuple[Figure, ...]:
        return tuple(block for block in walk(self.blocks) if isinstance(block, Figure))

    @property
    def main_table(self) -> Table | None:
        if self.primary:
            return self.table(self.primary)
        tables = self.tables
        return tables[0] if tables else None

    def table(self, name: str) -> Table:
        for table in self.tables:
            if table.name == name:
                return table
        raise KeyError(name)

    def only(self, names: Iterable[str]) -> Document:
        """The same document restricted to the named tables (sections left empty go too)."""
        wanted = set(names)
        return replace(
            self,
            blocks=_keep_tables(self.blocks, wanted),
            primary=self.primary if self.primary in wanted else "",
        )


def lone_table(section: Section) -> Table | None:
    """The section's only block when it is a table: formats then write the table under the
    section's title alone, rather than two titles saying the same thing."""
    if len(section.blocks) == 1 and isinstance(section.blocks[0], Table):
        return section.blocks[0]
    return None


def walk(blocks: Iterable[Block]) -> Iterator[Block]:
    """Every block, sections' contents included, in reading order."""
    for block in blocks:
        yield block
        if isinstance(block, Section):
            yield from walk(block.blocks)


def _keep_tables(blocks: tuple[Block, ...], wanted: set[str]) -> tuple[Block, ...]:
    kept: list[Block] = []
    for block in blocks:
        if isinstance(block, Table):
            if block.name in wanted:
                kept.append(block)
        elif isinstance(block, Section):
            inner = _keep_tables(block.blocks, wanted)
            if any(isinstance(item, Table) for item in walk(inner)):
                kept.append(replace(block, blocks=inner))
        else:
            kept.append(block)
    return tuple(kept)


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
    group_by: str = "",
    lines: LineLayout | None = None,
) -> Table:
    return Table(
        name=name,
        title=title,
        columns=tuple(columns),
        rows=tuple(tuple(row) for row in rows),
        note=note,
        styles=None if styles is None else tuple(tuple(row) for row in styles),
        group_by=group_by,
        lines=lines,
    )

"""The ``table`` format: any document drawn in the terminal with rich.

This is the one format the library does not write (only the CLI speaks rich): the same document
the registry writes as Markdown or CSV is drawn here as rich tables, in reading order. Data never
acts on the terminal: every text is a ``rich.text.Text`` (no markup, no emoji codes) with its
control characters made visible, and the console is made with markup, emoji and highlighting off.
"""

from __future__ import annotations

import os
from dataclasses import replace
from typing import TYPE_CHECKING

from cartographie.document import numbers
from cartographie.document.cells import human, human_in_row, people_columns
from cartographie.document.model import (
    STYLE_COLOURS,
    Block,
    Document,
    Figure,
    Items,
    Paragraph,
    Section,
    Table,
    lone_table,
)
from cartographie.document.text import visible

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table as RichTable
    from rich.text import Text

WIDE = 240  # columns when stdout is not a terminal (a file, a pipe, a test)


def text(value: str, style: str = "") -> Text:
    """Data as terminal text: plain (never markup), control characters visible."""
    from rich.text import Text

    return Text(visible(value, keep_lines=True), style=style)


def _rich_table(table: Table, title: str) -> RichTable:
    from rich.table import Table as RichTable

    shown = people_columns(table.columns)
    multiline = any(table.columns[index].kind == "lines" for index in shown)
    rich_table = RichTable(title=text(title), title_justify="left", show_lines=multiline)
    for index in shown:
        column = table.columns[index]
        rich_table.add_column(
            text(column.label),
            justify="right" if column.numeric else "left",
            overflow="fold",
        )
    for number, row in enumerate(table.rows):
        styles = table.style_of(number)
        cells = []
        for index in shown:
            cell = text(human_in_row(row, index, table.columns))
            style = styles[index]
            if style is not None:
                background, colour = STYLE_COLOURS[style]
                cell.stylize(f"{colour} on {background}")
            cells.append(cell)
        rich_table.add_row(*cells)
    if not table.rows:
        rich_table.caption = "(aucune ligne)"
    return rich_table


def _lines(console: Console, table: Table) -> None:
    """A table written one row per line (``LineLayout``): what editors and grep read."""
    assert table.lines is not None
    console.print(text(f"{table.title} :", "bold"))
    for row in table.rows:
        values = {
            # an empty list is no line at all, not a « — »
            column.key: "" if row[index] == () else human_in_row(row, index, table.columns)
            for index, column in enumerate(table.columns)
        }
        console.print(text(table.lines.line.format_map(values)))
        for detail in table.lines.details:
            line = detail.format_map(values)
            if line.strip():
                # the template's indent holds for every line of a multi-line value
                indent = detail[: len(detail) - len(detail.lstrip())]
                console.print(text(line.replace("\n", "\n" + indent)))
    if not table.rows:
        console.print(text("(aucun)", "dim"))


def _table(console: Console, table: Table) -> None:
    if table.lines is not None:
        _lines(console, table)
    elif table.group_by:
        column = table.columns[table.column_index(table.group_by)]
        for value, part in table.groups():
            title = f"{table.title} — {human(value, column)} ({numbers.integer(len(part.rows))})"
            console.print(_rich_table(part, title))
    else:
        console.print(_rich_table(table, table.title))
    if table.note:
        console.print(text(table.note, "dim"))


def _blocks(console: Console, blocks: tuple[Block, ...]) -> None:
    for block in blocks:
        if isinstance(block, Table):
            _table(console, block)
        elif isinstance(block, Section):
            table = lone_table(block)
            if table is not None and not table.group_by and table.lines is None:
                _table(console, replace(table, title=block.title))
            else:
                console.print(text(block.title, "bold underline"))
                _blocks(console, block.blocks)
        elif isinstance(block, Paragraph):
            console.print(text(block.text, "bold" if block.strong else ""))
        elif isinstance(block, Items):
            for item in block.items:
                console.print(text(item.text))
                for detail in item.details:
                    console.print(text(f"    {detail}"))
        elif isinstance(block, Figure):
            console.print(text(f"(graphique « {block.title} » : --format svg ou html)", "dim"))


def print_document(console: Console, document: Document) -> None:
    """Draw the document: title, parameters, summary, then its blocks in reading order."""
    if not console.is_terminal and "COLUMNS" not in os.environ:
        # Reports are wide: rich's 80 columns would squash every cell into "…".
        console.width = WIDE
    console.print(text(document.title, "bold"))
    for label, value in document.parameters:
        console.print(text(f"{label} : {value}"))
    for paragraph in document.summary:
        console.print(text(paragraph.text, "bold" if paragraph.strong else ""))
    _blocks(console, document.blocks)
    for note in document.notes:
        console.print(text(note, "dim"))

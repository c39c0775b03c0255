"""Markdown for a merge-request comment or a committee note.

The summary comes first (title, parameters, the document's summary), then the blocks; folded
sections become ``<details>`` blocks and a grouped table one folded part per group, so that a
reviewer sees the size of a change before its content. Every text goes through the one escaper,
:func:`cartographie.document.text.markdown_text`: nothing from the data renders as markup or
notifies anyone.

The output can be **bounded** (``max_bytes``; the CLI's ``--max-octets``, under GitHub's 1 MiB
step-summary limit by default): blocks and table rows are written in reading order while they
fit, every ``<details>`` opened is closed, and a last line says what was left out.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from cartographie.document import numbers
from cartographie.document.cells import human, human_in_row, people_columns
from cartographie.document.model import (
    Block,
    Document,
    Figure,
    Items,
    Paragraph,
    Section,
    Table,
    lone_table,
)
from cartographie.document.text import markdown_text

# Room kept for the closing tags and the line that says what was left out.
RESERVE = 600
CLOSE_DETAILS = "</details>\n"


@dataclass
class _Output:
    limit: int | None
    parts: list[str] = field(default_factory=list)
    size: int = 0
    full: bool = False
    omitted_rows: int = 0
    omitted_blocks: int = 0

    def fits(self, text: str) -> bool:
        if self.full:
            return False
        if self.limit is not None and self.size + len(text.encode("utf-8")) > self.limit - RESERVE:
            self.full = True
            return False
        return True

    def add(self, text: str) -> bool:
        if not self.fits(text):
            return False
        self.force(text)
        return True

    def force(self, text: str) -> None:
        self.parts.append(text)
        self.size += len(text.encode("utf-8"))


def _cell(text: str) -> str:
    # Multi-line cells (a change's fields) keep their lines: a forge renders <br> in a table.
    return "<br>".join(markdown_text(line) for line in text.split("\n"))


def _table_lines(table: Table, out: _Output, level: int, title: bool = True) -> None:
    shown = people_columns(table.columns)
    columns = [table.columns[index] for index in shown]
    head = []
    if title:
        head += [f"{'#' * level} {markdown_text(table.title)}", ""]
    if table.note:
        head += [f"*{markdown_text(table.note)}*", ""]
    if not table.rows:
        out.add("\n".join([*head, "(aucune ligne)", "", ""]))
        return
    head.append("| " + " | ".join(markdown_text(column.label) for column in columns) + " |")
    head.append("|" + "|".join("---:" if column.numeric else "---" for column in columns) + "|")
    rows = [
        "| "
        + " | ".join(_cell(human_in_row(row, index, table.columns)) for index in shown)
        + " |"
        for row in table.rows
    ]
    if not out.fits("\n".join([*head, rows[0]]) + "\n"):
        out.omitted_rows += len(rows)
        out.omitted_blocks += 1
        return
    out.add("\n".join(head) + "\n")
    for position, row in enumerate(rows):
        if not out.add(row + "\n"):
            out.omitted_rows += len(rows) - position
            break
    out.force("\n")


def _grouped(table: Table, out: _Output, level: int) -> None:
    if not out.add(f"{'#' * level} {markdown_text(table.title)}\n\n"):
        out.omitted_blocks += 1
        out.omitted_rows += len(table.rows)
        return
    column = table.columns[table.column_index(table.group_by)]
    for value, part in table.groups():
        summary = f"{human(value, column)} ({numbers.integer(len(part.rows))})"
        opening = f"<details><summary>{markdown_text(summary)}</summary>\n\n"
        if not out.add(opening):
            out.omitted_blocks += 1
            out.omitted_rows += len(part.rows)
            continue
        _table_lines(part, out, level + 1, title=False)
        out.force(CLOSE_DETAILS + "\n")


def _items(block: Items, out: _Output) -> None:
    for position, item in enumerate(block.items):
        lines = [f"- {markdown_text(item.text)}"]
        lines += [f"  - {markdown_text(detail)}" for detail in item.details]
        if not out.add("\n".join(lines) + "\n"):
            out.omitted_rows += len(block.items) - position
            out.omitted_blocks += 1
            return
    out.force("\n")


def _paragraph(block: Paragraph) -> str:
    text = markdown_text(block.text)
    return f"**{text}**\n\n" if block.strong else f"{text}\n\n"


def _blocks(blocks: tuple[Block, ...], out: _Output, level: int) -> None:
    for block in blocks:
        if out.full:
            out.omitted_blocks += 1
            if isinstance(block, Table):
                out.omitted_rows += len(block.rows)
            continue
        if isinstance(block, Table):
            if block.group_by:
                _grouped(block, out, level)
            else:
                _table_lines(block, out, level)
        elif isinstance(block, Section):
            if block.fold:
                opening = f"<details><summary>{markdown_text(block.title)}</summary>\n\n"
                if not out.add(opening):
                    out.omitted_blocks += 1
                    continue
                table = lone_table(block)
                if table is not None and not table.group_by:
                    _table_lines(table, out, level + 1, title=False)
                else:
                    _blocks(block.blocks, out, level + 1)
                out.force(CLOSE_DETAILS + "\n")
            else:
                if not out.add(f"{'#' * level} {markdown_text(block.title)}\n\n"):
                    out.omitted_blocks += 1
                    continue
                _blocks(block.blocks, out, level + 1)
        elif isinstance(block, Paragraph):
            if not out.add(_paragraph(block)):
                out.omitted_blocks += 1
        elif isinstance(block, Items):
            _items(block, out)
        elif isinstance(block, Figure) and not out.add(
            f"*Graphique : {markdown_text(block.title)} (voir le format svg ou html).*\n\n"
        ):
            out.omitted_blocks += 1


def to_markdown(document: Document, max_bytes: int | None = None, heading: int = 1) -> str:
    """The document in Markdown, at most ``max_bytes`` bytes of UTF-8 when given."""
    whole = _write(document, None, heading)
    if max_bytes is None or len(whole.encode("utf-8")) <= max_bytes:
        return whole
    return _write(document, max_bytes, heading)


def _write(document: Document, max_bytes: int | None, heading: int) -> str:
    out = _Output(max_bytes)
    head = [f"{'#' * heading} {markdown_text(document.title)}", ""]
    if document.parameters:
        head += [
            f"- {markdown_text(name)} : {markdown_text(value)}"
            for name, value in document.parameters
        ]
        head.append("")
    out.force("\n".join(head) + "\n")
    for paragraph in document.summary:
        out.force(_paragraph(paragraph))
    _blocks(document.blocks, out, heading + 1)
    notes = "".join(f"> {markdown_text(note)}\n" for note in document.notes)
    if notes and not out.add(notes + "\n"):
        out.omitted_blocks += 1
    if out.full:
        out.force(
            f"> **Sortie coupée à {numbers.integer(max_bytes or 0)} octets** (--max-octets) : "
            f"{numbers.count(out.omitted_rows, 'ligne')} et "
            f"{numbers.count(out.omitted_blocks, 'bloc')} non montrés. Le détail complet : "
            "--format json, csv, html ou xlsx.\n"
        )
    return "".join(out.parts).rstrip("\n") + "\n"

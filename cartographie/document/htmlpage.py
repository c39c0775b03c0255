"""HTML: a standalone page, or a fragment for the atlas, in the atlas's styles.

Every text is escaped (``html.escape``) and its control characters made visible. References are
shown by their label and linked when a ``links`` function gives their page (the atlas passes one
relative to its report pages; ``rapport --format html --atlas DOSSIER`` one toward an atlas on
disk); the id stays in the ``title`` attribute. Folded sections and grouped tables are
``<details>`` blocks. The style sheet (``style.css``) is the atlas's: a report looks the same
in the atlas and as a file.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from functools import cache
from importlib import resources

from cartographie.document import numbers
from cartographie.document.cells import NOTHING, human, partial_amount, people_columns
from cartographie.document.model import (
    STYLE_COLOURS,
    STYLE_LABELS,
    Block,
    CellStyle,
    CellValue,
    Column,
    Document,
    Figure,
    Items,
    Paragraph,
    Ref,
    Section,
    Table,
    lone_table,
)
from cartographie.document.text import visible

# A reference's page (an URL relative to the page being written), or None: no link.
LinkResolver = Callable[[Ref], str | None]


@cache
def stylesheet() -> str:
    """The CSS every page of the tool uses (the atlas's and the reports')."""
    return resources.files("cartographie.document").joinpath("style.css").read_text("utf-8")


def escape(text: str) -> str:
    return html.escape(visible(text, keep_lines=True))


def _reference(item: str, links: LinkResolver | None) -> str:
    if not isinstance(item, Ref):
        return escape(item)
    text = escape(item.label)
    href = links(item) if links is not None else None
    title = f' title="{escape(item.id)}"' if item.label != item.id else ""
    if href:
        return f'<a href="{html.escape(href)}"{title}>{text}</a>'
    return f"<span{title}>{text}</span>" if title else text


def _cell_content(value: CellValue, column: Column, links: LinkResolver | None) -> str:
    if isinstance(value, Ref):
        return _reference(value, links)
    if isinstance(value, tuple) and value:
        separator = "<br>" if column.kind == "lines" else ", "
        return separator.join(_reference(item, links) for item in value)
    return "<br>".join(escape(line) for line in human(value, column).split("\n"))


def _cell(
    value: CellValue,
    column: Column,
    style: CellStyle | None,
    links: LinkResolver | None,
    unknown: int = 0,
) -> str:
    attributes = ' class="nombre"' if column.numeric else ""
    if style is not None:
        background, colour = STYLE_COLOURS[style]
        attributes += (
            f' style="background:{background};color:{colour}"'
            f' title="{html.escape(STYLE_LABELS[style])}"'
        )
    content = _cell_content(value, column, links)
    if unknown > 0 and value is not None:
        content = escape(partial_amount(human(value, column), unknown))
    return f"<td{attributes}>{content}</td>"


def _unknowns(row: tuple[CellValue, ...], column: Column, positions: dict[str, int]) -> int:
    """How many unknown costs the amount of ``column`` leaves out, in this row."""
    if column.key not in positions:
        return 0
    count = row[positions[column.key]]
    return count if isinstance(count, int) and not isinstance(count, bool) else 0


def table_to_html(table: Table, links: LinkResolver | None = None, caption: bool = True) -> str:
    shown = people_columns(table.columns)
    parts = [f'<table class="rapport" id="table-{html.escape(table.name)}">']
    if caption:
        parts.append(f"<caption>{escape(table.title)}</caption>")
    parts.append(
        "<thead><tr>"
        + "".join(f"<th>{escape(table.columns[index].label)}</th>" for index in shown)
        + "</tr></thead>"
    )
    parts.append("<tbody>")
    # A report's cells repeat (oui, 0, a commune…): each distinct cell of a column is written
    # once. Floats are told apart by their repr (0.0 and -0.0 print differently); references by
    # their kind and label too (a commune and a zone may share an id, and link to different
    # pages; an id with two labels would be a bug, but must not show the wrong one).
    written: dict[tuple[int, type, object, object, CellStyle | None, int], str] = {}
    unknown_at = {
        column.key: table.column_index(column.unknowns)
        for column in table.columns
        if column.unknowns
    }
    for number, row in enumerate(table.rows):
        styles = table.style_of(number)
        cells = []
        for index in shown:
            value = row[index]
            extra = (
                (value.kind, value.label)
                if isinstance(value, Ref)
                else repr(value)
                if isinstance(value, float | tuple)
                else None
            )
            unknown = _unknowns(row, table.columns[index], unknown_at)
            key = (index, type(value), value, extra, styles[index], unknown)
            cell = written.get(key)
            if cell is None:
                cell = written[key] = _cell(
                    value, table.columns[index], styles[index], links, unknown
                )
            cells.append(cell)
        parts.append(f"<tr>{''.join(cells)}</tr>")
    parts.append("</tbody></table>")
    if not table.rows:
        parts.append('<p class="note">(aucune ligne)</p>')
    if table.styles is not None:
        used = sorted({style for row in table.styles for style in row if style is not None})
        legend = " ".join(
            f'<span style="background:{STYLE_COLOURS[style][0]};color:{STYLE_COLOURS[style][1]};'
            f'padding:0 0.4rem">{html.escape(STYLE_LABELS[style])}</span>'
            for style in used
        )
        parts.append(f'<p class="legende">{legend}</p>')
    if table.note:
        parts.append(f'<p class="note">{escape(table.note)}</p>')
    return "\n".join(parts)


def _grouped(table: Table, links: LinkResolver | None, level: int) -> str:
    column = table.columns[table.column_index(table.group_by)]
    parts = [f"<h{level}>{escape(table.title)}</h{level}>"]
    for value, part in table.groups():
        label = human(value, column) if value is not None else NOTHING
        parts.append(
            f"<details><summary>{escape(label)} ({numbers.integer(len(part.rows))})</summary>"
        )
        parts.append(table_to_html(part, links, caption=False))
        parts.append("</details>")
    return "\n".join(parts)


def _figure(figure: Figure) -> str:
    svg = figure.to_svg()
    return f'<figure class="graphique">{svg[svg.index("<svg") :]}</figure>' if svg else ""


def _blocks(blocks: tuple[Block, ...], links: LinkResolver | None, level: int) -> list[str]:
    parts: list[str] = []
    for block in blocks:
        if isinstance(block, Table):
            parts.append(
                _grouped(block, links, level) if block.group_by else table_to_html(block, links)
            )
        elif isinstance(block, Section):
            table = lone_table(block)
            if table is not None and not table.group_by:
                inner = [table_to_html(table, links, caption=False)]
            else:
                inner = _blocks(block.blocks, links, min(level + 1, 6))
            if block.fold:
                parts.append(f"<details><summary>{escape(block.title)}</summary>")
                parts.extend(inner)
                parts.append("</details>")
            else:
                parts.append(f"<section><h{level}>{escape(block.title)}</h{level}>")
                parts.extend(inner)
                parts.append("</section>")
        elif isinstance(block, Paragraph):
            text = escape(block.text)
            parts.append(f"<p><strong>{text}</strong></p>" if block.strong else f"<p>{text}</p>")
        elif isinstance(block, Items):
            parts.append('<ul class="liste">')
            for item in block.items:
                details = "".join(f"<li>{escape(line)}</li>" for line in item.details)
                parts.append(
                    f"<li>{escape(item.text)}"
                    + (f"<ul>{details}</ul>" if details else "")
                    + "</li>"
                )
            parts.append("</ul>")
        elif isinstance(block, Figure):
            parts.append(_figure(block))
    return parts


def to_html_fragment(
    document: Document, links: LinkResolver | None = None, heading: int = 2
) -> str:
    """The document as an HTML fragment: no ``<html>``, no external asset (an atlas page)."""
    parts = [f'<section class="rapport" id="rapport-{html.escape(document.name)}">']
    parts.append(f"<h{heading}>{escape(document.title)}</h{heading}>")
    if document.parameters:
        parts.append('<ul class="parametres">')
        parts.extend(
            f"<li>{escape(label)} : {escape(value)}</li>" for label, value in document.parameters
        )
        parts.append("</ul>")
    for paragraph in document.summary:
        text = escape(paragraph.text)
        parts.append(f"<p><strong>{text}</strong></p>" if paragraph.strong else f"<p>{text}</p>")
    parts.extend(_blocks(document.blocks, links, min(heading + 1, 6)))
    parts.extend(f'<p class="note">{escape(note)}</p>' for note in document.notes)
    parts.append("</section>")
    return "\n".join(parts) + "\n"


def to_html(document: Document, links: LinkResolver | None = None) -> str:
    """A standalone HTML page (UTF-8, the atlas's style sheet inline)."""
    return (
        "<!DOCTYPE html>\n"
        '<html lang="fr">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(document.title)}</title>\n"
        f"<style>\n{stylesheet()}</style>\n</head>\n<body>\n<main>\n"
        + to_html_fragment(document, links, heading=1)
        + "</main>\n</body>\n</html>\n"
    )

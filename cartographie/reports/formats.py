"""The registry of output formats: a report document in, text (or bytes) out.

``FORMATS`` maps a format name to a writer; the CLI and the atlas look formats up here rather
than branching on names. Each writer spells the same values of the :class:`ReportDocument`:

- ``markdown`` — for a merge-request comment or a committee note;
- ``csv`` — one table (the first, or the one asked for), RFC 4180, keys as headers;
- ``json`` — every table, rows as objects, keys sorted;
- ``html`` — a standalone page (inline style, no external asset); ``html_fragment`` is the same
  content without ``<html>``, for the atlas;
- ``xlsx`` — one sheet per table, the matrix coloured (:mod:`cartographie.reports.xlsx`);
- ``svg`` — the report's chart (:mod:`cartographie.reports.chart`), for the trend.

Human formats (markdown, HTML, the CLI's table) write rates as percentages with two decimals and a
French decimal comma, amounts in euros with thin-space thousands; machine formats (CSV, JSON,
XLSX) write the raw value. Both come from the same rounded value (see ``table.rate``).
"""

from __future__ import annotations

import csv
import html
import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from cartographie.errors import UsageError
from cartographie.reports.table import CellStyle, CellValue, Column, ReportDocument, Table

THIN_SPACE = "\u202f"  # French typography: before % and €, and between thousands
NOTHING = "—"

# Colours of the style tokens (background, text), shared by HTML, XLSX and the CLI's table.
STYLE_COLOURS: dict[CellStyle, tuple[str, str]] = {
    "partagee": ("#c7e9c0", "#00441b"),  # on the shared application: converged
    "propre": ("#fdd0a2", "#7f2704"),  # its own application: not converged
    "plusieurs": ("#fcbba1", "#67000d"),  # several applications for one function
    "aucune": ("#f0f0f0", "#737373"),  # no application in this bloc
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


def thousands(value: int) -> str:
    sign = "-" if value < 0 else ""
    return sign + f"{abs(value):,}".replace(",", THIN_SPACE)


def percent(value: float) -> str:
    return f"{value * 100:.2f}".replace(".", ",") + f"{THIN_SPACE}%"


def human(value: CellValue, column: Column) -> str:
    """A cell as people read it (markdown, HTML, the terminal)."""
    if value is None:
        return NOTHING
    if isinstance(value, tuple):
        return ", ".join(value) if value else NOTHING
    if isinstance(value, bool):
        return "oui" if value else "non"
    if column.kind == "rate" and isinstance(value, int | float):
        return percent(float(value))
    if column.kind == "money" and isinstance(value, int):
        return f"{thousands(value)}{THIN_SPACE}€"
    if isinstance(value, int):
        return thousands(value)
    if isinstance(value, float):
        return f"{value:.4f}".replace(".", ",")
    return str(value)


def machine(value: CellValue) -> str:
    """A cell as CSV writes it: raw numbers, ``oui``/``non``, lists joined by ``, ``."""
    if value is None:
        return ""
    if isinstance(value, tuple):
        return ", ".join(value)
    if isinstance(value, bool):
        return "oui" if value else "non"
    return str(value)


def is_numeric(column: Column) -> bool:
    return column.kind in ("count", "rate", "money")


# --- markdown ------------------------------------------------------------------------------


def _md_cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def to_markdown(document: ReportDocument) -> str:
    lines = [f"# {document.title}", ""]
    if document.parameters:
        lines.extend(f"- {label} : {value}" for label, value in document.parameters)
        lines.append("")
    for table in document.tables:
        lines.extend([f"## {table.title}", ""])
        if table.note:
            lines.extend([f"*{_md_cell(table.note)}*", ""])
        if not table.rows:
            lines.extend(["(aucune ligne)", ""])
            continue
        lines.append("| " + " | ".join(_md_cell(column.label) for column in table.columns) + " |")
        rule = ("---:" if is_numeric(column) else "---" for column in table.columns)
        lines.append("|" + "|".join(rule) + "|")
        for row in table.rows:
            cells = (
                _md_cell(human(value, column))
                for value, column in zip(row, table.columns, strict=True)
            )
            lines.append("| " + " | ".join(cells) + " |")
        lines.append("")
    lines.extend(f"> {note}" for note in document.notes)
    return "\n".join(lines).rstrip("\n") + "\n"


# --- CSV -----------------------------------------------------------------------------------


def table_to_csv(table: Table) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([column.key for column in table.columns])
    for row in table.rows:
        writer.writerow([machine(value) for value in row])
    return buffer.getvalue()


def to_csv(document: ReportDocument) -> str:
    """The document's main table as CSV (restrict the document to pick another)."""
    table = document.main_table
    return "" if table is None else table_to_csv(table)


# --- JSON ----------------------------------------------------------------------------------


def _json_value(value: CellValue) -> Any:
    return list(value) if isinstance(value, tuple) else value


def to_data(document: ReportDocument) -> dict[str, Any]:
    """The document as plain data: what ``--format json`` prints."""
    data: dict[str, Any] = {
        "rapport": document.name,
        "titre": document.title,
        "parametres": dict(document.parameters),
        "tables": [
            {
                "nom": table.name,
                "titre": table.title,
                "note": table.note,
                "colonnes": [
                    {"cle": column.key, "libelle": column.label, "type": column.kind}
                    for column in table.columns
                ],
                "lignes": [
                    {key: _json_value(value) for key, value in record.items()}
                    for record in table.records()
                ],
            }
            for table in document.tables
        ],
    }
    if document.notes:
        data["notes"] = list(document.notes)
    if document.chart is not None:
        chart = document.chart
        data["graphique"] = {
            "titre": chart.title,
            "abscisse": chart.x_label,
            "ordonnee": chart.y_label,
            "points": list(chart.x_values),
            "series": {series.key: list(series.values) for series in chart.series},
        }
    return data


def to_json(document: ReportDocument) -> str:
    return json.dumps(to_data(document), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


# --- HTML ----------------------------------------------------------------------------------

_HTML_STYLE = """
body { font-family: system-ui, sans-serif; margin: 2rem; color: #222; }
table.rapport { border-collapse: collapse; margin: 0.5rem 0 1.5rem; font-size: 0.9rem; }
table.rapport caption { text-align: left; font-weight: bold; padding: 0.3rem 0; }
table.rapport th, table.rapport td { border: 1px solid #ccc; padding: 0.2rem 0.5rem; }
table.rapport th { background: #f4f4f4; }
table.rapport td.nombre { text-align: right; white-space: nowrap; }
p.note { color: #555; font-style: italic; }
""".strip()


def _html_cell(value: CellValue, column: Column, style: CellStyle | None) -> str:
    attributes = ' class="nombre"' if is_numeric(column) else ""
    if style is not None:
        background, colour = STYLE_COLOURS[style]
        attributes += (
            f' style="background:{background};color:{colour}"'
            f' title="{html.escape(STYLE_LABELS[style])}"'
        )
    return f"<td{attributes}>{html.escape(human(value, column))}</td>"


def table_to_html(table: Table) -> str:
    parts = [f'<table class="rapport" id="table-{html.escape(table.name)}">']
    parts.append(f"<caption>{html.escape(table.title)}</caption>")
    parts.append(
        "<thead><tr>"
        + "".join(f"<th>{html.escape(column.label)}</th>" for column in table.columns)
        + "</tr></thead>"
    )
    parts.append("<tbody>")
    # A report's cells repeat (oui, 0, a commune's name…): each distinct cell of a column is
    # formatted once. Floats are told apart by their repr (0.0 and -0.0 print differently).
    formatted: dict[tuple[int, type, object, CellStyle | None], str] = {}
    columns = table.columns
    for index, row in enumerate(table.rows):
        styles = table.styles[index] if table.styles is not None else (None,) * len(row)
        cells = []
        for position, (value, column, style) in enumerate(zip(row, columns, styles, strict=True)):
            key = (position, type(value), repr(value) if isinstance(value, float) else value, style)
            cell = formatted.get(key)
            if cell is None:
                cell = formatted[key] = _html_cell(value, column, style)
            cells.append(cell)
        parts.append(f"<tr>{''.join(cells)}</tr>")
    parts.append("</tbody></table>")
    if table.styles is not None:
        used = sorted({style for row in table.styles for style in row if style is not None})
        legend = " ".join(
            f'<span style="background:{STYLE_COLOURS[style][0]};color:{STYLE_COLOURS[style][1]};'
            f'padding:0 0.4rem">{html.escape(STYLE_LABELS[style])}</span>'
            for style in used
        )
        parts.append(f'<p class="legende">{legend}</p>')
    if table.note:
        parts.append(f'<p class="note">{html.escape(table.note)}</p>')
    return "\n".join(parts)


def to_html_fragment(document: ReportDocument) -> str:
    """The report as an HTML fragment: no ``<html>``, no external asset (the atlas's page)."""
    parts = [f'<section class="rapport" id="rapport-{html.escape(document.name)}">']
    parts.append(f"<h2>{html.escape(document.title)}</h2>")
    if document.parameters:
        parts.append('<ul class="parametres">')
        parts.extend(
            f"<li>{html.escape(label)} : {html.escape(value)}</li>"
            for label, value in document.parameters
        )
        parts.append("</ul>")
    if document.chart is not None:
        from cartographie.reports.chart import chart_to_svg

        svg = chart_to_svg(document.chart)
        parts.append(svg[svg.index("<svg") :])
    for table in document.tables:
        parts.append(table_to_html(table))
    parts.extend(f'<p class="note">{html.escape(note)}</p>' for note in document.notes)
    parts.append("</section>")
    return "\n".join(parts) + "\n"


def to_html(document: ReportDocument) -> str:
    """A standalone HTML page (UTF-8, inline style)."""
    return (
        "<!DOCTYPE html>\n"
        '<html lang="fr">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{html.escape(document.title)}</title>\n"
        f"<style>\n{_HTML_STYLE}\n</style>\n</head>\n<body>\n"
        + to_html_fragment(document)
        + "</body>\n</html>\n"
    )


# --- the registry --------------------------------------------------------------------------


def _to_xlsx(document: ReportDocument) -> bytes:
    from cartographie.reports.xlsx import to_xlsx

    return to_xlsx(document)


def _to_svg(document: ReportDocument) -> str:
    from cartographie.reports.chart import chart_to_svg

    if document.chart is None:
        raise UsageError(
            f"le rapport {document.name} n'a pas de graphique", "le format svg sert à « tendance »"
        )
    return chart_to_svg(document.chart)


@dataclass(frozen=True)
class Format:
    """An output format: its writer, and whether it gives bytes (so needs ``--sortie``)."""

    name: str
    write: Callable[[ReportDocument], str | bytes]
    binary: bool = False
    # Writes one table only (CSV): the CLI says which others exist.
    single_table: bool = False


FORMATS: dict[str, Format] = {
    "markdown": Format("markdown", to_markdown),
    "csv": Format("csv", to_csv, single_table=True),
    "json": Format("json", to_json),
    "html": Format("html", to_html),
    "xlsx": Format("xlsx", _to_xlsx, binary=True),
    "svg": Format("svg", _to_svg),
}


def render(document: ReportDocument, format_name: str) -> str | bytes:
    """Write the document in the named format."""
    try:
        writer = FORMATS[format_name]
    except KeyError:
        choices = ", ".join(sorted(FORMATS))
        raise UsageError(f"format inconnu : {format_name}", f"formats : {choices}") from None
    return writer.write(document)

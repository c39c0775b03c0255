"""SVG timelines (the roadmap's picture, ``rapport feuille-de-route``).

A :class:`~cartographie.document.model.Timeline` becomes a Gantt-like figure a committee reads
from left to right: one row per chantier (a heading row, in bold) and per application concerned,
bars for the spans, marks for waves and ends of support, a dashed line for today, years on the
axis and a legend below. Colours and shapes are the table :data:`STYLES` (styles are data).
Written by :mod:`cartographie.document.svgdraw`: the same timeline gives the same bytes, text
kept as text.
"""

from __future__ import annotations

import datetime as dt

from cartographie.document.model import Timeline, TimelineStyle
from cartographie.document.numbers import integer
from cartographie.document.svgdraw import Drawing

LABEL_LENGTH = 54
MAX_YEAR_TICKS = 16
WIDTH = 1200
ROW = 26  # pixels a row
LABELS = 330  # the rows' labels, left of the axis
TOP = 52

# Style -> (fill colour, edge colour, bar height (a share of a row) or marker (D: a diamond,
# X: a cross), French legend label).
STYLES: dict[TimelineStyle, tuple[str, str, float | str, str]] = {
    "chantier": ("#3f6fb5", "#24467a", 0.62, "Chantier (début → fin)"),
    "cible": ("#4c9a5b", "#2f6b3a", 0.46, "Application cible"),
    "retiree": ("#b8b8b8", "#7a7a7a", 0.46, "Application retirée par le chantier"),
    "application": ("#d9c49a", "#9c8451", 0.46, "Autre application"),
    "hors-support": ("#e4877a", "#a8382b", 0.46, "En service après la fin du support"),
    "vague": ("#f2b134", "#8a5a00", "D", "Vague (+N : les communes qui rejoignent la cible)"),
    "fin-de-support": ("#c0392b", "#c0392b", "X", "Fin du support de l'éditeur"),
}


def _short(label: str) -> str:
    return label if len(label) <= LABEL_LENGTH else label[: LABEL_LENGTH - 1] + "…"


def timeline_to_svg(timeline: Timeline) -> str:
    rows = timeline.rows or ()
    count = max(1, len(rows))
    left, right = float(LABELS), float(WIDTH - 20)
    start, end = timeline.start.toordinal(), timeline.end.toordinal()
    span = max(1, end - start)
    bottom = TOP + ROW * count

    def x_of(day: dt.date) -> float:
        return left + (right - left) * (day.toordinal() - start) / span

    def y_of(position: int) -> float:
        return TOP + ROW * position + ROW / 2

    used = [
        key
        for key in STYLES
        if any(bar.style == key for row in rows for bar in row.bars)
        or any(mark.style == key for row in rows for mark in row.marks)
    ]
    legend = [STYLES[key] for key in used]
    legend_rows = -(-(len(legend) + (timeline.today is not None)) // 3)
    height = bottom + 40 + 20 * legend_rows + (22 if timeline.note else 8)
    drawing = Drawing(WIDTH, height)
    drawing.text(10, 24, timeline.title, 14, bold=True)
    for position, row in enumerate(rows):
        if row.heading:
            drawing.rect(0, TOP + ROW * position, WIDTH, ROW, "#eef2f8")
    # Years: a grid line and a label each, at most MAX_YEAR_TICKS of them.
    first, last = timeline.start.year, timeline.end.year
    step = max(1, -(-(last - first + 1) // MAX_YEAR_TICKS))
    for year in range(first, last + 1, step):
        day = dt.date(year, 1, 1)
        if not timeline.start <= day <= timeline.end:
            continue
        drawing.line(x_of(day), TOP, x_of(day), bottom, "#b8c2c9", 0.6)
        drawing.text(x_of(day), bottom + 16, str(year), 11, "middle", "#4d5963")
    drawing.line(left, bottom, right, bottom, "#5b6770")
    for position, row in enumerate(rows):
        y = y_of(position)
        drawing.text(left - 8, y + 4, _short(row.label), 11, "end", bold=row.heading)
        for bar in row.bars:
            fill, edge, size, _label = STYLES[bar.style]
            begin = left if bar.start is None else max(left, x_of(bar.start))
            finish = right if bar.end is None else min(right, x_of(bar.end))
            if finish <= begin or isinstance(size, str):
                continue
            thickness = ROW * size
            drawing.rect(begin, y - thickness / 2, finish - begin, thickness, fill, edge, 0.8)
        for mark in row.marks:
            if not timeline.start <= mark.day <= timeline.end:
                continue
            fill, edge, shape, _label = STYLES[mark.style]
            _marker(drawing, x_of(mark.day), y, str(shape), fill, edge)
            if mark.label:
                drawing.text(x_of(mark.day) + 6, y - 6, mark.label, 9, colour="#333333")
    if timeline.today is not None and timeline.start <= timeline.today <= timeline.end:
        x = x_of(timeline.today)
        drawing.line(x, TOP - 8, x, bottom, "#444444", 1.2, "5,3")
        drawing.text(x + 4, TOP - 10, "aujourd'hui", 10, colour="#444444")
    # The legend, three items a line, under the years.
    items: list[tuple[str, str, float | str, str]] = list(legend)
    if timeline.today is not None:
        items.append(("", "#444444", "today", "Aujourd'hui"))
    for index, (fill, edge, shape, label) in enumerate(items):
        x = 20 + (index % 3) * (WIDTH - 40) / 3
        y = bottom + 44 + 20 * (index // 3)
        if shape == "today":
            drawing.line(x, y - 4, x + 18, y - 4, edge, 1.2, "5,3")
        elif isinstance(shape, str):
            _marker(drawing, x + 9, y - 4, shape, fill, edge)
        else:
            drawing.rect(x, y - 10, 18, 11, fill, edge, 0.8)
        drawing.text(x + 26, y, label, 10)
    if timeline.note:
        drawing.text(10, height - 8, timeline.note, 9, colour="#555555")
    described = [row.label for row in rows if row.heading] or [row.label for row in rows[:3]]
    description = (
        f"Frise de {integer(timeline.start.year)} à {integer(timeline.end.year)} : "
        + ", ".join(described)
        + (f" ; {integer(len(rows))} lignes, détaillées dans les tables." if rows else "")
    )
    return drawing.to_svg(timeline.title, description)


def _marker(drawing: Drawing, x: float, y: float, shape: str, fill: str, edge: str) -> None:
    if shape == "D":
        drawing.polygon([(x, y - 6), (x + 5, y), (x, y + 6), (x - 5, y)], fill, edge)
    else:
        drawing.line(x - 5, y - 5, x + 5, y + 5, edge, 2)
        drawing.line(x - 5, y + 5, x + 5, y - 5, edge, 2)


def rows_note(shown: int, total: int) -> str:
    """« 40 lignes sur 57 » when a timeline keeps only part of its rows."""
    return f"{integer(shown)} lignes sur {integer(total)} ; les autres sont dans les tables."

"""SVG timelines through matplotlib (the roadmap's picture, ``rapport feuille-de-route``).

A :class:`~cartographie.document.model.Timeline` becomes a Gantt-like figure a committee reads
from left to right: one row per chantier (a heading row, in bold) and per application concerned,
bars for the spans, marks for waves and ends of support, a dashed line for today, years on the
axis and a legend below. Colours and shapes are the table :data:`STYLES` (styles are data). As
for the trend's chart, the SVG is deterministic: no date or creator in the metadata, a fixed
``svg.hashsalt``, text kept as text.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from cartographie.document.model import Timeline, TimelineStyle
from cartographie.document.numbers import integer

SALT = "cartographie"
LABEL_LENGTH = 54
ROW_HEIGHT = 0.27  # inches
MAX_YEAR_TICKS = 16

# Style -> (fill colour, edge colour, bar height or marker, French legend label).
STYLES: dict[TimelineStyle, tuple[str, str, Any, str]] = {
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


def _x(day: dt.date) -> float:
    """A day on the axis: its ordinal (the axis's ticks are written as years)."""
    return float(day.toordinal())


def timeline_to_svg(timeline: Timeline) -> str:
    import matplotlib

    matplotlib.use("Agg", force=True)
    from matplotlib import pyplot
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    style: Any = {
        "svg.hashsalt": SALT,
        "svg.fonttype": "none",
        "font.family": "DejaVu Sans",
        "font.size": 8,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.spines.left": False,
    }
    rows = timeline.rows or ()
    count = max(1, len(rows))
    axis_start = _x(timeline.start)
    axis_end = _x(timeline.end)
    with matplotlib.rc_context(style):
        figure, axes = pyplot.subplots(figsize=(12, 1.6 + ROW_HEIGHT * count))
        try:
            for position, row in enumerate(rows):
                if row.heading:
                    axes.axhspan(position - 0.5, position + 0.5, color="#eef2f8", zorder=0)
                for bar in row.bars:
                    fill, edge, height, _label = STYLES[bar.style]
                    left = axis_start if bar.start is None else _x(bar.start)
                    right = axis_end if bar.end is None else _x(bar.end)
                    left, right = max(left, axis_start), min(right, axis_end)
                    if right <= left:
                        continue
                    axes.barh(
                        position,
                        right - left,
                        left=left,
                        height=height,
                        color=fill,
                        edgecolor=edge,
                        linewidth=0.6,
                        zorder=2,
                    )
                for mark in row.marks:
                    day = _x(mark.day)
                    if not axis_start <= day <= axis_end:
                        continue
                    fill, edge, marker, _label = STYLES[mark.style]
                    axes.plot(
                        day,
                        position,
                        marker=marker,
                        markersize=6 if marker == "D" else 5,
                        markerfacecolor=fill,
                        markeredgecolor=edge,
                        linestyle="none",
                        zorder=4,
                    )
                    if mark.label:
                        axes.annotate(
                            mark.label,
                            (day, position),
                            xytext=(4, 5),
                            textcoords="offset points",
                            fontsize=6.5,
                            color="#333333",
                            zorder=5,
                        )
            if timeline.today is not None:
                today = _x(timeline.today)
                if axis_start <= today <= axis_end:
                    axes.axvline(today, color="#444444", linestyle="--", linewidth=0.9, zorder=3)
                    axes.annotate(
                        "aujourd'hui",
                        (today, -0.6),
                        xytext=(3, 0),
                        textcoords="offset points",
                        fontsize=7,
                        color="#444444",
                    )
            axes.set_ylim(count - 0.5, -1.0)
            axes.set_yticks(range(len(rows)), [_short(row.label) for row in rows])
            for tick, row in zip(axes.get_yticklabels(), rows, strict=True):
                if row.heading:
                    tick.set_fontweight("bold")
            axes.tick_params(axis="y", length=0)
            axes.set_xlim(axis_start, axis_end)
            first, last = timeline.start.year, timeline.end.year
            step = max(1, -(-(last - first + 1) // MAX_YEAR_TICKS))
            years = [
                year
                for year in range(first, last + 1, step)
                if dt.date(year, 1, 1) >= timeline.start
            ]
            axes.set_xticks(
                [_x(dt.date(year, 1, 1)) for year in years],
                [str(year) for year in years],
            )
            axes.grid(True, axis="x", alpha=0.3, zorder=1)
            axes.set_title(timeline.title, loc="left", fontsize=10, fontweight="bold")
            used = {bar.style for row in rows for bar in row.bars} | {
                mark.style for row in rows for mark in row.marks
            }
            handles: list[Any] = []
            for key, (fill, edge, shape, label) in STYLES.items():
                if key not in used:
                    continue
                if isinstance(shape, str):
                    handles.append(
                        Line2D(
                            [],
                            [],
                            marker=shape,
                            markerfacecolor=fill,
                            markeredgecolor=edge,
                            linestyle="none",
                            label=label,
                        )
                    )
                else:
                    handles.append(Patch(facecolor=fill, edgecolor=edge, label=label))
            if timeline.today is not None:
                handles.append(Line2D([], [], color="#444444", linestyle="--", label="Aujourd'hui"))
            if handles:
                axes.legend(
                    handles=handles,
                    loc="upper center",
                    bbox_to_anchor=(0.5, -0.9 / (1.6 + ROW_HEIGHT * count)),
                    ncol=min(4, len(handles)),
                    frameon=False,
                    fontsize=7.5,
                )
            if timeline.note:
                figure.text(0.01, 0.005, timeline.note, fontsize=6.5, color="#555555")
            figure.tight_layout()
            buffer = io.StringIO()
            figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
        finally:
            pyplot.close(figure)
    return buffer.getvalue()


def rows_note(shown: int, total: int) -> str:
    """« 40 lignes sur 57 » when a timeline keeps only part of its rows."""
    return f"{integer(shown)} lignes sur {integer(total)} ; les autres sont dans les tables."

"""SVG line charts (the trend report): rates over points in time, one line per series.

The y axis runs from 0 to 100 %, the x axis names at most :data:`MAX_TICKS` points (slanted);
a missing value breaks its line. Colours are the usual ten-colour cycle of plotting tools, in
order. Written by :mod:`cartographie.document.svgdraw`: the same chart gives the same bytes.
"""

from __future__ import annotations

from cartographie.document.model import Chart
from cartographie.document.numbers import percent
from cartographie.document.svgdraw import Drawing, text_width

MAX_TICKS = 12
COLOURS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2")
WIDTH, HEIGHT = 900, 450
LEFT, RIGHT, TOP, BOTTOM = 80, 20, 50, 90  # margins around the plot


def chart_to_svg(chart: Chart) -> str:
    drawing = Drawing(WIDTH, HEIGHT)
    plot_width = WIDTH - LEFT - RIGHT
    plot_height = HEIGHT - TOP - BOTTOM
    count = len(chart.x_values)

    def x_of(position: int) -> float:
        return LEFT + (plot_width * (position + 0.5) / count if count else plot_width / 2)

    def y_of(value: float) -> float:
        return TOP + plot_height * (1 - max(0.0, min(1.0, value)))

    drawing.text(LEFT, 28, chart.title, size=15, bold=True)
    for step in range(6):
        value = step / 5
        drawing.line(LEFT, y_of(value), WIDTH - RIGHT, y_of(value), "#d5dbe0", 0.8)
        drawing.text(LEFT - 8, y_of(value) + 4, percent(value, 0), 11, "end", "#4d5963")
    drawing.line(LEFT, TOP + plot_height, WIDTH - RIGHT, TOP + plot_height, "#5b6770")
    drawing.line(LEFT, TOP, LEFT, TOP + plot_height, "#5b6770")
    step = max(1, -(-count // MAX_TICKS))
    for position in range(0, count, step):
        x = x_of(position)
        drawing.line(x, TOP + plot_height, x, TOP + plot_height + 5, "#5b6770")
        drawing.text(
            x, TOP + plot_height + 18, chart.x_values[position], 10, "end", "#4d5963", rotate=-30
        )
    drawing.text(LEFT + plot_width / 2, HEIGHT - 12, chart.x_label, 12, "middle")
    drawing.text(20, TOP + plot_height / 2, chart.y_label, 12, "middle", rotate=-90)
    for index, series in enumerate(chart.series):
        colour = COLOURS[index % len(COLOURS)]
        run: list[tuple[float, float]] = []
        for position, found in enumerate(series.values):
            if found is None:
                drawing.polyline(run, colour)
                run = []
                continue
            point = (x_of(position), y_of(found))
            run.append(point)
            drawing.circle(*point, 3, colour)
        drawing.polyline(run, colour)
    # The legend, bottom right of the plot.
    y = TOP + plot_height - 12 - 18 * (len(chart.series) - 1)
    widest = max((text_width(series.label, 11) for series in chart.series), default=0)
    x = WIDTH - RIGHT - widest - 40
    for index, series in enumerate(chart.series):
        colour = COLOURS[index % len(COLOURS)]
        drawing.line(x, y - 4, x + 22, y - 4, colour, 2)
        drawing.circle(x + 11, y - 4, 3, colour)
        drawing.text(x + 28, y, series.label, 11)
        y += 18
    description = " ; ".join(
        f"{series.label} : de {_first(series.values)} à {_last(series.values)}"
        for series in chart.series
    )
    return drawing.to_svg(chart.title, description)


def _first(values: tuple[float | None, ...]) -> str:
    found = next((value for value in values if value is not None), None)
    return percent(found) if found is not None else "—"


def _last(values: tuple[float | None, ...]) -> str:
    found = next((value for value in reversed(values) if value is not None), None)
    return percent(found) if found is not None else "—"

"""SVG line charts through matplotlib (the trend report).

matplotlib is the plotting library of the scientific Python world, installs from a wheel with no
system library, and writes SVG without a display through its Agg backend. Its SVG is made
deterministic: no date or creator in the metadata, and ``svg.hashsalt`` fixed so that the ids of
clip paths do not change from one run to the next.
"""

from __future__ import annotations

import io
from typing import Any

from cartographie.document.model import Chart

SALT = "cartographie"
MAX_TICKS = 12


def chart_to_svg(chart: Chart) -> str:
    import matplotlib

    matplotlib.use("Agg", force=True)
    from matplotlib import pyplot
    from matplotlib.ticker import PercentFormatter

    # Typed Any: matplotlib's stubs key rc_context by a Literal of every rcParams name.
    style: Any = {
        "svg.hashsalt": SALT,
        "svg.fonttype": "none",  # text stays text: searchable, smaller, no glyph paths
        "font.family": "DejaVu Sans",
        "axes.spines.top": False,
        "axes.spines.right": False,
    }
    with matplotlib.rc_context(style):
        figure, axes = pyplot.subplots(figsize=(9, 4.5))
        try:
            positions = list(range(len(chart.x_values)))
            for series in chart.series:
                values = [float("nan") if value is None else value for value in series.values]
                axes.plot(positions, values, marker="o", markersize=3, label=series.label)
            axes.set_title(chart.title)
            axes.set_xlabel(chart.x_label)
            axes.set_ylabel(chart.y_label)
            axes.set_ylim(0, 1)
            axes.yaxis.set_major_formatter(PercentFormatter(xmax=1.0, decimals=0))
            step = max(1, -(-len(positions) // MAX_TICKS))
            ticks = positions[::step]
            axes.set_xticks(ticks, [chart.x_values[index] for index in ticks], rotation=30)
            axes.grid(True, alpha=0.3)
            axes.legend(loc="lower right")
            figure.tight_layout()
            buffer = io.StringIO()
            figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
        finally:
            pyplot.close(figure)
    return buffer.getvalue()

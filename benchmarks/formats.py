"""Benchmark of PNG and PDF maps (resvg-py and fpdf2, :mod:`cartographie.render.convert`). Not a
test.

For the plan d'occupation des sols and the ville centre's commune map of the reference
inventory, prints medians of several runs of:

- the reference: the Graphviz layout of the map to SVG by the embedded engine, in this process;
- the SVG converted to PNG (96 dpi, the bundled font only), and to a vector PDF;
- the whole command, ``cartographie carte … --format png`` and ``--format pdf``, each in a fresh
  process (loading the inventory from the warm parse cache, the compiled module cached);

with the files' sizes and the PNG's pixels. Figures go to ``benchmarks/results/formats.json``.

Usage: ``python -m benchmarks.formats [-i inventory] [--runs 5]``
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.common import REFERENCE_INVENTORY, print_table, timed, write_results


def command_seconds(arguments: list[str], runs: int) -> float:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "cartographie", *arguments], check=True, capture_output=True
        )
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-i", "--inventaire", type=Path, default=REFERENCE_INVENTORY)
    parser.add_argument("--runs", type=int, default=5)
    options = parser.parse_args()

    from cartographie.graph import Portfolio
    from cartographie.inventory import load_inventory
    from cartographie.render import convert, render_source, to_dot
    from cartographie.views import MapOptions, build_view

    inventory = load_inventory(options.inventaire, cache=True)
    centre = next(commune.id for commune in inventory.communes.values() if commune.central_city)
    portfolio = Portfolio(inventory)
    maps = {"pos": ("pos", "pos"), f"commune {centre}": ("commune", centre)}
    render_source("digraph { a }")  # the engine's module loaded once, outside the timings
    rows = []
    results: dict[str, dict[str, float | int]] = {}
    scratch = Path(tempfile.mkdtemp(prefix="cartographie-formats-"))
    for label, (kind, object_id) in maps.items():
        source = to_dot(build_view(portfolio, kind, object_id, MapOptions()))
        layout, svg = timed(lambda source=source: render_source(source, "svg").data, options.runs)
        to_png, png = timed(lambda svg=svg: convert.svg_to_png(svg), options.runs)
        to_pdf, pdf = timed(lambda svg=svg: convert.svg_to_pdf(svg), options.runs)
        width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
        arguments = ["carte", *kind.split(), *([] if kind == "pos" else [object_id])]
        arguments += ["-i", str(options.inventaire)]
        commands = {
            fmt: command_seconds(
                [*arguments, "--format", fmt, "--sortie", str(scratch / f"carte.{fmt}")],
                max(1, options.runs // 2),
            )
            for fmt in ("svg", "png", "pdf")
        }
        results[label] = {
            "graphviz_svg_s": layout,
            "svg_vers_png_s": to_png,
            "svg_vers_pdf_s": to_pdf,
            "commande_svg_s": commands["svg"],
            "commande_png_s": commands["png"],
            "commande_pdf_s": commands["pdf"],
            "png_octets": len(png),
            "pdf_octets": len(pdf),
            "svg_octets": len(svg),
            "png_largeur": width,
            "png_hauteur": height,
        }
        rows.append(
            (
                label,
                f"{layout:.3f} s",
                f"{to_png:.3f} s ({to_png / layout:.1f}×)",
                f"{to_pdf:.3f} s ({to_pdf / layout:.1f}×)",
                f"{commands['svg']:.2f} / {commands['png']:.2f} / {commands['pdf']:.2f} s",
                f"{len(png) / 1e3:.0f} ko, {width}×{height}",
                f"{len(pdf) / 1e3:.0f} ko",
            )
        )
    print_table(
        f"PNG et PDF des cartes (médianes de {options.runs} passages ; référence : Graphviz → SVG)",
        rows,
        (
            "carte",
            "Graphviz → SVG",
            "SVG → PNG",
            "SVG → PDF",
            "commande svg / png / pdf",
            "PNG",
            "PDF",
        ),
    )
    path = write_results("formats", {"runs": options.runs, "cartes": results})
    print(f"\nRésultats : {path}")


if __name__ == "__main__":
    main()

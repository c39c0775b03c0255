"""Benchmark of time (issue 16): ``--date`` against the same command without, the trend from
dates against a load, and the atlas at a date, incremental. Not a test.

On the reference inventory (or ``-i``), in this process, every figure the median of ``--runs``
runs, in wall time and in CPU time (this process and the commands it ran: on a shared machine
the wall clock waits for the others, the CPU time does not):

- **``--date``**, the command as a user runs it: ``cartographie …`` in a fresh process (start-up,
  imports, the parse cache as by default, output to a file), without ``--date`` and with
  ``--date 2028``; then the same work in this process — load (through the parse cache), the
  portfolio, the document written as JSON — without ``--date`` and with ``--date`` at today,
  2016 and 2028 (``as_of`` inserted after the load): the stricter ratio, nothing of the
  start-up to hide the date's cost. Target: ≤ 1.1 × the same command without. Commands:
  ``stats``, ``rapport convergence``, ``rapport cnil``, ``carte commune <ville centre>`` (its
  DOT source in process; drawn as SVG by the command).
- **``tendance --source dates``** over 2010–2030 (21 points, the document built, its SVG chart
  apart) against a load (inventory and graph, without the parse cache: what the reports
  benchmark calls a load). Target: ≤ 0.5 × load.
- **``atlas --date 2028``**: cold into an empty folder, again with no change, again after one
  application renamed — beside the same three runs of the atlas without a date.

Usage: ``python -m benchmarks.timeline [-i inventory] [--runs 5] [--atlas-runs 1]``. The
figures go to ``benchmarks/results/timeline.json`` too.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks.common import REFERENCE_INVENTORY, print_table, timed, write_results


def _cpu() -> float:
    """CPU seconds of this process and of its finished children (user + system)."""
    import resource

    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def interleaved(
    functions: dict[str, Callable[[], Any]], runs: int, cpu: dict[str, float] | None = None
) -> dict[str, float]:
    """Median seconds of each function, their runs interleaved (A, B, C, A, B, C…) after one
    warm-up each: on a shared machine, a burst of load hits every variant alike, and the
    ratios between them stay meaningful. ``cpu`` receives the median CPU seconds of each
    (this process and the commands it ran): what a loaded machine's wall clock blurs."""
    import statistics

    samples: dict[str, list[float]] = {name: [] for name in functions}
    cpu_samples: dict[str, list[float]] = {name: [] for name in functions}
    for function in functions.values():
        function()
    for _ in range(runs):
        for name, function in functions.items():
            start, start_cpu = time.perf_counter(), _cpu()
            function()
            samples[name].append(time.perf_counter() - start)
            cpu_samples[name].append(_cpu() - start_cpu)
    if cpu is not None:
        cpu.update((name, statistics.median(values)) for name, values in cpu_samples.items())
    return {name: statistics.median(values) for name, values in samples.items()}


MOMENTS = {
    "aujourd'hui": dt.date.today(),
    "2016": dt.date(2016, 1, 1),
    "2028": dt.date(2028, 1, 1),
}


def _command(name: str, root: Path, moment: dt.date | None) -> Callable[[], Any]:
    from cartographie.document.jsondoc import to_json
    from cartographie.graph import Portfolio
    from cartographie.inventory import load_inventory
    from cartographie.model.asof import as_of

    def portfolio() -> Portfolio:
        inventory = load_inventory(root, cache=True)
        if moment is not None:
            inventory = as_of(inventory, moment)
        return Portfolio(inventory)

    if name == "stats":
        from cartographie.reports.stats import stats_document

        return lambda: to_json(stats_document(portfolio()))
    if name.startswith("rapport "):
        from cartographie.reports.registry import ReportSource, report_spec, run_report

        spec = report_spec(name.split()[1])

        def report() -> str:
            source = ReportSource(
                root, lambda: portfolio_as_written(root), cache=True, moment=moment
            )
            return to_json(run_report(spec, source, **spec.defaults()))

        return report
    if name.startswith("carte commune"):
        from cartographie.render import to_dot
        from cartographie.views import build_view

        commune = name.split()[2]
        return lambda: to_dot(build_view(portfolio(), "commune", commune))
    raise ValueError(name)


def portfolio_as_written(root: Path) -> Any:
    from cartographie.graph import Portfolio
    from cartographie.inventory import load_inventory

    return Portfolio(load_inventory(root, cache=True))


def central_city(root: Path) -> str:
    from cartographie.inventory import load_inventory

    return next(
        commune.id for commune in load_inventory(root).communes.values() if commune.central_city
    )


def measure_dates(root: Path, runs: int, central: str) -> list[dict[str, Any]]:
    commands = ["stats", "rapport convergence", "rapport cnil", f"carte commune {central}"]
    found = []
    for name in commands:
        variants = {"sans": _command(name, root, None)}
        variants.update((label, _command(name, root, moment)) for label, moment in MOMENTS.items())
        cpu: dict[str, float] = {}
        times = interleaved(variants, runs, cpu)
        without = times["sans"]
        row: dict[str, Any] = {
            "commande": name,
            "sans_date_s": without,
            "sans_date_cpu_s": cpu["sans"],
        }
        for label in MOMENTS:
            row[label] = {
                "s": times[label],
                "ratio": times[label] / without,
                "cpu_s": cpu[label],
                "cpu_ratio": cpu[label] / cpu["sans"],
            }
        found.append(row)
    return found


def _cli(arguments: list[str]) -> Callable[[], Any]:
    import subprocess
    import sys

    executable = Path(sys.executable).with_name("cartographie")
    return lambda: subprocess.run(
        [str(executable), *arguments], check=True, capture_output=True, text=True
    )


def measure_commands(root: Path, runs: int, central: str) -> list[dict[str, Any]]:
    scratch = Path(tempfile.mkdtemp(prefix="cartographie-date-"))
    commands = {
        "stats": ["stats", "-i", str(root), "--format", "json"],
        "rapport convergence": [
            "rapport",
            "convergence",
            "-i",
            str(root),
            "--format",
            "json",
        ],
        "rapport cnil": ["rapport", "cnil", "-i", str(root), "--format", "json"],
        f"carte commune {central}": [
            "carte",
            "commune",
            central,
            "-i",
            str(root),
            "--sortie",
            str(scratch / "c.svg"),
        ],
    }
    found = []
    try:
        for name, arguments in commands.items():
            cpu: dict[str, float] = {}
            times = interleaved(
                {"sans": _cli(arguments), "2028": _cli([*arguments, "--date", "2028"])},
                runs,
                cpu,
            )
            without, dated = times["sans"], times["2028"]
            found.append(
                {
                    "commande": name,
                    "sans_date_s": without,
                    "date_2028_s": dated,
                    "ratio": dated / without,
                    "sans_date_cpu_s": cpu["sans"],
                    "date_2028_cpu_s": cpu["2028"],
                    "cpu_ratio": cpu["2028"] / cpu["sans"],
                }
            )
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return found


def measure_trend(root: Path, runs: int) -> dict[str, Any]:
    from cartographie.analysis.trend_dates import dates_trend
    from cartographie.document.formats import render
    from cartographie.graph import Portfolio
    from cartographie.inventory import load_inventory
    from cartographie.reports.trend import dates_trend_document

    written = load_inventory(root)
    trend = dates_trend(written, 2010, 2030)
    built = dates_trend_document(written, 2010, 2030)
    cpu: dict[str, float] = {}
    times = interleaved(
        {
            # a load as the reports benchmark counts it: the inventory and its graph
            "load": lambda: Portfolio(load_inventory(root)).graph,
            "analysis": lambda: dates_trend(written, 2010, 2030),
            "document": lambda: dates_trend_document(written, 2010, 2030),
        },
        runs,
        cpu,
    )
    load, analysis, document = times["load"], times["analysis"], times["document"]
    svg, _ = timed(lambda: render(built, "svg"), max(1, runs // 2))
    return {
        "chargement_s": load,
        "points": len(trend.points),
        "analyse_s": analysis,
        "analyse_ratio": analysis / load,
        "document_s": document,
        "document_ratio": document / load,
        "cpu_s": cpu,
        "analyse_cpu_ratio": cpu["analysis"] / cpu["load"],
        "document_cpu_ratio": cpu["document"] / cpu["load"],
        "svg_s": svg,
    }


def _atlas_runs(root: Path, moment: dt.date | None, runs: int) -> dict[str, float]:
    from cartographie.atlas import AtlasOptions, build_atlas
    from cartographie.graph import Portfolio
    from cartographie.inventory import load_inventory

    samples: dict[str, list[float]] = {"froid": [], "sans_changement": [], "un_renommage": []}

    def build(inventory: Path, out: Path) -> float:
        portfolio = Portfolio(load_inventory(inventory))
        start = time.perf_counter()
        build_atlas(portfolio, out, AtlasOptions(moment=moment))
        return time.perf_counter() - start

    for _ in range(runs):
        scratch = Path(tempfile.mkdtemp(prefix="cartographie-temps-"))
        try:
            inventory_copy = scratch / "inventory"
            shutil.copytree(root, inventory_copy)
            out = scratch / "atlas"
            samples["froid"].append(build(inventory_copy, out))
            samples["sans_changement"].append(build(inventory_copy, out))
            _rename_one_application(inventory_copy)
            samples["un_renommage"].append(build(inventory_copy, out))
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
    return {key: sorted(values)[len(values) // 2] for key, values in samples.items()}


def _rename_one_application(root: Path) -> None:
    path = sorted((root / "applications").glob("*.yaml"))[0]
    text = path.read_text(encoding="utf-8")
    marker = "    nom: "
    index = text.index(marker) + len(marker)
    path.write_text(text[:index] + "Renommée — " + text[index:], encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-i", "--inventaire", type=Path, default=REFERENCE_INVENTORY)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--atlas-runs", type=int, default=1)
    options = parser.parse_args()
    root = options.inventaire
    print(f"Machine : {os.cpu_count()} cœurs, charge {os.getloadavg()[0]:.2f} (partagée)")

    central = central_city(root)
    commands = measure_commands(root, options.runs, central)
    print_table(
        f"La commande, dans un processus neuf (médianes de {options.runs} ; s, et ratio)",
        [
            (
                row["commande"],
                f"{row['sans_date_s']:.3f}",
                f"{row['date_2028_s']:.3f} ({row['ratio']:.2f})",
                f"{row['sans_date_cpu_s']:.3f}",
                f"{row['date_2028_cpu_s']:.3f} ({row['cpu_ratio']:.2f})",
            )
            for row in commands
        ],
        ("commande", "sans --date", "--date 2028", "CPU sans", "CPU --date 2028"),
    )
    dates = measure_dates(root, options.runs, central)
    print_table(
        f"Le même travail dans ce processus (médianes de {options.runs} ; s, et ratio)",
        [
            (
                row["commande"],
                f"{row['sans_date_s']:.3f}",
                *(f"{row[label]['s']:.3f} ({row[label]['ratio']:.2f})" for label in MOMENTS),
                *(f"{row[label]['cpu_ratio']:.2f}" for label in MOMENTS),
            )
            for row in dates
        ],
        (
            "commande",
            "sans --date",
            *(f"--date {label}" for label in MOMENTS),
            *(f"CPU {label}" for label in MOMENTS),
        ),
    )
    trend = measure_trend(root, options.runs)
    print_table(
        "tendance --source dates, 2010–2030 (21 points), contre un chargement",
        [
            ("chargement (inventaire + graphe)", f"{trend['chargement_s']:.3f}", "1.00", "1.00"),
            (
                "analyse",
                f"{trend['analyse_s']:.3f}",
                f"{trend['analyse_ratio']:.2f}",
                f"{trend['analyse_cpu_ratio']:.2f}",
            ),
            (
                "document (tables et graphique)",
                f"{trend['document_s']:.3f}",
                f"{trend['document_ratio']:.2f}",
                f"{trend['document_cpu_ratio']:.2f}",
            ),
            ("SVG du graphique", f"{trend['svg_s']:.3f}", "—", "—"),
        ],
        ("étape", "s", "× chargement", "CPU × chargement"),
    )
    atlas = {
        "sans_date": _atlas_runs(root, None, options.atlas_runs),
        "date_2028": _atlas_runs(root, dt.date(2028, 1, 1), options.atlas_runs),
    }
    print_table(
        f"atlas et atlas --date 2028 (médianes de {options.atlas_runs} ; s)",
        [
            (step, f"{atlas['sans_date'][step]:.2f}", f"{atlas['date_2028'][step]:.2f}")
            for step in ("froid", "sans_changement", "un_renommage")
        ],
        ("passe", "atlas", "atlas --date 2028"),
    )
    path = write_results(
        "timeline",
        {
            "charge": os.getloadavg()[0],
            "runs": options.runs,
            "commandes": commands,
            "date": dates,
            "tendance_dates": trend,
            "atlas": atlas,
        },
    )
    print(f"\nRésultats dans {path}")


if __name__ == "__main__":
    main()

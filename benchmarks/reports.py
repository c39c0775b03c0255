"""Benchmark of the reports: each report beside the load time, at scale 1 and 10; the trend.

For each scale, the reference inventory is generated into a temporary folder
(``cartographie exemple --echelle N``), then, in this one process:

- **load**: ``load_inventory`` and the portfolio graph (``Portfolio``) — what every command pays;
- **each report**: its analysis and its tables (the ``Document``), then the same written as
  JSON; the target is analysis ≤ 0.2 × load.

Every figure is the median of ``--repetitions`` runs. Then **tendance**: a git repository whose
inventory has ``--commits`` commits (the reference inventory, then one application file edited
per commit, an application retired every fifth), and the time to compute the trend over all of
them.

Run: ``python benchmarks/reports.py [--echelles 1,10] [--repetitions 5] [--commits 100]``.
It prints Markdown tables; it is a measurement, never a pass/fail test.

Figures measured here (2 cores, Python 3.11, medians of 5; seconds, and × the load time):

================================  ==================  ====================
                                  ×1: 1,203 apps,     ×10: 11,740 apps,
                                  4,347 flux          43,039 flux
================================  ==================  ====================
chargement (inventaire + graphe)  1.682               37.651
convergence (+ matrice)           0.101 (0.060)       0.993 (0.026)
impact, tous les blocs            0.167 (0.099)       0.747 (0.020)
impact --bloc                     0.027 (0.016)       0.078 (0.002)
flux                              0.133 (0.079)       1.101 (0.029)
cnil                              0.039 (0.023)       0.760 (0.020)
editeurs                          0.042 (0.025)       0.653 (0.017)
delegations                       0.001 (0.001)       0.020 (0.001)
qualite                           0.078 (0.047)       0.543 (0.014)
================================  ==================  ====================

Every analysis stays under 0.1 × load at ×1 and 0.03 × load at ×10 (target 0.2); writing the
JSON costs about as much again. Tendance over 100 commits of the reference inventory: 31.7 s
(0.32 s a commit, a fifth of one load: each distinct file is parsed once); by month, 4 points
in 2.6 s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from benchmarks.common import write_results
from cartographie.document import Document
from cartographie.document.jsondoc import to_json
from cartographie.graph import Portfolio
from cartographie.inventory import load_inventory

REFERENCE_DATE = dt.date(2026, 6, 1)


def builders() -> dict[str, Callable[[Portfolio], Document]]:
    from cartographie.reports.cnil import cnil_document
    from cartographie.reports.convergence import convergence_document
    from cartographie.reports.delegations import delegations_document
    from cartographie.reports.flows import flows_document
    from cartographie.reports.impact import impact_document
    from cartographie.reports.quality import quality_document
    from cartographie.reports.vendors import vendors_document

    def impact_one_bloc(portfolio: Portfolio) -> Document:
        return impact_document(portfolio, block=portfolio.leaf_blocks()[0])

    return {
        "convergence": convergence_document,
        "impact (tous les blocs)": impact_document,
        "impact --bloc": impact_one_bloc,
        "flux": flows_document,
        "cnil": cnil_document,
        "editeurs": vendors_document,
        "delegations": lambda portfolio: delegations_document(portfolio, REFERENCE_DATE),
        "qualite": lambda portfolio: quality_document(portfolio, REFERENCE_DATE),
    }


def median_seconds(action: Callable[[], object], repetitions: int) -> float:
    times = []
    for _ in range(repetitions):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def generate(target: Path, scale: int) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "cartographie",
            "exemple",
            "--sortie",
            str(target),
            "--echelle",
            str(scale),
            "--force",
        ],
        check=True,
        capture_output=True,
    )


FIGURES: dict[str, object] = {}


def bench_scale(directory: Path, repetitions: int) -> None:
    inventory = load_inventory(directory)
    internal = sum(1 for app in inventory.applications if not inventory.is_external(app))
    print(
        f"\n### {directory.name} : {len(inventory.communes)} communes, {internal} applications, "
        f"{len(inventory.flows)} flux\n"
    )
    # The graph is built on first use: the reference builds it, as every map and the atlas do.
    load = median_seconds(lambda: Portfolio(load_inventory(directory)).graph, repetitions)
    portfolio = Portfolio(load_inventory(directory))
    print("| étape | médiane (s) | × chargement |")
    print("|---|---:|---:|")
    print(f"| chargement (inventaire + graphe) | {load:.3f} | 1.000 |")
    figures: dict[str, float] = {"chargement": load}
    for name, build in builders().items():
        analysis = median_seconds(partial(build, portfolio), repetitions)
        written = median_seconds(partial(to_json, build(portfolio)), repetitions)
        print(f"| {name} | {analysis:.4f} | {analysis / load:.3f} |")
        print(f"| {name} → json | {written:.4f} | {written / load:.3f} |")
        figures[name] = analysis
        figures[f"{name} → json"] = written
    FIGURES[f"{directory.name} ({internal} applications)"] = figures


def git(repository: Path, *args: str) -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "banc",
        "GIT_AUTHOR_EMAIL": "banc@example.org",
        "GIT_COMMITTER_NAME": "banc",
        "GIT_COMMITTER_EMAIL": "banc@example.org",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
    }
    subprocess.run(["git", "-C", str(repository), *args], check=True, env=env, capture_output=True)


def make_history(reference: Path, root: Path, commits: int) -> Path:
    """A repository whose inventory has ``commits`` commits, one a day from 2024-01-01."""
    repository = root / "depot"
    inventory = repository / "inventory"
    shutil.copytree(reference, inventory)
    git(repository, "init", "-q", "-b", "main")
    git(repository, "add", ".")
    start = dt.datetime(2024, 1, 1, 9, 0, tzinfo=dt.UTC)
    git(repository, "commit", "-q", "-m", "Inventaire initial", f"--date={start.isoformat()}")
    files = sorted((inventory / "applications").glob("*.yaml"))
    production = re.compile(r"cycle_de_vie: production")
    for index in range(1, commits):
        path = files[index % len(files)]
        text = path.read_text(encoding="utf-8")
        if index % 5 == 0 and production.search(text):
            text = production.sub("cycle_de_vie: retiree", text, count=1)
        text += f"# revue {index}\n"
        path.write_text(text, encoding="utf-8")
        date = (start + dt.timedelta(days=index)).isoformat()
        git(repository, "commit", "-q", "-am", f"Modification {index}", f"--date={date}")
    return inventory


def bench_trend(reference: Path, commits: int, root: Path) -> None:
    """The trend over ``commits`` commits: without the figures cache; with it, empty (the
    first run on a machine) and full (the next run, nothing new); after one more commit."""
    from cartographie.analysis.trend import inventory_trend

    inventory = make_history(reference, root, commits)
    cache = root / "cache-tendance"

    def timed_trend(**options: Any) -> tuple[float, Any]:
        start = time.perf_counter()
        result = inventory_trend(inventory, **options)
        return time.perf_counter() - start, result

    elapsed, trend = timed_trend()
    valid = sum(1 for point in trend.points if point.convergence is not None)
    monthly_elapsed, monthly = timed_trend(granularity="mois")
    first, _ = timed_trend(cache=True, cache_directory=cache)
    warm, _ = timed_trend(cache=True, cache_directory=cache)
    path = sorted((inventory / "applications").glob("*.yaml"))[0]
    path.write_text(path.read_text(encoding="utf-8") + "# une de plus\n", encoding="utf-8")
    git(inventory.parent, "commit", "-q", "-am", "Une de plus")
    one_more, _ = timed_trend(cache=True, cache_directory=cache)
    points = len(trend.points)
    print(f"\n### tendance sur {points} commits ({valid} valides)\n")
    print("| tendance | points | secondes | par point |")
    print("|---|---:|---:|---:|")
    for label, count, seconds in (
        ("par commit, sans cache", points, elapsed),
        ("par mois, sans cache", len(monthly.points), monthly_elapsed),
        ("par commit, cache vide", points, first),
        ("par commit, cache plein", points, warm),
        ("par commit, un commit de plus", points + 1, one_more),
    ):
        print(f"| {label} | {count} | {seconds:.2f} | {seconds / max(1, count):.3f} |")
    FIGURES["tendance"] = {
        "commits": points,
        "secondes_par_commit": elapsed,
        "points_par_mois": len(monthly.points),
        "secondes_par_mois": monthly_elapsed,
        "secondes_cache_vide": first,
        "secondes_cache_plein": warm,
        "secondes_un_commit_de_plus": one_more,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--echelles", default="1,10", help="échelles, séparées par des virgules")
    parser.add_argument("--repetitions", type=int, default=5)
    parser.add_argument("--commits", type=int, default=100)
    parser.add_argument("--inventaire", type=Path, help="mesurer cet inventaire plutôt")
    options = parser.parse_args()
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} cœurs")
    with tempfile.TemporaryDirectory(prefix="banc-rapports-") as temporary:
        root = Path(temporary)
        reference: Path | None = None
        if options.inventaire is not None:
            bench_scale(options.inventaire, options.repetitions)
            reference = options.inventaire
        else:
            for scale in (int(value) for value in options.echelles.split(",")):
                target = root / f"echelle-{scale}"
                generate(target, scale)
                bench_scale(target, options.repetitions)
                if scale == 1:
                    reference = target
        if reference is not None and options.commits > 0:
            bench_trend(reference, options.commits, root)
    print(f"\nRésultats : {write_results('reports', FIGURES)}")


if __name__ == "__main__":
    main()

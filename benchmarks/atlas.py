"""Benchmark of the atlas on the reference inventory (issue 3's targets). Not a test.

Prints medians of several runs, each from a fresh copy of the inventory:

- cold: the atlas into an empty folder (the embedded engine's compiled module already cached,
  as after the first run on a machine);
- no change: the same atlas again;
- one application renamed: the atlas again after one application's ``nom`` changed;
- the serial raw Graphviz sum: every DOT source of the atlas rendered one after another by the
  same engine in this process, engine time only.

Times are of ``build_atlas`` (the library call), all in one process; loading the inventory is
printed apart. Figures go to ``benchmarks/results/atlas.json`` too.
Usage: ``python -m benchmarks.atlas [-i inventory] [--runs 3] [--moteur auto] [-j 0]``
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import yaml

from benchmarks.common import REFERENCE_INVENTORY, write_results
from cartographie.atlas import AtlasOptions, build_atlas
from cartographie.atlas.build import plan_maps
from cartographie.graph import Portfolio
from cartographie.inventory import load_inventory
from cartographie.render.engines import render_source, warm_cache

TARGETS = {"cold_vs_raw": 0.75, "no_change": 0.05, "one_change": 0.15}


def rename_one_application(inventory: Path) -> str:
    """Rename the first application of the ville centre's file; returns its id."""
    for path in sorted((inventory / "applications").glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        data = yaml.safe_load(text)
        applications = data.get("applications") or []
        if applications:
            first = applications[0]
            old = f"nom: {first['nom']}"
            if old in text:
                path.write_text(text.replace(old, f"nom: {first['nom']} (renommée)", 1), "utf-8")
                return str(first["id"])
    raise SystemExit("no application to rename")


def one_run(source: Path, options: AtlasOptions) -> dict[str, float]:
    figures: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="atlas-bench-") as scratch:
        inventory = Path(scratch) / "inventaire"
        shutil.copytree(source, inventory)
        out = Path(scratch) / "atlas"
        started = time.perf_counter()
        portfolio = Portfolio(load_inventory(inventory))
        figures["load"] = time.perf_counter() - started

        started = time.perf_counter()
        cold = build_atlas(portfolio, out, options)
        figures["cold"] = time.perf_counter() - started
        figures["maps"] = cold.maps
        figures["failures"] = len(cold.failures)

        started = time.perf_counter()
        build_atlas(portfolio, out, options)
        figures["no_change"] = time.perf_counter() - started

        rename_one_application(inventory)
        changed = Portfolio(load_inventory(inventory))
        started = time.perf_counter()
        result = build_atlas(changed, out, options)
        figures["one_change"] = time.perf_counter() - started
        figures["one_change_rendered"] = result.rendered

        raw = 0.0
        for item in plan_maps(portfolio, options.engine):
            assert item.source is not None
            raw += render_source(item.source, "svg", options.engine, options.timeout).seconds
        figures["raw_serial"] = raw
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-i", "--inventaire", type=Path, default=REFERENCE_INVENTORY)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--moteur", default="auto")
    parser.add_argument("-j", "--jobs", type=int, default=0)
    args = parser.parse_args()
    options = AtlasOptions(engine=args.moteur, jobs=args.jobs)
    if args.moteur != "systeme":
        warm_cache()
    runs = [one_run(args.inventaire, options) for _ in range(args.runs)]

    def median(name: str) -> float:
        return statistics.median(run[name] for run in runs)

    cold, raw = median("cold"), median("raw_serial")
    print(
        f"inventaire : {args.inventaire} — {int(median('maps'))} cartes, moteur {args.moteur}, "
        f"{args.jobs or max(1, (os.cpu_count() or 1) - 1)} processus de rendu sur "
        f"{os.cpu_count()} cœurs, médianes de {args.runs} passes"
    )
    print(f"chargement de l'inventaire        {median('load'):7.2f} s (hors mesures ci-dessous)")
    print(f"atlas à froid                     {cold:7.2f} s")
    print(f"somme brute Graphviz, en série    {raw:7.2f} s")
    print(f"atlas sans changement             {median('no_change'):7.2f} s")
    print(
        f"atlas après un renommage          {median('one_change'):7.2f} s "
        f"({int(median('one_change_rendered'))} cartes redessinées)"
    )
    ratios = {
        "cold_vs_raw": cold / raw,
        "no_change": median("no_change") / cold,
        "one_change": median("one_change") / cold,
    }
    labels = {
        "cold_vs_raw": "froid / somme brute série",
        "no_change": "sans changement / froid",
        "one_change": "un renommage / froid",
    }
    for name, value in ratios.items():
        verdict = "atteint" if value <= TARGETS[name] else "MANQUÉ"
        print(f"{labels[name]:32s} {value:7.1%}  (cible ≤ {TARGETS[name]:.0%}) {verdict}")
    write_results(
        "atlas",
        {
            "inventaire": str(args.inventaire),
            "moteur": args.moteur,
            "processus_de_rendu": args.jobs or max(1, (os.cpu_count() or 1) - 1),
            "coeurs": os.cpu_count(),
            "passes": args.runs,
            "medianes_s": {name: round(median(name), 3) for name in runs[0]},
            "ratios": {name: round(value, 3) for name, value in ratios.items()},
            "cibles": TARGETS,
        },
    )
    if any(run["failures"] for run in runs):
        print("attention : des cartes n'ont pas pu être dessinées", file=sys.stderr)


if __name__ == "__main__":
    main()

"""Benchmark of the money commands (issue 15): each report beside the load, at ×1 and ×10;
``simuler`` beside the load; the atlas's dossiers.

For each scale, the reference inventory (``cartographie exemple --echelle N``), then, in this one
process, medians of ``--repetitions`` runs:

- **load** — the reference: ``load_inventory`` (no parse cache) and the portfolio graph, what
  every command pays;
- **rapport couts** (every view, with the refacturation of the year), **rapport couts --par
  bloc** (the dispersion), **rapport refacturation** — the document built on the loaded
  portfolio; target ≤ 0.2 × load;
- **simuler** the scenario of ``examples/scenarios/lauzac-gmao-2027.yaml`` (its communes and
  applications are group 0's at every scale): *simulation* alone (the loaded inventory's bytes
  and parsed files at hand: edits, the after inventory, both states, every figure, the
  document), and *the whole command's work* (reading and checking the inventory with its files
  kept, then the simulation); target ≤ 1.5 × load;
- **dossier** of one commune (the join scenarios of the domains it has not joined included) and
  of all of them sharing their states (what the atlas does; at ×1 only).

Run: ``python -m benchmarks.money [--echelles 1,10] [--repetitions 5]``. It prints Markdown
tables and writes ``benchmarks/results/money.json``; a measurement, never a pass/fail test.

Each round runs the load and every step once, in turn (after a warm-up round at ×1): the machine
is shared, and alternating keeps the reference and the steps under the same conditions. The
figures, medians with their reference, are in the README (« Vitesse »).
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import time
from collections.abc import Callable

from benchmarks.common import ROOT, scaled_inventory, write_results
from cartographie.analysis.commune_file import CommuneFiles
from cartographie.analysis.costs import CostModel
from cartographie.analysis.rebilling import rebilling, year_model
from cartographie.analysis.scenario import simulate
from cartographie.graph import Portfolio
from cartographie.inventory import load_inventory
from cartographie.inventory.loader import load_contents
from cartographie.inventory.scenario import read_scenario
from cartographie.reports.commune_file import commune_file_document
from cartographie.reports.costs import costs_document
from cartographie.reports.rebilling import rebilling_document
from cartographie.reports.scenario import simulation_document

REFERENCE_DATE = dt.date(2026, 6, 1)
YEAR = REFERENCE_DATE.year
SCENARIO = ROOT / "examples" / "scenarios" / "lauzac-gmao-2027.yaml"
COMMUNE = "lauzac"


def alternate(
    functions: dict[str, Callable[[], object]], rounds: int, *, warmup: bool
) -> dict[str, float]:
    """Median seconds of each function, run in turn once per round (after a warm-up round when
    asked)."""
    samples: dict[str, list[float]] = {name: [] for name in functions}
    for round_number in range(rounds + (1 if warmup else 0)):
        for name, function in functions.items():
            start = time.perf_counter()
            function()
            if round_number or not warmup:
                samples[name].append(time.perf_counter() - start)
    return {name: statistics.median(values) for name, values in samples.items()}


def bench_scale(scale: int, repetitions: int) -> dict[str, float]:
    directory = scaled_inventory(scale)
    inventory = load_inventory(directory)
    internal = sum(1 for app in inventory.applications if not inventory.is_external(app))
    print(f"\n### ×{scale} : {len(inventory.communes)} communes, {internal} applications\n")
    def load_with_graph() -> object:
        # The graph is built on first use: the reference builds it, as every map and the
        # atlas do.
        return Portfolio(load_inventory(directory)).graph

    portfolio = Portfolio(load_inventory(directory))

    def costs() -> object:
        model = CostModel(portfolio)
        return costs_document(model, rebilling(year_model(model, YEAR), YEAR))

    def costs_by_block() -> object:
        model = CostModel(portfolio)
        return costs_document(model, rebilling(year_model(model, YEAR), YEAR), "bloc")

    def refacturation() -> object:
        return rebilling_document(CostModel(portfolio), YEAR)

    loaded = load_contents(directory)
    assert loaded.result.inventory is not None
    scenario = read_scenario(SCENARIO)

    def simulation() -> object:
        assert loaded.result.inventory is not None
        found = simulate(
            scenario,
            loaded.result.inventory,
            loaded.contents,
            today=REFERENCE_DATE,
            memo=loaded.memo,
        )
        return simulation_document(found, loaded.contents)

    def whole_command() -> object:
        fresh = load_contents(directory)
        assert fresh.result.inventory is not None
        found = simulate(
            scenario, fresh.result.inventory, fresh.contents, today=REFERENCE_DATE, memo=fresh.memo
        )
        return simulation_document(found, fresh.contents)

    def one_file() -> object:
        files = CommuneFiles(
            portfolio, reference_date=REFERENCE_DATE, contents=loaded.contents, memo=loaded.memo
        )
        return commune_file_document(files.file(COMMUNE))

    def all_files() -> object:
        files = CommuneFiles(
            portfolio, reference_date=REFERENCE_DATE, contents=loaded.contents, memo=loaded.memo
        )
        return [commune_file_document(files.file(c)) for c in sorted(portfolio.inventory.communes)]

    steps: list[tuple[str, Callable[[], object], str]] = [
        ("rapport couts (toutes les vues)", costs, "≤ 0,2"),
        ("rapport couts --par bloc", costs_by_block, "≤ 0,2"),
        ("rapport refacturation", refacturation, "≤ 0,2"),
        ("simuler : la simulation", simulation, ""),
        ("simuler : toute la commande", whole_command, "≤ 1,5"),
        (f"dossier {COMMUNE}", one_file, ""),
    ]
    if scale == 1:  # the atlas's 14 dossiers; at ×10, 140 of them would take minutes
        steps.append(("dossiers des 14 communes", all_files, ""))
    # The load and every step in turn, one of each per round: the machine (shared) drifts, and
    # alternating keeps the reference and the steps under the same conditions.
    functions: dict[str, Callable[[], object]] = {"chargement": load_with_graph}
    functions.update((label, action) for label, action, _target in steps)
    medians = alternate(functions, repetitions, warmup=scale == 1)
    load = medians["chargement"]
    figures: dict[str, float] = dict(medians)
    print("| étape | médiane (s) | × chargement | cible |")
    print("|---|---:|---:|---|")
    print(f"| chargement (inventaire + graphe) | {load:.3f} | 1.000 | référence |")
    for label, _action, target in steps:
        seconds = medians[label]
        print(f"| {label} | {seconds:.3f} | {seconds / load:.3f} | {target} |")
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--echelles", default="1,10", help="échelles, séparées par des virgules")
    parser.add_argument("--repetitions", type=int, default=5)
    arguments = parser.parse_args()
    results = {}
    for scale in (int(item) for item in arguments.echelles.split(",")):
        repetitions = arguments.repetitions if scale == 1 else max(1, arguments.repetitions - 2)
        results[f"x{scale}"] = bench_scale(scale, repetitions)
    path = write_results("money", {"echelles": results})
    print(f"\nRésultats : {path}")


if __name__ == "__main__":
    main()

"""Scale: loading at ×1, ×10 and ×100, cold and warm, beside the raw YAML parse (issue 7).

Each measurement runs in a fresh process, so that its peak memory is its own and no cache of a
previous one helps it; its imports are done before the clock starts. Measured: the raw
``yaml.load(…, CSafeLoader)`` of every file; a cold load without cache; the first load with the
parse cache (it parses and writes the cache); the warm load (nothing changed, nothing parsed);
and the graph built on the loaded inventory. Then, at the largest scale, the commands a user
runs (``valider``, ``stats``, ``rapport convergence``) with a warm cache, and the start-up time.

Targets: cold ≤ 1.3 × raw parse; warm ≤ 20 % of cold (×1, ×10) and ≤ 20 s (×100); peak memory
≤ 4 GB; time growth from ×1 to ×100 no worse than linear (fitted exponent ≤ 1);
``cartographie --help`` and ``cartographie valider --help`` ≤ 0.3 s.

    python -m benchmarks.scale [--echelles 1,10,100] [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.common import print_table, scaled_inventory, write_results

TARGET_COLD = 1.3
TARGET_WARM_SHARE = 0.2
TARGET_WARM_X100 = 20.0
TARGET_MEMORY_MB = 4096
TARGET_STARTUP = 0.3
MODES = ("brut", "froid", "premier", "chaud")


def _measure_in_this_process(root: Path, mode: str, cache: Path) -> dict[str, Any]:
    """One measurement (run by a child process): seconds and peak memory.

    The load (read + validate) is timed apart from the graph built on it: the parse cache
    serves the load, the graph is built the same way every time.
    """
    import yaml

    from cartographie.graph import Portfolio
    from cartographie.inventory import find_inventory_files, load_inventory

    count = 0
    graph_seconds = 0.0
    before = resource.getrusage(resource.RUSAGE_SELF)
    start = time.perf_counter()
    if mode == "brut":
        for path in find_inventory_files(root):
            yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader)
    else:
        inventory = load_inventory(root, cache=mode != "froid", cache_directory=cache)
        count = len(inventory.applications)
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_SELF)
    if mode != "brut":
        start = time.perf_counter()
        Portfolio(inventory)
        graph_seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "secondes": seconds,
        # CPU time of the load alone: in this process (user) and in the kernel for it (system:
        # mostly page faults as the inventory's memory is first touched).
        "utilisateur_secondes": after.ru_utime - before.ru_utime,
        "systeme_secondes": after.ru_stime - before.ru_stime,
        "graphe_secondes": graph_seconds,
        "memoire_mo": peak,
        "applications": count,
    }


def _child(root: Path, mode: str, cache: Path) -> dict[str, Any]:
    command = [
        sys.executable, "-m", "benchmarks.scale", "--enfant", mode, "--racine", str(root),
        "--cache", str(cache),
    ]  # fmt: skip
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    result: dict[str, Any] = json.loads(output.strip().splitlines()[-1])
    return result


def measure_scale(scale: int, runs: int) -> dict[str, Any]:
    root = scaled_inventory(scale)
    figures: dict[str, Any] = {"echelle": scale}
    samples: dict[str, list[dict[str, Any]]] = {mode: [] for mode in MODES}
    for _ in range(runs):
        cache = Path(tempfile.mkdtemp(prefix="cartographie-cache-"))
        try:
            for mode in MODES:  # premier then chaud share the fresh cache of this round
                samples[mode].append(_child(root, mode, cache))
        finally:
            shutil.rmtree(cache, ignore_errors=True)
    for mode, values in samples.items():
        figures[mode] = statistics.median(value["secondes"] for value in values)
        figures[f"{mode}_graphe"] = statistics.median(value["graphe_secondes"] for value in values)
        for part in ("utilisateur", "systeme"):
            figures[f"{mode}_{part}"] = statistics.median(
                value[f"{part}_secondes"] for value in values
            )
        figures[f"{mode}_memoire_mo"] = max(value["memoire_mo"] for value in values)
    figures["applications"] = samples["froid"][0]["applications"]
    figures["froid_sur_brut"] = figures["froid"] / figures["brut"]
    figures["premier_sur_brut"] = figures["premier"] / figures["brut"]
    figures["chaud_sur_froid"] = figures["chaud"] / figures["froid"]
    return figures


def measure_commands(scale: int) -> dict[str, Any]:
    """The commands a user runs on the large inventory, with a warm parse cache."""
    root = scaled_inventory(scale)
    cache = Path(tempfile.mkdtemp(prefix="cartographie-cache-"))
    environment = {**os.environ, "CARTOGRAPHIE_CACHE": str(cache)}
    environment.pop("CARTOGRAPHIE_SANS_CACHE", None)
    commands = {
        "valider": ["valider", str(root)],
        "stats": ["stats", str(root), "--format", "json"],
        "rapport convergence": ["rapport", "convergence", "-i", str(root), "--format", "json"],
    }
    figures: dict[str, Any] = {}
    try:
        _run_command(["valider", str(root)], environment)  # fills the cache
        for name, arguments in commands.items():
            seconds, peak, code = _run_command(arguments, environment)
            figures[name] = {"secondes": seconds, "memoire_mo": peak, "code_sortie": code}
    finally:
        shutil.rmtree(cache, ignore_errors=True)
    return figures


def _run_command(arguments: list[str], environment: dict[str, str]) -> tuple[float, float, int]:
    # A wrapper process reports the peak memory of the command it ran, and only of it.
    wrapper = (
        "import resource, subprocess, sys, time; start = time.perf_counter(); "
        "code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL).returncode; "
        "print(time.perf_counter() - start, "
        "resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, code)"
    )
    command = [sys.executable, "-c", wrapper, sys.executable, "-m", "cartographie", *arguments]
    output = subprocess.run(
        command, capture_output=True, text=True, check=True, env=environment
    ).stdout
    seconds, peak, code = output.split()
    return float(seconds), float(peak), int(code)


def measure_startup(runs: int = 10) -> dict[str, float]:
    figures = {}
    for arguments in (["--help"], ["valider", "--help"]):
        samples = []
        for _ in range(runs + 1):
            start = time.perf_counter()
            subprocess.run(
                [sys.executable, "-m", "cartographie", *arguments], capture_output=True, check=True
            )
            samples.append(time.perf_counter() - start)
        figures["cartographie " + " ".join(arguments)] = statistics.median(samples[1:])
    return figures


def fitted_exponent(points: list[tuple[float, float]]) -> float:
    """The slope of log(time) against log(size): 1 is linear growth."""
    xs = [math.log(size) for size, _ in points]
    ys = [math.log(seconds) for _, seconds in points]
    mean_x, mean_y = statistics.fmean(xs), statistics.fmean(ys)
    spread = sum((x - mean_x) ** 2 for x in xs)
    return sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / spread


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--echelles", default="1,10,100")
    parser.add_argument("--runs", type=int, default=3, help="mesures par échelle (1 à ×100)")
    parser.add_argument("--enfant", choices=MODES, help=argparse.SUPPRESS)
    parser.add_argument("--racine", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--cache", type=Path, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.enfant:
        result = _measure_in_this_process(options.racine, options.enfant, options.cache)
        print(json.dumps(result))
        return
    scales = [int(value) for value in options.echelles.split(",")]
    loads = [measure_scale(scale, options.runs if scale < 100 else 1) for scale in scales]
    rows = [
        (
            f"×{row['echelle']}",
            str(row["applications"]),
            f"{row['brut']:.2f}",
            f"{row['froid']:.2f} ({row['froid_sur_brut']:.2f}×)",
            f"{row['premier']:.2f} ({row['premier_sur_brut']:.2f}×)",
            f"{row['chaud']:.2f} ({row['chaud_sur_froid']:.0%})",
            f"{row['froid_graphe']:.2f}",
            f"{max(row[f'{mode}_memoire_mo'] for mode in MODES[1:]):.0f}",
        )
        for row in loads
    ]
    print_table(
        "Lecture + validation, processus neufs (médianes, s) ; puis le graphe",
        rows,
        ("échelle", "applis", "YAML brut", "froid", "1er avec cache", "chaud", "graphe", "pic Mo"),
    )
    summary: dict[str, Any] = {"chargement": loads}
    if len(loads) >= 2:
        exponent = fitted_exponent([(row["applications"], row["froid"]) for row in loads])
        summary["exposant_froid"] = exponent
        print(f"\nCroissance du chargement froid : temps ∝ taille^{exponent:.2f} (cible ≤ 1)")
        # Where a super-linear growth comes from: this process's own work (user CPU time) or
        # the kernel's (system time, page faults on memory touched for the first time).
        parts = {
            part: fitted_exponent([(row["applications"], row[f"froid_{part}"]) for row in loads])
            for part in ("utilisateur", "systeme")
            if all(row[f"froid_{part}"] > 0 for row in loads)
        }
        summary["exposants_froid_cpu"] = parts
        cpu = " ; ".join(
            f"{part} ^{value:.2f} ("
            + ", ".join(f"{row['froid_' + part]:.2f} s" for row in loads)
            + ")"
            for part, value in parts.items()
        )
        print(f"  dont temps CPU {cpu}")
    largest = max(scales)
    commands = measure_commands(largest)
    summary[f"commandes_x{largest}"] = commands
    print_table(
        f"Commandes à ×{largest}, cache chaud (s, pic Mo)",
        [
            (
                name,
                f"{value['secondes']:.2f}",
                f"{value['memoire_mo']:.0f}",
                str(value["code_sortie"]),
            )
            for name, value in commands.items()
        ],
        ("commande", "durée", "pic Mo", "code"),
    )
    startup = measure_startup()
    summary["demarrage"] = startup
    print_table(
        "Démarrage (médiane de 10, s)",
        [
            (name, f"{value:.3f}", "oui" if value <= TARGET_STARTUP else "non")
            for name, value in startup.items()
        ],
        ("commande", "durée", f"≤ {TARGET_STARTUP}"),
    )
    print(f"\nRésultats : {write_results('scale', summary)}")


if __name__ == "__main__":
    main()

"""Load + validate + graph, against the raw CSafeLoader parse of the same files (issue 2).

Target: load + validate + graph ≤ 1.3 × the raw parse; `cartographie --help` ≤ 0.3 s.

    python -m benchmarks.load [--echelles 1,10] [--runs 5]
"""

from __future__ import annotations

import argparse
import subprocess
import sys

from benchmarks.common import print_table, raw_yaml_parse, scaled_inventory, timed, write_results

TARGET_RATIO = 1.3
TARGET_STARTUP = 0.3


def measure_load(scale: int, runs: int) -> dict[str, float]:
    from cartographie.graph import Portfolio
    from cartographie.inventory import load_inventory

    root = scaled_inventory(scale)
    raw, files = timed(raw_yaml_parse(root), runs=runs)
    ours, portfolio = timed(lambda: Portfolio(load_inventory(root)), runs=runs)
    return {
        "echelle": scale,
        "fichiers": files,
        "applications": len(portfolio.inventory.applications),
        "flux": len(portfolio.inventory.flows),
        "yaml_brut_s": raw,
        "chargement_s": ours,
        "ratio": ours / raw,
    }


def measure_startup(arguments: list[str], runs: int) -> float:
    command = [sys.executable, "-m", "cartographie", *arguments]
    seconds, _ = timed(
        lambda: subprocess.run(command, capture_output=True, check=True), runs=runs, warmup=1
    )
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--echelles", default="1,10", help="échelles mesurées, ex. 1,10")
    parser.add_argument("--runs", type=int, default=5)
    options = parser.parse_args()
    loads = [measure_load(int(scale), options.runs) for scale in options.echelles.split(",")]
    rows = [
        (
            f"×{row['echelle']}",
            str(row["applications"]),
            str(row["flux"]),
            f"{row['yaml_brut_s']:.3f}",
            f"{row['chargement_s']:.3f}",
            f"{row['ratio']:.2f}",
            "oui" if row["ratio"] <= TARGET_RATIO else "non",
        )
        for row in loads
    ]
    print_table(
        "Chargement + validation + graphe (médianes, secondes)",
        rows,
        (
            "échelle",
            "applications",
            "flux",
            "YAML brut",
            "chargement",
            "ratio",
            f"≤ {TARGET_RATIO}",
        ),
    )
    startup = {
        "cartographie --help": measure_startup(["--help"], 10),
        "cartographie valider --help": measure_startup(["valider", "--help"], 10),
    }
    print_table(
        "Démarrage (médiane de 10, secondes)",
        [
            (name, f"{value:.3f}", "oui" if value <= TARGET_STARTUP else "non")
            for name, value in startup.items()
        ],
        ("commande", "durée", f"≤ {TARGET_STARTUP}"),
    )
    path = write_results("load", {"chargement": loads, "demarrage": startup})
    print(f"\nRésultats : {path}")


if __name__ == "__main__":
    main()

"""The whole benchmark suite: ``python -m benchmarks``.

Runs each benchmark in its own process, one after the other (they measure wall time: never in
parallel), streams what each prints, then gathers their JSON results into
``benchmarks/results/suite.json``. Each benchmark also runs alone: ``python -m benchmarks.scale``,
``benchmarks.reports``, ``benchmarks.diff``, ``benchmarks.atlas``, ``benchmarks.interop``,
``benchmarks.load``, ``benchmarks.formats``, ``benchmarks.timeline``, ``benchmarks.startup``.

    python -m benchmarks [--rapide]     # --rapide: ×1 and ×10 only, fewer runs
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time

from benchmarks.common import RESULTS, write_results

SUITE: dict[str, tuple[list[str], list[str]]] = {
    # name: (arguments, arguments with --rapide)
    "scale": (["--echelles", "1,10,100", "--runs", "3"], ["--echelles", "1,10", "--runs", "2"]),
    "reports": (["--echelles", "1,10", "--commits", "100"], ["--echelles", "1", "--commits", "20"]),
    "diff": ([], ["--repetitions", "3"]),
    "atlas": ([], ["--runs", "1"]),
    "interop": ([], ["--runs", "3"]),
    "formats": ([], ["--runs", "3"]),
    "timeline": ([], ["--runs", "3"]),
    "startup": (["--runs", "15"], ["--runs", "5"]),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rapide", action="store_true", help="×1 et ×10 seulement")
    parser.add_argument("--seulement", help="benchmarks à lancer, séparés par des virgules")
    options = parser.parse_args()
    chosen = options.seulement.split(",") if options.seulement else list(SUITE)
    durations: dict[str, float] = {}
    for name in chosen:
        full, quick = SUITE[name]
        print(f"\n=== benchmarks.{name}", flush=True)
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", f"benchmarks.{name}", *(quick if options.rapide else full)],
            check=True,
        )
        durations[name] = time.perf_counter() - start
    gathered = {}
    for path in sorted(RESULTS.glob("*.json")):
        if path.stem != "suite":
            gathered[path.stem] = json.loads(path.read_text(encoding="utf-8"))
    path = write_results("suite", {"durees_s": durations, "resultats": gathered})
    print(f"\nSuite terminée en {sum(durations.values()):.0f} s ; résultats réunis dans {path}")


if __name__ == "__main__":
    main()

"""Benchmark of the command line's start-up. Not a test.

Every command, every ``--help`` and every TAB of shell completion pays the start-up: Python, the
command-line library, and whatever the command modules import. The target is 0.3 s for
``cartographie --help``. Prints medians of several runs, each in a fresh process, of:

- the references: ``python -c pass`` (the interpreter alone) and ``python -c "import typer"``
  (the command-line library, that any command pays);
- ``cartographie --help``, ``cartographie valider --help``, ``cartographie rapport --help``,
  ``cartographie carte commune --help``: the help of the root, of a command, of the generated
  groups;
- a completion: the commune ids after ``cartographie carte commune `` (what TAB asks), read
  through the parse cache of the reference inventory (warmed first);

and which heavy libraries ``cartographie --help`` imported (none of networkx, pydantic, rich,
yaml should be). Figures go to ``benchmarks/results/startup.json``.

Usage: ``python -m benchmarks.startup [--runs 7]``
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.common import ROOT, print_table, write_results

HEAVY = ("networkx", "pydantic", "rich", "yaml", "jinja2", "openpyxl", "matplotlib", "graphviz")


def seconds(arguments: list[str], runs: int, env: dict[str, str] | None = None) -> float:
    samples = []
    for _ in range(runs + 1):  # the first run warms the file system cache, and is dropped
        start = time.perf_counter()
        subprocess.run(
            arguments, check=False, capture_output=True, cwd=ROOT, env={**os.environ, **(env or {})}
        )
        samples.append(time.perf_counter() - start)
    return statistics.median(samples[1:])


def heavy_modules_of_help() -> list[str]:
    code = (
        "import sys\n"
        "from cartographie.cli.main import app\n"
        "import typer.main\n"
        "typer.main.get_command(app)\n"
        f"print(' '.join(m for m in {HEAVY!r} if m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True, cwd=ROOT
    )
    return result.stdout.split()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    options = parser.parse_args()
    python = sys.executable
    # the console script, as people run it (``python -m`` names the program differently, and
    # the shell's completion calls the script)
    command = [str(Path(python).parent / "cartographie")]
    subprocess.run([*command, "valider"], check=False, capture_output=True, cwd=ROOT)  # warm
    measures = {
        "python -c pass": [python, "-c", "pass"],
        "python -c 'import typer'": [python, "-c", "import typer"],
        "cartographie --help": [*command, "--help"],
        "cartographie valider --help": [*command, "valider", "--help"],
        "cartographie rapport --help": [*command, "rapport", "--help"],
        "cartographie carte commune --help": [*command, "carte", "commune", "--help"],
    }
    results: dict[str, float] = {}
    for label, arguments in measures.items():
        results[label] = seconds(arguments, options.runs)
    completion = {
        "_CARTOGRAPHIE_COMPLETE": "complete_bash",
        "COMP_WORDS": "cartographie carte commune ",
        "COMP_CWORD": "3",
    }
    results["complétion des communes (TAB)"] = seconds(command, options.runs, completion)
    reference = results["python -c 'import typer'"]
    rows = [
        (label, f"{value:.3f}", f"{value / reference:.2f}×", "≤ 0,3 s" if "--help" in label else "")
        for label, value in results.items()
    ]
    print_table(
        f"Démarrage (médianes de {options.runs} processus)",
        rows,
        ("commande", "secondes", "× import typer", "cible"),
    )
    heavy = heavy_modules_of_help()
    print(f"\nBibliothèques lourdes importées par --help : {', '.join(heavy) or 'aucune'}")
    path = write_results(
        "startup", {"secondes": results, "reference": "import typer", "lourdes": heavy}
    )
    print(f"Résultats : {path}")


if __name__ == "__main__":
    main()

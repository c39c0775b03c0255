"""Benchmark of the command line's start-up. Not a test.

Every command, every ``--help`` and every TAB of shell completion pays the start-up: Python, the
command-line library, and whatever the command modules import. The target is 0.3 s for
``cartographie --help``. Prints the medians of the wall time and of the CPU time (user + system:
what a process costs, steadier than the wall clock on a shared machine) of several runs, each in
a fresh process, one of each per round, of:

- the references: ``python -c pass`` (the interpreter alone) and ``python -c "import typer"``
  (the command-line library, that any command pays);
- ``cartographie --help``, ``cartographie valider --help``, ``cartographie rapport --help``,
  ``cartographie carte commune --help``: the help of the root, of a command, of the generated
  groups;
- a completion: the commune ids after ``cartographie carte commune `` (what TAB asks), read
  from the reference inventory's files without loading it (``inventory/ids.py``);

and which heavy libraries ``cartographie --help`` imported (none of networkx, pydantic, rich,
yaml should be). Figures go to ``benchmarks/results/startup.json``.

Usage: ``python -m benchmarks.startup [--runs 7]``
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.common import ROOT, print_table, write_results

HEAVY = ("networkx", "pydantic", "rich", "yaml", "jinja2", "openpyxl", "matplotlib", "graphviz")


def one_run(arguments: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """The wall time and the CPU time (user + system) of one process.

    On a shared machine the wall clock also counts the time others took the cores; the CPU
    time a process used is what it costs, and moves far less with the load."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(
        arguments, check=False, capture_output=True, cwd=ROOT, env={**os.environ, **(env or {})}
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime


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
    completion = {
        "_CARTOGRAPHIE_COMPLETE": "complete_bash",
        "COMP_WORDS": "cartographie carte commune ",
        "COMP_CWORD": "3",
    }
    runs: dict[str, tuple[list[str], dict[str, str] | None]] = {
        **{label: (arguments, None) for label, arguments in measures.items()},
        "complétion des communes (TAB)": (command, completion),
    }
    for arguments, env in runs.values():  # warms the file system cache and the .pyc files
        one_run(arguments, env)
    # In turns, one process of each per round, so that a change of the machine's load hits
    # the references and the commands alike.
    samples: dict[str, list[tuple[float, float]]] = {label: [] for label in runs}
    for _ in range(options.runs):
        for label, (arguments, env) in runs.items():
            samples[label].append(one_run(arguments, env))
    results = {
        label: (
            statistics.median(wall for wall, _ in values),
            statistics.median(cpu for _, cpu in values),
        )
        for label, values in samples.items()
    }
    reference = results["python -c 'import typer'"]
    rows = [
        (
            label,
            f"{wall:.3f}",
            f"{wall / reference[0]:.2f}×",
            f"{cpu:.3f}",
            f"{cpu / reference[1]:.2f}×",
            "≤ 0,3 s" if "--help" in label else "",
        )
        for label, (wall, cpu) in results.items()
    ]
    print_table(
        f"Démarrage (médianes de {options.runs} tours, un processus de chaque par tour)",
        rows,
        ("commande", "mur (s)", "× typer", "CPU (s)", "× typer", "cible"),
    )
    heavy = heavy_modules_of_help()
    print(f"\nBibliothèques lourdes importées par --help : {', '.join(heavy) or 'aucune'}")
    path = write_results(
        "startup",
        {
            "secondes": {
                label: {"mur": wall, "cpu": cpu} for label, (wall, cpu) in results.items()
            },
            "reference": "import typer",
            "lourdes": heavy,
        },
    )
    print(f"Résultats : {path}")


if __name__ == "__main__":
    main()

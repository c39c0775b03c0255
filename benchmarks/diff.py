"""Benchmark of the semantic diff: what ``cartographie diff A B`` costs beside loading A and B.

Two cases on the reference inventory (``inventory/``, ~1,200 applications, ~4,500 flows):

- **directories**: the inventory against a copy with 50 random edits (seeded): costs changed,
  flow frequencies changed, flows removed, applications added;
- **git revisions**: the same two versions committed in a temporary repository, read with
  ``git ls-tree`` / ``git cat-file --batch`` (``cartographie diff HEAD~1 HEAD``).

For each, in the same run: the time to load both inventories (``load_inventory`` twice), the time
of the whole diff (both versions read and validated, then compared — what the command does), and
the comparison alone. Target: the whole diff ≤ 1.2 × loading both. Every figure is the median of
``--repetitions`` runs.

Run: ``python benchmarks/diff.py [--repetitions 5] [--modifications 50] [--graine 4]``.
It prints the figures; it is a measurement, never a pass/fail test.

Figures measured here (2 shared cores, Python 3.11, 1,210 applications and 4,581 flows, 50 edits
found as 50 changes; medians of 9 rounds, seconds, and × loading both directories):

=======================================  =======  =====
chargement des deux inventaires           1.129    1.00
comparaison seule                         0.075    0.07
diff complet, deux dossiers               1.245    1.10
chargement des deux révisions (git)       1.163    1.03
diff complet, deux révisions git          1.249    1.11
=======================================  =======  =====

The machine was shared (load average 2.5 on 2 cores): single loads varied from 0.34 to 0.64 s
between rounds, so ratios move by ±0.2 from run to run; the comparison itself is steady at
0.05–0.1 s, 7–8 % of loading both.
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import REFERENCE_INVENTORY, print_table, timed, write_results
from cartographie.diff import ChangeSet, diff_inventories
from cartographie.inventory import load_inventory
from cartographie.inventory.git import find_repository, load_revision, load_version

TARGET = 1.2
_FREQUENCIES = ("temps-reel", "quotidienne", "hebdomadaire", "mensuelle", "ponctuelle")


def edit_copy(source: Path, target: Path, count: int, seed: int) -> dict[str, int]:
    """Copy the inventory and make ``count`` edits, each a different object; their kinds."""
    shutil.copytree(source, target)
    rng = random.Random(seed)
    app_files = sorted((target / "applications").glob("*.yaml"))
    flow_files = sorted((target / "flux").glob("*.yaml"))
    texts = {path: path.read_text(encoding="utf-8") for path in app_files + flow_files}
    kinds = {"cout": count * 2 // 5, "frequence": count * 3 // 10, "retrait-flux": count // 5}
    kinds["ajout-application"] = count - sum(kinds.values())

    costs = [
        (path, match.start(1), match.end(1))
        for path in app_files
        for match in re.finditer(r"^    cout_annuel: (\d+)$", texts[path], re.M)
    ]
    for path, start, end in sorted(rng.sample(costs, kinds["cout"]), key=lambda c: -c[1]):
        text = texts[path]
        texts[path] = text[:start] + str(int(text[start:end]) + 1) + text[end:]

    items = [
        (path, match.start())
        for path in flow_files
        for match in re.finditer(r"^  - ", texts[path], re.M)
    ]
    chosen = rng.sample(items, kinds["frequence"] + kinds["retrait-flux"])
    to_remove = set(chosen[kinds["frequence"] :])
    for path, start in sorted(chosen, key=lambda item: -item[1]):
        text = texts[path]
        end = text.find("\n  - ", start + 1)
        end = len(text) if end < 0 else end + 1
        if (path, start) in to_remove:
            texts[path] = text[:start] + text[end:]
            continue
        block = text[start:end]
        current = re.search(r"^    frequence: (\S+)$", block, re.M)
        old = current.group(1) if current else "quotidienne"
        new = next(f for f in rng.sample(_FREQUENCIES, len(_FREQUENCIES)) if f != old)
        if current:
            block = block[: current.start(1)] + new + block[current.end(1) :]
        else:
            block = block.rstrip("\n") + f"\n    frequence: {new}\n"
        texts[path] = text[:start] + block + text[end:]

    for number in range(kinds["ajout-application"]):
        path = rng.choice(app_files)
        text = texts[path]
        starts = [m.start() for m in re.finditer(r"^  - id: ", text, re.M)]
        start = rng.choice(starts)
        end = text.find("\n  - ", start + 1)
        block = text[start : (len(text) if end < 0 else end + 1)]
        block = re.sub(r"^  - id: (\S+)", rf"  - id: \1-bis-{number}", block, count=1)
        block = block if block.endswith("\n") else block + "\n"
        texts[path] = text.rstrip("\n") + "\n" + block
    for path, text in texts.items():
        path.write_text(text, encoding="utf-8")
    return kinds


def git(repo: Path, *args: str) -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "bench",
        "GIT_AUTHOR_EMAIL": "bench@example.org",
        "GIT_COMMITTER_NAME": "bench",
        "GIT_COMMITTER_EMAIL": "bench@example.org",
        "GIT_CONFIG_GLOBAL": os.devnull,
    }
    subprocess.run(["git", "-C", str(repo), *args], check=True, env=env, capture_output=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repetitions", type=int, default=5)
    parser.add_argument("--modifications", type=int, default=50)
    parser.add_argument("--graine", type=int, default=4)
    arguments = parser.parse_args()
    runs = arguments.repetitions

    work = Path(tempfile.mkdtemp(prefix="cartographie-bench-diff-"))
    try:
        base = work / "base"
        shutil.copytree(REFERENCE_INVENTORY, base)
        edited = work / "modifie"
        kinds = edit_copy(REFERENCE_INVENTORY, edited, arguments.modifications, arguments.graine)
        inventory = load_inventory(base)
        counts = (len(inventory.applications), len(inventory.flows))
        del inventory

        # The same two versions as two commits of a repository.
        repo = work / "depot"
        shutil.copytree(base, repo / "inventory")
        git(repo, "init", "-q", "-b", "main")
        git(repo, "add", "-A")
        git(repo, "commit", "-q", "-m", "base")
        shutil.rmtree(repo / "inventory")
        shutil.copytree(edited, repo / "inventory")
        git(repo, "add", "-A")
        git(repo, "commit", "-q", "-m", "modifications")
        directory = repo / "inventory"
        find_repository(directory)

        compare, changes = timed(
            lambda pair=(load_inventory(base), load_inventory(edited)): diff_inventories(*pair),
            runs,
        )

        def whole_directories() -> ChangeSet:
            return diff_inventories(
                load_version(str(base), base).inventory, load_version(str(edited), edited).inventory
            )

        def whole_revisions() -> ChangeSet:
            return diff_inventories(
                load_version("HEAD~1", directory).inventory,
                load_version("HEAD", directory).inventory,
            )

        # Interleaved, one of each per round, so that the machine's noise hits all alike; every
        # earlier result is freed first (a live inventory makes the garbage collector's passes
        # longer for whatever runs next).
        measures: dict[str, Callable[[], object]] = {
            "load_both": lambda: (load_inventory(base), load_inventory(edited)),
            "whole": whole_directories,
            "load_revisions": lambda: (
                load_revision(directory, "HEAD~1"),
                load_revision(directory, "HEAD"),
            ),
            "whole_git": whole_revisions,
        }
        samples: dict[str, list[float]] = {name: [] for name in measures}
        results: dict[str, object] = {}
        for round_number in range(runs + 1):
            for name, function in measures.items():
                results.clear()
                gc.collect()
                start = time.perf_counter()
                results[name] = function()
                if round_number:  # the first round warms up
                    samples[name].append(time.perf_counter() - start)
        load_both, whole, load_revisions, whole_git = (
            statistics.median(samples[name]) for name in measures
        )
        best = {name: min(values) for name, values in samples.items()}
        git_changes = whole_revisions()
        assert isinstance(git_changes, ChangeSet)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    found = len(changes.changes)
    made = ", ".join(f"{kind} {number}" for kind, number in kinds.items())
    print(
        f"Inventaire de référence : {counts[0]} applications, {counts[1]} flux ; "
        f"{arguments.modifications} modifications ({made}) → {found} changements trouvés "
        f"({len(git_changes.changes)} entre révisions)."
    )
    rows = [
        ("chargement des deux inventaires (dossiers)", load_both, best["load_both"]),
        ("comparaison seule", compare, compare),
        ("diff complet, deux dossiers", whole, best["whole"]),
        ("chargement des deux révisions (git)", load_revisions, best["load_revisions"]),
        ("diff complet, deux révisions git", whole_git, best["whole_git"]),
    ]
    table = [
        (
            label,
            f"{median:.3f}",
            f"{median / load_both:.2f}",
            f"{minimum:.3f}",
            f"{minimum / best['load_both']:.2f}",
        )
        for label, median, minimum in rows
    ]
    print_table(
        f"{runs} mesures, médiane et minimum (secondes ; ratio au chargement des deux dossiers ; "
        f"cible du diff ≤ {TARGET})",
        table,
        ("mesure", "médiane", "ratio", "minimum", "ratio"),
    )
    print(
        f"\nDiff entre dossiers : {whole / load_both:.2f} × le chargement des deux "
        f"(cible ≤ {TARGET}) ; entre révisions git : {whole_git / load_both:.2f} × "
        f"({whole_git / load_revisions:.2f} × le chargement des deux révisions)."
    )
    path = write_results(
        "diff",
        {
            "applications": counts[0],
            "flux": counts[1],
            "modifications": arguments.modifications,
            "changements": found,
            "repetitions": runs,
            "chargement_deux_dossiers": load_both,
            "comparaison": compare,
            "diff_dossiers": whole,
            "chargement_deux_revisions": load_revisions,
            "diff_revisions": whole_git,
            "ratio_dossiers": whole / load_both,
            "ratio_revisions": whole_git / load_both,
            "minimums": best,
        },
    )
    print(f"Résultats : {path}")


if __name__ == "__main__":
    main()

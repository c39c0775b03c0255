"""``cartographie valider`` on every broken inventory of ``tests/fixtures/broken``.

Each folder is the minimal inventory with one defect (``fixtures/build_broken.py`` made it) and
an ``expected.txt``: the exact lines the command prints on stderr, run from
``tests/fixtures/broken`` with the folder's name as argument. To refresh them after a deliberate
change of wording, set ``CARTOGRAPHIE_UPDATE_GOLDEN=1`` for one run and read the diff.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from support import BROKEN, MINIMAL, RunCli

from cartographie.errors import PROBLEM_CODES, InventoryError
from cartographie.inventory import load_inventory, validate_inventory

UPDATE_GOLDEN = os.environ.get("CARTOGRAPHIE_UPDATE_GOLDEN", "") == "1"

# Each problem point 3 of the foundation issue names, and the code its fixture must show: a
# refreshed golden file cannot silently drop the problem the folder is about.
MAIN_CODE = {
    "broken-invalid-yaml": "E102",
    "broken-not-utf8": "E101",
    "broken-duplicate-key": "E103",
    "broken-python-tag": "E104",
    "broken-alias-bomb": "E105",
    "broken-merge-key": "E108",
    "broken-empty-file": "E106",
    "broken-comments-only": "E106",
    "broken-tab-indentation": "E102",
    "broken-unknown-field": "E201",
    "broken-missing-field": "E202",
    "broken-bad-enum": "E203",
    "broken-list-for-mapping": "E204",
    "broken-id-with-dotdot": "E205",
    "broken-id-with-spaces": "E205",
    "broken-duplicate-id-same-file": "E301",
    "broken-duplicate-id-across-files": "E301",
    "broken-unknown-commune-in-users": "E302",
    "broken-unknown-bloc": "E302",
    "broken-unknown-product": "E302",
    "broken-unknown-vendor": "E302",
    "broken-unknown-data-object": "E302",
    "broken-unknown-hub": "E302",
    "broken-unknown-delegation": "E302",
    "broken-unknown-flow-source": "E302",
    "broken-unknown-flow-target": "E302",
    "broken-unknown-step-application": "E302",
    "broken-unknown-next-step": "E302",
    "broken-unknown-domain": "E302",
    "broken-unknown-datacenter": "E302",
    "broken-bloc-cycle": "E304",
    "broken-via-not-hub": "E305",
    "broken-flow-to-itself": "E306",
}

BROKEN_NAMES = sorted(path.name for path in BROKEN.iterdir() if path.is_dir())


def test_every_problem_has_its_broken_inventory() -> None:
    assert sorted(MAIN_CODE) == BROKEN_NAMES
    assert len(BROKEN_NAMES) >= 25


@pytest.mark.parametrize("name", BROKEN_NAMES)
def test_valider_prints_the_expected_lines(name: str, run_cli: RunCli) -> None:
    run = run_cli("valider", name, cwd=BROKEN)
    expected_file = BROKEN / name / "expected.txt"
    if UPDATE_GOLDEN:
        expected_file.write_text(run.stderr, encoding="utf-8")
    assert run.stderr_lines == expected_file.read_text(encoding="utf-8").splitlines()
    assert run.exit_code == 1
    assert run.stdout == ""  # messages go to stderr; stdout is for data only
    assert "Traceback" not in run.stderr
    problems = run.stderr_lines[:-1]
    assert problems, "at least one problem line before the count"
    assert all(line.startswith(f"{name}/") for line in problems)
    assert any(f": {MAIN_CODE[name]}: " in line for line in problems)
    count = len(problems)
    plural = "s" if count > 1 else ""
    assert run.stderr_lines[-1] == f"{count} problème{plural} trouvé{plural}."


@pytest.mark.parametrize("name", BROKEN_NAMES)
def test_the_library_raises_its_own_error(name: str) -> None:
    with pytest.raises(InventoryError) as caught:
        load_inventory(BROKEN / name)
    codes = {problem.code for problem in caught.value.problems}
    assert MAIN_CODE[name] in codes
    assert codes <= set(PROBLEM_CODES)
    assert caught.value.problems == sorted(caught.value.problems, key=lambda p: p.sort_key())


def _files(root: Path) -> dict[str, bytes]:
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file() and path.name != "expected.txt"
    }


@pytest.mark.parametrize("name", BROKEN_NAMES)
def test_each_broken_inventory_is_the_minimal_one_with_one_defect(name: str) -> None:
    minimal, broken = _files(MINIMAL), _files(BROKEN / name)
    changed = {
        path for path in minimal.keys() | broken.keys() if minimal.get(path) != broken.get(path)
    }
    assert len(changed) == 1, changed


def test_a_python_tag_is_never_run(tmp_path: Path) -> None:
    """The real console script, from a folder where ``touch marker`` would leave a trace."""
    inventory = tmp_path / "inventaire"
    shutil.copytree(BROKEN / "broken-python-tag", inventory)
    script = Path(sys.executable).with_name("cartographie")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "cartographie"]
    done = subprocess.run(
        [*command, "valider", "inventaire"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
        env={**os.environ, "COLUMNS": "120", "NO_COLOR": "1", "TERM": "dumb"},
        timeout=60,
    )
    assert done.returncode == 1
    assert "E104" in done.stderr
    assert "Traceback" not in done.stderr + done.stdout
    assert not list(tmp_path.rglob("marker"))
    assert not (Path.cwd() / "marker").exists()


def test_an_alias_bomb_is_refused_fast() -> None:
    # The bomb expands to 12 billion values; refusing it takes a few milliseconds here.
    started = time.perf_counter()
    result = validate_inventory(BROKEN / "broken-alias-bomb")
    elapsed = time.perf_counter() - started
    assert [problem.code for problem in result.problems] == ["E105"]
    assert elapsed < 1.0

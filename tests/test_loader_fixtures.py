"""``cartographie valider`` on every broken inventory of ``tests/fixtures/broken``.

Each folder is the minimal inventory with one defect (``fixtures/build_broken.py`` made it) and
an ``expected.txt``: the exact lines the command prints on stderr, run from
``tests/fixtures/broken`` with the folder's name as argument. To refresh them after a deliberate
change of wording, set ``CARTOGRAPHIE_UPDATE_GOLDEN=1`` for one run and read the diff.

What git cannot hold — symbolic links out of the inventory, a FIFO, a socket, a 65 MB file — is
made at run time (:data:`RUNTIME`), each with its exact lines too, and run by the real console
script in a subprocess with a timeout: a FIFO that hung the loader would fail the test, not hang
the suite.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable
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
    "broken-bloc-own-parent": "E304",
    "broken-renewal-cycle": "E308",
    "broken-self-renewal": "E206",
    "broken-replacement-cycle": "E309",
    "broken-replacement-cycle-of-three": "E309",
    # Issue 13: hostile bytes, control characters, reserved ids, values too long to print.
    "broken-nul-byte": "E101",
    "broken-utf16-with-bom": "E101",
    "broken-utf16-without-bom": "E101",
    "broken-utf32": "E101",
    "broken-raw-escape": "E207",
    "broken-raw-c1-control": "E207",
    "broken-escape-in-name": "E207",
    "broken-line-break-in-name": "E207",
    "broken-bidi-override-in-name": "E207",
    "broken-tab-in-one-line-field": "E207",
    "broken-control-in-id": "E205",
    "broken-control-in-reference": "E205",
    "broken-windows-device-application": "E310",
    "broken-windows-device-bloc": "E310",
    "broken-windows-device-step": "E310",
    "broken-huge-value": "E203",
    "broken-text-instead-of-yaml": "E204",
    # Issue 15: costs.
    "broken-unknown-allocation-key": "E203",
    "broken-allocation-weight-not-a-number": "E204",
    "broken-days-with-three-decimals": "E206",
}

BROKEN_NAMES = sorted(path.name for path in BROKEN.iterdir() if path.is_dir())

# --- broken inventories made at run time ------------------------------------------------------

SECRET = "mot de passe : hunter2"
LINK_HINT = "(remplacez le lien par le fichier lui-même, ou faites-le pointer dans l'inventaire)"


def _link_out(relative: str, target: str) -> Callable[[Path], None]:
    """Replace (or add) ``relative`` by a link to ``target``, outside the inventory."""

    def make(root: Path) -> None:
        (root / relative).unlink(missing_ok=True)
        (root / relative).symlink_to(target)

    return make


def _fifo(relative: str) -> Callable[[Path], None]:
    return lambda root: os.mkfifo(root / relative)


def _socket(root: Path) -> None:
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(root / "flux" / "prise.yaml"))
    server.close()  # the socket file stays


def _link_loop(root: Path) -> None:
    (root / "flux" / "a.yaml").symlink_to("b.yaml")
    (root / "flux" / "b.yaml").symlink_to("a.yaml")


def _link_to_fifo(root: Path) -> None:
    os.mkfifo(root / "tube")
    (root / "flux" / "lien.yaml").symlink_to("../tube")


def _sparse(root: Path) -> None:
    with (root / "flux" / "gros.yaml").open("wb") as stream:
        stream.truncate(65 * 1024 * 1024)  # no block written: a hole of 65 MiB


# name -> (what makes the defect in a copy of the minimal inventory, the exact stderr lines);
# the last line, the count, is added by the test.
RUNTIME: dict[str, tuple[Callable[[Path], None], list[str]]] = {
    "broken-link-out-of-the-inventory": (
        _link_out("applications/nord.yaml", "../../secret.txt"),
        [
            "broken-link-out-of-the-inventory/applications/nord.yaml: E110: lien symbolique vers "
            f"« ../../secret.txt », hors de l'inventaire : il n'est pas suivi {LINK_HINT}"
        ],
    ),
    "broken-territory-linked-out": (
        _link_out("territoire.yaml", "../secret.txt"),
        [
            "broken-territory-linked-out/territoire.yaml: E110: lien symbolique vers "
            f"« ../secret.txt », hors de l'inventaire : il n'est pas suivi {LINK_HINT}"
        ],
    ),
    "broken-link-to-dev-zero": (
        _link_out("flux/zero.yaml", "/dev/zero"),
        [
            "broken-link-to-dev-zero/flux/zero.yaml: E110: lien symbolique vers « /dev/zero », "
            f"hors de l'inventaire : il n'est pas suivi {LINK_HINT}"
        ],
    ),
    "broken-link-to-a-folder-outside": (
        _link_out("applications/autres", "/etc"),
        [
            "broken-link-to-a-folder-outside/applications/autres: E110: lien symbolique vers "
            f"« /etc », hors de l'inventaire : il n'est pas suivi {LINK_HINT}"
        ],
    ),
    "broken-fifo": (
        _fifo("flux/tube.yaml"),
        [
            "broken-fifo/flux/tube.yaml: E111: un tube nommé (FIFO), pas un fichier ordinaire : il "
            "n'est pas lu (remplacez-le par un fichier texte ordinaire, ou retirez-le)"
        ],
    ),
    "broken-link-inside-to-a-fifo": (
        _link_to_fifo,
        [
            "broken-link-inside-to-a-fifo/flux/lien.yaml: E111: un tube nommé (FIFO), pas un "
            "fichier ordinaire : il n'est pas lu (remplacez-le par un fichier texte ordinaire, ou "
            "retirez-le)"
        ],
    ),
    "broken-socket": (
        _socket,
        [
            "broken-socket/flux/prise.yaml: E111: une socket, pas un fichier ordinaire : il n'est "
            "pas lu (remplacez-le par un fichier texte ordinaire, ou retirez-le)"
        ],
    ),
    "broken-dangling-link": (
        _link_out("flux/lien.yaml", "absent.yaml"),
        [
            "broken-dangling-link/flux/lien.yaml: E109: lecture impossible : fichier introuvable "
            "(un lien symbolique cassé ? supprimez-le ou rétablissez sa cible)"
        ],
    ),
    "broken-link-loop": (
        _link_loop,
        [
            f"broken-link-loop/flux/{name}.yaml: E109: lecture impossible : liens symboliques en "
            "boucle (un lien mène à lui-même : corrigez-le)"
            for name in ("a", "b")
        ],
    ),
    "broken-file-over-the-limit": (
        _sparse,
        [
            "broken-file-over-the-limit/flux/gros.yaml: E107: fichier de 68.2 Mo au-delà de la "
            "limite de 64 Mo : il n'est pas lu (découpez-le en plusieurs fichiers du même dossier)"
        ],
    ),
}


def test_every_problem_has_its_broken_inventory() -> None:
    assert sorted(MAIN_CODE) == BROKEN_NAMES
    assert not set(RUNTIME) & set(BROKEN_NAMES)
    # The corpus of issue 13: at least 60 broken inventories, each with its exact lines.
    assert len(BROKEN_NAMES) + len(RUNTIME) >= 60


def _console_script() -> list[str]:
    script = Path(sys.executable).with_name("cartographie")
    return [str(script)] if script.exists() else [sys.executable, "-m", "cartographie"]


@pytest.mark.parametrize("name", sorted(RUNTIME))
def test_valider_refuses_what_git_cannot_hold(name: str, tmp_path: Path) -> None:
    (tmp_path / "secret.txt").write_text(f"{SECRET}\n" * 1000, encoding="utf-8")
    inventory = tmp_path / "cas" / name
    shutil.copytree(MINIMAL, inventory)
    make, expected = RUNTIME[name]
    make(inventory)
    done = subprocess.run(
        [*_console_script(), "valider", name],
        cwd=inventory.parent,
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
        env={**os.environ, "CARTOGRAPHIE_CACHE": str(tmp_path / "cache")},
        timeout=60,
    )
    count = len(expected)
    plural = "s" if count > 1 else ""
    assert done.stderr.splitlines() == [*expected, f"{count} problème{plural} trouvé{plural}."]
    assert done.returncode == 1
    assert done.stdout == ""
    assert SECRET not in done.stderr


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

"""Shell completion: the scripts ``cartographie completion`` prints, run by a real bash, complete
commands, options and the inventory's ids; zsh and fish get the same answers in their format;
the ids come from the inventory the command line names, read without validating."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from support import MINIMAL, RunCli
from typer.testing import CliRunner

from cartographie.cli.main import app
from cartographie.inventory.ids import known_ids

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = Path(sys.executable).parent / "cartographie"


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_the_script_of_each_shell_is_printed(run_cli: RunCli, shell: str) -> None:
    run = run_cli("completion", shell)
    assert run.exit_code == 0
    assert "_CARTOGRAPHIE_COMPLETE" in run.stdout
    assert f"complete_{shell}" in run.stdout
    assert "cartographie" in run.stdout


def test_an_unknown_shell_lists_the_known_ones(run_cli: RunCli) -> None:
    run = run_cli("completion", "tcsh")
    assert run.exit_code == 2
    assert "bash" in run.stderr and "zsh" in run.stderr and "fish" in run.stderr


def _bash_complete(words: str, cwd: Path) -> list[str]:
    """What a real bash offers after ``words`` (the last one being completed), once the
    printed script is sourced."""
    count = len(words.split()) - (0 if words.endswith(" ") else 1)
    program = (
        "source <(cartographie completion bash) || exit 9\n"
        f"COMP_WORDS=({words})\n"
        + ("COMP_WORDS+=('')\n" if words.endswith(" ") else "")
        + f"COMP_CWORD={count}\n"
        "_cartographie_completion cartographie\n"
        'printf "%s\\n" "${COMPREPLY[@]}"\n'
    )
    environment = {**os.environ, "PATH": f"{SCRIPT.parent}{os.pathsep}{os.environ['PATH']}"}
    result = subprocess.run(
        ["bash", "--norc", "--noprofile", "-c", program],
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return [line for line in result.stdout.splitlines() if line]


@pytest.mark.skipif(
    shutil.which("bash") is None or not SCRIPT.exists(),
    reason="needs bash and the installed script",
)
def test_bash_completes_a_commune_id_from_the_inventory(tmp_path: Path) -> None:
    # the reference inventory, ./inventory by default
    assert _bash_complete("cartographie carte commune be", ROOT) == ["beaupuy-l-eveque"]
    # the one -i names, from any folder
    assert _bash_complete(f"cartographie carte commune -i {MINIMAL} ", tmp_path) == [
        "nord",
        "sud",
    ]
    # commands and options come from the command tree
    assert _bash_complete("cartographie carte p", tmp_path) == ["processus", "pos"]
    assert "--commune" in _bash_complete("cartographie journal --", tmp_path)


def _complete_in_process(shell: str, words: str, cwd: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.chdir(cwd)
    environment = {"_CARTOGRAPHIE_COMPLETE": f"complete_{shell}", "_TYPER_COMPLETE_ARGS": words}
    if shell == "fish":
        environment["_TYPER_COMPLETE_FISH_ACTION"] = "get-args"
    result = CliRunner().invoke(app, [], env=environment, prog_name="cartographie")
    assert result.exit_code == 0, result.output
    return result.stdout


def test_zsh_and_fish_show_each_id_with_its_name(monkeypatch: pytest.MonkeyPatch) -> None:
    words = f"cartographie rapport feuille-de-route -i {MINIMAL} --commune "
    zsh = _complete_in_process("zsh", words, ROOT, monkeypatch)
    assert '"nord":"Nordville"' in zsh
    fish = _complete_in_process("fish", words, ROOT, monkeypatch)
    assert "nord\tNordville" in fish


def test_ids_by_kind_and_prefix() -> None:
    blocs = [item.id for item in known_ids(ROOT / "inventory", "bloc")]
    zones = [item.id for item in known_ids(ROOT / "inventory", "zone")]
    assert "etat-civil" in blocs and "relation-usagers" not in blocs
    assert "relation-usagers" in zones and "etat-civil" not in zones
    assert [item.id for item in known_ids(ROOT / "inventory", "processus", "gd")] == ["gdu"]
    assert known_ids(ROOT / "inventory", "inconnu") == []
    assert known_ids(ROOT / "nulle-part", "commune") == []


def test_a_broken_inventory_completes_what_it_can(tmp_path: Path) -> None:
    shutil.copytree(MINIMAL, tmp_path / "inv")
    territory = tmp_path / "inv" / "territoire.yaml"
    text = territory.read_text(encoding="utf-8")
    # an invalid id and a name with a terminal escape never reach the shell
    text = text.replace("nom: Nordville", 'nom: "Nord\\eville"').replace("id: sud", "id: Sud Ville")
    territory.write_text(text, encoding="utf-8")
    (tmp_path / "inv" / "casse.yaml").write_text("communes: [ {id: est\n", encoding="utf-8")
    (tmp_path / "inv" / "piege.yaml").write_text(
        "communes:\n  - !!python/object/apply:os.system [echo piege]\n", encoding="utf-8"
    )
    found = known_ids(tmp_path / "inv", "commune")
    assert [(item.id, item.name) for item in found] == [("nord", "")]

"""A command line that helps: a bare group shows its help (exit 0), a mistyped command or option
gets what was meant, and help pages read as French sentences (no ``x>=1``, no default said
twice)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import typer.main
from click import Command, Context
from support import RunCli

from cartographie.cli.french import french_help_record
from cartographie.cli.main import app

ROOT = Path(__file__).resolve().parents[1]
ROOT_COMMAND = typer.main.get_command(app)


def _commands(command: Command, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    paths = [path]
    for name, sub in sorted(getattr(command, "commands", {}).items()):
        paths += _commands(sub, (*path, name))
    return paths


ALL = _commands(ROOT_COMMAND)


def _help(path: tuple[str, ...]) -> str:
    command: Command = ROOT_COMMAND
    for name in path:
        command = command.commands[name]  # type: ignore[attr-defined]
    context = Context(command, info_name=" ".join(("cartographie", *path)))
    return command.get_help(context)


@pytest.mark.parametrize("group", [(), ("carte",), ("rapport",), ("importer",)])
def test_a_bare_group_prints_its_help_and_succeeds(run_cli: RunCli, group: tuple[str, ...]) -> None:
    run = run_cli(*group)
    assert run.exit_code == 0
    assert run.stdout.startswith("Utilisation : ")
    assert "Commandes :" in run.stdout
    assert run.stderr == ""


def test_a_mistyped_command_gets_the_closest_one(run_cli: RunCli) -> None:
    run = run_cli("valdier")
    assert run.exit_code == 2
    assert "commande inconnue : « valdier » ; vouliez-vous dire « valider » ?" in run.stderr
    run = run_cli("carte", "comune", "aurelle")
    assert "vouliez-vous dire « commune » ?" in run.stderr
    # nothing close: the group's commands
    run = run_cli("rapport", "zzz")
    assert "commandes : convergence, impact," in run.stderr


def test_an_unknown_option_names_the_possible_ones(run_cli: RunCli) -> None:
    run = run_cli("carte", "commune", "aurelle", "--xyz")
    assert run.exit_code == 2
    line = run.stderr.strip()
    assert line.startswith("erreur U001 : option inconnue : --xyz ; options possibles : ")
    for option in ("--format", "--sortie", "--inventaire", "--date", "--help"):
        assert option in line
    run = run_cli("valider", "--formt", "json")
    assert "option inconnue : --formt ; vouliez-vous dire --format ?" in run.stderr


@pytest.mark.parametrize("path", ALL, ids=lambda path: " ".join(path) or "racine")
def test_help_pages_read_as_french(path: tuple[str, ...]) -> None:
    text = _help(path)
    assert not re.search(r"\bx\s*[<>]=?|<=\s*x\b", text), text
    assert "default:" not in text and "required" not in text
    assert "{" not in text.splitlines()[0]  # « ID », not typer's « {ID} »
    # a default the help already gives is not repeated
    for entry in re.split(r"\n(?=  -)", text):
        if "par défaut" in entry:
            assert "[défaut :" not in entry, entry


def test_the_bracket_of_an_option_in_french() -> None:
    assert french_help_record(("--delai", "Durée.  [default: 120.0; x>=1]")) == (
        "--delai",
        "Durée.  [défaut : 120 ; au moins 1]",
    )
    assert french_help_record(("--depuis", "Année.  [1950<=x<=2100]")) == (
        "--depuis",
        "Année.  [de 1950 à 2100]",
    )
    assert french_help_record(("-f", "svg (par défaut) ou png.  [default: svg]")) == (
        "-f",
        "svg (par défaut) ou png.",
    )
    assert french_help_record(("-j", "N.  [default: 0; x>=0]")) == ("-j", "N.  [défaut : 0]")
    assert french_help_record(("--max", "Octets.  [default: 1000000]")) == (
        "--max",
        "Octets.  [défaut : 1\u202f000\u202f000]",
    )
    assert french_help_record(("ID", "Identifiant.  [required]")) == (
        "ID",
        "Identifiant.  [obligatoire]",
    )


def test_help_and_completion_load_no_heavy_library() -> None:
    """Every ``--help`` and every TAB pays the start-up: building the command tree and reading
    ids must not import the graph, the models, the tables or the parsers of the commands."""
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "import typer.main\n"
        "from cartographie.cli.main import app\n"
        "command = typer.main.get_command(app)\n"
        "command.get_help(typer.Context(command, info_name='cartographie'))\n"
        "from cartographie.inventory.ids import known_ids\n"
        f"known_ids(Path({str(ROOT / 'inventory')!r}), 'commune')\n"
        "heavy = ('networkx', 'pydantic', 'rich', 'jinja2', 'openpyxl', 'matplotlib',\n"
        "         'graphviz', 'wasmtime', 'defusedxml', 'resvg_py', 'fpdf')\n"
        "print(' '.join(sorted(name for name in sys.modules if name.split('.')[0] in heavy)))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert result.stdout.split() == []

"""docs/metropole.md stays true: each fact of DESIGN.md §9 is listed with the command that shows
it on the reference inventory, and running that command shows it.

The doc's tables hold one fact a row: the fact, the command (run from the repository's root;
only the part before a ``|`` is run, the rest is for people with ``jq``), and the texts, between
« », that its output must contain. Whitespace is compared loosely (the padding of rich's tables
is not part of a fact). Each distinct command is run once, in-process.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterator
from pathlib import Path

import pytest
from support import RunCli

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "metropole.md"
INVENTORY = ROOT / "inventory"


def _rows() -> list[tuple[str, str, list[str]]]:
    """(fact, command, expected texts) for every row whose command is a cartographie one."""
    rows = []
    for line in DOC.read_text(encoding="utf-8").splitlines():
        if not line.startswith("| ") or line.startswith("| fait |"):
            continue
        cells = [cell.strip() for cell in re.split(r"(?<!\\)\|", line.strip().strip("|"))]
        if len(cells) != 3:
            continue
        command = re.fullmatch(r"`(cartographie .+)`", cells[1])
        if command is None:
            continue
        expected = re.findall(r"«([^»]+)»", cells[2])
        rows.append((cells[0], command.group(1).replace("\\|", "|"), expected))
    return rows


ROWS = _rows()


def _loose(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_the_doc_lists_every_fact_of_the_field_study() -> None:
    text = DOC.read_text(encoding="utf-8")
    for fact in (
        "14 communes",
        "30 de la métropole",
        "300 à 400 applications",
        "~1 200 applications",
        "~40 blocs",
        "plusieurs milliers de flux",
        "une douzaine de processus",
        "CNIL et RGPD",
        "`--echelle`",
        "`cartographie atlas`",
        "quatre secteurs d'intervention",
        "de la mairie au secteur du lieu concerné",
        "2016–2019",
        "2018–2021",
        "cinq communes",
        "se sentaient surveillés",
        "logiciel libre",
        "choisie en 2010",
        "consentement tacite depuis 2012",
        "de 2015 à 2022 (1,5 Md€)",
        "deux centres de données se secourent",
        "~260 agents et 45 M€",
        "dont les fonctions échangent sa donnée",
        "les noms ne se répètent pas",
    ):
        assert fact in text, fact
    assert len(ROWS) >= 20
    assert all(expected for _fact, _command, expected in ROWS)


def _arguments(command: str, tmp_path: Path) -> list[str]:
    words = shlex.split(command.split(" | ", 1)[0])[1:]
    if words[0] == "exemple":
        index = words.index("--sortie")
        return [*words[: index + 1], str(tmp_path / "exemple"), *words[index + 2 :]]
    if words[0] == "atlas":
        words += ["--sortie", str(tmp_path / "atlas")]
    return [*words, "-i", str(INVENTORY)]


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    yield {}


@pytest.mark.slow
@pytest.mark.parametrize(
    ("fact", "command", "expected"), ROWS, ids=[row[1].split(" | ")[0] for row in ROWS]
)
def test_each_command_shows_its_fact(
    run_cli: RunCli,
    outputs: dict[str, str],
    tmp_path_factory: pytest.TempPathFactory,
    fact: str,
    command: str,
    expected: list[str],
) -> None:
    key = command.split(" | ", 1)[0]
    if key not in outputs:
        tmp_path = tmp_path_factory.mktemp("commande")
        run = run_cli(*_arguments(command, tmp_path), cwd=tmp_path)
        assert run.exit_code == 0, f"{command}\n{run.stderr}"
        outputs[key] = _loose(run.stdout + "\n" + run.stderr)
    for text in expected:
        assert _loose(text) in outputs[key], f"« {text} » not in the output of `{key}` ({fact})"

"""``cartographie cache`` and ``cartographie cache vider`` at the command line."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from support import MINIMAL, RunCli


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "cache"
    monkeypatch.setenv("CARTOGRAPHIE_CACHE", str(root))
    monkeypatch.delenv("CARTOGRAPHIE_CACHE_MAX", raising=False)
    return root


def test_cache_says_where_it_is_and_how_big_by_kind(run_cli: RunCli, cache: Path) -> None:
    assert run_cli("valider", str(MINIMAL)).exit_code == 0  # fills the parse cache
    (cache / "tendance-0000000000000000").mkdir(mode=0o700)
    (cache / "tendance-0000000000000000" / "depot.json").write_text("{}")
    result = run_cli("cache")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == f"Cache de cartographie : {cache}"
    rows = {line.split("│")[1].strip(): line for line in lines if line.count("│") == 5}
    reading = [
        cell.strip() for cell in rows["Lecture des inventaires (cache de lecture)"].split("│")
    ]
    assert reading[2] == "1" and int(reading[3]) >= 2 and reading[4].endswith("ko")
    assert [cell.strip() for cell in rows["Chiffres de la tendance, par commit"].split("│")][
        2:5
    ] == [
        "1",
        "1",
        "2\u202fo",
    ]
    assert "Graphviz embarqué, compilé" in rows and "Total" in rows
    assert lines[-1].startswith("Limite : 500\u202fMo (CARTOGRAPHIE_CACHE_MAX)")
    assert result.stderr == ""


def test_an_unreadable_limit_and_foreign_files_are_said(
    run_cli: RunCli, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache.mkdir(mode=0o700)
    (cache / "notes.txt").write_text("à moi")
    monkeypatch.setenv("CARTOGRAPHIE_CACHE_MAX", "beaucoup")
    result = run_cli("cache")
    assert result.exit_code == 0
    assert result.stderr_lines == [
        "attention : 1 fichier(s) que cartographie n'a pas écrits (6\u202fo), laissés tels quels",
        "attention : CARTOGRAPHIE_CACHE_MAX='beaucoup' illisible (exemples : 800M, 2G) ; "
        "limite par défaut",
    ]


def test_a_cache_others_can_write_is_flagged(run_cli: RunCli, cache: Path) -> None:
    cache.mkdir()
    os.chmod(cache, 0o777)
    result = run_cli("cache")
    assert any(
        "les entrées exécutables (pickle, module compilé) n'y sont jamais relues" in line
        and f"chmod go-w {cache}" in line
        for line in result.stderr_lines
    )


def test_vider_empties_what_the_tool_wrote(run_cli: RunCli, cache: Path) -> None:
    assert run_cli("valider", str(MINIMAL)).exit_code == 0
    (cache / "notes.txt").write_text("à moi")
    result = run_cli("cache", "vider")
    assert result.exit_code == 0
    assert result.stdout.startswith("Cache vidé : 1 élément, ")
    assert result.stdout.rstrip().endswith(f"libérés ({cache}).")
    assert result.stderr_lines == [
        "attention : 1 fichier(s) que cartographie n'a pas écrits, laissés en place"
    ]
    assert sorted(path.name for path in cache.iterdir()) == ["notes.txt"]
    again = run_cli("cache", "vider")
    assert again.stdout == f"Le cache est déjà vide ({cache}).\n"

"""The ``carte`` commands and ``atlas``: files written, messages, exit codes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from cartes_support import EXAMPLE, svg_links
from support import RunCli

EX = str(EXAMPLE)


def test_carte_commune_writes_an_svg_named_after_the_commune(
    run_cli: RunCli, tmp_path: Path
) -> None:
    run = run_cli("carte", "commune", "ville-centre", "-i", EX, cwd=tmp_path)
    assert run.exit_code == 0, run.stderr
    assert run.stderr_lines == ["Carte écrite : commune-ville-centre.svg"]
    assert "../applications/" not in (tmp_path / "commune-ville-centre.svg").read_text()
    svg_links((tmp_path / "commune-ville-centre.svg").read_bytes())


@pytest.mark.parametrize(
    "args, name",
    [
        (["bloc", "proximite"], "bloc-proximite.svg"),
        (["processus", "gdu", "--commune", "saint-aubin"], "processus-gdu--saint-aubin.svg"),
        (["pos"], "pos.svg"),
    ],
)
def test_every_map_kind(run_cli: RunCli, tmp_path: Path, args: list[str], name: str) -> None:
    run = run_cli("carte", *args, "-i", EX, cwd=tmp_path)
    assert run.exit_code == 0, run.stderr
    assert (tmp_path / name).read_bytes().startswith(b"<?xml")


def test_dot_to_stdout(run_cli: RunCli) -> None:
    run = run_cli("carte", "bloc", "proximite", "-i", EX, "--format", "dot", "--sortie", "-")
    assert run.exit_code == 0
    assert run.stdout.startswith('digraph "bloc-proximite" {')
    assert run.stderr == ""


def test_filters(run_cli: RunCli, tmp_path: Path) -> None:
    out = tmp_path / "c.dot"
    run = run_cli(
        "carte",
        "commune",
        "ville-centre",
        "-i",
        EX,
        "-f",
        "dot",
        "-o",
        str(out),
        "--couche",
        "metier",
        "--sans-flux",
        "--cycle",
        "production",
    )
    assert run.exit_code == 0, run.stderr
    source = out.read_text()
    assert "Municipol" in source and "Finances mutualisées" not in source
    drawn = [line for line in source.splitlines() if "->" in line and "invis" not in line]
    assert drawn == []


def test_unknown_id_is_a_usage_error_with_the_closest_id(run_cli: RunCli, tmp_path: Path) -> None:
    run = run_cli("carte", "commune", "ville-centr", "-i", EX, cwd=tmp_path)
    assert run.exit_code == 2
    assert run.stderr_lines == [
        "erreur U002 : commune inconnue : « ville-centr » (vouliez-vous dire « ville-centre » ?)"
    ]
    assert "Traceback" not in run.stderr
    assert list(tmp_path.iterdir()) == []
    run = run_cli("carte", "bloc", "proximit", "-i", EX, cwd=tmp_path)
    assert run.exit_code == 2 and "« proximite »" in run.stderr


def test_unknown_engine_is_refused(run_cli: RunCli) -> None:
    run = run_cli("carte", "pos", "-i", EX, "--moteur", "cairo")
    assert run.exit_code == 2


def test_system_engine_absent_falls_back_with_a_warning(
    run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")
    run = run_cli("carte", "pos", "-i", EX, "--moteur", "systeme", cwd=tmp_path)
    assert run.exit_code == 0
    assert run.stderr_lines[0].startswith("attention : Graphviz (dot) n'est pas installé")
    assert (tmp_path / "pos.svg").is_file()


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz's dot is not on the PATH")
def test_png_and_pdf(run_cli: RunCli, tmp_path: Path) -> None:
    for fmt, magic in [("png", b"\x89PNG"), ("pdf", b"%PDF")]:
        run = run_cli("carte", "pos", "-i", EX, "-f", fmt, "--moteur", "systeme", cwd=tmp_path)
        assert run.exit_code == 0, run.stderr
        assert (tmp_path / f"pos.{fmt}").read_bytes().startswith(magic)


def test_unwritable_output_is_a_message(run_cli: RunCli, tmp_path: Path) -> None:
    blocker = tmp_path / "fichier"
    blocker.write_text("x")
    run = run_cli("carte", "pos", "-i", EX, "-o", str(blocker / "pos.svg"))
    assert run.exit_code == 1
    assert run.stderr.startswith("erreur E600 : impossible d'écrire")


def test_atlas(run_cli: RunCli, tmp_path: Path) -> None:
    run = run_cli("atlas", "-i", EX, "--sortie", str(tmp_path / "site"), "-j", "1")
    assert run.exit_code == 0, run.stderr
    assert "21 cartes (21 dessinées, 0 inchangées, 0 supprimées)" in run.stderr
    assert (tmp_path / "site" / "index.html").is_file()
    run = run_cli("atlas", "-i", EX, "--sortie", str(tmp_path / "site"))
    assert "21 cartes (0 dessinées, 21 inchangées, 0 supprimées)" in run.stderr


def test_atlas_on_a_missing_inventory(run_cli: RunCli, tmp_path: Path) -> None:
    run = run_cli("atlas", "-i", str(tmp_path / "absent"), "--sortie", str(tmp_path / "site"))
    assert run.exit_code in (1, 2)
    assert "Traceback" not in run.stderr
    assert not (tmp_path / "site").exists()


def test_every_command_has_a_help_with_an_example(run_cli: RunCli) -> None:
    for args in (
        ["carte", "commune"],
        ["carte", "bloc"],
        ["carte", "processus"],
        ["carte", "pos"],
        ["atlas"],
    ):
        run = run_cli(*args, "--help")
        assert run.exit_code == 0
        assert "Exemple : cartographie " in run.stdout

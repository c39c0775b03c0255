"""The exchange commands: importer tableur, importer archimate, exporter — exit codes and the
lines that matter (0 done, 1 invalid data, 2 misuse; never a traceback)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from cartographie.cli.main import app

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "petite-metropole"
SURVEY = ROOT / "examples" / "etat-des-lieux"
ARCHIMATE = ROOT / "tests" / "fixtures" / "archimate"


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args))
    output = result.output + (result.stderr if result.stderr_bytes is not None else "")
    assert "Traceback" not in output
    return result.exit_code, output


@pytest.mark.parametrize("fmt", ["graphml", "json", "archimate", "schema-json"])
def test_exporter_writes_a_file(fmt: str, tmp_path: Path) -> None:
    target = tmp_path / f"export.{fmt}"
    code, output = run("exporter", "-i", str(EXAMPLE), "--format", fmt, "--sortie", str(target))
    assert code == 0, output
    assert f"Export {fmt} écrit dans {target}." in output
    assert target.stat().st_size > 100


def test_exporter_csv_writes_a_directory(tmp_path: Path) -> None:
    code, output = run("exporter", "-i", str(EXAMPLE), "-f", "csv", "-o", str(tmp_path / "csv"))
    assert code == 0, output
    assert (tmp_path / "csv" / "applications.csv").is_file()
    assert "fichiers CSV écrits" in output


def test_exporter_to_stdout() -> None:
    code, output = run("exporter", "-i", str(EXAMPLE), "-f", "json", "-o", "-")
    assert code == 0
    assert '"format": "cartographie/inventaire"' in output


def test_exporter_misuse_is_exit_2(tmp_path: Path) -> None:
    code, output = run("exporter", "-i", str(tmp_path / "absent"), "-f", "json", "-o", "-")
    assert code == 2 and "inventaire introuvable" in output
    code, output = run("exporter", "-i", str(EXAMPLE), "-f", "dxf", "-o", "-")
    assert code == 2
    code, output = run("exporter", "-i", str(EXAMPLE), "-f", "csv", "-o", "-")
    assert code == 2 and "plusieurs fichiers" in output


def test_importer_tableur(tmp_path: Path) -> None:
    target = tmp_path / "inventaire"
    args = (
        "importer",
        "tableur",
        str(SURVEY / "etat-des-lieux.xlsx"),
        "--correspondance",
        str(SURVEY / "correspondance.yaml"),
        "--sortie",
        str(target),
    )
    code, output = run(*args)
    assert code == 0, output
    assert "36 applications (36 lignes), 5 communes" in output
    code, output = run(*args)
    assert code == 2 and "--force" in output
    code, output = run(*args, "--force")
    assert code == 0, output
    code, output = run("valider", str(target))
    assert code == 0, output


def test_importer_tableur_bad_rows_exit_1(tmp_path: Path) -> None:
    bad = tmp_path / "etat.csv"
    lines = (SURVEY / "etat-des-lieux.csv").read_text(encoding="utf-8").splitlines()
    lines[3] = lines[3].replace("Front-office", "Guichet")
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, output = run(
        "importer",
        "tableur",
        str(bad),
        "-c",
        str(SURVEY / "correspondance.yaml"),
        "-o",
        str(tmp_path / "x"),
    )
    assert code == 1
    assert "etat.csv:4: E203: colonne « Couche » : « Guichet »" in output
    assert "1 problème trouvé." in output
    assert not (tmp_path / "x").exists()


def test_importer_missing_files_exit_2(tmp_path: Path) -> None:
    code, output = run(
        "importer",
        "tableur",
        str(tmp_path / "absent.xlsx"),
        "-c",
        str(SURVEY / "correspondance.yaml"),
        "-o",
        str(tmp_path / "x"),
    )
    assert code == 2 and "tableur" in output and "introuvable" in output
    code, output = run(
        "importer", "archimate", str(tmp_path / "absent.xml"), "-o", str(tmp_path / "x")
    )
    assert code == 2 and "introuvable" in output
    (tmp_path / "etat.ods").write_bytes(b"PK\x03\x04")
    code, output = run(
        "importer",
        "tableur",
        str(tmp_path / "etat.ods"),
        "-c",
        str(SURVEY / "correspondance.yaml"),
        "-o",
        str(tmp_path / "x"),
    )
    assert code == 2 and "format non reconnu : « etat.ods »" in output


def test_importer_archimate(tmp_path: Path) -> None:
    target = tmp_path / "archisurance"
    code, output = run(
        "importer", "archimate", str(ARCHIMATE / "archisurance.xml"), "-o", str(target)
    )
    assert code == 0, output
    assert "10 applications, 8 blocs, 7 flux" in output
    assert "rapport-import-archimate.md" in output


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("truncated-not-well-formed.xml", "fichier XML mal formé (ligne 54"),
        ("schema-invalid-property-ref.xml", "E302: propriété liée à la définition « propid-68 »"),
        ("archimate-2.1-namespace.xml", "format d'échange ArchiMate 2.1"),
    ],
)
def test_importer_archimate_negative_files_exit_1(name: str, expected: str, tmp_path: Path) -> None:
    code, output = run(
        "importer", "archimate", str(ARCHIMATE / "negative" / name), "-o", str(tmp_path / "x")
    )
    assert code == 1
    assert expected in output
    assert not (tmp_path / "x").exists()


def test_every_exchange_command_has_help_with_an_example() -> None:
    for command in (["importer", "tableur"], ["importer", "archimate"], ["exporter"]):
        code, output = run(*command, "--help")
        assert code == 0
        assert "Exemple : cartographie" in output

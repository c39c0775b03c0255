"""``cartographie rapport …`` through typer's CliRunner: exit codes, streams, formats.

The figures themselves are checked by hand in ``test_reports_*.py``; here, that every command
runs, that each format carries the same numbers, and that misuse gives a message and exit 2.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from pathlib import Path

import pytest
from support import RunCli
from support_reports import EXAMPLE

REPORTS = ("convergence", "impact", "flux", "cnil", "editeurs", "delegations", "qualite")
DATED = ("--date", "2026-06-01")


def args_for(report: str) -> list[str]:
    return [
        "rapport",
        report,
        "-i",
        str(EXAMPLE),
        *(DATED if report in ("delegations", "qualite") else ()),
    ]


@pytest.mark.parametrize("report", REPORTS)
def test_every_report_prints_a_table(run_cli: RunCli, report: str) -> None:
    result = run_cli(*args_for(report))
    assert result.exit_code == 0, result.stderr
    assert "┃" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


@pytest.mark.parametrize("report", REPORTS)
def test_json_and_csv_carry_the_same_figures(run_cli: RunCli, report: str) -> None:
    data = json.loads(run_cli(*args_for(report), "--format", "json").stdout)
    for table in data["tables"]:
        result = run_cli(*args_for(report), "--format", "csv", "--table", table["nom"])
        assert result.exit_code == 0, result.stderr
        # the default dialect: French Excel's (";", a decimal comma, a byte-order mark)
        assert result.stdout.startswith("\ufeff")
        rows = list(csv.DictReader(io.StringIO(result.stdout[1:]), delimiter=";"))
        assert len(rows) == len(table["lignes"])
        for row, expected in zip(rows, table["lignes"], strict=True):
            for column in table["colonnes"]:
                value = expected[column["cle"]]
                assert row[column["cle"]] == _as_csv(value), (table["nom"], column["cle"])


def _as_csv(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, list):
        return ", ".join(value)
    if isinstance(value, float):
        return str(value).replace(".", ",")
    return str(value)


def test_the_table_shows_the_same_figures(run_cli: RunCli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "400")
    result = run_cli("rapport", "convergence", "-i", str(EXAMPLE), "--table", "communes")
    lines = {
        line.split("│")[1].strip(): line
        for line in result.stdout.splitlines()
        if line.count("│") > 2
    }
    # les-pres: 6 pairs, 3 shared, 0.5 (JSON) = 50,00 % (table); people read the name
    cells = [cell.strip() for cell in lines["Les Prés"].split("│")[1:-1]]
    assert cells == ["Les Prés", "6", "3", "50,00\u202f%"]
    cells = [cell.strip() for cell in lines["Toutes les communes"].split("│")[1:-1]]
    assert cells == ["Toutes les communes", "22", "9", "40,91\u202f%"]


def test_csv_names_the_other_tables_on_stderr(run_cli: RunCli) -> None:
    result = run_cli("rapport", "convergence", "-i", str(EXAMPLE), "--format", "csv")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0].startswith("\ufeffbloc;nom;zone;communes;couples;")
    standard = run_cli(
        "rapport", "convergence", "-i", str(EXAMPLE), "-f", "csv", "--csv", "standard"
    )
    assert standard.stdout.splitlines()[0].startswith("bloc,nom,zone,communes,couples,")
    assert "autres tables : synthese, communes, matrice" in result.stderr


def test_markdown_and_html(run_cli: RunCli) -> None:
    markdown = run_cli("rapport", "cnil", "-i", str(EXAMPLE), "--format", "markdown").stdout
    assert markdown.startswith("# Silos CNIL (RU-030) et données personnelles\n")
    # People read applications by their names (ids are for CSV, JSON and XLSX).
    assert (
        "| Municipol — police municipale | Police municipale | Main courante de police municipale |"
        in markdown
    )
    page = run_cli("rapport", "convergence", "-i", str(EXAMPLE), "--format", "html").stdout
    assert page.startswith("<!DOCTYPE html>")
    assert 'id="table-matrice"' in page
    assert "background:#c7e9c0" in page  # a shared application's cell


def test_xlsx_matrix_needs_an_output_file(run_cli: RunCli, tmp_path: Path) -> None:
    result = run_cli("rapport", "convergence", "-i", str(EXAMPLE), "--format", "xlsx")
    assert result.exit_code == 2
    assert "--sortie" in result.stderr
    target = tmp_path / "convergence.xlsx"
    result = run_cli("rapport", "convergence", "-i", str(EXAMPLE), "-f", "xlsx", "-o", str(target))
    assert result.exit_code == 0, result.stderr
    first = target.read_bytes()
    run_cli("rapport", "convergence", "-i", str(EXAMPLE), "-f", "xlsx", "-o", str(target))
    assert target.read_bytes() == first  # byte-identical
    with zipfile.ZipFile(target) as archive:  # no clock in the file: runs a second apart agree
        core = archive.read("docProps/core.xml").decode()
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    assert re.findall(r"<dcterms:(?:created|modified)[^>]*>([^<]+)<", core) == [
        "2000-01-01T00:00:00Z",
        "2000-01-01T00:00:00Z",
    ]

    from openpyxl import load_workbook

    workbook = load_workbook(target)
    assert workbook.sheetnames == ["synthese", "blocs", "communes", "matrice", "a-propos"]
    sheet = workbook["matrice"]
    header = [cell.value for cell in sheet[1]]
    assert header == ["Bloc", "Nom", "Les Prés", "Saint-Aubin-d'Auve", "Auvers-la-Grande"]
    rows = {row[0].value: [cell.value for cell in row] for row in sheet.iter_rows(min_row=2)}
    assert rows["finances"][2:] == ["met-gf", "met-gf, sa-finances", "met-gf"]
    assert sheet["C2"].fill.fgColor.rgb.endswith("C7E9C0")  # demandes-usagers × les-pres: shared
    communes = {row[0].value: row[4].value for row in workbook["communes"].iter_rows(min_row=2)}
    assert communes["saint-aubin"] == 0.4286


def test_output_file_for_text_formats(run_cli: RunCli, tmp_path: Path) -> None:
    target = tmp_path / "flux.md"
    result = run_cli("rapport", "flux", "-i", str(EXAMPLE), "-f", "markdown", "-o", str(target))
    assert result.exit_code == 0
    assert result.stdout == ""
    assert target.read_text(encoding="utf-8").startswith("# Flux et consolidation par le hub")
    assert f"Écrit dans {target}." in result.stderr


def test_tables_option(run_cli: RunCli) -> None:
    data = json.loads(
        run_cli(
            "rapport", "qualite", "-i", str(EXAMPLE), *DATED, "-f", "json", "-t", "revues"
        ).stdout
    )
    assert [table["nom"] for table in data["tables"]] == ["revues"]
    result = run_cli("rapport", "qualite", "-i", str(EXAMPLE), "-t", "nope")
    assert result.exit_code == 2
    assert "table inconnue : nope" in result.stderr
    assert "niveaux" in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["convergence", "--zone", "ressource"], "zone inconnue : ressource"),
        (["impact", "--bloc", "rh", "--editeur", "arpege"], "une seule portée"),
        (["impact", "--donnee", "inconnue"], "donnée inconnue"),
        (["delegations", "--date", "2026-13-01"], "date invalide"),
        (["qualite", "--mois", "-1"], "valeur invalide"),
        (["convergence", "-f", "table", "-o", "x.txt"], "terminal"),
    ],
)
def test_misuse_is_exit_2_with_a_message(run_cli: RunCli, args: list[str], message: str) -> None:
    result = run_cli("rapport", *args, "-i", str(EXAMPLE))
    assert result.exit_code == 2
    assert message in result.stderr
    assert result.stdout == ""


def test_missing_inventory_is_exit_2(run_cli: RunCli, tmp_path: Path) -> None:
    result = run_cli("rapport", "cnil", "-i", str(tmp_path / "absent"))
    assert result.exit_code == 2
    assert "inventaire introuvable" in result.stderr
    result = run_cli("rapport", "tendance", "-i", str(tmp_path / "absent"))
    assert result.exit_code == 2


def test_tendance_outside_git_is_exit_2(run_cli: RunCli, tmp_path: Path) -> None:
    import shutil

    shutil.copytree(EXAMPLE, tmp_path / "inventaire")
    result = run_cli("rapport", "tendance", "-i", str(tmp_path / "inventaire"))
    assert result.exit_code == 2
    assert "dépôt git" in result.stderr


def test_tendance_csv_and_svg(run_cli: RunCli, tmp_path: Path) -> None:
    from test_reports_tendance import make_history

    inventory = make_history(tmp_path)
    result = run_cli(
        "rapport",
        "tendance",
        "-i",
        str(inventory),
        "-f",
        "csv",
        "--csv",
        "standard",
        "--par",
        "mois",
    )
    assert result.exit_code == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [(row["point"], row["taux_convergence"], row["taux_mutualisation"]) for row in rows] == [
        ("2026-01", "0.4", "0.4091"),
        ("2026-02", "0.4286", "0.4286"),
        ("2026-03", "", ""),
    ]
    chart = tmp_path / "tendance.svg"
    result = run_cli("rapport", "tendance", "-i", str(inventory), "-f", "svg", "-o", str(chart))
    assert result.exit_code == 0, result.stderr
    assert chart.read_text(encoding="utf-8").lstrip().startswith("<?xml")


@pytest.mark.parametrize("report", (*REPORTS, "tendance"))
def test_help_is_french_with_an_example(run_cli: RunCli, report: str) -> None:
    result = run_cli("rapport", report, "--help")
    assert result.exit_code == 0
    assert "Exemple : cartographie rapport " + report in result.stdout
    assert "Utilisation :" in result.stdout


def test_group_help_lists_the_eight_reports(run_cli: RunCli) -> None:
    result = run_cli("rapport", "--help")
    for report in (*REPORTS, "tendance"):
        assert report in result.stdout

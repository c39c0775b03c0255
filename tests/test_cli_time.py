"""``--date`` on every command, ``rapport feuille-de-route`` and ``rapport tendance --source
dates``, through typer's CliRunner on the ``timeline`` fixture.

Today is pinned to 2026-12-06 with ``SOURCE_DATE_EPOCH`` (what « near the end of support » and
« today's line » read), so that the outputs do not move with the clock. Figures are checked by
hand in ``test_timeline.py`` and ``test_roadmap.py``; here, that each command takes the date,
says it, and refuses a bad one with a message and exit 2.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from support import FIXTURES, RunCli

from cartographie.cli.main import app
from cartographie.reports.registry import REPORTS

TIMELINE = str(FIXTURES / "timeline")
TODAY = dt.datetime(2026, 12, 6, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def pinned_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(TODAY.timestamp())))


def test_stats_at_a_date(run_cli: RunCli) -> None:
    run = run_cli("stats", "-i", TIMELINE, "--date", "2019", "--format", "json")
    assert run.exit_code == 0, run.stderr
    data = json.loads(run.stdout)
    # met-finances, nord-etat-civil, ouest-finances in service; three retired by then
    assert (data["applications_en_service"], data["applications_retirees"]) == (3, 3)
    assert data["date"] == "2019-01-01"
    assert data["couples_commune_application"] == 5
    table = run_cli("stats", "-i", TIMELINE, "--date", "2019")
    assert "Patrimoine au : 1er janvier 2019" in table.stdout


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2019-13", "--date : date invalide « 2019-13 » : ce jour n'existe pas"),
        ("19", "--date : date invalide « 19 » : attendu AAAA, AAAA-MM ou AAAA-MM-JJ"),
        ("1800", "--date : année 1800 hors de 1950–2100"),
    ],
)
def test_a_bad_date_is_refused(run_cli: RunCli, value: str, message: str) -> None:
    for command in (
        ("stats", "-i", TIMELINE),
        ("rapport", "convergence", "-i", TIMELINE),
        ("carte", "pos", "-i", TIMELINE, "--format", "dot", "--sortie", "-"),
    ):
        run = run_cli(*command, "--date", value)
        assert run.exit_code == 2, command
        assert run.stderr.startswith(f"erreur U001 : {message}"), run.stderr
        assert run.stdout == ""


def test_every_report_and_map_command_takes_a_date() -> None:
    import click
    import typer

    root: Any = typer.main.get_command(app)
    context = click.Context(root)
    rapport: Any = root.get_command(context, "rapport")
    carte: Any = root.get_command(context, "carte")
    commands = [rapport.get_command(context, spec.name) for spec in REPORTS]
    # every map of the portfolio (« carte diff » draws a change between two versions)
    commands += [
        carte.get_command(context, name)
        for name in carte.list_commands(context)
        if name != "diff"
    ]
    commands += [root.get_command(context, name) for name in ("stats", "atlas")]
    for command in commands:
        assert command is not None
        flags = {flag for parameter in command.params for flag in getattr(parameter, "opts", [])}
        assert "--date" in flags, command.name


def test_a_report_at_a_date_says_so(run_cli: RunCli) -> None:
    run = run_cli("rapport", "convergence", "-i", TIMELINE, "--date", "2018-03", "--format", "json")
    assert run.exit_code == 0, run.stderr
    data = json.loads(run.stdout)
    assert data["parametres"]["Patrimoine au"] == "1er mars 2018"
    assert any("coûts" in note for note in data["notes"])
    rows = {row["bloc"]: row for row in data["tables"][1]["lignes"]}
    # sud's wave (2018) while sud-finances runs until July: N=5, A=3 -> 1/2
    assert (rows["finances"]["couples"], rows["finances"]["taux_convergence"]) == (5, 0.5)


def test_a_map_at_a_date(run_cli: RunCli) -> None:
    run = run_cli(
        "carte",
        "bloc",
        "finances",
        "-i",
        TIMELINE,
        "--date",
        "2015",
        "--format",
        "dot",
        "--sortie",
        "-",
    )
    assert run.exit_code == 0, run.stderr
    assert "Au 1er janvier 2015, d'après les dates de l'inventaire" in run.stdout
    assert "sud-finances" in run.stdout and "met-finances" not in run.stdout
    target = run_cli(
        "carte",
        "bloc",
        "finances",
        "-i",
        TIMELINE,
        "--date",
        "2028",
        "--format",
        "dot",
        "--sortie",
        "-",
    )
    assert "met-finances" in target.stdout and "ouest-finances" not in target.stdout


def test_the_roadmap_in_every_format(run_cli: RunCli, tmp_path: Path) -> None:
    base = ("rapport", "feuille-de-route", "-i", TIMELINE)
    table = run_cli(*base)
    assert table.exit_code == 0, table.stderr
    assert "Feuille de route" in table.stdout
    assert "Chantiers au 2026-12-06" in table.stdout
    data = json.loads(run_cli(*base, "--format", "json").stdout)
    assert data["frise"]["lignes"][0]["libelle"] == "Convergence des finances (2016–2027)"
    assert data["parametres"]["Date de référence"] == "2026-12-06"
    moves = run_cli(*base, "--format", "csv", "--csv", "standard").stdout
    rows = list(csv.DictReader(io.StringIO(moves)))
    assert rows[0]["nature"] == "Sortie" and rows[0]["application"] == "nord-finances"
    markdown = run_cli(*base, "--format", "markdown").stdout
    assert "## Chantiers au 2026-12-06" in markdown
    html = run_cli(*base, "--format", "html").stdout
    assert "<svg" in html
    svg = run_cli(*base, "--format", "svg").stdout
    ET.fromstring(svg)
    xlsx = tmp_path / "feuille.xlsx"
    run = run_cli(*base, "--format", "xlsx", "--sortie", str(xlsx))
    assert run.exit_code == 0 and xlsx.stat().st_size > 0


def test_the_roadmap_of_a_commune_a_bloc_a_chantier(run_cli: RunCli) -> None:
    est = json.loads(
        run_cli(
            "rapport", "feuille-de-route", "-i", TIMELINE, "--commune", "est", "--format", "json"
        ).stdout
    )
    moves = est["tables"][-1]["lignes"]
    assert [(row["date"], row["nature"], row["application"]) for row in moves][:3] == [
        ("2017", "Sortie", "est-finances"),
        ("2017", "Adhésion", None),
        ("2017", "Entrée", "met-finances"),
    ]
    unknown = run_cli("rapport", "feuille-de-route", "-i", TIMELINE, "--chantier", "gmao")
    assert unknown.exit_code == 2
    assert "chantier inconnu : « gmao »" in unknown.stderr
    window = run_cli(
        "rapport", "feuille-de-route", "-i", TIMELINE, "--depuis", "2020", "--jusqu-a", "2018"
    )
    assert window.exit_code == 2
    assert "--depuis 2020 après --jusqu-a 2018" in window.stderr


def test_the_trend_from_dates(run_cli: RunCli) -> None:
    run = run_cli(
        "rapport",
        "tendance",
        "-i",
        TIMELINE,
        "--source",
        "dates",
        "--depuis",
        "2015",
        "--jusqu-a",
        "2019",
        "--format",
        "csv",
        "--csv",
        "standard",
    )
    assert run.exit_code == 0, run.stderr
    rows = list(csv.DictReader(io.StringIO(run.stdout)))
    assert [row["annee"] for row in rows] == ["2015", "2016", "2017", "2018", "2019"]
    assert [row["convergence_convergence-finances"] for row in rows] == [
        "0.0",
        "0.0",
        "0.3333",
        "0.5",
        "0.6667",
    ]
    svg = run_cli(
        "rapport", "tendance", "-i", TIMELINE, "--source", "dates", "--format", "svg"
    ).stdout
    assert "Chantier Convergence des finances" in svg


def test_an_atlas_at_a_date_is_incremental(run_cli: RunCli, tmp_path: Path) -> None:
    out = tmp_path / "atlas-2028"
    first = run_cli("atlas", "-i", TIMELINE, "--date", "2028", "--sortie", str(out), "-j", "1")
    assert first.exit_code == 0, first.stderr
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "Patrimoine au 1er janvier 2028" in index
    assert "chantiers/convergence-finances.html" in index
    page = (out / "chantiers" / "convergence-finances.html").read_text(encoding="utf-8")
    assert "<svg" in page and "Convergence des finances" in page
    assert (out / "rapports" / "feuille-de-route.html").exists()
    again = run_cli("atlas", "-i", TIMELINE, "--date", "2028", "--sortie", str(out), "-j", "1")
    assert "0 dessinées" in again.stderr
    # another date: the maps say it, they are drawn again
    other = run_cli("atlas", "-i", TIMELINE, "--date", "2015", "--sortie", str(out), "-j", "1")
    assert other.exit_code == 0 and "(0 dessinées" not in other.stderr
    assert "Patrimoine au 1er janvier 2015" in (out / "index.html").read_text(encoding="utf-8")

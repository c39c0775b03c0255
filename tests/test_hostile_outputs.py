"""Outputs that act (DESIGN.md §12, issue 13 §2): data never acts where an output lands.

Names come from merge requests. An inventory whose names hold formulas (``=HYPERLINK(…)``,
``+``, ``-``, ``@``), rich markup (``[bold]``), emoji codes (``:x:``), mentions (``@all``,
``#12``), HTML (``<script>``) and XML terminators (``]]>``) goes through every command and every
format, and each output is checked where it would act:

- the terminal shows the text as it is: markup not interpreted, no emoji, no escape sequence;
- CSV and XLSX cells never start a formula (OWASP), XLSX strings are strings;
- Markdown renders nothing from the data and notifies nobody;
- HTML and every XML output (SVG, GraphML, ArchiMate, JUnit) parse, with the text escaped.

Names with control characters cannot pass the loader (E207); the fuzz tests of
``test_fuzz_outputs.py`` put them, and any other string, straight into the documents and the
exports.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from pathlib import Path
from xml.etree import ElementTree

import pytest
from support import RunCli
from support_reports import EXAMPLE

from cartographie.document.text import WORD_JOINER

COMMUNE = '=HYPERLINK("http://exemple.invalid";"Les Prés")'
BLOCK = "[bold red]Demandes[/bold red] usagers"
APPLICATION = "<script>alert(1)</script> ]]> @all :x: #12"
DATA = "@all :x: donnée !34"
VENDOR = "+SOMME(1;2) éditeur"
PRODUCT = "-2+3 produit"

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _rename_first(path: Path, old: str, new: str) -> None:
    """The first line holding ``old`` becomes ``nom: "new"`` (a JSON string is valid YAML)."""
    text = path.read_text(encoding="utf-8")
    start = text.index(old)
    end = text.index("\n", start)
    text = text[:start] + f"nom: {json.dumps(new, ensure_ascii=False)}" + text[end:]
    path.write_text(text, encoding="utf-8")


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example métropole, its names made hostile (and still a valid inventory)."""
    root = tmp_path_factory.mktemp("hostile") / "inventaire"
    shutil.copytree(EXAMPLE, root)
    _rename_first(root / "territoire.yaml", "nom: Les Prés", COMMUNE)
    _rename_first(root / "referentiel" / "blocs.yaml", "nom: Demandes usagers", BLOCK)
    _rename_first(root / "applications" / "ville-centre.yaml", "nom: ", APPLICATION)
    _rename_first(root / "referentiel" / "donnees.yaml", "nom: ", DATA)
    editeurs = root / "referentiel" / "editeurs.yaml"
    _rename_first(editeurs, "nom: ", VENDOR)
    _rename_first_after(editeurs, "produits:", PRODUCT)
    return root


def _rename_first_after(path: Path, marker: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    head, found, tail = text.partition(marker)
    assert found
    start = tail.index("nom: ")
    end = tail.index("\n", start)
    tail = tail[:start] + f"nom: {json.dumps(new, ensure_ascii=False)}" + tail[end:]
    path.write_text(head + marker + tail, encoding="utf-8")


# --- what each output must not do -------------------------------------------------------------


def _terminal_is_inert(text: str) -> None:
    assert "\x1b" not in text  # NO_COLOR: any escape sequence would come from the data
    assert "❌" not in text  # :x: is not an emoji
    assert "[bold red]" in text or BLOCK not in text  # markup shown as it is, never applied


def _csv_is_inert(text: str) -> None:
    separator = ";" if text.startswith("\ufeff") else ","
    for row in csv.reader(io.StringIO(text.removeprefix("\ufeff")), delimiter=separator):
        for cell in row:
            if cell.startswith(FORMULA_STARTS):
                # a number we wrote (-41 months left) is not a formula; text is neutralised
                assert re.fullmatch(r"-?\d+([.,]\d+)?", cell), cell


def _xlsx_is_inert(path: Path) -> None:
    from openpyxl import load_workbook

    for sheet in load_workbook(path).worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS):
                    assert cell.quotePrefix, (sheet.title, cell.coordinate)


def _markdown_is_inert(text: str) -> None:
    without_ours = re.sub(r"</?(details|summary)>|<br>", "", text)
    assert "<" not in without_ours  # no HTML from the data
    assert not re.search(r"@(?=\w)", text)  # @all, @team: nobody notified
    assert not re.search(r"(?<!\w)[#!](?=\d)", text)  # #12, !34: no issue or MR link
    assert not re.search(r":[\w+-]+:", text)  # :x: stays text


def _html_is_inert(text: str) -> None:
    assert "<script>" not in text
    assert "&lt;script&gt;" in text or APPLICATION not in text


def _xml_parses(data: str | bytes) -> None:
    ElementTree.fromstring(data.encode("utf-8") if isinstance(data, str) else data)


# --- every command, every format ----------------------------------------------------------------

REPORTS = ("convergence", "impact", "flux", "cnil", "editeurs", "delegations", "qualite")


def _commands(hostile: Path) -> dict[str, list[str]]:
    base = ["-i", str(hostile)]
    found = {"stats": ["stats", *base]}
    for report in REPORTS:
        dated = ["--date", "2026-06-01"] if report in ("delegations", "qualite") else []
        found[report] = ["rapport", report, *base, *dated]
    found["impact bloc"] = ["rapport", "impact", *base, "--bloc", "demandes-usagers"]
    found["diff"] = ["diff", str(EXAMPLE), str(hostile)]
    found["diagnostic"] = ["diagnostic", "--base", str(EXAMPLE), "--propose", str(hostile)]
    found["valider"] = ["valider", str(hostile)]
    return found


FORMATS = ("table", "markdown", "csv", "json", "html", "xlsx")


@pytest.mark.parametrize("format_name", FORMATS)
def test_every_command_s_output_is_inert(
    run_cli: RunCli, hostile: Path, tmp_path: Path, format_name: str
) -> None:
    for name, args in _commands(hostile).items():
        extra = ["--format", format_name]
        target = tmp_path / f"{name}.xlsx"
        if format_name == "xlsx":
            extra += ["--sortie", str(target)]
        result = run_cli(*args, *extra)
        assert result.exit_code == 0, (name, result.stderr)
        _terminal_is_inert(result.stderr)
        if format_name == "table":
            _terminal_is_inert(result.stdout)
        elif format_name == "markdown":
            _markdown_is_inert(result.stdout)
        elif format_name == "csv":
            _csv_is_inert(result.stdout)
        elif format_name == "json":
            assert result.stdout, (name, result.stderr)
            json.loads(result.stdout)
        elif format_name == "html":
            _html_is_inert(result.stdout)
        elif format_name == "xlsx":
            _xlsx_is_inert(target)


def test_the_names_reach_the_outputs(run_cli: RunCli, hostile: Path) -> None:
    """The checks above would pass on outputs that dropped the names: they do not."""
    table = run_cli("rapport", "convergence", "-i", str(hostile), "-t", "communes").stdout
    assert COMMUNE in table  # quotes and brackets shown as they are
    markdown = run_cli("rapport", "impact", "-i", str(hostile), "-f", "markdown").stdout
    assert "\\[bold red\\]Demandes\\[/bold red\\] usagers" in markdown
    cnil = run_cli("rapport", "cnil", "-i", str(hostile), "-t", "franchissements", "-f", "markdown")
    assert f"@{WORD_JOINER}all :{WORD_JOINER}x: donnée !{WORD_JOINER}34" in cnil.stdout
    csv_text = run_cli("rapport", "cnil", "-i", str(hostile), "-t", "silos", "-f", "csv").stdout
    assert "'=HYPERLINK(" in csv_text
    stats = run_cli("stats", "-i", str(hostile)).stdout
    assert "[bold red]Demandes[/bold red] usagers" in stats


def test_the_exports_are_inert(run_cli: RunCli, hostile: Path, tmp_path: Path) -> None:
    for fmt in ("graphml", "archimate"):
        result = run_cli("exporter", "-i", str(hostile), "-f", fmt, "-o", "-")
        assert result.exit_code == 0, result.stderr
        _xml_parses(result.stdout)
        assert APPLICATION.split(" ", maxsplit=1)[0] not in result.stdout  # <script> escaped
    result = run_cli("exporter", "-i", str(hostile), "-f", "json", "-o", "-")
    assert APPLICATION in json.dumps(json.loads(result.stdout), ensure_ascii=False)
    for dialect in ("excel", "standard"):
        folder = tmp_path / dialect
        result = run_cli(
            "exporter", "-i", str(hostile), "-f", "csv", "-o", str(folder), "--csv", dialect
        )
        assert result.exit_code == 0, result.stderr
        for path in folder.glob("*.csv"):
            _csv_is_inert(path.read_text(encoding="utf-8"))


def test_the_junit_and_the_map_are_xml(run_cli: RunCli, hostile: Path, tmp_path: Path) -> None:
    target = tmp_path / "diagnostic.xml"
    run_cli("diagnostic", "--base", str(EXAMPLE), "--propose", str(hostile), "--junit", str(target))
    _xml_parses(target.read_bytes())
    result = run_cli(
        "carte",
        "bloc",
        "demandes-usagers",
        "-i",
        str(hostile),
        "--sortie",
        "-",
        "--moteur",
        "embarque",
    )
    assert result.exit_code == 0, result.stderr
    _xml_parses(result.stdout)
    assert "<script>" not in result.stdout

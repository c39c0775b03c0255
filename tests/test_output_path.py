"""One output path (issue 14): every command's document, in every format.

Each command that prints a result returns a :class:`~cartographie.document.Document`; here every
one of them — stats, valider, diff, diagnostic, journal, each ``rapport``, both importers — is
written in every format of the registry and drawn in the terminal, and each output is checked
for what its readers rely on: the CSV dialect (French Excel by default, RFC 4180 on request),
typed XLSX cells with a frozen header and an autofilter, Markdown under its bound with a line
saying what was left out, JSON that names its schema, HTML whose tags close, SVG that parses.
The diagnostic's JUnit is validated against Jenkins' schema (``tests/schemas``).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import tempfile
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree

import pytest
from support import BROKEN, FIXTURES
from support_reports import EXAMPLE, REFERENCE_DATE, example_portfolio
from support_suivi import history

from cartographie.document import Document
from cartographie.document.formats import FORMATS, RenderOptions, render
from cartographie.errors import OptionError

SCHEMAS = Path(__file__).resolve().parent / "schemas"
ROOT = Path(__file__).resolve().parents[1]


def _reports() -> dict[str, Document]:
    from cartographie.reports.registry import REPORTS, ReportSource

    portfolio = example_portfolio()
    documents = {}
    for spec in REPORTS:
        options = spec.defaults()
        if "date" in options:
            options["date"] = REFERENCE_DATE
        source = ReportSource.of(portfolio)
        if spec.name == "tendance":
            source = ReportSource(history(), lambda: portfolio)
        documents[f"rapport {spec.name}"] = spec.build(source, **options)
    return documents


@cache
def documents() -> dict[str, Document]:
    """The document of every command that prints a result."""
    from cartographie.diagnostic import run_diagnostic
    from cartographie.diagnostic.report import diagnostic_document
    from cartographie.diff import diff_inventories
    from cartographie.diff.report import changeset_document, organisation_names
    from cartographie.interop.archimate_import import build_archimate_files
    from cartographie.interop.survey import build_survey_files
    from cartographie.inventory import validate_inventory
    from cartographie.inventory.git import load_version
    from cartographie.journal import build_journal
    from cartographie.journal.report import journal_document
    from cartographie.reports.stats import stats_document
    from cartographie.reports.validation import validation_document

    found = {"stats": stats_document(example_portfolio())}
    valid = validate_inventory(EXAMPLE)
    found["valider"] = validation_document(valid.problems, valid.inventory, str(EXAMPLE))
    broken = validate_inventory(BROKEN / "broken-bad-enum")
    found["valider (invalide)"] = validation_document(
        broken.problems, broken.inventory, "broken-bad-enum"
    )
    base, proposed = load_version("etape-0", history()), load_version("etape-8", history())
    changes = diff_inventories(base.inventory, proposed.inventory)
    names = organisation_names(base.inventory, proposed.inventory)
    record = changes.to_dict(base.to_dict(), proposed.to_dict())
    found["diff"] = changeset_document(changes, base.label, proposed.label, names, record)
    diagnostic = run_diagnostic(
        load_version("etape-6", history()),
        load_version("etape-7", history()),
        project="GMAO des Prés",
        date=dt.date(2026, 6, 1),
        include_preexisting=True,
    )
    found["diagnostic"] = diagnostic_document(diagnostic)
    found["journal"] = journal_document(build_journal(history(), commune="les-pres"))
    found.update(_reports())
    survey = ROOT / "examples" / "etat-des-lieux"
    _files, summary = build_survey_files(
        survey / "etat-des-lieux.csv", survey / "correspondance.yaml", Path("/tmp/importe")
    )
    found["importer tableur"] = summary.document()
    _files, report = build_archimate_files(
        FIXTURES / "archimate" / "archisurance.xml", Path("/tmp/importe")
    )
    found["importer archimate"] = report.document()
    from cartographie import usercache
    from cartographie.reports.cache import cache_document

    found["cache"] = cache_document(usercache.scan(Path(tempfile.mkdtemp())), 500_000_000)
    return found


COMMANDS = sorted(documents())
FORMAT_NAMES = ["table", *FORMATS]


class _Balance(HTMLParser):
    """Checks that every element opened is closed, in order (void elements aside)."""

    VOID = frozenset({"br", "meta", "hr", "img", "input", "link"})

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []

    def handle_starttag(self, tag: str, attrs: object) -> None:
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.stack and self.stack[-1] == tag, (self.stack[-5:], tag)
        self.stack.pop()


def _terminal(document: Document) -> str:
    from rich.console import Console

    from cartographie.cli.terminal import print_document

    buffer = io.StringIO()
    console = Console(file=buffer, width=120, markup=False, emoji=False, highlight=False)
    print_document(console, document)
    return buffer.getvalue()


def _number(text: str, decimal: str) -> float:
    return float(text.replace(decimal, "."))


def _check_csv(document: Document, dialect: str) -> None:
    separator, decimal, bom = {"excel": (";", ",", True), "standard": (",", ".", False)}[dialect]
    for table in document.tables:
        text = render(document.only([table.name]), "csv", RenderOptions(csv_dialect=dialect))
        assert isinstance(text, str)
        assert text.startswith("\ufeff") == bom
        rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff")), delimiter=separator))
        columns = [column for column in table.columns if column.audience != "people"]
        assert rows[0] == [column.key for column in columns]
        assert len(rows) == len(table.rows) + 1
        for row in rows[1:]:
            for cell, column in zip(row, columns, strict=True):
                if column.numeric and cell:  # typed: a plain number, no space, no % nor €
                    _number(cell, decimal)
                assert not cell.startswith(("=", "+", "@")) or cell.startswith("'")


def _check_xlsx(document: Document, data: bytes) -> None:
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(data))
    tables = document.tables
    assert workbook.sheetnames[: len(tables)] == [table.name[:31] for table in tables]
    for table, sheet in zip(tables, workbook.worksheets, strict=False):
        columns = [column for column in table.columns if column.audience != "people"]
        assert [cell.value for cell in sheet[1]] == [column.label for column in columns]
        assert sheet.freeze_panes in ("A2", "B2")  # the header stays in view
        assert sheet.auto_filter.ref is not None and sheet.auto_filter.ref.startswith("A1:")
        for row in sheet.iter_rows(min_row=2):
            for cell, column in zip(row, columns, strict=True):
                if cell.value is None:
                    continue
                if column.numeric:
                    assert isinstance(cell.value, int | float), (table.name, column.key)
                if column.kind == "rate":
                    assert cell.number_format == "0.00%"
                if isinstance(cell.value, str):
                    assert cell.data_type == "s"  # a string, never a formula


@pytest.mark.parametrize("format_name", FORMAT_NAMES)
@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_s_document_in_every_format(command: str, format_name: str) -> None:
    document = documents()[command]
    if format_name == "table":
        text = _terminal(document)
        assert document.title in text.splitlines()[0]
        return
    if format_name == "svg" and not document.figures:
        with pytest.raises(OptionError):
            render(document, "svg")
        return
    data = render(document, format_name, RenderOptions(max_bytes=1_000_000))
    assert data == render(document, format_name, RenderOptions(max_bytes=1_000_000))
    if format_name == "csv":
        _check_csv(document, "excel")
        _check_csv(document, "standard")
    elif format_name == "xlsx":
        assert isinstance(data, bytes)
        _check_xlsx(document, data)
    elif format_name == "json":
        assert isinstance(data, str)
        parsed = json.loads(data)
        assert parsed["format"].startswith("cartographie/")
        assert "version" in parsed
    elif format_name == "html":
        assert isinstance(data, str)
        checker = _Balance()
        checker.feed(data)
        assert checker.stack == []
    elif format_name == "svg":
        assert isinstance(data, str)
        assert ElementTree.fromstring(data.encode("utf-8")).tag.endswith("svg")
    elif format_name == "markdown":
        assert isinstance(data, str)
        assert data.startswith(f"# {document.title.split(' ')[0]}")
        assert len(data.encode("utf-8")) <= 1_000_000
        assert data.count("<details>") == data.count("</details>")
        _check_bound(document)


def _check_bound(document: Document) -> None:
    """Cut short, the Markdown stays under its bound, closes what it opened and says what it
    left out; the summary still comes first."""
    full = render(document, "markdown")
    assert isinstance(full, str)
    size = len(full.encode("utf-8"))
    limit = max(1500, size // 2)
    cut = render(document, "markdown", RenderOptions(max_bytes=limit))
    assert isinstance(cut, str)
    if size <= limit:
        assert cut == full
        return
    assert len(cut.encode("utf-8")) <= limit
    assert cut.count("<details>") == cut.count("</details>")
    assert "Sortie coupée à" in cut.splitlines()[-1]
    first = full.split("\n\n", 1)[0]
    assert cut.startswith(first)


def test_every_command_line_format_choice_comes_from_the_registry() -> None:
    """``--format`` offers the registry's formats (and the terminal's table) on every command
    that prints a result, and nothing else."""
    import typer

    from cartographie.cli.main import app

    root = typer.main.get_command(app)
    expected = {"table", *FORMATS}
    seen = 0

    def walk(command: object) -> None:
        nonlocal seen
        for child in getattr(command, "commands", {}).values():
            walk(child)
        for parameter in getattr(command, "params", []):
            if "--format" in parameter.opts and parameter.name == "format":
                choices = set(getattr(parameter.type, "choices", ()))
                if "table" in choices:
                    seen += 1
                    assert {str(getattr(c, "value", c)) for c in choices} == expected

    walk(root)
    assert seen >= 16  # stats, valider, diff, diagnostic, journal, 8 reports, 2 importers, cache


def test_the_diagnostic_junit_is_valid_for_jenkins() -> None:
    from lxml import etree

    from cartographie.diagnostic import run_diagnostic
    from cartographie.diagnostic.junit import diagnostic_junit, problems_junit
    from cartographie.inventory import validate_inventory
    from cartographie.inventory.git import load_version

    schema = etree.XMLSchema(etree.parse(str(SCHEMAS / "junit-jenkins.xsd")))
    diagnostic = run_diagnostic(
        load_version("etape-6", history()),
        load_version("etape-7", history()),
        date=dt.date(2026, 6, 1),
    )
    data = diagnostic_junit(diagnostic)
    schema.assertValid(etree.fromstring(data))
    root = etree.fromstring(data)
    cases = root.findall(".//testcase")
    assert all(len(case.findall("failure")) <= 1 for case in cases)
    assert all(case.get("time") is not None for case in cases)
    failures = sum(1 for f in diagnostic.findings if f.severity != "info")
    assert len(root.findall(".//failure")) == failures == int(root.get("failures"))
    broken = validate_inventory(BROKEN / "broken-bad-enum")
    lines = [problem.format("broken-bad-enum") for problem in broken.problems]
    data = problems_junit(broken.problems, lines, "copie de travail", "2026-06-01")
    schema.assertValid(etree.fromstring(data))
    assert len(etree.fromstring(data).findall(".//failure")) == len(broken.errors) > 0


def test_an_invalid_proposed_inventory_still_writes_its_junit(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import shutil

    from lxml import etree

    proposed = tmp_path / "propose"
    shutil.copytree(BROKEN / "broken-bad-enum", proposed)
    target = tmp_path / "ci" / "diagnostic.xml"
    result = run_cli(
        "diagnostic", "--base", str(EXAMPLE), "--propose", str(proposed), "--junit", str(target)
    )
    assert result.exit_code == 1
    schema = etree.XMLSchema(etree.parse(str(SCHEMAS / "junit-jenkins.xsd")))
    root = etree.fromstring(target.read_bytes())
    schema.assertValid(root)
    failures = root.findall(".//failure")
    assert failures and all(re.search(r": E\d{3}: ", f.get("message", "")) for f in failures)
    assert "E203" in result.stderr

"""Fuzzing the outputs with hostile names: 10,300 examples, every output well-formed and inert.

The loader refuses control characters in names (E207); the outputs must not rely on it. Here any
text — control characters, bidirectional overrides, formula starts, markup, mentions, XML
terminators, emoji codes — goes straight into what the outputs write:

- a document holding it in every kind of cell, written in every format of the registry and drawn
  in the terminal (3,500 examples, XLSX on 500 of their own);
- an inventory whose application, commune, bloc and data names hold it, exported as GraphML,
  ArchiMate, JSON and CSV in both dialects (2,000 examples);
- a diagnostic whose findings quote it, written as JUnit (4,000 examples);
- a map whose names hold it, written as DOT and drawn as SVG by the embedded engine (300).

The contract: XML parses (GraphML, ArchiMate, JUnit, SVG, XLSX's sheets), CSV cells never start
a formula, XLSX has no formula cell, Markdown holds no HTML, mention, reference or emoji code from
the data, the terminal and HTML receive no control character, JSON gives the text back exactly.

Examples are derandomised (the same in every run, in CI too); the time is that of the project's
2-core machine, shared: see the README's figures.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import json
import re
from functools import cache
from xml.etree import ElementTree

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from support import MINIMAL

from cartographie.document import (
    Column,
    Document,
    Item,
    Items,
    Paragraph,
    Ref,
    Section,
    make_table,
)
from cartographie.document.csvfile import to_csv
from cartographie.document.formats import RenderOptions, render
from cartographie.document.text import visible
from cartographie.graph import Portfolio
from cartographie.inventory import load_inventory
from cartographie.model.inventory import Inventory

# Characters that break readers or act where they land, and text that acts in some medium.
SPECIALS = [chr(code) for code in (*range(0x20), 0x7F, *range(0x80, 0xA0))] + [
    "\u2028", "\u2029", "\u202a", "\u202e", "\u2066", "\u2069", "\ufeff", "\ufffe", "\uffff",
    "\u200b", "\u2060", "<", ">", "&", '"', "'", "`", "|", "*", "_", "[", "]", "\\", "#", "!",
    "@", ":", "=", "+", "-", ";", ",", "\n", "\r", "\t", "é", "€", "😀",
]  # fmt: skip
PIECES = [
    "=cmd|' /C calc'!A0", "+1", "-1+2", "@SUM(A1)", "[bold]", "[/bold]", ":x:", "@all",
    "#12", "!34", "<script>", "</details>", "]]>", "<![CDATA[", "&amp;", "\x1b[31m", "\x07",
    "${x}", "{{ x }}", "%s", "\\n",
]  # fmt: skip
HOSTILE = st.lists(
    st.one_of(
        st.text(st.sampled_from(SPECIALS), max_size=6),
        st.sampled_from(PIECES),
        st.text(max_size=8),
    ),
    max_size=5,
).map("".join)

ACTING = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
FAST = settings(
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    database=None,
)


def _document(text: str) -> Document:
    table = make_table(
        "t",
        f"Table {text}",
        (
            Column("texte", text or "x"),
            Column("ref", "Référence", "reference"),
            Column("liste", "Liste", "list"),
            Column("lignes", "Lignes", "lines"),
            Column("nombre", "Nombre", "integer"),
            Column("taux", "Taux", "rate"),
            Column("groupe", "Groupe"),
        ),
        [
            (text, Ref("commune", "c", text), (text, Ref("bloc", "b", text)), (text, text), -41,
             0.25, text),
            (f"={text}", Ref("application", "a"), (), (), 3, None, "autre"),
        ],
        note=text,
        group_by="groupe",
    )  # fmt: skip
    return Document(
        "fuzz",
        text,
        (
            table,
            Section(text, (Paragraph(text), Items((Item(text, (text,)),))), fold=True),
        ),
        parameters=((text, text),),
        summary=(Paragraph(text, strong=True),),
        notes=(text,),
    )


def _csv_cells_are_inert(text: str, separator: str) -> None:
    for row in csv.reader(io.StringIO(text.removeprefix("\ufeff")), delimiter=separator):
        for cell in row:
            if cell.startswith(FORMULA_STARTS):
                assert re.fullmatch(r"-?\d+([.,]\d+)?", cell), cell
            assert not ACTING.search(cell), cell


def _markdown_is_inert(text: str) -> None:
    without_ours = re.sub(r"</?(details|summary)>|<br>", "", text)
    assert "<" not in without_ours
    assert not re.search(r"@(?=\w)", text)
    assert not re.search(r"(?<![\w\\])[#!](?=\d)", text)
    assert not re.search(r":[\w+-]+:", text)
    assert not ACTING.search(text)


@given(HOSTILE)
@settings(FAST, max_examples=3500)
def test_every_format_of_a_document_holding_any_text(text: str) -> None:
    from rich.console import Console

    from cartographie.cli.terminal import print_document

    document = _document(text)
    markdown = render(document, "markdown", RenderOptions(max_bytes=4000))
    assert isinstance(markdown, str)
    _markdown_is_inert(markdown)
    for dialect, separator in (("excel", ";"), ("standard", ",")):
        _csv_cells_are_inert(to_csv(document, dialect), separator)
    data = json.loads(render(document, "json"))
    assert data["titre"] == text and data["tables"][0]["lignes"][0]["texte"] == text
    page = render(document, "html")
    assert isinstance(page, str)
    assert not ACTING.search(page)
    assert "<script>" not in page
    buffer = io.StringIO()
    console = Console(file=buffer, width=100, markup=False, emoji=False, color_system=None)
    print_document(console, document)
    shown = buffer.getvalue()
    assert not ACTING.search(shown)
    if len(text) < 40 and "\n" not in text and "\t" not in text:
        assert visible(text) in shown.replace("\n", "")  # shown as it is, not interpreted


@given(HOSTILE)
@settings(FAST, max_examples=500)
def test_xlsx_of_a_document_holding_any_text(text: str) -> None:
    import zipfile

    from openpyxl import load_workbook

    data = render(_document(text), "xlsx")
    assert isinstance(data, bytes)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.endswith(".xml"):
                ElementTree.fromstring(archive.read(name))
    for sheet in load_workbook(io.BytesIO(data)).worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f"
                if isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS):
                    assert cell.quotePrefix


@cache
def _minimal() -> Inventory:
    return load_inventory(MINIMAL)


def _renamed(text: str) -> Inventory:
    """The minimal inventory, its names replaced without validation (what the loader would
    refuse is what the outputs must survive)."""
    inventory = _minimal()
    first = sorted(inventory.applications)[0]
    applications = dict(inventory.applications)
    applications[first] = applications[first].model_copy(update={"name": text, "description": text})
    commune = sorted(inventory.communes)[0]
    communes = dict(inventory.communes)
    communes[commune] = communes[commune].model_copy(update={"name": text})
    block = sorted(inventory.blocks)[-1]
    blocks = dict(inventory.blocks)
    blocks[block] = blocks[block].model_copy(update={"name": text})
    data = sorted(inventory.data_objects)[0]
    data_objects = dict(inventory.data_objects)
    data_objects[data] = data_objects[data].model_copy(update={"name": text})
    return dataclasses.replace(
        inventory,
        applications=applications,
        communes=communes,
        blocks=blocks,
        data_objects=data_objects,
    )


@given(HOSTILE)
@settings(FAST, max_examples=2000)
def test_every_export_of_an_inventory_named_with_any_text(text: str) -> None:
    from cartographie.interop.archimate_export import export_archimate
    from cartographie.interop.csv_export import export_csv
    from cartographie.interop.graphml import export_graphml
    from cartographie.interop.json_export import export_json

    inventory = _renamed(text)
    for exported in (export_graphml(inventory), export_archimate(inventory)):
        ElementTree.fromstring(exported.encode("utf-8"))
    data = json.loads(export_json(inventory))
    assert any(application["nom"] == text for application in data["applications"])
    for dialect, separator in (("excel", ";"), ("standard", ",")):
        for content in export_csv(inventory, dialect).values():
            text_content = content.decode("utf-8")
            for row in csv.reader(
                io.StringIO(text_content.removeprefix("\ufeff")), delimiter=separator
            ):
                for cell in row:
                    if cell.startswith(FORMULA_STARTS):
                        assert re.fullmatch(r"-?\d+([.,]\d+)?", cell), cell


@given(HOSTILE, HOSTILE)
@settings(FAST, max_examples=4000)
def test_junit_of_findings_quoting_any_text(message: str, fix: str) -> None:
    from cartographie.diagnostic import Finding
    from cartographie.diagnostic.junit import diagnostic_junit
    from cartographie.diagnostic.model import Diagnostic, RuleOutcome, Side
    from cartographie.errors import Location

    finding = Finding(
        "D201", "avertissement", message, Location(f"flux/{fix}.yaml", 3), fix,
        (("flux", message),), (message,),
    )  # fmt: skip
    outcome = RuleOutcome("D201", "point-a-point", message, "avertissement", True, (finding,))
    off = RuleOutcome("D601", "saas", fix, "avertissement", False, reason=message)
    diagnostic = Diagnostic(
        message, dt.date(2026, 6, 1), Side(message), Side(fix, root=fix), (finding,),
        (outcome, off),
    )  # fmt: skip
    root = ElementTree.fromstring(diagnostic_junit(diagnostic))
    assert len(root.findall(".//failure")) == 1


@example("\n:")  # a raw line break once made the embedded Graphviz trap
@given(HOSTILE.filter(str.strip))  # a name is never empty (the loader's E202)
@settings(FAST, max_examples=300)
def test_a_map_named_with_any_text_draws_as_svg(text: str) -> None:
    from cartographie.render import render_source, to_dot
    from cartographie.views import MapOptions, build_view

    inventory = _renamed(text)
    block = sorted(b for b in inventory.blocks if inventory.blocks[b].level == "bloc")[0]
    view = build_view(Portfolio(inventory), "bloc", block, MapOptions())
    view = dataclasses.replace(view, title=text)
    result = render_source(to_dot(view), "svg", "embarque", 30)
    svg = ElementTree.fromstring(result.data)
    assert svg.tag.endswith("svg")


def _closes_only_at_its_end(quoted: str) -> bool:
    """A DOT string: no quote inside it is unescaped, and its last quote is not escaped."""
    backslashes = 0
    for char in quoted[1:-1]:
        if char == '"' and backslashes % 2 == 0:
            return False
        backslashes = backslashes + 1 if char == "\\" else 0
    return backslashes % 2 == 0


@given(HOSTILE)
@settings(FAST, max_examples=3000)
def test_a_text_stays_inside_its_dot_string(value: str) -> None:
    """DOT injection: whatever a name holds, its quoted text ends where it should, holds no
    control character (the embedded Graphviz trapped on a raw line break) and no character
    XML forbids (Graphviz copies it into the SVG)."""
    from cartographie.document.text import xml_text
    from cartographie.render.dot import lines, quote, text

    for escaped in (text(value), lines([value, value])):
        quoted = quote(escaped, html=False)
        assert quoted == escaped or (quoted[0] == quoted[-1] == '"' and len(quoted) >= 2)
        if quoted != escaped:
            assert _closes_only_at_its_end(quoted)
        else:  # unquoted: a plain id or a number, nothing to break out of
            assert re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*|-?(\.[0-9]+|[0-9]+(\.[0-9]*)?)", quoted)
        assert xml_text(quoted) == quoted
        assert not any(char in quoted for char in "\n\r\t\x00")

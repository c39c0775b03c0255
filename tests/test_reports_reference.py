"""The reports on the reference inventory: the figures hold together.

On ~1,200 applications nobody recomputes every figure by hand; instead, what must hold between
them: sums over communes equal totals, rates stay in [0, 1], the matrix agrees with the
convergence table, CSV and JSON write the same numbers as the document (and the terminal table,
through the CLI tests), the atlas pages are fragments.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from cartographie.document import Document
from cartographie.document.cells import machine_lines
from cartographie.document.csvfile import to_csv
from cartographie.document.htmlpage import to_html_fragment
from cartographie.document.jsondoc import to_json
from cartographie.graph import Portfolio
from cartographie.inventory import load_inventory
from cartographie.reports.registry import all_reports, atlas_reports

REPOSITORY = Path(__file__).resolve().parents[1]
REFERENCE_DATE_ENV = "1780272000"  # 2026-06-01, for the dated reports

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> Portfolio:
    committed = REPOSITORY / "inventory"
    if (committed / "territoire.yaml").is_file():
        return Portfolio(load_inventory(committed))
    from cartographie.generator import write_reference_inventory

    target = tmp_path_factory.mktemp("reference") / "inventory"
    write_reference_inventory(target, scale=1, seed=2026, force=False)
    return Portfolio(load_inventory(target))


@pytest.fixture(scope="module")
def documents(reference: Portfolio) -> dict[str, Document]:
    mp = pytest.MonkeyPatch()
    mp.setenv("SOURCE_DATE_EPOCH", REFERENCE_DATE_ENV)
    try:
        return {
            spec.name: spec.document(reference)
            for spec in all_reports()
            if spec.document is not None and spec.name != "tendance"
        }
    finally:
        mp.undo()


def test_the_reference_is_the_size_the_design_says(reference: Portfolio) -> None:
    inventory = reference.inventory
    assert len(inventory.communes) == 14
    internal = sum(1 for app in inventory.applications if not inventory.is_external(app))
    assert 1000 <= internal <= 1500


def test_convergence_sums_over_communes_equal_totals(documents: dict[str, Document]) -> None:
    rows = documents["convergence"].table("communes").records()
    communes, total = rows[:-1], rows[-1]
    assert total["commune"] == "total"
    assert len(communes) == 14
    for key in ("couples", "couples_mutualises"):
        assert sum(int(row[key]) for row in communes) == total[key]  # type: ignore[arg-type]
    (summary,) = documents["convergence"].table("synthese").records()
    assert summary["couples_des_communes"] == total["couples"]
    assert summary["taux_mutualisation_global"] == total["taux_mutualisation"]


def test_matrix_agrees_with_the_convergence_table(documents: dict[str, Document]) -> None:
    document = documents["convergence"]
    blocks = {row["bloc"]: row for row in document.table("blocs").records()}
    matrix = document.table("matrice")
    assert [row[0] for row in matrix.rows] == list(blocks)
    for row in matrix.rows:
        cells = [cell for cell in row[2:] if isinstance(cell, tuple)]
        expected = blocks[row[0]]
        assert sum(len(cell) for cell in cells) == expected["couples"]
        assert len({app for cell in cells for app in cell}) == expected["applications"]
        assert sum(1 for cell in cells if cell) == expected["communes"]
    # the pooled rate from the blocs' lines
    counted = [row for row in blocks.values() if int(row["couples"]) >= 2]  # type: ignore[arg-type]
    pairs = sum(int(row["couples"]) for row in counted)  # type: ignore[arg-type]
    apps = sum(int(row["applications"]) for row in counted)  # type: ignore[arg-type]
    (summary,) = document.table("synthese").records()
    assert summary["taux_convergence_global"] == round((pairs - apps) / (pairs - len(counted)), 4)


def test_every_rate_is_in_0_1(documents: dict[str, Document]) -> None:
    seen = 0
    for document in documents.values():
        for table in document.tables:
            for column in table.columns:
                if column.kind != "rate":
                    continue
                for value in table.column_values(column.key):
                    if value is None:
                        continue
                    assert isinstance(value, float | int)
                    assert 0.0 <= value <= 1.0, (document.name, table.name, column.key)
                    seen += 1
    assert seen > 100


def test_quality_sums_over_owners_equal_totals(documents: dict[str, Document]) -> None:
    rows = documents["qualite"].table("niveaux").records()
    owners, total = rows[:-1], rows[-1]
    for key in (
        "applications",
        "niveau_1",
        "niveau_2",
        "niveau_3",
        "revues_anciennes",
        "jamais_revues",
    ):
        assert sum(int(row[key]) for row in owners) == total[key], key  # type: ignore[arg-type]
    for row in rows:  # levels are cumulative
        assert row["niveau_1"] >= row["niveau_2"] >= row["niveau_3"]  # type: ignore[operator]


def test_vendor_sums(documents: dict[str, Document]) -> None:
    document = documents["editeurs"]
    vendors = document.table("editeurs").records()
    (summary,) = document.table("synthese").records()
    assert sum(int(row["applications"]) for row in vendors) == summary["applications_avec_produit"]  # type: ignore[arg-type]
    closed = sum(round(float(row["part_api_fermee"]) * int(row["applications"])) for row in vendors)  # type: ignore[arg-type]
    assert closed == summary["applications_api_fermee"]


def test_cnil_matrix_is_14_by_10(documents: dict[str, Document]) -> None:
    table = documents["cnil"].table("silos")
    assert len(table.rows) == 14 + 1  # the communes, then the distinct applications
    assert len(table.columns) == 2 + 10
    for row in table.rows[:-1]:
        for count, distinct in zip(row[2:], table.rows[-1][2:], strict=True):
            assert 0 <= count <= distinct  # type: ignore[operator]


def test_flux_lines_are_bounded_by_the_total(documents: dict[str, Document]) -> None:
    for name in ("communes", "blocs"):
        rows = documents["flux"].table(name).records()
        total = rows[-1]
        for row in rows:
            assert row["flux"] == row["via_hub"] + row["point_a_point"]  # type: ignore[operator]
            assert row["flux"] <= total["flux"]  # type: ignore[operator]
    for row in documents["flux"].table("donnees").records():
        assert row["economie"] == row["flux_point_a_point"] - row["applications"]  # type: ignore[operator]


def test_csv_and_json_write_the_document_s_numbers(documents: dict[str, Document]) -> None:
    for document in documents.values():
        data = json.loads(to_json(document))
        for table, written in zip(document.tables, data["tables"], strict=True):
            assert written["lignes"] == [
                {
                    key: list(value) if isinstance(value, tuple) else value
                    for key, value in row.items()
                }
                for row in table.records()
            ]
            text = to_csv(document.only([table.name]), "standard")
            rows = list(csv.reader(io.StringIO(text)))
            assert rows[0] == [column.key for column in table.columns]
            assert rows[1:] == [
                [
                    machine_lines(value, column)
                    for value, column in zip(row, table.columns, strict=True)
                ]
                for row in table.rows
            ]


def test_atlas_pages_are_fragments(reference: Portfolio, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", REFERENCE_DATE_ENV)
    for spec in atlas_reports():
        if spec.name == "tendance":
            continue
        page = to_html_fragment(spec.document(reference))
        assert page.startswith(f'<section class="rapport" id="rapport-{spec.name}">')
        assert "<html" not in page and "<script" not in page
        assert page == to_html_fragment(spec.document(reference))  # deterministic

"""``dossier COMMUNE`` (DESIGN.md §10): the comité numérique communal's file, by hand on
``tests/fixtures/couts``, and the command in its three formats."""

from __future__ import annotations

import datetime as dt
from functools import cache
from pathlib import Path

from support import RunCli

from cartographie.analysis.commune_file import CommuneFile, CommuneFiles
from cartographie.graph import Portfolio
from cartographie.inventory.loader import load_contents
from cartographie.reports.commune_file import commune_file_document
from tests.support_reports import by_key

COUTS = Path(__file__).parent / "fixtures" / "couts"
REFERENCE = dt.date(2025, 6, 1)


@cache
def alpha() -> CommuneFile:
    loaded = load_contents(COUTS)
    assert loaded.result.inventory is not None
    files = CommuneFiles(
        Portfolio(loaded.result.inventory),
        reference_date=REFERENCE,
        contents=loaded.contents,
        memo=loaded.memo,
    )
    return files.file("alpha")


def test_the_domains_it_stays_outside_are_simulated() -> None:
    file = alpha()
    # Alpha has joined finances, rh, relation and sig, not the socle.
    assert [option.domain for option in file.options] == ["socle"]
    option = file.options[0]
    # Joining on 1 January 2026, no application of its own in the socle's bloc to retire.
    assert option.retired == ()
    socle = next(d for d in option.simulation.after.rebilling.domains if d.domain == "socle")
    # {population 50, forfait 50} among Alpha 30 000, Bêta 10 000, Gamma 5 000 of 833 333
    # cents: Alpha ½ × 30/45 + ½ × ⅓ = ½ → 416 666,5; Bêta 5/18 → 231 481,39; Gamma 4/18 →
    # 185 185,11. Floors leave a cent: to Alpha (0,5).
    assert {line.commune: line.cents for line in socle.lines} == {
        "alpha": 416_667,
        "beta": 231_481,
        "gamma": 185_185,
    }


def test_the_document_says_what_joining_would_change() -> None:
    document = commune_file_document(alpha())
    options = by_key(document, "rejoindre", "domaine")
    # Its total rises by its share, 4 166,67 €; nothing of its own is retired.
    assert options["socle"]["part"] == 4166.67
    assert options["socle"]["ecart"] == 4166.67
    assert options["socle"]["economie"] == 0
    domains = by_key(document, "domaines", "domaine")
    assert domains["finances"]["part"] == 32888.89  # as in rapport refacturation 2025
    mutualisation = by_key(document, "mutualisation", "qui")
    # Alpha: 10 applications used, 7 shared (its alp-ec, alp-dem and alp-tableur are its own).
    assert (mutualisation["alpha"]["couples"], mutualisation["alpha"]["partagees"]) == (10, 7)
    outside = by_key(document, "hors_partage", "bloc")
    # In « demandes », met-gdu is shared and Alpha uses it; it also keeps alp-dem and
    # alp-tableur — it is not outside. No bloc has a shared application it does not use.
    assert outside == {}
    assert document.summary[0].text.startswith("Alpha : 10 applications en service")


def test_dossier_in_three_formats(run_cli: RunCli, tmp_path: Path) -> None:
    common = ("dossier", "alpha", "-i", str(COUTS), "--date", "2025-06-01")
    markdown = run_cli(*common, "--format", "markdown")
    assert markdown.exit_code == 0, markdown.stderr
    assert markdown.stdout.startswith("# Dossier d'Alpha pour le comité numérique communal\n")
    assert "| Socle numérique |" in markdown.stdout
    html = run_cli(*common, "--sortie", str(tmp_path / "alpha.html"))
    assert html.exit_code == 0, html.stderr
    page = (tmp_path / "alpha.html").read_text(encoding="utf-8")
    assert "<svg" in page  # the commune's map, drawn inline
    pdf = run_cli(*common, "--format", "pdf", "--sortie", str(tmp_path / "alpha.pdf"))
    assert pdf.exit_code == 0, pdf.stderr
    assert (tmp_path / "alpha.pdf").read_bytes().startswith(b"%PDF-")


def test_dossier_refuses_a_pdf_on_the_terminal_and_an_unknown_commune(run_cli: RunCli) -> None:
    pdf = run_cli("dossier", "alpha", "-i", str(COUTS), "--format", "pdf")
    assert pdf.exit_code == 2
    assert "ajoutez --sortie FICHIER.pdf" in pdf.stderr
    unknown = run_cli("dossier", "alfa", "-i", str(COUTS), "--format", "markdown")
    assert unknown.exit_code == 2
    assert "voulez-vous dire « alpha » ?" in unknown.stderr


def test_the_file_at_a_date_counts_what_is_in_service_then(tmp_path: Path) -> None:
    import shutil

    root = tmp_path / "couts"
    shutil.copytree(COUTS, root)
    path = root / "applications" / "alpha.yaml"
    text = path.read_text(encoding="utf-8")
    # alp-dem leaves in 2030; alp-tableur was retired long ago (cycle_de_vie says so today).
    text = text.replace(
        "    mise_en_service: 2014\n", "    mise_en_service: 2014\n    retrait: 2030\n"
    )
    text = text.replace(
        "    mise_en_service: 2015\n",
        "    mise_en_service: 2015\n    retrait: 2020\n    cycle_de_vie: retiree\n",
    )
    path.write_text(text, encoding="utf-8")
    loaded = load_contents(root)
    assert loaded.result.inventory is not None, loaded.result.problems

    def file_at(day: dt.date) -> CommuneFile:
        return CommuneFiles(
            Portfolio(loaded.result.inventory),  # type: ignore[arg-type]
            reference_date=day,
            contents=loaded.contents,
            memo=loaded.memo,
        ).file("alpha")

    before, after = file_at(REFERENCE), file_at(dt.date(2031, 3, 1))
    # The retired tableur is in neither; the count agrees with the mutualisation's.
    assert "alp-tableur" not in before.applications
    assert len(before.applications) == before.mutualisation.use_pairs
    assert "alp-dem" in before.applications and "alp-dem" not in after.applications
    assert len(after.applications) == after.mutualisation.use_pairs
    # What it owns, at today's costs: alp-ec 4 000 + 2 × 450, alp-dem 1 500 until 2030.
    assert (before.owned.cents, before.owned.unknown) == (640_000, 0)
    assert (after.owned.cents, after.owned.unknown) == (490_000, 0)

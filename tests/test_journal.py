"""``cartographie journal``: one entry per commit that changed the portfolio, two lines each,
with what it changed and the verdicts of the diagnostics it recorded (``diagnostic
--enregistrer``); commits that only touched the files are counted apart; ``--detail`` for the
objects; the examples of its help run."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from support import RunCli
from support_suivi import clone_history, git, history

from cartographie.journal import build_journal

SUBJECTS = [
    "Demandes d'intervention directes vers la GMAO mutualisée",
    "GMAO propre aux Prés",
    "Attestations CAF des Prés",
    "Actes d'état civil pour la police municipale",
    "Renommer la vidéoprotection",
    "Les Prés ne reçoivent plus les demandes par courriel",
    "Nouveau contrat de la GMAO des bâtiments",
    "Ajout du SIG",
    "Inventaire de la métropole, GMAO mutualisée",
]


def test_one_entry_per_commit_newest_first_with_what_changed() -> None:
    journal = build_journal(history())
    assert [entry.title for entry in journal.entries] == SUBJECTS
    assert [entry.date.date().isoformat() for entry in journal.entries][:2] == [
        "2026-02-12",
        "2026-02-11",
    ]
    assert {entry.author for entry in journal.entries} == {"Camille Urbaniste"}
    assert [entry.summary() for entry in journal.entries[:5]] == [
        "1 changement — flux : 1 ajout",
        "1 changement — applications : 1 ajout",
        "1 changement — flux : 1 ajout",
        "1 changement — flux : 1 ajout",
        "2 changements — applications : 1 renommage ; flux : 1 modification",
    ]
    first = journal.entries[-1]
    assert first.changes is not None
    assert first.changes.counts()["application"]["ajout"] == 22  # against no inventory at all
    assert journal.entries[0].revision == git(history().parent, "rev-parse", "etape-8")


def test_commune_and_date_filters(run_cli: RunCli) -> None:
    journal = build_journal(history(), commune="les-pres", since=dt.date(2026, 2, 5))
    assert [entry.title for entry in journal.entries] == [
        "Demandes d'intervention directes vers la GMAO mutualisée",
        "GMAO propre aux Prés",
        "Attestations CAF des Prés",
        "Les Prés ne reçoivent plus les demandes par courriel",
    ]
    result = run_cli(
        "journal",
        "-i",
        str(history()),
        "--commune",
        "les-pres",
        "--depuis",
        "2026-02-05",
        "--format",
        "markdown",
        "--detail",
    )
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "# Journal du patrimoine — Les Prés"
    assert "| application lp-gmao (ajout) |" in result.stdout
    assert "| flux met-gdu → lp-interventions : demande-intervention (retrait) |" in result.stdout
    assert not any("SIG" in line for line in lines)


def test_recorded_diagnostics_join_the_journal(run_cli: RunCli, tmp_path: Path) -> None:
    inventory = clone_history(tmp_path)
    repo = inventory.parent

    def record(base: str, proposed: str, project: str) -> None:
        recorded = run_cli(
            "diagnostic",
            "--base",
            base,
            "--propose",
            proposed,
            "-i",
            str(inventory),
            "--projet",
            project,
            "--date",
            "2026-02-11",
            "--enregistrer",
        )
        assert recorded.exit_code == 1  # défavorable, and recorded all the same
        assert "Diagnostic enregistré : " in recorded.stderr

    record("etape-6", "etape-7", "GMAO des Prés")
    git(repo, "add", "-A")
    git(
        repo,
        "commit",
        "-q",
        "-m",
        "Diagnostic de la GMAO des Prés",
        date="2026-02-13T09:00:00+01:00",
    )
    # a second one, recorded and not committed yet
    record("etape-4", "etape-5", "Actes pour la police")
    result = run_cli("journal", "-i", str(inventory), "--format", "json")
    document = json.loads(result.stdout)
    entries = document["entrees"]
    assert document["version"] == 2
    assert [entry["titre"] for entry in entries[:3]] == [
        "Diagnostic d'architecture : Actes pour la police (non commité)",
        "Diagnostic de la GMAO des Prés",  # the commit that recorded it: no portfolio change
        "Demandes d'intervention directes vers la GMAO mutualisée",
    ]
    pending, committed = entries[0], entries[1]
    assert pending["type"] == "diagnostic"
    assert pending["revision"] is None
    assert committed["type"] == "commit"
    assert committed["resume"] == "diagnostic « GMAO des Prés : avis défavorable (5 constats) »"
    diagnostic = committed["diagnostics"][0]
    assert diagnostic["projet"] == "GMAO des Prés"
    assert [f["code"] for f in diagnostic["constats"]] == ["D102", "D501", "D601", "D801", "D952"]
    assert diagnostic["communes"] == ["les-pres"]
    # Filtered by commune: the diagnostic touched Les Prés, not Saint-Aubin.
    def projects(commune: str) -> list[str]:
        journal = build_journal(inventory, commune=commune)
        return [d.project for entry in journal.entries for d in entry.diagnostics]

    assert projects("les-pres") == ["GMAO des Prés"]
    assert projects("saint-aubin") == ["Actes pour la police"]
    # For people: the verdict on the commit's second line, the findings with --detail.
    lines = run_cli("journal", "-i", str(inventory), "--limite", "2", "--detail").stdout
    assert (
        "2026-02-13  " + git(repo, "rev-parse", "--short=8", "HEAD") + "  Camille Urbaniste — "
        "Diagnostic de la GMAO des Prés\n"
        "    diagnostic « GMAO des Prés : avis défavorable (5 constats) »\n"
        "        D102 [bloquant] lp-gmao, met-gmao\n"
    ) in lines
    assert "non commité  — — Diagnostic d'architecture : Actes pour la police" in lines


def test_two_lines_per_commit_and_only_commits_that_change_something(
    run_cli: RunCli, tmp_path: Path
) -> None:
    inventory = clone_history(tmp_path)
    repo = inventory.parent
    path = inventory / "applications" / "les-pres.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "# une remarque\n", encoding="utf-8")
    git(repo, "commit", "-q", "-am", "Une remarque", date="2026-02-14T09:00:00+01:00")
    result = run_cli("journal", "-i", str(inventory), "--depuis", "2026-02-10")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[:6] == [
        "Journal du patrimoine",
        "Depuis : 2026-02-10",
        "3 commits qui changent le patrimoine ; 1 autre commit touche ses fichiers sans le "
        "changer. --detail pour les objets.",
        "Entrées :",
        "2026-02-12  " + git(repo, "rev-parse", "--short=8", "etape-8")
        + "  Camille Urbaniste — Demandes d'intervention directes vers la GMAO mutualisée",
        "    1 changement — flux : 1 ajout",
    ]
    assert len(lines) == 4 + 3 * 2
    assert "Une remarque" not in result.stdout
    window = build_journal(inventory, since=dt.date(2026, 2, 5), until=dt.date(2026, 2, 10))
    assert [entry.date.day for entry in window.entries] == [10, 9, 6, 5]
    assert window.unchanged == 0


def test_the_examples_of_its_help_run(run_cli: RunCli) -> None:
    """Each « Exemple : » of ``journal --help`` runs on this repository's reference inventory
    and history (the ville centre is « aurelle »)."""
    import re

    root = Path(__file__).resolve().parents[1]
    if not (root / ".git").exists():
        import pytest

        pytest.skip("not a git checkout")
    help_text = run_cli("journal", "--help").stdout
    examples = re.findall(r"Exemple : cartographie (.+)", help_text)
    assert examples
    for example in examples:
        result = run_cli(*example.split(), "--limite", "2", cwd=root)
        assert result.exit_code == 0, f"{example}: {result.stderr}"
        assert "Journal du patrimoine" in result.stdout


def test_an_invalid_commit_is_an_entry_not_a_failure(run_cli: RunCli, tmp_path: Path) -> None:
    inventory = clone_history(tmp_path)
    repo = inventory.parent
    (inventory / "flux" / "casse.yaml").write_text("flux:\n  - source: x\n", encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "Fichier cassé", date="2026-02-14T09:00:00+01:00")
    journal = build_journal(inventory, limit=2)
    assert [entry.title for entry in journal.entries] == [
        "Fichier cassé",
        "Demandes d'intervention directes vers la GMAO mutualisée",
    ]
    assert journal.entries[0].summary() == "inventaire invalide (2 problèmes)"
    result = run_cli("journal", "-i", str(inventory), "--limite", "1")
    assert result.exit_code == 0
    assert "inventaire invalide" in result.stdout


def test_table_output_and_errors(run_cli: RunCli, tmp_path: Path) -> None:
    result = run_cli("journal", "-i", str(history()), "--limite", "2")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0].strip() == "Journal du patrimoine"
    assert "GMAO propre aux Prés" in result.stdout
    unknown = run_cli("journal", "-i", str(history()), "--commune", "les-prez")
    assert unknown.exit_code == 2
    assert "vouliez-vous dire « les-pres »" in unknown.stderr
    bad_date = run_cli("journal", "-i", str(history()), "--depuis", "hier")
    assert bad_date.exit_code == 2
    assert "date invalide « hier »" in bad_date.stderr
    outside = run_cli("journal", "-i", str(tmp_path))
    assert outside.exit_code == 2
    assert "n'est pas dans un dépôt git" in outside.stderr

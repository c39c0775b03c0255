"""``cartographie journal``: one entry per commit that touched the inventory, with what it
changed, merged with the diagnostics recorded by ``diagnostic --enregistrer``."""

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
    recorded = run_cli(
        "diagnostic",
        "--base",
        "etape-6",
        "--propose",
        "etape-7",
        "-i",
        str(inventory),
        "--projet",
        "GMAO des Prés",
        "--date",
        "2026-02-11",
        "--enregistrer",
    )
    assert recorded.exit_code == 1  # défavorable, and recorded all the same
    written = inventory / "diagnostics" / "2026-02-11-gmao-des-pres.yaml"
    assert f"Diagnostic enregistré : {written}" in recorded.stderr
    git(repo, "add", "-A")
    git(
        repo,
        "commit",
        "-q",
        "-m",
        "Diagnostic de la GMAO des Prés",
        date="2026-02-13T09:00:00+01:00",
    )
    result = run_cli("journal", "-i", str(inventory), "--format", "json")
    document = json.loads(result.stdout)
    entries = document["entrees"]
    assert document["version"] == 1
    assert [entry["titre"] for entry in entries[:4]] == [
        "Diagnostic de la GMAO des Prés",  # the commit that recorded it: no portfolio change
        "Demandes d'intervention directes vers la GMAO mutualisée",
        "GMAO propre aux Prés",
        # On its day, a diagnostic comes before the commits it judged (below them, newest first).
        "Diagnostic d'architecture : GMAO des Prés",
    ]
    assert entries[0]["resume"] == "aucun changement"
    diagnostic = entries[3]
    assert diagnostic["type"] == "diagnostic"
    assert diagnostic["resume"] == "avis défavorable (5 constats)"
    assert diagnostic["diagnostic"]["projet"] == "GMAO des Prés"
    assert [f["code"] for f in diagnostic["diagnostic"]["constats"]] == [
        "D102",
        "D501",
        "D601",
        "D801",
        "D952",
    ]
    assert diagnostic["diagnostic"]["communes"] == ["les-pres"]
    # Filtered by commune: the diagnostic touched Les Prés, not Saint-Aubin.
    les_pres = build_journal(inventory, commune="les-pres")
    assert any(entry.kind == "diagnostic" for entry in les_pres.entries)
    saint_aubin = build_journal(inventory, commune="saint-aubin")
    assert not any(entry.kind == "diagnostic" for entry in saint_aubin.entries)


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

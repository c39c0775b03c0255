"""``cartographie diff`` on the history of ``support_suivi``: the exact JSON of every step.

Each step of the « Done when » list is one commit; its diff against the previous commit is
checked field by field, with the summary, the use changes and the grouping by commune, and the
envelope (schema version, revisions). Then the other ways to name versions: a working tree,
a directory, a revision before the inventory existed.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from support import RunCli
from support_suivi import EXAMPLE, clone_history, git, history

# The « changements » of ``diff etape-(N-1) etape-N --format json``, by step.
EXPECTED_CHANGES: dict[int, list[dict[str, Any]]] = {
    1: [
        {
            "ancien_id": None,
            "blocs": ["echanges"],
            "champs": [],
            "communes": ["metropole"],
            "fichier": "applications/metropole.yaml",
            "id": "met-sig",
            "ligne": 91,
            "nom": "Système d'information géographique",
            "objet": "application",
            "similarite": None,
            "type": "ajout",
            "valeur": {
                "blocs": ["echanges"],
                "centre_de_donnees": "dc-hotel-metropole",
                "couche": "support",
                "cout_annuel": 24000,
                "cycle_de_vie": "production",
                "gouvernance": "dgsin",
                "hebergement": "datacenter",
                "id": "met-sig",
                "jours_internes": 15,
                "nom": "Système d'information géographique",
                "proprietaire": "metropole",
                "responsable": "Mission données",
                "utilisateurs": ["metropole"],
            },
        }
    ],
    2: [
        {
            "ancien_id": None,
            "blocs": ["maintenance"],
            "champs": [{"apres": 16500, "avant": 15000, "champ": "cout_annuel"}],
            "communes": ["ville-centre"],
            "fichier": "applications/ville-centre.yaml",
            "id": "vc-gmao",
            "ligne": 39,
            "nom": "GMAO des bâtiments",
            "objet": "application",
            "similarite": None,
            "type": "modification",
            "valeur": None,
        }
    ],
    3: [
        {
            "ancien_id": None,
            "blocs": ["demandes-usagers", "maintenance"],
            "champs": [],
            "communes": ["les-pres"],
            "fichier": "flux/relation-usager.yaml",
            "id": "met-gdu>lp-interventions:demande-intervention",
            "ligne": 22,
            "nom": "met-gdu → lp-interventions : demande-intervention",
            "objet": "flux",
            "similarite": None,
            "type": "retrait",
            "valeur": {
                "cible": "lp-interventions",
                "donnee": "demande-intervention",
                "frequence": "quotidienne",
                "protocole": "manuel",
                "source": "met-gdu",
            },
        }
    ],
    4: [
        {
            "ancien_id": "vc-video",
            "blocs": ["proximite"],
            "champs": [],
            "communes": ["ville-centre"],
            "fichier": "applications/ville-centre.yaml",
            "id": "vc-videoprotection",
            "ligne": 28,
            "nom": "Vidéoprotection urbaine",
            "objet": "application",
            "similarite": 1.0,
            "type": "renommage",
            "valeur": None,
        },
        {
            "ancien_id": None,
            "blocs": ["proximite"],
            "champs": [{"apres": "vc-videoprotection", "avant": "vc-video", "champ": "source"}],
            "communes": ["ville-centre"],
            "fichier": "flux/population.yaml",
            "id": "vc-videoprotection>vc-police:main-courante",
            "ligne": 22,
            "nom": "vc-videoprotection → vc-police : main-courante",
            "objet": "flux",
            "similarite": None,
            "type": "modification",
            "valeur": None,
        },
    ],
    5: [
        {
            "ancien_id": None,
            "blocs": ["etat-civil", "proximite"],
            "champs": [],
            "communes": ["saint-aubin", "ville-centre"],
            "fichier": "flux/population.yaml",
            "id": "sa-etat-civil>vc-police:acte-etat-civil",
            "ligne": 33,
            "nom": "sa-etat-civil → vc-police : acte-etat-civil",
            "objet": "flux",
            "similarite": None,
            "type": "ajout",
            "valeur": {
                "cible": "vc-police",
                "donnee": "acte-etat-civil",
                "frequence": "hebdomadaire",
                "protocole": "fichier",
                "source": "sa-etat-civil",
            },
        }
    ],
    6: [
        {
            "ancien_id": None,
            "blocs": ["famille"],
            "champs": [],
            "communes": ["les-pres"],
            "fichier": "flux/population.yaml",
            "id": "lp-caf-attestations",
            "ligne": 38,
            "nom": "lp-portail-famille → caf-cdap : quotient-familial",
            "objet": "flux",
            "similarite": None,
            "type": "ajout",
            "valeur": {
                "cible": "caf-cdap",
                "consentement": "tacite",
                "donnee": "quotient-familial",
                "frequence": "mensuelle",
                "id": "lp-caf-attestations",
                "protocole": "fichier",
                "source": "lp-portail-famille",
            },
        }
    ],
    7: [
        {
            "ancien_id": None,
            "blocs": ["maintenance"],
            "champs": [],
            "communes": ["les-pres"],
            "fichier": "applications/les-pres.yaml",
            "id": "lp-gmao",
            "ligne": 25,
            "nom": "GMAO Atal des Prés",
            "objet": "application",
            "similarite": None,
            "type": "ajout",
            "valeur": {
                "blocs": ["maintenance"],
                "couche": "support",
                "cycle_de_vie": "production",
                "gouvernance": "direction-metier",
                "hebergement": "saas",
                "id": "lp-gmao",
                "nom": "GMAO Atal des Prés",
                "produit": "bl-atal",
                "proprietaire": "les-pres",
                "responsable": "Services techniques",
                "utilisateurs": ["les-pres"],
            },
        }
    ],
    8: [
        {
            "ancien_id": None,
            "blocs": ["demandes-usagers", "maintenance"],
            "champs": [],
            "communes": ["les-pres", "metropole", "saint-aubin", "ville-centre"],
            "fichier": "flux/relation-usager.yaml",
            "id": "met-gdu>met-gmao:demande-intervention",
            "ligne": 27,
            "nom": "met-gdu → met-gmao : demande-intervention",
            "objet": "flux",
            "similarite": None,
            "type": "ajout",
            "valeur": {
                "cible": "met-gmao",
                "donnee": "demande-intervention",
                "frequence": "temps-reel",
                "protocole": "api",
                "source": "met-gdu",
            },
        }
    ],
}

# Summary counts, use changes and organisations touched, by step.
EXPECTED_SUMMARY = {
    1: ({"application": (1, 0, 0, 0)}, [("metropole", "met-sig", "ajout")], ["metropole"]),
    2: ({"application": (0, 0, 0, 1)}, [], ["ville-centre"]),
    3: ({"flux": (0, 1, 0, 0)}, [], ["les-pres"]),
    4: ({"application": (0, 0, 1, 0), "flux": (0, 0, 0, 1)}, [], ["ville-centre"]),
    5: ({"flux": (1, 0, 0, 0)}, [], ["saint-aubin", "ville-centre"]),
    6: ({"flux": (1, 0, 0, 0)}, [], ["les-pres"]),
    7: ({"application": (1, 0, 0, 0)}, [("les-pres", "lp-gmao", "ajout")], ["les-pres"]),
    8: (
        {"flux": (1, 0, 0, 0)},
        [],
        ["les-pres", "metropole", "saint-aubin", "ville-centre"],
    ),
}


def diff_json(run_cli: RunCli, *args: str) -> dict[str, Any]:
    result = run_cli("diff", *args, "-i", str(history()), "--format", "json")
    assert result.exit_code == 0, result.stderr
    document: dict[str, Any] = json.loads(result.stdout)
    return document


@pytest.mark.parametrize("step", range(1, 9))
def test_each_step_gives_the_exact_json_diff(run_cli: RunCli, step: int) -> None:
    document = diff_json(run_cli, f"etape-{step - 1}", f"etape-{step}")
    assert document["changements"] == EXPECTED_CHANGES[step]
    counts, uses, communes = EXPECTED_SUMMARY[step]
    assert document["resume"] == {
        "total": len(EXPECTED_CHANGES[step]),
        "par_objet": {
            kind: dict(zip(("ajout", "retrait", "renommage", "modification"), values, strict=True))
            for kind, values in counts.items()
        },
    }
    assert document["usages"] == [
        {"organisation": organisation, "application": application, "type": kind}
        for organisation, application, kind in uses
    ]
    assert sorted(document["par_commune"]) == communes


def test_the_envelope_names_the_schema_version_and_both_revisions(run_cli: RunCli) -> None:
    document = diff_json(run_cli, "etape-0", "etape-1")
    repo = history().parent
    assert document["version"] == 1
    assert document["base"] == {
        "libelle": "etape-0",
        "revision": git(repo, "rev-parse", "etape-0^{commit}"),
        "dossier": None,
    }
    assert document["propose"]["revision"] == git(repo, "rev-parse", "etape-1^{commit}")
    assert document["format"] == "cartographie/diff"
    assert set(document) == {
        "format",
        "version",
        "base",
        "propose",
        "resume",
        "changements",
        "usages",
        "par_commune",
        "par_bloc",
    }
    assert document["par_bloc"] == {
        "echanges": {"ajout": 1, "modification": 0, "renommage": 0, "retrait": 0}
    }


def test_a_version_against_itself_is_empty_and_exits_zero(run_cli: RunCli) -> None:
    document = diff_json(run_cli, "etape-3", "etape-3")
    assert document["changements"] == []
    assert document["resume"] == {"total": 0, "par_objet": {}}
    result = run_cli("diff", "etape-3", "etape-3", "-i", str(history()), "--exit-code")
    assert result.exit_code == 0
    assert "aucun changement" in result.stdout


def test_exit_code_option_gives_one_when_something_changed(run_cli: RunCli) -> None:
    result = run_cli("diff", "etape-1", "etape-2", "-i", str(history()), "--exit-code")
    assert result.exit_code == 1
    assert run_cli("diff", "etape-1", "etape-2", "-i", str(history())).exit_code == 0


def test_the_whole_history_at_once_sums_the_steps(run_cli: RunCli) -> None:
    document = diff_json(run_cli, "etape-0", "etape-8")
    kinds = {(change["objet"], change["type"], change["id"]) for change in document["changements"]}
    assert kinds == {
        ("application", "ajout", "met-sig"),
        ("application", "ajout", "lp-gmao"),
        ("application", "modification", "vc-gmao"),
        ("application", "renommage", "vc-videoprotection"),
        ("flux", "retrait", "met-gdu>lp-interventions:demande-intervention"),
        ("flux", "modification", "vc-videoprotection>vc-police:main-courante"),
        ("flux", "ajout", "sa-etat-civil>vc-police:acte-etat-civil"),
        ("flux", "ajout", "lp-caf-attestations"),
        ("flux", "ajout", "met-gdu>met-gmao:demande-intervention"),
    }


def test_the_working_tree_is_the_default_proposed_version(run_cli: RunCli, tmp_path: Path) -> None:
    inventory = clone_history(tmp_path)
    path = inventory / "applications" / "saint-aubin.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("cout_annuel: 7000", "cout_annuel: 7500"),
        encoding="utf-8",
    )
    result = run_cli("diff", "HEAD", "-i", str(inventory), "--format", "json")
    document = json.loads(result.stdout)
    assert document["propose"] == {
        "libelle": "copie de travail",
        "revision": None,
        "dossier": inventory.as_posix(),
    }
    assert [(c["id"], c["champs"]) for c in document["changements"]] == [
        ("sa-etat-civil", [{"champ": "cout_annuel", "avant": 7000, "apres": 7500}])
    ]
    # Reading a revision leaves the working tree and the index alone.
    status = git(inventory.parent, "status", "--porcelain")
    assert status == "M inventory/applications/saint-aubin.yaml"


def test_two_directories_compare_on_meaning_not_text(run_cli: RunCli, tmp_path: Path) -> None:
    base, proposed = tmp_path / "a", tmp_path / "b"
    shutil.copytree(EXAMPLE, base)
    shutil.copytree(EXAMPLE, proposed)
    # A default written out, flows reordered, an application moved to its own file with the
    # same owner: the same portfolio.
    apps = proposed / "applications" / "saint-aubin.yaml"
    text = apps.read_text(encoding="utf-8")
    police = text[text.index("  - id: sa-police\n") : text.index("  - id: sa-gmao\n")]
    apps.write_text(text.replace(police, ""), encoding="utf-8")
    (proposed / "applications" / "saint-aubin-police.yaml").write_text(
        "proprietaire: saint-aubin\napplications:\n"
        + police.replace(
            "    couche: metier\n", "    couche: metier\n    cycle_de_vie: production\n"
        ),
        encoding="utf-8",
    )
    flows = proposed / "flux" / "gestion.yaml"
    head, *items = flows.read_text(encoding="utf-8").split("  - source:")
    flows.write_text(head + "".join("  - source:" + item for item in reversed(items)), "utf-8")
    result = run_cli("diff", str(base), str(proposed), "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["changements"] == []


def test_a_base_without_inventory_has_everything_added(run_cli: RunCli, tmp_path: Path) -> None:
    repo = tmp_path / "depot"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    (repo / "LISEZMOI.md").write_text("Le dépôt avant l'inventaire.\n", encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "Début")
    shutil.copytree(EXAMPLE, repo / "inventory")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "Inventaire")
    result = run_cli("diff", "HEAD~1", "HEAD", "-i", str(repo / "inventory"), "-f", "json")
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    assert {change["type"] for change in document["changements"]} == {"ajout"}
    assert document["resume"]["par_objet"]["application"]["ajout"] == 21
    assert document["resume"]["par_objet"]["flux"]["ajout"] == 15


def test_markdown_puts_the_summary_first_and_folds_the_details(run_cli: RunCli) -> None:
    result = run_cli("diff", "etape-3", "etape-4", "-i", str(history()), "--format", "markdown")
    lines = result.stdout.splitlines()
    assert lines[0] == "# Changement du patrimoine : etape-3 → etape-4"
    assert lines[2] == ("**2 changements — applications : 1 renommage ; flux : 1 modification**")
    assert lines[6] == "| Objet | Ajouts | Retraits | Renommages | Modifications |"
    assert "<details><summary>Applications (1)</summary>" in lines
    assert (
        "| renommage | vc-video → vc-videoprotection | Vidéoprotection urbaine | "
        "applications/ville-centre.yaml:28 | identifiant : vc-video → vc-videoprotection "
        "(similarité 100%) |" in lines
    )
    assert any("| source : vc-video → vc-videoprotection |" in line for line in lines)
    assert lines.index("<details><summary>Applications (1)</summary>") > 5


def test_table_lists_each_change_with_its_place(run_cli: RunCli) -> None:
    result = run_cli("diff", "etape-1", "etape-2", "-i", str(history()))
    assert result.stdout.splitlines()[:2] == [
        "Changement du patrimoine : etape-1 → etape-2",
        "1 changement — applications : 1 modification",
    ]
    assert "cout_annuel : 15000 → 16500" in result.stdout
    assert "applications/ville-centre.yaml:39" in result.stdout


def test_table_cells_are_text_not_markup(run_cli: RunCli) -> None:
    result = run_cli("diff", "etape-6", "etape-7", "-i", str(history()))
    assert "blocs : [maintenance]" in result.stdout
    assert "utilisateurs : [les-pres]" in result.stdout


def test_commune_filter_keeps_what_touches_it(run_cli: RunCli) -> None:
    args = ("diff", "etape-0", "etape-8", "-i", str(history()), "-f", "json")
    document = json.loads(run_cli(*args, "--commune", "saint-aubin").stdout)
    assert [change["id"] for change in document["changements"]] == [
        "met-gdu>met-gmao:demande-intervention",
        "sa-etat-civil>vc-police:acte-etat-civil",
    ]
    unknown = run_cli(*args, "--commune", "saint-aubn")
    assert unknown.exit_code == 2
    assert "vouliez-vous dire « saint-aubin »" in unknown.stderr

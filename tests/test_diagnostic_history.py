"""``cartographie diagnostic`` on each step of the ``support_suivi`` history.

Every step is judged against the one before: the findings (rule, severity, place, objects,
message, fix), the verdict and the exit code. Problems the base already had — the example
métropole has some on purpose — are never blamed on the change, renames followed.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from support import RunCli
from support_suivi import clone_history, history

from cartographie.diagnostic import run_diagnostic
from cartographie.inventory.git import load_version

# Step -> (verdict, exit code, [(code, severity, file, line, objects)]).
EXPECTED: dict[int, tuple[str, int, list[tuple[str, str, str, int, list[str]]]]] = {
    # A new application states what it adds to the portfolio's yearly cost (info).
    1: ("favorable", 0, [("D951", "info", "applications/metropole.yaml", 91, ["met-sig"])]),
    2: ("favorable", 0, []),
    3: ("favorable", 0, []),
    4: ("favorable", 0, []),
    5: (
        "defavorable",
        1,
        [
            ("D301", "bloquant", "flux/population.yaml", 33, ["sa-etat-civil", "vc-police"]),
            ("D302", "bloquant", "flux/population.yaml", 33, ["sa-etat-civil", "vc-police"]),
        ],
    ),
    6: (
        "defavorable",
        1,
        [("D401", "bloquant", "flux/population.yaml", 38, ["caf-cdap", "lp-portail-famille"])],
    ),
    7: (
        "defavorable",
        1,
        [
            ("D102", "bloquant", "applications/les-pres.yaml", 25, ["lp-gmao", "met-gmao"]),
            ("D501", "avertissement", "applications/les-pres.yaml", 25, ["lp-gmao"]),
            ("D601", "avertissement", "applications/les-pres.yaml", 25, ["lp-gmao"]),
            ("D801", "avertissement", "applications/les-pres.yaml", 25, ["lp-gmao", "maintenance"]),
            ("D952", "avertissement", "applications/les-pres.yaml", 25, ["lp-gmao"]),
        ],
    ),
    8: (
        "reserve",
        0,
        [
            (
                "D201",
                "avertissement",
                "flux/relation-usager.yaml",
                27,
                ["met-gdu", "met-gmao", "met-hub"],
            )
        ],
    ),
}

MESSAGES = {
    "D301": (
        "flux sa-etat-civil → vc-police (acte-etat-civil) : donnée personnelle du secteur "
        "« État civil et citoyenneté » vers une application d'un autre secteur RU-030 "
        "(vc-police : Polices spéciales et voirie)"
    ),
    "D302": (
        "flux sa-etat-civil → vc-police (acte-etat-civil) : donnée personnelle entre "
        "Saint-Aubin-d'Auve et Auvers-la-Grande, deux responsables de traitement distincts, "
        "par des applications non partagées"
    ),
    "D401": (
        "flux lp-portail-famille → caf-cdap (quotient-familial) : donnée personnelle transmise "
        "à Caisse d'allocations familiales (organisme extérieur) sur consentement tacite"
    ),
    "D102": (
        "« lp-gmao » (applications/les-pres.yaml:25) double l'application partagée "
        "« met-gmao » (applications/metropole.yaml:81) dans le bloc « Maintenance du "
        "patrimoine », que Les Prés a mutualisé (domaine « maintenance » depuis 2024)"
    ),
    "D501": (
        "« lp-gmao » (applications/les-pres.yaml:25) repose sur « Atal II » de Berger-Levrault "
        "(API propriétaire) dans le bloc « Maintenance du patrimoine » où circulent des flux"
    ),
    "D601": (
        "« lp-gmao » (applications/les-pres.yaml:25) est un SaaS piloté par une direction "
        "métier (Services techniques), hors de la responsabilité de la DGSIN"
    ),
    "D801": (
        "le bloc « Maintenance du patrimoine » passe de 4 à 5 applications distinctes (taux de "
        "convergence 0 % → 0 %) avec « lp-gmao » (applications/les-pres.yaml:25)"
    ),
    "D951": (
        "« met-sig » (applications/metropole.yaml:91) ajoute 30\u202f300\u00a0€ par an "
        "(cout_annuel 24\u202f000\u00a0€ + 15 jours internes × 420\u00a0€) au coût du patrimoine"
    ),
    "D952": (
        "« lp-gmao » (applications/les-pres.yaml:25) n'a ni cout_annuel ni jours_internes : son "
        "coût est inconnu, et les rapports le compteront à part"
    ),
    "D201": (
        "flux met-gdu → met-gmao (demande-intervention) en point à point : le hub « met-hub » "
        "distribue déjà la donnée « demande-intervention » (flux/relation-usager.yaml:10)"
    ),
}
FIXES = {
    "D102": "ajoutez les-pres aux utilisateurs de met-gmao au lieu d'une application propre",
    "D201": "faites passer le flux par le hub : « via: met-hub »",
    "D401": ("recueillez le consentement explicite (« consentement: explicite ») avant l'échange"),
}


def diagnose(run_cli: RunCli, step: int, *options: str) -> tuple[int, dict[str, Any]]:
    result = run_cli(
        "diagnostic",
        "--base",
        f"etape-{step - 1}",
        "--propose",
        f"etape-{step}",
        "-i",
        str(history()),
        "--date",
        "2026-03-01",
        "--format",
        "json",
        *options,
    )
    return result.exit_code, json.loads(result.stdout)


@pytest.mark.parametrize("step", range(1, 9))
def test_each_step_gets_its_findings_verdict_and_exit_code(run_cli: RunCli, step: int) -> None:
    exit_code, document = diagnose(run_cli, step)
    verdict, expected_exit, findings = EXPECTED[step]
    assert document["verdict"] == verdict
    assert exit_code == expected_exit
    assert [
        (f["code"], f["gravite"], f["fichier"], f["ligne"], f["objets"])
        for f in document["constats"]
    ] == findings
    for finding in document["constats"]:
        assert finding["message"] == MESSAGES[finding["code"]]
        assert finding["correction"]
        if finding["code"] in FIXES:
            assert finding["correction"] == FIXES[finding["code"]]
        assert finding["preexistant"] is False
    assert document["preexistants"] == []


def test_strict_turns_a_reserve_into_a_failure(run_cli: RunCli) -> None:
    assert diagnose(run_cli, 8)[0] == 0
    assert diagnose(run_cli, 8, "--strict")[0] == 1
    assert diagnose(run_cli, 4, "--strict")[0] == 0


def test_the_whole_change_gets_every_finding_once(run_cli: RunCli) -> None:
    result = run_cli(
        "diagnostic",
        "--base",
        "etape-0",
        "--propose",
        "etape-8",
        "-i",
        str(history()),
        "-f",
        "json",
    )
    document = json.loads(result.stdout)
    assert sorted(f["code"] for f in document["constats"]) == [
        "D102",
        "D201",
        "D301",
        "D302",
        "D401",
        "D501",
        "D601",
        "D801",
        "D951",
        "D952",
    ]
    assert document["comptes"] == {"bloquant": 4, "avertissement": 5, "info": 1}
    assert result.exit_code == 1


def test_pre_existing_problems_are_listed_apart_and_follow_renames(run_cli: RunCli) -> None:
    exit_code, document = diagnose(run_cli, 4, "--tout")
    assert exit_code == 0 and document["constats"] == []
    old = {(f["code"], tuple(f["objets"])) for f in document["preexistants"]}
    # The renamed application keeps its old problems under its new id: not blamed on the rename.
    assert ("D101", ("vc-police", "vc-videoprotection")) in old
    assert ("D501", ("vc-videoprotection",)) in old
    # The example's deliberate problems: tacit consent to the CAF, a police flow between
    # communes, a SaaS out of governance, the GDU flows that bypass the hub.
    codes = {code for code, _ in old}
    assert {"D101", "D102", "D201", "D301", "D302", "D401", "D501", "D601"} <= codes
    assert all(f["preexistant"] for f in document["preexistants"])


def test_the_working_tree_is_judged_against_head_by_default(
    run_cli: RunCli, tmp_path: Path
) -> None:
    inventory = clone_history(tmp_path)
    flows = inventory / "flux" / "gestion.yaml"
    flows.write_text(
        flows.read_text(encoding="utf-8")
        + "  - source: met-rh\n    cible: sa-finances\n    donnee: ecritures-paie\n",
        encoding="utf-8",
    )
    result = run_cli("diagnostic", "-i", str(inventory))
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "Diagnostic d'architecture : HEAD → copie de travail"
    assert (
        f"{inventory}/flux/gestion.yaml:30: D701 [avertissement] flux met-rh → sa-finances "
        "(ecritures-paie) vers « sa-finances » (applications/saint-aubin.yaml:29), à retirer ; "
        "elle sera remplacée par « met-gf »"
    ) in lines
    assert "    correction : branchez le flux sur « met-gf »" in lines
    # the verdict first, right under the title and the date
    assert lines[2] == "Avis réservé : 0 constat bloquant, 1 avertissement, 0 information."


def test_library_call_matches_the_command(run_cli: RunCli) -> None:
    inventory = history()
    base = load_version("etape-6", inventory)
    proposed = load_version("etape-7", inventory)
    diagnostic = run_diagnostic(base, proposed, project="GMAO des Prés")
    assert diagnostic.verdict == "defavorable"
    assert [f.code for f in diagnostic.findings] == ["D102", "D501", "D601", "D801", "D952"]
    assert diagnostic.communes == ("les-pres",)
    assert diagnostic.summary == {
        "application": {"ajout": 1, "retrait": 0, "renommage": 0, "modification": 0}
    }
    assert diagnostic.proposed.root == "etape-7:inventory"

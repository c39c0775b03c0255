"""The rules one by one on small changes of the example, rule settings, and the outputs.

Each test copies the example métropole twice (base, proposed), changes the proposed copy, and
judges it: the directories stand for versions, no git needed.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import get_args
from xml.etree import ElementTree

import pytest
from support import RunCli
from support_suivi import EXAMPLE, append, edit

from cartographie.diagnostic import RULES, Diagnostic, exit_status, run_diagnostic, verdict_of
from cartographie.diagnostic.junit import diagnostic_junit
from cartographie.diagnostic.record import record_diagnostic
from cartographie.diagnostic.report import diagnostic_document
from cartographie.document.markdown import to_markdown
from cartographie.inventory import load_inventory
from cartographie.inventory.git import load_version
from cartographie.model.records import RuleCode

Edit = Callable[[Path], None]


def judge(
    tmp_path: Path,
    change: Edit,
    base_change: Edit | None = None,
    project: str | None = None,
    include_preexisting: bool = False,
) -> Diagnostic:
    base, proposed = tmp_path / "base", tmp_path / "propose"
    shutil.copytree(EXAMPLE, base)
    if base_change is not None:
        base_change(base)
    shutil.copytree(base, proposed)
    change(proposed)
    return run_diagnostic(
        load_version(str(base), base),
        load_version(str(proposed), proposed),
        project=project,
        include_preexisting=include_preexisting,
    )


def codes(diagnostic: Diagnostic) -> list[str]:
    return [finding.code for finding in diagnostic.findings]


def add_flow(text: str) -> Edit:
    return lambda root: append(root / "flux" / "gestion.yaml", text)


def add_application(owner_file: str, text: str) -> Edit:
    return lambda root: append(root / "applications" / owner_file, text)


def test_rule_codes_are_the_ones_the_loader_accepts() -> None:
    assert tuple(RULES) == get_args(RuleCode)
    assert [rule.severity for rule in RULES.values()].count("bloquant") == 6
    for rule in RULES.values():
        assert rule.code.startswith("D") and rule.name and rule.title and rule.fix


def test_no_change_no_finding(tmp_path: Path) -> None:
    diagnostic = judge(tmp_path, lambda root: None)
    assert diagnostic.findings == ()
    assert diagnostic.verdict == "favorable"


def test_d101_a_second_application_in_a_bloc_of_the_commune(tmp_path: Path) -> None:
    app = (
        "  - id: sa-police-bis\n    nom: Main courante bis\n    couche: metier\n"
        "    blocs: [proximite]\n    hebergement: poste\n"
    )
    diagnostic = judge(tmp_path, add_application("saint-aubin.yaml", app))
    # D952: it says neither what it costs nor the days it takes.
    assert codes(diagnostic) == ["D101", "D801", "D952"]
    finding = diagnostic.findings[0]
    assert finding.message == (
        "« sa-police-bis » (applications/saint-aubin.yaml:37) sert le bloc « Proximité » où "
        "Saint-Aubin-d'Auve utilise aussi « sa-police » (applications/saint-aubin.yaml:14)"
    )
    assert finding.objects == ("sa-police", "sa-police-bis")
    assert diagnostic.verdict == "reserve"


def test_d101_not_for_the_replacement_of_an_application_on_its_way_out(tmp_path: Path) -> None:
    def change(root: Path) -> None:
        edit(
            root / "applications" / "saint-aubin.yaml",
            "    hebergement: poste\n    secteurs_cnil: [polices-speciales-voirie]\n",
            "    hebergement: poste\n    secteurs_cnil: [polices-speciales-voirie]\n"
            "    cycle_de_vie: a-retirer\n    remplacee_par: sa-police-2\n",
        )
        append(
            root / "applications" / "saint-aubin.yaml",
            "  - id: sa-police-2\n    nom: Police municipale\n    couche: metier\n"
            "    blocs: [proximite]\n    hebergement: datacenter\n",
        )

    assert "D101" not in codes(judge(tmp_path, change))


def test_d402_personal_data_to_an_outside_body_without_consent(tmp_path: Path) -> None:
    flow = (
        "  - source: lp-portail-famille\n    cible: caf-cdap\n    donnee: quotient-familial\n"
        "    id: lp-caf-sans-consentement\n"
    )
    diagnostic = judge(tmp_path, add_flow(flow))
    assert codes(diagnostic) == ["D402"]
    assert diagnostic.findings[0].message.endswith("sans base de consentement indiquée")
    assert diagnostic.verdict == "reserve"


def test_d702_a_flow_with_a_retired_application_is_blocking(tmp_path: Path) -> None:
    flow = "  - source: vc-accueil\n    cible: met-gdu\n    donnee: demande-usager\n"
    diagnostic = judge(tmp_path, add_flow(flow))
    assert codes(diagnostic) == ["D702", "D201"]
    assert diagnostic.verdict == "defavorable"


def test_d702_also_when_the_change_retires_an_application_that_still_has_flows(
    tmp_path: Path,
) -> None:
    def retire(root: Path) -> None:
        edit(
            root / "applications" / "les-pres.yaml",
            "    couche: support\n    blocs: [maintenance]\n    hebergement: poste\n",
            "    couche: support\n    blocs: [maintenance]\n    hebergement: poste\n"
            "    cycle_de_vie: retiree\n",
        )

    diagnostic = judge(tmp_path, retire)
    assert codes(diagnostic) == ["D702"]
    assert diagnostic.findings[0].objects == ("lp-interventions", "met-gdu")


def test_d601_only_when_the_change_makes_the_saas_ungoverned(tmp_path: Path) -> None:
    def govern(root: Path) -> None:
        edit(
            root / "applications" / "ville-centre.yaml",
            "    hebergement: saas\n    responsable: Direction du patrimoine bâti\n",
            "    hebergement: saas\n    gouvernance: direction-metier\n"
            "    responsable: Direction du patrimoine bâti\n",
        )

    diagnostic = judge(tmp_path, govern)
    assert codes(diagnostic) == ["D601"]
    assert diagnostic.findings[0].objects == ("vc-gmao",)


def test_rule_settings_come_from_the_base(tmp_path: Path) -> None:
    rules = (
        "regles:\n  - code: D201\n    gravite: bloquant\n    motif: Le hub est obligatoire\n"
        "  - code: D801\n    active: false\n"
    )
    flow = "  - source: sa-gmao\n    cible: met-opendata\n    donnee: engagement\n"

    def base(root: Path) -> None:
        (root / "regles.yaml").write_text(rules, encoding="utf-8")

    diagnostic = judge(tmp_path, add_flow(flow), base)
    assert codes(diagnostic) == ["D201"]
    assert diagnostic.findings[0].severity == "bloquant"
    assert diagnostic.verdict == "defavorable"
    outcome = {o.code: o for o in diagnostic.outcomes}
    assert outcome["D801"].active is False
    assert outcome["D201"].reason == "Le hub est obligatoire"
    assert diagnostic.rules_source is not None and "regles.yaml" in diagnostic.rules_source


def test_a_change_cannot_loosen_the_rules_that_judge_it(tmp_path: Path) -> None:
    flow = "  - source: sa-gmao\n    cible: met-opendata\n    donnee: engagement\n"

    def change(root: Path) -> None:
        add_flow(flow)(root)
        (root / "regles.yaml").write_text("regles:\n  - code: D201\n    active: false\n", "utf-8")

    assert codes(judge(tmp_path, change)) == ["D201"]


def test_an_unknown_rule_code_in_regles_yaml_is_an_inventory_error(
    run_cli: RunCli, tmp_path: Path
) -> None:
    shutil.copytree(EXAMPLE, tmp_path / "inv")
    (tmp_path / "inv" / "regles.yaml").write_text(
        "regles:\n  - code: D103\n    gravite: info\n  - code: D201\n  - code: D201\n", "utf-8"
    )
    result = run_cli("valider", str(tmp_path / "inv"))
    assert result.exit_code == 1
    lines = result.stderr_lines
    assert lines[0].startswith(f"{tmp_path}/inv/regles.yaml:2: E203: code : « D103 »")
    assert "vouliez-vous dire « D101 » ?" in lines[0] or "D102" in lines[0]
    assert lines[1].startswith(f"{tmp_path}/inv/regles.yaml:5: E301: règle « D201 » déjà réglée")


def test_verdict_and_exit_status() -> None:
    assert verdict_of([]) == "favorable"
    assert [exit_status(v) for v in ("favorable", "reserve", "defavorable")] == [0, 0, 1]
    assert [exit_status(v, strict=True) for v in ("favorable", "reserve", "defavorable")] == [
        0,
        1,
        1,
    ]


def test_recorded_diagnostic_is_valid_inventory_yaml(tmp_path: Path) -> None:
    flow = "  - source: vc-accueil\n    cible: met-gdu\n    donnee: demande-usager\n"
    diagnostic = judge(
        tmp_path, add_flow(flow), project="Reprise de l'accueil", include_preexisting=True
    )
    proposed = tmp_path / "propose"
    written = record_diagnostic(diagnostic, proposed)
    assert written.relative_to(proposed).as_posix().startswith("diagnostics/")
    assert written.name.endswith("-reprise-de-l-accueil.yaml")
    again = record_diagnostic(diagnostic, proposed)
    assert again.name.endswith("-reprise-de-l-accueil-2.yaml")
    text = written.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../inventaire.schema.json\n")
    inventory = load_inventory(proposed)
    recorded = inventory.diagnostics[0]
    assert recorded.project == "Reprise de l'accueil"
    assert recorded.verdict == "defavorable"
    assert [f.code for f in recorded.findings if not f.preexisting] == ["D702", "D201"]
    assert any(f.preexisting for f in recorded.findings)
    assert [(c.kind, c.added) for c in recorded.summary] == [("flux", 1)]


def test_junit_has_a_case_per_failing_finding_and_one_per_quiet_rule(tmp_path: Path) -> None:
    rules = "regles:\n  - code: D601\n    active: false\n    motif: SaaS suivis à part\n"
    flow = "  - source: vc-accueil\n    cible: met-gdu\n    donnee: demande-usager\n"

    def base(root: Path) -> None:
        (root / "regles.yaml").write_text(rules, encoding="utf-8")

    diagnostic = judge(tmp_path, add_flow(flow), base)
    data = diagnostic_junit(diagnostic)
    assert data == diagnostic_junit(diagnostic)  # deterministic bytes
    root = ElementTree.fromstring(data)
    suite = root.find("testsuite")
    assert suite is not None
    cases = suite.findall("testcase")
    assert [case.get("name", "").split(" ")[0] for case in cases] == list(RULES)
    assert all(len(case.findall("failure")) <= 1 for case in cases)  # what every CI shows
    assert all(case.get("time") == "0" for case in cases)
    failures = {case.get("name", "")[:4]: case.findall("failure") for case in cases}
    assert len(failures["D201"]) == 1 and len(failures["D702"]) == 1
    assert failures["D702"][0].get("type") == "bloquant"
    assert (
        failures["D702"][0].get("message", "").startswith(f"{tmp_path}/propose/flux/gestion.yaml:")
    )
    skipped = [case for case in cases if case.find("skipped") is not None]
    assert [case.get("name", "")[:4] for case in skipped] == ["D601"]
    assert root.get("failures") == "2" and root.get("skipped") is None  # not in Jenkins' XSD
    assert suite.get("skipped") == "1"


def test_markdown_report_opens_with_the_verdict(tmp_path: Path) -> None:
    flow = "  - source: vc-accueil\n    cible: met-gdu\n    donnee: demande-usager\n"
    diagnostic = judge(tmp_path, add_flow(flow), project="Accueil")
    lines = to_markdown(diagnostic_document(diagnostic)).splitlines()
    assert lines[0].startswith("# Diagnostic d'architecture — Accueil : ")
    assert lines[4] == (
        "**Avis défavorable : 1 constat bloquant, 1 avertissement, 0 information.**"
    )
    assert lines[6] == "## Constats"
    assert lines[8] == "| Gravité | Règle | Constat | Emplacement | Correction |"
    assert lines[10].startswith("| bloquant | D702 | flux vc-accueil → met-gdu")
    assert any(line.startswith("<details><summary>Règles appliquées (18)") for line in lines)


@pytest.mark.parametrize("severity", ["bloquant", "avertissement", "info"])
def test_a_severity_override_sets_the_verdict(tmp_path: Path, severity: str) -> None:
    flow = "  - source: sa-gmao\n    cible: met-opendata\n    donnee: engagement\n"

    def base(root: Path) -> None:
        (root / "regles.yaml").write_text(
            f"regles:\n  - code: D201\n    gravite: {severity}\n", encoding="utf-8"
        )

    diagnostic = judge(tmp_path, add_flow(flow), base)
    expected = {"bloquant": "defavorable", "avertissement": "reserve", "info": "favorable"}
    assert diagnostic.verdict == expected[severity]


@pytest.mark.parametrize(
    ("before", "after", "shown"),
    [
        (0.3, 0.1, "30 % → 10 %"),
        (0.0, 0.0, "0 % → 0 %"),
        # 21 → 22 distinct applications for 22 → 23 use pairs: whole percents would say 5 → 5.
        (1 - 20 / 21, 1 - 21 / 22, "4,8 % → 4,5 %"),
    ],
)
def test_a_convergence_change_is_never_shown_as_no_change(
    before: float, after: float, shown: str
) -> None:
    from cartographie.diagnostic.rules import _pct_change

    assert _pct_change(before, after) == shown


MONEY_APP = (
    "  - id: met-formation\n    nom: Plateforme de formation des agents\n    couche: support\n"
    "    blocs: [rh]\n    utilisateurs: [metropole]\n    hebergement: saas\n"
    "    cout_annuel: 6000\n    jours_internes: 2.5\n"
)


def test_d901_states_the_yearly_cost_a_new_application_adds(tmp_path: Path) -> None:
    diagnostic = judge(tmp_path, add_application("metropole.yaml", MONEY_APP))
    assert codes(diagnostic) == ["D951"]
    finding = diagnostic.findings[0]
    assert finding.severity == "info"
    # 6 000 € paid out + 2,5 days × 420 € (the example's tjm) = 7 050 €; the métropole's
    # application in the bloc rh is re-invoiced to the communes of the domain.
    assert finding.message == (
        "« met-formation » (applications/metropole.yaml:81) ajoute 7\u202f050\u00a0€ par an "
        "(cout_annuel 6\u202f000\u00a0€ + 2,5 jours internes × 420\u00a0€) au coût du "
        "patrimoine ; refacturé aux communes adhérentes du domaine « ressources-humaines »"
    )
    assert diagnostic.verdict == "favorable"  # information, not a reserve


def test_d902_a_new_application_without_any_cost(tmp_path: Path) -> None:
    app = MONEY_APP.replace("    cout_annuel: 6000\n    jours_internes: 2.5\n", "")
    diagnostic = judge(tmp_path, add_application("metropole.yaml", app))
    assert codes(diagnostic) == ["D952"]
    assert diagnostic.findings[0].message == (
        "« met-formation » (applications/metropole.yaml:81) n'a ni cout_annuel ni "
        "jours_internes : son coût est inconnu, et les rapports le compteront à part"
    )
    assert diagnostic.verdict == "reserve"


def test_d901_without_cost_parameters_values_no_day(tmp_path: Path) -> None:
    def without_costs(root: Path) -> None:
        (root / "referentiel" / "couts.yaml").unlink()

    diagnostic = judge(tmp_path, add_application("metropole.yaml", MONEY_APP), without_costs)
    assert diagnostic.findings[0].message.startswith(
        "« met-formation » (applications/metropole.yaml:81) ajoute au moins 6\u202f000\u00a0€ par "
        "an (cout_annuel 6\u202f000\u00a0€ ; 2,5 jours internes non valorisés : pas de tjm "
        "(referentiel/couts.yaml))"
    )

"""One meaning per word: every figure whose definition issue 11 fixed, computed by hand on the
small inventory ``fixtures/one-meaning/`` (the computation in each test's comments).

The inventory, in short. Two communes engaged, Amont (ville centre) and Aval, out of four: Le Gué
and Le Pont are named, without applications. Two sectors: rive droite (Amont's right bank, Aval)
and rive gauche (Amont's left bank, Le Gué). Data centres A and B back each other up.

Applications (owner: users), by bloc — « video » is a sub-bloc of « proximite »:
  finances          met-finances (métropole: amont, aval), amont-finances-ancien (retired),
                    aval-finances (aval)
  grc               met-grc (métropole: amont, aval), amont-grc (amont)
  proximite         amont-police (amont: amont, aval), in A, hors secours
  video             amont-video (amont), in A; amont-cameras-mobiles (amont)
  echanges          met-hub (the hub), in B
  donnees-ouvertes  met-opendata (the métropole alone)
  vide              nothing
  caf-cdap and dgfip-payfip belong to outside bodies.

Flows:
  f1 met-grc → caf-cdap             demande (personal), tacite, since 2012
  f2 dgfip-payfip → met-grc         paiement (personal)
  f3 amont-video → amont-police     images (personal)
  f4 amont-cameras-mobiles → amont-video   images
  f5 amont-grc → met-grc via met-hub       demande
  f6 aval-finances → met-finances   ecriture
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from support import FIXTURES, RunCli
from support_suivi import append, commit, edit, git

from cartographie.analysis.cnil import cnil_report
from cartographie.analysis.stats import compute_stats, engaged_communes
from cartographie.diagnostic import run_diagnostic
from cartographie.diff import diff_inventories
from cartographie.document.markdown import to_markdown
from cartographie.graph import Portfolio
from cartographie.inventory import load_inventory
from cartographie.inventory.git import load_version
from cartographie.journal import build_journal
from cartographie.reports.flows import flows_document
from cartographie.views.common import MapOptions
from cartographie.views.pos import build_pos_map
from cartographie.views.process import build_process_map

ONE_MEANING = FIXTURES / "one-meaning"
F1 = """  - source: met-grc
    cible: caf-cdap
    donnee: demande
    consentement: tacite
    depuis: 2012
"""


@pytest.fixture(scope="module")
def portfolio() -> Portfolio:
    return Portfolio(load_inventory(ONE_MEANING))


# --- stats -----------------------------------------------------------------------------------


def test_a_communes_applications_are_its_own_plus_its_shared_ones(portfolio: Portfolio) -> None:
    stats = compute_stats(portfolio)
    rows = {row.commune: row for row in stats.per_commune}
    # Amont uses met-finances, met-grc, amont-police (shared: the métropole's two, and the one
    # it owns and shares with Aval), amont-video, amont-cameras-mobiles, amont-grc (its own),
    # and amont-finances-ancien (retired: apart, as in convergence): 3 + 3 = 6 in service.
    amont = rows["amont"]
    assert (amont.applications, amont.own, amont.shared, amont.retired) == (6, 3, 3, 1)
    # Aval: met-finances, met-grc, amont-police (shared) and aval-finances (its own): 1 + 3 = 4.
    aval = rows["aval"]
    assert (aval.applications, aval.own, aval.shared, aval.retired) == (4, 1, 3, 0)
    for row in stats.per_commune:
        assert row.own + row.shared == row.applications
        assert sum(row.by_layer.values()) == row.applications
    # Amont in service by layer: met-grc, amont-grc (interface); amont-police, amont-video,
    # amont-cameras-mobiles (metier); met-finances (support).
    assert amont.by_layer == {"interface": 2, "metier": 3, "support": 1}


def test_the_summary_counts_records_in_service_and_use_pairs(portfolio: Portfolio) -> None:
    stats = compute_stats(portfolio)
    # 10 applications of the portfolio (the 2 of outside bodies apart), 1 retired: 9 in service.
    assert (stats.applications, stats.retired, stats.in_service) == (10, 1, 9)
    assert stats.external_applications == 2
    # Shared in service: met-finances, met-grc, met-hub, met-opendata (the métropole's) and
    # amont-police (two communes) = 5. Use pairs: Amont 6 + Aval 4 = 10.
    assert (stats.shared_applications, stats.use_pairs) == (5, 10)
    # 6 flows, 1 through the hub (f5).
    assert (stats.flows, stats.flows_via_hub, stats.hub_share) == (6, 1, pytest.approx(1 / 6))


def test_the_territory_in_stats(portfolio: Portfolio) -> None:
    stats = compute_stats(portfolio)
    # 2 engaged + 2 others = 4.
    assert (stats.communes, stats.communes_of_metropole) == (2, 4)
    assert engaged_communes(portfolio.inventory) == "2 communes engagées sur 4"
    assert stats.other_communes == ["Le Gué", "Le Pont"]
    # finances joined in 2016 (Amont) and 2019 (Aval); relation in 2020 (Amont alone).
    assert [(row.domain, row.communes, row.first, row.last) for row in stats.domains] == [
        ("finances", 2, 2016, 2019),
        ("relation", 1, 2020, 2020),
    ]
    assert [row.described_areas() for row in stats.sectors] == [
        ("Amont (rive droite)", "Aval"),
        ("Amont (rive gauche)", "Le Gué"),
    ]
    # A hosts met-finances, amont-police (hors secours), amont-video; B hosts met-hub and
    # amont-grc; each backs the other up.
    assert [
        (row.datacenter, row.backup, row.applications, row.without_backup)
        for row in stats.datacenters
    ] == [("dc-a", "dc-b", 3, 1), ("dc-b", "dc-a", 2, 0)]


def test_stats_command_prints_the_split_and_the_territory(run_cli: RunCli) -> None:
    run = run_cli("stats", str(ONE_MEANING))
    assert run.exit_code == 0, run.stderr
    rows = [
        [cell.strip() for cell in line.strip("│").split("│")]
        for line in run.stdout.splitlines()
        if line.startswith("│")
    ]
    assert "2 communes engagées sur 4, 10 applications, 6 flux." in run.stdout
    assert ["Communes engagées", "2", "—"] in rows
    assert ["Communes de la métropole", "4", "—"] in rows
    assert ["Amont", "6", "3", "3", "2", "3", "1", "1"] in rows
    assert ["Salle A", "Salle B", "3", "1"] in rows
    assert "Autres communes de la métropole (sans applications) : Le Gué, Le Pont." in run.stdout
    data = json.loads(run_cli("stats", "-f", "json", str(ONE_MEANING)).stdout)
    assert data["communes_metropole"] == 4
    assert data["par_commune"][0]["retirees"] == 1


# --- rapport flux ----------------------------------------------------------------------------


def test_a_blocs_flows_include_its_sub_blocs(portfolio: Portfolio) -> None:
    rows = {
        row["cle"]: (row["flux"], row["via_hub"], row["part_hub"])
        for row in flows_document(portfolio).table("blocs").records()
    }
    # proximite: f3 (its amont-police) and f4 (both ends in its sub-bloc video) = 2, as
    # convergence and impact count a bloc with its sub-blocs; video: f3, f4 = 2.
    assert rows["proximite"] == (2, 0, 0.0)
    assert rows["video"] == (2, 0, 0.0)
    # grc: f1, f2, f5 (met-grc or amont-grc at an end), 1 via the hub: 1/3.
    assert rows["grc"] == (3, 1, 0.3333)
    # No flow has an end in these blocs (the hub relays f5 but is no end of it): no share.
    assert rows["vide"] == (0, 0, None)
    assert rows["echanges"] == (0, 0, None)
    assert rows["donnees-ouvertes"] == (0, 0, None)


def test_no_share_reads_as_a_dash_not_zero(portfolio: Portfolio) -> None:
    text = to_markdown(flows_document(portfolio).only(["blocs"]))
    line = next(line for line in text.splitlines() if line.startswith("| Bloc sans application |"))
    assert line.rstrip().endswith("| — |")
    assert "0,00" not in line


# --- rapport cnil ----------------------------------------------------------------------------


def test_exits_are_personal_data_leaving_entries_are_listed_apart(portfolio: Portfolio) -> None:
    report = cnil_report(portfolio)
    # f1 leaves (portfolio -> CAF) on tacit consent since 2012: not compliant.
    assert [(item.flow.key, item.consent, item.compliant) for item in report.leaving] == [
        ("met-grc>caf-cdap:demande", "tacite", False)
    ]
    assert report.leaving[0].flow.since == 2012
    # f2 comes in (PayFiP -> the GRC): listed apart, never judged as an exit.
    assert [(item.flow.key, item.partner) for item in report.incoming] == [
        ("dgfip-payfip>met-grc:paiement", "dgfip")
    ]


def test_the_cnil_report_shows_since_when(run_cli: RunCli) -> None:
    run = run_cli("rapport", "cnil", "-i", str(ONE_MEANING), "-f", "csv", "-t", "sorties")
    assert run.exit_code == 0, run.stderr
    header, row = run.stdout.splitlines()[:2]
    assert "depuis" in header.split(";") or "depuis" in header.split(",")
    assert "2012" in row and "tacite" in row
    entries = run_cli("rapport", "cnil", "-i", str(ONE_MEANING), "-f", "csv", "-t", "entrees")
    assert "dgfip-payfip" in entries.stdout and "caf-cdap" not in entries.stdout


# --- a shared application's flow with an outside body ---------------------------------------


def test_a_shared_apps_flow_to_an_outside_body_belongs_to_its_communes(tmp_path: Path) -> None:
    base, proposed = tmp_path / "base", tmp_path / "propose"
    shutil.copytree(ONE_MEANING, proposed)
    shutil.copytree(ONE_MEANING, base)
    edit(base / "flux" / "flux.yaml", F1, "")
    changes = diff_inventories(load_inventory(base), load_inventory(proposed))
    # The only change: f1, from met-grc (used by Amont and Aval) to the CAF's application.
    (change,) = changes.changes
    assert change.communes == ("amont", "aval", "metropole")
    assert changes.touching_commune("aval").changes == (change,)
    diagnostic = run_diagnostic(
        load_version(str(base), base), load_version(str(proposed), proposed)
    )
    assert diagnostic.communes == ("amont", "aval", "metropole")
    # Tacit consent for personal data leaving (D401), point to point for a data object the hub
    # already distributes (f5; D201).
    assert sorted(finding.code for finding in diagnostic.findings) == ["D201", "D401"]


def test_the_journal_of_a_commune_shows_the_shared_apps_new_flow(tmp_path: Path) -> None:
    repo = tmp_path / "depot"
    inventory = repo / "inventory"
    shutil.copytree(ONE_MEANING, inventory)
    edit(inventory / "flux" / "flux.yaml", F1, "")
    git(tmp_path, "init", "-q", "-b", "main", str(repo))
    commit(repo, "Inventaire", "v1", 1)
    append(inventory / "flux" / "flux.yaml", F1)
    commit(repo, "Les demandes de la GRC envoyées à la CAF", "v2", 2)
    journal = build_journal(inventory, commune="aval")
    assert [entry.title for entry in journal.entries] == [
        "Les demandes de la GRC envoyées à la CAF",
        "Inventaire",
    ]


# --- diagnostic --tout -----------------------------------------------------------------------


def test_one_duplication_is_reported_once(tmp_path: Path) -> None:
    """With --tout every use is new. Amont has mutualised grc (2020) and keeps amont-grc: D102
    on amont-grc; the same pair seen from met-grc (D101: Amont also uses amont-grc) is silent.
    Aval has mutualised finances (2019) and keeps aval-finances: D102, and D101 on met-finances
    is silent. amont-video and amont-cameras-mobiles both serve video for Amont: one D101, on
    the id that sorts last. amont-finances-ancien is retired: no duplicate."""
    base = tmp_path / "base"
    shutil.copytree(ONE_MEANING, base)
    version = load_version(str(base), base)
    diagnostic = run_diagnostic(version, version, include_preexisting=True)
    found = sorted(
        (finding.code, dict(finding.subject)["application"], dict(finding.subject)["commune"])
        for finding in diagnostic.preexisting
        if finding.code in ("D101", "D102")
    )
    assert found == [
        ("D101", "amont-video", "amont"),
        ("D102", "amont-grc", "amont"),
        ("D102", "aval-finances", "aval"),
    ]


# --- the POS and the sectors' map -------------------------------------------------------------


def test_a_bloc_with_one_application_is_converged_on_the_pos(portfolio: Portfolio) -> None:
    view = build_pos_map(portfolio, "pos", MapOptions())
    heat = {node.id: node.heat for node in view.nodes}
    # donnees-ouvertes: 1 application, used by the métropole alone: N = 0 ≤ 1, rate 1.
    assert heat["bloc:donnees-ouvertes"] == 1.0
    assert "convergence 100\u202f%" in view.node("bloc:donnees-ouvertes").label
    # finances: N = 3 pairs (met-finances × 2, aval-finances), A = 2: 1 − 1/2 = 0.5.
    assert heat["bloc:finances"] == 0.5
    # vide: no application at all.
    assert heat["bloc:vide"] is None
    assert "2 communes engagées sur 4" in view.subtitle


def test_the_treatment_step_has_one_lane_per_sector(portfolio: Portfolio) -> None:
    view = build_process_map(portfolio, "demandes", MapOptions())
    (step,) = [cluster for cluster in view.clusters if cluster.id == "etape:traitement"]
    # Declared bottom to top (the order the embedded Graphviz stacks them): the step's header
    # last, on top; the lanes by sector name from the top down.
    lanes = [child for child in reversed(step.children) if "couloir" in child.tags]
    assert [lane.id for lane in lanes] == [
        "couloir:traitement:rive-droite",
        "couloir:traitement:rive-gauche",
    ]
    assert step.children[-1].id == "tete:traitement"
    right, left = lanes
    # Each lane opens with its sector and the communes it serves.
    assert view.node(right.nodes[0]).label[0] == "Secteur rive droite"
    assert "Amont (rive droite), Aval" in " ".join(view.node(right.nodes[0]).label)
    # The step's bloc proximite (with video below it) holds amont-police, shared by Amont and
    # Aval — every engaged commune the sectors serve: drawn once, above the lanes — and
    # Amont's own applications, drawn in both of Amont's lanes; Aval has none of its own.
    head = step.children[-1]
    assert [node_id for node_id in head.nodes if "amont-police" in node_id] == [
        "app:amont-police@traitement"
    ]
    assert "commune:amont@traitement@rive-droite" in right.nodes
    assert "commune:amont@traitement@rive-gauche" in left.nodes
    assert not any("aval" in node_id for node_id in (*right.nodes, *left.nodes))


# --- the atlas --------------------------------------------------------------------------------


def test_the_atlas_says_who_is_engaged_and_what_backs_what_up(
    portfolio: Portfolio, tmp_path: Path
) -> None:
    from cartographie.atlas import AtlasOptions, build_atlas

    result = build_atlas(portfolio, tmp_path / "atlas", AtlasOptions(jobs=1))
    assert result.failures == []
    index = (tmp_path / "atlas" / "index.html").read_text(encoding="utf-8")
    assert "2 communes engagées sur 4" in index
    assert "Le Gué, Le Pont" in index
    assert "Secteur rive droite — Amont (rive droite) ; Aval" in index
    # Salle A: met-finances, amont-police (hors secours), amont-video.
    assert "Salle A (Amont) — 3 applications en service ; secouru par : Salle B ; 1 " in index
    page = next((tmp_path / "atlas").rglob("amont-police.html")).read_text(encoding="utf-8")
    assert "hors secours" in page
    page = next((tmp_path / "atlas").rglob("amont-video.html")).read_text(encoding="utf-8")
    assert "Centre de secours" in page and "Salle B" in page

"""Every cost figure of DESIGN.md §10 on ``tests/fixtures/couts``, computed by hand.

The fixture: tjm 450 €, cout_interface 2 000 €, cout_operation 5 000 €. Full costs
(cout_annuel + jours_internes × 450):

    met-gf        30 000 + 20 × 450 = 39 000      alp-ec     4 000 + 2 × 450 = 4 900
    met-rh        20 000 + 10 × 450 = 24 500      alp-dem    1 500
    met-annuaire  10 000                          alp-tableur  inconnu (ni l'un ni l'autre)
    met-portail    1 000                          bet-ec     2 500
    met-gdu       12 000 +  5 × 450 = 14 250      bet-urba   3 × 450 = 1 350 (jours seuls)
    met-sig        8 000                          gam-ec     inconnu
    met-cadastre   2 000                          gam-ancien retirée : hors du compte
    met-hub        inconnu

Total: 39 000 + 24 500 + 10 000 + 1 000 + 14 250 + 8 000 + 2 000 + 4 900 + 1 500 + 2 500
+ 1 350 = 109 000 €, 3 coûts inconnus (met-hub, alp-tableur, gam-ec).
"""

from __future__ import annotations

import shutil
from fractions import Fraction
from functools import cache
from pathlib import Path

import pytest

from cartographie.analysis.allocation import largest_remainder
from cartographie.analysis.costs import (
    CostModel,
    CostSum,
    MissingCostParametersError,
    full_cost,
    reconcile,
)
from cartographie.analysis.dispersion import block_dispersion
from cartographie.analysis.rebilling import rebilling, year_model
from cartographie.document.formats import render
from cartographie.graph import Portfolio
from cartographie.inventory import load_inventory
from cartographie.reports.costs import costs_document
from tests.support_reports import by_key

COUTS = Path(__file__).parent / "fixtures" / "couts"


@cache
def model() -> CostModel:
    return CostModel(Portfolio(load_inventory(COUTS)))


def test_full_cost_of_each_application() -> None:
    costs = model().costs
    assert costs["met-gf"] == 3_900_000  # 30 000 € + 20 j × 450 €, in cents
    assert costs["met-gdu"] == 1_425_000  # 12 000 + 5 × 450
    assert costs["bet-urba"] == 135_000  # days alone: 3 × 450
    assert costs["alp-dem"] == 150_000  # paid out alone
    assert costs["met-hub"] is None  # neither field: unknown, never 0
    assert "gam-ancien" not in costs  # retired: not in service


def test_half_days_and_hundredths_are_exact() -> None:
    application = model().portfolio.inventory.applications["met-gf"].model_copy(
        update={"internal_days": 0.01, "annual_cost": None}
    )
    # 0.01 day × 450 € = 4,50 €
    assert full_cost(application, model().parameters) == 450


def test_total_counts_unknown_costs_apart() -> None:
    assert model().total() == CostSum(10_900_000, 3)


def test_costs_by_owner() -> None:
    # métropole: 39 000 + 24 500 + 10 000 + 1 000 + 14 250 + 8 000 + 2 000 = 98 750, met-hub
    # unknown; Alpha 4 900 + 1 500 = 6 400, alp-tableur unknown; Bêta 2 500 + 1 350; Gamma:
    # only gam-ec, unknown.
    assert model().owned("metro") == CostSum(9_875_000, 1)
    assert model().owned("alpha") == CostSum(640_000, 1)
    assert model().owned("beta") == CostSum(385_000, 0)
    assert model().owned("gamma") == CostSum(0, 1)


def test_domain_costs_split_shared_applications_to_the_cent() -> None:
    costs = model().domain_costs
    # met-portail (1 000 €) serves finances, rh and socle: 100 000 cents / 3 = 33 333,33…;
    # floors 33 333 × 3 = 99 999, the cent left goes to the smallest domain id, finances.
    portail = {
        domain: next(s.cents for s in cost.applications if s.application == "met-portail")
        for domain, cost in costs.items()
        if any(s.application == "met-portail" for s in cost.applications)
    }
    assert portail == {"finances": 33_334, "rh": 33_333, "socle": 33_333}
    # met-annuaire (10 000 €) serves rh and socle: 5 000 € each.
    # finances: 39 000 + 333,34 + frais 10 000 = 49 333,34 €
    assert costs["finances"].total == CostSum(4_933_334, 0)
    # rh: 24 500 + 5 000 + 333,33 = 29 833,33 €, no frais
    assert costs["rh"].total == CostSum(2_983_333, 0)
    assert not costs["rh"].overhead_declared
    # socle: 5 000 + 333,33 + frais 3 000 = 8 333,33 €
    assert costs["socle"].total == CostSum(833_333, 0)
    # relation: met-gdu 14 250 + frais 1 = 14 251 € ; sig: met-sig 8 000 + met-cadastre 2 000
    assert costs["relation"].total == CostSum(1_425_100, 0)
    assert costs["sig"].total == CostSum(1_000_000, 0)
    # met-hub is in no domain's bloc: in no domain.
    assert all(s.application != "met-hub" for c in costs.values() for s in c.applications)


def test_dispersion_of_etat_civil() -> None:
    item = block_dispersion(model(), "etat-civil")
    # A_b: alp-ec, bet-ec, gam-ec (gam-ancien is retired). No shared application; each has one
    # use pair: the reference is the smallest id, alp-ec.
    assert item.applications == ("alp-ec", "bet-ec", "gam-ec")
    assert (item.reference, item.reference_is_shared) == ("alp-ec", False)
    # Term 1: Σ − cout(alp-ec) = bet-ec 2 500 + gam-ec unknown.
    assert item.others_cost == CostSum(250_000, 1)
    # Term 2: « acte » goes point to point alp→bet, bet→gam, gam→alp, alp→gam: E = 4 among
    # V = 3 applications, 1 too many × 2 000 €; « naissance » goes via the hub: not counted.
    assert [(d.data, d.flows, d.applications, d.excess) for d in item.data] == [
        ("acte", 4, 3, 1)
    ]
    assert item.interface_cost == 200_000
    # Term 3: (3 − 1) × 5 000 €.
    assert item.operation_cost == 1_000_000
    # Total: at least 2 500 + 2 000 + 10 000 = 14 500 €, one unknown.
    assert item.dispersion_cost == CostSum(1_450_000, 1)


def test_dispersion_with_a_shared_reference() -> None:
    item = block_dispersion(model(), "demandes")
    # Pairs: (alpha, met-gdu), (beta, met-gdu), (alpha, alp-dem), (alpha, alp-tableur): N = 4,
    # A = 3; met-gdu is shared: the reference, whatever its cost (14 250 €).
    assert (item.use_pairs, item.reference, item.reference_is_shared) == (4, "met-gdu", True)
    assert item.reference_cost == 1_425_000
    # Term 1: alp-dem 1 500 + alp-tableur unknown. Term 2: « demande » alp-dem→met-gdu,
    # alp-tableur→met-gdu, alp-dem→alp-tableur: E = 3, V = 3, nothing too many.
    assert item.others_cost == CostSum(150_000, 1)
    assert item.interface_cost == 0
    assert item.dispersion_cost == CostSum(150_000 + 1_000_000, 1)
    # urbanisme: met-sig (2 communes) beats met-cadastre (1) as the shared reference;
    # 2 000 + 1 350 + (3 − 1) × 5 000 = 13 350 €.
    urbanisme = block_dispersion(model(), "urbanisme")
    assert urbanisme.reference == "met-sig"
    assert urbanisme.dispersion_cost == CostSum(1_335_000, 0)


def test_reconciliation() -> None:
    found = reconcile(model())
    assert found is not None
    # Σ cout_annuel: 30 000 + 20 000 + 10 000 + 1 000 + 12 000 + 8 000 + 2 000 + 4 000 + 1 500
    # + 2 500 = 91 000 €; without one: met-hub, alp-tableur, bet-urba, gam-ec.
    assert found.paid_out == CostSum(9_100_000, 4)
    assert found.overheads == 1_300_100  # 10 000 + 3 000 + 1
    assert found.outside_amount == 5_000_000
    # Explained 91 000 + 13 001 + 50 000 = 154 001 € of 300 000: 145 999 € left.
    assert found.gap == 14_599_900
    # Days: 20 + 10 + 5 + 2 + 3 = 40 internal, 100 + 150 outside, of 2 × 205 = 410.
    assert (found.internal_days, found.without_days) == (4_000, 9)
    assert (found.accounted_days, found.staff_days, found.days_gap) == (29_000, 41_000, 12_000)


def test_rebilling_shares_add_up_to_the_cent() -> None:
    result = rebilling(year_model(model(), 2025), 2025)
    shares = {d.domain: {line.commune: line.cents for line in d.lines} for d in result.domains}
    # finances, by population 30 000 / 10 000 / 5 000 of 4 933 334 cents:
    # Alpha ×2/3 = 3 288 889,33; Bêta ×2/9 = 1 096 296,44; Gamma ×1/9 = 548 148,22. Floors
    # add up to 4 933 333: the cent left goes to the largest remainder, Bêta (0,44).
    assert shares["finances"] == {"alpha": 3_288_889, "beta": 1_096_297, "gamma": 548_148}
    # rh, by agents 600 / 150 of 2 983 333: 2 386 666,4 and 596 666,6; the cent to Gamma.
    assert shares["rh"] == {"alpha": 2_386_666, "gamma": 596_667}
    # socle, {population 50, forfait 50} between Bêta and Gamma, normalised shares:
    # Bêta ½ × 10 000/15 000 + ½ × ½ = 7/12, Gamma 5/12 of 833 333: 486 110,92 and
    # 347 222,08; the cent to Bêta.
    assert shares["socle"] == {"beta": 486_111, "gamma": 347_222}
    # relation, forfait among three of 1 425 100: 475 033,33 each; a tie, the cent to the
    # smallest commune id, Alpha.
    assert shares["relation"] == {"alpha": 475_034, "beta": 475_033, "gamma": 475_033}
    # sig, by usage: Alpha uses met-sig and met-cadastre (2), Bêta met-sig (1) of 1 000 000:
    # 666 666,67 and 333 333,33; the cent to Alpha.
    assert shares["sig"] == {"alpha": 666_667, "beta": 333_333}
    for domain in result.domains:
        assert domain.billed == domain.total.cents
    # What each commune pays, every domain together.
    assert result.commune_total("alpha") == CostSum(3_288_889 + 2_386_666 + 475_034 + 666_667)
    assert result.commune_total("gamma") == CostSum(548_148 + 596_667 + 347_222 + 475_033)


def test_costs_report_tables() -> None:
    document = costs_document(model(), rebilling(year_model(model(), 2025), 2025))
    communes = by_key(document, "communes", "organisation")
    # Alpha owns 6 400 € (+ alp-tableur unknown), pays 68 172,56 €.
    assert (communes["alpha"]["possede"], communes["alpha"]["possede_inconnus"]) == (6400, 1)
    assert communes["alpha"]["refacture"] == 68172.56
    assert communes["alpha"]["total"] == 74572.56
    # The métropole carries its applications and the domains' frais: 98 750 + 13 001 =
    # 111 751 €, and re-invoices all of it: 0 € left, met-hub unknown.
    assert communes["metro"]["possede"] == 111751
    assert communes["metro"]["refacture"] == -111751
    assert (communes["metro"]["total"], communes["metro"]["total_inconnus"]) == (0, 1)
    blocks = by_key(document, "blocs", "bloc")
    assert blocks["etat-civil"]["dispersion"] == 14500
    assert blocks["etat-civil"]["terme_interfaces"] == 2000
    assert "echanges" not in blocks  # no application: no dispersion
    domains = by_key(document, "domaines", "domaine")
    assert domains["socle"]["cle"] == "population 50\u202f%, forfait 50\u202f%"
    assert domains["rh"]["frais"] is None
    budget = by_key(document, "budget", "poste")
    assert budget["Écart (budget − total expliqué)"]["montant"] == 145999
    assert document.summary[0].text == (
        "Coût complet des 14 applications en service : au moins 109\u202f000\u00a0€, 3 coûts "
        "inconnus par an."
    )


def test_people_read_partial_sums_machines_get_both_columns() -> None:
    document = costs_document(model(), rebilling(year_model(model(), 2025), 2025), "commune")
    markdown = render(document, "markdown")
    assert "au moins 6\u202f400\u00a0€, 1 coût inconnu" in markdown
    csv = render(document, "csv")
    assert isinstance(csv, str)
    header = csv.splitlines()[0]
    assert "possede_inconnus" in header
    html = render(document, "html")
    assert "au moins 6\u202f400\u00a0€, 1 coût inconnu" in str(html)


def test_views_keep_the_summary_and_the_reconciliation() -> None:
    document = costs_document(model(), rebilling(year_model(model(), 2025), 2025), "editeur")
    assert [table.name for table in document.tables] == ["editeurs", "budget", "effectifs"]
    vendors = by_key(document, "editeurs", "editeur")
    # Arpège: alp-ec 4 900 + bet-ec 2 500.
    assert vendors["arpege"]["cout"] == 7400


def test_cost_parameters_are_required(tmp_path: Path) -> None:
    shutil.copytree(COUTS, tmp_path / "inventaire")
    (tmp_path / "inventaire" / "referentiel" / "couts.yaml").unlink()
    with pytest.raises(MissingCostParametersError) as raised:
        CostModel(Portfolio(load_inventory(tmp_path / "inventaire")))
    assert "couts.yaml" in raised.value.hint


def test_largest_remainder_ties_go_to_the_smaller_id() -> None:
    assert largest_remainder(2, {"b": Fraction(1), "a": Fraction(1), "c": Fraction(1)}) == {
        "a": 1,
        "b": 1,
        "c": 0,
    }


def test_costs_are_declared_once_and_each_outside_item_says_something(tmp_path: Path) -> None:
    from cartographie.inventory import validate_inventory

    shutil.copytree(COUTS, tmp_path / "inventaire")
    (tmp_path / "inventaire" / "couts-bis.yaml").write_text(
        "couts:\n  tjm: 500\n  cout_interface: 1\n  cout_operation: 1\n"
        "  dsi:\n    budget: 1\n    agents: 1\n    hors_inventaire:\n      - nom: Rien\n",
        encoding="utf-8",
    )
    result = validate_inventory(tmp_path / "inventaire")
    problems = [problem.format() for problem in result.problems]
    assert problems == [
        "couts-bis.yaml:2: E301: deuxième section « couts » (celle de l'inventaire est en "
        "referentiel/couts.yaml:2) (les paramètres de coût se déclarent une fois, dans "
        "referentiel/couts.yaml : fusionnez les deux)",
        "couts-bis.yaml:9: E206: hors_inventaire n° 1 : invalide dans les paramètres de coût (un "
        "poste hors inventaire donne un montant, des jours, ou les deux)",
    ]

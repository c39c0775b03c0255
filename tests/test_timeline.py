"""The portfolio at a date (DESIGN.md §11), on the ``timeline`` fixture, figures by hand.

The fixture's story (tests/fixtures/timeline): the métropole's ``met-finances`` (in service 2016)
is the target of the chantier ``convergence-finances`` (2016–2027) with waves 2016 [nord],
2018 [sud], 2027 [ouest]; est joins the finances domain by adhesion in 2017 and leaves it in 2021
(``jusqu_a``) for its own ``est-compta`` (2021). The communes' own finance applications:

    nord-finances   2010 – 2016          (retiree)
    est-finances    2011 – 2017          (retiree)
    sud-finances    2012 – 2018-07-01    (retiree, remplacee_par met-finances)
    ouest-finances  2014 – 2027          (a-retirer)
    est-compta      2021 –
    met-finances    2016 –               utilisateurs [nord, sud, est]; ouest by its wave

plus ``nord-etat-civil`` (no dates: always there) and ``sud-archives`` (retiree, no retrait:
never there).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from support import FIXTURES

from cartographie.analysis.convergence import block_convergence, commune_mutualisation
from cartographie.errors import InventoryError
from cartographie.graph import Portfolio
from cartographie.inventory import load_inventory
from cartographie.model.asof import as_of, as_of_year, latest_date, use_periods
from cartographie.model.dates import (
    day_of,
    earliest,
    is_present,
    parse_moment,
    reached,
    show_date,
    show_moment,
)
from cartographie.model.inventory import Inventory

TIMELINE = FIXTURES / "timeline"


@pytest.fixture(scope="module")
def inventory() -> Inventory:
    return load_inventory(TIMELINE)


def _pairs(inventory: Inventory, moment: dt.date, block: str = "finances") -> list[str]:
    portfolio = Portfolio(as_of(inventory, moment))
    return [f"{pair.commune}:{pair.application}" for pair in portfolio.use_pairs(block)]


# --- the date type ------------------------------------------------------------------------------


def test_a_year_stands_for_the_first_of_january() -> None:
    assert day_of(2019) == dt.date(2019, 1, 1)
    assert day_of(dt.date(2019, 7, 1)) == dt.date(2019, 7, 1)
    assert reached(2019, dt.date(2019, 1, 1))
    assert not reached(2019, dt.date(2018, 12, 31))
    assert not reached(None, dt.date(2100, 1, 1))


def test_presence_is_start_included_end_excluded() -> None:
    assert is_present(2016, 2019, dt.date(2016, 1, 1))
    assert is_present(2016, 2019, dt.date(2018, 12, 31))
    assert not is_present(2016, 2019, dt.date(2019, 1, 1))  # retired in 2019: gone that year
    assert not is_present(2016, None, dt.date(2015, 12, 31))
    assert is_present(None, None, dt.date(1950, 1, 1))
    assert is_present(None, dt.date(2018, 7, 1), dt.date(2018, 6, 30))
    assert not is_present(None, dt.date(2018, 7, 1), dt.date(2018, 7, 1))


def test_earliest_compares_by_the_day_each_stands_for() -> None:
    assert earliest([dt.date(2018, 3, 1), 2018, 2019]) == 2018
    assert earliest([dt.date(2017, 12, 31), 2018]) == dt.date(2017, 12, 31)
    assert earliest([]) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2028", dt.date(2028, 1, 1)),
        ("2028-06", dt.date(2028, 6, 1)),
        ("2028-06-30", dt.date(2028, 6, 30)),
        (" 2016 ", dt.date(2016, 1, 1)),
    ],
)
def test_parse_moment(text: str, expected: dt.date) -> None:
    assert parse_moment(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("28", "attendu AAAA, AAAA-MM ou AAAA-MM-JJ"),
        ("2028-13", "ce jour n'existe pas"),
        ("2028-02-30", "ce jour n'existe pas"),
        ("1900", "hors de 1950–2100"),
        ("demain", "attendu AAAA"),
    ],
)
def test_parse_moment_refuses_with_a_french_message(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_moment(text)


def test_dates_show_as_written() -> None:
    assert show_date(2019) == "2019"
    assert show_date(dt.date(2019, 9, 1)) == "2019-09-01"
    assert show_moment(dt.date(2028, 1, 1)) == "2028"
    assert show_moment(dt.date(2028, 6, 1)) == "2028-06-01"


def test_the_loader_keeps_years_and_dates_as_written(inventory: Inventory) -> None:
    assert inventory.applications["sud-finances"].retired_in == dt.date(2018, 7, 1)
    assert inventory.applications["nord-finances"].retired_in == 2016
    assert inventory.products["emagnus"].end_of_support == dt.date(2025, 12, 31)
    assert inventory.products["civil-net"].end_of_support == 2028
    assert inventory.communes["est"].mutualisations[0].until == 2021
    assert inventory.applications["met-finances"].disposition == "investir"
    assert inventory.programmes["convergence-finances"].waves[1].communes == ["sud"]


def _copy(tmp_path: Path) -> Path:
    target = tmp_path / "inventaire"
    for path in TIMELINE.rglob("*.yaml"):
        destination = target / path.relative_to(TIMELINE)
        destination.parent.mkdir(parents=True, exist_ok=True)
        destination.write_bytes(path.read_bytes())
    return target


def _problems(root: Path) -> list[str]:
    with pytest.raises(InventoryError) as caught:
        load_inventory(root)
    return caught.value.lines()


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (
            "2016-03-01 10:00:00",
            "E204: mise_en_service : attendu une année AAAA ou une date AAAA-MM-JJ (sans heure)",
        ),
        ("1900", "E206: mise_en_service : valeur « 1900 » invalide"),
        ("bientôt", "E204: mise_en_service : attendu une année AAAA ou une date AAAA-MM-JJ"),
        ("true", "E204: mise_en_service : attendu une année AAAA ou une date AAAA-MM-JJ"),
    ],
)
def test_a_bad_date_is_located_and_explained(tmp_path: Path, value: str, expected: str) -> None:
    root = _copy(tmp_path)
    _replace(root / "applications/metro.yaml", "mise_en_service: 2016", f"mise_en_service: {value}")
    lines = _problems(root)
    assert len(lines) == 1
    assert lines[0].startswith(f"{root}/applications/metro.yaml:10: {expected}"), lines


def test_a_date_written_as_text_is_read(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    _replace(root / "applications/metro.yaml", "mise_en_service: 2016", 'mise_en_service: "2016"')
    assert load_inventory(root).applications["met-finances"].in_service_since == 2016


def test_an_adhesion_ends_after_it_starts(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    _replace(root / "territoire.yaml", "jusqu_a: 2021", "jusqu_a: 2017")
    assert _problems(root) == [
        f"{root}/territoire.yaml:21: E206: mutualisations : jusqu_a 2017 n'est pas après depuis "
        "2017 (domaine « finances » de « est ») (« jusqu_a » est le jour où la commune quitte le "
        "domaine : après son adhésion (une année vaut le 1er janvier))"
    ]


# --- the chantier agrees with the inventory (E311) -----------------------------------------------


def test_a_wave_before_the_adhesion_names_both_places(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    _replace(root / "referentiel/chantiers.yaml", "annee: 2018", "annee: 2017")
    assert _problems(root) == [
        f"{root}/referentiel/chantiers.yaml:12: E311: chantier « convergence-finances » : la "
        "vague 2017 compte « sud », qui n'y adhère qu'en 2018 (territoire.yaml:16) (avancez son "
        "adhésion à 2017 dans territoire.yaml, ou placez-la dans une vague de 2018 ou après)"
    ]


def test_a_wave_commune_without_adhesion(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    _replace(root / "territoire.yaml", "      - domaine: finances\n        depuis: 2027\n", "")
    _replace(root / "territoire.yaml", "    mutualisations:\ndomaines", "domaines")
    lines = _problems(root)
    assert lines == [
        f"{root}/referentiel/chantiers.yaml:14: E311: chantier « convergence-finances » : la "
        "vague 2027 compte « ouest », qui n'adhère pas au domaine « finances » "
        "(territoire.yaml:24) (ajoutez à « ouest » l'adhésion « domaine: finances, depuis: "
        "2027 », ou retirez-la de la vague)"
    ]


def test_a_retirement_outside_the_chantier_names_both_places(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    _replace(root / "applications/ouest.yaml", "retrait: 2027", "retrait: 2027-03-01")
    assert _problems(root) == [
        f"{root}/referentiel/chantiers.yaml:16: E311: chantier « convergence-finances » "
        "(2016–2027) : il retire « ouest-finances », dont le retrait 2027-03-01 tombe hors du "
        "chantier (applications/ouest.yaml:11) (placez le retrait entre 2016–2027, ou corrigez "
        "les dates du chantier)"
    ]


def test_a_retired_application_without_retrait(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    _replace(root / "applications/ouest.yaml", "    retrait: 2027\n", "")
    assert _problems(root) == [
        f"{root}/referentiel/chantiers.yaml:16: E311: chantier « convergence-finances » "
        "(2016–2027) : il retire « ouest-finances », qui n'a pas de retrait "
        "(applications/ouest.yaml:3) (donnez à « ouest-finances » un « retrait » entre "
        "2016–2027)"
    ]


def test_chantier_references_and_dates(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    _replace(root / "referentiel/chantiers.yaml", "fin: 2027", "fin: 2015")
    _replace(root / "referentiel/chantiers.yaml", "cible: met-finances", "cible: met-financse")
    _replace(root / "referentiel/chantiers.yaml", "communes: [nord]", "communes: [nord, nord]")
    lines = _problems(root)
    assert lines == [
        f"{root}/referentiel/chantiers.yaml:5: E206: fin 2015 avant le début 2016 du chantier "
        "« convergence-finances » (vérifiez les dates du chantier (une année vaut le 1er "
        "janvier))",
        f"{root}/referentiel/chantiers.yaml:7: E302: cible : application « met-financse » "
        "introuvable dans le chantier « convergence-finances » (vouliez-vous dire "
        "« met-finances » ?)",
        f"{root}/referentiel/chantiers.yaml:9: E206: vagues : « nord » deux fois dans la vague "
        "2016 du chantier « convergence-finances » (une commune rejoint la cible une fois : "
        "gardez-la dans une vague)",
    ]


# --- the portfolio at a date ------------------------------------------------------------------


def _in_service(inventory: Inventory) -> list[str]:
    return sorted(
        app_id
        for app_id, application in inventory.applications.items()
        if application.lifecycle != "retiree"
    )


def _retired(inventory: Inventory) -> list[str]:
    return sorted(
        app_id
        for app_id, application in inventory.applications.items()
        if application.lifecycle == "retiree"
    )


def test_presence_follows_the_dates_alone(inventory: Inventory) -> None:
    at_2015 = as_of(inventory, dt.date(2015, 6, 1))
    # met-finances not yet (2016), sud-archives never (retiree without retrait)
    assert sorted(at_2015.applications) == [
        "est-finances",
        "nord-etat-civil",
        "nord-finances",
        "ouest-finances",
        "sud-finances",
    ]
    assert _retired(at_2015) == []
    at_2019 = as_of_year(inventory, 2019)
    assert _in_service(at_2019) == ["met-finances", "nord-etat-civil", "ouest-finances"]
    # retired by then: kept as history, as the inventory keeps retired applications
    assert _retired(at_2019) == ["est-finances", "nord-finances", "sud-finances"]
    # sud-finances leaves on 2018-07-01 exactly
    assert "sud-finances" in _in_service(as_of(inventory, dt.date(2018, 6, 30)))
    assert "sud-finances" in _retired(as_of(inventory, dt.date(2018, 7, 1)))
    at_2027 = as_of_year(inventory, 2027)
    assert _in_service(at_2027) == ["est-compta", "met-finances", "nord-etat-civil"]
    # a-retirer today, retired by 2027: history there
    assert at_2027.applications["ouest-finances"].lifecycle == "retiree"
    assert "sud-archives" not in at_2027.applications


def test_lifecycle_is_read_at_the_date(inventory: Inventory) -> None:
    at_2015 = as_of(inventory, dt.date(2015, 6, 1))
    assert at_2015.applications["sud-finances"].lifecycle == "production"  # running then
    assert at_2015.applications["ouest-finances"].lifecycle == "a-retirer"
    assert at_2015.moment == dt.date(2015, 6, 1)
    assert inventory.moment is None


@pytest.mark.parametrize(
    ("moment", "pairs", "rate"),
    [
        # four communes, four applications: N=4, A=4 -> 1 - 3/3 = 0
        (
            dt.date(2015, 6, 1),
            [
                "est:est-finances",
                "nord:nord-finances",
                "ouest:ouest-finances",
                "sud:sud-finances",
            ],
            0.0,
        ),
        # nord's wave (2016); est waits for its adhesion (2017), sud for its wave (2018): N=4, A=4
        (
            dt.date(2016, 1, 1),
            ["est:est-finances", "nord:met-finances", "ouest:ouest-finances", "sud:sud-finances"],
            0.0,
        ),
        # est joins by adhesion: N=4, A=3 -> 1 - 2/3 = 1/3
        (
            dt.date(2017, 1, 1),
            ["est:met-finances", "nord:met-finances", "ouest:ouest-finances", "sud:sud-finances"],
            1 / 3,
        ),
        # sud's wave in 2018 while sud-finances runs until July: N=5, A=3 -> 1 - 2/4 = 1/2
        (
            dt.date(2018, 3, 1),
            [
                "est:met-finances",
                "nord:met-finances",
                "ouest:ouest-finances",
                "sud:met-finances",
                "sud:sud-finances",
            ],
            0.5,
        ),
        # N=4, A=2 -> 1 - 1/3 = 2/3
        (
            dt.date(2019, 1, 1),
            ["est:met-finances", "nord:met-finances", "ouest:ouest-finances", "sud:met-finances"],
            2 / 3,
        ),
        # est left (jusqu_a 2021) for est-compta: N=4, A=3 -> 1/3
        (
            dt.date(2021, 1, 1),
            ["est:est-compta", "nord:met-finances", "ouest:ouest-finances", "sud:met-finances"],
            1 / 3,
        ),
        # the target state: ouest's wave (2027), not yet in utilisateurs: N=4, A=2 -> 2/3
        (
            dt.date(2027, 1, 1),
            ["est:est-compta", "nord:met-finances", "ouest:met-finances", "sud:met-finances"],
            2 / 3,
        ),
    ],
)
def test_use_pairs_and_convergence_at_a_date(
    inventory: Inventory, moment: dt.date, pairs: list[str], rate: float
) -> None:
    assert _pairs(inventory, moment) == pairs
    portfolio = Portfolio(as_of(inventory, moment))
    assert block_convergence(portfolio, "finances").rate == pytest.approx(rate)


def test_mutualisation_at_a_date(inventory: Inventory) -> None:
    # nord in 2019: (nord, met-finances) shared, (nord, nord-etat-civil) its own -> 1/2
    portfolio = Portfolio(as_of_year(inventory, 2019))
    assert commune_mutualisation(portfolio, "nord").rate == pytest.approx(0.5)
    # nord in 2015: (nord, nord-finances), (nord, nord-etat-civil), both its own -> 0
    portfolio = Portfolio(as_of_year(inventory, 2015))
    assert commune_mutualisation(portfolio, "nord").rate == 0.0


def test_adhesions_are_read_at_the_date(inventory: Inventory) -> None:
    # adhesions stay as written (dated declarations); membership is asked at the date
    assert as_of_year(inventory, 2021).communes["est"].mutualisations[0].until == 2021
    assert Portfolio(as_of_year(inventory, 2020)).has_mutualised("est", "finances")
    assert not Portfolio(as_of_year(inventory, 2021)).has_mutualised("est", "finances")
    assert not Portfolio(as_of_year(inventory, 2026)).has_mutualised("ouest", "finances")
    portfolio = Portfolio(as_of_year(inventory, 2027))
    assert portfolio.has_mutualised("ouest", "finances")
    assert portfolio.mutualisation_of("ouest", "finances") == ("finances", 2027)
    assert not portfolio.has_mutualised("est", "finances")
    assert portfolio.current_adhesions("nord") == {"finances": 2016}


def test_flows_need_both_ends_and_their_start(inventory: Inventory) -> None:
    def keys(moment: dt.date) -> list[str]:
        return [flow.key for flow in as_of(inventory, moment).flows]

    nord = "nord-finances>nord-etat-civil:budget"
    ouest = "ouest-finances>nord-etat-civil:budget"
    met = "met-finances>nord-etat-civil:budget"
    assert keys(dt.date(2015, 1, 1)) == [nord, ouest]
    # nord-finances retired in 2016, and retiree as written: its flow stays as history, as the
    # inventory keeps it; met-finances' flow starts in 2019
    assert keys(dt.date(2018, 1, 1)) == [nord, ouest]
    assert keys(dt.date(2019, 1, 1)) == [met, nord, ouest]
    # ouest-finances is retired by 2027 but a-retirer as written: its flow goes with it
    assert keys(dt.date(2027, 1, 1)) == [met, nord]


def test_references_stay_resolved(inventory: Inventory) -> None:
    at_2015 = as_of_year(inventory, 2015)
    # sud-finances is replaced by met-finances, which is not there yet
    assert at_2015.applications["sud-finances"].replaced_by is None
    assert inventory.applications["sud-finances"].replaced_by == "met-finances"
    assert at_2015.processes["paie"].steps[0].applications == ["sud-finances"]
    # in 2019 sud-finances is history (retired in 2018): still a record, still named
    assert as_of_year(inventory, 2019).processes["paie"].steps[0].applications == [
        "sud-finances",
        "met-finances",
    ]
    # every map and report can be built on it
    Portfolio(at_2015).applications_of_step("paie", "engagement")


def test_use_periods_say_where_each_start_comes_from(inventory: Inventory) -> None:
    periods = {
        (period.user, period.application): period
        for period in use_periods(inventory)
        if period.application == "met-finances"
    }
    assert sorted(periods) == [
        ("est", "met-finances"),
        ("nord", "met-finances"),
        ("ouest", "met-finances"),
        ("sud", "met-finances"),
    ]
    assert (periods["nord", "met-finances"].origin, periods["nord", "met-finances"].start) == (
        "vague",
        2016,
    )
    est = periods["est", "met-finances"]
    assert (est.origin, est.start, est.end, est.domain) == ("adhesion", 2017, 2021, "finances")
    assert periods["ouest", "met-finances"].programme == "convergence-finances"


def test_latest_date(inventory: Inventory) -> None:
    # civil-net's end of support, 2028, is the latest date named
    assert latest_date(inventory) == dt.date(2028, 1, 1)


def test_the_inventory_as_written_is_left_alone(inventory: Inventory) -> None:
    before = sorted(inventory.applications)
    as_of_year(inventory, 2015)
    assert sorted(inventory.applications) == before
    assert inventory.users["met-finances"] == ("est", "nord", "sud")


def test_quality_flags_dates_that_disagree_with_the_lifecycle(tmp_path: Path) -> None:
    from cartographie.analysis.quality import date_disagreements

    root = _copy(tmp_path)
    # ouest-finances: retired in 2027 by its dates, still « a-retirer »: fine until 2027
    _replace(
        root / "applications/est.yaml", "    mise_en_service: 2021\n", "    mise_en_service: 2030\n"
    )
    inventory = load_inventory(root)
    found = {
        item.application: item.finding
        for item in date_disagreements(Portfolio(inventory), dt.date(2027, 3, 1))
    }
    assert found == {
        "sud-archives": "retirée sans « retrait » : absente à toute date",
        "ouest-finances": "« retrait » passé, mais encore en service d'après son cycle de vie",
        "est-compta": "« mise_en_service » à venir, mais le cycle de vie n'est pas « projet »",
    }

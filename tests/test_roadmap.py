"""The roadmap and the trend from dates, on the ``timeline`` fixture, figures by hand.

The fixture's story is told in ``tests/test_timeline.py``. The reference date is pinned to
2026-12-06 (and today with it), so that what is « past » or « near » does not move with the
clock.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

import pytest
from support import FIXTURES

from cartographie.analysis.roadmap import Roadmap, Scope, build_roadmap
from cartographie.analysis.trend_dates import dates_trend
from cartographie.document.formats import render
from cartographie.inventory import load_inventory
from cartographie.model.inventory import Inventory
from cartographie.reports.roadmap import roadmap_document

TODAY = dt.date(2026, 12, 6)


@pytest.fixture(scope="module")
def inventory() -> Inventory:
    return load_inventory(FIXTURES / "timeline")


def _roadmap(inventory: Inventory, **scope: str) -> Roadmap:
    return build_roadmap(inventory, reference=TODAY, today=TODAY, scope=Scope(**scope))


def _rows(roadmap: Roadmap) -> list[tuple[str, str, str, tuple[str, ...]]]:
    return [
        (
            str(item.date),
            item.kind,
            item.application or item.product or item.domain or "",
            item.communes,
        )
        for item in roadmap.movements
    ]


def test_the_window_runs_from_the_first_chantier_to_the_latest_date(inventory: Inventory) -> None:
    roadmap = _roadmap(inventory)
    # convergence-finances starts in 2016; civil-net's end of support (2028) is the latest date
    assert (roadmap.first_year, roadmap.last_year) == (2016, 2028)


def test_movements_of_the_whole_metropole(inventory: Inventory) -> None:
    assert _rows(_roadmap(inventory)) == [
        # what leaves comes before what enters, on one day
        ("2016", "sortie", "nord-finances", ("nord",)),
        ("2016", "adhesion", "finances", ("nord",)),
        ("2016", "vague", "met-finances", ("nord",)),
        # the communes using it that day: nord's wave only
        ("2016", "entree", "met-finances", ("nord",)),
        ("2017", "sortie", "est-finances", ("est",)),
        ("2017", "adhesion", "finances", ("est",)),
        ("2018", "adhesion", "finances", ("sud",)),
        ("2018", "vague", "met-finances", ("sud",)),
        ("2018-07-01", "sortie", "sud-finances", ("sud",)),
        ("2021", "depart", "finances", ("est",)),
        ("2021", "entree", "est-compta", ("est",)),
        # e.magnus ends while ouest-finances still runs on it
        ("2025-12-31", "fin-de-support", "emagnus", ("ouest",)),
        ("2027", "sortie", "ouest-finances", ("ouest",)),
        ("2027", "adhesion", "finances", ("ouest",)),
        ("2027", "vague", "met-finances", ("ouest",)),
        # on 2028-01-01 met-finances serves nord, ouest and sud (est left in 2021)
        ("2028", "fin-de-support", "civil-net", ("nord", "ouest", "sud")),
    ]


def test_movements_of_one_commune(inventory: Inventory) -> None:
    assert _rows(_roadmap(inventory, commune="est")) == [
        ("2017", "sortie", "est-finances", ("est",)),
        ("2017", "adhesion", "finances", ("est",)),
        # its use of the domain application starts with its adhesion...
        ("2017", "entree", "met-finances", ("est",)),
        # ...and ends with it (jusqu_a 2021), for its own application
        ("2021", "sortie", "met-finances", ("est",)),
        ("2021", "depart", "finances", ("est",)),
        ("2021", "entree", "est-compta", ("est",)),
    ]


def test_a_bloc_without_chantier(inventory: Inventory) -> None:
    roadmap = _roadmap(inventory, block="etat-civil")
    assert roadmap.movements == ()  # nord-etat-civil has no date
    assert roadmap.programmes == ()
    assert roadmap.applications == ("nord-etat-civil",)


def test_chantier_state(inventory: Inventory) -> None:
    (status,) = _roadmap(inventory).programmes
    assert (status.state, status.remaining) == ("en-cours", ("ouest-finances",))
    assert status.waves == ((2016, ("nord",)), (2018, ("sud",)), (2027, ("ouest",)))
    assert status.domains == ("finances",)
    # after its end, nothing left: ouest-finances is retired in 2027 as planned
    later = build_roadmap(inventory, reference=dt.date(2027, 6, 1), today=TODAY)
    assert (later.programmes[0].state, later.programmes[0].remaining) == ("termine", ())
    # the same day, were today 2027-03-01 with ouest-finances still « a-retirer » as written:
    # its retrait has passed but the inventory says it runs — late
    late = build_roadmap(inventory, reference=dt.date(2027, 6, 1), today=dt.date(2027, 3, 1))
    assert (late.programmes[0].state, late.programmes[0].remaining) == (
        "en-retard",
        ("ouest-finances",),
    )
    before = build_roadmap(inventory, reference=dt.date(2015, 1, 1), today=TODAY)
    assert before.programmes[0].state == "a-venir"


def test_ends_of_support(inventory: Inventory) -> None:
    ends = _roadmap(inventory).support_ends
    assert [
        (item.product, item.state, item.months_left, item.applications, item.communes)
        for item in ends
    ] == [
        # 2025-12-31 -> 2026-12-06: eleven whole months ago
        ("emagnus", "depassee", -11, ("ouest-finances",), ("ouest",)),
        # 2026-12-06 -> 2028-01-01: twelve whole months; est has left, ouest not yet there
        ("civil-net", "proche", 12, ("met-finances",), ("nord", "sud")),
    ]
    near = build_roadmap(inventory, reference=TODAY, today=TODAY, months=6).support_ends
    assert [item.product for item in near] == ["emagnus"]


def test_dispositions(inventory: Inventory) -> None:
    counts = {item.disposition: item.applications for item in _roadmap(inventory).dispositions}
    # in service on 2026-12-06: met-finances, nord-etat-civil, ouest-finances, est-compta
    assert counts == {"tolerer": 1, "investir": 1, "migrer": 1, "eliminer": 1, None: 0}
    early = build_roadmap(inventory, reference=dt.date(2015, 1, 1), today=TODAY).dispositions
    # in 2015: the four communes' own finances (ouest-finances: migrer; the three others not
    # classified) and nord-etat-civil (tolerer): 3 of 5 without
    assert {item.disposition: item.applications for item in early}[None] == 3
    assert early[-1].share == pytest.approx(0.6)


def test_the_document_and_its_timeline(inventory: Inventory) -> None:
    document = roadmap_document(inventory, _roadmap(inventory))
    years = {row[0]: row[1:] for row in document.table("annees").rows}
    # (entrées, sorties, communes en vague, adhésions, départs, fins de support)
    assert years[2016] == (1, 1, 1, 1, 0, 0)
    assert years[2018] == (0, 1, 1, 1, 0, 0)
    assert years[2021] == (1, 0, 0, 0, 1, 0)
    assert years[2028] == (0, 0, 0, 0, 0, 1)
    assert sum(row[1] for row in document.table("annees").rows) == 2
    timeline = document.figures[0].timeline
    assert timeline is not None
    # a heading per chantier, its target, the applications it retires by date of retrait;
    # then, for the whole métropole, one row per product past or near its end of support
    assert [row.label for row in timeline.rows] == [
        "Convergence des finances (2016–2027)",
        "Finances mutualisées",
        "Finances de Nordville",
        "Finances de Sudbourg",
        "Finances d'Ouestville",
        "Fins de support",
        "e.magnus Gestion financière : 1 application",
        "Civil Net Finances : 1 application",
    ]
    # a year before the window, so that nord-finances (retired in 2016) shows
    assert (timeline.start, timeline.end) == (dt.date(2015, 1, 1), dt.date(2029, 1, 1))
    assert [mark.label for mark in timeline.rows[0].marks] == ["+1", "+1", "+1"]
    chantier = timeline.rows[0]
    assert chantier.heading
    assert [mark.day for mark in chantier.marks] == [
        dt.date(2016, 1, 1),
        dt.date(2018, 1, 1),
        dt.date(2027, 1, 1),
    ]
    ouest = timeline.rows[4]
    # ouest-finances runs on e.magnus past its end of support: the bar turns red there
    assert [(bar.start, bar.end, bar.style) for bar in ouest.bars] == [
        (dt.date(2014, 1, 1), dt.date(2025, 12, 31), "retiree"),
        (dt.date(2025, 12, 31), dt.date(2027, 1, 1), "hors-support"),
    ]
    svg = render(document, "svg")
    assert isinstance(svg, str)
    root = ET.fromstring(svg)
    texts = "".join(root.itertext())
    assert "Convergence des finances (2016–2027)" in texts
    assert "aujourd'hui" in texts
    assert render(document, "svg") == svg  # deterministic


def _bars(inventory: Inventory, commune: str) -> list[tuple[str, list[tuple[object, ...]]]]:
    timeline = roadmap_document(inventory, _roadmap(inventory, commune=commune)).figures[0]
    assert timeline.timeline is not None
    return [
        (row.label, [(bar.start, bar.end, bar.style) for bar in row.bars])
        for row in timeline.timeline.rows
    ]


def test_a_communes_timeline_shows_its_own_use_and_its_own_retirements(
    inventory: Inventory,
) -> None:
    # sud: the target from its wave (2018), not from the application's start (2016); of the
    # three applications the chantier retires, its own only
    assert _bars(inventory, "sud") == [
        (
            "Convergence des finances (2016–2027)",
            [(dt.date(2016, 1, 1), dt.date(2027, 1, 1), "chantier")],
        ),
        (
            "Finances mutualisées",
            [
                (dt.date(2018, 1, 1), dt.date(2028, 1, 1), "cible"),
                # civil-net's end of support (2028): still used then
                (dt.date(2028, 1, 1), None, "hors-support"),
            ],
        ),
        # entered before the window: its own mise_en_service; left on its retrait
        ("Finances de Sudbourg", [(dt.date(2012, 1, 1), dt.date(2018, 7, 1), "retiree")]),
    ]
    # est used the target from its adhesion (2017) to its end (jusqu_a 2021); what leaves
    # comes before what enters among its other applications
    assert _bars(inventory, "est") == [
        (
            "Convergence des finances (2016–2027)",
            [(dt.date(2016, 1, 1), dt.date(2027, 1, 1), "chantier")],
        ),
        ("Finances mutualisées", [(dt.date(2017, 1, 1), dt.date(2021, 1, 1), "cible")]),
        ("Autres applications", []),
        ("Finances d'Estival", [(dt.date(2011, 1, 1), dt.date(2017, 1, 1), "application")]),
        ("Comptabilité d'Estival", [(dt.date(2021, 1, 1), None, "application")]),
    ]
    document = roadmap_document(inventory, _roadmap(inventory, commune="est"))
    assert document.figures[0].timeline is not None
    assert document.figures[0].timeline.note == "Une barre : l'usage de l'application par Estival."


def test_trend_from_dates(inventory: Inventory) -> None:
    trend = dates_trend(inventory, 2015, 2028)
    by_year = {point.year: point for point in trend.points}
    # finances alone counts (N ≥ 2); see test_timeline's convergence at each date
    expected = {2015: 0, 2016: 0, 2017: 1 / 3, 2018: 1 / 2, 2019: 2 / 3, 2021: 1 / 3, 2027: 2 / 3}
    for year, rate in expected.items():
        assert by_year[year].convergence == pytest.approx(rate), year
        assert by_year[year].programmes == (("convergence-finances", pytest.approx(rate)),)
    # 2019: nord (met-finances, nord-etat-civil), est, sud on met-finances, ouest on its own:
    # 5 pairs, 3 shared
    assert (by_year[2019].use_pairs, by_year[2019].mutualisation) == (5, pytest.approx(0.6))
    assert by_year[2015].mutualisation == 0
    assert [by_year[year].applications for year in (2015, 2019, 2021, 2027)] == [5, 3, 4, 3]

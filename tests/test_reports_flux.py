"""``rapport flux`` on the example métropole: every figure, computed by hand.

The 15 flows (see test_reports_impact.py), numbered, with the communes using their source or
target and the blocs of their source or target; (hub) marks the three through met-hub:
 1 met-rh→met-gf              lp sa vc   rh, finances
 2 vc-gmao→met-gf (hub)       lp sa vc   maintenance, finances
 3 sa-gmao→met-gf             lp sa vc   maintenance, finances
 4 met-gf→met-opendata        lp sa vc   finances, echanges
 5 met-billettique→met-opendata  —       mobilite, echanges
 6 vc-portail-famille→caf-cdap   vc      famille
 7 lp-portail-famille→caf-cdap   lp      famille
 8 vc-etat-civil→vc-portail-famille vc   etat-civil, famille
 9 vc-video→vc-police            vc      proximite
10 vc-police→sa-police           sa vc   proximite
11 vc-signalement→met-gdu (hub)  lp sa vc  demandes-usagers
12 met-gdu→vc-gmao (hub)         lp sa vc  demandes-usagers, maintenance
13 met-gdu→sa-gmao               lp sa vc  demandes-usagers, maintenance
14 met-gdu→lp-interventions      lp sa vc  demandes-usagers, maintenance
15 met-gdu→vc-police             lp sa vc  demandes-usagers, proximite
"""

from __future__ import annotations

from support_reports import by_key, example_portfolio, records

from cartographie.reports.flows import flows_document


def shares(table: str) -> dict[str, tuple[object, ...]]:
    rows = by_key(flows_document(example_portfolio()), table, "cle")
    return {
        key: (row["flux"], row["via_hub"], row["point_a_point"], row["part_hub"])
        for key, row in rows.items()
    }


def test_share_through_the_hub_per_commune() -> None:
    # lp: 1-4, 7, 11-15 = 10 flows, 3 via (2, 11, 12); sa: 1-4, 10, 11-15 = 10, 3 via;
    # vc: 1-4, 6, 8-15 = 13, 3 via -> 3/13 = 0.2308; all: 15, 3 -> 0.2
    assert shares("communes") == {
        "les-pres": (10, 3, 7, 0.3),
        "saint-aubin": (10, 3, 7, 0.3),
        "ville-centre": (13, 3, 10, 0.2308),
        "total": (15, 3, 12, 0.2),
    }


def test_share_through_the_hub_per_bloc() -> None:
    # the hub itself is not an end of any flow: echanges counts 4 and 5 only
    assert shares("blocs") == {
        "demandes-usagers": (5, 2, 3, 0.4),  # 11-15, via 11 and 12
        "echanges": (2, 0, 2, 0.0),  # 4, 5
        "etat-civil": (1, 0, 1, 0.0),  # 8
        "famille": (3, 0, 3, 0.0),  # 6, 7, 8
        "finances": (4, 1, 3, 0.25),  # 1-4, via 2
        "maintenance": (5, 2, 3, 0.4),  # 2, 3, 12, 13, 14, via 2 and 12
        "mobilite": (1, 0, 1, 0.0),  # 5
        "proximite": (3, 0, 3, 0.0),  # 9, 10, 15
        "rh": (1, 0, 1, 0.0),  # 1
        "total": (15, 3, 12, 0.2),
    }


def test_consolidation_per_data_object_ranked_by_saving() -> None:
    # E = point-à-point flows, V = distinct applications among them, saving = E − V.
    # Every data object of the example saves −1: a hub pays off from E = V + 1 flows on.
    # Ranked by saving (all equal), then E descending, then id.
    rows = records(flows_document(example_portfolio()), "donnees")
    found = [
        (
            row["donnee"],
            row["flux_point_a_point"],
            row["applications"],
            row["liens_via_hub"],
            row["economie"],
            row["flux_via_hub"],
            row["hubs"],
        )
        for row in rows
    ]
    assert found == [
        # 13, 14: met-gdu, sa-gmao, lp-interventions; 12 already via met-hub
        ("demande-intervention", 2, 3, 3, -1, 1, ("met-hub",)),
        # 4, 5: met-gf, met-billettique, met-opendata
        ("jeu-open-data", 2, 3, 3, -1, 0, ()),
        # 9, 10: vc-video, vc-police, sa-police
        ("main-courante", 2, 3, 3, -1, 0, ()),
        # 6, 7: the two portails famille and caf-cdap
        ("quotient-familial", 2, 3, 3, -1, 0, ()),
        ("acte-etat-civil", 1, 2, 2, -1, 0, ()),  # 8
        ("demande-usager", 1, 2, 2, -1, 1, ("met-hub",)),  # 15; 11 via the hub
        ("ecritures-paie", 1, 2, 2, -1, 0, ()),  # 1
        ("engagement", 1, 2, 2, -1, 1, ("met-hub",)),  # 3; 2 via the hub
    ]


def test_flows_that_bypass_an_existing_hub() -> None:
    # point-à-point flows of demande-intervention (13, 14), demande-usager (15), engagement (3):
    # each of those data objects already goes through met-hub elsewhere.
    rows = records(flows_document(example_portfolio()), "contournements")
    assert [
        (row["source"], row["cible"], row["donnee"], row["hubs"], row["emplacement"])
        for row in rows
    ] == [
        (
            "met-gdu",
            "lp-interventions",
            "demande-intervention",
            ("met-hub",),
            "flux/relation-usager.yaml:22",
        ),
        (
            "met-gdu",
            "sa-gmao",
            "demande-intervention",
            ("met-hub",),
            "flux/relation-usager.yaml:16",
        ),
        ("met-gdu", "vc-police", "demande-usager", ("met-hub",), "flux/relation-usager.yaml:27"),
        ("sa-gmao", "met-gf", "engagement", ("met-hub",), "flux/gestion.yaml:15"),
    ]

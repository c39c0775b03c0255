"""``rapport editeurs`` on the example métropole: every figure, computed by hand.

Applications in service with a product (13), their vendor and API openness (the product's, or
its vendor's): lp-etat-civil jvs-mairistem (aucune); met-gf, sa-gmao berger-levrault
(proprietaire); met-rh ciril-group (proprietaire); met-gdu entrouvert (ouverte); met-hub blueway
(ouverte); met-opendata opendatasoft (ouverte); sa-etat-civil, vc-etat-civil arpege
(proprietaire); sa-police, vc-police edicia (aucune); vc-video milestone (proprietaire); vc-gmao
kimoce (ouverte). Without a product (6): lp-interventions, lp-portail-famille, met-billettique,
sa-finances, vc-signalement, vc-portail-famille. (vc-accueil, adullact's, is retired.)
"""

from __future__ import annotations

from support_reports import example_portfolio, records

from cartographie.reports.vendors import vendors_document


def test_per_vendor() -> None:
    rows = records(vendors_document(example_portfolio()), "editeurs")
    found = [
        (
            row["editeur"],
            row["api"],
            row["applications"],
            row["communes"],
            row["cout_annuel"],
            row["sans_cout"],
            row["blocs"],
            row["part_api_fermee"],
        )
        for row in rows
    ]
    # sorted by number of applications, then id
    assert found == [
        ("arpege", "proprietaire", 2, 2, 7000 + 18000, 0, ("etat-civil",), 1.0),
        # met-gf (48 000, used by the three communes) and sa-gmao (5 000)
        (
            "berger-levrault",
            "proprietaire",
            2,
            3,
            48000 + 5000,
            0,
            ("finances", "maintenance"),
            1.0,
        ),
        # sa-police has no cost
        ("edicia", "aucune", 2, 2, 9000, 1, ("proximite",), 1.0),
        # met-hub is used by the métropole only: no commune
        ("blueway", "ouverte", 1, 0, 30000, 0, ("echanges",), 0.0),
        ("ciril-group", "proprietaire", 1, 3, 39000, 0, ("rh",), 1.0),
        ("entrouvert", "ouverte", 1, 3, 22000, 0, ("demandes-usagers",), 0.0),
        ("jvs-mairistem", "aucune", 1, 1, 2500, 0, ("etat-civil",), 1.0),
        ("kimoce", "ouverte", 1, 1, 15000, 0, ("maintenance",), 0.0),
        ("milestone", "proprietaire", 1, 1, 25000, 0, ("proximite",), 1.0),
        ("opendatasoft", "ouverte", 1, 0, 12000, 0, ("echanges",), 0.0),
    ]


def test_summary() -> None:
    # closed: lp-etat-civil, met-gf, sa-gmao, met-rh, sa-etat-civil, vc-etat-civil, sa-police,
    # vc-police, vc-video = 9 of 13 -> 0.6923
    (row,) = records(vendors_document(example_portfolio()), "synthese")
    assert row == {
        "applications_avec_produit": 13,
        "applications_specifiques": 6,
        "applications_api_fermee": 9,
        "part_api_fermee": 0.6923,
        "editeurs": 10,
    }


def test_blocs_depending_on_a_single_vendor() -> None:
    # Only rh: met-rh (ciril-group). finances has sa-finances without a product, echanges two
    # vendors, demandes-usagers a specific application, etc.
    rows = records(vendors_document(example_portfolio()), "blocs_mono_editeur")
    assert [(row["bloc"], row["editeur"], row["api"], row["applications"]) for row in rows] == [
        ("rh", "ciril-group", "proprietaire", ("met-rh",))
    ]


def test_suites() -> None:
    # berger-levrault's e-magnus suite: bl-emagnus-gf, run by met-gf (three communes)
    rows = records(vendors_document(example_portfolio()), "suites")
    assert rows == [
        {
            "editeur": "berger-levrault",
            "suite": "e-magnus",
            "produits": ("bl-emagnus-gf",),
            "applications": 1,
            "communes": 3,
        }
    ]

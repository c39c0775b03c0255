"""``rapport convergence`` on the example métropole: every figure, computed by hand.

The example (examples/petite-metropole) has three communes — les-pres (lp), saint-aubin (sa),
ville-centre (vc) — and nine blocs fonctionnels. The use pairs of each bloc (retired
applications make none; applications used only by the métropole make none either):

- demandes-usagers: met-gdu × {lp, sa, vc}, vc-signalement × vc (vc-accueil is retired)
  N = 4, A = 2, taux = 1 − 1/3 = 0.6667
- echanges: met-hub, met-opendata are used by the métropole only: N = 0, taux = 1
- etat-civil: lp-etat-civil, sa-etat-civil, vc-etat-civil: N = 3, A = 3, taux = 1 − 2/2 = 0
- famille: lp-portail-famille, vc-portail-famille: N = 2, A = 2, taux = 0
- finances: met-gf × {lp, sa, vc}, sa-finances × sa (a-retirer still counts): N = 4, A = 2, 0.6667
- maintenance: lp-interventions, sa-gmao, vc-gmao: N = 3, A = 3, taux = 0
- mobilite: met-billettique is used by the métropole only: N = 0, taux = 1
- proximite: sa-police, vc-police, vc-video: N = 3, A = 3, taux = 0 (two communes)
- rh: met-rh × {lp, sa, vc}: N = 3, A = 1, taux = 1
"""

from __future__ import annotations

import pytest
from support_reports import by_key, example_portfolio, records

from cartographie.document import Document
from cartographie.errors import UsageError
from cartographie.reports.convergence import convergence_document


@pytest.fixture(scope="module")
def document() -> Document:
    return convergence_document(example_portfolio())


# bloc: (communes, N, A, products, vendors, specific, rate, dominant, shared, outside)
EXPECTED_BLOCKS = {
    # products: publik (met-gdu); vc-signalement has none -> 1 specific; entrouvert
    "demandes-usagers": (3, 4, 2, 1, 1, 1, 0.6667, "publik", "met-gdu", ()),
    "echanges": (0, 0, 0, 0, 0, 0, 1.0, None, None, ()),
    # jvs-horizon-etat-civil (lp) and arpege-melodie (sa, vc: 2 pairs, dominant)
    "etat-civil": (3, 3, 3, 2, 2, 0, 0.0, "arpege-melodie", None, ()),
    # both portails famille are specific developments
    "famille": (2, 2, 2, 0, 0, 2, 0.0, None, None, ()),
    # bl-emagnus-gf on 3 pairs; sa-finances specific; every commune uses met-gf
    "finances": (3, 4, 2, 1, 1, 1, 0.6667, "bl-emagnus-gf", "met-gf", ()),
    # bl-atal (sa) and kimoce-gmao (vc) tie at one pair: the smaller id wins; lp's is specific
    "maintenance": (3, 3, 3, 2, 2, 1, 0.0, "bl-atal", None, ()),
    "mobilite": (0, 0, 0, 0, 0, 0, 1.0, None, None, ()),
    # edicia-municipol on 2 pairs, milestone-xprotect on 1
    "proximite": (2, 3, 3, 2, 2, 0, 0.0, "edicia-municipol", None, ()),
    "rh": (3, 3, 1, 1, 1, 0, 1.0, "ciril-rh", "met-rh", ()),
}


def test_every_bloc_figure(document: Document) -> None:
    rows = by_key(document, "blocs", "bloc")
    assert list(rows) == sorted(EXPECTED_BLOCKS)
    for block, expected in EXPECTED_BLOCKS.items():
        row = rows[block]
        found = (
            row["communes"],
            row["couples"],
            row["applications"],
            row["produits"],
            row["editeurs"],
            row["specifiques"],
            row["taux_convergence"],
            row["produit_dominant"],
            row["application_partagee"],
            row["communes_hors_partagee"],
        )
        assert found == expected, block


def test_zones_of_the_blocs(document: Document) -> None:
    zones = {row["bloc"]: row["zone"] for row in records(document, "blocs")}
    assert {bloc for bloc, zone in zones.items() if zone == "ressources"} == {
        "echanges",
        "finances",
        "maintenance",
        "rh",
    }


def test_mutualisation_per_commune(document: Document) -> None:
    # lp uses lp-etat-civil, lp-interventions, lp-portail-famille + met-gf, met-rh, met-gdu:
    #   6 pairs, 3 shared (the métropole's) -> 0.5
    # sa uses its 4 (sa-finances included) + the 3 shared: 7 pairs, 3 shared -> 3/7 = 0.4286
    # vc uses its 6 in service (vc-accueil is retired) + the 3 shared: 9, 3 -> 0.3333
    # total: 22 pairs, 9 shared -> 9/22 = 0.4091
    rows = by_key(document, "communes", "commune")
    assert {
        key: (r["couples"], r["couples_mutualises"], r["taux_mutualisation"])
        for key, r in rows.items()
    } == {
        "les-pres": (6, 3, 0.5),
        "saint-aubin": (7, 3, 0.4286),
        "ville-centre": (9, 3, 0.3333),
        "total": (22, 9, 0.4091),
    }


def test_summary(document: Document) -> None:
    # Blocs with N >= 2: demandes-usagers (4, 2), etat-civil (3, 3), famille (2, 2),
    # finances (4, 2), maintenance (3, 3), proximite (3, 3), rh (3, 1): 7 blocs,
    # ΣN = 22, ΣA = 16, global rate = (22 − 16) / (22 − 7) = 6/15 = 0.4
    (row,) = records(document, "synthese")
    assert row == {
        "blocs_comptes": 7,
        "couples_des_blocs": 22,
        "applications_des_blocs": 16,
        "taux_convergence_global": 0.4,
        "couples_des_communes": 22,
        "couples_mutualises": 9,
        "taux_mutualisation_global": 0.4091,
    }


def test_matrix_cells_and_colours(document: Document) -> None:
    table = document.table("matrice")
    assert [column.key for column in table.columns] == [
        "bloc",
        "nom",
        "les-pres",
        "saint-aubin",
        "ville-centre",
    ]
    rows = {row[0]: row[2:] for row in table.rows}
    styles = {row[0]: style[2:] for row, style in zip(table.rows, table.styles or (), strict=True)}
    assert rows == {
        "demandes-usagers": (("met-gdu",), ("met-gdu",), ("met-gdu", "vc-signalement")),
        "echanges": ((), (), ()),
        "etat-civil": (("lp-etat-civil",), ("sa-etat-civil",), ("vc-etat-civil",)),
        "famille": (("lp-portail-famille",), (), ("vc-portail-famille",)),
        "finances": (("met-gf",), ("met-gf", "sa-finances"), ("met-gf",)),
        "maintenance": (("lp-interventions",), ("sa-gmao",), ("vc-gmao",)),
        "mobilite": ((), (), ()),
        "proximite": ((), ("sa-police",), ("vc-police", "vc-video")),
        "rh": (("met-rh",), ("met-rh",), ("met-rh",)),
    }
    assert styles == {
        "demandes-usagers": ("partagee", "partagee", "plusieurs"),
        "echanges": ("aucune", "aucune", "aucune"),
        "etat-civil": ("propre", "propre", "propre"),
        "famille": ("propre", "aucune", "propre"),
        "finances": ("partagee", "plusieurs", "partagee"),
        "maintenance": ("propre", "propre", "propre"),
        "mobilite": ("aucune", "aucune", "aucune"),
        "proximite": ("aucune", "propre", "plusieurs"),
        "rh": ("partagee", "partagee", "partagee"),
    }


def test_matrix_agrees_with_the_bloc_table(document: Document) -> None:
    blocks = by_key(document, "blocs", "bloc")
    for row in document.table("matrice").rows:
        cells = [cell for cell in row[2:] if isinstance(cell, tuple)]
        assert sum(len(cell) for cell in cells) == blocks[str(row[0])]["couples"]
        assert len({app for cell in cells for app in cell}) == blocks[str(row[0])]["applications"]


def test_zone_filter_keeps_its_blocs_only() -> None:
    document = convergence_document(example_portfolio(), "ressources")
    assert [row["bloc"] for row in records(document, "blocs")] == [
        "echanges",
        "finances",
        "maintenance",
        "rh",
    ]
    assert [row[0] for row in document.table("matrice").rows] == [
        "echanges",
        "finances",
        "maintenance",
        "rh",
    ]
    # Blocs with N >= 2 in the zone: finances (4, 2), maintenance (3, 3), rh (3, 1):
    # (10 − 6) / (10 − 3) = 4/7 = 0.5714; the communes' mutualisation does not depend on zones.
    (summary,) = records(document, "synthese")
    assert summary["taux_convergence_global"] == 0.5714
    assert summary["taux_mutualisation_global"] == 0.4091
    assert document.parameters == (("Zone", "ressources"),)


def test_unknown_zone_is_a_usage_error_with_a_suggestion() -> None:
    with pytest.raises(UsageError, match="zone inconnue") as error:
        convergence_document(example_portfolio(), "ressource")
    assert "ressources" in error.value.hint

"""``rapport qualite`` on the example métropole, at 2026-06-01 with 12 months: by hand.

Levels (cumulative): 1 = description, responsable, blocs; 2 = + cout_annuel, mise_en_service,
a process, centre_de_donnees if hosted in a datacenter, delegation if at a délégataire;
3 = + version, derniere_revue.

Applications serving a process (processus.yaml): gdu's steps take demandes-usagers (met-gdu,
vc-signalement), maintenance (lp-interventions, sa-gmao, vc-gmao), proximite (sa-police,
vc-police, vc-video); inscription-periscolaire's take famille (the two portails famille) and
finances (met-gf, sa-finances). Not in a process: lp-etat-civil, met-rh, met-hub, met-opendata,
met-billettique, sa-etat-civil, vc-etat-civil.

Only met-gdu and met-hub have a description; so only they can reach level 1. met-gdu has every
level-2 field (not version): level 2. met-hub serves no process: level 1. Everything else: 0.
"""

from __future__ import annotations

from support_reports import REFERENCE_DATE, by_key, example_portfolio, records

from cartographie.document import Document
from cartographie.reports.quality import quality_document


def document() -> Document:
    return quality_document(example_portfolio(), REFERENCE_DATE, 12)


def test_levels_per_owner() -> None:
    rows = by_key(document(), "niveaux", "proprietaire")
    found = {
        key: (
            row["applications"],
            row["niveau_1"],
            row["niveau_2"],
            row["niveau_3"],
            row["taux_niveau_1"],
            row["taux_niveau_2"],
            row["taux_niveau_3"],
            row["score"],
            row["revues_anciennes"],
            row["jamais_revues"],
        )
        for key, row in rows.items()
    }
    assert found == {
        # no description anywhere; nobody reviewed
        "les-pres": (3, 0, 0, 0, 0.0, 0.0, 0.0, 0.0, 0, 3),
        # sa-finances reviewed 2019-06-30, before 2025-06-01: stale; 3 never reviewed
        "saint-aubin": (4, 0, 0, 0, 0.0, 0.0, 0.0, 0.0, 1, 3),
        # vc-etat-civil reviewed 2024-05-03: stale; 5 never reviewed
        "ville-centre": (6, 0, 0, 0, 0.0, 0.0, 0.0, 0.0, 1, 5),
        # met-gdu level 2, met-hub level 1: 2/6, 1/6, 0; score (1/3 + 1/6 + 0)/3 = 1/6;
        # four reviews since 2025-11 (none stale), met-opendata and met-billettique never
        "metropole": (6, 2, 1, 0, 0.3333, 0.1667, 0.0, 0.1667, 0, 2),
        # 19 applications: 2/19 = 0.1053, 1/19 = 0.0526; score (3/19)/3 = 1/19 = 0.0526
        "total": (19, 2, 1, 0, 0.1053, 0.0526, 0.0, 0.0526, 2, 13),
    }


def test_completeness_per_field() -> None:
    rows = by_key(document(), "champs", "proprietaire")
    # (carrying / applicable) for each owner, written as the rates the report gives
    expected = {
        "les-pres": {
            "description": 0.0,
            "responsable": 0.0,
            "blocs": 1.0,
            "cout_annuel": 0.6667,  # lp-etat-civil, lp-portail-famille
            "mise_en_service": 0.0,
            "processus": 0.6667,  # lp-interventions, lp-portail-famille
            "centre_de_donnees": None,  # none in a datacenter
            "delegation": None,
            "version": 0.0,
            "derniere_revue": 0.0,
        },
        "saint-aubin": {
            "description": 0.0,
            "responsable": 0.0,
            "blocs": 1.0,
            "cout_annuel": 0.5,  # sa-etat-civil, sa-gmao
            "mise_en_service": 0.0,
            "processus": 0.75,  # sa-finances, sa-gmao, sa-police
            "centre_de_donnees": 1.0,  # sa-etat-civil, sa-gmao: 2/2
            "delegation": None,
            "version": 0.0,
            "derniere_revue": 0.25,  # sa-finances
        },
        "ville-centre": {
            "description": 0.0,
            "responsable": 1.0,
            "blocs": 1.0,
            "cout_annuel": 1.0,
            "mise_en_service": 1.0,
            "processus": 0.8333,  # all but vc-etat-civil: 5/6
            "centre_de_donnees": 1.0,  # vc-etat-civil, vc-police, vc-video: 3/3
            "delegation": None,
            "version": 0.0,
            "derniere_revue": 0.1667,  # vc-etat-civil
        },
        "metropole": {
            "description": 0.3333,  # met-gdu, met-hub
            "responsable": 1.0,
            "blocs": 1.0,
            "cout_annuel": 0.8333,  # all but met-billettique
            "mise_en_service": 1.0,
            "processus": 0.3333,  # met-gf, met-gdu
            "centre_de_donnees": 1.0,  # met-gf, met-rh, met-gdu, met-hub: 4/4
            "delegation": 1.0,  # met-billettique: 1/1
            "version": 0.0,
            "derniere_revue": 0.6667,  # met-gf, met-rh, met-gdu, met-hub
        },
        "total": {
            "description": 0.1053,  # 2/19
            "responsable": 0.6316,  # 12/19
            "blocs": 1.0,
            "cout_annuel": 0.7895,  # 15/19
            "mise_en_service": 0.6316,  # 12/19
            "processus": 0.6316,  # 12/19
            "centre_de_donnees": 1.0,  # 9/9
            "delegation": 1.0,  # 1/1
            "version": 0.0,
            "derniere_revue": 0.3158,  # 6/19
        },
    }
    for owner, fields in expected.items():
        for field, value in fields.items():
            assert rows[owner][field] == value, (owner, field)
    assert rows["total"]["applications"] == 19


def test_stale_reviews() -> None:
    # older than 12 months before 2026-06-01, i.e. before 2025-06-01
    rows = records(document(), "revues")
    assert [(row["application"], row["derniere_revue"], row["niveau"]) for row in rows] == [
        ("sa-finances", "2019-06-30", 0),
        ("vc-etat-civil", "2024-05-03", 0),
    ]
    # with 30 months (reviews before 2023-12-01) only sa-finances is stale
    longer = quality_document(example_portfolio(), REFERENCE_DATE, 30)
    assert [row["application"] for row in records(longer, "revues")] == ["sa-finances"]


def test_orphans() -> None:
    # No flow: lp-etat-civil, sa-etat-civil, sa-finances; no process: see the module docstring;
    # every application in service has a bloc.
    rows = records(document(), "orphelines")
    assert [
        (row["application"], row["sans_bloc"], row["sans_processus"], row["sans_flux"])
        for row in rows
    ] == [
        ("lp-etat-civil", False, True, True),
        ("met-billettique", False, True, False),
        ("met-hub", False, True, False),  # it relays flows: that counts
        ("met-opendata", False, True, False),
        ("met-rh", False, True, False),
        ("sa-etat-civil", False, True, True),
        ("sa-finances", False, False, True),
        ("vc-etat-civil", False, True, False),
    ]


def test_missing_fields_per_application() -> None:
    rows = by_key(document(), "manques", "application")
    assert rows["met-gdu"]["niveau"] == 2
    assert rows["met-gdu"]["champs_manquants"] == ("version",)
    assert rows["met-hub"]["niveau"] == 1
    assert rows["met-hub"]["champs_manquants"] == ("processus", "version")
    assert rows["met-billettique"]["champs_manquants"] == (
        "description",
        "cout_annuel",
        "processus",
        "version",
        "derniere_revue",
    )
    assert len(rows) == 19  # every application lacks at least version

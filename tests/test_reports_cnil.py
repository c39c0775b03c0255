"""``rapport cnil`` on the example métropole: every figure, computed by hand.

Applications in service that declare RU-030 sectors, and the communes using them:
lp-etat-civil (lp), sa-etat-civil (sa), vc-etat-civil (vc): etat-civil-citoyennete;
lp-portail-famille (lp), vc-portail-famille (vc): prestations-scolaires-periscolaires;
sa-police (sa), vc-police, vc-video (vc): polices-speciales-voirie;
met-gdu (lp, sa, vc), vc-signalement (vc): relations-usagers;
met-rh (lp, sa, vc): travail-social; met-billettique (the métropole only): transport.
(vc-accueil is retired; caf-cdap belongs to the CAF, outside the portfolio.)
"""

from __future__ import annotations

from support_reports import by_key, example_portfolio, records

from cartographie.document import Document
from cartographie.reports.cnil import cnil_document

ZERO_SECTORS = ("fiscalite", "sante", "transport", "relations-elus", "economie-urbanisme")


def document() -> Document:
    return cnil_document(example_portfolio())


def test_silo_matrix() -> None:
    rows = by_key(document(), "silos", "commune")
    expected = {
        "les-pres": {
            "travail-social": 1,  # met-rh
            "etat-civil-citoyennete": 1,  # lp-etat-civil
            "prestations-scolaires-periscolaires": 1,  # lp-portail-famille
            "polices-speciales-voirie": 0,
            "relations-usagers": 1,  # met-gdu
        },
        "saint-aubin": {
            "travail-social": 1,
            "etat-civil-citoyennete": 1,
            "prestations-scolaires-periscolaires": 0,
            "polices-speciales-voirie": 1,  # sa-police
            "relations-usagers": 1,
        },
        "ville-centre": {
            "travail-social": 1,
            "etat-civil-citoyennete": 1,
            "prestations-scolaires-periscolaires": 1,
            "polices-speciales-voirie": 2,  # vc-police, vc-video
            "relations-usagers": 2,  # met-gdu, vc-signalement
        },
        # distinct applications, all communes together (met-billettique counts here only)
        "metropole": {
            "travail-social": 1,
            "etat-civil-citoyennete": 3,
            "prestations-scolaires-periscolaires": 2,
            "polices-speciales-voirie": 3,
            "relations-usagers": 2,
        },
    }
    for commune, sectors in expected.items():
        for sector, count in sectors.items():
            assert rows[commune][sector] == count, (commune, sector)
        for sector in ZERO_SECTORS:
            wanted = 1 if (commune, sector) == ("metropole", "transport") else 0
            assert rows[commune][sector] == wanted, (commune, sector)
    # occupied silos: lp 4, sa 4, vc 5 = 13 of 3 × 10
    assert "13 silos occupés sur 30" in document().table("silos").title


def test_flows_crossing_a_silo_wall() -> None:
    # Personal data flows: quotient-familial ×2 (to the CAF: leaving, not a wall here),
    # acte-etat-civil vc-etat-civil→vc-portail-famille: the portail does not declare
    #   etat-civil-citoyennete -> sector wall;
    # main-courante vc-video→vc-police: same sector, same commune -> no wall;
    # main-courante vc-police→sa-police: two unshared applications of two communes -> commune;
    # demande-usager vc-signalement→met-gdu: both declare relations-usagers, met-gdu shared;
    # demande-usager met-gdu→vc-police: vc-police does not declare relations-usagers -> sector.
    rows = records(document(), "franchissements")
    assert [
        (
            row["source"],
            row["cible"],
            row["donnee"],
            row["secteur"],
            row["murs"],
            row["communes_source"],
            row["communes_cible"],
            row["emplacement"],
        )
        for row in rows
    ] == [
        (
            "met-gdu",
            "vc-police",
            "demande-usager",
            "relations-usagers",
            ("secteur",),
            ("les-pres", "saint-aubin", "ville-centre"),
            ("ville-centre",),
            "flux/relation-usager.yaml:27",
        ),
        (
            "vc-etat-civil",
            "vc-portail-famille",
            "acte-etat-civil",
            "etat-civil-citoyennete",
            ("secteur",),
            ("ville-centre",),
            ("ville-centre",),
            "flux/population.yaml:16",
        ),
        (
            "vc-police",
            "sa-police",
            "main-courante",
            "polices-speciales-voirie",
            ("commune",),
            ("ville-centre",),
            ("saint-aubin",),
            "flux/population.yaml:27",
        ),
    ]


def test_no_application_mixes_sectors() -> None:
    # every application of the example declares one sector at most
    assert records(document(), "melanges") == []


def test_personal_data_leaving_the_metropole() -> None:
    # both portails famille send the quotient familial to the CAF: Les Prés with explicit
    # consent, the ville centre on tacit consent (not compliant).
    rows = records(document(), "sorties")
    assert [
        (row["source"], row["organisme"], row["consentement"], row["conforme"], row["emplacement"])
        for row in rows
    ] == [
        ("lp-portail-famille", "caf", "explicite", True, "flux/population.yaml:10"),
        ("vc-portail-famille", "caf", "tacite", False, "flux/population.yaml:4"),
    ]

"""``rapport impact`` on the example métropole: every figure, computed by hand.

The flows of the example (15), by file:
gestion.yaml — met-rh→met-gf (ecritures-paie), vc-gmao→met-gf via met-hub (engagement),
  sa-gmao→met-gf (engagement), met-gf→met-opendata, met-billettique→met-opendata (jeu-open-data);
population.yaml — vc-portail-famille→caf-cdap, lp-portail-famille→caf-cdap (quotient-familial),
  vc-etat-civil→vc-portail-famille (acte-etat-civil), vc-video→vc-police,
  vc-police→sa-police (main-courante);
relation-usager.yaml — vc-signalement→met-gdu via met-hub (demande-usager),
  met-gdu→vc-gmao via met-hub, met-gdu→sa-gmao, met-gdu→lp-interventions
  (demande-intervention), met-gdu→vc-police (demande-usager).
"""

from __future__ import annotations

import pytest
from support_reports import by_key, example_portfolio, records

from cartographie.document import Document
from cartographie.errors import UsageError
from cartographie.reports.impact import impact_document


def summary(document: Document) -> dict[str, tuple[object, object]]:
    rows = records(document, "synthese")
    return {str(row["indicateur"]): (row["valeur"], row["liste"]) for row in rows}


def test_impact_of_a_bloc() -> None:
    # proximite: sa-police (sa), vc-police and vc-video (vc) -> 3 applications, 3 operations;
    # products edicia-municipol (both police) and milestone-xprotect; vendors edicia, milestone;
    # flows touching them: vc-video→vc-police, vc-police→sa-police, met-gdu→vc-police = 3.
    document = impact_document(example_portfolio(), block="proximite")
    assert summary(document) == {
        "applications": (3, ("sa-police", "vc-police", "vc-video")),
        "communes": (2, ("saint-aubin", "ville-centre")),
        "produits": (2, ("edicia-municipol", "milestone-xprotect")),
        "editeurs": (2, ("edicia", "milestone")),
        "flux": (3, ()),
        "organismes_exterieurs": (0, ()),
        "operations": (3, ()),
    }
    # per application, the flows of the scope touching it: vc-police is in all three
    apps = by_key(document, "applications", "application")
    assert {
        key: (row["proprietaire"], row["communes"], row["flux"]) for key, row in apps.items()
    } == {
        "sa-police": ("saint-aubin", ("saint-aubin",), 1),
        "vc-police": ("ville-centre", ("ville-centre",), 3),
        "vc-video": ("ville-centre", ("ville-centre",), 1),
    }
    flows = records(document, "flux")
    assert [(row["source"], row["cible"], row["emplacement"]) for row in flows] == [
        ("met-gdu", "vc-police", "flux/relation-usager.yaml:27"),
        ("vc-police", "sa-police", "flux/population.yaml:27"),
        ("vc-video", "vc-police", "flux/population.yaml:22"),
    ]
    assert document.parameters == (("Bloc", "proximite"),)


def test_impact_of_a_data_object() -> None:
    # quotient-familial: vc-portail-famille→caf-cdap and lp-portail-famille→caf-cdap;
    # the CAF's application is outside the métropole: 2 applications, 2 operations.
    document = impact_document(example_portfolio(), data="quotient-familial")
    assert summary(document) == {
        "applications": (2, ("lp-portail-famille", "vc-portail-famille")),
        "communes": (2, ("les-pres", "ville-centre")),
        "produits": (0, ()),
        "editeurs": (0, ()),
        "flux": (2, ()),
        "organismes_exterieurs": (1, ("caf-cdap",)),
        "operations": (2, ()),
    }


def test_impact_of_a_data_object_through_the_hub() -> None:
    # demande-intervention: met-gdu→vc-gmao via met-hub, met-gdu→sa-gmao,
    # met-gdu→lp-interventions: the hub relays one of them, so it is engaged too.
    document = impact_document(example_portfolio(), data="demande-intervention")
    values = summary(document)
    assert values["applications"] == (
        5,
        ("lp-interventions", "met-gdu", "met-hub", "sa-gmao", "vc-gmao"),
    )
    # met-gdu (3 users) and the three GMAO's communes: all three communes
    assert values["communes"] == (3, ("les-pres", "saint-aubin", "ville-centre"))
    assert values["flux"] == (3, ())
    # met-hub relays one flow, met-gdu sends all three
    apps = by_key(document, "applications", "application")
    assert apps["met-hub"]["flux"] == 1
    assert apps["met-gdu"]["flux"] == 3


def test_impact_of_a_vendor() -> None:
    # berger-levrault: met-gf (bl-emagnus-gf; used by lp, sa, vc) and sa-gmao (bl-atal);
    # flows touching them: met-rh→met-gf, vc-gmao→met-gf, sa-gmao→met-gf, met-gf→met-opendata,
    # met-gdu→sa-gmao = 5.
    document = impact_document(example_portfolio(), vendor="berger-levrault")
    assert summary(document) == {
        "applications": (2, ("met-gf", "sa-gmao")),
        "communes": (3, ("les-pres", "saint-aubin", "ville-centre")),
        "produits": (2, ("bl-atal", "bl-emagnus-gf")),
        "editeurs": (1, ("berger-levrault",)),
        "flux": (5, ()),
        "organismes_exterieurs": (0, ()),
        "operations": (2, ()),
    }
    apps = by_key(document, "applications", "application")
    assert apps["met-gf"]["flux"] == 4  # met-rh→, vc-gmao→, sa-gmao→, →met-opendata
    assert apps["sa-gmao"]["flux"] == 2  # sa-gmao→met-gf, met-gdu→sa-gmao


# bloc: (applications, communes, products, vendors, flows, operations)
EXPECTED_BY_BLOCK = {
    # met-gdu, vc-signalement (vc-accueil retired); flows: vc-signalement→met-gdu and the
    # four from met-gdu
    "demandes-usagers": (2, 3, 1, 1, 5, 2),
    # met-hub and met-opendata (métropole only); met-opendata receives 2 flows, met-hub relays
    # 3 (vc-gmao→met-gf, vc-signalement→met-gdu, met-gdu→vc-gmao): 5
    "echanges": (2, 0, 2, 2, 5, 2),
    # vc-etat-civil→vc-portail-famille
    "etat-civil": (3, 3, 2, 2, 1, 3),
    # the two portails famille: both to caf-cdap, and vc-etat-civil→vc-portail-famille
    "famille": (2, 2, 0, 0, 3, 2),
    # met-gf and sa-finances: met-rh→, vc-gmao→, sa-gmao→, met-gf→met-opendata
    "finances": (2, 3, 1, 1, 4, 2),
    # lp-interventions, sa-gmao, vc-gmao: met-gdu→ ×3, sa-gmao→met-gf, vc-gmao→met-gf
    "maintenance": (3, 3, 2, 2, 5, 3),
    # met-billettique→met-opendata
    "mobilite": (1, 0, 0, 0, 1, 1),
    "proximite": (3, 2, 2, 2, 3, 3),
    # met-rh→met-gf
    "rh": (1, 3, 1, 1, 1, 1),
}


def test_impact_bloc_by_bloc_without_a_scope() -> None:
    document = impact_document(example_portfolio())
    rows = by_key(document, "blocs", "bloc")
    found = {
        key: (
            row["applications"],
            row["communes"],
            row["produits"],
            row["editeurs"],
            row["flux"],
            row["operations"],
        )
        for key, row in rows.items()
    }
    assert found == EXPECTED_BY_BLOCK


def test_a_zone_as_scope_takes_every_bloc_below() -> None:
    # ressources: echanges (2), finances (2), maintenance (3), rh (1) = 8 applications
    document = impact_document(example_portfolio(), block="ressources")
    assert summary(document)["operations"] == (8, ())


def test_one_scope_at_a_time_and_known_ids() -> None:
    with pytest.raises(UsageError, match="une seule portée"):
        impact_document(example_portfolio(), block="rh", vendor="arpege")
    with pytest.raises(UsageError, match="bloc inconnu"):
        impact_document(example_portfolio(), block="proxmite")
    with pytest.raises(UsageError, match="donnée inconnue"):
        impact_document(example_portfolio(), data="nope")
    with pytest.raises(UsageError, match="éditeur inconnu") as error:
        impact_document(example_portfolio(), vendor="arpeg")
    assert "arpege" in error.value.hint

"""Backstage catalogs in: entities written from Backstage's documented descriptor format
(examples/backstage) become applications, blocs, responsables and flows; what has no equivalent
is reported with its file and line; broken catalogs are refused with every problem located."""

from __future__ import annotations

from pathlib import Path

import pytest
from support import RunCli

from cartographie.errors import InventoryError
from cartographie.interop.backstage import REPORT_NAME, import_backstage, parse_ref
from cartographie.interop.backstage.read import Ref
from cartographie.inventory import load_inventory

ROOT = Path(__file__).resolve().parents[1]
CATALOG = ROOT / "examples" / "backstage"


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> tuple[object, Path]:
    target = tmp_path_factory.mktemp("backstage") / "inventaire"
    report = import_backstage(CATALOG, target, metropole="Métropole du Val d'Auve")
    return report, target


def test_components_become_applications_with_their_owner_as_responsable(
    imported: tuple[object, Path],
) -> None:
    _report, target = imported
    inventory = load_inventory(target)
    assert sorted(inventory.applications) == [
        "ancien-portail",
        "authentification",
        "demandes-service",
        "demarches-web",
        "hub-echanges",
        "paiement-portail",
        "paiement-service",
    ]  # gru-utils is a library: reported, not an application
    web = inventory.applications["demarches-web"]
    assert (web.layer, web.lifecycle, web.hosting) == ("interface", "production", "saas")
    assert (web.responsible, web.contact) == (
        "Pôle usages numériques",
        "usages.numeriques@mva.example",
    )
    assert web.cnil_sectors == ["relations-usagers"]  # annotation cartographie/secteurs_cnil
    assert web.url == "https://demarches.mva.example"  # its first web link
    assert web.properties["metadata.tags"] == "gru, formulaires"
    assert web.properties["metadata.annotations.github.com/project-slug"] == "mva/demarches-web"
    assert web.properties["spec.dependsOn"] == "resource:default/bucket-pieces-jointes"
    assert inventory.applications["paiement-service"].lifecycle == "projet"  # experimental
    assert inventory.applications["ancien-portail"].lifecycle == "a-retirer"  # deprecated
    assert inventory.applications["hub-echanges"].hub is True
    assert inventory.applications["paiement-service"].responsible == (
        "DSI — applications de gestion"
    )
    assert inventory.applications["paiement-service"].contact is None  # the group has none
    assert set(inventory.owners.values()) == {"metropole"}
    assert inventory.metropole.name == "Métropole du Val d'Auve"


def test_systems_and_domains_become_the_urbanisation_map(imported: tuple[object, Path]) -> None:
    _report, target = imported
    blocks = load_inventory(target).blocks
    assert {key: (block.level, block.parent) for key, block in blocks.items()} == {
        "catalogue-backstage": ("zone", None),
        "services-a-la-population": ("zone", None),  # it has a subdomain
        "relation-usager": ("quartier", "services-a-la-population"),
        "socle": ("quartier", "catalogue-backstage"),
        "gru": ("bloc", "relation-usager"),
        "paiement-en-ligne": ("bloc", "relation-usager"),
        "echanges": ("bloc", "socle"),
    }
    assert blocks["gru"].name == "Gestion de la relation usager"


def test_apis_and_dependencies_become_flows(imported: tuple[object, Path]) -> None:
    _report, target = imported
    inventory = load_inventory(target)
    assert sorted((flow.source, flow.target, flow.data) for flow in inventory.flows) == [
        ("authentification", "demarches-web", "service-authentification"),  # dependsOn
        ("demandes-service", "demarches-web", "demandes-api"),  # provides → consumes
        ("demandes-service", "paiement-service", "service-demandes-service"),
        ("hub-echanges", "demandes-service", "referentiel-usagers-api"),
        ("paiement-service", "paiement-portail", "paiement-api"),
    ]
    api = inventory.data_objects["demandes-api"]
    assert api.name == "API des demandes"
    assert api.properties["spec.type"] == "openapi"
    assert "spec.definition" not in api.properties


def test_what_has_no_equivalent_is_reported_with_file_and_line(
    imported: tuple[object, Path],
) -> None:
    report, target = imported
    entities = {
        str(entity.ref): (entity.where, reason)
        for entity, reason in report.unmapped_entities  # type: ignore[attr-defined]
    }
    assert entities == {
        "component:default/gru-utils": (
            "services/gru/catalog-info.yaml:82",
            "bibliothèque : du code réutilisé, pas une application installée",
        ),
        "group:default/dgsin": (
            "org.yaml:2",
            "équipe qui ne possède aucune application importée",
        ),
        "location:default/metropole-racine": (
            "catalog-info.yaml:4",
            "emplacement : il dit où sont les autres fichiers",
        ),
        "resource:default/bucket-pieces-jointes": (
            "services/gru/catalog-info.yaml:160",
            "ressource d'infrastructure (base, stockage…) : pas d'équivalent",
        ),
        "resource:default/demarches-db": (
            "services/gru/catalog-info.yaml:150",
            "ressource d'infrastructure (base, stockage…) : pas d'équivalent",
        ),
        "user:default/c.martin": (
            "org.yaml:50",
            "personne : l'inventaire nomme des responsables, pas des personnes",
        ),
    }
    relations = report.unmapped_relations  # type: ignore[attr-defined]
    missing = [line for line in relations if "absente" in line[3]]
    assert missing == [
        (
            "services/gru/catalog-info.yaml:36",
            "component:default/demarches-web → api:default/carte-api",
            "consumesApis",
            "entité absente du catalogue",
        )
    ]
    text = (target / REPORT_NAME).read_text(encoding="utf-8")
    assert "## Entités non reprises (6)" in text and "carte-api" in text


def test_one_file_alone_imports_and_reports_what_it_refers_to(tmp_path: Path) -> None:
    source = CATALOG / "services" / "paiement" / "catalog-info.yaml"
    report = import_backstage(source, tmp_path / "x")
    inventory = load_inventory(tmp_path / "x")
    assert sorted(inventory.applications) == ["paiement-portail", "paiement-service"]
    # the owner's group lives in another file: its name is kept, the reference reported
    assert inventory.applications["paiement-service"].responsible == "dsi-finances"
    fields = sorted({relation[2] for relation in report.unmapped_relations})
    assert fields == ["dependsOn", "domain", "owner"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: a\n"
            "spec: {type: service, lifecycle: production, owner: x}\n---\n"
            "apiVersion: backstage.io/v1alpha1\nkind: component\nmetadata:\n  name: A\n",
            "catalog-info.yaml:7: E301: entité « component:default/a » déclarée deux fois "
            "(déjà en catalog-info.yaml:1)",
        ),
        (
            "apiVersion: backstage.io/v1alpha1\nmetadata:\n  name: a\n",
            "catalog-info.yaml:1: E202: entité sans « kind »",
        ),
        (
            "apiVersion: backstage.io/v1alpha1\nkind: System\nmetadata:\n  title: Sans nom\n",
            "catalog-info.yaml:1: E202: entité System sans « metadata.name »",
        ),
        (
            'kind: Component\nmetadata:\n  name: a\n  title: "Paie\\e[31m"\n',
            "catalog-info.yaml:4: E207: title : caractère de contrôle ESC (U+001B)",
        ),
    ],
)
def test_broken_catalogs_are_refused_with_every_problem_located(
    text: str, expected: str, tmp_path: Path
) -> None:
    (tmp_path / "catalog-info.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(InventoryError) as caught:
        import_backstage(tmp_path / "catalog-info.yaml", tmp_path / "x")
    assert caught.value.lines()[0].startswith(expected)
    assert not (tmp_path / "x").exists()


def test_entity_references_resolve_as_backstage_does() -> None:
    assert parse_ref("pole-usages", "group") == Ref("group", "default", "pole-usages")
    assert parse_ref("Group:Default/DSI-Socle", "group") == Ref("group", "default", "dsi-socle")
    assert parse_ref("api:metier/demandes", "api", "autre") == Ref("api", "metier", "demandes")
    assert parse_ref("demandes", "api", "metier") == Ref("api", "metier", "demandes")
    assert parse_ref("", "api") is None and parse_ref(3, "api") is None


def test_the_command(run_cli: RunCli, tmp_path: Path) -> None:
    done = run_cli("importer", "backstage", str(CATALOG), "-o", str(tmp_path / "x"))
    assert done.exit_code == 0, done.stderr
    assert "7 applications, 3 blocs, 5 flux (de 26 entités)" in done.stderr
    done = run_cli("importer", "backstage", str(tmp_path / "absent"), "-o", str(tmp_path / "y"))
    assert done.exit_code == 2 and "introuvable" in done.stderr

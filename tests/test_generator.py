"""The generator of the reference métropole: the committed ``inventory/`` is its output, the
output is valid and tells the story of DESIGN.md §9, the same seed gives the same bytes, and
writing never clobbers a directory it should not.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
import yaml
from support import RunCli, tree_snapshot

from cartographie.errors import UsageError
from cartographie.generator import generate_reference_inventory, write_reference_inventory
from cartographie.generator.yamlwrite import dump_document, format_string
from cartographie.graph import Portfolio
from cartographie.inventory import check_inventory, load_inventory
from cartographie.model.dates import day_of
from cartographie.model.inventory import Inventory
from cartographie.model.records import Application
from cartographie.schema import SCHEMA_FILE_NAME, modeline

REPOSITORY = Path(__file__).resolve().parent.parent
COMMITTED = REPOSITORY / "inventory"
PROXIMITY = (
    "regroupe l'ensemble des fonctionnalités nécessaires au maintien de l'ordre et de la "
    "tranquillité des citoyens"
)


@pytest.fixture(scope="module")
def reference_files() -> dict[str, str]:
    return generate_reference_inventory(1, 2026)


@pytest.fixture(scope="module")
def reference(
    reference_files: dict[str, str], tmp_path_factory: pytest.TempPathFactory
) -> Inventory:
    root = tmp_path_factory.mktemp("reference")
    for relative, text in reference_files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return load_inventory(root)


@pytest.fixture(scope="module")
def portfolio(reference: Inventory) -> Portfolio:
    return Portfolio(reference)


def _internal(inventory: Inventory) -> list[Application]:
    return [app for app in inventory.applications.values() if not inventory.is_external(app.id)]


def _communes_using(inventory: Inventory, application_id: str) -> set[str]:
    return {user for user in inventory.users[application_id] if user in inventory.communes}


# --- the committed inventory and determinism -----------------------------------------------


def test_committed_inventory_is_the_generator_output(reference_files: dict[str, str]) -> None:
    committed = {
        path.relative_to(COMMITTED).as_posix(): path.read_bytes()
        for path in sorted(COMMITTED.rglob("*"))
        if path.is_file()
    }
    generated = {path: text.encode("utf-8") for path, text in reference_files.items()}
    assert sorted(committed) == sorted(generated), (
        "inventory/ and the generator differ in files: run "
        "`cartographie exemple --sortie inventory --force`"
    )
    changed = [path for path in sorted(generated) if committed[path] != generated[path]]
    assert not changed, f"regenerate inventory/ (cartographie exemple --force): {changed[:5]}"


def test_same_seed_same_bytes_other_seed_other_bytes(reference_files: dict[str, str]) -> None:
    assert generate_reference_inventory(1, 2026) == reference_files
    other = generate_reference_inventory(1, 7)
    assert other != reference_files
    assert other[SCHEMA_FILE_NAME] == reference_files[SCHEMA_FILE_NAME]


_DIGEST = """
import hashlib
from cartographie.generator import generate_reference_inventory
files = generate_reference_inventory(1, 2026)
digest = hashlib.sha256()
for path, text in files.items():
    digest.update(path.encode() + b"\\0" + text.encode() + b"\\0")
print(digest.hexdigest())
"""


def test_output_does_not_depend_on_the_hash_seed() -> None:
    """Iterating a set of strings would make the order depend on PYTHONHASHSEED."""
    digests = set()
    for hash_seed in ("1", "2"):
        environment = {**os.environ, "PYTHONHASHSEED": hash_seed}
        done = subprocess.run(
            [sys.executable, "-c", _DIGEST], env=environment, capture_output=True, text=True,
            check=True,
        )
        digests.add(done.stdout.strip())
    assert len(digests) == 1


def test_every_yaml_file_has_its_modeline_and_says_it_is_generated(
    reference_files: dict[str, str],
) -> None:
    for path, text in reference_files.items():
        if not path.endswith(".yaml"):
            continue
        assert text.startswith(modeline(path)), path
        assert "cartographie exemple" in text.split("\n\n", 1)[0], path
        assert text.endswith("\n") and not text.endswith("\n\n"), path


def test_layout(reference_files: dict[str, str]) -> None:
    paths = set(reference_files)
    for expected in (
        SCHEMA_FILE_NAME,
        "territoire.yaml",
        "referentiel/blocs.yaml",
        "referentiel/processus.yaml",
        "referentiel/donnees.yaml",
        "referentiel/editeurs.yaml",
        "referentiel/delegations.yaml",
        "applications/metropole.yaml",
        "applications/partenaires.yaml",
        "flux/metropole.yaml",
    ):
        assert expected in paths
    assert sum(1 for path in paths if path.startswith("applications/")) == 16
    assert all(path.count("/") <= 1 for path in paths)


# --- figures -------------------------------------------------------------------------------


def test_fourteen_communes_and_about_twelve_hundred_applications(
    reference: Inventory, portfolio: Portfolio
) -> None:
    assert len(reference.communes) == 14
    assert 1100 <= len(_internal(reference)) <= 1300
    central = [commune for commune in reference.communes.values() if commune.central_city]
    assert len(central) == 1
    assert 300 <= len(portfolio.applications_of_commune(central[0].id)) <= 400
    others = sorted(
        (len(portfolio.applications_of_commune(commune)) for commune in reference.communes),
        reverse=True,
    )
    assert others[1] >= 100  # a few large communes…
    assert sum(1 for count in others if count < 80) >= 8  # …and many small ones


def test_several_thousand_flows_with_the_hub_partly_adopted(reference: Inventory) -> None:
    assert 3000 <= len(reference.flows) <= 6000
    hubs = [app for app in reference.applications.values() if app.hub]
    assert len(hubs) == 1
    assert reference.owners[hubs[0].id] == reference.metropole.id
    via_hub = [flow for flow in reference.flows if flow.via == hubs[0].id]
    assert 0.1 <= len(via_hub) / len(reference.flows) <= 0.5
    carried = {flow.data for flow in via_hub}
    bypassing = [flow for flow in reference.flows if flow.via is None and flow.data in carried]
    assert len(bypassing) > 100  # point-à-point flows the hub consolidation report will find


def test_about_forty_blocs_in_zones_and_quartiers(reference: Inventory) -> None:
    levels = Counter(block.level for block in reference.blocks.values())
    assert 4 <= levels["zone"] <= 8
    assert levels["quartier"] >= 10
    assert 35 <= levels["bloc"] <= 50
    for block in reference.blocks.values():
        if block.level == "bloc":
            assert reference.blocks[str(block.parent)].level == "quartier"


# --- the story -----------------------------------------------------------------------------


def test_proximite_holds_police_and_videoprotection_of_several_communes(
    reference: Inventory, portfolio: Portfolio
) -> None:
    block = reference.blocks["proximite"]
    assert block.name == "Proximité"
    assert block.description == PROXIMITY
    applications = [reference.applications[a] for a in portfolio.applications_of_block(block.id)]
    police = {
        commune
        for app in applications
        if "police municipale" in app.name.lower()
        for commune in _communes_using(reference, app.id)
    }
    video = {
        commune
        for app in applications
        if "vidéoprotection" in app.name.lower()
        for commune in _communes_using(reference, app.id)
    }
    assert len(police) >= 3
    assert len(video) >= 3


def test_gdu_is_shared_by_all_fourteen_communes(reference: Inventory) -> None:
    gdu = [
        app
        for app in reference.applications.values()
        if "gru" in app.blocks and reference.owners[app.id] == reference.metropole.id
    ]
    assert len(gdu) == 1
    assert gdu[0].lifecycle == "production"
    assert _communes_using(reference, gdu[0].id) == set(reference.communes)
    assert reference.processes["gdu"].steps[-1].applications == [gdu[0].id]


def test_gdu_goes_from_the_mairie_to_the_sector_of_the_place_and_back(
    reference: Inventory, portfolio: Portfolio
) -> None:
    """usager → mairie → the secteur d'intervention of the place concerned → usager."""
    steps = reference.processes["gdu"].steps
    assert [step.actor.split(" ")[0] for step in steps] == ["usager", "mairie", "secteur", "usager"]
    treatment = steps[2]
    assert treatment.sectors == sorted(reference.sectors)
    assert len(treatment.sectors) == 4
    assert steps[-1].next_steps == []
    # The sectors' teams use the applications of the communes they serve, for their blocs.
    assert {"gmao", "domaine-public", "proprete-dechets", "espaces-verts"} <= set(treatment.blocks)
    assert portfolio.sectors_of_step("gdu", treatment.id) == treatment.sectors


def test_four_territorial_sectors_across_commune_boundaries(reference: Inventory) -> None:
    """The ville centre split between two sectors, the small communes grouped, every engaged
    commune served by a sector."""
    assert len(reference.sectors) == 4
    central = next(commune for commune in reference.communes.values() if commune.central_city)
    split = reference.sectors_of_commune(central.id)
    assert len(split) == 2 and all(part for _sector, part in split)
    for commune in reference.communes:
        assert reference.sectors_of_commune(commune), commune
        if commune != central.id:
            assert [part for _sector, part in reference.sectors_of_commune(commune)] == [None]
    small = {c.id for c in reference.communes.values() if (c.population or 0) < 10_000}
    grouped = [
        sector
        for sector in reference.sectors.values()
        if sum(1 for area in sector.areas if area.commune in small) >= 2
    ]
    assert len(grouped) >= 3
    assert all(len(sector.areas) >= 3 for sector in reference.sectors.values())


def test_the_fourteen_are_nearly_half_of_the_metropole(reference: Inventory) -> None:
    total = len(reference.communes) + len(reference.other_communes)
    assert 0.4 <= len(reference.communes) / total < 0.5
    # The others are only named: no application, no adhesion.
    organisations = set(reference.owners.values()) | {
        user for users in reference.users.values() for user in users
    }
    assert not organisations & set(reference.other_communes)


def test_a_dozen_processes(reference: Inventory) -> None:
    assert 11 <= len(reference.processes) <= 14
    for expected in (
        "gdu", "inscription-periscolaire", "etat-civil", "elections", "paie",
        "commande-facture", "intervention-gmao", "autorisation-urbanisme", "police-municipale",
        "billettique",
    ):
        assert expected in reference.processes
    for process in reference.processes.values():
        for step in process.steps:
            assert step.actor
            assert step.blocks or step.applications, (process.id, step.id)


def test_finances_and_rh_converged_on_metropole_applications(reference: Inventory) -> None:
    for block, domain in (("finances", "finances"), ("paie-carriere", "ressources-humaines")):
        shared = [
            app
            for app in reference.applications.values()
            if block in app.blocks
            and reference.owners[app.id] == reference.metropole.id
            and app.lifecycle == "production"
        ]
        assert len(shared) == 1, block
        assert _communes_using(reference, shared[0].id) == set(reference.communes)
        for commune in reference.communes.values():
            years = {item.domain: item.since for item in commune.mutualisations}
            assert 2015 <= years[domain] <= 2022, (commune.id, domain)
        # What the communes used before was retired and points to the shared application.
        retired = [
            app
            for app in reference.applications.values()
            if block in app.blocks and app.replaced_by == shared[0].id
        ]
        assert retired and all(app.lifecycle in ("retiree", "a-retirer") for app in retired)


def test_about_twenty_maintenance_applications_not_converged(reference: Inventory) -> None:
    gmao = [
        app
        for app in _internal(reference)
        if "gmao" in app.blocks and reference.owners[app.id] != reference.metropole.id
    ]
    assert 17 <= len(gmao) <= 24
    assert len({app.product for app in gmao}) >= 4
    assert {reference.owners[app.id] for app in gmao} == set(reference.communes)


def test_five_communes_with_a_reporting_app_one_abandoned(reference: Inventory) -> None:
    reporting = [
        app
        for app in reference.applications.values()
        if "signalement" in app.blocks and reference.owners[app.id] in reference.communes
    ]
    assert len({reference.owners[app.id] for app in reporting}) == 5
    abandoned = [app for app in reporting if app.lifecycle in ("retiree", "a-retirer")]
    assert len(abandoned) == 1
    assert abandoned[0].retired_in is not None


def test_caf_quotient_familial_on_tacit_consent_since_2012(reference: Inventory) -> None:
    from_caf = [
        flow
        for flow in reference.flows
        if reference.owners[flow.source] == "caf" and flow.data == "quotient-familial"
    ]
    by_consent: dict[str | None, set[str]] = {}
    for flow in from_caf:
        by_consent.setdefault(flow.consent, set()).add(reference.owners[flow.target])
        assert flow.since == 2012, flow.key
    assert set(by_consent) == {"tacite", "explicite"}
    assert len(by_consent["tacite"]) >= 2
    assert by_consent["tacite"] | by_consent["explicite"] <= set(reference.communes)
    # The families' numbers go to the CAF the same way.
    to_caf = [flow for flow in reference.flows if reference.owners[flow.target] == "caf"]
    assert {flow.consent for flow in to_caf} == {"tacite", "explicite"}


def test_transport_delegation_renewed_and_ticketing_operated_by_the_delegate(
    reference: Inventory,
) -> None:
    renewals = [item for item in reference.delegations.values() if item.renews is not None]
    transport = [item for item in renewals if "transport" in item.service.lower()]
    assert len(transport) == 1
    first = reference.delegations[str(transport[0].renews)]
    assert (first.start.year, first.end.year) == (2015, 2022)
    assert first.amount == 1_500_000_000
    assert transport[0].start == dt.date(2023, 1, 1)
    ticketing = [
        app
        for app in reference.applications.values()
        if app.delegation == transport[0].id and "billettique" in app.name.lower()
    ]
    assert len(ticketing) == 1
    assert ticketing[0].hosting == "delegataire"
    assert ticketing[0].governance == "delegataire"
    assert any(
        step.applications == [ticketing[0].id] for step in reference.processes["billettique"].steps
    )


def test_parking_prediction_saas_sold_through_the_parking_delegate(reference: Inventory) -> None:
    parking = [
        item
        for item in reference.delegations.values()
        if "stationnement" in item.service.lower()
    ]
    assert len(parking) == 1
    saas = [
        app
        for app in reference.applications.values()
        if app.delegation == parking[0].id and app.hosting == "saas"
    ]
    assert len(saas) == 1
    assert "stationnement" in saas[0].blocks
    assert "prévision" in saas[0].name.lower()


def test_free_software_accueil_app_of_the_departement_never_extended_then_replaced(
    reference: Inventory,
) -> None:
    taken = [
        app
        for app in reference.applications.values()
        if app.origin_note and "conseil départemental" in app.origin_note
    ]
    assert len(taken) == 1
    app = taken[0]
    owner = reference.communes[reference.owners[app.id]]
    assert not owner.central_city  # chosen by another commune than the ville centre
    assert reference.users[app.id] == (owner.id,)  # never extended beyond it
    assert app.in_service_since == 2010
    assert app.product is not None
    assert reference.products[app.product].licence == "libre"
    assert "périscolaire" in (app.description or "")
    assert "jamais été étendu" in (app.description or "")
    assert app.lifecycle == "retiree" and app.retired_in is not None
    assert app.replaced_by is not None and reference.is_shared(app.replaced_by)
    assert "gru" in reference.applications[app.replaced_by].blocks  # the shared GDU


def test_the_signalement_app_dropped_although_it_worked(reference: Inventory) -> None:
    (dropped,) = [
        app
        for app in reference.applications.values()
        if "signalement" in app.blocks and app.lifecycle == "retiree"
    ]
    text = dropped.description or ""
    assert "fonctionnait bien" in text and "surveillés" in text
    assert "faute d'usage" not in text
    assert dropped.replaced_by is None


def test_open_data_portal_fed_by_few_applications(reference: Inventory) -> None:
    portals = [app for app in reference.applications.values() if "open-data" in app.blocks]
    assert len(portals) == 1
    feeding = {flow.source for flow in reference.flows if flow.target == portals[0].id}
    assert 1 <= len(feeding) <= 6


def test_two_data_centres_and_every_hosting(reference: Inventory) -> None:
    assert len(reference.datacenters) == 2
    hosted = Counter(app.datacenter for app in reference.applications.values() if app.datacenter)
    assert set(hosted) == set(reference.datacenters)
    assert {app.hosting for app in reference.applications.values()} == {
        "datacenter", "saas", "delegataire", "poste",
    }


def test_the_two_data_centres_back_each_other_up_but_not_everything(
    reference: Inventory,
) -> None:
    first, second = reference.datacenters.values()
    assert (first.backup, second.backup) == (second.id, first.id)
    without = Counter(
        app.datacenter for app in reference.applications.values() if app.no_backup
    )
    assert set(without) == set(reference.datacenters)
    for datacenter, count in without.items():
        assert count < sum(
            1 for app in reference.applications.values() if app.datacenter == datacenter
        )


def test_cnil_crossings_and_rgpd_exchanges_left_to_find(reference: Inventory) -> None:
    applications, data = reference.applications, reference.data_objects
    personal = [flow for flow in reference.flows if data[flow.data].personal]
    across_sectors = [
        flow
        for flow in personal
        if not reference.is_external(flow.target)
        and data[flow.data].cnil_sector not in applications[flow.target].cnil_sectors
    ]
    across_communes = [
        flow
        for flow in personal
        if reference.owners[flow.source] in reference.communes
        and reference.owners[flow.target] in reference.communes
        and reference.owners[flow.source] != reference.owners[flow.target]
        and not reference.is_shared(flow.source)
        and not reference.is_shared(flow.target)
    ]
    assert 10 <= len(across_sectors) <= 400
    assert len(across_communes) >= 3
    leaving = [flow for flow in personal if reference.is_external(flow.target)]
    assert all(flow.consent is not None for flow in leaving)


def test_the_portfolio_is_not_uniform(reference: Inventory) -> None:
    applications = _internal(reference)
    assert {app.lifecycle for app in applications} == {
        "projet", "production", "convergence", "a-retirer", "retiree",
    }
    for app in applications:
        if app.lifecycle == "retiree":
            assert app.retired_in is not None, app.id
        if app.retired_in and app.in_service_since:
            assert day_of(app.retired_in) >= day_of(app.in_service_since), app.id
        if app.last_review and app.in_service_since:
            assert app.last_review.year >= min(app.in_service_since, 2026), app.id
    ungoverned = [
        app for app in applications
        if app.hosting == "saas" and app.governance == "direction-metier"
    ]
    assert len(ungoverned) >= 20
    closed = [app for app in applications if reference.api_openness(app.id) == "aucune"]
    assert len(closed) >= 50
    assert sum(1 for app in applications if app.last_review and app.last_review.year < 2020) >= 20
    costs = [app.annual_cost for app in applications if app.annual_cost]
    assert len(costs) >= len(applications) // 3
    assert max(costs) > 50 * min(costs)
    assert len({app.responsible for app in applications}) >= 20


def test_documentation_is_uneven_as_in_a_real_inventory(
    reference: Inventory, portfolio: Portfolio
) -> None:
    """The métropole's DSI documents what it runs far better than a small commune does (what
    ``rapport qualite`` grades); versions of one product lag from one commune to the next."""

    def described(owner_ids: set[str]) -> float:
        owned = [app for app in _internal(reference) if portfolio.owner_of(app.id) in owner_ids]
        return sum(1 for app in owned if app.description) / len(owned)

    small = {commune.id for commune in reference.communes.values() if commune.population < 10_000}
    assert len(small) >= 5
    assert described({"metropole"}) >= 0.8
    assert described(small) <= 0.4
    assert 0.3 <= described(set(reference.communes) | {"metropole"}) <= 0.7
    versions: dict[str, set[str]] = {}
    for app in _internal(reference):
        if app.version:
            unversioned = (None, "microsoft-excel", "microsoft-access", "pc-soft-windev")
            assert app.product not in unversioned, app.id
            versions.setdefault(app.product or "", set()).add(app.version)
    assert len(versions) >= 20
    assert sum(1 for found in versions.values() if len(found) > 1) >= 5


def test_real_vendors_and_products(reference: Inventory) -> None:
    names = {vendor.name for vendor in reference.vendors.values()}
    for expected in (
        "Berger-Levrault", "Arpège", "Ciril GROUP", "Inetum", "JVS-Mairistem", "Libriciel SCOP",
        "openMairie", "Operis", "Edicia", "Kimoce", "BibLibre", "Maarch",
    ):
        assert expected in names
    assert {vendor.api for vendor in reference.vendors.values()} == {
        "ouverte", "proprietaire", "aucune",
    }
    assert any(product.suite for product in reference.products.values())
    assert any(product.licence == "libre" for product in reference.products.values())
    used = {app.product for app in reference.applications.values() if app.product}
    assert used == set(reference.products)  # no product declared for nothing


def test_personal_data_objects_have_their_sector(reference: Inventory) -> None:
    personal = [item for item in reference.data_objects.values() if item.personal]
    assert len(personal) >= 15
    assert len({item.cnil_sector for item in personal}) == 10
    assert any(not item.personal for item in reference.data_objects.values())


# --- writing -------------------------------------------------------------------------------


def test_write_refuses_a_non_empty_directory_and_leaves_it_untouched(tmp_path: Path) -> None:
    target = tmp_path / "inventaire"
    target.mkdir()
    (target / "notes.txt").write_text("à garder\n", encoding="utf-8")
    before = tree_snapshot(tmp_path)
    with pytest.raises(UsageError) as raised:
        write_reference_inventory(target)
    assert raised.value.message == (
        f"le dossier « {target} » n'est pas un inventaire écrit par cartographie : il ne "
        "contient pas de territoire.yaml"
    )
    assert "même avec --force" in raised.value.hint
    assert tree_snapshot(tmp_path) == before


def test_force_replaces_an_inventory_but_not_anything_else(
    tmp_path: Path, reference_files: dict[str, str]
) -> None:
    target = tmp_path / "inventaire"
    summary = write_reference_inventory(target)
    assert (summary.communes, summary.flows) == (14, len(load_inventory(target).flows))
    assert 1100 <= summary.applications <= 1300
    (target / "applications" / "en-trop.yaml").write_text("flux: []\n", encoding="utf-8")
    write_reference_inventory(target, force=True)
    written = {
        path.relative_to(target).as_posix(): path.read_text(encoding="utf-8")
        for path in target.rglob("*")
        if path.is_file()
    }
    assert written == reference_files
    assert [path.name for path in tmp_path.iterdir()] == ["inventaire"]  # no leftovers

    elsewhere = tmp_path / "projet"
    elsewhere.mkdir()
    (elsewhere / "README.md").write_text("un dépôt\n", encoding="utf-8")
    before = tree_snapshot(elsewhere)
    with pytest.raises(UsageError):
        write_reference_inventory(elsewhere, force=True)
    assert tree_snapshot(elsewhere) == before


def test_an_interrupted_write_leaves_the_old_inventory_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "inventaire"
    write_reference_inventory(target, seed=5)
    before = tree_snapshot(tmp_path)
    written: list[Path] = []
    original = Path.write_bytes

    def failing(path: Path, data: bytes) -> int:
        if len(written) == 20:
            raise KeyboardInterrupt  # Ctrl-C in the middle of the files
        written.append(path)
        return original(path, data)

    monkeypatch.setattr(Path, "write_bytes", failing)
    with pytest.raises(KeyboardInterrupt):
        write_reference_inventory(target, seed=6, force=True)
    assert written and all(target not in path.parents for path in written)
    assert tree_snapshot(tmp_path) == before  # old inventory intact, no staging left behind


def test_the_exemple_command_writes_and_refuses(run_cli: RunCli, tmp_path: Path) -> None:
    run = run_cli("exemple", "--sortie", str(tmp_path / "m"), "--graine", "9")
    assert run.exit_code == 0
    assert "14 communes" in run.stderr
    run = run_cli("exemple", "--sortie", str(tmp_path / "m"))
    assert run.exit_code == 2
    assert "contient déjà un inventaire (ajoutez --force pour le remplacer" in run.stderr
    assert "Traceback" not in run.stderr


def test_write_into_an_empty_or_new_directory(tmp_path: Path) -> None:
    empty = tmp_path / "vide"
    empty.mkdir()
    write_reference_inventory(empty, seed=3)
    assert (empty / "territoire.yaml").is_file()
    write_reference_inventory(tmp_path / "a" / "b", seed=3)
    assert (tmp_path / "a" / "b" / SCHEMA_FILE_NAME).is_file()


# --- the YAML emitter ----------------------------------------------------------------------

TRICKY = [
    "yes", "No", "ON", "off", "y", "n", "true", "False", "null", "~", "", " lead", "trail ",
    "a: b", "a #b", "a#b", "end:", "-x", "- x", "?x", ":x", "[a]", "{a}", "a,b", "*ref", "&a",
    "!tag", "|", "> x", "'q", '"q', "%p", "@x", "`x", "0", "007", "1e3", "1.5", ".5", ".inf",
    "0x1F", "0o17", "1_000", "1:20", "2022-12-31", "2022-12-31 10:00:00", "+1", "<<", "=",
    "tab\there", "line\nbreak", "cr\rx", "nbsp\xa0x", "\ufeffbom", "\x85", "\u2028", "emoji 😀",
    "back\\slash", 'quote"in', "Mélodie — état civil", "S²LOW", "As@lae", "l'Évêque", "---",
    "...", "<b>&amp;</b>", "\x7f", "\x9f", "\ufffe",
]


@pytest.mark.parametrize("text", TRICKY)
def test_strings_read_back_unchanged(text: str) -> None:
    assert yaml.safe_load(f"k: {format_string(text)}")["k"] == text
    assert yaml.safe_load(f"k: [{format_string(text, True)}, z]")["k"] == [text, "z"]


def test_random_strings_read_back_unchanged() -> None:
    rng = random.Random(2026)
    alphabet = "ab :#-,[]{}'\"\\\t\n é—09.+yYnN~!&*|>%@`\x85\xa0\u2028\ufeff😀\r\x00"
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 8)))
        assert yaml.safe_load(f"k: {format_string(text)}")["k"] == text, repr(text)
        assert yaml.safe_load(f"k: [{format_string(text, True)}]")["k"] == [text], repr(text)


def test_documents_keep_accents_and_types() -> None:
    text = dump_document(
        {
            "a": {"nom": "Bréville", "n": 3, "ok": True, "le": dt.date(2022, 12, 31)},
            "l": [{"id": "x", "vide": [], "absent": None, "v": ["1.5", "yes"]}],
        },
        ["entête"],
    )
    assert "Bréville" in text and "absent" not in text
    assert yaml.safe_load(text) == {
        "a": {"nom": "Bréville", "n": 3, "ok": True, "le": dt.date(2022, 12, 31)},
        "l": [{"id": "x", "vide": [], "v": ["1.5", "yes"]}],
    }


# --- larger scales -------------------------------------------------------------------------


@pytest.mark.slow
def test_scale_ten_is_valid_and_ten_times_larger(tmp_path: Path) -> None:
    files = generate_reference_inventory(10, 2026)
    contents = {
        path: text.encode("utf-8") for path, text in files.items() if path.endswith(".yaml")
    }
    result = check_inventory(tmp_path, contents)
    assert not result.errors, result.errors[:5]
    inventory = result.inventory
    assert inventory is not None
    assert len(inventory.communes) == 140
    assert 11_000 <= len(_internal(inventory)) <= 13_000
    assert len(inventory.flows) >= 30_000
    assert len(inventory.other_communes) == 160
    assert len(inventory.sectors) == 40
    assert sum(1 for commune in inventory.communes.values() if commune.central_city) == 1

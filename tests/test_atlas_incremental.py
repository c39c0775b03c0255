"""Incremental atlas: after any change to the inventory, the atlas brought up to date is the very
atlas a cold run makes — every map, every page and the manifest, byte for byte.

Each case changes one kind of record of the example (an application, a commune, a bloc, a
zone, a flow, a data object, a vendor, a process, a partner, the métropole, a délégation) and
compares the incremental run with a cold run on the changed inventory. The digests of
``cartographie.atlas.deps`` decide what an incremental run redoes: a dependency they forget
shows here as a stale page or map.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from cartes_support import EXAMPLE, REPOSITORY, copy_example, rename_application

from cartographie.atlas import AtlasOptions, AtlasResult, build_atlas
from cartographie.graph import Portfolio
from cartographie.inventory import load_inventory

SERIAL = AtlasOptions(jobs=1)
REFERENCE = REPOSITORY / "inventory"
Data = dict[str, Any]


def build(inventory: Path, out: Path, options: AtlasOptions = SERIAL) -> AtlasResult:
    return build_atlas(Portfolio(load_inventory(inventory)), out, options)


def every_file(root: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(root)): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def edit(inventory: Path, relative: str, change: Callable[[Data], None]) -> None:
    path = inventory / relative
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def record(items: list[Data], record_id: str) -> Data:
    return next(item for item in items if item.get("id") == record_id)


def set_field(relative: str, section: str, record_id: str, **values: Any) -> Callable[[Path], None]:
    """A change: give the record ``record_id`` of ``section`` in ``relative`` these fields."""

    def change(inventory: Path) -> None:
        edit(inventory, relative, lambda data: record(data[section], record_id).update(values))

    return change


def add_flow(inventory: Path) -> None:
    flow = {
        "source": "vc-police",
        "cible": "sa-gmao",
        "donnee": "demande-intervention",
        "protocole": "api",
        "frequence": "quotidienne",
    }
    edit(inventory, "flux/gestion.yaml", lambda data: data["flux"].append(flow))


def drop_first_flow(inventory: Path) -> None:
    edit(inventory, "flux/gestion.yaml", lambda data: data["flux"].pop(0))


def add_step_application(inventory: Path) -> None:
    def change(data: Data) -> None:
        step = record(record(data["processus"], "gdu")["etapes"], "intervention")
        step["applications"] = [*step.get("applications", []), "vc-police"]

    edit(inventory, "referentiel/processus.yaml", change)


def rename_step(inventory: Path) -> None:
    def change(data: Data) -> None:
        step = record(record(data["processus"], "gdu")["etapes"], "qualification")
        step["nom"] = "Tri par la mairie"

    edit(inventory, "referentiel/processus.yaml", change)


def rename_metropole(inventory: Path) -> None:
    edit(inventory, "territoire.yaml", lambda data: data["metropole"].update(nom="Val d'Auve"))


def shift_flows(inventory: Path) -> None:
    """Flows move two lines down their file (the CNIL and flow reports print file:line)."""
    path = inventory / "flux" / "population.yaml"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join([lines[0], "# Note\n", "# sur deux lignes\n", *lines[1:]]), "utf-8")


APPS = "applications/ville-centre.yaml"
CHANGES: dict[str, Callable[[Path], None]] = {
    "an application's name": lambda inventory: rename_application(
        inventory, "vc-video", "Vidéoprotection renommée"
    ),
    "a shared application's name": lambda inventory: rename_application(
        inventory, "met-gf", "Finances de la métropole"
    ),
    "an application's users": set_field(
        APPS, "applications", "vc-video", utilisateurs=["ville-centre", "saint-aubin"]
    ),
    "an application retired": set_field(APPS, "applications", "vc-police", cycle_de_vie="retiree"),
    "an application's bloc": set_field(APPS, "applications", "vc-gmao", blocs=["proximite"]),
    "an application's product": set_field(APPS, "applications", "vc-video", produit=None),
    "a commune's name": set_field("territoire.yaml", "communes", "saint-aubin", nom="Saint-Aubin"),
    "a partner's name": set_field("territoire.yaml", "partenaires", "caf", nom="CAF du Val"),
    "a data centre's name": set_field(
        "territoire.yaml", "centres_de_donnees", "dc-hotel-metropole", nom="Salle de la métropole"
    ),
    "the métropole's name": rename_metropole,
    "a sector's name": set_field("territoire.yaml", "secteurs", "secteur-sud", nom="Secteur Auve"),
    "a sector's communes": set_field(
        "territoire.yaml",
        "secteurs",
        "secteur-nord",
        perimetre=[{"commune": "ville-centre", "partie": "le nord"}, {"commune": "les-pres"}],
    ),
    "an other commune's name": set_field(
        "territoire.yaml", "autres_communes", "auve-le-haut", nom="Haute-Auve"
    ),
    "a data centre's backup": set_field(
        "territoire.yaml", "centres_de_donnees", "dc-secours", secours=None
    ),
    "an application without backup": set_field(APPS, "applications", "vc-video", hors_secours=True),
    "a bloc's name and description": set_field(
        "referentiel/blocs.yaml", "blocs", "proximite", nom="Proximité", description="Autre."
    ),
    "a zone's name": set_field(
        "referentiel/blocs.yaml", "blocs", "services-population", nom="Population"
    ),
    "a data object's name": set_field(
        "referentiel/donnees.yaml", "donnees", "demande-intervention", nom="Bon d'intervention"
    ),
    "a vendor's name": set_field(
        "referentiel/editeurs.yaml", "editeurs", "milestone", nom="Milestone"
    ),
    "a délégation's name": set_field(
        "referentiel/delegations.yaml", "delegations", "dsp-transport-2023", nom="DSP 2023"
    ),
    "a step's name": rename_step,
    "a step's applications": add_step_application,
    "a new flow": add_flow,
    "a flow removed": drop_first_flow,
    "flows moved down their file": shift_flows,
}


# Names every page shows (the métropole's, in the header) or most (a commune's, in the users of
# every shared application).
GLOBAL = {"the métropole's name", "a commune's name"}


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The example (one copy, so that every atlas names the same inventory folder) and its
    cold atlas."""
    root = tmp_path_factory.mktemp("incremental")
    inventory = copy_example(root / "inventaire")
    out = root / "atlas"
    assert build(inventory, out).failures == []
    return inventory, out


@pytest.fixture
def workspace(base: tuple[Path, Path]) -> Iterator[tuple[Path, Path]]:
    """The base inventory and a copy of its atlas; the inventory is restored afterwards."""
    inventory, out = base
    saved = out.parent / "inventaire-sauve"
    shutil.copytree(inventory, saved)
    atlas = out.parent / "atlas-incremental"
    shutil.copytree(out, atlas)
    yield inventory, atlas
    shutil.rmtree(atlas)
    shutil.rmtree(inventory)
    saved.rename(inventory)


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_an_incremental_atlas_equals_a_cold_one(change: str, workspace: tuple[Path, Path]) -> None:
    inventory, atlas = workspace
    CHANGES[change](inventory)
    incremental = build(inventory, atlas)
    cold = atlas.parent / "atlas-froid"
    try:
        build(inventory, cold)
        assert every_file(atlas) == every_file(cold), change
    finally:
        shutil.rmtree(cold, ignore_errors=True)
    assert incremental.failures == []
    if change not in GLOBAL:
        # Not a full rebuild in disguise: the report pages change, most pages stay.
        assert incremental.pages_written < incremental.pages / 2


def test_renaming_and_renaming_back_gives_the_first_atlas(workspace: tuple[Path, Path]) -> None:
    inventory, atlas = workspace
    first = every_file(atlas)
    rename_application(inventory, "vc-video", "Vidéoprotection renommée")
    assert build(inventory, atlas).rendered_keys  # the maps showing it were drawn again
    rename_application(inventory, "vc-video", "Vidéoprotection urbaine")
    back = build(inventory, atlas)
    assert every_file(atlas) == first
    assert back.rendered == len(back.rendered_keys) > 0


def test_a_map_whose_drawing_did_not_change_is_not_drawn_again(
    workspace: tuple[Path, Path],
) -> None:
    inventory, atlas = workspace
    # The flow's data shows on the flow's tooltip in the bloc map, not on the commune maps.
    set_field(
        "referentiel/donnees.yaml", "donnees", "acte-etat-civil", nom="Acte d'état civil (copie)"
    )(inventory)
    result = build(inventory, atlas)
    assert result.rendered_keys
    assert "communes/saint-aubin.svg" not in result.rendered_keys
    assert result.reused > result.rendered


def test_parallel_and_serial_atlases_are_the_same(tmp_path: Path) -> None:
    inventory = copy_example(tmp_path / "inventaire")
    serial, parallel, threaded = tmp_path / "serie", tmp_path / "parallele", tmp_path / "fil"
    build(inventory, serial)
    build(inventory, parallel, AtlasOptions(jobs=2))
    build(inventory, threaded, AtlasOptions(jobs=0))
    assert every_file(serial) == every_file(parallel) == every_file(threaded)


@pytest.mark.parametrize("inventory", [EXAMPLE, REFERENCE], ids=["exemple", "reference"])
def test_reports_that_say_they_read_no_application_name_read_none(inventory: Path) -> None:
    """``names_of_applications=False`` lets a rename skip the report: renaming every
    application (in an order that reverses their sorting) must leave the page made with the ids
    as it was (the names are filled in afterwards)."""
    from cartographie.reports.registry import atlas_reports

    loaded = load_inventory(inventory)
    count = len(loaded.applications)
    renamed = {
        app_id: application.model_copy(
            update={"name": f"{count - index:06d} <b>renommée</b> & {app_id}"}
        )
        for index, (app_id, application) in enumerate(loaded.applications.items())
    }
    before = Portfolio(loaded)
    after = Portfolio(dataclasses.replace(loaded, applications=renamed))
    blind = [spec for spec in atlas_reports() if not spec.names_of_applications]
    assert len(blind) >= 5  # the figures reports: a rename need not redo them
    from cartographie.atlas.pages import reference_page
    from cartographie.atlas.reportpages import blind_fragment

    def page(spec: object, portfolio: Portfolio) -> str:
        return blind_fragment(spec.document(portfolio), reference_page)  # type: ignore[attr-defined]

    for spec in blind:
        assert page(spec, before) == page(spec, after), spec.name


def test_a_rename_makes_no_report_again_and_names_it_in_every_report(
    workspace: tuple[Path, Path],
) -> None:
    inventory, atlas = workspace

    def fragments() -> dict[str, str]:
        manifest = json.loads((atlas / ".atlas-manifeste.json").read_text(encoding="utf-8"))
        return {page: digest for page, digest in manifest["pages"].items() if ".fragment" in page}

    def naming(name: str) -> list[str]:
        return sorted(
            path.name
            for path in (atlas / "rapports").glob("*.html")
            if f'title="vc-video">{name}</a>' in path.read_text(encoding="utf-8")
        )

    before = fragments()
    shown = naming("Vidéoprotection urbaine")
    assert len(before) >= 6 and "convergence.html" in shown
    rename_application(inventory, "vc-video", "Vidéoprotection renommée")
    build(inventory, atlas)
    # The reports were not made again: their fragments (made with the ids) are those of before,
    # and the new name is filled in wherever the old one was.
    assert fragments() == before
    assert naming("Vidéoprotection urbaine") == []
    assert naming("Vidéoprotection renommée") == shown


def test_at_a_date_a_rename_redoes_no_dossier_nor_report_of_others(tmp_path: Path) -> None:
    """``atlas --date``: the dossiers and the reports that leave the applications' names out
    hang on the inventory as written without its names, as without a date: a rename makes
    again the dossier of the commune that uses the application, no other, no report fragment —
    and the result is still the cold atlas at that date."""
    options = dataclasses.replace(SERIAL, moment=dt.date(2028, 1, 1))
    inventory = copy_example(tmp_path / "inventaire")
    atlas = tmp_path / "atlas"
    build(inventory, atlas, options)

    def digests() -> dict[str, str]:
        manifest = json.loads((atlas / ".atlas-manifeste.json").read_text(encoding="utf-8"))
        pages: dict[str, str] = manifest["pages"]
        return {
            page: digest
            for page, digest in pages.items()
            if ".fragment" in page or page.startswith("dossiers/")
        }

    before = digests()
    assert "dossiers/les-pres.html" in before and "rapports/convergence.fragment" not in before
    rename_application(inventory, "vc-video", "Vidéoprotection renommée")
    build(inventory, atlas, options)
    changed = sorted(page for page, digest in digests().items() if before[page] != digest)
    assert changed == ["dossiers/ville-centre.html"]
    cold = tmp_path / "froid"
    build(inventory, cold, options)
    assert every_file(atlas) == every_file(cold)


def test_a_rename_redoes_the_dossier_of_a_commune_outside_the_shared_application(
    tmp_path: Path,
) -> None:
    """A commune that keeps its own finances beside the métropole's shared application names
    that application in its dossier (the blocs where it stays outside) without using it:
    renaming the shared application redoes its dossier too."""
    inventory = copy_example(tmp_path / "inventaire")
    users = ["metropole", "ville-centre", "saint-aubin"]
    set_field("applications/metropole.yaml", "applications", "met-gf", utilisateurs=users)(
        inventory
    )
    set_field("applications/les-pres.yaml", "applications", "lp-etat-civil", blocs=["finances"])(
        inventory
    )
    atlas = tmp_path / "atlas"
    build(inventory, atlas)
    dossier = atlas / "dossiers" / "les-pres.html"
    before = dossier.read_text(encoding="utf-8")
    rename_application(inventory, "met-gf", "Finances de la métropole")
    build(inventory, atlas)
    after = dossier.read_text(encoding="utf-8")
    assert "Finances de la métropole" in after and after != before
    cold = tmp_path / "froid"
    build(inventory, cold)
    assert every_file(atlas) == every_file(cold)

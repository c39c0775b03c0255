"""The loader and its validation, called as a library: codes, locations, what loads.

Each test copies the minimal inventory, changes what it is about, and checks the problems by
(code, file, line) — the contract tools and people rely on — and, where the wording matters,
by message. ``test_loader_fixtures.py`` covers the exact lines of the command.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import time
from pathlib import Path

import pytest
from support import BROKEN, FIXTURES, MINIMAL, RunCli, tree_snapshot

from cartographie.errors import PROBLEM_CODES, InventoryError, Location, Problem, UsageError
from cartographie.files import reading
from cartographie.graph import Portfolio
from cartographie.inventory import load_inventory, validate_inventory
from cartographie.model.inventory import Inventory

Found = list[tuple[str, str, int]]

A, M, F = "applications/nord.yaml", "applications/metropole.yaml", "flux/flux.yaml"
B, T, P = "referentiel/blocs.yaml", "territoire.yaml", "referentiel/processus.yaml"
D, L = "referentiel/donnees.yaml", "referentiel/delegations.yaml"


def edit(root: Path, relative: str, old: str | None, new: str) -> None:
    """Replace the one ``old`` in a file of the copy, or write the file when ``old`` is None."""
    path = root / relative
    if old is None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(new, encoding="utf-8")
        return
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} is not once in {relative}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def found(root: Path) -> Found:
    return [(p.code, p.location.path, p.location.line) for p in validate_inventory(root).problems]


def messages(root: Path) -> list[str]:
    return [problem.format() for problem in validate_inventory(root).problems]


# --- what loads -----------------------------------------------------------------------------


def test_the_minimal_inventory_holds_every_kind_of_object(minimal_inventory: Inventory) -> None:
    inventory = minimal_inventory
    assert inventory.metropole.id == "metropole"
    assert list(inventory.communes) == ["nord", "sud"]
    assert list(inventory.domains) == ["finances"]
    assert list(inventory.partners) == ["caf"]
    assert list(inventory.datacenters) == ["dc-central"]
    assert [block.level for block in inventory.blocks.values()].count("zone") == 2
    assert list(inventory.processes) == ["gdu"]
    assert list(inventory.data_objects) == ["acte-etat-civil", "demande-usager", "engagement"]
    assert list(inventory.vendors) == ["arpege", "entrouvert"]
    assert list(inventory.products) == ["melodie", "publik"]
    assert list(inventory.delegations) == ["dsp-transport"]
    assert len(inventory.applications) == 8
    assert len(inventory.flows) == 4
    assert inventory.owners["caf-cdap"] == "caf"
    assert inventory.owners["nord-etat-civil"] == "nord"  # from the file's proprietaire
    assert inventory.users["nord-etat-civil"] == ("nord",)  # default: the owner
    assert inventory.users["caf-cdap"] == ()  # an outside body uses nothing of ours
    assert inventory.is_external("caf-cdap")


def test_validation_of_the_minimal_inventory_finds_nothing() -> None:
    result = validate_inventory(MINIMAL)
    assert result.problems == []
    assert result.inventory is not None


def test_records_know_where_they_stand(minimal_inventory: Inventory) -> None:
    assert minimal_inventory.applications["sud-finances"].origin == Location(
        "applications/sud.yaml", 10
    )
    assert minimal_inventory.flows[0].origin.path == "flux/flux.yaml"


def test_names_with_special_characters_load_as_written() -> None:
    inventory = load_inventory(FIXTURES / "valid-special-names")
    civil = inventory.applications["nord-etat-civil"]
    assert civil.name == 'L\'« état civil » de "Nordville" <v2> & co'
    assert civil.description == (
        "Chemin C:\\Applis\\EtatCivil\\ — ni échappement ni saut de ligne : \\n reste \\n"
    )
    assert civil.responsible == "Direction <population> & citoyenneté 🏛️"
    report = inventory.applications["nord-signalement"]
    assert report.name == "Signal'📱 <script>alert(1)</script>"
    assert report.description == (
        'Première ligne ;\ndeuxième ligne avec des "guillemets" et un \\ seul.\n'
    )
    assert report.url == "https://exemple.fr/?a=1&b=<2>"


def _rewrite_every_file(root: Path, *, bom: bool, crlf: bool) -> None:
    for path in root.rglob("*.yaml"):
        raw = path.read_bytes()
        if crlf:
            raw = raw.replace(b"\n", b"\r\n")
        if bom:
            raw = b"\xef\xbb\xbf" + raw
        path.write_bytes(raw)


@pytest.mark.parametrize(("bom", "crlf"), [(True, False), (False, True), (True, True)])
def test_a_bom_and_crlf_line_ends_load_with_the_same_lines(
    minimal_copy: Path, bom: bool, crlf: bool
) -> None:
    _rewrite_every_file(minimal_copy, bom=bom, crlf=crlf)
    inventory = load_inventory(minimal_copy)
    assert inventory.applications["sud-finances"].origin == Location("applications/sud.yaml", 10)
    assert inventory.metropole.name == "Métropole de test"  # the BOM is not part of a key
    assert "\r" not in inventory.applications["met-gdu"].name
    # A problem in such a file is reported at the line an editor shows.
    edit_bytes = (minimal_copy / "applications/sud.yaml").read_bytes()
    (minimal_copy / "applications/sud.yaml").write_bytes(
        edit_bytes.replace(b"couche: support", b"couche: supports")
    )
    assert found(minimal_copy) == [("E203", "applications/sud.yaml", 12)]


@pytest.mark.slow
def test_a_ten_megabyte_file_loads(minimal_copy: Path) -> None:
    # 6,500 applications with long descriptions, 10.6 MB: about 5 s to load and validate on a
    # busy 2-core machine, within 1.2x of libyaml's bare parse of the same file (most of it).
    count = 6_500
    description = "Une description assez longue pour peser dans le fichier. " * 25
    records = [
        f"  - id: nord-app-{number:05d}\n"
        f"    nom: Application n° {number} — « test » <b> & co\n"
        f"    description: {description}\n"
        "    couche: metier\n"
        "    blocs: [etat-civil]\n"
        "    hebergement: datacenter\n"
        "    secteurs_cnil: [etat-civil-citoyennete]\n"
        "    cout_annuel: 1000\n"
        for number in range(count)
    ]
    big = minimal_copy / "applications" / "nord-gros.yaml"
    big.write_text("proprietaire: nord\napplications:\n" + "".join(records), encoding="utf-8")
    assert big.stat().st_size > 10_000_000
    inventory = load_inventory(minimal_copy)
    assert len(inventory.applications) == 8 + count
    assert inventory.applications[f"nord-app-{count - 1:05d}"].origin == Location(
        "applications/nord-gros.yaml", 3 + (count - 1) * 8
    )
    assert len(Portfolio(inventory).applications_of_commune("nord")) == 3 + count


def test_only_visible_yaml_files_are_read(minimal_copy: Path) -> None:
    edit(minimal_copy, ".git/config.yaml", None, "pas: [un inventaire\n")
    edit(minimal_copy, "flux/.brouillon.yaml", None, "flux: [\n")
    edit(minimal_copy, "notes.txt", None, "flux: [\n")
    edit(
        minimal_copy,
        "flux/autres.yml",
        None,
        "flux:\n  - source: met-gdu\n    cible: sud-etat-civil\n    donnee: demande-usager\n",
    )
    inventory = load_inventory(minimal_copy)
    assert len(inventory.flows) == 5


# --- all problems at once -------------------------------------------------------------------


def test_every_problem_is_reported_at_once_sorted_by_file_and_line(minimal_copy: Path) -> None:
    edit(minimal_copy, "flux/flux.yaml", "via: met-hub", "via: met-finances")
    edit(minimal_copy, "applications/sud.yaml", "couche: support", "couche: supports")
    edit(minimal_copy, "applications/sud.yaml", "produit: melodie", "produit: melodi")
    edit(
        minimal_copy,
        "applications/nord.yaml",
        "    couche: metier\n",
        "    couche: metier\n    nom: X\n",
    )
    edit(
        minimal_copy,
        "referentiel/blocs.yaml",
        "parent: gestion\n  - id: echanges",
        "parent: gestio\n  - id: echanges",
    )
    edit(minimal_copy, "territoire.yaml", "sigle: MT", "sigle: MT\n  site: x")
    with pytest.raises(InventoryError) as caught:
        load_inventory(minimal_copy)
    assert [(p.code, p.location.path, p.location.line) for p in caught.value.problems] == [
        ("E103", "applications/nord.yaml", 7),
        ("E302", "applications/sud.yaml", 5),
        ("E203", "applications/sud.yaml", 12),
        ("E305", "flux/flux.yaml", 5),
        ("E302", "referentiel/blocs.yaml", 27),
        ("E201", "territoire.yaml", 6),
    ]
    assert str(caught.value) == "6 problèmes dans l'inventaire"
    root = str(minimal_copy)
    assert caught.value.lines()[0] == (
        f"{root}/applications/nord.yaml:7: E103: clé « nom » en double dans le même objet "
        "(déjà ligne 4) (YAML garderait la dernière valeur sans rien dire ; supprimez ou "
        "fusionnez l'une des deux)"
    )


def test_a_broken_record_does_not_hide_the_problems_of_others(minimal_copy: Path) -> None:
    # A bad optional field: the record is still filed without it, so its product is checked.
    edit(minimal_copy, A, "    couche: metier\n", "    couche: metier\n    cycle_de_vie: prod\n")
    edit(minimal_copy, A, "produit: melodie", "produit: melodi")
    assert found(minimal_copy) == [("E302", A, 5), ("E203", A, 7)]


def test_a_record_with_a_broken_required_field_is_left_out(minimal_copy: Path) -> None:
    edit(minimal_copy, A, "couche: metier", "couche: metiers")
    edit(minimal_copy, A, "produit: melodie", "produit: melodi")
    result = validate_inventory(minimal_copy)
    assert [(p.code, p.location.line) for p in result.problems] == [("E203", 6)]
    assert result.inventory is not None
    assert "nord-etat-civil" not in result.inventory.applications


def test_references_to_a_record_with_a_broken_id_are_not_reported_again(minimal_copy: Path) -> None:
    edit(minimal_copy, "applications/sud.yaml", "id: sud-finances", "id: sud finances")
    edit(minimal_copy, "flux/flux.yaml", "source: sud-finances", "source: sud finances")
    assert [code for code, _path, _line in found(minimal_copy)] == ["E205", "E205"]


@pytest.mark.parametrize(
    ("content", "code", "line"),
    [
        (b"proprietaire: nord\napplications:\n  - id: ID\n    nom: [Etat\n", "E102", 4),
        (b"proprietaire: nord\napplications:\n\t- id: ID\n", "E102", 3),
        (b"proprietaire: nord\napplications:\n  - id: ID\n    nom: \xc9tat\n", "E101", 4),
        (b"proprietaire: nord\napplications:\n  - id: ID\n    nom: &a [*a]\n", "E105", 4),
    ],
    ids=["syntax", "tab", "latin-1", "recursive-alias"],
)
def test_an_unreadable_file_does_not_make_references_to_its_ids_dangle(
    minimal_copy: Path, content: bytes, code: str, line: int
) -> None:
    # nord.yaml cannot be read: the flows naming nord-etat-civil are not "dangling" on top.
    (minimal_copy / A).write_bytes(content.replace(b"ID", b"nord-etat-civil"))
    assert found(minimal_copy) == [(code, A, line)]


def test_an_unreadable_territory_is_not_reported_as_a_missing_metropole(
    minimal_copy: Path,
) -> None:
    edit(minimal_copy, "territoire.yaml", "metropole:\n", "metropole: [\n")
    assert found(minimal_copy) == [("E102", "territoire.yaml", 4)]


def test_a_refused_tag_is_one_problem_not_two(minimal_copy: Path) -> None:
    edit(
        minimal_copy,
        A,
        "    couche: metier\n",
        "    couche: metier\n    cout_annuel: !!binary AAAA\n",
    )
    assert found(minimal_copy) == [("E104", A, 7)]


def test_a_refused_tag_does_not_hide_the_other_faults_of_its_record(minimal_copy: Path) -> None:
    edit(
        minimal_copy,
        A,
        "  - id: nord-etat-civil\n",
        "  - !!python/object:os.system\n    id: nord-etat-civil\n",
    )
    edit(minimal_copy, A, "    couche: metier\n", "")
    assert found(minimal_copy) == [("E104", A, 3), ("E202", A, 3)]


# --- codes and locations, one rule at a time ------------------------------------------------

RULES: list[tuple[str, str, str, str, Found]] = [
    # (what, file, old, new, expected problems)
    ("section with a typo", F, "flux:", "flus:", [("E201", F, 1)]),
    ("English field name", A, "couche: metier", "layer: metier", [("E202", A, 3), ("E201", A, 6)]),
    (
        "year out of range",
        A,
        "    couche: metier\n",
        "    couche: metier\n    mise_en_service: 1800\n",
        [("E206", A, 7)],
    ),
    (
        "text for a number",
        A,
        "    couche: metier\n",
        "    couche: metier\n    cout_annuel: beaucoup\n",
        [("E204", A, 7)],
    ),
    ("impossible date", L, "fin: 2030-12-31", "fin: 2030-13-45", [("E204", L, 8)]),
    (
        "bad id in a reference list",
        A,
        "blocs: [etat-civil]",
        "blocs: [Etat Civil]",
        [("E205", A, 7)],
    ),
    (
        "empty step list",
        P,
        "    etapes:\n",
        "    etapes: []\n    ancien:\n",
        [("E204", P, 4), ("E201", P, 5)],
    ),
    (
        "record written as a list",
        A,
        "  - id: nord-etat-civil\n",
        "  - [a, b]\n  - id: nord-etat-civil\n",
        [("E204", A, 3)],
    ),
    ("application in a quartier", A, "blocs: [etat-civil]", "blocs: [relation]", [("E303", A, 7)]),
    (
        "bloc under a zone",
        B,
        "parent: gestion\n  - id: echanges",
        "parent: ressources\n  - id: echanges",
        [("E303", B, 27)],
    ),
    (
        "quartier without zone",
        B,
        "    niveau: quartier\n    parent: services\n",
        "    niveau: quartier\n",
        [("E202", B, 5)],
    ),
    (
        "personal data without sector",
        D,
        "    personnelle: true\n    secteur_cnil: relations-usagers\n",
        "    personnelle: true\n",
        [("E202", D, 2)],
    ),
    (
        "sector on non-personal data",
        D,
        "    nom: Engagement comptable\n",
        "    nom: Engagement comptable\n    secteur_cnil: fiscalite\n",
        [("E206", D, 12)],
    ),
    (
        "datacenter for a SaaS",
        M,
        "    hebergement: saas\n",
        "    hebergement: saas\n    centre_de_donnees: dc-central\n",
        [("E206", M, 25)],
    ),
    ("contract ends before it starts", L, "fin: 2030-12-31", "fin: 2020-12-31", [("E206", L, 8)]),
    (
        "contract renews itself",
        L,
        "    fin: 2030-12-31\n",
        "    fin: 2030-12-31\n    renouvelle: dsp-transport\n",
        [("E206", L, 9)],
    ),
    (
        "application replaces itself",
        A,
        "    couche: metier\n",
        "    couche: metier\n    remplacee_par: nord-etat-civil\n",
        [("E206", A, 7)],
    ),
    (
        "retired before in service",
        A,
        "    couche: metier\n",
        "    couche: metier\n    mise_en_service: 2010\n    retrait: 2005\n",
        [("E206", A, 8)],
    ),
    ("unknown file owner", A, "proprietaire: nord", "proprietaire: nordd", [("E302", A, 1)]),
    ("no owner at all", A, "proprietaire: nord\n", "", [("E202", A, 2)]),
    (
        "unknown delegating authority",
        L,
        "autorite: metropole",
        "autorite: metropol",
        [("E302", L, 6)],
    ),
    (
        "a partner as user",
        M,
        "utilisateurs: [nord, sud]",
        "utilisateurs: [nord, caf]",
        [("E302", M, 8)],
    ),
    ("datacenter in an unknown commune", T, "commune: nord", "commune: nordd", [("E302", T, 31)]),
    ("domain over an unknown bloc", T, "blocs: [finances]", "blocs: [finance]", [("E302", T, 22)]),
    (
        "unknown parent bloc",
        B,
        "parent: gestion\n  - id: echanges",
        "parent: gestio\n  - id: echanges",
        [("E302", B, 27)],
    ),
    (
        "step served by an unknown bloc",
        P,
        "blocs: [demandes]",
        "blocs: [demande]",
        [("E302", P, 8)],
    ),
    (
        "duplicate step id",
        P,
        "      - id: traitement",
        "      - id: demande",
        [("E302", P, 13), ("E301", P, 14)],
    ),
    (
        "flow through one of its ends",
        F,
        "  - source: met-gdu\n",
        "  - source: met-hub\n",
        [("E306", F, 5)],
    ),
    (
        "same flow twice",
        F,
        "    frequence: mensuelle\n",
        "    frequence: mensuelle\n"
        "  - source: sud-finances\n    cible: met-finances\n    donnee: engagement\n",
        [("E307", F, 18)],
    ),
    (
        "a flow may carry an id",
        F,
        "  - source: nord-etat-civil\n",
        "  - id: f1\n    source: nord-etat-civil\n",
        [],
    ),
    (
        "second metropole",
        M,
        "proprietaire: metropole\n",
        "proprietaire: metropole\nmetropole:\n  id: autre\n  nom: Autre\n",
        [("E301", M, 3)],
    ),
    (
        "no metropole",
        T,
        "metropole:\n  id: metropole\n  nom: Métropole de test\n  sigle: MT\n",
        "",
        [("E402", T, 0)],
    ),
]


@pytest.mark.parametrize(
    ("relative", "old", "new", "expected"),
    [rule[1:] for rule in RULES],
    ids=[rule[0] for rule in RULES],
)
def test_each_rule_reports_its_code_at_its_line(
    minimal_copy: Path, relative: str, old: str, new: str, expected: Found
) -> None:
    edit(minimal_copy, relative, old, new)
    assert found(minimal_copy) == expected


def test_duplicate_flow_ids_are_reported(minimal_copy: Path) -> None:
    edit(
        minimal_copy,
        F,
        "  - source: nord-etat-civil\n",
        "  - id: f1\n    source: nord-etat-civil\n",
    )
    edit(minimal_copy, F, "  - source: sud-finances\n", "  - id: f1\n    source: sud-finances\n")
    assert found(minimal_copy) == [("E301", F, 15)]
    assert "l'identifiant « f1 »" in messages(minimal_copy)[0]


@pytest.mark.parametrize(
    ("relative", "old", "new", "message"),
    [
        (
            A,
            "couche: metier",
            "couche: metiers",
            "valeurs possibles : interface, metier, support ; vouliez-vous dire « metier » ?",
        ),
        (
            A,
            "    couche: metier\n",
            "    couche: metier\n    cout_anuel: 1\n",
            "vouliez-vous dire « cout_annuel » ?",
        ),
        (A, "couche: metier", "layer: metier", "le champ s'écrit « couche »"),
        (
            A,
            "couche: metier",
            "couche:",
            "couche : attendu une valeur de la liste, trouvé une valeur vide",
        ),
        (
            A,
            "couche: metier",
            "couche: [metier]",
            "trouvé une liste dans l'application « nord-etat-civil » (valeurs possibles : "
            "interface, metier, support ; vouliez-vous dire « metier » ?)",
        ),
        (
            A,
            "couche: metier",
            "couche: {a: 1}",
            "couche : attendu une valeur de la liste, trouvé un objet (clé: valeur)",
        ),
        (
            A,
            "nom: État civil de Nordville",
            "nom: ''",
            "nom : attendu un texte non vide, trouvé un texte vide",
        ),
        (F, "flux:", "flus:", "section « flus » inconnue (vouliez-vous dire « flux » ?)"),
        (F, "via: met-hub", "via: met-hubb", "vouliez-vous dire « met-hub » ?"),
        (F, "via: met-hub", "via: met-finances", "(hubs déclarés : met-hub)"),
        (M, "id: met-billettique", "id: ../met-billettique", "par exemple « met-billettique »"),
        (
            P,
            "      - id: traitement\n",
            "      - nom: Sans identifiant\n",
            "dans le processus « gdu », étape n° 3",
        ),
        (
            P,
            "        acteur: mairie\n",
            "        acteur: mairie\n        duree: 2\n",
            "dans le processus « gdu », étape « qualification »",
        ),
    ],
)
def test_messages_name_the_fix(
    minimal_copy: Path, relative: str, old: str, new: str, message: str
) -> None:
    edit(minimal_copy, relative, old, new)
    assert any(message in line for line in messages(minimal_copy)), messages(minimal_copy)


# --- the directory itself -------------------------------------------------------------------


def test_an_empty_directory_is_an_invalid_inventory(tmp_path: Path) -> None:
    result = validate_inventory(tmp_path)
    assert [(p.code, p.location.path) for p in result.problems] == [("E401", ".")]
    assert result.inventory is None
    with pytest.raises(InventoryError):
        load_inventory(tmp_path)


@pytest.mark.parametrize("name", ["absent", "territoire.yaml"])
def test_a_path_that_is_no_directory_is_a_usage_error(minimal_copy: Path, name: str) -> None:
    with pytest.raises(UsageError) as caught:
        validate_inventory(minimal_copy / name)
    assert "n'est pas un dossier" in caught.value.message
    assert "-i/--inventaire" in caught.value.hint


def test_a_dangling_link_is_named_relative_to_the_inventory(minimal_copy: Path) -> None:
    (minimal_copy / "flux" / "lien.yaml").symlink_to(minimal_copy / "absent.yaml")
    [problem] = validate_inventory(minimal_copy).problems
    assert (problem.code, problem.location.path) == ("E109", "flux/lien.yaml")
    assert problem.message == "lecture impossible : fichier introuvable"
    assert "lien symbolique" in problem.hint


def test_a_file_the_system_refuses_is_reported_in_french(
    minimal_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Tests may run as root, for whom chmod 000 changes nothing: refuse the open itself.
    refused = str(minimal_copy / "flux" / "flux.yaml")
    real_open = os.open

    def open_file(path: str, flags: int, mode: int = 0o777) -> int:
        if str(path) == refused:
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_open(path, flags, mode)

    monkeypatch.setattr(reading.os, "open", open_file)
    [problem] = validate_inventory(minimal_copy).problems
    assert problem.format(str(minimal_copy)) == (
        f"{minimal_copy}/flux/flux.yaml: E109: lecture impossible : droits insuffisants "
        "(donnez le droit de lecture sur le fichier)"
    )


# --- reading never writes -------------------------------------------------------------------


@pytest.mark.parametrize(
    "source", [MINIMAL, BROKEN / "broken-python-tag", BROKEN / "broken-not-utf8"]
)
def test_loading_never_writes_into_the_inventory(
    tmp_path: Path, source: Path, run_cli: RunCli
) -> None:
    inventory = tmp_path / "inventaire"
    shutil.copytree(source, inventory)
    before = tree_snapshot(inventory)
    time.sleep(0.01)  # so that a rewrite would show in the mtimes even on coarse clocks
    validate_inventory(inventory)
    with contextlib.suppress(InventoryError):
        load_inventory(inventory)
    run_cli("valider", str(inventory), cwd=tmp_path)
    run_cli("stats", "--format", "json", str(inventory), cwd=tmp_path)
    run_cli("stats", str(inventory), cwd=tmp_path)
    assert tree_snapshot(inventory) == before
    assert sorted(path.name for path in tmp_path.iterdir()) == ["inventaire"]


# --- the problem records --------------------------------------------------------------------


def test_a_problem_formats_as_one_line_and_as_json() -> None:
    problem = Problem(
        "E302",
        Location("flux/a.yaml", 4),
        "via : application « x » introuvable",
        "vouliez-vous dire « y » ?",
    )
    assert (
        problem.format()
        == "flux/a.yaml:4: E302: via : application « x » introuvable (vouliez-vous dire « y » ?)"
    )
    assert problem.format("inventaire/") == "inventaire/" + problem.format()
    assert Problem("E401", Location("."), "vide").format() == ".: E401: vide"
    assert problem.to_dict() == {
        "code": "E302",
        "nom": "reference-inconnue",
        "gravite": "erreur",
        "fichier": "flux/a.yaml",
        "ligne": 4,
        "colonne": 0,
        "message": "via : application « x » introuvable",
        "conseil": "vouliez-vous dire « y » ?",
    }


def test_a_problem_is_one_line_whatever_the_values_it_quotes(minimal_copy: Path) -> None:
    edit(
        minimal_copy,
        A,
        "    couche: metier\n",
        '    couche: "metier\\nsupport"\n    "a\\tb\\u2028c": 1\n',
    )
    edit(minimal_copy, A, "produit: melodie", 'produit: "melo\\u0007die\\r"')
    lines = messages(minimal_copy)
    assert [line.split(": ")[1] for line in lines] == ["E205", "E203", "E201"]
    assert "« melo\\x07die\\r »" in lines[0]
    assert "« metier\\nsupport »" in lines[1]
    assert "« a\\tb\\u2028c »" in lines[2]
    assert all(len(line.splitlines()) == 1 for line in lines)
    # The data keeps the value as written: JSON output escapes it its own way.
    problems = validate_inventory(minimal_copy).problems
    assert problems[1].to_dict()["message"].startswith("couche : « metier\nsupport »")


def test_every_code_printed_by_a_fixture_is_in_the_catalogue() -> None:
    printed = set()
    for expected in BROKEN.glob("*/expected.txt"):
        for line in expected.read_text(encoding="utf-8").splitlines()[:-1]:
            printed.add(line.split(": ")[1])
    assert printed
    assert printed <= set(PROBLEM_CODES)
    assert all(len(PROBLEM_CODES[code]) == 2 for code in PROBLEM_CODES)

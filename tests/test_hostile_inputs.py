"""Every reader of a user's file under the same rules (DESIGN.md §12), beyond ``valider``.

The broken inventories of ``test_loader_fixtures.py`` go through the loader; here: links that
stay inside the inventory (allowed), git revisions read by diff and journal, the files the
importers read (spreadsheet, mapping, ArchiMate), and the one writer that writes into an
inventory (``diagnostic --enregistrer``).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from support import MINIMAL, RunCli
from support_suivi import git

from cartographie.errors import InventoryError
from cartographie.files import FileRefused, read_file, write_file_atomic
from cartographie.inventory import git as inventory_git
from cartographie.inventory import load_inventory, read_inventory_files, validate_inventory
from cartographie.inventory.git import find_repository, load_revision, read_revision_files

REPOSITORY = Path(__file__).resolve().parents[1]
SURVEY = REPOSITORY / "examples" / "etat-des-lieux"


# --- links that stay inside the inventory ---------------------------------------------------


def test_a_link_to_a_hidden_file_inside_is_read_at_the_link(minimal_copy: Path) -> None:
    hidden = minimal_copy / ".modeles"
    hidden.mkdir()
    (minimal_copy / "flux" / "flux.yaml").rename(hidden / "flux.yaml")
    (minimal_copy / "flux" / "flux.yaml").symlink_to("../.modeles/flux.yaml")
    inventory = load_inventory(minimal_copy)
    assert len(inventory.flows) == 4
    assert inventory.flows[0].origin.path == "flux/flux.yaml"


def test_a_link_to_an_inventory_file_does_not_read_it_twice(minimal_copy: Path) -> None:
    (minimal_copy / "applications" / "copie.yaml").symlink_to("nord.yaml")
    (minimal_copy / "autres").symlink_to("applications", target_is_directory=True)
    assert validate_inventory(minimal_copy).problems == []
    assert "applications/copie.yaml" not in read_inventory_files(minimal_copy)


def test_an_inventory_that_is_itself_a_link_is_read(minimal_copy: Path, tmp_path: Path) -> None:
    (tmp_path / "lien").symlink_to(minimal_copy, target_is_directory=True)
    assert validate_inventory(tmp_path / "lien").problems == []


def test_the_parse_cache_never_hides_a_file_refused_since(
    minimal_copy: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    assert validate_inventory(minimal_copy, cache=True, cache_directory=cache).problems == []
    os.mkfifo(minimal_copy / "flux" / "tube.yaml")
    problems = validate_inventory(minimal_copy, cache=True, cache_directory=cache).problems
    assert [(p.code, p.location.path) for p in problems] == [("E111", "flux/tube.yaml")]


def test_reading_is_bounded_whatever_the_size_announced(tmp_path: Path) -> None:
    path = tmp_path / "f.yaml"
    path.write_bytes(b"x" * 2000)
    with pytest.raises(FileRefused) as refused:
        read_file(path, limit=1000)
    assert refused.value.code == "E107"
    assert read_file(path, limit=2000) == b"x" * 2000
    with pytest.raises(FileRefused) as refused:
        read_file(Path("/dev/zero"))
    assert (refused.value.code, refused.value.message.split(",")[0]) == ("E111", "un périphérique")


# --- git revisions ----------------------------------------------------------------------------


@pytest.fixture
def repository(tmp_path: Path) -> Path:
    """A repository whose inventory holds links of every kind, committed."""
    repo = tmp_path / "depot"
    inventory = repo / "inventaire"
    shutil.copytree(MINIMAL, inventory)
    (repo / "secret.txt").write_text("mot de passe : hunter2\n")
    (inventory / "flux" / "secret.yaml").symlink_to("../../secret.txt")
    (inventory / "flux" / "passwd.yaml").symlink_to("/etc/passwd")
    (inventory / "ailleurs").symlink_to("/etc", target_is_directory=True)
    hidden = inventory / ".modeles"
    hidden.mkdir()
    (inventory / "flux" / "flux.yaml").rename(hidden / "flux.yaml")
    (inventory / "flux" / "flux.yaml").symlink_to("../.modeles/flux.yaml")
    (inventory / "applications" / "copie.yaml").symlink_to("nord.yaml")
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "Liens")
    return inventory


def test_a_revision_follows_the_disks_rules_for_links(repository: Path) -> None:
    files = read_revision_files(find_repository(repository), "HEAD")
    refused = {path: value for path, value in files.items() if isinstance(value, FileRefused)}
    assert sorted((path, value.code) for path, value in refused.items()) == [
        ("ailleurs", "E110"),
        ("flux/passwd.yaml", "E110"),
        ("flux/secret.yaml", "E110"),
    ]
    assert "« ../../secret.txt », hors de l'inventaire" in refused["flux/secret.yaml"].message
    # A link inside to a hidden file is read at the link; to an inventory file, not twice.
    assert isinstance(files["flux/flux.yaml"], bytes) and b"flux:" in files["flux/flux.yaml"]
    assert "applications/copie.yaml" not in files
    # The disk says the same.
    on_disk = read_inventory_files(repository)
    assert sorted(on_disk) == sorted(files)


def test_diff_against_such_a_revision_names_each_link(repository: Path, run_cli: RunCli) -> None:
    run = run_cli("diff", "HEAD", "-i", str(repository))
    assert run.exit_code == 1
    assert [line.split(": ")[0:2] for line in run.stderr_lines[:-1]] == [
        ["HEAD:inventaire/ailleurs", "E110"],
        ["HEAD:inventaire/flux/passwd.yaml", "E110"],
        ["HEAD:inventaire/flux/secret.yaml", "E110"],
    ]
    assert "hunter2" not in run.stderr and "root:" not in run.stderr


def test_a_blob_over_the_limit_is_not_read(
    repository: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(inventory_git, "MAX_FILE_BYTES", 100)
    files = read_revision_files(find_repository(repository), "HEAD")
    assert isinstance(files["territoire.yaml"], FileRefused)
    assert files["territoire.yaml"].code == "E107"
    with pytest.raises(InventoryError):
        load_revision(repository, "HEAD")


# --- files to import --------------------------------------------------------------------------


def _special(path: Path, kind: str) -> Path:
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "device":
        path.symlink_to("/dev/zero")
    else:
        path.mkdir()
    return path


KINDS = {"fifo": "un tube nommé (FIFO)", "device": "un périphérique", "folder": "un dossier"}


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_the_importers_read_only_regular_files(kind: str, tmp_path: Path) -> None:
    from cartographie.interop.archimate_import import read_archimate
    from cartographie.interop.common import InteropError
    from cartographie.interop.survey import load_mapping, read_sheet

    readers = {
        "etat-des-lieux.csv": read_sheet,
        "etat-des-lieux.xlsx": read_sheet,
        "correspondance.yaml": load_mapping,
        "modele.xml": read_archimate,
    }
    for name, reader in readers.items():
        with pytest.raises(InteropError) as refused:
            reader(_special(tmp_path / name, kind))
        assert refused.value.message == (
            f"{name} : {KINDS[kind]}, pas un fichier ordinaire : il n'est pas lu"
        )


def test_the_import_command_refuses_a_fifo_in_french(tmp_path: Path, run_cli: RunCli) -> None:
    run = run_cli(
        "importer",
        "tableur",
        str(_special(tmp_path / "etat-des-lieux.csv", "fifo")),
        "--correspondance",
        str(SURVEY / "correspondance.yaml"),
        "--sortie",
        str(tmp_path / "inventaire"),
    )
    assert run.exit_code == 2
    assert run.stderr.startswith("erreur U003 : tableur « ")
    assert not (tmp_path / "inventaire").exists()


def test_a_workbook_that_would_unzip_too_much_is_not_opened(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run_cli: RunCli
) -> None:
    from cartographie.interop import common

    workbook = next(SURVEY.glob("*.xlsx"), None)
    if workbook is None:
        pytest.skip("no XLSX example")
    monkeypatch.setattr(common, "MAX_UNZIPPED_BYTES", 1000)
    run = run_cli(
        "importer",
        "tableur",
        str(workbook),
        "--correspondance",
        str(SURVEY / "correspondance.yaml"),
        "--sortie",
        str(tmp_path / "inventaire"),
    )
    assert run.exit_code == 1
    assert "se décompresserait en" in run.stderr


# --- the one write into an inventory -----------------------------------------------------------


def test_a_record_never_follows_a_link_out_of_the_inventory(
    minimal_copy: Path, tmp_path: Path
) -> None:
    outside = tmp_path / "ailleurs"
    outside.mkdir()
    (minimal_copy / "diagnostics").symlink_to(outside, target_is_directory=True)
    with pytest.raises(FileRefused) as refused:
        write_file_atomic(minimal_copy / "diagnostics" / "d.yaml", "x", within=minimal_copy)
    assert refused.value.code == "E110"
    assert str(refused.value.path) == str(minimal_copy / "diagnostics")
    assert list(outside.iterdir()) == []
    # A link inside is fine: the file lands where the link leads, still in the inventory.
    (minimal_copy / "diagnostics").unlink()
    (minimal_copy / "archives").mkdir()
    (minimal_copy / "diagnostics").symlink_to("archives", target_is_directory=True)
    write_file_atomic(minimal_copy / "diagnostics" / "d.yaml", "x", within=minimal_copy)
    assert (minimal_copy / "archives" / "d.yaml").read_text() == "x"

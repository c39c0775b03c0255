"""The one writer: atomic files, folders swapped in whole, and a guard on what ``--force`` replaces.

The issue this answers: ``importer tableur … --sortie DIR --force`` replaced a folder holding
``src/`` and ``notes.txt`` without a word. Now every command that writes a folder goes through
``cartographie.files.writing``, which replaces only a folder this tool wrote.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from cartes_support import EXAMPLE
from support import RunCli, tree_snapshot

from cartographie.errors import UsageError
from cartographie.files import (
    CSV_FOLDER,
    INVENTORY_FOLDER,
    StagedFolder,
    marked_folder,
    write_file_atomic,
    write_folder,
)
from cartographie.files.writing import recover_interrupted

REPOSITORY = Path(__file__).resolve().parents[1]
SURVEY = REPOSITORY / "examples" / "etat-des-lieux"
INVENTORY = {"territoire.yaml": b"metropole: {}\n", "applications/a.yaml": b"applications: []\n"}


def _project(folder: Path) -> Path:
    """A folder this tool did not write: a bit of code and notes."""
    (folder / "src").mkdir(parents=True)
    (folder / "src" / "main.py").write_text("print('bonjour')\n")
    (folder / "notes.txt").write_text("à garder\n")
    return folder


# --- the guard --------------------------------------------------------------------------------


def test_force_never_replaces_a_folder_this_tool_did_not_write(tmp_path: Path) -> None:
    target = _project(tmp_path / "projet")
    before = tree_snapshot(tmp_path)
    for force in (False, True):
        with pytest.raises(UsageError) as refused:
            write_folder(target, INVENTORY, INVENTORY_FOLDER, force=force)
        assert refused.value.message == (
            f"le dossier « {target} » n'est pas un inventaire écrit par cartographie : il ne "
            "contient pas de territoire.yaml"
        )
        assert "même avec --force" in refused.value.hint
    assert tree_snapshot(tmp_path) == before
    # Holding a territoire.yaml does not make it an inventory.
    (target / "territoire.yaml").write_text("metropole: {}\n")
    before = tree_snapshot(tmp_path)
    with pytest.raises(UsageError) as refused:
        write_folder(target, INVENTORY, INVENTORY_FOLDER, force=True)
    assert "il contient « notes.txt », qui n'est pas un fichier d'inventaire" in str(refused.value)
    assert tree_snapshot(tmp_path) == before


@pytest.mark.parametrize("intruder", [".git/config", "docs/README.md", "lien.yaml"])
def test_an_inventory_with_anything_else_is_not_replaced(tmp_path: Path, intruder: str) -> None:
    target = tmp_path / "inventaire"
    write_folder(target, INVENTORY, INVENTORY_FOLDER)
    path = target / intruder
    path.parent.mkdir(parents=True, exist_ok=True)
    if intruder == "lien.yaml":
        path.symlink_to("territoire.yaml")
    else:
        path.write_text("x")
    with pytest.raises(UsageError) as refused:
        write_folder(target, INVENTORY, INVENTORY_FOLDER, force=True)
    assert f"« {intruder} »" in refused.value.message


def test_an_inventory_is_replaced_with_force_only(tmp_path: Path) -> None:
    target = tmp_path / "inventaire"
    write_folder(target, {**INVENTORY, "flux/vieux.yaml": b"flux: []\n"}, INVENTORY_FOLDER)
    with pytest.raises(UsageError) as refused:
        write_folder(target, INVENTORY, INVENTORY_FOLDER)
    assert refused.value.message == f"le dossier « {target} » contient déjà un inventaire"
    assert refused.value.hint.startswith("ajoutez --force")
    write_folder(target, INVENTORY, INVENTORY_FOLDER, force=True)
    assert sorted(p.relative_to(target).as_posix() for p in target.rglob("*.yaml")) == [
        "applications/a.yaml",
        "territoire.yaml",
    ]
    assert [path.name for path in tmp_path.iterdir()] == ["inventaire"]  # nothing left beside


def test_a_file_is_not_a_folder_to_replace(tmp_path: Path) -> None:
    target = tmp_path / "fichier"
    target.write_text("x")
    with pytest.raises(UsageError, match="n'est pas un dossier"):
        write_folder(target, INVENTORY, INVENTORY_FOLDER, force=True)


def test_a_csv_export_replaces_only_csv_files(tmp_path: Path) -> None:
    target = tmp_path / "export"
    write_folder(target, {"a.csv": b"1", "b.csv": b"2"}, CSV_FOLDER)
    write_folder(target, {"a.csv": b"3"}, CSV_FOLDER)
    assert sorted(path.name for path in target.iterdir()) == ["a.csv"]  # the export, whole
    (target / "notes.txt").write_text("à garder")
    with pytest.raises(UsageError, match=r"« notes\.txt », qui n'est pas un fichier CSV"):
        write_folder(target, {"a.csv": b"4"}, CSV_FOLDER)


# --- the commands ------------------------------------------------------------------------------


def test_import_with_force_refuses_a_project_folder(tmp_path: Path, run_cli: RunCli) -> None:
    target = _project(tmp_path / "dossier")
    before = tree_snapshot(target)
    run = run_cli(
        "importer",
        "tableur",
        str(SURVEY / "etat-des-lieux.csv"),
        "--correspondance",
        str(SURVEY / "correspondance.yaml"),
        "--sortie",
        str(target),
        "--force",
    )
    assert run.exit_code == 2
    assert run.stderr_lines == [
        f"erreur U003 : le dossier « {target} » n'est pas un inventaire écrit par cartographie : "
        "il ne contient pas de territoire.yaml (cartographie ne remplace que ce qu'il a écrit, "
        "même avec --force : choisissez un dossier nouveau ou vide, ou videz celui-ci "
        "vous-même)"
    ]
    assert tree_snapshot(target) == before


@pytest.mark.parametrize(
    "command",
    [
        ["exemple", "--force", "--sortie"],
        [
            "importer",
            "archimate",
            str(REPOSITORY / "tests/fixtures/archimate/sample1.xml"),
            "--force",
            "--sortie",
        ],
        ["atlas", "-i", str(EXAMPLE), "--sortie"],
        ["exporter", "-i", str(EXAMPLE), "--format", "csv", "--sortie"],
    ],
    ids=["exemple", "importer-archimate", "atlas", "exporter-csv"],
)
def test_every_folder_writer_refuses_a_project_folder(
    command: list[str], tmp_path: Path, run_cli: RunCli
) -> None:
    target = _project(tmp_path / "dossier")
    before = tree_snapshot(target)
    run = run_cli(*command, str(target))
    assert run.exit_code == 2, run.stderr
    assert "écrit par cartographie" in run.stderr
    assert tree_snapshot(target) == before
    assert sorted(path.name for path in tmp_path.iterdir()) == ["dossier"]


# --- files ------------------------------------------------------------------------------------


def test_a_file_gets_a_plain_opens_permissions_and_leaves_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "a" / "page.html"
    write_file_atomic(target, "é")
    assert target.read_bytes() == "é".encode()
    mask = os.umask(0)
    os.umask(mask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~mask
    # A temporary left by a killed run with this process's id is stepped around.
    import threading

    stale = target.with_name(f".page.html.{os.getpid()}-{threading.get_ident()}.tmp")
    stale.write_text("reste")
    write_file_atomic(target, "deux")
    assert target.read_text() == "deux"
    assert sorted(path.name for path in target.parent.iterdir()) == [stale.name, "page.html"]


# --- folders built beside their target --------------------------------------------------------


def test_an_update_mirrors_with_hard_links_and_never_writes_through_them(tmp_path: Path) -> None:
    kind = marked_folder(".marque", "un dossier marqué")
    target = tmp_path / "site"
    target.mkdir()
    (target / ".marque").write_text("")
    (target / "sous").mkdir()
    (target / "sous" / "page.html").write_text("ancienne")
    (target / "notes.txt").write_text("à garder")
    old_inode = (target / "sous" / "page.html").stat().st_ino
    with StagedFolder(target, kind) as staging:
        mirrored = staging.path / "sous" / "page.html"
        assert mirrored.stat().st_ino == old_inode  # a link, not a copy
        write_file_atomic(mirrored, "nouvelle")
        assert (target / "sous" / "page.html").read_text() == "ancienne"  # untouched
        staging.commit()
    assert (target / "sous" / "page.html").read_text() == "nouvelle"
    assert (target / "notes.txt").read_text() == "à garder"  # carried over
    assert sorted(path.name for path in tmp_path.iterdir()) == ["site"]


def test_an_unfinished_folder_is_removed_and_the_target_left_alone(tmp_path: Path) -> None:
    target = tmp_path / "inventaire"
    write_folder(target, INVENTORY, INVENTORY_FOLDER)
    before = tree_snapshot(tmp_path)
    with pytest.raises(RuntimeError), StagedFolder(target, INVENTORY_FOLDER, force=True) as staging:
        (staging.path / "territoire.yaml").write_text("autre")
        raise RuntimeError
    assert tree_snapshot(tmp_path) == before


def test_what_a_dead_writer_left_is_cleaned_and_a_live_ones_kept(tmp_path: Path) -> None:
    target = tmp_path / "atlas"
    target.mkdir()
    dead = 2**22 + 12345  # above any pid_max default: no such process
    (tmp_path / f".atlas.nouveau-{dead}-abc").mkdir()
    alive = tmp_path / f".atlas.nouveau-{os.getppid()}-def"
    alive.mkdir()
    (tmp_path / f".autre.nouveau-{dead}-abc").mkdir()  # another target's: not ours to judge
    recover_interrupted(target)
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted(
        ["atlas", alive.name, f".autre.nouveau-{dead}-abc"]
    )


def test_an_old_folder_left_aside_is_put_back(tmp_path: Path) -> None:
    dead = 2**22 + 12345
    aside = tmp_path / f".atlas.ancien-{dead}-abc"
    aside.mkdir()
    (aside / "index.html").write_text("ancien")
    (tmp_path / f".atlas.nouveau-{dead}-def").mkdir()
    recover_interrupted(tmp_path / "atlas")
    assert (tmp_path / "atlas" / "index.html").read_text() == "ancien"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["atlas"]


def test_a_signal_landing_before_the_cleanup_is_set_up_leaves_nothing_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # SIGTERM becomes an exception in the main thread, wherever it lands: here, just after the
    # folder in the making was created and before any `try` could remove it (the race the
    # interruption test once caught under load). The process's last words remove it.
    from cartographie.cli.main import clean_after_interruption
    from cartographie.files import writing

    target = tmp_path / "inventaire"
    write_folder(target, INVENTORY, INVENTORY_FOLDER)
    before = tree_snapshot(tmp_path)
    make_sibling = writing._sibling

    def interrupted(target: Path, role: str) -> Path:
        make_sibling(target, role)
        raise KeyboardInterrupt

    monkeypatch.setattr(writing, "_sibling", interrupted)
    with pytest.raises(KeyboardInterrupt):
        StagedFolder(target, INVENTORY_FOLDER, force=True)
    assert tree_snapshot(tmp_path) != before  # the folder in the making is left…
    clean_after_interruption()
    assert tree_snapshot(tmp_path) == before  # …until the process's way out removes it

"""Writing a generated inventory to disk, atomically.

The files are written into a temporary sibling of the target directory, which is then swapped in
with renames: an interrupted run leaves either the old directory or the new one, never a
half-written inventory. Without ``force`` an existing, non-empty directory is refused; with
``force`` it is replaced only if it looks like an inventory (it holds ``territoire.yaml``), so
that a mistyped ``--sortie .`` cannot wipe a working tree.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from cartographie.errors import UsageError

_INVENTORY_MARKER = "territoire.yaml"


def _is_empty_directory(path: Path) -> bool:
    return path.is_dir() and not any(path.iterdir())


def check_target(out: Path, force: bool) -> None:
    """Refuse a target we must not overwrite (UsageError, in French, with a hint)."""
    if out.exists() and not out.is_dir():
        raise UsageError(
            f"« {out} » existe et n'est pas un dossier",
            "indiquez avec --sortie un dossier, nouveau ou vide",
        )
    if not out.exists() or _is_empty_directory(out):
        return
    if not force:
        raise UsageError(
            f"le dossier « {out} » existe et n'est pas vide",
            "choisissez un autre dossier, ou ajoutez --force pour remplacer son contenu",
        )
    if not (out / _INVENTORY_MARKER).is_file():
        raise UsageError(
            f"le dossier « {out} » n'est pas vide et ne contient pas d'inventaire "
            f"({_INVENTORY_MARKER}) : --force ne le remplace pas",
            "videz-le vous-même ou choisissez un autre dossier",
        )


def _sibling(out: Path, label: str) -> Path:
    """A fresh, hidden directory beside ``out`` (same file system, so renames are atomic)."""
    counter = 0
    while True:
        candidate = out.parent / f".{out.name}.{label}-{os.getpid()}-{counter}"
        try:
            candidate.mkdir()
        except FileExistsError:
            counter += 1
            continue
        return candidate


def write_files(out: Path, files: dict[str, str], force: bool) -> None:
    """Write ``files`` (relative POSIX path → text) as the whole content of ``out``."""
    # The real directory: a symlinked target keeps its link, and the link sees the new content.
    out = Path(os.path.realpath(out))
    check_target(out, force)
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = _sibling(out, "nouveau")
    try:
        for relative, text in files.items():
            target = staging.joinpath(*relative.split("/"))
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(text.encode("utf-8"))
        _swap(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _swap(staging: Path, out: Path) -> None:
    if not out.exists():
        staging.rename(out)
        return
    if _is_empty_directory(out):
        out.rmdir()
        staging.rename(out)
        return
    previous = _sibling(out, "ancien")
    previous.rmdir()
    out.rename(previous)
    try:
        staging.rename(out)
    except BaseException:
        previous.rename(out)  # put the old inventory back before reporting the failure
        raise
    shutil.rmtree(previous, ignore_errors=True)

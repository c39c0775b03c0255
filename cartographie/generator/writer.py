"""Writing a generated inventory to disk, atomically.

The files are written by ``cartographie.files.replace_directory``: an interrupted run leaves
either the old directory or the new one, never a half-written inventory. Without ``force`` an
existing, non-empty directory is refused; with ``force`` it is replaced only if it looks like an
inventory (it holds ``territoire.yaml``), so that a mistyped ``--sortie .`` cannot wipe a
working tree.
"""

from __future__ import annotations

import os
from pathlib import Path

from cartographie.errors import UsageError
from cartographie.files import replace_directory

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


def write_files(out: Path, files: dict[str, str], force: bool) -> None:
    """Write ``files`` (relative POSIX path → text) as the whole content of ``out``."""
    check_target(Path(os.path.realpath(out)), force)
    replace_directory(out, {relative: text.encode("utf-8") for relative, text in files.items()})

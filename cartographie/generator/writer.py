"""Writing a generated inventory to disk, through the guarded folder writer.

``cartographie.files.write_folder`` builds the inventory beside its target and swaps it in
whole: an interrupted run leaves the old directory or the new one, never a half-written
inventory. Without ``force`` an existing, non-empty directory is refused; with ``force`` it is
replaced only if it is an inventory this tool could have written (``territoire.yaml`` and
nothing but inventory files), so that a mistyped ``--sortie .`` cannot wipe a working tree.
"""

from __future__ import annotations

from pathlib import Path

from cartographie.files import INVENTORY_FOLDER, check_folder, write_folder


def check_target(out: Path, force: bool) -> None:
    """Refuse a target we must not overwrite (UsageError, in French, with a hint)."""
    check_folder(out, INVENTORY_FOLDER, force)


def write_files(out: Path, files: dict[str, str], force: bool) -> None:
    """Write ``files`` (relative POSIX path → text) as the whole content of ``out``."""
    encoded = {relative: text.encode("utf-8") for relative, text in files.items()}
    write_folder(out, encoded, INVENTORY_FOLDER, force=force)

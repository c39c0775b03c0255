"""Writing files and directories so that an interruption never leaves half of one.

Every writer of the project goes through here: maps and atlas pages, reports, recorded
diagnostics, generated and imported inventories. A file is written to a temporary sibling (same
file system) and renamed over its target; a directory is built as a hidden sibling and swapped in
with renames, the old one put back if the swap fails. Files get the permissions a plain ``open``
would give (``mkstemp`` would leave them private to the writer).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path

from cartographie.errors import UsageError


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_file_atomic(path: Path, data: bytes | str) -> None:
    """Write ``data`` (text as UTF-8) to ``path``, creating its folder; old file or new, never
    half of one."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(payload)
        os.chmod(temporary, 0o666 & ~_umask())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_output_file(target: Path, data: bytes | str) -> None:
    """Write a file the user named (``--sortie``): its folder must exist; failures are
    :class:`UsageError` in French rather than tracebacks."""
    folder = target.parent if str(target.parent) else Path(".")
    if target.is_dir():
        raise UsageError(f"« {target} » est un dossier", "indiquez un fichier avec --sortie")
    if not folder.is_dir():
        raise UsageError(
            f"dossier introuvable : « {folder} »", "créez-le, ou choisissez un autre --sortie"
        )
    try:
        write_file_atomic(target, data)
    except OSError as error:
        raise UsageError(
            f"écriture impossible : {target} ({error.strerror or error})",
            "vérifiez les droits sur le dossier",
        ) from None


def _hidden_sibling(target: Path, label: str) -> Path:
    """A fresh, hidden directory beside ``target`` (same file system: renames are atomic)."""
    return Path(tempfile.mkdtemp(prefix=f".{target.name}.{label}-", dir=target.parent))


def replace_directory(target: Path, files: Mapping[str, bytes]) -> None:
    """Make ``files`` (relative POSIX path → bytes) the whole content of ``target``, at once.

    The caller decides whether ``target`` may be replaced; this only guarantees that a reader
    sees the old directory or the new one, and that a failure leaves the old one in place.
    """
    # The real directory: a symlinked target keeps its link, and the link sees the new content.
    target = Path(os.path.realpath(target))
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = _hidden_sibling(target, "nouveau")
    try:
        for relative in sorted(files):
            path = staging.joinpath(*relative.split("/"))
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(files[relative])
        staging.chmod(0o777 & ~_umask())  # mkdtemp makes it private to the writer
        _swap(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _swap(staging: Path, target: Path) -> None:
    if target.is_dir() and not any(target.iterdir()):
        target.rmdir()
    if not target.exists():
        staging.rename(target)
        return
    previous = _hidden_sibling(target, "ancien")
    previous.rmdir()
    target.rename(previous)
    try:
        staging.rename(target)
    except BaseException:
        previous.rename(target)  # put the old directory back before reporting the failure
        raise
    shutil.rmtree(previous, ignore_errors=True)

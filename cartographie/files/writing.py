"""Writing files and folders so that an interruption never leaves half of one.

Every writer of the project goes through here: maps and atlas pages, reports, recorded
diagnostics, exports, generated and imported inventories.

- **A file** (:func:`write_file_atomic`) is written to a temporary sibling (same file system)
  and renamed over its target: a reader sees the old file or the new one. It gets the
  permissions a plain ``open`` gives. With ``within``, the file must land inside that folder,
  links followed (a ``diagnostics`` link planted in an inventory never redirects a write).
- **A folder** (:class:`StagedFolder`, :func:`write_folder`) is built as a hidden sibling, then
  swapped in whole: on Linux with one atomic ``renameat2(RENAME_EXCHANGE)``, elsewhere with two
  renames that the next run undoes if they were cut in between. An interruption at any moment
  leaves the previous folder exactly as it was (a SIGKILL leaves at most a hidden sibling, which
  the next write of that folder removes).
- **The guard**: a folder is replaced only when it is missing, empty, or recognised as one this
  tool wrote (:class:`FolderKind`: an inventory holds ``territoire.yaml`` and nothing but
  inventory files; an atlas holds its manifest; a CSV export nothing but ``.csv`` files). An
  inventory is replaced only with ``--force``. Anything else is refused with a message that
  says what was found, whatever ``--force`` says.
- An atlas is **updated** rather than rewritten: the new build starts as a mirror of the old one
  made of hard links (no byte copied), in which only what changed is replaced — by renames, so
  the old folder's files are never written through their shared inode — and files the tool did
  not write are carried over as they are. A file new to the build is written in place
  (:func:`write_staged_file`): the folder is invisible until it is swapped in.
"""

from __future__ import annotations

import ctypes
import errno
import os
import re
import shutil
import stat
import sys
import tempfile
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from cartographie.errors import PathError, WriteError
from cartographie.files.reading import outside_root

# --- one file ---------------------------------------------------------------------------------

_CREATE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
_CREATE |= getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_file_atomic(
    path: Path, data: bytes | str, *, within: Path | None = None, mode: int = 0o666
) -> None:
    """Write ``data`` (text as UTF-8) to ``path``, creating its folder; old file or new, never
    half of one. With ``within``, refuse (E110) a path that links leave out of that folder.
    ``mode`` (under the umask) is the new file's permissions: ``0o600`` for what only its owner
    may read back (the user cache's pickles and compiled modules)."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    if within is not None:
        _check_within(path, within)
    path.parent.mkdir(parents=True, exist_ok=True)
    # A name of this process and thread: no random name to try, and a plain open's permissions
    # (``mode`` under the umask) without a chmod.
    temporary = path.with_name(f".{path.name}.{os.getpid()}-{threading.get_ident()}.tmp")
    try:
        handle = os.open(temporary, _CREATE, mode)
    except FileExistsError:  # left by a killed run that had the same process id
        _write_with_random_name(path, payload, mode)
        return
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(payload)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def write_staged_file(path: Path, data: bytes | str) -> None:
    """Write ``data`` to ``path`` in a folder being built beside its target
    (:class:`StagedFolder`), which nobody reads before it is swapped in whole.

    A new file is written in place: no temporary sibling and no rename, half the system calls
    (an atlas writes 2,000 files). A file already there — a hard link to the previous
    folder's, in an updated atlas — is replaced by :func:`write_file_atomic`'s rename, so that
    the previous folder's bytes are never written through their shared inode. An interrupted
    write leaves half a file in the staged folder only, which is never swapped in."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    try:
        handle = os.open(path, _CREATE, 0o666)
    except FileExistsError:
        write_file_atomic(path, payload)
        return
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle = os.open(path, _CREATE, 0o666)
    with os.fdopen(handle, "wb") as stream:
        stream.write(payload)


def _write_with_random_name(path: Path, payload: bytes, mode: int = 0o666) -> None:
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(payload)
        os.chmod(temporary, mode & ~_umask())  # mkstemp makes it private to the writer
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _check_within(path: Path, folder: Path) -> None:
    """The folder ``path`` is written in must lie inside ``folder``, links followed (the file
    itself may be a link: the rename replaces the link, never its target)."""
    real_folder = os.path.realpath(folder)
    real = os.path.realpath(path.parent)
    if real == real_folder or real.startswith(real_folder.rstrip(os.sep) + os.sep):
        return
    link = path.parent
    for candidate in path.parents:
        if candidate == folder:
            break
        if candidate.is_symlink():
            link = candidate
    try:
        target = os.readlink(link)
    except OSError:
        target = real
    raise outside_root(path, link, target)


def write_files_atomic(root: Path, files: Mapping[str, bytes]) -> None:
    """Replace several files of the folder ``root`` (relative POSIX path -> bytes), each whole:
    every new file is first written beside its target, and only once all are written are they
    renamed into place, one after the other — an interruption while writing leaves every file
    as it was; only a crash between two renames (microseconds) can leave some replaced. Links
    leading out of ``root`` are refused (E110); a failed write is :class:`WriteError`."""
    staged: list[tuple[Path, Path]] = []
    try:
        for relative, payload in files.items():
            target = root / relative
            _check_within(target, root)
            handle, name = tempfile.mkstemp(
                prefix=f".{target.name}.", suffix=".tmp", dir=target.parent
            )
            staged.append((Path(name), target))
            with os.fdopen(handle, "wb") as stream:
                stream.write(payload)
            mode = os.stat(target).st_mode & 0o7777 if target.exists() else 0o666 & ~_umask()
            os.chmod(name, mode)  # the file keeps its permissions
        for temporary, target in staged:
            os.replace(temporary, target)
    except OSError as error:
        raise WriteError(
            f"écriture impossible dans {root} ({error.strerror or error})",
            "vérifiez les droits sur le dossier ; aucun fichier n'a été modifié",
        ) from None
    finally:
        for temporary, _target in staged:
            temporary.unlink(missing_ok=True)


def write_output_file(target: Path, data: bytes | str) -> None:
    """Write a file the user named (``--sortie``): its folder must exist (:class:`PathError`);
    a failed write is :class:`WriteError`, in French rather than a traceback."""
    folder = target.parent if str(target.parent) else Path(".")
    if target.is_dir():
        raise PathError(f"« {target} » est un dossier", "indiquez un fichier avec --sortie")
    if not folder.is_dir():
        raise PathError(
            f"dossier introuvable : « {folder} »", "créez-le, ou choisissez un autre --sortie"
        )
    try:
        write_file_atomic(target, data)
    except OSError as error:
        raise WriteError(
            f"écriture impossible : {target} ({error.strerror or error})",
            "vérifiez les droits sur le dossier",
        ) from None


# --- what a folder holds ----------------------------------------------------------------------


@dataclass(frozen=True)
class FolderKind:
    """A kind of folder this tool writes, and how it recognises one it wrote.

    ``foreign`` looks at an existing, non-empty folder and says, in French, why it is not one of
    this kind (``None`` when it is). ``needs_force``: replacing one takes ``--force``.
    ``update``: the new folder starts as a mirror of the old one (hard links), so that what the
    build does not replace — unchanged files, files the tool did not write — stays as it was.
    """

    noun: str
    foreign: Callable[[Path], str | None]
    needs_force: bool = False
    update: bool = False


def _entries(folder: Path) -> list[tuple[str, os.DirEntry[str]]]:
    """Every entry below ``folder`` (hidden ones included), links not followed, sorted."""
    found: list[tuple[str, os.DirEntry[str]]] = []
    pending = [(folder, "")]
    while pending:
        current, prefix = pending.pop()
        with os.scandir(current) as scan:
            for entry in sorted(scan, key=lambda item: item.name):
                found.append((prefix + entry.name, entry))
                if entry.is_dir(follow_symlinks=False):
                    pending.append((Path(entry.path), f"{prefix}{entry.name}/"))
    return sorted(found, key=lambda item: item[0])


def files_only(pattern: str, required: str | None, what: str) -> Callable[[Path], str | None]:
    """A ``foreign`` test for a folder holding only files whose name matches ``pattern`` (in any
    subfolder), and ``required`` at its top when given."""
    accepted = re.compile(pattern)

    def foreign(folder: Path) -> str | None:
        if required is not None and not (folder / required).is_file():
            return f"il ne contient pas de {required}"
        for relative, entry in _entries(folder):
            if entry.is_dir(follow_symlinks=False):
                continue
            if entry.is_symlink() or not entry.is_file(follow_symlinks=False):
                return f"il contient « {relative} », qui n'est pas un fichier ordinaire"
            if not accepted.fullmatch(entry.name):
                return f"il contient « {relative} », qui n'est pas {what}"
        return None

    return foreign


# What an inventory written by this tool holds: YAML files, the JSON Schema beside them, and an
# importer's report.
INVENTORY_FOLDER = FolderKind(
    "un inventaire",
    files_only(
        r"[^.].*\.ya?ml|[^.].*\.schema\.json|rapport-import-[^/]*\.md",
        "territoire.yaml",
        "un fichier d'inventaire",
    ),
    needs_force=True,
)
CSV_FOLDER = FolderKind("un export CSV", files_only(r"[^.].*\.csv", None, "un fichier CSV"))


def marked_folder(marker: str, noun: str) -> FolderKind:
    """A kind recognised by a marker file at its top (the atlas's manifest), updated in place:
    files the tool did not write are carried over."""

    def foreign(folder: Path) -> str | None:
        if (folder / marker).is_file() and not (folder / marker).is_symlink():
            return None
        return f"il ne contient pas {marker}"

    return FolderKind(noun, foreign, update=True)


def check_folder(target: Path, kind: FolderKind, force: bool = False) -> None:
    """Refuse early (before a long build) a target the writer would refuse."""
    _check_target(Path(os.path.realpath(target)), kind, force)


def _check_target(target: Path, kind: FolderKind, force: bool) -> None:
    """Refuse a target this tool must not replace (:class:`PathError` with a way out)."""
    if target.is_symlink() or (target.exists() and not target.is_dir()):
        raise PathError(
            f"« {target} » existe et n'est pas un dossier",
            "indiquez avec --sortie un dossier, nouveau ou vide",
        )
    if not target.exists() or not any(target.iterdir()):
        return
    reason = kind.foreign(target)
    if reason is not None:
        raise PathError(
            f"le dossier « {target} » n'est pas {kind.noun} écrit par cartographie : {reason}",
            "cartographie ne remplace que ce qu'il a écrit, même avec --force : choisissez un "
            "dossier nouveau ou vide, ou videz celui-ci vous-même",
        )
    if kind.needs_force and not force:
        raise PathError(
            f"le dossier « {target} » contient déjà {kind.noun}",
            "ajoutez --force pour le remplacer, ou choisissez un autre dossier",
        )


# --- building a folder beside its target --------------------------------------------------------

_NEW, _OLD = "nouveau", "ancien"
_SIBLING = re.compile(r"\.(?P<name>.+)\.(?P<role>nouveau|ancien)-(?P<pid>\d+)-[^/]+")
# Targets this process has built a folder beside: what :func:`clean_after_interruption` looks
# at when a signal stops the process, wherever it lands (even between the sibling's creation
# and the ``try`` that would remove it).
_STAGED_TARGETS: set[Path] = set()


class StagedFolder:
    """A folder built as a hidden sibling of ``target`` and swapped in whole by :meth:`commit`;
    left unused (an error, an interruption), it is removed and ``target`` stays as it was.

    ``path`` is where to write; every write into it must replace files by renaming (as
    :func:`write_file_atomic` does): with ``kind.update`` its files are hard links shared with
    the old folder, which a write in place would change too.
    """

    def __init__(self, target: Path, kind: FolderKind, *, force: bool = False) -> None:
        # The real folder: a target that is a link to a folder keeps its link, which then
        # leads to the new content.
        self.target = Path(os.path.realpath(target))
        parent = self.target.parent
        self.kind = kind
        try:
            parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise WriteError(
                f"impossible de créer le dossier « {parent} » ({error.strerror or error})",
                "vérifiez le chemin et les droits, ou choisissez un autre --sortie",
            ) from None
        recover_interrupted(self.target)
        _check_target(self.target, kind, force)
        _STAGED_TARGETS.add(self.target)
        self.path = _sibling(self.target, _NEW)
        self.committed = False
        try:
            if kind.update and self.target.is_dir():
                mirror_folder(self.target, self.path)
                os.chmod(self.path, stat.S_IMODE(self.target.stat().st_mode))
            else:
                os.chmod(self.path, 0o777 & ~_umask())  # mkdtemp makes it private
        except BaseException:
            shutil.rmtree(self.path, ignore_errors=True)
            raise

    def commit(self) -> None:
        """Put the new folder in place of the old one, at once."""
        swap_folders(self.path, self.target)
        self.committed = True

    def discard(self) -> None:
        if not self.committed:
            shutil.rmtree(self.path, ignore_errors=True)

    def __enter__(self) -> StagedFolder:
        return self

    def __exit__(self, kind: object, error: object, trace: object) -> None:
        self.discard()


def write_folder(
    target: Path, files: Mapping[str, bytes], kind: FolderKind, *, force: bool = False
) -> None:
    """Make ``files`` (relative POSIX path → bytes) the whole content of ``target``, at once, if
    the guard lets it (:class:`PathError` otherwise)."""
    with StagedFolder(target, kind, force=force) as staging:
        try:
            for relative in sorted(files):
                path = staging.path.joinpath(*relative.split("/"))
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(files[relative])  # a fresh folder: nothing shared to write
            staging.commit()
        except OSError as error:
            raise WriteError(
                f"écriture impossible dans « {target} » ({error.strerror or error})",
                "vérifiez les droits et la place libre ; l'ancien dossier n'a pas changé",
            ) from None


def _sibling(target: Path, role: str) -> Path:
    """A fresh hidden folder beside ``target`` (same file system: renames are atomic), named
    after this process so that a later run knows whether its writer is still alive."""
    prefix = f".{target.name}.{role}-{os.getpid()}-"
    return Path(tempfile.mkdtemp(prefix=prefix, dir=target.parent))


def mirror_folder(source: Path, destination: Path) -> None:
    """Make ``destination`` (an empty folder) hold ``source``'s tree, each file a hard link to
    the same inode (a copy where the file system has none), links kept as links."""
    for relative, entry in _entries(source):
        made = destination / relative
        if entry.is_dir(follow_symlinks=False):
            made.mkdir()
            os.chmod(made, stat.S_IMODE(entry.stat(follow_symlinks=False).st_mode))
            continue
        try:
            os.link(entry.path, made, follow_symlinks=False)
        except OSError:
            if entry.is_symlink():
                os.symlink(os.readlink(entry.path), made)
            else:
                shutil.copy2(entry.path, made, follow_symlinks=False)


def swap_folders(new: Path, target: Path) -> None:
    """Put ``new`` at ``target``'s place, the old content removed: one atomic exchange where
    the system offers it, else two renames (see :func:`recover_interrupted`)."""
    if not target.exists():
        new.rename(target)
        return
    if _exchange(new, target):
        shutil.rmtree(new, ignore_errors=True)  # ``new`` now holds the old folder
        return
    previous = _sibling(target, _OLD)
    previous.rmdir()
    target.rename(previous)
    try:
        new.rename(target)
    except BaseException:
        previous.rename(target)  # put the old folder back before reporting the failure
        raise
    shutil.rmtree(previous, ignore_errors=True)


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(first: Path, second: Path) -> bool:
    """Swap two paths atomically (Linux ``renameat2``); False where it is not available."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    done = renameat2(
        _AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE
    )
    if done == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False  # an old kernel, or a file system without the exchange
    raise OSError(code, os.strerror(code), str(second))


def recover_interrupted(target: Path) -> None:
    """Clean what an interrupted writer of ``target`` left beside it (its writer is dead): a
    folder in the making is removed; the old folder, if the two renames were cut in between,
    is put back first."""
    try:
        siblings = [
            (entry, match)
            for entry in os.scandir(target.parent)
            if (match := _SIBLING.fullmatch(entry.name)) and match["name"] == target.name
        ]
    except OSError:
        return
    for entry, match in sorted(siblings, key=lambda item: item[1]["role"]):  # ancien first
        if _alive(int(match["pid"])):
            continue
        path = Path(entry.path)
        if match["role"] == _OLD and not target.exists():
            path.rename(target)
            continue
        shutil.rmtree(path, ignore_errors=True)


def clean_after_interruption() -> None:
    """What this process, stopped by a signal, leaves beside the folders it was building: the
    folder in the making removed, an old folder cut off between two renames put back. The
    ``finally`` clauses do the same, but a signal can land where none is open yet."""
    for target in sorted(_STAGED_TARGETS):
        recover_interrupted(target)  # this process counts as dead there (``_alive``)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return False  # this process starts a new write: nothing of its own is in progress
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's live process
        return True
    return True


__all__ = [
    "CSV_FOLDER",
    "INVENTORY_FOLDER",
    "FolderKind",
    "StagedFolder",
    "check_folder",
    "clean_after_interruption",
    "marked_folder",
    "recover_interrupted",
    "write_file_atomic",
    "write_folder",
    "write_output_file",
]

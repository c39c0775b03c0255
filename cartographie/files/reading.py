"""Reading a file someone else wrote: regular files only, inside their root, bounded, unblocking.

The inventory arrives through merge requests, spreadsheets and models come from outside: CI
reads files anyone could have written (DESIGN.md §12). Every reader of a user's file goes
through :func:`read_file`, and every walk of a user's folder through :func:`walk_files`:

- with a ``root``, a file reached through a symbolic link is read only when the link leads
  inside the root; the refusal names the link and where it points, never the target's content
  (a link to ``/etc/passwd`` must not land in a CI log);
- the kind of file is checked before opening (a device is never opened) and again on the open
  descriptor (``fstat``: what is read is what was checked); the open never blocks
  (``O_NONBLOCK``: a FIFO named ``x.yaml`` does not hang the reader). Only regular files are
  read: a FIFO, a device, a socket or a folder is refused;
- at most ``limit`` bytes are read (:data:`MAX_FILE_BYTES` by default): the size is checked
  before reading and again while reading, so a file that grows, or a link to ``/dev/zero``, can
  never fill the memory.

A refusal is a :class:`FileRefused` that carries a problem code of ``docs/erreurs.md`` and a
path as the caller named it; the caller turns it into its own error (a located problem for the
inventory, a message for an importer). This module never writes.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from cartographie.errors import CartographieError, shorten

# The documented maximum size of one file read from a user (docs/inventaire.md): far above any
# real inventory file (the ×10 reference inventory's largest is ~8 MB), far below what would
# hurt a CI runner.
MAX_FILE_BYTES = 64 * 1024 * 1024
_CHUNK = 1 << 20

_OPEN_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_NOCTTY", 0)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
)
_NO_FOLLOW = getattr(os, "O_NOFOLLOW", 0)

_KINDS = (
    (stat.S_ISDIR, "un dossier"),
    (stat.S_ISFIFO, "un tube nommé (FIFO)"),
    (stat.S_ISCHR, "un périphérique"),
    (stat.S_ISBLK, "un périphérique"),
    (stat.S_ISSOCK, "une socket"),
)


class FileRefused(CartographieError):  # noqa: N818 - a refusal, not a failure
    """A file that is not read: outside its root, not a regular file, too large, unreadable.

    ``code`` is a problem code (E107, E109, E110, E111), ``path`` the file as the caller named it
    (the link itself for a link); ``message`` and ``hint`` are in French and never quote more
    than a shortened link target.
    """

    def __init__(self, code: str, path: Path, message: str, hint: str) -> None:
        super().__init__(message, hint, context=str(path))
        self.code = code
        self.path = path


def file_kind(mode: int) -> str | None:
    """What a file that is not regular is, in French (``None`` for a regular file)."""
    if stat.S_ISREG(mode):
        return None
    return next((noun for test, noun in _KINDS if test(mode)), "un fichier spécial")


def _not_regular(path: Path, mode: int) -> FileRefused:
    return FileRefused(
        "E111",
        path,
        f"{file_kind(mode)}, pas un fichier ordinaire : il n'est pas lu",
        "remplacez-le par un fichier texte ordinaire, ou retirez-le",
    )


def too_large(path: Path, size: int | None, limit: int) -> FileRefused:
    """E107: what the file weighs (when known) against the limit."""
    weight = f"fichier de {size / 1e6:.1f} Mo" if size is not None else "fichier"
    return FileRefused(
        "E107",
        path,
        f"{weight} au-delà de la limite de {limit // (1024 * 1024)} Mo : il n'est pas lu",
        "découpez-le en plusieurs fichiers du même dossier",
    )


def unreadable(path: Path, error: OSError, via_link: bool) -> FileRefused:
    """E109 (or E111 for a socket) for a file the system would not open or read."""
    if error.errno == errno.ENOENT:
        reason = "fichier introuvable"
        hint = (
            "un lien symbolique cassé ? supprimez-le ou rétablissez sa cible"
            if via_link
            else "le fichier a disparu pendant la lecture : relancez la commande"
        )
    elif error.errno in (errno.EACCES, errno.EPERM):
        reason, hint = "droits insuffisants", "donnez le droit de lecture sur le fichier"
    elif error.errno == errno.ELOOP:
        reason, hint = "liens symboliques en boucle", "un lien mène à lui-même : corrigez-le"
    elif error.errno == errno.ENXIO:  # opening a socket
        return _not_regular(path, stat.S_IFSOCK)
    else:
        reason, hint = str(error.strerror or error), "vérifiez le fichier"
    return FileRefused("E109", path, f"lecture impossible : {reason}", hint)


def outside_root(path: Path, link: Path, target: str) -> FileRefused:
    """E110 for ``link`` (the first link on the way to ``path``) pointing out of the root (the
    inventory: only an inventory is read within a root)."""
    return FileRefused(
        "E110",
        link,
        f"lien symbolique vers « {shorten(target, 120)} », hors de l'inventaire : il n'est pas "
        "suivi",
        "remplacez le lien par le fichier lui-même, ou faites-le pointer dans l'inventaire",
    )


def _inside(real_root: str, real_path: str) -> bool:
    return real_path == real_root or real_path.startswith(real_root.rstrip(os.sep) + os.sep)


def _first_link(root: Path, path: Path) -> Path:
    """The first component of ``path`` below ``root`` that is a symbolic link (else ``path``)."""
    try:
        parts = path.relative_to(root).parts
    except ValueError:
        return path
    current = root
    for part in parts:
        current = current / part
        if current.is_symlink():
            return current
    return path


def resolve_inside(root: Path, path: Path, real_root: str | None = None) -> str:
    """The real path of ``path``, which must lie inside ``root``: :class:`FileRefused` (E110)
    naming the link that leads out and its target otherwise."""
    real_root = real_root if real_root is not None else os.path.realpath(root)
    real = os.path.realpath(path)
    if _inside(real_root, real):
        return real
    link = _first_link(root, path)
    try:
        target = os.readlink(link)
    except OSError:
        target = real
    raise outside_root(path, link, target)


def read_file(
    path: Path,
    *,
    root: Path | None = None,
    limit: int = MAX_FILE_BYTES,
    real_root: str | None = None,
) -> bytes:
    """The bytes of the regular file ``path``, at most ``limit`` of them; with ``root``, only
    when ``path`` (links followed) lies inside it. :class:`FileRefused` otherwise."""
    opened = str(path)
    via_link = path.is_symlink()
    if root is not None:
        opened = resolve_inside(root, path, real_root)
    try:
        before = os.stat(opened)
    except OSError as error:
        raise unreadable(path, error, via_link) from None
    if not stat.S_ISREG(before.st_mode):  # refused unopened: opening a device may act
        raise _not_regular(path, before.st_mode)
    if before.st_size > limit:
        raise too_large(path, before.st_size, limit)
    # The resolved path has no link left: one appearing now (a swap) is refused by O_NOFOLLOW.
    flags = _OPEN_FLAGS | (_NO_FOLLOW if root is not None else 0)
    try:
        descriptor = os.open(opened, flags)
    except OSError as error:
        raise unreadable(path, error, via_link) from None
    try:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode):
            raise _not_regular(path, status.st_mode)
        if status.st_size > limit:
            raise too_large(path, status.st_size, limit)
        return _read_bounded(descriptor, status.st_size, path, limit)
    except OSError as error:
        raise unreadable(path, error, via_link) from None
    finally:
        os.close(descriptor)


def _read_bounded(descriptor: int, size: int, path: Path, limit: int) -> bytes:
    """Read to the end, never more than ``limit`` bytes: the size announced is only a hint (a
    file may grow while it is read, a pseudo-file announces 0)."""
    chunks: list[bytes] = []
    total = 0
    want = min(size, limit) + 1  # the announced size and one byte: usually the end in one read
    while chunk := os.read(descriptor, want):
        total += len(chunk)
        if total > limit:
            raise too_large(path, None, limit)
        chunks.append(chunk)
        want = _CHUNK
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


# --- walking a folder -------------------------------------------------------------------------


@dataclass
class FolderListing:
    """What :func:`walk_files` found: the files to read, by POSIX path relative to the root,
    and the entries refused on the way (links out of the root, special files, unreadable
    folders)."""

    files: dict[str, Path] = field(default_factory=dict)
    refused: dict[str, FileRefused] = field(default_factory=dict)


def walk_files(root: Path, wanted: Callable[[str], bool]) -> FolderListing:
    """Every file below ``root`` whose name ``wanted`` accepts, hidden names (``.x``) skipped.

    A link leading out of the root is refused, whatever it links to (a file, a folder, nothing).
    A link is never followed into a folder: a link to a folder inside the root adds nothing (the
    folder is walked where it is). A link to a file is listed when its name is wanted and it
    stays inside the root, unless its target is itself listed (it is read once, at its own
    path). A FIFO, socket or device with a wanted name is refused unopened.
    """
    real_root = os.path.realpath(root)
    listing = FolderListing()
    links: dict[str, tuple[Path, str]] = {}
    pending = [(Path(root), "")]
    while pending:
        folder, prefix = pending.pop()
        try:
            with os.scandir(folder) as scan:
                entries = sorted(scan, key=lambda entry: entry.name)
        except OSError as error:
            listing.refused[prefix.rstrip("/") or "."] = unreadable(folder, error, False)
            continue
        subfolders = []
        for entry in entries:
            name = entry.name
            if name.startswith("."):
                continue
            relative = prefix + name
            path = Path(entry.path)
            if entry.is_symlink():
                _take_link(root, real_root, path, relative, wanted(name), listing, links)
            elif entry.is_dir(follow_symlinks=False):
                subfolders.append((path, relative + "/"))
            elif wanted(name):
                if entry.is_file(follow_symlinks=False):
                    listing.files[relative] = path
                else:
                    listing.refused[relative] = _not_regular(
                        path, entry.stat(follow_symlinks=False).st_mode
                    )
        pending.extend(reversed(subfolders))
    read_here = {os.path.join(real_root, *relative.split("/")) for relative in listing.files}
    for relative, (path, real) in links.items():
        if real not in read_here:
            listing.files[relative] = path
    listing.files = dict(sorted(listing.files.items()))
    listing.refused = dict(sorted(listing.refused.items()))
    return listing


def _take_link(
    root: Path,
    real_root: str,
    path: Path,
    relative: str,
    wanted: bool,
    listing: FolderListing,
    links: dict[str, tuple[Path, str]],
) -> None:
    real = os.path.realpath(path)
    if not _inside(real_root, real):
        try:
            target = os.readlink(path)
        except OSError:
            target = real
        listing.refused[relative] = outside_root(path, path, target)
    elif wanted and not os.path.isdir(real):
        links[relative] = (path, real)

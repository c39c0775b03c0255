"""The user's cache folder: where it is, what it holds, how big it may grow, how it is read.

One folder — ``$CARTOGRAPHIE_CACHE``, else ``$XDG_CACHE_HOME/cartographie``, else
``~/.cache/cartographie`` — holds three kinds of entries, each written by one module:

- ``chargement-<code>/<inventory>/``: the parse cache of one inventory folder, pickles
  (:mod:`cartographie.inventory.cache`);
- ``tendance-<code>/<repository>.json``: the trend's figures of one repository, per commit
  (:mod:`cartographie.analysis.trend`);
- ``graphviz-<key>.cwasm``: the embedded Graphviz compiled to machine code
  (:mod:`cartographie.render.engines`).

**Nothing in it runs unless it is provably the user's own.** A pickle runs code when it is
loaded, and a compiled module *is* code: such entries are opened only by :func:`open_private`,
which checks, on the opened descriptors (no window between the check and the read), that every
folder from the cache's root down to the file, and the file itself, belong to the current user
and are writable by no one else, following no link below the root. Anything else is a miss,
never an error. The trend's figures are JSON, which cannot execute, and their shape is checked
as they are read. Where a system has no POSIX owners (Windows), nothing executable is read from
the cache. Folders are created private (mode 0700).

**Size.** Past a limit — :data:`DEFAULT_LIMIT`, or ``CARTOGRAPHIE_CACHE_MAX`` (``800M``,
``2G``, ``0``…) — the least recently used entries are removed after each write: an entry is an
inventory's parse cache, a repository's figures, a compiled module, and its last use is the
newest modification time in it (reading an entry touches it). What the running command uses is
never removed. Files of other kinds in the folder are counted apart and never touched.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

CACHE_VARIABLE = "CARTOGRAPHIE_CACHE"
LIMIT_VARIABLE = "CARTOGRAPHIE_CACHE_MAX"
# Ten inventories the size of the reference one take 40 MB and a ×100 inventory ~400 MB: the
# default keeps a working set and stops an afternoon of generated inventories from piling up.
DEFAULT_LIMIT = 500_000_000
_UNITS = {"": 1, "K": 1_000, "M": 1_000_000, "G": 1_000_000_000, "T": 1_000_000_000_000}
_SIZE = re.compile(r"\s*(\d+(?:[.,]\d+)?)\s*([KMGT]?)(?:[IO]?[BO]?)?\s*", re.I)


@dataclass(frozen=True)
class Kind:
    """A kind of entry: its code, what users call it, and where its entries sit — the children
    of the root's folders named ``folder``, or the root's files named ``file``. Names carry the
    hashes this tool writes, so that a folder of the user's that happens to start the same way
    (``CARTOGRAPHIE_CACHE`` pointed at a busy folder) is never taken for an entry."""

    code: str
    label: str
    folder: re.Pattern[str] | None = None
    file: re.Pattern[str] | None = None


KINDS = (
    Kind(
        "lecture",
        "Lecture des inventaires (cache de lecture)",
        folder=re.compile(r"chargement-[0-9a-f]{16}"),
    ),
    Kind(
        "tendance",
        "Chiffres de la tendance, par commit",
        folder=re.compile(r"tendance-[0-9a-f]{16}"),
    ),
    # the module, or its temporary file when a kill cut a write short
    Kind(
        "moteur",
        "Graphviz embarqué, compilé",
        file=re.compile(r"\.?graphviz-[0-9a-f]{24}\.cwasm(\.[0-9]+(-[0-9]+)?\.tmp)?"),
    ),
)


@dataclass(frozen=True)
class Entry:
    """One unit of the cache: removed whole, its last use the newest time in it."""

    kind: str
    path: Path
    files: int
    size: int
    last_used_ns: int


@dataclass(frozen=True)
class CacheContents:
    root: Path
    entries: tuple[Entry, ...]
    other_files: int  # what the folder holds that this tool did not write
    other_size: int
    private: bool  # the root belongs to the user and no one else can write in it

    @property
    def size(self) -> int:
        return sum(entry.size for entry in self.entries)

    def by_kind(self, code: str) -> tuple[int, int, int]:
        """Entries, files and bytes of one kind."""
        chosen = [entry for entry in self.entries if entry.kind == code]
        return len(chosen), sum(e.files for e in chosen), sum(e.size for e in chosen)


def cache_directory() -> Path:
    """``$CARTOGRAPHIE_CACHE``, else ``$XDG_CACHE_HOME/cartographie``, else
    ``~/.cache/cartographie``."""
    override = os.environ.get(CACHE_VARIABLE)
    if override:
        return Path(override)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "cartographie"


def parse_size(text: str) -> int | None:
    """``500M``, ``2G``, ``1,5 Go``, ``800000`` (bytes) → bytes; None when unreadable."""
    found = _SIZE.fullmatch(text)
    if found is None:
        return None
    return int(float(found[1].replace(",", ".")) * _UNITS[found[2].upper()])


def cache_limit() -> tuple[int, str | None]:
    """The size past which old entries go, and a problem with ``CARTOGRAPHIE_CACHE_MAX``."""
    setting = os.environ.get(LIMIT_VARIABLE, "").strip()
    if not setting:
        return DEFAULT_LIMIT, None
    parsed = parse_size(setting)
    if parsed is None:
        return DEFAULT_LIMIT, f"{LIMIT_VARIABLE}={setting!r} illisible (exemples : 800M, 2G)"
    return parsed, None


# --- reading what could execute ----------------------------------------------------------------

_POSIX = hasattr(os, "geteuid") and hasattr(os, "O_NOFOLLOW") and os.open in os.supports_dir_fd
_FOLDER = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0)
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)


def executable_entries_readable() -> bool:
    """Whether this system can prove an entry is the user's own (POSIX owners): where it cannot,
    pickles and compiled modules are neither read nor written."""
    return _POSIX


def _is_private(status: os.stat_result) -> bool:
    return status.st_uid == os.geteuid() and not status.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def open_private(path: Path, root: Path) -> BinaryIO | None:
    """``path`` opened for reading if it is provably the user's own, else None.

    Every folder from ``root`` to the file and the file itself must belong to the current user
    and be writable by no one else; below ``root`` no link is followed and only a regular file
    is opened (a FIFO never blocks). The checks are made on the descriptors that are then read.
    """
    if not _POSIX:
        return None
    try:
        parts = path.relative_to(root).parts
    except ValueError:
        return None
    if not parts or ".." in parts:
        return None
    folders: list[int] = []
    try:
        folders.append(os.open(root, _FOLDER))  # the root itself may be reached through a link
        if not _is_private(os.fstat(folders[-1])):
            return None
        for part in parts[:-1]:
            folders.append(os.open(part, _FOLDER | _NOFOLLOW, dir_fd=folders[-1]))
            if not _is_private(os.fstat(folders[-1])):
                return None
        handle = os.open(parts[-1], os.O_RDONLY | _NOFOLLOW | _NONBLOCK, dir_fd=folders[-1])
        status = os.fstat(handle)
        if not stat.S_ISREG(status.st_mode) or not _is_private(status):
            os.close(handle)
            return None
        return os.fdopen(handle, "rb")
    except OSError:
        return None
    finally:
        for descriptor in folders:
            os.close(descriptor)


def make_private_folder(folder: Path, root: Path) -> None:
    """Create ``root`` and the folders down to ``folder``, each readable by the user alone
    (the root's own parents keep the usual permissions)."""
    root.mkdir(mode=0o700, parents=True, exist_ok=True)
    current = root
    for part in folder.relative_to(root).parts:
        current = current / part
        current.mkdir(mode=0o700, exist_ok=True)


def touch(path: Path) -> None:
    """Mark an entry as used now (what the eviction orders by)."""
    with contextlib.suppress(OSError):
        os.utime(path)


# --- what it holds, and keeping it small -------------------------------------------------------


def scan(root: Path | None = None) -> CacheContents:
    """Every entry of the cache, and what else its folder holds."""
    root = root if root is not None else cache_directory()
    entries: list[Entry] = []
    other_files = other_size = 0
    try:
        status = os.stat(root)
        private = not _POSIX or _is_private(status)
        children = sorted(os.scandir(root), key=lambda child: child.name)
    except OSError:
        return CacheContents(root, (), 0, 0, True)
    for child in children:
        kind = _kind_of_root_child(child)
        if kind is None:
            files, size, _ = _measure(Path(child.path))
            other_files, other_size = other_files + files, other_size + size
        elif kind.folder is not None:
            for grandchild in sorted(os.scandir(child.path), key=lambda item: item.name):
                files, size, used = _measure(Path(grandchild.path))
                entries.append(Entry(kind.code, Path(grandchild.path), files, size, used))
        else:
            files, size, used = _measure(Path(child.path))
            entries.append(Entry(kind.code, Path(child.path), files, size, used))
    return CacheContents(root, tuple(entries), other_files, other_size, private)


def is_entry_folder(name: str) -> bool:
    """Whether a folder of the root named so holds entries of a kind (a new cache's folder must)."""
    return any(kind.folder is not None and kind.folder.fullmatch(name) for kind in KINDS)


def _kind_of_root_child(child: os.DirEntry[str]) -> Kind | None:
    for kind in KINDS:
        folder = kind.folder is not None and kind.folder.fullmatch(child.name)
        if folder and child.is_dir(follow_symlinks=False):
            return kind
        file = kind.file is not None and kind.file.fullmatch(child.name)
        if file and child.is_file(follow_symlinks=False):
            return kind
    return None


def _measure(path: Path) -> tuple[int, int, int]:
    """Files, bytes and newest modification time (ns) under ``path``, links not followed."""
    files = size = newest = 0
    for status in _statuses(path):
        if stat.S_ISDIR(status.st_mode):
            continue
        files += 1
        size += status.st_size
        newest = max(newest, status.st_mtime_ns)
    return files, size, newest


def _statuses(path: Path) -> Iterator[os.stat_result]:
    try:
        status = os.lstat(path)
    except OSError:
        return
    yield status
    if stat.S_ISDIR(status.st_mode):
        with contextlib.suppress(OSError):
            for child in os.scandir(path):
                yield from _statuses(Path(child.path))


def _remove(path: Path) -> None:
    with contextlib.suppress(OSError):
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)


def _remove_empty_kind_folders(root: Path) -> None:
    with contextlib.suppress(OSError):
        for child in os.scandir(root):
            kind = _kind_of_root_child(child)
            if kind is not None and kind.folder is not None:
                with contextlib.suppress(OSError):
                    os.rmdir(child.path)  # only when empty


def trim(
    root: Path | None = None, limit: int | None = None, keep: Iterable[Path] = ()
) -> list[Entry]:
    """Remove the least recently used entries until the cache fits ``limit`` (default: the
    configured one); the entries holding a path of ``keep`` stay whatever their age."""
    root = root if root is not None else cache_directory()
    limit = limit if limit is not None else cache_limit()[0]
    contents = scan(root)
    total = contents.size
    if total <= limit:
        return []
    kept = [Path(os.path.abspath(path)) for path in keep]
    removed: list[Entry] = []
    for entry in sorted(contents.entries, key=lambda item: (item.last_used_ns, str(item.path))):
        if total <= limit:
            break
        here = Path(os.path.abspath(entry.path))
        if any(path == here or here in path.parents for path in kept):
            continue
        _remove(entry.path)
        removed.append(entry)
        total -= entry.size
    _remove_empty_kind_folders(root)
    return removed


def clear(root: Path | None = None) -> CacheContents:
    """Remove every entry this tool wrote (and nothing else); what was removed."""
    contents = scan(root)
    for entry in contents.entries:
        _remove(entry.path)
    _remove_empty_kind_folders(contents.root)
    return contents

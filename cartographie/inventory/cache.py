"""The parse cache: a second load of an unchanged inventory parses no YAML.

Two levels, both stored outside the inventory, in the user's cache folder
(:mod:`cartographie.usercache`: where it is, its size limit), in a folder per inventory directory
and per version of the loading code:

- **per file**: what reading and shape-checking a file gives (its problems and records), keyed
  by the file's path and a hash of its bytes. One edited file is parsed again; the others come
  from the cache, and the cross-file checks run as usual.
- **per inventory**: the whole validated result, keyed by every file's path and hash. An
  unchanged inventory skips the cross-file checks too.

Knowing which files changed without reading them all: an index keeps each file's size,
modification time (ns) and hash. A file whose size and time are those of the index is taken as
unchanged, unless its time is too close to when the index was written to tell an edit made in
the same instant (git's "racily clean" case): that file is read and hashed again. Any other file
is read and hashed; a hash that did not change (a ``touch``) still hits the cache.

The cache is an accelerator, never a source of truth: a missing, unreadable or corrupt entry is
a miss, and a failure to write is ignored. Entries are pickles, and a pickle runs code when it is
loaded: an entry is read only when it is provably this user's own (owner and permissions of the
file and of every folder above it, :func:`cartographie.usercache.open_private`), else it is a
miss. The folder's name changes with the code that builds them, so a new version never reads an
old pickle. After a load that wrote entries, the cache is trimmed to its size limit.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import pickle
import stat
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cartographie import usercache
from cartographie.errors import CartographieError
from cartographie.files.writing import write_file_atomic

# A file modified within this long before the index was written may have been edited again in
# the same timestamp tick (coarse file systems tick every second or two): always re-hash it.
RACY_WINDOW_NS = 3_000_000_000
NO_CACHE_VARIABLE = "CARTOGRAPHIE_SANS_CACHE"
_ENTRY_SUFFIX = ".pickle"


@dataclass(frozen=True)
class FileStamp:
    """What identifies a file's content without parsing it."""

    size: int
    mtime_ns: int
    digest: str


def default_cache_directory() -> Path:
    return usercache.cache_directory()


def caches_enabled() -> bool:
    """Whether commands may use their caches: ``cartographie --sans-cache`` (or
    ``CARTOGRAPHIE_SANS_CACHE=1``) says no."""
    return os.environ.get(NO_CACHE_VARIABLE, "") in ("", "0")


@functools.cache
def code_fingerprint(*folders: str, suffixes: tuple[str, ...] = (".py",)) -> str:
    """A hash of the package's code in ``folders`` and ``errors.py`` (no folder: the whole
    package), files ending in ``suffixes``: what a cached result was computed with. A change to
    that code makes a new cache."""
    package = Path(__file__).resolve().parents[1]
    if folders:
        sources = [path for folder in folders for path in sorted((package / folder).iterdir())]
        sources.append(package / "errors.py")
    else:
        sources = sorted(path for path in package.rglob("*") if "__pycache__" not in path.parts)
    digest = hashlib.blake2b(digest_size=8)
    for source in sources:
        if source.suffix in suffixes and source.is_file():
            digest.update(source.relative_to(package).as_posix().encode())
            digest.update(source.read_bytes())
    return digest.hexdigest()


def content_digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=20).hexdigest()


class ParseCache:
    """The cache of one inventory directory."""

    def __init__(self, root: Path, directory: Path | None = None) -> None:
        self.base = directory if directory is not None else default_cache_directory()
        where = hashlib.blake2b(str(root.resolve()).encode(), digest_size=10).hexdigest()
        # The code whose objects the cache pickles.
        self.folder = self.base / f"chargement-{code_fingerprint('model', 'inventory')}" / where
        self._wrote_entries = False
        self._index: dict[str, FileStamp] = {}
        self._index_written_ns = 0
        self._read_index()

    # --- the index of stamps ------------------------------------------------------------------

    def _read_index(self) -> None:
        loaded = self._load(self.folder / f"index{_ENTRY_SUFFIX}")
        if isinstance(loaded, tuple) and len(loaded) == 2:
            self._index_written_ns, self._index = loaded

    def stamp(
        self, relative: str, path: Path, read: Callable[[Path], bytes]
    ) -> tuple[FileStamp, bytes | None]:
        """The file's stamp, and its bytes when they had to be read (by ``read``, the loader's
        safe reader) to know it."""
        status = path.stat()
        known = self._index.get(relative)
        if (
            known is not None
            and stat.S_ISREG(status.st_mode)
            and known.size == status.st_size
            and known.mtime_ns == status.st_mtime_ns
            and status.st_mtime_ns < self._index_written_ns - RACY_WINDOW_NS
        ):
            return known, None
        data = read(path)
        return FileStamp(len(data), status.st_mtime_ns, content_digest(data)), data

    def save_index(self, stamps: dict[str, FileStamp]) -> None:
        self._store(f"index{_ENTRY_SUFFIX}", (time.time_ns(), stamps))
        self._prune(
            {f"index{_ENTRY_SUFFIX}", *(self._file_key(r, s.digest) for r, s in stamps.items())}
        )
        if self._wrote_entries:  # a warm load rewrites the index only: nothing grew
            with contextlib.suppress(OSError):
                usercache.trim(self.base, keep=[self.folder])

    # --- entries ------------------------------------------------------------------------------

    @staticmethod
    def _file_key(relative: str, digest: str) -> str:
        path_hash = hashlib.blake2b(relative.encode(), digest_size=8).hexdigest()
        return f"fichier-{path_hash}-{digest}{_ENTRY_SUFFIX}"

    @staticmethod
    def inventory_key(stamps: dict[str, FileStamp]) -> str:
        digest = hashlib.blake2b(digest_size=20)
        for relative in sorted(stamps):
            digest.update(f"{relative}\0{stamps[relative].digest}\n".encode())
        return f"inventaire-{digest.hexdigest()}{_ENTRY_SUFFIX}"

    def load_file(self, relative: str, digest: str) -> Any:
        return self._load(self.folder / self._file_key(relative, digest))

    def store_file(self, relative: str, digest: str, entry: Any) -> None:
        self._store(self._file_key(relative, digest), entry)

    def load_inventory(self, key: str) -> Any:
        return self._load(self.folder / key)

    def store_inventory(self, key: str, entry: Any) -> None:
        # Only the latest inventory is kept: older whole-inventory entries are dropped.
        for old in self.folder.glob(f"inventaire-*{_ENTRY_SUFFIX}") if self.folder.is_dir() else ():
            if old.name != key:
                old.unlink(missing_ok=True)
        self._store(key, entry)

    # --- storage ------------------------------------------------------------------------------

    def _load(self, path: Path) -> Any:
        handle = usercache.open_private(path, self.base)
        if handle is None:  # absent, or not provably this user's: never unpickled
            return None
        try:
            with handle:
                return pickle.load(handle)
        except Exception:  # a corrupt entry is a miss, never an error
            return None

    def _store(self, name: str, entry: Any) -> None:
        if not usercache.executable_entries_readable():
            return  # it could never be read back
        if not name.startswith("index"):
            self._wrote_entries = True
        try:
            usercache.make_private_folder(self.folder, self.base)
            data = pickle.dumps(entry, protocol=pickle.HIGHEST_PROTOCOL)
            # readable by its owner alone (open_private reads nothing else), and never through
            # a link planted in the cache folder
            write_file_atomic(self.folder / name, data, within=self.base, mode=0o600)
        except (OSError, CartographieError, pickle.PicklingError, RecursionError):
            pass  # a cache that cannot be written only costs time

    def _prune(self, keep: set[str]) -> None:
        """Remove per-file entries that no current file uses (edited or deleted files)."""
        try:
            for entry in self.folder.glob(f"fichier-*{_ENTRY_SUFFIX}"):
                if entry.name not in keep:
                    entry.unlink(missing_ok=True)
        except OSError:
            pass

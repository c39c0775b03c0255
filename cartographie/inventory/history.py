"""Walking the inventory's git history: each commit loaded once, results kept between runs.

What the trend (``analysis.trend``) and the journal (``journal``) share, so that neither runs git
nor writes a cache itself:

- :class:`RevisionLoader` checks the inventory at successive commits; each distinct file is
  parsed once over the whole walk (``check_inventory`` keeps each file's check by path and
  content in a memo), and the last commits loaded are kept, so that walking a history commit by
  commit (each one against its parent) loads each commit once;
- :class:`CommitCache` keeps a value computed for each commit between runs, under the user's
  cache directory, as JSON (data that cannot execute when read). A commit never changes, so its
  value changes only with the code that computes it: that code's fingerprint names the folder,
  and a new version starts afresh. The cache is an accelerator, never a source of truth: a
  missing, corrupt or ill-formed entry is a miss, a failed write only costs time. Each run
  touches its file, and a write trims the cache to its size (:mod:`cartographie.usercache`).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from cartographie import usercache
from cartographie.files import write_file_atomic
from cartographie.inventory.cache import code_fingerprint, default_cache_directory
from cartographie.inventory.git import Repository, check_commit
from cartographie.inventory.loader import FileMemo
from cartographie.model.inventory import Inventory

# Commits kept loaded: a commit and its parent (the journal compares each commit to its parent,
# which is the next commit of the walk).
KEPT = 2


class RevisionLoader:
    """The inventory at commits of one repository: ``(inventory, 0)``, ``(None, errors)`` when it
    is invalid there, ``(None, 0)`` when there is none."""

    def __init__(self, repository: Repository) -> None:
        self.repository = repository
        self._memo: FileMemo = {}
        self._loaded: OrderedDict[str, tuple[Inventory | None, int]] = OrderedDict()

    def load(self, commit: str | None) -> tuple[Inventory | None, int]:
        if commit is None:
            return None, 0
        found = self._loaded.get(commit)
        if found is None:
            result = check_commit(self.repository, commit, self._memo)
            if result is None:
                found = (None, 0)
            else:
                errors = len(result.errors)
                found = (None if errors else result.inventory, errors)
            self._loaded[commit] = found
            while len(self._loaded) > KEPT:
                self._loaded.popitem(last=False)
        else:
            self._loaded.move_to_end(commit)
        return found


class CommitCache:
    """A JSON value per commit, kept between runs (one file per repository and inventory folder,
    per ``name`` and per version of the code in ``packages``)."""

    def __init__(
        self,
        name: str,
        repository: Repository,
        well_formed: Callable[[Any], bool],
        packages: tuple[str, ...],
        directory: Path | None = None,
    ) -> None:
        self.base = base = directory if directory is not None else default_cache_directory()
        fingerprint = code_fingerprint(*packages)
        if not usercache.is_entry_folder(f"{name}-{fingerprint}"):
            # what `cartographie cache` lists, trims and clears: a new name is a new kind there
            raise ValueError(f"{name!r} is not a kind of usercache.KINDS")
        where = hashlib.blake2b(
            f"{repository.root}\0{repository.prefix}".encode(), digest_size=10
        ).hexdigest()
        self.path = base / f"{name}-{fingerprint}" / f"{where}.json"
        self._well_formed = well_formed
        self._values = self._read()
        self._changed = False

    def _read(self) -> dict[str, Any]:
        try:
            stored = json.loads(self.path.read_text(encoding="utf-8"))
            usercache.touch(self.path)
            return {
                revision: value
                for revision, value in stored.items()
                if self._well_formed(value)  # anything else is a miss, computed again
            }
        except (OSError, ValueError, AttributeError):
            return {}

    def value(self, revision: str, compute: Callable[[str], Any]) -> Any:
        if revision not in self._values:
            self._values[revision] = compute(revision)
            self._changed = True
        return self._values[revision]

    def save(self) -> None:
        if not self._changed:
            return
        stored = {revision: self._values[revision] for revision in sorted(self._values)}
        with contextlib.suppress(OSError):  # a cache that cannot be written only costs time
            usercache.make_private_folder(self.path.parent, self.base)
            write_file_atomic(self.path, json.dumps(stored, separators=(",", ":")))
            usercache.trim(self.base, keep=[self.path])

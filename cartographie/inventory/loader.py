"""Loading an inventory directory: find its files, read them, validate everything at once.

``load_inventory`` is the one entry point every command uses. It either returns a complete,
consistent :class:`Inventory` or raises :class:`InventoryError` listing every problem of every
file, sorted by file and line. It opens files for reading only, through
:func:`cartographie.files.read_file` (DESIGN.md §12): a link leading out of the inventory, a
FIFO, a device or a file over the size limit is a located problem, never read.
"""

from __future__ import annotations

import errno
import functools
import gc
import os
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from cartographie.errors import InventoryError, Location, PathError, Problem
from cartographie.files.reading import (
    FileRefused,
    FolderListing,
    read_file,
    unreadable,
    walk_files,
)
from cartographie.inventory.cache import FileStamp, ParseCache, content_digest
from cartographie.inventory.references import build_inventory
from cartographie.inventory.shape import CheckedFile, check_file_shape
from cartographie.inventory.yamlread import read_yaml_bytes, readable_text
from cartographie.model.inventory import Inventory

YAML_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class LoadResult:
    """An inventory (or ``None`` when it could not be built) and everything found wrong."""

    inventory: Inventory | None
    problems: list[Problem]

    @property
    def errors(self) -> list[Problem]:
        return [problem for problem in self.problems if problem.severity == "erreur"]


def _is_yaml(name: str) -> bool:
    return name.endswith(YAML_SUFFIXES)


def list_inventory_files(root: Path) -> FolderListing:
    """The YAML files below ``root`` (hidden folders and files skipped), and the entries refused
    on the way: links out of the inventory, FIFOs and devices named ``*.yaml``."""
    return walk_files(root, _is_yaml)


def find_inventory_files(root: Path) -> list[Path]:
    """Every YAML file below ``root`` that a load reads, sorted by relative path."""
    return list(list_inventory_files(root).files.values())


def read_inventory_files(root: Path) -> dict[str, bytes | FileRefused]:
    """The bytes of every inventory file, keyed by POSIX path relative to ``root``; a file that
    is not read (outside the inventory, not a regular file, too large) maps to its refusal."""
    listing = list_inventory_files(root)
    read = functools.partial(read_file, root=root, real_root=os.path.realpath(root))
    contents: dict[str, bytes | FileRefused] = dict(listing.refused)
    for relative, path in listing.files.items():
        try:
            contents[relative] = read(path)
        except FileRefused as refused:
            contents[relative] = refused
    return dict(sorted(contents.items()))


@contextmanager
def without_cyclic_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while building a large acyclic structure.

    A load allocates millions of containers that all survive: each allocation burst triggers a
    full generation scan for nothing (a fifth of a large load). Nothing built here is cyclic, so
    reference counting frees what is dropped; the collector resumes afterwards.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


# (relative path, content digest) -> what checking that file gave: lets a walk through history
# parse each distinct file once (most files are the same from one commit to the next).
FileMemo = dict[tuple[str, str], "FileCheck"]


def check_inventory(
    root: Path, contents: Mapping[str, bytes | FileRefused], *, memo: FileMemo | None = None
) -> LoadResult:
    """Validate an inventory given as file contents (from disk or from a git revision); a file
    refused unread is one problem.

    With ``memo``, a file already checked with the same path and content is not parsed again.
    """
    with without_cyclic_gc():
        checked = []
        for relative in sorted(contents):
            raw = contents[relative]
            if isinstance(raw, FileRefused):
                checked.append(refused_file(relative, raw))
                continue
            if memo is None:
                checked.append(check_file(relative, raw))
                continue
            key = (relative, content_digest(raw))
            if key not in memo:
                memo[key] = check_file(relative, raw)
            checked.append(memo[key])
        return _assemble(root, checked)


@dataclass
class FileCheck:
    """What one file gives on its own: its problems and, unless unusable, its records."""

    problems: list[Problem]
    checked: CheckedFile | None


def check_file(relative: str, raw: bytes) -> FileCheck:
    """Read and shape-check one file (no cross-file check): the unit the parse cache keeps."""
    document = read_yaml_bytes(raw, relative)
    if document.data is None:
        unusable = None
        if any(problem.code != "E106" for problem in document.problems):  # not just empty
            unusable = _unreadable_file(relative, raw)
        return FileCheck(list(document.problems), unusable)
    checked = check_file_shape(relative, document.data)
    # A value whose tag was refused is already reported: its type is not a second problem.
    refused = {p.location.line for p in document.problems if p.code == "E104"}
    # One problem per value: a control character in a value the shape check refuses anyway
    # (an id, an enumeration) shows, escaped, in that problem's message.
    shaped = {p.location.line for p in checked.problems}
    problems = [p for p in document.problems if p.code != "E207" or p.location.line not in shaped]
    problems.extend(
        p for p in checked.problems if p.code != "E204" or p.location.line not in refused
    )
    return FileCheck(problems, checked)


def refused_file(relative: str, refused: FileRefused) -> FileCheck:
    """A file not read at all: its problem, and nothing known of what it declares."""
    problem = Problem(refused.code, Location(relative), refused.message, refused.hint)
    return FileCheck([problem], CheckedFile(relative, readable=False, unread=True))


def _assemble(root: Path, files: list[FileCheck]) -> LoadResult:
    """Cross-check the files' records into one inventory, with every problem sorted."""
    problems = [problem for file in files for problem in file.problems]
    if not files:
        problems.append(
            Problem(
                "E401",
                Location("."),
                "aucun fichier YAML dans l'inventaire",
                "créez territoire.yaml, ou partez de l'exemple : cartographie exemple --sortie DIR",
            )
        )
        return LoadResult(None, problems)
    checked_files = [file.checked for file in files if file.checked is not None]
    inventory, cross_problems = build_inventory(root, checked_files)
    problems.extend(cross_problems)
    problems.sort(key=Problem.sort_key)
    return LoadResult(inventory, problems)


def _load_with_cache(directory: Path, cache: ParseCache) -> LoadResult:
    """Load through the parse cache: unchanged files are not parsed, an unchanged inventory is
    not even cross-checked again."""
    listing = list_inventory_files(directory)
    read = functools.partial(read_file, root=directory, real_root=os.path.realpath(directory))
    refused: dict[str, FileRefused] = dict(listing.refused)
    stamps: dict[str, FileStamp] = {}
    contents: dict[str, bytes] = {}
    for relative, path in listing.files.items():
        try:
            stamps[relative], data = cache.stamp(relative, path, read)
        except FileRefused as refusal:
            refused[relative] = refusal
            continue
        except OSError as error:  # the stamp's stat: a link loop, a file gone since the walk
            refused[relative] = unreadable(Path(relative), error, path.is_symlink())
            continue
        if data is not None:
            contents[relative] = data
    # The whole-inventory entry knows the files read, not those refused: none is used then.
    key = cache.inventory_key(stamps)
    cached = None if refused else cache.load_inventory(key)
    if isinstance(cached, LoadResult):
        if cached.inventory is not None:
            cached.inventory.root = directory
        cache.save_index(stamps)
        return cached
    files: list[FileCheck] = [refused_file(relative, refused[relative]) for relative in refused]
    for relative in sorted(stamps):
        digest = stamps[relative].digest
        entry = cache.load_file(relative, digest)
        if not isinstance(entry, FileCheck):
            raw = contents.pop(relative, None)
            try:
                entry = check_file(relative, raw if raw is not None else read(directory / relative))
            except FileRefused as refusal:
                files.append(refused_file(relative, refusal))
                continue
            cache.store_file(relative, digest, entry)
        files.append(entry)
    result = _assemble(directory, files)
    if not refused:
        cache.store_inventory(key, result)
    cache.save_index(stamps)
    return result


# `id: value` at the start of a line, as a record's first key (`- id: x`) or any other key.
_ID_LINE = re.compile(r"^[ \t-]*id[ \t]*:[ \t]*[\"']?([A-Za-z0-9._/ -]*[A-Za-z0-9])", re.MULTILINE)


def _unreadable_file(relative: str, raw: bytes) -> CheckedFile:
    """A file that could not be parsed: its records are unknown, but the ids its text seems to
    declare are remembered, so that references to them are not reported as dangling (the user
    has one fault to fix — the file — not one per application its flows name)."""
    ids = set(_ID_LINE.findall(readable_text(raw)))
    return CheckedFile(relative, broken_ids=ids, readable=False)


def validate_inventory(
    root: Path | str, *, cache: bool = False, cache_directory: Path | None = None
) -> LoadResult:
    """Read and check the inventory at ``root`` without raising on invalid data.

    With ``cache``, unchanged files are taken from the parse cache (see ``inventory.cache``)
    instead of being parsed again; ``cache_directory`` overrides where it lives.
    """
    directory = Path(root)
    if not directory.is_dir():
        raise PathError(
            f"inventaire introuvable : « {directory} » n'est pas un dossier",
            "indiquez le dossier avec -i/--inventaire (par défaut ./inventory)",
        )
    try:
        with without_cyclic_gc():
            if cache:
                return _load_with_cache(directory, ParseCache(directory, cache_directory))
            contents = read_inventory_files(directory)
            return _assemble(
                directory,
                [
                    refused_file(relative, raw)
                    if isinstance(raw, FileRefused)
                    else check_file(relative, raw)
                    for relative, raw in contents.items()
                ],
            )
    except OSError as error:
        return LoadResult(None, [_unreadable_path(directory, error)])


@dataclass
class LoadedContents:
    """An inventory with the bytes it was read from and what checking each file gave: a
    variant of it (a scenario's edits) is then checked parsing only the files that changed."""

    result: LoadResult
    contents: dict[str, bytes]
    memo: FileMemo


def load_contents(
    root: Path | str, *, cache: bool = False, cache_directory: Path | None = None
) -> LoadedContents:
    """Read every file of the inventory, check them (through the parse cache when asked) and
    keep the bytes and per-file results (``check_inventory(..., memo=…)`` reuses them)."""
    directory = Path(root)
    if not directory.is_dir():
        raise PathError(
            f"inventaire introuvable : « {directory} » n'est pas un dossier",
            "indiquez le dossier avec -i/--inventaire (par défaut ./inventory)",
        )
    contents = read_inventory_files(directory)
    memo: FileMemo = {}
    parse_cache = ParseCache(directory, cache_directory) if cache else None
    readable: dict[str, bytes] = {}
    for relative, raw in contents.items():
        if isinstance(raw, FileRefused):
            continue
        readable[relative] = raw
        if parse_cache is not None:
            digest = content_digest(raw)
            entry = parse_cache.load_file(relative, digest)
            if isinstance(entry, FileCheck):
                memo[(relative, digest)] = entry
    cached = set(memo)
    result = check_inventory(directory, contents, memo=memo)
    if parse_cache is not None:
        for (relative, digest), entry in memo.items():
            if (relative, digest) not in cached:
                parse_cache.store_file(relative, digest, entry)
    return LoadedContents(result, readable, memo)


def _unreadable_path(directory: Path, error: OSError) -> Problem:
    """E109 for a file or folder the system refused (a race with the walk), named relative to
    the inventory."""
    shown = "."
    if error.filename:
        try:
            shown = Path(str(error.filename)).relative_to(directory).as_posix()
        except ValueError:
            shown = str(error.filename)
    refusal = unreadable(Path(shown), error, via_link=error.errno == errno.ENOENT)
    return Problem(refusal.code, Location(shown), refusal.message, refusal.hint)


def load_inventory(
    root: Path | str, *, cache: bool = False, cache_directory: Path | None = None
) -> Inventory:
    """Load the inventory at ``root``: complete and consistent, or :class:`InventoryError`."""
    result = validate_inventory(root, cache=cache, cache_directory=cache_directory)
    if result.errors or result.inventory is None:
        raise InventoryError(result.problems, root=str(root))
    return result.inventory

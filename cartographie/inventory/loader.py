"""Loading an inventory directory: find its files, read them, validate everything at once.

``load_inventory`` is the one entry point every command uses. It either returns a complete,
consistent :class:`Inventory` or raises :class:`InventoryError` listing every problem of every
file, sorted by file and line. It opens files for reading only.
"""

from __future__ import annotations

import errno
import gc
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from cartographie.errors import InventoryError, Location, Problem, UsageError
from cartographie.inventory.cache import FileStamp, ParseCache, content_digest
from cartographie.inventory.references import build_inventory
from cartographie.inventory.shape import CheckedFile, check_file_shape
from cartographie.inventory.yamlread import read_yaml_bytes
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


def find_inventory_files(root: Path) -> list[Path]:
    """Every YAML file below ``root``, sorted; hidden folders and files are skipped."""
    found: list[Path] = []
    for folder, subfolders, names in os.walk(root):
        subfolders[:] = sorted(name for name in subfolders if not name.startswith("."))
        for name in sorted(names):
            if name.endswith(YAML_SUFFIXES) and not name.startswith("."):
                found.append(Path(folder, name))
    return found


def read_inventory_files(root: Path) -> dict[str, bytes]:
    """The bytes of every inventory file, keyed by POSIX path relative to ``root``."""
    contents: dict[str, bytes] = {}
    for path in find_inventory_files(root):
        contents[path.relative_to(root).as_posix()] = path.read_bytes()
    return contents


@contextmanager
def _without_cyclic_gc() -> Iterator[None]:
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
    root: Path, contents: dict[str, bytes], *, memo: FileMemo | None = None
) -> LoadResult:
    """Validate an inventory given as file contents (from disk or from a git revision).

    With ``memo``, a file already checked with the same path and content is not parsed again.
    """
    with _without_cyclic_gc():
        checked = []
        for relative in sorted(contents):
            raw = contents[relative]
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
    problems = list(document.problems)
    problems.extend(
        p for p in checked.problems if p.code != "E204" or p.location.line not in refused
    )
    return FileCheck(problems, checked)


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
    stamps: dict[str, FileStamp] = {}
    read: dict[str, bytes] = {}
    for path in find_inventory_files(directory):
        relative = path.relative_to(directory).as_posix()
        stamps[relative], data = cache.stamp(relative, path)
        if data is not None:
            read[relative] = data
    key = cache.inventory_key(stamps)
    cached = cache.load_inventory(key)
    if isinstance(cached, LoadResult):
        if cached.inventory is not None:
            cached.inventory.root = directory
        cache.save_index(stamps)
        return cached
    files: list[FileCheck] = []
    for relative in sorted(stamps):
        digest = stamps[relative].digest
        entry = cache.load_file(relative, digest)
        if not isinstance(entry, FileCheck):
            raw = read.pop(relative, None)
            if raw is None:
                raw = (directory / relative).read_bytes()
            entry = check_file(relative, raw)
            cache.store_file(relative, digest, entry)
        files.append(entry)
    result = _assemble(directory, files)
    cache.store_inventory(key, result)
    cache.save_index(stamps)
    return result


# `id: value` at the start of a line, as a record's first key (`- id: x`) or any other key.
_ID_LINE = re.compile(rb"^[ \t-]*id[ \t]*:[ \t]*[\"']?([A-Za-z0-9._/ -]*[A-Za-z0-9])", re.MULTILINE)


def _unreadable_file(relative: str, raw: bytes) -> CheckedFile:
    """A file that could not be parsed: its records are unknown, but the ids its text seems to
    declare are remembered, so that references to them are not reported as dangling (the user
    has one fault to fix — the file — not one per application its flows name)."""
    ids = {match.decode("ascii", "replace") for match in _ID_LINE.findall(raw)}
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
        raise UsageError(
            f"inventaire introuvable : « {directory} » n'est pas un dossier",
            "indiquez le dossier avec -i/--inventaire (par défaut ./inventory)",
        )
    try:
        with _without_cyclic_gc():
            if cache:
                return _load_with_cache(directory, ParseCache(directory, cache_directory))
            contents = read_inventory_files(directory)
            return _assemble(
                directory,
                [check_file(relative, contents[relative]) for relative in sorted(contents)],
            )
    except OSError as error:
        return LoadResult(None, [_unreadable_path(directory, error)])


def _unreadable_path(directory: Path, error: OSError) -> Problem:
    """E109 for a file the system refuses to give, named relative to the inventory."""
    shown = "."
    if error.filename:
        try:
            shown = Path(str(error.filename)).relative_to(directory).as_posix()
        except ValueError:
            shown = str(error.filename)
    if error.errno == errno.ENOENT:  # listed by the walk, gone when read: a dangling link
        reason = "fichier introuvable"
        hint = "un lien symbolique cassé ? supprimez-le ou rétablissez sa cible"
    elif error.errno in (errno.EACCES, errno.EPERM):
        reason, hint = "droits insuffisants", "donnez le droit de lecture sur le fichier"
    else:
        reason, hint = str(error.strerror or error), "vérifiez le fichier"
    return Problem("E109", Location(shown), f"lecture impossible : {reason}", hint)


def load_inventory(
    root: Path | str, *, cache: bool = False, cache_directory: Path | None = None
) -> Inventory:
    """Load the inventory at ``root``: complete and consistent, or :class:`InventoryError`."""
    result = validate_inventory(root, cache=cache, cache_directory=cache_directory)
    if result.errors or result.inventory is None:
        raise InventoryError(result.problems, root=str(root))
    return result.inventory

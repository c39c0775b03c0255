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


def check_inventory(root: Path, contents: dict[str, bytes]) -> LoadResult:
    """Validate an inventory given as file contents (from disk or from a git revision)."""
    with _without_cyclic_gc():
        return _check_inventory(root, contents)


def _check_inventory(root: Path, contents: dict[str, bytes]) -> LoadResult:
    problems: list[Problem] = []
    checked_files: list[CheckedFile] = []
    for relative in sorted(contents):
        document = read_yaml_bytes(contents[relative], relative)
        problems.extend(document.problems)
        if document.data is None:
            if any(problem.code != "E106" for problem in document.problems):  # not just empty
                checked_files.append(_unreadable_file(relative, contents[relative]))
            continue
        checked = check_file_shape(relative, document.data)
        # A value whose tag was refused is already reported: its type is not a second problem.
        refused = {p.location.line for p in document.problems if p.code == "E104"}
        problems.extend(
            p for p in checked.problems if p.code != "E204" or p.location.line not in refused
        )
        checked_files.append(checked)
    if not contents:
        problems.append(
            Problem(
                "E401",
                Location("."),
                "aucun fichier YAML dans l'inventaire",
                "créez territoire.yaml, ou partez de l'exemple : cartographie exemple --sortie DIR",
            )
        )
        return LoadResult(None, problems)
    inventory, cross_problems = build_inventory(root, checked_files)
    problems.extend(cross_problems)
    problems.sort(key=Problem.sort_key)
    return LoadResult(inventory, problems)


# `id: value` at the start of a line, as a record's first key (`- id: x`) or any other key.
_ID_LINE = re.compile(rb"^[ \t-]*id[ \t]*:[ \t]*[\"']?([A-Za-z0-9._/ -]*[A-Za-z0-9])", re.MULTILINE)


def _unreadable_file(relative: str, raw: bytes) -> CheckedFile:
    """A file that could not be parsed: its records are unknown, but the ids its text seems to
    declare are remembered, so that references to them are not reported as dangling (the user
    has one fault to fix — the file — not one per application its flows name)."""
    ids = {match.decode("ascii", "replace") for match in _ID_LINE.findall(raw)}
    return CheckedFile(relative, broken_ids=ids, readable=False)


def validate_inventory(root: Path | str) -> LoadResult:
    """Read and check the inventory at ``root`` without raising on invalid data."""
    directory = Path(root)
    if not directory.is_dir():
        raise UsageError(
            f"inventaire introuvable : « {directory} » n'est pas un dossier",
            "indiquez le dossier avec -i/--inventaire (par défaut ./inventory)",
        )
    try:
        contents = read_inventory_files(directory)
    except OSError as error:
        return LoadResult(None, [_unreadable_path(directory, error)])
    return check_inventory(directory, contents)


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


def load_inventory(root: Path | str) -> Inventory:
    """Load the inventory at ``root``: complete and consistent, or :class:`InventoryError`."""
    result = validate_inventory(root)
    if result.errors or result.inventory is None:
        raise InventoryError(result.problems, root=str(root))
    return result.inventory

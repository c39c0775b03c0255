"""The ids an inventory declares, found fast and without validating: what shell completion offers.

A TAB after ``cartographie carte commune`` must answer in a fraction of a second, on an inventory
that may be half-edited. So this module does not load the inventory: it reads its YAML files
through the safe reader (:func:`~cartographie.files.reading.read_file`: regular files inside the
inventory, bounded), parses only the files whose text opens the wanted section at the start of a
line (``communes:``), with PyYAML's safe loader (no tag runs), and takes the ``id`` (and ``nom``)
of each record of that section. A file that cannot be read or parsed is skipped: completion
offers what it can and never reports an error (``valider`` does that).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cartographie.files.reading import FileRefused, read_file, walk_files
from cartographie.model.vocabulary import ID_PATTERN

YAML_SUFFIXES = (".yaml", ".yml")
_ID = re.compile(ID_PATTERN)


@dataclass(frozen=True)
class IdKind:
    """Where the records of one kind of id live: their section, and the levels kept (blocs)."""

    section: str
    levels: tuple[str, ...] = ()  # for blocs: the ``niveau`` values kept; empty: every record


# The kinds of ids the command line takes, by the French word of their option or argument.
ID_KINDS: dict[str, IdKind] = {
    "commune": IdKind("communes"),
    # a bloc's map and --bloc take a bloc (a leaf of the plan, or a bloc with sub-blocs)
    "bloc": IdKind("blocs", ("bloc",)),
    "zone": IdKind("blocs", ("zone", "quartier")),
    "processus": IdKind("processus"),
    "application": IdKind("applications"),
    "donnee": IdKind("donnees"),
    "editeur": IdKind("editeurs"),
    "chantier": IdKind("chantiers"),
    "domaine": IdKind("domaines"),
}


@dataclass(frozen=True)
class KnownId:
    """One id, and the record's name (shown beside it by zsh and fish)."""

    id: str
    name: str


def known_ids(directory: Path, kind: str, prefix: str = "") -> list[KnownId]:
    """The ids of ``kind`` the inventory in ``directory`` declares that start with ``prefix``,
    sorted, each once; [] when the folder or the kind is unknown."""
    where = ID_KINDS.get(kind)
    if where is None or not directory.is_dir():
        return []
    opening = re.compile(rb"^" + re.escape(where.section.encode()) + rb"\s*:", re.M)
    found: dict[str, str] = {}
    listing = walk_files(directory, lambda name: name.endswith(YAML_SUFFIXES))
    for path in listing.files.values():
        try:
            raw = read_file(path, root=directory)
        except FileRefused:
            continue
        if opening.search(raw):
            for record in _section(raw, where.section):
                _take(record, where, prefix, found)
    return [KnownId(key, found[key]) for key in sorted(found)]


def _section(raw: bytes, section: str) -> list[Any]:
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        data = yaml.load(raw, Loader=loader)  # noqa: S506 - a safe loader: no tag runs
    except (yaml.YAMLError, ValueError, RecursionError):
        return []
    records = data.get(section) if isinstance(data, dict) else None
    return records if isinstance(records, list) else []


def _take(record: Any, where: IdKind, prefix: str, found: dict[str, str]) -> None:
    if not isinstance(record, dict):
        return
    identifier, name = record.get("id"), record.get("nom")
    # Only what a load would accept reaches the shell: a valid id, a printable name (a control
    # character in an invalid file must not act on the terminal through zsh's descriptions).
    if not isinstance(identifier, str) or not _ID.match(identifier):
        return
    if not identifier.startswith(prefix):
        return
    if where.levels and record.get("niveau") not in where.levels:
        return
    found.setdefault(identifier, name if isinstance(name, str) and name.isprintable() else "")

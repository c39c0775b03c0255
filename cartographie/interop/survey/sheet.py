"""Reading the source of an import: a spreadsheet (XLSX through openpyxl, or CSV in whatever Excel
saved) or a catalogue (a YAML or JSON list of records), as a header and rows, each row with the
number a person finds it by.

- **Spreadsheet**: a row's number is the one the spreadsheet shows. In a CSV, a cell may span
  several lines (a quoted line break, Alt+Entrée in Excel): the number counts records, not text
  lines, as Excel and LibreOffice do when they open the file.
- **Catalogue**: the records are the file's top-level list, the list under the mapping's
  ``enregistrements`` key, or else the only list of objects in the file. A column is a path in a
  record (``owner.name``, ``teams[0]``, ``links[0].url``); a row's number is the line where its
  record starts. The header lists the mapped paths, then every other leaf met in the records
  (so that the import can report, or keep, what no field takes).

Every file is read through :func:`cartographie.files.read_file` (regular file, bounded).
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import io
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cartographie.errors import InventoryError, Location, PathError, Problem
from cartographie.interop.common import InteropError, check_unzipped_size, read_input

SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".csv", ".txt")
CATALOGUE_SUFFIXES = (".yaml", ".yml", ".json")
# What messages call a row and a column of each kind of source.
WORDS = {"tableur": ("ligne", "colonne"), "catalogue": ("enregistrement", "clé")}


class Worded:
    """What the messages and the report call a row and a column of a source of this kind."""

    kind: str  # "tableur" or "catalogue"

    @property
    def row_word(self) -> str:
        return WORDS[self.kind][0]

    @property
    def column_word(self) -> str:
        return WORDS[self.kind][1]


@dataclass
class Sheet(Worded):
    """The rows of a source: header names, then each row with its number (as shown)."""

    name: str
    header: list[str]
    header_row: int
    rows: list[tuple[int, list[Any]]]
    # "tableur" or "catalogue": what the messages call a row and a column
    kind: str = "tableur"
    # Catalogue: the number of records holding each path (the report's unmapped keys).
    counts: dict[str, int] = field(default_factory=dict)


def read_sheet(
    path: Path,
    sheet: str | None = None,
    header_row: int = 1,
    *,
    paths: Sequence[str] = (),
    records: str | None = None,
) -> Sheet:
    """Read a CSV, XLSX, YAML or JSON file into a :class:`Sheet` (``paths``: the catalogue keys
    the mapping names); :class:`InteropError` if unreadable."""
    suffix = path.suffix.lower()
    if suffix in CATALOGUE_SUFFIXES:
        return read_catalogue(path, paths, records)
    if suffix in (".xlsx", ".xlsm"):
        raw_rows = list(_xlsx_rows(path, sheet))
    elif suffix in (".csv", ".txt"):
        raw_rows = list(_csv_rows(path))
    else:
        raise PathError(
            f"format non reconnu : « {path.name} »",
            "donnez un tableur .xlsx ou .csv (enregistrez un .xls ou un .ods en .xlsx), ou un "
            "catalogue .yaml ou .json",
        )
    header_index = next(
        (index for index, (number, _) in enumerate(raw_rows) if number == header_row), None
    )
    if header_index is None:
        raise InteropError(
            f"{path.name} : pas de ligne d'en-tête à la ligne {header_row}",
            "le tableur est vide, ou « ligne_entete » de la correspondance est faux",
        )
    header = [" ".join(cell_text(value).split()) for value in raw_rows[header_index][1]]
    while header and not header[-1]:
        header.pop()
    rows = [(number, values) for number, values in raw_rows[header_index + 1 :]]
    return Sheet(path.name, header, header_row, rows)


def _xlsx_rows(path: Path, sheet: str | None) -> Iterator[tuple[int, list[Any]]]:
    from openpyxl import load_workbook

    data = read_input(path)
    check_unzipped_size(path, data)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises zipfile, KeyError, InvalidFileException…
        raise InteropError(
            f"{path.name} : classeur XLSX illisible ({type(error).__name__}: {error})",
            "ouvrez-le et réenregistrez-le au format .xlsx, ou exportez la feuille en CSV",
        ) from None
    try:
        if sheet is None:
            worksheet = workbook.worksheets[0]
        elif sheet in workbook.sheetnames:
            worksheet = workbook[sheet]
        else:
            close = difflib.get_close_matches(sheet, workbook.sheetnames, n=1)
            raise InteropError(
                f"{path.name} : pas de feuille « {sheet} »",
                f"vouliez-vous dire « {close[0]} » ?"
                if close
                else f"feuilles : {', '.join(workbook.sheetnames)}",
            )
        # openpyxl yields every row from the first, empty ones included: the count is the
        # number the spreadsheet shows.
        for number, values in enumerate(worksheet.iter_rows(values_only=True), start=1):
            yield number, list(values)
    finally:
        workbook.close()


def _csv_rows(path: Path) -> Iterator[tuple[int, list[Any]]]:
    raw = read_input(path)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel in a French locale saves "CSV" in Windows-1252 unless told otherwise.
        text = raw.decode("cp1252", errors="replace")
    first_line = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    # One record, one row: a quoted cell spanning lines is still one row of the spreadsheet.
    yield from enumerate(reader, start=1)


def cell_text(value: Any) -> str:
    """A cell (or a catalogue value) as text: numbers without a useless ``.0``, dates in ISO,
    yes/no for booleans, lists joined."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return ", ".join(cell_text(item) for item in value if cell_text(item))
    if isinstance(value, dict):
        return ", ".join(f"{key} : {cell_text(item)}" for key, item in value.items())
    return str(value).strip()


# --- catalogues -------------------------------------------------------------------------------


class _AllKeys(frozenset[str]):
    """Every key of a catalogue holds free text at reading time: which values are one-line
    fields is the mapping's business, checked cell by cell by the import."""

    def __contains__(self, key: object) -> bool:
        return True


_STEP = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def path_steps(path: str) -> list[str | int] | None:
    """``owner.name`` → ["owner", "name"]; ``teams[0]`` → ["teams", 0]; ``None`` if malformed."""
    steps: list[str | int] = []
    position = 0
    text = path.strip()
    while position < len(text):
        if text[position] == "." and steps and position + 1 < len(text):
            position += 1
        found = _STEP.match(text, position)
        if found is None:
            return None
        steps.append(found.group(1) if found.group(1) is not None else int(found.group(2)))
        position = found.end()
    return steps or None


def lookup(record: Any, steps: Sequence[str | int]) -> Any:
    """The value at ``steps`` in ``record``, ``None`` when any step is missing."""
    node = record
    for step in steps:
        if isinstance(step, int):
            if not isinstance(node, list) or step >= len(node):
                return None
            node = node[step]
        elif isinstance(node, dict) and step in node:
            node = node[step]
        else:
            return None
    return node


def leaves(record: Any, prefix: str = "") -> Iterator[tuple[str, Any]]:
    """Every leaf of a record with its path: a list of plain values is one leaf, a list of
    objects gives ``key[0].name``…"""
    if isinstance(record, dict):
        for key, value in record.items():
            yield from leaves(value, f"{prefix}.{key}" if prefix else str(key))
    elif isinstance(record, list) and any(isinstance(item, dict | list) for item in record):
        for index, item in enumerate(record):
            yield from leaves(item, f"{prefix}[{index}]")
    elif record is not None and record != [] and prefix:
        yield prefix, record


def _covered(leaf: str, mapped: Sequence[str]) -> bool:
    """A leaf some mapped path reads, or that is part of one (``teams`` read as ``teams[0]``)."""
    for path in mapped:
        for inner, outer in ((leaf, path), (path, leaf)):
            if inner == outer or inner.startswith((outer + ".", outer + "[")):
                return True
    return False


def read_catalogue(path: Path, paths: Sequence[str], records_key: str | None) -> Sheet:
    """A YAML or JSON catalogue as a :class:`Sheet` whose columns are the mapped paths."""
    from cartographie.inventory.yamlread import YamlSequence, read_yaml_bytes

    raw = read_input(path)
    if path.suffix.lower() == ".json":
        # Outside strings a tab is only blank space in JSON (inside one it must be escaped):
        # as spaces, every JSON document is a YAML one the line-aware reader can read.
        raw = raw.replace(b"\t", b" ")
    document = read_yaml_bytes(raw, path.name, free_text=_AllKeys())
    errors = [problem for problem in document.problems if problem.severity == "erreur"]
    if errors or document.data is None:
        raise InventoryError(errors or document.problems)
    items, where = _records(path.name, document.data, records_key)
    mapped = [text for text in paths if path_steps(text) is not None]
    steps = [path_steps(text) or [] for text in mapped]
    others: dict[str, int] = {}
    parsed: list[tuple[int, list[Any], dict[str, Any]]] = []
    for index, record in enumerate(items):
        line = items.item_lines[index] if isinstance(items, YamlSequence) else 0
        if not isinstance(record, dict):
            raise InventoryError(
                [
                    Problem(
                        "E204",
                        Location(path.name, line),
                        f"{where} : l'enregistrement n° {index + 1} n'est pas un objet "
                        "(clé: valeur)",
                        "un catalogue est une liste d'objets, un par application",
                    )
                ]
            )
        found = {leaf: value for leaf, value in leaves(record) if not _covered(leaf, mapped)}
        for leaf in found:
            others[leaf] = others.get(leaf, 0) + 1
        parsed.append((line, [lookup(record, step) for step in steps], found))
    header = [*mapped, *others]
    aligned = [
        (line, [*values, *(found.get(leaf) for leaf in others)]) for line, values, found in parsed
    ]
    counts = {
        text: sum(1 for _line, values, _found in parsed if values[index] is not None)
        for index, text in enumerate(mapped)
    }
    counts.update(others)
    return Sheet(path.name, header, 0, aligned, kind="catalogue", counts=counts)


def _records(name: str, data: Any, key: str | None) -> tuple[list[Any], str]:
    """The list of records: at ``key``, the whole file, or the only list of objects."""
    if key is not None:
        steps = path_steps(key)
        found = lookup(data, steps) if steps else None
        if not isinstance(found, list):
            raise InteropError(
                f"{name} : « enregistrements: {key} » ne désigne pas une liste",
                f"clés du fichier : {', '.join(map(str, data)) if isinstance(data, dict) else '—'}",
            )
        return found, key
    if isinstance(data, list):
        return data, "la liste"
    if isinstance(data, dict):
        lists = [
            (str(name_), value)
            for name_, value in data.items()
            if isinstance(value, list) and value and all(isinstance(v, dict) for v in value)
        ]
        if len(lists) == 1:
            return lists[0][1], lists[0][0]
        candidates = ", ".join(sorted(key_ for key_, _value in lists)) or "aucune"
        raise InteropError(
            f"{name} : où sont les enregistrements ? listes d'objets du fichier : {candidates}",
            "donnez la clé de la liste sous « enregistrements » dans la correspondance",
        )
    raise InteropError(
        f"{name} : un catalogue est une liste d'objets (ou un objet qui en contient une)",
        "voir docs/echanges.md, « Catalogues YAML et JSON »",
    )

"""Reading one row of a source (spreadsheet or catalogue): the mapping checked against the
header, each cell turned into the value of its field, every problem recorded with its row and
column.

A cell goes through the same steps whatever its field: a translation from ``valeurs`` (compared
without case, accents nor punctuation; a translation beats a placeholder), then the placeholders
of ``vides`` (« - », « n/a »… mean an empty cell, in every column), then the field's reading (a
list, an enumeration, a number, a year or date, yes/no, an address, a text). Every problem of
every row is recorded, grouped by column, problem and value (:mod:`.problems`); nothing stops at
the first. The columns no field takes are listed, or read as free properties (``proprietes``).
"""

from __future__ import annotations

import difflib
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from cartographie.errors import Location, Problem, shorten
from cartographie.interop.survey.fields import (
    BOOL_TARGETS,
    DATE_TARGETS,
    EMAIL_TARGETS,
    ENUM_TARGETS,
    FREE_TEXT_TARGETS,
    INT_TARGETS,
    LIST_TARGETS,
    REQUIRED_TARGETS,
    TARGETS,
    URL_TARGETS,
    YEAR_TARGETS,
)
from cartographie.interop.survey.mapping import ALL_COLUMNS, SurveyMapping
from cartographie.interop.survey.problems import GroupedProblems
from cartographie.interop.survey.sheet import Sheet, cell_text
from cartographie.interop.survey.values import (
    RowError,
    boolean,
    date,
    email,
    free_text,
    integer,
    looks_empty,
    match_key,
    one_line,
    url,
    year_or_date,
)

# Fields that name an organisation: a translation gives an id, the cell's text stays the name.
_ORGANISATIONS = ("commune", "utilisateurs")


@dataclass
class ColumnUse:
    """What one field took from its column, for the report."""

    cells: int = 0
    translated: int = 0
    defaults: int = 0
    emptied: int = 0
    joined_lines: int = 0


@dataclass
class RowReader:
    """The mapping against the source: which column feeds which field, and each row read."""

    mapping: SurveyMapping
    sheet: Sheet
    mapping_name: str
    problems: GroupedProblems = field(init=False)
    warnings: list[Problem] = field(default_factory=list)
    translations: dict[str, dict[str, Any]] = field(default_factory=dict)
    used: set[tuple[str, str]] = field(default_factory=set)
    untranslated: dict[str, Counter[str]] = field(default_factory=dict)
    empties: frozenset[str] = frozenset()
    column_index: dict[str, int] = field(default_factory=dict)
    property_columns: list[tuple[int, str]] = field(default_factory=list)
    unmapped: list[tuple[str, int]] = field(default_factory=list)
    uses: dict[str, ColumnUse] = field(default_factory=dict)
    rows: int = 0
    properties_kept: int = 0
    active: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        self.problems = GroupedProblems(self.sheet.name, self.sheet.row_word)
        self.empties = frozenset(" ".join(text.split()).casefold() for text in self.mapping.empty)

    # --- problems -------------------------------------------------------------------------

    def mapping_problem(self, code: str, message: str, hint: str = "") -> None:
        self.problems.add_problem(Problem(code, Location(self.mapping_name), message, hint))

    def column_name(self, target: str) -> str:
        if target in self.mapping.columns:
            return f"{self.sheet.column_word} « {self.mapping.columns[target]} »"
        return f"valeur par défaut de « {target} »"

    def row_problem(self, row: int, target: str, error: RowError) -> None:
        message = f"« {shorten(error.value)} » {error.message}" if error.value else error.message
        hint = error.hint
        if looks_empty(error.value):
            hint = (
                f"si « {error.value} » veut dire « vide », déclarez-le une fois pour toutes les "
                "colonnes sous « vides » de la correspondance"
            )
        self.problems.add(row, error.code, self.column_name(target), message, hint)

    # --- the mapping against the header ---------------------------------------------------

    def check_mapping(self) -> None:
        header = self.sheet.header
        positions: dict[str, int] = {}
        for index, name in enumerate(header):
            if name and name in positions:
                self.problems.add(
                    self.sheet.header_row,
                    "E301",
                    "",
                    f"{self.sheet.column_word} « {name} » en double dans l'en-tête",
                    "renommez l'une des deux colonnes",
                )
            positions.setdefault(name, index)
        by_key = {match_key(name): index for name, index in positions.items() if name}
        for mapped, column in self.mapping.columns.items():
            found = positions.get(column.strip())
            if found is None:
                found = by_key.get(match_key(column))
            if found is None:
                close = difflib.get_close_matches(column, [h for h in header if h], n=1)
                self.mapping_problem(
                    "E302",
                    f"colonnes.{mapped} : {self.sheet.column_word} « {column} » absente de "
                    f"{self.sheet.name}",
                    f"vouliez-vous dire « {close[0]} » ?"
                    if close
                    else f"{self.sheet.column_word}s : {', '.join(h for h in header if h)}",
                )
                continue
            self.column_index[mapped] = found
        for target in REQUIRED_TARGETS:
            if target not in self.mapping.columns and target not in self.mapping.defaults:
                self.mapping_problem(
                    "E202",
                    f"champ obligatoire « {target} » : ni colonne ni valeur par défaut",
                    f"ajoutez « {target}: <nom de la colonne> » sous « colonnes », "
                    f"ou « {target}: <valeur> » sous « defauts »",
                )
        for target, table in self.mapping.values.items():
            self.translations[target] = {
                match_key(raw): (raw, value) for raw, value in table.items()
            }
        self.split_other_columns(positions)
        # The fields a row can fill, in the model's order: a column or a default feeds them.
        self.active = tuple(
            target
            for target in TARGETS
            if target in self.column_index or target in self.mapping.defaults
        )

    def split_other_columns(self, positions: dict[str, int]) -> None:
        """The columns no field takes: kept as free properties (``proprietes``) or listed."""
        taken = set(self.column_index.values())
        wanted = self.mapping.properties
        keep_all = wanted == ALL_COLUMNS
        wanted_keys = {match_key(name): name for name in ([] if keep_all else wanted)}
        for name, index in positions.items():
            if not name or index in taken:
                continue
            filled = sum(1 for _row, values in self.sheet.rows if _filled(values, index))
            if keep_all or match_key(name) in wanted_keys:
                self.property_columns.append((index, name))
                wanted_keys.pop(match_key(name), None)
            else:
                self.unmapped.append((name, filled))
        for name in wanted_keys.values():
            self.mapping_problem(
                "E302",
                f"proprietes : {self.sheet.column_word} « {name} » absente de {self.sheet.name}, "
                "ou déjà prise par un champ",
                "gardez en propriétés les colonnes qu'aucun champ ne prend",
            )

    # --- one cell ---------------------------------------------------------------------------

    def use(self, target: str) -> ColumnUse:
        found = self.uses.get(target)
        if found is None:
            found = self.uses[target] = ColumnUse()
        return found

    def translate(self, target: str, raw: str) -> Any:
        """The translation of ``raw`` under ``valeurs.<target>``, ``None`` when there is none."""
        table = self.translations.get(target)
        if not table:
            return None
        key = match_key(raw)
        found = table.get(key)
        if found is None:
            return None
        self.used.add((target, found[0]))
        self.use(target).translated += 1
        return found[1]

    def is_empty(self, target: str, text: str) -> bool:
        if not text:
            return True
        folded = " ".join(text.split()).casefold()
        if folded in self.empties and self.translate(target, text) is None:
            self.use(target).emptied += 1
            return True
        return False

    def cell(self, values: list[Any], target: str) -> Any:
        index = self.column_index.get(target)
        value = values[index] if index is not None and index < len(values) else None
        if value is not None and not self.is_empty(target, cell_text(value)):
            self.use(target).cells += 1
            return value
        default = self.mapping.defaults.get(target)
        if default is not None:
            self.use(target).defaults += 1
        return default

    def text(self, target: str, value: Any) -> str:
        raw = cell_text(value)
        if target in FREE_TEXT_TARGETS:
            return free_text(raw)
        text, joined = one_line(raw)
        if joined:
            self.use(target).joined_lines += 1
        return text

    def enum_value(self, target: str, raw: str) -> str:
        allowed = ENUM_TARGETS[target]
        key = match_key(raw)
        translated = self.translate(target, raw)
        candidate = str(translated) if translated is not None else key
        if candidate in allowed:
            return candidate
        if translated is not None:
            raise RowError(
                "E203",
                f"est traduit en « {translated} » par « valeurs.{target} », qui n'est pas une "
                "valeur possible",
                f"valeurs possibles : {', '.join(allowed)}",
                raw,
            )
        self.untranslated.setdefault(target, Counter())[raw] += 1
        close = difflib.get_close_matches(key, list(allowed), n=1, cutoff=0.5)
        hint = f"valeurs possibles : {', '.join(allowed)}"
        if close:
            hint += f" ; vouliez-vous dire « {close[0]} » ?"
        table = self.translations.get(target, {})
        near = difflib.get_close_matches(key, list(table), n=1, cutoff=0.6)
        if near:
            hint += (
                f" ; « {table[near[0]][0]} » sous valeurs.{target} ne correspond pas : écrivez-y "
                f"« {raw} »"
            )
        hint += f" ; ou ajoutez « {raw}: <valeur> » sous « valeurs.{target} » de la correspondance"
        raise RowError("E203", f"n'est pas une valeur possible de « {target} »", hint, raw)

    def split(self, value: Any) -> list[Any]:
        if isinstance(value, list):
            return [item for item in value if cell_text(item)]
        text = cell_text(value)
        separator = self.mapping.list_separator
        parts = [part.strip() for part in text.split(separator)]
        return [part for part in parts if part]

    def convert(self, target: str, value: Any) -> Any:
        if target in _ORGANISATIONS:  # translated into ids by organisation()
            if target in LIST_TARGETS:
                return [self.text(target, item) for item in self.split(value)]
            return self.text(target, value)
        if target in LIST_TARGETS:
            items = []
            for item in self.split(value):
                if target in ENUM_TARGETS:
                    items.append(self.enum_value(target, self.text(target, item)))
                    continue
                translated = self.translate(target, cell_text(item))
                items.append(self.text(target, translated if translated is not None else item))
            return items
        if target in ENUM_TARGETS:
            return self.enum_value(target, self.text(target, value))
        translated = (
            self.translate(target, cell_text(value)) if not isinstance(value, list) else None
        )
        if translated is not None:
            value = translated
        elif target in self.translations:
            self.untranslated.setdefault(target, Counter())[cell_text(value)] += 1
        if target in INT_TARGETS:
            return integer(target, value)
        if target in YEAR_TARGETS:
            return year_or_date(value, YEAR_TARGETS[target])
        if target in BOOL_TARGETS:
            return boolean(value)
        if target in DATE_TARGETS:
            return date(value)
        if target in URL_TARGETS:
            return url(value)
        if target in EMAIL_TARGETS:
            return email(value)
        return self.text(target, value)

    # --- one row ----------------------------------------------------------------------------

    def read_row(self, number: int, values: list[Any]) -> tuple[dict[str, Any], bool]:
        """The row's converted values by target, and whether all were good (every problem is
        recorded: a bad cell does not hide the next one)."""
        converted: dict[str, Any] = {}
        failed: set[str] = set()
        for target in self.active:
            value = self.cell(values, target)
            if value is None or (isinstance(value, list) and not value):
                continue
            try:
                converted[target] = self.convert(target, value)
            except RowError as error:
                self.row_problem(number, target, error)
                failed.add(target)
        for target in REQUIRED_TARGETS:
            if target not in converted and target not in failed:
                self.row_problem(
                    number,
                    target,
                    RowError(
                        "E202",
                        "valeur obligatoire manquante",
                        f"remplissez la cellule, ou donnez « {target} » sous « defauts »",
                    ),
                )
                failed.add(target)
        return converted, not failed

    def properties_of(self, values: list[Any]) -> dict[str, str]:
        found: dict[str, str] = {}
        for index, name in self.property_columns:
            value = values[index] if index < len(values) else None
            if value is None:
                continue
            text = cell_text(value)
            if not text or " ".join(text.split()).casefold() in self.empties:
                continue
            found[name] = free_text(text)
        self.properties_kept += len(found)
        return found

    def unused_translations(self) -> None:
        """A translation no row used: a typo in the mapping, or a word the source never has."""
        lines = self.mapping.translation_lines
        for target, table in self.mapping.values.items():
            met = self.untranslated.get(target, Counter())
            for raw in table:
                if (target, raw) in self.used:
                    continue
                by_key = {match_key(word): word for word in met}
                close = difflib.get_close_matches(match_key(raw), list(by_key), n=1, cutoff=0.6)
                seen = ", ".join(f"« {shorten(word, 40)} »" for word, _n in met.most_common(5))
                column = self.column_name(target) if target in self.mapping.columns else ""
                hint = (
                    f"valeurs de la {column} sans traduction : {seen}"
                    if seen and column
                    else "vérifiez l'orthographe, ou retirez la traduction"
                )
                if close:
                    hint = f"vouliez-vous dire « {by_key[close[0]]} » ? {hint}"
                self.warnings.append(
                    Problem(
                        "E501",
                        Location(self.mapping_name, lines.get((target, raw), 0)),
                        f"valeurs.{target} : « {raw} » n'a servi à aucune {self.sheet.row_word}",
                        hint,
                        severity="avertissement",
                    )
                )


def _filled(values: list[Any], index: int) -> bool:
    return index < len(values) and cell_text(values[index]) != ""

"""Reading one row of the état des lieux: the mapping checked against the header, each cell
turned into the value of its field (a list, an enumeration through the translations, a number, a
date, yes/no), every problem recorded with its row and column."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Any

from cartographie.errors import Location, Problem
from cartographie.interop.survey.fields import (
    BOOL_TARGETS,
    DATE_TARGETS,
    ENUM_TARGETS,
    INT_TARGETS,
    LIST_TARGETS,
    REQUIRED_TARGETS,
    TARGETS,
    YEAR_OR_DATE_TARGETS,
)
from cartographie.interop.survey.mapping import SurveyMapping
from cartographie.interop.survey.sheet import Sheet, cell_text
from cartographie.interop.survey.values import (
    RowError,
    boolean,
    date,
    integer,
    match_key,
    year_or_date,
)


@dataclass
class RowReader:
    mapping: SurveyMapping
    sheet: Sheet
    mapping_name: str
    problems: list[Problem] = field(default_factory=list)
    translations: dict[str, dict[str, str]] = field(default_factory=dict)
    column_index: dict[str, int] = field(default_factory=dict)

    def row_problem(self, row: int, code: str, message: str, hint: str = "") -> None:
        self.problems.append(Problem(code, Location(self.sheet.name, row), message, hint))

    def mapping_problem(self, code: str, message: str, hint: str = "") -> None:
        self.problems.append(Problem(code, Location(self.mapping_name), message, hint))

    def check_mapping(self) -> None:
        header = self.sheet.header
        positions: dict[str, int] = {}
        for index, name in enumerate(header):
            if name and name in positions:
                self.row_problem(
                    self.sheet.header_row,
                    "E301",
                    f"colonne « {name} » en double dans l'en-tête",
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
                    f"colonnes.{mapped} : colonne « {column} » absente de {self.sheet.name}",
                    f"vouliez-vous dire « {close[0]} » ?"
                    if close
                    else f"colonnes du tableur : {', '.join(h for h in header if h)}",
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
            self.translations[target] = {match_key(raw): value for raw, value in table.items()}

    def cell(self, values: list[Any], target: str) -> Any:
        index = self.column_index.get(target)
        value = values[index] if index is not None and index < len(values) else None
        if value is None or cell_text(value) == "":
            return self.mapping.defaults.get(target)
        return value

    def column_name(self, target: str) -> str:
        if target in self.mapping.columns:
            return f"colonne « {self.mapping.columns[target]} »"
        return f"valeur par défaut de « {target} »"

    def enum_value(self, target: str, raw: str) -> str:
        allowed = ENUM_TARGETS[target]
        key = match_key(raw)
        translated = self.translations.get(target, {}).get(key)
        candidate = translated if translated is not None else key
        if candidate in allowed:
            return candidate
        if translated is not None:
            raise RowError(
                "E203",
                f"valeurs.{target} traduit « {raw} » en « {translated} », qui n'est pas une "
                f"valeur possible",
                f"valeurs possibles : {', '.join(allowed)}",
            )
        close = difflib.get_close_matches(key, list(allowed), n=1, cutoff=0.5)
        hint = f"valeurs possibles : {', '.join(allowed)}"
        if close:
            hint += f" ; vouliez-vous dire « {close[0]} » ?"
        hint += f" ; ou ajoutez « {raw}: <valeur> » sous « valeurs.{target} » de la correspondance"
        raise RowError("E203", f"« {raw} » n'est pas une valeur possible de « {target} »", hint)

    def split(self, value: Any) -> list[str]:
        if isinstance(value, list):
            return [cell_text(item) for item in value if cell_text(item)]
        text = cell_text(value)
        separator = self.mapping.list_separator
        parts = [part.strip() for part in text.split(separator)]
        return [part for part in parts if part]

    def convert(self, target: str, value: Any) -> Any:
        if target in LIST_TARGETS:
            items = self.split(value)
            if target in ENUM_TARGETS:
                return [self.enum_value(target, item) for item in items]
            return items
        if target in ENUM_TARGETS:
            return self.enum_value(target, cell_text(value))
        if target in INT_TARGETS:
            return integer(target, value)
        if target in BOOL_TARGETS:
            return boolean(value)
        if target in DATE_TARGETS:
            return date(value)
        if target in YEAR_OR_DATE_TARGETS:
            return year_or_date(value)
        return cell_text(value)

    def read_row(self, number: int, values: list[Any]) -> dict[str, Any] | None:
        """The row's converted values by target; ``None`` (problems recorded) if any is bad."""
        converted: dict[str, Any] = {}
        ok = True
        for target in TARGETS:
            value = self.cell(values, target)
            if value is None or (isinstance(value, list) and not value):
                continue
            try:
                converted[target] = self.convert(target, value)
            except RowError as error:
                self.row_problem(
                    number, error.code, f"{self.column_name(target)} : {error.message}", error.hint
                )
                ok = False
        for target in REQUIRED_TARGETS:
            if target in (self.mapping.columns.keys() | self.mapping.defaults.keys()) and (
                target not in converted and ok
            ):
                self.row_problem(
                    number,
                    "E202",
                    f"{self.column_name(target)} : valeur obligatoire manquante",
                    f"remplissez la cellule, ou donnez « {target} » sous « defauts »",
                )
                ok = False
        return converted if ok else None

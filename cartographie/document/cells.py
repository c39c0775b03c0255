"""One cell, two spellings: for people (terminal, Markdown, HTML) and for machines (CSV, XLSX,
JSON). Every format goes through here, so a rate is ``16,65 %`` wherever people read it and
``0.1665`` wherever a program does.
"""

from __future__ import annotations

from cartographie.document import numbers
from cartographie.document.model import CellValue, Column, Ref
from cartographie.document.text import visible

NOTHING = "—"
YES, NO = "oui", "non"


def label(item: str) -> str:
    """What people read of a list item: a reference's label, a text as it is."""
    return item.label if isinstance(item, Ref) else item


def human(value: CellValue, column: Column) -> str:
    """A cell as people read it, control characters made visible (not escaped for any
    markup: each human format escapes for itself)."""
    if value is None:
        return NOTHING
    if isinstance(value, bool):
        return YES if value else NO
    if isinstance(value, tuple):
        if not value:
            return NOTHING
        separator = "\n" if column.kind == "lines" else ", "
        return separator.join(visible(label(item)) for item in value)
    if isinstance(value, int):
        if column.kind == "year":
            return str(value)
        if column.kind == "euros":
            return numbers.euros(value)
        if column.kind == "rate":
            return numbers.percent(value)
        if column.kind == "bytes":
            return numbers.size(value)
        return numbers.integer(value)
    if isinstance(value, float):
        if column.kind == "rate":
            return numbers.percent(value)
        if column.kind == "euros":
            return numbers.euros(value)
        return numbers.decimal(value)
    return visible(label(value), keep_lines=column.kind == "lines")


def partial_amount(amount: str, unknown: int) -> str:
    """« au moins 12 300 €, 2 coûts inconnus »: a sum that misses ``unknown`` costs."""
    counted = numbers.count(unknown, "coût inconnu", "coûts inconnus")
    return f"au moins {amount}, {counted}"


def human_in_row(row: tuple[CellValue, ...], index: int, columns: tuple[Column, ...]) -> str:
    """A cell as people read it, with what the row says about it: an amount whose column
    names its unknowns column reads as a partial sum when some are unknown."""
    column = columns[index]
    written = human(row[index], column)
    if column.unknowns and row[index] is not None:
        unknown = next(
            (row[i] for i, other in enumerate(columns) if other.key == column.unknowns), 0
        )
        if isinstance(unknown, int) and not isinstance(unknown, bool) and unknown > 0:
            return partial_amount(written, unknown)
    return written


def machine_text(value: CellValue, decimal_separator: str = ".") -> str:
    """A cell as a CSV file writes it: plain numbers, ``oui``/``non``, ids for references,
    lists joined by ``, `` (lines by a line break), nothing for an empty cell."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return YES if value else NO
    if isinstance(value, tuple):
        return ", ".join(value)
    if isinstance(value, float):
        return repr(value).replace(".", decimal_separator)
    return str(value) if not isinstance(value, Ref) else value.id


def machine_lines(value: CellValue, column: Column, decimal_separator: str = ".") -> str:
    if column.kind == "lines" and isinstance(value, tuple):
        return "\n".join(value)
    return machine_text(value, decimal_separator)


def people_columns(columns: tuple[Column, ...]) -> list[int]:
    """Indexes of the columns people see."""
    return [index for index, column in enumerate(columns) if column.audience != "machines"]


def machine_columns(columns: tuple[Column, ...]) -> list[int]:
    return [index for index, column in enumerate(columns) if column.audience != "people"]

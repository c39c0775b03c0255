"""Matching a cell to a value: words compared without case, accents nor punctuation; numbers
written the French way (``18 000 €``, ``18.000``); yes/no; dates in the usual French forms."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from cartographie.interop.common import slugify
from cartographie.interop.survey.sheet import cell_text

_TRUE = {"oui", "o", "vrai", "true", "x", "1", "yes", "y"}
_FALSE = {"non", "n", "faux", "false", "0", "no", ""}


def match_key(text: str) -> str:
    """The key under which a spreadsheet word is matched: no case, accents nor punctuation."""
    return slugify(text, max_length=1000)


class RowError(Exception):
    def __init__(self, code: str, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.hint = hint


def integer(target: str, value: Any) -> int:
    if isinstance(value, bool):
        raise RowError("E204", f"attendu un nombre entier, trouvé « {value} »")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return round(value)
    text = re.sub(r"[\s\u00a0\u202f€]|EUR", "", cell_text(value), flags=re.IGNORECASE)
    if re.fullmatch(r"-?\d{1,3}(\.\d{3})+", text):  # 18.000 written with a thousands dot
        text = text.replace(".", "")
    text = text.replace(",", ".")
    try:
        return round(float(text))
    except ValueError:
        raise RowError(
            "E204",
            f"attendu un nombre entier, trouvé « {cell_text(value)} »",
            "écrivez le nombre seul, par exemple 18000",
        ) from None


def boolean(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    key = match_key(cell_text(value))
    if key in _TRUE:
        return True
    if key in _FALSE:
        return False
    raise RowError(
        "E204", f"attendu oui ou non, trouvé « {cell_text(value)} »", "écrivez oui ou non"
    )


def year_or_date(value: Any) -> int | dt.date:
    """A year (a number, or four digits) or a full date (a date cell, or written as one)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return integer("annee", value)
    if isinstance(value, dt.date):
        return date(value)
    text = cell_text(value)
    if re.fullmatch(r"\d{4}", text):
        return int(text)
    try:
        return date(value)
    except RowError:
        raise RowError(
            "E204",
            f"attendu une année ou une date, trouvé « {text} »",
            "écrivez AAAA, JJ/MM/AAAA ou AAAA-MM-JJ",
        ) from None


def date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = cell_text(value)
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y", "%d.%m.%Y"):
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise RowError(
        "E204", f"attendu une date, trouvé « {text} »", "écrivez JJ/MM/AAAA ou AAAA-MM-JJ"
    )

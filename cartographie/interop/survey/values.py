"""Matching a cell to a value: words compared without case, accents nor punctuation; numbers
written the French way (``18 000 €``, ``18.000``); yes/no; dates and years in the forms real
exports use (a year, an ISO date or date-time, a French ``jj/mm/aaaa``, as text or as a cell);
web and e-mail addresses checked as the model checks them; texts checked as the inventory
checks them (a line break in a one-line field becomes a space, any other control character is
refused)."""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from typing import Any

from cartographie.errors import shorten
from cartographie.interop.common import slugify
from cartographie.interop.survey.sheet import cell_text
from cartographie.inventory.yamlread import acting_character, character_name, neutralise
from cartographie.model.dates import FIRST_YEAR, LAST_YEAR
from cartographie.model.records import EMAIL_PATTERN, URL_PATTERN

_TRUE = {"oui", "o", "vrai", "true", "x", "1", "yes", "y"}
_FALSE = {"non", "n", "faux", "false", "0", "no", ""}
_URL = re.compile(URL_PATTERN)
_EMAIL = re.compile(EMAIL_PATTERN)
_FRENCH_DATE = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})(?:[ T](\d{1,2}):(\d{2}).*)?")
_YEAR = re.compile(r"\d{4}")


# What exports write when they do not know: offered as « vides » when such a cell is refused.
_PLACEHOLDERS = frozenset(
    {
        "na",
        "n-a",
        "nc",
        "nr",
        "nd",
        "neant",
        "inconnu",
        "aucun",
        "aucune",
        "sans-objet",
        "so",
        "tbd",
    }
)


def looks_empty(text: str) -> bool:
    """A cell that means "nothing here" (« - », « ? », « n/a », « NC »…)."""
    return bool(text) and (
        not any(char.isalnum() for char in text) or match_key(text) in _PLACEHOLDERS
    )


@lru_cache(maxsize=1 << 16)
def match_key(text: str) -> str:
    """The key under which a spreadsheet word is matched: no case, accents nor punctuation."""
    return slugify(text, max_length=1000)


class RowError(Exception):
    """A cell that cannot become its field's value. ``value`` is what grouping counts by: the
    distinct offending value (as written)."""

    def __init__(self, code: str, message: str, hint: str = "", value: str = "") -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.hint = hint
        self.value = value


def integer(target: str, value: Any) -> int:
    if isinstance(value, bool):
        raise RowError("E204", "n'est pas un nombre entier", value=cell_text(value))
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
            "n'est pas un nombre entier",
            "écrivez le nombre seul, par exemple 18000",
            cell_text(value),
        ) from None


def boolean(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    key = match_key(cell_text(value))
    if key in _TRUE:
        return True
    if key in _FALSE:
        return False
    raise RowError("E204", "n'est ni oui ni non", "écrivez oui ou non", cell_text(value))


def _parse_date(value: Any) -> dt.date | None:
    """A full date from a cell or a text (ISO date or date-time, French jj/mm/aaaa)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = cell_text(value)
    if len(text) >= 10 and text[4] == "-":
        try:
            return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).date()
        except ValueError:
            return None
    found = _FRENCH_DATE.fullmatch(text)
    if found is None:
        return None
    day, month, year = int(found.group(1)), int(found.group(2)), found.group(3)
    full_year = int(year) if len(year) == 4 else 2000 + int(year) - (100 if int(year) > 68 else 0)
    try:
        return dt.date(full_year, month, day)
    except ValueError:
        return None


def date(value: Any) -> dt.date:
    found = _parse_date(value)
    if found is None:
        raise RowError(
            "E204",
            "n'est pas une date",
            "écrivez JJ/MM/AAAA ou AAAA-MM-JJ, ou faites de la cellule une date",
            cell_text(value),
        )
    return found


def year_or_date(value: Any, full_dates: bool) -> int | dt.date:
    """A year field's value: the year, or the full date when the field takes one and the cell
    gives one. 2012, « 2012 », 2012-03-01 (cell or text), « 2012-03-01T09:00:00 », « 01/03/2012 »
    are all read."""
    text = cell_text(value)
    year: int | None = None
    found: dt.date | None = None
    if isinstance(value, int | float) and not isinstance(value, bool) and float(value).is_integer():
        year = int(value)
    elif _YEAR.fullmatch(text):
        year = int(text)
    else:
        found = _parse_date(value)
        year = found.year if found is not None else None
    if year is None:
        raise RowError(
            "E204",
            "n'est ni une année ni une date",
            "écrivez 2012, 2012-03-01 ou 01/03/2012, ou faites de la cellule une date",
            text,
        )
    if not FIRST_YEAR <= year <= LAST_YEAR:
        serial = isinstance(value, int | float) and 20000 <= year <= 80000
        raise RowError(
            "E206",
            f"est une année hors des bornes {FIRST_YEAR}–{LAST_YEAR}",
            "un nombre de jours d'Excel ? donnez à la cellule le format date"
            if serial
            else "corrigez l'année",
            text,
        )
    if found is not None and full_dates:
        return found
    return year


def url(value: Any) -> str:
    text = cell_text(value)
    if not _URL.match(text):
        raise RowError(
            "E206",
            "n'est pas une adresse web",
            "une adresse commence par http:// ou https://",
            text,
        )
    return text


def email(value: Any) -> str:
    text = cell_text(value)
    if not _EMAIL.match(text):
        raise RowError(
            "E206",
            "n'est pas une adresse électronique",
            "écrivez nom@domaine.fr",
            text,
        )
    return text


def one_line(text: str) -> tuple[str, bool]:
    """A one-line field's text: line breaks and tabs become spaces (a cell typed with
    Alt+Entrée), any other control character is refused. Also says whether it changed."""
    if text.isprintable():
        return text, False
    spaced = " ".join(text.replace("\r", " ").replace("\n", " ").replace("\t", " ").split())
    found = acting_character(spaced)
    if found is not None:
        raise RowError(
            "E207",
            f"contient un caractère de contrôle, {character_name(found)}",
            "retirez-le de la cellule : il agirait sur un terminal ou un document",
            shorten(spaced),
        )
    return spaced, spaced != text


def free_text(text: str) -> str:
    """A free text's value: line breaks and tabs stay, anything else that acts is shown."""
    return neutralise(text) if acting_character(text, free=True) else text

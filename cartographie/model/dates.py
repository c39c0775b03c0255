"""Dates of the inventory: a year or a full date, and how they compare (DESIGN.md §11).

Wherever the inventory means a date — ``mise_en_service`` and ``retrait`` of an application,
``depuis`` and ``jusqu_a`` of an adhesion (and ``depuis`` of a flow), ``fin_de_support`` of a
product, ``debut`` and ``fin`` of a contract or a chantier — the user may write a year (``2019``)
or a full date (``2019-09-01``). Records keep what was written (:data:`DateValue`: ``int`` or
:class:`datetime.date`), so that exports and diffs show it as written; every comparison goes
through this module, which owns the one rule:

**a year stands for 1 January of that year**; a full date is exact. So ``retrait: 2019`` means
retired on 2019-01-01, and an application with ``mise_en_service: 2016`` and ``retrait: 2019`` is
present at every moment D with ``2016-01-01 ≤ D < 2019-01-01`` (:func:`is_present`). The moments
the tool asks about (``--date AAAA[-MM[-JJ]]``, the year Y of a refacturation) are plain
:class:`datetime.date` values; :func:`parse_moment` reads the command-line form, the first day
of the year or month standing for a year or month.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from typing import Annotated, Any, TypeAlias

from pydantic import PlainSerializer, PlainValidator, WithJsonSchema
from pydantic_core import PydanticCustomError

# What a record holds for a date: a year as written, or a full date.
DateValue: TypeAlias = int | dt.date

FIRST_YEAR = 1950
LAST_YEAR = 2100

_YEAR_TEXT = re.compile(r"^\d{4}$")
_MOMENT_TEXT = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def _validate(value: Any) -> DateValue:
    """Pydantic's validator for a date field: a year (1950–2100) or a full date, also when a
    tool wrote either as text (``"2019"``, ``"2019-09-01"``). One error type per fault, so that
    the loader's message says what is expected (E204) or which bound is crossed (E206)."""
    if isinstance(value, str):
        text = value.strip()
        if _YEAR_TEXT.match(text):
            value = int(text)
        else:
            try:
                value = dt.date.fromisoformat(text)
            except ValueError:
                raise PydanticCustomError(
                    "year_or_date_type", "une année AAAA ou une date AAAA-MM-JJ"
                ) from None
    if isinstance(value, dt.datetime):  # a YAML timestamp with a time of day
        raise PydanticCustomError("year_or_date_type", "une date sans heure")
    if isinstance(value, bool) or not isinstance(value, int | dt.date):
        raise PydanticCustomError("year_or_date_type", "une année AAAA ou une date AAAA-MM-JJ")
    year = value if isinstance(value, int) else value.year
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise PydanticCustomError(
            "year_or_date_range",
            "l'année doit être entre {first} et {last}",
            {"first": FIRST_YEAR, "last": LAST_YEAR},
        )
    return value


def _serialise(value: DateValue) -> int | str:
    return value if isinstance(value, int) else value.isoformat()


# The pydantic field type of every date of the inventory. Serialised as written (JSON: a number
# for a year, ISO text for a date); pydantic's own union serialiser warns on a date here.
YearOrDate = Annotated[
    DateValue,
    PlainValidator(_validate),
    PlainSerializer(_serialise, return_type=int | str, when_used="json"),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "integer", "minimum": FIRST_YEAR, "maximum": LAST_YEAR},
                {"type": "string", "format": "date"},
            ],
            "description": "Une année (AAAA : le 1er janvier) ou une date (AAAA-MM-JJ).",
        }
    ),
]


def reference_today() -> dt.date:
    """Today, or the day of ``SOURCE_DATE_EPOCH`` when it is set (reproducible builds): what the
    inventory as written describes, and the default reference date of dated reports."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).date()
    return dt.date.today()


def day_of(value: DateValue) -> dt.date:
    """The day a date field stands for: 1 January for a year, the date itself otherwise."""
    if isinstance(value, dt.date):
        return value
    return dt.date(value, 1, 1)


def year_of(value: DateValue) -> int:
    return value.year if isinstance(value, dt.date) else value


def year_start(year: int) -> dt.date:
    """The moment that stands for year ``year`` (``--date 2019``, the refacturation of 2019)."""
    return dt.date(year, 1, 1)


def reached(value: DateValue | None, moment: dt.date) -> bool:
    """True when a known date is on or before ``moment`` (``None`` is never reached)."""
    return value is not None and day_of(value) <= moment


def is_present(start: DateValue | None, end: DateValue | None, moment: dt.date) -> bool:
    """``start ≤ moment < end``, an unknown start counting as always begun and an unknown end
    as never come: the presence of an application (``mise_en_service``, ``retrait``), the
    membership of an adhesion (``depuis``, ``jusqu_a``)."""
    if start is not None and day_of(start) > moment:
        return False
    return end is None or moment < day_of(end)


def earliest(values: list[DateValue]) -> DateValue | None:
    """The earliest of several dates by the day each stands for (a year before any date of it);
    ``None`` for none."""
    return min(values, key=lambda value: (day_of(value), isinstance(value, dt.date)), default=None)


def latest(values: list[DateValue]) -> DateValue | None:
    """The latest of several dates by the day each stands for; ``None`` for none."""
    return max(values, key=lambda value: (day_of(value), isinstance(value, dt.date)), default=None)


def show_date(value: DateValue) -> str:
    """A date as written: ``2019`` or ``2019-09-01``."""
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def show_moment(moment: dt.date) -> str:
    """A moment as the user asked for it: ``2019`` for 1 January, the full date otherwise."""
    if moment.month == 1 and moment.day == 1:
        return str(moment.year)
    return moment.isoformat()


MONTH_NAMES = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)


def french_moment(moment: dt.date) -> str:
    """``1er janvier 2028``, ``30 juin 2028``: a moment as a French reader writes it."""
    day = "1er" if moment.day == 1 else str(moment.day)
    return f"{day} {MONTH_NAMES[moment.month - 1]} {moment.year}"


def parse_moment(text: str) -> dt.date:
    """``AAAA``, ``AAAA-MM`` or ``AAAA-MM-JJ`` (the ``--date`` option): the first day of the year
    or month when it is not given. ``ValueError`` with a French message otherwise."""
    found = _MOMENT_TEXT.match(text.strip())
    if found is None:
        raise ValueError(f"date invalide « {text} » : attendu AAAA, AAAA-MM ou AAAA-MM-JJ")
    year, month, day = (int(part) if part else 1 for part in found.groups())
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValueError(f"année {year} hors de {FIRST_YEAR}–{LAST_YEAR}")
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ValueError(f"date invalide « {text} » : ce jour n'existe pas") from None


def months_between(start: dt.date, end: dt.date) -> int:
    """Whole months from ``start`` to ``end`` (negative when ``end`` is before)."""
    months = (end.year - start.year) * 12 + end.month - start.month
    if months > 0 and end.day < start.day:
        months -= 1
    elif months < 0 and end.day > start.day:
        months += 1
    return months


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later (or earlier), clamped to the month's last day."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise AssertionError("unreachable")  # pragma: no cover - day 28 exists in every month

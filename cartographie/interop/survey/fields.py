"""The fields a column of the état des lieux can feed, derived from the application model.

Every field of :class:`~cartographie.model.records.Application` can come from a column, except
those that name other records the spreadsheet does not describe (the product is built from the
``editeur``/``produit`` columns, the owner is ``commune``); a few more targets build the
territory and the referentials: ``commune`` (the owner), ``editeur``/``produit``/``api`` (the
vendors), ``zone``/``quartier`` (where the row's blocs sit on the urbanisation map). How a cell
is read — a list, an enumeration, a number, a date, yes/no — follows the field's type in the
model: a field added to the model is a column the spreadsheet can feed, with nothing to restate.
"""

from __future__ import annotations

import datetime as dt
import types
from typing import TYPE_CHECKING, Any, Literal, Union, get_args, get_origin

from pydantic import TypeAdapter, ValidationError

from cartographie.model.records import FREE_TEXT_KEYS, Application, Email, Url
from cartographie.model.vocabulary import API_OPENNESS

# Application fields that name records the spreadsheet does not describe.
_NOT_FROM_A_COLUMN = (
    "proprietaire",
    "produit",
    "centre_de_donnees",
    "delegation",
    "remplacee_par",
    "proprietes",
)
EXTRA_TARGETS = ("commune", "editeur", "produit", "api", "quartier", "zone")

APPLICATION_TARGETS: tuple[str, ...] = tuple(
    info.alias or name
    for name, info in Application.model_fields.items()
    if (info.alias or name) not in _NOT_FROM_A_COLUMN
)
TARGETS: tuple[str, ...] = (*APPLICATION_TARGETS, *EXTRA_TARGETS)
# The targets that go through unchanged into the application record.
PASSTHROUGH: tuple[str, ...] = tuple(
    target for target in APPLICATION_TARGETS if target not in ("id", "blocs", "utilisateurs")
)
# What a row cannot do without: the model's required fields (the id can be made from the
# name). The owner is not one: a source that names no commune is the métropole's own.
REQUIRED_TARGETS: tuple[str, ...] = tuple(
    info.alias or name
    for name, info in Application.model_fields.items()
    if info.is_required()
    and (info.alias or name) in APPLICATION_TARGETS
    and (info.alias or name) != "id"
)

if TYPE_CHECKING:
    Target = str
else:
    Target = Literal[TARGETS]


def _unwrap(annotation: Any) -> Any:
    """The annotation without ``| None`` and ``Annotated``."""
    while True:
        origin = get_origin(annotation)
        if origin in (Union, types.UnionType):
            args = [arg for arg in get_args(annotation) if arg is not type(None)]
            annotation = args[0] if len(args) == 1 else annotation
            if len(args) != 1:
                return annotation
            continue
        metadata = getattr(annotation, "__metadata__", None)
        if metadata is not None:
            annotation = annotation.__origin__
            continue
        return annotation


def _accepts(annotation: Any, value: Any) -> Any:
    """What the field makes of ``value``, ``None`` when it refuses it."""
    try:
        return TypeAdapter(annotation).validate_python(value, strict=True)
    except ValidationError:
        return None


def _kinds() -> tuple[
    set[str], set[str], set[str], set[str], dict[str, tuple[str, ...]], dict[str, bool]
]:
    lists: set[str] = set()
    integers: set[str] = set()
    booleans: set[str] = set()
    dates: set[str] = set()
    choices: dict[str, tuple[str, ...]] = {"api": API_OPENNESS}
    # A year field (mise_en_service…) is told by what it accepts, not by how it is declared:
    # 2012 but not 3000; and whether it takes a full date as well (a year or a date).
    years: dict[str, bool] = {}
    for name, info in Application.model_fields.items():
        target = info.alias or name
        if target not in APPLICATION_TARGETS:
            continue
        if _accepts(info.annotation, 2012) == 2012 and _accepts(info.annotation, 3000) is None:
            years[target] = isinstance(_accepts(info.annotation, dt.date(2012, 5, 1)), dt.date)
            continue
        annotation = _unwrap(info.annotation)
        if get_origin(annotation) is list:
            lists.add(target)
            annotation = _unwrap(get_args(annotation)[0])
        if get_origin(annotation) is Literal:
            choices[target] = tuple(str(value) for value in get_args(annotation))
        elif annotation is bool:
            booleans.add(target)
        elif annotation is int:
            integers.add(target)
        elif annotation is dt.date:
            dates.add(target)
    return lists, integers, booleans, dates, choices, years


LIST_TARGETS, INT_TARGETS, BOOL_TARGETS, DATE_TARGETS, ENUM_TARGETS, YEAR_TARGETS = _kinds()
# Addresses checked as the model checks them, with a message that says what was expected.
URL_TARGETS = frozenset(
    info.alias or name
    for name, info in Application.model_fields.items()
    if Url in get_args(info.annotation)
)
EMAIL_TARGETS = frozenset(
    info.alias or name
    for name, info in Application.model_fields.items()
    if Email in get_args(info.annotation)
)
# Texts that may span lines (a description); every other text is one line.
FREE_TEXT_TARGETS = frozenset(target for target in APPLICATION_TARGETS if target in FREE_TEXT_KEYS)

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

from cartographie.model.records import Application
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
# What a row cannot do without: the model's required fields (the id can be made from the name)
# and the owner.
REQUIRED_TARGETS: tuple[str, ...] = (
    *(
        info.alias or name
        for name, info in Application.model_fields.items()
        if info.is_required()
        and (info.alias or name) in APPLICATION_TARGETS
        and (info.alias or name) != "id"
    ),
    "commune",
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


def _kinds() -> tuple[
    set[str], set[str], set[str], set[str], set[str], dict[str, tuple[str, ...]]
]:
    lists: set[str] = set()
    years_or_dates: set[str] = set()
    integers: set[str] = set()
    booleans: set[str] = set()
    dates: set[str] = set()
    choices: dict[str, tuple[str, ...]] = {"api": API_OPENNESS}
    for name, info in Application.model_fields.items():
        target = info.alias or name
        if target not in APPLICATION_TARGETS:
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
        elif set(get_args(annotation)) == {int, dt.date}:  # YearOrDate (model.dates)
            years_or_dates.add(target)
    return lists, integers, booleans, dates, years_or_dates, choices


(
    LIST_TARGETS,
    INT_TARGETS,
    BOOL_TARGETS,
    DATE_TARGETS,
    YEAR_OR_DATE_TARGETS,
    ENUM_TARGETS,
) = _kinds()

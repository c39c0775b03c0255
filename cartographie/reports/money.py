"""Amounts as the reports write them: cents become euros cells, sums say what they miss.

The analyses count in integer cents (``analysis.costs``); a cell holds euros — an ``int`` when
the amount is whole, a ``float`` with two decimals otherwise — so that CSV, JSON and XLSX get
plain numbers and people read ``12 345 €`` or ``1 234,56 €``. A sum with unknown costs goes in
an ``euros`` column whose ``unknowns`` names the column counting them (« au moins 12 300 €,
2 coûts inconnus »), and in sentences through :func:`amount_text`.
"""

from __future__ import annotations

from cartographie.analysis.costs import CostSum, cents_to_euros
from cartographie.document import numbers
from cartographie.document.cells import partial_amount
from cartographie.model.records import AllocationKey

KEY_LABELS = {
    "population": "population",
    "agents": "agents",
    "usage": "usage",
    "forfait": "forfait",
}


def euros(cents: int | None) -> int | float | None:
    """A cell in euros: whole euros as an ``int``, else a ``float`` to the cent."""
    return None if cents is None else cents_to_euros(cents)


def euros_text(cents: int) -> str:
    """``12 345 €`` or ``1 234,56 €``."""
    value = euros(cents)
    assert value is not None
    return numbers.euros(value)


def amount_text(total: CostSum) -> str:
    """A sum for a sentence: ``12 345 €``, or « au moins 12 345 €, 2 coûts inconnus »."""
    written = euros_text(total.cents)
    return partial_amount(written, total.unknown) if total.unknown else written


def days_value(hundredths: int) -> int | float:
    """Days from hundredths of a day: ``12`` or ``12.5``."""
    return hundredths // 100 if hundredths % 100 == 0 else round(hundredths / 100, 2)


def key_text(key: AllocationKey | None) -> str:
    """« population », « population 50 %, forfait 50 % » — a key as the urbaniste writes it."""
    if key is None:
        return "non déclarée"
    weights = key.weights()
    if len(weights) == 1:
        return KEY_LABELS[next(iter(weights))]
    total = sum(weights.values())
    parts = []
    for basis, weight in weights.items():
        share = weight / total
        digits = 0 if round(share * 100, 6).is_integer() else 1
        parts.append(f"{KEY_LABELS[basis]} {numbers.percent(share, digits)}")
    return ", ".join(parts)

"""Splitting an amount in cents into shares that add up to it exactly (DESIGN.md §10).

Each party's exact share is ``total × weight / Σ weights`` (a :class:`~fractions.Fraction`:
no float ever rounds a cent away). Every party first gets its share rounded down to the cent;
the cents left over (fewer than the number of parties) go one each to the largest remainders,
ties to the smaller key (ascending). The result adds up to ``total``, always.
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction


def exact_shares(total: int, weights: Mapping[str, Fraction]) -> dict[str, Fraction]:
    """Each key's exact share of ``total`` by its weight (weights ≥ 0, their sum > 0)."""
    weight_sum = sum(weights.values(), Fraction(0))
    if weight_sum <= 0:
        raise ValueError("weights must add up to more than 0")
    return {key: total * weight / weight_sum for key, weight in weights.items()}


def round_shares(total: int, exact: Mapping[str, Fraction]) -> dict[str, int]:
    """Exact shares that add up to ``total``, rounded to whole units by largest remainder."""
    floors = {key: value.numerator // value.denominator for key, value in exact.items()}
    left = total - sum(floors.values())
    # Largest remainder first; ties to the smaller key, ascending.
    order = sorted(exact, key=lambda key: (-(exact[key] - floors[key]), key))
    for key in order[:left]:
        floors[key] += 1
    return {key: floors[key] for key in sorted(floors)}


def largest_remainder(total: int, weights: Mapping[str, Fraction]) -> dict[str, int]:
    """``total`` split by ``weights``, in whole units that add up to ``total`` exactly."""
    return round_shares(total, exact_shares(total, weights))

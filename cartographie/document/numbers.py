"""Numbers written the French way, for people: ``168 420`` ; ``16,65 %`` ; ``12 345 €``.

The spacing follows the French locale of the Unicode CLDR (what LibreOffice and Excel use in
French): a narrow no-break space (U+202F) between groups of thousands and before ``%``, a
no-break space (U+00A0) before ``€``, a decimal comma. Years are written without a separator
(``2026``). Machines (CSV cells, JSON, XLSX) get plain numbers and never go through here.
"""

from __future__ import annotations

NARROW_NBSP = "\u202f"  # thousands, and before %
NBSP = "\u00a0"  # before €


def integer(value: int) -> str:
    """``1 200`` (narrow no-break space between thousands)."""
    sign = "-" if value < 0 else ""
    return sign + f"{abs(value):,}".replace(",", NARROW_NBSP)


def decimal(value: float, digits: int = 2) -> str:
    """``1 234,57``: thousands grouped, a decimal comma."""
    text = f"{abs(value):,.{digits}f}"
    whole, _, fraction = text.partition(".")
    sign = "-" if value < 0 and float(text.replace(",", "")) != 0 else ""
    whole = whole.replace(",", NARROW_NBSP)
    return sign + (f"{whole},{fraction}" if fraction else whole)


def percent(rate: float, digits: int = 2) -> str:
    """A share in [0, 1] as ``16,65 %``."""
    return f"{decimal(rate * 100, digits)}{NARROW_NBSP}%"


def euros(amount: float) -> str:
    """``12 345 €``, or ``12 345,50 €`` when there are cents."""
    if isinstance(amount, int) or float(amount).is_integer():
        return f"{integer(int(amount))}{NBSP}€"
    return f"{decimal(amount, 2)}{NBSP}€"


def size(value: int) -> str:
    """Bytes in French units, powers of 1 000 (``2 o``, ``1,5 ko``, ``500 Mo``)."""
    for unit, scale in (("Go", 10**9), ("Mo", 10**6), ("ko", 10**3)):
        if value >= scale:
            return f"{decimal(value / scale, 1).removesuffix(',0')}{NARROW_NBSP}{unit}"
    return f"{integer(value)}{NARROW_NBSP}o"


def count(value: int, singular: str, plural: str | None = None) -> str:
    """``1 200 applications``, ``1 application``, ``0 application`` (in French the singular
    holds below two)."""
    word = singular if abs(value) < 2 else (plural or f"{singular}s")
    return f"{integer(value)} {word}"


def of(name: str) -> str:
    """« de Lauzac », « d'Aurelle », « d'Ébreuil »: French elides *de* before a vowel."""
    vowels = "AEIOUYÂÉÈÊÎÔÛaeiouyâéèêîôû"
    return f"d'{name}" if name[:1] in vowels else f"de {name}"

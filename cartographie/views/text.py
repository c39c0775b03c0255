"""Label text: one line per call, the same way every time.

Names come from YAML and may hold anything (newlines, tabs, emoji, 200 characters). Labels are
cleaned (control characters become spaces), wrapped at word boundaries and shortened with an
ellipsis, so that a box keeps a readable size whatever the inventory holds. Escaping for DOT, SVG
or HTML is the renderer's job, not this module's.
"""

from __future__ import annotations

import functools
import re
import textwrap
import unicodedata

from cartographie.document import numbers

_SPACES = re.compile(r"\s+")


def clean(text: str) -> str:
    """Control characters (newlines, tabs, NUL…) as single spaces; trimmed."""
    if text.isprintable() and "  " not in text and text == text.strip():
        return text  # the common case, without a walk over every character
    kept = "".join(
        " " if unicodedata.category(char).startswith("C") and char not in "\u200d" else char
        for char in text
    )
    return _SPACES.sub(" ", kept).strip()


# An application's name is wrapped for every map that shows it (three or four), and textwrap
# is the views' biggest cost: each wrapping is done once.
@functools.lru_cache(maxsize=1 << 16)
def wrap(text: str, width: int = 24, max_lines: int = 3) -> tuple[str, ...]:
    """Wrap ``text`` in lines of at most ``width`` characters, at most ``max_lines`` of them."""
    cleaned = clean(text)
    if not cleaned:
        return ("",)
    lines = textwrap.wrap(cleaned, width=width, break_long_words=True, break_on_hyphens=False)
    if len(lines) > max_lines:
        last = lines[max_lines - 1]
        lines = [*lines[: max_lines - 1], (last[: width - 1].rstrip() + "…")]
    return tuple(lines)


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """``3 applications``, ``1 application``, ``1 200 applications`` (French numbers)."""
    return numbers.count(count, singular, plural_form)


def percent(rate: float) -> str:
    """A rate in [0, 1] as a French percentage: ``45 %`` (narrow no-break space)."""
    return f"{round(rate * 100)}\u202f%"

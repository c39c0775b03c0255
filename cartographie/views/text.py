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


class _WordWrapper(textwrap.TextWrapper):
    """Lines break between words; a word longer than a line breaks after one of its hyphens
    (``Saint-Orens-de-`` / ``Montclar``), never inside a word (``Saint-Orens-de-Montcla`` /
    ``r`` on the ville centre's map). A part without a hyphen still longer than a line is
    shortened with an ellipsis: a box keeps its size, the full name is in its tooltip.

    Words that fit break as ``textwrap.wrap(break_on_hyphens=False)`` breaks them: only labels
    with a word longer than their line change."""

    def __init__(self, width: int) -> None:
        super().__init__(width=width, break_long_words=True, break_on_hyphens=False)

    def _handle_long_word(
        self, reversed_chunks: list[str], cur_line: list[str], cur_len: int, width: int
    ) -> None:
        chunk = reversed_chunks[-1]
        space_left = max(width - cur_len, 1)
        hyphen = chunk.rfind("-", 0, space_left)
        if hyphen > 0 and chunk[:hyphen].strip("-"):
            cur_line.append(chunk[: hyphen + 1])
            reversed_chunks[-1] = chunk[hyphen + 1 :]
        elif not cur_line:
            cur_line.append(chunk[: max(width - 1, 0)] + "…")
            reversed_chunks.pop()
        # else: the word starts the next line, where it has the whole width


# An application's name is wrapped for every map that shows it (three or four), and textwrap
# is the views' biggest cost: each wrapping is done once.
@functools.lru_cache(maxsize=1 << 16)
def wrap(text: str, width: int = 24, max_lines: int = 3) -> tuple[str, ...]:
    """Wrap ``text`` in lines of at most ``width`` characters, at most ``max_lines`` of them,
    broken between words or after a hyphen, never inside a word."""
    cleaned = clean(text)
    if not cleaned:
        return ("",)
    lines = _WordWrapper(width).wrap(cleaned)
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

"""Text that cannot act where it lands: terminal, spreadsheet, XML, Markdown (DESIGN.md §12).

Names come from merge requests: anything can be in them. Every output neutralises what would
act in its medium, here and nowhere else:

- :func:`visible` — control characters (ESC, BEL, NUL, line breaks in one-line text…) written
  as escapes (``\\x1b``), so that nothing reaches a terminal as a sequence;
- :func:`spreadsheet_text` — a cell that would start a formula (``= + - @``, tab, carriage
  return: the OWASP *CSV injection* rule, and their full-width forms) gets a leading ``'``;
- :func:`xml_text` — characters XML 1.0 forbids (C0 controls but tab and line breaks, U+FFFE,
  U+FFFF, lone surrogates) become U+FFFD, so that SVG, GraphML, ArchiMate and JUnit parse;
- :func:`markdown_text` — the one Markdown escaper: Markdown punctuation and HTML are escaped,
  ``@mentions``, ``#123`` references and ``:emoji:`` codes are broken by a word joiner, so
  that a merge-request comment neither renders markup nor notifies anyone.
"""

from __future__ import annotations

import re

from cartographie.errors import VISIBLE_CONTROLS

WORD_JOINER = "\u2060"

# C0 and C1 controls, DEL, line and paragraph separators, bidirectional overrides, and what XML
# cannot hold: the table problem lines use too.
_CONTROLS = VISIBLE_CONTROLS
_CONTROLS_KEEP_LINES = {k: v for k, v in _CONTROLS.items() if k not in (0x09, 0x0A)}

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")

_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")

_MARKDOWN_ESCAPES = str.maketrans(
    {
        **{char: f"\\{char}" for char in "\\`*_[]|#~"},
        "<": "&lt;",
        ">": "&gt;",
        "&": "&amp;",
    }
)
# What forges act on in plain text: @user (and @group/team), #123 and !123 (issues and merge
# requests), :emoji: codes.
_MENTION = re.compile(r"@(?=\w)|[#!](?=\d)|:(?=[\w+-]+:)")


def visible(text: str, *, keep_lines: bool = False) -> str:
    """Control characters as visible escapes (``\\x1b``); ``keep_lines`` keeps tab and
    newline (multi-line text for people)."""
    if text.isprintable():
        return text
    return text.translate(_CONTROLS_KEEP_LINES if keep_lines else _CONTROLS)


def spreadsheet_text(text: str) -> str:
    """A text cell that no spreadsheet reads as a formula (OWASP CSV injection)."""
    if text.startswith(_FORMULA_STARTS):
        return "'" + text
    return text


def xml_text(text: str) -> str:
    """Text every XML 1.0 parser accepts: forbidden characters become U+FFFD."""
    return _XML_FORBIDDEN.sub("\ufffd", text)


def markdown_text(text: str) -> str:
    """Plain text safe in Markdown for a forge: one line, nothing rendered, nobody notified."""
    escaped = visible(text.replace("\r\n", " ").replace("\n", " ")).translate(_MARKDOWN_ESCAPES)
    return _MENTION.sub(lambda match: match[0] + WORD_JOINER, escaped)


def markdown_code(text: str) -> str:
    """An inline code span that holds any text (a backtick included), on one line."""
    text = visible(text.replace("\n", " "))
    fence = "``" if "`" in text else "`"
    padded = f" {text} " if fence == "``" or text.startswith(" ") else text
    return f"{fence}{padded}{fence}"

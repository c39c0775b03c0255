"""A small YAML emitter for the generated inventory: block mappings, block sequences of records,
flow sequences of scalars, and scalars quoted exactly when a reader would take them for
something else.

PyYAML's ``dump`` is slow at the ×100 scale (hundreds of thousands of records), sorts or wraps
where we do not want it to, and escapes accents unless told otherwise. The subset written here is
all the inventory needs: a value is a string, an int, a bool, a date, a list of scalars (written
``[a, b]``), a mapping, or a list of mappings (written as ``- key: value`` items). ``None``
means "absent" and is skipped, so that records only carry the fields they set.

A string is written plain when that is safe, and double-quoted otherwise: when YAML 1.1 or 1.2
would read it as a boolean, null, number or date (``yes``, ``off``, ``~``, ``2015``, ``4.12``,
``2022-12-31``…), when it starts with an indicator, holds ``: `` or `` #``, ends with ``:``, has
leading or trailing blanks, or holds a character that a plain scalar cannot carry. The rule errs
on the side of quoting: an unneeded pair of quotes is harmless, a missing one changes the data.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any, TypeAlias

Scalar: TypeAlias = str | int | float | bool | dt.date
# A record maps French keys to scalars, lists of scalars, mappings or lists of mappings; the
# emitter dispatches on the value's type at run time, so the mapping is typed loosely.
Record: TypeAlias = Mapping[str, Any]

# Words YAML 1.1 (PyYAML, libyaml) or 1.2 resolve to a boolean or null, compared lowercased.
_RESERVED_WORDS = frozenset(
    ("y", "yes", "n", "no", "true", "false", "on", "off", "null", "~", "=", "<<")
)
# A plain scalar may not start with these (the YAML indicators).
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")
# Numbers, dates and .inf/.nan all start with one of these: such strings are always quoted.
_NUMBER_STARTS = frozenset("0123456789+-.")
# Inside ``[a, b]`` these also end or nest the scalar.
_FLOW_INDICATORS = frozenset(",[]{}:#")
_ESCAPES = {
    "\\": "\\\\",
    '"': '\\"',
    "\0": "\\0",
    "\a": "\\a",
    "\b": "\\b",
    "\t": "\\t",
    "\n": "\\n",
    "\v": "\\v",
    "\f": "\\f",
    "\r": "\\r",
    "\x1b": "\\e",
    "\x85": "\\N",
    "\xa0": "\\_",
    "\u2028": "\\L",
    "\u2029": "\\P",
}


# Characters a plain scalar may hold: YAML's printable set, minus the line breaks, the tab,
# the no-break space (invisible: we escape it), the Unicode line and paragraph separators
# (YAML breaks lines there) and the byte-order mark.
_UNSAFE_CHARS = re.compile(
    "[^\x20-\x7e\xa1-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]"
)
_FLOW_UNSAFE = re.compile(r"[,\[\]{}:#]")


def _needs_quotes(text: str, in_flow: bool) -> bool:
    if not text or text[0] in _INDICATORS or text[0] in _NUMBER_STARTS:
        return True
    if text[0].isspace() or text[-1].isspace() or text[-1] == ":":
        return True
    if len(text) <= 5 and text.lower() in _RESERVED_WORDS:
        return True
    if ": " in text or " #" in text:
        return True
    if in_flow and _FLOW_UNSAFE.search(text):
        return True
    return _UNSAFE_CHARS.search(text) is not None


def _double_quoted(text: str) -> str:
    parts = []
    for char in text:
        if char in _ESCAPES:
            parts.append(_ESCAPES[char])
        elif char == " " or not _UNSAFE_CHARS.match(char):
            parts.append(char)
        else:
            code = ord(char)
            if code <= 0xFF:
                parts.append(f"\\x{code:02X}")
            elif code <= 0xFFFF:
                parts.append(f"\\u{code:04X}")
            else:
                parts.append(f"\\U{code:08X}")
    return '"' + "".join(parts) + '"'


@lru_cache(maxsize=1 << 16)
def format_string(text: str, in_flow: bool = False) -> str:
    """``text`` as a YAML scalar: plain when a reader would read it back unchanged, else quoted."""
    return _double_quoted(text) if _needs_quotes(text, in_flow) else text


def format_scalar(value: Scalar, in_flow: bool = False) -> str:
    if isinstance(value, str):
        return format_string(value, in_flow)
    # bool before int: True is an int to Python, and must be written true.
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return format_string(str(value), in_flow)


def _emit_mapping(
    mapping: Record, indent: int, out: list[str], first_prefix: str | None = None
) -> None:
    pad = " " * indent
    prefix = pad if first_prefix is None else first_prefix
    for name, value in mapping.items():
        if value is None:
            continue
        # A key is written as a value would be: free properties have keys such as « Object ID »
        # or « Bron: BSI » (the inventory's own keys are plain words and stay unquoted).
        key = format_string(name)
        kind = type(value)
        if kind is str:
            out.append(f"{prefix}{key}: {format_string(value)}")
        elif kind is list or kind is tuple:
            if not value:
                out.append(f"{prefix}{key}: []")
            elif isinstance(value[0], Mapping):
                out.append(f"{prefix}{key}:")
                item_prefix = " " * (indent + 2) + "- "
                for item in value:
                    _emit_mapping(item, indent + 4, out, item_prefix)
            else:
                items = ", ".join(format_scalar(item, True) for item in value)
                out.append(f"{prefix}{key}: [{items}]")
        elif isinstance(value, Mapping):
            if not value:
                out.append(f"{prefix}{key}: {{}}")
            else:
                out.append(f"{prefix}{key}:")
                _emit_mapping(value, indent + 2, out)
        else:
            out.append(f"{prefix}{key}: {format_scalar(value)}")
        prefix = pad


def dump_document(mapping: Record, header: Iterable[str] = ()) -> str:
    """A whole file: comment lines (without their ``#``) then the mapping, sections separated
    by a blank line, ending with one newline."""
    out = [f"# {line}" if line else "#" for line in header]
    first = True
    for key, value in mapping.items():
        if value is None:
            continue
        if not first and not isinstance(value, (str, int, dt.date)):
            out.append("")
        first = False
        _emit_mapping({key: value}, 0, out)
    return "\n".join(out) + "\n"

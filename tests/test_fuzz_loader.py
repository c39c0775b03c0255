"""Fuzzing the loader with hostile bytes: 10,500 examples, no traceback, every answer in its words.

Three feeds, each replacing one file of the minimal inventory (the others come from the memo of
``check_inventory``, so that an example costs one file's parse and the cross-checks):

- random bytes, biased towards what breaks readers: NUL, BOMs, UTF-16/32 halves, invalid UTF-8,
  C0 and C1 controls, YAML indicators;
- a valid file with control characters spliced in at random places, raw or as YAML escapes;
- a valid file whose name, description or id is any text at all, written as a YAML string.

The contract for every example: ``check_inventory`` returns (no exception of any kind); every
problem has a catalogued code, sorts, and prints as one line with no character that acts on a
terminal (controls, bidirectional overrides, line separators) and no more than a bounded length;
a valid result holds no such character in any one-line text, and only line breaks and tabs in
free texts.

Examples are derandomised (the same in every run, in CI too). Time measured on the project's
2-core machine: ~25 s for the 10,500 examples.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support import MINIMAL

from cartographie.errors import MAX_MESSAGE, PROBLEM_CODES, Problem
from cartographie.inventory import check_inventory
from cartographie.inventory.loader import FileMemo
from cartographie.model.records import FREE_TEXT_KEYS, Record

FILES = {
    path.relative_to(MINIMAL).as_posix(): path.read_bytes()
    for path in sorted(MINIMAL.rglob("*.yaml"))
}
NAMES = sorted(FILES)
ROOT = Path("inventaire")
MEMO: FileMemo = {}

# What must never reach a terminal from a problem line or a one-line text.
ACTING = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
ACTING_IN_FREE_TEXT = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]"
)
CONTROLS = [chr(code) for code in (*range(0x20), 0x7F, *range(0x80, 0xA0))] + [
    "\u2028",
    "\u2029",
    "\u202a",
    "\u202e",
    "\u2066",
    "\u2069",
    "\ufeff",
    "\ufffe",
    "\ud800",
]
ESCAPES = ["\\0", "\\a", "\\b", "\\e", "\\t", "\\n", "\\r", "\\x1b", "\\u202e", "\\u2028", "\\x85"]

SETTINGS = settings(
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def assert_contract(relative: str, content: bytes) -> None:
    contents = {**FILES, relative: content}
    result = check_inventory(ROOT, contents, memo=MEMO)
    assert result.problems == sorted(result.problems, key=Problem.sort_key)
    for problem in result.problems:
        assert problem.code in PROBLEM_CODES
        line = problem.format("inventaire")
        assert not ACTING.search(line), line
        assert len(line) < 2 * MAX_MESSAGE + 300
    if result.inventory is not None and not result.errors:
        for record in _records(result.inventory):
            _assert_clean(record)


def _records(inventory: Any) -> list[Record]:
    found: list[Record] = [inventory.metropole]
    for value in vars(inventory).values():
        if isinstance(value, dict):
            found.extend(item for item in value.values() if isinstance(item, Record))
        elif isinstance(value, list):
            found.extend(item for item in value if isinstance(item, Record))
    return found


def _assert_clean(record: Record) -> None:
    for name, field in type(record).model_fields.items():
        value = getattr(record, name)
        texts = value if isinstance(value, list) else [value]
        for text in texts:
            if isinstance(text, Record):
                _assert_clean(text)
            elif isinstance(text, str):
                pattern = ACTING_IN_FREE_TEXT if field.alias in FREE_TEXT_KEYS else ACTING
                assert not pattern.search(text), (field.alias, text)


# --- (a) random bytes -----------------------------------------------------------------------

hostile_bytes = st.one_of(
    st.binary(max_size=200),
    st.lists(
        st.sampled_from(
            [
                b"\x00",
                b"\xff\xfe",
                b"\xfe\xff",
                b"\xef\xbb\xbf",
                b"\x00\x00\xfe\xff",
                b"\xc3",
                b"\xe9",
                b"\x1b[31m",
                b"\x07",
                b"\x7f",
                b"\xc2\x9b",
                b"\xe2\x80\xae",
                b"\n",
                b"\r\n",
                b"\t",
                b"  ",
                b"- ",
                b": ",
                b"id: ",
                b"nom: ",
                b"applications:\n",
                b'"',
                b"'",
                b"\\",
                b"&a ",
                b"*a",
                b"!!python/object ",
                b"[",
                b"{",
                b"#",
                b"x",
            ]
        ),
        max_size=40,
    ).map(b"".join),
)


@settings(SETTINGS, max_examples=4000)
@given(st.sampled_from(NAMES), hostile_bytes)
def test_random_bytes_never_escape_the_loaders_words(relative: str, content: bytes) -> None:
    assert_contract(relative, content)


# --- (b) control characters spliced into a valid file -----------------------------------------


@st.composite
def spliced(draw: st.DrawFn) -> tuple[str, bytes]:
    relative = draw(st.sampled_from(NAMES))
    text = FILES[relative].decode("utf-8")
    for _ in range(draw(st.integers(1, 4))):
        position = draw(st.integers(0, len(text)))
        if draw(st.booleans()):
            inserted = draw(st.sampled_from(CONTROLS))
        else:
            inserted = '"' + draw(st.sampled_from(ESCAPES)) + '"'
        text = text[:position] + inserted + text[position:]
    return relative, text.encode("utf-8", "surrogatepass")


@settings(SETTINGS, max_examples=3500)
@given(spliced())
def test_control_characters_anywhere_are_refused_or_made_visible(case: tuple[str, bytes]) -> None:
    assert_contract(*case)


# --- (c) any text in a name, a description or an id -----------------------------------------

FIELDS = [
    ("applications/nord.yaml", "    nom: État civil de Nordville\n", "nom"),
    ("applications/sud.yaml", "    nom: Finances de Sudbourg\n", "nom"),
    ("referentiel/blocs.yaml", "    nom: Relation citoyen\n", "nom"),
    ("territoire.yaml", "  sigle: MT\n", "sigle"),
    ("applications/metropole.yaml", "    hebergement: saas\n", "description"),
    ("referentiel/donnees.yaml", "    nom: Engagement comptable\n", "description"),
    ("applications/nord.yaml", "    couche: metier\n", "responsable"),
    ("applications/metropole.yaml", "  - id: met-billettique\n", "id"),
]
any_text = st.text(
    st.one_of(st.characters(codec="utf-8"), st.sampled_from(CONTROLS[:-1])), max_size=30
)


@settings(SETTINGS, max_examples=3000)
@given(st.sampled_from(FIELDS), any_text)
def test_any_text_in_a_field_is_taken_refused_or_made_visible(
    field: tuple[str, str, str], text: str
) -> None:
    relative, line, key = field
    indent = line[: len(line) - len(line.lstrip(" -"))]
    # json.dumps writes a valid YAML double-quoted string (\uXXXX for every control).
    written = f"{indent}{key}: {json.dumps(text)}\n"
    if key == "id":
        replaced = line.replace("met-billettique", json.dumps(text))
    elif key in ("description", "responsable"):
        replaced = line + written  # a field the record did not have, after one it has
    else:
        replaced = written
    source = FILES[relative].decode("utf-8")
    assert_contract(relative, source.replace(line, replaced, 1).encode("utf-8"))

"""The safe, line-aware YAML reader: lines, refusals, and what it never does."""

from __future__ import annotations

import datetime as dt
import os
import re
import time
from pathlib import Path

import pytest

from cartographie.errors import Location
from cartographie.inventory import yamlread
from cartographie.inventory.yamlread import (
    YamlMapping,
    YamlSequence,
    read_yaml_bytes,
    read_yaml_text,
)


def problems(text: str) -> list[tuple[str, int]]:
    return [(p.code, p.location.line) for p in read_yaml_text(text, "f.yaml").problems]


def billion_laughs(levels: int = 10) -> str:
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for level in range(1, levels):
        aliases = ", ".join([f"*a{level - 1}"] * 10)
        lines.append(f"a{level}: &a{level} [{aliases}]")
    return "\n".join(lines) + "\n"


# --- lines --------------------------------------------------------------------------------


def test_mappings_and_sequences_know_their_lines() -> None:
    text = (
        "# commentaire\n"
        "applications:\n"
        "  - id: a\n"
        "    blocs:\n"
        "      - x\n"
        "\n"
        "      - y\n"
        "  - id: b\n"
        "    nom: >-\n"
        "      plié\n"
        "      sur deux lignes\n"
        "    couche: metier\n"
    )
    document = read_yaml_text(text, "f.yaml")
    assert document.problems == []
    data = document.data
    assert isinstance(data, YamlMapping)
    assert data.line == 2
    assert data.key_lines == {"applications": 2}
    applications = data["applications"]
    assert isinstance(applications, YamlSequence)
    assert applications.item_lines == [3, 8]
    first, second = applications
    assert first.line == 3
    assert first.key_lines == {"id": 3, "blocs": 4}
    assert first["blocs"].item_lines == [5, 7]
    assert second.key_lines == {"id": 8, "nom": 9, "couche": 12}
    assert second["nom"] == "plié sur deux lignes"


def test_values_are_plain_python_values() -> None:
    data = read_yaml_text(
        "texte: abc\nentier: 0x1F\nmilliers: 1_000\nreel: 1.5\nvrai: true\nrien: ~\n"
        "date: 2024-03-01\nguillemets: '2024-03-01'\nfausse_date: 2024-13-45\n",
        "f.yaml",
    ).data
    assert data == {
        "texte": "abc",
        "entier": 31,
        "milliers": 1000,
        "reel": 1.5,
        "vrai": True,
        "rien": None,
        "date": dt.date(2024, 3, 1),
        "guillemets": "2024-03-01",
        "fausse_date": "2024-13-45",  # kept as written: the schema says what it expected
    }


def test_keys_that_are_not_text_keep_what_was_written() -> None:
    data = read_yaml_text("1: un\nyes: oui\n? [a, b]\n: liste\n", "f.yaml").data
    assert list(data) == ["1", "yes", "['a', 'b']"]


def test_explicit_core_tags_are_accepted() -> None:
    document = read_yaml_text("a: !!str 2024\nb: !!int '7'\nc: !!map {x: 1}\n", "f.yaml")
    assert document.problems == []
    assert document.data == {"a": "2024", "b": 7, "c": {"x": 1}}


# --- duplicate keys -----------------------------------------------------------------------


def test_a_duplicate_key_is_reported_at_its_second_line_and_names_the_first() -> None:
    document = read_yaml_text("a: 1\nb:\n  c: 1\n  d: 2\n  c: 3\n", "f.yaml")
    assert [(p.code, p.location.line) for p in document.problems] == [("E103", 5)]
    assert "clé « c » en double" in document.problems[0].message
    assert "déjà ligne 3" in document.problems[0].message
    assert document.data["b"]["c"] == 1  # the first one is kept, not silently the last


def test_the_same_key_in_two_mappings_is_fine() -> None:
    assert problems("- id: a\n- id: b\n") == []


def test_a_key_written_twice_differently_is_still_one_key() -> None:
    assert problems("'a': 1\n\"a\": 2\n") == [("E103", 2)]


# --- tags ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        '!!python/object/apply:os.system ["touch marker"]',
        "!!python/object/new:os.system [touch marker]",
        "!!python/name:os.system",
        "!!python/module:os",
        "!custom valeur",
        "!!binary aGVsbG8=",
        "!!set {a, b}",
        "!!omap [a: 1]",
    ],
)
def test_a_tag_outside_the_core_schema_is_refused_and_never_run(
    value: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(os, "system", _never)
    document = read_yaml_text(f"a:\n  b: {value}\n", "f.yaml")
    assert [(p.code, p.location.line) for p in document.problems] == [("E104", 2)]
    assert "jamais exécutée" in document.problems[0].message
    assert list(tmp_path.iterdir()) == []


def _never(*args: object) -> int:
    raise AssertionError("a YAML tag ran os.system")


def test_a_refused_tag_is_named_in_the_message() -> None:
    message = read_yaml_text("a: !!python/object:x.Y {}\n", "f.yaml").problems[0].message
    assert "« !!python/object:x.Y »" in message


# --- aliases ------------------------------------------------------------------------------


def test_a_few_aliases_are_fine() -> None:
    document = read_yaml_text("a: &x [1, 2]\nb: *x\n", "f.yaml")
    assert document.problems == []
    assert document.data == {"a": [1, 2], "b": [1, 2]}


def test_an_alias_bomb_is_refused_fast_at_the_bomb() -> None:
    text = "debut: ok\n" + billion_laughs()
    started = time.perf_counter()
    document = read_yaml_text(text, "f.yaml")
    elapsed = time.perf_counter() - started
    assert document.data is None
    assert [(p.code, p.location.line) for p in document.problems] == [("E105", 7)]
    assert re.search(
        r"développeraient 12\u202f345\u202f679\u202f\d{3} valeurs", document.problems[0].message
    )
    assert elapsed < 1.0  # about a millisecond here: the expansion is counted, never done


def test_an_alias_bomb_in_flow_style_on_one_line_is_refused() -> None:
    inner = "[" + ", ".join(["*b"] * 10) + "]"
    text = "a: &b [x, x, x, x, x, x, x, x, x, x]\nc: &c " + inner + "\n"
    for level in range(6):
        text += (
            f"d{level}: &d{level} ["
            + ", ".join([f"*{'c' if level == 0 else f'd{level - 1}'}"] * 10)
            + "]\n"
        )
    assert [code for code, _line in problems(text)] == ["E105"]


def test_a_recursive_alias_is_refused() -> None:
    document = read_yaml_text("a: &a\n  - *a\n", "f.yaml")
    assert document.data is None
    assert [(p.code, p.location.line) for p in document.problems] == [("E105", 1)]
    assert "récursion" in document.problems[0].message


def test_an_undefined_alias_is_invalid_yaml() -> None:
    document = read_yaml_text("a: *absent\n", "f.yaml")
    assert [(p.code, p.location.line) for p in document.problems] == [("E102", 1)]
    assert "définissez l'ancre" in document.problems[0].hint


def test_merge_keys_are_refused() -> None:
    document = read_yaml_text("base: &b {x: 1}\nobjet:\n  <<: *b\n  y: 2\n", "f.yaml")
    assert [(p.code, p.location.line) for p in document.problems] == [("E108", 3)]
    assert document.data["objet"] == {"y": 2}


# --- nesting ------------------------------------------------------------------------------


@pytest.mark.parametrize("depth", [150, 500, 5_000])
def test_deep_nesting_is_refused_not_a_crash(depth: int) -> None:
    document = read_yaml_text("a: " + "[" * depth + "]" * depth + "\n", "f.yaml")
    assert document.data is None
    assert [p.code for p in document.problems] == ["E102"]


def test_deep_block_nesting_is_refused_at_its_line() -> None:
    text = "".join("  " * level + "k:\n" for level in range(150))
    assert problems(text) == [("E102", yamlread.MAX_DEPTH + 1)]


def test_nesting_an_inventory_uses_is_fine() -> None:
    depth = yamlread.MAX_DEPTH - 1
    assert problems("a: " + "[" * depth + "]" * depth + "\n") == []


# --- bytes: encodings, BOM, line ends, size -----------------------------------------------


def test_a_bom_is_ignored() -> None:
    document = read_yaml_bytes("\ufeffnom: Métropole\n".encode(), "f.yaml")
    assert document.problems == []
    assert document.data == {"nom": "Métropole"}


def test_crlf_line_ends_keep_lines_and_values() -> None:
    raw = b"a: 1\r\ndescription: |\r\n  deux\r\n  lignes\r\nc: 3\r\n"
    document = read_yaml_bytes(raw, "f.yaml")
    assert document.problems == []
    assert document.data.key_lines == {"a": 1, "description": 2, "c": 5}
    assert document.data["description"] == "deux\nlignes\n"


def test_a_latin1_file_is_located_at_the_byte_that_is_not_utf8() -> None:
    raw = "a: 1\nnom: Métropole\n".encode("latin-1")
    document = read_yaml_bytes(raw, "f.yaml")
    assert document.data is None
    [problem] = document.problems
    assert problem.location == Location("f.yaml", 2, 7)
    assert problem.message == "octet E9 invalide en UTF-8"
    assert "Latin-1" in problem.hint


@pytest.mark.parametrize(
    ("codec", "bom", "named"),
    [
        ("utf-16-le", b"\xff\xfe", "UTF-16 (petit-boutiste, avec BOM)"),
        ("utf-16-be", b"\xfe\xff", "UTF-16 (gros-boutiste, avec BOM)"),
        ("utf-32-le", b"\xff\xfe\x00\x00", "UTF-32 (petit-boutiste, avec BOM)"),
        ("utf-32-be", b"\x00\x00\xfe\xff", "UTF-32 (gros-boutiste, avec BOM)"),
        ("utf-16-le", b"", "UTF-16 (petit-boutiste, sans BOM)"),
        ("utf-16-be", b"", "UTF-16 (gros-boutiste, sans BOM)"),
        ("utf-32-le", b"", "UTF-32 (petit-boutiste, sans BOM)"),
        ("utf-32-be", b"", "UTF-32 (gros-boutiste, sans BOM)"),
    ],
)
def test_utf16_and_utf32_are_one_problem_at_the_first_character(
    codec: str, bom: bytes, named: str
) -> None:
    raw = bom + "nom: Métropole\nid: x\n".encode(codec)
    [problem] = read_yaml_bytes(raw, "f.yaml").problems
    assert problem.code == "E101"
    assert problem.location == Location("f.yaml", 1, 1)
    assert problem.message == f"fichier encodé en {named}, pas en UTF-8"
    # What is left of the file for the search of its ids: the text, decoded.
    assert "id: x" in yamlread.readable_text(raw)


def test_a_nul_byte_is_located_at_its_line_and_column() -> None:
    [problem] = read_yaml_bytes("a: 1\nnom: Mé\x00tropole\n".encode(), "f.yaml").problems
    assert (problem.code, problem.location) == ("E101", Location("f.yaml", 2, 8))
    assert problem.format() == (
        "f.yaml:2:8: E101: octet nul (00) : un fichier d'inventaire est du texte "
        "(retirez ce caractère, ou remplacez le fichier par sa version texte en UTF-8)"
    )


@pytest.mark.parametrize("character", ["\x1b", "\x07", "\x7f", "\x9b", "\x01"])
def test_a_raw_control_character_is_located_not_a_parser_message(character: str) -> None:
    [problem] = read_yaml_bytes(f"a: 1\nnom: Mé{character}tro\n".encode(), "f.yaml").problems
    assert (problem.code, problem.location) == ("E207", Location("f.yaml", 2, 8))
    assert f"U+{ord(character):04X}" in problem.message
    assert "unicode string" not in problem.message


@pytest.mark.parametrize(
    ("escaped", "named"),
    [
        ("\\e[31m", "ESC (U+001B)"),
        ("\\a", "BEL (U+0007)"),
        ("\\0", "NUL (U+0000)"),
        ("a\\nb", "saut de ligne (U+000A)"),
        ("\\t", "tabulation (U+0009)"),
        ("\\u202e", "bidirectionnel (U+202E)"),
        ("\\u2028", "séparateur de ligne (U+2028)"),
        ("\\x85", "U+0085"),
    ],
)
def test_a_control_character_in_a_one_line_value_is_refused(escaped: str, named: str) -> None:
    document = read_yaml_text(f'a: 1\nnom: "x{escaped}y"\nblocs: [a, "{escaped}"]\n', "f.yaml")
    assert [(p.code, p.location.line) for p in document.problems] == [("E207", 2), ("E207", 3)]
    assert document.problems[0].message.startswith(f"nom : caractère de contrôle {named} dans « x")
    assert len(document.problems[0].format().splitlines()) == 1


def test_a_control_character_in_a_free_text_is_made_visible() -> None:
    text = 'description: "Ligne 1\\nLigne\\t2 \\e[31mrouge\\a\\u202e"\n'
    document = read_yaml_text(text, "f.yaml")
    assert document.data == {"description": "Ligne 1\nLigne\t2 ␛[31mrouge␇\ufffd"}
    [problem] = document.problems
    assert (problem.code, problem.severity, problem.location.line) == ("E208", "avertissement", 1)
    # Line breaks and tabs are a free text's own: no warning for them.
    assert read_yaml_text("description: |\n  a\n  b\tc\n", "f.yaml").problems == []


def test_a_control_character_in_a_key_or_a_nested_list_is_refused() -> None:
    document = read_yaml_text('"a\\eb": 1\nc: [[x, "\\a"]]\n', "f.yaml")
    assert [(p.code, p.location.line) for p in document.problems] == [("E207", 1), ("E207", 2)]
    assert [type(key) for key in document.data] == [str, str]
    assert type(document.data["c"][0][1]) is str


def test_a_file_over_the_size_limit_is_refused_unread(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yamlread, "MAX_FILE_BYTES", 1024)
    document = read_yaml_bytes(b"a: " + b"x" * 2000 + b"\n", "f.yaml")
    assert [(p.code, p.location.line) for p in document.problems] == [("E107", 0)]


# --- what is not YAML, or says nothing ----------------------------------------------------


@pytest.mark.parametrize(
    "text", ["", "\n\n", "# rien\n# encore rien\n", "---\n", "--- # rien\n...\n", "~\n", "null\n"]
)
def test_an_empty_file_is_reported(text: str) -> None:
    assert problems(text) == [("E106", 1)]


def test_tabs_for_indentation_are_reported_at_their_line() -> None:
    document = read_yaml_text("a:\n  b: 1\n\tc: 2\n", "f.yaml")
    assert [(p.code, p.location.line) for p in document.problems] == [("E102", 3)]
    assert "tabulation" in document.problems[0].message


def test_a_tab_inside_a_value_is_not_indentation() -> None:
    document = read_yaml_text('description: "x\ty"\nb: x\ty\n', "f.yaml")
    # A tab in a one-line value is a control character (E207), not an indentation (E102).
    assert [(p.code, p.location.line) for p in document.problems] == [("E207", 2)]
    assert document.data == {"description": "x\ty", "b": "x\ty"}


@pytest.mark.parametrize(
    ("text", "line", "hint"),
    [
        ("a: [b, c\nd: e\n", 2, "fermez par « ] » la liste ouverte par « [ » ligne 1"),
        ("a: {b: 1\nc: d\n", 2, "fermez par « } » l'objet ouvert par « { » ligne 1"),
        ('a: "abc\nb: c\n', 2, "fermez les guillemets ouverts ligne 1"),  # the last line
        ("a: b: c\n", 1, "une valeur contenant « : » doit être entre guillemets"),
        ("a:\n  b: 1\n c: 2\n", 3, "vérifiez l'indentation"),
        ("a: b\n---\nc: d\n", 2, "un fichier décrit un seul document"),
        ('a: "C:\\Applis"\n', 1, "doublez-le"),
    ],
)
def test_invalid_yaml_is_located_with_a_french_hint(text: str, line: int, hint: str) -> None:
    [problem] = read_yaml_text(text, "f.yaml").problems
    assert (problem.code, problem.location.line) == ("E102", line)
    assert problem.message.startswith("YAML invalide : ")
    assert hint in problem.hint

"""The lean tag resolver of the loader gives exactly PyYAML's safe answers."""

from __future__ import annotations

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from cartographie.inventory.yamlread import _Loader

TRICKY = [
    "~",
    "null",
    "Null",
    "yes",
    "No",
    "on",
    "OFF",
    "true",
    "1",
    "-1",
    "0x1F",
    "0o17",
    "1_000",
    "1.5",
    ".inf",
    "-.Inf",
    ".nan",
    "2024-01-02",
    "2024-01-02 10:00:00",
    "1:20",
    "190:20:30",
    "abc",
    "n",
    "y",
    "=",
    "<<",
    "3e4",
    "+12",
    "0b101",
    "012",
    "métier",
    "a-retirer",
]


def _tags(document: str, loader: type) -> list[str]:
    tags: list[str] = []
    todo = [yaml.compose(document, Loader=loader)]
    while todo:
        node = todo.pop()
        tags.append(node.tag)
        if isinstance(node, yaml.MappingNode):
            todo.extend(item for pair in node.value for item in pair)
        elif isinstance(node, yaml.SequenceNode):
            todo.extend(node.value)
    return tags


def test_tricky_scalars_resolve_like_the_safe_loader() -> None:
    document = "".join(f"k{i}: {value}\n" for i, value in enumerate(TRICKY))
    document += "liste:\n" + "".join(f"  - {value}\n" for value in TRICKY)
    document += "cites:\n" + "".join(f"  - '{value}'\n" for value in TRICKY)
    assert _tags(document, _Loader) == _tags(document, yaml.CSafeLoader)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.text(alphabet="abcnyoNYTF0123456789-_.:+~=<eExX ", min_size=1, max_size=10))
def test_random_plain_scalars_resolve_like_the_safe_loader(value: str) -> None:
    document = f"cle: {value.strip() or 'x'}\n"
    try:
        expected = _tags(document, yaml.CSafeLoader)
    except yaml.YAMLError:
        return
    assert _tags(document, _Loader) == expected

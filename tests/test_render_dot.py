"""The DOT renderer: golden sources for the example, escaping, safe ids and file names.

Golden files are compared as text; refresh them on purpose with ``CARTOGRAPHIE_GOLDEN=1``.
"""

from __future__ import annotations

import os
from itertools import pairwise
from pathlib import Path

import pytest
from cartes_support import EXAMPLE, GOLDEN, HOSTILE_NAME, svg_texts

from cartographie.graph import Portfolio
from cartographie.inventory import load_inventory
from cartographie.render import dot_id, render_source, safe_filename, to_dot
from cartographie.render.dot import quote
from cartographie.views import MAP_KINDS, Cluster, Edge, LegendItem, Node, Ref, View, build_view

REFRESH = os.environ.get("CARTOGRAPHIE_GOLDEN", "") not in ("", "0")


@pytest.fixture(scope="module")
def example() -> Portfolio:
    return Portfolio(load_inventory(EXAMPLE))


def every_map(portfolio: Portfolio) -> list[tuple[str, str]]:
    return [
        (kind.name, object_id) for kind in MAP_KINDS.values() for object_id in kind.ids(portfolio)
    ]


def test_golden_dot_sources(example: Portfolio) -> None:
    expected_files = set()
    for kind, object_id in every_map(example):
        source = to_dot(
            build_view(example, kind, object_id), lambda ref: f"{ref.kind}/{ref.id}.html"
        )
        golden = GOLDEN / f"{kind}-{safe_filename(object_id)}.dot"
        expected_files.add(golden.name)
        if REFRESH:
            golden.write_text(source, encoding="utf-8")
            continue
        assert golden.is_file(), f"{golden.name} missing: run with CARTOGRAPHIE_GOLDEN=1"
        assert source == golden.read_text(encoding="utf-8"), (
            f"{golden.name} changed; if on purpose, refresh with CARTOGRAPHIE_GOLDEN=1"
        )
    assert {path.name for path in GOLDEN.glob("*.dot")} == expected_files


def test_dot_is_deterministic(example: Portfolio) -> None:
    for kind, object_id in every_map(example):
        first = to_dot(build_view(example, kind, object_id))
        again = to_dot(build_view(Portfolio(load_inventory(EXAMPLE)), kind, object_id))
        assert first == again


def hostile_view() -> View:
    ids = ["a:b", "<x>", 'q"uote', "back\\slash", "../../etc/passwd", "émoji🚓", "sp ace"]
    nodes = tuple(
        Node(
            id=node_id,
            label=(HOSTILE_NAME, node_id),
            tooltip=HOSTILE_NAME,
            link=Ref("application", node_id),
        )
        for node_id in ids
    )
    return View(
        kind="test",
        key="<hostile>",
        title=HOSTILE_NAME,
        subtitle=HOSTILE_NAME,
        nodes=nodes,
        edges=tuple(
            Edge(source, target, label=HOSTILE_NAME, tooltip=HOSTILE_NAME)
            for source, target in pairwise(ids)
        ),
        clusters=(Cluster(id="c:<1>", label=HOSTILE_NAME, nodes=tuple(ids[:3]), columns=2),),
        legend=(LegendItem(HOSTILE_NAME, ("flux",), shape="edge"),),
    )


def test_hostile_names_and_ids_make_valid_dot_and_svg() -> None:
    source = to_dot(hostile_view(), lambda ref: f"applications/{safe_filename(ref.id)}.html")
    svg = render_source(source, "svg", "embarque").data
    text = svg_texts(svg)  # parses as XML: nothing broke out of its attribute or element
    assert "<script>" not in svg.decode("utf-8")
    assert '"<b>gras</b>"' in text and "& Cie \\ fin" in text and "🚓" in text
    for node_id in ["a:b", "<x>", "../../etc/passwd"]:
        assert f"applications/{safe_filename(node_id)}.html" in svg.decode("utf-8")


def test_node_ids_are_safe_and_distinct() -> None:
    ids = ["a:b", "a_b", "a b", "a-b", "<x>", 'q"', "é"]
    converted = [dot_id(node_id) for node_id in ids]
    assert len(set(converted)) == len(ids)
    assert all(
        set(value) <= set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-")
        for value in converted
    )


@pytest.mark.parametrize(
    "value",
    ["../../etc/passwd", "CON", "a/b", "é", "🚓", "", ".", "x" * 300, "Ville-Centre", "a\x00b"],
)
def test_file_names_are_safe_slugs(value: str, tmp_path: Path) -> None:
    name = safe_filename(value)
    assert name and len(name) <= 80
    assert set(name) <= set("abcdefghijklmnopqrstuvwxyz0123456789-")
    (tmp_path / f"{name}.svg").write_text("ok")  # a real file name on this system


def test_file_names_keep_slugs_and_never_collide() -> None:
    assert safe_filename("ville-centre") == "ville-centre"
    values = ["Ville-Centre", "ville centre", "ville_centre", "ville-centre"]
    assert len({safe_filename(value) for value in values}) == len(values)


@pytest.mark.parametrize(
    ("value", "html", "expected"),
    [
        # The rules the maps' DOT was written with (the ``graphviz`` package's ``quote``).
        ("", True, '""'),
        ("spam", True, "spam"),
        ("_x9", True, "_x9"),
        ("spam spam", True, '"spam spam"'),
        ("-4.2", True, "-4.2"),
        (".42", True, ".42"),
        ("4.", True, "4."),
        ("1e3", True, '"1e3"'),
        ("node", True, '"node"'),
        ("Graph", True, '"Graph"'),
        ("é", True, '"é"'),
        ("<<b>spam</b>>", True, "<<b>spam</b>>"),
        ("<<b>spam</b>>", False, '"<<b>spam</b>>"'),
        ('"', True, '"\\""'),
        ('\\"', True, '"\\""'),
        ('\\\\"', True, '"\\\\\\""'),
        ("#5b6770", True, '"#5b6770"'),
    ],
)
def test_quoting_keeps_the_rules_the_maps_were_written_with(
    value: str, html: bool, expected: str
) -> None:
    assert quote(value, html=html) == expected

"""The atlas of the reference métropole, as its readers see it: every edge label clear of the
boxes and of the other labels on every map, and the big communes' detailed maps read at full
size in a window 1,600 pixels wide.

The geometry is read from the SVG Graphviz wrote (``svg_geometry``): shapes' bounding boxes,
texts measured with the maps' font.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from svg_geometry import SVG, label_overlaps

from cartographie.graph import Portfolio
from cartographie.inventory import load_inventory
from cartographie.views.commune import BIG_COMMUNE

pytestmark = pytest.mark.slow
REFERENCE = Path(__file__).resolve().parents[1] / "inventory"
# The width a map gets on an atlas page in a window 1,600 pixels wide (the page's margins, the
# map's border, a vertical scroll bar), as headless Chromium measures it (the browser test).
MAP_WIDTH_PX = 1530
SMALLEST_TEXT_PX = 10


def test_no_edge_label_overlaps_a_box_or_another_label_on_any_map(reference_atlas: Path) -> None:
    maps = sorted(reference_atlas.rglob("*.svg"))
    assert len(maps) > 250
    labelled = 0
    found: dict[str, list[str]] = {}
    for path in maps:
        svg = path.read_bytes()
        labelled += svg.count(b'class="edge"') and b"font-size=" in svg
        overlaps = label_overlaps(svg)
        if overlaps:
            found[str(path.relative_to(reference_atlas))] = overlaps[:3]
    assert found == {}
    assert labelled > 100  # the test looked at maps that have labels


def smallest_text_px(svg: bytes, width_px: float = MAP_WIDTH_PX) -> float:
    """The smallest text of a map shown fitted to ``width_px`` (never enlarged), in pixels
    (a point of Graphviz's SVG is 4/3 of a CSS pixel)."""
    root = ET.fromstring(svg)
    width_pt = float(re.sub(r"[a-z]+$", "", root.get("width", "0")))
    scale = min(1.0, width_px / (width_pt * 4 / 3))
    sizes = [float(text.get("font-size", "14")) for text in root.iter(f"{SVG}text")]
    return min(sizes) * 4 / 3 * scale


def test_big_communes_have_maps_by_layer_and_by_zone_read_at_full_size(
    reference_atlas: Path,
) -> None:
    portfolio = Portfolio(load_inventory(REFERENCE))
    big = [
        commune
        for commune in portfolio.communes()
        if len(portfolio.applications_of_commune(commune)) > BIG_COMMUNE
    ]
    assert "aurelle" in big
    for commune in big:
        page = (reference_atlas / "communes" / f"{commune}.html").read_text(encoding="utf-8")
        detailed = sorted(
            set(re.findall(rf'href="(?:\.\./communes/)?({commune}\.[a-z0-9-]+)\.html"', page))
        )
        layers = [name for name in detailed if ".couche-" in name]
        assert len(layers) == 3 and any(".zone-" in name for name in detailed), (commune, detailed)
        for name in detailed:
            svg = (reference_atlas / "communes" / f"{name}.svg").read_bytes()
            assert smallest_text_px(svg) >= SMALLEST_TEXT_PX, name
            # the detailed page lists the applications its map shows
            assert "Applications (" in (reference_atlas / "communes" / f"{name}.html").read_text(
                encoding="utf-8"
            )
    # The overview's bands lead to the layer maps.
    overview = (reference_atlas / "communes" / "aurelle.svg").read_text(encoding="utf-8")
    assert 'xlink:href="../communes/aurelle.couche-metier.html"' in overview
    # A small commune has none.
    assert "couche-" not in (reference_atlas / "communes" / "lauzac.html").read_text(
        encoding="utf-8"
    )


def test_box_labels_break_between_words_on_the_ville_centres_map(reference_atlas: Path) -> None:
    """A name longer than its box's line breaks after a hyphen (it was cut inside a word:
    « Saint-Orens-de-Montcla » over « r »)."""
    svg = ET.parse(reference_atlas / "communes" / "aurelle.svg")
    texts = ["".join(element.itertext()) for element in svg.iter() if element.tag.endswith("}text")]
    at = texts.index("Saint-Orens-de-")
    assert texts[at + 1] == "Montclar"
    assert "Saint-Orens-de-Montcla" not in texts and "r" not in texts

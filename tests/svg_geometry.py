"""Where things are on a map drawn by Graphviz: the boxes of its nodes, of its edge labels and of
its cluster labels, read from the SVG.

A node's box is the bounding box of its shape (polygon, path or ellipse). A text's box is
measured with the maps' font itself (Liberation Sans, ``cartographie/render/fonts``, read by
fontTools): the width of its glyphs at its size, from its anchor, and from the font's ascent to
its descent around the baseline. Graphviz writes an edge's label (``xlabel``) as ``<text>``
elements of the edge's group, outside its ``<a>`` path; a cluster's label as the cluster's texts.
"""

from __future__ import annotations

import functools
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

SVG = "{http://www.w3.org/2000/svg}"
FONT = Path(__file__).resolve().parents[1] / "cartographie" / "render" / "fonts"
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:e-?\d+)?")


@dataclass(frozen=True)
class Box:
    left: float
    top: float
    right: float
    bottom: float
    what: str

    def overlap(self, other: Box, tolerance: float = 0.5) -> bool:
        """True when the two boxes share more than ``tolerance`` points both ways."""
        width = min(self.right, other.right) - max(self.left, other.left)
        height = min(self.bottom, other.bottom) - max(self.top, other.top)
        return width > tolerance and height > tolerance


@functools.cache
def _metrics() -> tuple[dict[int, int], float, float, float]:
    from fontTools.ttLib import TTFont

    font = TTFont(str(FONT / "LiberationSans-Regular.ttf"))
    cmap = font.getBestCmap()
    widths = {code: font["hmtx"][glyph][0] for code, glyph in cmap.items()}
    units = float(font["head"].unitsPerEm)
    return widths, units, font["hhea"].ascent / units, -font["hhea"].descent / units


def text_width(text: str, size: float) -> float:
    widths, units, _ascent, _descent = _metrics()
    fallback = widths.get(ord("n"), units / 2)
    return sum(widths.get(ord(char), fallback) for char in text) / units * size


def text_box(element: ET.Element, what: str) -> Box:
    _widths, _units, ascent, descent = _metrics()
    size = float(element.get("font-size", "14"))
    x, y = float(element.get("x", "0")), float(element.get("y", "0"))
    width = text_width(element.text or "", size)
    anchor = element.get("text-anchor", "start")
    left = x - width / 2 if anchor == "middle" else x - width if anchor == "end" else x
    return Box(left, y - ascent * size, left + width, y + descent * size, what)


def _points(element: ET.Element) -> list[float]:
    tag = element.tag.removeprefix(SVG)
    if tag in {"polygon", "polyline"}:
        return [float(value) for value in _NUMBER.findall(element.get("points", ""))]
    if tag == "path":
        return [float(value) for value in _NUMBER.findall(element.get("d", ""))]
    if tag == "ellipse":
        cx, cy = float(element.get("cx", "0")), float(element.get("cy", "0"))
        rx, ry = float(element.get("rx", "0")), float(element.get("ry", "0"))
        return [cx - rx, cy - ry, cx + rx, cy + ry]
    return []


def shape_box(group: ET.Element, what: str) -> Box | None:
    """The bounding box of a node's drawn shapes (its texts left out)."""
    coordinates: list[float] = []
    for element in group.iter():
        if element.tag in (f"{SVG}polygon", f"{SVG}path", f"{SVG}ellipse", f"{SVG}polyline"):
            coordinates += _points(element)
    if len(coordinates) < 2:
        return None
    xs, ys = coordinates[0::2], coordinates[1::2]
    return Box(min(xs), min(ys), max(xs), max(ys), what)


@dataclass
class MapGeometry:
    nodes: list[Box]
    edge_labels: list[list[Box]]  # per edge, one box per line of its label
    cluster_labels: list[Box]


def _title(group: ET.Element) -> str:
    title = group.find(f"{SVG}title")
    return title.text or "" if title is not None else ""


def read_geometry(svg: bytes | str) -> MapGeometry:
    root = ET.fromstring(svg.encode("utf-8") if isinstance(svg, str) else svg)
    nodes: list[Box] = []
    labels: list[list[Box]] = []
    clusters: list[Box] = []
    for group in root.iter(f"{SVG}g"):
        kind = group.get("class", "")
        if kind == "node":
            box = shape_box(group, _title(group))
            if box is None:  # a plaintext node (a legend's words): its texts
                nodes += [text_box(text, _title(group)) for text in group.iter(f"{SVG}text")]
            elif box.right - box.left >= 1 or box.bottom - box.top >= 1:  # not an invisible point
                nodes.append(box)
        elif kind == "edge":
            # The label's texts are the edge group's own, or in its ``-label`` link group.
            texts = [
                text_box(text, f"{_title(group)}: {text.text}")
                for text in group.iter(f"{SVG}text")
            ]
            if texts:
                labels.append(texts)
        elif kind == "cluster":
            clusters += [
                text_box(text, f"groupe {_title(group)}: {text.text}")
                for text in group.findall(f"./{SVG}text")
                + group.findall(f"./{SVG}g/{SVG}a/{SVG}text")
            ]
    return MapGeometry(nodes, labels, clusters)


def label_overlaps(svg: bytes | str) -> list[str]:
    """Every edge label that overlaps a node, another edge's label or a cluster's label."""
    geometry = read_geometry(svg)
    found = []
    for index, label in enumerate(geometry.edge_labels):
        for line in label:
            for node in geometry.nodes:
                if line.overlap(node):
                    found.append(f"« {line.what} » sur le nœud {node.what}")
            for cluster in geometry.cluster_labels:
                if line.overlap(cluster):
                    found.append(f"« {line.what} » sur « {cluster.what} »")
            for other in geometry.edge_labels[index + 1 :]:
                for other_line in other:
                    if line.overlap(other_line):
                        found.append(f"« {line.what} » sur « {other_line.what} »")
    return found


__all__ = ["Box", "MapGeometry", "label_overlaps", "read_geometry", "text_box", "text_width"]

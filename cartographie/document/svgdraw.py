"""A small SVG writer for the documents' figures (the trend's chart, the roadmap's timeline).

Shapes and texts are appended to a :class:`Drawing` in painting order and written as one SVG
document: deterministic (same calls, same bytes; numbers rounded to a tenth), every text
escaped and made valid XML, in the maps' font (Liberation Sans, then Arial, Helvetica), and
named for assistive technologies (``role="img"``, a ``<title>`` and a ``<desc>``).

Why not matplotlib: the figures are a few lines and bars; drawing them here takes a millisecond
where matplotlib took 0.5 s to import and 0.1–0.5 s a figure — the largest part of a cold
atlas's own work once the chantiers each had their timeline.
"""

from __future__ import annotations

from html import escape

from cartographie.document.text import visible, xml_text

FONT = "Liberation Sans,Arial,Helvetica,sans-serif"


def _number(value: float) -> str:
    rounded = round(value, 1)
    return str(int(rounded)) if rounded == int(rounded) else f"{rounded:.1f}"


def _text(value: str) -> str:
    return escape(xml_text(visible(value)), quote=True)


class Drawing:
    """The elements of one figure, in painting order."""

    def __init__(self, width: float, height: float) -> None:
        self.width = width
        self.height = height
        self.parts: list[str] = []

    def rect(
        self,
        x: float,
        y: float,
        width: float,
        height: float,
        fill: str,
        stroke: str = "none",
        stroke_width: float = 1,
    ) -> None:
        self.parts.append(
            f'<rect x="{_number(x)}" y="{_number(y)}" width="{_number(width)}" '
            f'height="{_number(height)}" fill="{fill}" stroke="{stroke}" '
            f'stroke-width="{_number(stroke_width)}"/>'
        )

    def line(
        self,
        x1: float,
        y1: float,
        x2: float,
        y2: float,
        stroke: str,
        width: float = 1,
        dash: str = "",
        opacity: float = 1,
    ) -> None:
        extra = f' stroke-dasharray="{dash}"' if dash else ""
        extra += f' stroke-opacity="{_number(opacity)}"' if opacity != 1 else ""
        self.parts.append(
            f'<line x1="{_number(x1)}" y1="{_number(y1)}" x2="{_number(x2)}" y2="{_number(y2)}" '
            f'stroke="{stroke}" stroke-width="{_number(width)}"{extra}/>'
        )

    def polyline(self, points: list[tuple[float, float]], stroke: str, width: float = 1.5) -> None:
        if len(points) < 2:
            return
        coordinates = " ".join(f"{_number(x)},{_number(y)}" for x, y in points)
        self.parts.append(
            f'<polyline points="{coordinates}" fill="none" stroke="{stroke}" '
            f'stroke-width="{_number(width)}" stroke-linejoin="round"/>'
        )

    def polygon(self, points: list[tuple[float, float]], fill: str, stroke: str) -> None:
        coordinates = " ".join(f"{_number(x)},{_number(y)}" for x, y in points)
        self.parts.append(f'<polygon points="{coordinates}" fill="{fill}" stroke="{stroke}"/>')

    def circle(self, x: float, y: float, radius: float, fill: str) -> None:
        self.parts.append(
            f'<circle cx="{_number(x)}" cy="{_number(y)}" r="{_number(radius)}" fill="{fill}"/>'
        )

    def text(
        self,
        x: float,
        y: float,
        value: str,
        size: float = 11,
        anchor: str = "start",
        colour: str = "#1d2731",
        bold: bool = False,
        rotate: float = 0,
    ) -> None:
        weight = ' font-weight="bold"' if bold else ""
        turn = (
            f' transform="rotate({_number(rotate)} {_number(x)} {_number(y)})"' if rotate else ""
        )
        self.parts.append(
            f'<text x="{_number(x)}" y="{_number(y)}" font-size="{_number(size)}" '
            f'text-anchor="{anchor}" fill="{colour}"{weight}{turn}>{_text(value)}</text>'
        )

    def to_svg(self, title: str, description: str = "") -> str:
        """The whole SVG document, with its XML declaration."""
        head = (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{_number(self.width)}" '
            f'height="{_number(self.height)}" viewBox="0 0 {_number(self.width)} '
            f'{_number(self.height)}" role="img" font-family="{FONT}">\n'
            f"<title>{_text(title)}</title>\n"
        )
        if description:
            head += f"<desc>{_text(description)}</desc>\n"
        size = f'width="{_number(self.width)}" height="{_number(self.height)}"'
        head += f'<rect {size} fill="#ffffff"/>\n'
        return head + "\n".join(self.parts) + "\n</svg>\n"


def text_width(value: str, size: float) -> float:
    """An estimate of a text's width (Liberation Sans averages 0.52 em a character)."""
    return len(value) * size * 0.52


__all__ = ["FONT", "Drawing", "text_width"]

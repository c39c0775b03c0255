"""SVG to PNG and PDF, with the bundled font: the same bytes on every machine.

Graphviz lays a map out and writes SVG (either engine); this module turns that SVG into the
other formats with nothing but Python packages from pip — no Cairo, no system Graphviz:

- **PNG**: ``resvg-py``, the resvg renderer (Rust) in a self-contained wheel. It is given the
  bundled font and nothing else (system fonts are never loaded), so a map's PNG does not
  depend on what is installed on the machine.
- **PDF**: ``fpdf2``, a pure-Python PDF writer that reads SVG: the PDF stays vector (sharp at
  any zoom, printable at any size) and its text stays text (searchable, copyable), in the
  bundled font embedded as a subset.

The font is Liberation Sans (SIL Open Font License, ``fonts/LICENSE``): its metrics are those
of Arial and Helvetica, which Graphviz measures labels with, so text fits the boxes Graphviz
drew. The SVG names it first, then the fonts with the same metrics that browsers have
(:data:`SVG_FONT_FAMILIES`), so an SVG opened anywhere keeps its layout.
"""

from __future__ import annotations

import datetime
import functools
import logging
import os
import re
from importlib import resources
from pathlib import Path

from cartographie.render.styles import FONT

FONT_FILE = "LiberationSans-Regular.ttf"
# What the SVG says: Graphviz writes the DOT's fontname alone (a list would lose its metrics,
# it measures unknown names as Times), so the renderer adds the metric-compatible fallbacks.
SVG_FONT_FAMILIES = f"{FONT},Arial,Helvetica,sans-serif"
# CSS's reference pixel: 96 per inch, as browsers draw the SVG (Graphviz's unit is the point).
PNG_DPI = 96.0
# A PNG beyond this many pixels is drawn at a lower resolution (with a warning): 64 Mpx is
# 256 MB of RGBA in memory; the ville centre's map is 22 Mpx at 96 dpi.
MAX_PNG_PIXELS = 64_000_000
# A PDF carries a creation date; a map's PDF carries a fixed one so that its bytes depend on
# the map alone (SOURCE_DATE_EPOCH, the reproducible-builds convention, overrides it).
FIXED_DATE = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)

_GRAPHVIZ_FONT = re.compile(rb'font-family="' + re.escape(FONT.encode()) + rb'"')
_SIZE = re.compile(rb'<svg\b[^>]*?\bwidth="([0-9.]+)pt"[^>]*?\bheight="([0-9.]+)pt"', re.S)
# fpdf2 skips an element it does not know with everything inside it: Graphviz wraps every
# linked node in <a>, and its <title> elements are tooltips a page has no use for.
_LINK = re.compile(rb"<a\b[^>]*>|</a>")
_TITLE = re.compile(rb"<title>[^<]*</title>")
# fpdf2 draws a family it was not given with a PDF core font, which has no glyph beyond Latin-1
# (« œ » raises): every text is set in the bundled font, as the maps' are already.
_ANY_FONT = re.compile(rb'font-family="[^"]*"')
# fpdf2 knows no "transparent" colour; older Graphviz (Debian's 2.43) paints backgrounds with it.
_TRANSPARENT = re.compile(rb'\b(fill|stroke)="transparent"')


class ConversionError(Exception):
    """The SVG could not be converted (the renderer turns it into a ``RenderError``)."""


@functools.cache
def font_path() -> Path:
    """The bundled font file (inside the installed package)."""
    return Path(str(resources.files("cartographie.render") / "fonts" / FONT_FILE))


def name_fonts(svg: bytes) -> bytes:
    """The SVG with every text naming the bundled font, then its metric-compatible fallbacks."""
    return _GRAPHVIZ_FONT.sub(b'font-family="' + SVG_FONT_FAMILIES.encode() + b'"', svg)


def png_dpi(svg: bytes) -> tuple[float, str | None]:
    """The resolution to draw at, and a warning when a very large map had to be drawn lower."""
    size = _SIZE.search(svg[:4096])
    if size is None:
        return PNG_DPI, None
    width, height = (float(value) / 72 for value in size.groups())  # inches
    pixels = width * height * PNG_DPI * PNG_DPI
    if pixels <= MAX_PNG_PIXELS:
        return PNG_DPI, None
    dpi = float(int((MAX_PNG_PIXELS / (width * height)) ** 0.5))
    return dpi, (
        f"carte très grande : PNG dessiné à {dpi:.0f} ppp au lieu de {PNG_DPI:.0f} "
        "(le SVG et le PDF restent nets à toute échelle)"
    )


def svg_to_png(svg: bytes, dpi: float = PNG_DPI) -> bytes:
    """The PNG of an SVG, drawn with the bundled font only."""
    import resvg_py

    try:
        data = resvg_py.svg_to_bytes(
            svg_string=svg.decode("utf-8"),
            dpi=dpi,
            skip_system_fonts=True,
            font_files=[str(font_path())],
            font_family=FONT,
            sans_serif_family=FONT,
        )
    except (ValueError, RuntimeError, UnicodeDecodeError) as error:
        raise ConversionError(f"resvg : {error}") from None
    return bytes(data)


def svg_to_pdf(svg: bytes) -> bytes:
    """A one-page vector PDF of an SVG, the page the size of the drawing, text in the bundled
    font (embedded as a subset)."""
    from fpdf import FPDF
    from fpdf.errors import FPDFException
    from fpdf.svg import SVGObject

    # fpdf2 logs each glyph or attribute it cannot draw; the map is drawn all the same.
    logging.getLogger("fpdf").setLevel(logging.ERROR)
    try:
        drawing = SVGObject(for_fpdf(svg))
        width, height = drawing.width, drawing.height
        if not isinstance(width, float | int) or not isinstance(height, float | int):
            raise ConversionError("le SVG ne donne pas la taille de la carte")
        pdf = FPDF(unit="pt", format=(float(width), float(height)))
        pdf.set_creation_date(creation_date())
        pdf.set_creator("cartographie")
        pdf.add_font(FONT, fname=str(font_path()))
        pdf.set_margin(0)
        pdf.add_page()
        drawing.draw_to_page(pdf, 0, 0)
        return bytes(pdf.output())
    except (FPDFException, ValueError, TypeError, KeyError) as error:
        raise ConversionError(f"fpdf2 : {error}") from None


def for_fpdf(svg: bytes) -> bytes:
    """The SVG as fpdf2 can draw all of it (links unwrapped, tooltips, colours and fonts)."""
    unlinked = _LINK.sub(lambda link: b"</g>" if link[0] == b"</a>" else b"<g>", svg)
    cleaned = _TRANSPARENT.sub(rb'\1="none"', _TITLE.sub(b"", unlinked))
    return _ANY_FONT.sub(b'font-family="' + FONT.encode() + b'"', cleaned)


def creation_date() -> datetime.datetime:
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.isdigit():
        return datetime.datetime.fromtimestamp(int(epoch), tz=datetime.UTC)
    return FIXED_DATE

"""The engines: embedded (cached module, time bound), system, fallback, formats."""

from __future__ import annotations

import builtins
import re
import shutil
import struct
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from cartographie.render import convert, engines
from cartographie.render.engines import (
    EngineUnavailableError,
    RenderError,
    RenderTimeoutError,
    compiled_module_path,
    render_source,
)
from cartographie.render.watchdog import Watchdog

SIMPLE = 'digraph { a -> b [xlabel="é"]; b [label="Bœuf & <co>"] }'
HAS_DOT = shutil.which("dot") is not None
needs_dot = pytest.mark.skipif(
    not HAS_DOT, reason="Graphviz's dot is not on the PATH (CI installs Debian's graphviz)"
)


def big_graph(nodes: int = 1500, edges: int = 5000) -> str:
    # Deterministic pseudo-random wiring: dot needs far more than a tenth of a second for it.
    lines = [
        f"n{(index * 7919) % nodes} -> n{(index * 104729 + 13) % nodes}" for index in range(edges)
    ]
    return "digraph { " + "; ".join(lines) + " }"


def test_embedded_renders_svg_and_caches_its_module(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CARTOGRAPHIE_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(engines, "_embedded", None)
    result = render_source(SIMPLE, "svg", "embarque")
    assert result.engine == "embarque" and result.data.startswith(b"<?xml")
    assert b"B\xc5\x93uf &amp; &lt;co&gt;" in result.data
    cached = compiled_module_path()
    assert cached.is_file() and cached.parent == tmp_path / "cache"
    # Machine code: private to the user, in a private folder.
    assert cached.stat().st_mode & 0o077 == 0 and cached.parent.stat().st_mode & 0o077 == 0
    # A new engine (another process, say) loads the cached module instead of compiling it.
    monkeypatch.setattr(engines, "_embedded", None)
    assert render_source(SIMPLE, "svg", "auto").data == result.data


def test_a_torn_cache_file_is_compiled_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CARTOGRAPHIE_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(engines, "_embedded", None)
    cached = compiled_module_path()
    cached.parent.mkdir(mode=0o700)
    cached.write_bytes(b"not a module")
    assert render_source(SIMPLE, "svg", "embarque").engine == "embarque"
    assert cached.stat().st_size > 1000


def test_auto_is_the_embedded_engine() -> None:
    assert render_source(SIMPLE, "svg", "auto").engine == "embarque"


def test_dot_format_gives_coordinates() -> None:
    assert b"pos=" in render_source(SIMPLE, "dot", "embarque").data


def test_a_graphviz_error_is_a_clear_message() -> None:
    with pytest.raises(RenderError, match="Graphviz"):
        render_source("digraph { a -> ", "svg", "embarque")


def test_embedded_render_time_is_bounded() -> None:
    with pytest.raises(RenderTimeoutError, match="dépassé"):
        render_source(big_graph(), "svg", "embarque", timeout=0.2)
    # The engine is still usable after the trap.
    assert render_source(SIMPLE, "svg", "embarque").engine == "embarque"
    # A long render armed after short ones, and a short one after a long one, are each
    # bounded by their own time (one watchdog thread serves them all).
    for timeout in (120.0, 0.2):
        assert render_source(SIMPLE, "svg", "embarque", timeout=timeout).engine == "embarque"
    with pytest.raises(RenderTimeoutError, match=r"0\.3 s"):
        render_source(big_graph(), "svg", "embarque", timeout=0.3)


def test_the_watchdog_interrupts_only_a_render_past_its_time() -> None:
    fired = threading.Event()
    watchdog = Watchdog(fired.set)
    watchdog.arm(0.05)
    assert fired.wait(10)  # past its time: interrupted
    fired.clear()
    watchdog.arm(60.0)
    watchdog.disarm()  # done in time: never interrupted, even once its old deadline is due
    watchdog.arm(0.05)  # a shorter deadline than the thread's wait wakes it
    assert fired.wait(10)
    fired.clear()
    watchdog.arm(0.01)
    watchdog.disarm()
    assert not fired.wait(0.2)


def test_unknown_engine_or_format() -> None:
    with pytest.raises(RenderError):
        render_source(SIMPLE, "svg", "cairo")
    with pytest.raises(RenderError):
        render_source(SIMPLE, "gif", "auto")


def test_system_engine_missing_falls_back_with_a_warning(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")
    result = render_source(SIMPLE, "svg", "systeme")
    assert result.engine == "embarque"
    assert any("n'est pas installé" in warning for warning in result.warnings)
    with pytest.raises(EngineUnavailableError):
        engines.SystemEngine()


def test_system_engine_failure_falls_back_with_a_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A dot that fails like Debian's 2.43 does on edge labels ("trouble in init_rank").
    fake = tmp_path / "dot"
    fake.write_text("#!/bin/sh\necho 'Error: trouble in init_rank' >&2\nexit 1\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path))
    result = render_source(SIMPLE, "svg", "systeme")
    assert result.engine == "embarque"
    assert any("trouble in init_rank" in warning for warning in result.warnings)


def test_system_engine_time_is_bounded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake = tmp_path / "dot"
    fake.write_text("#!/bin/sh\nexec sleep 30\n")
    fake.chmod(0o755)
    with pytest.raises(RenderTimeoutError):
        engines.SystemEngine(str(fake)).render(SIMPLE, "svg", 0.3)


@needs_dot
def test_system_engine_renders() -> None:
    result = render_source(SIMPLE, "svg", "systeme")
    assert result.engine == "systeme" and b"<svg" in result.data


@needs_dot
@pytest.mark.parametrize("fmt, magic", [("png", b"\x89PNG"), ("pdf", b"%PDF")])
def test_system_engine_png_and_pdf(fmt: str, magic: bytes) -> None:
    # Laid out by the system's dot, converted with the bundled font like the embedded engine's.
    result = render_source(SIMPLE, fmt, "systeme")
    assert result.engine == "systeme" and result.warnings == []
    assert result.data.startswith(magic)


def png_size(data: bytes) -> tuple[int, int]:
    assert data.startswith(b"\x89PNG\r\n\x1a\n") and data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def svg_size_pt(svg: bytes) -> tuple[float, float]:
    found = re.search(rb'<svg width="([0-9.]+)pt" height="([0-9.]+)pt"', svg)
    assert found is not None
    return float(found[1]), float(found[2])


def without_module(monkeypatch: pytest.MonkeyPatch, blocked: str) -> None:
    real_import = builtins.__import__

    def refuse(name: str, *args: object, **kwargs: object) -> object:
        if name.split(".", maxsplit=1)[0] == blocked:
            raise ImportError(f"No module named {name!r}", name=name)
        return real_import(name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(builtins, "__import__", refuse)


def test_png_and_pdf_need_neither_cairo_nor_a_system_graphviz(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    without_module(monkeypatch, "cairosvg")
    monkeypatch.setenv("PATH", "/nonexistent")
    svg = render_source(SIMPLE, "svg", "auto").data
    png = render_source(SIMPLE, "png", "auto")
    assert png.engine == "embarque" and png.warnings == []
    width, height = svg_size_pt(svg)
    # Graphviz's points drawn at CSS's 96 pixels per inch.
    assert png_size(png.data) == (round(width * 96 / 72), round(height * 96 / 72))
    pdf = render_source(SIMPLE, "pdf", "auto")
    assert pdf.engine == "embarque" and pdf.data.startswith(b"%PDF-")
    assert pdf.data.rstrip().endswith(b"%%EOF")


def test_png_and_pdf_are_the_same_bytes_every_time() -> None:
    for fmt in ("png", "pdf"):
        first = render_source(SIMPLE, fmt, "embarque").data
        assert render_source(SIMPLE, fmt, "embarque").data == first, fmt


def test_the_svg_names_the_bundled_font_then_fonts_with_its_metrics() -> None:
    svg = render_source('digraph { a [fontname="Liberation Sans" label="Aé"] }').data
    assert b'font-family="Liberation Sans,Arial,Helvetica,sans-serif"' in svg
    assert b'font-family="Liberation Sans"' not in svg


def test_png_uses_the_bundled_font_and_never_a_system_one() -> None:
    """Only the bundled font is loaded: a text naming a font the system has (Debian's DejaVu
    Sans, here) is drawn exactly as the same text naming the bundled font."""
    svg = render_source('digraph { a [fontname="Liberation Sans" label="Carte é œ"] }').data
    assert convert.svg_to_png(svg.replace(b"Liberation Sans,", b"DejaVu Sans,")) == (
        convert.svg_to_png(svg)
    )
    assert convert.font_path().is_file()
    assert (convert.font_path().parent / "LICENSE").read_text().count("Open Font License") >= 1


def test_pdf_is_vector_with_its_text_in_the_embedded_font() -> None:
    svg = render_source('digraph { a [fontname="Liberation Sans" label="Écoles"] }').data
    pdf = render_source('digraph { a [fontname="Liberation Sans" label="Écoles"] }', "pdf").data
    width, height = svg_size_pt(svg)
    box = re.search(rb"/MediaBox \[0 0 ([0-9.]+) ([0-9.]+)\]", pdf)
    assert box is not None and (float(box[1]), float(box[2])) == (width, height)
    assert b"/FontFile2" in pdf and b"LiberationSans" in pdf  # the font travels with the page
    assert b"/Subtype /Image" not in pdf  # drawn, not a picture of the map


def test_text_beyond_the_font_and_older_graphviz_svg_still_convert() -> None:
    # Glyphs the font lacks, a font no one registered (Times, Graphviz's default), and Debian
    # 2.43's "transparent" colour: converted all the same, never an error.
    svg = (
        b'<svg width="100pt" height="40pt" viewBox="0 0 100 40" '
        b'xmlns="http://www.w3.org/2000/svg">'
        b'<polygon fill="white" stroke="transparent" points="0,0 100,0 100,40 0,40"/>'
        b'<text x="4" y="20" font-family="Times,serif" font-size="10">\xe6\xbc\xa2 '
        b"\xf0\x9f\x98\x80 \xc5\x93</text></svg>"
    )
    assert convert.svg_to_pdf(svg).startswith(b"%PDF-")
    assert png_size(convert.svg_to_png(svg)) == (133, 53)


def test_a_very_large_png_is_drawn_at_a_lower_resolution(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(convert, "MAX_PNG_PIXELS", 10_000)
    result = render_source(SIMPLE, "png", "embarque")
    assert any("PNG dessiné à" in warning for warning in result.warnings)
    width, height = png_size(result.data)
    assert width * height <= 10_000


def test_a_broken_installation_says_what_is_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    without_module(monkeypatch, "resvg_py")
    with pytest.raises(EngineUnavailableError, match="resvg_py"):
        render_source(SIMPLE, "png", "embarque")
    without_module(monkeypatch, "fpdf")
    with pytest.raises(EngineUnavailableError, match="fpdf"):
        render_source(SIMPLE, "pdf", "embarque")


def test_a_render_worker_starts_light() -> None:
    """A render worker imports what drawing needs: not file writing, ``subprocess`` or
    ``importlib.metadata`` (its parent gives it the compiled module's path). Each would cost
    every worker of every atlas its start-up time."""
    engines.warm_cache()  # the module compiled: a worker only loads it
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "import cartographie.render.worker\n"
        "from cartographie.render import engines\n"
        f"engines.use_compiled_module(Path({str(compiled_module_path())!r}))\n"
        "engines.embedded_engine()\n"
        "heavy = ('subprocess', 'importlib.metadata', 'cartographie.files')\n"
        "print(' '.join(name for name in heavy if name in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert result.stdout.split() == []

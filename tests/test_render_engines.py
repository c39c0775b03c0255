"""The engines: embedded (cached module, time bound), system, fallback, formats."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from cartographie.render import engines
from cartographie.render.engines import (
    EngineUnavailableError,
    RenderError,
    RenderTimeoutError,
    compiled_module_path,
    render_source,
)

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
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setattr(engines, "_embedded", None)
    result = render_source(SIMPLE, "svg", "embarque")
    assert result.engine == "embarque" and result.data.startswith(b"<?xml")
    assert b"B\xc5\x93uf &amp; &lt;co&gt;" in result.data
    cached = compiled_module_path()
    assert cached.is_file() and cached.parent == tmp_path / "cartographie"
    # A new engine (another process, say) loads the cached module instead of compiling it.
    monkeypatch.setattr(engines, "_embedded", None)
    assert render_source(SIMPLE, "svg", "auto").data == result.data


def test_a_torn_cache_file_is_compiled_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setattr(engines, "_embedded", None)
    cached = compiled_module_path()
    cached.parent.mkdir(parents=True)
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
    assert render_source(SIMPLE, fmt, "systeme").data.startswith(magic)


def test_png_without_cairosvg_nor_dot_is_a_clear_message(monkeypatch: pytest.MonkeyPatch) -> None:
    import builtins

    real_import = builtins.__import__

    def no_cairosvg(name: str, *args: object, **kwargs: object) -> object:
        if name == "cairosvg":
            raise ImportError(name)
        return real_import(name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(builtins, "__import__", no_cairosvg)
    monkeypatch.setenv("PATH", "/nonexistent")
    with pytest.raises(EngineUnavailableError, match="cairosvg"):
        render_source(SIMPLE, "png", "embarque")

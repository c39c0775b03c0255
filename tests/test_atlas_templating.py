"""The atlas's pages as :class:`PageRenderer` makes them: the frame of ``base.html`` once per
depth, the content alone, a map's SVG put in its slot — the same bytes as jinja2 rendering the
whole page."""

from __future__ import annotations

import json
import os
from pathlib import Path

import jinja2
import pytest

from cartographie.atlas.templating import (
    COMPILED_FILE,
    PageRenderer,
    environment,
    fingerprint,
    precompiled_templates,
)

TEMPLATES = Path(__file__).resolve().parents[1] / "cartographie" / "atlas" / "templates"
REFRESH = os.environ.get("CARTOGRAPHIE_GOLDEN", "") not in ("", "0")

HOSTILE = 'Appli "<b>gras</b>" & Cie </svg><script>alert(1)</script>'
SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg">'
    '<a href="../blocs/x.html"><text>É &amp; ü</text></a></svg>'
)


def both(name: str, root: str, svg: str | None, **context: object) -> tuple[bytes, bytes]:
    renderer = PageRenderer(metropole=HOSTILE, moment="1er mars 2024")
    fast = renderer.render(name, root, svg, dict(context))
    whole = renderer.render_reference(name, root, svg, dict(context))
    return fast, whole


def link(kind: str, object_id: str) -> str:
    return f"{kind}/{object_id}.html"


def test_a_page_with_a_map_at_each_depth_is_the_page_jinja2_renders_whole() -> None:
    for root in ("", "../", "../../"):
        fast, whole = both(
            "processus.html",
            root,
            SVG,
            title=HOSTILE,
            process_id="p",
            description=HOSTILE,
            steps=[],
            commune="",
            communes=[{"id": "p/c", "name": HOSTILE}],
            link=link,
            svg_file="p.svg",
        )
        assert fast == whole
        assert SVG.encode() in fast and b"<script>" not in fast
        assert f'data-racine="{root}"'.encode() in fast
        # The title (twice), the métropole, the description, a commune: each escaped.
        assert fast.count(b"&lt;b&gt;gras") == 5


def test_a_page_without_a_map_is_the_page_jinja2_renders_whole() -> None:
    fast, whole = both(
        "rapport.html", "../", None, title=HOSTILE, description="d", body="<p>", trail="Rapport"
    )
    assert fast == whole
    assert b"&lt;p&gt;" in fast  # a text, not markup


def test_the_precompiled_templates_are_those_of_the_templates_as_they_are() -> None:
    """``templates/compiled.json`` holds what jinja2 makes of each template (a template that
    does not match is compiled from its source: never a stale page, only a slower one).
    Refresh it with ``CARTOGRAPHIE_GOLDEN=1`` after editing a template."""
    path = TEMPLATES / COMPILED_FILE
    expected = precompiled_templates()
    if REFRESH:
        path.write_text(expected, encoding="utf-8")
    recorded = json.loads(path.read_text(encoding="utf-8"))
    versions = {entry["jinja2"] for entry in recorded.values()}
    if versions != {jinja2.__version__}:
        pytest.skip(f"compiled by jinja2 {versions}, running {jinja2.__version__}")
    assert path.read_text(encoding="utf-8") == expected, (
        "a template changed: CARTOGRAPHIE_GOLDEN=1 python -m pytest tests/test_atlas_templating.py"
    )


def load_with_precompiled(
    monkeypatch: pytest.MonkeyPatch, name: str, empreinte: str | None, code: str
) -> jinja2.Template:
    """The template ``name`` loaded with this precompiled code (recorded with the template's
    fingerprint, or with ``empreinte``)."""
    from cartographie.atlas import templating

    env = environment()
    source = env.loader.get_source(env, name)[0]  # type: ignore[union-attr]
    entry = {"empreinte": empreinte or fingerprint(env, name, source), "code": code}
    monkeypatch.setattr(templating, "_precompiled", lambda: {name: entry})
    return env.loader.load(env, name, env.make_globals(None))  # type: ignore[union-attr]


def test_a_template_that_is_not_the_precompiled_one_is_compiled_from_its_source(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    loaded = load_with_precompiled(monkeypatch, "rapport.html", "autre", "1/0")
    page = loaded.render(
        title="T", description="D", body="B", trail="R", root="", metropole="M", moment="", svg=None
    )
    assert "<h1>T</h1>" in page


def test_a_template_that_matches_is_rendered_by_its_precompiled_code(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    code = environment().compile("précompilé {{ 1 + 1 }}", "recherche.html", raw=True)
    loaded = load_with_precompiled(monkeypatch, "recherche.html", None, code)
    assert loaded.render() == "précompilé 2"

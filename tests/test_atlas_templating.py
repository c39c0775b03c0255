"""The atlas's pages as :class:`PageRenderer` makes them: the frame of ``base.html`` once per
depth, the content alone, a map's SVG put in its slot — the same bytes as jinja2 rendering the
whole page."""

from __future__ import annotations

from cartographie.atlas.templating import PageRenderer

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

"""How an atlas page is rendered from its template: the frame once per depth, the content alone.

Every page template extends ``base.html``: the head, the style sheet, the navigation and the
search box, the same on every page but for the page's title and its depth in the atlas's
folders (the links go up to the root). Rendered page by page, that frame cost as much as the
pages' own content: each of its chunks went up through the child template's generator, then
the base's, and each ``{{ root }}`` was escaped anew, 1,700 times.

:class:`PageRenderer` renders the frame once per depth, cut at two slots (the title and the
content) and encoded once; a page is then its content block alone (jinja2's low-level API:
:attr:`jinja2.Template.blocks` and :meth:`jinja2.Template.new_context`) put between the frame's
pieces. A map's SVG (up to megabytes) goes the same way: the template renders a slot where it
stands, and the page's bytes take the SVG encoded once — not copied by each ``Markup`` and
``escape`` on its way through the ``carte`` macro. :meth:`PageRenderer.render_reference`
renders the same page the plain way (``Template.render``): the tests check both give the same
bytes for every page of an atlas.

Templates come compiled beforehand (``templates/compiled.json``: the Python code jinja2 makes
of each template, ~40 ms a cold atlas no longer spends in jinja2's lexer, parser and code
generator), each with the fingerprint of what it was compiled from: the template's source, the
jinja2 version and the environment's options. A template whose fingerprint does not match (an
edited template, another jinja2) is compiled from its source as usual, so the file can never
make a page stale; ``tests/test_atlas_templating.py`` says when it should be written again
(``CARTOGRAPHIE_GOLDEN=1``, as the golden files).

The slots start with a NUL character: no text reaches a page with one (``clean`` and the
reports' ``visible`` turn control characters into spaces or ``\\x00``), so no name can pose as
a slot.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Callable, MutableMapping
from importlib import resources
from typing import Any

import jinja2
from jinja2 import Environment, PackageLoader, StrictUndefined, Template, select_autoescape
from markupsafe import Markup, escape

from cartographie.document.htmlpage import stylesheet
from cartographie.document.numbers import euros, integer
from cartographie.views.text import clean, percent

_TITLE_SLOT = "\x00titre\x00"
_CONTENT_SLOT = "\x00contenu\x00"
_MAP_SLOT = "\x00carte\x00"
_MAP_SLOT_BYTES = _MAP_SLOT.encode("utf-8")
# base.html with a slot for the content of the page.
_FRAME_SOURCE = '{% extends "base.html" %}{% block content %}{{ contenu }}{% endblock %}'


COMPILED_FILE = "compiled.json"


class _PrecompiledLoader(PackageLoader):
    """The package's templates, from their precompiled code when it was compiled from what
    they are now; else compiled from their source (what :class:`PackageLoader` does)."""

    def __init__(self) -> None:
        super().__init__("cartographie.atlas", "templates")

    def load(
        self,
        environment: Environment,
        name: str,
        globals: MutableMapping[str, Any] | None = None,
    ) -> Template:
        source, filename, uptodate = self.get_source(environment, name)
        found = _precompiled().get(name)
        if found is None or found["empreinte"] != fingerprint(environment, name, source):
            return super().load(environment, name, globals)
        code = compile(found["code"], filename or name, "exec")
        return environment.template_class.from_code(environment, code, globals or {}, uptodate)


@functools.cache
def _precompiled() -> dict[str, dict[str, str]]:
    try:
        text = resources.files("cartographie.atlas").joinpath("templates", COMPILED_FILE)
        found = json.loads(text.read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return found if isinstance(found, dict) else {}


def fingerprint(environment: Environment, name: str, source: str) -> str:
    """What the code jinja2 makes of a template depends on: its source, jinja2's version, the
    environment's syntax options and whether the template is autoescaped."""
    autoescape = environment.autoescape
    escaped = autoescape(name) if callable(autoescape) else autoescape
    options = (
        jinja2.__version__,
        environment.block_start_string,
        environment.block_end_string,
        environment.variable_start_string,
        environment.variable_end_string,
        environment.comment_start_string,
        environment.comment_end_string,
        environment.line_statement_prefix,
        environment.line_comment_prefix,
        environment.trim_blocks,
        environment.lstrip_blocks,
        environment.newline_sequence,
        environment.keep_trailing_newline,
        environment.optimized,
        tuple(sorted(environment.extensions)),
        escaped,
    )
    return hashlib.blake2b(f"{options!r}\x00{source}".encode(), digest_size=16).hexdigest()


def precompiled_templates() -> str:
    """The content of ``templates/compiled.json``: every page template's code, as jinja2
    compiles it in this environment, with its fingerprint."""
    env = environment()
    found = {}
    for name in sorted(env.list_templates(filter_func=_is_template)):
        source = env.loader.get_source(env, name)[0]  # type: ignore[union-attr]
        found[name] = {
            "empreinte": fingerprint(env, name, source),
            "jinja2": jinja2.__version__,
            "code": env.compile(source, name, raw=True),
        }
    return json.dumps(found, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


_is_template: Callable[[str], bool] = lambda name: name.endswith(".html")  # noqa: E731


@functools.cache
def environment() -> Environment:
    """The templates' environment, one per process: compiling the templates costs ~50 ms,
    which a second atlas in the same process (a test, a benchmark) need not pay again.
    Templates are package files: they do not change while the process runs, so they are not
    checked on disk before each page either (``auto_reload=False``)."""
    env = Environment(
        loader=_PrecompiledLoader(),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
    )
    env.filters["percent"] = percent
    env.filters["integer"] = integer  # 1 190, as every report writes it
    env.filters["clean"] = clean
    env.filters["euros"] = lambda amount: euros(amount) if amount is not None else ""
    # One style sheet for the atlas and the reports written as HTML files.
    env.globals["stylesheet"] = Markup(stylesheet())
    return env


@functools.cache
def _frame_template() -> Template:
    return environment().from_string(_FRAME_SOURCE)


class PageRenderer:
    """Renders the atlas's pages: the frame of ``base.html`` made once per depth, each page's
    content block alone. ``frame`` holds what the frame shows besides the title and the depth
    (the métropole's name, the atlas's date); each page's context gets it too."""

    def __init__(self, **frame: Any) -> None:
        self.env = environment()
        self.frame = frame
        self._frames: dict[str, tuple[bytes, bytes, bytes]] = {}
        self._templates: dict[str, Template] = {}

    def template(self, name: str) -> Template:
        found = self._templates.get(name)
        if found is None:
            found = self._templates[name] = self.env.get_template(name)
        return found

    def _frame(self, root: str) -> tuple[bytes, bytes, bytes]:
        """base.html at this depth (``root``: the way up to the atlas's root), cut before the
        title, between the title and the content, and after the content."""
        found = self._frames.get(root)
        if found is None:
            html = _frame_template().render(
                self.frame, root=root, title=Markup(_TITLE_SLOT), contenu=Markup(_CONTENT_SLOT)
            )
            head, rest = html.split(_TITLE_SLOT)
            middle, tail = rest.split(_CONTENT_SLOT)
            found = self._frames[root] = (
                head.encode("utf-8"),
                middle.encode("utf-8"),
                tail.encode("utf-8"),
            )
        return found

    def render(self, name: str, root: str, svg: str | None, context: dict[str, Any]) -> bytes:
        """The page's bytes: ``context`` for the template ``name`` (its ``title`` in the
        frame too), the page ``root`` away from the atlas's root, showing the map ``svg``."""
        template = self.template(name)
        context.update(self.frame, root=root, svg=Markup(_MAP_SLOT) if svg else None)
        try:
            body = "".join(template.blocks["content"](template.new_context(context)))
        except Exception:
            self.env.handle_exception()  # the template's line in the traceback, as render's
        head, middle, tail = self._frame(root)
        content = body.encode("utf-8")
        if svg:
            content = svg.encode("utf-8").join(content.split(_MAP_SLOT_BYTES))
        return b"".join((head, escape(context["title"]).encode("utf-8"), middle, content, tail))

    def render_reference(
        self, name: str, root: str, svg: str | None, context: dict[str, Any]
    ) -> bytes:
        """The same page rendered whole by jinja2 (the tests' reference)."""
        context.update(self.frame, root=root, svg=Markup(svg) if svg is not None else None)
        return self.template(name).render(context).encode("utf-8")


__all__ = ["COMPILED_FILE", "PageRenderer", "environment", "fingerprint", "precompiled_templates"]

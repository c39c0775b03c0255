"""The one renderer: views to DOT (:mod:`.dot`), DOT to SVG, PNG or PDF (:mod:`.engines`).

``to_dot`` and ``dot_id`` load :mod:`.dot` (and with it the views and the graph) on first use:
a worker of the atlas's pool imports only the engines (:mod:`.batch`), and starts faster.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cartographie.render.engines import (
    ENGINE_NAMES,
    OUTPUT_FORMATS,
    EngineUnavailableError,
    RenderError,
    RenderResult,
    RenderTimeoutError,
    render_source,
)
from cartographie.render.files import safe_filename

if TYPE_CHECKING:
    from cartographie.render.dot import dot_id, to_dot

__all__ = [
    "ENGINE_NAMES",
    "OUTPUT_FORMATS",
    "EngineUnavailableError",
    "RenderError",
    "RenderResult",
    "RenderTimeoutError",
    "dot_id",
    "render_source",
    "safe_filename",
    "to_dot",
]


def __getattr__(name: str) -> Any:
    if name in ("dot_id", "to_dot"):
        from cartographie.render import dot

        return getattr(dot, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

"""The one renderer: views to DOT (:mod:`.dot`), DOT to SVG, PNG or PDF (:mod:`.engines`)."""

from cartographie.render.dot import dot_id, to_dot
from cartographie.render.engines import (
    ENGINE_NAMES,
    OUTPUT_FORMATS,
    EngineUnavailableError,
    RenderError,
    RenderResult,
    RenderTimeoutError,
    render_source,
)
from cartographie.render.files import atomic_write, safe_filename

__all__ = [
    "ENGINE_NAMES",
    "OUTPUT_FORMATS",
    "EngineUnavailableError",
    "RenderError",
    "RenderResult",
    "RenderTimeoutError",
    "atomic_write",
    "dot_id",
    "render_source",
    "safe_filename",
    "to_dot",
]

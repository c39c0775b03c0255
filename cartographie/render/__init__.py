"""The one renderer: views to DOT (:mod:`.dot`), DOT to SVG, PNG or PDF (:mod:`.engines`).

Everything loads on first use (PEP 562): the command line lists the engines and formats
(:mod:`.names`) without loading the engines, and a worker of the atlas's pool imports only the
engines (:mod:`.batch`), not :mod:`.dot` with the views and the graph.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from cartographie.render.dot import dot_id, to_dot
    from cartographie.render.engines import (
        EngineUnavailableError,
        RenderError,
        RenderResult,
        RenderTimeoutError,
        render_source,
    )
    from cartographie.render.files import safe_filename
    from cartographie.render.names import ENGINE_NAMES, OUTPUT_FORMATS

_WHERE = {
    "ENGINE_NAMES": "names",
    "OUTPUT_FORMATS": "names",
    "EngineUnavailableError": "engines",
    "RenderError": "engines",
    "RenderResult": "engines",
    "RenderTimeoutError": "engines",
    "render_source": "engines",
    "safe_filename": "files",
    "dot_id": "dot",
    "to_dot": "dot",
}
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
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"cartographie.render.{module}"), name)

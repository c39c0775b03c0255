"""Rendering many maps: one job per map, run inline or by the workers of a process pool.

A job carries either a DOT source, or a view and its links, which the worker turns into DOT
itself (a cold atlas: the parent process has pages to write meanwhile). The embedded engine
loads its compiled module from the on-disk cache, once per worker.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from cartographie.render.engines import RenderError, render_source
from cartographie.render.files import atomic_write

if TYPE_CHECKING:
    from cartographie.views.model import Ref, View

# Bump when the renderer changes what a DOT source becomes (forces a full re-render).
RENDER_GENERATION = "1"


def dot_digest(source: str, engine: str) -> str:
    """The identity of a map's drawing: its DOT source and the engine that draws it."""
    return hashlib.sha256(
        f"{RENDER_GENERATION}|{engine}|".encode() + source.encode("utf-8")
    ).hexdigest()


@dataclass(frozen=True)
class RenderJob:
    key: str  # the map's path in the atlas, relative ("communes/ville-centre.svg")
    target: str  # absolute path to write
    source: str  # DOT; empty when the worker makes it from ``view``
    engine: str
    timeout: float
    view: View | None = None
    urls: tuple[tuple[Ref, str], ...] = ()  # the view's links, resolved by the caller


@dataclass(frozen=True)
class RenderOutcome:
    key: str
    seconds: float
    engine: str
    warnings: tuple[str, ...]
    error: str | None = None
    digest: str = ""  # dot_digest of the source drawn


def run_job(job: RenderJob) -> RenderOutcome:
    """Render one map and write it atomically; a Graphviz failure is an outcome, not a crash."""
    source = job.source
    if job.view is not None:
        from cartographie.render.dot import to_dot

        urls = dict(job.urls)
        source = to_dot(job.view, urls.get)
    digest = dot_digest(source, job.engine)
    try:
        result = render_source(source, "svg", job.engine, job.timeout)
        atomic_write(Path(job.target), result.data)
    except RenderError as error:
        return RenderOutcome(job.key, 0.0, job.engine, (), str(error), digest)
    except OSError as error:
        message = f"écriture impossible : {error.strerror or error}"
        return RenderOutcome(job.key, 0.0, job.engine, (), message, digest)
    return RenderOutcome(
        job.key, result.seconds, result.engine, tuple(result.warnings), None, digest
    )

"""Rendering many maps: one job per map, run in this process or by a worker of the pool.

A job carries a map's DOT source and where to write its SVG; its outcome says how it went and,
when asked, carries the SVG ready to sit in an HTML page (:func:`svg_markup`), so that the page
that shows the map needs no second read of the file. The embedded engine loads its compiled
module from the on-disk cache, once per process.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from cartographie.files import write_file_atomic
from cartographie.render.engines import RenderError, render_source

# Bump when the renderer changes what a DOT source becomes (forces a full re-render).
RENDER_GENERATION = "2"

_PROLOGUE = re.compile(r"^.*?(?=<svg\b)", re.S)
_COMMENT = re.compile(r"<!--.*?-->", re.S)


def dot_digest(source: str, engine: str) -> str:
    """The identity of a map's drawing: its DOT source and the engine that draws it."""
    return hashlib.sha256(
        f"{RENDER_GENERATION}|{engine}|".encode() + source.encode("utf-8")
    ).hexdigest()


def svg_markup(svg: str) -> str:
    """An SVG file's markup ready to sit in an HTML page: XML prologue, doctype and comments
    removed (Graphviz escapes every text it writes, so the rest is trusted markup)."""
    return _COMMENT.sub("", _PROLOGUE.sub("", svg, count=1)).strip()


@dataclass(frozen=True)
class RenderJob:
    key: str  # the map's path in the atlas, relative ("communes/ville-centre.svg")
    target: str  # absolute path to write
    source: str  # DOT
    engine: str
    timeout: float
    markup: bool = False  # return the SVG as page markup in the outcome


@dataclass(frozen=True)
class RenderOutcome:
    key: str
    seconds: float
    engine: str
    warnings: tuple[str, ...]
    error: str | None = None
    digest: str = ""  # dot_digest of the source drawn
    markup: str | None = None  # the SVG for a page (``svg_markup``), when the job asked


def run_job(job: RenderJob) -> RenderOutcome:
    """Render one map and write it atomically; a Graphviz failure is an outcome, not a crash."""
    digest = dot_digest(job.source, job.engine)
    try:
        result = render_source(job.source, "svg", job.engine, job.timeout)
        write_file_atomic(Path(job.target), result.data)
    except RenderError as error:
        return RenderOutcome(job.key, 0.0, job.engine, (), str(error), digest)
    except OSError as error:
        message = f"écriture impossible : {error.strerror or error}"
        return RenderOutcome(job.key, 0.0, job.engine, (), message, digest)
    return RenderOutcome(
        job.key,
        result.seconds,
        result.engine,
        tuple(result.warnings),
        None,
        digest,
        svg_markup(result.data.decode("utf-8")) if job.markup else None,
    )

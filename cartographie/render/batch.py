"""Rendering many maps: one job per map, drawn in this process or by a worker of the pool.

A job carries a map's DOT source and where to write its SVG. Drawing (:func:`draw_job`) and
writing (:func:`save_outcome`) are two steps: a worker process only draws and sends the SVG back,
and this process writes it — so a worker never writes a file, and one that outlives its parent
for a moment has nothing to write to. The outcome then carries, when asked, the SVG ready to sit
in an HTML page (:func:`svg_markup`), so that the page that shows the map needs no second read
of the file. The embedded engine loads its compiled module from the on-disk cache, once per
process.
"""

from __future__ import annotations

import hashlib
import re
import time
from dataclasses import dataclass, replace
from pathlib import Path

from cartographie.render.engines import RenderError, render_source

# Bump when the renderer changes what a DOT source becomes (forces a full re-render).
RENDER_GENERATION = "2"

_SVG_START = re.compile(r"<svg\b")


def dot_digest(source: str, engine: str) -> str:
    """The identity of a map's drawing: its DOT source and the engine that draws it."""
    return hashlib.sha256(
        f"{RENDER_GENERATION}|{engine}|".encode() + source.encode("utf-8")
    ).hexdigest()


def svg_markup(svg: str) -> str:
    """An SVG file's markup ready to sit in an HTML page: XML prologue, doctype and comments
    removed (Graphviz escapes every text it writes, so the rest is trusted markup).

    Found with ``str.find`` rather than regular expressions (the prologue's lazy match tried
    every character before ``<svg``): a cold atlas's 14 MB of maps, in half the time."""
    start = _SVG_START.search(svg)
    if start is not None:
        svg = svg[start.start() :]
    kept: list[str] = []
    position = 0
    while (opening := svg.find("<!--", position)) != -1:
        closing = svg.find("-->", opening + 4)
        if closing == -1:
            break  # not a comment: kept as it is
        kept.append(svg[position:opening])
        position = closing + 3
    kept.append(svg[position:])
    return "".join(kept).strip()


@dataclass(frozen=True)
class RenderJob:
    key: str  # the map's path in the atlas, relative ("communes/ville-centre.svg")
    target: str  # absolute path to write
    source: str  # DOT
    engine: str
    timeout: float
    markup: bool = False  # return the SVG as page markup in the outcome
    digest: str = ""  # dot_digest of the source, when the caller has it (not made again)


@dataclass(frozen=True)
class RenderOutcome:
    key: str
    seconds: float
    engine: str
    warnings: tuple[str, ...]
    error: str | None = None
    digest: str = ""  # dot_digest of the source drawn
    markup: str | None = None  # the SVG for a page (``svg_markup``), when the job asked
    data: bytes | None = None  # the SVG drawn, until this process writes it (save_outcome)
    # CPU time of the drawing (the embedded engine runs in the drawing thread; the system
    # engine's ``dot`` is another process: its wall time stands for it).
    cpu: float = 0.0


def draw_job(job: RenderJob) -> RenderOutcome:
    """Draw one map (nothing written); a Graphviz failure is an outcome, not a crash."""
    digest = job.digest or dot_digest(job.source, job.engine)
    started = time.thread_time()
    try:
        result = render_source(job.source, "svg", job.engine, job.timeout)
    except RenderError as error:
        return RenderOutcome(job.key, 0.0, job.engine, (), str(error), digest)
    cpu = time.thread_time() - started
    return RenderOutcome(
        job.key,
        result.seconds,
        result.engine,
        tuple(result.warnings),
        None,
        digest,
        None,
        result.data,
        result.seconds if result.engine == "systeme" else cpu,
    )


def save_outcome(job: RenderJob, outcome: RenderOutcome) -> RenderOutcome:
    """Write a drawn map into the atlas being built (in this process); the outcome without its
    bytes, with the page's markup when the job asked."""
    if outcome.data is None:
        return outcome
    # Imported here: a render worker, which imports this module, never writes a file.
    from cartographie.files import write_staged_file

    try:
        write_staged_file(Path(job.target), outcome.data)
    except OSError as error:
        message = f"écriture impossible : {error.strerror or error}"
        return replace(outcome, error=message, data=None)
    markup = svg_markup(outcome.data.decode("utf-8")) if job.markup else None
    return replace(outcome, markup=markup, data=None)


def run_job(job: RenderJob) -> RenderOutcome:
    """Draw one map and write it: both steps in this process."""
    return save_outcome(job, draw_job(job))

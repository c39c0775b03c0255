"""Rendering many maps: one job per map, run inline or by the workers of a process pool.

Kept light (no jinja, no views, no inventory) so that a spawned worker imports little; the
embedded engine loads its compiled module from the on-disk cache, once per worker.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from cartographie.render.engines import RenderError, render_source
from cartographie.render.files import atomic_write


@dataclass(frozen=True)
class RenderJob:
    key: str  # the map's path in the atlas, relative ("communes/ville-centre.svg")
    target: str  # absolute path to write
    source: str  # DOT
    engine: str
    timeout: float


@dataclass(frozen=True)
class RenderOutcome:
    key: str
    seconds: float
    engine: str
    warnings: tuple[str, ...]
    error: str | None = None


def run_job(job: RenderJob) -> RenderOutcome:
    """Render one map and write it atomically; a Graphviz failure is an outcome, not a crash."""
    try:
        result = render_source(job.source, "svg", job.engine, job.timeout)
        atomic_write(Path(job.target), result.data)
    except RenderError as error:
        return RenderOutcome(job.key, 0.0, job.engine, (), str(error))
    except OSError as error:
        message = f"écriture impossible : {error.strerror or error}"
        return RenderOutcome(job.key, 0.0, job.engine, (), message)
    return RenderOutcome(job.key, result.seconds, result.engine, tuple(result.warnings))

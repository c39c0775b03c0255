"""A render worker: ``python -m cartographie.render.worker ENGINE PARENT_PID [MODULE]`` draws the
jobs its parent sends (``MODULE``: the embedded engine's compiled module the parent found).

The protocol is the pool's (:mod:`cartographie.render.pool`): on standard input, pickled
:class:`~cartographie.render.batch.RenderJob` objects, each after its length (8 bytes, big
endian); on standard output, a pickled :class:`~cartographie.render.batch.RenderOutcome` for
each — the SVG itself, which the parent writes: a worker writes no file — framed the same way.
End of input: the worker exits. It dies with its parent (:mod:`cartographie.render.lifetime`).

A fresh interpreter running this module imports the engines and nothing else (~50 ms of CPU;
wasmtime and the embedded engine's cached module another ~40 ms): a ``multiprocessing`` worker
would first import the parent's main module again — the CLI or a benchmark, 0.5 s of imports per
worker. What only the parent does (writing files) is imported where it is done.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import sys
from pathlib import Path
from typing import IO

from cartographie.render.batch import draw_job
from cartographie.render.engines import RenderError, embedded_engine, use_compiled_module
from cartographie.render.lifetime import die_with_parent

FRAME = 8  # bytes of the length before each message


def read_message(stream: IO[bytes]) -> bytes | None:
    """One framed message, or None at the end of the stream (or a torn frame)."""
    header = stream.read(FRAME)
    if len(header) < FRAME:
        return None
    size = int.from_bytes(header, "big")
    data = stream.read(size)
    return data if len(data) == size else None


def write_message(stream: IO[bytes], data: bytes) -> None:
    stream.write(len(data).to_bytes(FRAME, "big"))
    stream.write(data)  # not joined to its length first: a map's SVG is not copied again
    stream.flush()


def main() -> None:
    # First of all: a killed parent (even kill -9) takes this worker with it.
    die_with_parent(int(sys.argv[2]) if len(sys.argv) > 2 else None)
    # Ctrl-C reaches the whole process group: the parent stops its workers itself, and a
    # traceback from each of them would only bury its message.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # The protocol owns the real standard output; anything else printed (a library's warning)
    # goes to standard error instead of corrupting a frame.
    protocol = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    if len(sys.argv) > 3:
        use_compiled_module(Path(sys.argv[3]))
    if sys.argv[1:2] != ["systeme"]:
        # Load the embedded engine while the parent prepares the first job; a failure here is
        # reported by the job that needs the engine.
        with contextlib.suppress(RenderError):
            embedded_engine()
    jobs = sys.stdin.buffer
    while (message := read_message(jobs)) is not None:
        outcome = draw_job(pickle.loads(message))
        write_message(protocol, pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL))


if __name__ == "__main__":
    main()

"""Drawing many maps at once: jobs in, outcomes out, the biggest job first.

Three ways to draw, one interface (:class:`RenderPool`):

- ``processes``: worker processes (:mod:`cartographie.render.worker`), one feeder thread each in
  this process handing it the biggest waiting job; the caller writes pages meanwhile, and draws
  jobs itself once it has nothing else to do. A worker that dies fails its job and every job
  still waiting, with a message, never the caller;
- ``thread``: one thread of this process draws while the caller goes on, and the caller too once
  it has nothing else to do. Graphviz runs outside the GIL, so a few big maps (an incremental
  run) cost no process start-up; many small ones are better drawn by processes (each draw holds
  the GIL for its set-up);
- ``inline``: the caller draws each job when it asks for an outcome (``-j 1``).

Jobs are ordered by the cost the caller gives (the DOT's length): the ville centre's map must not
start last on an idle pool.
"""

from __future__ import annotations

import contextlib
import heapq
import os
import pickle
import queue
import subprocess
import sys
import threading
from collections import deque
from pathlib import Path
from typing import IO, Literal

try:
    import fcntl
except ImportError:  # pragma: no cover - not on Windows
    fcntl = None  # type: ignore[assignment]

from cartographie.render.batch import RenderJob, RenderOutcome, run_job, save_outcome
from cartographie.render.engines import RenderError, compiled_module_path, own_embedded_engine
from cartographie.render.worker import read_message, write_message

Mode = Literal["processes", "thread", "inline"]
STOPPED = "le processus de rendu s'est arrêté"
SWITCH_INTERVAL = 0.001  # seconds: see RenderPool
# Jobs handed to a worker ahead of its outcomes: it starts the next map at once, without waiting
# for its feeder to be scheduled.
IN_FLIGHT = 2
# Pipe capacity asked for (Linux): a big map's SVG comes back in one write, without the worker
# waiting for its feeder to read 64 KiB at a time.
PIPE_SIZE = 1 << 20


class RenderPool:
    """A queue of render jobs drawn biggest first, by processes, a thread or the caller."""

    def __init__(self, mode: Mode = "inline", workers: int = 1, engine: str = "auto") -> None:
        self.mode = mode
        self._engine = engine
        # With worker processes, the caller draws only with the embedded engine: the system
        # engine's ``dot`` is a child of whoever runs it, and what goes wrong with it must
        # stay in a worker (a worker that dies fails its maps, not the atlas).
        self._helps = mode != "processes" or engine != "systeme"
        self._waiting: list[tuple[int, int, RenderJob]] = []  # (-cost, order, job): a heap
        self._order = 0
        self._lock = threading.Condition()
        self._closed = False
        self._broken = False
        self._results: queue.SimpleQueue[RenderOutcome] = queue.SimpleQueue()
        self.pending = 0  # submitted, not yet handed back by poll() or wait()
        self._threads: list[threading.Thread] = []
        self._processes: list[subprocess.Popen[bytes]] = []
        self._switch: float | None = None  # the interpreter's switch interval, to restore
        if mode == "processes":
            for _ in range(max(1, workers)):
                process = _start_worker(engine)
                self._processes.append(process)
                self._threads.append(
                    threading.Thread(target=self._feed, args=(process,), daemon=True)
                )
        elif mode == "thread":
            self._threads.append(threading.Thread(target=self._draw, daemon=True))
        if self._threads:
            # The threads (a drawing thread, the workers' feeders) wait outside the GIL, then
            # each needs it back for a moment: Graphviz takes it back some forty times per draw
            # (wasmtime's ctypes calls), a feeder to hand a worker its next job. At the default
            # 5 ms switch interval they waited behind this process's own work (pages, reports),
            # and the workers with them: 1 ms while the pool runs.
            self._switch = sys.getswitchinterval()
            sys.setswitchinterval(min(self._switch, SWITCH_INTERVAL))
        for thread in self._threads:
            thread.start()

    # --- the caller's side ------------------------------------------------------------------

    def submit(self, job: RenderJob, cost: int) -> None:
        self.pending += 1
        with self._lock:
            if self._broken:
                self._results.put(_stopped(job))
                return
            heapq.heappush(self._waiting, (-cost, self._order, job))
            self._order += 1
            self._lock.notify()

    def poll(self) -> list[RenderOutcome]:
        """The outcomes ready now, without waiting."""
        found = []
        while True:
            try:
                found.append(self._results.get_nowait())
            except queue.Empty:
                break
        self.pending -= len(found)
        return found

    def wait(self) -> list[RenderOutcome]:
        """At least one outcome (nothing when nothing is pending). Rather than wait idle, the
        caller draws a waiting job itself: with workers, that is the core left to it once its
        own work is done."""
        if self.pending == 0:
            return []
        if self._helps and self._results.empty():
            job = self._take(block=False)
            if job is not None:
                self._results.put(_draw_safely(job))
        first = self._results.get()
        self.pending -= 1
        return [first, *self.poll()]

    def close(self, cancel: bool = False) -> None:
        """Stop the workers: once they are done (or at once with ``cancel``)."""
        with self._lock:
            self._closed = True
            if cancel:
                self._waiting.clear()
            self._lock.notify_all()
        for process in self._processes:
            if cancel:
                process.kill()
            _close_quietly(process.stdin)
        for thread in self._threads:
            thread.join()
        if self._switch is not None:
            sys.setswitchinterval(self._switch)
            self._switch = None
        for process in self._processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            _close_quietly(process.stdout)

    def __enter__(self) -> RenderPool:
        return self

    def __exit__(self, kind: object, error: object, trace: object) -> None:
        self.close(cancel=error is not None)

    # --- the drawing side -------------------------------------------------------------------

    def _take(self, block: bool = True) -> RenderJob | None:
        """The biggest waiting job; None once closed (or, not blocking, when none waits)."""
        with self._lock:
            while not self._waiting:
                if self._closed or self._broken or not block:
                    return None
                self._lock.wait()
            if self._broken:
                return None
            return heapq.heappop(self._waiting)[2]

    def _draw(self) -> None:
        if self._engine != "systeme":
            # Its own engine, loaded before the first job comes: the caller draws too.
            with contextlib.suppress(RenderError):  # reported by each job that needs it
                own_embedded_engine()
        while (job := self._take()) is not None:
            self._results.put(_draw_safely(job))

    def _feed(self, process: subprocess.Popen[bytes]) -> None:
        assert process.stdin is not None and process.stdout is not None
        sent: deque[RenderJob] = deque()
        while True:
            while len(sent) < IN_FLIGHT and (job := self._take(block=not sent)) is not None:
                try:
                    write_message(
                        process.stdin, pickle.dumps(job, protocol=pickle.HIGHEST_PROTOCOL)
                    )
                except (OSError, ValueError):
                    sent.append(job)
                    break
                sent.append(job)
            if not sent:
                return
            try:
                answer = read_message(process.stdout)
            except (OSError, ValueError):
                answer = None
            if answer is None:
                # The worker died (killed, out of memory): like a broken process pool, its jobs
                # and every job still waiting fail; the maps already drawn stay drawn.
                self._break(list(sent))
                return
            # The worker drew; this process writes (a worker never writes a file).
            self._results.put(_save_safely(sent.popleft(), pickle.loads(answer)))

    def _break(self, jobs: list[RenderJob]) -> None:
        with self._lock:
            self._broken = True
            failed = [*jobs, *(item[2] for item in sorted(self._waiting))]
            self._waiting.clear()
            self._lock.notify_all()
        for item in failed:
            self._results.put(_stopped(item))


def _draw_safely(job: RenderJob) -> RenderOutcome:
    try:
        return run_job(job)
    except Exception as error:  # a bug in a draw fails its map, not the atlas
        return RenderOutcome(job.key, 0.0, job.engine, (), f"{STOPPED} ({error})")


def _save_safely(job: RenderJob, outcome: RenderOutcome) -> RenderOutcome:
    try:
        return save_outcome(job, outcome)
    except Exception as error:  # a bug in a write fails its map, not the atlas
        return RenderOutcome(job.key, 0.0, job.engine, (), f"{STOPPED} ({error})")


def _stopped(job: RenderJob) -> RenderOutcome:
    return RenderOutcome(job.key, 0.0, job.engine, (), STOPPED)


def _start_worker(engine: str) -> subprocess.Popen[bytes]:
    # The child finds this very package first, wherever it was imported from.
    package_root = str(Path(__file__).resolve().parents[2])
    path = os.environ.get("PYTHONPATH", "")
    environment = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([package_root, path]) if path else package_root,
    }
    command = [sys.executable, "-m", "cartographie.render.worker", engine, str(os.getpid())]
    if engine != "systeme":
        # Found here for the worker (its own look-up of wasmtime's version costs it ~30 ms); a
        # broken installation is the worker's to report, map by map.
        with contextlib.suppress(Exception):
            command.append(str(compiled_module_path()))
    process = subprocess.Popen(
        command,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        env=environment,
    )
    set_pipe_size = getattr(fcntl, "F_SETPIPE_SZ", None) if fcntl is not None else None
    if set_pipe_size is not None:
        for stream in (process.stdin, process.stdout):
            with contextlib.suppress(OSError):  # a lower limit only costs a few more reads
                fcntl.fcntl(stream.fileno(), set_pipe_size, PIPE_SIZE)  # type: ignore[union-attr]
    return process


def _close_quietly(stream: IO[bytes] | None) -> None:
    if stream is not None:
        with contextlib.suppress(OSError):  # a dead worker's pipe: nothing left to tell it
            stream.close()

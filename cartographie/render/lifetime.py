"""Helper processes die with the process that started them (DESIGN.md §12).

The atlas draws with worker processes, and a worker with the system ``dot``. When the command
is stopped — Ctrl-C, ``kill``, even ``kill -9``, which leaves it no time to clean up — none of
them may go on running, let alone write. Three guards:

- on Linux, :func:`die_with_parent` asks the kernel (``prctl(PR_SET_PDEATHSIG, SIGKILL)``) to
  kill the calling process the moment its parent dies; a worker calls it first thing, and every
  ``dot`` it starts calls it before ``exec``. The request is checked against the parent's pid
  passed down, so that a parent that died before the request is noticed too;
- everywhere, a worker reads its jobs from a pipe: a parent that is gone closes it, and the
  worker stops at the end of its input;
- a worker never writes a file (:mod:`cartographie.render.batch`): its drawings go back to the
  parent, which writes them.

The pool's own shutdown (:meth:`cartographie.render.pool.RenderPool.close`) stops the workers
on every normal or interrupted exit of the parent.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import sys
from collections.abc import Callable

PR_SET_PDEATHSIG = 1


def _prctl() -> Callable[..., int] | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        function: Callable[..., int] = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):  # pragma: no cover - a libc without prctl
        return None
    return function


# Looked up once, before any fork: the child of a fork only makes the call.
_PRCTL = _prctl()


def die_with_parent(parent: int | None = None) -> None:
    """Ask to be killed when the parent dies (Linux); with ``parent``, leave at once if it is
    already gone (this process was adopted before the request)."""
    if _PRCTL is not None:
        with contextlib.suppress(OSError):
            _PRCTL(PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
    if parent is not None and os.getppid() != parent:
        os._exit(1)


def child_dies_with_us() -> None:
    """For ``subprocess``'s ``preexec_fn``: the child (``dot``) dies with the process that
    starts it."""
    if _PRCTL is not None:
        _PRCTL(PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)

"""A render's time limit: one thread per embedded engine calls its interruption once a render
outlives its time.

A :class:`threading.Timer` per render started and stopped a thread for each map: ~0.15 ms of
CPU each, 40 ms of a cold atlas's render worker. The watchdog's thread lives as long as its
engine and sleeps until the deadline it last saw: a render that arms it for no earlier a
deadline (every render of an atlas: the same timeout) does not even wake it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable


class Watchdog:
    """Calls ``interrupt`` when the time given to :meth:`arm` runs out before :meth:`disarm`."""

    def __init__(self, interrupt: Callable[[], None]) -> None:
        self._interrupt = interrupt
        self._condition = threading.Condition()
        self._deadline: float | None = None
        self._wakes_at: float | None = None  # when the thread's wait ends (None: when woken)
        self._thread: threading.Thread | None = None

    def arm(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        with self._condition:
            self._deadline = deadline
            if self._thread is None:
                self._thread = threading.Thread(target=self._watch, daemon=True)
                self._thread.start()
            elif self._wakes_at is None or self._wakes_at > deadline:
                self._condition.notify()

    def disarm(self) -> None:
        with self._condition:
            self._deadline = None

    def _watch(self) -> None:
        with self._condition:
            while True:
                if self._deadline is None:
                    self._wakes_at = None
                    self._condition.wait()
                    continue
                left = self._deadline - time.monotonic()
                if left <= 0:
                    # Under the lock: a render that ended meanwhile has disarmed, and the next
                    # one is not armed yet; only the late one is interrupted.
                    self._deadline = None
                    self._interrupt()
                    continue
                self._wakes_at = self._deadline
                self._condition.wait(left)

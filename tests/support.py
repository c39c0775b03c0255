"""Paths and helpers the test modules import (``conftest.py`` holds the pytest fixtures)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent / "fixtures"
MINIMAL = FIXTURES / "minimal"
BROKEN = FIXTURES / "broken"


@dataclass(frozen=True)
class Run:
    """What a command did: its exit code and its two streams."""

    exit_code: int
    stdout: str
    stderr: str

    @property
    def stderr_lines(self) -> list[str]:
        return self.stderr.splitlines()


# The ``run_cli`` fixture: run_cli("valider", ".", cwd=path) -> Run
RunCli = Callable[..., Run]

Snapshot = dict[str, tuple[int, int, bytes]]


def tree_snapshot(root: Path) -> Snapshot:
    """Every file and folder below ``root``: (mode, mtime in ns, bytes), by relative path."""
    snapshot: Snapshot = {}
    for path in sorted(root.rglob("*")):
        stat = path.lstat()
        content = path.read_bytes() if path.is_file() else b""
        snapshot[path.relative_to(root).as_posix()] = (stat.st_mode, stat.st_mtime_ns, content)
    return snapshot

"""Progress of long work, as the library reports it to whoever draws it.

The library never imports rich: a long operation (an atlas, the trend over a git history, the
journal, a diff between distant revisions, an import, an export, a generated métropole) takes
an optional :data:`Progress` callable and calls it as work advances —
``progress(done, total, label)``: ``done`` steps out of ``total``, under a short French label
(« Commits », « Cartes »). The command line draws it as a bar on a terminal, and nothing
elsewhere. A label may change between calls (one operation, several phases).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

Progress = Callable[[int, int, str], None]

T = TypeVar("T")


def silent(done: int, total: int, label: str) -> None:
    """The progress of nobody watching."""


def counted(items: Iterable[T], total: int, label: str, progress: Progress | None) -> Iterator[T]:
    """Each item of ``items``, telling ``progress`` after each one (and once before the first)."""
    report = progress or silent
    report(0, total, label)
    for done, item in enumerate(items, 1):
        yield item
        report(done, total, label)

"""The progress bar of long commands, drawn on stderr from the library's progress reports.

The library reports through :data:`cartographie.progress.Progress`; this module draws it with
rich, on a terminal only: nothing in a pipe or a CI log (stderr is not a terminal), nothing with
``NO_COLOR`` or ``TERM=dumb`` (a plain console asked for), nothing with ``--silencieux``. The bar
is transient: once the work is done, only the command's own messages stay.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

import typer

from cartographie.progress import Progress

QuietOption = Annotated[
    bool,
    typer.Option("--silencieux", "-q", help="Sans barre de progression."),
]


def wanted(quiet: bool) -> bool:
    """Whether a bar may be drawn: a terminal on stderr, colours allowed, not ``--silencieux``."""
    if quiet or os.environ.get("NO_COLOR", "") != "" or os.environ.get("TERM") == "dumb":
        return False
    from cartographie.cli.common import stderr_console

    return stderr_console().is_terminal


@contextmanager
def progress_bar(quiet: bool = False) -> Iterator[Progress | None]:
    """A :data:`Progress` drawing one bar (its label changes with the phase), or None."""
    if not wanted(quiet):
        yield None
        return
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        TextColumn,
        TimeElapsedColumn,
    )
    from rich.progress import (
        Progress as RichProgress,
    )

    from cartographie.cli.common import stderr_console

    with RichProgress(
        TextColumn("{task.description}", markup=False),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=stderr_console(),
        transient=True,
    ) as bar:
        task = bar.add_task("", total=None)

        def report(done: int, total: int, label: str) -> None:
            bar.update(task, completed=done, total=total or None, description=label)

        yield report

"""What every command shares: the inventory option, output streams, and error handling.

Data goes to stdout, messages to stderr, so that ``cartographie stats --format json | jq`` works.
Only this layer chooses exit codes: 0 success, 1 the data is wrong, 2 the command was misused.
Messages never let the data act on the terminal: :func:`say` prints plain text (no markup, no
emoji codes) with control characters made visible; errors print as they render themselves
(:meth:`CartographieError.lines`).
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

if TYPE_CHECKING:
    from rich.console import Console

    from cartographie.errors import CartographieError
    from cartographie.graph import Portfolio
    from cartographie.model.inventory import Inventory

EXIT_OK = 0
EXIT_INVALID = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 3

DEFAULT_INVENTORY = Path("inventory")

InventoryOption = Annotated[
    Path,
    typer.Option(
        "--inventaire",
        "-i",
        metavar="DOSSIER",
        help="Dossier de l'inventaire (YAML).",
        show_default=True,
    ),
]


def stdout_console() -> Console:
    from rich.console import Console

    return Console(soft_wrap=True, markup=False, emoji=False, highlight=False)


def stderr_console() -> Console:
    from rich.console import Console

    return Console(stderr=True, soft_wrap=True, markup=False, emoji=False, highlight=False)


def say(message: str) -> None:
    """A message for the user, on stderr, as plain text whatever it quotes."""
    from rich.text import Text

    from cartographie.document.text import visible

    stderr_console().print(Text(visible(message, keep_lines=True)))


def report(error: CartographieError) -> NoReturn:
    """Print the error as it renders itself, and leave with its exit code."""
    from cartographie.errors import InventoryError
    from cartographie.reports.validation import problems_sentence

    for line in error.lines():
        say(line)
    if isinstance(error, InventoryError):
        say(problems_sentence(len(error.problems)))
    raise typer.Exit(error.exit_code)


def fail(error: CartographieError) -> NoReturn:
    """Leave with ``error`` (raised by the CLI itself: an option it refuses)."""
    report(error)


@contextmanager
def library_errors() -> Iterator[None]:
    """Turn the library's errors into messages and exit codes; nothing a user causes leaks a
    traceback."""
    from cartographie.errors import CartographieError

    try:
        yield
    except CartographieError as error:
        report(error)


def parse_date(value: str | None, option: str) -> dt.date | None:
    """An ISO date given to ``option``, or leave with a French message (exit 2)."""
    from cartographie.errors import OptionError

    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        fail(
            OptionError(
                f"{option} : date invalide « {value} »",
                "écrivez AAAA-MM-JJ, par exemple 2026-03-31",
            )
        )


# ``--date`` on every map and report (DESIGN.md §11): the portfolio as it stood or will stand.
DATE_HELP = (
    "Le patrimoine à cette date AAAA[-MM[-JJ]] (une année : le 1er janvier), passée ou future "
    "(l'état cible des chantiers)."
)
MomentOption = Annotated[
    str | None,
    typer.Option("--date", help=DATE_HELP, metavar="AAAA[-MM[-JJ]]", show_default=False),
]


def parse_moment_option(value: str | None, option: str = "--date") -> dt.date | None:
    """``AAAA``, ``AAAA-MM`` or ``AAAA-MM-JJ`` given to ``option``, or leave with a French
    message (exit 2)."""
    from cartographie.errors import OptionError
    from cartographie.model.dates import parse_moment

    if value is None:
        return None
    try:
        return parse_moment(value)
    except ValueError as error:
        fail(OptionError(f"{option} : {error}", "par exemple --date 2028 ou --date 2019-09-01"))


def resolve_inventory(option: Path, argument: Path | None = None) -> Path:
    """The inventory directory: the positional argument if given, else ``-i``."""
    return argument if argument is not None else option


def parse_cache_enabled() -> bool:
    """The parse cache is on unless ``--sans-cache`` (or CARTOGRAPHIE_SANS_CACHE=1) says no."""
    from cartographie.inventory.cache import caches_enabled

    return caches_enabled()


def disable_parse_cache() -> None:
    from cartographie.inventory.cache import NO_CACHE_VARIABLE

    os.environ[NO_CACHE_VARIABLE] = "1"


def load(directory: Path) -> Inventory:
    """Load and validate the inventory, or leave with its problems (exit 1)."""
    from cartographie.inventory import load_inventory

    with library_errors():
        return load_inventory(directory, cache=parse_cache_enabled())
    raise AssertionError("unreachable")  # pragma: no cover - library_errors always exits


def load_portfolio(directory: Path, moment: dt.date | None = None) -> Portfolio:
    """The portfolio of the inventory, at ``moment`` when given (``--date``)."""
    from cartographie.graph import Portfolio

    inventory = load(directory)
    if moment is not None:
        from cartographie.model.asof import as_of

        inventory = as_of(inventory, moment)
    return Portfolio(inventory)


def debug_enabled() -> bool:
    return os.environ.get("CARTOGRAPHIE_DEBUG", "") not in ("", "0")


def write_stdout(data: str | bytes) -> None:
    """Write data to stdout (text as UTF-8, whatever the terminal's locale says)."""
    sys.stdout.buffer.write(data.encode("utf-8") if isinstance(data, str) else data)
    sys.stdout.flush()

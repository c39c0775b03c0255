"""What every command shares: the inventory option, output streams, and error handling.

Data goes to stdout, messages to stderr, so that ``cartographie stats --format json | jq`` works.
Only this layer chooses exit codes: 0 success, 1 the data is wrong, 2 the command was misused.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

if TYPE_CHECKING:
    from rich.console import Console

    from cartographie.graph import Portfolio
    from cartographie.model.inventory import Inventory

EXIT_OK = 0
EXIT_INVALID = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 3

DEFAULT_INVENTORY = Path("inventory")
# Set by the root option --sans-cache (an environment variable, so that worker processes and
# nested commands see it too).

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

    return Console(soft_wrap=True)


def stderr_console() -> Console:
    from rich.console import Console

    return Console(stderr=True, soft_wrap=True, highlight=False)


def fail(message: str, hint: str = "", code: int = EXIT_USAGE) -> NoReturn:
    """Print ``erreur : message (hint)`` on stderr and leave with ``code``."""
    text = f"erreur : {message}" + (f" ({hint})" if hint else "")
    stderr_console().print(text, markup=False)
    raise typer.Exit(code)


@contextmanager
def library_errors() -> Iterator[None]:
    """Turn the library's errors into messages and exit codes; nothing a user causes leaks a
    traceback."""
    from cartographie.errors import CartographieError, InventoryError, UsageError

    try:
        yield
    except InventoryError as error:
        report_problems(error.lines(), len(error.problems))
        raise typer.Exit(EXIT_INVALID) from None
    except UsageError as error:
        fail(error.message, error.hint, EXIT_USAGE)
    except CartographieError as error:
        fail(str(error), code=EXIT_INVALID)


def report_problems(lines: list[str], count: int) -> None:
    console = stderr_console()
    for line in lines:
        # A problem quotes the data: no markup, no emoji code (`:x:` in a name) interpreted.
        console.print(line, markup=False, emoji=False)
    plural = "s" if count > 1 else ""
    console.print(f"{count} problème{plural} trouvé{plural}.", markup=False)


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


def load_portfolio(directory: Path) -> Portfolio:
    from cartographie.graph import Portfolio

    return Portfolio(load(directory))


def debug_enabled() -> bool:
    return os.environ.get("CARTOGRAPHIE_DEBUG", "") not in ("", "0")


def write_stdout(text: str) -> None:
    """Write data to stdout as UTF-8, whatever the terminal's locale says."""
    sys.stdout.buffer.write(text.encode("utf-8"))
    sys.stdout.flush()

"""The ``cartographie`` application: its command groups joined together, and the entry point."""

from __future__ import annotations

import signal
import sys

import typer

from cartographie import __version__
from cartographie.cli import (
    cache,
    cartes,
    completion,
    decisions,
    echanges,
    inventaire,
    rapports,
    suivi,
)
from cartographie.cli.common import EXIT_INTERNAL, debug_enabled, disable_parse_cache
from cartographie.cli.french import Typer

app = Typer(
    name="cartographie",
    help=(
        "Cartographie du patrimoine applicatif d'une métropole : inventaire YAML, cartes, "
        "diagnostic d'architecture et rapports de convergence."
    ),
)


def _version(value: bool) -> None:
    if value:
        print(f"cartographie {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Affiche la version."
    ),
    sans_cache: bool = typer.Option(
        False,
        "--sans-cache",
        help="Relit et revalide tous les fichiers YAML sans passer par le cache de lecture.",
    ),
) -> None:
    """Cartographie du patrimoine applicatif d'une métropole."""
    if sans_cache:
        disable_parse_cache()


inventaire.register(app)
cartes.register(app)
echanges.register(app)
rapports.register(app)
decisions.register(app)
suivi.register(app)
cache.register(app)
completion.register(app)


class _Terminated(BaseException):
    """SIGTERM, raised so that every ``finally`` runs — a folder being built beside its target
    is removed, render workers are stopped — and not caught as Ctrl-C (typer turns that into a
    silent exit 130)."""


def _terminate(signum: int, frame: object) -> None:
    raise _Terminated


def clean_after_interruption() -> None:
    """Remove the folders this process was building when a signal stopped it. Only a process
    that imported the writer can have begun one: --help and the like stay light."""
    writing = sys.modules.get("cartographie.files.writing")
    if writing is not None:
        writing.clean_after_interruption()


def main() -> None:
    """Console-script entry point: run the app; an unexpected error is a short message."""
    signal.signal(signal.SIGTERM, _terminate)
    try:
        app()
    except _Terminated:
        clean_after_interruption()
        sys.stderr.write("arrêté (SIGTERM)\n")
        sys.exit(143)
    except KeyboardInterrupt:
        clean_after_interruption()
        sys.stderr.write("interrompu\n")
        sys.exit(130)
    except Exception as error:  # the last guard: a user never sees a traceback
        if debug_enabled():
            raise
        from cartographie.document.text import visible
        from cartographie.errors import INTERNAL_CODE

        sys.stderr.write(
            f"erreur {INTERNAL_CODE} : erreur interne : "
            f"{visible(f'{type(error).__name__}: {error}')}\n"
            "relancez avec CARTOGRAPHIE_DEBUG=1 pour la trace, et signalez-la\n"
        )
        sys.exit(EXIT_INTERNAL)

"""Shell completion: the ``completion`` command that prints a shell's script, and the inventory's
ids offered after a TAB.

The scripts are typer's (bash, zsh, fish): each calls ``cartographie`` back with
``_CARTOGRAPHIE_COMPLETE`` set, and click completes commands, options and choices from the
command tree. What click cannot know, the inventory's ids, comes from :func:`ids_of`: an id
argument or option (``carte commune ID``, ``--commune``, ``--bloc``…) names a kind, and the ids
of that kind are read from the inventory the command line names (``-i``, else ``./inventory``)
by :func:`cartographie.inventory.ids.known_ids`, fast and without validating.

The script is printed rather than installed in the user's files: the user sees it, and puts it
where their shell looks (``--help`` says where), as with ``git``, ``pip`` or ``gh``.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from cartographie.cli.common import DEFAULT_INVENTORY

PROGRAM = "cartographie"
COMPLETE_VARIABLE = "_CARTOGRAPHIE_COMPLETE"


def ids_of(kind: str) -> Callable[..., list[tuple[str, str]]]:
    """A typer ``autocompletion`` callback offering the inventory's ids of ``kind`` (with their
    name, that zsh and fish show beside them)."""

    def complete(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
        from cartographie.inventory.ids import known_ids

        directory = _inventory_of(ctx)
        return [(item.id, item.name) for item in known_ids(directory, kind, incomplete)]

    return complete


def _inventory_of(ctx: Any) -> Path:
    """The inventory the words typed so far name: ``-i DOSSIER``, else the default."""
    while ctx is not None:
        given = ctx.params.get("inventaire")
        if given:
            return Path(given)
        ctx = ctx.parent
    return DEFAULT_INVENTORY


class Shell(StrEnum):
    bash = "bash"
    zsh = "zsh"
    fish = "fish"


def completion(
    shell: Annotated[
        Shell,
        typer.Argument(help="Le shell : bash, zsh ou fish.", show_default=False, metavar="SHELL"),
    ],
) -> None:
    """Affiche le script de complétion d'un shell (commandes, options, identifiants).

    La touche Tab complète alors les commandes, les options et leurs valeurs, et les
    identifiants de l'inventaire (-i, sinon ./inventory) : communes, blocs, zones, processus,
    données, éditeurs, chantiers, domaines. À installer une fois :

    \b
    bash : cartographie completion bash > ~/.local/share/bash-completion/completions/cartographie
    zsh :  cartographie completion zsh > ~/.cartographie.zsh
           puis, dans ~/.zshrc après compinit : source ~/.cartographie.zsh
    fish : cartographie completion fish > ~/.config/fish/completions/cartographie.fish

    Exemple : source <(cartographie completion bash)
    """
    from typer.completion import get_completion_script  # type: ignore[attr-defined]

    script = get_completion_script(
        prog_name=PROGRAM, complete_var=COMPLETE_VARIABLE, shell=shell.value
    )
    print(script)


def register(app: typer.Typer) -> None:
    app.command()(completion)

"""The ``cache`` commands: where the user's cache is, how big, and emptying it.

The library (:mod:`cartographie.usercache`) scans, trims and clears; this module prints.
"""

from __future__ import annotations

import typer

from cartographie.cli.common import say, stdout_console
from cartographie.cli.french import Typer
from cartographie.cli.output import Output, output_options
from cartographie.document import numbers

cache_app = Typer(
    name="cache",
    help=(
        "Le cache de l'utilisateur : où il est et ce qu'il occupe, par contenu ; « cartographie "
        "cache vider » l'efface."
    ),
    no_args_is_help=False,
    invoke_without_command=True,
)


@output_options()
def _show(context: typer.Context, output: Output = Output(None)) -> None:
    """Où est le cache et ce qu'il occupe, par contenu.

    Exemple : cartographie cache
    """
    if context.invoked_subcommand is not None:
        return
    from cartographie import usercache
    from cartographie.reports.cache import cache_document

    contents = usercache.scan()
    limit, problem = usercache.cache_limit()
    output.emit(cache_document(contents, limit))
    if contents.other_files:
        say(
            f"attention : {numbers.integer(contents.other_files)} fichier(s) que cartographie "
            f"n'a pas écrits ({numbers.size(contents.other_size)}), laissés tels quels"
        )
    if not contents.private:
        say(
            f"attention : {contents.root} n'appartient pas à l'utilisateur ou d'autres peuvent y "
            "écrire : les entrées exécutables (pickle, module compilé) n'y sont jamais relues "
            f"(corrigez : chmod go-w {contents.root})"
        )
    if problem:
        say(f"attention : {problem} ; limite par défaut")


def vider() -> None:
    """Efface tout ce que cartographie a mis en cache (rien d'autre).

    Exemple : cartographie cache vider
    """
    from cartographie import usercache

    removed = usercache.clear()
    console = stdout_console()
    if not removed.entries:
        console.print(f"Le cache est déjà vide ({removed.root}).")
    else:
        files = sum(entry.files for entry in removed.entries)
        console.print(
            f"Cache vidé : {numbers.count(len(removed.entries), 'élément')}, "
            f"{numbers.count(files, 'fichier')}, {numbers.size(removed.size)} libérés "
            f"({removed.root})."
        )
    if removed.other_files:
        say(
            f"attention : {numbers.integer(removed.other_files)} fichier(s) que cartographie "
            "n'a pas écrits, laissés en place"
        )


def register(app: typer.Typer) -> None:
    cache_app.callback()(_show)
    cache_app.command("vider")(vider)
    app.add_typer(cache_app, name="cache")

"""The ``cache`` commands: where the user's cache is, how big, and emptying it.

The library (:mod:`cartographie.usercache`) scans, trims and clears; this module prints.
"""

from __future__ import annotations

import typer

from cartographie.cli.common import stderr_console, stdout_console
from cartographie.cli.french import Typer

THIN_SPACE = "\u202f"  # French typography: between thousands

cache_app = Typer(
    name="cache",
    help=(
        "Le cache de l'utilisateur : où il est et ce qu'il occupe, par contenu ; « cartographie "
        "cache vider » l'efface."
    ),
    no_args_is_help=False,
    invoke_without_command=True,
)


def number(value: int) -> str:
    return f"{value:,}".replace(",", THIN_SPACE)


def size(value: int) -> str:
    """Bytes as people read them, in French units (ko, Mo, Go: powers of 1 000)."""
    for unit, scale in (("Go", 10**9), ("Mo", 10**6), ("ko", 10**3)):
        if value >= scale:
            shown = f"{value / scale:.1f}".removesuffix(".0").replace(".", ",")
            return f"{shown}{THIN_SPACE}{unit}"
    return f"{value}{THIN_SPACE}o"


def _show(context: typer.Context) -> None:
    """Où est le cache et ce qu'il occupe, par contenu.

    Exemple : cartographie cache
    """
    if context.invoked_subcommand is not None:
        return
    from rich.table import Table

    from cartographie import usercache

    contents = usercache.scan()
    limit, problem = usercache.cache_limit()
    console = stdout_console()
    console.print(f"Cache de cartographie : {contents.root}", markup=False, highlight=False)
    table = Table(show_footer=True)
    table.add_column("Contenu", footer="Total")
    table.add_column("Éléments", justify="right", footer=number(len(contents.entries)))
    table.add_column(
        "Fichiers", justify="right", footer=number(sum(e.files for e in contents.entries))
    )
    table.add_column("Taille", justify="right", footer=size(contents.size))
    for kind in usercache.KINDS:
        entries, files, used = contents.by_kind(kind.code)
        table.add_row(kind.label, number(entries), number(files), size(used))
    console.print(table)
    console.print(
        f"Limite : {size(limit)} ({usercache.LIMIT_VARIABLE}) ; au-delà, les éléments les moins "
        "récemment utilisés sont supprimés. Vider : cartographie cache vider",
        markup=False,
        highlight=False,
    )
    messages = stderr_console()
    if contents.other_files:
        messages.print(
            f"attention : {number(contents.other_files)} fichier(s) que cartographie n'a pas "
            f"écrits ({size(contents.other_size)}), laissés tels quels",
            markup=False,
        )
    if not contents.private:
        messages.print(
            f"attention : {contents.root} n'appartient pas à l'utilisateur ou d'autres peuvent y "
            "écrire : les entrées exécutables (pickle, module compilé) n'y sont jamais relues "
            f"(corrigez : chmod go-w {contents.root})",
            markup=False,
        )
    if problem:
        messages.print(f"attention : {problem} ; limite par défaut", markup=False)


def vider() -> None:
    """Efface tout ce que cartographie a mis en cache (rien d'autre).

    Exemple : cartographie cache vider
    """
    from cartographie import usercache

    removed = usercache.clear()
    console = stdout_console()
    if not removed.entries:
        console.print(f"Le cache est déjà vide ({removed.root}).", markup=False, highlight=False)
    else:
        files = sum(entry.files for entry in removed.entries)
        console.print(
            f"Cache vidé : {number(len(removed.entries))} éléments, {number(files)} fichiers, "
            f"{size(removed.size)} libérés ({removed.root}).",
            markup=False,
            highlight=False,
        )
    if removed.other_files:
        stderr_console().print(
            f"attention : {number(removed.other_files)} fichier(s) que cartographie n'a pas "
            "écrits, laissés en place",
            markup=False,
        )


def register(app: typer.Typer) -> None:
    cache_app.callback()(_show)
    cache_app.command("vider")(vider)
    app.add_typer(cache_app, name="cache")

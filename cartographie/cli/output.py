"""The output options every command that prints a result shares, and the one way it prints.

A command takes its output options through :func:`output_options`, which adds them to its
signature (``--format`` with the choices of the format registry plus ``table``, ``--sortie``,
``--table``, ``--csv``, ``--max-octets``, ``--atlas``) and hands the command an :class:`Output`.
The command builds one :class:`~cartographie.document.Document` and calls :meth:`Output.emit`:
the terminal draws it, any other format comes from :mod:`cartographie.document.formats`, to
stdout or to a file written whole.
"""

from __future__ import annotations

import dataclasses
import inspect
from collections.abc import Callable
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, cast

import typer

from cartographie.cli.common import fail, library_errors, say, stdout_console, write_stdout
from cartographie.document.formats import DEFAULT_MAX_BYTES, FORMATS

if TYPE_CHECKING:
    from cartographie.document import Document, Ref

TABLE = "table"  # the terminal: drawn by the CLI (cli/terminal.py), not by the registry


def choices(name: str, values: list[str]) -> type[Enum]:
    """A str enum typer shows as the option's choices."""
    return cast(type[Enum], cast(Any, Enum)(name, [(value, value) for value in values], type=str))


FormatChoice = choices("FormatChoice", [TABLE, *FORMATS])
CsvChoice = choices("CsvChoice", ["excel", "standard"])


def format_help(default: str | None) -> str:
    described = "table (terminal), " + ", ".join(
        f"{name} ({spec.description})" for name, spec in FORMATS.items()
    )
    if default is None:
        return f"Écrire le résultat dans ce format : {described}."
    return described + "."


def _atlas_links(base: str) -> Callable[[Ref], str | None]:
    from cartographie.atlas.pages import reference_page

    prefix = base.rstrip("/") + "/"

    def link(ref: Ref) -> str | None:
        page = reference_page(ref)
        return prefix + page if page else None

    return link


@dataclasses.dataclass(frozen=True)
class Output:
    """What the user chose about the output of one command."""

    format: str | None
    path: Path | None = None
    tables: tuple[str, ...] = ()
    csv: str | None = None
    max_bytes: int | None = DEFAULT_MAX_BYTES
    atlas: str | None = None

    def emit(self, document: Document) -> None:
        """Print or write the document in the format asked for (``table`` when none)."""
        from cartographie.document.formats import RenderOptions, render
        from cartographie.errors import OptionError

        document = self._select(document)
        chosen = self.format or TABLE
        if chosen == TABLE:
            if self.path is not None:
                fail(
                    OptionError(
                        "le format table s'affiche dans le terminal",
                        "choisissez un autre --format pour écrire un fichier",
                    )
                )
            from cartographie.cli.terminal import print_document

            print_document(stdout_console(), document)
            return
        spec = FORMATS[chosen]
        options = RenderOptions(
            csv_dialect=self.csv,
            max_bytes=self.max_bytes or None,
            links=_atlas_links(self.atlas) if self.atlas else None,
        )
        with library_errors():
            data = render(document, chosen, options)
        if spec.single_table and len(document.tables) > 1:
            main = document.main_table
            others = [t.name for t in document.tables if main is None or t.name != main.name]
            say(
                f"csv : table « {main.name if main else ''} » ; autres tables : "
                f"{', '.join(others)} (--table NOM)"
            )
        if self.path is None or str(self.path) == "-":
            if isinstance(data, bytes) and self.path is None:
                fail(
                    OptionError(
                        f"le format {chosen} s'écrit dans un fichier",
                        "ajoutez --sortie FICHIER (ou --sortie - pour la sortie standard)",
                    )
                )
            write_stdout(data)
            return
        from cartographie.files import write_output_file

        with library_errors():
            write_output_file(self.path, data)
        say(f"Écrit dans {self.path}.")

    def _select(self, document: Document) -> Document:
        if not self.tables:
            return document
        from cartographie.errors import UnknownNameError

        known = [table.name for table in document.tables]
        unknown = [name for name in self.tables if name not in known]
        if unknown:
            fail(
                UnknownNameError(
                    f"table inconnue : {', '.join(unknown)}",
                    f"tables de ce document : {', '.join(known) or 'aucune'}",
                )
            )
        selected = document.only(self.tables)
        if len(self.tables) == 1:
            return dataclasses.replace(selected, primary=self.tables[0])
        return selected


# name, flags, type, default, metavar, help; shown defaults only where they say something.
_OPTIONS: tuple[tuple[str, tuple[str, ...], Any, Any, str, str], ...] = (
    ("sortie", ("--sortie", "-o"), Path | None, None, "FICHIER",
     "Fichier à écrire, remplacé d'un coup (sinon la sortie standard)."),
    ("table", ("--table", "-t"), list[str] | None, None, "NOM",
     "Ne garder que cette table (répétable) ; en csv, la table écrite."),
    ("csv", ("--csv",), CsvChoice | None, None, "DIALECTE",
     "CSV : excel (« ; », virgule décimale, BOM : Excel en français ; par défaut, ou "
     "CARTOGRAPHIE_CSV) ou standard (« , », RFC 4180 : les outils)."),
    ("max_octets", ("--max-octets",), int, DEFAULT_MAX_BYTES, "N",
     "Markdown : taille maximale, en octets (0 : sans limite) ; ce qui dépasse est résumé en "
     "une ligne."),
    ("atlas", ("--atlas",), str | None, None, "CHEMIN",
     "HTML : lier communes, blocs, processus et applications aux pages de cet atlas (dossier "
     "ou adresse)."),
)  # fmt: skip


def _parameters(default: str | None, path: bool) -> list[inspect.Parameter]:
    keyword = inspect.Parameter.KEYWORD_ONLY
    chosen = typer.Option(
        "--format",
        "-f",
        metavar="FORMAT",
        help=format_help(default),
        show_default=default is not None,
    )
    found = [
        inspect.Parameter(
            "format",
            keyword,
            default=None if default is None else FormatChoice(default),
            annotation=Annotated[FormatChoice | None, chosen],
        )
    ]
    for name, flags, kind, value, metavar, text in _OPTIONS:
        if name == "sortie" and not path:
            continue
        option = typer.Option(
            *flags,
            metavar=metavar,
            help=text,
            show_default=value is not None,
            min=0 if kind is int else None,
        )
        found.append(
            inspect.Parameter(name, keyword, default=value, annotation=Annotated[kind, option])
        )
    return found


def output_options(
    default: str | None = TABLE, *, path: bool = True
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Add the output options to a command, which receives them as ``output: Output``.

    ``default``: the format when ``--format`` is not given (``None``: the command prints its
    own short form, a message or problem lines, and ``emit`` is for an explicit format);
    ``path=False``: no ``--sortie`` (the command's own ``--sortie`` names something else, the
    document goes to stdout)."""

    def decorate(command: Callable[..., Any]) -> Callable[..., Any]:
        # Annotations evaluated now (the command's module imports what they name): typer reads
        # the signature we give, as it is.
        signature = inspect.signature(command, eval_str=True)
        kept = [p for p in signature.parameters.values() if p.name != "output"]
        parameters = [
            p.replace(kind=inspect.Parameter.KEYWORD_ONLY) for p in kept
        ] + _parameters(default, path)

        def run(**values: Any) -> Any:
            chosen = values.pop("format")
            csv = values.pop("csv")
            output = Output(
                format=None if chosen is None else str(chosen.value),
                path=values.pop("sortie") if path else None,
                tables=tuple(values.pop("table") or ()),
                csv=None if csv is None else str(csv.value),
                max_bytes=values.pop("max_octets"),
                atlas=values.pop("atlas"),
            )
            return command(**values, output=output)

        run.__signature__ = signature.replace(parameters=parameters)  # type: ignore[attr-defined]
        run.__name__ = command.__name__
        run.__qualname__ = command.__qualname__
        run.__doc__ = command.__doc__
        run.__module__ = command.__module__
        return run

    return decorate

"""The ``rapport`` commands: the eight reports of DESIGN.md §7, in every format.

Each command loads the inventory, asks ``cartographie.reports`` for one document (neutral
tables), and either prints it as rich tables (``--format table``, the default) or writes it in a
file format from the reports' format registry, to stdout or to ``--sortie``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from cartographie.cli.common import (
    DEFAULT_INVENTORY,
    InventoryOption,
    fail,
    library_errors,
    load_portfolio,
    parse_cache_enabled,
    stderr_console,
    stdout_console,
    write_stdout,
)
from cartographie.cli.french import Typer

if TYPE_CHECKING:
    from cartographie.reports.table import ReportDocument, Table

rapport_app = Typer(
    name="rapport",
    help=(
        "Rapports pour les comités : convergence, impact, flux, CNIL, éditeurs, délégations, "
        "qualité, tendance — en tableau, markdown, csv, json ou html."
    ),
)


class Format(StrEnum):
    table = "table"
    markdown = "markdown"
    csv = "csv"
    json = "json"
    html = "html"


class ConvergenceFormat(StrEnum):
    table = "table"
    markdown = "markdown"
    csv = "csv"
    json = "json"
    html = "html"
    xlsx = "xlsx"


class TrendFormat(StrEnum):
    table = "table"
    markdown = "markdown"
    csv = "csv"
    json = "json"
    html = "html"
    svg = "svg"


class Par(StrEnum):
    commit = "commit"
    mois = "mois"


FORMAT_HELP = "table (terminal), markdown, csv (une table), json ou html."
FormatOption = Annotated[Format, typer.Option("--format", "-f", help=FORMAT_HELP)]
OutputOption = Annotated[
    Path | None,
    typer.Option(
        "--sortie",
        "-o",
        help="Fichier à écrire (sinon la sortie standard).",
        show_default=False,
        metavar="FICHIER",
    ),
]
TableOption = Annotated[
    list[str] | None,
    typer.Option(
        "--table",
        "-t",
        help="Ne garder que cette table (répétable) ; en csv, la table écrite.",
        show_default=False,
        metavar="NOM",
    ),
]
MonthsOption = Annotated[
    int, typer.Option("--mois", "-m", min=0, max=1200, help="Horizon, en mois.", metavar="N")
]
DateOption = Annotated[
    str | None,
    typer.Option(
        "--date",
        help="Date de référence AAAA-MM-JJ (par défaut aujourd'hui, ou SOURCE_DATE_EPOCH).",
        show_default=False,
        metavar="AAAA-MM-JJ",
    ),
]


def _reference_date(value: str | None) -> dt.date:
    from cartographie.reports.registry import default_reference_date

    if value is None:
        return default_reference_date()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        fail(f"date invalide : « {value} »", "attendu AAAA-MM-JJ, par exemple 2026-06-30")


def _select(document: ReportDocument, tables: list[str] | None) -> ReportDocument:
    if not tables:
        return document
    known = [table.name for table in document.tables]
    unknown = [name for name in tables if name not in known]
    if unknown:
        fail(f"table inconnue : {', '.join(unknown)}", f"tables de ce rapport : {', '.join(known)}")
    selected = document.only(tables)
    if len(tables) == 1:
        return dataclasses.replace(selected, primary=tables[0])
    return selected


def _emit(
    document: ReportDocument, format_name: str, sortie: Path | None, tables: list[str] | None
) -> None:
    """Print or write the document in the format asked for."""
    from cartographie.files import write_output_file
    from cartographie.reports.formats import FORMATS, render

    document = _select(document, tables)
    if format_name == "table":
        if sortie is not None:
            fail(
                "le format table s'affiche dans le terminal",
                "choisissez markdown, csv, json ou html",
            )
        _print_tables(document)
        return
    output_format = FORMATS[format_name]
    with library_errors():
        data = render(document, format_name)
    if output_format.single_table and len(document.tables) > 1:
        main = document.main_table
        others = [t.name for t in document.tables if main is None or t.name != main.name]
        stderr_console().print(
            f"csv : table « {main.name if main else ''} » ; autres tables : {', '.join(others)} "
            "(--table NOM)",
            markup=False,
        )
    if sortie is None:
        if isinstance(data, bytes):
            fail(f"le format {format_name} s'écrit dans un fichier", "ajoutez --sortie FICHIER")
        write_stdout(data)
        return
    with library_errors():
        write_output_file(sortie, data)
    stderr_console().print(f"Rapport écrit dans {sortie}.", markup=False)


WIDE = 240  # columns when stdout is not a terminal (a file, a pipe, a test)


def _print_tables(document: ReportDocument) -> None:
    import os

    console = stdout_console()
    if not console.is_terminal and "COLUMNS" not in os.environ:
        # Reports are wide: rich's 80 columns would squash every cell into "…".
        console.width = WIDE
    console.print(document.title, style="bold", markup=False)
    for label, value in document.parameters:
        console.print(f"{label} : {value}", markup=False, highlight=False)
    for table in document.tables:
        console.print(_rich_table(table))
        if table.note:
            console.print(table.note, style="dim", markup=False, highlight=False)
    for note in document.notes:
        console.print(note, markup=False, highlight=False)


def _rich_table(table: Table) -> object:
    from rich.table import Table as RichTable
    from rich.text import Text

    from cartographie.reports.formats import STYLE_COLOURS, human, is_numeric

    rich_table = RichTable(title=table.title, title_justify="left")
    for column in table.columns:
        rich_table.add_column(column.label, justify="right" if is_numeric(column) else "left")
    for index, row in enumerate(table.rows):
        styles = table.styles[index] if table.styles is not None else (None,) * len(row)
        cells = []
        for value, column, style in zip(row, table.columns, styles, strict=True):
            text = Text(human(value, column))
            if style is not None:
                background, colour = STYLE_COLOURS[style]
                text.stylize(f"{colour} on {background}")
            cells.append(text)
        rich_table.add_row(*cells)
    if not table.rows:
        rich_table.caption = "(aucune ligne)"
    return rich_table


def convergence(
    inventaire: InventoryOption = DEFAULT_INVENTORY,
    format: Annotated[
        ConvergenceFormat,
        typer.Option("--format", "-f", help=FORMAT_HELP + " xlsx avec --sortie."),
    ] = ConvergenceFormat.table,
    sortie: OutputOption = None,
    table: TableOption = None,
    zone: Annotated[
        str | None,
        typer.Option(
            "--zone",
            "-z",
            help="Ne garder que les blocs de cette zone (ou quartier).",
            metavar="ZONE",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Convergence par bloc, mutualisation par commune, matrice bloc × commune.

    Exemple : cartographie rapport convergence --format xlsx --sortie convergence.xlsx
    """
    from cartographie.reports.convergence import convergence_document

    portfolio = load_portfolio(inventaire)
    with library_errors():
        document = convergence_document(portfolio, zone)
    _emit(document, format.value, sortie, table)


def impact(
    inventaire: InventoryOption = DEFAULT_INVENTORY,
    format: FormatOption = Format.table,
    sortie: OutputOption = None,
    table: TableOption = None,
    bloc: Annotated[
        str | None,
        typer.Option(
            "--bloc",
            "-b",
            help="Bloc (ou quartier, zone) touché.",
            show_default=False,
            metavar="BLOC",
        ),
    ] = None,
    donnee: Annotated[
        str | None,
        typer.Option(
            "--donnee", "-d", help="Donnée touchée.", show_default=False, metavar="DONNEE"
        ),
    ] = None,
    editeur: Annotated[
        str | None,
        typer.Option(
            "--editeur", "-e", help="Éditeur touché.", show_default=False, metavar="EDITEUR"
        ),
    ] = None,
) -> None:
    """Ce qu'un changement touche : applications, communes, produits, éditeurs, flux, opérations.

    Exemple : cartographie rapport impact --bloc etat-civil
    """
    from cartographie.reports.impact import impact_document

    portfolio = load_portfolio(inventaire)
    with library_errors():
        document = impact_document(portfolio, block=bloc, data=donnee, vendor=editeur)
    _emit(document, format.value, sortie, table)


def flux(
    inventaire: InventoryOption = DEFAULT_INVENTORY,
    format: FormatOption = Format.table,
    sortie: OutputOption = None,
    table: TableOption = None,
) -> None:
    """Part des flux via le hub, économie d'une consolidation par donnée, contournements.

    Exemple : cartographie rapport flux --format csv --table donnees
    """
    from cartographie.reports.flows import flows_document

    portfolio = load_portfolio(inventaire)
    _emit(flows_document(portfolio), format.value, sortie, table)


def cnil(
    inventaire: InventoryOption = DEFAULT_INVENTORY,
    format: FormatOption = Format.table,
    sortie: OutputOption = None,
    table: TableOption = None,
) -> None:
    """Silos commune × secteur RU-030, flux qui franchissent un mur, données qui sortent.

    Exemple : cartographie rapport cnil --table franchissements --format markdown
    """
    from cartographie.reports.cnil import cnil_document

    portfolio = load_portfolio(inventaire)
    _emit(cnil_document(portfolio), format.value, sortie, table)


def editeurs(
    inventaire: InventoryOption = DEFAULT_INVENTORY,
    format: FormatOption = Format.table,
    sortie: OutputOption = None,
    table: TableOption = None,
) -> None:
    """Par éditeur : applications, communes, coût, blocs, API fermées ; suites.

    Exemple : cartographie rapport editeurs --format json | jq '.tables[0].lignes[0]'
    """
    from cartographie.reports.vendors import vendors_document

    portfolio = load_portfolio(inventaire)
    _emit(vendors_document(portfolio), format.value, sortie, table)


def delegations(
    inventaire: InventoryOption = DEFAULT_INVENTORY,
    format: FormatOption = Format.table,
    sortie: OutputOption = None,
    table: TableOption = None,
    mois: MonthsOption = 12,
    date: DateOption = None,
) -> None:
    """Applications des délégataires, fin des contrats, clauses sur les données, échéances.

    Exemple : cartographie rapport delegations --mois 24
    """
    from cartographie.reports.delegations import delegations_document

    reference = _reference_date(date)
    portfolio = load_portfolio(inventaire)
    _emit(delegations_document(portfolio, reference, mois), format.value, sortie, table)


def qualite(
    inventaire: InventoryOption = DEFAULT_INVENTORY,
    format: FormatOption = Format.table,
    sortie: OutputOption = None,
    table: TableOption = None,
    mois: Annotated[
        int,
        typer.Option(
            "--mois", "-m", min=0, max=1200, help="Âge maximal d'une revue, en mois.", metavar="N"
        ),
    ] = 12,
    date: DateOption = None,
) -> None:
    """Complétude en niveaux 1 à 3 (ANSSI, Mercator), revues anciennes, applications orphelines.

    Exemple : cartographie rapport qualite --mois 24 --table niveaux
    """
    from cartographie.reports.quality import quality_document

    reference = _reference_date(date)
    portfolio = load_portfolio(inventaire)
    _emit(quality_document(portfolio, reference, mois), format.value, sortie, table)


def tendance(
    inventaire: InventoryOption = DEFAULT_INVENTORY,
    format: Annotated[
        TrendFormat, typer.Option("--format", "-f", help=FORMAT_HELP + " svg : le graphique.")
    ] = TrendFormat.table,
    sortie: OutputOption = None,
    table: TableOption = None,
    par: Annotated[
        Par, typer.Option("--par", help="Un point par commit, ou par mois (le dernier commit).")
    ] = Par.commit,
    limite: Annotated[
        int | None,
        typer.Option(
            "--limite",
            "-n",
            min=1,
            help="Les N derniers commits seulement.",
            metavar="N",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Convergence et mutualisation au fil de l'historique git de l'inventaire.

    Exemple : cartographie rapport tendance --par mois --format svg --sortie tendance.svg
    """
    from cartographie.reports.trend import trend_document

    if not inventaire.is_dir():
        fail(
            f"inventaire introuvable : « {inventaire} » n'est pas un dossier",
            "indiquez le dossier avec -i/--inventaire (par défaut ./inventory)",
        )
    with library_errors():
        document = trend_document(inventaire, par.value, limite, cache=parse_cache_enabled())
    _emit(document, format.value, sortie, table)


def register(app: typer.Typer) -> None:
    for command in (convergence, impact, flux, cnil, editeurs, delegations, qualite, tendance):
        rapport_app.command()(command)
    app.add_typer(rapport_app, name="rapport")

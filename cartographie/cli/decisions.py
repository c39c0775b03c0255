"""Commands for the yearly choices of the communes: ``simuler`` (a scenario's before → after)
and ``dossier`` (the comité numérique communal's file).

``simuler`` never writes in the inventory unless ``--appliquer`` says so; then it writes the
scenario's text edits, each file replaced whole (written beside it, then renamed), so that the
result is an ordinary change for ``diff`` and the diagnostic.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from cartographie.cli.common import (
    DEFAULT_INVENTORY,
    InventoryOption,
    fail,
    library_errors,
    parse_cache_enabled,
    parse_moment_option,
    say,
    write_stdout,
)
from cartographie.cli.completion import ids_of
from cartographie.cli.output import Output, output_options

ScenarioArgument = Annotated[
    Path,
    typer.Argument(
        metavar="SCENARIO.yaml",
        help="Le fichier du scénario (cartographie schema --scenario : son schéma).",
        show_default=False,
    ),
]


@output_options()
def simuler(
    scenario: ScenarioArgument,
    inventaire: InventoryOption = DEFAULT_INVENTORY,
    appliquer: Annotated[
        bool,
        typer.Option(
            "--appliquer",
            help="Écrire les opérations dans l'inventaire (sinon rien n'y est écrit).",
        ),
    ] = False,
    carte: Annotated[
        Path | None,
        typer.Option(
            "--carte",
            metavar="FICHIER",
            help="Écrire aussi la carte du changement (.svg, .png, .pdf ou .dot).",
            show_default=False,
        ),
    ] = None,
    output: Output = Output(None),
) -> None:
    """Simule un scénario : avant → après (convergence, mutualisation, coûts, refacturation).

    Exemple : cartographie simuler lauzac-gmao-2027.yaml --carte lauzac-gmao-2027.svg
    """
    from cartographie.analysis.scenario import simulate
    from cartographie.errors import InventoryError
    from cartographie.inventory.loader import load_contents
    from cartographie.inventory.scenario import read_scenario
    from cartographie.reports.registry import default_reference_date
    from cartographie.reports.scenario import simulation_document

    if carte is not None and carte.suffix.lower().lstrip(".") not in MAP_FORMATS:
        from cartographie.errors import OptionError

        fail(
            OptionError(
                f"--carte : format inconnu « {carte.suffix or carte.name} »",
                "terminez le nom du fichier par .svg, .png, .pdf ou .dot",
            )
        )
    with library_errors():
        loaded = load_contents(inventaire, cache=parse_cache_enabled())
        if loaded.result.errors or loaded.result.inventory is None:
            raise InventoryError(loaded.result.problems, root=str(inventaire))
        parsed = read_scenario(scenario)
        simulation = simulate(
            parsed,
            loaded.result.inventory,
            loaded.contents,
            today=default_reference_date(),
            memo=loaded.memo,
        )
    if appliquer:
        from cartographie.files import write_files_atomic

        with library_errors():
            write_files_atomic(inventaire, simulation.edits)
    output.emit(simulation_document(simulation, loaded.contents, applied=appliquer))
    if carte is not None:
        _write_map(simulation, carte)
    if appliquer:
        written = ", ".join(simulation.edits) or "rien (aucun changement)"
        say(f"Écrit dans l'inventaire : {written}.")


MAP_FORMATS = ("svg", "png", "pdf", "dot")


def _write_map(simulation: object, target: Path) -> None:
    from cartographie.analysis.scenario import Simulation
    from cartographie.cli import cartes
    from cartographie.diff import diff_inventories
    from cartographie.views.diff import build_diff_map

    assert isinstance(simulation, Simulation)
    before = simulation.before.portfolio
    after = simulation.after.portfolio
    changeset = diff_inventories(before.inventory, after.inventory)
    with library_errors():
        view = build_diff_map(
            before,
            after,
            changeset.application_states(),
            changeset.flow_states(),
            title=f"Scénario : {simulation.scenario.name} ({simulation.year})",
            flow_ends_neighbours=False,
        )
    written = cartes.render_view(
        view,
        cartes.Format(target.suffix.lower().lstrip(".")),
        target,
        cartes.Moteur("auto"),
        120.0,
        target,
    )
    if written is not None:
        say(f"Carte du scénario écrite : {written}")


class FileFormat(StrEnum):
    html = "html"
    markdown = "markdown"
    pdf = "pdf"


def dossier(
    commune: Annotated[
        str,
        typer.Argument(
            metavar="COMMUNE",
            help="Identifiant de la commune.",
            show_default=False,
            autocompletion=ids_of("commune"),
        ),
    ],
    inventaire: InventoryOption = DEFAULT_INVENTORY,
    format: Annotated[
        FileFormat,
        typer.Option("--format", "-f", metavar="FORMAT", help="html, markdown ou pdf."),
    ] = FileFormat.html,
    sortie: Annotated[
        Path | None,
        typer.Option(
            "--sortie",
            "-o",
            metavar="FICHIER",
            help="Fichier à écrire, remplacé d'un coup (sinon la sortie standard ; pdf : "
            "obligatoire).",
            show_default=False,
        ),
    ] = None,
    date: Annotated[
        str | None,
        typer.Option(
            "--date",
            metavar="AAAA[-MM[-JJ]]",
            help="Le patrimoine à cette date, passée ou future (une année : le 1er janvier) : "
            "le dossier décrit le 1er janvier de son année, l'année refacturée ; contrats à "
            "échéance comptés depuis cette date (par défaut aujourd'hui, ou SOURCE_DATE_EPOCH).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Le dossier d'une commune pour son comité numérique : domaines, applications, coûts, et si…

    Exemple : cartographie dossier lauzac --format pdf --sortie dossier-lauzac.pdf
    """
    from cartographie.analysis.commune_file import CommuneFiles
    from cartographie.errors import InventoryError, OptionError
    from cartographie.files import write_output_file
    from cartographie.graph import Portfolio
    from cartographie.inventory.loader import load_contents
    from cartographie.reports.commune_file import commune_file_document
    from cartographie.reports.registry import default_reference_date

    if format is FileFormat.pdf and (sortie is None or str(sortie) == "-"):
        fail(OptionError("le format pdf s'écrit dans un fichier", "ajoutez --sortie FICHIER.pdf"))
    reference = parse_moment_option(date) or default_reference_date()
    with library_errors():
        loaded = load_contents(inventaire, cache=parse_cache_enabled())
        if loaded.result.errors or loaded.result.inventory is None:
            raise InventoryError(loaded.result.problems, root=str(inventaire))
        portfolio = Portfolio(loaded.result.inventory)
        files = CommuneFiles(
            portfolio, reference_date=reference, contents=loaded.contents, memo=loaded.memo
        )
        found = files.file(commune)
        # The map shows what the file describes: the portfolio on 1 January of its year.
        document = commune_file_document(found, commune_map_svg(found.state.portfolio, commune))
        data: str | bytes
        if format is FileFormat.pdf:
            from cartographie.render.document_pdf import document_to_pdf

            data = document_to_pdf(document)
        elif format is FileFormat.markdown:
            from cartographie.document.markdown import to_markdown

            data = to_markdown(document)
        else:
            from cartographie.document.htmlpage import to_html

            data = to_html(document)
        if sortie is None or str(sortie) == "-":
            write_stdout(data)
            return
        write_output_file(sortie, data)
    say(f"Dossier écrit : {sortie}")


def commune_map_svg(portfolio: Any, commune: str) -> str | None:
    """The commune's map as SVG, or ``None`` (with a message) when it cannot be drawn."""
    from cartographie.errors import CartographieError
    from cartographie.render import render_source, to_dot
    from cartographie.views import MAP_KINDS, MapOptions

    try:
        view = MAP_KINDS["commune"].builder(portfolio, commune, MapOptions())
        result = render_source(to_dot(view), "svg")
    except CartographieError as error:
        say(f"attention : carte de la commune non dessinée ({error.message})")
        return None
    for warning in result.warnings:
        say(f"attention : {warning}")
    return result.data.decode("utf-8")


def register(app: typer.Typer) -> None:
    app.command()(simuler)
    app.command()(dossier)

"""Commands on the inventory itself: valider, stats, schema, exemple."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cartographie.cli.common import (
    DEFAULT_INVENTORY,
    EXIT_INVALID,
    InventoryOption,
    MomentOption,
    library_errors,
    load_portfolio,
    parse_cache_enabled,
    parse_moment_option,
    resolve_inventory,
    say,
    write_stdout,
)
from cartographie.cli.output import Output, output_options
from cartographie.cli.progress import QuietOption, progress_bar

DirectoryArgument = Annotated[
    Path | None,
    typer.Argument(
        help="Dossier de l'inventaire (remplace -i).", show_default=False, metavar="DOSSIER"
    ),
]


@output_options(default=None)
def valider(
    dossier: DirectoryArgument = None,
    inventaire: InventoryOption = DEFAULT_INVENTORY,
    output: Output = Output(None),
) -> None:
    """Valide l'inventaire : tous les problèmes à la fois, un par ligne (fichier:ligne).

    Exemple : cartographie valider inventory/
    """
    from cartographie.inventory import validate_inventory
    from cartographie.reports.validation import (
        problems_sentence,
        valid_sentence,
        validation_document,
    )

    directory = resolve_inventory(inventaire, dossier)
    with library_errors():
        result = validate_inventory(directory, cache=parse_cache_enabled())
    invalid = bool(result.errors) or result.inventory is None
    if output.format is not None:
        output.emit(validation_document(result.problems, result.inventory, str(directory)))
    else:
        for problem in sorted(result.problems, key=lambda item: item.sort_key()):
            say(problem.format(str(directory)))
        if result.problems:
            say(problems_sentence(len(result.problems)))
        if not invalid and result.inventory is not None:
            say(valid_sentence(result.inventory))
    if invalid:
        raise typer.Exit(EXIT_INVALID)


@output_options()
def stats(
    dossier: DirectoryArgument = None,
    inventaire: InventoryOption = DEFAULT_INVENTORY,
    date: MomentOption = None,
    output: Output = Output(None),
) -> None:
    """Compte le patrimoine : par commune, couche, zone et bloc ; mutualisation ; flux.

    Exemple : cartographie stats --format json | jq .applications
    """
    from cartographie.reports.stats import stats_document

    moment = parse_moment_option(date)
    portfolio = load_portfolio(resolve_inventory(inventaire, dossier), moment)
    output.emit(stats_document(portfolio))


def schema(
    scenario: Annotated[
        bool,
        typer.Option(
            "--scenario", help="Le schéma des fichiers de scénario (cartographie simuler)."
        ),
    ] = False,
) -> None:
    """Affiche le schéma JSON des fichiers d'inventaire, ou de scénario (pour l'éditeur).

    Exemple : cartographie schema > inventory/inventaire.schema.json
    """
    from cartographie.schema import inventory_json_schema_text, scenario_json_schema_text

    write_stdout(scenario_json_schema_text() if scenario else inventory_json_schema_text())


def exemple(
    sortie: Annotated[
        Path,
        typer.Option(
            "--sortie", "-o", metavar="DOSSIER", help="Dossier où écrire l'inventaire généré."
        ),
    ],
    echelle: Annotated[
        int,
        typer.Option(
            "--echelle",
            "-e",
            metavar="N",
            min=1,
            max=1000,
            help="Multiplicateur : 1 = la métropole de référence, 10 ou 100 pour les mesures.",
        ),
    ] = 1,
    graine: Annotated[
        int, typer.Option("--graine", metavar="ENTIER", help="Graine du générateur.")
    ] = 2026,
    force: Annotated[
        bool, typer.Option("--force", help="Remplacer le dossier s'il existe déjà.")
    ] = False,
    silencieux: QuietOption = False,
) -> None:
    """Génère l'inventaire d'une métropole de référence (déterministe pour une graine donnée).

    Exemple : cartographie exemple --echelle 10 --sortie /tmp/metropole-x10
    """
    from cartographie.document import numbers
    from cartographie.generator import write_reference_inventory

    with library_errors(), progress_bar(silencieux) as progress:
        summary = write_reference_inventory(
            sortie, scale=echelle, seed=graine, force=force, progress=progress
        )
    say(
        f"Inventaire écrit dans {sortie} : {numbers.count(summary.communes, 'commune')}, "
        f"{numbers.count(summary.applications, 'application')}, "
        f"{numbers.integer(summary.flows)} flux."
    )


def register(app: typer.Typer) -> None:
    app.command()(valider)
    app.command()(stats)
    app.command()(schema)
    app.command()(exemple)

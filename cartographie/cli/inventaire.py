"""Commands on the inventory itself: valider, stats, schema, exemple."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from cartographie.cli.common import (
    DEFAULT_INVENTORY,
    EXIT_INVALID,
    InventoryOption,
    library_errors,
    load_portfolio,
    parse_cache_enabled,
    report_problems,
    resolve_inventory,
    stderr_console,
    stdout_console,
    write_stdout,
)

if TYPE_CHECKING:
    from cartographie.analysis.stats import Stats

DirectoryArgument = Annotated[
    Path | None,
    typer.Argument(
        help="Dossier de l'inventaire (remplace -i).", show_default=False, metavar="DOSSIER"
    ),
]


class StatsFormat(StrEnum):
    table = "table"
    json = "json"


def valider(
    dossier: DirectoryArgument = None,
    inventaire: InventoryOption = DEFAULT_INVENTORY,
) -> None:
    """Valide l'inventaire : tous les problèmes à la fois, un par ligne (fichier:ligne).

    Exemple : cartographie valider inventory/
    """
    from cartographie.inventory import validate_inventory

    directory = resolve_inventory(inventaire, dossier)
    with library_errors():
        result = validate_inventory(directory, cache=parse_cache_enabled())
    if result.problems:
        lines = [problem.format(str(directory)) for problem in result.problems]
        report_problems(lines, len(result.problems))
    if result.errors or result.inventory is None:
        raise typer.Exit(EXIT_INVALID)
    inventory = result.inventory
    external = sum(1 for app_id in inventory.applications if inventory.is_external(app_id))
    stderr_console().print(
        f"Inventaire valide : {len(inventory.communes)} communes, "
        f"{len(inventory.applications) - external} applications "
        f"(et {external} d'organismes extérieurs), {len(inventory.flows)} flux.",
        markup=False,
    )


def stats(
    dossier: DirectoryArgument = None,
    inventaire: InventoryOption = DEFAULT_INVENTORY,
    format: Annotated[
        StatsFormat,
        typer.Option("--format", "-f", metavar="FORMAT", help="table (terminal) ou json."),
    ] = StatsFormat.table,
) -> None:
    """Compte le patrimoine : par commune, couche, zone et bloc ; mutualisation ; flux.

    Exemple : cartographie stats --format json | jq .applications
    """
    from cartographie.analysis.stats import compute_stats

    portfolio = load_portfolio(resolve_inventory(inventaire, dossier))
    result = compute_stats(portfolio)
    if format is StatsFormat.json:
        text = json.dumps(result.to_dict(), ensure_ascii=False, indent=2, sort_keys=True)
        write_stdout(text + "\n")
        return
    _print_stats_tables(result)


def _print_stats_tables(result: Stats) -> None:
    from rich.table import Table

    from cartographie.model.vocabulary import LAYER_LABELS, LAYERS

    console = stdout_console()
    summary = Table(title="Patrimoine applicatif", title_justify="left", show_header=False)
    summary.add_column("Indicateur")
    summary.add_column("Valeur", justify="right")
    hub_share = result.flows_via_hub / result.flows if result.flows else 0.0
    rows = [
        ("Communes", result.communes),
        ("Applications", result.applications),
        ("Applications mutualisées", result.shared_applications),
        ("Couples commune × application", result.use_pairs),
        ("Applications d'organismes extérieurs", result.external_applications),
        ("Blocs fonctionnels", result.blocks),
        ("Processus", result.processes),
        ("Éditeurs / produits", f"{result.vendors} / {result.products}"),
        ("Flux", result.flows),
        ("  dont point à point", result.flows_point_to_point),
        ("  dont via un hub", f"{result.flows_via_hub} ({hub_share:.0%})"),
    ]
    for label, value in rows:
        summary.add_row(label, str(value))
    console.print(summary)

    communes = Table(title="Par commune", title_justify="left")
    communes.add_column("Commune")
    communes.add_column("Applications", justify="right")
    communes.add_column("Propres", justify="right")
    communes.add_column("Mutualisées", justify="right")
    for layer in LAYERS:
        communes.add_column(LAYER_LABELS[layer].split(" (")[0], justify="right")
    for row in result.per_commune:
        communes.add_row(
            row.name,
            str(row.applications),
            str(row.owned),
            str(row.shared),
            *(str(row.by_layer[layer]) for layer in LAYERS),
        )
    console.print(communes)

    zones = Table(title="Par zone", title_justify="left")
    zones.add_column("Zone")
    zones.add_column("Blocs", justify="right")
    zones.add_column("Applications", justify="right")
    for zone in result.per_zone:
        zones.add_row(zone.name, str(zone.blocks), str(zone.applications))
    console.print(zones)

    zone_names = {zone.zone: zone.name for zone in result.per_zone}
    blocks = Table(title="Par bloc fonctionnel", title_justify="left")
    blocks.add_column("Bloc")
    blocks.add_column("Zone")
    blocks.add_column("Applications", justify="right")
    blocks.add_column("Communes", justify="right")
    for block in result.per_block:
        zone_name = zone_names.get(block.zone, block.zone)
        blocks.add_row(block.name, zone_name, str(block.applications), str(block.communes))
    console.print(blocks)


def schema() -> None:
    """Affiche le schéma JSON des fichiers d'inventaire (pour l'éditeur).

    Exemple : cartographie schema > inventory/inventaire.schema.json
    """
    from cartographie.schema import inventory_json_schema_text

    write_stdout(inventory_json_schema_text())


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
) -> None:
    """Génère l'inventaire d'une métropole de référence (déterministe pour une graine donnée).

    Exemple : cartographie exemple --echelle 10 --sortie /tmp/metropole-x10
    """
    from cartographie.generator import write_reference_inventory

    with library_errors():
        summary = write_reference_inventory(sortie, scale=echelle, seed=graine, force=force)
    stderr_console().print(
        f"Inventaire écrit dans {sortie} : {summary.communes} communes, "
        f"{summary.applications} applications, {summary.flows} flux.",
        markup=False,
    )


def register(app: typer.Typer) -> None:
    app.command()(valider)
    app.command()(stats)
    app.command()(schema)
    app.command()(exemple)

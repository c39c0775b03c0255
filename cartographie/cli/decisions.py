"""Commands for the yearly choices of the communes: ``simuler`` (a scenario's before → after)
and ``dossier`` (the comité numérique communal's file).

``simuler`` never writes in the inventory unless ``--appliquer`` says so; then it writes the
scenario's text edits, each file replaced whole (written beside it, then renamed), so that the
result is an ordinary change for ``diff`` and the diagnostic.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cartographie.cli.common import (
    DEFAULT_INVENTORY,
    InventoryOption,
    fail,
    library_errors,
    parse_cache_enabled,
    say,
)
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


def register(app: typer.Typer) -> None:
    app.command()(simuler)

"""The ``carte`` commands (one map) and ``atlas`` (every map and the static site)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from cartographie.cli.common import (
    DEFAULT_INVENTORY,
    EXIT_INVALID,
    InventoryOption,
    fail,
    library_errors,
    load_portfolio,
    say,
    stderr_console,
    write_stdout,
)
from cartographie.cli.french import Typer

if TYPE_CHECKING:
    from cartographie.views.model import View


class Format(StrEnum):
    svg = "svg"
    png = "png"
    pdf = "pdf"
    dot = "dot"


class Moteur(StrEnum):
    auto = "auto"
    systeme = "systeme"
    embarque = "embarque"


class Couche(StrEnum):
    interface = "interface"
    metier = "metier"
    support = "support"


class Cycle(StrEnum):
    projet = "projet"
    production = "production"
    convergence = "convergence"
    a_retirer = "a-retirer"
    retiree = "retiree"


FormatOption = Annotated[
    Format, typer.Option("--format", "-f", help="svg (par défaut), png, pdf ou dot (source).")
]
OutputOption = Annotated[
    Path | None,
    typer.Option(
        "--sortie",
        "-o",
        help="Fichier à écrire ; « - » pour la sortie standard ; par défaut <type>-<id>.<format>.",
        show_default=False,
        metavar="FICHIER",
    ),
]
EngineOption = Annotated[
    Moteur,
    typer.Option(
        "--moteur",
        help="auto (le moteur embarqué), systeme (dot du PATH, repli sur l'embarqué) ou embarque.",
    ),
]
LayerOption = Annotated[
    list[Couche] | None,
    typer.Option(
        "--couche",
        help="Ne garder que cette couche (répétable) : interface, metier, support.",
        show_default=False,
        metavar="COUCHE",
    ),
]
CycleOption = Annotated[
    list[Cycle] | None,
    typer.Option(
        "--cycle",
        help="Ne garder que ce cycle de vie (répétable) : projet, production, convergence, "
        "a-retirer, retiree ; par défaut tout sauf « retiree ».",
        show_default=False,
        metavar="CYCLE",
    ),
]
NoFlowOption = Annotated[bool, typer.Option("--sans-flux", help="Ne pas dessiner les flux.")]
TimeoutOption = Annotated[
    float,
    typer.Option(
        "--delai", min=1, help="Durée maximale d'un rendu, en secondes.", metavar="SECONDES"
    ),
]

carte_app = Typer(
    name="carte",
    help="Dessine une carte : commune, bloc, processus ou plan d'occupation des sols.",
)


def render_view(
    view: View,
    format: Format,
    sortie: Path | None,
    moteur: Moteur,
    delai: float,
    default: Path,
) -> Path | None:
    """Draw a view and write it (``-`` : stdout, svg or dot); the file written, if any."""
    from cartographie.errors import OptionError, WriteError
    from cartographie.files import write_file_atomic
    from cartographie.render import render_source, to_dot

    with library_errors():
        source = to_dot(view)
        if format is Format.dot:
            data = source.encode("utf-8")
        else:
            result = render_source(source, format.value, moteur.value, delai)
            for warning in result.warnings:
                say(f"attention : {warning}")
            data = result.data
    if sortie is not None and str(sortie) == "-":
        if format in (Format.svg, Format.dot):
            write_stdout(data)
            return None
        fail(
            OptionError(
                "la sortie standard n'accepte que svg ou dot", "donnez un fichier avec --sortie"
            )
        )
    target = sortie or default
    try:
        write_file_atomic(target, data)
    except OSError as error:
        fail(WriteError(f"impossible d'écrire {target} : {error.strerror or error}"))
    return target


def _draw(
    kind: str,
    object_id: str,
    inventaire: Path,
    format: Format,
    sortie: Path | None,
    moteur: Moteur,
    couche: list[Couche] | None,
    cycle: list[Cycle] | None,
    sans_flux: bool,
    commune: str | None = None,
    delai: float = 120.0,
) -> None:
    from cartographie.render import safe_filename
    from cartographie.views import MapOptions, build_view

    portfolio = load_portfolio(inventaire)
    options = MapOptions(
        layers=tuple(item.value for item in couche or ()),
        lifecycles=tuple(item.value for item in cycle or ()),
        flows=not sans_flux,
        commune=commune,
    )
    with library_errors():
        view = build_view(portfolio, kind, object_id, options)
    name = kind if kind == "pos" else f"{kind}-{safe_filename(view.key)}"
    target = render_view(view, format, sortie, moteur, delai, Path(f"{name}.{format.value}"))
    if target is not None:
        say(f"Carte écrite : {target}")


def carte_commune(
    commune_id: Annotated[str, typer.Argument(metavar="ID", help="Identifiant de la commune.")],
    inventaire: InventoryOption = DEFAULT_INVENTORY,
    format: FormatOption = Format.svg,
    sortie: OutputOption = None,
    moteur: EngineOption = Moteur.auto,
    couche: LayerOption = None,
    cycle: CycleOption = None,
    sans_flux: NoFlowOption = False,
    delai: TimeoutOption = 120.0,
) -> None:
    """Carte d'une commune : ses applications en trois bandes (interface, métier, support).

    Exemple : cartographie carte commune aurelle --format png
    """
    _draw(
        "commune",
        commune_id,
        inventaire,
        format,
        sortie,
        moteur,
        couche,
        cycle,
        sans_flux,
        delai=delai,
    )


def carte_bloc(
    bloc_id: Annotated[str, typer.Argument(metavar="ID", help="Identifiant du bloc fonctionnel.")],
    inventaire: InventoryOption = DEFAULT_INVENTORY,
    format: FormatOption = Format.svg,
    sortie: OutputOption = None,
    moteur: EngineOption = Moteur.auto,
    couche: LayerOption = None,
    cycle: CycleOption = None,
    sans_flux: NoFlowOption = False,
    delai: TimeoutOption = 120.0,
) -> None:
    """Carte d'un bloc fonctionnel : ses applications, toutes communes confondues.

    Exemple : cartographie carte bloc proximite --sortie proximite.svg
    """
    _draw(
        "bloc", bloc_id, inventaire, format, sortie, moteur, couche, cycle, sans_flux, delai=delai
    )


def carte_processus(
    processus_id: Annotated[str, typer.Argument(metavar="ID", help="Identifiant du processus.")],
    commune: Annotated[
        str | None,
        typer.Option("--commune", help="Les applications de cette commune seulement."),
    ] = None,
    inventaire: InventoryOption = DEFAULT_INVENTORY,
    format: FormatOption = Format.svg,
    sortie: OutputOption = None,
    moteur: EngineOption = Moteur.auto,
    couche: LayerOption = None,
    cycle: CycleOption = None,
    sans_flux: NoFlowOption = False,
    delai: TimeoutOption = 120.0,
) -> None:
    """Carte d'un processus : les étapes dans l'ordre, leurs acteurs et leurs applications.

    Exemple : cartographie carte processus gdu --commune aurelle
    """
    _draw(
        "processus",
        processus_id,
        inventaire,
        format,
        sortie,
        moteur,
        couche,
        cycle,
        sans_flux,
        commune=commune,
        delai=delai,
    )


def carte_pos(
    inventaire: InventoryOption = DEFAULT_INVENTORY,
    format: FormatOption = Format.svg,
    sortie: OutputOption = None,
    moteur: EngineOption = Moteur.auto,
    couche: LayerOption = None,
    cycle: CycleOption = None,
    delai: TimeoutOption = 120.0,
) -> None:
    """Plan d'occupation des sols : zones, quartiers et blocs, colorés par taux de convergence.

    Exemple : cartographie carte pos --format pdf --sortie pos.pdf
    """
    _draw("pos", "pos", inventaire, format, sortie, moteur, couche, cycle, False, delai=delai)


def atlas(
    inventaire: InventoryOption = DEFAULT_INVENTORY,
    sortie: Annotated[
        Path, typer.Option("--sortie", "-o", help="Dossier du site à écrire.", metavar="DOSSIER")
    ] = Path("atlas"),
    moteur: EngineOption = Moteur.auto,
    processus_paralleles: Annotated[
        int,
        typer.Option(
            "--jobs",
            "-j",
            min=0,
            help="Processus de rendu (0 : automatique, un par cœur moins un ; 1 : aucun).",
            metavar="N",
        ),
    ] = 0,
    delai: TimeoutOption = 120.0,
    complet: Annotated[
        bool, typer.Option("--complet", help="Tout redessiner, même les cartes inchangées.")
    ] = False,
) -> None:
    """Atlas : toutes les cartes et un site HTML statique, à ouvrir sans serveur.

    Exemple : cartographie atlas -i inventory --sortie atlas && xdg-open atlas/index.html
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from cartographie.atlas import AtlasOptions, build_atlas
    from cartographie.document import numbers

    portfolio = load_portfolio(inventaire)
    console = stderr_console()
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
        # Not in a pipe or a CI log: only a terminal shows a bar.
        disable=not console.is_terminal,
    ) as progress:
        task = progress.add_task("Cartes", total=None)

        def advance(done: int, total: int, label: str) -> None:
            progress.update(task, completed=done, total=total, description=label)

        with library_errors():
            result = build_atlas(
                portfolio,
                sortie,
                AtlasOptions(
                    engine=moteur.value, jobs=processus_paralleles, timeout=delai, force=complet
                ),
                progress=advance,
            )
    for problem in result.failures:
        say(f"attention : {problem}")
    for warning in result.warnings:
        say(f"attention : {warning}")
    say(
        f"Atlas écrit dans {sortie} : {numbers.count(result.maps, 'carte')} "
        f"({numbers.integer(result.rendered)} dessinées, {numbers.integer(result.reused)} "
        f"inchangées, {numbers.integer(result.removed)} supprimées), "
        f"{numbers.count(result.pages, 'page')}. Ouvrez {sortie / 'index.html'}"
    )
    if result.failures:
        raise typer.Exit(EXIT_INVALID)


def register(app: typer.Typer) -> None:
    carte_app.command("commune")(carte_commune)
    carte_app.command("bloc")(carte_bloc)
    carte_app.command("processus")(carte_processus)
    carte_app.command("pos")(carte_pos)
    app.add_typer(carte_app, name="carte")
    app.command()(atlas)

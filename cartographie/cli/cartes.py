"""The ``carte`` commands (one map), generated from the map kinds' registry, and ``atlas``.

A map kind of :data:`cartographie.views.registry.MAP_KINDS` that has a command gets one here:
its help, example and ID argument come from the registry, the choices of ``--format``,
``--moteur``, ``--couche`` and ``--cycle`` from the renderer's and the vocabulary's lists.
"""

from __future__ import annotations

import inspect
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeAlias

import typer

from cartographie.cli.common import (
    DEFAULT_INVENTORY,
    EXIT_INVALID,
    InventoryOption,
    MomentOption,
    fail,
    library_errors,
    load_portfolio,
    parse_moment_option,
    say,
    write_stdout,
)
from cartographie.cli.completion import ids_of
from cartographie.cli.french import Typer
from cartographie.cli.output import choices
from cartographie.cli.progress import QuietOption, progress_bar
from cartographie.model.vocabulary import LAYERS, LIFECYCLES
from cartographie.render.names import ENGINE_NAMES, OUTPUT_FORMATS
from cartographie.views.registry import MAP_KINDS, MapKind

if TYPE_CHECKING:
    from enum import StrEnum

    from cartographie.views.model import View

    Format: TypeAlias = StrEnum
    Moteur: TypeAlias = StrEnum
    Couche: TypeAlias = StrEnum
    Cycle: TypeAlias = StrEnum
else:  # the choices, from the renderer's and the vocabulary's lists
    Format = choices("MapFormat", list(OUTPUT_FORMATS))
    Moteur = choices("Engine", list(ENGINE_NAMES))
    Couche = choices("Layer", list(LAYERS))
    Cycle = choices("Lifecycle", list(LIFECYCLES))

FormatOption = Annotated[
    Format,
    typer.Option("--format", "-f", help="svg (par défaut), png, pdf ou dot (source)."),
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
TimeoutOption = Annotated[
    float,
    typer.Option(
        "--delai", min=1, help="Durée maximale d'un rendu, en secondes.", metavar="SECONDES"
    ),
]
_FILTERS: dict[str, tuple[Any, Any]] = {
    "couche": (
        Annotated[
            list[Couche] | None,
            typer.Option(
                "--couche",
                help="Ne garder que cette couche (répétable) : " + ", ".join(LAYERS) + ".",
                show_default=False,
                metavar="COUCHE",
            ),
        ],
        None,
    ),
    "cycle": (
        Annotated[
            list[Cycle] | None,
            typer.Option(
                "--cycle",
                help="Ne garder que ce cycle de vie (répétable) : "
                + ", ".join(LIFECYCLES)
                + " ; par défaut tout sauf « retiree ».",
                show_default=False,
                metavar="CYCLE",
            ),
        ],
        None,
    ),
}

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
        source = to_dot(view, engine=moteur.value)
        if format.value == "dot":
            data = source.encode("utf-8")
        else:
            result = render_source(source, format.value, moteur.value, delai)
            for warning in result.warnings:
                say(f"attention : {warning}")
            data = result.data
    if sortie is not None and str(sortie) == "-":
        if format.value in ("svg", "dot"):
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


def _command(kind: MapKind) -> Any:
    def run(
        inventaire: Path,
        format: Any,
        sortie: Path | None,
        moteur: Any,
        couche: list[Any] | None,
        cycle: list[Any] | None,
        delai: float,
        identifiant: str = "pos",
        commune: str | None = None,
        sans_flux: bool = False,
        date: str | None = None,
    ) -> None:
        from cartographie.render import safe_filename
        from cartographie.views import MapOptions, build_view

        portfolio = load_portfolio(inventaire, parse_moment_option(date))
        options = MapOptions(
            layers=tuple(item.value for item in couche or ()),
            lifecycles=tuple(item.value for item in cycle or ()),
            flows=not sans_flux,
            commune=commune,
        )
        with library_errors():
            view = build_view(portfolio, kind.name, identifiant, options)
        name = kind.name if kind.argument is None else f"{kind.name}-{safe_filename(view.key)}"
        target = render_view(view, format, sortie, moteur, delai, Path(f"{name}.{format.value}"))
        if target is not None:
            say(f"Carte écrite : {target}")

    keyword = inspect.Parameter.KEYWORD_ONLY
    parameters = []
    if kind.argument is not None:
        argument = Annotated[
            str,
            typer.Argument(metavar="ID", help=kind.argument, autocompletion=ids_of(kind.noun)),
        ]
        parameters.append(inspect.Parameter("identifiant", keyword, annotation=argument))
    if kind.by_commune:
        option = typer.Option(
            "--commune",
            help="Les applications de cette commune seulement.",
            metavar="ID",
            autocompletion=ids_of("commune"),
        )
        parameters.append(
            inspect.Parameter(
                "commune", keyword, default=None, annotation=Annotated[str | None, option]
            )
        )
    parameters += [
        inspect.Parameter(
            "inventaire", keyword, default=DEFAULT_INVENTORY, annotation=InventoryOption
        ),
        inspect.Parameter("format", keyword, default=Format("svg"), annotation=FormatOption),
        inspect.Parameter("sortie", keyword, default=None, annotation=OutputOption),
        inspect.Parameter("moteur", keyword, default=Moteur("auto"), annotation=EngineOption),
        *(
            inspect.Parameter(name, keyword, default=default, annotation=annotation)
            for name, (annotation, default) in _FILTERS.items()
        ),
    ]
    if kind.flows:
        option = typer.Option("--sans-flux", help="Ne pas dessiner les flux.")
        parameters.append(
            inspect.Parameter(
                "sans_flux", keyword, default=False, annotation=Annotated[bool, option]
            )
        )
    parameters.append(inspect.Parameter("date", keyword, default=None, annotation=MomentOption))
    parameters.append(inspect.Parameter("delai", keyword, default=120.0, annotation=TimeoutOption))
    run.__signature__ = inspect.Signature(parameters)  # type: ignore[attr-defined]
    run.__doc__ = f"{kind.help}\n\nExemple : {kind.example}"
    return run


def atlas(
    inventaire: InventoryOption = DEFAULT_INVENTORY,
    sortie: Annotated[
        Path, typer.Option("--sortie", "-o", help="Dossier du site à écrire.", metavar="DOSSIER")
    ] = Path("atlas"),
    moteur: EngineOption = Moteur("auto"),
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
    date: MomentOption = None,
    silencieux: QuietOption = False,
) -> None:
    """Atlas : toutes les cartes et un site HTML statique, à ouvrir sans serveur.

    Avec --date, l'atlas du patrimoine à cette date : dans l'avenir, l'état cible des chantiers.

    Exemple : cartographie atlas -i inventory --sortie atlas && xdg-open atlas/index.html
    """
    from cartographie.atlas import AtlasOptions, build_atlas
    from cartographie.document import numbers

    moment = parse_moment_option(date)
    portfolio = load_portfolio(inventaire)
    with library_errors(), progress_bar(silencieux) as progress:
        result = build_atlas(
            portfolio,
            sortie,
            AtlasOptions(
                engine=moteur.value,
                jobs=processus_paralleles,
                timeout=delai,
                force=complet,
                moment=moment,
            ),
            progress=progress,
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
    for kind in MAP_KINDS.values():
        if kind.command:
            carte_app.command(kind.name)(_command(kind))
    app.add_typer(carte_app, name="carte")
    app.command()(atlas)

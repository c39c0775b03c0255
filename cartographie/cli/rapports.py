"""The ``rapport`` commands, generated from the reports' registry.

One command per :class:`~cartographie.reports.registry.ReportSpec`: its options come from the
spec (``--zone``, ``--mois``, ``--date``…), its output options from :mod:`cartographie.cli.output`
and its help from the spec's title, description and example. Adding a report touches the
registry, not this file.
"""

from __future__ import annotations

import inspect
from pathlib import Path
from typing import Annotated, Any

import typer

from cartographie.cli.common import (
    DEFAULT_INVENTORY,
    InventoryOption,
    MomentOption,
    fail,
    library_errors,
    load_portfolio,
    parse_cache_enabled,
    parse_date,
    parse_moment_option,
)
from cartographie.cli.completion import ids_of
from cartographie.cli.french import Typer
from cartographie.cli.output import Output, choices, output_options
from cartographie.cli.progress import QuietOption, progress_bar
from cartographie.inventory.ids import ID_KINDS
from cartographie.reports.registry import (
    REPORTS,
    ReportOption,
    ReportSource,
    ReportSpec,
    run_report,
)

rapport_app = Typer(
    name="rapport",
    help="Rapports pour les comités : "
    + ", ".join(spec.name for spec in REPORTS)
    + " — en tableau, markdown, csv, json, html ou xlsx.",
)


def _parameter(option: ReportOption) -> inspect.Parameter:
    names = [option.flag, *([option.short] if option.short else [])]
    metavar = option.metavar or None
    annotation: Any
    default = option.default
    if option.kind == "choice":
        enum = choices(f"{option.name.capitalize()}Choice", list(option.choices))
        if option.default is None:
            annotation = Annotated[
                enum | None,
                typer.Option(*names, help=option.help, metavar=metavar, show_default=False),
            ]
        else:
            annotation = Annotated[enum, typer.Option(*names, help=option.help, metavar=metavar)]
            default = enum(option.default)
    elif option.kind == "integer":
        kind = int if option.default is not None else int | None
        annotation = Annotated[
            kind,
            typer.Option(
                *names,
                help=option.help,
                metavar=metavar,
                show_default=option.default is not None,
                min=option.minimum,
                max=option.maximum,
            ),
        ]
    else:  # text, date: a date is parsed here, with a French message
        # an id of the inventory (--commune, --bloc, --zone…): TAB offers them
        completes = ids_of(option.name) if option.name in ID_KINDS else None
        annotation = Annotated[
            str | None,
            typer.Option(
                *names,
                help=option.help,
                metavar=metavar,
                show_default=False,
                autocompletion=completes,
            ),
        ]
    return inspect.Parameter(
        option.name, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=annotation
    )


def _command(spec: ReportSpec) -> Any:
    def run(
        inventaire: Path,
        output: Output,
        date: str | None = None,
        silencieux: bool = False,
        **options: Any,
    ) -> None:
        moment = parse_moment_option(date)
        for option in spec.options:
            value = options.get(option.name)
            if option.kind == "date" and value is not None:
                options[option.name] = parse_date(value, option.flag)
            elif option.kind == "choice" and value is not None:
                options[option.name] = str(value.value)
        source = ReportSource(
            inventaire,
            lambda: load_portfolio(inventaire),
            cache=parse_cache_enabled(),
            moment=moment,
        )
        if not inventaire.is_dir():
            from cartographie.errors import PathError

            fail(
                PathError(
                    f"inventaire introuvable : « {inventaire} » n'est pas un dossier",
                    "indiquez le dossier avec -i/--inventaire (par défaut ./inventory)",
                )
            )
        with library_errors(), progress_bar(silencieux or not spec.slow) as progress:
            source.progress = progress
            document = run_report(spec, source, **options)
        output.emit(document)

    parameters = [
        inspect.Parameter(
            "inventaire",
            inspect.Parameter.KEYWORD_ONLY,
            default=DEFAULT_INVENTORY,
            annotation=InventoryOption,
        ),
        *(_parameter(option) for option in spec.options),
        inspect.Parameter(
            "date", inspect.Parameter.KEYWORD_ONLY, default=None, annotation=MomentOption
        ),
        inspect.Parameter("output", inspect.Parameter.KEYWORD_ONLY, annotation=Output),
    ]
    if spec.slow:  # a bar on a terminal, and the option that silences it
        parameters.insert(
            -1,
            inspect.Parameter(
                "silencieux", inspect.Parameter.KEYWORD_ONLY, default=False, annotation=QuietOption
            ),
        )
    run.__signature__ = inspect.Signature(parameters)  # type: ignore[attr-defined]
    run.__name__ = spec.name
    run.__doc__ = f"{spec.title}.\n\n{spec.description}\n\nExemple : {spec.example}"
    return output_options()(run)


def register(app: typer.Typer) -> None:
    for spec in REPORTS:
        rapport_app.command(spec.name)(_command(spec))
    app.add_typer(rapport_app, name="rapport")

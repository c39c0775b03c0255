"""Commands that exchange the inventory with other tools: importer (tableur, archimate), exporter.

Each command parses its options, makes one library call in ``cartographie.interop`` and turns
library errors into messages and exit codes (0 done, 1 invalid data, 2 misuse).
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from cartographie.cli.common import (
    DEFAULT_INVENTORY,
    InventoryOption,
    fail,
    library_errors,
    load,
    say,
    write_stdout,
)
from cartographie.cli.french import Typer
from cartographie.cli.output import CsvChoice, Output, output_options

importer_app = Typer(
    name="importer",
    help="Importe un état des lieux (tableur, catalogue), un catalogue Backstage ou un modèle "
    "ArchiMate en un nouvel inventaire.",
)


class ExportFormat(StrEnum):
    graphml = "graphml"
    csv = "csv"
    json = "json"
    archimate = "archimate"
    schema_json = "schema-json"


OutputDirectory = Annotated[
    Path,
    typer.Option(
        "--sortie",
        "-o",
        metavar="DOSSIER",
        help="Dossier du nouvel inventaire (ne doit pas exister, sauf --force).",
    ),
]
ForceOption = Annotated[
    bool, typer.Option("--force", help="Remplacer le dossier de sortie s'il existe déjà.")
]


def _existing_file(path: Path, what: str) -> None:
    from cartographie.errors import PathError

    if not path.exists():
        fail(PathError(f"{what} « {path} » introuvable", "vérifiez le chemin"))
    if not path.is_file():
        fail(PathError(f"{what} « {path} » n'est pas un fichier", "indiquez un fichier"))


@output_options(default=None, path=False)
def importer_tableur(
    fichier: Annotated[
        Path,
        typer.Argument(
            help="Le tableur de l'état des lieux (.xlsx ou .csv), ou un catalogue (.yaml, .json).",
            show_default=False,
            metavar="FICHIER",
        ),
    ],
    correspondance: Annotated[
        Path,
        typer.Option(
            "--correspondance",
            "-c",
            metavar="FICHIER",
            help="Fichier YAML de correspondance : quelle colonne (ou clé) alimente quel champ.",
        ),
    ],
    sortie: OutputDirectory,
    force: ForceOption = False,
    output: Output = Output(None),
) -> None:
    """Importe un état des lieux (XLSX, CSV) ou un catalogue (YAML, JSON), tout ou rien.

    Exemple : cartographie importer tableur etat.xlsx -c correspondance.yaml -o inventaire/
    """
    from cartographie.interop.survey import import_survey

    _existing_file(fichier, "tableur")
    _existing_file(correspondance, "fichier de correspondance")
    with library_errors():
        summary = import_survey(fichier, correspondance, sortie, force=force)
    for warning in summary.warnings:
        say(warning.format())
    say(summary.message(sortie))
    if output.format is not None:
        output.emit(summary.document())


@output_options(default=None, path=False)
def importer_archimate(
    fichier: Annotated[
        Path,
        typer.Argument(
            help="Le modèle au format d'échange ArchiMate 3.x (.xml).",
            show_default=False,
            metavar="FICHIER",
        ),
    ],
    sortie: OutputDirectory,
    force: ForceOption = False,
    output: Output = Output(None),
) -> None:
    """Importe un modèle ArchiMate (format d'échange Open Group 3.1) en un inventaire YAML.

    Exemple : cartographie importer archimate modele.xml --sortie inventaire-importe/
    """
    from cartographie.interop.archimate_import import import_archimate

    _existing_file(fichier, "modèle ArchiMate")
    with library_errors():
        report = import_archimate(fichier, sortie, force=force)
    say(report.message(sortie))
    if output.format is not None:
        output.emit(report.document())


@output_options(default=None, path=False)
def importer_backstage(
    chemin: Annotated[
        Path,
        typer.Argument(
            help="Un fichier catalog-info.yaml, ou le dossier qui contient les catalogues.",
            show_default=False,
            metavar="FICHIER|DOSSIER",
        ),
    ],
    sortie: OutputDirectory,
    metropole: Annotated[
        str,
        typer.Option(
            "--metropole",
            metavar="NOM",
            help="Nom de la métropole, propriétaire des applications du catalogue.",
        ),
    ] = "Métropole",
    force: ForceOption = False,
    output: Output = Output(None),
) -> None:
    """Importe un catalogue Backstage (entités Component, System, Domain, API…) en inventaire.

    Exemple : cartographie importer backstage examples/backstage/ --sortie inventaire-portail/
    """
    from cartographie.errors import PathError
    from cartographie.interop.backstage import import_backstage

    if not chemin.exists():
        fail(PathError(f"catalogue « {chemin} » introuvable", "vérifiez le chemin"))
    with library_errors():
        report = import_backstage(chemin, sortie, metropole=metropole, force=force)
    say(report.message(sortie))
    if output.format is not None:
        output.emit(report.document())


def exporter(
    format: Annotated[
        ExportFormat,
        typer.Option(
            "--format",
            "-f",
            metavar="FORMAT",
            help="graphml (Gephi, yEd), csv (un fichier par sorte d'objet, dans un dossier), "
            "json, archimate (format d'échange 3.1, Archi), schema-json (schéma de l'export json).",
        ),
    ],
    sortie: Annotated[
        Path,
        typer.Option(
            "--sortie",
            "-o",
            metavar="CHEMIN",
            help="Fichier produit (un dossier pour csv) ; « - » pour la sortie standard.",
        ),
    ],
    inventaire: InventoryOption = DEFAULT_INVENTORY,
    csv: Annotated[
        CsvChoice | None,  # type: ignore[valid-type]
        typer.Option(
            "--csv",
            metavar="DIALECTE",
            help="CSV : excel (« ; », virgule décimale, BOM ; par défaut, ou CARTOGRAPHIE_CSV) "
            "ou standard (« , », RFC 4180).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Exporte l'inventaire en GraphML, CSV, JSON ou ArchiMate (format d'échange 3.1).

    Exemple : cartographie exporter -i inventory --format archimate --sortie patrimoine.xml
    """
    from cartographie.document import numbers
    from cartographie.errors import OptionError, PathError
    from cartographie.interop.common import write_bytes_atomic, write_export_folder
    from cartographie.interop.exports import export_files, export_text

    to_stdout = str(sortie) == "-"
    if format is ExportFormat.schema_json:
        text = export_text("schema-json", None)
    else:
        inventory = load(inventaire)
        if format is ExportFormat.csv:
            if to_stdout:
                fail(
                    OptionError(
                        "l'export csv écrit plusieurs fichiers", "indiquez un dossier avec --sortie"
                    )
                )
            if sortie.exists() and not sortie.is_dir():
                fail(
                    PathError(
                        f"« {sortie} » existe et n'est pas un dossier",
                        "indiquez un dossier avec --sortie",
                    )
                )
            with library_errors():
                files = export_files(inventory, None if csv is None else str(csv.value))
                write_export_folder(sortie, files)
            say(f"{numbers.count(len(files), 'fichier')} CSV écrits dans {sortie}.")
            return
        with library_errors():
            text = export_text(format.value, inventory)
    if to_stdout:
        write_stdout(text)
        return
    with library_errors():
        write_bytes_atomic(sortie, text.encode("utf-8"))
    say(f"Export {format.value} écrit dans {sortie}.")


def register(app: typer.Typer) -> None:
    importer_app.command("tableur")(importer_tableur)
    importer_app.command("archimate")(importer_archimate)
    importer_app.command("backstage")(importer_backstage)
    app.add_typer(importer_app)
    app.command()(exporter)

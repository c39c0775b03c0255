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
    EXIT_USAGE,
    InventoryOption,
    fail,
    library_errors,
    load,
    stderr_console,
    write_stdout,
)
from cartographie.cli.french import Typer

importer_app = Typer(
    name="importer",
    help="Importe un état des lieux (tableur) ou un modèle ArchiMate en un nouvel inventaire.",
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
    if not path.exists():
        fail(f"{what} « {path} » introuvable", "vérifiez le chemin", EXIT_USAGE)
    if not path.is_file():
        fail(f"{what} « {path} » n'est pas un fichier", "indiquez un fichier", EXIT_USAGE)


def importer_tableur(
    fichier: Annotated[
        Path,
        typer.Argument(
            help="Le tableur de l'état des lieux (.xlsx ou .csv).",
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
            help="Fichier YAML de correspondance : quelle colonne alimente quel champ.",
        ),
    ],
    sortie: OutputDirectory,
    force: ForceOption = False,
) -> None:
    """Importe l'état des lieux (XLSX ou CSV) en un inventaire YAML valide, tout ou rien.

    Exemple : cartographie importer tableur etat.xlsx -c correspondance.yaml -o inventaire/
    """
    from cartographie.interop.survey import import_survey

    _existing_file(fichier, "tableur")
    _existing_file(correspondance, "fichier de correspondance")
    with library_errors():
        summary = import_survey(fichier, correspondance, sortie, force=force)
    stderr_console().print(summary.message(sortie), markup=False)


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
) -> None:
    """Importe un modèle ArchiMate (format d'échange Open Group 3.1) en un inventaire YAML.

    Exemple : cartographie importer archimate modele.xml --sortie inventaire-importe/
    """
    from cartographie.interop.archimate_import import import_archimate

    _existing_file(fichier, "modèle ArchiMate")
    with library_errors():
        summary = import_archimate(fichier, sortie, force=force)
    stderr_console().print(summary.message(sortie), markup=False)


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
) -> None:
    """Exporte l'inventaire en GraphML, CSV, JSON ou ArchiMate (format d'échange 3.1).

    Exemple : cartographie exporter -i inventory --format archimate --sortie patrimoine.xml
    """
    from cartographie.interop.common import write_bytes_atomic
    from cartographie.interop.exports import export_files, export_text

    to_stdout = str(sortie) == "-"
    if format is ExportFormat.schema_json:
        text = export_text("schema-json", None)
    else:
        inventory = load(inventaire)
        if format is ExportFormat.csv:
            if to_stdout:
                fail("l'export csv écrit plusieurs fichiers", "indiquez un dossier avec --sortie")
            if sortie.exists() and not sortie.is_dir():
                fail(
                    f"« {sortie} » existe et n'est pas un dossier",
                    "indiquez un dossier avec --sortie",
                )
            with library_errors():
                files = export_files(inventory)
                sortie.mkdir(parents=True, exist_ok=True)
                for name, data in files.items():
                    write_bytes_atomic(sortie / name, data)
            stderr_console().print(f"{len(files)} fichiers CSV écrits dans {sortie}.", markup=False)
            return
        with library_errors():
            text = export_text(format.value, inventory)
    if to_stdout:
        write_stdout(text)
        return
    with library_errors():
        write_bytes_atomic(sortie, text.encode("utf-8"))
    stderr_console().print(f"Export {format.value} écrit dans {sortie}.", markup=False)


def register(app: typer.Typer) -> None:
    importer_app.command("tableur")(importer_tableur)
    importer_app.command("archimate")(importer_archimate)
    app.add_typer(importer_app)
    app.command()(exporter)

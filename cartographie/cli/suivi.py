"""Change tracking commands: ``diff``, ``diagnostic``, ``journal`` and ``carte diff``.

Each command names its versions (a git revision, a directory, or the working tree of the
inventory), asks the library for one result, and prints it as a rich table, Markdown or JSON.
Exit codes: 0 (and 1 with ``--exit-code`` when something changed) for ``diff``; 0 / 0 / 1 for a
favourable / reserved / unfavourable diagnostic (``--strict``: reserved is 1); 1 for invalid data
at any version; 2 for misuse (an unknown revision, a folder outside any git repository).
"""

from __future__ import annotations

import datetime as dt
import json
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from cartographie.cli.common import (
    DEFAULT_INVENTORY,
    EXIT_INVALID,
    EXIT_OK,
    InventoryOption,
    fail,
    library_errors,
    stderr_console,
    stdout_console,
    write_stdout,
)

if TYPE_CHECKING:
    from rich.console import Console

    from cartographie.diagnostic import Diagnostic
    from cartographie.diff import ChangeSet
    from cartographie.inventory.git import InventoryVersion
    from cartographie.journal import Journal


class Format(StrEnum):
    table = "table"
    markdown = "markdown"
    json = "json"


FormatOption = Annotated[
    Format,
    typer.Option(
        "--format",
        "-f",
        metavar="FORMAT",
        help="table (terminal, par défaut), markdown (commentaire de merge request) ou json.",
    ),
]
BaseArgument = Annotated[
    str,
    typer.Argument(
        metavar="A",
        help="Version de base : révision git (HEAD~1, main, une étiquette) ou dossier.",
        show_default=False,
    ),
]
ProposedArgument = Annotated[
    str | None,
    typer.Argument(
        metavar="[B]",
        help="Version proposée (révision ou dossier) ; par défaut la copie de travail.",
        show_default=False,
    ),
]
CommuneFilter = Annotated[
    str | None,
    typer.Option(
        "--commune", metavar="ID", help="Seulement ce qui touche cette commune.", show_default=False
    ),
]


def _load(spec: str | None, directory: Path) -> InventoryVersion:
    from cartographie.inventory.git import load_version

    with library_errors():
        return load_version(spec, directory)
    raise AssertionError("unreachable")  # pragma: no cover - library_errors always exits


def _check_commune(commune: str | None, *versions: InventoryVersion) -> None:
    if commune is None:
        return
    known: set[str] = set()
    for version in versions:
        if version.inventory is not None:
            known.update(version.inventory.communes)
            known.add(version.inventory.metropole.id)
    if commune not in known:
        import difflib

        close = difflib.get_close_matches(commune, sorted(known), n=1, cutoff=0.5)
        fail(
            f"commune inconnue : « {commune} »",
            f"vouliez-vous dire « {close[0]} » ?" if close else "valeurs possibles : "
            + ", ".join(sorted(known)),
        )


# --- diff ---------------------------------------------------------------------------------------


def diff(
    a: BaseArgument,
    b: ProposedArgument = None,
    inventaire: InventoryOption = DEFAULT_INVENTORY,
    format: FormatOption = Format.table,
    commune: CommuneFilter = None,
    exit_code: Annotated[
        bool,
        typer.Option("--exit-code", help="Sortie 1 s'il y a des changements (comme git diff)."),
    ] = False,
) -> None:
    """Compare deux versions de l'inventaire, champ par champ (révisions git ou dossiers).

    Exemple : cartographie diff main --format markdown > changement.md
    """
    from cartographie.diff import diff_inventories
    from cartographie.diff.report import changeset_markdown, organisation_names

    base = _load(a, inventaire)
    proposed = _load(b, inventaire)
    _check_commune(commune, base, proposed)
    changeset = diff_inventories(base.inventory, proposed.inventory)
    if commune is not None:
        changeset = changeset.touching_commune(commune)
    names = organisation_names(base.inventory, proposed.inventory)
    if format is Format.json:
        document = changeset.to_dict(base.to_dict(), proposed.to_dict())
        write_stdout(json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True) + "\n")
    elif format is Format.markdown:
        write_stdout(changeset_markdown(changeset, base.label, proposed.label, names))
    else:
        _print_changeset(stdout_console(), changeset, base.label, proposed.label, names)
    if exit_code and changeset:
        raise typer.Exit(EXIT_INVALID)


def _print_changeset(
    console: Console, changeset: ChangeSet, base: str, proposed: str, names: dict[str, str]
) -> None:
    from rich.table import Table

    from cartographie.diff import KINDS
    from cartographie.diff.model import CHANGE_TYPE_LABELS
    from cartographie.diff.report import (
        GROUP_HEADERS,
        SUMMARY_HEADERS,
        change_details,
        group_rows,
        summary_rows,
        summary_sentence,
    )

    console.print(f"{base} → {proposed} : {summary_sentence(changeset)}", markup=False)
    if not changeset:
        return
    summary = Table(title="Résumé")
    for index, header in enumerate(SUMMARY_HEADERS):
        summary.add_column(header, justify="right" if index else "left")
    for row in summary_rows(changeset):
        summary.add_row(*row)
    console.print(summary)
    for kind, (_attribute, label) in KINDS.items():
        changes = changeset.of_kind(kind)
        if not changes:
            continue
        table = Table(title=label, show_lines=True)
        table.add_column("Changement")
        table.add_column("Objet", overflow="fold")
        table.add_column("Détail", overflow="fold")
        table.add_column("Emplacement", overflow="fold")
        for change in changes:
            ident = f"{change.previous_id} → {change.id}" if change.previous_id else change.id
            title = ident if kind != "flux" else change.name
            if kind != "flux" and change.name and change.name != change.id:
                title += f"\n{change.name}"
            table.add_row(
                CHANGE_TYPE_LABELS[change.type],
                title,
                "\n".join(change_details(change)),
                str(change.location),
            )
        console.print(table)
    for title, column, groups in (
        ("Par commune", "Commune", changeset.by_commune()),
        ("Par bloc", "Bloc", changeset.by_block()),
    ):
        if not groups:
            continue
        table = Table(title=title)
        table.add_column(column)
        for header in GROUP_HEADERS:
            table.add_column(header, justify="right")
        for row in group_rows(groups, names):
            table.add_row(*row)
        console.print(table)


def register(app: typer.Typer) -> None:
    app.command()(diff)

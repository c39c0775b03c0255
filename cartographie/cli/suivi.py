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

from cartographie.cli import cartes
from cartographie.cli.common import (
    DEFAULT_INVENTORY,
    EXIT_INVALID,
    InventoryOption,
    fail,
    library_errors,
    parse_cache_enabled,
    stderr_console,
    stdout_console,
    write_stdout,
)

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

    from cartographie.diagnostic import Diagnostic
    from cartographie.diff import ChangeSet
    from cartographie.inventory.git import InventoryVersion
    from cartographie.journal import Journal, JournalEntry


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


def _cells(*values: str) -> list[Text]:
    """Table cells as plain text: a value like ``[gmao]`` is data, not rich markup."""
    from rich.text import Text

    return [Text(value) for value in values]


def _load(spec: str | None, directory: Path) -> InventoryVersion:
    from cartographie.inventory.git import load_version

    with library_errors():
        return load_version(spec, directory, cache=parse_cache_enabled())
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
            f"vouliez-vous dire « {close[0]} » ?"
            if close
            else "valeurs possibles : " + ", ".join(sorted(known)),
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
    summary = Table(title="Résumé", title_justify="left")
    for index, header in enumerate(SUMMARY_HEADERS):
        summary.add_column(header, justify="right" if index else "left")
    for row in summary_rows(changeset):
        summary.add_row(*_cells(*row))
    console.print(summary)
    for kind, (_attribute, label) in KINDS.items():
        changes = changeset.of_kind(kind)
        if not changes:
            continue
        table = Table(title=label, title_justify="left", show_lines=True)
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
                *_cells(
                    CHANGE_TYPE_LABELS[change.type],
                    title,
                    "\n".join(change_details(change)),
                    str(change.location),
                )
            )
        console.print(table)
    for title, column, groups in (
        ("Par commune", "Commune", changeset.by_commune()),
        ("Par bloc", "Bloc", changeset.by_block()),
    ):
        if not groups:
            continue
        table = Table(title=title, title_justify="left")
        table.add_column(column)
        for header in GROUP_HEADERS:
            table.add_column(header, justify="right")
        for row in group_rows(groups, names):
            table.add_row(*_cells(*row))
        console.print(table)


# --- diagnostic ---------------------------------------------------------------------------------


def diagnostic(
    base: Annotated[
        str,
        typer.Option(
            "--base",
            metavar="REV",
            help="Version de référence : révision git (main, origin/main, HEAD~1) ou dossier.",
        ),
    ] = "HEAD",
    propose: Annotated[
        str | None,
        typer.Option(
            "--propose",
            metavar="REV",
            help="Version jugée (révision ou dossier) ; par défaut la copie de travail.",
            show_default=False,
        ),
    ] = None,
    projet: Annotated[
        str | None,
        typer.Option("--projet", metavar="NOM", help="Nom du projet jugé.", show_default=False),
    ] = None,
    inventaire: InventoryOption = DEFAULT_INVENTORY,
    format: FormatOption = Format.table,
    tout: Annotated[
        bool,
        typer.Option("--tout", help="Lister aussi les problèmes qui existaient déjà dans la base."),
    ] = False,
    strict: Annotated[
        bool, typer.Option("--strict", help="Un avis réservé sort aussi en erreur (code 1).")
    ] = False,
    junit: Annotated[
        Path | None,
        typer.Option(
            "--junit",
            metavar="FICHIER",
            help="Écrire aussi un rapport JUnit XML (une règle par test) pour la CI.",
            show_default=False,
        ),
    ] = None,
    enregistrer: Annotated[
        bool,
        typer.Option(
            "--enregistrer", help="Enregistrer le diagnostic dans <inventaire>/diagnostics/."
        ),
    ] = False,
    date: Annotated[
        str | None,
        typer.Option(
            "--date",
            metavar="AAAA-MM-JJ",
            help="Date du diagnostic (par défaut aujourd'hui).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Juge un changement avec les règles d'architecture : avis favorable, réservé ou défavorable.

    Exemple : cartographie diagnostic --base origin/main --projet nouvelle-gmao --junit rapport.xml
    """
    from cartographie.diagnostic import exit_status, run_diagnostic
    from cartographie.diagnostic.record import record_diagnostic
    from cartographie.diagnostic.report import diagnostic_junit, diagnostic_markdown

    day = _parse_date(date, "--date")
    if enregistrer and not projet:
        fail("--enregistrer demande un nom de projet", "ajoutez --projet NOM")
    base_version = _load(base, inventaire)
    proposed_version = _load(propose, inventaire)
    with library_errors():
        result = run_diagnostic(
            base_version,
            proposed_version,
            project=projet,
            date=day,
            include_preexisting=tout,
        )
    if format is Format.json:
        text = json.dumps(result.to_dict(), ensure_ascii=False, indent=2, sort_keys=True)
        write_stdout(text + "\n")
    elif format is Format.markdown:
        write_stdout(diagnostic_markdown(result))
    else:
        _print_diagnostic(stdout_console(), result)
    messages = stderr_console()
    if junit is not None:
        _write(junit, diagnostic_junit(result))
        messages.print(f"Rapport JUnit écrit : {junit}", markup=False)
    if enregistrer:
        with library_errors():
            written = record_diagnostic(result, inventaire)
        messages.print(f"Diagnostic enregistré : {written}", markup=False)
    raise typer.Exit(exit_status(result.verdict, strict))


def _parse_date(value: str | None, option: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        fail(f"{option} : date invalide « {value} »", "écrivez AAAA-MM-JJ, par exemple 2026-03-31")


def _write(path: Path, data: bytes) -> None:
    from cartographie.files import write_file_atomic

    try:
        write_file_atomic(path, data)
    except OSError as error:
        fail(f"impossible d'écrire {path} : {error.strerror or error}", code=EXIT_INVALID)


def _print_diagnostic(console: Console, result: Diagnostic) -> None:
    """One line per finding (``file:line: code [gravité] message``, as editors and grep read
    it) with its fix below, a table of the rules that found something, then the verdict."""
    from rich.table import Table

    from cartographie.diagnostic import VERDICT_LABELS
    from cartographie.diagnostic.report import counts_sentence

    project = f" — {result.project}" if result.project else ""
    console.print(
        f"Diagnostic d'architecture{project} : {result.base.label} → {result.proposed.label}",
        markup=False,
    )
    for title, findings in (
        ("Constats", result.findings),
        ("Problèmes préexistants (non imputés au changement)", result.preexisting),
    ):
        if not findings:
            continue
        console.print(f"\n{title} :", markup=False)
        for finding in findings:
            line = finding.format(result.proposed.root).removesuffix(f" ({finding.fix})")
            console.print(line, markup=False)
            console.print(f"    correction : {finding.fix}", markup=False)
    found = [outcome for outcome in result.outcomes if outcome.findings or not outcome.active]
    if found:
        table = Table(title="Règles", title_justify="left")
        table.add_column("Code")
        table.add_column("Règle", overflow="fold")
        table.add_column("Gravité")
        table.add_column("Constats", justify="right")
        for outcome in found:
            severity = outcome.severity if outcome.active else "désactivée"
            table.add_row(
                *_cells(outcome.code, outcome.title, severity, str(len(outcome.findings)))
            )
        console.print(table)
    preexisting = f" ; {len(result.preexisting)} problème(s) préexistant(s)"
    console.print(
        f"{VERDICT_LABELS[result.verdict].capitalize()} : {counts_sentence(result)}"
        + (preexisting if result.preexisting else "")
        + ".",
        markup=False,
    )


# --- journal ------------------------------------------------------------------------------------


def journal(
    commune: CommuneFilter = None,
    depuis: Annotated[
        str | None,
        typer.Option(
            "--depuis",
            metavar="AAAA-MM-JJ",
            help="Seulement les changements depuis cette date.",
            show_default=False,
        ),
    ] = None,
    limite: Annotated[
        int | None,
        typer.Option(
            "--limite", metavar="N", min=1, help="Les N derniers commits.", show_default=False
        ),
    ] = None,
    inventaire: InventoryOption = DEFAULT_INVENTORY,
    format: FormatOption = Format.table,
) -> None:
    """Historique du patrimoine : commits de l'inventaire et diagnostics enregistrés.

    Exemple : cartographie journal --commune ville-centre --depuis 2026-01-01
    """
    from cartographie.journal import build_journal

    since = _parse_date(depuis, "--depuis")
    with library_errors():
        result = build_journal(inventaire, commune=commune, since=since, limit=limite)
    if commune is not None and result.names and commune not in result.names:
        import difflib

        close = difflib.get_close_matches(commune, sorted(result.names), n=1, cutoff=0.5)
        fail(
            f"commune inconnue : « {commune} »",
            f"vouliez-vous dire « {close[0]} » ?" if close else "",
        )
    if format is Format.json:
        text = json.dumps(result.to_dict(), ensure_ascii=False, indent=2, sort_keys=True)
        write_stdout(text + "\n")
    elif format is Format.markdown:
        write_stdout(_journal_markdown(result))
    else:
        _print_journal(stdout_console(), result)


def _entry_lines(entry: JournalEntry, commune: str | None) -> list[str]:
    from cartographie.diff.report import change_title

    if entry.diagnostic is not None:
        # The codes and the objects; the messages are in the JSON and in the recorded file.
        return [
            f"{f.code} [{f.severity}] {', '.join(f.objects)}"
            for f in entry.diagnostic.findings
            if not f.preexisting
        ]
    if entry.changes is None or commune is None:
        return []
    return [f"{change.kind} {change_title(change)}" for change in entry.changes.changes]


def _print_journal(console: Console, result: Journal) -> None:
    from rich.table import Table
    from rich.text import Text

    where = f" — {result.names.get(result.commune, result.commune)}" if result.commune else ""
    table = Table(
        title=Text(f"Journal du patrimoine{where}"), title_justify="left", show_lines=True
    )
    table.add_column("Date")
    table.add_column("Révision")
    table.add_column("Auteur")
    table.add_column("Message", overflow="fold")
    table.add_column("Changement", overflow="fold")
    for entry in result.entries:
        detail = "\n".join([entry.summary(), *_entry_lines(entry, result.commune)])
        table.add_row(
            *_cells(
                entry.date.date().isoformat(),
                entry.revision[:8] if entry.revision else "diagnostic",
                entry.author or "",
                entry.title,
                detail,
            )
        )
    if not result.entries:
        console.print("Journal vide : aucun commit ne touche l'inventaire.", markup=False)
        return
    console.print(table)


def _journal_markdown(result: Journal) -> str:
    from cartographie.diff.report import code, md

    where = f" — {md(result.names.get(result.commune, result.commune))}" if result.commune else ""
    out = [f"## Journal du patrimoine{where}", ""]
    for entry in result.entries:
        ident = code(entry.revision[:8]) if entry.revision else "diagnostic"
        author = f", {md(entry.author)}" if entry.author else ""
        out.append(
            f"- **{entry.date.date().isoformat()}** {ident}{author} — {md(entry.title)} : "
            f"{md(entry.summary())}"
        )
        out.extend(f"  - {md(line)}" for line in _entry_lines(entry, result.commune))
    if not result.entries:
        out.append("Aucun commit ne touche l'inventaire.")
    return "\n".join(out) + "\n"


# --- carte diff ---------------------------------------------------------------------------------


def carte_diff(
    a: BaseArgument,
    b: ProposedArgument = None,
    inventaire: InventoryOption = DEFAULT_INVENTORY,
    format: cartes.FormatOption = cartes.Format.svg,
    sortie: cartes.OutputOption = None,
    moteur: cartes.EngineOption = cartes.Moteur.auto,
    delai: cartes.TimeoutOption = 120.0,
) -> None:
    """Carte d'un changement : ajouts en vert, retraits en rouge, modifications en orange.

    Exemple : cartographie carte diff main --sortie changement.svg
    """
    from cartographie.diff import diff_inventories
    from cartographie.files import write_file_atomic
    from cartographie.graph import Portfolio
    from cartographie.render import render_source, to_dot
    from cartographie.views.diff import build_diff_map

    base = _load(a, inventaire)
    proposed = _load(b, inventaire)
    if proposed.inventory is None:
        fail(f"aucun inventaire dans la version « {proposed.label} »")
    changeset = diff_inventories(base.inventory, proposed.inventory)
    with library_errors():
        view = build_diff_map(
            Portfolio(base.inventory) if base.inventory is not None else None,
            Portfolio(proposed.inventory),
            changeset.application_states(),
            changeset.flow_states(),
            title=f"Changement du patrimoine : {base.label} → {proposed.label}",
        )
        source = to_dot(view)
        if format is cartes.Format.dot:
            data = source.encode("utf-8")
        else:
            result = render_source(source, format.value, moteur.value, delai)
            for warning in result.warnings:
                stderr_console().print(f"attention : {warning}", markup=False)
            data = result.data
    if sortie is not None and str(sortie) == "-":
        if format in (cartes.Format.svg, cartes.Format.dot):
            write_stdout(data.decode("utf-8"))
            return
        fail("la sortie standard n'accepte que svg ou dot", "donnez un fichier avec --sortie")
    target = sortie or Path(f"changement.{format.value}")
    try:
        write_file_atomic(target, data)
    except OSError as error:
        fail(f"impossible d'écrire {target} : {error.strerror or error}", code=EXIT_INVALID)
    stderr_console().print(
        f"Carte écrite : {target} ({len(changeset.application_states())} applications et "
        f"{len(changeset.flow_states())} flux touchés)",
        markup=False,
    )


def register(app: typer.Typer) -> None:
    app.command()(diff)
    app.command()(diagnostic)
    app.command()(journal)
    # The map of a change joins the other maps under « carte » (the group of cli/cartes.py).
    cartes.carte_app.command("diff")(carte_diff)

"""Change tracking commands: ``diff``, ``diagnostic``, ``journal`` and ``carte diff``.

Each command names its versions (a git revision, a directory, or the working tree of the
inventory), asks the library for one result as a document, and prints it in the format asked
for. Exit codes: 0 (and 1 with ``--exit-code`` when something changed) for ``diff``; 0 / 0 / 1
for a favourable / reserved / unfavourable diagnostic (``--strict``: reserved is 1); 1 for
invalid data at any version; 2 for misuse (an unknown revision, a folder outside any git
repository).
"""

from __future__ import annotations

import datetime as dt
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
    parse_date,
    report,
    say,
)
from cartographie.cli.completion import ids_of
from cartographie.cli.output import Output, output_options
from cartographie.cli.progress import QuietOption, progress_bar

if TYPE_CHECKING:
    from cartographie.inventory.git import InventoryVersion

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
        "--commune",
        metavar="ID",
        help="Seulement ce qui touche cette commune.",
        show_default=False,
        autocompletion=ids_of("commune"),
    ),
]


def _load(spec: str | None, directory: Path) -> InventoryVersion:
    from cartographie.inventory.git import load_version

    with library_errors():
        return load_version(spec, directory, cache=parse_cache_enabled())
    raise AssertionError("unreachable")  # pragma: no cover - library_errors always exits


def _unknown_commune(commune: str, known: set[str]) -> None:
    import difflib

    from cartographie.errors import UnknownNameError

    close = difflib.get_close_matches(commune, sorted(known), n=1, cutoff=0.5)
    fail(
        UnknownNameError(
            f"commune inconnue : « {commune} »",
            f"vouliez-vous dire « {close[0]} » ?"
            if close
            else "valeurs possibles : " + ", ".join(sorted(known)),
        )
    )


def _check_commune(commune: str | None, *versions: InventoryVersion) -> None:
    if commune is None:
        return
    known: set[str] = set()
    for version in versions:
        if version.inventory is not None:
            known.update(version.inventory.communes)
            known.add(version.inventory.metropole.id)
    if commune not in known:
        _unknown_commune(commune, known)


# --- diff ---------------------------------------------------------------------------------------


@output_options()
def diff(
    a: BaseArgument,
    b: ProposedArgument = None,
    inventaire: InventoryOption = DEFAULT_INVENTORY,
    commune: CommuneFilter = None,
    exit_code: Annotated[
        bool,
        typer.Option("--exit-code", help="Sortie 1 s'il y a des changements (comme git diff)."),
    ] = False,
    silencieux: QuietOption = False,
    output: Output = Output(None),
) -> None:
    """Compare deux versions de l'inventaire, champ par champ (révisions git ou dossiers).

    Exemple : cartographie diff main --format markdown > changement.md
    """
    from cartographie.diff import diff_inventories
    from cartographie.diff.report import changeset_document, organisation_names
    from cartographie.progress import silent

    # Two revisions far apart are two full loads (seconds each on a big inventory): the bar
    # names the phase.
    with progress_bar(silencieux) as progress:
        report = progress or silent
        report(0, 3, "Lecture de A")
        base = _load(a, inventaire)
        report(1, 3, "Lecture de B")
        proposed = _load(b, inventaire)
        report(2, 3, "Comparaison")
        _check_commune(commune, base, proposed)
        changeset = diff_inventories(base.inventory, proposed.inventory)
        report(3, 3, "Comparaison")
    if commune is not None:
        changeset = changeset.touching_commune(commune)
    names = organisation_names(base.inventory, proposed.inventory)
    record = changeset.to_dict(base.to_dict(), proposed.to_dict())
    output.emit(changeset_document(changeset, base.label, proposed.label, names, record))
    if exit_code and changeset:
        raise typer.Exit(EXIT_INVALID)


# --- diagnostic ---------------------------------------------------------------------------------


def _load_judged(
    spec: str | None, directory: Path, junit: Path | None, day: dt.date
) -> InventoryVersion:
    """A version to judge; an invalid one still gets its JUnit file (a case per problem)."""
    from cartographie.errors import CartographieError, InventoryError
    from cartographie.inventory.git import load_version

    try:
        return load_version(spec, directory, cache=parse_cache_enabled())
    except InventoryError as error:
        if junit is not None:
            from cartographie.diagnostic.junit import problems_junit

            label = spec or "copie de travail"
            data = problems_junit(error.problems, error.lines(), label, day.isoformat())
            _write_junit(junit, data)
        report(error)
    except CartographieError as error:
        report(error)


def _write_junit(path: Path, data: bytes) -> None:
    from cartographie.errors import WriteError
    from cartographie.files import write_file_atomic

    try:
        write_file_atomic(path, data)
    except OSError as error:
        fail(WriteError(f"impossible d'écrire {path} : {error.strerror or error}"))
    say(f"Rapport JUnit écrit : {path}")


@output_options()
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
            help="Écrire aussi un rapport JUnit XML pour la CI (un cas de test par constat), "
            "même quand l'inventaire proposé est invalide (un cas par problème).",
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
    output: Output = Output(None),
) -> None:
    """Juge un changement avec les règles d'architecture : avis favorable, réservé ou défavorable.

    Exemple : cartographie diagnostic --base origin/main --projet nouvelle-gmao --junit rapport.xml
    """
    from cartographie.diagnostic import exit_status, run_diagnostic
    from cartographie.diagnostic.junit import diagnostic_junit
    from cartographie.diagnostic.record import record_diagnostic
    from cartographie.diagnostic.report import diagnostic_document
    from cartographie.errors import OptionError

    day = parse_date(date, "--date")
    if enregistrer and not projet:
        fail(OptionError("--enregistrer demande un nom de projet", "ajoutez --projet NOM"))
    today = day or dt.date.today()
    base_version = _load_judged(base, inventaire, junit, today)
    proposed_version = _load_judged(propose, inventaire, junit, today)
    with library_errors():
        result = run_diagnostic(
            base_version,
            proposed_version,
            project=projet,
            date=day,
            include_preexisting=tout,
        )
    output.emit(diagnostic_document(result))
    if junit is not None:
        _write_junit(junit, diagnostic_junit(result))
    if enregistrer:
        with library_errors():
            written = record_diagnostic(result, inventaire)
        say(f"Diagnostic enregistré : {written}")
    raise typer.Exit(exit_status(result.verdict, strict))


# --- journal ------------------------------------------------------------------------------------


@output_options()
def journal(
    commune: CommuneFilter = None,
    depuis: Annotated[
        str | None,
        typer.Option(
            "--depuis",
            metavar="AAAA-MM-JJ",
            help="Seulement les commits de ce jour ou après.",
            show_default=False,
        ),
    ] = None,
    jusqu_a: Annotated[
        str | None,
        typer.Option(
            "--jusqu-a",
            metavar="AAAA-MM-JJ",
            help="Seulement les commits de ce jour ou avant.",
            show_default=False,
        ),
    ] = None,
    limite: Annotated[
        int | None,
        typer.Option("--limite", "-n", metavar="N", min=1, help="Les N entrées les plus récentes."),
    ] = None,
    detail: Annotated[
        bool,
        typer.Option(
            "--detail", help="Chaque objet changé, et les constats des diagnostics enregistrés."
        ),
    ] = False,
    inventaire: InventoryOption = DEFAULT_INVENTORY,
    silencieux: QuietOption = False,
    output: Output = Output(None),
) -> None:
    """Historique du patrimoine : les commits qui le changent, en deux lignes chacun, avec l'avis
    des diagnostics enregistrés.

    Exemple : cartographie journal --commune aurelle --depuis 2026-01-01 --detail
    """
    from cartographie.journal import build_journal
    from cartographie.journal.report import journal_document

    since = parse_date(depuis, "--depuis")
    until = parse_date(jusqu_a, "--jusqu-a")
    with library_errors(), progress_bar(silencieux) as progress:
        result = build_journal(
            inventaire, commune=commune, since=since, until=until, limit=limite, progress=progress
        )
    if commune is not None and result.names and commune not in result.names:
        _unknown_commune(commune, set(result.names))
    output.emit(journal_document(result, detail=detail))


# --- carte diff ---------------------------------------------------------------------------------


def carte_diff(
    a: BaseArgument,
    b: ProposedArgument = None,
    inventaire: InventoryOption = DEFAULT_INVENTORY,
    format: cartes.FormatOption = cartes.Format("svg"),
    sortie: cartes.OutputOption = None,
    moteur: cartes.EngineOption = cartes.Moteur("auto"),
    delai: cartes.TimeoutOption = 120.0,
) -> None:
    """Carte d'un changement : ajouts en vert, retraits en rouge, modifications en orange.

    Exemple : cartographie carte diff main --sortie changement.svg
    """
    from cartographie.diff import diff_inventories
    from cartographie.document import numbers
    from cartographie.errors import OptionError
    from cartographie.graph import Portfolio
    from cartographie.views.diff import build_diff_map

    base = _load(a, inventaire)
    proposed = _load(b, inventaire)
    if proposed.inventory is None:
        fail(OptionError(f"aucun inventaire dans la version « {proposed.label} »"))
    changeset = diff_inventories(base.inventory, proposed.inventory)
    with library_errors():
        view = build_diff_map(
            Portfolio(base.inventory) if base.inventory is not None else None,
            Portfolio(proposed.inventory),
            changeset.application_states(),
            changeset.flow_states(),
            title=f"Changement du patrimoine : {base.label} → {proposed.label}",
        )
    default = Path(f"changement.{format.value}")
    target = cartes.render_view(view, format, sortie, moteur, delai, default)
    if target is not None:
        say(
            f"Carte écrite : {target} "
            f"({numbers.count(len(changeset.application_states()), 'application')} et "
            f"{numbers.integer(len(changeset.flow_states()))} flux touchés)"
        )


def register(app: typer.Typer) -> None:
    app.command()(diff)
    app.command()(diagnostic)
    app.command()(journal)
    # The map of a change joins the other maps under « carte » (the group of cli/cartes.py).
    cartes.carte_app.command("diff")(carte_diff)

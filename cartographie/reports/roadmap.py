"""``rapport feuille-de-route``: the roadmap as a document, and its timeline picture.

Tables (from :mod:`cartographie.analysis.roadmap`): ``annees`` (what enters and leaves, year by
year), ``mouvements`` (each movement, grouped by year for people), ``chantiers`` (dates, waves,
state at the reference date, what is left to retire), ``fins_de_support`` (products past or near
their end of support, the applications on them) and ``dispositions`` (TIME, with the share
without one). The figure is a :class:`~cartographie.document.Timeline`: a bar per chantier with
its waves marked, a bar per application concerned (the target, the applications it retires,
and for a commune or a bloc the other applications that enter or leave), ends of support
marked; ``--format svg`` writes it, the HTML page shows it.
"""

from __future__ import annotations

import datetime as dt

from cartographie.analysis.roadmap import (
    Movement,
    ProgrammeStatus,
    Roadmap,
    Scope,
    SupportEnd,
)
from cartographie.document import (
    CellStyle,
    CellValue,
    Column,
    Document,
    Figure,
    Paragraph,
    Ref,
    Table,
    Timeline,
    TimelineBar,
    TimelineMark,
    TimelineRow,
    make_table,
    numbers,
    rate,
)
from cartographie.document.timeline import rows_note
from cartographie.model.dates import DateValue, day_of, show_date, show_moment, year_start
from cartographie.model.inventory import Inventory
from cartographie.model.vocabulary import DISPOSITION_LABELS
from cartographie.reports import refs

MOVEMENT_LABELS = {
    "entree": "Entrée",
    "sortie": "Sortie",
    "vague": "Vague",
    "adhesion": "Adhésion",
    "depart": "Départ du domaine",
    "fin-de-support": "Fin de support",
}
STATE_LABELS = {
    "a-venir": "À venir",
    "en-cours": "En cours",
    "termine": "Terminé",
    "en-retard": "En retard",
}
STATE_STYLES: dict[str, CellStyle | None] = {
    "a-venir": None,
    "en-cours": None,
    "termine": "ok",
    "en-retard": "alerte",
}
# A committee reads a timeline of a few dozen rows; the tables hold everything.
MAX_TIMELINE_ROWS = 60

YEAR_COLUMNS = (
    Column("annee", "Année", "year"),
    Column("entrees", "Entrées", "integer"),
    Column("sorties", "Sorties", "integer"),
    Column("vagues", "Communes en vague", "integer"),
    Column("adhesions", "Adhésions", "integer"),
    Column("departs", "Départs", "integer"),
    Column("fins_de_support", "Fins de support", "integer"),
)
MOVEMENT_COLUMNS = (
    Column("annee", "Année", "year"),
    Column("date", "Date"),
    Column("nature", "Nature"),
    Column("application", "Application", "reference"),
    Column("communes", "Communes", "list"),
    Column("chantier", "Chantier", "reference"),
    Column("domaine", "Domaine", "reference"),
    Column("produit", "Produit", "reference"),
    Column("applications_concernees", "Applications sur le produit", "list"),
)
PROGRAMME_COLUMNS = (
    Column("chantier", "Chantier", "reference"),
    Column("nom", "Nom", audience="machines"),
    Column("debut", "Début"),
    Column("fin", "Fin"),
    Column("etat", "État"),
    Column("cible", "Cible", "reference"),
    Column("domaines", "Domaine", "list"),
    Column("vagues", "Vagues", "lines"),
    Column("retirees", "Applications à retirer", "integer"),
    Column("restantes", "Encore là", "list"),
    Column("budget", "Budget", "euros"),
)
SUPPORT_COLUMNS = (
    Column("produit", "Produit", "reference"),
    Column("editeur", "Éditeur", "reference"),
    Column("fin_de_support", "Fin de support"),
    Column("etat", "État"),
    Column("mois", "Mois restants", "integer"),
    Column("applications", "Applications", "list"),
    Column("communes", "Communes", "list"),
)
DISPOSITION_COLUMNS = (
    Column("disposition", "Disposition (TIME)"),
    Column("applications", "Applications", "integer"),
    Column("part", "Part", "rate"),
)


def roadmap_document(inventory: Inventory, roadmap: Roadmap) -> Document:
    """The roadmap (``analysis.roadmap.build_roadmap`` of the inventory *as written*: its dates
    are read there, not filtered) as a document."""
    without = roadmap.dispositions[-1]
    present = len(roadmap.applications)
    summary = (
        Paragraph(
            f"{numbers.count(len(roadmap.movements), 'mouvement')} de {roadmap.first_year} à "
            f"{roadmap.last_year} ; {numbers.count(len(roadmap.programmes), 'chantier')} ; "
            f"{numbers.count(len(roadmap.support_ends), 'produit')} hors support ou proche de "
            f"la fin ; {numbers.integer(without.applications)} application"
            f"{'s' if without.applications > 1 else ''} sur {numbers.integer(present)} sans "
            f"disposition ({numbers.percent(without.share)})."
        ),
    )
    return Document(
        name="feuille-de-route",
        title=_title(inventory, roadmap.scope),
        blocks=(
            Figure(_title(inventory, roadmap.scope), timeline=roadmap_timeline(inventory, roadmap)),
            _years_table(roadmap),
            _programmes_table(inventory, roadmap),
            _support_table(inventory, roadmap),
            _dispositions_table(roadmap),
            _movements_table(inventory, roadmap),
        ),
        parameters=_parameters(inventory, roadmap),
        summary=summary,
        primary="mouvements",
    )


def _title(inventory: Inventory, scope: Scope) -> str:
    parts = []
    if scope.programme is not None:
        parts.append(f"chantier {inventory.programmes[scope.programme].name}")
    if scope.commune is not None:
        parts.append(inventory.organisation_name(scope.commune))
    if scope.block is not None:
        parts.append(f"bloc {inventory.blocks[scope.block].name}")
    return "Feuille de route — " + (", ".join(parts) if parts else inventory.metropole.name)


def _parameters(inventory: Inventory, roadmap: Roadmap) -> tuple[tuple[str, str], ...]:
    found = [
        ("Date de référence", show_moment(roadmap.reference)),
        ("Années", f"{roadmap.first_year}–{roadmap.last_year}"),
        ("Fin de support proche", f"dans les {roadmap.months} mois"),
    ]
    scope = roadmap.scope
    if scope.commune is not None:
        found.append(("Commune", inventory.organisation_name(scope.commune)))
    if scope.block is not None:
        found.append(("Bloc", inventory.blocks[scope.block].name))
    if scope.programme is not None:
        found.append(("Chantier", inventory.programmes[scope.programme].name))
    return tuple(found)


def programme_ref(inventory: Inventory, programme_id: str | None) -> Ref | None:
    if programme_id is None:
        return None
    found = inventory.programmes.get(programme_id)
    return Ref("chantier", programme_id, found.name if found else programme_id)


def _domain_ref(inventory: Inventory, domain_id: str | None) -> Ref | None:
    if domain_id is None:
        return None
    return Ref("domaine", domain_id, inventory.domains[domain_id].name)


def _years_table(roadmap: Roadmap) -> Table:
    rows = []
    for year in roadmap.years:
        moves = [item for item in roadmap.movements if item.day.year == year]

        def count(kind: str, moves: list[Movement] = moves) -> int:
            return sum(1 for item in moves if item.kind == kind)

        rows.append(
            (
                year,
                count("entree"),
                count("sortie"),
                sum(len(item.communes) for item in moves if item.kind == "vague"),
                count("adhesion"),
                count("depart"),
                count("fin-de-support"),
            )
        )
    return make_table(
        "annees",
        "Année par année",
        YEAR_COLUMNS,
        rows,
        note=(
            "Entrées : mises en service (ou, pour une commune, début de son usage) ; sorties : "
            "retraits (ou fin de son usage) ; une année vaut le 1er janvier."
        ),
    )


def _movements_table(inventory: Inventory, roadmap: Roadmap) -> Table:
    rows: list[tuple[CellValue, ...]] = [
        (
            item.day.year,
            show_date(item.date),
            MOVEMENT_LABELS[item.kind],
            refs.application(inventory, item.application),
            refs.communes(inventory, item.communes),
            programme_ref(inventory, item.programme),
            _domain_ref(inventory, item.domain),
            refs.product(inventory, item.product),
            refs.applications(inventory, item.applications),
        )
        for item in roadmap.movements
    ]
    return make_table(
        "mouvements",
        "Ce qui entre et ce qui sort",
        MOVEMENT_COLUMNS,
        rows,
        group_by="annee",
    )


def _waves_lines(inventory: Inventory, status: ProgrammeStatus) -> tuple[str, ...]:
    return tuple(
        f"{year} : {', '.join(inventory.organisation_name(commune) for commune in communes)}"
        for year, communes in status.waves
    )


def _programmes_table(inventory: Inventory, roadmap: Roadmap) -> Table:
    items = roadmap.programmes
    return make_table(
        "chantiers",
        f"Chantiers au {show_moment(roadmap.reference)}",
        PROGRAMME_COLUMNS,
        (
            (
                programme_ref(inventory, item.programme),
                inventory.programmes[item.programme].name,
                show_date(item.start),
                show_date(item.end),
                STATE_LABELS[item.state],
                refs.application(inventory, item.target),
                tuple(inventory.domains[domain].name for domain in item.domains),
                _waves_lines(inventory, item),
                len(item.retires),
                refs.applications(inventory, item.remaining),
                item.budget,
            )
            for item in items
        ),
        note=(
            "En retard : la fin est passée et une application que le chantier retire est encore "
            "là (présente à cette date, ou encore en service malgré un retrait passé)."
        ),
        styles=((None,) * 4 + (STATE_STYLES[item.state],) + (None,) * 6 for item in items),
    )


def _support_table(inventory: Inventory, roadmap: Roadmap) -> Table:
    items = roadmap.support_ends
    return make_table(
        "fins_de_support",
        f"Produits hors support ou en fin de support dans les {roadmap.months} mois",
        SUPPORT_COLUMNS,
        (
            (
                refs.product(inventory, item.product),
                refs.vendor(inventory, item.vendor),
                show_date(item.end),
                "Dépassée" if item.state == "depassee" else "Proche",
                item.months_left,
                refs.applications(inventory, item.applications),
                refs.communes(inventory, item.communes),
            )
            for item in items
        ),
        note=f"Au {show_moment(roadmap.reference)} ; les applications en service à cette date.",
        styles=(
            (None,) * 3 + ("alerte" if item.state == "depassee" else None,) + (None,) * 3
            for item in items
        ),
    )


def _dispositions_table(roadmap: Roadmap) -> Table:
    return make_table(
        "dispositions",
        f"Dispositions des applications en service au {show_moment(roadmap.reference)}",
        DISPOSITION_COLUMNS,
        (
            (
                DISPOSITION_LABELS[item.disposition] if item.disposition else "Sans disposition",
                item.applications,
                rate(item.share),
            )
            for item in roadmap.dispositions
        ),
        note="TIME : tolérer, investir, migrer, éliminer (champ « disposition »).",
    )


# --- the timeline ------------------------------------------------------------------------------


def _day(value: DateValue | None) -> dt.date | None:
    return None if value is None else day_of(value)


def _application_row(
    inventory: Inventory,
    app_id: str,
    style: str,
    span: tuple[dt.date | None, dt.date | None] | None = None,
) -> TimelineRow:
    """An application's life as a bar (or ``span``: a commune's use of it); the part after its
    product's end of support in red, the end of support marked."""
    application = inventory.applications[app_id]
    start, end = _day(application.in_service_since), _day(application.retired_in)
    if span is not None:
        start, end = span
    product = inventory.products.get(application.product) if application.product else None
    support = _day(product.end_of_support) if product is not None else None
    bars: list[TimelineBar] = []
    marks: list[TimelineMark] = []
    if (
        support is not None
        and (start is None or support > start)
        and (end is None or support < end)
    ):
        bars.append(TimelineBar(start, support, style))  # type: ignore[arg-type]
        bars.append(TimelineBar(support, end, "hors-support"))
        marks.append(TimelineMark(support, "", "fin-de-support"))
    else:
        bars.append(TimelineBar(start, end, style))  # type: ignore[arg-type]
    # The owner first: what a committee looks for down the rows (the métropole's shared
    # applications say so in their name).
    owner_id = inventory.owners[app_id]
    owner = inventory.organisation_name(owner_id)
    shared = owner_id == inventory.metropole.id or owner in application.name
    label = application.name if shared else f"{owner} — {application.name}"
    return TimelineRow(label, tuple(bars), tuple(marks))


def _wave_label(communes: tuple[str, ...]) -> str:
    """A wave's mark: « +3 », the communes that join (the tables name them; yearly waves leave
    no room for names)."""
    return f"+{len(communes)}"


def _commune_spans(roadmap: Roadmap) -> dict[str, tuple[dt.date | None, dt.date | None]]:
    """For a commune's roadmap, each application's bar is the commune's use of it: from its
    entry (its adhesion, its wave) to its exit, as the movements say; an entry or exit outside
    the window leaves the application's own date."""
    spans: dict[str, tuple[dt.date | None, dt.date | None]] = {}
    if roadmap.scope.commune is None:
        return spans
    for item in roadmap.movements:
        if item.application is None or item.kind not in ("entree", "sortie"):
            continue
        start, end = spans.get(item.application, (None, None))
        if item.kind == "entree":
            start = item.day
        else:
            end = item.day
        spans[item.application] = (start, end)
    return spans


def roadmap_timeline(inventory: Inventory, roadmap: Roadmap) -> Timeline:
    rows: list[TimelineRow] = []
    shown: set[str] = set()
    spans = _commune_spans(roadmap)

    def row(app_id: str, style: str) -> TimelineRow:
        span = spans.get(app_id)
        if span is not None:
            application = inventory.applications[app_id]
            span = (
                span[0] or _day(application.in_service_since),
                span[1] or _day(application.retired_in),
            )
        return _application_row(inventory, app_id, style, span)

    for status in sorted(roadmap.programmes, key=lambda item: (day_of(item.start), item.programme)):
        programme = inventory.programmes[status.programme]
        rows.append(
            TimelineRow(
                f"{programme.name} ({show_date(status.start)}–{show_date(status.end)})",
                (TimelineBar(day_of(status.start), day_of(status.end), "chantier"),),
                tuple(
                    TimelineMark(year_start(year), _wave_label(communes), "vague")
                    for year, communes in status.waves
                ),
                heading=True,
            )
        )
        if status.target is not None:
            rows.append(row(status.target, "cible"))
            shown.add(status.target)
        # A commune's or a bloc's roadmap shows what the chantier retires there: the other
        # communes' applications are the chantier's table's business, not this committee's.
        retires = (
            status.retires
            if roadmap.scope.commune is None and roadmap.scope.block is None
            else [app_id for app_id in status.retires if app_id in roadmap.concerned]
        )
        for app_id in sorted(
            retires,
            key=lambda item: (
                day_of(inventory.applications[item].retired_in or 2100),
                item,
            ),
        ):
            rows.append(row(app_id, "retiree"))
            shown.add(app_id)
    if roadmap.scope.commune is not None or roadmap.scope.block is not None:
        others = _other_applications(roadmap, shown)
        if others:
            rows.append(TimelineRow("Autres applications", heading=True))
            rows.extend(row(app_id, "application") for app_id in others)
    elif roadmap.support_ends:
        # The whole métropole: hundreds of applications enter and leave over the years (the
        # tables list them); a committee reads one row per product out of support.
        rows.append(TimelineRow("Fins de support", heading=True))
        rows.extend(_support_row(inventory, item) for item in roadmap.support_ends)
    total = len(rows)
    notes = []
    if roadmap.scope.commune is not None:
        name = inventory.organisation_name(roadmap.scope.commune)
        notes.append(f"Une barre : l'usage de l'application par {name}.")
    if total > MAX_TIMELINE_ROWS:
        notes.append(rows_note(MAX_TIMELINE_ROWS, total))
    note = " ".join(notes)
    return Timeline(
        title=_title(inventory, roadmap.scope),
        # a year before the window: what leaves in its first year still shows a bar
        start=year_start(roadmap.first_year - 1),
        end=year_start(roadmap.last_year + 1),
        rows=tuple(rows[:MAX_TIMELINE_ROWS]),
        today=roadmap.today,
        note=note,
    )


def _other_applications(roadmap: Roadmap, shown: set[str]) -> list[str]:
    """Besides the chantiers' applications, for a commune or a bloc: those that enter or leave
    in the window. What a committee must act on comes first — those that leave, or run on a
    product past or near its end of support — then the others; each group in the order they
    enter (a staircase), so that a long list cut at the rows' limit keeps what matters."""
    entries: dict[str, dt.date] = {}
    leaving: set[str] = set()
    for item in roadmap.movements:
        if item.application is None or item.application in shown:
            continue
        if item.kind == "entree":
            entries.setdefault(item.application, item.day)
        elif item.kind == "sortie":
            leaving.add(item.application)
            entries.setdefault(item.application, dt.date.min)
    leaving.update(
        app_id for end in roadmap.support_ends for app_id in end.applications if app_id in entries
    )
    return sorted(entries, key=lambda app_id: (app_id not in leaving, entries[app_id], app_id))


def _support_row(inventory: Inventory, item: SupportEnd) -> TimelineRow:
    """A product past or near its end of support, and how many applications still run on it."""
    end = day_of(item.end)
    count = len(item.applications)
    label = (
        f"{inventory.products[item.product].name} : {count} application{'s' if count > 1 else ''}"
    )
    return TimelineRow(
        label,
        (TimelineBar(None, end, "application"), TimelineBar(end, None, "hors-support")),
        (TimelineMark(end, "", "fin-de-support"),),
    )

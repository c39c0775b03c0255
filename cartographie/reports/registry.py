"""The registry of reports: a name maps to what the report is and how to build it.

This is the atlas's contract: :func:`atlas_reports` lists every report that has a page in the
atlas, each with ``atlas_page(portfolio)`` returning an already-escaped HTML fragment (tables,
maybe an inline SVG; no ``<html>``, no external asset). A report registered here appears in the
atlas without touching the atlas's code.

``document`` builds the report with its default options (what the atlas shows); the CLI calls the
report's own builder with the options the user gave.

An incremental atlas redoes a report's page when what the page reads changed: by default, any
record of the inventory (or the day: reports with a reference date). A report can say it reads
less: ``names_of_applications=False`` when its page never reads an application's name (it shows
ids and figures; ``tests/test_atlas_incremental.py`` renames every application and checks the
page is the same), or ``atlas_inputs``, a digest of all it reads, when that is not the inventory
(the trend reads the git history).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from dataclasses import dataclass

from cartographie.errors import CartographieError, UsageError
from cartographie.graph import Portfolio
from cartographie.reports.formats import to_html_fragment
from cartographie.reports.table import ReportDocument


@dataclass(frozen=True)
class ReportSpec:
    """A report: slug, French title and description, its default document and atlas page."""

    name: str
    title: str
    description: str
    document: Callable[[Portfolio], ReportDocument] | None = None
    atlas_page: Callable[[Portfolio], str] | None = None
    names_of_applications: bool = True  # the atlas page reads applications' names
    # All the page reads, if not the inventory.
    atlas_inputs: Callable[[Portfolio], str] | None = None


def _page(build: Callable[[Portfolio], ReportDocument]) -> Callable[[Portfolio], str]:
    def atlas_page(portfolio: Portfolio) -> str:
        return to_html_fragment(build(portfolio))

    return atlas_page


def _spec(
    name: str,
    title: str,
    description: str,
    build: Callable[[Portfolio], ReportDocument],
    *,
    names_of_applications: bool = True,
    atlas_inputs: Callable[[Portfolio], str] | None = None,
) -> ReportSpec:
    return ReportSpec(
        name,
        title,
        description,
        document=build,
        atlas_page=_page(build),
        names_of_applications=names_of_applications,
        atlas_inputs=atlas_inputs,
    )


def default_reference_date() -> dt.date:
    """Today, or the day of ``SOURCE_DATE_EPOCH`` when it is set (reproducible builds): the
    atlas's pages that depend on a date (délégations, qualité) stay byte-identical that way."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).date()
    return dt.date.today()


def _convergence(portfolio: Portfolio) -> ReportDocument:
    from cartographie.reports.convergence import convergence_document

    return convergence_document(portfolio)


def _impact(portfolio: Portfolio) -> ReportDocument:
    from cartographie.reports.impact import impact_document

    return impact_document(portfolio)


def _flows(portfolio: Portfolio) -> ReportDocument:
    from cartographie.reports.flows import flows_document

    return flows_document(portfolio)


def _cnil(portfolio: Portfolio) -> ReportDocument:
    from cartographie.reports.cnil import cnil_document

    return cnil_document(portfolio)


def _vendors(portfolio: Portfolio) -> ReportDocument:
    from cartographie.reports.vendors import vendors_document

    return vendors_document(portfolio)


def _delegations(portfolio: Portfolio) -> ReportDocument:
    from cartographie.reports.delegations import delegations_document

    return delegations_document(portfolio, default_reference_date())


def _quality(portfolio: Portfolio) -> ReportDocument:
    from cartographie.reports.quality import quality_document

    return quality_document(portfolio, default_reference_date())


def _trend(portfolio: Portfolio) -> ReportDocument:
    from cartographie.inventory.cache import caches_enabled
    from cartographie.reports.table import make_table
    from cartographie.reports.trend import trend_document

    try:
        return trend_document(portfolio.inventory.root, "mois", cache=caches_enabled())
    except CartographieError as error:
        # No git history around this inventory (a generated copy, an export): say so.
        from cartographie.reports.table import Column

        table = make_table(
            "points",
            "Pas d'historique git pour cet inventaire",
            (Column("raison", "Raison"),),
            [(str(error),)],
        )
        return ReportDocument("tendance", "Tendance de la convergence", (table,))


def _trend_inputs(portfolio: Portfolio) -> str:
    """What the trend reads: the inventory's git history up to HEAD, not its working tree (a
    rename not yet committed leaves the trend as it was)."""
    from cartographie.inventory.git import find_repository, resolve_revision

    try:
        repository = find_repository(portfolio.inventory.root)
        head = resolve_revision(repository, "HEAD")
    except CartographieError as error:  # no repository: the page says so, naming the folder
        return f"{portfolio.inventory.root}|{error}"
    return f"{portfolio.inventory.root}|{repository.root}|{repository.prefix}|{head}"


# In the order of the issue and of docs/rapports.md: the atlas lists them in this order.
REPORTS: tuple[ReportSpec, ...] = (
    _spec(
        "convergence",
        "Convergence et mutualisation",
        "Par bloc : couples, applications, produits, taux de convergence, application partagée ; "
        "par commune : taux de mutualisation ; la matrice bloc × commune.",
        _convergence,
        names_of_applications=False,
    ),
    _spec(
        "impact",
        "Impact d'un changement",
        "Pour un bloc, une donnée ou un éditeur : applications, communes, produits, éditeurs et "
        "flux à engager, et le nombre d'opérations ; bloc par bloc dans l'atlas.",
        _impact,
        names_of_applications=False,
    ),
    _spec(
        "flux",
        "Flux et hub",
        "Part des flux via le hub par commune et par bloc ; par donnée, l'économie d'un passage "
        "par le hub ; les flux qui contournent un hub existant.",
        _flows,
        names_of_applications=False,
    ),
    _spec(
        "cnil",
        "Silos CNIL",
        "La matrice commune × secteur RU-030, les flux de données personnelles qui franchissent "
        "un mur, les applications qui mêlent des secteurs, les données qui sortent.",
        _cnil,
        names_of_applications=False,
    ),
    _spec(
        "editeurs",
        "Éditeurs",
        "Par éditeur : applications, communes, coût annuel, blocs servis, API fermées ; blocs "
        "dépendant d'un seul éditeur ; suites.",
        _vendors,
        names_of_applications=False,
    ),
    _spec(
        "delegations",
        "Délégations de service public",
        "Applications exploitées par des délégataires, fin des contrats, clause sur les données, "
        "échéances proches.",
        _delegations,
    ),
    _spec(
        "qualite",
        "Qualité des données",
        "Complétude en trois niveaux (ANSSI, Mercator) par propriétaire et par champ ; revues "
        "anciennes ; applications sans bloc, processus ou flux ; un score par commune.",
        _quality,
        names_of_applications=False,
    ),
    _spec(
        "tendance",
        "Tendance",
        "Convergence et mutualisation au fil de l'historique git de l'inventaire, en tableau et "
        "en graphique.",
        _trend,
        atlas_inputs=_trend_inputs,
    ),
)


def all_reports() -> list[ReportSpec]:
    return list(REPORTS)


def atlas_reports() -> list[ReportSpec]:
    """The reports that have a page in the atlas, in reading order."""
    return [spec for spec in REPORTS if spec.atlas_page is not None]


def report_spec(name: str) -> ReportSpec:
    for spec in REPORTS:
        if spec.name == name:
            return spec
    choices = ", ".join(spec.name for spec in REPORTS)
    raise UsageError(f"rapport inconnu : {name}", f"rapports : {choices}")

"""The registry of reports: a name maps to what the report is, its options and its builder.

Everything else is generated from here. The CLI makes one ``rapport NAME`` command per entry,
its options from :attr:`ReportSpec.options` (plus the output options every command has), its
help from the title and :attr:`ReportSpec.example`; the atlas makes one page per entry from the
document :meth:`ReportSpec.build` gives with the default options. Adding a report is one entry
here and one module that builds its document.

A builder takes a :class:`ReportSource` (the inventory's folder, and its portfolio loaded on
first use: the trend reads the git history, not the portfolio) and the options as keywords.

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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from cartographie.document import Column, Document, make_table
from cartographie.errors import CartographieError, UnknownNameError
from cartographie.graph import Portfolio

OptionKind = Literal["text", "integer", "date", "choice"]


@dataclass(frozen=True)
class ReportOption:
    """One option of a report: the builder's keyword ``name`` and the CLI's ``--flag``."""

    name: str
    flag: str
    help: str
    kind: OptionKind = "text"
    default: Any = None
    short: str = ""
    metavar: str = ""
    choices: tuple[str, ...] = ()
    minimum: int | None = None
    maximum: int | None = None


@dataclass
class ReportSource:
    """What a report reads: the inventory's folder and its portfolio (loaded once, lazily)."""

    directory: Path
    load: Callable[[], Portfolio]
    cache: bool = False
    _portfolio: Portfolio | None = field(default=None, repr=False)

    @property
    def portfolio(self) -> Portfolio:
        if self._portfolio is None:
            self._portfolio = self.load()
        return self._portfolio

    @classmethod
    def of(cls, portfolio: Portfolio, *, cache: bool = False) -> ReportSource:
        return cls(portfolio.inventory.root, lambda: portfolio, cache, portfolio)


@dataclass(frozen=True)
class ReportSpec:
    """A report: slug, French title and description, its options, builder and example."""

    name: str
    title: str
    description: str
    build: Callable[..., Document]
    options: tuple[ReportOption, ...] = ()
    example: str = ""
    names_of_applications: bool = True  # the atlas page reads applications' names
    # All the page reads, if not the inventory.
    atlas_inputs: Callable[[Portfolio], str] | None = None

    def document(self, portfolio: Portfolio) -> Document:
        """The report with its default options: what the atlas shows."""
        return self.build(ReportSource.of(portfolio, cache=_caches()), **self.defaults())

    def defaults(self) -> dict[str, Any]:
        return {option.name: option.default for option in self.options}


def _caches() -> bool:
    from cartographie.inventory.cache import caches_enabled

    return caches_enabled()


def default_reference_date() -> dt.date:
    """Today, or the day of ``SOURCE_DATE_EPOCH`` when it is set (reproducible builds): the
    atlas's pages that depend on a date (délégations, qualité) stay byte-identical that way."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).date()
    return dt.date.today()


def _convergence(source: ReportSource, zone: str | None = None) -> Document:
    from cartographie.reports.convergence import convergence_document

    return convergence_document(source.portfolio, zone)


def _impact(
    source: ReportSource,
    bloc: str | None = None,
    donnee: str | None = None,
    editeur: str | None = None,
) -> Document:
    from cartographie.reports.impact import impact_document

    return impact_document(source.portfolio, block=bloc, data=donnee, vendor=editeur)


def _flows(source: ReportSource) -> Document:
    from cartographie.reports.flows import flows_document

    return flows_document(source.portfolio)


def _cnil(source: ReportSource) -> Document:
    from cartographie.reports.cnil import cnil_document

    return cnil_document(source.portfolio)


def _vendors(source: ReportSource) -> Document:
    from cartographie.reports.vendors import vendors_document

    return vendors_document(source.portfolio)


def _delegations(source: ReportSource, mois: int = 12, date: dt.date | None = None) -> Document:
    from cartographie.reports.delegations import delegations_document

    return delegations_document(source.portfolio, date or default_reference_date(), mois)


def _quality(source: ReportSource, mois: int = 12, date: dt.date | None = None) -> Document:
    from cartographie.reports.quality import quality_document

    return quality_document(source.portfolio, date or default_reference_date(), mois)


def _trend(source: ReportSource, par: str = "commit", limite: int | None = None) -> Document:
    from cartographie.reports.trend import trend_document

    return trend_document(source.directory, par, limite, cache=source.cache)  # type: ignore[arg-type]


def _trend_page(source: ReportSource, par: str = "mois", limite: int | None = None) -> Document:
    """The atlas's trend: one point per month, or why there is none (no git history around
    a generated copy or an export)."""
    try:
        return _trend(source, par, limite)
    except CartographieError as error:
        table = make_table(
            "points",
            "Pas d'historique git pour cet inventaire",
            (Column("raison", "Raison"),),
            [(str(error),)],
        )
        return Document("tendance", "Tendance de la convergence", (table,))


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


MONTHS = ReportOption(
    "mois", "--mois", "Horizon, en mois.", "integer", 12, "-m", "N", minimum=0, maximum=1200
)
DATE = ReportOption(
    "date",
    "--date",
    "Date de référence AAAA-MM-JJ (par défaut aujourd'hui, ou SOURCE_DATE_EPOCH).",
    "date",
    metavar="AAAA-MM-JJ",
)

# In the order of docs/rapports.md: the CLI's help and the atlas list them in this order.
REPORTS: tuple[ReportSpec, ...] = (
    ReportSpec(
        "convergence",
        "Convergence et mutualisation",
        "Par bloc : couples, applications, produits, taux de convergence, application partagée ; "
        "par commune : taux de mutualisation ; la matrice bloc × commune.",
        _convergence,
        (
            ReportOption(
                "zone",
                "--zone",
                "Ne garder que les blocs de cette zone (ou quartier).",
                short="-z",
                metavar="ZONE",
            ),
        ),
        example="cartographie rapport convergence --format xlsx --sortie convergence.xlsx",
        names_of_applications=False,
    ),
    ReportSpec(
        "impact",
        "Impact d'un changement",
        "Pour un bloc, une donnée ou un éditeur : applications, communes, produits, éditeurs et "
        "flux à engager, et le nombre d'opérations ; bloc par bloc dans l'atlas.",
        _impact,
        (
            ReportOption(
                "bloc", "--bloc", "Bloc (ou quartier, zone) touché.", short="-b", metavar="BLOC"
            ),
            ReportOption("donnee", "--donnee", "Donnée touchée.", short="-d", metavar="DONNEE"),
            ReportOption("editeur", "--editeur", "Éditeur touché.", short="-e", metavar="EDITEUR"),
        ),
        example="cartographie rapport impact --bloc etat-civil",
        names_of_applications=False,
    ),
    ReportSpec(
        "flux",
        "Flux et hub",
        "Part des flux via le hub par commune et par bloc ; par donnée, l'économie d'un passage "
        "par le hub ; les flux qui contournent un hub existant.",
        _flows,
        example="cartographie rapport flux --format csv --table donnees",
        names_of_applications=False,
    ),
    ReportSpec(
        "cnil",
        "Silos CNIL",
        "La matrice commune × secteur RU-030, les flux de données personnelles qui franchissent "
        "un mur, les applications qui mêlent des secteurs, les données qui sortent.",
        _cnil,
        example="cartographie rapport cnil --table franchissements --format markdown",
        names_of_applications=False,
    ),
    ReportSpec(
        "editeurs",
        "Éditeurs",
        "Par éditeur : applications, communes, coût annuel, blocs servis, API fermées ; blocs "
        "dépendant d'un seul éditeur ; suites.",
        _vendors,
        example="cartographie rapport editeurs --format json | jq '.tables[0].lignes[0]'",
        names_of_applications=False,
    ),
    ReportSpec(
        "delegations",
        "Délégations de service public",
        "Applications exploitées par des délégataires, fin des contrats, clause sur les données, "
        "échéances proches.",
        _delegations,
        (MONTHS, DATE),
        example="cartographie rapport delegations --mois 24",
    ),
    ReportSpec(
        "qualite",
        "Qualité des données",
        "Complétude en trois niveaux (ANSSI, Mercator) par propriétaire et par champ ; revues "
        "anciennes ; applications sans bloc, processus ou flux ; un score par commune.",
        _quality,
        (
            ReportOption(
                "mois",
                "--mois",
                "Âge maximal d'une revue, en mois.",
                "integer",
                12,
                "-m",
                "N",
                minimum=0,
                maximum=1200,
            ),
            DATE,
        ),
        example="cartographie rapport qualite --mois 24 --table niveaux",
        names_of_applications=False,
    ),
    ReportSpec(
        "tendance",
        "Tendance",
        "Convergence et mutualisation au fil de l'historique git de l'inventaire, en tableau et "
        "en graphique.",
        _trend,
        (
            ReportOption(
                "par",
                "--par",
                "Un point par commit, ou par mois (le dernier commit).",
                "choice",
                "commit",
                choices=("commit", "mois"),
            ),
            ReportOption(
                "limite",
                "--limite",
                "Les N derniers commits seulement.",
                "integer",
                None,
                "-n",
                "N",
                minimum=1,
            ),
        ),
        example="cartographie rapport tendance --par mois --format svg --sortie tendance.svg",
        atlas_inputs=_trend_inputs,
    ),
)


def _atlas_trend(spec: ReportSpec) -> ReportSpec:
    # The atlas draws the trend by month and never fails on a folder outside git.
    return ReportSpec(
        spec.name,
        spec.title,
        spec.description,
        _trend_page,
        (
            ReportOption("par", "--par", "", "choice", "mois", choices=("commit", "mois")),
            ReportOption("limite", "--limite", "", "integer", None),
        ),
        spec.example,
        spec.names_of_applications,
        spec.atlas_inputs,
    )


def all_reports() -> list[ReportSpec]:
    return list(REPORTS)


def atlas_reports() -> list[ReportSpec]:
    """The reports that have a page in the atlas, in reading order."""
    return [_atlas_trend(spec) if spec.name == "tendance" else spec for spec in REPORTS]


def report_spec(name: str) -> ReportSpec:
    for spec in REPORTS:
        if spec.name == name:
            return spec
    choices = ", ".join(spec.name for spec in REPORTS)
    raise UnknownNameError(f"rapport inconnu : {name}", f"rapports : {choices}")

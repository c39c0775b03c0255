"""The registry of reports: a name maps to what the report is, its options and its builder.

Everything else is generated from here. The CLI makes one ``rapport NAME`` command per entry,
its options from :attr:`ReportSpec.options` (plus the output options every command has), its
help from the title and :attr:`ReportSpec.example`; the atlas makes one page per entry from the
document :meth:`ReportSpec.build` gives with the default options. Adding a report is one entry
here and one module that builds its document.

A builder takes a :class:`ReportSource` (the inventory's folder, and its portfolio loaded on
first use: the trend reads the git history, not the portfolio) and the options as keywords.

Every report takes ``--date AAAA[-MM[-JJ]]`` (DESIGN.md §11): the source's ``moment``. Its
``portfolio`` is then the portfolio at that date (``model.asof``), and its ``written`` one the
inventory as written, for the reports that read dates themselves (the roadmap, the trend from
dates); the moment is also the reference date of the reports that have one (délégations,
qualité, the roadmap), today by default. :func:`run_report` builds a report and says, in its
parameters and notes, at which date the portfolio stands and that costs have no history.

An incremental atlas redoes a report's page when what the page reads changed: by default, any
record of the inventory (or the day: reports with a reference date). A report can say it reads
less: ``names_of_applications=False`` when its page reads an application's name only as the label
of the application's reference (its figures and its order never depend on names): the atlas
then makes the page once with the ids and fills the names in, and a rename fills them in again
without making the report (``tests/test_atlas_incremental.py`` renames every application and
checks that the page made with the ids is the same); or ``atlas_inputs``, a digest of all it
reads besides the inventory (the trend reads the git history, and the inventory's dates).

The command line reads this registry at start-up to build its ``rapport`` commands: the
builders import what they need when they run, so that ``--help`` loads neither the graph nor the
models.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from cartographie.errors import CartographieError, UnknownNameError

if TYPE_CHECKING:
    from cartographie.document import Document
    from cartographie.graph import Portfolio
    from cartographie.progress import Progress

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
    """What a report reads: the inventory's folder and its portfolio (loaded once, lazily),
    at ``moment`` when one is given (``--date``)."""

    directory: Path
    load: Callable[[], Portfolio]
    cache: bool = False
    _portfolio: Portfolio | None = field(default=None, repr=False)
    moment: dt.date | None = None
    _dated: Portfolio | None = field(default=None, repr=False)
    # Hears of long work (the trend's commits); the CLI draws it on a terminal.
    progress: Progress | None = field(default=None, repr=False)

    @property
    def written(self) -> Portfolio:
        """The inventory as written (it describes today)."""
        if self._portfolio is None:
            self._portfolio = self.load()
        return self._portfolio

    @property
    def portfolio(self) -> Portfolio:
        """The portfolio at ``moment``, or as written when there is none."""
        if self.moment is None:
            return self.written
        if self._dated is None:
            from cartographie.graph import Portfolio
            from cartographie.model.asof import as_of

            self._dated = Portfolio(as_of(self.written.inventory, self.moment))
        return self._dated

    @property
    def reference_date(self) -> dt.date:
        """The day dated reports read states at: ``moment``, else today."""
        return self.moment or default_reference_date()

    @classmethod
    def of(
        cls,
        portfolio: Portfolio,
        *,
        cache: bool = False,
        moment: dt.date | None = None,
        dated: Portfolio | None = None,
    ) -> ReportSource:
        """A source over a loaded portfolio (as written); ``dated``: its portfolio at
        ``moment`` when the caller has built it already (the atlas)."""
        return cls(portfolio.inventory.root, lambda: portfolio, cache, portfolio, moment, dated)


@dataclass(frozen=True)
class ReportSpec:
    """A report: slug, French title and description, its options, builder and example."""

    name: str
    title: str
    description: str
    build: Callable[..., Document]
    options: tuple[ReportOption, ...] = ()
    example: str = ""
    # The atlas page reads applications' names other than as their references' labels.
    names_of_applications: bool = True
    # All the page reads, if not the inventory.
    atlas_inputs: Callable[[Portfolio], str] | None = None
    # Long enough to deserve a progress bar (the CLI adds --silencieux): it reports through
    # ``ReportSource.progress``.
    slow: bool = False

    def document(
        self,
        portfolio: Portfolio,
        moment: dt.date | None = None,
        dated: Portfolio | None = None,
    ) -> Document:
        """The report with its default options: what the atlas shows (``portfolio`` as
        written; at ``moment`` for an atlas at a date, ``dated`` being the portfolio then)."""
        source = ReportSource.of(portfolio, cache=_caches(), moment=moment, dated=dated)
        return run_report(self, source, **self.defaults())

    def defaults(self) -> dict[str, Any]:
        return {option.name: option.default for option in self.options}


def run_report(spec: ReportSpec, source: ReportSource, **options: Any) -> Document:
    """Build the report; at a date, its parameters say which and its notes that costs are
    today's (DESIGN.md §11: costs have no history)."""
    document = spec.build(source, **options)
    if spec.name in _READS_DATES:
        return document
    from cartographie.reports.dated import at_date

    return at_date(document, source.moment)


# Reports that read the inventory's dates themselves: no « patrimoine à la date » note.
_READS_DATES = frozenset({"tendance", "feuille-de-route", "refacturation"})


def _caches() -> bool:
    from cartographie.inventory.cache import caches_enabled

    return caches_enabled()


def default_reference_date() -> dt.date:
    """Today, or the day of ``SOURCE_DATE_EPOCH`` when it is set (reproducible builds): the
    atlas's pages that depend on a date (délégations, qualité) stay byte-identical that way."""
    from cartographie.model.dates import reference_today

    return reference_today()


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


def _delegations(source: ReportSource, mois: int = 12) -> Document:
    from cartographie.reports.delegations import delegations_document

    return delegations_document(source.portfolio, source.reference_date, mois)


def _quality(source: ReportSource, mois: int = 12) -> Document:
    from cartographie.reports.quality import quality_document

    return quality_document(source.portfolio, source.reference_date, mois)


def _costs(source: ReportSource, par: str | None = None, annee: int | None = None) -> Document:
    from cartographie.analysis.costs import CostModel
    from cartographie.analysis.rebilling import rebilling, year_model
    from cartographie.reports.costs import costs_document

    year = annee or source.reference_date.year
    # The refacturation of a year reads the inventory as written, at 1 January of that year;
    # the costs, the portfolio at --date (today's costs: they have no history).
    written = CostModel(source.written)
    model = written if source.moment is None else CostModel(source.portfolio)
    billed = rebilling(year_model(written, year), year)
    return costs_document(model, billed, par)  # type: ignore[arg-type]


def _rebilling(
    source: ReportSource, annee: int | None = None, domaine: str | None = None
) -> Document:
    from cartographie.analysis.costs import CostModel
    from cartographie.reports.rebilling import rebilling_document

    # The year of --date by default: the inventory as written, read at 1 January of that year.
    year = annee or source.reference_date.year
    return rebilling_document(CostModel(source.written), year, domaine)


def _trend(
    source: ReportSource,
    par: str = "commit",
    limite: int | None = None,
    origine: str = "git",
    depuis: int | None = None,
    jusqu_a: int | None = None,
) -> Document:
    if origine == "dates":
        from cartographie.reports.trend import dates_trend_document

        first, last = dates_window(source, depuis, jusqu_a)
        return dates_trend_document(source.written.inventory, first, last)
    from cartographie.reports.trend import trend_document

    return trend_document(
        source.directory,
        par,  # type: ignore[arg-type]
        limite,
        cache=source.cache,
        until=source.moment,
        progress=source.progress,
    )


def dates_window(source: ReportSource, first: int | None, last: int | None) -> tuple[int, int]:
    """The years of a trend from dates: ``--depuis`` (default: the first chantier's start, or
    ten years ago) to ``--jusqu-a`` (default: the year of ``--date``, else the latest date in
    the inventory, at least this year); checked in order."""
    from cartographie.errors import OptionError
    from cartographie.model.asof import latest_date
    from cartographie.model.dates import day_of

    inventory = source.written.inventory
    this_year = default_reference_date().year
    if last is None:
        latest = latest_date(inventory)
        last = source.moment.year if source.moment else max(this_year, latest.year if latest else 0)
    if first is None:
        starts = [day_of(item.start).year for item in inventory.programmes.values()]
        first = min(starts) if starts else this_year - 10
        first = min(first, last)
    if first > last:
        raise OptionError(
            f"--depuis {first} après --jusqu-a {last}", "donnez les années dans l'ordre"
        )
    return first, last


def _roadmap(
    source: ReportSource,
    commune: str | None = None,
    bloc: str | None = None,
    chantier: str | None = None,
    depuis: int | None = None,
    jusqu_a: int | None = None,
    mois: int = 24,
) -> Document:
    from cartographie.analysis.roadmap import Scope, build_roadmap
    from cartographie.reports.roadmap import roadmap_document
    from cartographie.views.registry import check_id

    inventory = source.written.inventory
    if commune is not None:
        check_id(commune, sorted(inventory.communes), "commune")
    if bloc is not None:
        check_id(bloc, sorted(inventory.blocks), "bloc")
    if chantier is not None:
        check_id(chantier, sorted(inventory.programmes), "chantier")
    if depuis is not None and jusqu_a is not None and depuis > jusqu_a:
        from cartographie.errors import OptionError

        raise OptionError(
            f"--depuis {depuis} après --jusqu-a {jusqu_a}", "donnez les années dans l'ordre"
        )
    roadmap = build_roadmap(
        inventory,
        reference=source.reference_date,
        today=default_reference_date(),
        scope=Scope(commune=commune, block=bloc, programme=chantier),
        first_year=depuis,
        last_year=jusqu_a,
        months=mois,
    )
    return roadmap_document(inventory, roadmap)


def _trend_page(source: ReportSource, par: str = "mois", limite: int | None = None) -> Document:
    """The atlas's trend: the curve rebuilt from the inventory's dates, then one point per
    month of the git history, or why there is none (no git history around a generated copy
    or an export)."""
    from cartographie.document import Column, Document, Section, make_table

    dated = _trend(source, origine="dates")
    try:
        git = _trend(source, par, limite)
    except CartographieError as error:
        git = Document(
            "tendance",
            "Pas d'historique git pour cet inventaire",
            (
                make_table(
                    "historique",
                    "Pas d'historique git pour cet inventaire",
                    (Column("raison", "Raison"),),
                    [(str(error),)],
                ),
            ),
        )
    return Document(
        "tendance",
        "Tendance de la convergence",
        (
            Section("D'après les dates de l'inventaire", dated.blocks, name="dates"),
            Section("D'après l'historique git", _renamed(git.blocks), name="git"),
        ),
        parameters=dated.parameters,
    )


def _renamed(blocks: tuple[Any, ...]) -> tuple[Any, ...]:
    """The git trend's tables beside the dates' ones: their names must differ (--table)."""
    from dataclasses import replace

    from cartographie.document import Table

    return tuple(
        replace(block, name=f"git_{block.name}") if isinstance(block, Table) else block
        for block in blocks
    )


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


FIRST_YEAR = ReportOption(
    "depuis",
    "--depuis",
    "Première année (par défaut : le début du premier chantier).",
    "integer",
    None,
    metavar="AAAA",
    minimum=1950,
    maximum=2100,
)
LAST_YEAR = ReportOption(
    "jusqu_a",
    "--jusqu-a",
    "Dernière année (par défaut : la dernière date de l'inventaire, au moins cette année).",
    "integer",
    None,
    metavar="AAAA",
    minimum=1950,
    maximum=2100,
)
MONTHS = ReportOption(
    "mois", "--mois", "Horizon, en mois.", "integer", 12, "-m", "N", minimum=0, maximum=1200
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
        "couts",
        "Coûts",
        "Coût complet (cout_annuel + jours_internes × tjm) par commune, bloc, domaine, éditeur "
        "ou application, les coûts inconnus comptés à part ; le coût de la dispersion de chaque "
        "bloc en trois termes ; le rapprochement avec le budget et l'effectif de la DSI.",
        _costs,
        (
            ReportOption(
                "par",
                "--par",
                "Une seule vue : commune, bloc (la dispersion), domaine, editeur ou application "
                "(par défaut toutes).",
                "choice",
                None,
                choices=("commune", "bloc", "domaine", "editeur", "application"),
            ),
            ReportOption(
                "annee",
                "--annee",
                "Année de la refacturation (par défaut l'année en cours).",
                "integer",
                None,
                metavar="AAAA",
                minimum=1950,
                maximum=2100,
            ),
        ),
        example="cartographie rapport couts --par bloc --format xlsx --sortie couts.xlsx",
        names_of_applications=False,
    ),
    ReportSpec(
        "refacturation",
        "Refacturation",
        "Pour une année : le coût de chaque domaine mutualisé, sa clé, le poids et la part de "
        "chaque commune adhérente, au centime (plus grands restes) ; en xlsx pour les finances.",
        _rebilling,
        (
            ReportOption(
                "annee",
                "--annee",
                "Année refacturée (par défaut l'année en cours).",
                "integer",
                None,
                metavar="AAAA",
                minimum=1950,
                maximum=2100,
            ),
            ReportOption(
                "domaine", "--domaine", "Un seul domaine.", short="-d", metavar="DOMAINE"
            ),
        ),
        example="cartographie rapport refacturation --annee 2026 --format xlsx --sortie "
        "refacturation-2026.xlsx",
        names_of_applications=False,
    ),
    ReportSpec(
        "delegations",
        "Délégations de service public",
        "Applications exploitées par des délégataires, fin des contrats, clause sur les données, "
        "échéances proches.",
        _delegations,
        (MONTHS,),
        example="cartographie rapport delegations --mois 24",
        names_of_applications=False,
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
            ReportOption(
                "origine",
                "--source",
                "git (l'historique des commits) ou dates (l'inventaire reconstitué au 1er janvier "
                "de chaque année, d'après ses dates).",
                "choice",
                "git",
                choices=("git", "dates"),
            ),
            FIRST_YEAR,
            LAST_YEAR,
        ),
        example="cartographie rapport tendance --source dates --depuis 2014 --format svg "
        "--sortie tendance.svg",
        names_of_applications=False,
        atlas_inputs=_trend_inputs,
        slow=True,
    ),
    ReportSpec(
        "feuille-de-route",
        "Feuille de route",
        "Ce qui entre et sort du patrimoine année par année, les vagues des chantiers, les "
        "produits hors support ou proches de la fin, les dispositions (TIME) ; une frise en "
        "--format svg.",
        _roadmap,
        (
            ReportOption(
                "commune", "--commune", "Le patrimoine de cette commune.", short="-c", metavar="ID"
            ),
            ReportOption(
                "bloc", "--bloc", "Ce bloc (ou quartier, zone).", short="-b", metavar="BLOC"
            ),
            ReportOption("chantier", "--chantier", "Ce chantier seulement.", metavar="ID"),
            FIRST_YEAR,
            LAST_YEAR,
            ReportOption(
                "mois",
                "--mois",
                "Fin de support « proche » : dans les N mois.",
                "integer",
                24,
                "-m",
                "N",
                minimum=0,
                maximum=1200,
            ),
        ),
        example="cartographie rapport feuille-de-route --bloc finances --format svg "
        "--sortie feuille-de-route.svg",
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

"""Building the applications of one group of the territory: the métropole's shared ones, each
commune's own (core functions, the story's particular cases, the long tail), and — once for the
whole inventory — those of outside bodies.

What the story of the reference métropole needs is placed here on purpose, by commune (see
``_add_story_applications``): the retired finance and RH applications replaced by the shared
ones, the five reporting apps (one dropped although it worked), the accueil software the conseil
départemental published as free software (Montaigut-sur-Lèze, 2010), the parking délégataire's
prediction SaaS, the library network and the police pluricommunale. Everything else is drawn
from the catalogue with the group's ``random.Random``, in a fixed order, so that a seed always
gives the same portfolio.
"""

from __future__ import annotations

import datetime as dt
import random
import unicodedata
from collections.abc import Sequence

from cartographie.generator.catalogue.blocks import (
    BLOCKS_BY_ID,
    REFERENTIAL_NEEDS,
    ZONE_OF_BLOCK,
)
from cartographie.generator.catalogue.functions import (
    CENTRE_DIRECTIONS,
    CORE_FUNCTIONS,
    DIRECTION_OF_BLOCK,
    DIRECTION_TOOLS,
    ENFANCE_SUITES,
    GMAO_INSTANCES,
    GMAO_PRODUCTS,
    SMALL_COMMUNE_DEFAULT_SERVICE,
    SMALL_COMMUNE_SERVICE,
    TAIL_TOOLS,
    TOOL_DATA,
    Choice,
    Size,
    TailTool,
    ToolData,
)
from cartographie.generator.catalogue.shared import (
    PARTNER_APPLICATIONS,
    SHARED_APPLICATIONS,
    SharedAppSpec,
)
from cartographie.generator.catalogue.vendors import PRODUCTS_BY_ID, VENDORS_BY_ID
from cartographie.generator.model import GeneratedApplication
from cartographie.generator.territory import (
    CAF_CONSENT,
    CAF_EXCHANGE_SINCE,
    DATACENTERS,
    METROPOLE_CODE,
    METROPOLE_ID,
    Commune,
    group_suffix,
)

SIZE_INDEX: dict[Size, int] = {"centre": 0, "grande": 1, "moyenne": 2, "petite": 3}
# What a commune of each size pays for the same product, relative to a large city.
COST_FACTOR: dict[Size, float] = {"centre": 1.0, "grande": 0.55, "moyenne": 0.32, "petite": 0.16}
# How many long-tail tools a commune keeps, by size (a range to draw from).
TAIL_COUNT: dict[Size, tuple[int, int]] = {
    "centre": (232, 238),
    "grande": (123, 139),
    "moyenne": (59, 69),
    "petite": (21, 28),
}
# How likely a commune of each size is to keep a tool of each level (3 common … 1 rare).
TAIL_LEVEL_WEIGHT: dict[Size, dict[int, float]] = {
    "centre": {3: 1.0, 2: 1.0, 1: 1.0},
    "grande": {3: 1.0, 2: 0.8, 1: 0.25},
    "moyenne": {3: 1.0, 2: 0.45, 1: 0.04},
    "petite": {3: 1.0, 2: 0.04, 1: 0.0},
}
TAIL_PRODUCT_OF_KIND = {
    "acc": "microsoft-access",
    "xls": "microsoft-excel",
    "wd": "pc-soft-windev",
}
TAIL_HOSTING_OF_KIND = {
    "acc": "poste",
    "xls": "poste",
    "wd": "datacenter",
    "web": "datacenter",
    "saas": "saas",
}
# Share of workbooks and Access bases a commune's IT department has rewritten, by size.
REWRITTEN_TOOLS: dict[Size, float] = {"centre": 0.7, "grande": 0.6, "moyenne": 0.4, "petite": 0.15}
# Words left out of ids made from names: ids stay short and readable.
_STOP_WORDS = frozenset(
    ("a", "au", "aux", "d", "de", "des", "du", "en", "et", "l", "la", "le", "les", "pour", "par",
     "sur", "un", "une")
)
LATEST_REVIEW = dt.date(2026, 2, 27)
NO_DATA: ToolData = ((), ())
# Applications of the hôtel de ville's server room installed before this year still run on
# physical servers that the other data centre does not replicate.
OLD_SERVERS_BEFORE = 2010


# --- small helpers ------------------------------------------------------------------------


def slug(text: str, max_words: int = 6) -> str:
    """An id fragment from French text: ascii, lowercase, stop words dropped."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    cleaned = "".join(char if char.isalnum() else " " for char in ascii_text.lower())
    words = [word for word in cleaned.split() if word not in _STOP_WORDS]
    return "-".join(words[:max_words])


def pick(rng: random.Random, choices: Sequence[Choice]) -> str | None:
    """One product of a weighted list (weights are small integers)."""
    total = sum(weight for _product, weight in choices)
    draw = rng.random() * total
    for product, weight in choices:
        draw -= weight
        if draw < 0:
            return product
    return choices[-1][0]


def _words(text: str) -> set[str]:
    """The words that carry meaning: ascii, lowercase, without stop words or short ones."""
    return {word for word in slug(text, max_words=99).split("-") if len(word) > 2}


def product_label(product: str, what: str) -> str:
    """« Mélodie — état civil »; the product's name alone when it already says what it does
    (« Horizon Villages — État civil », not « … — État civil — état civil »)."""
    name = PRODUCTS_BY_ID[product].name
    if _words(what) & _words(name):
        return name
    return f"{name} — {lower_first(what)}"


def lower_first(text: str) -> str:
    """« État civil » -> « état civil », but « GMAO des bâtiments » stays as it is."""
    if len(text) > 1 and text[1].islower():
        return text[0].lower() + text[1:]
    return text


def _unique(items: Sequence[str]) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for item in items:
        seen.setdefault(item, None)
    return tuple(seen)


def _review_date(rng: random.Random, since: int | None) -> dt.date:
    """Most records were reviewed lately; some not since the early days of the DGSIN (2015),
    none before the application went live."""
    draw = rng.random()
    if draw < 0.58:
        start, end = dt.date(2024, 1, 15), LATEST_REVIEW
    elif draw < 0.88:
        start, end = dt.date(2020, 6, 1), dt.date(2023, 12, 20)
    else:
        start, end = dt.date(2015, 9, 1), dt.date(2019, 12, 20)
    if since is not None and start.year < since:
        start = max(start, dt.date(min(since, LATEST_REVIEW.year), 1, 10))
        end = max(end, start)
    return start + dt.timedelta(days=rng.randrange((end - start).days + 1))


class GroupBuilder:
    """Builds the applications of one group: call :meth:`build` once."""

    def __init__(self, group: int, communes: list[Commune], seed: int) -> None:
        self.group = group
        self.communes = communes
        self.suffix = group_suffix(group)
        self.rng = random.Random(f"{seed}:{group}:applications")
        self.by_spec = {commune.spec.id: commune for commune in communes}
        self.applications: dict[str, list[GeneratedApplication]] = {}
        self._ids: set[str] = set()

    # --- naming and common fields ---------------------------------------------------------

    def metro_id(self, key: str) -> str:
        return f"{METROPOLE_CODE}-{key}{self.suffix}"

    def commune_id(self, spec_id: str) -> str:
        return self.by_spec[spec_id].id

    def _new_id(self, candidate: str) -> str:
        app_id, counter = candidate, 2
        while app_id in self._ids:
            app_id = f"{candidate}-{counter}"
            counter += 1
        self._ids.add(app_id)
        return app_id

    def _responsible(self, commune: Commune | None, block: str) -> str:
        if commune is None:
            return DIRECTION_OF_BLOCK[block]
        if commune.size == "petite":
            return SMALL_COMMUNE_SERVICE.get(block, SMALL_COMMUNE_DEFAULT_SERVICE)
        return DIRECTION_OF_BLOCK[block]

    def _datacenter(self, commune: Commune | None) -> str:
        # The ville centre's historical server room still hosts most of its applications;
        # everything else moved to the métropole's data centre.
        if commune is not None and commune.size == "centre" and self.rng.random() < 0.7:
            return DATACENTERS[0].id
        return DATACENTERS[1].id

    def _cost(self, product: str | None, size: Size, kind: str | None = None) -> int | None:
        if self.rng.random() < 0.18:
            return None  # nobody knows: a gap the urbaniste will want to fill
        if product is not None and product not in TAIL_PRODUCT_OF_KIND.values():
            low, high = PRODUCTS_BY_ID[product].cost
        elif kind == "saas":
            low, high = 300, 6_000
        elif kind in ("web", "wd"):
            low, high = 800, 9_000
        elif product is None:
            low, high = 2_000, 25_000
        else:
            return None  # a workbook or an Access base costs nothing but a workstation
        if high == 0:
            return None
        amount = self.rng.uniform(low, high) * COST_FACTOR[size]
        return max(100, round(amount / 100) * 100)

    def _lifecycle(self, since: int) -> tuple[str, int | None, int | None]:
        """Lifecycle, year in service (None for a project) and year of retirement."""
        draw = self.rng.random()
        if draw < 0.03:
            return "projet", None, None
        if draw < 0.08:
            # Retirements still to come (the story stands in December 2026).
            return "a-retirer", since, self.rng.choice((2027, 2027, 2028))
        if draw < 0.12:
            return "retiree", since, min(2025, since + self.rng.randint(3, 10))
        if draw < 0.15:
            return "convergence", since, None
        return "production", since, None

    def _make(
        self,
        owner: str,
        commune: Commune | None,
        app_id: str,
        name: str,
        blocks: tuple[str, ...],
        product: str | None,
        since: int | None,
        *,
        layer: str | None = None,
        hosting: str | None = None,
        sectors: tuple[str, ...] | None = None,
        authoritative: bool = True,
        kind: str | None = None,
        size: Size = "centre",
        produces: tuple[str, ...] | None = None,
        consumes: tuple[str, ...] | None = None,
    ) -> GeneratedApplication:
        first = BLOCKS_BY_ID[blocks[0]]
        if hosting is None:
            hosting = PRODUCTS_BY_ID[product].hosting if product else "datacenter"
        if sectors is None:
            sectors = _unique([s for block in blocks for s in BLOCKS_BY_ID[block].sectors])
        application = GeneratedApplication(
            id=self._new_id(app_id),
            name=name,
            owner=owner,
            layer=layer or first.layer,
            blocks=blocks,
            hosting=hosting,
            group=self.group,
            product=product,
            datacenter=self._datacenter(commune) if hosting == "datacenter" else None,
            sectors=sectors,
            responsible=self._responsible(commune, blocks[0]),
            cost=self._cost(product, size, kind),
            since=since,
            last_review=_review_date(self.rng, since),
            produces=(
                _unique([d for block in blocks for d in BLOCKS_BY_ID[block].produces])
                if produces is None
                else produces
            ),
            consumes=(
                _unique([d for block in blocks for d in BLOCKS_BY_ID[block].consumes])
                if consumes is None
                else consumes
            ),
            authoritative=authoritative,
            tool_kind=kind,
        )
        application.consumes += self._referentials(application)
        self.applications.setdefault(owner, []).append(application)
        return application

    def _referentials(self, application: GeneratedApplication) -> tuple[str, ...]:
        block = application.blocks[0]
        zone = ZONE_OF_BLOCK[block]
        needs: list[str] = []
        for data, reference_share, tool_share, where in REFERENTIAL_NEEDS:
            if application.tool_kind in ("acc", "xls"):
                # A workbook gets an export now and then, not a feed; nobody signs in to it.
                share = 0.0 if data == "annuaire" else tool_share
            elif application.tool_kind is not None:
                # An in-house web application or a SaaS signs in through the directory and
                # looks addresses up more often than a workbook, less than a progiciel.
                share = reference_share
            else:
                share = reference_share
            if where is not None and zone not in where and block not in where:
                continue
            if data in application.produces or data in application.consumes:
                continue
            if self.rng.random() < share:
                needs.append(data)
        return tuple(needs)

    # --- the métropole's shared applications ----------------------------------------------

    def _users(self, rule: str) -> tuple[str, ...]:
        communes = self.communes
        if rule == "all":
            chosen = communes
        elif rule == "metropole":
            chosen = []
        elif rule.startswith("domain-sizes:"):
            _prefix, domain, size_list = rule.split(":")
            chosen = [c for c in communes if c.joined(domain) and c.size in size_list.split(",")]
        elif rule.startswith("domain:"):
            domain = rule.split(":", 1)[1]
            chosen = [c for c in communes if c.joined(domain) is not None]
        elif rule.startswith("sizes:"):
            sizes = rule.split(":", 1)[1].split(",")
            chosen = [c for c in communes if c.size in sizes]
        else:  # pragma: no cover - a typo in the catalogue
            raise ValueError(f"unknown users rule {rule!r}")
        return (METROPOLE_ID, *(commune.id for commune in chosen))

    def _add_shared(self, spec: SharedAppSpec) -> GeneratedApplication:
        application = self._make(
            METROPOLE_ID,
            None,
            self.metro_id(spec.key),
            spec.name if self.group == 0 else f"{spec.name} (groupe {self.group + 1})",
            spec.blocks,
            spec.product,
            spec.since,
            layer=spec.layer,
            hosting=spec.hosting,
            sectors=spec.sectors or None,  # None: what its blocs handle
        )
        application.users = self._users(spec.users)
        application.responsible = spec.responsible
        application.cost = spec.cost
        application.lifecycle = spec.lifecycle
        application.governance = spec.governance
        application.delegation = None if spec.delegation is None else spec.delegation + self.suffix
        application.hub = spec.hub
        application.description = spec.description
        if spec.produces is not None:
            application.produces = spec.produces
        if spec.consumes is not None:
            application.consumes = spec.consumes
        return application

    # --- communes -------------------------------------------------------------------------

    def _add_core(self, commune: Commune) -> None:
        size = commune.size
        index = SIZE_INDEX[size]
        spec_id = commune.spec.id
        for function in CORE_FUNCTIONS:
            forced = (function.key, spec_id) in (
                ("mediatheque", "aurelle"),
                ("police-municipale", "merenvielle"),
            )
            # The library network and the police pluricommunale: these communes use the
            # application of their neighbour (see _add_story_applications).
            if (function.key, spec_id) in (
                ("mediatheque", "fontenilles-sur-aure"),
                ("mediatheque", "lestang"),
                ("police-municipale", "lauzac"),
            ):
                continue
            if not forced and self.rng.random() >= function.presence[index]:
                continue
            product = pick(self.rng, function.products[index])
            name = function.name
            if product is not None:
                name = product_label(product, function.name)
            application = self._make(
                commune.id,
                commune,
                f"{commune.code}-{function.key}",
                name,
                function.blocks,
                product,
                self.rng.randint(*function.since),
                size=size,
                produces=function.produces,
                consumes=function.consumes,
            )
            if spec_id == "aurelle" and function.key == "mediatheque":
                application.name += " du réseau de lecture publique"
                application.users = (
                    commune.id,
                    self.commune_id("fontenilles-sur-aure"),
                    self.commune_id("lestang"),
                )
            if spec_id == "merenvielle" and function.key == "police-municipale":
                application.name += " (convention avec Lauzac)"
                application.description = (
                    "Police pluricommunale de Mérenvielle et de Lauzac : une convention met en "
                    "commun les agents, leurs patrouilles et le logiciel."
                )
                application.users = (commune.id, self.commune_id("lauzac"))

    def _add_enfance(self, commune: Commune) -> None:
        size = commune.size
        choices = [(suite[0], suite[2]) for suite in ENFANCE_SUITES]
        management = str(pick(self.rng, choices))  # every suite names its product
        portal = next(suite[1] for suite in ENFANCE_SUITES if suite[0] == management)
        blocks: tuple[str, ...] = ("scolaire", "periscolaire")
        if size in ("moyenne", "petite"):
            blocks = (*blocks, "petite-enfance")
        since = self.rng.randint(2009, 2020)
        if commune.spec.id in CAF_CONSENT:
            since = min(since, CAF_EXCHANGE_SINCE)  # it has received the CAF's quotient since
        application = self._make(
            commune.id, commune, f"{commune.code}-enfance",
            product_label(management, "scolaire et périscolaire"), blocks, management,
            since, sectors=("prestations-scolaires-periscolaires", "sante"), size=size,
        )
        application.produces = ("dossier-famille", "inscription-scolaire",
                                "reservation-periscolaire", "facture-famille", "titre-recette")
        # The CCAS tells it which families it helps, for the reduced tariff (story flows).
        application.consumes += ("beneficiaire-aide",)
        if size != "petite" or self.rng.random() < 0.5:
            # The family's account, and the invoices it sends on to PayFiP for payment; it
            # takes no part in the citizens' requests its bloc otherwise handles.
            self._make(
                commune.id, commune, f"{commune.code}-portail-famille",
                product_label(portal, "portail famille"), ("portail-citoyen",), portal,
                self.rng.randint(2015, 2022), size=size,
                sectors=("relations-usagers", "prestations-scolaires-periscolaires"),
                produces=("compte-usager", "facture-famille"),
                consumes=("dossier-famille", "facture-famille", "paiement"),
            )
        if size in ("centre", "grande"):
            self._make(
                commune.id, commune, f"{commune.code}-petite-enfance", "iNoé — petite enfance",
                ("petite-enfance",), "aiga-inoe", self.rng.randint(2011, 2021), size=size,
                sectors=("prestations-scolaires-periscolaires", "sante"),
            )

    def _add_gmao(self, commune: Commune) -> None:
        for key, name in GMAO_INSTANCES[commune.size]:
            product = pick(self.rng, GMAO_PRODUCTS[commune.size])
            label = name if product == "microsoft-access" else (
                product_label(str(product), name)
            )
            application = self._make(
                commune.id, commune, f"{commune.code}-{key}", label, ("gmao",), product,
                self.rng.randint(2004, 2021), size=commune.size,
            )
            if commune.joined("maintenance-patrimoine") is not None:
                application.lifecycle = "convergence"
                application.replaced_by = self.metro_id("gmao")

    def _add_documents(self, commune: Commune) -> None:
        """Urbanisme and courrier for communes outside the shared services."""
        size = commune.size
        if commune.joined("droit-des-sols") is None:
            choices: tuple[Choice, ...] = (
                (("operis-oxalis", 1),) if size == "centre"
                else (("openmairie-openads", 1), ("operis-oxalis", 1))
            )
            product = pick(self.rng, choices)
            self._make(
                commune.id, commune, f"{commune.code}-urbanisme",
                product_label(str(product), "autorisations d'urbanisme"),
                ("urbanisme",), product, self.rng.randint(2008, 2019), size=size,
            )
        if size in ("centre", "grande"):
            choices = (
                (("efalia-elise", 1),) if size == "centre"
                else (("digitech-airs-courrier", 1), ("openmairie-opencourrier", 1))
            )
            product = pick(self.rng, choices)
            self._make(
                commune.id, commune, f"{commune.code}-courrier",
                product_label(str(product), "courrier"), ("courrier-ged",), product,
                self.rng.randint(2010, 2020), size=size,
            )

    def _add_tail(self, commune: Commune) -> None:
        size = commune.size
        weights = TAIL_LEVEL_WEIGHT[size]
        # Weighted sampling without replacement (Efraimidis–Spirakis): one key per tool, in
        # the catalogue's order, then the largest keys win.
        keyed: list[tuple[float, int, str, TailTool]] = []
        for block, tools in TAIL_TOOLS.items():
            for tool in tools:
                weight = weights[tool[1]]
                draw = self.rng.random()
                if weight > 0:
                    keyed.append((draw ** (1 / weight), len(keyed), block, tool))
        count = self.rng.randint(*TAIL_COUNT[size])
        chosen = sorted(keyed, key=lambda item: (-item[0], item[1]))[:count]
        for _key, _order, block, tool in sorted(chosen, key=lambda item: item[1]):
            self._add_tool(commune, block, tool[0], tool[2])
        if size == "centre":
            for pattern, block, kind in DIRECTION_TOOLS:
                for direction in CENTRE_DIRECTIONS:
                    if self.rng.random() < 0.82:
                        self._add_tool(commune, block, pattern.format(d=direction), kind,
                                       responsible=direction[0].upper() + direction[1:],
                                       data=TOOL_DATA.get(pattern, NO_DATA))

    def _add_tool(
        self,
        commune: Commune,
        block: str,
        name: str,
        kind: str,
        responsible: str | None = None,
        data: ToolData | None = None,
    ) -> None:
        spec = BLOCKS_BY_ID[block]
        # What this tool exchanges (TOOL_DATA), and the referentials _make adds.
        produces, consumes = data if data is not None else TOOL_DATA.get(name, NO_DATA)
        hosting: str
        if kind.startswith("p:"):
            product: str | None = kind[2:]
            hosting = PRODUCTS_BY_ID[kind[2:]].hosting
            kind = "saas" if hosting == "saas" else "web"
        else:
            product = TAIL_PRODUCT_OF_KIND.get(kind)
            hosting = TAIL_HOSTING_OF_KIND[kind]
        if kind in ("acc", "xls") and self.rng.random() < REWRITTEN_TOOLS[commune.size]:
            # A large city's IT department rewrote many workbooks and Access bases as small
            # in-house applications (WinDev or web); the need, and the name, stayed.
            kind = "wd" if self.rng.random() < 0.4 else "web"
            product = TAIL_PRODUCT_OF_KIND.get(kind)
            hosting = TAIL_HOSTING_OF_KIND[kind]
        lifecycle, since, retired = self._lifecycle(self._tool_since(kind))
        application = self._make(
            commune.id, commune, f"{commune.code}-{slug(name)}", name, (block,), product, since,
            hosting=hosting, sectors=spec.sectors, authoritative=False,
            kind=kind, size=commune.size, produces=produces, consumes=consumes,
        )
        application.lifecycle = lifecycle
        application.retired = retired
        if responsible is not None:
            application.responsible = responsible
        if kind == "saas" and self.rng.random() < 0.75:
            # Bought on a department's credit card: the DGSIN learns of it from an invoice.
            application.governance = "direction-metier"

    def _tool_since(self, kind: str) -> int:
        low = {"acc": 1999, "xls": 2002, "wd": 2001, "web": 2006, "saas": 2015}[kind]
        return self.rng.randint(low, 2025)

    # --- the story ------------------------------------------------------------------------

    def _add_story_applications(self, commune: Commune) -> None:
        spec_id = commune.spec.id
        code = commune.code
        finance_legacy = {
            "aurelle": ("bl-sedit-marianne", 2003),
            "saint-jean-de-veze": ("ciril-civilnet-finances", 2009),
            "montaigut-sur-leze": ("inetum-astre-gf", 2011),
            "pujols-le-haut": ("jvs-horizon-comptabilite", 2006),
            "fontenilles-sur-aure": ("jvs-horizon-comptabilite", 2005),
            "lestang": ("jvs-horizon-comptabilite", 2008),
        }
        if spec_id in finance_legacy:
            product, since = finance_legacy[spec_id]
            joined = commune.joined("finances") or 2019
            application = self._make(
                commune.id, commune, f"{code}-finances-historique",
                product_label(product, "comptabilité communale"), ("finances",),
                product, since, size=commune.size,
            )
            application.lifecycle = "retiree"
            application.retired = joined
            application.replaced_by = self.metro_id("finances")
            application.produces = application.consumes = ()
        rh_legacy = {
            "breville-les-forges": ("inetum-astre-rh", 2007, "a-retirer", 2027),
            "castelnau-d-aurelle": ("bl-emagnus-grh", 2012, "retiree", 2019),
        }
        if spec_id in rh_legacy:
            product, since, lifecycle, retired = rh_legacy[spec_id]
            application = self._make(
                commune.id, commune, f"{code}-rh-historique",
                product_label(product, "paie et carrière"), ("paie-carriere",), product,
                since, size=commune.size,
            )
            application.lifecycle = lifecycle
            application.retired = retired
            application.replaced_by = self.metro_id("rh-paie")
            application.produces = application.consumes = ()
            if lifecycle == "a-retirer":
                application.description = (
                    "Gardée en consultation pour l'historique des carrières ; la paie est faite "
                    "dans l'application mutualisée depuis 2020."
                )
        self._add_reporting_app(commune)
        if spec_id == "aurelle":
            self._add_central_city_story(commune)
        if spec_id == "montaigut-sur-leze":
            self._add_reception_story(commune)
        if spec_id == "saint-jean-de-veze":
            application = self._make(
                commune.id, commune, f"{code}-restauration", "Commandes de repas de la cuisine "
                "centrale", ("periscolaire",), None, 2017, hosting="delegataire",
                sectors=("prestations-scolaires-periscolaires",), size=commune.size,
            )
            application.governance = "delegataire"
            application.delegation = "dsp-restauration-2017" + self.suffix
            application.produces = ()
            application.consumes = ("reservation-periscolaire",)

    def _add_reporting_app(self, commune: Commune) -> None:
        """Five communes bought a smartphone app for reporting problems; Bréville gave up."""
        reporting = {
            "aurelle": ("spallian-tellmycity", "Aurelle dans ma poche", 2018),
            "saint-jean-de-veze": ("neocity", "Saint-Jean en un clic", 2020),
            "montaigut-sur-leze": ("spallian-tellmycity", "Montaigut signale", 2019),
            "breville-les-forges": ("neocity", "Bréville en poche", 2017),
            "pujols-le-haut": ("neocity", "Pujols connecté", 2021),
        }
        if commune.spec.id not in reporting:
            return
        product, label, since = reporting[commune.spec.id]
        application = self._make(
            commune.id, commune, f"{commune.code}-signalement",
            f"{label} — application de signalement ({PRODUCTS_BY_ID[product].name})",
            ("signalement",), product, since, size=commune.size,
        )
        application.governance = "direction-metier" if since < 2019 else "dgsin"
        application.responsible = "Direction de la communication"
        if commune.spec.id == "breville-les-forges":
            # The field study: it worked well, and was dropped all the same.
            application.lifecycle = "retiree"
            application.retired = 2023
            application.description = (
                "Abandonnée en 2023 alors qu'elle fonctionnait bien — les signalements étaient "
                "nombreux et traités vite : les agents des services techniques se sentaient "
                "surveillés, chaque signalement affichant en public qui l'avait pris en charge "
                "et en combien de temps."
            )

    def _add_reception_story(self, commune: Commune) -> None:
        """The accueil software the conseil départemental published as free software: chosen in
        2010 by Montaigut-sur-Lèze to unify how it receives its habitants, started with the
        périscolaire, never extended to the other services, replaced by the shared GDU when the
        commune joined the relation-usagers domain."""
        joined = commune.joined("relation-usagers") or 2021
        application = self._make(
            commune.id, commune, f"{commune.code}-guichet-citoyen",
            "Guichet citoyen — accueil unifié des habitants", ("portail-citoyen",),
            "cd-guichet-citoyen", 2010, size=commune.size,
            sectors=("relations-usagers", "prestations-scolaires-periscolaires"),
        )
        application.lifecycle = "retiree"
        application.retired = joined
        application.replaced_by = self.metro_id("gdu")
        application.origin = (
            "Logiciel libre publié par le conseil départemental de la Haute-Aurelle sur la forge "
            "de l'ADULLACT, choisi en 2010 pour unifier l'accueil des habitants."
        )
        application.description = (
            "Devait réunir toutes les démarches des habitants ; commencé par les inscriptions "
            "périscolaires, il n'a jamais été étendu aux autres services. Retiré en "
            f"{joined}, quand la commune a rejoint la GDU mutualisée."
        )
        application.produces = application.consumes = ()

    def _add_central_city_story(self, commune: Commune) -> None:
        code = commune.code
        delegation = "dsp-stationnement-2019" + self.suffix
        parking = self._make(
            commune.id, commune, f"{code}-parkings", "Exploitation des parkings en ouvrage",
            ("stationnement",), None, 2019, hosting="delegataire", size=commune.size,
        )
        parking.governance = "delegataire"
        parking.delegation = delegation
        parking.produces = ("occupation-stationnement", "forfait-post-stationnement")
        parking.consumes = ()
        prediction = self._make(
            commune.id, commune, f"{code}-prevision-stationnement",
            "Prévi'Parc — prévision des places libres", ("stationnement",),
            "parkaviz-previparc", 2021, size=commune.size,
        )
        prediction.governance = "delegataire"
        prediction.delegation = delegation
        prediction.cost = 18_600
        prediction.description = (
            "SaaS de prévision vendu par le délégataire du stationnement dans son offre : la "
            "ville paie l'abonnement mais n'a pas la main sur les données."
        )
        prediction.produces = ("prevision-stationnement",)
        prediction.consumes = ("occupation-stationnement",)
        # The city's website shows the predicted free places (a flow of the story).
        for application in self.applications[commune.id]:
            if application.id == f"{code}-site-internet":
                application.consumes += ("prevision-stationnement",)

    # --- the whole group ------------------------------------------------------------------

    def build(self) -> dict[str, list[GeneratedApplication]]:
        self.applications[METROPOLE_ID] = []
        for spec in SHARED_APPLICATIONS:
            self._add_shared(spec)
        for commune in self.communes:
            self.applications[commune.id] = []
            self._add_core(commune)
            self._add_enfance(commune)
            self._add_gmao(commune)
            self._add_documents(commune)
            self._add_story_applications(commune)
            self._add_tail(commune)
        self._mark_without_backup()
        return self.applications

    def _mark_without_backup(self) -> None:
        """What runs with no backup in two data centres that back each other up: in the hôtel
        de ville's room, the physical servers installed before 2010 and never virtualised; in
        the métropole's, the communes' in-house WinDev applications, which the replication plan
        leaves out."""
        historical, metropolitan = DATACENTERS[0].id, DATACENTERS[1].id
        for owned in self.applications.values():
            for application in owned:
                if application.datacenter == historical:
                    old = application.since is not None and application.since < OLD_SERVERS_BEFORE
                    application.no_backup = old
                elif application.datacenter == metropolitan:
                    application.no_backup = application.tool_kind == "wd"


def build_partner_applications() -> list[GeneratedApplication]:
    """The applications of outside bodies: one of each, whatever the scale."""
    return [
        GeneratedApplication(
            id=spec.id,
            name=spec.name,
            owner=spec.owner,
            layer=spec.layer,
            blocks=(),
            hosting="saas",
            group=0,
            description=spec.description,
        )
        for spec in PARTNER_APPLICATIONS
    ]


def is_closed(application: GeneratedApplication) -> bool:
    """An application that data leaves only by export files or by hand."""
    if application.hosting == "poste":
        return True
    if application.product is None:
        return False
    product = PRODUCTS_BY_ID[application.product]
    return (product.api or VENDORS_BY_ID[product.vendor].api) == "aucune"

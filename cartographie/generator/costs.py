"""What the reference métropole costs: its applications' costs and internal days, its communes'
staff, its domains' re-invoicing keys and overheads, and its DSI (DESIGN.md §9–10).

This pass runs after everything else, with a random stream of its own (seed, group, "costs"),
so that the rest of the inventory does not move when these rules change.

- **cout_annuel** (paid out): the application builder drew the licence and maintenance from the
  product's catalogue price and the commune's size (``COST_FACTOR``); this pass adds the hosting
  of an application in a data centre (servers, storage, backup: a share of the data centres'
  running costs, by the weight of the application). An amount nobody knows stays unknown; a
  workbook or an Access base pays nothing out.
- **jours_internes**: the days the DSI's agents spend running each application — an ERP the
  métropole shares takes a team, a commune's progiciel a few weeks, a workbook a day or two;
  some applications' days are not tracked (absent), and some applications have neither figure:
  their cost is unknown, as in a real inventory.
- **agents** of each commune: its staff, from its population (ratios of French communes by
  size), within a few percent.
- **Keys and overheads** (``DOMAIN_COSTS``): finances by population, RH by agents, the citizen
  requests by usage, the socle as a mix; the overhead is each domain's own team and contracts.
- **The DSI**: 260 agents and 45 M€ (the field study), the budget including the payroll. What
  the budget and the agents pay outside the inventory's applications is documented item by item
  (``OUTSIDE``), so that the inventory reconciles with the DSI within what is left unknown.

At scale N the DSI, its outside items and the overheads are N times larger: each group of
communes is a copy of the métropole.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from cartographie.generator.applications import TAIL_PRODUCT_OF_KIND
from cartographie.generator.catalogue.functions import Size
from cartographie.generator.model import GeneratedApplication, GeneratedWorld
from cartographie.generator.territory import METROPOLE_ID
from cartographie.generator.yamlwrite import format_string

# Internal daily rate: a DSI agent costs ~56 k€ a year with charges over 205 days (~273 €),
# plus the workplace, management and tools that come with each day.
DAILY_RATE = 400
# Maintaining one interface for a year: two days of an agent and a share of the middleware.
INTERFACE_COST = 1_800
# Passing one regulatory change on one application: the vendor's patch, tests, deployment.
OPERATION_COST = 3_000
DAYS_PER_AGENT = 205
DSI_BUDGET = 45_000_000
DSI_AGENTS = 260


@dataclass(frozen=True)
class DomainCost:
    key: str | dict[str, int]
    overhead: int  # frais, euros a year


DOMAIN_COSTS: dict[str, DomainCost] = {
    # The shared finance team's assistance, the TMA contract and the users' training.
    "finances": DomainCost("population", 260_000),
    # Payroll is per agent paid: the key is the communes' staff.
    "ressources-humaines": DomainCost("agents", 230_000),
    # The citizen-request tool is paid by what each commune uses of it.
    "relation-usagers": DomainCost("usage", 150_000),
    "actes-archivage": DomainCost({"usage": 50, "forfait": 50}, 90_000),
    "information-geographique": DomainCost("population", 140_000),
    "droit-des-sols": DomainCost("usage", 110_000),
    # Everybody relies on the socle: half by inhabitants, a third by agents, the rest flat.
    "socle-numerique": DomainCost({"population": 50, "agents": 30, "forfait": 20}, 320_000),
    # The pilot of the shared GMAO: two communes, equal shares.
    "maintenance-patrimoine": DomainCost("forfait", 60_000),
}


@dataclass(frozen=True)
class OutsideItem:
    name: str
    amount: int | None
    days: int | None
    description: str


# What the DSI's 45 M€ and 260 agents pay for outside the inventory's applications: orders of
# magnitude for a DSI of this size, item by item; days are the agents of each team (× 205).
# They were set once so that, with the applications' costs drawn above, the inventory
# reconciles with the declared budget to ~1.5 % and the declared staff to ~0.3 %: what is left
# is about what the applications whose amount or days nobody knows would add
# (tests/test_reference_costs.py keeps both gaps under 2 %).
OUTSIDE: tuple[OutsideItem, ...] = (
    OutsideItem(
        "Masse salariale des agents de la DSI",
        14_560_000,
        None,
        "260 agents à 56 000 € chargés en moyenne ; le temps qu'ils passent sur les "
        "applications est compté en jours_internes.",
    ),
    OutsideItem(
        "Infrastructures des deux centres de données",
        4_900_000,
        9_430,
        "Serveurs, stockage, sauvegarde, énergie et salles, hors l'hébergement compté dans le "
        "coût de chaque application ; l'équipe de production (46 agents).",
    ),
    OutsideItem(
        "Réseaux et télécommunications",
        5_100_000,
        2_870,
        "Fibre des 180 sites, accès internet, téléphonie fixe et mobile ; l'équipe réseau "
        "(14 agents).",
    ),
    OutsideItem(
        "Postes de travail, impression et matériels",
        6_200_000,
        5_330,
        "Renouvellement et maintenance des postes des agents des communes, copieurs ; "
        "l'équipe de proximité (26 agents).",
    ),
    OutsideItem(
        "Support aux utilisateurs",
        None,
        8_200,
        "Le centre de services : appels, tickets, interventions (40 agents).",
    ),
    OutsideItem(
        "Projets en cours d'investissement",
        5_600_000,
        3_280,
        "Projets de l'année avant leur mise en service (marchés, prestations) ; les chefs de "
        "projet (16 agents).",
    ),
    OutsideItem(
        "Sécurité des systèmes d'information",
        950_000,
        1_230,
        "Centre opérationnel de sécurité, audits, tests d'intrusion ; l'équipe sécurité "
        "(6 agents).",
    ),
    OutsideItem(
        "Pilotage, marchés et administration de la DSI",
        620_000,
        4_920,
        "Direction, contrôle de gestion, marchés publics, formation des agents (24 agents).",
    ),
)

# Agents of a commune per 1,000 inhabitants, by size: a ville centre runs services a small
# commune buys from the métropole or does without.
AGENTS_PER_THOUSAND: dict[Size, float] = {
    "centre": 21.0,
    "grande": 17.0,
    "moyenne": 14.5,
    "petite": 12.0,
}
# Hosting a year in a data centre (euros), by the owner's size and the application's weight.
HOSTING: dict[str, tuple[int, int]] = {
    "metropole": (14_000, 42_000),
    "centre": (3_500, 11_000),
    "grande": (2_500, 7_500),
    "moyenne": (1_600, 4_800),
    "petite": (900, 3_000),
    "tool": (800, 2_400),  # an in-house web or WinDev application
}
# Internal days a year (a range to draw from) for a commune's progiciel, by size.
PACKAGE_DAYS: dict[Size, tuple[float, float]] = {
    "centre": (30, 95),
    "grande": (16, 55),
    "moyenne": (8, 26),
    "petite": (3, 12),
}
TOOL_DAYS: dict[str, tuple[float, float]] = {
    "wd": (12, 50),  # an in-house WinDev application: its developer maintains it
    "web": (10, 45),
    "saas": (1, 6),
    "acc": (1, 6),
    "xls": (0.5, 4),
}
# Share of applications whose days nobody tracks, and of those whose cout_annuel nobody knows
# that still have their days known (the DSI knows its own time better than the contracts).
UNTRACKED_DAYS = 0.08
DAYS_WHEN_COST_UNKNOWN = 0.7


def _half_days(value: float) -> float | int:
    """Days to the half day: ``12`` or ``12.5``."""
    halves = max(1, round(value * 2))
    return halves // 2 if halves % 2 == 0 else halves / 2


def commune_agents(world: GeneratedWorld) -> dict[str, int]:
    """Each commune's staff, from its population."""
    found: dict[str, int] = {}
    for group in range(world.scale):
        rng = random.Random(f"{world.seed}:{group}:costs:agents")
        for commune in world.groups[group]:
            ratio = AGENTS_PER_THOUSAND[commune.size] * rng.uniform(0.92, 1.08)
            found[commune.id] = round(commune.spec.population * ratio / 1000)
    return found


def cost_applications(world: GeneratedWorld) -> None:
    """Add hosting to paid-out costs and draw internal days, in place."""
    sizes: dict[str, str] = {commune.id: commune.size for commune in world.communes}
    sizes[METROPOLE_ID] = "metropole"
    for group in range(world.scale):
        rng = random.Random(f"{world.seed}:{group}:costs")
        for owner in sorted(world.applications):
            size = sizes.get(owner)
            if size is None:  # the outside bodies' applications: not the DSI's
                continue
            for application in world.applications[owner]:
                if application.group == group:
                    _cost(rng, application, size)


def _cost(rng: random.Random, application: GeneratedApplication, size: str) -> None:
    # The same draws whatever the outcome: one application's figures never shift the next's.
    hosting_draw, days_draw, tracked, known = rng.random(), rng.random(), rng.random(), rng.random()
    kind = application.tool_kind
    workbook = application.product in (TAIL_PRODUCT_OF_KIND["acc"], TAIL_PRODUCT_OF_KIND["xls"])
    if workbook:
        application.cost = 0  # a workbook or an Access base: nothing paid out, days only
    elif application.cost is not None and application.hosting == "datacenter":
        low, high = HOSTING["tool" if kind in ("web", "wd") else size]
        application.cost += round((low + (high - low) * hosting_draw) / 100) * 100
    low_days, high_days = _days_range(application, size, kind)
    days = _half_days(low_days + (high_days - low_days) * days_draw)
    if application.cost is None:
        # Nobody knows what it costs: its days are known more often than not.
        application.internal_days = days if known < DAYS_WHEN_COST_UNKNOWN else None
    elif tracked < UNTRACKED_DAYS:
        application.internal_days = None
    else:
        application.internal_days = days


def _days_range(
    application: GeneratedApplication, size: str, kind: str | None
) -> tuple[float, float]:
    if application.governance == "delegataire":
        return (2, 10)  # the délégataire runs it: the DSI follows the contract
    if application.governance == "direction-metier":
        return (0.5, 3)  # bought by a department: the DSI barely sees it
    if size == "metropole":
        # A shared application takes a team, in proportion to what it weighs.
        weight = (application.cost or 20_000) / 1000
        return (30 + weight * 1.2, 45 + weight * 2.2)
    if kind in TOOL_DAYS:
        low, high = TOOL_DAYS[kind]
        factor = {"centre": 1.0, "grande": 0.8, "moyenne": 0.6, "petite": 0.5}[size]
        return (low * factor, high * factor)
    return PACKAGE_DAYS[size]  # type: ignore[index]


def costs_lines(world: GeneratedWorld) -> list[str]:
    """The body of ``referentiel/couts.yaml``: the parameters and the DSI, each figure with its
    reason in a comment."""
    scale = world.scale
    lines = [
        "couts:",
        "  # Un agent de la DSI coûte ~56 000 € chargés sur 205 jours (~273 €), plus le poste de",
        "  # travail, l'encadrement et les outils qui vont avec chaque journée.",
        f"  tjm: {DAILY_RATE}",
        "  # Maintenir une interface un an : deux jours d'agent et une part de l'intergiciel.",
        f"  cout_interface: {INTERFACE_COST}",
        "  # Passer une évolution réglementaire sur une application : correctif de l'éditeur,",
        "  # recette, déploiement.",
        f"  cout_operation: {OPERATION_COST}",
        f"  jours_par_agent: {DAYS_PER_AGENT}",
        "  # La DSI telle que l'étude de terrain la décrit : ~260 agents, 45 M€ (masse salariale",
        "  # comprise).",
        "  dsi:",
        f"    budget: {DSI_BUDGET * scale}",
        f"    agents: {DSI_AGENTS * scale}",
        "    # Ce que budget et agents paient hors des applications de l'inventaire.",
        "    hors_inventaire:",
    ]
    for item in OUTSIDE:
        lines.append(f"      - nom: {format_string(item.name)}")
        if item.amount is not None:
            lines.append(f"        montant: {item.amount * scale}")
        if item.days is not None:
            lines.append(f"        jours: {item.days * scale}")
        lines.append(f"        description: {format_string(item.description)}")
    return lines

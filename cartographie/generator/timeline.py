"""Time in the reference métropole: its chantiers, the GMAO's planned waves, the vendors' ends of
support and the applications' dispositions (DESIGN.md §9 and §11).

The field study's convergence is a story in years: finances 2016–2019, RH 2018–2021, the shared
citizen-request tool (GDU) 2020–2022, and the GMAO now — two communes pilot it in 2026, seven
more follow in waves (2027, 2028), whose adhesions are planned (``jusqu'ici`` nobody lists them
as users: a wave brings them in its year). This module, applied once the world is built:

- writes the **chantiers** (``referentiel/chantiers.yaml``), their waves read from the communes'
  adhesion years, the applications each retires (those it replaces), each agreeing with the
  inventory as the loader checks (E311);
- gives the GMAO applications of the pilot and wave communes their planned ``retrait`` (the
  pilots' on a full date: 30 June 2027) and, for the wave communes, ``a-retirer`` toward the
  shared GMAO;
- dates the **ends of support** of some products as their vendors announced them (Drupal 7 and
  Microsoft Access 2016 past; Atal II, Coswin, ArcGIS near; others later);
- gives most applications a **disposition** (TIME), unevenly: nearly all the métropole's, fewer
  and fewer down to the small communes', with a one-line reason.

Its draws come from its own ``random.Random`` (seed, group, « chronologie »), after every other
draw: the rest of the reference inventory does not move.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from cartographie.generator.model import GeneratedApplication, GeneratedWorld
from cartographie.generator.territory import METROPOLE_CODE, METROPOLE_ID, Commune, group_suffix

# The GMAO's waves after the 2026 pilot: planned adhesions to maintenance-patrimoine.
GMAO_WAVES: tuple[tuple[int, tuple[str, ...]], ...] = (
    (2027, ("aurelle", "saint-jean-de-veze", "castelnau-d-aurelle")),
    (2028, ("montaigut-sur-leze", "pujols-le-haut", "fontenilles-sur-aure", "lestang")),
)
GMAO_DOMAIN = "maintenance-patrimoine"
# The pilots run their own GMAO beside the shared one until the summer after.
PILOT_RETIREMENT = dt.date(2027, 6, 30)

# Vendors' ends of support, as announced (a year: its 1 January).
END_OF_SUPPORT: dict[str, int | dt.date] = {
    "drupal": dt.date(2025, 1, 5),  # Drupal 7
    "microsoft-access": dt.date(2025, 10, 14),  # Access 2016 and 2019
    "logitud-municipol": dt.date(2025, 6, 30),  # replaced by Siècle
    "openmairie-opencourrier": 2023,
    "inetum-astre-rh": dt.date(2024, 12, 31),
    "inetum-astre-gf": dt.date(2024, 12, 31),
    "bl-sedit-marianne": dt.date(2020, 12, 31),
    "jvs-horizon-comptabilite": 2022,
    "cd-guichet-citoyen": 2021,
    "digitech-airs-courrier": dt.date(2026, 6, 30),
    "bl-atal": dt.date(2027, 12, 31),  # Atal II
    "milestone-xprotect": dt.date(2027, 3, 31),
    "siveco-coswin": dt.date(2028, 6, 30),
    "esri-arcgis": dt.date(2028, 6, 30),
    "abelium-domino": 2029,
    "bl-emagnus-grh": dt.date(2026, 12, 31),
    "ciril-civilnet-finances": 2030,
}

# Share of an owner's applications given a disposition: a real inventory is uneven.
DISPOSITION_SHARE = {
    "metropole": 0.96,
    "centre": 0.85,
    "grande": 0.7,
    "moyenne": 0.55,
    "petite": 0.35,
}
# The day the story stands at: what is « past its end of support » for a disposition's reason.
TODAY = dt.date(2026, 12, 6)


@dataclass(frozen=True)
class ProgrammeSpec:
    key: str
    name: str
    description: str
    start: int | dt.date
    end: int | dt.date
    domain: str
    target: str  # shared application key (met-<key>)
    budget: int
    pilot: str = ""  # the first wave's description


PROGRAMMES: tuple[ProgrammeSpec, ...] = (
    ProgrammeSpec(
        "convergence-finances",
        "Convergence des finances",
        "Une gestion financière pour toutes les communes adhérentes : chacune quitte sa "
        "comptabilité l'année où elle rejoint le domaine finances.",
        2016,
        2019,
        "finances",
        "finances",
        1_850_000,
        "Ville centre et Saint-Jean-de-Vèze ouvrent la voie",
    ),
    ProgrammeSpec(
        "convergence-rh",
        "Convergence de la paie et des carrières",
        "La paie et les carrières des agents des communes dans une application mutualisée, "
        "commune par commune, de 2018 à 2021.",
        2018,
        2021,
        "ressources-humaines",
        "rh-paie",
        1_240_000,
    ),
    ProgrammeSpec(
        "gestion-demandes-usagers",
        "Gestion des demandes usagers (GDU)",
        "Un outil unique pour les demandes des habitants, de la mairie au secteur "
        "d'intervention ; il remplace les outils d'accueil des communes.",
        2020,
        2022,
        "relation-usagers",
        "gdu",
        640_000,
    ),
    ProgrammeSpec(
        "gmao-mutualisee",
        "GMAO mutualisée",
        "La maintenance des bâtiments, de la voirie et de l'éclairage dans une GMAO commune : "
        "deux communes pilotes en 2026, puis deux vagues.",
        dt.date(2025, 9, 1),
        2029,
        GMAO_DOMAIN,
        "gmao",
        980_000,
        "Pilote",
    ),
)


@dataclass
class Timeline:
    """What this module adds to the world, for ``render``."""

    programmes: list[dict[str, object]] = field(default_factory=list)
    # Commune id -> planned adhesions (domain, year).
    planned: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    end_of_support: dict[str, int | dt.date] = field(default_factory=dict)


def plan_timeline(world: GeneratedWorld) -> Timeline:
    timeline = Timeline(end_of_support=dict(END_OF_SUPPORT))
    applications = {app.id: app for apps in world.applications.values() for app in apps}
    for group, communes in enumerate(world.groups):
        planner = _GroupPlanner(world, group, communes, applications, timeline)
        planner.plan()
    return timeline


class _GroupPlanner:
    def __init__(
        self,
        world: GeneratedWorld,
        group: int,
        communes: list[Commune],
        applications: dict[str, GeneratedApplication],
        timeline: Timeline,
    ) -> None:
        self.world = world
        self.group = group
        self.suffix = group_suffix(group)
        self.communes = communes
        self.by_spec = {commune.spec.id: commune for commune in communes}
        self.applications = applications
        self.timeline = timeline
        self.rng = random.Random(f"{world.seed}:{group}:chronologie")

    def metro_id(self, key: str) -> str:
        return f"{METROPOLE_CODE}-{key}{self.suffix}"

    def plan(self) -> None:
        self._plan_gmao()
        for spec in PROGRAMMES:
            self.timeline.programmes.append(self._programme(spec))
        self._dispositions()

    # --- the GMAO's waves ---------------------------------------------------------------------

    def _gmao_applications(self, commune: Commune) -> list[GeneratedApplication]:
        return sorted(
            (
                app
                for app in self.world.applications[commune.id]
                if app.blocks == ("gmao",) and app.lifecycle != "retiree"
            ),
            key=lambda app: app.id,
        )

    def _plan_gmao(self) -> None:
        target = self.metro_id("gmao")
        for commune in self.communes:
            if commune.joined(GMAO_DOMAIN) is not None:  # a pilot
                for app in self._gmao_applications(commune):
                    app.retired = PILOT_RETIREMENT
        for year, spec_ids in GMAO_WAVES:
            for spec_id in spec_ids:
                commune = self.by_spec[spec_id]
                self.timeline.planned.setdefault(commune.id, []).append((GMAO_DOMAIN, year))
                for app in self._gmao_applications(commune):
                    app.lifecycle = "a-retirer"
                    app.retired = year + 1  # a year beside the shared GMAO
                    app.replaced_by = target

    # --- chantiers ----------------------------------------------------------------------------

    def _waves(self, spec: ProgrammeSpec) -> list[tuple[int, list[str]]]:
        years: dict[int, list[str]] = {}
        for commune in self.communes:
            year = commune.joined(spec.domain)
            if year is not None:
                years.setdefault(year, []).append(commune.id)
        if spec.domain == GMAO_DOMAIN:
            for year, spec_ids in GMAO_WAVES:
                years.setdefault(year, []).extend(self.by_spec[item].id for item in spec_ids)
        return sorted((year, sorted(ids)) for year, ids in years.items())

    def _programme(self, spec: ProgrammeSpec) -> dict[str, object]:
        target = self.metro_id(spec.target)
        # What it replaces and retires within its dates (Bréville's old RH, kept for the
        # careers' history until 2027, is not the chantier's).
        start, end = _day(spec.start), _day(spec.end)
        retires = sorted(
            app.id
            for commune in self.communes
            for app in self.world.applications[commune.id]
            if app.replaced_by == target
            and app.retired is not None
            and start <= _day(app.retired) <= end
        )
        waves: list[dict[str, object]] = []
        for index, (year, communes) in enumerate(self._waves(spec)):
            waves.append(
                {
                    "annee": year,
                    "communes": communes,
                    "description": spec.pilot if index == 0 and spec.pilot else None,
                }
            )
        return {
            "id": spec.key + self.suffix,
            "nom": spec.name if self.group == 0 else f"{spec.name} (groupe {self.group + 1})",
            "description": spec.description,
            "debut": spec.start,
            "fin": spec.end,
            "blocs": list(self.applications[target].blocks),
            "domaine": spec.domain,
            "cible": target,
            "vagues": waves,
            "retire": retires or None,
            "budget": spec.budget,
        }

    # --- dispositions -------------------------------------------------------------------------

    def _dispositions(self) -> None:
        owners = [(METROPOLE_ID, "metropole")] + [
            (commune.id, commune.size) for commune in self.communes
        ]
        targets = {self.metro_id(spec.target): spec.name for spec in PROGRAMMES}
        for owner, size in owners:
            share = DISPOSITION_SHARE[size]
            for app in sorted(self.world.applications.get(owner, []), key=lambda item: item.id):
                if owner == METROPOLE_ID and app.group != self.group:
                    continue
                draw = self.rng.random()
                if app.lifecycle == "retiree" or draw >= share:
                    continue
                app.disposition, app.disposition_reason = self._classify(app, targets)

    def _classify(
        self, app: GeneratedApplication, targets: dict[str, str]
    ) -> tuple[str, str]:
        if app.id in targets:
            return "investir", f"Cible du chantier « {targets[app.id]} »."
        if app.replaced_by is not None:
            when = f" en {_year(app.retired)}" if app.retired is not None else ""
            return "migrer", f"Migration vers « {app.replaced_by} »{when}."
        if app.lifecycle == "a-retirer":
            return "eliminer", f"Retrait prévu en {_year(app.retired) if app.retired else 'cours'}."
        if app.lifecycle == "convergence":
            return "migrer", "En convergence vers une application mutualisée."
        support = self.timeline.end_of_support.get(app.product or "")
        if support is not None and _day(support) <= TODAY:
            return "migrer", f"Produit hors support depuis {_year(support)}."
        if app.owner == METROPOLE_ID:
            return "investir", "Application mutualisée du domaine."
        if app.tool_kind in ("acc", "xls", "wd"):
            if self.rng.random() < 0.45:
                return "eliminer", "Outil bureautique à reprendre dans une application métier."
            return "tolerer", "Outil local sans alternative pour l'instant."
        if self.rng.random() < 0.7:
            return "tolerer", "Répond au besoin ; pas d'évolution prévue."
        return "investir", "Évolutions prévues au plan de la direction."


def _day(value: int | dt.date) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date(value, 1, 1)


def _year(value: int | dt.date) -> int:
    return value.year if isinstance(value, dt.date) else value

"""Counting the portfolio: what ``cartographie stats`` shows (each figure is defined in
docs/rapports.md, « stats »).

Counts per commune, layer, zone and bloc; shared applications; flows point-à-point and via a hub;
the territory (communes engaged out of the métropole's, domains joined year by year, secteurs
d'intervention, data centres and what runs there with no backup).

Applications of outside bodies (partners such as the CAF) appear in flows but are not part of the
portfolio: they are counted apart. A retired application (``cycle_de_vie: retiree``) is a record
of history: it counts among the records (``applications``, ``par_cycle_de_vie``) but in no use
and no layer, exactly as in ``rapport convergence`` — a commune's figures are its use pairs in
service, split into its own applications and shared ones (``propres + mutualisees =
applications``), its retired ones given apart.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from cartographie.analysis.common import applications_in_service
from cartographie.analysis.convergence import commune_mutualisation
from cartographie.graph import Portfolio
from cartographie.model.dates import reached, year_of
from cartographie.model.inventory import Inventory
from cartographie.model.vocabulary import LAYERS


@dataclass(frozen=True)
class CommuneCounts:
    commune: str
    name: str
    applications: int  # in service, used by the commune: its use pairs
    own: int  # among them, not shared (used by the commune alone)
    shared: int  # among them, shared: own + shared == applications
    retired: int  # retired applications it used, apart
    by_layer: dict[str, int]  # the in-service ones, by layer


@dataclass(frozen=True)
class BlockCounts:
    block: str
    name: str
    zone: str
    applications: int  # in service, attached to the bloc or below it
    communes: int  # communes with a use pair in the bloc


@dataclass(frozen=True)
class ZoneCounts:
    zone: str
    name: str
    blocks: int
    applications: int  # in service, attached to a bloc of the zone


@dataclass(frozen=True)
class DomainCounts:
    domain: str
    name: str
    communes: int  # communes that belong to it at the reference date
    first: int | None  # year of the first adhesion
    last: int | None  # year of the latest (a planned one included)
    planned: int = 0  # adhesions to come after the reference date
    left: int = 0  # communes that have left it (jusqu_a reached)


@dataclass(frozen=True)
class SectorCounts:
    sector: str
    name: str
    # (commune id, commune name, part covered — None for the whole commune)
    areas: tuple[tuple[str, str, str | None], ...]

    def described_areas(self) -> tuple[str, ...]:
        """« Aurelle (quartiers nord) », « Lauzac »: each commune covered, with its part."""
        return tuple(name + (f" ({part})" if part else "") for _id, name, part in self.areas)


@dataclass(frozen=True)
class DatacenterCounts:
    datacenter: str
    name: str
    commune: str | None
    backup: str | None  # the data centre that backs it up
    applications: int  # in service, hosted there
    without_backup: int  # among them, ``hors_secours``


@dataclass(frozen=True)
class Stats:
    communes: int  # engaged in the mutualisation
    communes_of_metropole: int  # engaged and others
    applications: int  # every record of the portfolio, any lifecycle
    in_service: int
    retired: int
    external_applications: int
    use_pairs: int
    shared_applications: int  # in service
    by_layer: dict[str, int]  # in service
    by_lifecycle: dict[str, int]  # every record
    flows: int
    flows_point_to_point: int
    flows_via_hub: int
    hubs: list[str]
    blocks: int
    processes: int
    vendors: int
    products: int
    data_objects: int
    delegations: int
    per_commune: list[CommuneCounts] = field(default_factory=list)
    per_zone: list[ZoneCounts] = field(default_factory=list)
    per_block: list[BlockCounts] = field(default_factory=list)
    domains: list[DomainCounts] = field(default_factory=list)
    sectors: list[SectorCounts] = field(default_factory=list)
    datacenters: list[DatacenterCounts] = field(default_factory=list)
    other_communes: list[str] = field(default_factory=list)  # names, sorted

    @property
    def engaged_phrase(self) -> str:
        """« 14 communes engagées sur 30 »."""
        return engaged_phrase(self.communes, self.communes_of_metropole)

    @property
    def hub_share(self) -> float | None:
        """Flows via a hub over all flows; ``None`` (« — ») when there is no flow."""
        return self.flows_via_hub / self.flows if self.flows else None

    def to_dict(self) -> dict[str, Any]:
        """The figures with French keys, as ``stats --format json`` prints them."""
        return {
            "communes": self.communes,
            "communes_metropole": self.communes_of_metropole,
            "autres_communes": self.other_communes,
            "applications": self.applications,
            "applications_en_service": self.in_service,
            "applications_retirees": self.retired,
            "applications_exterieures": self.external_applications,
            "couples_commune_application": self.use_pairs,
            "applications_mutualisees": self.shared_applications,
            "par_couche": self.by_layer,
            "par_cycle_de_vie": self.by_lifecycle,
            "flux": self.flows,
            "flux_point_a_point": self.flows_point_to_point,
            "flux_via_hub": self.flows_via_hub,
            "hubs": self.hubs,
            "blocs": self.blocks,
            "processus": self.processes,
            "editeurs": self.vendors,
            "produits": self.products,
            "donnees": self.data_objects,
            "delegations": self.delegations,
            "par_commune": [
                {
                    "commune": row.commune,
                    "nom": row.name,
                    "applications": row.applications,
                    "propres": row.own,
                    "mutualisees": row.shared,
                    "retirees": row.retired,
                    "par_couche": row.by_layer,
                }
                for row in self.per_commune
            ],
            "par_zone": [
                {
                    "zone": row.zone,
                    "nom": row.name,
                    "blocs": row.blocks,
                    "applications": row.applications,
                }
                for row in self.per_zone
            ],
            "par_bloc": [
                {
                    "bloc": row.block,
                    "nom": row.name,
                    "zone": row.zone,
                    "applications": row.applications,
                    "communes": row.communes,
                }
                for row in self.per_block
            ],
            "domaines": [
                {
                    "domaine": row.domain,
                    "nom": row.name,
                    "communes": row.communes,
                    "premiere_adhesion": row.first,
                    "derniere_adhesion": row.last,
                    "adhesions_prevues": row.planned,
                    "communes_parties": row.left,
                }
                for row in self.domains
            ],
            "secteurs": [
                {
                    "secteur": row.sector,
                    "nom": row.name,
                    "perimetre": [
                        {"commune": commune, "nom": name, "partie": part}
                        for commune, name, part in row.areas
                    ],
                }
                for row in self.sectors
            ],
            "centres_de_donnees": [
                {
                    "centre": row.datacenter,
                    "nom": row.name,
                    "commune": row.commune,
                    "secours": row.backup,
                    "applications": row.applications,
                    "hors_secours": row.without_backup,
                }
                for row in self.datacenters
            ],
        }


def engaged_phrase(engaged: int, total: int) -> str:
    """« 14 communes engagées sur 30 »: the communes that joined, out of the métropole's — the
    same words in ``stats``, the POS and the atlas's index."""
    if engaged == 1:
        return f"1 commune engagée sur {total}"
    return f"{engaged} communes engagées sur {total}"


def engaged_communes(inventory: Inventory) -> str:
    engaged = len(inventory.communes)
    return engaged_phrase(engaged, engaged + len(inventory.other_communes))


def compute_stats(portfolio: Portfolio) -> Stats:
    """Every count of ``cartographie stats``, from the portfolio graph."""
    inventory = portfolio.inventory
    applications = inventory.applications
    internal = [app_id for app_id in applications if not inventory.is_external(app_id)]
    in_service = applications_in_service(portfolio)
    in_service_set = set(in_service)
    by_layer: dict[str, int] = {layer: 0 for layer in LAYERS}
    for app_id in in_service:
        by_layer[applications[app_id].layer] += 1
    by_lifecycle: dict[str, int] = {}
    for app_id in internal:
        lifecycle = applications[app_id].lifecycle
        by_lifecycle[lifecycle] = by_lifecycle.get(lifecycle, 0) + 1
    per_commune = []
    for commune in inventory.communes.values():
        mutualisation = commune_mutualisation(portfolio, commune.id)
        used = portfolio.applications_of_commune(commune.id)
        layers: dict[str, int] = {layer: 0 for layer in LAYERS}
        for app_id in used:
            if app_id in in_service_set:
                layers[applications[app_id].layer] += 1
        per_commune.append(
            CommuneCounts(
                commune=commune.id,
                name=commune.name,
                applications=mutualisation.use_pairs,
                own=mutualisation.use_pairs - mutualisation.shared_pairs,
                shared=mutualisation.shared_pairs,
                retired=sum(1 for app_id in used if applications[app_id].lifecycle == "retiree"),
                by_layer=layers,
            )
        )
    per_block = []
    for block_id in portfolio.leaf_blocks():
        pairs = portfolio.use_pairs(block_id)
        per_block.append(
            BlockCounts(
                block=block_id,
                name=inventory.blocks[block_id].name,
                zone=inventory.zone_of(block_id),
                applications=sum(
                    1 for app_id in portfolio.applications_of_block(block_id)
                    if app_id in in_service_set
                ),
                communes=len({pair.commune for pair in pairs}),
            )
        )
    per_zone = [
        ZoneCounts(
            zone=zone_id,
            name=inventory.blocks[zone_id].name,
            blocks=sum(1 for row in per_block if row.zone == zone_id),
            applications=sum(
                1 for app_id in portfolio.applications_of_block(zone_id)
                if app_id in in_service_set
            ),
        )
        for zone_id in portfolio.zones()
    ]
    point_to_point = sum(1 for flow in inventory.flows if flow.via is None)
    territory = compute_territory(portfolio)
    return Stats(
        communes=len(inventory.communes),
        communes_of_metropole=len(inventory.communes) + len(inventory.other_communes),
        applications=len(internal),
        in_service=len(in_service),
        retired=len(internal) - len(in_service),
        external_applications=len(applications) - len(internal),
        use_pairs=sum(row.applications for row in per_commune),
        shared_applications=sum(1 for app_id in in_service if inventory.is_shared(app_id)),
        by_layer=by_layer,
        by_lifecycle=dict(sorted(by_lifecycle.items())),
        flows=len(inventory.flows),
        flows_point_to_point=point_to_point,
        flows_via_hub=len(inventory.flows) - point_to_point,
        hubs=portfolio.hubs(),
        blocks=len(portfolio.leaf_blocks()),
        processes=len(inventory.processes),
        vendors=len(inventory.vendors),
        products=len(inventory.products),
        data_objects=len(inventory.data_objects),
        delegations=len(inventory.delegations),
        per_commune=per_commune,
        per_zone=per_zone,
        per_block=per_block,
        domains=territory.domains,
        sectors=territory.sectors,
        datacenters=territory.datacenters,
        other_communes=territory.other_communes,
    )


@dataclass(frozen=True)
class Territory:
    """The territory part of the stats, for the atlas's index."""

    other_communes: list[str]
    domains: list[DomainCounts]
    sectors: list[SectorCounts]
    datacenters: list[DatacenterCounts]


def compute_territory(portfolio: Portfolio) -> Territory:
    inventory = portfolio.inventory
    return Territory(
        other_communes=sorted(item.name for item in inventory.other_communes.values()),
        domains=_domains(portfolio),
        sectors=_sectors(portfolio),
        datacenters=_datacenters(portfolio, applications_in_service(portfolio)),
    )


def _domains(portfolio: Portfolio) -> list[DomainCounts]:
    """Each mutualisation domain: how many communes joined it, from which year to which."""
    inventory = portfolio.inventory
    day = portfolio.reference_date
    years: dict[str, list[int]] = {domain_id: [] for domain_id in inventory.domains}
    counts: dict[str, Counter[str]] = {domain_id: Counter() for domain_id in inventory.domains}
    for commune in inventory.communes.values():
        for mutualisation in commune.mutualisations:
            years[mutualisation.domain].append(year_of(mutualisation.since))
            if not reached(mutualisation.since, day):
                state = "planned"
            elif reached(mutualisation.until, day):
                state = "left"
            else:
                state = "current"
            counts[mutualisation.domain][state] += 1
    return [
        DomainCounts(
            domain=domain.id,
            name=domain.name,
            communes=counts[domain.id]["current"],
            first=min(years[domain.id], default=None),
            last=max(years[domain.id], default=None),
            planned=counts[domain.id]["planned"],
            left=counts[domain.id]["left"],
        )
        for domain in inventory.domains.values()
    ]


def _sectors(portfolio: Portfolio) -> list[SectorCounts]:
    inventory = portfolio.inventory
    return [
        SectorCounts(
            sector=sector.id,
            name=sector.name,
            areas=tuple(
                (commune, inventory.organisation_name(commune), part)
                for commune, part in portfolio.sector_areas(sector.id)
            ),
        )
        for sector in inventory.sectors.values()
    ]


def _datacenters(portfolio: Portfolio, in_service: list[str]) -> list[DatacenterCounts]:
    inventory = portfolio.inventory
    hosted: dict[str, int] = {datacenter: 0 for datacenter in inventory.datacenters}
    without: dict[str, int] = {datacenter: 0 for datacenter in inventory.datacenters}
    for app_id in in_service:
        application = inventory.applications[app_id]
        if application.datacenter is None:
            continue
        hosted[application.datacenter] += 1
        # A data centre nobody backs up backs up none of its applications.
        if application.no_backup or inventory.datacenters[application.datacenter].backup is None:
            without[application.datacenter] += 1
    return [
        DatacenterCounts(
            datacenter=datacenter.id,
            name=datacenter.name,
            commune=datacenter.commune,
            backup=datacenter.backup,
            applications=hosted[datacenter.id],
            without_backup=without[datacenter.id],
        )
        for datacenter in inventory.datacenters.values()
    ]

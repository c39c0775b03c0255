"""Counting the portfolio: what ``cartographie stats`` shows.

Counts per commune, layer, zone and bloc; shared applications; flows point-à-point and via a hub.
Applications of outside bodies (partners such as the CAF) appear in flows but are not part of the
portfolio: they are counted apart.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from cartographie.graph import Portfolio
from cartographie.model.vocabulary import LAYERS


@dataclass(frozen=True)
class CommuneCounts:
    commune: str
    name: str
    applications: int  # used by the commune
    owned: int
    shared: int  # used by the commune and shared
    by_layer: dict[str, int]


@dataclass(frozen=True)
class BlockCounts:
    block: str
    name: str
    zone: str
    applications: int
    communes: int


@dataclass(frozen=True)
class ZoneCounts:
    zone: str
    name: str
    blocks: int
    applications: int


@dataclass(frozen=True)
class Stats:
    communes: int
    applications: int
    external_applications: int
    use_pairs: int
    shared_applications: int
    by_layer: dict[str, int]
    by_lifecycle: dict[str, int]
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

    def to_dict(self) -> dict[str, Any]:
        """The figures with French keys, as ``stats --format json`` prints them."""
        return {
            "communes": self.communes,
            "applications": self.applications,
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
                    "propres": row.owned,
                    "mutualisees": row.shared,
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
        }


def compute_stats(portfolio: Portfolio) -> Stats:
    """Every count of ``cartographie stats``, from the portfolio graph."""
    inventory = portfolio.inventory
    internal = [app_id for app_id in inventory.applications if not inventory.is_external(app_id)]
    by_layer: dict[str, int] = {layer: 0 for layer in LAYERS}
    by_lifecycle: dict[str, int] = {}
    for app_id in internal:
        application = inventory.applications[app_id]
        by_layer[application.layer] += 1
        by_lifecycle[application.lifecycle] = by_lifecycle.get(application.lifecycle, 0) + 1
    per_commune = []
    use_pairs = 0
    for commune in inventory.communes.values():
        used = portfolio.applications_of_commune(commune.id)
        use_pairs += len(used)
        layers: dict[str, int] = {layer: 0 for layer in LAYERS}
        for app_id in used:
            layers[inventory.applications[app_id].layer] += 1
        per_commune.append(
            CommuneCounts(
                commune=commune.id,
                name=commune.name,
                applications=len(used),
                owned=len(portfolio.applications_owned_by(commune.id)),
                shared=sum(1 for app_id in used if inventory.is_shared(app_id)),
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
                applications=len(portfolio.applications_of_block(block_id)),
                communes=len({pair.commune for pair in pairs}),
            )
        )
    per_zone = [
        ZoneCounts(
            zone=zone_id,
            name=inventory.blocks[zone_id].name,
            blocks=sum(1 for row in per_block if row.zone == zone_id),
            applications=len(portfolio.applications_of_block(zone_id)),
        )
        for zone_id in portfolio.zones()
    ]
    point_to_point = sum(1 for flow in inventory.flows if flow.via is None)
    return Stats(
        communes=len(inventory.communes),
        applications=len(internal),
        external_applications=len(inventory.applications) - len(internal),
        use_pairs=use_pairs,
        shared_applications=sum(1 for app_id in internal if inventory.is_shared(app_id)),
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
    )

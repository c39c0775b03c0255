"""Hub consolidation (DESIGN.md §7): how much of the exchange goes through the hub, and what
moving the rest would save.

- **Share through the hub**, overall, per commune and per bloc: flows with a ``via`` over all flows.
  A flow counts for a commune when the commune uses its source or its target, and for a bloc when
  its source or target is attached to the bloc or to one of its sub-blocs — the scope of
  ``convergence`` and ``impact`` — so one flow may count for several communes or blocs, and these
  lines do not add up to the total. A bloc or commune with no flow has no share (``None``, « — »),
  not 0 %: nothing goes around the hub there.
- **Per data object d** exchanged point-à-point: E_d such flows among V_d distinct applications
  (sources and targets); through the hub they would need V_d links (one per application), so the
  saving is E_d − V_d. Ranked by saving, then E_d, then id.
- **Flows that bypass an existing hub**: point-à-point flows of a data object that at least one
  other flow already sends through a hub.

One pass over the flows for every figure: no loop over pairs of flows.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from cartographie.analysis.common import communes_using
from cartographie.graph import Portfolio
from cartographie.model.records import Flow


@dataclass(frozen=True)
class HubShare:
    key: str  # commune or bloc id
    flows: int
    via_hub: int

    @property
    def point_to_point(self) -> int:
        return self.flows - self.via_hub

    @property
    def rate(self) -> float | None:
        """Flows via a hub over all flows; ``None`` when there is no flow to share."""
        return self.via_hub / self.flows if self.flows else None


@dataclass(frozen=True)
class DataConsolidation:
    data: str
    point_to_point: int  # E_d
    applications: int  # V_d, also the links needed through the hub
    via_hub: int
    hubs: tuple[str, ...]  # hubs already carrying d

    @property
    def links_through_hub(self) -> int:
        return self.applications

    @property
    def saving(self) -> int:
        return self.point_to_point - self.applications


@dataclass(frozen=True)
class BypassingFlow:
    flow: Flow
    hubs: tuple[str, ...]  # the hubs that already carry the same data object


@dataclass(frozen=True)
class FlowReport:
    total: HubShare
    per_commune: tuple[HubShare, ...]
    per_block: tuple[HubShare, ...]
    per_data: tuple[DataConsolidation, ...]  # ranked by saving
    bypassing: tuple[BypassingFlow, ...]


def flow_report(portfolio: Portfolio) -> FlowReport:
    inventory = portfolio.inventory
    communes_of = {app: frozenset(communes_using(portfolio, app)) for app in inventory.applications}
    leaves = set(portfolio.leaf_blocks())
    blocks_of: dict[str, set[str]] = defaultdict(set)
    for application in inventory.applications.values():
        for block_id in application.blocks:
            # The bloc and every bloc it is a sub-bloc of (not the quartier, not the zone).
            lineage = [block_id, *inventory.block_ancestors(block_id)]
            blocks_of[application.id].update(item for item in lineage if item in leaves)

    commune_counts = {commune: [0, 0] for commune in inventory.communes}
    block_counts = {block: [0, 0] for block in portfolio.leaf_blocks()}
    p2p_flows: dict[str, int] = defaultdict(int)
    p2p_apps: dict[str, set[str]] = defaultdict(set)
    hub_flows: dict[str, int] = defaultdict(int)
    hubs_of_data: dict[str, set[str]] = defaultdict(set)
    via_total = 0
    for flow in inventory.flows:
        through_hub = flow.via is not None
        via_total += through_hub
        for commune in communes_of[flow.source] | communes_of[flow.target]:
            commune_counts[commune][0] += 1
            commune_counts[commune][1] += through_hub
        for block in blocks_of[flow.source] | blocks_of[flow.target]:
            if block in block_counts:
                block_counts[block][0] += 1
                block_counts[block][1] += through_hub
        if flow.via is None:
            p2p_flows[flow.data] += 1
            p2p_apps[flow.data].update((flow.source, flow.target))
        else:
            hub_flows[flow.data] += 1
            hubs_of_data[flow.data].add(flow.via)

    per_data = [
        DataConsolidation(
            data=data,
            point_to_point=count,
            applications=len(p2p_apps[data]),
            via_hub=hub_flows.get(data, 0),
            hubs=tuple(sorted(hubs_of_data.get(data, ()))),
        )
        for data, count in p2p_flows.items()
    ]
    per_data.sort(key=lambda item: (-item.saving, -item.point_to_point, item.data))
    hubs = {data: tuple(sorted(found)) for data, found in hubs_of_data.items()}
    bypassing = tuple(
        BypassingFlow(flow, hubs[flow.data])
        for flow in inventory.flows
        if flow.via is None and flow.data in hubs
    )
    return FlowReport(
        total=HubShare("total", len(inventory.flows), via_total),
        per_commune=tuple(HubShare(key, *counts) for key, counts in commune_counts.items()),
        per_block=tuple(HubShare(key, *counts) for key, counts in block_counts.items()),
        per_data=tuple(per_data),
        bypassing=tuple(sorted(bypassing, key=lambda item: item.flow.key)),
    )

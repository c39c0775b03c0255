"""The query API over the portfolio graph, shared by every map and report.

A :class:`Portfolio` is built once per command from a validated inventory. Its methods answer the
questions the maps and reports ask — which applications a commune uses, which serve a bloc or a
process step, which flows join a set of applications, which applications are shared — by walking
the typed edges of the graph. Every list it returns is sorted, so that callers produce
deterministic output without sorting again.

The inventory is read-only once loaded, so the answers asked again and again (an application's
flows, a commune's or a bloc's applications, the processes an application serves) are computed
once per portfolio: the atlas asks each of them hundreds of times. Lists returned are copies,
free for the caller to change.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property

import networkx as nx

from cartographie.graph.build import (
    block_node_id,
    build_graph,
    node_id,
    organisation_node_id,
    step_node_id,
)
from cartographie.model.dates import DateValue, day_of, is_present, reference_today
from cartographie.model.inventory import Inventory
from cartographie.model.records import Application, Block, Flow, Process, Step


@dataclass(frozen=True)
class UsePair:
    """One (commune, application) pair of a bloc: the unit of convergence (DESIGN.md §7)."""

    commune: str
    application: str


class Portfolio:
    """The inventory and its graph, with the queries every view and report needs."""

    def __init__(
        self,
        inventory: Inventory,
        graph: nx.MultiDiGraph | None = None,
        *,
        same_blocks: Portfolio | None = None,
    ) -> None:
        """``same_blocks``: a portfolio of the same applications in the same blocs (another
        state of them, a scenario's): its blocs' memberships are this one's."""
        self.inventory = inventory
        self._graph = graph
        # Answers already computed, by question: (method, arguments) -> sorted ids.
        self._memo: dict[tuple[str, ...], list[str]] = {}
        if same_blocks is not None:
            self.__dict__["_members"] = same_blocks._members
            self._memo.update(
                (key, found)
                for key, found in same_blocks._memo.items()
                if key[0] in ("block", "blocks_under")
            )

    @property
    def graph(self) -> nx.MultiDiGraph:
        """The portfolio graph, built on first use: a question the inventory answers alone (a
        cost, a refacturation at a date) does not pay for it."""
        if self._graph is None:
            self._graph = build_graph(self.inventory)
        return self._graph

    def _memoised(self, key: tuple[str, ...], compute: Callable[[], list[str]]) -> list[str]:
        found = self._memo.get(key)
        if found is None:
            found = self._memo[key] = compute()
        return list(found)

    # --- edges by kind ------------------------------------------------------------------------

    def _successors(self, node: str, kind: str) -> list[str]:
        found = {
            target
            for target, edges in self.graph.succ[node].items()
            if any(data["kind"] == kind for data in edges.values())
        }
        return sorted(found)

    def _predecessors(self, node: str, kind: str) -> list[str]:
        found = {
            source
            for source, edges in self.graph.pred[node].items()
            if any(data["kind"] == kind for data in edges.values())
        }
        return sorted(found)

    @staticmethod
    def _ids(nodes: Iterable[str]) -> list[str]:
        return sorted(node.split(":", 1)[1] for node in nodes)

    # --- applications -------------------------------------------------------------------------

    def application(self, application_id: str) -> Application:
        return self.inventory.applications[application_id]

    @cached_property
    def _uses(self) -> dict[str, list[str]]:
        """Organisation -> the applications it uses (the graph's ``uses`` edges, read from the
        inventory in one pass: the questions below do not need the graph built)."""
        found: dict[str, list[str]] = {}
        for app_id in self.inventory.applications:  # sorted by id
            for user in self.inventory.users[app_id]:
                found.setdefault(user, []).append(app_id)
        return found

    @cached_property
    def _members(self) -> dict[str, list[str]]:
        """Bloc -> the applications attached to it (``in_block`` edges), sorted."""
        found: dict[str, list[str]] = {}
        for app_id, application in self.inventory.applications.items():
            for block_id in sorted(set(application.blocks)):
                found.setdefault(block_id, []).append(app_id)
        return found

    def applications_of_commune(self, commune_id: str) -> list[str]:
        """Applications the commune uses (its own and the shared ones it is a user of)."""
        return list(self._uses.get(commune_id, ()))

    def applications_owned_by(self, organisation_id: str) -> list[str]:
        node = organisation_node_id(self.inventory, organisation_id)
        return self._ids(self._successors(node, "owns"))

    def users_of(self, application_id: str) -> list[str]:
        """Organisations (communes, métropole) that use the application."""
        return self._ids(self._predecessors(node_id("application", application_id), "uses"))

    def owner_of(self, application_id: str) -> str:
        return self.inventory.owners[application_id]

    def is_shared(self, application_id: str) -> bool:
        """Used by two communes or more, or owned by the métropole (GLOSSARY: mutualisée)."""
        return self.inventory.is_shared(application_id)

    def shared_applications(self) -> list[str]:
        return [app_id for app_id in self.inventory.applications if self.is_shared(app_id)]

    def hubs(self) -> list[str]:
        return [app.id for app in self.inventory.applications.values() if app.hub]

    # --- blocs --------------------------------------------------------------------------------

    def block(self, block_id: str) -> Block:
        return self.inventory.blocks[block_id]

    def children_of(self, block_id: str) -> list[str]:
        """Quartiers of a zone, blocs (or sub-blocs) of a quartier or bloc."""
        node = block_node_id(self.inventory, block_id)
        return self._ids(self._predecessors(node, "part_of"))

    def zones(self) -> list[str]:
        return [block.id for block in self.inventory.blocks.values() if block.level == "zone"]

    def leaf_blocks(self) -> list[str]:
        """Blocs fonctionnels (level ``bloc``), the ones applications attach to."""
        return [block.id for block in self.inventory.blocks.values() if block.level == "bloc"]

    def blocks_under(self, block_id: str) -> list[str]:
        """The zone, quartier or bloc itself and everything below it."""
        return self._memoised(
            ("blocks_under", block_id), lambda: self.inventory.blocks_under(block_id)
        )

    def blocks_of_application(self, application_id: str) -> list[str]:
        return self._ids(self._successors(node_id("application", application_id), "in_block"))

    def applications_of_block(self, block_id: str, *, recursive: bool = True) -> list[str]:
        """Applications attached to the bloc (and, by default, to every bloc below it)."""

        def compute() -> list[str]:
            blocks = self.blocks_under(block_id) if recursive else [block_id]
            found: set[str] = set()
            for current in blocks:
                found.update(self._members.get(current, ()))
            return sorted(found)

        return self._memoised(("block", block_id, "recursive" if recursive else ""), compute)

    def use_pairs(self, block_id: str, *, include_retired: bool = False) -> list[UsePair]:
        """(commune, application) pairs of the bloc: each commune using each of its applications.

        Retired applications are history, not uses: they make no pair unless asked for.
        """
        applications = self.inventory.applications
        pairs = {
            UsePair(user, application_id)
            for application_id in self.applications_of_block(block_id)
            if include_retired or applications[application_id].lifecycle != "retiree"
            for user in self.inventory.users[application_id]
            if user in self.inventory.communes
        }
        return sorted(pairs, key=lambda pair: (pair.commune, pair.application))

    # --- flows --------------------------------------------------------------------------------

    @cached_property
    def _flow_index(self) -> tuple[dict[str, list[Flow]], dict[str, list[Flow]]]:
        """Every application's flows out and in, sorted by key, in one pass: the graph holds
        one flow edge per flow of the inventory (keyed by the flow's key, the last flow of a key
        winning), and the inventory lists them sorted by key."""
        by_key = {flow.key: flow for flow in self.inventory.flows}
        outgoing: dict[str, list[Flow]] = {app_id: [] for app_id in self.inventory.applications}
        incoming: dict[str, list[Flow]] = {app_id: [] for app_id in self.inventory.applications}
        for key in sorted(by_key):
            flow = by_key[key]
            outgoing[flow.source].append(flow)
            incoming[flow.target].append(flow)
        return outgoing, incoming

    def flows_from(self, application_id: str) -> list[Flow]:
        return list(self._flow_index[0][application_id])

    def flows_to(self, application_id: str) -> list[Flow]:
        return list(self._flow_index[1][application_id])

    def flows_of(self, application_id: str) -> list[Flow]:
        """Flows in and out of the application, once each."""
        flows = {flow.key: flow for flow in self._flow_index[0][application_id]}
        flows.update((flow.key, flow) for flow in self._flow_index[1][application_id])
        return [flows[key] for key in sorted(flows)]

    def flows_among(self, application_ids: Iterable[str]) -> list[Flow]:
        """Flows whose source and target are both in the set."""
        members = set(application_ids)
        outgoing = self._flow_index[0]
        flows = [
            flow
            for application_id in sorted(members)
            for flow in outgoing[application_id]
            if flow.target in members
        ]
        return sorted(flows, key=lambda flow: flow.key)

    def flows_through(self, hub_id: str) -> list[Flow]:
        return [flow for flow in self.inventory.flows if flow.via == hub_id]

    def flows_of_data(self, data_object_id: str) -> list[Flow]:
        return [flow for flow in self.inventory.flows if flow.data == data_object_id]

    # --- processes ----------------------------------------------------------------------------

    def process(self, process_id: str) -> Process:
        return self.inventory.processes[process_id]

    def steps_of(self, process_id: str) -> list[Step]:
        """The steps in the order the process lists them."""
        return list(self.inventory.processes[process_id].steps)

    def next_steps(self, process_id: str, step_id: str) -> list[str]:
        node = step_node_id(process_id, step_id)
        return sorted(target.rsplit("/", 1)[1] for target in self._successors(node, "next"))

    def applications_of_step(
        self, process_id: str, step_id: str, commune_id: str | None = None
    ) -> list[str]:
        """Applications serving a step — named ones and those of its blocs — for one commune
        (the applications it uses) or for all."""

        def compute() -> list[str]:
            node = step_node_id(process_id, step_id)
            found = set(self._ids(self._successors(node, "served_by")))
            for block_node in self._successors(node, "served_by_block"):
                found.update(self.applications_of_block(block_node.split(":", 1)[1]))
            return sorted(found)

        found = self._memoised(("step", process_id, step_id), compute)
        if commune_id is not None:
            used = set(self.applications_of_commune(commune_id))
            found = [app_id for app_id in found if app_id in used]
        return found

    def sectors_of_step(self, process_id: str, step_id: str) -> list[str]:
        """The secteurs d'intervention a step is shared between, by place (sorted ids)."""
        return self._ids(self._successors(step_node_id(process_id, step_id), "shared_by_sectors"))

    def sector_areas(self, sector_id: str) -> list[tuple[str, str | None]]:
        """The communes a sector covers, each with the part it covers (``None``: all of it),
        in the order the inventory lists them (the ville centre first, as people write it)."""
        return [(area.commune, area.part) for area in self.inventory.sectors[sector_id].areas]

    def processes_of_application(self, application_id: str) -> list[str]:
        """Processes with a step that the application serves (named, or through its blocs)."""
        return list(self._processes_by_application.get(application_id, ()))

    @cached_property
    def _processes_by_application(self) -> dict[str, list[str]]:
        """Application -> the processes it serves: each step's named applications, and every
        application of a bloc it names or of a bloc below one it names."""
        found: dict[str, set[str]] = {}
        for process in self.inventory.processes.values():
            for step in process.steps:
                serving = set(step.applications)
                for block_id in step.blocks:
                    serving.update(self.applications_of_block(block_id))
                for application_id in serving:
                    found.setdefault(application_id, set()).add(process.id)
        return {application_id: sorted(ids) for application_id, ids in found.items()}

    # --- territory ----------------------------------------------------------------------------

    def communes(self) -> list[str]:
        return list(self.inventory.communes)

    @cached_property
    def mutualised_domains(self) -> dict[str, dict[str, DateValue]]:
        """Commune -> {domain: when it joined (a year or a date)}."""
        return {
            commune.id: {item.domain: item.since for item in commune.mutualisations}
            for commune in self.inventory.communes.values()
        }

    @property
    def reference_date(self) -> dt.date:
        """The day the portfolio stands at: its ``--date``, else today (the inventory as
        written describes today). Adhesions are read at that day."""
        return self.inventory.moment or reference_today()

    def current_adhesions(
        self, commune_id: str, moment: dt.date | None = None
    ) -> dict[str, DateValue]:
        """The domains the commune belongs to at ``moment`` (default: the reference date) —
        ``depuis ≤ D < jusqu_a`` — and since when."""
        day = moment or self.reference_date
        commune = self.inventory.communes.get(commune_id)
        if commune is None:
            return {}
        return {
            item.domain: item.since
            for item in commune.mutualisations
            if is_present(item.since, item.until, day)
        }

    def has_mutualised(
        self, commune_id: str, block_id: str, moment: dt.date | None = None
    ) -> bool:
        """True if the commune belongs, at ``moment`` (default: the reference date), to a
        domain covering the bloc."""
        lineage = {block_id, *self.inventory.block_ancestors(block_id)}
        return any(
            lineage.intersection(self.inventory.domains[domain_id].blocks)
            for domain_id in self.current_adhesions(commune_id, moment)
        )

    def mutualisation_of(self, commune_id: str, block_id: str) -> tuple[str, DateValue] | None:
        """The domain through which the commune has mutualised the bloc at the reference date,
        and since when: the earliest joined (ties by domain id); ``None`` if it has not. The
        diagnostic names it."""
        lineage = {block_id, *self.inventory.block_ancestors(block_id)}
        joined = [
            (day_of(since), domain_id, since)
            for domain_id, since in self.current_adhesions(commune_id).items()
            if lineage.intersection(self.inventory.domains[domain_id].blocks)
        ]
        if not joined:
            return None
        _day, domain_id, since = min(joined)
        return domain_id, since

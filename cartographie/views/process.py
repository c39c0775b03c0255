"""``carte processus ID [--commune ID]``: a business process, step by step.

Steps are laid left to right in the order the process lists them (one column each: the order
is the ranks', which the layout cannot shuffle), each with its actor and arrows to the
following steps. Below each step, the applications that serve it (those named by the step and
those of its blocs):

- for one commune (``--commune``): each application, with the flows from a step's
  applications to the next step's and the data they carry. An application serving several
  steps is drawn once, in its first step, and linked to the others by a dotted line;
- for all communes: fourteen communes' applications in one column are a wall, not a map. Each
  step shows one box per commune (how many applications, the first names), linked to that
  commune's map of the process, and each shared application on its own; flows are summed
  between these boxes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from cartographie.graph import Portfolio
from cartographie.model.records import Flow
from cartographie.views.common import (
    APPLICATION_LEGEND,
    MapOptions,
    app_node_id,
    application_node,
    commune_applications,
    flow_edges,
    next_steps,
    step_applications,
    step_sectors,
)
from cartographie.views.model import Cluster, Edge, LegendItem, Node, Ref, View
from cartographie.views.text import clean, plural, wrap

GROUP_TAGS = ("groupe-commune",)
# Summed flows drawn on the all-communes map, strongest first.
SUMMARY_LIMIT = 60


def step_node_id(step_id: str) -> str:
    return f"etape:{step_id}"


def process_commune_key(process_id: str, commune_id: str) -> str:
    """The id of one commune's map of a process, for the atlas's registry and pages."""
    return f"{process_id}/{commune_id}"


def build_process_map(portfolio: Portfolio, process_id: str, options: MapOptions) -> View:
    inventory = portfolio.inventory
    process = inventory.processes[process_id]
    nodes: list[Node] = []
    clusters: list[Cluster] = []
    edges: list[Edge] = []
    columns: list[tuple[str, ...]] = []
    box_of: dict[str, str] = {}  # application -> the box it is drawn in (its first step's)
    # All-communes map: application -> every box it stands in (one per step it serves, one
    # per sector lane), so that a flow is drawn between the boxes of two following steps.
    boxes_of: dict[str, list[str]] = defaultdict(list)
    step_of_box: dict[str, str] = {}
    shown: set[str] = set()
    for order, step in enumerate(process.steps, start=1):
        header = step_node_id(step.id)
        nodes.append(
            Node(
                id=header,
                label=(
                    *wrap(f"{order}. {step.name}", width=26, max_lines=3),
                    *wrap(f"Acteur : {step.actor}", width=30, max_lines=2),
                ),
                tags=("etape",),
                tooltip=f"{clean(step.name)} — acteur : {clean(step.actor)}",
            )
        )
        applications = [
            app_id
            for app_id in step_applications(portfolio, process_id, step.id, options.commune)
            if options.keeps(portfolio, app_id)
        ]
        shown.update(applications)
        sectors = list(step_sectors(portfolio, process_id, step.id))
        lanes: list[Cluster] = []
        if options.commune is not None:
            notes_of_step = _sector_notes(portfolio, sectors, options.commune)
            nodes.extend(notes_of_step)
            boxes = [node.id for node in notes_of_step]
            boxes += _detailed_step(portfolio, step.id, applications, box_of, nodes, edges)
        elif sectors:
            boxes, lanes = _sector_step(
                portfolio, process_id, step.id, sectors, applications, boxes_of, nodes
            )
        else:
            boxes = _summary_step(portfolio, process_id, step.id, applications, boxes_of, nodes)
        column = [header, *boxes]
        if not applications:
            empty = f"vide:{step.id}"
            nodes.append(Node(id=empty, label=("aucune application",), tags=("legende-titre",)))
            column.append(empty)
        # In a left-to-right layout the rank's order runs bottom to top: the header goes last to
        # stand on top of its applications.
        columns.append(tuple(reversed(column)))
        if lanes:
            # The header and what every sector uses, in a borderless box of their own: dot
            # keeps a cluster's nodes together, and orders sibling clusters, not loose nodes.
            in_lanes = {node_id for lane in lanes for node_id in lane.nodes}
            head = Cluster(
                id=f"tete:{step.id}",
                label="",
                nodes=tuple(node_id for node_id in column if node_id not in in_lanes),
                tags=("sans-cadre",),
            )
            # Children in the order of the column, bottom to top (see ``columns``): the last
            # declared stands on top with the embedded Graphviz, as the invisible chain asks.
            step_cluster = Cluster(
                id=f"etape:{step.id}",
                label="",
                children=(*reversed(lanes), head),
                tags=("etape-groupe",),
            )
        else:
            step_cluster = Cluster(
                id=f"etape:{step.id}", label="", nodes=tuple(column), tags=("etape-groupe",)
            )
        clusters.append(step_cluster)
        if order > 1:
            # The steps in the order the process lists them, left to right.
            edges.append(Edge(step_node_id(process.steps[order - 2].id), header, tags=("ordre",)))
        for next_id in next_steps(portfolio, process_id, step.id):
            edges.append(Edge(header, step_node_id(next_id), tags=("suivante",), constraint=False))
        step_of_box.update({box: step.id for box in boxes})
    notes: list[str] = []
    if options.flows:
        if options.commune is None:
            box_of = {app_id: found[0] for app_id, found in boxes_of.items()}
        flows = portfolio.flows_among(box_of)
        # Along the process only: from a step to a following one. Dot routes an edge around the
        # steps it would cross, so flows inside a step, back, or skipping steps looped around
        # the whole map; the application pages list every flow.
        following = {
            (step.id, next_id)
            for step in process.steps
            for next_id in next_steps(portfolio, process_id, step.id)
        }
        if options.commune is not None:
            along = [
                flow
                for flow in flows
                if (step_of_box[box_of[flow.source]], step_of_box[box_of[flow.target]]) in following
            ]
            edges.extend(flow_edges(portfolio, along, labels=True))
            notes.append(f"flux d'une étape à la suivante : {len(along)} sur {len(flows)}")
        else:
            summary = _summed_flows(flows, boxes_of, step_of_box, following)
            edges.extend(summary[:SUMMARY_LIMIT])
            notes.append(
                "flux sommés d'une étape à la suivante"
                + (
                    f" ({SUMMARY_LIMIT} liaisons les plus fortes sur {len(summary)})"
                    if len(summary) > SUMMARY_LIMIT
                    else ""
                )
            )
    scope = (
        f"commune : {clean(inventory.communes[options.commune].name)}"
        if options.commune
        else f"toutes les communes, {plural(len(shown), 'application')}"
    )
    subtitle = " — ".join(
        part for part in (clean(process.description or ""), scope, *notes) if part
    )
    has_sectors = any(step_sectors(portfolio, process_id, step.id) for step in process.steps)
    legend = (
        LegendItem("Étape (acteur)", ("etape",)),
        *((LegendItem("Secteur d'intervention", ("secteur",)),) if has_sectors else ()),
        *(() if options.commune else (LegendItem("Applications d'une commune", GROUP_TAGS),)),
        *(item for item in APPLICATION_LEGEND if options.flows or item.shape != "edge"),
        LegendItem("Étape suivante", ("suivante",), shape="edge"),
    )
    return View(
        kind="processus",
        key=process_id if options.commune is None else f"{process_id}--{options.commune}",
        title=f"Processus — {clean(process.name)}",
        subtitle=subtitle,
        nodes=tuple(nodes),
        edges=tuple(edges),
        clusters=tuple(clusters),
        legend=legend,
        direction="LR",
        same_rank=tuple(columns),
        links=tuple(sorted({Ref("application", app_id) for app_id in shown})),
    )


def build_process_commune_map(portfolio: Portfolio, key: str, options: MapOptions) -> View:
    """One commune's map of a process, for the atlas: ``key`` is ``process/commune``."""
    process_id, commune_id = key.split("/", 1)
    return build_process_map(
        portfolio,
        process_id,
        MapOptions(options.layers, options.lifecycles, options.flows, commune_id),
    )


def process_commune_keys(portfolio: Portfolio) -> list[str]:
    """Every (process, commune) pair where the commune has an application serving a step."""
    used = {
        commune_id: commune_applications(portfolio, commune_id)
        for commune_id in portfolio.communes()
    }
    keys = []
    for process_id in sorted(portfolio.inventory.processes):
        serving = {
            app_id
            for step in portfolio.steps_of(process_id)
            for app_id in step_applications(portfolio, process_id, step.id)
        }
        for commune_id in sorted(used):
            if serving & used[commune_id]:
                keys.append(process_commune_key(process_id, commune_id))
    return keys


def _detailed_step(
    portfolio: Portfolio,
    step_id: str,
    applications: list[str],
    box_of: dict[str, str],
    nodes: list[Node],
    edges: list[Edge],
) -> list[str]:
    header = step_node_id(step_id)
    own = [app_id for app_id in applications if app_id not in box_of]
    for app_id in own:
        box_of[app_id] = app_node_id(app_id)
        nodes.append(application_node(portfolio, app_id))
    for app_id in applications:
        if app_id not in own:
            edges.append(
                Edge(
                    header,
                    app_node_id(app_id),
                    tags=("sert",),
                    constraint=False,
                    tooltip="sert aussi cette étape",
                )
            )
    return [app_node_id(app_id) for app_id in own]


def _group_by_commune(
    portfolio: Portfolio, applications: list[str]
) -> tuple[list[str], dict[str, list[str]]]:
    """The shared applications (each drawn on its own), and the others by the commune that
    uses them (or their owner when no commune does)."""
    inventory = portfolio.inventory
    shared: list[str] = []
    by_commune: dict[str, list[str]] = defaultdict(list)
    for app_id in applications:
        users = [user for user in inventory.users[app_id] if user in inventory.communes]
        if portfolio.is_shared(app_id) and not inventory.is_external(app_id):
            shared.append(app_id)
        else:
            by_commune[users[0] if users else inventory.owners[app_id]].append(app_id)
    return shared, by_commune


def _by_organisation_name(portfolio: Portfolio, organisations: Iterable[str]) -> list[str]:
    inventory = portfolio.inventory
    return sorted(
        organisations, key=lambda item: (clean(inventory.organisation_name(item)), item)
    )


def _shared_box(portfolio: Portfolio, app_id: str, box: str) -> Node:
    node = application_node(portfolio, app_id, "mutualisée")
    return Node(box, node.label, node.tags, node.link, node.tooltip)


def _commune_box(
    portfolio: Portfolio, process_id: str, owner: str, members: list[str], box: str
) -> Node:
    """One commune's applications for a step: how many, the first names, a link to the
    commune's map of the process."""
    inventory = portfolio.inventory
    names = sorted(clean(inventory.applications[app_id].name) for app_id in members)
    first = ", ".join(names[:2]) + (" …" if len(names) > 2 else "")
    return Node(
        id=box,
        label=(
            *wrap(inventory.organisation_name(owner), width=24, max_lines=1),
            plural(len(members), "application"),
            *wrap(first, width=30, max_lines=2),
        ),
        tags=GROUP_TAGS,
        link=(
            Ref("processus-commune", process_commune_key(process_id, owner))
            if owner in inventory.communes
            else None
        ),
        tooltip=" ; ".join(names),
    )


def _summary_step(
    portfolio: Portfolio,
    process_id: str,
    step_id: str,
    applications: list[str],
    boxes_of: dict[str, list[str]],
    nodes: list[Node],
) -> list[str]:
    shared, by_commune = _group_by_commune(portfolio, applications)
    boxes = []
    for app_id in shared:
        box = f"{app_node_id(app_id)}@{step_id}"
        nodes.append(_shared_box(portfolio, app_id, box))
        boxes_of[app_id].append(box)
        boxes.append(box)
    for owner in _by_organisation_name(portfolio, by_commune):
        box = f"commune:{owner}@{step_id}"
        nodes.append(_commune_box(portfolio, process_id, owner, by_commune[owner], box))
        for app_id in by_commune[owner]:
            boxes_of[app_id].append(box)
        boxes.append(box)
    return boxes


def _sector_step(
    portfolio: Portfolio,
    process_id: str,
    step_id: str,
    sectors: list[str],
    applications: list[str],
    boxes_of: dict[str, list[str]],
    nodes: list[Node],
) -> tuple[list[str], list[Cluster]]:
    """A step shared between secteurs d'intervention by place: one lane per sector, with the
    communes it serves and the applications its teams use — those of these communes, and the
    shared ones some of them use. What every sector uses alike (the GDU), or none of their
    communes (the métropole's own), is drawn once, above the lanes."""
    inventory = portfolio.inventory
    shared, by_commune = _group_by_commune(portfolio, applications)
    lanes = {
        sector_id: [
            commune for commune, _part in portfolio.sector_areas(sector_id)
            if commune in inventory.communes
        ]
        for sector_id in sectors
    }
    served = {commune for communes in lanes.values() for commune in communes}

    def users(app_id: str) -> set[str]:
        return {user for user in inventory.users[app_id] if user in served}

    common = [app_id for app_id in shared if not users(app_id) or users(app_id) == served]
    boxes: list[str] = []
    for app_id in common:
        box = f"{app_node_id(app_id)}@{step_id}"
        nodes.append(_shared_box(portfolio, app_id, box))
        boxes_of[app_id].append(box)
        boxes.append(box)
    for owner in _by_organisation_name(portfolio, set(by_commune) - served):
        box = f"commune:{owner}@{step_id}"
        nodes.append(_commune_box(portfolio, process_id, owner, by_commune[owner], box))
        for app_id in by_commune[owner]:
            boxes_of[app_id].append(box)
        boxes.append(box)
    clusters: list[Cluster] = []
    by_name = sorted(lanes, key=lambda item: (clean(inventory.sectors[item].name), item))
    for sector_id in by_name:
        sector = inventory.sectors[sector_id]
        areas = [
            clean(inventory.organisation_name(commune)) + (f" ({clean(part)})" if part else "")
            for commune, part in portfolio.sector_areas(sector_id)
        ]
        header = f"secteur:{step_id}:{sector_id}"
        nodes.append(
            Node(
                id=header,
                label=(
                    *wrap(sector.name, width=28, max_lines=1),
                    *wrap("Communes : " + ", ".join(areas), width=34, max_lines=4),
                ),
                tags=("secteur",),
                tooltip=f"{clean(sector.name)} — " + " ; ".join(areas),
            )
        )
        lane = [header]
        for app_id in shared:
            if app_id not in common and users(app_id) & set(lanes[sector_id]):
                box = f"{app_node_id(app_id)}@{step_id}@{sector_id}"
                nodes.append(_shared_box(portfolio, app_id, box))
                boxes_of[app_id].append(box)
                lane.append(box)
        for owner in _by_organisation_name(portfolio, set(lanes[sector_id]) & set(by_commune)):
            box = f"commune:{owner}@{step_id}@{sector_id}"
            nodes.append(_commune_box(portfolio, process_id, owner, by_commune[owner], box))
            for app_id in by_commune[owner]:
                boxes_of[app_id].append(box)
            lane.append(box)
        boxes.extend(lane)
        clusters.append(
            Cluster(id=f"couloir:{step_id}:{sector_id}", label="", nodes=tuple(lane),
                    tags=("couloir",))
        )
    return boxes, clusters


def _sector_notes(portfolio: Portfolio, sectors: list[str], commune_id: str) -> list[Node]:
    """For one commune's map: the sectors of the step that serve the commune, and which part."""
    inventory = portfolio.inventory
    found = []
    for sector_id in sectors:
        for commune, part in portfolio.sector_areas(sector_id):
            if commune != commune_id:
                continue
            sector = inventory.sectors[sector_id]
            found.append(
                Node(
                    id=f"secteur:{sector_id}",
                    label=(
                        *wrap(sector.name, width=28, max_lines=1),
                        *wrap(clean(part) if part else "toute la commune", width=30, max_lines=2),
                    ),
                    tags=("secteur",),
                    tooltip=clean(sector.description or sector.name),
                )
            )
    return found


def _summed_flows(
    flows: list[Flow],
    boxes_of: dict[str, list[str]],
    step_of_box: dict[str, str],
    following: set[tuple[str, str]],
) -> list[Edge]:
    """Flows summed between boxes, along the process only (see the caller): each flow once,
    between the first boxes of its source and target that stand in a step and a following
    one (the GDU serves every step: its flows leave from the step that hands over)."""
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for flow in flows:
        pairs = [
            (source, target)
            for source in boxes_of[flow.source]
            for target in boxes_of[flow.target]
            if (step_of_box[source], step_of_box[target]) in following
        ]
        if pairs:
            counts[pairs[0]] += 1
    strongest = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return [
        Edge(
            source,
            target,
            label=plural(count, "flux", "flux") if count > 1 else "",
            tags=("flux", "flux:resume", f"poids:{min(count, 9)}"),
            tooltip=plural(count, "flux", "flux"),
            constraint=False,
        )
        for (source, target), count in strongest
    ]

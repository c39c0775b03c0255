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

from cartographie.graph import Portfolio
from cartographie.model.records import Flow
from cartographie.views.common import (
    APPLICATION_LEGEND,
    MapOptions,
    app_node_id,
    application_node,
    commune_applications,
    flow_edges,
    step_applications,
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
    step_of_box: dict[str, str] = {}
    shown: set[str] = set()
    for order, step in enumerate(process.steps, start=1):
        header = step_node_id(step.id)
        nodes.append(
            Node(
                id=header,
                label=(
                    *wrap(f"{order}. {step.name}", width=26, max_lines=3),
                    *wrap(f"Acteur : {step.actor}", width=30, max_lines=1),
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
        if options.commune is not None:
            boxes = _detailed_step(portfolio, step.id, applications, box_of, nodes, edges)
        else:
            boxes = _summary_step(portfolio, process_id, step.id, applications, box_of, nodes)
        column = [header, *boxes]
        if not applications:
            empty = f"vide:{step.id}"
            nodes.append(Node(id=empty, label=("aucune application",), tags=("legende-titre",)))
            column.append(empty)
        # In a left-to-right layout the rank's order runs bottom to top: the header goes last to
        # stand on top of its applications.
        columns.append(tuple(reversed(column)))
        clusters.append(
            Cluster(id=f"etape:{step.id}", label="", nodes=tuple(column), tags=("etape-groupe",))
        )
        if order > 1:
            # The steps in the order the process lists them, left to right.
            edges.append(Edge(step_node_id(process.steps[order - 2].id), header, tags=("ordre",)))
        for next_id in portfolio.next_steps(process_id, step.id):
            edges.append(Edge(header, step_node_id(next_id), tags=("suivante",), constraint=False))
        step_of_box.update({box: step.id for box in boxes})
    notes: list[str] = []
    if options.flows:
        flows = portfolio.flows_among(box_of)
        # Along the process only: from a step to a following one. Dot routes an edge around the
        # steps it would cross, so flows inside a step, back, or skipping steps looped around
        # the whole map; the application pages list every flow.
        following = {
            (step.id, next_id)
            for step in process.steps
            for next_id in portfolio.next_steps(process_id, step.id)
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
            summary = _summed_flows(flows, box_of, step_of_box, following)
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
    legend = (
        LegendItem("Étape (acteur)", ("etape",)),
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


def _summary_step(
    portfolio: Portfolio,
    process_id: str,
    step_id: str,
    applications: list[str],
    box_of: dict[str, str],
    nodes: list[Node],
) -> list[str]:
    inventory = portfolio.inventory
    shared: list[str] = []
    by_commune: dict[str, list[str]] = defaultdict(list)
    for app_id in applications:
        users = [user for user in inventory.users[app_id] if user in inventory.communes]
        if portfolio.is_shared(app_id) and not inventory.is_external(app_id):
            shared.append(app_id)
        else:
            by_commune[users[0] if users else inventory.owners[app_id]].append(app_id)
    boxes = []
    for app_id in shared:
        box = f"{app_node_id(app_id)}@{step_id}"
        node = application_node(portfolio, app_id, "mutualisée")
        nodes.append(Node(box, node.label, node.tags, node.link, node.tooltip))
        box_of.setdefault(app_id, box)
        boxes.append(box)

    def by_name(item: str) -> tuple[str, str]:
        return (clean(inventory.organisation_name(item)), item)

    for owner in sorted(by_commune, key=by_name):
        members = by_commune[owner]
        names = sorted(clean(inventory.applications[app_id].name) for app_id in members)
        box = f"commune:{owner}@{step_id}"
        first = ", ".join(names[:2]) + (" …" if len(names) > 2 else "")
        nodes.append(
            Node(
                id=box,
                label=(
                    *wrap(inventory.organisation_name(owner), width=24, max_lines=1),
                    plural(len(members), "application"),
                    *wrap(first, width=30, max_lines=2),
                ),
                tags=("groupe-commune",),
                link=(
                    Ref("processus-commune", process_commune_key(process_id, owner))
                    if owner in inventory.communes
                    else None
                ),
                tooltip=" ; ".join(names),
            )
        )
        for app_id in members:
            box_of.setdefault(app_id, box)
        boxes.append(box)
    return boxes


def _summed_flows(
    flows: list[Flow],
    box_of: dict[str, str],
    step_of_box: dict[str, str],
    following: set[tuple[str, str]],
) -> list[Edge]:
    """Flows summed between boxes, along the process only (see the caller)."""
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for flow in flows:
        source, target = box_of[flow.source], box_of[flow.target]
        if (step_of_box[source], step_of_box[target]) in following:
            counts[(source, target)] += 1
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

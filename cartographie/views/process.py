"""``carte processus ID [--commune ID]``: a business process, step by step.

Steps are laid left to right in the order the process lists them (one column each: the order
is the ranks', which the layout cannot shuffle), each with its actor, its applications below it
(those named by the step and those of its blocs, for one commune or for all), and arrows to
the following steps. An application serving several steps is drawn once, in its first step,
and linked to the others by a dotted line. Flows between the process's
applications are drawn with the data they carry.
"""

from __future__ import annotations

from cartographie.graph import Portfolio
from cartographie.views.common import (
    APPLICATION_LEGEND,
    MapOptions,
    app_node_id,
    application_node,
    flow_edges,
)
from cartographie.views.model import Cluster, Edge, LegendItem, Node, Ref, View
from cartographie.views.text import clean, wrap


def step_node_id(step_id: str) -> str:
    return f"etape:{step_id}"


def build_process_map(portfolio: Portfolio, process_id: str, options: MapOptions) -> View:
    inventory = portfolio.inventory
    process = inventory.processes[process_id]
    placed: dict[str, str] = {}
    nodes: list[Node] = []
    clusters: list[Cluster] = []
    edges: list[Edge] = []
    columns: list[tuple[str, ...]] = []
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
            for app_id in portfolio.applications_of_step(process_id, step.id, options.commune)
            if options.keeps(portfolio, app_id)
        ]
        own = [app_id for app_id in applications if app_id not in placed]
        for app_id in own:
            placed[app_id] = step.id
            nodes.append(application_node(portfolio, app_id, _caption(portfolio, app_id, options)))
        for app_id in applications:
            if placed[app_id] != step.id:
                edges.append(
                    Edge(
                        header,
                        app_node_id(app_id),
                        tags=("sert",),
                        constraint=False,
                        tooltip="sert aussi cette étape",
                    )
                )
        column = [header, *(app_node_id(app_id) for app_id in own)]
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
    if options.flows:
        edges.extend(flow_edges(portfolio, portfolio.flows_among(placed), labels=True))
    scope = (
        f"commune : {clean(inventory.communes[options.commune].name)}"
        if options.commune
        else "toutes les communes"
    )
    subtitle = " — ".join(part for part in (clean(process.description or ""), scope) if part)
    legend = (
        LegendItem("Étape (acteur)", ("etape",)),
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
        links=tuple(sorted({Ref("application", app_id) for app_id in placed})),
    )


def _caption(portfolio: Portfolio, app_id: str, options: MapOptions) -> str | None:
    if options.commune is not None:
        return None
    inventory = portfolio.inventory
    if portfolio.is_shared(app_id) and not inventory.is_external(app_id):
        return "mutualisée"
    return inventory.organisation_name(inventory.owners[app_id])


__all__ = ["Ref", "build_process_map"]

"""``carte bloc ID``: every application of a bloc, all communes together.

The bloc's name is the title and its description the subtitle. Applications are grouped by
commune; shared applications form their own group and name their users. Flows inside the bloc
are drawn with the data they carry; flows to other blocs are summarised, one box per other bloc.
"""

from __future__ import annotations

from collections import defaultdict

from cartographie.graph import Portfolio
from cartographie.views.common import (
    APPLICATION_LEGEND,
    MapOptions,
    app_node_id,
    application_node,
    communes_caption,
    flow_edges,
    grid_columns,
    primary_block,
)
from cartographie.views.model import Cluster, Edge, LegendItem, Node, Ref, View
from cartographie.views.text import clean, plural

SHARED_GROUP = "mutualisees"


def build_block_map(portfolio: Portfolio, block_id: str, options: MapOptions) -> View:
    inventory = portfolio.inventory
    block = inventory.blocks[block_id]
    applications = [
        app_id
        for app_id in portfolio.applications_of_block(block_id)
        if options.keeps(portfolio, app_id)
    ]
    members = set(applications)
    groups: dict[str, list[str]] = defaultdict(list)
    for app_id in applications:
        if portfolio.is_shared(app_id) and not inventory.is_external(app_id):
            groups[SHARED_GROUP].append(app_id)
        else:
            users = [user for user in inventory.users[app_id] if user in inventory.communes]
            groups[users[0] if users else inventory.owners[app_id]].append(app_id)

    nodes: list[Node] = []
    clusters: list[Cluster] = []
    order = sorted(
        groups,
        key=lambda group: (group != SHARED_GROUP, clean(inventory.organisation_name(group)), group),
    )
    for group in order:
        members_of_group = groups[group]
        for app_id in members_of_group:
            caption = communes_caption(portfolio, app_id) if group == SHARED_GROUP else None
            nodes.append(application_node(portfolio, app_id, caption))
        shared = group == SHARED_GROUP
        clusters.append(
            Cluster(
                id=f"groupe:{group}",
                label=(
                    f"Applications mutualisées ({len(members_of_group)})"
                    if shared
                    else f"{clean(inventory.organisation_name(group))} ({len(members_of_group)})"
                ),
                nodes=tuple(app_node_id(app_id) for app_id in members_of_group),
                tags=("groupe:partagees",) if shared else ("groupe",),
                link=Ref("commune", group) if group in inventory.communes else None,
                columns=grid_columns(len(members_of_group)),
            )
        )

    edges: list[Edge] = []
    if options.flows:
        edges.extend(flow_edges(portfolio, portfolio.flows_among(applications), labels=True))
        summary_nodes, summary_edges = _other_blocks(portfolio, applications, members, block_id)
        nodes.extend(summary_nodes)
        edges.extend(summary_edges)
        if summary_nodes:
            clusters.append(
                Cluster(
                    id="autres-blocs",
                    label="Flux avec les autres blocs",
                    nodes=tuple(node.id for node in summary_nodes),
                    tags=("bande:hors",),
                    columns=min(len(summary_nodes), 6),
                )
            )

    communes = {
        user
        for app_id in applications
        for user in inventory.users[app_id]
        if user in inventory.communes
    }
    legend = [item for item in APPLICATION_LEGEND if options.flows or item.shape != "edge"]
    if options.flows:
        legend.append(LegendItem("Flux vers un autre bloc", ("flux:resume",), shape="edge"))
    description = clean(block.description or "")
    subtitle = " — ".join(
        part
        for part in (
            description,
            f"{plural(len(applications), 'application')}, {plural(len(communes), 'commune')}",
        )
        if part
    )
    return View(
        kind="bloc",
        key=block_id,
        title=f"Bloc fonctionnel — {clean(block.name)}",
        subtitle=subtitle,
        nodes=tuple(nodes),
        edges=tuple(edges),
        clusters=tuple(clusters),
        legend=tuple(legend),
        direction="TB",
        columns=3 if len(clusters) > 4 else max(len(clusters), 1),
        links=tuple(sorted({Ref("application", app_id) for app_id in applications})),
    )


def _other_blocks(
    portfolio: Portfolio, applications: list[str], members: set[str], block_id: str
) -> tuple[list[Node], list[Edge]]:
    inventory = portfolio.inventory
    counts: dict[tuple[str, str, bool], int] = defaultdict(int)
    for app_id in applications:
        for flow in portfolio.flows_of(app_id):
            outgoing = flow.source == app_id
            other = flow.target if outgoing else flow.source
            if other in members:
                continue
            other_block = primary_block(portfolio, other) or "-"
            if other_block == block_id:
                continue
            counts[(app_id, other_block, outgoing)] += 1
    totals: dict[str, int] = defaultdict(int)
    for (_app, other_block, _outgoing), count in counts.items():
        totals[other_block] += count
    nodes = []
    for other_block in sorted(totals):
        name = "Sans bloc" if other_block == "-" else clean(inventory.blocks[other_block].name)
        nodes.append(
            Node(
                id=f"autre-bloc:{other_block}",
                label=(name, plural(totals[other_block], "flux", "flux")),
                tags=("autre-bloc",),
                link=None if other_block == "-" else Ref("bloc", other_block),
            )
        )
    edges = []
    for (app_id, other_block, outgoing), count in sorted(counts.items()):
        ends = (app_node_id(app_id), f"autre-bloc:{other_block}")
        source, target = ends if outgoing else ends[::-1]
        edges.append(
            Edge(
                source=source,
                target=target,
                label=plural(count, "flux", "flux") if count > 1 else "",
                tags=("flux:resume",),
                constraint=False,
            )
        )
    return nodes, edges

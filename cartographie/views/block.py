"""``carte bloc ID``: every application of a bloc, all communes together.

The bloc's name is the title and its description the subtitle. Applications are grouped by
commune; shared applications form their own group and name their users. Flows inside the bloc
are drawn with the data they carry; flows to other blocs are summarised: a count on each
application, and one box per other bloc with its total.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace

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
from cartographie.views.model import Cluster, Edge, Node, Ref, View
from cartographie.views.text import clean, plural, wrap

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
        summary_nodes, per_application = _other_blocks(portfolio, applications, members, block_id)
        nodes = [_with_stub(node, per_application) for node in nodes]
        nodes.extend(summary_nodes)
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
) -> tuple[list[Node], dict[str, int]]:
    """One box per other bloc the bloc exchanges with (and how many flows), and per application
    its number of flows with other blocs.

    Drawn as edges, flows to forty other blocs crossed the whole map; counts say the same, and
    each application's page lists them one by one.
    """
    inventory = portfolio.inventory
    totals: dict[str, int] = defaultdict(int)
    per_application: dict[str, int] = defaultdict(int)
    for app_id in applications:
        for flow in portfolio.flows_of(app_id):
            other = flow.target if flow.source == app_id else flow.source
            if other in members:
                continue
            other_block = primary_block(portfolio, other) or "-"
            if other_block == block_id:
                continue
            totals[other_block] += 1
            per_application[app_id] += 1
    nodes = []
    for other_block in sorted(totals):
        name = "Sans bloc" if other_block == "-" else clean(inventory.blocks[other_block].name)
        nodes.append(
            Node(
                id=f"autre-bloc:{other_block}",
                label=(
                    *wrap(name, width=22, max_lines=2),
                    plural(totals[other_block], "flux", "flux"),
                ),
                tags=("autre-bloc",),
                link=None if other_block == "-" else Ref("bloc", other_block),
                tooltip=f"Flux avec le bloc {name}",
            )
        )
    return nodes, dict(per_application)


def _with_stub(node: Node, per_application: dict[str, int]) -> Node:
    count = per_application.get(node.id.split(":", 1)[1], 0) if node.id.startswith("app:") else 0
    if not count:
        return node
    return replace(
        node,
        label=(*node.label, f"↔ {plural(count, 'flux', 'flux')} hors bloc"),
        tags=(*node.tags, "souche-app"),
    )

"""``carte commune ID``: the applications a commune uses, in three bands.

Bands top to bottom: interface (usagers, entreprises), métier, support (DESIGN.md §5). Inside a
band, one box per bloc (the first bloc an application lists), blocs in rows so that the ville
centre's 350 applications make a readable page rather than a 30-metre line. Flows between the
commune's applications are drawn without pulling the layout; flows to applications outside the
commune end on one stub per outside organisation, in a last band.
"""

from __future__ import annotations

from collections import defaultdict

from cartographie.graph import Portfolio
from cartographie.model.vocabulary import LAYER_LABELS, LAYERS
from cartographie.views.common import (
    APPLICATION_LEGEND,
    MapOptions,
    app_node_id,
    application_node,
    flow_edges,
    grid_columns,
    primary_block,
)
from cartographie.views.model import Cluster, Edge, LegendItem, Node, Ref, View
from cartographie.views.text import clean, plural

# Columns of boxes a band row may hold before the next row of blocs starts.
BAND_WIDTH = 14
NO_BLOCK = "-"


def block_sort_key(portfolio: Portfolio, block_id: str) -> tuple[str, str, str]:
    """Blocs in the order of the POS: by zone, then by name."""
    if block_id == NO_BLOCK:
        return ("~", "~", "~")
    inventory = portfolio.inventory
    zone = inventory.zone_of(block_id)
    return (clean(inventory.blocks[zone].name), clean(inventory.blocks[block_id].name), block_id)


def rows_of_blocks(widths: list[int], band_width: int = BAND_WIDTH) -> int:
    """How many blocs per row: as many as fit ``band_width`` box columns on average."""
    if not widths:
        return 1
    average = sum(widths) / len(widths)
    return max(1, min(len(widths), round(band_width / max(average, 1))))


def build_commune_map(portfolio: Portfolio, commune_id: str, options: MapOptions) -> View:
    inventory = portfolio.inventory
    commune = inventory.communes[commune_id]
    applications = [
        app_id
        for app_id in portfolio.applications_of_commune(commune_id)
        if options.keeps(portfolio, app_id)
    ]
    members = set(applications)
    nodes = [application_node(portfolio, app_id) for app_id in applications]

    bands: list[Cluster] = []
    for layer in LAYERS:
        by_block: dict[str, list[str]] = defaultdict(list)
        for app_id in applications:
            if portfolio.application(app_id).layer == layer:
                by_block[primary_block(portfolio, app_id) or NO_BLOCK].append(app_id)
        if not by_block:
            continue
        blocks = sorted(by_block, key=lambda block_id: block_sort_key(portfolio, block_id))
        children = []
        for block_id in blocks:
            members_of_block = by_block[block_id]
            name = "Sans bloc" if block_id == NO_BLOCK else clean(inventory.blocks[block_id].name)
            children.append(
                Cluster(
                    id=f"bloc:{layer}:{block_id}",
                    label=f"{name} ({len(members_of_block)})",
                    nodes=tuple(app_node_id(app_id) for app_id in members_of_block),
                    tags=("bloc",),
                    link=None if block_id == NO_BLOCK else Ref("bloc", block_id),
                    columns=grid_columns(len(members_of_block)),
                )
            )
        widths = [
            min(len(by_block[block_id]), grid_columns(len(by_block[block_id])))
            for block_id in blocks
        ]
        count = sum(len(group) for group in by_block.values())
        bands.append(
            Cluster(
                id=f"bande:{layer}",
                label=f"{LAYER_LABELS[layer]} — {plural(count, 'application')}",
                children=tuple(children),
                tags=(f"bande:{layer}",),
                columns=rows_of_blocks(widths),
            )
        )

    edges: list[Edge] = []
    if options.flows:
        flows = [
            flow
            for app_id in applications
            for flow in portfolio.flows_from(app_id)
            if flow.target in members
        ]
        edges.extend(flow_edges(portfolio, flows, labels=False))
        stubs, stub_edges = _stubs(portfolio, applications)
        if stubs:
            nodes.extend(stubs)
            edges.extend(stub_edges)
            bands.append(
                Cluster(
                    id="bande:hors",
                    label="Hors de la commune (flux sortants et entrants)",
                    nodes=tuple(node.id for node in stubs),
                    tags=("bande:hors",),
                    columns=min(len(stubs), 8),
                )
            )

    shared = sum(1 for app_id in applications if portfolio.is_shared(app_id))
    subtitle = (
        f"{plural(len(applications), 'application')} dont {shared} mutualisée"
        f"{'s' if shared > 1 else ''}"
    )
    legend = [item for item in APPLICATION_LEGEND if options.flows or item.shape != "edge"]
    if options.flows:
        legend.append(LegendItem("Flux hors commune", ("flux", "flux:souche"), shape="edge"))
    return View(
        kind="commune",
        key=commune_id,
        title=f"Patrimoine applicatif — {clean(commune.name)}",
        subtitle=subtitle,
        nodes=tuple(nodes),
        edges=tuple(edges),
        clusters=tuple(bands),
        legend=tuple(legend),
        direction="TB",
        columns=1,
        links=tuple(sorted({Ref("application", app_id) for app_id in applications})),
    )


def _stubs(portfolio: Portfolio, applications: list[str]) -> tuple[list[Node], list[Edge]]:
    """One stub per outside organisation, and one edge per (application, stub, direction)."""
    inventory = portfolio.inventory
    members = set(applications)
    pairs: dict[tuple[str, str, bool], list[str]] = defaultdict(list)
    for app_id in applications:
        for flow in portfolio.flows_of(app_id):
            outgoing = flow.source == app_id
            other = flow.target if outgoing else flow.source
            if other in members:
                continue
            owner = inventory.owners[other]
            data = clean(inventory.data_objects[flow.data].name)
            pairs[(app_id, owner, outgoing)].append(
                f"{clean(portfolio.application(other).name)} ({data})"
            )
    counts: dict[str, int] = defaultdict(int)
    for (_app, owner, _outgoing), items in pairs.items():
        counts[owner] += len(items)
    nodes = []
    for owner in sorted(counts):
        link = Ref("commune", owner) if owner in inventory.communes else None
        label = (clean(inventory.organisation_name(owner)), plural(counts[owner], "flux", "flux"))
        nodes.append(
            Node(
                id=f"souche:{owner}",
                label=(
                    clean(inventory.organisation_name(owner)),
                    plural(counts[owner], "flux", "flux"),
                ),
                tags=("souche",),
                link=link,
                tooltip=f"Flux avec les applications de {label[0]}",
            )
        )
    edges = []
    for (app_id, owner, outgoing), items in sorted(pairs.items()):
        ends = (app_node_id(app_id), f"souche:{owner}")
        source, target = ends if outgoing else ends[::-1]
        edges.append(
            Edge(
                source=source,
                target=target,
                tags=("flux", "flux:souche"),
                tooltip="; ".join(sorted(items)),
                constraint=False,
            )
        )
    return nodes, edges

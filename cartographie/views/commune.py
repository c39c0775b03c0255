"""``carte commune ID``: the applications a commune uses, in three bands.

Bands top to bottom: interface (usagers, entreprises), métier, support (DESIGN.md §5). Inside a
band, one box per bloc (the first bloc an application lists), blocs in rows so that the ville
centre's 350 applications make a readable page rather than a 30-metre line. Flows between the
commune's applications are drawn without pulling the layout (summed between blocs when there
are too many to read); flows to applications outside the commune are stubs: a count on the
application's box, and one box per outside organisation in a last band.

A big commune (more than :data:`BIG_COMMUNE` applications) also gets one map per layer and one
per zone (the zone of each application's bloc): narrower (:data:`DETAIL_BAND_WIDTH` boxes a row)
so that each is read at full size in a window 1,600 pixels wide. On those maps, the stubs
count the flows that leave the map: toward the commune's other applications, or toward other
owners. The overview's bands link to the layer maps.
"""

from __future__ import annotations

from collections import defaultdict
from weakref import WeakKeyDictionary

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
from cartographie.views.model import Cluster, Edge, Node, Ref, View
from cartographie.views.text import clean, plural, wrap

# Columns of boxes a band row may hold before the next row of blocs starts.
BAND_WIDTH = 14
# From this many applications a commune gets a map per layer and per zone besides its own.
BIG_COMMUNE = 150
# The detailed maps' rows: at most this many boxes side by side, each bloc at most
# DETAIL_BLOC_WIDTH wide, so that the map (an application's box is ~170 pt with its spacing) is
# read at full size in a window 1,600 pixels wide; every text there is at least 10 pt (the
# ``lisible`` style).
DETAIL_BAND_WIDTH = 5
# A big commune's overview: bloc boxes a row.
OVERVIEW_COLUMNS = 6
DETAIL_BLOC_WIDTH = 5
SEPARATOR = "/"
NO_BLOCK = "-"
# Up to this many flow edges, each flow is drawn between its applications; beyond, flows are
# summed between blocs and only the strongest SUMMARY_LIMIT links are drawn.
DETAIL_LIMIT = 150
SUMMARY_LIMIT = 60


def _strength(edge: Edge) -> tuple[int, str, str]:
    count = int(edge.tooltip.split()[0])
    return (-count, edge.source, edge.target)


def _summarise(edges: list[Edge] | tuple[Edge, ...], cluster_of: dict[str, str]) -> list[Edge]:
    """Edges between applications summed into edges between their blocs (or a bloc and a
    stub)."""
    counts: dict[tuple[str, str], int] = defaultdict(int)
    ends: dict[tuple[str, str], tuple[str, str]] = {}
    for edge in edges:
        source = cluster_of.get(edge.source, edge.source)
        target = cluster_of.get(edge.target, edge.target)
        if source == target:
            continue
        counts[(source, target)] += 1
        ends.setdefault((source, target), (edge.source, edge.target))
    summary = []
    for (source, target), count in sorted(counts.items()):
        tail, head = ends[(source, target)]
        summary.append(
            Edge(
                source=tail,
                target=head,
                label=plural(count, "flux", "flux") if count > 1 else "",
                tags=("flux", "flux:resume", f"poids:{min(count, 9)}"),
                tooltip=f"{plural(count, 'flux', 'flux')}",
                constraint=False,
                source_cluster=source if source != tail else "",
                target_cluster=target if target != head else "",
            )
        )
    return summary


def block_sort_key(portfolio: Portfolio, block_id: str) -> tuple[str, str, str]:
    """Blocs in the order of the POS: by zone, then by name."""
    if block_id == NO_BLOCK:
        return ("~", "~", "~")
    inventory = portfolio.inventory
    zone = inventory.zone_of(block_id)
    return (clean(inventory.blocks[zone].name), clean(inventory.blocks[block_id].name), block_id)


def detail_rows_of_blocks(widths: list[int]) -> int:
    """How many blocs per row on a detailed map: never more than DETAIL_BAND_WIDTH boxes."""
    return max(1, min(len(widths), DETAIL_BAND_WIDTH // max(max(widths, default=1), 1)))


def rows_of_blocks(widths: list[int], band_width: int = BAND_WIDTH) -> int:
    """How many blocs per row: as many as fit ``band_width`` box columns on average."""
    if not widths:
        return 1
    average = sum(widths) / len(widths)
    return max(1, min(len(widths), round(band_width / max(average, 1))))


def build_commune_map(portfolio: Portfolio, commune_id: str, options: MapOptions) -> View:
    """The commune's map; a big commune's is its overview — one box per bloc — unless
    ``--couche`` asks for some of its layers, drawn then as its detailed maps are."""
    applications = [
        app_id
        for app_id in portfolio.applications_of_commune(commune_id)
        if options.keeps(portfolio, app_id)
    ]
    if not is_big_commune(portfolio, commune_id):
        return _commune_view(portfolio, commune_id, applications, options, part=None)
    if options.layers:
        names = ", ".join(LAYER_LABELS[layer].split(" (")[0] for layer in options.layers)
        kind = "couche" if len(options.layers) == 1 else "couches"
        part = ("commune", commune_id, f"{kind} {names}")
        return _commune_view(portfolio, commune_id, applications, options, part=part)
    return _overview(portfolio, commune_id, applications, options)


def is_big_commune(portfolio: Portfolio, commune_id: str) -> bool:
    return len(portfolio.applications_of_commune(commune_id)) > BIG_COMMUNE


def commune_part_keys(portfolio: Portfolio, kind: str) -> list[str]:
    """``commune/layer`` or ``commune/zone`` for every big commune: the layers and zones
    where it has applications drawn by default (not retired). A zone whose applications are
    exactly one layer's (the interface layer is often the relation aux usagers zone) has no map
    of its own: the layer's says it all."""
    keys = []
    for commune_id in sorted(portfolio.communes()):
        if not is_big_commune(portfolio, commune_id):
            continue
        layers = _parts_of_commune(portfolio, commune_id, "couche")
        if kind == "couche":
            keys += [f"{commune_id}{SEPARATOR}{part}" for part in sorted(layers)]
            continue
        same = {frozenset(members) for members in layers.values()}
        zones = _parts_of_commune(portfolio, commune_id, "zone")
        keys += [
            f"{commune_id}{SEPARATOR}{part}"
            for part in sorted(zones)
            if frozenset(zones[part]) not in same
        ]
    return keys


_PARTS: WeakKeyDictionary[Portfolio, dict[tuple[str, str], dict[str, tuple[str, ...]]]] = (
    WeakKeyDictionary()
)


def _parts_of_commune(
    portfolio: Portfolio, commune_id: str, kind: str
) -> dict[str, tuple[str, ...]]:
    """The commune's applications drawn by default, by layer or by zone; computed once per
    portfolio (the atlas asks for every part of every big commune: at ×10, 3,400 times)."""
    memo = _PARTS.setdefault(portfolio, {})
    if (commune_id, kind) not in memo:
        parts = _commune_parts(portfolio, commune_id, kind)
        memo[commune_id, kind] = {part: tuple(members) for part, members in parts.items()}
    return dict(memo[commune_id, kind])


def _commune_parts(portfolio: Portfolio, commune_id: str, kind: str) -> dict[str, list[str]]:
    options = MapOptions()
    parts: dict[str, list[str]] = defaultdict(list)
    for app_id in portfolio.applications_of_commune(commune_id):
        if not options.keeps(portfolio, app_id):
            continue
        if kind == "couche":
            parts[portfolio.application(app_id).layer].append(app_id)
        else:
            block_id = primary_block(portfolio, app_id)
            if block_id is not None:
                parts[portfolio.inventory.zone_of(block_id)].append(app_id)
    return parts


def part_applications(
    portfolio: Portfolio, kind: str, key: str, options: MapOptions | None = None
) -> list[str]:
    """The applications a part of a commune shows: those of one layer (``commune-couche``,
    ``aurelle/metier``) or whose bloc lies in one zone (``commune-zone``)."""
    options = options or MapOptions()
    commune_id, part = key.split(SEPARATOR, 1)
    inventory = portfolio.inventory

    def inside(app_id: str) -> bool:
        if kind == "commune-couche":
            return portfolio.application(app_id).layer == part
        block_id = primary_block(portfolio, app_id)
        return block_id is not None and inventory.zone_of(block_id) == part

    return [
        app_id
        for app_id in portfolio.applications_of_commune(commune_id)
        if options.keeps(portfolio, app_id) and inside(app_id)
    ]


def part_name(portfolio: Portfolio, kind: str, key: str) -> str:
    """« couche Métier », « zone Relation aux usagers »."""
    part = key.split(SEPARATOR, 1)[1]
    if kind == "commune-couche":
        return f"couche {LAYER_LABELS[part].split(' (')[0]}"
    return f"zone {clean(portfolio.inventory.blocks[part].name)}"


def build_commune_layer_map(portfolio: Portfolio, key: str, options: MapOptions) -> View:
    """One layer of a big commune (``aurelle/metier``): its applications, their flows."""
    return _part_view(portfolio, "commune-couche", key, options)


def build_commune_zone_map(portfolio: Portfolio, key: str, options: MapOptions) -> View:
    """The applications of a big commune whose bloc lies in one zone (``aurelle/<zone>``)."""
    return _part_view(portfolio, "commune-zone", key, options)


def _part_view(portfolio: Portfolio, kind: str, key: str, options: MapOptions) -> View:
    applications = part_applications(portfolio, kind, key, options)
    part = (kind, key, part_name(portfolio, kind, key))
    return _commune_view(portfolio, key.split(SEPARATOR, 1)[0], applications, options, part=part)


def _commune_view(
    portfolio: Portfolio,
    commune_id: str,
    applications: list[str],
    options: MapOptions,
    part: tuple[str, str, str] | None,
) -> View:
    """The map of ``applications`` of the commune: the whole commune (``part`` None), or one
    part of it (its map kind, key and name), laid out to be read at full size."""
    inventory = portfolio.inventory
    commune = inventory.communes[commune_id]
    members = set(applications)
    scope = "carte" if part else "commune"
    outside = _outside_flows(portfolio, applications) if options.flows else {}
    nodes = [
        _with_stub(application_node(portfolio, app_id), outside.get(app_id), portfolio, scope)
        for app_id in applications
    ]

    def columns_of(count: int) -> int:
        return min(grid_columns(count), DETAIL_BLOC_WIDTH) if part else grid_columns(count)

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
                    columns=columns_of(len(members_of_block)),
                )
            )
        widths = [
            min(len(by_block[block_id]), columns_of(len(by_block[block_id]))) for block_id in blocks
        ]
        count = sum(len(group) for group in by_block.values())
        bands.append(
            Cluster(
                id=f"bande:{layer}",
                label=f"{LAYER_LABELS[layer]} — {plural(count, 'application')}",
                children=tuple(children),
                tags=(f"bande:{layer}",),
                columns=detail_rows_of_blocks(widths) if part else rows_of_blocks(widths),
            )
        )

    edges: list[Edge] = []
    notes: list[str] = []
    if options.flows:
        flows = [
            flow
            for app_id in applications
            for flow in portfolio.flows_from(app_id)
            if flow.target in members
        ]
        detailed = flow_edges(portfolio, flows, labels=False)
        if len(detailed) <= DETAIL_LIMIT:
            edges.extend(detailed)
        else:
            # Hundreds of flows between hundreds of boxes are unreadable, and cost dot tens of
            # seconds: between blocs, summed, the strongest first.
            cluster_of = {
                node_id: cluster.id
                for band in bands
                for cluster in band.children
                for node_id in cluster.nodes
            }
            summary = _summarise(detailed, cluster_of)
            edges.extend(
                sorted(
                    sorted(summary, key=_strength)[:SUMMARY_LIMIT],
                    key=lambda edge: (edge.source, edge.target),
                )
            )
            kept = min(len(summary), SUMMARY_LIMIT)
            notes.append(
                f"{plural(len(flows), 'flux', 'flux')} internes résumés entre blocs"
                + (
                    f" (les {kept} liaisons les plus fortes sur {len(summary)})"
                    if len(summary) > SUMMARY_LIMIT
                    else ""
                )
            )
        stubs = _stub_nodes(portfolio, outside)
        if stubs:
            nodes.extend(stubs)
            bands.append(
                Cluster(
                    id="bande:hors",
                    label=(
                        "Hors de cette carte : flux avec le reste de la commune et les autres "
                        "propriétaires"
                        if part
                        else "Hors de la commune : flux avec d'autres propriétaires"
                    ),
                    nodes=tuple(node.id for node in stubs),
                    tags=("bande:hors",),
                    columns=min(len(stubs), DETAIL_BAND_WIDTH if part else 8),
                )
            )

    shared = sum(1 for app_id in applications if portfolio.is_shared(app_id))
    subtitle = " — ".join(
        [
            f"{plural(len(applications), 'application')} dont {shared} mutualisée"
            f"{'s' if shared > 1 else ''}",
            *notes,
        ]
    )
    if part is not None:
        # Read at full size: no text under 10 pt (stubs, summed flows' labels).
        nodes = [node.changed(tags=(*node.tags, "lisible")) for node in nodes]
        edges = [edge.changed(tags=(*edge.tags, "lisible", "sans-poids")) for edge in edges]
    legend = [item for item in APPLICATION_LEGEND if options.flows or item.shape != "edge"]
    title = f"Patrimoine applicatif — {clean(commune.name)}"
    return View(
        kind="commune" if part is None else part[0],
        key=commune_id if part is None else part[1],
        title=title if part is None else f"{title} — {part[2]}",
        subtitle=subtitle,
        nodes=tuple(nodes),
        edges=tuple(edges),
        clusters=tuple(bands),
        legend=tuple(legend),
        direction="TB",
        columns=1,
        links=tuple(sorted({Ref("application", app_id) for app_id in applications})),
        straight_edges=part is not None,
    )


def _overview(
    portfolio: Portfolio, commune_id: str, applications: list[str], options: MapOptions
) -> View:
    """A big commune at a glance: its bands, one box per bloc (its applications, how many are
    shared, how many flows it has with the commune's other blocs) leading to the detailed map
    that shows them, and the commune's exchanges with other owners. No application's name is
    on it: renaming one does not draw it again."""
    inventory = portfolio.inventory
    commune = inventory.communes[commune_id]
    zones = set(commune_part_keys(portfolio, "zone"))
    by_layer: dict[str, dict[str, list[str]]] = {layer: defaultdict(list) for layer in LAYERS}
    box_of: dict[str, str] = {}
    for app_id in applications:
        layer = portfolio.application(app_id).layer
        block_id = primary_block(portfolio, app_id) or NO_BLOCK
        by_layer[layer][block_id].append(app_id)
        box_of[app_id] = f"bloc:{layer}:{block_id}"
    # Flows between the commune's applications of two different blocs, per bloc: drawn as
    # edges, two hundred of them crossed the whole map; the detailed maps draw each.
    crossing: dict[str, int] = defaultdict(int)
    if options.flows:
        members_set = set(applications)
        for app_id in applications:
            for flow in portfolio.flows_from(app_id):
                if flow.target in members_set and box_of[app_id] != box_of[flow.target]:
                    crossing[box_of[app_id]] += 1
                    crossing[box_of[flow.target]] += 1
    nodes: list[Node] = []
    bands: list[Cluster] = []
    for layer in LAYERS:
        blocks = sorted(by_layer[layer], key=lambda block_id: block_sort_key(portfolio, block_id))
        if not blocks:
            continue
        layer_map = Ref("commune-couche", f"{commune_id}{SEPARATOR}{layer}")
        for block_id in blocks:
            members = by_layer[layer][block_id]
            shared = sum(1 for app_id in members if portfolio.is_shared(app_id))
            name = "Sans bloc" if block_id == NO_BLOCK else clean(inventory.blocks[block_id].name)
            zone = "" if block_id == NO_BLOCK else inventory.zone_of(block_id)
            zone_key = f"{commune_id}{SEPARATOR}{zone}"
            box = f"bloc:{layer}:{block_id}"
            nodes.append(
                Node(
                    id=box,
                    label=(
                        *wrap(name, width=24, max_lines=2),
                        plural(len(members), "application")
                        + (
                            f" dont {shared} mutualisée{'s' if shared > 1 else ''}"
                            if shared
                            else ""
                        ),
                        *(
                            [f"↔ {plural(crossing[box], 'flux', 'flux')} avec d'autres blocs"]
                            if crossing[box]
                            else []
                        ),
                    ),
                    tags=(f"couche:{layer}", "bloc-commune"),
                    link=Ref("commune-zone", zone_key) if zone_key in zones else layer_map,
                    tooltip=f"{name} : "
                    + ", ".join(
                        clean(portfolio.application(app_id).name) for app_id in members[:12]
                    )
                    + (" …" if len(members) > 12 else ""),
                )
            )
        count = sum(len(members) for members in by_layer[layer].values())
        bands.append(
            Cluster(
                id=f"bande:{layer}",
                label=f"{LAYER_LABELS[layer]} — {plural(count, 'application')}",
                nodes=tuple(f"bloc:{layer}:{block_id}" for block_id in blocks),
                tags=(f"bande:{layer}",),
                columns=OVERVIEW_COLUMNS,
                link=layer_map,
            )
        )
    notes = [
        "une boîte par bloc, qui mène à la carte détaillée de ses applications et de leurs flux"
    ]
    if options.flows:
        outside = _outside_flows(portfolio, applications)
        stubs = _stub_nodes(portfolio, outside)
        if stubs:
            nodes.extend(stubs)
            bands.append(
                Cluster(
                    id="bande:hors",
                    label="Hors de la commune : flux avec d'autres propriétaires",
                    nodes=tuple(node.id for node in stubs),
                    tags=("bande:hors",),
                    columns=min(len(stubs), 8),
                )
            )
    # Read at full size, like the detailed maps: no text under 10 pt.
    nodes = [node.changed(tags=(*node.tags, "lisible")) for node in nodes]
    shared = sum(1 for app_id in applications if portfolio.is_shared(app_id))
    subtitle = " — ".join(
        [
            f"{plural(len(applications), 'application')} dont {shared} mutualisée"
            f"{'s' if shared > 1 else ''}",
            *notes,
        ]
    )
    return View(
        kind="commune",
        key=commune_id,
        title=f"Patrimoine applicatif — {clean(commune.name)} (vue d'ensemble)",
        subtitle=subtitle,
        nodes=tuple(nodes),
        clusters=tuple(bands),
        direction="TB",
        columns=1,
        links=(),
        straight_edges=True,
    )


def _outside_flows(portfolio: Portfolio, applications: list[str]) -> dict[str, dict[str, int]]:
    """Application -> {outside owner: number of flows}, for flows leaving the commune's set.

    Only the commune's own applications count: a flow between a shared application and another
    commune's application is that commune's business, not this one's.
    """
    inventory = portfolio.inventory
    members = set(applications)
    found: dict[str, dict[str, int]] = {}
    for app_id in applications:
        if portfolio.is_shared(app_id):
            continue
        for flow in portfolio.flows_of(app_id):
            other = flow.target if flow.source == app_id else flow.source
            if other not in members:
                owners = found.setdefault(app_id, {})
                owner = inventory.owners[other]
                owners[owner] = owners.get(owner, 0) + 1
    return found


def _with_stub(
    node: Node, owners: dict[str, int] | None, portfolio: Portfolio, scope: str = "commune"
) -> Node:
    """The stub of an application's flows out of the commune (or of the map, ``scope``): a last
    line and the tooltip.

    Drawn as edges to the border, hundreds of them crossed the whole map; a count on the box
    says the same at a glance, and the tooltip names the other side.
    """
    if not owners:
        return node
    total = sum(owners.values())
    names = ", ".join(
        f"{clean(portfolio.inventory.organisation_name(owner))} ({count})"
        for owner, count in sorted(owners.items())
    )
    return node.changed(
        label=(*node.label, f"↔ {plural(total, 'flux', 'flux')} hors {scope}"),
        tooltip=f"{node.tooltip} — flux hors {scope} : {names}",
        tags=(*node.tags, "souche-app"),
    )


def _stub_nodes(portfolio: Portfolio, outside: dict[str, dict[str, int]]) -> list[Node]:
    """One box per outside organisation the commune exchanges with, and how many flows."""
    inventory = portfolio.inventory
    counts: dict[str, int] = defaultdict(int)
    for owners in outside.values():
        for owner, count in owners.items():
            counts[owner] += count
    nodes = []
    for owner in sorted(counts):
        name = clean(inventory.organisation_name(owner))
        nodes.append(
            Node(
                id=f"souche:{owner}",
                label=(*wrap(name, width=22, max_lines=2), plural(counts[owner], "flux", "flux")),
                tags=("souche",),
                link=Ref("commune", owner) if owner in inventory.communes else None,
                tooltip=f"Flux avec les applications de {name}",
            )
        )
    return nodes

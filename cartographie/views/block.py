"""``carte bloc ID``: every application of a bloc, all communes together.

The bloc's name is the title and its description the subtitle. Applications are grouped by
commune; shared applications form their own group and name their users. Flows inside the bloc
are drawn with the data they carry; flows to other blocs are summarised: a count on each
application, and one box per other bloc with its total.

A bloc used by more than :data:`SPLIT_COMMUNES` communes (a métropole ten times the reference
one) would be one huge layout, whose drawing time grows much faster than its size: its map is
then an overview — the shared applications, one box per part — and each part, communes grouped
by secteur d'intervention (at most :data:`PART_COMMUNES` a part), has its own map
(``bloc-partie``, ``bloc/secteur``), as a reference bloc's.
"""

from __future__ import annotations

import re
from collections import defaultdict
from weakref import WeakKeyDictionary

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
# From this many communes a bloc's map is split by sector; each part has at most PART_COMMUNES.
SPLIT_COMMUNES = 20
PART_COMMUNES = 16
SEPARATOR = "/"
SAME_BLOCK = "="
_NUMBER = re.compile(r"(\d+)")


def _natural(text: str) -> tuple[object, ...]:
    """« Secteur Est 2 » before « Secteur Est 10 »."""
    return tuple(int(part) if part.isdigit() else part for part in _NUMBER.split(text))


def _communes_of(portfolio: Portfolio, applications: list[str]) -> set[str]:
    inventory = portfolio.inventory
    return {
        user
        for app_id in applications
        for user in inventory.users[app_id]
        if user in inventory.communes
    }


def _shown(portfolio: Portfolio, block_id: str, options: MapOptions) -> list[str]:
    return [
        app_id
        for app_id in portfolio.applications_of_block(block_id)
        if options.keeps(portfolio, app_id)
    ]


def block_parts(
    portfolio: Portfolio, block_id: str, options: MapOptions | None = None
) -> list[tuple[str, str, tuple[str, ...]]]:
    """The parts of a bloc's map, if it is split: (key, name, communes). Communes go with
    their first secteur d'intervention (sectors in the order of their names: « Est 2 » before
    « Est 10 »); sectors are gathered in order while a part holds at most PART_COMMUNES
    communes; communes in no sector come last, by name. Computed once per portfolio, bloc
    and options: the atlas asks it for every part of every bloc (at ×10, 2,900 times)."""
    options = options or MapOptions()
    memo = _PARTS.setdefault(portfolio, {})
    if (block_id, options) not in memo:
        memo[block_id, options] = tuple(_block_parts(portfolio, block_id, options))
    return list(memo[block_id, options])


_PARTS: WeakKeyDictionary[
    Portfolio, dict[tuple[str, MapOptions], tuple[tuple[str, str, tuple[str, ...]], ...]]
] = WeakKeyDictionary()


def _block_parts(
    portfolio: Portfolio, block_id: str, options: MapOptions
) -> list[tuple[str, str, tuple[str, ...]]]:
    inventory = portfolio.inventory
    communes = _communes_of(portfolio, _shown(portfolio, block_id, options))
    if len(communes) <= SPLIT_COMMUNES:
        return []
    sectors = sorted(inventory.sectors.values(), key=lambda item: (_natural(item.name), item.id))
    groups: list[tuple[str, str, list[str]]] = []
    placed: set[str] = set()
    for sector in sectors:
        members = [
            area.commune
            for area in sector.areas
            if area.commune in communes and area.commune not in placed
        ]
        if members:
            placed.update(members)
            groups.append((sector.id, clean(sector.name), members))
    rest = sorted(communes - placed, key=lambda item: (clean(inventory.communes[item].name), item))
    for start in range(0, len(rest), PART_COMMUNES):
        chunk = rest[start : start + PART_COMMUNES]
        groups.append((f"hors-secteur-{chunk[0]}", "hors secteur", chunk))
    parts: list[tuple[str, list[str], list[str]]] = []  # (key, names, communes)
    for key, name, members in groups:
        if parts and len(parts[-1][2]) + len(members) <= PART_COMMUNES:
            parts[-1][1].append(name)
            parts[-1][2].extend(members)
        else:
            parts.append((key, [name], list(members)))
    return [
        (
            f"{block_id}{SEPARATOR}{key}",
            names[0] if len(names) == 1 else f"{names[0]} à {names[-1]}",
            tuple(sorted(members)),
        )
        for key, names, members in parts
    ]


def block_part_keys(portfolio: Portfolio) -> list[str]:
    """``bloc/part`` for every bloc whose map is split."""
    return [
        key
        for block_id in sorted(portfolio.leaf_blocks())
        for key, _n, _c in block_parts(portfolio, block_id)
    ]


def part_applications(
    portfolio: Portfolio, key: str, options: MapOptions | None = None
) -> list[str]:
    """The applications a part of a bloc shows: those its communes use (shared ones too)."""
    options = options or MapOptions()
    block_id = key.split(SEPARATOR, 1)[0]
    part = next(item for item in block_parts(portfolio, block_id, options) if item[0] == key)
    communes = set(part[2])
    return [
        app_id
        for app_id in _shown(portfolio, block_id, options)
        if communes.intersection(portfolio.inventory.users[app_id])
    ]


def build_block_map(portfolio: Portfolio, block_id: str, options: MapOptions) -> View:
    parts = block_parts(portfolio, block_id, options)
    if parts:
        return _overview(portfolio, block_id, options, parts)
    return _block_view(portfolio, block_id, _shown(portfolio, block_id, options), options)


def build_block_part_map(portfolio: Portfolio, key: str, options: MapOptions) -> View:
    """One part of a split bloc (``etat-civil/secteur-est``): its communes' applications."""
    block_id = key.split(SEPARATOR, 1)[0]
    name = next(item[1] for item in block_parts(portfolio, block_id, options) if item[0] == key)
    applications = part_applications(portfolio, key, options)
    return _block_view(portfolio, block_id, applications, options, part=(key, name))


def _block_view(
    portfolio: Portfolio,
    block_id: str,
    applications: list[str],
    options: MapOptions,
    part: tuple[str, str] | None = None,
) -> View:
    inventory = portfolio.inventory
    block = inventory.blocks[block_id]
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
        summary_nodes, per_application = _other_blocks(
            portfolio, applications, members, block_id, part is not None
        )
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

    communes = _communes_of(portfolio, applications)
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
        kind="bloc" if part is None else "bloc-partie",
        key=block_id if part is None else part[0],
        title=f"Bloc fonctionnel — {clean(block.name)}"
        + ("" if part is None else f" — secteurs {part[1]}"),
        subtitle=subtitle,
        nodes=tuple(nodes),
        edges=tuple(edges),
        clusters=tuple(clusters),
        legend=tuple(legend),
        direction="TB",
        columns=3 if len(clusters) > 4 else max(len(clusters), 1),
        links=tuple(sorted({Ref("application", app_id) for app_id in applications})),
    )


def _overview(
    portfolio: Portfolio,
    block_id: str,
    options: MapOptions,
    parts: list[tuple[str, str, tuple[str, ...]]],
) -> View:
    """A split bloc: its shared applications, one box per part (its communes and applications,
    linked to its map), and the flows between them, summed."""
    inventory = portfolio.inventory
    block = inventory.blocks[block_id]
    applications = _shown(portfolio, block_id, options)
    shared = [
        app_id
        for app_id in applications
        if portfolio.is_shared(app_id) and not inventory.is_external(app_id)
    ]
    part_of_commune = {commune: key for key, _name, communes in parts for commune in communes}
    box_of: dict[str, str] = {app_id: app_node_id(app_id) for app_id in shared}
    counts: dict[str, int] = defaultdict(int)
    for app_id in applications:
        if app_id in box_of:
            continue
        users = [user for user in inventory.users[app_id] if user in part_of_commune]
        if users:
            box_of[app_id] = f"partie:{part_of_commune[users[0]]}"
            counts[box_of[app_id]] += 1
    nodes = [
        application_node(portfolio, app_id, communes_caption(portfolio, app_id))
        for app_id in shared
    ]
    for key, name, communes in parts:
        nodes.append(
            Node(
                id=f"partie:{key}",
                label=(
                    *wrap(f"Secteurs {name}", width=26, max_lines=2),
                    f"{plural(len(communes), 'commune')}, "
                    f"{plural(counts[f'partie:{key}'], 'application')} propres",
                ),
                tags=("groupe-commune",),
                link=Ref("bloc-partie", key),
                tooltip=", ".join(clean(inventory.communes[item].name) for item in communes),
            )
        )
    clusters = []
    if shared:
        clusters.append(
            Cluster(
                id=f"groupe:{SHARED_GROUP}",
                label=f"Applications mutualisées ({len(shared)})",
                nodes=tuple(app_node_id(app_id) for app_id in shared),
                tags=("groupe:partagees",),
                columns=grid_columns(len(shared)),
            )
        )
    clusters.append(
        Cluster(
            id="parties",
            label="Par secteurs d'intervention : chaque boîte mène à sa carte",
            nodes=tuple(f"partie:{key}" for key, _name, _communes in parts),
            tags=("groupe",),
            columns=min(len(parts), 4),
        )
    )
    edges = []
    if options.flows:
        summed: dict[tuple[str, str], int] = defaultdict(int)
        for flow in portfolio.flows_among(applications):
            source, target = box_of.get(flow.source), box_of.get(flow.target)
            if source and target and source != target:
                summed[(source, target)] += 1
        edges = [
            Edge(
                source=source,
                target=target,
                label=plural(count, "flux", "flux"),
                tags=("flux", "flux:resume", f"poids:{min(count, 9)}"),
                tooltip=plural(count, "flux", "flux"),
                constraint=False,
            )
            for (source, target), count in sorted(summed.items())
        ]
    served = _communes_of(portfolio, applications)
    subtitle = " — ".join(
        item
        for item in (
            clean(block.description or ""),
            f"{plural(len(applications), 'application')}, {plural(len(served), 'commune')} : "
            "une carte par groupe de secteurs d'intervention",
        )
        if item
    )
    return View(
        kind="bloc",
        key=block_id,
        title=f"Bloc fonctionnel — {clean(block.name)}",
        subtitle=subtitle,
        nodes=tuple(nodes),
        edges=tuple(edges),
        clusters=tuple(clusters),
        legend=tuple(item for item in APPLICATION_LEGEND if item.shape == "node")[:2],
        direction="TB",
        columns=1,
        links=tuple(sorted({Ref("application", app_id) for app_id in shared})),
    )


def _other_blocks(
    portfolio: Portfolio,
    applications: list[str],
    members: set[str],
    block_id: str,
    part: bool = False,
) -> tuple[list[Node], dict[str, int]]:
    """One box per other bloc the bloc exchanges with (and how many flows), and per application
    its number of flows with other blocs; on a part of a split bloc, one more box for the flows
    with the bloc's other parts.

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
                if not part:
                    continue
                other_block = SAME_BLOCK
            totals[other_block] += 1
            per_application[app_id] += 1
    nodes = []
    for other_block in sorted(totals):
        if other_block == SAME_BLOCK:
            nodes.append(
                Node(
                    id="autre-bloc:=",
                    label=("Ce bloc, autres secteurs", plural(totals[other_block], "flux", "flux")),
                    tags=("autre-bloc",),
                    link=Ref("bloc", block_id),
                    tooltip="Flux avec les applications du bloc des autres secteurs",
                )
            )
            continue
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
    return node.changed(
        label=(*node.label, f"↔ {plural(count, 'flux', 'flux')} hors bloc"),
        tags=(*node.tags, "souche-app"),
    )

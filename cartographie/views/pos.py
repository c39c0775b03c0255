"""``carte pos``: the plan d'occupation des sols — zones > quartiers > blocs.

Zones and quartiers are nested boxes; each bloc is a box showing how many applications serve it
and its taux de convergence (DESIGN.md §7, computed by ``analysis.convergence`` so that the figure
is the one the reports print), drawn on a colour scale explained by the legend.
"""

from __future__ import annotations

from cartographie.analysis.convergence import BlockConvergence, all_block_convergence
from cartographie.analysis.stats import engaged_communes
from cartographie.graph import Portfolio
from cartographie.views.common import MapOptions, grid_columns
from cartographie.views.model import Cluster, LegendItem, Node, Ref, View
from cartographie.views.text import clean, percent, plural, wrap

HEAT_LEGEND: tuple[LegendItem, ...] = (
    LegendItem("Convergence < 20 %", ("bloc-pos",), heat=0.1),
    LegendItem("20 – 40 %", ("bloc-pos",), heat=0.3),
    LegendItem("40 – 60 %", ("bloc-pos",), heat=0.5),
    LegendItem("60 – 80 %", ("bloc-pos",), heat=0.7),
    LegendItem("80 % et plus", ("bloc-pos",), heat=0.9),
    LegendItem("Aucune application", ("bloc-pos",)),
)


def block_node_id(block_id: str) -> str:
    return f"bloc:{block_id}"


def build_pos_map(portfolio: Portfolio, key: str, options: MapOptions) -> View:
    inventory = portfolio.inventory
    convergence = all_block_convergence(portfolio)
    nodes: list[Node] = []
    zones: list[Cluster] = []
    for zone_id in sorted(
        portfolio.zones(), key=lambda item: (clean(inventory.blocks[item].name), item)
    ):
        quartiers: list[Cluster] = []
        loose: list[str] = []
        for child in _by_name(portfolio, portfolio.children_of(zone_id)):
            if inventory.blocks[child].level == "quartier":
                blocks = [
                    block_id
                    for block_id in _by_name(portfolio, portfolio.blocks_under(child))
                    if inventory.blocks[block_id].level == "bloc"
                ]
                nodes.extend(
                    _block_node(portfolio, block_id, convergence, options) for block_id in blocks
                )
                quartiers.append(
                    Cluster(
                        id=f"quartier:{child}",
                        label=clean(inventory.blocks[child].name),
                        nodes=tuple(block_node_id(block_id) for block_id in blocks),
                        tags=("quartier",),
                        columns=min(grid_columns(len(blocks)), 3),
                    )
                )
            else:
                for block_id in _by_name(portfolio, portfolio.blocks_under(child)):
                    if inventory.blocks[block_id].level == "bloc":
                        loose.append(block_id)
                        nodes.append(_block_node(portfolio, block_id, convergence, options))
        if loose:
            quartiers.append(
                Cluster(
                    id=f"quartier:{zone_id}:-",
                    label="",
                    nodes=tuple(block_node_id(block_id) for block_id in loose),
                    tags=("quartier",),
                    columns=min(grid_columns(len(loose)), 3),
                )
            )
        zones.append(
            Cluster(
                id=f"zone:{zone_id}",
                label=clean(inventory.blocks[zone_id].name),
                children=tuple(quartiers),
                tags=("zone",),
                columns=min(len(quartiers), 4) or 1,
            )
        )
    applications = {
        app_id
        for block_id in portfolio.leaf_blocks()
        for app_id in portfolio.applications_of_block(block_id, recursive=False)
        if options.keeps(portfolio, app_id)
    }
    return View(
        kind="pos",
        key="pos",
        title=f"Plan d'occupation des sols — {clean(inventory.metropole.name)}",
        subtitle=(
            f"{engaged_communes(inventory)} ; "
            f"{plural(len(portfolio.leaf_blocks()), 'bloc')} fonctionnels, "
            f"{plural(len(applications), 'application')} ; couleur : taux de convergence "
            "(1 − (applications − 1) / (couples commune × application − 1))"
        ),
        nodes=tuple(nodes),
        clusters=tuple(zones),
        legend=HEAT_LEGEND,
        direction="TB",
        # Zones as bands, one under the other, as on a town-planning map.
        columns=1,
        links=tuple(sorted(Ref("bloc", block_id) for block_id in portfolio.leaf_blocks())),
    )


def _by_name(portfolio: Portfolio, block_ids: list[str]) -> list[str]:
    blocks = portfolio.inventory.blocks
    return sorted(block_ids, key=lambda block_id: (clean(blocks[block_id].name), block_id))


def _block_node(
    portfolio: Portfolio,
    block_id: str,
    convergence: dict[str, BlockConvergence],
    options: MapOptions,
) -> Node:
    block = portfolio.inventory.blocks[block_id]
    applications = [
        app_id
        for app_id in portfolio.applications_of_block(block_id)
        if options.keeps(portfolio, app_id)
    ]
    figures = convergence.get(block_id)
    label = [*wrap(block.name, width=22, max_lines=2), plural(len(applications), "application")]
    heat = None
    if figures is not None and applications:
        # One application (or one use pair) is converged by definition: rate 1, not « aucune ».
        label.append(f"convergence {percent(figures.rate)}")
        heat = figures.rate
    return Node(
        id=block_node_id(block_id),
        label=tuple(label),
        tags=("bloc-pos",),
        link=Ref("bloc", block_id),
        tooltip=clean(block.description or block.name),
        heat=heat,
    )

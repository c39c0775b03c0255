"""``carte diff A [B]``: what a change touches, for the committee.

The applications the change adds (green), removes (red), renames or modifies (orange), with
their neighbours — the applications they exchange flows with — in grey; the flows added,
removed and modified the same way. Applications are grouped by owner (commune, métropole,
partner). Removed applications and flows are drawn from the base, the rest from the proposed
version.

The change itself is given as plain states (``application id -> ajout | retrait | renommage |
modification``, ``flow key -> …``): this module does not import the diff package (both sit on
the same layer), the caller passes ``ChangeSet.application_states()`` and
``ChangeSet.flow_states()``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import replace

from cartographie.graph import Portfolio
from cartographie.model.records import Flow
from cartographie.views.common import app_node_id, application_node, grid_columns
from cartographie.views.model import Cluster, Edge, LegendItem, Ref, View
from cartographie.views.text import clean, plural

# State -> the tag the renderer's style table colours (render/styles.py).
STATE_TAGS = {
    "ajout": "diff:ajout",
    "retrait": "diff:retrait",
    "renommage": "diff:modification",
    "modification": "diff:modification",
}
NEIGHBOUR_TAG = "diff:voisin"

DIFF_LEGEND: tuple[LegendItem, ...] = (
    LegendItem("Application ajoutée", ("couche:metier", "diff:ajout")),
    LegendItem("Application retirée", ("couche:metier", "diff:retrait")),
    LegendItem("Application modifiée ou renommée", ("couche:metier", "diff:modification")),
    LegendItem("Voisine (inchangée)", ("couche:metier", "diff:voisin")),
    LegendItem("Flux ajouté", ("flux", "flux:ajout"), shape="edge"),
    LegendItem("Flux retiré", ("flux", "flux:retrait"), shape="edge"),
    LegendItem("Flux modifié", ("flux", "flux:modification"), shape="edge"),
    LegendItem("Flux inchangé", ("flux",), shape="edge"),
)


def build_diff_map(
    base: Portfolio | None,
    proposed: Portfolio,
    application_states: Mapping[str, str],
    flow_states: Mapping[str, str],
    title: str = "Changement",
    *,
    flow_ends_neighbours: bool = True,
) -> View:
    """The map of a change: touched applications, their neighbours, the flows between them.

    ``flow_ends_neighbours=False``: the ends of a changed flow are shown without their own
    neighbours — for a scenario, whose flows change only because an application leaves: the
    other flows of their ends say nothing of it, and those of the finances or of the hub would
    draw most of the portfolio."""
    removed = {app for app, state in application_states.items() if state == "retrait"}
    touched = set(application_states)
    # Flows that changed touch their ends too (a new flow between two unchanged applications).
    changed_flows: list[tuple[Flow, str, Portfolio]] = []
    for flow in proposed.inventory.flows:
        state = flow_states.get(flow.key)
        if state is not None and state != "retrait":
            changed_flows.append((flow, state, proposed))
    if base is not None:
        for flow in base.inventory.flows:
            if flow_states.get(flow.key) == "retrait":
                changed_flows.append((flow, "retrait", base))
    for flow, _state, _side in changed_flows:
        touched.update((flow.source, flow.target))

    shown: dict[str, Portfolio] = {}
    for app_id in sorted(touched):
        side = base if app_id in removed else proposed
        if side is not None and app_id in side.inventory.applications:
            shown[app_id] = side
    neighbours: set[str] = set()
    for app_id, side in list(shown.items()):
        if not flow_ends_neighbours and app_id not in application_states:
            continue
        for flow in side.flows_of(app_id):
            for end in (flow.source, flow.target):
                if end not in shown and end in side.inventory.applications:
                    neighbours.add(end)
                    shown.setdefault(end, side)

    nodes = []
    groups: dict[str, list[str]] = defaultdict(list)
    for app_id, side in sorted(shown.items()):
        node = application_node(side, app_id)
        state = application_states.get(app_id)
        tag = STATE_TAGS[state] if state else NEIGHBOUR_TAG
        label = node.label
        if state == "renommage":
            label = (*label, "(renommée)")
        nodes.append(replace(node, label=label, tags=(*node.tags, tag)))
        groups[side.inventory.owners[app_id]].append(app_id)

    edges = _edges(shown, touched, changed_flows, flow_states, proposed)
    clusters = []
    names: dict[str, str] = {**_names(base), **_names(proposed)}

    def name_of(owner: str) -> str:
        return clean(names[owner]) if owner in names else owner

    for owner in sorted(groups, key=lambda owner: (name_of(owner), owner)):
        members = groups[owner]
        clusters.append(
            Cluster(
                id=f"proprietaire:{owner}",
                label=f"{name_of(owner)} ({len(members)})",
                nodes=tuple(app_node_id(app_id) for app_id in members),
                tags=("groupe",),
                link=Ref("commune", owner) if owner in proposed.inventory.communes else None,
                columns=grid_columns(len(members)),
            )
        )
    changed = len(application_states)
    subtitle = (
        f"{plural(changed, 'application')} touchée{'s' if changed > 1 else ''}, "
        f"{plural(len(flow_states), 'flux', 'flux')} touché{'s' if len(flow_states) > 1 else ''}, "
        f"{plural(len(neighbours), 'voisine')}"
    )
    return View(
        kind="diff",
        key="changement",
        title=clean(title),
        subtitle=subtitle,
        nodes=tuple(nodes),
        edges=edges,
        clusters=tuple(clusters),
        legend=DIFF_LEGEND,
        direction="LR",
        columns=min(len(clusters), 3),
        links=tuple(
            sorted(Ref("application", app_id) for app_id in shown if app_id not in removed)
        ),
        notes=() if nodes else ("Le changement ne touche aucune application ni aucun flux.",),
    )


def _names(portfolio: Portfolio | None) -> dict[str, str]:
    if portfolio is None:
        return {}
    inventory = portfolio.inventory
    names: dict[str, str] = {key: value.name for key, value in inventory.communes.items()}
    names.update((key, value.name) for key, value in inventory.partners.items())
    names[inventory.metropole.id] = inventory.metropole.name
    return names


def _edges(
    shown: dict[str, Portfolio],
    touched: set[str],
    changed_flows: list[tuple[Flow, str, Portfolio]],
    flow_states: Mapping[str, str],
    proposed: Portfolio,
) -> tuple[Edge, ...]:
    """Changed flows coloured by state; unchanged flows of the touched applications in grey
    (not those between two neighbours: they say nothing of the change). One edge per flow (a
    pair may carry a removed and an added flow: both are drawn)."""
    found: dict[tuple[str, str, str], Edge] = {}
    for flow, state, side in changed_flows:
        found[(flow.source, flow.target, flow.key)] = _edge(
            flow, side, ("flux", f"flux:{_tag(state)}")
        )
    for flow in proposed.flows_among(app for app, side in shown.items() if side is proposed):
        key = (flow.source, flow.target, flow.key)
        if flow.source not in touched and flow.target not in touched:
            continue
        if key not in found and flow.key not in flow_states:
            found[key] = replace(_edge(flow, proposed, ("flux",)), label="")
    return tuple(found[key] for key in sorted(found))


def _tag(state: str) -> str:
    return "modification" if state == "renommage" else state


def _edge(flow: Flow, side: Portfolio, tags: tuple[str, ...]) -> Edge:
    data = clean(side.inventory.data_objects[flow.data].name)
    return Edge(
        source=app_node_id(flow.source),
        target=app_node_id(flow.target),
        label=data,
        tags=tags,
        tooltip=f"{flow.source} → {flow.target} : {data}",
        constraint=True,
    )

"""What every map kind shares: options, application boxes, flow aggregation, layout sizes."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from weakref import WeakKeyDictionary

from cartographie.graph import Portfolio
from cartographie.model.records import Flow
from cartographie.model.vocabulary import LAYER_LABELS, LIFECYCLE_LABELS
from cartographie.views.model import Edge, LegendItem, Node, Ref
from cartographie.views.text import clean, plural, wrap

# Retired applications are history: maps leave them out unless ``--cycle retiree`` asks.
DEFAULT_LIFECYCLES: tuple[str, ...] = ("projet", "production", "convergence", "a-retirer")


@dataclass(frozen=True)
class MapOptions:
    """Filters of the map kinds: ``--couche``, ``--cycle``, ``--sans-flux``, ``--commune``."""

    layers: tuple[str, ...] = ()  # empty: every layer
    lifecycles: tuple[str, ...] = ()  # empty: DEFAULT_LIFECYCLES
    flows: bool = True
    commune: str | None = None  # processes: one commune's applications only

    def keeps(self, portfolio: Portfolio, application_id: str) -> bool:
        application = portfolio.application(application_id)
        if self.layers and application.layer not in self.layers:
            return False
        return application.lifecycle in (self.lifecycles or DEFAULT_LIFECYCLES)


_MEMO: WeakKeyDictionary[Portfolio, dict[tuple[str, ...], frozenset[str]]] = WeakKeyDictionary()


def _memo(portfolio: Portfolio) -> dict[tuple[str, ...], frozenset[str]]:
    return _MEMO.setdefault(portfolio, {})


def commune_applications(portfolio: Portfolio, commune_id: str) -> frozenset[str]:
    """``portfolio.applications_of_commune`` as a set, computed once per portfolio: the atlas
    asks it for every step of every process of every commune."""
    memo = _memo(portfolio)
    key = ("commune", commune_id)
    if key not in memo:
        memo[key] = frozenset(portfolio.applications_of_commune(commune_id))
    return memo[key]


def step_applications(
    portfolio: Portfolio, process_id: str, step_id: str, commune_id: str | None = None
) -> list[str]:
    """``portfolio.applications_of_step``, each (process, step) computed once per portfolio."""
    memo = _memo(portfolio)
    key = ("step", process_id, step_id)
    if key not in memo:
        memo[key] = frozenset(portfolio.applications_of_step(process_id, step_id))
    found = memo[key]
    if commune_id is not None:
        found = found & commune_applications(portfolio, commune_id)
    return sorted(found)


_STEPS: WeakKeyDictionary[Portfolio, dict[tuple[str, str, str], tuple[str, ...]]] = (
    WeakKeyDictionary()
)


def _per_step(
    portfolio: Portfolio,
    kind: str,
    process_id: str,
    step_id: str,
    compute: Callable[[str, str], Iterable[str]],
) -> tuple[str, ...]:
    """``compute(process_id, step_id)``, done once per portfolio, step and ``kind``."""
    memo = _STEPS.setdefault(portfolio, {})
    key = (kind, process_id, step_id)
    found = memo.get(key)
    if found is None:
        found = memo[key] = tuple(compute(process_id, step_id))
    return found


def next_steps(portfolio: Portfolio, process_id: str, step_id: str) -> tuple[str, ...]:
    """``portfolio.next_steps``, each step's computed once per portfolio: a process's map is
    drawn for every commune, and asks it twice per step."""
    return _per_step(portfolio, "suivantes", process_id, step_id, portfolio.next_steps)


def step_sectors(portfolio: Portfolio, process_id: str, step_id: str) -> tuple[str, ...]:
    """``portfolio.sectors_of_step``, each step's computed once per portfolio."""
    return _per_step(portfolio, "secteurs", process_id, step_id, portfolio.sectors_of_step)


def app_node_id(application_id: str) -> str:
    return f"app:{application_id}"


def primary_block(portfolio: Portfolio, application_id: str) -> str | None:
    """The bloc an application is drawn in: the first it lists."""
    blocks = portfolio.application(application_id).blocks
    return blocks[0] if blocks else None


def application_tags(portfolio: Portfolio, application_id: str) -> tuple[str, ...]:
    application = portfolio.application(application_id)
    tags = [f"couche:{application.layer}"]
    if portfolio.inventory.is_external(application_id):
        tags.append("externe")
    elif portfolio.is_shared(application_id):
        tags.append("partagee")
    if application.lifecycle != "production":
        tags.append(f"cycle:{application.lifecycle}")
    if application.hub:
        tags.append("hub")
    return tuple(tags)


def application_tooltip(portfolio: Portfolio, application_id: str) -> str:
    inventory = portfolio.inventory
    application = portfolio.application(application_id)
    parts = [clean(application.name)]
    if application.product is not None:
        product = inventory.products[application.product]
        parts.append(f"{clean(product.name)} ({clean(inventory.vendors[product.vendor].name)})")
    parts.append(LAYER_LABELS[application.layer])
    parts.append(LIFECYCLE_LABELS[application.lifecycle])
    users = [user for user in inventory.users[application_id] if user in inventory.communes]
    if len(users) > 1:
        parts.append(f"utilisée par {plural(len(users), 'commune')}")
    parts.append(
        f"propriétaire : {clean(inventory.organisation_name(inventory.owners[application_id]))}"
    )
    return " — ".join(parts)


_NODES: WeakKeyDictionary[Portfolio, dict[tuple[str, str | None], Node]] = WeakKeyDictionary()


def application_node(portfolio: Portfolio, application_id: str, caption: str | None = None) -> Node:
    """The box of an application: its name wrapped, a caption line, tags, link, tooltip.

    Made once per portfolio (a node is immutable): an application shows on several maps.
    """
    nodes = _NODES.setdefault(portfolio, {})
    node = nodes.get((application_id, caption))
    if node is None:
        node = nodes[(application_id, caption)] = _application_node(
            portfolio, application_id, caption
        )
    return node


def _application_node(portfolio: Portfolio, application_id: str, caption: str | None) -> Node:
    label = wrap(portfolio.application(application_id).name, width=24, max_lines=3)
    if caption:
        label = (*label, *wrap(caption, width=28, max_lines=1))
    return Node(
        id=app_node_id(application_id),
        label=label,
        tags=application_tags(portfolio, application_id),
        link=Ref("application", application_id),
        tooltip=application_tooltip(portfolio, application_id),
    )


def communes_caption(portfolio: Portfolio, application_id: str, limit: int = 3) -> str:
    """``Utilisée par : A, B, C`` or ``Utilisée par 9 communes``."""
    inventory = portfolio.inventory
    users = [user for user in inventory.users[application_id] if user in inventory.communes]
    if len(users) > limit:
        return f"utilisée par {plural(len(users), 'commune')}"
    names = sorted(clean(inventory.communes[user].name) for user in users)
    return "utilisée par " + ", ".join(names) if names else ""


def grid_columns(count: int) -> int:
    """How many boxes per row in a group of ``count`` boxes (a squat block, never a long line)."""
    if count <= 3:
        return max(count, 1)
    if count <= 9:
        return 3
    if count <= 20:
        return 4
    return 5


def flow_edges(
    portfolio: Portfolio,
    flows: Iterable[Flow],
    *,
    labels: bool,
    constraint: bool = False,
) -> tuple[Edge, ...]:
    """One edge per (source, target) pair; several flows on a pair are listed in the tooltip.

    With ``labels``, flows both ways between two applications are one edge with two arrow
    heads: dot draws two labelled edges between the same boxes with their labels on each other.
    """
    inventory = portfolio.inventory
    grouped: dict[tuple[str, str], list[Flow]] = defaultdict(list)
    for flow in flows:
        grouped[(flow.source, flow.target)].append(flow)
    edges = []
    for (source, target), group in sorted(grouped.items()):
        back = grouped.get((target, source), []) if labels and source != target else []
        if back and source > target:
            continue  # drawn with the other direction
        data = sorted({clean(inventory.data_objects[flow.data].name) for flow in group})
        data_back = sorted({clean(inventory.data_objects[flow.data].name) for flow in back})
        via_hub = any(flow.via is not None for flow in (*group, *back))
        label = ""
        if labels:
            every = sorted({*data, *data_back})
            label = every[0] if len(every) == 1 else plural(len(every), "donnée")
        source_name = clean(portfolio.application(source).name)
        target_name = clean(portfolio.application(target).name)
        tooltip = f"{source_name} → {target_name} : " + ", ".join(data)
        if back:
            tooltip += f" ; {target_name} → {source_name} : " + ", ".join(data_back)
        tags = ("flux", "flux:hub") if via_hub else ("flux",)
        edges.append(
            Edge(
                source=app_node_id(source),
                target=app_node_id(target),
                label=label,
                tags=(*tags, "deux-sens") if back else tags,
                tooltip=tooltip,
                constraint=constraint,
            )
        )
    return tuple(edges)


APPLICATION_LEGEND: tuple[LegendItem, ...] = (
    LegendItem("Application", ("couche:metier",)),
    LegendItem("Mutualisée (plusieurs communes)", ("couche:metier", "partagee")),
    LegendItem("Hub de données", ("couche:support", "hub")),
    LegendItem("À retirer", ("couche:metier", "cycle:a-retirer")),
    LegendItem("En projet", ("couche:metier", "cycle:projet")),
    LegendItem("Flux", ("flux",), shape="edge"),
    LegendItem("Flux via le hub", ("flux", "flux:hub"), shape="edge"),
)

"""The neutral view: what a map shows, before any drawing.

A map kind builds a :class:`View` from the portfolio: a title, clusters (nested boxes), nodes,
edges and a legend. Nothing here knows Graphviz: styles are named by *tags* (``couche:metier``,
``cycle:a-retirer``, ``partagee``), which the renderer's style table turns into attributes, and
links name the object a node stands for (:class:`Ref`), which the caller turns into URLs. So a
view can be tested without Graphviz, and other outputs (HTML, JSON) can reuse it.

Every collection is a tuple, sorted by the builder: a view is deterministic and hashable data.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# The kinds of objects a node or a cluster can link to; each has a page in the atlas.
RefKind = str  # "commune" | "bloc" | "processus" | "application" | "pos"


@dataclass(frozen=True, order=True)
class Ref:
    """The object a node stands for: its kind and inventory id."""

    kind: RefKind
    id: str


@dataclass(frozen=True)
class Node:
    """One box of the map. ``label`` lines are already wrapped; text is raw (unescaped)."""

    id: str
    label: tuple[str, ...]
    tags: tuple[str, ...] = ()
    link: Ref | None = None
    tooltip: str = ""
    # A value in [0, 1] drawn as a colour scale (the POS's taux de convergence).
    heat: float | None = None

    def changed(
        self,
        *,
        label: tuple[str, ...] | None = None,
        tags: tuple[str, ...] | None = None,
        tooltip: str | None = None,
    ) -> Node:
        """This node with another label, tags or tooltip: ``dataclasses.replace`` without its
        generic machinery (~15 µs a call; the atlas's views change 5,000 boxes)."""
        return Node(
            self.id,
            self.label if label is None else label,
            self.tags if tags is None else tags,
            self.link,
            self.tooltip if tooltip is None else tooltip,
            self.heat,
        )


@dataclass(frozen=True)
class Cluster:
    """A box of boxes: a band, a bloc, a commune, a zone. ``children`` are nested clusters."""

    id: str
    label: str
    nodes: tuple[str, ...] = ()
    children: tuple[Cluster, ...] = ()
    tags: tuple[str, ...] = ()
    link: Ref | None = None
    # Lay the nodes out in rows of at most this many (0: let Graphviz decide). Keeps a bloc of
    # 30 applications from stretching into one absurdly wide line.
    columns: int = 0


@dataclass(frozen=True)
class Edge:
    """A flow, a step to the next, a summarised link between blocs."""

    source: str
    target: str
    label: str = ""
    tags: tuple[str, ...] = ()
    tooltip: str = ""
    # False: the edge does not pull the layout (flows across bands would otherwise scramble it).
    constraint: bool = True
    # Draw the edge from/to the border of these clusters (a summarised flow between blocs).
    source_cluster: str = ""
    target_cluster: str = ""

    def changed(self, *, tags: tuple[str, ...]) -> Edge:
        """This edge with other tags (see :meth:`Node.changed`)."""
        return Edge(
            self.source,
            self.target,
            self.label,
            tags,
            self.tooltip,
            self.constraint,
            self.source_cluster,
            self.target_cluster,
        )


@dataclass(frozen=True)
class LegendItem:
    """One line of the legend: a sample drawn with ``tags`` and its meaning."""

    label: str
    tags: tuple[str, ...]
    shape: str = "node"  # "node" or "edge"
    heat: float | None = None


@dataclass(frozen=True)
class View:
    """A whole map: what the renderer draws and what the atlas links to."""

    kind: str
    key: str  # the object mapped ("ville-centre", "proximite", "gdu", "pos")
    title: str
    subtitle: str = ""
    nodes: tuple[Node, ...] = ()
    edges: tuple[Edge, ...] = ()
    clusters: tuple[Cluster, ...] = ()
    legend: tuple[LegendItem, ...] = ()
    # Left to right (processes) or top to bottom (bands).
    direction: str = "TB"
    # Top-level clusters in rows of this many (1: stacked bands); 0: let Graphviz place them.
    columns: int = 0
    # Groups of nodes drawn side by side, in this order (a process's steps). Only for small maps:
    # it needs Graphviz's ``newrank``, measured 5–10× slower on big ones (DESIGN.md §5).
    same_rank: tuple[tuple[str, ...], ...] = ()
    # Inventory objects shown on the map (for the atlas's pages and incremental rebuilds).
    links: tuple[Ref, ...] = field(default=())
    notes: tuple[str, ...] = ()
    # Edges as straight lines under the boxes: flows between bands no longer detour around the
    # whole map (which made a big commune's detailed maps twice as wide as their boxes).
    straight_edges: bool = False

    def node(self, node_id: str) -> Node:
        for node in self.nodes:
            if node.id == node_id:
                return node
        raise KeyError(node_id)

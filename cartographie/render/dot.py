"""The one renderer: any :class:`~cartographie.views.model.View` to DOT, with ``graphviz``.

It owns three things a view does not know:

- **escaping**: every text is escaped for DOT (backslashes, quotes, and text that would read as
  an HTML-like label); Graphviz escapes it again for SVG. Node ids are re-encoded to a safe
  alphabet, so an id with ``:`` (a port in DOT) or ``<`` cannot break the source;
- **styles**: tags become attributes through :mod:`cartographie.render.styles`;
- **grids**: a cluster with ``columns`` is laid out in rows, with invisible edges (dot has no
  grid), so that a bloc of 40 applications is a block, not a 40-box-wide line.

The output depends only on the view and the URL function: same view, same bytes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from itertools import pairwise

import graphviz

from cartographie.render import styles
from cartographie.views.model import Cluster, Edge, Node, Ref, View
from cartographie.views.text import wrap

UrlFor = Callable[[Ref], str | None]
# Weight of the invisible edges through a row separator: any pull makes rows lean towards the
# one point (the POS's zones came out as a staircase), so none — unless flows pull the rows
# apart (a commune map's bands drifted a metre away from each other): then a little.
SEPARATOR_WEIGHT = {False: "0", True: "1"}

_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]")


def dot_id(view_id: str) -> str:
    """A DOT node id for a view id: letters, digits, ``_ . -`` only (``:`` would be a port)."""
    return "n_" + _UNSAFE.sub(lambda match: f"_{ord(match.group()):x}_", view_id)


def text(value: str) -> str:
    """One escaped line for a DOT string (backslashes kept literal, never an HTML label)."""
    return str(graphviz.escape(value))


def lines(values: Iterable[str]) -> str:
    """Several escaped lines, centred (``\\n`` between them)."""
    return str(graphviz.nohtml("\\n".join(text(value) for value in values)))


def left_lines(values: Iterable[str]) -> str:
    """Several escaped lines, each justified left (``\\l`` after each)."""
    return str(graphviz.nohtml("".join(text(value) + "\\l" for value in values)))


def to_dot(view: View, url_for: UrlFor | None = None) -> str:
    """The DOT source of ``view``; nodes link to ``url_for(ref)`` when given."""
    return _DotWriter(view, url_for).source()


class _DotWriter:
    def __init__(self, view: View, url_for: UrlFor | None) -> None:
        self.view = view
        self.url_for = url_for
        self.nodes = {node.id: node for node in view.nodes}
        self.grid_edges: list[tuple[str, str]] = []
        self.legend_ids: list[str] = []
        self.separators = 0

    def source(self) -> str:
        view = self.view
        graph = graphviz.Digraph(name=f"{view.kind}-{view.key}")
        title = [view.title]
        if view.subtitle:
            title.extend(wrap(view.subtitle, width=110, max_lines=4))
        graph.attr(
            "graph", **{**styles.GRAPH, "rankdir": view.direction, "label": left_lines(title)}
        )
        graph.attr("node", **styles.NODE)
        graph.attr("edge", **styles.EDGE)
        if any(edge.source_cluster or edge.target_cluster for edge in view.edges):
            graph.attr("graph", compound="true")
        if view.legend:
            self._legend(graph)
        placed: set[str] = set()
        for cluster in view.clusters:
            self._cluster(graph, cluster, placed)
        if view.columns > 0 and view.clusters:
            children: tuple[Cluster, ...] = view.clusters
            if view.columns == 1 and self.legend_ids:
                # The legend is the first row of the stack: on the side, it pushed the first band.
                legend = Cluster(id="legende", label="", nodes=tuple(self.legend_ids))
                children = (legend, *children)
            self._grid(graph, Cluster(id="", label="", children=children, columns=view.columns))
        for node in view.nodes:
            if node.id not in placed:
                self._node(graph, node)
        for edge in view.edges:
            self._edge(graph, edge)
        for tail, head in self.grid_edges:
            # Edges through a separator only order the rows: weight 0, or every box of a row
            # leans towards the one point (rows of zones came out as a staircase).
            loose = tail.startswith("sep_") or head.startswith("sep_")
            weight = SEPARATOR_WEIGHT[bool(view.edges)] if loose else "10"
            graph.edge(tail, head, style="invis", weight=weight)
        if view.same_rank:
            graph.attr("graph", newrank="true")
            for index, group in enumerate(view.same_rank):
                with graph.subgraph(name=f"rang_{index}") as row:
                    row.attr("graph", rank="same")
                    for node_id in group:
                        row.node(dot_id(node_id))
                for tail, head in pairwise(group):
                    graph.edge(dot_id(tail), dot_id(head), style="invis", weight="5")
        return str(graph.source)

    # --- pieces ---------------------------------------------------------------------------

    def _url(self, ref: Ref | None) -> dict[str, str]:
        if ref is None or self.url_for is None:
            return {}
        url = self.url_for(ref)
        return {"URL": text(url), "target": "_top"} if url else {}

    def _node(self, graph: graphviz.Digraph, node: Node) -> None:
        attributes = styles.attributes(node.tags)
        if node.heat is not None or "bloc-pos" in node.tags:
            attributes["fillcolor"] = styles.heat_colour(node.heat)
        if node.tooltip:
            attributes["tooltip"] = text(node.tooltip)
        elif node.link is not None:
            attributes["tooltip"] = text(" ".join(node.label))
        attributes.update(self._url(node.link))
        graph.node(dot_id(node.id), label=lines(node.label), **attributes)

    def _edge(self, graph: graphviz.Digraph, edge: Edge) -> None:
        attributes = styles.attributes(edge.tags)
        if edge.label:
            # xlabel, not label: Graphviz 2.43 fails on edge labels in clusters (DESIGN.md §5).
            attributes["xlabel"] = lines(wrap(edge.label, width=22, max_lines=2))
        if edge.tooltip:
            attributes["tooltip"] = text(edge.tooltip)
        if not edge.constraint:
            attributes["constraint"] = "false"
        if edge.source_cluster:
            attributes["ltail"] = f"cluster_{dot_id(edge.source_cluster)}"
        if edge.target_cluster:
            attributes["lhead"] = f"cluster_{dot_id(edge.target_cluster)}"
        graph.edge(dot_id(edge.source), dot_id(edge.target), **attributes)

    def _cluster(self, parent: graphviz.Digraph, cluster: Cluster, placed: set[str]) -> None:
        with parent.subgraph(name=f"cluster_{dot_id(cluster.id)}") as body:
            attributes = {**styles.CLUSTER, **styles.attributes(cluster.tags)}
            attributes.update(self._url(cluster.link))
            if cluster.link is not None:
                attributes["tooltip"] = text(cluster.label)
            body.attr("graph", **{**attributes, "label": text(cluster.label)})
            for node_id in cluster.nodes:
                if node_id in self.nodes and node_id not in placed:
                    placed.add(node_id)
                    self._node(body, self.nodes[node_id])
            for child in cluster.children:
                self._cluster(body, child, placed)
            if cluster.columns > 0:
                self._grid(body, cluster)

    # --- grids ----------------------------------------------------------------------------

    def _grid(self, body: graphviz.Digraph, cluster: Cluster) -> None:
        items = self._items(cluster)
        rows = [
            items[start : start + cluster.columns]
            for start in range(0, len(items), cluster.columns)
        ]
        if any(isinstance(item, Cluster) for item in rows[0]):
            # A top anchor: without it, a short box of the first row sinks to the bottom of
            # the row (dot shortens its edges to the separator below).
            self.separators += 1
            anchor = f"sep_{self.separators}"
            body.node(anchor, **styles.STYLES["invisible"])
            for item in rows[0]:
                for node_id in self._tops(item):
                    self.grid_edges.append((anchor, dot_id(node_id)))
        for upper, lower in pairwise(rows):
            if all(isinstance(item, str) for item in upper + lower):
                for index, item in enumerate(lower):
                    self.grid_edges.append((dot_id(str(upper[index])), dot_id(str(item))))
                continue
            # Rows of clusters: everything of the upper row above a separator, the lower row below.
            self.separators += 1
            separator = f"sep_{self.separators}"
            body.node(separator, **styles.STYLES["invisible"])
            for item in upper:
                for node_id in self._bottoms(item):
                    self.grid_edges.append((dot_id(node_id), separator))
            for item in lower:
                for node_id in self._tops(item):
                    self.grid_edges.append((separator, dot_id(node_id)))

    def _tops(self, item: str | Cluster) -> list[str]:
        if isinstance(item, str):
            return [item]
        if item.columns <= 0:
            return self._all_nodes(item)
        first = self._items(item)[: item.columns]
        return [node for part in first for node in self._tops(part)]

    def _bottoms(self, item: str | Cluster) -> list[str]:
        if isinstance(item, str):
            return [item]
        if item.columns <= 0:
            return self._all_nodes(item)
        items = self._items(item)
        last = items[((len(items) - 1) // item.columns) * item.columns :]
        found = [node for part in last for node in self._bottoms(part)]
        if len(last) < item.columns and len(items) > item.columns:
            # A short last row: the row above ends lower on the columns it does not cover.
            above = items[len(items) - len(last) - item.columns : len(items) - len(last)]
            found += [node for part in above[len(last) :] for node in self._bottoms(part)]
        return found

    @staticmethod
    def _items(cluster: Cluster) -> list[str | Cluster]:
        return [*cluster.nodes, *cluster.children]

    def _all_nodes(self, cluster: Cluster) -> list[str]:
        found = [node for node in cluster.nodes if node in self.nodes or node in self.legend_ids]
        for child in cluster.children:
            found.extend(self._all_nodes(child))
        return found

    # --- legend ---------------------------------------------------------------------------

    def _legend(self, graph: graphviz.Digraph) -> None:
        with graph.subgraph(name="cluster_legende") as body:
            body.attr("graph", label="Légende", **{**styles.CLUSTER, "style": "rounded,dashed"})
            # No edges between items: they all sit on the first rank, side by side, in order.
            for index, item in enumerate(self.view.legend):
                name = dot_id(f"legende:{index}")
                self.legend_ids.append(f"legende:{index}")
                if item.shape == "edge":
                    self.legend_ids.append(f"legende:{index}:a")
                    anchor = dot_id(f"legende:{index}:a")
                    body.node(anchor, **styles.STYLES["invisible"])
                    body.node(
                        name, label=lines(wrap(item.label, 24, 2)), **styles.STYLES["legende-titre"]
                    )
                    body.edge(anchor, name, **styles.attributes(item.tags))
                else:
                    attributes = styles.attributes(item.tags)
                    if item.heat is not None or "bloc-pos" in item.tags:
                        attributes["fillcolor"] = styles.heat_colour(item.heat)
                    body.node(name, label=lines(wrap(item.label, 24, 2)), **attributes)

"""The one renderer: any :class:`~cartographie.views.model.View` to DOT, with ``graphviz``.

It owns three things a view does not know:

- **escaping**: every text is escaped for DOT (backslashes, quotes, and text that would read as
  an HTML-like label); Graphviz escapes it again for SVG. Node ids are re-encoded to a safe
  alphabet, so an id with ``:`` (a port in DOT) or ``<`` cannot break the source;
- **styles**: tags become attributes through :mod:`cartographie.render.styles`;
- **grids**: a cluster with ``columns`` is laid out in rows, with invisible edges (dot has no
  grid), so that a bloc of 40 applications is a block, not a 40-box-wide line;
- **edge labels**: a ``label``, for which dot makes room in the layout, so that no label
  overlaps a box or another label (``xlabel``s were placed afterwards, over boxes); for the
  system engine an ``xlabel``, since Graphviz 2.43 (Debian 12) fails on edge labels inside
  clusters (DESIGN.md §5).

The output depends only on the view, the URL function and the engine: same view, same bytes.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from itertools import pairwise

import graphviz

from cartographie.document.text import xml_text
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
    found = _DOT_IDS.get(view_id)
    if found is None:
        if len(_DOT_IDS) > _TEXT_MEMO:
            _DOT_IDS.clear()
        found = _DOT_IDS[view_id] = "n_" + _UNSAFE.sub(_encode, view_id)
    return found


def _encode(match: re.Match[str]) -> str:
    return f"_{ord(match.group()):x}_"


# An application shows on three or four maps, and grids repeat ids: each is encoded once.
_DOT_IDS: dict[str, str] = {}
_NODES: dict[tuple[Node, str | None], str] = {}  # (node, its URL) -> its statement


def text(value: str) -> str:
    """One escaped line for a DOT string (backslashes kept literal, never an HTML label); a
    control character left in it becomes a space (a raw line break in a title made the
    embedded Graphviz trap)."""
    if not value.isprintable():
        value = "".join(
            " " if unicodedata.category(char).startswith("C") and char != "\u200d" else char
            for char in value
        )
    return str(graphviz.escape(value))


def lines(values: Iterable[str]) -> str:
    """Several escaped lines, centred (``\\n`` between them)."""
    return str(graphviz.nohtml("\\n".join(text(value) for value in values)))


def left_lines(values: Iterable[str]) -> str:
    """Several escaped lines, each justified left (``\\l`` after each)."""
    return str(graphviz.nohtml("".join(text(value) + "\\l" for value in values)))


def to_dot(view: View, url_for: UrlFor | None = None, engine: str = "auto") -> str:
    """The DOT source of ``view`` for ``engine``; nodes link to ``url_for(ref)`` when given.

    The views clean their labels; whatever a text still holds, Graphviz copies it into the SVG,
    so a character XML forbids becomes U+FFFD here: the map is always well-formed XML."""
    return xml_text(_DotWriter(view, url_for, engine).source())


# Quoting through ``graphviz.quoting.quote``, once per distinct value. A map repeats the same
# attribute names, colours and styles thousands of times, and ``Digraph.node``/``edge``/``attr``
# each went through the package's positional-argument checks, attribute sorting and quoting
# again: two thirds of the atlas's DOT time. The statements below are the lines ``Digraph``
# would append to its ``body`` (same quoting, same attribute order: ``label`` first, then the
# others sorted), assembled here and handed to ``Digraph(body=...)`` for the head and tail.
# (its undecorated function: the decorator that checks positional arguments cost a third of it)
_QUOTE = getattr(graphviz.quoting.quote, "__wrapped__", graphviz.quoting.quote)
_PLAIN: dict[str, str] = {}  # node ids and names: never an HTML label
_PAIRS: dict[tuple[str, str], str] = {}  # (attribute, style value) -> ``name=value``
_TEXTS: dict[tuple[str, str], str] = {}  # (attribute, escaped text) -> ``name="text"``
_LISTS: dict[tuple[bool, tuple[tuple[str, str], ...]], str] = {}  # style-only attribute lists
# The texts of one atlas are mostly distinct (a name shows on three or four maps): the memo is
# emptied past this size rather than left to grow.
_TEXT_MEMO = 50_000


def _plain(value: str) -> str:
    quoted = _PLAIN.get(value)
    if quoted is None:
        quoted = _PLAIN[value] = _QUOTE(value)
    return quoted


def _style_pair(name: str, value: str) -> str:
    pair = _PAIRS.get((name, value))
    if pair is None:
        pair = _PAIRS[(name, value)] = f"{_QUOTE(name)}={_QUOTE(value)}"
    return pair


def _text_pair(name: str, value: str) -> str:
    """``name="value"`` for a value already escaped (``text``, ``lines``): quoted as no-HTML."""
    pair = _TEXTS.get((name, value))
    if pair is None:
        if len(_TEXTS) > _TEXT_MEMO:
            _TEXTS.clear()
        pair = _TEXTS[(name, value)] = f"{_QUOTE(name)}={_QUOTE(graphviz.nohtml(value))}"
    return pair


def _attr_list(
    attributes: dict[str, str], texts: dict[str, str] | None = None, label_first: bool = True
) -> str:
    """`` [label=… a=… b=…]``: ``attributes`` are style values, ``texts`` escaped texts.

    ``Digraph.node`` and ``edge`` take ``label`` as a parameter and write it first;
    ``Digraph.attr`` sorts it with the others (``label_first=False``).
    """
    if not texts:
        key = (label_first, tuple(attributes.items()))
        found = _LISTS.get(key)
        if found is None:
            found = _LISTS[key] = _assemble(
                {name: _style_pair(name, value) for name, value in attributes.items()},
                label_first,
            )
        return found
    pairs = {name: _style_pair(name, value) for name, value in attributes.items()}
    for name, value in texts.items():
        pairs[name] = _text_pair(name, value)
    return _assemble(pairs, label_first)


def _assemble(pairs: dict[str, str], label_first: bool) -> str:
    if not pairs:
        return ""
    label = pairs.pop("label", None) if label_first else None
    items = [pairs[name] for name in sorted(pairs)]
    if label is not None:
        items.insert(0, label)
    return " [" + " ".join(items) + "]"


class _Body:
    """The statements of a graph or of a subgraph nested ``depth`` levels deep."""

    def __init__(self, out: list[str], depth: int) -> None:
        self.out = out
        self.indent = "\t" * depth

    def attr(
        self, kind: str, attributes: dict[str, str], texts: dict[str, str] | None = None
    ) -> None:
        self.out.append(f"{self.indent}{kind}{_attr_list(attributes, texts, label_first=False)}\n")

    def node(
        self, name: str, attributes: dict[str, str], texts: dict[str, str] | None = None
    ) -> None:
        self.out.append(f"{self.indent}{_plain(name)}{_attr_list(attributes, texts)}\n")

    def edge(
        self,
        tail: str,
        head: str,
        attributes: dict[str, str],
        texts: dict[str, str] | None = None,
    ) -> None:
        # Ids come from ``dot_id``: no ``:``, so ``quote_edge`` would be ``quote``.
        self.out.append(
            f"{self.indent}{_plain(tail)} -> {_plain(head)}{_attr_list(attributes, texts)}\n"
        )

    @contextmanager
    def subgraph(self, name: str) -> Iterator[_Body]:
        self.out.append(f"{self.indent}subgraph {_plain(name)} {{\n")
        yield _Body(self.out, len(self.indent) + 1)
        self.out.append(f"{self.indent}}}\n")


class _DotWriter:
    def __init__(self, view: View, url_for: UrlFor | None, engine: str = "auto") -> None:
        self.view = view
        self.url_for = url_for
        self.label_attribute = "xlabel" if engine == "systeme" else "label"
        self.nodes = {node.id: node for node in view.nodes}
        self.grid_edges: list[tuple[str, str]] = []
        self.legend_ids: list[str] = []
        self.separators = 0

    def source(self) -> str:
        view = self.view
        body: list[str] = []
        graph = _Body(body, 1)
        title = [view.title]
        if view.subtitle:
            title.extend(wrap(view.subtitle, width=110, max_lines=4))
        graph.attr(
            "graph", {**styles.GRAPH, "rankdir": view.direction}, {"label": left_lines(title)}
        )
        graph.attr("node", styles.NODE)
        graph.attr("edge", styles.EDGE)
        if any(edge.source_cluster or edge.target_cluster for edge in view.edges):
            graph.attr("graph", {"compound": "true"})
        if view.straight_edges:
            graph.attr("graph", {"splines": "line"})
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
                # (last on a map read at full size: beside its first band, it widened it)
                children = (*children, legend) if view.straight_edges else (legend, *children)
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
            graph.edge(tail, head, {"style": "invis", "weight": weight})
        if view.same_rank:
            graph.attr("graph", {"newrank": "true"})
            for index, group in enumerate(view.same_rank):
                with graph.subgraph(f"rang_{index}") as row:
                    row.attr("graph", {"rank": "same"})
                    for node_id in group:
                        row.node(dot_id(node_id), {})
                for tail, head in pairwise(group):
                    graph.edge(dot_id(tail), dot_id(head), {"style": "invis", "weight": "5"})
        # What ``graphviz.Digraph(name, body=body).source`` writes, without building a Digraph
        # for each of the atlas's 270 maps.
        return f"digraph {_QUOTE(f'{view.kind}-{view.key}')} {{\n{''.join(body)}}}\n"

    # --- pieces ---------------------------------------------------------------------------

    def _url(self, ref: Ref | None) -> dict[str, str]:
        if ref is None or self.url_for is None:
            return {}
        url = self.url_for(ref)
        return {"URL": text(url)} if url else {}

    def _node(self, graph: _Body, node: Node) -> None:
        url = self.url_for(node.link) if node.link is not None and self.url_for else None
        # An application's box is the same on its commune's and its blocs' maps (same node,
        # same link from pages one folder deep): its statement is made once.
        key = (node, url)
        statement = _NODES.get(key)
        if statement is None:
            if len(_NODES) > _TEXT_MEMO:
                _NODES.clear()
            statement = _NODES[key] = self._node_statement(node, url)
        graph.out.append(graph.indent + statement)

    def _node_statement(self, node: Node, url: str | None) -> str:
        attributes = styles.attributes(node.tags)
        if node.heat is not None or "bloc-pos" in node.tags:
            attributes["fillcolor"] = styles.heat_colour(node.heat)
        texts = {"label": lines(node.label)}
        if node.tooltip:
            texts["tooltip"] = text(node.tooltip)
        elif node.link is not None:
            texts["tooltip"] = text(" ".join(node.label))
        if url:
            texts["URL"] = text(url)
            attributes["target"] = "_top"
        return f"{_plain(dot_id(node.id))}{_attr_list(attributes, texts)}\n"

    def _edge(self, graph: _Body, edge: Edge) -> None:
        attributes = styles.attributes(edge.tags)
        texts = {}
        if edge.label:
            texts[self.label_attribute] = lines(wrap(edge.label, width=22, max_lines=2))
        if edge.tooltip:
            texts["tooltip"] = text(edge.tooltip)
        if not edge.constraint:
            attributes["constraint"] = "false"
        if edge.source_cluster:
            attributes["ltail"] = f"cluster_{dot_id(edge.source_cluster)}"
        if edge.target_cluster:
            attributes["lhead"] = f"cluster_{dot_id(edge.target_cluster)}"
        graph.edge(dot_id(edge.source), dot_id(edge.target), attributes, texts)

    def _cluster(self, parent: _Body, cluster: Cluster, placed: set[str]) -> None:
        with parent.subgraph(f"cluster_{dot_id(cluster.id)}") as body:
            attributes = {**styles.CLUSTER, **styles.attributes(cluster.tags)}
            texts = self._url(cluster.link)
            if texts:
                attributes["target"] = "_top"
            if cluster.link is not None:
                texts["tooltip"] = text(cluster.label)
            texts["label"] = text(cluster.label)
            attributes.pop("label", None)
            body.attr("graph", attributes, texts)
            for node_id in cluster.nodes:
                if node_id in self.nodes and node_id not in placed:
                    placed.add(node_id)
                    self._node(body, self.nodes[node_id])
            for child in cluster.children:
                self._cluster(body, child, placed)
            if cluster.columns > 0:
                self._grid(body, cluster)

    # --- grids ----------------------------------------------------------------------------

    def _grid(self, body: _Body, cluster: Cluster) -> None:
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
            body.node(anchor, styles.STYLES["invisible"])
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
            body.node(separator, styles.STYLES["invisible"])
            for item in upper:
                for node_id in self._bottoms(item):
                    self.grid_edges.append((dot_id(node_id), separator))
            for item in lower:
                for node_id in self._tops(item):
                    self.grid_edges.append((separator, dot_id(node_id)))
            if self.view.straight_edges:
                # Rows left-aligned: the first box of a row right under the first of the row
                # above (rows of unequal blocs otherwise lean, and the map grows twice as wide).
                above, below = self._bottoms(upper[0]), self._tops(lower[0])
                if above and below:
                    self.grid_edges.append((dot_id(above[0]), dot_id(below[0])))

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

    def _legend(self, graph: _Body) -> None:
        with graph.subgraph("cluster_legende") as body:
            body.attr("graph", {**styles.CLUSTER, "style": "rounded,dashed"}, {"label": "Légende"})
            # No edges between items: they all sit on the first rank, side by side, in order.
            for index, item in enumerate(self.view.legend):
                name = dot_id(f"legende:{index}")
                self.legend_ids.append(f"legende:{index}")
                label = {"label": lines(wrap(item.label, 24, 2))}
                if item.shape == "edge":
                    self.legend_ids.append(f"legende:{index}:a")
                    anchor = dot_id(f"legende:{index}:a")
                    body.node(anchor, styles.STYLES["invisible"])
                    body.node(name, styles.STYLES["legende-titre"], label)
                    body.edge(anchor, name, styles.attributes(item.tags))
                else:
                    attributes = styles.attributes(item.tags)
                    if item.heat is not None or "bloc-pos" in item.tags:
                        attributes["fillcolor"] = styles.heat_colour(item.heat)
                    body.node(name, attributes, label)

"""The one renderer: any :class:`~cartographie.views.model.View` to DOT, written here.

It owns three things a view does not know:

- **escaping**: every text is escaped and quoted for DOT (backslashes, quotes, and text that
  would read as an HTML-like label); Graphviz escapes it again for SVG. Node ids are re-encoded
  to a safe alphabet, so an id with ``:`` (a port in DOT) or ``<`` cannot break the source;
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

from cartographie.document.text import xml_text
from cartographie.render import styles
from cartographie.views.model import Cluster, Edge, LegendItem, Node, Ref, View
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


# The texts of one atlas are mostly distinct (a name shows on three or four maps): the memos
# below are emptied past this size rather than left to grow.
_TEXT_MEMO = 50_000
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
    return value.replace("\\", "\\\\")


def lines(values: Iterable[str]) -> str:
    """Several escaped lines, centred (``\\n`` between them)."""
    return "\\n".join(text(value) for value in values)


def left_lines(values: Iterable[str]) -> str:
    """Several escaped lines, each justified left (``\\l`` after each)."""
    return "".join(text(value) + "\\l" for value in values)


def to_dot(view: View, url_for: UrlFor | None = None, engine: str = "auto") -> str:
    """The DOT source of ``view`` for ``engine``; nodes link to ``url_for(ref)`` when given.

    The views clean their labels, and every text goes through :func:`text`, which leaves no
    character XML forbids (Graphviz copies texts into the SVG): the map is always well-formed
    XML. The graph's name, the one text that does not, is made XML-safe on its own."""
    return _DotWriter(view, url_for, engine).source()


# --- quoting ------------------------------------------------------------------------------------
# The rules of the ``graphviz`` package's ``quote`` (which wrote these maps' DOT before), byte for
# byte: an id, a number or (for a value that is not a text) an HTML-like ``<…>`` as it is, a DOT
# keyword or anything else in double quotes, with each quote not escaped yet escaped. Its
# general-purpose function (argument checks, HTML test, keyword test for every value) was a third
# of the atlas's DOT time; here each distinct value is quoted once.
_ID = re.compile(r"([a-zA-Z_][a-zA-Z0-9_]*|-?(\.[0-9]+|[0-9]+(\.[0-9]*)?))$")
_HTML = re.compile(r"<.*>$", re.DOTALL)
_KEYWORDS = frozenset({"node", "edge", "graph", "digraph", "subgraph", "strict"})
_UNESCAPED_QUOTE = re.compile(r'((?:\\{2})*)\\?"')
_QUOTED: dict[str, str] = {}  # ids, names and style values
_QUOTED_TEXTS: dict[str, str] = {}  # escaped texts: never an HTML label


def quote(value: str, html: bool = True) -> str:
    """``value`` as a DOT id: as it is when it can be, else in double quotes. ``html=False``
    for a text (:func:`text`, :func:`lines`): never read as an HTML-like label."""
    if html and _HTML.match(value):
        return value
    if _ID.match(value) and value.lower() not in _KEYWORDS:
        return value
    if '"' in value:
        value = _UNESCAPED_QUOTE.sub(r'\1\\"', value)
    return f'"{value}"'


def _plain(value: str) -> str:
    quoted = _QUOTED.get(value)
    if quoted is None:
        if len(_QUOTED) > _TEXT_MEMO:
            _QUOTED.clear()
        quoted = _QUOTED[value] = quote(value)
    return quoted


def _text(value: str) -> str:
    """An escaped text, quoted."""
    quoted = _QUOTED_TEXTS.get(value)
    if quoted is None:
        if len(_QUOTED_TEXTS) > _TEXT_MEMO:
            _QUOTED_TEXTS.clear()
        quoted = _QUOTED_TEXTS[value] = quote(value, html=False)
    return quoted


# --- attribute lists ----------------------------------------------------------------------------
# A statement's attributes are ``name=value`` pairs: ``label`` first in a node's and an edge's
# list, then the others sorted by name; a ``graph``/``node``/``edge`` statement sorts ``label``
# with the others (the order ``graphviz.Digraph`` wrote). The pairs of a set of tags are made
# once: an application's tags, a flow's, a bloc's recur on every map that shows them.
Pairs = dict[str, str]  # attribute name -> ``name=value``
_TAG_PAIRS: dict[tuple[str, ...], Pairs] = {}


def _style_pairs(attributes: dict[str, str]) -> Pairs:
    return {name: f"{_plain(name)}={_plain(value)}" for name, value in attributes.items()}


def _tag_pairs(tags: tuple[str, ...]) -> Pairs:
    """The pairs of ``tags``' styles (:func:`styles.attributes`): not to be changed."""
    found = _TAG_PAIRS.get(tags)
    if found is None:
        found = _TAG_PAIRS[tags] = _style_pairs(styles.attributes(tags))
    return found


def _text_pair(name: str, value: str) -> str:
    """``name="value"`` for an escaped text."""
    return f"{name}={_text(value)}"


def _attr_list(pairs: Pairs, label_first: bool = True) -> str:
    """`` [label=… a=… b=…]``, or nothing for no pair."""
    if not pairs:
        return ""
    label = pairs.pop("label", None) if label_first else None
    items = [pairs[name] for name in sorted(pairs)]
    if label is not None:
        items.insert(0, label)
    return " [" + " ".join(items) + "]"


_GRAPH_PAIRS = _style_pairs(styles.GRAPH)
_CLUSTER_PAIRS = _style_pairs(styles.CLUSTER)
_INVISIBLE = _attr_list(_style_pairs(styles.STYLES["invisible"]))
# The invisible edges of grids and rows, by weight.
_INVISIBLE_EDGES: dict[str, str] = {}
_LEGENDS: dict[tuple[LegendItem, ...], tuple[list[str], list[str]]] = {}  # lines, ids


def _invisible_edge(weight: str) -> str:
    found = _INVISIBLE_EDGES.get(weight)
    if found is None:
        found = _INVISIBLE_EDGES[weight] = _attr_list(
            _style_pairs({"style": "invis", "weight": weight})
        )
    return found


class _Body:
    """The statements of a graph or of a subgraph nested ``depth`` levels deep."""

    def __init__(self, out: list[str], depth: int) -> None:
        self.out = out
        self.indent = "\t" * depth

    def attr(self, kind: str, pairs: Pairs) -> None:
        self.out.append(f"{self.indent}{kind}{_attr_list(pairs, label_first=False)}\n")

    def node(self, name: str, attributes: str) -> None:
        """A node statement; ``attributes`` is its attribute list (:func:`_attr_list`)."""
        self.out.append(f"{self.indent}{_plain(name)}{attributes}\n")

    def edge(self, tail: str, head: str, attributes: str) -> None:
        # Ids come from ``dot_id``: no ``:``, never a port.
        self.out.append(f"{self.indent}{_plain(tail)} -> {_plain(head)}{attributes}\n")

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
            "graph",
            {
                **_GRAPH_PAIRS,
                "rankdir": f"rankdir={_plain(view.direction)}",
                "label": _text_pair("label", left_lines(title)),
            },
        )
        body.append(_NODE_DEFAULTS)
        body.append(_EDGE_DEFAULTS)
        if any(edge.source_cluster or edge.target_cluster for edge in view.edges):
            body.append("\tgraph [compound=true]\n")
        if view.straight_edges:
            body.append("\tgraph [splines=line]\n")
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
        # Edges through a separator only order the rows: weight 0, or every box of a row leans
        # towards the one point (rows of zones came out as a staircase).
        loose = _invisible_edge(SEPARATOR_WEIGHT[bool(view.edges)])
        tight = _invisible_edge("10")
        for tail, head in self.grid_edges:
            through = tail.startswith("sep_") or head.startswith("sep_")
            graph.edge(tail, head, loose if through else tight)
        if view.same_rank:
            body.append("\tgraph [newrank=true]\n")
            rank = _invisible_edge("5")
            for index, group in enumerate(view.same_rank):
                with graph.subgraph(f"rang_{index}") as row:
                    row.out.append(f"{row.indent}graph [rank=same]\n")
                    for node_id in group:
                        row.node(dot_id(node_id), "")
                for tail, head in pairwise(group):
                    graph.edge(dot_id(tail), dot_id(head), rank)
        # What ``graphviz.Digraph(name, body=body).source`` wrote. The name is no text
        # (:func:`text`): made XML-safe here.
        name = xml_text(_plain(f"{view.kind}-{view.key}"))
        return f"digraph {name} {{\n{''.join(body)}}}\n"

    # --- pieces ---------------------------------------------------------------------------

    def _node(self, graph: _Body, node: Node) -> None:
        url = self.url_for(node.link) if node.link is not None and self.url_for else None
        # An application's box is the same on its commune's and its blocs' maps (same node,
        # same link from pages one folder deep): its statement is made once.
        key = (node, url)
        statement = _NODES.get(key)
        if statement is None:
            if len(_NODES) > _TEXT_MEMO:
                _NODES.clear()
            statement = _NODES[key] = _node_statement(node, url)
        graph.out.append(graph.indent + statement)

    def _edge(self, graph: _Body, edge: Edge) -> None:
        pairs = dict(_tag_pairs(edge.tags))
        if edge.label:
            name = self.label_attribute
            pairs[name] = _text_pair(name, lines(wrap(edge.label, width=22, max_lines=2)))
        if edge.tooltip:
            pairs["tooltip"] = _text_pair("tooltip", text(edge.tooltip))
        if not edge.constraint:
            pairs["constraint"] = "constraint=false"
        if edge.source_cluster:
            pairs["ltail"] = f"ltail={_plain(f'cluster_{dot_id(edge.source_cluster)}')}"
        if edge.target_cluster:
            pairs["lhead"] = f"lhead={_plain(f'cluster_{dot_id(edge.target_cluster)}')}"
        graph.edge(dot_id(edge.source), dot_id(edge.target), _attr_list(pairs))

    def _cluster(self, parent: _Body, cluster: Cluster, placed: set[str]) -> None:
        with parent.subgraph(f"cluster_{dot_id(cluster.id)}") as body:
            pairs = {**_CLUSTER_PAIRS, **_tag_pairs(cluster.tags)}
            url = self.url_for(cluster.link) if cluster.link and self.url_for else None
            if url:
                pairs["URL"] = _text_pair("URL", text(url))
                pairs["target"] = "target=_top"
            label = text(cluster.label)
            if cluster.link is not None:
                pairs["tooltip"] = _text_pair("tooltip", label)
            pairs["label"] = _text_pair("label", label)
            body.attr("graph", pairs)
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
            body.node(anchor, _INVISIBLE)
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
            body.node(separator, _INVISIBLE)
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
        """The legend's cluster: the same on every map of a kind, made once."""
        legend = self.view.legend
        found = _LEGENDS.get(legend)
        if found is None:
            found = _LEGENDS[legend] = _legend_lines(legend)
        statements, ids = found
        graph.out.extend(graph.indent + line for line in statements)
        self.legend_ids.extend(ids)


def _node_statement(node: Node, url: str | None) -> str:
    pairs = dict(_tag_pairs(node.tags))
    if node.heat is not None or "bloc-pos" in node.tags:
        pairs["fillcolor"] = f"fillcolor={_plain(styles.heat_colour(node.heat))}"
    pairs["label"] = _text_pair("label", lines(node.label))
    if node.tooltip:
        pairs["tooltip"] = _text_pair("tooltip", text(node.tooltip))
    elif node.link is not None:
        pairs["tooltip"] = _text_pair("tooltip", text(" ".join(node.label)))
    if url:
        pairs["URL"] = _text_pair("URL", text(url))
        pairs["target"] = "target=_top"
    return f"{_plain(dot_id(node.id))}{_attr_list(pairs)}\n"


def _legend_lines(legend: tuple[LegendItem, ...]) -> tuple[list[str], list[str]]:
    """The legend's statements (without the indent of its parent) and its node ids."""
    out: list[str] = []
    ids: list[str] = []
    graph = _Body(out, 0)
    with graph.subgraph("cluster_legende") as body:
        dashed = _style_pairs({"style": "rounded,dashed"})
        body.attr("graph", {**_CLUSTER_PAIRS, **dashed, "label": _text_pair("label", "Légende")})
        # No edges between items: they all sit on the first rank, side by side, in order.
        for index, item in enumerate(legend):
            name = dot_id(f"legende:{index}")
            ids.append(f"legende:{index}")
            label = _text_pair("label", lines(wrap(item.label, 24, 2)))
            if item.shape == "edge":
                ids.append(f"legende:{index}:a")
                anchor = dot_id(f"legende:{index}:a")
                body.node(anchor, _INVISIBLE)
                title = {**_style_pairs(styles.STYLES["legende-titre"]), "label": label}
                body.node(name, _attr_list(title))
                body.edge(anchor, name, _attr_list(dict(_tag_pairs(item.tags))))
            else:
                pairs = dict(_tag_pairs(item.tags))
                if item.heat is not None or "bloc-pos" in item.tags:
                    pairs["fillcolor"] = f"fillcolor={_plain(styles.heat_colour(item.heat))}"
                pairs["label"] = label
                body.node(name, _attr_list(pairs))
    return out, ids


_NODE_DEFAULTS = f"\tnode{_attr_list(_style_pairs(styles.NODE), label_first=False)}\n"
_EDGE_DEFAULTS = f"\tedge{_attr_list(_style_pairs(styles.EDGE), label_first=False)}\n"

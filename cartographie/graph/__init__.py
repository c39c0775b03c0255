"""The portfolio as a graph (DESIGN.md §4) and the queries maps and reports share."""

from cartographie.graph.build import build_graph, node_id, step_node_id
from cartographie.graph.portfolio import Portfolio, UsePair

__all__ = ["Portfolio", "UsePair", "build_graph", "node_id", "step_node_id"]

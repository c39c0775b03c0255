"""Map kinds as data: each builds a neutral :class:`View` from the portfolio (no Graphviz here)."""

from cartographie.views.common import MapOptions
from cartographie.views.model import Cluster, Edge, LegendItem, Node, Ref, View
from cartographie.views.registry import MAP_KINDS, MapKind, build_view

__all__ = [
    "MAP_KINDS",
    "Cluster",
    "Edge",
    "LegendItem",
    "MapKind",
    "MapOptions",
    "Node",
    "Ref",
    "View",
    "build_view",
]

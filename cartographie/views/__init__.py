"""Map kinds as data: each builds a neutral :class:`View` from the portfolio (no Graphviz here).

The registry (:mod:`.registry`) is imported at once, the rest on first use (PEP 562): the command
line reads the map kinds to build its commands without loading the graph.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cartographie.views.registry import MAP_KINDS, MapKind, build_view

if TYPE_CHECKING:
    from cartographie.views.common import MapOptions
    from cartographie.views.model import Cluster, Edge, LegendItem, Node, Ref, View

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


def __getattr__(name: str) -> Any:
    if name == "MapOptions":
        from cartographie.views import common

        return common.MapOptions
    if name in __all__:
        from cartographie.views import model

        return getattr(model, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

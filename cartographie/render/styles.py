"""Styles as data: the Graphviz attributes of every tag a view can carry.

A view names what a thing *is* (``couche:metier``, ``cycle:a-retirer``, ``partagee``, ``flux``);
this table says how it looks. A node's attributes are the merge of its tags' entries, in the
order of the tags. Colours are chosen to stay readable printed in grey for committees.
"""

from __future__ import annotations

# The bundled font (render/fonts/, see render.convert): Graphviz knows its metrics (those of
# Arial and Helvetica), and PNG and PDF are drawn with it, the same on every machine.
FONT = "Liberation Sans"

GRAPH: dict[str, str] = {
    "fontname": FONT,
    "fontsize": "18",
    "labelloc": "t",
    "labeljust": "l",
    "nodesep": "0.25",
    "ranksep": "0.35",
    "pad": "0.3",
    "outputorder": "edgesfirst",
    "bgcolor": "white",
}
NODE: dict[str, str] = {
    "fontname": FONT,
    "fontsize": "10",
    "shape": "box",
    "style": "rounded,filled",
    "fillcolor": "#ffffff",
    "color": "#5b6770",
    # Wide enough for the fonts a browser may substitute when it has none of Liberation Sans,
    # Arial or Helvetica (DejaVu Sans is ~10 % wider than the metrics Graphviz measures with).
    "margin": "0.16,0.05",
    "height": "0.3",
}
EDGE: dict[str, str] = {
    "fontname": FONT,
    "fontsize": "8",
    "color": "#7a8791",
    "arrowsize": "0.6",
}
CLUSTER: dict[str, str] = {
    "fontname": FONT,
    "style": "rounded",
    "color": "#b8c2c9",
    "fontsize": "11",
}

# tag -> attributes (nodes, edges and clusters share the table; a tag is used by one of them).
STYLES: dict[str, dict[str, str]] = {
    # layers (bands and the applications in them)
    "couche:interface": {"fillcolor": "#e3f0fb"},
    "couche:metier": {"fillcolor": "#e8f5e3"},
    "couche:support": {"fillcolor": "#f6efe0"},
    "bande:interface": {
        "style": "filled",
        "fillcolor": "#f4f9fe",
        "color": "#9cc3e6",
        "fontsize": "16",
    },
    "bande:metier": {
        "style": "filled",
        "fillcolor": "#f6fbf4",
        "color": "#a8d39a",
        "fontsize": "16",
    },
    "bande:support": {
        "style": "filled",
        "fillcolor": "#fcf9f2",
        "color": "#e0c98f",
        "fontsize": "16",
    },
    "bande:hors": {"style": "dashed", "color": "#9aa5ad", "fontsize": "14"},
    "bloc": {"style": "rounded,filled", "fillcolor": "#ffffff", "color": "#c5cdd3"},
    "groupe": {
        "style": "rounded,filled",
        "fillcolor": "#fbfcfd",
        "color": "#c5cdd3",
        "fontsize": "12",
    },
    "groupe:partagees": {
        "style": "rounded,filled",
        "fillcolor": "#fff7e0",
        "color": "#d9a400",
        "fontsize": "12",
    },
    "zone": {
        "style": "rounded,filled",
        "fillcolor": "#f3f5f7",
        "color": "#8a98a3",
        "fontsize": "16",
    },
    "quartier": {
        "style": "rounded,filled",
        "fillcolor": "#ffffff",
        "color": "#b8c2c9",
        "fontsize": "12",
    },
    "groupe-commune": {
        "shape": "box",
        "style": "rounded,filled",
        "fillcolor": "#eef3f8",
        "color": "#7f9bb5",
    },
    "etape-groupe": {"style": "rounded,filled", "fillcolor": "#f8f9fb", "color": "#9aa5ad"},
    # a secteur d'intervention's lane in a step shared between sectors
    "sans-cadre": {"style": "invis"},
    "couloir": {"style": "rounded,dashed,filled", "fillcolor": "#ffffff", "color": "#5d7a93"},
    # applications
    "partagee": {"penwidth": "2.2", "color": "#b07d00"},
    "externe": {"style": "rounded,dashed,filled", "fillcolor": "#f2f2f2", "color": "#888888"},
    "hub": {"shape": "hexagon", "style": "filled", "fillcolor": "#ffe9a8"},
    "cycle:projet": {"style": "rounded,dashed,filled"},
    "cycle:convergence": {"fillcolor": "#fff3c4"},
    "cycle:a-retirer": {"fillcolor": "#fbe0dc", "fontcolor": "#8a1c0c"},
    "cycle:retiree": {
        "style": "rounded,dotted,filled",
        "fillcolor": "#eeeeee",
        "fontcolor": "#777777",
    },
    # other nodes
    "souche": {
        "shape": "cds",
        "style": "filled",
        "fillcolor": "#eef1f3",
        "color": "#9aa5ad",
        "fontsize": "9",
    },
    "autre-bloc": {
        "shape": "note",
        "style": "filled",
        "fillcolor": "#eef1f3",
        "color": "#9aa5ad",
        "fontsize": "9",
    },
    "etape": {
        "shape": "box",
        "style": "filled",
        "fillcolor": "#34495e",
        "fontcolor": "#ffffff",
        "color": "#34495e",
        "fontsize": "11",
    },
    "secteur": {
        "shape": "box",
        "style": "rounded,filled",
        "fillcolor": "#d6e4f0",
        "color": "#5d7a93",
        "fontcolor": "#1f3a52",
        "fontsize": "10",
    },
    # a bloc on a big commune's overview (its applications counted, its colour its layer's)
    "bloc-commune": {"shape": "box", "style": "rounded,filled", "width": "2.1"},
    "bloc-pos": {"shape": "box", "style": "rounded,filled", "fontsize": "10", "width": "1.9"},
    "legende-titre": {"shape": "plaintext", "style": "", "fontsize": "10"},
    # a map read at full size (a big commune's detailed maps): no text under 10 pt
    "lisible": {"fontsize": "10"},
    # a flow that does not pull the boxes it joins (its straight line crosses the map instead)
    "sans-poids": {"weight": "0"},
    "sans-bord": {"peripheries": "0", "style": ""},
    "invisible": {"style": "invis", "shape": "point", "width": "0", "height": "0", "label": ""},
    # edges
    "flux": {"color": "#5f8fb4a0", "arrowsize": "0.5"},
    "flux:hub": {"color": "#d9a400b0"},
    "flux:souche": {"color": "#9aa5adb0", "style": "dashed", "arrowsize": "0.4"},
    "flux:resume": {"color": "#9aa5ad", "style": "dashed"},
    "deux-sens": {"dir": "both"},
    # summed flows: the more flows, the thicker
    **{f"poids:{weight}": {"penwidth": f"{0.8 + 0.4 * weight:.1f}"} for weight in range(1, 10)},
    "suivante": {"color": "#34495e", "penwidth": "2", "arrowsize": "0.9"},
    "ordre": {"style": "invis", "weight": "10"},
    "sert": {"color": "#9aa5ad", "style": "dotted", "arrowhead": "none"},
    # change maps (``carte diff``, views/diff.py): added green, removed red, modified orange
    "diff:ajout": {"fillcolor": "#d4efcf", "color": "#2e7d32", "penwidth": "2"},
    "diff:retrait": {
        "style": "rounded,dashed,filled",
        "fillcolor": "#f8d3ce",
        "color": "#c62828",
        "penwidth": "2",
    },
    "diff:modification": {"fillcolor": "#ffe3bf", "color": "#e67e00", "penwidth": "2"},
    "diff:voisin": {"fillcolor": "#f4f4f4", "color": "#a0a0a0", "fontcolor": "#555555"},
    "flux:ajout": {"color": "#2e7d32", "penwidth": "2", "fontcolor": "#2e7d32"},
    "flux:retrait": {
        "color": "#c62828",
        "style": "dashed",
        "penwidth": "2",
        "fontcolor": "#c62828",
    },
    "flux:modification": {"color": "#e67e00", "penwidth": "2", "fontcolor": "#b35f00"},
}

# The convergence colour scale (POS): from red (each commune its own) to green (one shared).
HEAT_SCALE: tuple[str, ...] = (
    "#f4a6a0",  # 0 – 20 %
    "#f8c9a0",  # 20 – 40 %
    "#fbe6a3",  # 40 – 60 %
    "#d9eaa6",  # 60 – 80 %
    "#a9d8a2",  # 80 – 100 %
)
NO_HEAT = "#f2f2f2"


def heat_colour(value: float | None) -> str:
    """The fill colour of a value in [0, 1] on :data:`HEAT_SCALE`."""
    if value is None:
        return NO_HEAT
    index = min(int(max(value, 0.0) * len(HEAT_SCALE)), len(HEAT_SCALE) - 1)
    return HEAT_SCALE[index]


def attributes(tags: tuple[str, ...]) -> dict[str, str]:
    """The merged attributes of ``tags`` (later tags win), unknown tags ignored."""
    merged: dict[str, str] = {}
    for tag in tags:
        merged.update(STYLES.get(tag, {}))
    return merged

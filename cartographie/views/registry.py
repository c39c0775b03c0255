"""The map kinds, as a registry: a name → how to list its objects and build its view.

The CLI's ``carte`` commands and the atlas both go through :func:`build_view`, so that a map
kind added here appears in both. An unknown id is a :class:`~cartographie.errors.UsageError`
naming the closest known id.

The registry is data the command line reads at start-up to build its ``carte`` commands: the
builders (:class:`_Later`), the graph and the models load when a map is built.
"""

from __future__ import annotations

import difflib
import importlib
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from cartographie.errors import UnknownNameError
from cartographie.model.vocabulary import LAYERS, LIFECYCLES

if TYPE_CHECKING:
    from cartographie.graph import Portfolio
    from cartographie.views.common import MapOptions
    from cartographie.views.model import View


@dataclass(frozen=True)
class _Later:
    """``module.name``, imported when first called: the command line reads this registry at
    start-up (names, helps) and must not load the graph and the models to print ``--help``."""

    module: str
    name: str

    def __call__(self, *args: Any) -> Any:
        return getattr(importlib.import_module(self.module), self.name)(*args)


Builder = Callable[["Portfolio", str, "MapOptions"], "View"]


@dataclass(frozen=True)
class MapKind:
    name: str  # the CLI word: commune, bloc, processus, pos
    title: str  # French, for lists and the atlas
    builder: Builder
    ids: Callable[[Portfolio], list[str]]  # every object this kind maps, sorted
    noun: str  # "commune", "bloc", "processus" (error messages)
    # The ``carte NAME`` command (none: the atlas draws it, no command does): its help, example,
    # the help of its ID argument (none: the map has no object), and what it may filter.
    help: str = ""
    example: str = ""
    argument: str | None = None
    by_commune: bool = False  # --commune: one commune's applications
    flows: bool = True  # --sans-flux

    @property
    def command(self) -> bool:
        return bool(self.help)


def _leaf_blocks(portfolio: Portfolio) -> list[str]:
    return sorted(portfolio.leaf_blocks())


MAP_KINDS: dict[str, MapKind] = {
    "commune": MapKind(
        "commune",
        "Cartes des communes",
        _Later("cartographie.views.commune", "build_commune_map"),
        lambda portfolio: sorted(portfolio.communes()),
        "commune",
        "Carte d'une commune : ses applications en trois bandes (interface, métier, support).",
        "cartographie carte commune aurelle --format png",
        "Identifiant de la commune.",
    ),
    # A big commune's maps by layer and by zone (the atlas links them from the commune's page).
    "commune-couche": MapKind(
        "commune-couche",
        "Cartes des grandes communes, par couche",
        _Later("cartographie.views.commune", "build_commune_layer_map"),
        lambda portfolio: _Later("cartographie.views.commune", "commune_part_keys")(
            portfolio, "couche"
        ),
        "carte",
    ),
    "commune-zone": MapKind(
        "commune-zone",
        "Cartes des grandes communes, par zone",
        _Later("cartographie.views.commune", "build_commune_zone_map"),
        lambda portfolio: _Later("cartographie.views.commune", "commune_part_keys")(
            portfolio, "zone"
        ),
        "carte",
    ),
    "bloc": MapKind(
        "bloc",
        "Cartes des blocs fonctionnels",
        _Later("cartographie.views.block", "build_block_map"),
        _leaf_blocks,
        "bloc",
        "Carte d'un bloc fonctionnel : ses applications, toutes communes confondues.",
        "cartographie carte bloc proximite --sortie proximite.svg",
        "Identifiant du bloc fonctionnel.",
    ),
    # A split bloc's parts (a métropole with more than twenty communes in a bloc).
    "bloc-partie": MapKind(
        "bloc-partie",
        "Cartes des blocs, par secteurs",
        _Later("cartographie.views.block", "build_block_part_map"),
        _Later("cartographie.views.block", "block_part_keys"),
        "carte",
    ),
    "processus": MapKind(
        "processus",
        "Cartes des processus",
        _Later("cartographie.views.process", "build_process_map"),
        lambda portfolio: sorted(portfolio.inventory.processes),
        "processus",
        "Carte d'un processus : les étapes dans l'ordre, leurs acteurs et leurs applications.",
        "cartographie carte processus gdu --commune aurelle",
        "Identifiant du processus.",
        by_commune=True,
    ),
    # One commune's map of a process: the atlas links them from the all-communes map.
    "processus-commune": MapKind(
        "processus-commune",
        "Cartes des processus par commune",
        _Later("cartographie.views.process", "build_process_commune_map"),
        _Later("cartographie.views.process", "process_commune_keys"),
        "processus",
    ),
    "pos": MapKind(
        "pos",
        "Plan d'occupation des sols",
        _Later("cartographie.views.pos", "build_pos_map"),
        lambda _p: ["pos"],
        "carte",
        "Plan d'occupation des sols : zones, quartiers et blocs, colorés par taux de convergence.",
        "cartographie carte pos --format pdf --sortie pos.pdf",
        flows=False,
    ),
}


def closest(value: str, choices: list[str]) -> str | None:
    """The closest known id, for a « did you mean » hint."""
    found = difflib.get_close_matches(value, choices, n=1, cutoff=0.5)
    return found[0] if found else None


FEMININE = {"commune", "couche"}


def check_id(object_id: str, choices: list[str], noun: str) -> None:
    """Raise a UsageError naming the closest known id when ``object_id`` is not a choice."""
    if object_id in choices:
        return
    suggestion = closest(object_id, choices)
    hint = (
        f"vouliez-vous dire « {suggestion} » ?"
        if suggestion
        else (
            "valeurs possibles : " + ", ".join(choices[:12]) + (" …" if len(choices) > 12 else "")
        )
    )
    agreement = "e" if noun in FEMININE else ""
    raise UnknownNameError(f"{noun} inconnu{agreement} : « {object_id} »", hint)


def build_view(
    portfolio: Portfolio, kind: str, object_id: str = "pos", options: MapOptions | None = None
) -> View:
    """The view of map ``kind`` for ``object_id``; raises UsageError on an unknown kind or id."""
    if kind not in MAP_KINDS:
        check_id(kind, sorted(MAP_KINDS), "type de carte")
    map_kind = MAP_KINDS[kind]
    if options is None:
        from cartographie.views.common import MapOptions

        options = MapOptions()
    check_id(object_id, map_kind.ids(portfolio), map_kind.noun)
    if options.commune is not None:
        check_id(options.commune, sorted(portfolio.communes()), "commune")
    for layer in options.layers:
        check_id(layer, sorted(LAYERS), "couche")
    for lifecycle in options.lifecycles:
        check_id(lifecycle, sorted(LIFECYCLES), "cycle de vie")
    view = map_kind.builder(portfolio, object_id, options)
    moment = portfolio.inventory.moment
    if moment is None:
        return view
    from cartographie.model.dates import french_moment

    # A map at a date says so where it is read: under its title.
    dated = f"Au {french_moment(moment)}, d'après les dates de l'inventaire"
    return replace(view, subtitle=f"{view.subtitle} — {dated}" if view.subtitle else dated)

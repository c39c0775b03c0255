"""The kinds of inventory objects the atlas gives a page: where each page lives, and how the
search names it.

One registry (:data:`OBJECT_KINDS`): a kind is the word a reference carries
(:class:`cartographie.document.Ref` in a report, :class:`cartographie.views.Ref` on a map),
the folder of its pages, the French noun the search shows beside a result, which objects of the
inventory have a page, their names, and a short detail that tells two results of the same name
apart (an application's owner, a product's vendor). Links from maps and reports, the search
index and the pages all read it: adding a kind of page is one entry here and its page (the
chantiers' pages, from issue 16's roadmap, came in that way).

Zones and quartiers have no page of their own: they link to their section of the index, which
lists their blocs.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from cartographie.document.numbers import of
from cartographie.graph import Portfolio
from cartographie.model.dates import show_date
from cartographie.model.inventory import Inventory
from cartographie.model.vocabulary import LAYER_LABELS
from cartographie.render.files import safe_filename
from cartographie.views.text import clean, plural


@dataclass(frozen=True)
class ObjectKind:
    """A kind of object with a page in the atlas."""

    kind: str  # the references' word (« application », « produit »…)
    folder: str  # its pages: ``<folder>/<id>.html``
    noun: str  # French, shown beside a search result
    ids: Callable[[Inventory], Iterable[str]]  # the objects that have a page, sorted
    name: Callable[[Inventory, str], str]
    detail: Callable[[Portfolio, str], str]  # a few words beside the name in search results
    # Objects of this kind the search lists (all that have a page, unless the kind says less).
    searched: bool = True


def _leaf_blocks(inventory: Inventory) -> list[str]:
    return [key for key, block in inventory.blocks.items() if block.level == "bloc"]


def _organisations(inventory: Inventory) -> list[str]:
    """The métropole and the outside bodies: they own applications and are no commune."""
    return sorted({inventory.metropole.id, *inventory.partners})


def _application_detail(portfolio: Portfolio, app_id: str) -> str:
    inventory = portfolio.inventory
    application = inventory.applications[app_id]
    layer = LAYER_LABELS[application.layer].split(" (")[0].lower()
    owner = clean(inventory.organisation_name(inventory.owners[app_id]))
    retired = ", retirée" if application.lifecycle == "retiree" else ""
    return f"{owner}, {layer}{retired}"


def _bloc_detail(portfolio: Portfolio, block_id: str) -> str:
    inventory = portfolio.inventory
    return clean(inventory.blocks[inventory.zone_of(block_id)].name)


def _product_detail(portfolio: Portfolio, product_id: str) -> str:
    inventory = portfolio.inventory
    return clean(inventory.vendors[inventory.products[product_id].vendor].name)


def _vendor_detail(portfolio: Portfolio, vendor_id: str) -> str:
    return plural(len(products_of_vendor(portfolio.inventory, vendor_id)), "produit")


def _data_detail(portfolio: Portfolio, data_id: str) -> str:
    data = portfolio.inventory.data_objects[data_id]
    return "donnée personnelle" if data.personal else ""


def _organisation_detail(portfolio: Portfolio, organisation_id: str) -> str:
    inventory = portfolio.inventory
    return "métropole" if organisation_id == inventory.metropole.id else "organisme extérieur"


def _programme_detail(portfolio: Portfolio, programme_id: str) -> str:
    programme = portfolio.inventory.programmes[programme_id]
    return f"{show_date(programme.start)}–{show_date(programme.end)}"


def _zone_detail(portfolio: Portfolio, block_id: str) -> str:
    inventory = portfolio.inventory
    block = inventory.blocks[block_id]
    if block.level == "zone":
        return "zone"
    return f"quartier, {clean(inventory.blocks[inventory.zone_of(block_id)].name)}"


def _zones_and_quartiers(inventory: Inventory) -> list[str]:
    return [key for key, block in inventory.blocks.items() if block.level != "bloc"]


def products_of_vendor(inventory: Inventory, vendor_id: str) -> list[str]:
    """The vendor's products, sorted by id."""
    return [key for key, product in inventory.products.items() if product.vendor == vendor_id]


# In the order search results are listed in, kind by kind.
OBJECT_KINDS: dict[str, ObjectKind] = {
    kind.kind: kind
    for kind in (
        ObjectKind(
            "commune",
            "communes",
            "Commune",
            lambda inventory: list(inventory.communes),
            lambda inventory, key: inventory.communes[key].name,
            lambda portfolio, key: plural(
                len(portfolio.applications_of_commune(key)), "application"
            ),
        ),
        ObjectKind(
            "bloc",
            "blocs",
            "Bloc",
            _leaf_blocks,
            lambda inventory, key: inventory.blocks[key].name,
            _bloc_detail,
        ),
        ObjectKind(
            "processus",
            "processus",
            "Processus",
            lambda inventory: list(inventory.processes),
            lambda inventory, key: inventory.processes[key].name,
            lambda portfolio, key: plural(len(portfolio.inventory.processes[key].steps), "étape"),
        ),
        ObjectKind(
            "application",
            "applications",
            "Application",
            lambda inventory: list(inventory.applications),
            lambda inventory, key: inventory.applications[key].name,
            _application_detail,
        ),
        ObjectKind(
            "produit",
            "produits",
            "Produit",
            lambda inventory: list(inventory.products),
            lambda inventory, key: inventory.products[key].name,
            _product_detail,
        ),
        ObjectKind(
            "editeur",
            "editeurs",
            "Éditeur",
            lambda inventory: list(inventory.vendors),
            lambda inventory, key: inventory.vendors[key].name,
            _vendor_detail,
        ),
        ObjectKind(
            "donnee",
            "donnees",
            "Donnée",
            lambda inventory: list(inventory.data_objects),
            lambda inventory, key: inventory.data_objects[key].name,
            _data_detail,
        ),
        ObjectKind(
            "organisation",
            "organisations",
            "Organisation",
            _organisations,
            lambda inventory, key: inventory.organisation_name(key),
            _organisation_detail,
        ),
        ObjectKind(
            "delegation",
            "delegations",
            "Délégation",
            lambda inventory: list(inventory.delegations),
            lambda inventory, key: inventory.delegations[key].name,
            lambda portfolio, key: clean(portfolio.inventory.delegations[key].delegate),
        ),
        ObjectKind(
            "chantier",
            "chantiers",
            "Chantier",
            lambda inventory: list(inventory.programmes),
            lambda inventory, key: inventory.programmes[key].name,
            _programme_detail,
        ),
        # The commune's file for its comité numérique: a money document, so none without
        # cost parameters; its commune's page links it, the search lists the commune.
        ObjectKind(
            "dossier",
            "dossiers",
            "Dossier de commune",
            lambda inventory: list(inventory.communes) if inventory.costs is not None else [],
            lambda inventory, key: f"Dossier {of(inventory.communes[key].name)}",
            lambda portfolio, key: "pour le comité numérique communal",
            searched=False,
        ),
    )
}
# Zones and quartiers: a section of the index (``index.html#zone-…``), no page of their own.
SECTION_KINDS = ("zone", "quartier")
SECTIONS = ObjectKind(
    "zone",
    "",
    "Zone, quartier",
    _zones_and_quartiers,
    lambda inventory, key: inventory.blocks[key].name,
    _zone_detail,
)


@functools.lru_cache(maxsize=1 << 16)
def object_page(kind: str, object_id: str) -> str | None:
    """The page of an object of ``kind`` relative to the atlas's root, whether or not the
    object exists (``blocs/proximite.html``); None for a kind without pages."""
    if kind in SECTION_KINDS:
        return f"index.html#{kind}-{safe_filename(object_id)}"
    found = OBJECT_KINDS.get(kind)
    if found is None:
        return None
    return f"{found.folder}/{safe_filename(object_id)}.html"


def page_folders() -> tuple[str, ...]:
    return tuple(kind.folder for kind in OBJECT_KINDS.values())


__all__ = ["OBJECT_KINDS", "SECTIONS", "ObjectKind", "object_page", "products_of_vendor"]

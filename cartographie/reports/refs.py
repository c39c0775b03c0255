"""References to inventory objects, as the reports' cells hold them.

People read an object by its name and HTML links it to its atlas page, the id in its tooltip;
machines get its id (:class:`~cartographie.document.Ref`). Applications too: a report that reads
an application's name only as the label of its reference still says so
(``ReportSpec.names_of_applications=False``), and the atlas writes such a report's page once
with placeholders for the names, then fills them in (a renamed application does not make the
report again: :mod:`cartographie.atlas.pages`).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable

from cartographie.document import Ref
from cartographie.model.inventory import Inventory


# A report names the same objects on thousands of rows (the flows that bypass a hub, the matrix):
# each reference is made once. A Ref is immutable, so sharing it is safe.
@functools.lru_cache(maxsize=1 << 16)
def _ref(kind: str, identifier: str, label: str) -> Ref:
    return Ref(kind, identifier, label)


def organisation(inventory: Inventory, organisation_id: str | None) -> Ref | None:
    """A commune, the métropole or a partner, by its name (a commune of the métropole that has
    not joined the mutualisation is an ``autre-commune``: it has no page in the atlas)."""
    if organisation_id is None:
        return None
    if organisation_id in inventory.communes:
        kind = "commune"
    elif organisation_id == inventory.metropole.id or organisation_id in inventory.partners:
        kind = "organisation"
    else:
        kind = "autre-commune"
    return _ref(kind, organisation_id, inventory.organisation_name(organisation_id))


def communes(inventory: Inventory, ids: Iterable[str]) -> tuple[str, ...]:
    return tuple(ref for ref in (organisation(inventory, item) for item in sorted(set(ids))) if ref)


def block(inventory: Inventory, block_id: str | None) -> Ref | None:
    """A bloc, quartier or zone (only blocs have an atlas page)."""
    if block_id is None:
        return None
    found = inventory.blocks.get(block_id)
    if found is None:
        return _ref("bloc", block_id, block_id)
    return _ref(found.level, block_id, found.name)


def blocks(inventory: Inventory, ids: Iterable[str]) -> tuple[str, ...]:
    return tuple(ref for ref in (block(inventory, item) for item in sorted(set(ids))) if ref)


def application(inventory: Inventory, application_id: str | None) -> Ref | None:
    """An application, by its name."""
    if application_id is None:
        return None
    found = inventory.applications.get(application_id)
    return _ref("application", application_id, found.name if found else application_id)


def applications(inventory: Inventory, ids: Iterable[str]) -> tuple[str, ...]:
    """Applications, by id (the same order whatever their names)."""
    return tuple(ref for ref in (application(inventory, item) for item in sorted(set(ids))) if ref)


def product(inventory: Inventory, product_id: str | None) -> Ref | None:
    if product_id is None:
        return None
    found = inventory.products.get(product_id)
    return _ref("produit", product_id, found.name if found else product_id)


def products(inventory: Inventory, ids: Iterable[str]) -> tuple[str, ...]:
    return tuple(ref for ref in (product(inventory, item) for item in sorted(set(ids))) if ref)


def vendor(inventory: Inventory, vendor_id: str | None) -> Ref | None:
    if vendor_id is None:
        return None
    found = inventory.vendors.get(vendor_id)
    return _ref("editeur", vendor_id, found.name if found else vendor_id)


def vendors(inventory: Inventory, ids: Iterable[str]) -> tuple[str, ...]:
    return tuple(ref for ref in (vendor(inventory, item) for item in sorted(set(ids))) if ref)


def data(inventory: Inventory, data_id: str | None) -> Ref | None:
    if data_id is None:
        return None
    found = inventory.data_objects.get(data_id)
    return _ref("donnee", data_id, found.name if found else data_id)


def delegation(inventory: Inventory, delegation_id: str | None) -> Ref | None:
    if delegation_id is None:
        return None
    found = inventory.delegations.get(delegation_id)
    return _ref("delegation", delegation_id, found.name if found else delegation_id)

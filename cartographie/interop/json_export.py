"""JSON export: the whole validated inventory in one document, with a versioned JSON Schema.

The document is what the YAML holds, gathered in one place with every reference resolved: each
application carries its owner and users (defaults applied) and whether it is shared. Keys are the
French YAML keys; every field is present (``null`` when empty) so that consumers never test for
missing keys; lists are sorted by id (flows by their key). ``format`` and ``version`` say which
schema applies: a change that removes or renames a key raises ``version``; adding a key does not.
The schema is generated from :class:`JsonExport` (``cartographie exporter --format schema-json``).
"""

from __future__ import annotations

import json
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from cartographie.model.inventory import Inventory
from cartographie.model.records import (
    Application,
    Block,
    Commune,
    Datacenter,
    DataObject,
    Delegation,
    Domain,
    Flow,
    Id,
    Metropole,
    OtherCommune,
    Partner,
    Process,
    Product,
    Record,
    Sector,
    Vendor,
)
from cartographie.schema import SCHEMA_DIALECT

JSON_FORMAT = "cartographie/inventaire"
JSON_FORMAT_VERSION = 1


class ExportedApplication(Application):
    """An application as exported: owner and users resolved, ``partagee`` computed."""

    owner: Id = Field(
        alias="proprietaire", description="Propriétaire (commune, métropole ou partenaire)."
    )
    users: list[Id] = Field(
        alias="utilisateurs", description="Organisations qui l'utilisent (défaut appliqué)."
    )
    shared: bool = Field(
        alias="partagee",
        description=(
            "Mutualisée : utilisée par deux communes ou plus, ou propriété de la métropole."
        ),
    )
    vendor: Id | None = Field(
        None, alias="editeur", description="Éditeur du produit (déduit de « produit »)."
    )


class JsonExport(BaseModel):
    """The envelope of ``cartographie exporter --format json``."""

    model_config = ConfigDict(
        extra="forbid",
        populate_by_name=False,
        title="Export JSON de l'inventaire cartographie",
        json_schema_extra={
            "description": (
                "L'inventaire complet du patrimoine applicatif, références résolues. "
                "Voir docs/echanges.md, section JSON."
            )
        },
    )
    format: Literal["cartographie/inventaire"] = Field(
        alias="format", description="Nom du format : toujours « cartographie/inventaire »."
    )
    version: Literal[1] = Field(alias="version", description="Version du schéma de l'export.")
    metropole: Metropole = Field(alias="metropole")
    communes: list[Commune] = Field(alias="communes")
    other_communes: list[OtherCommune] = Field(alias="autres_communes")
    sectors: list[Sector] = Field(alias="secteurs")
    domains: list[Domain] = Field(alias="domaines")
    partners: list[Partner] = Field(alias="partenaires")
    datacenters: list[Datacenter] = Field(alias="centres_de_donnees")
    blocks: list[Block] = Field(alias="blocs")
    processes: list[Process] = Field(alias="processus")
    data_objects: list[DataObject] = Field(alias="donnees")
    vendors: list[Vendor] = Field(alias="editeurs")
    products: list[Product] = Field(alias="produits")
    delegations: list[Delegation] = Field(alias="delegations")
    applications: list[ExportedApplication] = Field(alias="applications")
    flows: list[Flow] = Field(alias="flux")


def _dump(record: Record) -> dict[str, Any]:
    data: dict[str, Any] = record.model_dump(by_alias=True, mode="json")
    return data


def export_json_data(inventory: Inventory) -> dict[str, Any]:
    """The export as plain data (what :func:`export_json` serialises)."""
    applications = []
    for application_id, application in inventory.applications.items():
        data = _dump(application)
        data["proprietaire"] = inventory.owners[application_id]
        data["utilisateurs"] = list(inventory.users[application_id])
        data["partagee"] = inventory.is_shared(application_id)
        data["editeur"] = inventory.vendor_of(application_id)
        applications.append(data)
    return {
        "format": JSON_FORMAT,
        "version": JSON_FORMAT_VERSION,
        "metropole": _dump(inventory.metropole),
        "communes": [_dump(record) for record in inventory.communes.values()],
        "autres_communes": [_dump(record) for record in inventory.other_communes.values()],
        "secteurs": [_dump(record) for record in inventory.sectors.values()],
        "domaines": [_dump(record) for record in inventory.domains.values()],
        "partenaires": [_dump(record) for record in inventory.partners.values()],
        "centres_de_donnees": [_dump(record) for record in inventory.datacenters.values()],
        "blocs": [_dump(record) for record in inventory.blocks.values()],
        "processus": [_dump(record) for record in inventory.processes.values()],
        "donnees": [_dump(record) for record in inventory.data_objects.values()],
        "editeurs": [_dump(record) for record in inventory.vendors.values()],
        "produits": [_dump(record) for record in inventory.products.values()],
        "delegations": [_dump(record) for record in inventory.delegations.values()],
        "applications": applications,
        "flux": [_dump(flow) for flow in sorted(inventory.flows, key=lambda flow: flow.key)],
    }


def export_json(inventory: Inventory) -> str:
    """The inventory as a JSON document (sorted keys, accents kept, final newline)."""
    return (
        json.dumps(export_json_data(inventory), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    )


def export_json_schema() -> str:
    """The JSON Schema (draft 2020-12) of the export, as text."""
    schema = JsonExport.model_json_schema(by_alias=True, mode="serialization")
    document = {"$schema": SCHEMA_DIALECT, "$id": f"{JSON_FORMAT}/v{JSON_FORMAT_VERSION}", **schema}
    return json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True) + "\n"

"""The validated inventory: every record of every file, indexed by id.

An :class:`Inventory` is only ever built by ``cartographie.inventory.load_inventory`` after
validation, so its references resolve: code downstream may index ``inventory.applications[id]``
without checking. Dictionaries are sorted by id, so that iterating over them is deterministic.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from cartographie.model.records import (
    Application,
    Block,
    Commune,
    CostParameters,
    Datacenter,
    DataObject,
    Delegation,
    Domain,
    Flow,
    Metropole,
    OtherCommune,
    Partner,
    Process,
    Product,
    Programme,
    RecordedDiagnostic,
    RuleSetting,
    Sector,
    Vendor,
)


@dataclass
class Inventory:
    """The whole portfolio as records. Read-only by convention once loaded."""

    root: Path
    metropole: Metropole
    # The communes engaged in the mutualisation (the portfolio's), and the métropole's other
    # communes, listed without applications ("14 communes engagées sur N").
    communes: dict[str, Commune] = field(default_factory=dict)
    other_communes: dict[str, OtherCommune] = field(default_factory=dict)
    # The technical services' territorial sectors (secteurs d'intervention).
    sectors: dict[str, Sector] = field(default_factory=dict)
    domains: dict[str, Domain] = field(default_factory=dict)
    partners: dict[str, Partner] = field(default_factory=dict)
    datacenters: dict[str, Datacenter] = field(default_factory=dict)
    blocks: dict[str, Block] = field(default_factory=dict)
    processes: dict[str, Process] = field(default_factory=dict)
    data_objects: dict[str, DataObject] = field(default_factory=dict)
    vendors: dict[str, Vendor] = field(default_factory=dict)
    products: dict[str, Product] = field(default_factory=dict)
    delegations: dict[str, Delegation] = field(default_factory=dict)
    # Chantiers (referentiel/chantiers.yaml): plans, with their waves and retirements.
    programmes: dict[str, Programme] = field(default_factory=dict)
    applications: dict[str, Application] = field(default_factory=dict)
    # Flows sorted by key; a flow's key is unique once validated.
    flows: list[Flow] = field(default_factory=list)
    # Application id -> its owner (the file's ``proprietaire`` unless the record overrides it).
    owners: dict[str, str] = field(default_factory=dict)
    # Application id -> the organisations that use it (``utilisateurs``, default the owner).
    users: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # Change tracking (docs/suivi.md): rule settings by code (regles.yaml), and the recorded
    # diagnostics sorted by date, project and file.
    rules: dict[str, RuleSetting] = field(default_factory=dict)
    diagnostics: list[RecordedDiagnostic] = field(default_factory=list)
    # The date this portfolio stands at when it was rebuilt by ``model.as_of`` (``--date``);
    # ``None`` for the inventory as written, which describes today.
    moment: dt.date | None = None
    # The cost parameters (referentiel/couts.yaml), when the inventory declares them.
    costs: CostParameters | None = None

    # --- small derived facts every consumer needs -----------------------------------------

    def organisation_name(self, organisation_id: str) -> str:
        if organisation_id == self.metropole.id:
            return self.metropole.name
        if organisation_id in self.communes:
            return self.communes[organisation_id].name
        if organisation_id in self.other_communes:
            return self.other_communes[organisation_id].name
        if organisation_id in self.partners:
            return self.partners[organisation_id].name
        return organisation_id

    def is_external(self, application_id: str) -> bool:
        """True for an application of an outside body (a partner such as the CAF)."""
        return self.owners[application_id] in self.partners

    def is_shared(self, application_id: str) -> bool:
        """Shared (mutualisée): used by two communes or more, or owned by the métropole."""
        if self.owners[application_id] == self.metropole.id:
            return True
        return sum(1 for user in self.users[application_id] if user in self.communes) >= 2

    def sectors_of_commune(self, commune_id: str) -> list[tuple[str, str | None]]:
        """The sectors covering the commune (engaged or not), with the part each covers
        (``None``: the whole commune), sorted by sector id."""
        return [
            (sector.id, area.part)
            for sector in self.sectors.values()
            for area in sector.areas
            if area.commune == commune_id
        ]

    def vendor_of(self, application_id: str) -> str | None:
        product = self.applications[application_id].product
        return self.products[product].vendor if product else None

    def api_openness(self, application_id: str) -> str | None:
        """The product's API openness, or its vendor's when the product does not say."""
        product_id = self.applications[application_id].product
        if product_id is None:
            return None
        product = self.products[product_id]
        return product.api or self.vendors[product.vendor].api

    def block_ancestors(self, block_id: str) -> list[str]:
        """The bloc's parents, nearest first (quartier, then zone)."""
        chain: list[str] = []
        parent = self.blocks[block_id].parent
        while parent is not None and parent not in chain:
            chain.append(parent)
            parent = self.blocks[parent].parent
        return chain

    def zone_of(self, block_id: str) -> str:
        chain = [block_id, *self.block_ancestors(block_id)]
        return chain[-1]

    def blocks_under(self, block_id: str) -> list[str]:
        """The bloc and every zone, quartier or bloc below it, sorted by id."""
        children: dict[str, list[str]] = {}
        for block in self.blocks.values():
            if block.parent is not None:
                children.setdefault(block.parent, []).append(block.id)
        found: list[str] = []
        todo = [block_id]
        while todo:
            current = todo.pop()
            found.append(current)
            todo.extend(children.get(current, []))
        return sorted(found)

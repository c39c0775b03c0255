"""The atlas's catalogue: the pages of objects without a map, and the indexes.

- one page per product, vendor, data object, organisation (the métropole, each outside body)
  and délégation, each listing its applications;
- a data object's page says who produces it and who receives it, and each flow that carries
  it, through the hub or point to point;
- three indexes in ``listes/``: ``applications.html`` (every application in one sortable,
  filterable table), ``editeurs.html`` (vendors and their products), ``donnees.html``;
- ``listes/recherche.html``, the page of every result of a search (``atlas.js`` fills it).

What each page reads is in its digest (:mod:`cartographie.atlas.deps`): the incremental atlas
redoes it when that changes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from markupsafe import Markup

from cartographie.atlas.objects import products_of_vendor
from cartographie.model.records import Flow
from cartographie.model.vocabulary import (
    API_LABELS,
    CNIL_SECTOR_LABELS,
    FREQUENCY_LABELS,
    LAYER_LABELS,
    LAYERS,
    LIFECYCLE_LABELS,
    LIFECYCLES,
    PROTOCOL_LABELS,
)
from cartographie.views.text import clean

if TYPE_CHECKING:
    from cartographie.atlas.pages import AppRow, Named, PageWriter

# The index pages at the atlas's root, each from its template.
# One folder deep, as every page but the index: rows of applications are linked once for all.
INDEX_FOLDER = "listes"
INDEX_PAGES = tuple(
    f"{INDEX_FOLDER}/{name}.html" for name in ("applications", "editeurs", "donnees", "recherche")
)


@dataclass(frozen=True, slots=True)
class FlowLine:
    source: Named
    source_owner: Named
    target: Named
    target_owner: Named
    via: Named | None
    protocol: str
    frequency: str


@dataclass(frozen=True, slots=True)
class FlowEnd:
    """An application at one end of a data object's flows."""

    application: Named
    owner: Named
    flows: int
    via_hub: int
    point_to_point: int


class Catalogue:
    """What the catalogue's pages share: applications by product, owner and délégation, flows
    by data object; made once per run."""

    def __init__(self, writer: PageWriter) -> None:
        self.writer = writer
        inventory = writer.inventory
        self.by_product: dict[str, list[str]] = defaultdict(list)
        self.by_owner: dict[str, list[str]] = defaultdict(list)
        self.by_delegation: dict[str, list[str]] = defaultdict(list)
        for app_id, application in inventory.applications.items():
            if application.product is not None:
                self.by_product[application.product].append(app_id)
            self.by_owner[inventory.owners[app_id]].append(app_id)
            if application.delegation is not None:
                self.by_delegation[application.delegation].append(app_id)
        self.by_data: dict[str, list[Flow]] = defaultdict(list)
        for flow in inventory.flows:
            self.by_data[flow.data].append(flow)

    def by_name(self, kind: str, object_ids: Iterable[str]) -> list[str]:
        """Objects of ``kind`` sorted as people read them: by name, then id."""
        link = self.writer.object_link
        return sorted(object_ids, key=lambda item: (link(kind, item).name.casefold(), item))

    def rows(self, app_ids: list[str]) -> list[AppRow]:
        """The rows of these applications, by name (then id)."""
        rows = [self.writer.app_row(app_id) for app_id in app_ids]
        rows.sort(key=lambda row: (row.name.casefold(), row.id))
        return rows

    # --- one page per object ------------------------------------------------------------

    def product(self, product_id: str, page: str) -> str:
        writer = self.writer
        inventory = writer.inventory
        product = inventory.products[product_id]
        vendor = writer.object_link("editeur", product.vendor)
        api = product.api or inventory.vendors[product.vendor].api
        details: list[tuple[str, object]] = [
            ("Éditeur", vendor),
            ("Suite", clean(product.suite or "")),
            ("Licence", "libre" if product.licence == "libre" else "propriétaire"),
            ("Interfaces", API_LABELS[api]),
            ("Fin de support", str(product.end_of_support or "")),
        ]
        rows = self.rows(self.by_product.get(product_id, []))
        communes = {
            user for row in rows for user in inventory.users[row.id] if user in inventory.communes
        }
        return writer.write(
            page,
            "produit.html",
            title=clean(product.name),
            vendor=vendor,
            details=[(label, value) for label, value in details if value],
            rows=rows,
            communes=len(communes),
        )

    def vendor(self, vendor_id: str, page: str) -> str:
        writer = self.writer
        vendor = writer.inventory.vendors[vendor_id]
        products = products_of_vendor(writer.inventory, vendor_id)
        app_ids = [app_id for product in products for app_id in self.by_product.get(product, [])]
        details: list[tuple[str, object]] = [
            ("Interfaces", API_LABELS[vendor.api]),
            ("Site", clean(vendor.website or "")),
        ]
        return writer.write(
            page,
            "editeur.html",
            title=clean(vendor.name),
            details=[(label, value) for label, value in details if value],
            products=[
                (writer.object_link("produit", product), len(self.by_product.get(product, [])))
                for product in self.by_name("produit", products)
            ],
            rows=self.rows(app_ids),
        )

    def data(self, data_id: str, page: str) -> str:
        writer = self.writer
        inventory = writer.inventory
        data = inventory.data_objects[data_id]
        flows = self.by_data.get(data_id, [])
        lines = []
        ends: dict[str, dict[str, list[int]]] = {"source": {}, "target": {}}
        for flow in flows:
            lines.append(
                FlowLine(
                    writer.object_link("application", flow.source),
                    writer.organisation_link(inventory.owners[flow.source]),
                    writer.object_link("application", flow.target),
                    writer.organisation_link(inventory.owners[flow.target]),
                    writer.object_link("application", flow.via) if flow.via else None,
                    PROTOCOL_LABELS[flow.protocol],
                    FREQUENCY_LABELS[flow.frequency],
                )
            )
            for side, app_id in (("source", flow.source), ("target", flow.target)):
                counts = ends[side].setdefault(app_id, [0, 0])
                counts[0 if flow.via else 1] += 1
        lines.sort(key=lambda line: (line.source.name, line.target.name))

        def end_rows(side: str) -> list[FlowEnd]:
            found = [
                FlowEnd(
                    writer.object_link("application", app_id),
                    writer.organisation_link(inventory.owners[app_id]),
                    hub + direct,
                    hub,
                    direct,
                )
                for app_id, (hub, direct) in ends[side].items()
            ]
            found.sort(key=lambda end: (-end.flows, end.application.name))
            return found

        details: list[tuple[str, object]] = [
            ("Donnée personnelle", "oui" if data.personal else "non"),
            ("Secteur CNIL", CNIL_SECTOR_LABELS[data.cnil_sector] if data.cnil_sector else ""),
            (
                "Blocs producteurs",
                Markup(", ").join(
                    writer.object_link("bloc", item) for item in data.producer_blocks
                ),
            ),
            (
                "Blocs destinataires",
                Markup(", ").join(
                    writer.object_link("bloc", item) for item in data.consumer_blocks
                ),
            ),
        ]
        via_hub = sum(1 for flow in flows if flow.via)
        return writer.write(
            page,
            "donnee.html",
            title=clean(data.name),
            description=clean(data.description or ""),
            details=[(label, value) for label, value in details if value],
            flows=lines,
            via_hub=via_hub,
            point_to_point=len(flows) - via_hub,
            producers=end_rows("source"),
            consumers=end_rows("target"),
        )

    def organisation(self, organisation_id: str, page: str) -> str:
        writer = self.writer
        inventory = writer.inventory
        metropole = organisation_id == inventory.metropole.id
        partner = inventory.partners.get(organisation_id)
        return writer.write(
            page,
            "organisation.html",
            title=writer.name(organisation_id),
            kind="Métropole" if metropole else "Organisme extérieur",
            description=clean(partner.description or "") if partner else "",
            rows=self.rows(self.by_owner.get(organisation_id, [])),
        )

    def delegation(self, delegation_id: str, page: str) -> str:
        writer = self.writer
        inventory = writer.inventory
        delegation = inventory.delegations[delegation_id]
        details: list[tuple[str, object]] = [
            ("Délégataire", clean(delegation.delegate)),
            ("Service", clean(delegation.service)),
            ("Autorité délégante", writer.organisation_link(delegation.authority)),
            ("Début", str(delegation.start)),
            ("Fin", str(delegation.end)),
            ("Montant", writer.euros(delegation.amount)),
            ("Clause sur les données", clean(delegation.data_clause or "")),
            ("Données restituées", "oui" if delegation.data_returned else "non"),
            (
                "Renouvelle",
                writer.object_link("delegation", delegation.renews) if delegation.renews else "",
            ),
        ]
        return writer.write(
            page,
            "delegation.html",
            title=clean(delegation.name),
            details=[(label, value) for label, value in details if value],
            rows=self.rows(self.by_delegation.get(delegation_id, [])),
        )

    # --- indexes ------------------------------------------------------------------------

    def index(self, page: str) -> str:
        name = page.rsplit("/", 1)[-1]
        if name == "applications.html":
            return self._applications(page)
        if name == "editeurs.html":
            return self._vendors(page)
        if name == "donnees.html":
            return self._data_objects(page)
        return self.writer.write(page, "recherche.html", title="Recherche")

    def _applications(self, page: str) -> str:
        writer = self.writer
        inventory = writer.inventory
        rows = self.rows(list(inventory.applications))
        owners = sorted(self.by_owner, key=lambda item: (writer.name(item).casefold(), item))
        blocks = sorted(
            (key for key, block in inventory.blocks.items() if block.level == "bloc"),
            key=lambda item: (clean(inventory.blocks[item].name).casefold(), item),
        )
        filters = [
            (
                "proprietaire",
                "Propriétaire",
                1,
                [(owner, writer.name(owner)) for owner in owners],
            ),
            (
                "bloc",
                "Bloc",
                3,
                [(block, clean(inventory.blocks[block].name)) for block in blocks],
            ),
            ("couche", "Couche", 4, [(layer, LAYER_LABELS[layer]) for layer in LAYERS]),
            (
                "cycle",
                "Cycle de vie",
                7,
                [(lifecycle, LIFECYCLE_LABELS[lifecycle]) for lifecycle in LIFECYCLES],
            ),
        ]
        return writer.write(
            page,
            "applications.html",
            title="Applications",
            rows=rows,
            filters=filters,
        )

    def _vendors(self, page: str) -> str:
        writer = self.writer
        inventory = writer.inventory
        vendors = []
        for vendor_id in self.by_name("editeur", inventory.vendors):
            products = self.by_name("produit", products_of_vendor(inventory, vendor_id))
            counts = [len(self.by_product.get(product, [])) for product in products]
            vendors.append(
                {
                    "link": writer.object_link("editeur", vendor_id),
                    "api": API_LABELS[inventory.vendors[vendor_id].api],
                    "products": [
                        (writer.object_link("produit", product), count)
                        for product, count in zip(products, counts, strict=True)
                    ],
                    "applications": sum(counts),
                }
            )
        specific = sum(1 for app in inventory.applications.values() if app.product is None)
        return writer.write(
            page, "editeurs.html", title="Éditeurs et produits", vendors=vendors, specific=specific
        )

    def _data_objects(self, page: str) -> str:
        writer = self.writer
        inventory = writer.inventory
        objects = []
        for data_id in self.by_name("donnee", inventory.data_objects):
            flows = self.by_data.get(data_id, [])
            via_hub = sum(1 for flow in flows if flow.via)
            data = inventory.data_objects[data_id]
            objects.append(
                {
                    "link": writer.object_link("donnee", data_id),
                    "personal": (
                        CNIL_SECTOR_LABELS[data.cnil_sector]
                        if data.personal and data.cnil_sector
                        else "oui"
                        if data.personal
                        else "non"
                    ),
                    "flows": len(flows),
                    "via_hub": via_hub,
                    "point_to_point": len(flows) - via_hub,
                    "producers": len({flow.source for flow in flows}),
                    "consumers": len({flow.target for flow in flows}),
                }
            )
        return writer.write(page, "donnees.html", title="Données échangées", objects=objects)

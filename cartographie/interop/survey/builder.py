"""Turning the rows into an inventory: each row one application owned by the commune of its
row (the métropole when the source names no commune); the communes, the urbanisation map (zones,
quartiers, blocs), vendors and products built from the values met. Reading the rows is
:mod:`.rows`'s business; a problem between rows (a duplicate, a bloc in two quartiers) is
recorded here with both row numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import ValidationError

from cartographie.errors import shorten
from cartographie.interop.common import InventoryDraft, slugify
from cartographie.interop.survey.fields import (
    PASSTHROUGH,
    TARGETS,
)
from cartographie.interop.survey.rows import RowReader
from cartographie.interop.survey.values import (
    RowError,
    match_key,
)
from cartographie.model.records import Application, Block, Commune, Metropole, Product, Vendor

DEFAULT_VENDOR_API = "proprietaire"
DEFAULT_ZONE = ("etat-des-lieux", "État des lieux")
DEFAULT_DISTRICT = ("a-classer", "À classer")
_ORDER = [info.alias for info in Application.model_fields.values()]


@dataclass
class _BlockPlace:
    name: str
    district: str
    row: int


@dataclass
class Builder(RowReader):
    """Rows → applications, and the territory and referentials the rows name."""

    communes: dict[str, Commune] = field(default_factory=dict)
    commune_lookup: dict[str, str] = field(default_factory=dict)
    zones: dict[str, str] = field(default_factory=dict)
    districts: dict[str, tuple[str, str]] = field(default_factory=dict)
    blocks: dict[str, _BlockPlace] = field(default_factory=dict)
    vendors: dict[str, tuple[str, str, int]] = field(default_factory=dict)
    products: dict[str, tuple[str, str, int]] = field(default_factory=dict)
    applications: dict[str, list[Application]] = field(default_factory=dict)
    application_rows: dict[str, int] = field(default_factory=dict)

    # --- territory --------------------------------------------------------------------------

    def declare_communes(self) -> None:
        for index, raw in enumerate(self.mapping.communes):
            try:
                commune = Commune.model_validate(raw)
            except ValidationError as error:
                for detail in error.errors(include_url=False):
                    where = ".".join(str(step) for step in detail["loc"])
                    self.mapping_problem(
                        "E204",
                        f"communes n° {index + 1} : {where} : {detail['msg']}",
                        "une commune a au moins « id » et « nom »",
                    )
                continue
            self.communes[commune.id] = commune
            self.commune_lookup[match_key(commune.id)] = commune.id
            self.commune_lookup[match_key(commune.name)] = commune.id

    def organisation(self, target: str, raw: str) -> str:
        """The id of the commune (or the métropole) a cell names; declares new communes."""
        key = match_key(raw)
        translated = self.translate(target, raw)
        if translated is None and target != "commune":
            translated = self.translate("commune", raw)
        metropole = self.mapping.metropole
        names = (metropole.id, metropole.name, metropole.short_name or metropole.id)
        if translated is None and key in {match_key(name) for name in names}:
            translated = metropole.id
        if translated is None:
            translated = self.commune_lookup.get(key)
        identifier = str(translated) if translated is not None else slugify(raw)
        if not identifier:
            raise RowError("E205", "ne donne pas d'identifiant de commune", value=raw)
        if identifier == metropole.id:
            return identifier
        if slugify(identifier) != identifier:
            raise RowError(
                "E205",
                f"est traduit en « {identifier} » par « valeurs », qui n'est pas un identifiant",
                f"écrivez un identifiant en minuscules et tirets : « {slugify(identifier)} »",
                raw,
            )
        if identifier not in self.communes:
            self.communes[identifier] = Commune.model_validate({"id": identifier, "nom": raw})
        self.commune_lookup.setdefault(key, identifier)
        return identifier

    def add_row(self, number: int, values: list[Any]) -> None:
        self.rows += 1
        row, complete = self.read_row(number, values)
        owner = self.mapping.metropole.id
        users: list[str] = []
        try:
            if "commune" in row:
                owner = self.organisation("commune", row["commune"])
            users = [
                self.organisation("utilisateurs", name) for name in row.get("utilisateurs", [])
            ]
        except RowError as error:
            self.row_problem(number, "commune", error)
            complete = False
        identifier = self.identifier(number, owner, row)
        if identifier is None:
            complete = False
        blocks = self.place_blocks(number, row)
        product = self.product_of(number, row)
        if not complete or identifier is None or blocks is None or product is False:
            return
        record: dict[str, Any] = {key: row[key] for key in PASSTHROUGH if key in row}
        record["id"] = identifier
        if users:
            record["utilisateurs"] = sorted(set(users))
        if blocks:
            record["blocs"] = blocks
        if product:
            record["produit"] = product
        properties = self.properties_of(values)
        if properties:
            record["proprietes"] = properties
        # Keys in the model's order, so that the YAML reads like a hand-written one.
        ordered = {alias: record[alias] for alias in _ORDER if alias in record}
        try:
            application = Application.model_validate(ordered)
        except ValidationError as error:
            for detail in error.errors(include_url=False):
                key = str(detail["loc"][0]) if detail["loc"] else ""
                target = key if key in TARGETS else "id"
                self.row_problem(
                    number,
                    target,
                    RowError(
                        "E206",
                        f"est refusé ({detail['msg']})",
                        "corrigez la cellule",
                        shorten(str(detail.get("input"))),
                    ),
                )
            return
        self.application_rows[identifier] = number
        self.applications.setdefault(owner, []).append(application)

    def identifier(self, number: int, owner: str, row: dict[str, Any]) -> str | None:
        if "id" in row:
            identifier = slugify(row["id"])
            if not identifier:
                self.row_problem(
                    number,
                    "id",
                    RowError(
                        "E205",
                        "ne donne pas d'identifiant",
                        "donnez un code avec des lettres",
                        row["id"],
                    ),
                )
                return None
        elif "nom" in row:
            identifier = slugify(f"{owner} {row['nom']}")
        else:
            return None
        first = self.application_rows.get(identifier)
        if first is not None:
            self.problems.add(
                number,
                "E301",
                "",
                f"application « {identifier} » en double : déjà à la {self.sheet.row_word} {first}",
                "supprimez le doublon, ou distinguez les deux lignes par leur nom ou par une "
                "colonne d'identifiants",
            )
            return None
        self.application_rows.setdefault(identifier, number)
        return identifier

    def place_blocks(self, number: int, row: dict[str, Any]) -> list[str] | None:
        names: list[str] = row.get("blocs", [])
        if not names:
            return []
        zone_name = row.get("zone")
        district_name = row.get("quartier")
        zone_id = f"zone-{slugify(zone_name)}" if zone_name and slugify(zone_name) else None
        if district_name and slugify(district_name):
            district_id = f"quartier-{slugify(district_name)}"
        elif zone_id is not None:
            district_id = f"quartier-{zone_id.removeprefix('zone-')}"
            district_name = f"{zone_name} (à classer)"
        else:
            district_id, district_name = f"quartier-{DEFAULT_DISTRICT[0]}", DEFAULT_DISTRICT[1]
        if zone_id is None:
            zone_id, zone_name = f"zone-{DEFAULT_ZONE[0]}", DEFAULT_ZONE[1]
        self.zones.setdefault(zone_id, str(zone_name))
        known = self.districts.setdefault(district_id, (str(district_name), zone_id))
        if known[1] != zone_id:
            self.problems.add(
                number,
                "E303",
                self.column_name("quartier"),
                f"le quartier « {district_name} » est déjà rangé dans la zone "
                f"« {self.zones[known[1]]} »",
                "un quartier appartient à une seule zone : harmonisez la colonne des zones",
            )
            return None
        identifiers: list[str] = []
        for name in names:
            block_id = slugify(name)
            if not block_id:
                self.row_problem(
                    number,
                    "blocs",
                    RowError(
                        "E205",
                        "ne donne pas d'identifiant de bloc",
                        "nommez le bloc avec des lettres",
                        name,
                    ),
                )
                return None
            place = self.blocks.setdefault(block_id, _BlockPlace(name, district_id, number))
            if place.district != district_id:
                self.problems.add(
                    number,
                    "E303",
                    self.column_name("blocs"),
                    f"le bloc « {name} » est rangé dans le quartier "
                    f"« {self.districts[place.district][0]} » à la {self.sheet.row_word} "
                    f"{place.row}, et ici dans « {district_name} »",
                    "un bloc appartient à un seul quartier : harmonisez les lignes",
                )
                return None
            if block_id not in identifiers:
                identifiers.append(block_id)
        return identifiers

    def product_of(self, number: int, row: dict[str, Any]) -> str | Literal[False] | None:
        vendor_name = row.get("editeur")
        product_name = row.get("produit")
        if not vendor_name and not product_name:
            return None
        if vendor_name:
            vendor_id = slugify(vendor_name) or "editeur-non-precise"
        else:
            vendor_id, vendor_name = "editeur-non-precise", "Éditeur non précisé"
        api = row.get("api", DEFAULT_VENDOR_API)
        known_vendor = self.vendors.setdefault(vendor_id, (str(vendor_name), api, number))
        if known_vendor[1] != api:
            self.problems.add(
                number,
                "E206",
                self.column_name("api"),
                f"« {api} » pour l'éditeur « {vendor_name} », noté « {known_vendor[1]} » à la "
                f"{self.sheet.row_word} {known_vendor[2]}",
                "un éditeur a une seule ouverture d'API : harmonisez les lignes",
            )
            return False
        if product_name:
            product_id = slugify(product_name) or f"{vendor_id}-produit"
        else:
            product_id, product_name = (
                f"{vendor_id}-produit",
                f"{vendor_name} (produit non précisé)",
            )
        known_product = self.products.setdefault(product_id, (str(product_name), vendor_id, number))
        if known_product[1] != vendor_id:
            self.problems.add(
                number,
                "E206",
                self.column_name("produit"),
                f"le produit « {product_name} » est attribué à l'éditeur "
                f"« {self.vendors[known_product[1]][0]} » à la {self.sheet.row_word} "
                f"{known_product[2]}",
                "un produit a un seul éditeur : harmonisez les lignes",
            )
            return False
        return product_id

    def draft(self) -> InventoryDraft:
        spec = self.mapping.metropole
        metropole = Metropole.model_validate(
            {
                "id": spec.id,
                "nom": spec.name,
                **({"sigle": spec.short_name} if spec.short_name else {}),
            }
        )
        blocks = [
            Block.model_validate({"id": zone_id, "nom": name, "niveau": "zone"})
            for zone_id, name in self.zones.items()
        ]
        blocks += [
            Block.model_validate(
                {"id": district_id, "nom": name, "niveau": "quartier", "parent": zone_id}
            )
            for district_id, (name, zone_id) in self.districts.items()
        ]
        blocks += [
            Block.model_validate(
                {"id": block_id, "nom": place.name, "niveau": "bloc", "parent": place.district}
            )
            for block_id, place in self.blocks.items()
        ]
        vendors = [
            Vendor.model_validate({"id": vendor_id, "nom": name, "api": api})
            for vendor_id, (name, api, _row) in self.vendors.items()
        ]
        products = [
            Product.model_validate({"id": product_id, "nom": name, "editeur": vendor_id})
            for product_id, (name, vendor_id, _row) in self.products.items()
        ]
        return InventoryDraft(
            metropole=metropole,
            communes=list(self.communes.values()),
            blocks=blocks,
            vendors=vendors,
            products=products,
            applications=self.applications,
            provenance=f"Importé de {self.sheet.name} par cartographie.",
        )

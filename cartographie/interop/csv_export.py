"""CSV export: one file per kind of object, for a spreadsheet or a BI tool.

In the one CSV dialect of the tool (:mod:`cartographie.document.csvfile`): by default what Excel
in a French locale opens without an import wizard (``;``, a decimal comma, UTF-8 with a
byte-order mark), ``--csv standard`` for tools. Headers are the French YAML keys; a list is one
cell, its items joined with ``", "``; booleans are ``oui``/``non``; empty is an empty cell; a
text that a spreadsheet would read as a formula is neutralised. Rows are sorted by id (flows by
source, target, data object), so the files diff well.

Nested records get their own file: ``mutualisations.csv`` (commune × domain) and ``etapes.csv``
(process steps), and ``utilisations.csv`` spells out every (commune, application) use pair, the
unit of the convergence figures (DESIGN.md §7). ``applications.csv`` resolves owner and users
(defaults applied) and adds the vendor and whether the application is shared.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from cartographie.document.csvfile import CsvDialect, csv_text, dialect, safe_cell
from cartographie.model.inventory import Inventory
from cartographie.model.records import Record

LIST_SEPARATOR = ", "


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, (list, tuple)):
        return LIST_SEPARATOR.join(_text(item) for item in value)
    if isinstance(value, dict):  # free properties: « clé : valeur » on one line each
        return "\n".join(f"{key} : {_text(item)}" for key, item in sorted(value.items()))
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _cell(value: Any, chosen: CsvDialect) -> str:
    if isinstance(value, bool) or value is None:
        return _text(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value).replace(".", chosen.decimal)
    return safe_cell(_text(value))


def _columns(model: type[Record], skip: Iterable[str] = ()) -> list[str]:
    skipped = set(skip)
    names = [info.alias or name for name, info in model.model_fields.items()]
    return [name for name in names if name not in skipped]


def export_csv(inventory: Inventory, dialect_name: str | None = None) -> dict[str, bytes]:
    """The CSV files of the inventory, keyed by file name (``dialect_name``: ``excel``, the
    default, or ``standard``)."""
    chosen = dialect(dialect_name)

    def _table(header: list[str], rows: Iterable[dict[str, Any]]) -> bytes:
        cells = ([_cell(row.get(column), chosen) for column in header] for row in rows)
        return csv_text(header, cells, chosen).encode("utf-8")

    def _records(model: type[Record], records: Iterable[Record], skip: Iterable[str] = ()) -> bytes:
        header = _columns(model, skip)
        return _table(header, (record.model_dump(by_alias=True) for record in records))

    from cartographie.model.records import (
        Application,
        Block,
        Commune,
        Datacenter,
        DataObject,
        Delegation,
        Domain,
        Flow,
        OtherCommune,
        Partner,
        Product,
        Vendor,
    )

    files: dict[str, bytes] = {}
    metropole = inventory.metropole
    files["metropole.csv"] = _table(["id", "nom", "sigle"], [metropole.model_dump(by_alias=True)])
    files["communes.csv"] = _records(Commune, inventory.communes.values(), skip=["mutualisations"])
    files["mutualisations.csv"] = _table(
        ["commune", "domaine", "depuis"],
        (
            {"commune": commune.id, "domaine": item.domain, "depuis": item.since}
            for commune in inventory.communes.values()
            for item in sorted(commune.mutualisations, key=lambda item: (item.domain, item.since))
        ),
    )
    files["autres_communes.csv"] = _records(OtherCommune, inventory.other_communes.values())
    files["secteurs.csv"] = _table(
        ["secteur", "nom", "commune", "partie"],
        (
            {"secteur": sector.id, "nom": sector.name, "commune": area.commune, "partie": area.part}
            for sector in inventory.sectors.values()
            for area in sector.areas
        ),
    )
    files["domaines.csv"] = _records(Domain, inventory.domains.values())
    files["partenaires.csv"] = _records(Partner, inventory.partners.values())
    files["centres_de_donnees.csv"] = _records(Datacenter, inventory.datacenters.values())
    files["blocs.csv"] = _records(Block, inventory.blocks.values())
    files["donnees.csv"] = _records(DataObject, inventory.data_objects.values())
    files["editeurs.csv"] = _records(Vendor, inventory.vendors.values())
    files["produits.csv"] = _records(Product, inventory.products.values())
    files["delegations.csv"] = _records(Delegation, inventory.delegations.values())
    step_rows = []
    for process in inventory.processes.values():
        for order, step in enumerate(process.steps, start=1):
            row = step.model_dump(by_alias=True)
            row.update(processus=process.id, nom_processus=process.name, ordre=order)
            step_rows.append(row)
    files["etapes.csv"] = _table(
        [
            "processus",
            "nom_processus",
            "ordre",
            "id",
            "nom",
            "acteur",
            "blocs",
            "applications",
            "suivantes",
            "secteurs",
        ],
        step_rows,
    )
    application_header = [*_columns(Application), "editeur", "partagee"]
    application_rows = []
    for application_id, application in inventory.applications.items():
        row = application.model_dump(by_alias=True)
        row.update(
            proprietaire=inventory.owners[application_id],
            utilisateurs=list(inventory.users[application_id]),
            editeur=inventory.vendor_of(application_id),
            partagee=inventory.is_shared(application_id),
        )
        application_rows.append(row)
    files["applications.csv"] = _table(application_header, application_rows)
    files["utilisations.csv"] = _table(
        ["commune", "application", "proprietaire", "blocs"],
        (
            {
                "commune": user,
                "application": application_id,
                "proprietaire": inventory.owners[application_id],
                "blocs": inventory.applications[application_id].blocks,
            }
            for application_id in inventory.applications
            for user in inventory.users[application_id]
        ),
    )
    flows = sorted(
        inventory.flows, key=lambda flow: (flow.source, flow.target, flow.data, flow.key)
    )
    files["flux.csv"] = _records(Flow, flows)
    return dict(sorted(files.items()))

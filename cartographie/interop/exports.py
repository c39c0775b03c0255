"""The registry of export formats: a name maps to the function that builds the output.

The CLI looks formats up here; adding a format is one entry, not another branch.
"""

from __future__ import annotations

from collections.abc import Callable

from cartographie.errors import UnknownNameError
from cartographie.interop.archimate_export import export_archimate
from cartographie.interop.csv_export import export_csv
from cartographie.interop.graphml import export_graphml
from cartographie.interop.json_export import export_json, export_json_schema
from cartographie.model.inventory import Inventory

TEXT_EXPORTERS: dict[str, Callable[[Inventory], str]] = {
    "archimate": export_archimate,
    "graphml": export_graphml,
    "json": export_json,
}


def export_text(format_name: str, inventory: Inventory | None) -> str:
    """One single-file export as text (``schema-json`` needs no inventory)."""
    if format_name == "schema-json":
        return export_json_schema()
    if format_name not in TEXT_EXPORTERS or inventory is None:
        raise UnknownNameError(
            f"format d'export « {format_name} » inconnu",
            f"formats : {', '.join(sorted([*TEXT_EXPORTERS, 'csv', 'schema-json']))}",
        )
    return TEXT_EXPORTERS[format_name](inventory)


def export_files(inventory: Inventory, dialect_name: str | None = None) -> dict[str, bytes]:
    """The CSV export: file name -> bytes, in the CSV dialect named (the default: excel)."""
    return export_csv(inventory, dialect_name)

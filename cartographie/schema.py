"""The JSON Schema of inventory files, generated from the models (``cartographie schema``).

Editors that speak the YAML language server read it through the modeline every inventory file
carries (``# yaml-language-server: $schema=…``): field completion, descriptions in French, and
enumerations checked as one types.
"""

from __future__ import annotations

import json
from typing import Any

from cartographie.model.records import InventoryFile
from cartographie.model.scenario import ScenarioFile

SCHEMA_FILE_NAME = "inventaire.schema.json"
SCENARIO_SCHEMA_FILE_NAME = "scenario.schema.json"
SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


# Bounds pydantic writes in the field's type: 0.0 for a float since 2.10, 0 in later versions.
# Written as integers when they are whole, the committed schema is the same bytes on every
# pydantic the project accepts.
_BOUNDS = frozenset({"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"})


def _whole_bounds(node: Any) -> Any:
    if isinstance(node, dict):
        return {
            key: int(value)
            if key in _BOUNDS and isinstance(value, float) and value.is_integer()
            else _whole_bounds(value)
            for key, value in node.items()
        }
    if isinstance(node, list):
        return [_whole_bounds(item) for item in node]
    return node


def _schema(model: type[InventoryFile] | type[ScenarioFile]) -> dict[str, Any]:
    schema = model.model_json_schema(by_alias=True, mode="validation")
    return {"$schema": SCHEMA_DIALECT, **_whole_bounds(schema)}


def _schema_text(schema: dict[str, Any]) -> str:
    """A schema as the bytes written to disk: sorted keys, accents kept, final newline."""
    return json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def inventory_json_schema() -> dict[str, Any]:
    """The JSON Schema of any inventory file, keys by their French names."""
    return _schema(InventoryFile)


def inventory_json_schema_text() -> str:
    """The inventory's schema as the bytes written to disk."""
    return _schema_text(inventory_json_schema())


def scenario_json_schema_text() -> str:
    """The JSON Schema of a scenario file (``cartographie simuler``), written like the
    inventory's."""
    return _schema_text(_schema(ScenarioFile))


def modeline(relative_file: str) -> str:
    """The modeline for an inventory file at ``relative_file`` (POSIX, relative to the root);
    the language server resolves the schema path relative to the file."""
    depth = relative_file.count("/")
    return f"# yaml-language-server: $schema={'../' * depth}{SCHEMA_FILE_NAME}\n"

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


def inventory_json_schema() -> dict[str, Any]:
    """The JSON Schema of any inventory file, keys by their French names."""
    schema = InventoryFile.model_json_schema(by_alias=True, mode="validation")
    return {"$schema": SCHEMA_DIALECT, **schema}


def inventory_json_schema_text() -> str:
    """The schema as the bytes written to disk: sorted keys, accents kept, final newline."""
    return json.dumps(inventory_json_schema(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def scenario_json_schema_text() -> str:
    """The JSON Schema of a scenario file (``cartographie simuler``), written like the
    inventory's: sorted keys, accents kept, final newline."""
    schema = ScenarioFile.model_json_schema(by_alias=True, mode="validation")
    return (
        json.dumps(
            {"$schema": SCHEMA_DIALECT, **schema}, ensure_ascii=False, indent=2, sort_keys=True
        )
        + "\n"
    )


def modeline(relative_file: str) -> str:
    """The modeline for an inventory file at ``relative_file`` (POSIX, relative to the root);
    the language server resolves the schema path relative to the file."""
    depth = relative_file.count("/")
    return f"# yaml-language-server: $schema={'../' * depth}{SCHEMA_FILE_NAME}\n"

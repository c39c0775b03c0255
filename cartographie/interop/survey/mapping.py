"""The ``correspondance`` file: which column (or, in a catalogue, which key) feeds which field,
how the source's words translate into the inventory's values, which cells mean "empty", what
to keep of the other columns, and the defaults. Read and validated like an inventory file:
every problem at once, with its line; the line of each translation is kept so that one no row
used can be pointed at.
"""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError

from cartographie.errors import InventoryError, Location, Problem
from cartographie.interop.common import read_input
from cartographie.interop.survey.fields import TARGETS, Target
from cartographie.inventory.yamlread import YamlMapping, YamlSequence, read_yaml_bytes
from cartographie.model.records import Id

# ``proprietes: toutes``: every column no field takes becomes a free property.
ALL_COLUMNS = "toutes"


class MetropoleSpec(BaseModel):
    """The métropole the inventory describes (the spreadsheet rarely says)."""

    model_config = ConfigDict(extra="forbid", populate_by_name=False)
    id: Id = Field("metropole", alias="id")
    name: str = Field("Métropole", alias="nom", min_length=1)
    short_name: str | None = Field(None, alias="sigle")


Translation = str | int | bool


class SurveyMapping(BaseModel):
    """The ``correspondance`` file: columns → fields, value translations, defaults."""

    model_config = ConfigDict(extra="forbid", populate_by_name=False)
    version: Literal[1] = Field(1, alias="version")
    sheet: str | None = Field(None, alias="feuille")
    header_row: int = Field(1, alias="ligne_entete", ge=1)
    # A catalogue (YAML, JSON): the key holding the list of records (a path, « data.services »).
    records: str | None = Field(None, alias="enregistrements", min_length=1)
    list_separator: str = Field(";", alias="separateur_liste", min_length=1)
    metropole: MetropoleSpec = Field(default_factory=MetropoleSpec, alias="metropole")
    communes: list[dict[str, Any]] = Field([], alias="communes")
    columns: dict[Target, str] = Field(alias="colonnes", min_length=1)
    # Cells that mean "nothing here", in every column: « - », « n/a », « ? », « NC »…
    empty: list[str] = Field([], alias="vides")
    values: dict[Target, dict[str, Translation]] = Field({}, alias="valeurs")
    defaults: dict[Target, str | int | bool | list[str]] = Field({}, alias="defauts")
    # The other columns kept as free properties: « toutes », or a list of column names.
    properties: Literal["toutes"] | list[str] = Field([], alias="proprietes")
    # (field, word as written) -> line of the translation in the file
    _lines: dict[tuple[str, str], int] = PrivateAttr(default_factory=dict)

    @property
    def translation_lines(self) -> dict[tuple[str, str], int]:
        return self._lines


def load_mapping(path: Path) -> SurveyMapping:
    """Read and validate the ``correspondance`` file; :class:`InventoryError` if it is wrong."""
    document = read_yaml_bytes(read_input(path), path.name)
    if document.problems:
        raise InventoryError(document.problems)
    data = document.data
    if not isinstance(data, YamlMapping):
        raise InventoryError(
            [
                Problem(
                    "E204",
                    Location(path.name, 1),
                    "la correspondance doit être un objet (clé: valeur)",
                    "voir examples/etat-des-lieux/correspondance.yaml",
                )
            ]
        )
    try:
        mapping = SurveyMapping.model_validate(data)
    except ValidationError as error:
        problems = [_mapping_problem(path.name, data, detail) for detail in error.errors()]
        raise InventoryError(problems) from None
    translations = data.get("valeurs")
    if isinstance(translations, YamlMapping):
        for target, table in translations.items():
            if isinstance(table, YamlMapping):
                for word, line in table.key_lines.items():
                    mapping.translation_lines[(str(target), str(word))] = line
    return mapping


def _mapping_problem(name: str, data: YamlMapping, detail: Any) -> Problem:
    loc = tuple(detail["loc"])
    line = data.line
    node: Any = data
    for step in loc:
        if isinstance(node, YamlMapping) and step in node:
            line = node.key_lines.get(step, line)
            node = node[step]
        elif isinstance(node, YamlSequence) and isinstance(step, int) and step < len(node):
            line = node.item_lines[step]
            node = node[step]
        else:
            break
    where = ".".join(str(step) for step in loc if step != "[key]")
    kind = detail["type"]
    value = detail.get("input")
    if kind == "extra_forbidden":
        known = sorted(info.alias or key for key, info in SurveyMapping.model_fields.items())
        close = difflib.get_close_matches(str(loc[-1]), known, n=1)
        return Problem(
            "E201",
            Location(name, line),
            f"clé « {where} » inconnue dans la correspondance",
            f"vouliez-vous dire « {close[0]} » ?" if close else f"clés : {', '.join(known)}",
        )
    if kind == "literal_error" and "[key]" in loc:
        close = difflib.get_close_matches(str(value), TARGETS, n=1)
        return Problem(
            "E203",
            Location(name, line),
            f"{where} : « {value} » n'est pas un champ que le tableur peut alimenter",
            (f"vouliez-vous dire « {close[0]} » ? " if close else "")
            + f"champs : {', '.join(TARGETS)}",
        )
    if kind == "missing":
        return Problem(
            "E202",
            Location(name, line),
            f"clé obligatoire « {where} » manquante dans la correspondance",
            "« colonnes » dit quelle colonne alimente quel champ, par exemple « nom: Application »",
        )
    if loc and loc[0] == "proprietes":
        return Problem(
            "E204",
            Location(name, line),
            f"proprietes : valeur « {value} » refusée",
            f"écrivez « proprietes: {ALL_COLUMNS} » (toutes les colonnes non reprises), ou la "
            "liste des colonnes à garder",
        )
    return Problem(
        "E204",
        Location(name, line),
        f"{where} : valeur « {value} » refusée ({detail['msg']})",
        "voir docs/echanges.md, « Le fichier de correspondance »",
    )

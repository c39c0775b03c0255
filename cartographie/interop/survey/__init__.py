"""Import of the *état des lieux*: the spreadsheet (XLSX or CSV) a métropole starts from.

A mapping file (``correspondance``, YAML, validated by :class:`SurveyMapping`) says which column
feeds which field, how to translate the spreadsheet's words into the inventory's values
("Métier" → ``metier``, "SaaS" → ``saas``) and which defaults apply. Each row is one application
owned by the commune of its row; the territory (communes), the urbanisation map (zones, quartiers,
blocs), vendors and products are built from the values met in the rows.

All or nothing: every row is checked, every problem is reported at once (``fichier:ligne``, with
the column at fault), the whole inventory is then validated in memory by ``check_inventory``, and
only a valid inventory is written, to a new directory (see ``common.write_directory_atomic``).

Values are matched forgivingly: case, accents, spaces and punctuation do not matter ("Métier",
"METIER" and "metier" are the same word), and a value that already is a valid inventory value
needs no translation.
"""

from __future__ import annotations

from pathlib import Path

from cartographie.errors import InventoryError
from cartographie.interop.common import (
    InteropError,
    check_draft_files,
    ensure_writable_directory,
    render_draft,
    write_directory_atomic,
)
from cartographie.interop.survey.builder import Builder
from cartographie.interop.survey.fields import TARGETS
from cartographie.interop.survey.mapping import SurveyMapping, load_mapping
from cartographie.interop.survey.report import SurveySummary
from cartographie.interop.survey.sheet import Sheet, cell_text, read_sheet
from cartographie.interop.survey.values import match_key


def build_survey_files(
    spreadsheet: Path, mapping_path: Path, target: Path
) -> tuple[dict[str, bytes], SurveySummary]:
    """Read, translate and validate: the files of the new inventory, or every problem at once."""
    mapping = load_mapping(mapping_path)
    sheet = read_sheet(spreadsheet, mapping.sheet, mapping.header_row)
    builder = Builder(mapping, sheet, mapping_path.name)
    builder.check_mapping()
    builder.declare_communes()
    if builder.problems:
        raise InventoryError(builder.problems)
    rows = 0
    for number, values in sheet.rows:
        if all(cell_text(value) == "" for value in values):
            continue
        rows += 1
        builder.add_row(number, values)
    if builder.problems:
        raise InventoryError(builder.problems)
    if rows == 0:
        raise InteropError(f"{sheet.name} : aucune ligne de données sous l'en-tête")
    draft = builder.draft()
    files = render_draft(draft)
    inventory = check_draft_files(target, files)
    summary = SurveySummary(
        rows=rows,
        applications=len(inventory.applications),
        communes=len(inventory.communes),
        blocks=sum(1 for block in inventory.blocks.values() if block.level == "bloc"),
        vendors=len(inventory.vendors),
        products=len(inventory.products),
    )
    return files, summary


def import_survey(
    spreadsheet: Path, mapping_path: Path, target: Path, *, force: bool = False
) -> SurveySummary:
    """Import the spreadsheet into a new inventory directory ``target`` (all or nothing)."""
    ensure_writable_directory(target, force)
    files, summary = build_survey_files(spreadsheet, mapping_path, target)
    write_directory_atomic(target, files, force=force)
    return summary


__all__ = [
    "TARGETS",
    "Sheet",
    "SurveyMapping",
    "SurveySummary",
    "build_survey_files",
    "import_survey",
    "load_mapping",
    "match_key",
    "read_sheet",
]

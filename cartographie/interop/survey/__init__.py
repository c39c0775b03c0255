"""Import of the *état des lieux*: a spreadsheet (XLSX or CSV) or a catalogue (a YAML or JSON list
of records) becomes a new inventory, through a mapping only.

A mapping file (``correspondance``, YAML, validated by :class:`SurveyMapping`) says which column
(or which key of a record: ``owner.name``, ``teams[0]``) feeds which field, how to translate the
source's words into the inventory's values (« Métier » → ``metier``), which cells mean "empty"
(``vides``), which other columns to keep as free properties (``proprietes``) and which defaults
apply. Each row is one application owned by the commune of its row (the métropole when no
column names one); the territory, the urbanisation map (zones, quartiers, blocs), vendors and
products are built from the values met in the rows.

All or nothing: every row is checked and every problem reported at once, grouped by column,
problem and value (``fichier:ligne`` of its first row, how many rows, the first of them); the
whole inventory is then validated in memory by ``check_inventory``, and only a valid inventory
is written, to a new directory, with its report (``rapport-import-tableur.md``).

Values are matched forgivingly: case, accents, spaces and punctuation do not matter ("Métier",
"METIER" and "metier" are the same word), and a value that already is a valid inventory value
needs no translation.
"""

from __future__ import annotations

from pathlib import Path

from cartographie.errors import InventoryError
from cartographie.interop.common import (
    InteropError,
    check_draft,
    ensure_writable_directory,
    render_draft,
    write_directory_atomic,
)
from cartographie.interop.survey.builder import Builder
from cartographie.interop.survey.fields import TARGETS
from cartographie.interop.survey.mapping import SurveyMapping, load_mapping
from cartographie.interop.survey.report import REPORT_NAME, FieldLine, SurveySummary
from cartographie.interop.survey.rows import ColumnUse
from cartographie.interop.survey.sheet import Sheet, cell_text, read_sheet
from cartographie.interop.survey.values import match_key
from cartographie.inventory.loader import without_cyclic_gc


def build_survey_files(
    source: Path, mapping_path: Path, target: Path
) -> tuple[dict[str, bytes], SurveySummary]:
    """Read, translate and validate: the files of the new inventory (its report included), or
    every problem at once."""
    from cartographie.document.markdown import to_markdown

    mapping = load_mapping(mapping_path)
    # Thousands of rows and cells, nothing cyclic: the collector would only scan them.
    with without_cyclic_gc():
        sheet = read_sheet(
            source,
            mapping.sheet,
            mapping.header_row,
            paths=list(mapping.columns.values()),
            records=mapping.records,
        )
        builder = Builder(mapping, sheet, mapping_path.name)
        builder.check_mapping()
        builder.declare_communes()
        if builder.problems:
            raise InventoryError(builder.problems.problems())
        for number, values in sheet.rows:
            if all(cell_text(value) == "" for value in values):
                continue
            builder.add_row(number, values)
        if builder.problems:
            raise InventoryError(builder.problems.problems())
        if builder.rows == 0:
            raise InteropError(f"{sheet.name} : aucune {sheet.row_word} de données")
        builder.unused_translations()
        draft = builder.draft()
        inventory = check_draft(target, draft)
        files = render_draft(draft)
    summary = SurveySummary(
        source=sheet.name,
        kind=sheet.kind,
        rows=builder.rows,
        applications=len(inventory.applications),
        communes=len(inventory.communes),
        blocks=sum(1 for block in inventory.blocks.values() if block.level == "bloc"),
        vendors=len(inventory.vendors),
        products=len(inventory.products),
        fields=_fields(builder, mapping),
        kept=[name for _index, name in builder.property_columns],
        properties=builder.properties_kept,
        unmapped=builder.unmapped,
        warnings=builder.warnings,
        owner_default=""
        if "commune" in mapping.columns or "commune" in mapping.defaults
        else f"la métropole « {mapping.metropole.id} »",
    )
    files[REPORT_NAME] = to_markdown(summary.document()).encode("utf-8")
    return files, summary


def _fields(builder: Builder, mapping: SurveyMapping) -> list[FieldLine]:
    """What each field took from its column (or its default), in the model's order."""
    lines = []
    for target in TARGETS:
        use = builder.uses.get(target)
        if use is None and target not in mapping.columns:
            continue
        use = use or ColumnUse()
        column = mapping.columns.get(target, "(défaut)")
        lines.append(
            FieldLine(
                target,
                column,
                use.cells,
                use.translated,
                use.emptied,
                use.defaults,
                use.joined_lines,
            )
        )
    return lines


def import_survey(
    source: Path, mapping_path: Path, target: Path, *, force: bool = False
) -> SurveySummary:
    """Import the spreadsheet or catalogue into a new inventory directory ``target`` (all or
    nothing)."""
    ensure_writable_directory(target, force)
    files, summary = build_survey_files(source, mapping_path, target)
    write_directory_atomic(target, files, force=force)
    return summary


__all__ = [
    "REPORT_NAME",
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

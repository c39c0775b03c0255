"""Documents: what every command that prints a result returns, and the formats that write them.

``model`` holds the neutral structure (a title, parameters, a summary, tables with typed
columns, paragraphs, lists, figures, sections); ``formats`` is the one registry of output
formats (Markdown, CSV, JSON, HTML, XLSX, SVG) that writes any document; ``numbers`` writes
numbers the French way for people; ``text`` neutralises what would act in each medium
(terminal, spreadsheet, XML, Markdown). The package sits low in the layers, beside
``errors``: reports, the diff, the diagnostic, the journal and the importers all return
documents, and nothing here knows about the inventory. docs/documents.md explains how to add a
report or a format.
"""

from cartographie.document.model import (
    RATE_DIGITS,
    Block,
    CellStyle,
    CellValue,
    Chart,
    Column,
    ColumnKind,
    Document,
    Figure,
    Item,
    Items,
    LineLayout,
    Paragraph,
    Ref,
    Section,
    Series,
    Table,
    Timeline,
    TimelineBar,
    TimelineMark,
    TimelineRow,
    TimelineStyle,
    ids,
    make_table,
    rate,
)

__all__ = [
    "RATE_DIGITS",
    "Block",
    "CellStyle",
    "CellValue",
    "Chart",
    "Column",
    "ColumnKind",
    "Document",
    "Figure",
    "Item",
    "Items",
    "LineLayout",
    "Paragraph",
    "Ref",
    "Section",
    "Series",
    "Table",
    "Timeline",
    "TimelineBar",
    "TimelineMark",
    "TimelineRow",
    "TimelineStyle",
    "ids",
    "make_table",
    "rate",
]

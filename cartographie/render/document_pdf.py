"""A document as PDF (the dossier de commune's ``--format pdf``): A4 pages of headings,
paragraphs, tables and the map, set in the bundled font.

``fpdf2`` writes it (pure Python, already the maps' PDF writer): tables break across pages and
wrap their cells; the map's SVG is drawn as vector, like ``carte --format pdf``. Cells read as
people read them (``document.cells``): the same text as HTML and Markdown. A fixed creation date
(``SOURCE_DATE_EPOCH`` overrides it) keeps the bytes the same from one run to the next.
"""

from __future__ import annotations

import io
import logging

from cartographie.document import Block, Document, Figure, Items, Paragraph, Section, Table
from cartographie.document.cells import human, human_in_row, people_columns
from cartographie.document.text import visible
from cartographie.render.convert import creation_date, font_path, for_fpdf
from cartographie.render.styles import FONT

TITLE_SIZE = 16
HEADING_SIZES = (13, 11.5, 10.5)
TEXT_SIZE = 9.5
TABLE_SIZE = 7.5


def _text(value: str) -> str:
    """A text as the PDF shows it: control characters made visible, nothing the font lacks."""
    return visible(value, keep_lines=True)


class _Writer:
    def __init__(self, document: Document) -> None:
        from fpdf import FPDF

        logging.getLogger("fpdf").setLevel(logging.ERROR)
        self.pdf = FPDF(orientation="portrait", unit="mm", format="A4")
        self.pdf.set_creation_date(creation_date())
        self.pdf.set_creator("cartographie")
        self.pdf.set_title(document.title)
        self.pdf.add_font(FONT, fname=str(font_path()))
        self.pdf.set_margins(15, 15, 15)
        self.pdf.set_auto_page_break(True, margin=15)
        self.pdf.add_page()
        self.document = document

    @property
    def width(self) -> float:
        return float(self.pdf.epw)

    def paragraph(self, text: str, size: float = TEXT_SIZE, space: float = 1.5) -> None:
        self.pdf.set_font(FONT, size=size)
        self.pdf.multi_cell(self.width, size * 0.45, _text(text), new_x="LMARGIN", new_y="NEXT")
        self.pdf.ln(space)

    def heading(self, text: str, level: int) -> None:
        size = HEADING_SIZES[min(level, len(HEADING_SIZES) - 1)]
        if self.pdf.will_page_break(size * 2):
            self.pdf.add_page()
        self.pdf.ln(2)
        self.paragraph(text, size, 1)

    def table(self, table: Table, level: int, title: bool = True) -> None:
        if table.group_by:
            if title:
                self.heading(table.title, level)
            column = table.columns[table.column_index(table.group_by)]
            for value, part in table.groups():
                self.paragraph(f"{human(value, column)} ({len(part.rows)})", TEXT_SIZE, 0.5)
                self.table(part, level + 1, title=False)
            return
        if title:
            self.heading(table.title, level)
        shown = people_columns(table.columns)
        self.pdf.set_font(FONT, size=TABLE_SIZE)
        if not table.rows:
            self.paragraph("(aucune ligne)", TABLE_SIZE)
        else:
            aligns = tuple("RIGHT" if table.columns[i].numeric else "LEFT" for i in shown)
            from fpdf.fonts import FontFace

            with self.pdf.table(
                width=self.width,
                text_align=aligns,
                line_height=TABLE_SIZE * 0.5,
                first_row_as_headings=True,
                # The bundled font has no bold: headings stand out by their background.
                headings_style=FontFace(emphasis="", fill_color=(225, 232, 240)),
            ) as pdf_table:
                header = pdf_table.row()
                for index in shown:
                    header.cell(_text(table.columns[index].label))
                for row in table.rows:
                    cells = pdf_table.row()
                    for index in shown:
                        cells.cell(_text(human_in_row(row, index, table.columns)))
        if table.note:
            self.paragraph(table.note, TABLE_SIZE, 2)
        else:
            self.pdf.ln(2)

    def figure(self, figure: Figure) -> None:
        if not figure.svg:
            return
        from fpdf.svg import SVGObject

        svg = figure.svg[figure.svg.index("<svg") :].encode("utf-8")
        drawing = SVGObject(for_fpdf(svg))
        width, height = drawing.width, drawing.height
        if not isinstance(width, float | int) or not isinstance(height, float | int):
            return
        # Maps are wide: a landscape page of their own.
        self.pdf.add_page(orientation="landscape")
        self.heading(figure.title, 0)
        scale = min(self.width / (width * 0.3528), (self.pdf.eph - 20) / (height * 0.3528), 1.0)
        # Points to millimetres, scaled down to the page.
        self.pdf.image(io.BytesIO(svg), w=width * 0.3528 * scale, h=height * 0.3528 * scale)

    def blocks(self, blocks: tuple[Block, ...], level: int) -> None:
        for block in blocks:
            if isinstance(block, Table):
                self.table(block, level)
            elif isinstance(block, Section):
                self.heading(block.title, level)
                self.blocks(block.blocks, level + 1)
            elif isinstance(block, Paragraph):
                self.paragraph(block.text)
            elif isinstance(block, Items):
                for item in block.items:
                    self.paragraph(f"• {item.text}", TEXT_SIZE, 0.5)
                    for detail in item.details:
                        self.paragraph(f"    {detail}", TABLE_SIZE, 0.2)
            elif isinstance(block, Figure):
                self.figure(block)

    def write(self) -> bytes:
        document = self.document
        self.paragraph(document.title, TITLE_SIZE, 2)
        for label, value in document.parameters:
            self.paragraph(f"{label} : {value}", TABLE_SIZE, 0.3)
        self.pdf.ln(2)
        for paragraph in document.summary:
            self.paragraph(paragraph.text, TEXT_SIZE + 0.5, 2)
        self.blocks(document.blocks, 0)
        for note in document.notes:
            self.paragraph(note, TABLE_SIZE, 1)
        return bytes(self.pdf.output())


def document_to_pdf(document: Document) -> bytes:
    """The document as an A4 PDF."""
    return _Writer(document).write()

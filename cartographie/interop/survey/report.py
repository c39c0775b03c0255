"""What an import of a spreadsheet or a catalogue did, as a document: what it created, what each
column gave (cells read, translated, emptied by a placeholder, filled by a default), the columns
it kept as free properties and those it left out, and the warnings (a translation no row used).

``rapport-import-tableur.md`` is this document in Markdown, written with the inventory;
``importer tableur --format`` prints it in any format.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from cartographie.document import (
    Block,
    Column,
    Document,
    Item,
    Items,
    Paragraph,
    Section,
    make_table,
    numbers,
)
from cartographie.errors import Problem
from cartographie.interop.survey.sheet import Worded

REPORT_NAME = "rapport-import-tableur.md"


@dataclass
class FieldLine:
    """One field of the mapping and what its column gave."""

    target: str
    column: str
    cells: int
    translated: int
    emptied: int
    defaults: int
    joined_lines: int


@dataclass
class SurveySummary(Worded):
    """What an import read and wrote."""

    source: str
    kind: str  # "tableur" or "catalogue"
    rows: int
    applications: int
    communes: int
    blocks: int
    vendors: int
    products: int
    fields: list[FieldLine] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    properties: int = 0
    unmapped: list[tuple[str, int]] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    owner_default: str = ""

    def message(self, target: Path) -> str:
        text = (
            f"Inventaire écrit dans {target} : "
            f"{numbers.count(self.applications, 'application')} "
            f"({numbers.count(self.rows, self.row_word)}), "
            f"{numbers.count(self.communes, 'commune')}, {numbers.count(self.blocks, 'bloc')}, "
            f"{numbers.count(self.vendors, 'éditeur')}, {numbers.count(self.products, 'produit')}."
        )
        if self.unmapped:
            names = ", ".join(f"« {name} »" for name, _filled in self.unmapped[:5])
            more = " …" if len(self.unmapped) > 5 else ""
            text += (
                f" Non repris : {numbers.count(len(self.unmapped), self.column_word)} "
                f"({names}{more}) — « proprietes » de la correspondance pour les garder."
            )
        return text + f" Rapport : {target / REPORT_NAME}."

    def document(self) -> Document:
        word = self.column_word
        blocks: list[Block] = [
            Paragraph(
                f"Source : {self.source} ({numbers.count(self.rows, self.row_word)}). "
                "Correspondance : docs/echanges.md."
            ),
            make_table(
                "objets",
                "Objets créés",
                (Column("objet", "Objet"), Column("nombre", "Nombre", "integer")),
                [
                    (f"{self.row_word}s", self.rows),
                    ("applications", self.applications),
                    ("communes", self.communes),
                    ("blocs", self.blocks),
                    ("editeurs", self.vendors),
                    ("produits", self.products),
                    ("proprietes", self.properties),
                ],
            ),
            make_table(
                "champs",
                f"Champs et {word}s",
                (
                    Column("champ", "Champ"),
                    Column(word, word.capitalize()),
                    Column("cellules", "Cellules lues", "integer"),
                    Column("traduites", "Traduites (valeurs)", "integer"),
                    Column("vides", "Vides (vides)", "integer"),
                    Column("defauts", "Par défaut (defauts)", "integer"),
                    Column("une_ligne", "Ramenées à une ligne", "integer"),
                ),
                [
                    (
                        line.target,
                        line.column,
                        line.cells,
                        line.translated,
                        line.emptied,
                        line.defaults,
                        line.joined_lines,
                    )
                    for line in self.fields
                ],
                note=(
                    f"Sans {word} pour « commune », chaque application appartient à "
                    f"{self.owner_default}."
                    if self.owner_default
                    else ""
                ),
            ),
        ]
        blocks.append(
            make_table(
                "non_repris",
                f"{word.capitalize()}s non reprises ({len(self.unmapped)})",
                (
                    Column(word, word.capitalize()),
                    Column("remplies", f"{self.row_word.capitalize()}s remplies", "integer"),
                ),
                self.unmapped,
                note="Pour les garder en propriétés libres des applications : "
                "« proprietes: toutes » (ou la liste des colonnes) dans la correspondance.",
            )
        )
        if self.kept:
            blocks.append(
                Section(
                    "Gardées en propriétés libres (proprietes)",
                    (Items(tuple(Item(name) for name in self.kept), name="proprietes"),),
                    name="proprietes",
                )
            )
        if self.warnings:
            blocks.append(
                Section(
                    "Avertissements",
                    (
                        Items(
                            tuple(Item(problem.format()) for problem in self.warnings),
                            name="avertissements",
                        ),
                    ),
                    name="avertissements",
                )
            )
        return Document(
            "import-tableur",
            f"Import de {self.source}",
            tuple(blocks),
            summary=(
                Paragraph(
                    f"{numbers.count(self.applications, 'application')} importée(s) de "
                    f"{numbers.count(self.rows, self.row_word)} ; "
                    f"{numbers.count(len(self.unmapped), word)} non reprise(s), "
                    f"{numbers.count(len(self.warnings), 'avertissement')}."
                ),
            ),
            primary="champs",
        )

"""What an import of the état des lieux wrote: a one-line summary, and the same as a document."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from cartographie.document import Column, Document, Paragraph, make_table, numbers


@dataclass
class SurveySummary:
    """What an import wrote."""

    rows: int
    applications: int
    communes: int
    blocks: int
    vendors: int
    products: int

    def message(self, target: Path) -> str:
        return (
            f"Inventaire écrit dans {target} : "
            f"{numbers.count(self.applications, 'application')} "
            f"({numbers.count(self.rows, 'ligne')}), "
            f"{numbers.count(self.communes, 'commune')}, {numbers.count(self.blocks, 'bloc')}, "
            f"{numbers.count(self.vendors, 'éditeur')}, {numbers.count(self.products, 'produit')}."
        )

    def document(self, source: str, target: Path) -> Document:
        counts = make_table(
            "objets",
            "Objets créés",
            (Column("objet", "Objet"), Column("nombre", "Nombre", "integer")),
            [
                ("lignes", self.rows),
                ("applications", self.applications),
                ("communes", self.communes),
                ("blocs", self.blocks),
                ("editeurs", self.vendors),
                ("produits", self.products),
            ],
        )
        return Document(
            "import-tableur",
            f"Import de l'état des lieux {source}",
            (counts,),
            summary=(Paragraph(self.message(target)),),
        )

"""What the reports of the model imports (ArchiMate, Backstage) share: the source, the table of
what was taken, and the lists of what was created, defaulted and adjusted — so that both reports
read the same way, section by section."""

from __future__ import annotations

from cartographie.document import Block, Column, Item, Items, Paragraph, Section, make_table


def taken_blocks(
    source: str,
    counts: dict[str, int],
    synthesised: list[str],
    defaults: list[str],
    adjustments: list[str],
) -> list[Block]:
    """The head of an import's report: source, « Repris », then each non-empty list."""
    blocks: list[Block] = [
        Paragraph(f"Source : {source}. Correspondance : docs/echanges.md."),
        make_table(
            "repris",
            "Repris",
            (Column("objet", "Objet"), Column("nombre", "Nombre", "integer")),
            list(counts.items()),
        ),
    ]
    for name, title, lines in (
        ("crees", "Créé pour que l'inventaire soit complet", synthesised),
        ("defauts", "Valeurs par défaut", defaults),
        ("ajustements", "Ajustements", adjustments),
    ):
        if lines:
            items = Items(tuple(Item(line) for line in lines), name=name)
            blocks.append(Section(title, (items,), name=name))
    return blocks

"""What an ArchiMate import took, made up and left out: a document written beside the inventory.

``rapport-import-archimate.md`` is this document in Markdown (and ``importer archimate
--format`` prints it in any format): the counts of what was mapped, what was created so that the
inventory is complete, the defaults and adjustments, then every element and relationship not
taken, by type and by reason — nothing is dropped silently.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from cartographie.document import (
    Column,
    Document,
    Paragraph,
    Section,
    make_table,
    numbers,
)
from cartographie.interop.archimate_import.read import Concept
from cartographie.interop.reporting import taken_blocks

REPORT_NAME = "rapport-import-archimate.md"


@dataclass
class ImportReport:
    """What was mapped, defaulted and left out."""

    source: str
    model_name: str
    counts: dict[str, int] = field(default_factory=dict)
    synthesised: list[str] = field(default_factory=list)
    defaults: list[str] = field(default_factory=list)
    adjustments: list[str] = field(default_factory=list)
    unmapped_elements: list[Concept] = field(default_factory=list)
    unmapped_relationships: list[tuple[Concept, str]] = field(default_factory=list)
    views: int = 0

    names: dict[str, str] = field(default_factory=dict)

    def end(self, identifier: str) -> str:
        name = self.names.get(identifier)
        return f"{name} ({identifier})" if name else identifier

    @property
    def unmapped(self) -> int:
        return len(self.unmapped_elements) + len(self.unmapped_relationships)

    def message(self, target: Path) -> str:
        counts = self.counts
        return (
            f"Inventaire écrit dans {target} : "
            f"{numbers.count(counts.get('applications', 0), 'application')}, "
            f"{numbers.count(counts.get('blocs', 0), 'bloc')}, "
            f"{numbers.integer(counts.get('flux', 0))} flux, "
            f"{numbers.count(counts.get('communes', 0), 'commune')}. Non repris : "
            f"{numbers.count(len(self.unmapped_elements), 'élément')}, "
            f"{numbers.count(len(self.unmapped_relationships), 'relation')}, "
            f"{numbers.count(self.views, 'vue')} — détail dans {target / REPORT_NAME}."
        )

    def document(self) -> Document:
        blocks = taken_blocks(
            self.source, self.counts, self.synthesised, self.defaults, self.adjustments
        )
        elements = sorted(self.unmapped_elements, key=lambda item: (item.kind, item.identifier))
        blocks.append(
            make_table(
                "elements_non_repris",
                f"Éléments non repris ({len(elements)})",
                (
                    Column("type", "Type"),
                    Column("nom", "Nom"),
                    Column("identifiant", "Identifiant"),
                ),
                [(item.kind, item.name or "(sans nom)", item.identifier) for item in elements],
                group_by="type",
            )
        )
        relationships = sorted(
            self.unmapped_relationships,
            key=lambda pair: (f"{pair[0].kind} : {pair[1]}", pair[0].identifier),
        )
        blocks.append(
            make_table(
                "relations_non_reprises",
                f"Relations non reprises ({len(relationships)})",
                (
                    Column("motif", "Motif"),
                    Column("identifiant", "Identifiant"),
                    Column("source", "Source"),
                    Column("cible", "Cible"),
                ),
                [
                    (
                        f"{relationship.kind} : {reason}",
                        relationship.identifier,
                        self.end(relationship.source),
                        self.end(relationship.target),
                    )
                    for relationship, reason in relationships
                ],
                group_by="motif",
            )
        )
        blocks.append(
            Section(
                "Vues",
                (
                    Paragraph(
                        f"{numbers.integer(self.views)} vue(s) non reprise(s) : l'inventaire "
                        "calcule ses cartes lui-même (cartographie carte, cartographie atlas)."
                    ),
                ),
                name="vues",
            )
        )
        return Document(
            "import-archimate",
            f"Import ArchiMate : {self.model_name or self.source}",
            tuple(blocks),
            summary=(
                Paragraph(
                    f"{numbers.count(self.counts.get('applications', 0), 'application')} "
                    f"reprise(s) ; non repris : "
                    f"{numbers.count(len(self.unmapped_elements), 'élément')} et "
                    f"{numbers.count(len(self.unmapped_relationships), 'relation')}."
                ),
            ),
            primary="elements_non_repris",
        )

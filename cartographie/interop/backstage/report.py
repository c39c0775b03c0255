"""What a Backstage import took, made up and left out: a document written beside the inventory.

``rapport-import-backstage.md`` is this document in Markdown (``importer backstage --format``
prints it in any format): the counts, what was created so that the inventory is complete, the
defaults and adjustments, then every entity and every relation not taken, with its file and
line and the reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from cartographie.document import (
    Column,
    Document,
    Paragraph,
    make_table,
    numbers,
)
from cartographie.interop.reporting import taken_blocks

if TYPE_CHECKING:
    from cartographie.interop.backstage.read import Entity

REPORT_NAME = "rapport-import-backstage.md"


@dataclass
class BackstageReport:
    source: str
    counts: dict[str, int]
    synthesised: list[str] = field(default_factory=list)
    defaults: dict[str, int] = field(default_factory=dict)
    adjustments: list[str] = field(default_factory=list)
    unmapped_entities: list[tuple[Entity, str]] = field(default_factory=list)
    # (file:line, from → to, field, reason)
    unmapped_relations: list[tuple[str, str, str, str]] = field(default_factory=list)

    def message(self, target: Path) -> str:
        counts = self.counts
        return (
            f"Inventaire écrit dans {target} : "
            f"{numbers.count(counts.get('applications', 0), 'application')}, "
            f"{numbers.count(counts.get('blocs', 0), 'bloc')}, "
            f"{numbers.integer(counts.get('flux', 0))} flux "
            f"(de {numbers.count(counts.get('entités lues', 0), 'entité')}). Non repris : "
            f"{numbers.count(len(self.unmapped_entities), 'entité')}, "
            f"{numbers.count(len(self.unmapped_relations), 'relation')} — détail dans "
            f"{target / REPORT_NAME}."
        )

    def document(self) -> Document:
        defaults = [
            f"{numbers.count(count, 'application')} sans annotation cartographie/{key} : "
            f"{key} « {'metier' if key == 'couche' else 'datacenter'} »"
            for key, count in sorted(self.defaults.items())
        ]
        blocks = taken_blocks(
            self.source, self.counts, self.synthesised, defaults, self.adjustments
        )
        entities = sorted(self.unmapped_entities, key=lambda pair: (pair[0].kind, str(pair[0].ref)))
        blocks.append(
            make_table(
                "entites_non_reprises",
                f"Entités non reprises ({len(entities)})",
                (
                    Column("sorte", "Sorte"),
                    Column("entite", "Entité"),
                    Column("lieu", "Fichier", "location"),
                    Column("motif", "Motif"),
                ),
                [
                    (entity.kind, str(entity.ref), entity.where, reason)
                    for entity, reason in entities
                ],
                group_by="sorte",
            )
        )
        relations = sorted(self.unmapped_relations)
        blocks.append(
            make_table(
                "relations_non_reprises",
                f"Relations non reprises ({len(relations)})",
                (
                    Column("lieu", "Fichier", "location"),
                    Column("relation", "Relation"),
                    Column("champ", "Champ"),
                    Column("motif", "Motif"),
                ),
                relations,
            )
        )
        return Document(
            "import-backstage",
            f"Import Backstage : {self.source}",
            tuple(blocks),
            summary=(
                Paragraph(
                    f"{numbers.count(self.counts.get('applications', 0), 'application')} "
                    f"reprise(s), {numbers.integer(self.counts.get('flux', 0))} flux ; non "
                    f"repris : {numbers.count(len(self.unmapped_entities), 'entité')} et "
                    f"{numbers.count(len(self.unmapped_relations), 'relation')}."
                ),
            ),
            primary="entites_non_reprises",
        )

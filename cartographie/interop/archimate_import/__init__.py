"""ArchiMate import: an Open Group exchange file (3.0/3.1) becomes a new, valid inventory.

What is mapped (docs/echanges.md has the table and the reasons):

- ApplicationComponent → application. Properties named like inventory fields (``couche``,
  ``hebergement``, …) fill those fields when their value is valid; the others are kept in the
  description, under « Propriétés ArchiMate ».
- ApplicationFunction, ApplicationService, Grouping → bloc. Composition or aggregation between two
  of them gives the bloc hierarchy; a component is attached to a bloc by an Assignment or a
  Realization (component → bloc) or by a Composition or Aggregation (bloc → component).
- Flow, Serving and Triggering between two components → flux. The data object is the ``donnee``
  property, else the DataObject named like the relationship, else a data object made from the
  relationship's name, else « donnée non précisée ».
- DataObject → donnée; BusinessActor and Location carrying a ``nature`` property (what
  ``cartographie exporter --format archimate`` writes) → métropole, commune, partenaire or centre de
  données; any other Location → commune.

A minimal territory is synthesised so that the result validates: the métropole (the model's name)
if the file has none, and a commune « Commune importée » that owns every application no commune
claims. Everything not mapped — element and relationship types, properties with invalid values,
ambiguous parents, views — is listed in ``rapport-import-archimate.md`` written with the inventory:
nothing is dropped silently.

Labels: the French one (``xml:lang="fr"``) when there is one, else the first (the GEMMA models are
in Dutch). Ids are slugs of the ``id`` property, else of the name, else of the identifier, made
unique deterministically (``-2``, ``-3`` in the order of the source identifiers).

The file is parsed with ``defusedxml`` (models come from outside: a vendor, another authority):
DTDs with entities and external references are refused, so a hostile file cannot expand into
gigabytes or read local files, whatever the version of expat underneath.
"""

from __future__ import annotations

from pathlib import Path

from cartographie.interop.archimate_import.applications import map_applications, map_data_objects
from cartographie.interop.archimate_import.flows import collect_unmapped, map_flows
from cartographie.interop.archimate_import.read import ArchimateModel, Concept, read_archimate
from cartographie.interop.archimate_import.report import REPORT_NAME, ImportReport
from cartographie.interop.archimate_import.state import MappingState
from cartographie.interop.archimate_import.territory import map_blocks, map_territory
from cartographie.interop.common import (
    check_draft,
    ensure_writable_directory,
    render_draft,
    write_directory_atomic,
)
from cartographie.inventory.loader import without_cyclic_gc


def build_archimate_files(path: Path, target: Path) -> tuple[dict[str, bytes], ImportReport]:
    """Read, map and validate: the files of the new inventory (report included)."""
    from cartographie.document.markdown import to_markdown

    with without_cyclic_gc():  # ~100 000 acyclic objects: the collector would only scan them
        model = read_archimate(path)
        state = MappingState(model, path.name)
        map_territory(state)
        map_blocks(state)
        map_data_objects(state)
        map_applications(state)
        map_flows(state)
        collect_unmapped(state)
        draft = state.draft()
        check_draft(target, draft)
        files = render_draft(draft)
    files[REPORT_NAME] = to_markdown(state.report.document()).encode("utf-8")
    return files, state.report


def import_archimate(path: Path, target: Path, *, force: bool = False) -> ImportReport:
    """Import an ArchiMate exchange file into a new inventory directory ``target``."""
    ensure_writable_directory(target, force)
    files, report = build_archimate_files(path, target)
    write_directory_atomic(target, files, force=force)
    return report


__all__ = [
    "REPORT_NAME",
    "ArchimateModel",
    "Concept",
    "ImportReport",
    "build_archimate_files",
    "import_archimate",
    "read_archimate",
]

"""Backstage import: the entities of a developer portal's catalog (``catalog-info.yaml`` files)
become a new, valid inventory — applications, blocs, responsables and flows.

:mod:`.read` reads the files (a file or a folder, several documents per file) and resolves
entity references; :mod:`.build` maps the entities (the table is in its docstring and in
docs/echanges.md); :mod:`.report` says what was taken, made up and left out, written beside the
inventory as ``rapport-import-backstage.md``. All or nothing, like every import: the inventory is
validated in memory and written whole, or not at all.
"""

from __future__ import annotations

from pathlib import Path

from cartographie.interop.backstage.build import BackstageImport
from cartographie.interop.backstage.read import Entity, Ref, parse_ref, read_catalog
from cartographie.interop.backstage.report import REPORT_NAME, BackstageReport
from cartographie.interop.common import (
    check_draft,
    ensure_writable_directory,
    render_draft,
    write_directory_atomic,
)

DEFAULT_METROPOLE = "Métropole"


def build_backstage_files(
    path: Path, target: Path, metropole: str = DEFAULT_METROPOLE
) -> tuple[dict[str, bytes], BackstageReport]:
    """Read, map and validate: the files of the new inventory (report included)."""
    from cartographie.document.markdown import to_markdown

    entities = read_catalog(path)
    state = BackstageImport(entities, path.name, metropole)
    state.map_blocks()
    state.map_applications()
    state.map_flows()
    state.collect_unmapped()
    draft = state.draft()
    check_draft(target, draft)
    files = render_draft(draft)
    files[REPORT_NAME] = to_markdown(state.report.document()).encode("utf-8")
    return files, state.report


def import_backstage(
    path: Path, target: Path, *, metropole: str = DEFAULT_METROPOLE, force: bool = False
) -> BackstageReport:
    """Import a Backstage catalog (file or folder) into a new inventory directory ``target``."""
    ensure_writable_directory(target, force)
    files, report = build_backstage_files(path, target, metropole)
    write_directory_atomic(target, files, force=force)
    return report


__all__ = [
    "REPORT_NAME",
    "BackstageReport",
    "Entity",
    "Ref",
    "build_backstage_files",
    "import_backstage",
    "parse_ref",
    "read_catalog",
]

"""What the importers and exporters share: slugs, the YAML emitter, the in-memory inventory
draft, and atomic writes.

An importer fills an :class:`InventoryDraft` with records, checks them across files as the loader
does (:func:`check_draft`) before anything touches the disk, turns them into file contents with
:func:`render_draft` (deterministic: records sorted by id, keys in the models' order, one modeline
per file), and writes them with :func:`write_directory_atomic` (a temporary sibling directory
renamed into place), so that a failed import never leaves a partial inventory behind.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from cartographie.errors import CartographieError, InventoryError
from cartographie.files import (
    CSV_FOLDER,
    INVENTORY_FOLDER,
    FileRefused,
    check_folder,
    read_file,
    write_folder,
    write_output_file,
)
from cartographie.generator.yamlwrite import dump_document
from cartographie.inventory.references import build_inventory
from cartographie.inventory.shape import CheckedFile, CheckedRecord
from cartographie.inventory.yamlread import YamlMapping
from cartographie.model.inventory import Inventory
from cartographie.model.records import (
    Application,
    Block,
    Commune,
    Datacenter,
    DataObject,
    Delegation,
    Domain,
    Flow,
    Metropole,
    Partner,
    Process,
    Product,
    Record,
    Vendor,
)
from cartographie.schema import SCHEMA_FILE_NAME, inventory_json_schema_text, modeline

MAX_ID_LENGTH = 80


class InteropError(CartographieError):
    """A file to import or export is unusable (wrong format, inconsistent content): exit 1."""

    code = "E500"


# --- slugs ------------------------------------------------------------------------------------


@lru_cache(maxsize=1 << 16)
def slugify(text: str, max_length: int = MAX_ID_LENGTH) -> str:
    """A valid inventory id from any text: lowercase ASCII letters, digits and single hyphens.

    Accents are dropped (``É`` → ``e``), ligatures split (``œ`` → ``oe``), everything else becomes a
    hyphen. The result may be empty (text without a letter or digit): callers supply a fallback.
    """
    text = text.replace("œ", "oe").replace("Œ", "OE").replace("æ", "ae").replace("Æ", "AE")
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(slug) > max_length:
        slug = slug[:max_length].rstrip("-")
    return slug


class SlugAllocator:
    """Hands out unique slugs: the first claimant of a base gets it, the next ``base-2``, …

    Deterministic as long as claims come in a deterministic order (callers sort first).
    """

    def __init__(self, taken: Iterable[str] = ()) -> None:
        self.taken: set[str] = set(taken)

    def allocate(self, base: str, fallback: str = "objet") -> str:
        base = base or fallback
        if base not in self.taken:
            self.taken.add(base)
            return base
        number = 2
        while True:
            suffix = f"-{number}"
            candidate = base[: MAX_ID_LENGTH - len(suffix)].rstrip("-") + suffix
            if candidate not in self.taken:
                self.taken.add(candidate)
                return candidate
            number += 1


# --- the in-memory inventory ------------------------------------------------------------------


@dataclass
class InventoryDraft:
    """Records of an inventory being built, before they become YAML files."""

    metropole: Metropole
    communes: list[Commune] = field(default_factory=list)
    domains: list[Domain] = field(default_factory=list)
    partners: list[Partner] = field(default_factory=list)
    datacenters: list[Datacenter] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    processes: list[Process] = field(default_factory=list)
    data_objects: list[DataObject] = field(default_factory=list)
    vendors: list[Vendor] = field(default_factory=list)
    products: list[Product] = field(default_factory=list)
    delegations: list[Delegation] = field(default_factory=list)
    # owner id -> its applications
    applications: dict[str, list[Application]] = field(default_factory=dict)
    flows: list[Flow] = field(default_factory=list)
    # A comment written under the modeline of every file (where the inventory came from).
    provenance: str = ""


def record_data(record: Record) -> dict[str, Any]:
    """The record as YAML would hold it: French keys, the models' field order, defaults left out."""
    data: dict[str, Any] = record.model_dump(by_alias=True, exclude_defaults=True)
    return data


def _by_id(records: Iterable[Record]) -> list[dict[str, Any]]:
    return [
        record_data(record)
        for record in sorted(records, key=lambda item: str(getattr(item, "id", "")))
    ]


def dump_yaml(relative: str, data: dict[str, Any], comment: str = "") -> bytes:
    """One inventory file: the modeline, an optional comment, then the data (deterministic),
    written by the generator's emitter (the inventory's house style, several times faster than
    PyYAML's)."""
    head = modeline(relative)
    for line in comment.splitlines():
        head += f"# {line}".rstrip() + "\n"
    return (head + dump_document(data)).encode("utf-8")


# A file of the draft: its path, its owner (application files), and its sections in order, each
# a record (the métropole) or a list of records.
DraftFile = tuple[str, str | None, list[tuple[str, Record | list[Record]]]]


def _sorted_by_id(records: Iterable[Record]) -> list[Record]:
    return sorted(records, key=lambda item: str(getattr(item, "id", "")))


def draft_layout(draft: InventoryDraft) -> list[DraftFile]:
    """The files of the inventory (DESIGN.md §3 layout) and the records each holds, sorted."""
    layout: list[DraftFile] = []
    territory: list[tuple[str, Record | list[Record]]] = [
        ("metropole", draft.metropole),
        ("communes", _sorted_by_id(draft.communes)),
    ]
    for key, records in (
        ("domaines", draft.domains),
        ("partenaires", draft.partners),
        ("centres_de_donnees", draft.datacenters),
    ):
        if records:
            territory.append((key, _sorted_by_id(records)))
    layout.append(("territoire.yaml", None, territory))
    # Blocs keep the hierarchy's reading order: zones, then quartiers, then blocs, each by id.
    level_rank = {"zone": 0, "quartier": 1, "bloc": 2}
    ordered = sorted(draft.blocks, key=lambda block: (level_rank[block.level], block.id))
    blocks: list[Record] = list(ordered)
    for path, key, items in (
        ("referentiel/blocs.yaml", "blocs", blocks),
        ("referentiel/processus.yaml", "processus", _sorted_by_id(draft.processes)),
        ("referentiel/donnees.yaml", "donnees", _sorted_by_id(draft.data_objects)),
        ("referentiel/delegations.yaml", "delegations", _sorted_by_id(draft.delegations)),
    ):
        if items:
            layout.append((path, None, [(key, items)]))
    if draft.vendors or draft.products:
        sections: list[tuple[str, Record | list[Record]]] = [
            ("editeurs", _sorted_by_id(draft.vendors))
        ]
        if draft.products:
            sections.append(("produits", _sorted_by_id(draft.products)))
        layout.append(("referentiel/editeurs.yaml", None, sections))
    for owner in sorted(draft.applications):
        applications = _sorted_by_id(draft.applications[owner])
        layout.append((f"applications/{owner}.yaml", owner, [("applications", applications)]))
    if draft.flows:
        ordered_flows = sorted(draft.flows, key=lambda flow: flow.key)
        flows: list[Record] = list(ordered_flows)
        layout.append(("flux/flux.yaml", None, [("flux", flows)]))
    return layout


def render_draft(draft: InventoryDraft) -> dict[str, bytes]:
    """The files of the inventory (DESIGN.md §3 layout), keyed by POSIX path from the root."""
    files: dict[str, bytes] = {}
    for path, owner, sections in draft_layout(draft):
        data: dict[str, Any] = {} if owner is None else {"proprietaire": owner}
        for key, value in sections:
            data[key] = (
                [record_data(record) for record in value]
                if isinstance(value, list)
                else record_data(value)
            )
        files[path] = dump_yaml(path, data, draft.provenance)
    return files


def check_draft(target: Path, draft: InventoryDraft) -> Inventory:
    """Check the draft's records across files as the loader does (unique ids, references,
    cycles, hubs…); :class:`InventoryError` with every problem if not.

    Each record was validated when the importer made it (``model_validate``) and its texts
    checked as the reader checks them; the files are this very layout written by the
    generator's emitter (whose output the loader reads back in every test). So the records are
    checked in memory rather than written and read back: the same verdict, without parsing the
    inventory twice (a third of a large import).
    """
    files = []
    for path, owner, sections in draft_layout(draft):
        checked = CheckedFile(path, owner=owner)
        for key, value in sections:
            for record in value if isinstance(value, list) else [value]:
                checked.records.append(CheckedRecord(key, record, YamlMapping(0), path))
        files.append(checked)
    inventory, problems = build_inventory(target, files)
    errors = [problem for problem in problems if problem.severity == "erreur"]
    if errors or inventory is None:
        raise InventoryError(problems, root=str(target))
    return inventory


# --- reading the files to import ----------------------------------------------------------------

# An XLSX is a zip: what it declares once unzipped is bounded too (a real état des lieux of a few
# thousand rows unzips to a few MB), so that a zip bomb is refused before it is opened.
MAX_UNZIPPED_BYTES = 256 * 1024 * 1024


def read_input(path: Path) -> bytes:
    """The bytes of a file to import, read as every user file is (:func:`read_file`: a regular
    file, never blocking, at most ``MAX_FILE_BYTES``); :class:`InteropError` otherwise."""
    try:
        return read_file(path)
    except FileRefused as refused:
        raise InteropError(f"{path.name} : {refused.message}", refused.hint) from None


def check_unzipped_size(path: Path, data: bytes) -> None:
    """Refuse a zip (XLSX) whose members would unzip to more than ``MAX_UNZIPPED_BYTES``
    (reading a member never gives more than the size it declares)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            declared = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return  # not a zip: the spreadsheet reader says so in its own words
    if declared > MAX_UNZIPPED_BYTES:
        raise InteropError(
            f"{path.name} : le classeur se décompresserait en {declared / 1e6:.0f} Mo, au-delà "
            f"de la limite de {MAX_UNZIPPED_BYTES // (1024 * 1024)} Mo : il n'est pas ouvert",
            "exportez la feuille utile en CSV, ou allégez le classeur",
        )


# --- writing ----------------------------------------------------------------------------------


def ensure_writable_directory(target: Path, force: bool) -> None:
    """Refuse early a target the guarded writer would refuse: a file, a folder that is not an
    inventory this tool wrote, or one that is without ``force``."""
    check_folder(target, INVENTORY_FOLDER, force)


def write_directory_atomic(
    target: Path, files: dict[str, bytes], *, force: bool, with_schema: bool = True
) -> None:
    """Write ``files`` as the whole inventory ``target``, all or nothing, through the guarded
    folder writer (``--force`` to replace an inventory this tool wrote)."""
    contents = dict(files)
    if with_schema:
        contents.setdefault(SCHEMA_FILE_NAME, inventory_json_schema_text().encode("utf-8"))
    write_folder(target, contents, INVENTORY_FOLDER, force=force)


def write_export_folder(target: Path, files: dict[str, bytes]) -> None:
    """Write the files of a CSV export as the whole folder ``target``, at once: a folder holding
    anything but CSV files is refused (the guarded writer), never partly overwritten."""
    write_folder(target, files, CSV_FOLDER)


def write_bytes_atomic(target: Path, data: bytes) -> None:
    """Write one file the user named, never half of it."""
    write_output_file(target, data)

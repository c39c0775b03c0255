"""A change set as words and as a document (:func:`changeset_document`).

Every format writes the document: the terminal, the Markdown of a merge-request comment (the
summary first, the details folded in ``<details>`` blocks, so that a reviewer sees the size of
the change before its content, and bounded in size), CSV and XLSX (one row per change), HTML;
``--format json`` writes the versioned record of ``ChangeSet.to_dict``.
"""

from __future__ import annotations

import json

from cartographie.diff.model import (
    CHANGE_TYPE_LABELS,
    CHANGE_TYPES,
    JSON_FORMAT,
    KINDS,
    Change,
    ChangeSet,
    Json,
)
from cartographie.document import (
    Block,
    Column,
    Document,
    Paragraph,
    Ref,
    Section,
    make_table,
    numbers,
)
from cartographie.model.inventory import Inventory

GROUP_HEADERS = ("Ajouts", "Retraits", "Renommages", "Modifications")


def format_value(value: Json) -> str:
    """A field value as people read it: text as is, lists as ``[a, b]``, absent as ``—``."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, str):
        return value
    if isinstance(value, list) and all(isinstance(item, (str, int)) for item in value):
        return "[" + ", ".join(str(item) for item in value) + "]"
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def summary_sentence(changeset: ChangeSet) -> str:
    """« 3 changements — applications : 2 ajouts ; flux : 1 retrait » or « aucun changement »."""
    total = len(changeset.changes)
    if not total:
        return "aucun changement"
    parts = []
    for kind, counts in changeset.counts().items():
        detail = ", ".join(
            numbers.count(counts[change_type], CHANGE_TYPE_LABELS[change_type])
            for change_type in CHANGE_TYPES
            if counts[change_type]
        )
        parts.append(f"{KINDS[kind][1].lower()} : {detail}")
    return f"{numbers.count(total, 'changement')} — " + " ; ".join(parts)


def change_title(change: Change) -> str:
    """``application vc-video → vc-videoprotection (renommé)`` style, one line."""
    ident = f"{change.previous_id} → {change.id}" if change.previous_id else change.id
    if change.kind == "flux":
        ident = change.name if change.name else change.id
    return f"{ident} ({CHANGE_TYPE_LABELS[change.type]})"


def change_details(change: Change) -> list[str]:
    """The lines under a change: each field old → new, or the record's fields."""
    lines = []
    if change.type == "renommage" and change.similarity is not None:
        lines.append(
            f"identifiant : {change.previous_id} → {change.id} (similarité {change.similarity:.0%})"
        )
    for field_change in change.fields:
        lines.append(
            f"{field_change.field} : {format_value(field_change.before)} → "
            f"{format_value(field_change.after)}"
        )
    if change.record is not None and change.kind != "flux":
        shown = {key: value for key, value in change.record.items() if key != "id"}
        lines.extend(f"{key} : {format_value(value)}" for key, value in shown.items())
    elif change.record is not None:
        skipped = {"source", "cible", "donnee"}
        lines.extend(
            f"{key} : {format_value(value)}"
            for key, value in change.record.items()
            if key not in skipped
        )
    return lines


def organisation_names(*inventories: Inventory | None) -> dict[str, str]:
    """Organisation and bloc id -> name, from every side (a removed commune keeps its name)."""
    names: dict[str, str] = {}
    for inventory in inventories:
        if inventory is None:
            continue
        names[inventory.metropole.id] = inventory.metropole.name
        names.update((key, commune.name) for key, commune in inventory.communes.items())
        names.update((key, block.name) for key, block in inventory.blocks.items())
    return names


# --- the document -------------------------------------------------------------------------------

COUNT_COLUMNS = tuple(
    Column(f"{change_type}s", label, "integer")
    for change_type, label in zip(CHANGE_TYPES, GROUP_HEADERS, strict=True)
)
# Objects a change can name that have an atlas page (HTML links them).
_LINKED_KINDS = {"application", "commune", "bloc", "processus"}


def _object(change: Change) -> str:
    """The changed object: its id (« ancien → nouveau » for a renaming), linked to its atlas
    page when it has one and still exists."""
    label = f"{change.previous_id} → {change.id}" if change.previous_id else change.id
    kind = change.kind if change.kind in _LINKED_KINDS and change.type != "retrait" else "objet"
    return Ref(kind, change.id, label)


def _counts(counts: dict[str, int]) -> tuple[int, ...]:
    return tuple(counts[change_type] for change_type in CHANGE_TYPES)


def _organisation(key: str, names: dict[str, str]) -> Ref:
    return Ref("commune", key, names.get(key, key))


def changeset_document(
    changeset: ChangeSet,
    base_label: str,
    proposed_label: str,
    names: dict[str, str] | None = None,
    record: dict[str, Json] | None = None,
) -> Document:
    """The change set as a document: the summary first, then the counts by commune and by
    bloc (folded), every change grouped by kind (folded in Markdown), and the use changes.
    ``record`` is the JSON document (``ChangeSet.to_dict``) that ``--format json`` writes."""
    names = names or {}
    summary = Paragraph(summary_sentence(changeset), True)
    blocks: list[Block] = []
    if changeset:
        blocks.append(
            make_table(
                "resume",
                "Résumé",
                (Column("objet", "Objet", "reference"), *COUNT_COLUMNS),
                [
                    (Ref("objet", kind, KINDS[kind][1]), *_counts(counts))
                    for kind, counts in changeset.counts().items()
                ],
            )
        )
        for name, title, column, groups, kind in (
            ("communes", "Par commune", "Commune", changeset.by_commune(), "commune"),
            ("blocs", "Par bloc", "Bloc", changeset.by_block(), "bloc"),
        ):
            if not groups:
                continue
            table = make_table(
                name,
                title,
                (Column(kind, column, "reference"), *COUNT_COLUMNS),
                [
                    (Ref(kind, key, names.get(key, key)), *_counts(counts))
                    for key, counts in groups.items()
                ],
            )
            blocks.append(Section(f"{title} ({len(groups)})", (table,), name=name, fold=True))
        blocks.append(
            make_table(
                "changements",
                "Changements",
                CHANGE_COLUMNS,
                [
                    (
                        Ref("objet", change.kind, KINDS[change.kind][1]),
                        CHANGE_TYPE_LABELS[change.type],
                        _object(change),
                        change.previous_id,
                        change.name or None,
                        str(change.location),
                        tuple(change_details(change)),
                    )
                    for change in changeset.changes
                ],
                group_by="objet",
            )
        )
        if changeset.uses:
            uses = make_table(
                "usages",
                "Usages",
                (
                    Column("organisation", "Organisation", "reference"),
                    Column("application", "Application", "reference"),
                    Column("type", "Changement"),
                ),
                [
                    (
                        _organisation(use.organisation, names),
                        Ref("application", use.application),
                        "utilise désormais" if use.type == "ajout" else "n'utilise plus",
                    )
                    for use in changeset.uses
                ],
            )
            blocks.append(
                Section(f"Usages ({len(changeset.uses)})", (uses,), name="usages", fold=True)
            )
    return Document(
        "diff",
        f"Changement du patrimoine : {base_label} → {proposed_label}",
        tuple(blocks),
        summary=(summary,),
        primary="changements" if changeset else "",
        record=None if record is None else {"format": JSON_FORMAT, **record},
    )


CHANGE_COLUMNS = (
    Column("objet", "Objet", "reference"),
    Column("type", "Changement"),
    Column("id", "Identifiant", "reference"),
    Column("ancien_id", "Ancien identifiant", audience="machines"),
    Column("nom", "Nom"),
    Column("emplacement", "Emplacement", "location"),
    Column("champs", "Détail", "lines"),
)

"""A change set as words: the rows of the terminal tables, and the Markdown comment.

The CLI draws the rows with rich; the Markdown (a merge-request comment) puts the summary first
and folds the details in ``<details>`` blocks, so that a reviewer sees the size of the change
before its content. Nothing here prints or imports a terminal library.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from cartographie.diff.model import (
    CHANGE_TYPE_LABELS,
    CHANGE_TYPES,
    KINDS,
    Change,
    ChangeSet,
    Json,
)
from cartographie.model.inventory import Inventory

SUMMARY_HEADERS = ("Objet", "Ajouts", "Retraits", "Renommages", "Modifications")
GROUP_HEADERS = ("Ajouts", "Retraits", "Renommages", "Modifications")

_MARKDOWN_SPECIALS = str.maketrans(
    {char: f"\\{char}" for char in "\\`*_[]<>|#~"} | {"\n": " ", "\r": " "}
)


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


def summary_rows(changeset: ChangeSet) -> list[tuple[str, ...]]:
    """One row per kind that changed: label, then the count of each change type."""
    return [
        (KINDS[kind][1], *(str(counts[change_type]) for change_type in CHANGE_TYPES))
        for kind, counts in changeset.counts().items()
    ]


def summary_sentence(changeset: ChangeSet) -> str:
    """« 3 changements — applications : 2 ajouts ; flux : 1 retrait » or « aucun changement »."""
    total = len(changeset.changes)
    if not total:
        return "aucun changement"
    parts = []
    for kind, counts in changeset.counts().items():
        detail = ", ".join(
            f"{counts[change_type]} {CHANGE_TYPE_LABELS[change_type]}"
            f"{'s' if counts[change_type] > 1 else ''}"
            for change_type in CHANGE_TYPES
            if counts[change_type]
        )
        parts.append(f"{KINDS[kind][1].lower()} : {detail}")
    plural = "s" if total > 1 else ""
    return f"{total} changement{plural} — " + " ; ".join(parts)


def group_rows(groups: dict[str, dict[str, int]], names: dict[str, str]) -> list[tuple[str, ...]]:
    return [
        (names.get(key, key), *(str(counts[change_type]) for change_type in CHANGE_TYPES))
        for key, counts in groups.items()
    ]


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


# --- Markdown -----------------------------------------------------------------------------------


def md(text: str) -> str:
    """Text safe inside Markdown (and the HTML a forge renders it into)."""
    return text.translate(_MARKDOWN_SPECIALS)


def code(text: str) -> str:
    """An inline code span that holds any text (a path with a backtick included)."""
    text = text.replace("\n", " ")
    return f"`` {text} ``" if "`" in text else f"`{text}`"


def markdown_table(
    headers: Iterable[str], rows: Iterable[Iterable[str]], numeric_from: int = 1
) -> str:
    header_list = list(headers)
    align = ["---" if index < numeric_from else "---:" for index in range(len(header_list))]
    lines = [
        "| " + " | ".join(md(header) for header in header_list) + " |",
        "| " + " | ".join(align) + " |",
    ]
    lines.extend("| " + " | ".join(md(cell) for cell in row) + " |" for row in rows)
    return "\n".join(lines)


def changeset_markdown(
    changeset: ChangeSet,
    base_label: str,
    proposed_label: str,
    names: dict[str, str] | None = None,
    heading: str = "###",
) -> str:
    """The change set as a merge-request comment: summary first, details folded."""
    names = names or {}
    out = [
        f"{heading} Changement du patrimoine : {code(base_label)} → {code(proposed_label)}",
        "",
        f"**{md(summary_sentence(changeset))}**",
    ]
    if not changeset:
        return "\n".join(out) + "\n"
    out += ["", markdown_table(SUMMARY_HEADERS, summary_rows(changeset))]
    for title, groups in (
        ("Par commune", changeset.by_commune()),
        ("Par bloc", changeset.by_block()),
    ):
        if groups:
            out += [
                "",
                f"<details><summary>{title} ({len(groups)})</summary>",
                "",
                markdown_table(
                    (title.split()[-1].capitalize(), *GROUP_HEADERS), group_rows(groups, names)
                ),
                "",
                "</details>",
            ]
    for kind in KINDS:
        changes = changeset.of_kind(kind)
        if not changes:
            continue
        out += ["", f"<details><summary>{KINDS[kind][1]} ({len(changes)})</summary>", ""]
        for change in changes:
            where = f"{change.location}"
            out.append(
                f"- **{CHANGE_TYPE_LABELS[change.type]}** {_md_ident(change)} "
                f"— {md(change.name)} ({md(where)})"
            )
            out.extend(f"  - {md(line)}" for line in change_details(change))
        out += ["", "</details>"]
    if changeset.uses:
        out += ["", f"<details><summary>Usages ({len(changeset.uses)})</summary>", ""]
        for use in changeset.uses:
            verb = "utilise désormais" if use.type == "ajout" else "n'utilise plus"
            out.append(
                f"- {md(names.get(use.organisation, use.organisation))} {verb} "
                f"{code(use.application)}"
            )
        out += ["", "</details>"]
    return "\n".join(out) + "\n"


def _md_ident(change: Change) -> str:
    if change.previous_id:
        return f"{code(change.previous_id)} → {code(change.id)}"
    return code(change.id)

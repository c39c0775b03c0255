"""``cartographie cache`` as a document: where the user's cache is and what it holds, by kind.

One row per kind of entry (:data:`cartographie.usercache.KINDS`) and a total; the limit past
which old entries go is the note. ``--format json`` writes the generic document (sizes in bytes).
"""

from __future__ import annotations

from cartographie import usercache
from cartographie.document import Column, Document, make_table, numbers

COLUMNS = (
    Column("contenu", "Contenu"),
    Column("elements", "Éléments", "integer"),
    Column("fichiers", "Fichiers", "integer"),
    Column("taille", "Taille", "bytes"),
)


def cache_document(contents: usercache.CacheContents, limit: int) -> Document:
    rows: list[tuple[str, int, int, int]] = [
        (kind.label, *contents.by_kind(kind.code)) for kind in usercache.KINDS
    ]
    rows.append(
        (
            "Total",
            len(contents.entries),
            sum(entry.files for entry in contents.entries),
            contents.size,
        )
    )
    return Document(
        "cache",
        f"Cache de cartographie : {contents.root}",
        (make_table("contenus", "Contenu du cache", COLUMNS, rows),),
        notes=(
            f"Limite : {numbers.size(limit)} ({usercache.LIMIT_VARIABLE}) ; au-delà, les "
            "éléments les moins récemment utilisés sont supprimés. Vider : cartographie cache "
            "vider",
        ),
    )

"""The atlas's search index: every object with a page, by name and id, in one JavaScript file.

The atlas opens from the file system (``file://``), where a page may not ``fetch`` a JSON file:
the index is a script, ``recherche.js`` at the atlas's root, that the search box of every page
loads the first time it is used (``atlas.js``). It assigns one object::

    window.ATLAS_RECHERCHE = {"genres": ["Commune", …], "objets": [[genre, nom, id, page,
                              détail, clé], …]}

``clé`` is the name *folded* — lowercase, accents and ligatures removed, anything
but letters and digits a space — by :func:`fold`, which ``atlas.js`` applies to what the user
types: « etat civil » finds « État civil », « oeuvre » finds « Œuvre ». Entries are sorted by
kind (the order of :data:`cartographie.atlas.objects.OBJECT_KINDS`), then by folded name and
id: the file is deterministic. Names are written as JSON strings and shown by the page as text,
never as markup.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterator

from cartographie.atlas.objects import OBJECT_KINDS, SECTIONS, ObjectKind, object_page
from cartographie.graph import Portfolio
from cartographie.views.text import clean

SEARCH_FILE = "recherche.js"
_NOT_WORD = re.compile(r"[^a-z0-9]+")
# Ligatures NFKD leaves as they are (atlas.js replaces the same ones).
_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "ß": "ss"})


def fold(text: str) -> str:
    """``text`` as the search compares it: lowercase, no accent, words of ``a-z0-9``."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    bare = "".join(char for char in decomposed if not unicodedata.category(char).startswith("M"))
    return _NOT_WORD.sub(" ", bare.translate(_LIGATURES)).strip()


def _entries(portfolio: Portfolio, index: int, kind: ObjectKind) -> Iterator[list[object]]:
    inventory = portfolio.inventory
    rows = []
    for object_id in kind.ids(inventory):
        name = clean(kind.name(inventory, object_id))
        rows.append((fold(name), object_id, name))
    for key, object_id, name in sorted(rows):
        page = object_page(
            inventory.blocks[object_id].level if kind is SECTIONS else kind.kind, object_id
        )
        detail = kind.detail(portfolio, object_id)
        yield [index, name, object_id, page, detail, key]


def search_kinds() -> list[ObjectKind]:
    """The kinds the search lists, in the order of its results."""
    kinds = [kind for kind in OBJECT_KINDS.values() if kind.searched]
    return [*kinds[:2], SECTIONS, *kinds[2:]]


def search_index(portfolio: Portfolio) -> str:
    """The content of ``recherche.js``."""
    kinds = search_kinds()
    entries = [
        entry for index, kind in enumerate(kinds) for entry in _entries(portfolio, index, kind)
    ]
    data = {"genres": [kind.noun for kind in kinds], "objets": entries}
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    # Line and paragraph separators end a line in older JavaScript engines: escaped.
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return f"window.ATLAS_RECHERCHE = {text};\n"


__all__ = ["SEARCH_FILE", "fold", "search_index", "search_kinds"]

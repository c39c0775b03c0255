"""Change sets between two inventories: the semantic diff of docs/suivi.md.

``diff_inventories(base, proposed)`` compares two validated inventories (either may be ``None``:
no inventory on that side) and returns a sorted :class:`ChangeSet`; ``report`` turns it into the
rows of a table or a Markdown comment, and ``ChangeSet.to_dict`` into the versioned JSON document.
Reading an inventory at a git revision belongs to ``cartographie.inventory.git``.
"""

from cartographie.diff.compare import RENAME_THRESHOLD, diff_inventories, similarity
from cartographie.diff.model import (
    CHANGE_TYPES,
    JSON_VERSION,
    KINDS,
    Change,
    ChangeSet,
    FieldChange,
    UseChange,
)

__all__ = [
    "CHANGE_TYPES",
    "JSON_VERSION",
    "KINDS",
    "RENAME_THRESHOLD",
    "Change",
    "ChangeSet",
    "FieldChange",
    "UseChange",
    "diff_inventories",
    "similarity",
]

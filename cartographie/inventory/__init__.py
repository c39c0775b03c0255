"""Reading and validating an inventory directory (the only package that reads its files).

The loader is imported on first use (PEP 562): shell completion reads ids through
:mod:`.ids` without paying for the models it never builds.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from cartographie.inventory.loader import (
        LoadResult,
        check_inventory,
        find_inventory_files,
        load_inventory,
        read_inventory_files,
        validate_inventory,
    )

__all__ = [
    "LoadResult",
    "check_inventory",
    "find_inventory_files",
    "load_inventory",
    "read_inventory_files",
    "validate_inventory",
]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from cartographie.inventory import loader

        return getattr(loader, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

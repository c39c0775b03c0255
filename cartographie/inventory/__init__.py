"""Reading and validating an inventory directory (the only package that reads its files)."""

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

"""Interoperability: the état des lieux spreadsheet in, GraphML / CSV / JSON / ArchiMate out,
ArchiMate exchange files in (DESIGN.md §8, docs/echanges.md).

Importers build a whole inventory in memory, validate it with
``cartographie.inventory.check_inventory`` and only then write it, atomically, to a new directory.
Exporters read a validated :class:`~cartographie.model.inventory.Inventory` and return text or
bytes; writing is a separate step (``write_text_atomic`` / ``write_directory_atomic``).
"""

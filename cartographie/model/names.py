"""Names an identifier may not take, apart from the records (the render worker reads it without
loading pydantic and the whole model: a worker starts 0.2 s sooner)."""

from __future__ import annotations

# Names Windows reserves for devices, whatever the extension: an id becomes a file name of the
# atlas (`con.html` cannot be created there), so the loader refuses them (E310).
WINDOWS_RESERVED_IDS = frozenset(
    {"con", "prn", "aux", "nul"}
    | {f"{port}{digit}" for port in ("com", "lpt") for digit in "0123456789"}
)

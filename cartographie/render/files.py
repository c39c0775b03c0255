"""Writing files safely: slugs for names whatever the ids hold, and atomic replacement."""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
import unicodedata
from pathlib import Path

_NOT_SLUG = re.compile(r"[^a-z0-9]+")
MAX_NAME = 80


def safe_filename(value: str) -> str:
    """A file-name slug: lowercase ASCII letters, digits and ``-``.

    An id that is already a slug is kept as is; anything else (accents, ``/``, ``..``, spaces,
    emoji, a reserved name) is folded to ASCII and gets a short hash of the original, so that two
    different ids never share a file.
    """
    if re.fullmatch(r"[a-z0-9](?:[a-z0-9-]{0,78}[a-z0-9])?", value):
        return value
    folded = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode().lower()
    slug = _NOT_SLUG.sub("-", folded).strip("-")[: MAX_NAME - 9] or "x"
    digest = hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    return f"{slug}-{digest}"


def atomic_write(path: Path, data: bytes | str) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder, then rename.

    An interrupted run leaves either the old file or the new one, never half of one.
    """
    payload = data.encode("utf-8") if isinstance(data, str) else data
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(payload)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise

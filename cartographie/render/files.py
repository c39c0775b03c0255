"""File names that are safe whatever the ids hold (writing itself is :mod:`cartographie.files`)."""

from __future__ import annotations

import hashlib
import re
import unicodedata

from cartographie.model.names import WINDOWS_RESERVED_IDS

_NOT_SLUG = re.compile(r"[^a-z0-9]+")
MAX_NAME = 80


def safe_filename(value: str) -> str:
    """A file-name slug: lowercase ASCII letters, digits and ``-``.

    An id that is already a slug is kept as is; anything else (accents, ``/``, ``..``, spaces,
    emoji, a reserved name) is folded to ASCII and gets a short hash of the original, so that two
    different ids never share a file.
    """
    if re.fullmatch(r"[a-z0-9](?:[a-z0-9-]{0,78}[a-z0-9])?", value) and (
        value not in WINDOWS_RESERVED_IDS
    ):
        return value
    folded = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode().lower()
    slug = _NOT_SLUG.sub("-", folded).strip("-")[: MAX_NAME - 9] or "x"
    digest = hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    return f"{slug}-{digest}"

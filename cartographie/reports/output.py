"""Writing a report to a file: atomically (a temporary sibling renamed over the target), so that
a committee's folder never holds half a spreadsheet."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from cartographie.errors import UsageError


def write_report_file(target: Path, data: str | bytes) -> None:
    payload = data.encode("utf-8") if isinstance(data, str) else data
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise UsageError(
            f"dossier introuvable : « {folder} »", "créez-le, ou choisissez un autre --sortie"
        )
    descriptor, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=folder)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(payload)
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        raise UsageError(f"écriture impossible : {target} ({error.strerror})") from None

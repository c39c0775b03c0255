"""Recording a diagnostic (``--enregistrer``) as ``diagnostics/<date>-<projet>.yaml``.

The record is the ``diagnostic`` section of the inventory format (``RecordedDiagnostic`` in
``model/records.py``): it is validated against that model before it is written, and every later
load validates it again like any other file. A file is never overwritten: a second diagnostic of
the same project on the same day gets ``-2``, ``-3``… The write is atomic (temporary file in the
same folder, then rename).
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import Any

import yaml

from cartographie.diagnostic.model import Diagnostic
from cartographie.errors import PathError
from cartographie.files import write_file_atomic
from cartographie.model.records import RecordedDiagnostic
from cartographie.schema import modeline

DIAGNOSTICS_FOLDER = "diagnostics"


def project_slug(project: str) -> str:
    folded = unicodedata.normalize("NFKD", project).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", folded).strip("-")[:60] or "projet"


def diagnostic_record(diagnostic: Diagnostic) -> dict[str, Any]:
    """The ``diagnostic`` section as YAML-ready data, keys in the order people read them."""
    data: dict[str, Any] = {
        "projet": diagnostic.project or "sans-nom",
        "date": diagnostic.date,
        "base": diagnostic.base.label,
        "revision_base": diagnostic.base.revision,
        "propose": diagnostic.proposed.label,
        "revision_proposee": diagnostic.proposed.revision,
        "verdict": diagnostic.verdict,
        "constats": [
            _finding(finding) for finding in (*diagnostic.findings, *diagnostic.preexisting)
        ],
        "resume": [
            {
                "objet": kind,
                "ajouts": counts["ajout"],
                "retraits": counts["retrait"],
                "modifications": counts["modification"],
                "renommages": counts["renommage"],
            }
            for kind, counts in diagnostic.summary.items()
        ],
        "communes": list(diagnostic.communes),
        "blocs": list(diagnostic.blocks),
    }
    return {key: value for key, value in data.items() if value not in (None, [])}


def _finding(finding: Any) -> dict[str, Any]:
    data = {
        "code": finding.code,
        "gravite": finding.severity,
        "message": finding.message,
        "fichier": finding.location.path,
        "ligne": finding.location.line,
        "objets": list(finding.objects),
        "correction": finding.fix,
    }
    if finding.preexisting:
        data["preexistant"] = True
    return data


def record_diagnostic(diagnostic: Diagnostic, inventory: Path) -> Path:
    """Write the diagnostic under ``inventory/diagnostics/``; return the file written."""
    if not inventory.is_dir():
        raise PathError(
            f"impossible d'enregistrer : « {inventory} » n'est pas un dossier",
            "l'enregistrement se fait dans l'inventaire de travail (-i/--inventaire)",
        )
    data = diagnostic_record(diagnostic)
    RecordedDiagnostic.model_validate(data)  # what the loader will accept, checked now
    folder = inventory / DIAGNOSTICS_FOLDER
    stem = f"{diagnostic.date.isoformat()}-{project_slug(diagnostic.project or 'sans-nom')}"
    target = folder / f"{stem}.yaml"
    number = 2
    while target.exists():
        target = folder / f"{stem}-{number}.yaml"
        number += 1
    relative = f"{DIAGNOSTICS_FOLDER}/{target.name}"
    body = yaml.dump(
        {"diagnostic": data},
        Dumper=yaml.CSafeDumper,
        allow_unicode=True,
        sort_keys=False,
        width=100,
    )
    text = (
        modeline(relative)
        + "# Diagnostic d'architecture enregistré par « cartographie diagnostic --enregistrer ».\n"
        + body
    )
    # The inventory comes from a merge request: a « diagnostics » link must not send the
    # record out of it.
    write_file_atomic(target, text, within=inventory)
    return target

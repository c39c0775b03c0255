"""The diagnostic d'architecture: rules (a registry by code) applied to what a change introduces.

``run_diagnostic(base, proposed)`` compares two versions of the inventory, runs every active
rule of :data:`RULES` (settings from the base's regles.yaml), keeps the findings the base did
not already have, and returns a :class:`Diagnostic` with its verdict. ``report`` writes it as
Markdown or JUnit XML, ``record`` under the inventory's ``diagnostics/`` folder.
"""

from cartographie.diagnostic.engine import run_diagnostic, version_root
from cartographie.diagnostic.model import (
    SEVERITIES,
    VERDICT_LABELS,
    Diagnostic,
    Finding,
    RuleOutcome,
    exit_status,
    verdict_of,
)
from cartographie.diagnostic.rules import RULES, Rule

__all__ = [
    "RULES",
    "SEVERITIES",
    "VERDICT_LABELS",
    "Diagnostic",
    "Finding",
    "Rule",
    "RuleOutcome",
    "exit_status",
    "run_diagnostic",
    "verdict_of",
    "version_root",
]

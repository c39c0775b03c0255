"""The diagnostic d'architecture as data: findings (constats), the verdict, the whole diagnostic.

A :class:`Finding` is one rule's observation on one object, located at ``file:line`` in the
proposed inventory. Its ``subject`` (the ids it is about, by kind) is its identity across
versions: a finding of the proposed inventory whose subject already had a finding of the same
rule in the base is pre-existing, and is not blamed on the change.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from cartographie.errors import Location
from cartographie.model.records import DiagnosticSeverity, VerdictValue

Severity = DiagnosticSeverity
Verdict = VerdictValue

SEVERITIES: tuple[Severity, ...] = ("bloquant", "avertissement", "info")
SEVERITY_ORDER = {severity: index for index, severity in enumerate(SEVERITIES)}
SEVERITY_LABELS = {"bloquant": "bloquant", "avertissement": "avertissement", "info": "info"}
VERDICT_LABELS: dict[str, str] = {
    "favorable": "avis favorable",
    "reserve": "avis réservé",
    "defavorable": "avis défavorable",
}
# Bump when a key of the JSON document changes meaning or disappears.
JSON_VERSION = 1

SubjectPart = tuple[str, str]  # (kind, id): ("application", "lp-gmao"), ("flux", "a>b:d")


@dataclass(frozen=True)
class Finding:
    """One constat: a rule, a severity, a message naming the objects, where, and how to fix it."""

    code: str
    severity: Severity
    message: str
    location: Location
    fix: str
    subject: tuple[SubjectPart, ...]
    objects: tuple[str, ...] = ()
    preexisting: bool = False

    @property
    def key(self) -> tuple[str, tuple[SubjectPart, ...]]:
        return (self.code, self.subject)

    def sort_key(self) -> tuple[int, str, Location, str]:
        return (SEVERITY_ORDER[self.severity], self.code, self.location, self.message)

    def format(self, root: str = "") -> str:
        """``path:line: D101 [avertissement] message (correction)`` — one line."""
        if root.endswith(":"):  # a revision with the inventory at the repository's root
            path = f"{root}{self.location.path}"
        else:
            path = f"{root.rstrip('/')}/{self.location.path}" if root else self.location.path
        where = f"{path}:{self.location.line}" if self.location.line else path
        return f"{where}: {self.code} [{self.severity}] {self.message} ({self.fix})"

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "gravite": self.severity,
            "message": self.message,
            "fichier": self.location.path,
            "ligne": self.location.line,
            "objets": list(self.objects),
            "correction": self.fix,
            "preexistant": self.preexisting,
        }

    def with_severity(self, severity: Severity) -> Finding:
        return replace(self, severity=severity)


@dataclass(frozen=True)
class RuleOutcome:
    """How one rule fared: its effective severity, whether it ran, what it found."""

    code: str
    name: str
    title: str
    severity: Severity
    active: bool
    findings: tuple[Finding, ...] = ()
    preexisting: tuple[Finding, ...] = ()
    # Why the rule is set this way (``motif`` in regles.yaml), when it is.
    reason: str | None = None


@dataclass(frozen=True)
class Side:
    """A version as the diagnostic names it: label, commit, and the root for ``file:line``."""

    label: str
    revision: str | None = None
    root: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"libelle": self.label, "revision": self.revision, "racine": self.root}


@dataclass(frozen=True)
class Diagnostic:
    """The judgement of a proposed change: findings introduced by it, and the verdict."""

    project: str | None
    date: dt.date
    base: Side
    proposed: Side
    findings: tuple[Finding, ...]
    outcomes: tuple[RuleOutcome, ...]
    # The change set's counts (kind -> type -> n), and what it touches.
    summary: dict[str, dict[str, int]] = field(default_factory=dict)
    communes: tuple[str, ...] = ()
    blocks: tuple[str, ...] = ()
    # Pre-existing problems, listed when asked (``--tout``), never counted in the verdict.
    preexisting: tuple[Finding, ...] = ()
    # Where the rule settings came from (regles.yaml of the base, usually).
    rules_source: str | None = None

    @property
    def verdict(self) -> Verdict:
        return verdict_of(self.findings)

    def counts(self) -> dict[str, int]:
        found = Counter(finding.severity for finding in self.findings)
        return {severity: found[severity] for severity in SEVERITIES}

    def to_dict(self) -> dict[str, Any]:
        """The JSON document (docs/suivi.md), version :data:`JSON_VERSION`."""
        return {
            "version": JSON_VERSION,
            "projet": self.project,
            "date": self.date.isoformat(),
            "base": self.base.to_dict(),
            "propose": self.proposed.to_dict(),
            "verdict": self.verdict,
            "comptes": self.counts(),
            "constats": [finding.to_dict() for finding in self.findings],
            "preexistants": [finding.to_dict() for finding in self.preexisting],
            "regles": [
                {
                    "code": outcome.code,
                    "nom": outcome.name,
                    "titre": outcome.title,
                    "gravite": outcome.severity,
                    "active": outcome.active,
                    "constats": len(outcome.findings),
                    "motif": outcome.reason,
                }
                for outcome in self.outcomes
            ],
            "source_regles": self.rules_source,
            "resume": self.summary,
            "communes": list(self.communes),
            "blocs": list(self.blocks),
        }


def verdict_of(findings: tuple[Finding, ...] | list[Finding]) -> Verdict:
    """défavorable if a blocking finding, réservé if a warning, favorable otherwise."""
    severities = {finding.severity for finding in findings}
    if "bloquant" in severities:
        return "defavorable"
    if "avertissement" in severities:
        return "reserve"
    return "favorable"


ExitPolicy = Literal["normal", "strict"]


def exit_status(verdict: Verdict, strict: bool = False) -> int:
    """0 / 0 / 1 for favorable / réservé / défavorable; ``strict`` makes réservé 1."""
    if verdict == "defavorable" or (strict and verdict == "reserve"):
        return 1
    return 0

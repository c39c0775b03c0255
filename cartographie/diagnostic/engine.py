"""Running the rules on a proposed change: what it introduces, what was already there, a verdict.

The engine runs each active rule twice: on the change (the proposed portfolio, with the base to
tell what is new) and on the base alone (everything new). A finding of the change whose identity
— rule and subject, renames followed — is among the base's is pre-existing: it is not blamed on
the change, and only listed when asked (``--tout``). The verdict counts the rest.

Rule settings (regles.yaml) are read from the **base** when it has an inventory: the target
branch's policy judges the change, so a merge request cannot loosen the rules that judge it.
A change to regles.yaml shows in the diff and takes effect once merged.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from cartographie.diagnostic.context import RuleContext
from cartographie.diagnostic.model import (
    Diagnostic,
    Finding,
    RuleOutcome,
    Severity,
    Side,
    SubjectPart,
)
from cartographie.diagnostic.rules import RULES, Rule
from cartographie.diff import ChangeSet, diff_inventories
from cartographie.errors import OptionError
from cartographie.graph import Portfolio
from cartographie.inventory.git import InventoryVersion
from cartographie.model.dates import reference_today
from cartographie.model.inventory import Inventory
from cartographie.model.records import RuleSetting


def run_diagnostic(
    base: InventoryVersion,
    proposed: InventoryVersion,
    *,
    project: str | None = None,
    date: dt.date | None = None,
    include_preexisting: bool = False,
    rules: dict[str, Rule] | None = None,
) -> Diagnostic:
    """Judge ``proposed`` against ``base`` with the rules of DESIGN.md §6."""
    if proposed.inventory is None:
        raise OptionError(
            f"aucun inventaire dans la version proposée « {proposed.label} »",
            "le diagnostic juge un inventaire : vérifiez la révision ou le dossier",
        )
    changes = diff_inventories(base.inventory, proposed.inventory)
    proposed_portfolio = Portfolio(proposed.inventory)
    base_portfolio = Portfolio(base.inventory) if base.inventory is not None else None
    settings_from = base if base.inventory is not None else proposed
    assert settings_from.inventory is not None
    settings = settings_from.inventory.rules
    registry = rules if rules is not None else RULES

    day = date or reference_today()
    context = RuleContext(
        proposed_portfolio, base_portfolio, changes.renames, changes.flow_matches, day
    )
    base_alone = RuleContext(base_portfolio, date=day) if base_portfolio is not None else None
    proposed_alone = RuleContext(proposed_portfolio, date=day)

    outcomes: list[RuleOutcome] = []
    introduced: list[Finding] = []
    preexisting: list[Finding] = []
    for code, rule in registry.items():
        setting = settings.get(code)
        severity = (setting.severity if setting else None) or rule.severity
        active = setting.active if setting else True
        if not active:
            outcomes.append(_outcome(rule, severity, False, (), (), setting))
            continue
        before = {_carried(f.key, changes) for f in rule.run(base_alone)} if base_alone else set()
        found = [f.with_severity(severity) for f in rule.run(context) if f.key not in before]
        old: list[Finding] = []
        if include_preexisting and before:
            old = [f.with_severity(severity) for f in rule.run(proposed_alone) if f.key in before]
            old = [_as_preexisting(f) for f in old]
        found.sort(key=Finding.sort_key)
        old.sort(key=Finding.sort_key)
        introduced.extend(found)
        preexisting.extend(old)
        outcomes.append(_outcome(rule, severity, True, tuple(found), tuple(old), setting))

    return Diagnostic(
        project=project,
        date=day,
        base=_side(base),
        proposed=_side(proposed),
        findings=tuple(sorted(introduced, key=Finding.sort_key)),
        outcomes=tuple(outcomes),
        summary=changes.counts(),
        communes=tuple(changes.communes()),
        blocks=tuple(changes.blocks()),
        preexisting=tuple(sorted(preexisting, key=Finding.sort_key)),
        rules_source=_rules_source(settings_from),
    )


def _carried(
    key: tuple[str, tuple[SubjectPart, ...]], changes: ChangeSet
) -> tuple[str, tuple[SubjectPart, ...]]:
    """A base finding's identity as it reads in the proposed inventory (renames followed)."""
    code, subject = key
    parts: list[SubjectPart] = []
    for kind, object_id in subject:
        if kind == "flux":
            parts.append((kind, changes.flow_matches.get(object_id, object_id)))
        else:
            parts.append((kind, changes.renames.get(kind, {}).get(object_id, object_id)))
    return code, tuple(parts)


def _as_preexisting(finding: Finding) -> Finding:
    from dataclasses import replace

    return replace(finding, preexisting=True)


def _outcome(
    rule: Rule,
    severity: Severity,
    active: bool,
    findings: tuple[Finding, ...],
    preexisting: tuple[Finding, ...],
    setting: RuleSetting | None,
) -> RuleOutcome:
    return RuleOutcome(
        code=rule.code,
        name=rule.name,
        title=rule.title,
        severity=severity,
        active=active,
        findings=findings,
        preexisting=preexisting,
        reason=setting.reason if setting else None,
    )


def version_root(version: InventoryVersion) -> str:
    """The prefix that makes a finding's ``file:line`` openable: the directory, or
    ``REV:path`` inside the repository for a revision."""
    if version.revision is not None:
        return f"{version.label}:{version.prefix}" if version.prefix else f"{version.label}:"
    return str(version.directory) if version.directory is not None else ""


def _side(version: InventoryVersion) -> Side:
    return Side(label=version.label, revision=version.revision, root=version_root(version))


def _rules_source(version: InventoryVersion) -> str | None:
    inventory: Inventory | None = version.inventory
    if inventory is None or not inventory.rules:
        return None
    origins = sorted({setting.origin.path for setting in inventory.rules.values()})
    return f"{version.label} ({', '.join(origins)})"


def active_rules(settings: dict[str, RuleSetting]) -> Iterable[str]:
    return [code for code in RULES if settings.get(code) is None or settings[code].active]

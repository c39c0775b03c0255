"""What a rule sees: the proposed portfolio, the base one, and what is new between them.

A rule looks at the proposed portfolio and asks the context whether an object or a relation is
*new* — absent from the base, renames followed. Run without a base (``base is None``) everything
is new: that is how the engine lists the problems a version already had, with the same rules.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property

from cartographie.diagnostic.model import Finding, Severity, SubjectPart
from cartographie.errors import Location
from cartographie.graph import Portfolio
from cartographie.model.dates import reference_today
from cartographie.model.records import Application, Flow


@dataclass
class RuleContext:
    proposed: Portfolio
    base: Portfolio | None = None
    # Kind -> old id -> new id (from the change set), and base flow key -> proposed flow key.
    renames: dict[str, dict[str, str]] = field(default_factory=dict)
    flow_matches: dict[str, str] = field(default_factory=dict)
    # The day of the diagnostic: what is « past its end » (of support, of a chantier) is read
    # at it.
    date: dt.date = field(default_factory=reference_today)

    # --- the base, seen from the proposed side --------------------------------------------

    @cached_property
    def _previous_ids(self) -> dict[str, dict[str, str]]:
        return {
            kind: {new: old for old, new in pairs.items()} for kind, pairs in self.renames.items()
        }

    @cached_property
    def _previous_flow_keys(self) -> dict[str, str]:
        return {new: old for old, new in self.flow_matches.items()}

    def previous_id(self, kind: str, object_id: str) -> str:
        return self._previous_ids.get(kind, {}).get(object_id, object_id)

    def base_application(self, application_id: str) -> Application | None:
        """The application as it was in the base (through a rename), or ``None`` if it is new."""
        if self.base is None:
            return None
        return self.base.inventory.applications.get(self.previous_id("application", application_id))

    @cached_property
    def _base_flows(self) -> dict[str, Flow]:
        if self.base is None:
            return {}
        return {flow.key: flow for flow in self.base.inventory.flows}

    def base_flow(self, flow: Flow) -> Flow | None:
        """The flow as it was in the base, or ``None`` if the change adds it."""
        previous = self._previous_flow_keys.get(flow.key)
        return self._base_flows.get(previous) if previous is not None else None

    def is_new_application(self, application_id: str) -> bool:
        return self.base_application(application_id) is None

    def is_new_flow(self, flow: Flow) -> bool:
        return self.base_flow(flow) is None

    def is_new_use(self, application_id: str, block_id: str, commune_id: str) -> bool:
        """True unless the base already had this application in this bloc for this commune."""
        before = self.base_application(application_id)
        if before is None or self.base is None:
            return True
        block = self.previous_id("bloc", block_id)
        users = self.base.inventory.users.get(before.id, ())
        return block not in before.blocks or commune_id not in users

    # --- helpers every rule uses ----------------------------------------------------------

    @cached_property
    def _block_members(self) -> dict[str, list[str]]:
        members: dict[str, list[str]] = {}
        for application in self.proposed.inventory.applications.values():
            for block_id in application.blocks:
                members.setdefault(block_id, []).append(application.id)
        return {block_id: sorted(ids) for block_id, ids in members.items()}

    def applications_in_block(self, block_id: str) -> list[str]:
        """Applications attached to the bloc itself (not below it), sorted."""
        return self._block_members.get(block_id, [])

    @cached_property
    def blocks_with_flows(self) -> frozenset[str]:
        """Blocs where a flow starts or ends (through any application attached to them)."""
        applications = self.proposed.inventory.applications
        found: set[str] = set()
        for flow in self.proposed.inventory.flows:
            found.update(applications[flow.source].blocks)
            found.update(applications[flow.target].blocks)
        return frozenset(found)

    def where(self, record: Application | Flow) -> Location:
        return record.origin

    def located(self, application_id: str) -> str:
        """``lp-gmao (applications/les-pres.yaml:30)`` — an object named with its place."""
        return f"« {application_id} » ({self.proposed.application(application_id).origin})"

    def finding(
        self,
        code: str,
        severity: Severity,
        message: str,
        location: Location,
        fix: str,
        subject: tuple[SubjectPart, ...],
        objects: tuple[str, ...] = (),
    ) -> Finding:
        return Finding(
            code=code,
            severity=severity,
            message=message,
            location=location,
            fix=fix,
            subject=subject,
            objects=objects,
        )

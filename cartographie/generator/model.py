"""The generator's own records: applications and flows as they are built, before they become
YAML text.

They mirror the inventory's records (``cartographie.model.records``) but are plain mutable
dataclasses, cheap to create by the hundred thousand, and carry what only the generator needs:
the data objects an application produces and consumes, whether it is the authoritative source
of its bloc, and the group of the territory it belongs to.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from cartographie.generator.territory import Commune

if TYPE_CHECKING:
    from cartographie.generator.timeline import Timeline


@dataclass(slots=True)
class GeneratedApplication:
    id: str
    name: str
    owner: str
    layer: str
    blocks: tuple[str, ...]
    hosting: str
    group: int
    product: str | None = None
    users: tuple[str, ...] | None = None  # None: the owner alone
    datacenter: str | None = None
    no_backup: bool = False
    lifecycle: str = "production"
    sectors: tuple[str, ...] = ()
    responsible: str | None = None
    governance: str = "dgsin"
    cost: int | None = None
    internal_days: float | int | None = None
    since: int | None = None
    retired: int | dt.date | None = None
    delegation: str | None = None
    hub: bool = False
    replaced_by: str | None = None
    origin: str | None = None
    description: str | None = None
    version: str | None = None
    last_review: dt.date | None = None
    disposition: str | None = None  # TIME (generator.timeline)
    disposition_reason: str | None = None
    # --- for the generator only
    produces: tuple[str, ...] = ()
    consumes: tuple[str, ...] = ()
    authoritative: bool = False  # the bloc's reference application, preferred as a source
    tool_kind: str | None = None  # acc, xls, wd, web, saas for the long tail

    def user_ids(self) -> tuple[str, ...]:
        return self.users if self.users is not None else (self.owner,)

    @property
    def active(self) -> bool:
        return self.lifecycle != "retiree"


@dataclass(slots=True)
class GeneratedFlow:
    source: str
    target: str
    data: str
    protocol: str
    frequency: str
    via: str | None = None
    consent: str | None = None
    description: str | None = None
    since: int | None = None

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.source, self.target, self.data)


@dataclass
class GeneratedWorld:
    """Everything generated, before rendering: the territory, applications by file, flows."""

    scale: int
    seed: int
    groups: list[list[Commune]]
    # File stem under applications/ (an owner id, or "partenaires") -> its applications.
    applications: dict[str, list[GeneratedApplication]] = field(default_factory=dict)
    flows: list[GeneratedFlow] = field(default_factory=list)
    # Chantiers, planned adhesions, ends of support (generator.timeline), once planned.
    timeline: Timeline | None = None
    # Commune id -> its staff (agents), drawn by ``generator.costs``.
    agents: dict[str, int] = field(default_factory=dict)

    @property
    def communes(self) -> list[Commune]:
        return [commune for group in self.groups for commune in group]

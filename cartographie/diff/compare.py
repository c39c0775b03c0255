"""Comparing two inventories record by record: the semantic diff (docs/suivi.md).

The comparison is on meaning, not on text: moving an application to another file, reordering a
list of flows, writing a default value out or leaving it implicit change nothing. What counts:

- **identity**: an object is its id; a flow is its ``id`` when it has one, else its
  ``source``, ``cible`` and ``donnee``. Flows are matched by id first, then by that triple;
- **applications** are compared with their *effective* owner and users (``proprietaire`` of the
  file or of the record; ``utilisateurs``, the owner by default), so that ownership and use
  changes show however they were written;
- **renames**: among the objects of one kind removed and added, a pair whose fields other than
  ``id`` mostly match is a rename — :func:`similarity` ≥ :data:`RENAME_THRESHOLD` — and flows
  follow it (a flow whose only change is a renamed end is *modified*, not removed and added);
- **order**: changes sorted by kind, type (ajout, retrait, renommage, modification), then id;
  fields by name.

Records compare with ``==`` first (fields only, never the location), so the cost of a diff is
one equality test per object plus a dump of the few that changed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from cartographie.diff.model import (
    KINDS,
    Change,
    ChangeSet,
    ChangeType,
    FieldChange,
    Json,
    UseChange,
)
from cartographie.model.inventory import Inventory
from cartographie.model.records import Flow, Record

# A removed and an added object are one renamed object when at least this share of the fields
# that say something on either side (not empty, not false) is equal — id aside. Four fields out
# of five is a rename; three out of four is not. Two applications of one commune in one bloc
# (same owner, layer, bloc, hosting) typically share 60–70 % of their fields, so the bar sits
# above that.
RENAME_THRESHOLD = 0.8

_EMPTY: tuple[Json, ...] = (None, [], "", False, {})


def diff_inventories(base: Inventory | None, proposed: Inventory | None) -> ChangeSet:
    """The change set that turns ``base`` into ``proposed`` (``None``: no inventory there)."""
    return _Comparison(_Side(base), _Side(proposed)).run()


def similarity(before: Mapping[str, Json], after: Mapping[str, Json]) -> float:
    """Share of the meaningful fields (other than ``id``) that are equal on both sides."""
    keys = [
        key
        for key in sorted(set(before) | set(after))
        if key != "id" and (before.get(key) not in _EMPTY or after.get(key) not in _EMPTY)
    ]
    if not keys:
        return 1.0
    equal = sum(1 for key in keys if before.get(key) == after.get(key))
    return equal / len(keys)


def flow_label(flow: Flow) -> str:
    return f"{flow.source} → {flow.target} : {flow.data}"


@dataclass
class _Side:
    """One inventory (or none), with its records dumped as JSON on demand."""

    inventory: Inventory | None
    dumps: dict[tuple[str, str], dict[str, Json]] = field(default_factory=dict)
    _records: dict[str, dict[str, Record]] = field(default_factory=dict)

    def records(self, kind: str) -> dict[str, Record]:
        """The records of one kind by id (flows by key); built once."""
        found = self._records.get(kind)
        if found is not None:
            return found
        found = {}
        if self.inventory is not None:
            value = getattr(self.inventory, KINDS[kind][0])
            if kind == "metropole":
                found = {value.id: value}
            elif kind == "flux":
                found = {flow.key: flow for flow in value}
            else:
                found = dict(value)
        self._records[kind] = found
        return found

    def dump(self, kind: str, key: str, record: Record) -> dict[str, Json]:
        cached = self.dumps.get((kind, key))
        if cached is None:
            cached = record.model_dump(by_alias=True, mode="json")
            if kind == "application" and self.inventory is not None:
                # Effective owner and users: how they were written does not matter.
                cached["proprietaire"] = self.inventory.owners.get(key)
                cached["utilisateurs"] = list(self.inventory.users.get(key, ()))
            self.dumps[(kind, key)] = cached
        return cached

    def same(self, kind: str, key: str, other: _Side, other_key: str) -> bool:
        """Cheap equality: the records' fields, and for applications the effective owner and
        users."""
        mine, theirs = self.records(kind)[key], other.records(kind)[other_key]
        if mine != theirs:
            return False
        if kind != "application":
            return True
        assert self.inventory is not None and other.inventory is not None
        return self.inventory.owners.get(key) == other.inventory.owners.get(
            other_key
        ) and self.inventory.users.get(key) == other.inventory.users.get(other_key)

    def organisations(self, application_id: str) -> set[str]:
        """The owner and users of an application that are the métropole or a commune."""
        inventory = self.inventory
        if inventory is None or application_id not in inventory.applications:
            return set()
        found = {inventory.owners.get(application_id, ""), *inventory.users.get(application_id, ())}
        return {org for org in found if org in inventory.communes or org == inventory.metropole.id}

    def flow_organisations(self, flow: Flow) -> set[str]:
        """The organisations a flow concerns: those of its ends in the portfolio that are not
        shared (a flow from the shared GDU to a commune's GMAO is that commune's business), or
        of its shared ends when no end is a commune's own — so a flow between a shared
        application and an outside body (the shared GRC to the CAF) belongs to every commune
        that uses the shared application. An outside body's application concerns no one."""
        inventory = self.inventory
        if inventory is None:
            return set()
        ends = [
            end
            for end in (flow.source, flow.target)
            if end in inventory.applications and not inventory.is_external(end)
        ]
        own = [end for end in ends if not inventory.is_shared(end)]
        found: set[str] = set()
        for end in own or ends:
            found |= self.organisations(end)
        return found

    def blocks_of(self, application_id: str) -> set[str]:
        if self.inventory is None or application_id not in self.inventory.applications:
            return set()
        return set(self.inventory.applications[application_id].blocks)

    def use_pairs(self) -> set[tuple[str, str]]:
        inventory = self.inventory
        if inventory is None:
            return set()
        members = {*inventory.communes, inventory.metropole.id}
        return {
            (user, application_id)
            for application_id, users in inventory.users.items()
            for user in users
            if user in members
        }


class _Comparison:
    def __init__(self, base: _Side, proposed: _Side) -> None:
        self.base = base
        self.proposed = proposed
        self.changes: list[Change] = []
        self.renames: dict[str, dict[str, str]] = {}
        self.flow_matches: dict[str, str] = {}

    def run(self) -> ChangeSet:
        for kind in KINDS:
            if kind == "flux":
                self.compare_flows()
            else:
                self.compare_kind(kind)
        self.changes.sort(key=Change.sort_key)
        return ChangeSet(
            changes=tuple(self.changes),
            uses=tuple(self.use_changes()),
            renames={kind: dict(sorted(pairs.items())) for kind, pairs in self.renames.items()},
            flow_matches=dict(sorted(self.flow_matches.items())),
        )

    # --- objects with an id -------------------------------------------------------------------

    def compare_kind(self, kind: str) -> None:
        before, after = self.base.records(kind), self.proposed.records(kind)
        for key in sorted(before.keys() & after.keys()):
            if not self.base.same(kind, key, self.proposed, key):
                self.add_modified(kind, "modification", key, key)
        removed = sorted(before.keys() - after.keys())
        added = sorted(after.keys() - before.keys())
        for old, new, score in self.match_renames(kind, removed, added):
            self.renames.setdefault(kind, {})[old] = new
            self.add_modified(kind, "renommage", old, new, score)
        renamed = self.renames.get(kind, {})
        for key in removed:
            if key not in renamed:
                self.add_whole(kind, "retrait", key, self.base, before[key])
        targets = set(renamed.values())
        for key in added:
            if key not in targets:
                self.add_whole(kind, "ajout", key, self.proposed, after[key])

    def match_renames(
        self, kind: str, removed: list[str], added: list[str]
    ) -> list[tuple[str, str, float]]:
        """Greedy pairing, best similarity first (ties by ids): each object in one pair only."""
        if kind in ("metropole", "regle") or not removed or not added:
            return []
        before, after = self.base.records(kind), self.proposed.records(kind)
        candidates: list[tuple[float, str, str]] = []
        for old in removed:
            old_dump = self.base.dump(kind, old, before[old])
            for new in added:
                score = similarity(old_dump, self.proposed.dump(kind, new, after[new]))
                if score >= RENAME_THRESHOLD:
                    candidates.append((score, old, new))
        candidates.sort(key=lambda item: (-item[0], item[1], item[2]))
        used_old: set[str] = set()
        used_new: set[str] = set()
        pairs: list[tuple[str, str, float]] = []
        for score, old, new in candidates:
            if old in used_old or new in used_new:
                continue
            used_old.add(old)
            used_new.add(new)
            pairs.append((old, new, round(score, 3)))
        return pairs

    # --- flows --------------------------------------------------------------------------------

    def compare_flows(self) -> None:
        """Match flows by explicit id, then by key (an id, or source>cible:donnee), then by
        source, cible and donnée through the renames (a flow that gained or lost an id, or
        whose end was renamed); what is left is removed or added."""
        before, after = self.base.records("flux"), self.proposed.records("flux")
        apps = self.renames.get("application", {})
        data = self.renames.get("donnee", {})
        matches: dict[str, str] = {}
        after_ids = {
            flow.id: key for key, flow in after.items() if isinstance(flow, Flow) and flow.id
        }
        for key, flow in before.items():
            assert isinstance(flow, Flow)
            if flow.id and flow.id in after_ids:
                matches[key] = after_ids[flow.id]
        taken = set(matches.values())
        for key in before:
            if key not in matches and key in after and key not in taken:
                matches[key] = key
                taken.add(key)
        by_triple: dict[tuple[str, str, str], list[str]] = {}
        for key, flow in sorted(after.items()):
            assert isinstance(flow, Flow)
            if key not in taken:
                by_triple.setdefault((flow.source, flow.target, flow.data), []).append(key)
        for key, flow in sorted(before.items()):
            assert isinstance(flow, Flow)
            if key in matches:
                continue
            triple = (
                apps.get(flow.source, flow.source),
                apps.get(flow.target, flow.target),
                data.get(flow.data, flow.data),
            )
            candidates = by_triple.get(triple)
            if candidates:
                matches[key] = candidates.pop(0)
        self.flow_matches = matches
        for old, new in matches.items():
            if not self.base.same("flux", old, self.proposed, new):
                self.add_modified("flux", "modification", old, new)
        matched_new = set(matches.values())
        for key in sorted(before.keys() - matches.keys()):
            self.add_whole("flux", "retrait", key, self.base, before[key])
        for key in sorted(after.keys() - matched_new):
            self.add_whole("flux", "ajout", key, self.proposed, after[key])

    # --- building changes ---------------------------------------------------------------------

    def add_modified(
        self, kind: str, change_type: ChangeType, old: str, new: str, score: float | None = None
    ) -> None:
        old_record = self.base.records(kind)[old]
        new_record = self.proposed.records(kind)[new]
        fields = field_changes(
            self.base.dump(kind, old, old_record), self.proposed.dump(kind, new, new_record)
        )
        self.changes.append(
            Change(
                kind=kind,
                type=change_type,
                id=new,
                name=self.name_of(kind, new_record),
                location=new_record.origin,
                fields=tuple(change for change in fields if change.field != "id"),
                previous_id=old if change_type == "renommage" else None,
                similarity=score,
                communes=self.touched_communes(kind, old_record, new_record),
                blocks=self.touched_blocks(kind, old_record, new_record),
            )
        )

    def add_whole(
        self, kind: str, change_type: ChangeType, key: str, side: _Side, record: Record
    ) -> None:
        dump = side.dump(kind, key, record)
        old, new = (record, None) if change_type == "retrait" else (None, record)
        self.changes.append(
            Change(
                kind=kind,
                type=change_type,
                id=key,
                name=self.name_of(kind, record),
                location=record.origin,
                record={name: value for name, value in dump.items() if value not in _EMPTY},
                communes=self.touched_communes(kind, old, new),
                blocks=self.touched_blocks(kind, old, new),
            )
        )

    @staticmethod
    def name_of(kind: str, record: Record) -> str:
        if isinstance(record, Flow):
            return flow_label(record)
        return str(getattr(record, "name", None) or getattr(record, "code", ""))

    def touched_communes(
        self, kind: str, old: Record | None, new: Record | None
    ) -> tuple[str, ...]:
        found: set[str] = set()
        for side, record in ((self.base, old), (self.proposed, new)):
            if record is None:
                continue
            if kind == "application":
                found |= side.organisations(str(getattr(record, "id", "")))
            elif isinstance(record, Flow):
                found |= side.flow_organisations(record)
            elif kind == "commune":
                found.add(str(getattr(record, "id", "")))
            elif kind == "secteur" and side.inventory is not None:
                # A sector's teams answer the communes it covers.
                communes = side.inventory.communes
                found.update(
                    area.commune
                    for area in getattr(record, "areas", ())
                    if area.commune in communes
                )
        return tuple(sorted(found))

    def touched_blocks(self, kind: str, old: Record | None, new: Record | None) -> tuple[str, ...]:
        found: set[str] = set()
        for side, record in ((self.base, old), (self.proposed, new)):
            if record is None:
                continue
            if kind == "application":
                found.update(getattr(record, "blocks", ()))
            elif isinstance(record, Flow):
                found |= side.blocks_of(record.source) | side.blocks_of(record.target)
            elif kind == "bloc":
                found.add(str(getattr(record, "id", "")))
            elif kind == "domaine":
                found.update(getattr(record, "blocks", ()))
            elif kind == "processus":
                for step in getattr(record, "steps", ()):
                    found.update(step.blocks)
        return tuple(sorted(found))

    # --- uses ---------------------------------------------------------------------------------

    def use_changes(self) -> Iterable[UseChange]:
        renamed = self.renames.get("application", {})
        before = {(org, renamed.get(app, app)) for org, app in self.base.use_pairs()}
        after = self.proposed.use_pairs()
        changes = [UseChange(org, app, "ajout") for org, app in after - before]
        changes += [UseChange(org, app, "retrait") for org, app in before - after]
        return sorted(changes)


def field_changes(before: Mapping[str, Json], after: Mapping[str, Json]) -> list[FieldChange]:
    """The fields that differ, sorted by name; lists of records with ids are compared record by
    record (``etapes.<id>.<champ>``), and their order when it changed (``etapes``: the ids)."""
    found: list[FieldChange] = []
    _collect(before, after, "", found)
    return found


def _collect(
    before: Mapping[str, Json], after: Mapping[str, Json], prefix: str, found: list[FieldChange]
) -> None:
    for key in sorted(set(before) | set(after)):
        old, new = before.get(key), after.get(key)
        if old == new:
            continue
        name = f"{prefix}{key}"
        if isinstance(old, list) and isinstance(new, list) and _records_with_ids(old + new):
            _collect_records(old, new, name, found)
        elif isinstance(old, dict | None) and isinstance(new, dict | None) and (old or new):
            # free properties: one change per key (``proprietes.Object ID``)
            _collect(old or {}, new or {}, f"{name}.", found)
        else:
            found.append(FieldChange(name, old, new))


def _records_with_ids(values: list[Any]) -> bool:
    return bool(values) and all(isinstance(item, dict) and "id" in item for item in values)


def _collect_records(
    old: list[dict[str, Json]], new: list[dict[str, Json]], name: str, found: list[FieldChange]
) -> None:
    old_by_id = {item["id"]: item for item in old}
    new_by_id = {item["id"]: item for item in new}
    old_order = [item["id"] for item in old if item["id"] in new_by_id]
    new_order = [item["id"] for item in new if item["id"] in old_by_id]
    if old_order != new_order:
        found.append(FieldChange(name, [item["id"] for item in old], [item["id"] for item in new]))
    for item_id in sorted(old_by_id.keys() | new_by_id.keys()):
        before, after = old_by_id.get(item_id), new_by_id.get(item_id)
        if before is None or after is None:
            found.append(FieldChange(f"{name}.{item_id}", before, after))
        elif before != after:
            _collect(before, after, f"{name}.{item_id}.", found)

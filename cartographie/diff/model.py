"""The change set between two inventories: what was added, removed, modified or renamed.

A :class:`ChangeSet` is plain data, sorted once when it is built (``compare.diff_inventories``):
every format — the terminal table, the Markdown comment, the JSON document of schema version
:data:`JSON_VERSION` — reads it without sorting again. Field names, kinds and change types are the
French words users read in the YAML and in docs/suivi.md.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Literal

from cartographie.errors import Location

# Bump when a key of the JSON document changes meaning or disappears; adding keys is compatible.
JSON_VERSION = 1
JSON_FORMAT = "cartographie/diff"

ChangeType = Literal["ajout", "retrait", "renommage", "modification"]
CHANGE_TYPES: tuple[ChangeType, ...] = ("ajout", "retrait", "renommage", "modification")
CHANGE_TYPE_LABELS: dict[str, str] = {
    "ajout": "ajout",
    "retrait": "retrait",
    "renommage": "renommage",
    "modification": "modification",
}

# Kind (French, singular, as in the JSON) -> (Inventory attribute, plural label), in the order
# changes are listed: the territory, the referential, then the portfolio itself.
KINDS: dict[str, tuple[str, str]] = {
    "metropole": ("metropole", "Métropole"),
    "commune": ("communes", "Communes"),
    "autre_commune": ("other_communes", "Autres communes de la métropole"),
    "secteur": ("sectors", "Secteurs d'intervention"),
    "domaine": ("domains", "Domaines mutualisés"),
    "partenaire": ("partners", "Partenaires"),
    "centre_de_donnees": ("datacenters", "Centres de données"),
    "bloc": ("blocks", "Blocs"),
    "processus": ("processes", "Processus"),
    "donnee": ("data_objects", "Données"),
    "editeur": ("vendors", "Éditeurs"),
    "produit": ("products", "Produits"),
    "delegation": ("delegations", "Délégations"),
    "application": ("applications", "Applications"),
    "flux": ("flows", "Flux"),
    "regle": ("rules", "Règles du diagnostic"),
}
KIND_ORDER = {kind: index for index, kind in enumerate(KINDS)}
TYPE_ORDER = {change_type: index for index, change_type in enumerate(CHANGE_TYPES)}

Json = Any


@dataclass(frozen=True)
class FieldChange:
    """One field, old → new. ``field`` is the YAML key; a nested one is dotted through the ids
    of a list of records (``etapes.qualification.applications``)."""

    field: str
    before: Json
    after: Json

    def to_dict(self) -> dict[str, Json]:
        return {"champ": self.field, "avant": self.before, "apres": self.after}


@dataclass(frozen=True)
class Change:
    """One object added, removed, renamed or modified."""

    kind: str
    type: ChangeType
    # The object's id on the proposed side (on the base side for a removal); for a flow its key:
    # its id, or ``source>cible:donnee``.
    id: str
    name: str
    # Where it stands: in the proposed inventory, in the base for a removal.
    location: Location
    fields: tuple[FieldChange, ...] = ()
    # The whole record (fields that say something) for an addition or a removal.
    record: dict[str, Json] | None = None
    previous_id: str | None = None
    similarity: float | None = None
    # Organisations (communes, métropole) and blocs the change touches, on either side.
    communes: tuple[str, ...] = ()
    blocks: tuple[str, ...] = ()

    def sort_key(self) -> tuple[int, int, str]:
        return (KIND_ORDER[self.kind], TYPE_ORDER[self.type], self.id)

    def to_dict(self) -> dict[str, Json]:
        return {
            "objet": self.kind,
            "type": self.type,
            "id": self.id,
            "nom": self.name,
            "ancien_id": self.previous_id,
            "similarite": self.similarity,
            "fichier": self.location.path,
            "ligne": self.location.line,
            "champs": [change.to_dict() for change in self.fields],
            "valeur": self.record,
            "communes": list(self.communes),
            "blocs": list(self.blocks),
        }


@dataclass(frozen=True, order=True)
class UseChange:
    """An organisation starts or stops using an application (``utilisateurs``, DESIGN.md §3)."""

    organisation: str
    application: str
    type: Literal["ajout", "retrait"]

    def to_dict(self) -> dict[str, str]:
        return {
            "organisation": self.organisation,
            "application": self.application,
            "type": self.type,
        }


@dataclass(frozen=True)
class ChangeSet:
    """Everything that differs between a base and a proposed inventory."""

    changes: tuple[Change, ...] = ()
    uses: tuple[UseChange, ...] = ()
    # Kind -> old id -> new id, for the renamed objects.
    renames: dict[str, dict[str, str]] = field(default_factory=dict)
    # Base flow key -> proposed flow key, for every flow found on both sides (changed or not).
    flow_matches: dict[str, str] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.changes)

    def of_kind(self, kind: str, *types: ChangeType) -> list[Change]:
        return [c for c in self.changes if c.kind == kind and (not types or c.type in types)]

    def counts(self) -> dict[str, dict[str, int]]:
        """Kind -> change type -> count, for the kinds that changed (all four types listed)."""
        found: dict[str, Counter[str]] = {}
        for change in self.changes:
            found.setdefault(change.kind, Counter())[change.type] += 1
        return {
            kind: {change_type: found[kind][change_type] for change_type in CHANGE_TYPES}
            for kind in sorted(found, key=KIND_ORDER.__getitem__)
        }

    def by_commune(self) -> dict[str, dict[str, int]]:
        """Organisation -> change type -> number of changes that touch it."""
        return self._grouped(lambda change: change.communes)

    def by_block(self) -> dict[str, dict[str, int]]:
        return self._grouped(lambda change: change.blocks)

    def _grouped(self, keys: Any) -> dict[str, dict[str, int]]:
        found: dict[str, Counter[str]] = {}
        for change in self.changes:
            for key in keys(change):
                found.setdefault(key, Counter())[change.type] += 1
        return {
            key: {change_type: found[key][change_type] for change_type in CHANGE_TYPES}
            for key in sorted(found)
        }

    def touching_commune(self, commune: str) -> ChangeSet:
        """The changes that touch one organisation (and its use changes)."""
        return ChangeSet(
            changes=tuple(c for c in self.changes if commune in c.communes),
            uses=tuple(use for use in self.uses if use.organisation == commune),
            renames=self.renames,
            flow_matches=self.flow_matches,
        )

    def application_states(self) -> dict[str, str]:
        """Application id (proposed side; base side when removed) -> change type: what the
        ``diff`` map kind colours."""
        return {c.id: c.type for c in self.changes if c.kind == "application"}

    def flow_states(self) -> dict[str, str]:
        """Flow key (base key when removed) -> change type."""
        return {c.id: c.type for c in self.changes if c.kind == "flux"}

    def communes(self) -> list[str]:
        return sorted({commune for change in self.changes for commune in change.communes})

    def blocks(self) -> list[str]:
        return sorted({block for change in self.changes for block in change.blocks})

    def to_dict(
        self, base: dict[str, Json] | None = None, proposed: dict[str, Json] | None = None
    ) -> dict[str, Json]:
        """The JSON document (docs/suivi.md, « Le format JSON »), version :data:`JSON_VERSION`."""
        return {
            "version": JSON_VERSION,
            "base": base,
            "propose": proposed,
            "resume": {"total": len(self.changes), "par_objet": self.counts()},
            "changements": [change.to_dict() for change in self.changes],
            "usages": [use.to_dict() for use in self.uses],
            "par_commune": self.by_commune(),
            "par_bloc": self.by_block(),
        }

"""Rename detection: an id changed while the rest mostly matches (docs/suivi.md, « Renommages »).

The rule: among the removed and added objects of one kind, a pair whose meaningful fields (not
empty, not false on at least one side; ``id`` aside) are equal in a share ≥ ``RENAME_THRESHOLD``
(0.8) is one renamed object. Four fields out of five is a rename; three out of four is not.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from support_suivi import EXAMPLE

from cartographie.diff import RENAME_THRESHOLD, diff_inventories, similarity
from cartographie.inventory import load_inventory
from cartographie.model.inventory import Inventory

BASE = load_inventory(EXAMPLE)


def test_threshold_is_four_fields_out_of_five() -> None:
    assert RENAME_THRESHOLD == 0.8
    five = {"id": "a", "nom": "A", "couche": "metier", "blocs": ["x"], "cout": 1, "url": "u"}
    assert similarity(five, {**five, "id": "b", "url": "v"}) == 0.8
    four = {"id": "a", "nom": "A", "couche": "metier", "blocs": ["x"], "cout": 1}
    assert similarity(four, {**four, "id": "b", "cout": 2}) == 0.75


def test_empty_fields_do_not_count() -> None:
    before = {"id": "a", "nom": "A", "description": None, "blocs": [], "hub": False}
    assert similarity(before, {**before, "id": "b"}) == 1.0
    assert similarity(before, {**before, "id": "b", "hub": True}) == 0.5


def renamed(**fields: Any) -> Inventory:
    """The example with ``lp-interventions`` given a new id and ``fields`` changed."""
    edited = dataclasses.replace(
        BASE,
        applications=dict(BASE.applications),
        owners=dict(BASE.owners),
        users=dict(BASE.users),
        flows=[flow for flow in BASE.flows if "lp-interventions" not in (flow.source, flow.target)],
    )
    old = edited.applications.pop("lp-interventions")
    edited.applications["lp-suivi-interventions"] = old.model_copy(
        update={"id": "lp-suivi-interventions", **fields}
    )
    edited.owners["lp-suivi-interventions"] = edited.owners.pop("lp-interventions")
    edited.users["lp-suivi-interventions"] = edited.users.pop("lp-interventions")
    return edited


def base_without_flows() -> Inventory:
    return dataclasses.replace(
        BASE,
        flows=[flow for flow in BASE.flows if "lp-interventions" not in (flow.source, flow.target)],
    )


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({}, [("renommage", "lp-suivi-interventions", "lp-interventions", 1.0)]),
        # 7 of its 8 meaningful fields still match: a rename with a field change.
        (
            {"name": "Suivi des interventions"},
            [("renommage", "lp-suivi-interventions", "lp-interventions", 0.875)],
        ),
        # 6 of 8: two objects.
        (
            {"name": "Suivi des interventions", "hosting": "saas"},
            [
                ("ajout", "lp-suivi-interventions", None, None),
                ("retrait", "lp-interventions", None, None),
            ],
        ),
    ],
)
def test_rename_or_not(fields: dict[str, Any], expected: list[tuple[Any, ...]]) -> None:
    changes = diff_inventories(base_without_flows(), renamed(**fields))
    found = [(c.type, c.id, c.previous_id, c.similarity) for c in changes.of_kind("application")]
    assert found == expected


def test_a_rename_lists_its_other_field_changes() -> None:
    changes = diff_inventories(base_without_flows(), renamed(name="Suivi"))
    (change,) = changes.of_kind("application")
    assert [(f.field, f.before, f.after) for f in change.fields] == [
        ("nom", "Tableur de suivi des interventions", "Suivi")
    ]
    assert changes.renames == {"application": {"lp-interventions": "lp-suivi-interventions"}}
    assert changes.uses == ()  # the use follows the rename


def test_flows_follow_a_rename() -> None:
    edited = renamed()
    flows = [flow for flow in BASE.flows if flow.target == "lp-interventions"]
    edited.flows = sorted(
        [
            *edited.flows,
            *(f.model_copy(update={"target": "lp-suivi-interventions"}) for f in flows),
        ],
        key=lambda flow: flow.key,
    )
    changes = diff_inventories(BASE, edited)
    assert [(c.kind, c.type) for c in changes.changes] == [
        ("application", "renommage"),
        ("flux", "modification"),
    ]
    flow_change = changes.of_kind("flux")[0]
    assert [(f.field, f.before, f.after) for f in flow_change.fields] == [
        ("cible", "lp-interventions", "lp-suivi-interventions")
    ]

"""Property-based tests of the diff: nothing from nothing, and every edit — only the edits.

``diff(a, a)`` is empty; for random edits of the example métropole (a field of an application
or a flow changed, an application or a flow added or removed, a use added, a data object
renamed in words), each edit appears in ``diff(a, edited)`` — with its kind, type, id and the
field it touched — and nothing else does. Edits are made on the records (``model_copy``) of one
loaded inventory, so each example costs a diff, not a load. Derandomised: the same examples on
every run.
"""

from __future__ import annotations

import dataclasses

from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st
from support_suivi import EXAMPLE

from cartographie.diff import diff_inventories
from cartographie.inventory import load_inventory
from cartographie.model.inventory import Inventory
from cartographie.model.records import Application, Flow

SETTINGS = settings(
    derandomize=True,
    database=None,
    deadline=None,
    max_examples=150,
    suppress_health_check=[HealthCheck.too_slow],
)

BASE = load_inventory(EXAMPLE)

# What an edit should show: (kind, type, id) -> the fields it changed (empty for add/remove).
Expected = dict[tuple[str, str, str], set[str]]

WORDS = st.text(alphabet="abcdefghijklmnopqrstuvwxyzéèàç ", min_size=3, max_size=20).map(
    lambda text: "Nouveau " + text.strip()
)


def test_an_inventory_against_itself_is_empty() -> None:
    assert not diff_inventories(BASE, BASE)
    again = load_inventory(EXAMPLE)
    changes = diff_inventories(BASE, again)
    assert changes.changes == () and changes.uses == ()
    assert len(changes.flow_matches) == len(BASE.flows)


def test_nothing_against_nothing_is_empty() -> None:
    assert not diff_inventories(None, None)


def _copy(inventory: Inventory) -> Inventory:
    return dataclasses.replace(
        inventory,
        applications=dict(inventory.applications),
        data_objects=dict(inventory.data_objects),
        flows=list(inventory.flows),
        owners=dict(inventory.owners),
        users=dict(inventory.users),
    )


@st.composite
def edits(draw: st.DrawFn) -> tuple[Inventory, Expected]:
    edited = _copy(BASE)
    expected: Expected = {}
    touched_apps: set[str] = set()
    touched_flows: set[str] = set()
    for _ in range(draw(st.integers(min_value=1, max_value=6))):
        kind = draw(
            st.sampled_from(
                [
                    "app-field",
                    "app-add",
                    "app-remove",
                    "use-add",
                    "flow-field",
                    "flow-add",
                    "flow-remove",
                    "data-name",
                ]
            )
        )
        apps = sorted(set(edited.applications) - touched_apps)
        flows = sorted(
            (flow for flow in edited.flows if flow.key not in touched_flows),
            key=lambda flow: flow.key,
        )
        if kind == "app-field" and apps:
            app_id = draw(st.sampled_from(apps))
            field, alias, value = draw(
                st.sampled_from(
                    [
                        ("name", "nom", draw(WORDS)),
                        ("annual_cost", "cout_annuel", draw(st.integers(1, 10**6))),
                        (
                            "lifecycle",
                            "cycle_de_vie",
                            draw(st.sampled_from(["projet", "a-retirer"])),
                        ),
                        ("responsible", "responsable", draw(WORDS)),
                    ]
                )
            )
            record = edited.applications[app_id]
            if getattr(record, field) == value:
                continue
            edited.applications[app_id] = record.model_copy(update={field: value})
            expected[("application", "modification", app_id)] = {alias}
            touched_apps.add(app_id)
        elif kind == "app-add":
            app_id = f"nouvelle-{draw(st.integers(0, 10**6))}"
            if app_id in edited.applications:
                continue
            owner = draw(st.sampled_from(sorted(edited.communes)))
            block = draw(
                st.sampled_from(sorted(b.id for b in edited.blocks.values() if b.level == "bloc"))
            )
            edited.applications[app_id] = Application.model_validate(
                {
                    "id": app_id,
                    "nom": draw(WORDS),
                    "description": f"Ajoutée au hasard ({app_id})",
                    "couche": draw(st.sampled_from(["interface", "metier", "support"])),
                    "blocs": [block],
                    "hebergement": "datacenter",
                }
            )
            edited.owners[app_id] = owner
            edited.users[app_id] = (owner,)
            expected[("application", "ajout", app_id)] = set()
            touched_apps.add(app_id)
        elif kind == "app-remove":
            linked = {end for flow in edited.flows for end in (flow.source, flow.target)}
            candidates = [app for app in apps if app not in linked and not app.startswith("nouv")]
            if not candidates:
                continue
            app_id = draw(st.sampled_from(candidates))
            del edited.applications[app_id]
            expected[("application", "retrait", app_id)] = set()
            touched_apps.add(app_id)
        elif kind == "use-add" and apps:
            app_id = draw(st.sampled_from(apps))
            if app_id.startswith("nouv") or edited.owners[app_id] not in edited.communes:
                continue
            missing = sorted(set(edited.communes) - set(edited.users[app_id]))
            if not missing:
                continue
            commune = draw(st.sampled_from(missing))
            users = tuple(sorted({*edited.users[app_id], commune}))
            edited.users[app_id] = users
            edited.applications[app_id] = edited.applications[app_id].model_copy(
                update={"users": list(users)}
            )
            expected[("application", "modification", app_id)] = {"utilisateurs"}
            touched_apps.add(app_id)
        elif kind == "flow-field" and flows:
            flow = draw(st.sampled_from(flows))
            protocol = draw(st.sampled_from(["api", "fichier", "etl", "bus", "manuel"]))
            if protocol == flow.protocol:
                continue
            index = edited.flows.index(flow)
            edited.flows[index] = flow.model_copy(update={"protocol": protocol})
            expected[("flux", "modification", flow.key)] = {"protocole"}
            touched_flows.add(flow.key)
        elif kind == "flow-add":
            ends = sorted(edited.applications)
            source, target = draw(st.sampled_from(ends)), draw(st.sampled_from(ends))
            data = draw(st.sampled_from(sorted(edited.data_objects)))
            flow = Flow.model_validate({"source": source, "cible": target, "donnee": data})
            if source == target or any(f.key == flow.key for f in edited.flows):
                continue
            edited.flows.append(flow)
            expected[("flux", "ajout", flow.key)] = set()
            touched_flows.add(flow.key)
        elif kind == "flow-remove" and flows:
            flow = draw(st.sampled_from(flows))
            edited.flows.remove(flow)
            expected[("flux", "retrait", flow.key)] = set()
            touched_flows.add(flow.key)
        elif kind == "data-name":
            data_id = draw(st.sampled_from(sorted(edited.data_objects)))
            if ("donnee", "modification", data_id) in expected:
                continue
            record = edited.data_objects[data_id]
            edited.data_objects[data_id] = record.model_copy(update={"name": draw(WORDS)})
            expected[("donnee", "modification", data_id)] = {"nom"}
    return edited, expected


@SETTINGS
@given(edits())
def test_each_edit_appears_and_nothing_else(case: tuple[Inventory, Expected]) -> None:
    edited, expected = case
    changes = diff_inventories(BASE, edited)
    found: dict[tuple[str, str, str], set[str]] = {
        (change.kind, change.type, change.id): {field.field for field in change.fields}
        for change in changes.changes
    }
    note(f"attendu : {expected}")
    note(f"trouvé : {found}")
    assert found == expected
    # A change lists the old and new value of each field it names, and they differ.
    for change in changes.changes:
        for field in change.fields:
            assert field.before != field.after
    # And back: the reverse diff swaps additions and removals, field values too.
    reverse = diff_inventories(edited, BASE)
    swap = {"ajout": "retrait", "retrait": "ajout", "modification": "modification"}
    assert {(kind, swap[kind_type], key) for kind, kind_type, key in found} == {
        (change.kind, change.type, change.id) for change in reverse.changes
    }

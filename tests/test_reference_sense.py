"""The reference métropole makes sense to a reader (DESIGN.md §9): every flow joins applications
whose functions exchange its data, and no name repeats itself — checked on the whole committed
inventory, and on the generator's own declarations, function by function."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from pathlib import Path

import pytest

from cartographie.generator import build_world
from cartographie.generator.model import GeneratedWorld
from cartographie.inventory import load_inventory
from cartographie.model.inventory import Inventory

COMMITTED = Path(__file__).resolve().parent.parent / "inventory"
STOP_WORDS = frozenset(
    {"a", "au", "aux", "d", "de", "des", "du", "en", "et", "l", "la", "le", "les", "pour"}
    | {"par", "sur", "un", "une", "avec"}
)


@pytest.fixture(scope="module")
def reference() -> Inventory:
    return load_inventory(COMMITTED)


@pytest.fixture(scope="module")
def world() -> GeneratedWorld:
    return build_world()


def _blocks_covered(inventory: Inventory, declared: list[str]) -> set[str]:
    """The blocs a declaration covers: each named one and everything below it."""
    return {below for block in declared for below in inventory.blocks_under(block)}


def test_every_flow_runs_from_a_producing_bloc_to_a_consuming_bloc(reference: Inventory) -> None:
    """donnees.yaml says which blocs produce and consume each data object; every flow between
    two applications of the portfolio agrees (an outside body's end has no bloc to check)."""
    wrong = []
    for flow in reference.flows:
        data = reference.data_objects[flow.data]
        producers = _blocks_covered(reference, data.producer_blocks)
        consumers = _blocks_covered(reference, data.consumer_blocks)
        source = reference.applications[flow.source]
        target = reference.applications[flow.target]
        if not reference.is_external(source.id) and not set(source.blocks) & producers:
            wrong.append(f"{flow.key}: {source.blocks} does not produce {flow.data}")
        if not reference.is_external(target.id) and not set(target.blocks) & consumers:
            wrong.append(f"{flow.key}: {target.blocks} does not consume {flow.data}")
    assert not wrong, wrong[:10]
    declared = [item for item in reference.data_objects.values() if item.producer_blocks]
    assert len(declared) >= len(reference.data_objects) - 3


def test_flows_join_applications_in_service_at_the_time(reference: Inventory) -> None:
    for flow in reference.flows:
        for end in (flow.source, flow.target):
            application = reference.applications[end]
            assert application.lifecycle != "retiree", flow.key
            if flow.since is not None and application.in_service_since is not None:
                assert flow.since >= application.in_service_since, flow.key


def test_every_generated_flow_joins_two_functions_that_exchange_its_data(
    world: GeneratedWorld,
) -> None:
    """Finer than the blocs: the bloc Proximité holds the police, which reads citizens'
    requests, and the cameras, which do not."""
    applications = {app.id: app for apps in world.applications.values() for app in apps}
    for flow in world.flows:
        source, target = applications[flow.source], applications[flow.target]
        assert not source.blocks or flow.data in source.produces, flow.key
        assert not target.blocks or flow.data in target.consumes, flow.key
    cameras = [app for app in applications.values() if app.id.endswith("-videoprotection")]
    assert cameras
    received = Counter(
        flow.data for flow in world.flows if applications[flow.target] in cameras
    )
    assert set(received) <= {"referentiel-adresses", "annuaire"}, received


def _words(name: str) -> list[str]:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return [
        word
        for word in re.findall(r"[a-z0-9]+", ascii_name)
        if word not in STOP_WORDS and len(word) > 2
    ]


@pytest.mark.parametrize(
    ("name", "repeats"),
    [
        ("Horizon Villages — État civil — état civil", True),
        ("Portail famille iNoé — portail famille", True),
        ("Smart Police — police municipale", True),
        ("Mélodie — état civil", False),
        ("Plannings des agents de la direction de l'éducation", False),
    ],
)
def test_the_repetition_check_itself(name: str, repeats: bool) -> None:
    words = _words(name)
    assert (len(words) != len(set(words))) is repeats


def test_names_never_repeat_themselves(reference: Inventory) -> None:
    repeated = []
    for application in reference.applications.values():
        words = _words(application.name)
        if len(words) != len(set(words)):
            repeated.append(application.name)
    assert not repeated, repeated[:10]

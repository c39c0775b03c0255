"""A scenario applied to the loaded records (``inventory.apply``, what the dossiers simulate)
gives the inventory the text edits give once read again (``simuler --appliquer`` then a
report): for every operation kind, random scenarios, and every simulation of every dossier of
the reference inventory. What only the text edits can judge is left to them."""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from pydantic import BaseModel

import tests.test_scenario as text_path
from cartographie.analysis.commune_file import CommuneFiles, join_scenario
from cartographie.analysis.scenario import Simulation, simulate, simulate_in_memory
from cartographie.graph import Portfolio
from cartographie.inventory.apply import apply_in_memory
from cartographie.inventory.loader import LoadedContents, load_contents
from cartographie.inventory.scenario import ScenarioError, read_scenario
from cartographie.model.asof import as_of, as_of_changed
from cartographie.model.inventory import Inventory
from cartographie.model.scenario import Scenario

COUTS = text_path.COUTS
TODAY = text_path.TODAY
REFERENCE = Path(__file__).parent.parent / "inventory"


def _plain(value: Any) -> Any:
    """A value with its records as their fields (where a record stands is the text's)."""
    if isinstance(value, BaseModel):
        return value.model_dump()
    if isinstance(value, dict):
        return [(key, _plain(item)) for key, item in value.items()]
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return value


def plain_inventory(inventory: Inventory) -> dict[str, Any]:
    return {
        field.name: _plain(getattr(inventory, field.name))
        for field in dataclasses.fields(inventory)
    }


def _figures(simulation: Simulation) -> list[Any]:
    states = (simulation.before, simulation.after)
    return [
        simulation.retired,
        simulation.flows_to_redo,
        simulation.delegations,
        simulation.programmes,
        simulation.touched_applications,
        *((state.overall, state.mutualisation, state.rebilling) for state in states),
        *((state.blocks, state.communes) for state in states),
        *(
            {commune: (state.owned(commune), state.billed(commune)) for commune in state.communes}
            for state in states
        ),
    ]


def assert_same(scenario: Scenario, loaded: LoadedContents, today: dt.date) -> Simulation:
    inventory = loaded.result.inventory
    assert inventory is not None
    text = simulate(scenario, inventory, loaded.contents, today=today, memo=loaded.memo)
    memory = simulate_in_memory(scenario, inventory, today=today)
    assert memory is not None
    assert memory.edits == {}
    assert plain_inventory(memory.after_inventory) == plain_inventory(text.after_inventory)
    # The after state is made from the before state (as_of_changed, the figures it does not
    # reach kept): the same portfolio at the year as the text path's, made whole.
    assert plain_inventory(memory.after.portfolio.inventory) == plain_inventory(
        text.after.portfolio.inventory
    )
    assert _figures(memory) == _figures(text)
    return memory


def test_every_operation_kind_gives_what_the_text_edits_give(tmp_path: Path) -> None:
    # Join (the commune onto the domain's shared applications), leave, retire with a
    # replacement (which takes over its communes), share: the four verbs at once.
    scenario = read_scenario(text_path.write(tmp_path, text_path.SCENARIO))
    memory = assert_same(scenario, load_contents(COUTS), TODAY)
    after = memory.after_inventory
    assert after.applications["bet-urba"].lifecycle == "retiree"
    assert after.applications["bet-urba"].replaced_by == "met-sig"
    assert "beta" in after.users["met-sig"]
    assert {"beta", "gamma"} <= set(after.users["met-cadastre"])


@pytest.fixture(scope="module")
def couts() -> LoadedContents:
    return load_contents(COUTS)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(text_path.scenario_texts())
def test_random_scenarios_give_what_the_text_edits_give(
    tmp_path: Path, couts: LoadedContents, text: str
) -> None:
    scenario = read_scenario(text_path.write(tmp_path, text))
    inventory = couts.result.inventory
    assert inventory is not None
    try:
        assert_same(scenario, couts, TODAY)
    except ScenarioError as error:
        # Both paths check the scenario first: the same refusal (C101) for both.
        with pytest.raises(ScenarioError) as memory_error:
            simulate_in_memory(scenario, inventory, today=TODAY)
        assert memory_error.value.problems == error.problems


def test_every_dossier_of_the_reference_inventory_gives_what_the_text_edits_give() -> None:
    loaded = load_contents(REFERENCE)
    inventory = loaded.result.inventory
    assert inventory is not None
    today = dt.date(2026, 6, 1)
    files = CommuneFiles(Portfolio(inventory), reference_date=today, load=lambda: ({}, {}))
    simulated = 0
    for commune in inventory.communes:
        for option in files.file(commune).options:
            scenario = option.simulation.scenario
            assert option.simulation.edits == {}  # made in memory
            assert_same(scenario, loaded, today)
            simulated += 1
    assert simulated >= 10


def test_what_a_check_across_records_might_refuse_is_left_to_the_text_edits(
    tmp_path: Path,
) -> None:
    # A chantier's target retired: the chantier's rules are the loader's to apply.
    loaded = load_contents(REFERENCE)
    inventory = loaded.result.inventory
    assert inventory is not None
    scenario = join_scenario("lauzac", "finances", 2027, [], "cible")
    target = read_scenario(
        text_path.write(
            tmp_path,
            "nom: La cible retirée\noperations:\n"
            "  - retirer: {application: met-finances, annee: 2030}\n",
        )
    )
    assert apply_in_memory(target, inventory, TODAY) is None
    assert simulate_in_memory(target, inventory, today=TODAY) is None
    assert apply_in_memory(scenario, inventory, TODAY) is not None
    # A replacement that would replace itself through another: E309, at its line.
    folder = tmp_path / "cycle"
    shutil.copytree(COUTS, folder)
    metro = folder / "applications" / "metro.yaml"
    text = metro.read_text(encoding="utf-8")
    metro.write_text(
        text.replace("  - id: met-sig\n", "  - id: met-sig\n    remplacee_par: bet-urba\n"),
        encoding="utf-8",
    )
    cycle = load_contents(folder)
    assert cycle.result.inventory is not None
    retire = read_scenario(
        text_path.write(
            tmp_path,
            "nom: Cycle\noperations:\n"
            "  - retirer: {application: bet-urba, remplacee_par: met-sig, annee: 2026}\n",
        )
    )
    assert simulate_in_memory(retire, cycle.result.inventory, today=TODAY) is None
    with pytest.raises(ScenarioError) as refused:
        simulate(retire, cycle.result.inventory, cycle.contents, today=TODAY, memo=cycle.memo)
    assert {problem.code for problem in refused.value.problems} == {"E309"}


def test_a_dossier_makes_the_text_edits_when_the_records_cannot_tell(tmp_path: Path) -> None:
    # Bêta (having left « sig » in 2020) joining it again retires bet-urba for met-cadastre,
    # which names bet-urba as its own replacement: only the edited inventory's check can say
    # (E309). The dossier reads the files then, and only then.
    folder = tmp_path / "cycle"
    shutil.copytree(COUTS, folder)
    territory = folder / "territoire.yaml"
    before = "      - domaine: sig\n        depuis: 2018\n  - id: gamma\n"
    assert before in territory.read_text(encoding="utf-8")
    territory.write_text(
        territory.read_text(encoding="utf-8").replace(
            before, before.replace("2018\n", "2018\n        jusqu_a: 2020\n", 1)
        ),
        encoding="utf-8",
    )
    metro = folder / "applications" / "metro.yaml"
    text = metro.read_text(encoding="utf-8")
    metro.write_text(
        text.replace(
            "  - id: met-cadastre\n", "  - id: met-cadastre\n    remplacee_par: bet-urba\n"
        ),
        encoding="utf-8",
    )
    loaded = load_contents(folder)
    assert loaded.result.inventory is not None
    reads: list[int] = []

    def load() -> tuple[dict[str, bytes], dict[Any, Any]]:
        reads.append(1)
        return loaded.contents, loaded.memo

    files = CommuneFiles(
        Portfolio(loaded.result.inventory), reference_date=dt.date(2025, 6, 1), load=load
    )
    assert files.file("alpha").options  # its simulations need no file
    assert reads == []
    with pytest.raises(ScenarioError) as refused:
        files.file("beta")
    assert {problem.code for problem in refused.value.problems} == {"E309"}
    assert reads == [1]


def test_the_portfolio_at_a_date_is_made_whole_when_an_application_comes_or_a_flow_returns(
    couts: LoadedContents,
) -> None:
    original = couts.result.inventory
    assert original is not None

    def with_app(inventory: Inventory, **update: object) -> Inventory:
        application = inventory.applications["bet-ec"].model_copy(update=update)
        return dataclasses.replace(
            inventory, applications={**inventory.applications, "bet-ec": application}
        )

    def changed(before: Inventory, after: Inventory, moment: dt.date) -> object:
        return as_of_changed(before, as_of(before, moment), after, ["bet-ec"], [])

    # In service from 2013: not there in 2010, unless it started earlier.
    assert changed(original, with_app(original, in_service_since=2005), dt.date(2010, 1, 1)) is None
    # Retired in 2020 but planned (« a-retirer »): its flows left; « retiree », they come back.
    planned = with_app(original, retired_in=2020, lifecycle="a-retirer")
    retired = with_app(original, retired_in=2020, lifecycle="retiree")
    assert changed(planned, retired, dt.date(2025, 1, 1)) is None
    # The other way they leave, and the rest is as_of's; at that date it is « retiree » with
    # the same users either way: only its flows differ, no figure of a bloc or a commune.
    made = changed(retired, planned, dt.date(2025, 1, 1))
    assert isinstance(made, tuple)
    assert plain_inventory(made[0]) == plain_inventory(as_of(planned, dt.date(2025, 1, 1)))
    assert len(made[0].flows) < len(as_of(retired, dt.date(2025, 1, 1)).flows)
    assert made[1] == set()
    # Retired a year later, it is still in service in 2020: changed.
    later = changed(original, with_app(original, retired_in=2030), dt.date(2020, 1, 1))
    assert isinstance(later, tuple)
    assert later[1] == {"bet-ec"}
    # Nothing changed: nothing to tell.
    same = changed(original, original, dt.date(2025, 1, 1))
    assert isinstance(same, tuple)
    assert same[1] == set()

"""The portfolio graph and its query API, on the minimal inventory (figures checked by hand).

The minimal inventory: communes nord and sud; the métropole owns met-gdu (used by both),
met-finances (used by itself and nord), the hub met-hub and met-billettique (delegation); nord
owns nord-etat-civil; sud owns sud-etat-civil and sud-finances; the CAF owns caf-cdap. Process gdu:
demande -> qualification -> {traitement, reponse}; traitement -> reponse (by list order).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import networkx as nx
import pytest
from support import MINIMAL

from cartographie.graph import Portfolio, UsePair, build_graph, node_id, step_node_id
from cartographie.inventory import load_inventory
from cartographie.model.inventory import Inventory
from cartographie.model.records import Flow


def flow_names(flows: list[Flow]) -> list[str]:
    return [f"{flow.source}>{flow.target}" for flow in flows]


# --- applications and communes --------------------------------------------------------------


@pytest.mark.parametrize(
    ("commune", "expected"),
    [
        ("nord", ["met-finances", "met-gdu", "nord-etat-civil"]),
        ("sud", ["met-gdu", "sud-etat-civil", "sud-finances"]),
    ],
)
def test_applications_of_a_commune_are_its_own_and_the_shared_ones_it_uses(
    portfolio: Portfolio, commune: str, expected: list[str]
) -> None:
    assert portfolio.applications_of_commune(commune) == expected


def test_applications_owned_by_an_organisation(portfolio: Portfolio) -> None:
    assert portfolio.applications_owned_by("metropole") == [
        "met-billettique",
        "met-finances",
        "met-gdu",
        "met-hub",
    ]
    assert portfolio.applications_owned_by("sud") == ["sud-etat-civil", "sud-finances"]
    assert portfolio.applications_owned_by("caf") == ["caf-cdap"]


@pytest.mark.parametrize(
    ("application", "users"),
    [
        ("met-gdu", ["nord", "sud"]),
        ("met-finances", ["metropole", "nord"]),
        ("nord-etat-civil", ["nord"]),  # nobody listed: the owner
        ("met-hub", ["metropole"]),
        ("caf-cdap", []),  # an outside body's application is used by none of ours
    ],
)
def test_users_of_an_application(portfolio: Portfolio, application: str, users: list[str]) -> None:
    assert portfolio.users_of(application) == users


def test_shared_applications_are_used_by_two_communes_or_owned_by_the_metropole(
    portfolio: Portfolio,
) -> None:
    assert portfolio.shared_applications() == [
        "met-billettique",
        "met-finances",
        "met-gdu",
        "met-hub",
    ]
    assert not portfolio.is_shared("nord-etat-civil")
    assert not portfolio.is_shared("caf-cdap")


def test_a_commune_application_used_by_two_communes_is_shared(minimal_copy: Path) -> None:
    path = minimal_copy / "applications/nord.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "    blocs: [etat-civil]\n", "    blocs: [etat-civil]\n    utilisateurs: [nord, sud]\n"
        ),
        encoding="utf-8",
    )
    portfolio = Portfolio(load_inventory(minimal_copy))
    assert portfolio.is_shared("nord-etat-civil")
    assert "nord-etat-civil" in portfolio.applications_of_commune("sud")
    assert portfolio.owner_of("nord-etat-civil") == "nord"


def test_hubs(portfolio: Portfolio) -> None:
    assert portfolio.hubs() == ["met-hub"]


# --- blocs ----------------------------------------------------------------------------------


def test_the_pos_map(portfolio: Portfolio) -> None:
    assert portfolio.zones() == ["ressources", "services"]
    assert portfolio.children_of("services") == ["relation"]
    assert portfolio.children_of("relation") == ["demandes", "etat-civil"]
    assert portfolio.leaf_blocks() == ["demandes", "echanges", "etat-civil", "finances"]
    assert portfolio.blocks_under("ressources") == ["echanges", "finances", "gestion", "ressources"]
    assert portfolio.inventory.block_ancestors("finances") == ["gestion", "ressources"]
    assert portfolio.inventory.zone_of("finances") == "ressources"


@pytest.mark.parametrize(
    ("block", "expected"),
    [
        ("etat-civil", ["nord-etat-civil", "sud-etat-civil"]),
        ("finances", ["met-finances", "sud-finances"]),
        ("echanges", ["met-billettique", "met-hub"]),
        ("relation", ["met-gdu", "nord-etat-civil", "sud-etat-civil"]),  # a quartier: all below
        ("services", ["met-gdu", "nord-etat-civil", "sud-etat-civil"]),  # a zone
    ],
)
def test_applications_of_a_bloc_all_communes_together(
    portfolio: Portfolio, block: str, expected: list[str]
) -> None:
    assert portfolio.applications_of_block(block) == expected


def test_applications_attached_to_the_bloc_itself_only(portfolio: Portfolio) -> None:
    assert portfolio.applications_of_block("relation", recursive=False) == []
    assert portfolio.applications_of_block("etat-civil", recursive=False) == [
        "nord-etat-civil",
        "sud-etat-civil",
    ]


def test_blocs_of_an_application(portfolio: Portfolio) -> None:
    assert portfolio.blocks_of_application("met-gdu") == ["demandes"]
    assert portfolio.blocks_of_application("caf-cdap") == []


def test_use_pairs_of_a_bloc(portfolio: Portfolio) -> None:
    assert portfolio.use_pairs("finances") == [
        UsePair("nord", "met-finances"),  # the métropole's own use is not a commune's
        UsePair("sud", "sud-finances"),
    ]
    assert portfolio.use_pairs("echanges") == []


# --- flows ----------------------------------------------------------------------------------


def test_flows_among_a_set_of_applications(portfolio: Portfolio) -> None:
    among = portfolio.flows_among(["met-gdu", "nord-etat-civil", "sud-etat-civil", "met-hub"])
    assert flow_names(among) == ["met-gdu>nord-etat-civil", "nord-etat-civil>sud-etat-civil"]
    assert portfolio.flows_among(["met-gdu"]) == []
    assert flow_names(portfolio.flows_among(portfolio.applications_of_commune("sud"))) == []


def test_flows_in_and_out_of_an_application(portfolio: Portfolio) -> None:
    assert flow_names(portfolio.flows_from("nord-etat-civil")) == ["nord-etat-civil>sud-etat-civil"]
    assert flow_names(portfolio.flows_to("nord-etat-civil")) == ["met-gdu>nord-etat-civil"]
    assert flow_names(portfolio.flows_of("nord-etat-civil")) == [
        "met-gdu>nord-etat-civil",
        "nord-etat-civil>sud-etat-civil",
    ]


def test_flows_through_a_hub_and_of_a_data_object(portfolio: Portfolio) -> None:
    assert flow_names(portfolio.flows_through("met-hub")) == ["met-gdu>nord-etat-civil"]
    assert flow_names(portfolio.flows_of_data("acte-etat-civil")) == [
        "nord-etat-civil>sud-etat-civil",
        "sud-etat-civil>caf-cdap",
    ]
    assert [flow.point_to_point for flow in portfolio.inventory.flows].count(True) == 3


def test_two_flows_between_the_same_pair_are_two_edges(minimal_copy: Path) -> None:
    path = minimal_copy / "flux/flux.yaml"
    path.write_text(
        path.read_text(encoding="utf-8")
        + "  - source: nord-etat-civil\n    cible: sud-etat-civil\n    donnee: demande-usager\n",
        encoding="utf-8",
    )
    portfolio = Portfolio(load_inventory(minimal_copy))
    edges = portfolio.graph.get_edge_data(
        node_id("application", "nord-etat-civil"), node_id("application", "sud-etat-civil")
    )
    assert sorted(edges) == [
        "nord-etat-civil>sud-etat-civil:acte-etat-civil",
        "nord-etat-civil>sud-etat-civil:demande-usager",
    ]
    assert len(portfolio.flows_from("nord-etat-civil")) == 2


# --- processes ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("step", "following"),
    [
        ("demande", ["qualification"]),  # no "suivantes": the next one in the list
        ("qualification", ["reponse", "traitement"]),  # as written
        ("traitement", ["reponse"]),  # by list order again
        ("reponse", []),  # the last step ends the process
    ],
)
def test_next_steps(portfolio: Portfolio, step: str, following: list[str]) -> None:
    assert portfolio.next_steps("gdu", step) == following


def test_steps_keep_the_order_of_the_process(portfolio: Portfolio) -> None:
    steps = [step.id for step in portfolio.steps_of("gdu")]
    assert steps == ["demande", "qualification", "traitement", "reponse"]
    assert portfolio.process("gdu").name == "Gestion des demandes usagers"


@pytest.mark.parametrize(
    ("step", "commune", "expected"),
    [
        ("demande", None, ["met-gdu"]),  # through its bloc
        ("qualification", None, ["met-gdu"]),  # named
        ("traitement", None, ["nord-etat-civil", "sud-etat-civil"]),  # all communes together
        ("traitement", "nord", ["nord-etat-civil"]),
        ("traitement", "sud", ["sud-etat-civil"]),
        ("reponse", "sud", ["met-gdu"]),
    ],
)
def test_applications_of_a_process_step(
    portfolio: Portfolio, step: str, commune: str | None, expected: list[str]
) -> None:
    assert portfolio.applications_of_step("gdu", step, commune) == expected


def test_processes_an_application_serves(portfolio: Portfolio) -> None:
    assert portfolio.processes_of_application("nord-etat-civil") == ["gdu"]
    assert portfolio.processes_of_application("met-gdu") == ["gdu"]
    assert portfolio.processes_of_application("sud-finances") == []


# --- mutualisation --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("commune", "block", "year", "expected"),
    [
        ("nord", "finances", None, True),
        ("nord", "finances", dt.date(2018, 1, 1), True),  # joined in 2018: on 1 January
        ("nord", "finances", dt.date(2017, 12, 31), False),
        ("nord", "etat-civil", None, False),  # the domain does not cover it
        ("sud", "finances", None, False),  # never joined
    ],
)
def test_has_mutualised(
    portfolio: Portfolio, commune: str, block: str, year: dt.date | None, expected: bool
) -> None:
    assert portfolio.has_mutualised(commune, block, year) is expected


def test_a_domain_over_a_zone_covers_the_blocs_below(minimal_copy: Path) -> None:
    path = minimal_copy / "territoire.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("blocs: [finances]", "blocs: [ressources]"),
        encoding="utf-8",
    )
    portfolio = Portfolio(load_inventory(minimal_copy))
    assert portfolio.has_mutualised("nord", "echanges")
    assert not portfolio.has_mutualised("nord", "demandes")


# --- the graph itself -----------------------------------------------------------------------


def test_the_graph_holds_every_object_by_kind(portfolio: Portfolio) -> None:
    graph = portfolio.graph
    assert isinstance(graph, nx.MultiDiGraph)
    kinds: dict[str, int] = {}
    for _node, kind in graph.nodes(data="kind"):
        kinds[kind] = kinds.get(kind, 0) + 1
    assert kinds == {
        "metropole": 1,
        "commune": 2,
        "partner": 1,
        "datacenter": 1,
        "zone": 2,
        "district": 2,
        "block": 4,
        "domain": 1,
        "data_object": 3,
        "vendor": 2,
        "product": 2,
        "delegation": 1,
        "application": 8,
        "process": 1,
        "step": 4,
    }
    assert graph.nodes[step_node_id("gdu", "traitement")]["order"] == 2


def test_typed_edges_link_the_objects(portfolio: Portfolio) -> None:
    graph = portfolio.graph

    def kinds(source: str, target: str) -> set[str]:
        return {data["kind"] for data in (graph.get_edge_data(source, target) or {}).values()}

    assert kinds("metropole:metropole", "application:met-finances") == {"owns", "uses"}
    assert kinds("commune:nord", "application:met-finances") == {"uses"}
    assert kinds("application:nord-etat-civil", "block:etat-civil") == {"in_block"}
    assert kinds("block:etat-civil", "district:relation") == {"part_of"}
    assert kinds("district:relation", "zone:services") == {"part_of"}
    assert kinds("application:nord-etat-civil", "product:melodie") == {"instance_of"}
    assert kinds("product:melodie", "vendor:arpege") == {"sold_by"}
    assert kinds("application:met-billettique", "delegation:dsp-transport") == {"operated_under"}
    assert kinds("delegation:dsp-transport", "metropole:metropole") == {"granted_by"}
    assert kinds("application:met-hub", "datacenter:dc-central") == {"hosted_in"}
    assert kinds("commune:nord", "domain:finances") == {"mutualises"}
    assert kinds("domain:finances", "block:finances") == {"covers"}
    assert kinds("process:gdu", "step:gdu/demande") == {"has_step"}
    assert kinds("step:gdu/demande", "block:demandes") == {"served_by_block"}
    assert kinds("step:gdu/qualification", "application:met-gdu") == {"served_by"}
    assert kinds("step:gdu/qualification", "step:gdu/traitement") == {"next"}
    assert kinds("application:met-gdu", "application:nord-etat-civil") == {"flow"}


def test_building_twice_gives_the_same_graph_in_the_same_order(
    minimal_inventory: Inventory,
) -> None:
    first, second = build_graph(minimal_inventory), build_graph(load_inventory(MINIMAL))
    assert list(first.nodes) == list(second.nodes)
    assert list(first.edges(keys=True)) == list(second.edges(keys=True))

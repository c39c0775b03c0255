"""The map kinds as data: what each view shows, on the hand-written example métropole."""

from __future__ import annotations

from itertools import pairwise

import pytest
from cartes_support import EXAMPLE

from cartographie.analysis.convergence import block_convergence
from cartographie.errors import UsageError
from cartographie.graph import Portfolio
from cartographie.inventory import load_inventory
from cartographie.views import MAP_KINDS, Cluster, Edge, MapOptions, Node, Ref, View, build_view
from cartographie.views.text import clean, wrap


@pytest.fixture(scope="module")
def example() -> Portfolio:
    return Portfolio(load_inventory(EXAMPLE))


def all_cluster_nodes(clusters: tuple[Cluster, ...]) -> list[str]:
    found: list[str] = []
    for cluster in clusters:
        found.extend(cluster.nodes)
        found.extend(all_cluster_nodes(cluster.children))
    return found


def app_ids(view: View) -> set[str]:
    return {node.id.split(":", 1)[1] for node in view.nodes if node.id.startswith("app:")}


def test_every_map_kind_builds_for_every_object(example: Portfolio) -> None:
    for kind in MAP_KINDS.values():
        for object_id in kind.ids(example):
            view = build_view(example, kind.name, object_id)
            assert view.title
            ids = [node.id for node in view.nodes]
            assert len(ids) == len(set(ids)), f"{kind.name} {object_id}: a node twice"
            known = set(ids)
            for edge in view.edges:
                assert edge.source in known and edge.target in known


def test_commune_map_has_three_bands_in_order_and_every_application(example: Portfolio) -> None:
    view = build_view(example, "commune", "ville-centre")
    bands = [cluster.id for cluster in view.clusters]
    assert bands == ["bande:interface", "bande:metier", "bande:support", "bande:hors"]
    used = {
        app_id
        for app_id in example.applications_of_commune("ville-centre")
        if example.application(app_id).lifecycle != "retiree"
    }
    assert app_ids(view) == used
    assert set(all_cluster_nodes(view.clusters)) >= {f"app:{app_id}" for app_id in used}
    # Shared applications are marked; outside organisations are stubs at the border.
    assert "partagee" in view.node("app:met-gf").tags
    stubs = {node.id for node in view.nodes if node.id.startswith("souche:")}
    assert "souche:saint-aubin" in stubs and "souche:caf" in stubs


def test_commune_map_filters(example: Portfolio) -> None:
    view = build_view(
        example, "commune", "ville-centre", MapOptions(layers=("metier",), flows=False)
    )
    assert {example.application(app).layer for app in app_ids(view)} == {"metier"}
    assert view.edges == ()
    retired = build_view(example, "commune", "ville-centre", MapOptions(lifecycles=("retiree",)))
    assert {example.application(app).lifecycle for app in app_ids(retired)} == {"retiree"}


def test_bloc_map_groups_by_commune_and_names_users_of_shared(example: Portfolio) -> None:
    view = build_view(example, "bloc", "proximite")
    assert view.title.endswith("Proximité")
    assert "maintien de l'ordre" in view.subtitle
    groups = {cluster.id: cluster for cluster in view.clusters}
    assert "groupe:ville-centre" in groups and "groupe:saint-aubin" in groups
    assert app_ids(view) == set(example.applications_of_block("proximite"))
    shared = build_view(example, "bloc", "finances")
    node = shared.node("app:met-gf")
    assert any("utilisée par" in line for line in node.label)


def test_bloc_map_summarises_flows_to_other_blocs(example: Portfolio) -> None:
    view = build_view(example, "bloc", "demandes-usagers")
    others = [node for node in view.nodes if node.id.startswith("autre-bloc:")]
    assert others, "flows to other blocs are summarised"
    assert all(node.link is not None and node.link.kind == "bloc" for node in others)


def test_process_map_keeps_the_steps_order(example: Portfolio) -> None:
    view = build_view(example, "processus", "gdu", MapOptions(commune="ville-centre"))
    steps = [node.id for node in view.nodes if node.id.startswith("etape:")]
    assert steps == [f"etape:{step.id}" for step in example.steps_of("gdu")]
    order = [(edge.source, edge.target) for edge in view.edges if "ordre" in edge.tags]
    assert order == list(pairwise(steps))
    assert view.node("etape:tranquillite").label[-1] == "Acteur : police municipale"
    assert {"vc-police", "vc-video", "met-gdu"} <= app_ids(view)
    assert app_ids(view) <= set(example.applications_of_commune("ville-centre"))


def test_process_map_of_all_communes_has_one_box_per_commune_and_step(example: Portfolio) -> None:
    view = build_view(example, "processus", "gdu")
    boxes = {node.id: node for node in view.nodes if node.id.startswith("commune:")}
    police = boxes["commune:ville-centre@tranquillite"]
    assert police.label[:2] == ("Auvers-la-Grande", "2 applications")
    assert police.link is not None and police.link.kind == "processus-commune"
    assert police.link.id == "gdu/ville-centre"
    assert "commune:saint-aubin@tranquillite" in boxes
    # Shared applications stand on their own, once per step they serve.
    assert "app:met-gdu@qualification" in {node.id for node in view.nodes}
    for edge in view.edges:
        if "flux" in edge.tags:
            assert edge.source.split("@")[1] != edge.target.split("@")[1]


def test_pos_colours_are_the_convergence_of_the_reports(example: Portfolio) -> None:
    view = build_view(example, "pos", "pos")
    zones = [cluster.id for cluster in view.clusters]
    assert zones == ["zone:ressources", "zone:services-population"]
    for block_id in example.leaf_blocks():
        node = view.node(f"bloc:{block_id}")
        figures = block_convergence(example, block_id)
        if figures.use_pairs:
            assert node.heat == pytest.approx(figures.rate)
        assert node.link is not None and node.link.id == block_id


def test_unknown_ids_suggest_the_closest(example: Portfolio) -> None:
    with pytest.raises(UsageError) as error:
        build_view(example, "commune", "ville-centr")
    assert "ville-centre" in error.value.hint
    with pytest.raises(UsageError):
        build_view(example, "bloc", "proximité")
    with pytest.raises(UsageError):
        build_view(example, "processus", "gdu", MapOptions(commune="nulle-part"))


def test_labels_are_cleaned_and_wrapped() -> None:
    assert clean("a\nb\tc\x00  d") == "a b c d"
    lines = wrap("Gestion électronique des documents et du courrier de la mairie annexe", 20, 3)
    assert len(lines) <= 3 and all(len(line) <= 20 for line in lines)
    assert lines[-1].endswith("…")
    # A word longer than a line, without a hyphen, is shortened, never split over two lines.
    assert wrap("🚓" * 60, 24, 2) == ("🚓" * 23 + "…",)


@pytest.mark.parametrize(
    ("text", "width", "expected"),
    [
        # The ville centre's map cut « Saint-Orens-de-Montcla / r ».
        ("Saint-Orens-de-Montclar", 22, ("Saint-Orens-de-", "Montclar")),
        ("Flux avec Saint-Orens-de-Montclar", 22, ("Flux avec Saint-Orens-", "de-Montclar")),
        ("Anticonstitutionnellement et la suite", 22, ("Anticonstitutionnelle…", "et la suite")),
        # Words that fit break as before: between words only, a hyphenated word kept whole.
        ("Ville de Saint-Orens", 15, ("Ville de", "Saint-Orens")),
    ],
)
def test_wrapping_never_cuts_inside_a_word(
    text: str, width: int, expected: tuple[str, ...]
) -> None:
    lines = wrap(text, width, 3)
    assert lines == expected
    assert all(len(line) <= width for line in lines)


def test_hyphen_breaks_keep_every_character() -> None:
    name = "Communauté-de-Communes-du-Grand-Montclar-et-Environs"
    lines = wrap(name, 22, 4)
    assert "".join(lines) == name
    assert all(len(line) <= 22 and (line.endswith("-") or line == lines[-1]) for line in lines)


def test_changed_boxes_and_edges_are_what_dataclasses_replace_makes() -> None:
    """``Node.changed`` and ``Edge.changed`` build the copy field by field (the atlas changes
    thousands of boxes): every field, a new one included, must come along."""
    import dataclasses

    node = Node("app:a", ("A",), ("t",), Ref("application", "a"), "tip", 0.5)
    assert {field.name for field in dataclasses.fields(Node)} == {
        "id", "label", "tags", "link", "tooltip", "heat",
    }  # fmt: skip
    for changes in ({}, {"label": ("B",)}, {"tags": ("u",)}, {"tooltip": "other"}):
        assert node.changed(**changes) == dataclasses.replace(node, **changes)  # type: ignore[arg-type]
    edge = Edge("a", "b", "l", ("t",), "tip", False, "c1", "c2")
    assert len(dataclasses.fields(Edge)) == 8
    assert edge.changed(tags=("u",)) == dataclasses.replace(edge, tags=("u",))

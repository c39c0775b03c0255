"""A bloc used by more than twenty communes (a métropole twice the reference one): its map is an
overview with one box per group of sectors, and each group has its own map."""

from __future__ import annotations

from pathlib import Path

import pytest

from cartographie.generator import write_reference_inventory
from cartographie.graph import Portfolio
from cartographie.inventory import load_inventory
from cartographie.views import MapOptions
from cartographie.views.block import (
    PART_COMMUNES,
    SPLIT_COMMUNES,
    block_part_keys,
    block_parts,
    build_block_map,
    build_block_part_map,
    part_applications,
)

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def twice(tmp_path_factory: pytest.TempPathFactory) -> Portfolio:
    out = Path(tmp_path_factory.mktemp("x2")) / "inventaire"
    write_reference_inventory(out, scale=2)
    return Portfolio(load_inventory(out))


def test_a_bloc_of_many_communes_is_split_in_groups_of_sectors(twice: Portfolio) -> None:
    options = MapOptions()
    keys = block_part_keys(twice)
    assert keys
    split = sorted({key.split("/", 1)[0] for key in keys})
    for block_id in split:
        parts = block_parts(twice, block_id, options)
        members = [commune for _key, _name, communes in parts for commune in communes]
        # every commune of the bloc in exactly one part, no part over PART_COMMUNES
        assert len(members) == len(set(members)) > SPLIT_COMMUNES
        assert all(0 < len(communes) <= PART_COMMUNES for _k, _n, communes in parts)
        shown = [app for app in twice.applications_of_block(block_id) if options.keeps(twice, app)]
        assert set(members) == {
            user
            for app in shown
            for user in twice.inventory.users[app]
            if user in twice.inventory.communes
        }
        # the overview has one box per part, leading to the part's map
        overview = build_block_map(twice, block_id, options)
        linked = {
            node.link.id for node in overview.nodes if node.link and node.link.kind == "bloc-partie"
        }
        assert linked == {key for key, _n, _c in parts}
        # a part's map shows the applications its communes use, and only those
        for key, _name, communes in parts:
            applications = part_applications(twice, key, options)
            assert applications
            assert all(set(communes) & set(twice.inventory.users[app]) for app in applications)
            view = build_block_part_map(twice, key, options)
            assert {
                node.link.id for node in view.nodes if node.link and node.link.kind == "application"
            } >= set(applications)
    # A small bloc is not split
    assert all(
        block_parts(twice, block_id, options) == []
        for block_id in twice.leaf_blocks()
        if block_id not in split
    )


def test_the_parts_are_computed_once_and_cannot_be_changed_from_outside(twice: Portfolio) -> None:
    block_id = block_part_keys(twice)[0].split("/", 1)[0]
    first = block_parts(twice, block_id)
    first.clear()
    assert block_parts(twice, block_id) != []

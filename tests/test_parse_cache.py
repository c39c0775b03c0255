"""The parse cache: an unchanged inventory is not parsed again; any change is seen."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cartographie.cli.main import app
from cartographie.inventory import loader, validate_inventory

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "petite-metropole"


@pytest.fixture
def inventory(tmp_path: Path) -> Path:
    copy = tmp_path / "inventaire"
    shutil.copytree(EXAMPLE, copy)
    return copy


@pytest.fixture
def cache_dir(tmp_path: Path) -> Path:
    return tmp_path / "cache"


@pytest.fixture
def parsed(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The relative paths of the files the loader parses, in order."""
    calls: list[str] = []
    original = loader.check_file

    def counting(relative: str, raw: bytes) -> loader.FileCheck:
        calls.append(relative)
        return original(relative, raw)

    monkeypatch.setattr(loader, "check_file", counting)
    yield calls


def _load(inventory: Path, cache_dir: Path) -> loader.LoadResult:
    return validate_inventory(inventory, cache=True, cache_directory=cache_dir)


def _age(path: Path, seconds: int = 60) -> None:
    """Make a file look older than the cache's "racily clean" window."""
    status = path.stat()
    os.utime(path, ns=(status.st_atime_ns, status.st_mtime_ns - seconds * 1_000_000_000))


def _age_all(inventory: Path) -> None:
    for path in inventory.rglob("*.yaml"):
        _age(path)


def test_second_load_parses_nothing_and_gives_the_same_inventory(
    inventory: Path, cache_dir: Path, parsed: list[str]
) -> None:
    _age_all(inventory)
    first = _load(inventory, cache_dir)
    assert len(parsed) == 15  # every YAML file of the example
    parsed.clear()
    second = _load(inventory, cache_dir)
    assert parsed == []
    assert first.inventory is not None and second.inventory is not None
    assert second.inventory.applications == first.inventory.applications
    assert second.inventory.flows == first.inventory.flows
    assert second.inventory.users == first.inventory.users
    # Locations survive the cache: problems and findings still point at file:line.
    application = second.inventory.applications["vc-etat-civil"]
    assert str(application.origin) == "applications/ville-centre.yaml:5"


def test_an_edited_file_alone_is_parsed_again(
    inventory: Path, cache_dir: Path, parsed: list[str]
) -> None:
    _age_all(inventory)
    _load(inventory, cache_dir)
    parsed.clear()
    edited = inventory / "applications" / "les-pres.yaml"
    edited.write_text(edited.read_text().replace("Horizon — état civil", "Horizon — état civil!"))
    result = _load(inventory, cache_dir)
    assert parsed == ["applications/les-pres.yaml"]
    assert result.inventory is not None
    assert result.inventory.applications["lp-etat-civil"].name == "Horizon — état civil!"


def test_an_edit_within_the_same_tick_is_seen(
    inventory: Path, cache_dir: Path, parsed: list[str]
) -> None:
    # A coarse file system (or a fast editor) can leave size and mtime unchanged: the same
    # number of bytes written in the same tick. The cache then cannot trust the stat of a file
    # modified that close to its own index, and hashes it again.
    target = inventory / "applications" / "les-pres.yaml"
    target.write_bytes(target.read_bytes())  # written now, in the tick the index is about to get
    _load(inventory, cache_dir)
    before = target.stat()
    text = target.read_text()
    target.write_text(text.replace("couche: metier", "couche: xxxxxx", 1))
    os.utime(target, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert target.stat().st_size == before.st_size
    parsed.clear()
    result = _load(inventory, cache_dir)
    assert "applications/les-pres.yaml" in parsed
    assert [problem.code for problem in result.problems] == ["E203"]


def test_a_touched_file_is_hashed_not_parsed(
    inventory: Path, cache_dir: Path, parsed: list[str]
) -> None:
    _age_all(inventory)
    _load(inventory, cache_dir)
    parsed.clear()
    (inventory / "territoire.yaml").touch()
    result = _load(inventory, cache_dir)
    assert parsed == []
    assert result.problems == []


def test_a_deleted_file_is_gone_from_the_result(inventory: Path, cache_dir: Path) -> None:
    _age_all(inventory)
    assert _load(inventory, cache_dir).problems == []
    (inventory / "referentiel" / "donnees.yaml").unlink()
    result = _load(inventory, cache_dir)
    codes = {problem.code for problem in result.problems}
    assert codes == {"E302"}
    assert any("demande-usager" in problem.message for problem in result.problems)


def test_an_added_file_is_read(inventory: Path, cache_dir: Path) -> None:
    _age_all(inventory)
    _load(inventory, cache_dir)
    (inventory / "flux" / "nouveau.yaml").write_text(
        "flux:\n  - source: met-gf\n    cible: inconnue\n    donnee: budget\n", encoding="utf-8"
    )
    result = _load(inventory, cache_dir)
    assert [(p.code, str(p.location)) for p in result.problems] == [
        ("E302", "flux/nouveau.yaml:3"),
        ("E302", "flux/nouveau.yaml:4"),
    ]


def test_a_corrupt_cache_is_a_miss_not_an_error(inventory: Path, cache_dir: Path) -> None:
    _load(inventory, cache_dir)
    for entry in cache_dir.rglob("*.pickle"):
        entry.write_bytes(b"not a pickle")
    result = _load(inventory, cache_dir)
    assert result.problems == []
    assert result.inventory is not None and len(result.inventory.applications) == 21


def test_the_cache_lives_outside_the_inventory(inventory: Path, cache_dir: Path) -> None:
    before = sorted(str(path.relative_to(inventory)) for path in inventory.rglob("*"))
    _load(inventory, cache_dir)
    _load(inventory, cache_dir)
    after = sorted(str(path.relative_to(inventory)) for path in inventory.rglob("*"))
    assert after == before
    assert any(cache_dir.rglob("*.pickle"))


def test_cli_uses_the_cache_unless_told_not_to(
    inventory: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache-cli"
    monkeypatch.setenv("CARTOGRAPHIE_CACHE", str(cache))
    monkeypatch.delenv("CARTOGRAPHIE_SANS_CACHE", raising=False)
    runner = CliRunner()
    result = runner.invoke(app, ["--sans-cache", "valider", str(inventory)])
    assert result.exit_code == 0
    assert not cache.exists()
    monkeypatch.delenv("CARTOGRAPHIE_SANS_CACHE", raising=False)
    result = runner.invoke(app, ["valider", str(inventory)])
    assert result.exit_code == 0
    assert any(cache.rglob("index.pickle"))

"""What the tests share: the fixture inventories, a stable console, and a way to run commands.

The console is pinned (width 120, no colour, dumb terminal) so that rich prints the same table
lines on a laptop and in CI (the habit of fastapi-cli's ``tests/conftest.py``).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from support import MINIMAL, Run, RunCli
from typer.testing import CliRunner

from cartographie.cli.main import app
from cartographie.graph import Portfolio
from cartographie.inventory import load_inventory
from cartographie.model.inventory import Inventory

STABLE_CONSOLE = {"COLUMNS": "120", "LINES": "50", "NO_COLOR": "1", "TERM": "dumb"}


@pytest.fixture(scope="session")
def _session_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(autouse=True)
def _stable_console(monkeypatch: pytest.MonkeyPatch, _session_cache: Path) -> None:
    for name, value in STABLE_CONSOLE.items():
        monkeypatch.setenv(name, value)
    for name in ("FORCE_COLOR", "CARTOGRAPHIE_DEBUG", "CARTOGRAPHIE_SANS_CACHE"):
        monkeypatch.delenv(name, raising=False)
    # Commands use the parse cache: keep it out of the user's home, shared within the run.
    monkeypatch.setenv("CARTOGRAPHIE_CACHE", str(_session_cache))


@pytest.fixture
def run_cli(monkeypatch: pytest.MonkeyPatch) -> RunCli:
    """Run ``cartographie ARGS`` in-process, from ``cwd`` if given.

    An exception that escapes the command (a bug: users must never see a traceback) is raised
    here instead of being folded into an exit code by the runner.
    """

    def run(*args: str, cwd: Path | None = None) -> Run:
        if cwd is not None:
            monkeypatch.chdir(cwd)
        result = CliRunner().invoke(app, list(args), catch_exceptions=True)
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise result.exception
        return Run(result.exit_code, result.stdout, result.stderr)

    return run


@pytest.fixture
def minimal_copy(tmp_path: Path) -> Path:
    """A private copy of the minimal inventory, to break or to write beside."""
    target = tmp_path / "inventaire"
    shutil.copytree(MINIMAL, target)
    return target


@pytest.fixture(scope="session")
def minimal_inventory() -> Inventory:
    return load_inventory(MINIMAL)


@pytest.fixture(scope="session")
def portfolio(minimal_inventory: Inventory) -> Portfolio:
    return Portfolio(minimal_inventory)


@pytest.fixture(scope="session")
def reference_atlas(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The atlas of the reference inventory (``inventory/``), built once for the tests that
    read its maps and pages (``test_atlas_reference.py``, the browser test)."""
    from cartographie.atlas import build_atlas

    out = tmp_path_factory.mktemp("atlas-reference") / "atlas"
    result = build_atlas(Portfolio(load_inventory(Path(__file__).parents[1] / "inventory")), out)
    assert result.failures == []
    return out

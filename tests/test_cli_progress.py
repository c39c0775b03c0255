"""Progress bars of long commands: drawn on stderr when it is a terminal, never in a pipe, with
``NO_COLOR``, ``TERM=dumb`` or ``--silencieux``; the data on stdout stays the same."""

from __future__ import annotations

import os
import pty
import select
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from support import MINIMAL

from cartographie.cli import progress as cli_progress

SCRIPT = Path(sys.executable).parent / "cartographie"


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A repository whose inventory changed in three commits."""
    root = tmp_path_factory.mktemp("historique")
    shutil.copytree(MINIMAL, root / "inventory")
    environment = {
        **os.environ,
        "GIT_AUTHOR_NAME": "Urbaniste",
        "GIT_AUTHOR_EMAIL": "u@example.org",
        "GIT_COMMITTER_NAME": "Urbaniste",
        "GIT_COMMITTER_EMAIL": "u@example.org",
    }

    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=root, env=environment, check=True, capture_output=True)

    git("init", "-q")
    for number in range(3):
        with (root / "inventory" / "territoire.yaml").open("a", encoding="utf-8") as handle:
            handle.write(f"# révision {number}\n")
        git("add", "-A")
        git("commit", "-q", "-m", f"révision {number}")
    return root


def _run_on_a_terminal(arguments: list[str], cwd: Path, **extra: str) -> tuple[bytes, str]:
    """Run with stderr on a pseudo-terminal (stdout piped): what the terminal showed, and
    stdout."""
    master, slave = pty.openpty()
    environment = {key: value for key, value in os.environ.items() if key != "NO_COLOR"}
    environment.update({"TERM": "xterm-256color", "COLUMNS": "100", **extra})
    process = subprocess.Popen(
        [str(SCRIPT), *arguments],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=slave,
        env=environment,
    )
    os.close(slave)
    shown = b""
    while True:
        ready, _, _ = select.select([master], [], [], 120)
        if not ready:
            break
        try:
            chunk = os.read(master, 65536)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        shown += chunk
    stdout, _ = process.communicate(timeout=120)
    os.close(master)
    assert process.returncode == 0, shown.decode(errors="replace")
    return shown, stdout.decode()


needs_script = pytest.mark.skipif(not SCRIPT.exists(), reason="needs the installed script")
TREND = ["rapport", "tendance", "--format", "csv"]


@needs_script
def test_the_trend_shows_a_bar_on_a_terminal_only(history: Path) -> None:
    shown, data = _run_on_a_terminal(TREND, history)
    assert b"Commits" in shown
    assert b"3/3" in shown
    piped = subprocess.run([str(SCRIPT), *TREND], cwd=history, capture_output=True, check=True)
    assert b"Commits" not in piped.stderr
    assert piped.stdout.decode() == data  # the bar never touches the data


@needs_script
@pytest.mark.parametrize(
    ("option", "environment"),
    [("--silencieux", {}), ("-q", {}), ("", {"NO_COLOR": "1"}), ("", {"TERM": "dumb"})],
)
def test_no_bar_when_asked(history: Path, option: str, environment: dict[str, str]) -> None:
    shown, _ = _run_on_a_terminal([*TREND, *([option] if option else [])], history, **environment)
    assert b"Commits" not in shown


def test_a_bar_only_on_a_terminal_with_colours(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    assert not cli_progress.wanted(quiet=True)
    # the tests' stderr is no terminal
    assert not cli_progress.wanted(quiet=False)
    monkeypatch.setenv("NO_COLOR", "1")
    assert not cli_progress.wanted(quiet=False)


@needs_script
def test_a_diff_between_revisions_names_its_phases(history: Path) -> None:
    shown, data = _run_on_a_terminal(["diff", "HEAD~2", "HEAD", "--format", "json"], history)
    assert b"Comparaison" in shown
    assert data.startswith("{")


def test_the_generator_reports_its_phases(tmp_path: Path) -> None:
    from cartographie.generator import write_reference_inventory

    calls: list[tuple[int, int, str]] = []
    write_reference_inventory(tmp_path / "metropole", progress=lambda *call: calls.append(call))
    assert [done for done, _total, _label in calls] == [0, 1, 2, 3]
    assert {total for _done, total, _label in calls} == {3}

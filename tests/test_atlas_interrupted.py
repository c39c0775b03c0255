"""Killing ``cartographie atlas`` at any moment leaves the previous atlas as it was (DESIGN.md §12).

A real ``cartographie atlas -j 2 --complet`` (worker processes, every map redrawn) runs on the
example métropole after an application was renamed, its maps drawn by a ``dot`` that takes its
time (a wrapper on the PATH that sleeps before running the real one, or fails so that the
embedded engine takes over), so that each moment lasts long enough to be caught. It is killed —
SIGKILL, which leaves it no time at all, or SIGTERM — while its new atlas is being set up beside
the old one, when its first maps come back from the workers, and half-way through its maps.
Each time:

- the atlas folder holds exactly the previous atlas, byte for byte;
- no process it started (render workers, ``dot``) is left running;
- nothing is written after its death (a worker never writes; the folder in the making is still);
- after SIGTERM, the folder in the making is gone and the exit code is 143.

The swap itself lasts microseconds: the same atlas kills itself (SIGKILL) just before the
exchange, just after it, and — where the system has no atomic exchange — between the two
renames that replace it; the atlas is then the old one or the complete new one, and the next run
puts the old one back if it was left out. Last, an uninterrupted run cleans what the killed ones
left and gives, byte for byte, the atlas a run in an empty folder gives.
"""

from __future__ import annotations

import itertools
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from cartes_support import copy_example, rename_application

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc"),
]

SLOW_DOT = """#!{python}
import os, sys, time
time.sleep(0.1)
real = "/usr/bin/dot"
if os.path.exists(real):
    os.execv(real, [real, *sys.argv[1:]])
sys.exit(1)  # no system Graphviz: the embedded engine takes over
"""

Snapshot = dict[str, bytes]


def snapshot(root: Path) -> Snapshot:
    """Every file (bytes) and folder (``/``) below ``root``, by relative path."""
    found: Snapshot = {}
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root).as_posix()
        found[relative] = b"/" if path.is_dir() else path.read_bytes()
    return found


def _parent_of(pid: str) -> int | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return int(stat.rsplit(")", 1)[1].split()[1])


def descendants(pid: int) -> set[int]:
    """Every process below ``pid`` (children, their children…)."""
    parents = {int(entry): _parent_of(entry) for entry in os.listdir("/proc") if entry.isdigit()}
    found: set[int] = set()
    frontier = {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def running(pid: int) -> bool:
    """Alive and not a zombie (a dead process waits for its new parent to reap it)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    state = next(line for line in status.splitlines() if line.startswith("State:"))
    return state.split()[1] not in ("Z", "X")


def staging_of(atlas: Path) -> Path | None:
    for entry in atlas.parent.iterdir():
        if entry.name.startswith(f".{atlas.name}.nouveau-"):
            return entry
    return None


def new_files(folder: Path, since: int) -> list[Path]:
    """Files of ``folder`` written after ``since`` (ns): the mirror's links keep their times."""
    found = []
    for path in folder.rglob("*"):
        try:
            if path.is_file() and path.stat().st_mtime_ns > since:
                found.append(path)
        except OSError:
            continue  # replaced between the listing and the stat
    return found


Moment = Callable[[Path, int], bool]


def _maps(count: int) -> Moment:
    return lambda staging, started: (
        sum(path.suffix == ".svg" for path in new_files(staging, started)) >= count
    )


MOMENTS: dict[str, Moment] = {
    # The folder in the making exists: the old atlas is being mirrored into it.
    "preparation": lambda staging, started: True,
    # The first maps come back from the workers.
    "premieres-cartes": _maps(1),
    # Half of the maps are drawn (the example has 21).
    "mi-parcours": _maps(10),
}


@pytest.fixture(scope="module")
def setting(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """The renamed example, a slow ``dot``, the previous atlas, and what a full run gives."""
    root = tmp_path_factory.mktemp("interruption")
    tools = root / "outils"
    tools.mkdir()
    dot = tools / "dot"
    dot.write_text(SLOW_DOT.format(python=sys.executable))
    dot.chmod(0o755)
    inventory = copy_example(root / "inventaire")
    env = {
        **os.environ,
        "PATH": f"{tools}{os.pathsep}{os.environ.get('PATH', '')}",
        "CARTOGRAPHIE_CACHE": str(root / "cache"),
    }
    previous = root / "precedent"
    _atlas(inventory, previous, env, check=True)
    (previous / "mes-notes.txt").write_text("à garder", encoding="utf-8")  # not the atlas's
    rename_application(inventory, "vc-video", "Vidéoprotection urbaine (renommée)")
    expected = root / "attendu"
    _atlas(inventory, expected, env, check=True)
    (expected / "mes-notes.txt").write_text("à garder", encoding="utf-8")
    return {
        "inventory": inventory,
        "env": env,
        "previous": previous,
        "previous_files": snapshot(previous),
        "expected_files": snapshot(expected),
    }


def _command(inventory: Path, out: Path) -> list[str]:
    script = Path(sys.executable).with_name("cartographie")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "cartographie"]
    return [
        *command,
        "atlas",
        "-i",
        str(inventory),
        "--sortie",
        str(out),
        "-j",
        "2",
        "--moteur",
        "systeme",
        "--complet",
    ]


def _atlas(inventory: Path, out: Path, env: dict[str, str], *, check: bool) -> int:
    done = subprocess.run(
        _command(inventory, out), env=env, capture_output=True, timeout=300, check=False
    )
    if check:
        assert done.returncode == 0, done.stderr.decode()
    return done.returncode


@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGTERM], ids=["SIGKILL", "SIGTERM"])
@pytest.mark.parametrize("moment", sorted(MOMENTS))
def test_an_interrupted_atlas_leaves_the_previous_one_whole(
    setting: dict[str, object], tmp_path: Path, moment: str, how: signal.Signals
) -> None:
    atlas = tmp_path / "atlas"
    shutil.copytree(setting["previous"], atlas)  # type: ignore[arg-type]
    previous: Snapshot = setting["previous_files"]  # type: ignore[assignment]
    assert snapshot(atlas) == previous
    started = time.time_ns()
    process = subprocess.Popen(
        _command(setting["inventory"], atlas),  # type: ignore[arg-type]
        env=setting["env"],  # type: ignore[arg-type]
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    helpers: set[int] = set()
    staging = None
    reached = False
    deadline = time.monotonic() + 120
    for turn in itertools.count():
        if process.poll() is not None or time.monotonic() > deadline:
            break
        if turn % 10 == 0:  # a walk of /proc costs: not at every turn, on a 2-core machine
            helpers |= descendants(process.pid)
        staging = staging or staging_of(atlas)
        if staging is not None and MOMENTS[moment](staging, started):
            reached = True
            break
        time.sleep(0.005)
    helpers |= descendants(process.pid)
    process.send_signal(how)
    _, stderr = process.communicate(timeout=60)
    assert reached, f"the run ended before « {moment} »"
    if moment != "preparation":
        assert helpers, "no render worker seen"

    # No process it started is left running (killed ones wait for their new parent to reap).
    deadline = time.monotonic() + 3
    while any(running(pid) for pid in helpers) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert not [pid for pid in helpers if running(pid)]

    # Nothing is written after its death.
    left = staging_of(atlas)
    if left is not None:
        before = {path: path.stat().st_mtime_ns for path in left.rglob("*")}
        time.sleep(0.5)
        assert {path: path.stat().st_mtime_ns for path in left.rglob("*")} == before

    assert snapshot(atlas) == previous  # byte for byte, no file more, no file less
    if how == signal.SIGTERM:
        assert process.returncode == 143, stderr.decode()
        assert "arrêté (SIGTERM)" in stderr.decode()
        assert left is None  # the folder in the making is removed on the way out
    else:
        assert process.returncode == -signal.SIGKILL
        assert left is not None  # what the next run removes (test below)


# --- the swap: a few system calls, killed from inside -------------------------------------------

DRIVER = """
import os, signal, sys
from pathlib import Path

from cartographie.atlas import AtlasOptions, build_atlas
from cartographie.files import writing
from cartographie.graph import Portfolio
from cartographie.inventory import load_inventory

inventory, atlas, where = sys.argv[1:4]
exchange, rename = writing._exchange, Path.rename


def die():
    os.kill(os.getpid(), signal.SIGKILL)


def before_exchange(first, second):
    die()


def after_exchange(first, second):
    exchange(first, second)
    die()


def between_renames(self, target):
    done = rename(self, target)
    if ".ancien-" in Path(target).name:
        die()
    return done


if where == "avant-echange":
    writing._exchange = before_exchange
elif where == "apres-echange":
    writing._exchange = after_exchange
else:
    writing._exchange = lambda first, second: False  # a system without the atomic exchange
    Path.rename = between_renames
options = AtlasOptions(engine="systeme", jobs=2, force=True)
build_atlas(Portfolio(load_inventory(inventory)), Path(atlas), options)
"""


@pytest.mark.parametrize("where", ["avant-echange", "apres-echange", "entre-deux-renommages"])
def test_an_atlas_killed_during_its_swap_is_old_or_new_never_a_mix(
    setting: dict[str, object], tmp_path: Path, where: str
) -> None:
    from cartographie.files.writing import recover_interrupted

    atlas = tmp_path / "atlas"
    shutil.copytree(setting["previous"], atlas)  # type: ignore[arg-type]
    done = subprocess.run(
        [sys.executable, "-c", DRIVER, str(setting["inventory"]), str(atlas), where],
        env=setting["env"],  # type: ignore[arg-type]
        capture_output=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == -signal.SIGKILL, done.stderr.decode()
    if where == "avant-echange":
        assert snapshot(atlas) == setting["previous_files"]
    elif where == "apres-echange":
        assert snapshot(atlas) == setting["expected_files"]
    else:  # the old atlas stands aside under a hidden name, until the next run puts it back
        assert not atlas.exists()
        recover_interrupted(atlas)
        assert snapshot(atlas) == setting["previous_files"]


def test_the_next_run_cleans_up_and_equals_a_run_in_an_empty_folder(
    setting: dict[str, object], tmp_path: Path
) -> None:
    atlas = tmp_path / "atlas"
    shutil.copytree(setting["previous"], atlas)  # type: ignore[arg-type]
    process = subprocess.Popen(
        _command(setting["inventory"], atlas),  # type: ignore[arg-type]
        env=setting["env"],  # type: ignore[arg-type]
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    while staging_of(atlas) is None and process.poll() is None:
        time.sleep(0.002)
    process.kill()
    process.wait()
    assert staging_of(atlas) is not None
    _atlas(setting["inventory"], atlas, setting["env"], check=True)  # type: ignore[arg-type]
    assert staging_of(atlas) is None
    assert snapshot(atlas) == setting["expected_files"]

"""The user's cache: nothing that executes is read unless it is provably the user's own; the
folder is listed by kind, trimmed to its limit (least recently used first), and emptied.

The hostile entries are pickles that would create a file when loaded: each refused case is
checked against the same entry accepted once its owner and permissions are right, so that a
test cannot pass because the entry was never going to be read.
"""

from __future__ import annotations

import os
import pickle
import shutil
from pathlib import Path

import pytest
from support import MINIMAL

from cartographie import usercache
from cartographie.inventory.cache import ParseCache
from cartographie.inventory.loader import validate_inventory
from cartographie.render import engines

IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
OTHER_USER = 4242  # no one's uid: a file that belongs to someone else


class Planted:
    """Unpickling this creates ``marker``: proof that a cache entry was loaded."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (os.mkdir, (str(self.marker),))


def plant(path: Path, marker: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    path.write_bytes(pickle.dumps(Planted(marker)))
    path.chmod(0o600)


@pytest.fixture
def cache_root(tmp_path: Path) -> Path:
    root = tmp_path / "cache"
    root.mkdir(mode=0o700)
    return root


def index_of(root: Path, inventory: Path) -> Path:
    return ParseCache(inventory, root).folder / "index.pickle"


def test_the_users_own_entry_is_read(cache_root: Path, tmp_path: Path) -> None:
    """The control: with the right owner and permissions the planted entry IS unpickled."""
    marker = tmp_path / "lu"
    plant(index_of(cache_root, MINIMAL), marker)
    ParseCache(MINIMAL, cache_root)
    assert marker.exists()


@pytest.mark.parametrize(
    "spoil",
    [
        pytest.param(lambda entry, root: entry.chmod(0o666), id="entry-world-writable"),
        pytest.param(lambda entry, root: entry.chmod(0o620), id="entry-group-writable"),
        pytest.param(lambda entry, root: entry.parent.chmod(0o777), id="folder-world-writable"),
        pytest.param(lambda entry, root: root.chmod(0o770), id="cache-root-group-writable"),
        pytest.param(
            lambda entry, root: os.chown(entry, OTHER_USER, -1),
            id="entry-of-another-user",
            marks=pytest.mark.skipif(not IS_ROOT, reason="only root can give a file away"),
        ),
        pytest.param(
            lambda entry, root: os.chown(entry.parent, OTHER_USER, -1),
            id="folder-of-another-user",
            marks=pytest.mark.skipif(not IS_ROOT, reason="only root can give a folder away"),
        ),
    ],
)
def test_an_entry_others_could_have_written_is_never_unpickled(
    cache_root: Path, tmp_path: Path, spoil: object
) -> None:
    marker = tmp_path / "lu"
    entry = index_of(cache_root, MINIMAL)
    plant(entry, marker)
    spoil(entry, cache_root)  # type: ignore[operator]
    cache = ParseCache(MINIMAL, cache_root)
    assert not marker.exists()
    assert cache._index == {}  # a miss: the load parses the YAML as if there were no cache
    result = validate_inventory(MINIMAL, cache=True, cache_directory=cache_root)
    assert result.inventory is not None and not marker.exists()


def test_a_link_in_the_cache_is_not_followed(cache_root: Path, tmp_path: Path) -> None:
    marker = tmp_path / "lu"
    elsewhere = tmp_path / "ailleurs.pickle"
    plant(elsewhere, marker)
    entry = index_of(cache_root, MINIMAL)
    entry.parent.mkdir(parents=True, mode=0o700)
    entry.symlink_to(elsewhere)
    ParseCache(MINIMAL, cache_root)
    assert not marker.exists()


def test_a_fifo_in_the_cache_does_not_block(cache_root: Path) -> None:
    entry = index_of(cache_root, MINIMAL)
    entry.parent.mkdir(parents=True, mode=0o700)
    os.mkfifo(entry, 0o600)
    assert usercache.open_private(entry, cache_root) is None


def test_the_compiled_module_of_someone_else_is_compiled_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A compiled module is machine code: a world-writable one is never deserialised."""
    monkeypatch.setenv("CARTOGRAPHIE_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(engines, "_embedded", None)
    engines.embedded_engine()  # compiles and caches it, privately
    cached = engines.compiled_module_path()
    import wasmtime

    calls: list[int] = []
    real = wasmtime.Module.deserialize

    def spy(engine: object, data: bytes) -> object:
        calls.append(len(data))
        return real(engine, data)

    monkeypatch.setattr(wasmtime.Module, "deserialize", staticmethod(spy))
    engines.EmbeddedEngine()
    assert len(calls) == 1  # the control: the user's own module is loaded
    cached.chmod(0o666)
    engines.EmbeddedEngine()
    assert len(calls) == 1  # refused, compiled again...
    assert cached.stat().st_mode & 0o077 == 0  # ...and written back private


def test_new_folders_are_private_whatever_the_umask(tmp_path: Path) -> None:
    previous = os.umask(0o002)
    try:
        root = tmp_path / "cache"
        usercache.make_private_folder(root / "chargement-x" / "y", root)
    finally:
        os.umask(previous)
    for folder in (root, root / "chargement-x", root / "chargement-x" / "y"):
        assert folder.stat().st_mode & 0o777 == 0o700, folder


def test_parse_cache_entries_are_written_private_whatever_the_umask(cache_root: Path) -> None:
    """The entries go through the project's atomic writer, readable by their owner alone: with a
    umask of 002 an entry left group-writable would never be read back."""
    previous = os.umask(0o002)
    try:
        validate_inventory(MINIMAL, cache=True, cache_directory=cache_root)
    finally:
        os.umask(previous)
    entries = sorted(ParseCache(MINIMAL, cache_root).folder.iterdir())
    assert any(entry.name == "index.pickle" for entry in entries)
    for entry in entries:
        assert entry.stat().st_mode & 0o777 == 0o600, entry
        assert not entry.name.endswith(".tmp")


def test_a_parse_cache_folder_linked_elsewhere_is_not_written(
    cache_root: Path, tmp_path: Path
) -> None:
    elsewhere = tmp_path / "ailleurs"
    elsewhere.mkdir(mode=0o700)
    folder = ParseCache(MINIMAL, cache_root).folder
    folder.parent.mkdir(parents=True, mode=0o700)
    folder.symlink_to(elsewhere, target_is_directory=True)
    validate_inventory(MINIMAL, cache=True, cache_directory=cache_root)
    assert list(elsewhere.iterdir()) == []


# --- listing, trimming, clearing ---------------------------------------------------------------


def fill(root: Path, path: str, size: int, age_s: int) -> Path:
    target = root / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(b"x" * size)
    moment = 1_700_000_000 - age_s
    os.utime(target, (moment, moment))
    return target


@pytest.fixture
def filled(tmp_path: Path) -> Path:
    root = tmp_path / "cache"
    fill(root, "chargement-aaaaaaaaaaaaaaaa/ancien/index.pickle", 300, age_s=500)
    fill(root, "chargement-aaaaaaaaaaaaaaaa/ancien/fichier-1.pickle", 300, age_s=400)
    fill(root, "chargement-bbbbbbbbbbbbbbbb/recent/index.pickle", 200, age_s=10)
    fill(root, "tendance-cccccccccccccccc/depot.json", 100, age_s=300)
    fill(root, "graphviz-0123456789abcdef01234567.cwasm", 250, age_s=200)
    fill(root, "notes-de-quelqu-un.txt", 50, age_s=900)
    # Named like ours, but not with this tool's hashes: the user's own, never an entry.
    fill(root, "chargement-photos/vacances.jpg", 70, age_s=900)
    fill(root, "tendance-2024/notes.json", 80, age_s=900)
    return root


def test_the_cache_is_listed_by_kind(filled: Path) -> None:
    contents = usercache.scan(filled)
    assert contents.by_kind("lecture") == (2, 3, 800)
    assert contents.by_kind("tendance") == (1, 1, 100)
    assert contents.by_kind("moteur") == (1, 1, 250)
    assert contents.size == 1150
    assert (contents.other_files, contents.other_size) == (3, 200)


def test_past_the_limit_the_least_recently_used_entries_go(filled: Path) -> None:
    removed = usercache.trim(filled, limit=600)
    # The inventory last used 400 s ago (600 bytes) goes first; 550 bytes are left.
    assert [entry.path.name for entry in removed] == ["ancien"]
    assert not (filled / "chargement-aaaaaaaaaaaaaaaa").exists()  # its empty folder too
    assert usercache.scan(filled).size == 550
    assert (filled / "notes-de-quelqu-un.txt").is_file()  # not ours: never touched
    assert (filled / "chargement-photos" / "vacances.jpg").is_file()


def test_what_the_command_uses_is_never_evicted(filled: Path) -> None:
    removed = usercache.trim(
        filled, limit=0, keep=[filled / "chargement-aaaaaaaaaaaaaaaa" / "ancien"]
    )
    assert sorted(entry.kind for entry in removed) == ["lecture", "moteur", "tendance"]
    assert (filled / "chargement-aaaaaaaaaaaaaaaa" / "ancien" / "index.pickle").is_file()


def test_a_touch_makes_an_entry_recent(filled: Path) -> None:
    # Untouched, « ancien » (last used 400 s ago) would go first; touched, the figures do.
    usercache.touch(filled / "chargement-aaaaaaaaaaaaaaaa" / "ancien" / "index.pickle")
    removed = usercache.trim(filled, limit=1050)
    assert [entry.path.name for entry in removed] == ["depot.json"]


def test_clearing_removes_what_the_tool_wrote_and_nothing_else(filled: Path) -> None:
    cleared = usercache.clear(filled)
    assert len(cleared.entries) == 4 and cleared.size == 1150
    assert sorted(path.name for path in filled.iterdir()) == [
        "chargement-photos",
        "notes-de-quelqu-un.txt",
        "tendance-2024",
    ]


def test_a_parse_cache_that_grows_is_trimmed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "cache"
    stale = fill(
        root, "chargement-0000000000000000/autre-inventaire/index.pickle", 10_000, age_s=10**6
    )
    monkeypatch.setenv("CARTOGRAPHIE_CACHE_MAX", "5k")
    copy = tmp_path / "inventaire"
    shutil.copytree(MINIMAL, copy)
    validate_inventory(copy, cache=True, cache_directory=root)
    assert not stale.exists()
    # The inventory just loaded stays, even past the limit.
    assert usercache.scan(root).by_kind("lecture")[0] == 1


@pytest.mark.parametrize(
    "text, expected",
    [
        ("500M", 500_000_000),
        ("2G", 2_000_000_000),
        ("1,5 Go", 1_500_000_000),
        ("800000", 800_000),
        ("0", 0),
        ("12 ko", 12_000),
        ("beaucoup", None),
        ("-1M", None),
    ],
)
def test_sizes_are_read_as_people_write_them(text: str, expected: int | None) -> None:
    assert usercache.parse_size(text) == expected


def test_without_posix_owners_nothing_executable_is_read_or_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Windows: no owner to prove, so the parse cache neither reads nor writes its pickles."""
    marker = tmp_path / "lu"
    root = tmp_path / "cache"
    plant(index_of(root, MINIMAL), marker)
    monkeypatch.setattr(usercache, "_POSIX", False)
    result = validate_inventory(MINIMAL, cache=True, cache_directory=root)
    assert result.inventory is not None and not marker.exists()
    assert usercache.scan(root).by_kind("lecture")[1] == 1  # the planted file alone

"""The README's and docs' console blocks run as written and print what they show.

How blocks are read, run and compared, and how to refresh them: ``tests/consoleblocks.py``.
One scratch clone per page; the blocks of a page run in order in it (a test asking for a later
block runs the earlier ones first).
"""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from consoleblocks import (
    ROOT,
    Block,
    Result,
    Session,
    Step,
    block_text,
    documents,
    output_matches,
    read_blocks,
    refreshed,
    replace_blocks,
    scratch_clone,
)

REFRESH = os.environ.get("CARTOGRAPHIE_GOLDEN", "") not in ("", "0")
PAGES = documents()
ALL_BLOCKS = [block for page in PAGES for block in read_blocks(page)]
RUN_BLOCKS = [block for block in ALL_BLOCKS if block.runs]


class PageRun:
    """The console blocks of one page, run in order in one scratch clone."""

    def __init__(self, page: Path, folder: Path, cache: Path) -> None:
        self.page = page
        self.blocks = [block for block in read_blocks(page) if block.runs]
        self.folder = folder
        self.cache = cache
        self.session: Session | str | None = None
        self.results: dict[int, list[tuple[Step, Result]]] = {}
        self.new_text: dict[int, list[str]] = {}

    def _session(self) -> Session:
        if self.session is None:
            clone = scratch_clone(self.folder / "clone")
            self.session = clone if isinstance(clone, str) else Session(clone, self.cache)
        if isinstance(self.session, str):
            pytest.skip(self.session)
        return self.session

    def run(self, wanted: Block) -> list[tuple[Step, Result]]:
        session = self._session()
        for block in self.blocks:
            if block.start not in self.results:
                self.results[block.start] = [
                    (step, session.run(step.command)) for step in block.steps()
                ]
            if block.start == wanted.start:
                return self.results[block.start]
        raise AssertionError(f"{wanted.name} is not a console block of {self.page}")

    def write(self) -> None:
        if self.new_text:
            replace_blocks(self.page, self.new_text)


@pytest.fixture(scope="session")
def page_runs(
    tmp_path_factory: pytest.TempPathFactory, _session_cache: Path
) -> Iterator[dict[Path, PageRun]]:
    runs: dict[Path, PageRun] = {}
    yield runs
    for run in runs.values():
        run.write()


def _report(step: Step, result: Result) -> str:
    diff = difflib.unified_diff(step.expected, result.output, "shown", "printed", lineterm="", n=2)
    return f"line {step.line}: $ {step.command}\n" + "\n".join(diff)


@pytest.mark.slow
@pytest.mark.parametrize("block", RUN_BLOCKS, ids=lambda block: block.name)
def test_console_block(
    block: Block,
    page_runs: dict[Path, PageRun],
    tmp_path_factory: pytest.TempPathFactory,
    _session_cache: Path,
) -> None:
    run = page_runs.get(block.path)
    if run is None:
        folder = tmp_path_factory.mktemp(block.path.stem)
        run = page_runs[block.path] = PageRun(block.path, folder, folder / "cache")
    results = run.run(block)
    wrong = [
        (step, result)
        for step, result in results
        if not output_matches(step.expected, result.output)
    ]
    if REFRESH and wrong:
        for step, result in wrong:
            step.expected = refreshed(step.expected, result.output)
        run.new_text[block.start] = block_text([step for step, _ in results])
        return
    assert not wrong, (
        f"{block.name}: the block does not show what runs (refresh on purpose with "
        "CARTOGRAPHIE_GOLDEN=1, then read the diff):\n"
        + "\n\n".join(_report(step, result) for step, result in wrong)
    )


def test_blocks_that_show_a_command_run_or_say_why() -> None:
    """A fenced block showing a cartographie command is a console block, or says why not."""
    silent = [
        block.name
        for block in ALL_BLOCKS
        if block.commands() and block.language != "console" and block.skip is None
    ]
    assert not silent, (
        "blocks with cartographie commands that no test runs (make them ```console blocks, "
        f"or mark them <!-- non exécuté : why -->): {silent}"
    )


def test_the_runner_compares_with_elisions() -> None:
    shown = ["Titre", "…  (le reste)", "a … c", "…", "fin"]
    assert output_matches(shown, ["Titre", "x", "y", "a b c", "fin"])
    assert output_matches(shown, ["Titre", "a  c", "fin"])
    assert not output_matches(shown, ["Titre", "a b d", "fin"])
    assert not output_matches(shown, ["Titre", "a b c", "fin", "plus"])
    assert not output_matches(["un", "deux"], ["un"])
    assert refreshed(shown, ["Titre", "x", "a b c", "z", "fin"]) == shown
    assert refreshed(shown, ["Titre 2", "x", "a b c", "z", "fin 2"]) == [
        "Titre 2",
        "…  (le reste)",
        "a … c",
        "…",
        "fin 2",
    ]
    # a segment whose line changed a little (a line number) still anchors it
    numbered = ["Titre", "…", "fichier.yaml:926: D102", "…", "fin"]
    assert refreshed(numbered, ["Titre 2", "x", "fichier.yaml:1013: D102", "y", "fin"]) == [
        "Titre 2",
        "…",
        "fichier.yaml:1013: D102",
        "…",
        "fin",
    ]
    # a segment that no longer anchors: the whole output, for a person to elide again, with the
    # lines an old « … » line matches kept as written
    gone = ["Titre", "…", "qqqqqqqq", "…", "Date : …"]
    assert refreshed(gone, ["Titre", "a", "b", "Date : 2027"]) == ["Titre", "a", "b", "Date : …"]
    # a changed line keeps its « … » where the text around it is still there
    path = ["Cache vidé : 40 fichiers, 3,5 Mo libérés (…)."]
    assert refreshed(path, ["Cache vidé : 41 fichiers, 3,6 Mo libérés (/tmp/x/cache)."]) == [
        "Cache vidé : 41 fichiers, 3,6 Mo libérés (…)."
    ]
    # a new command's long output: its first lines, and an elision
    new = refreshed([], [str(number) for number in range(40)])
    assert new[:12] == [str(number) for number in range(12)]
    assert new[12:] == ["…  (28 lignes de plus)"]


def test_every_page_with_commands_is_run() -> None:
    names = {block.path.name for block in RUN_BLOCKS}
    assert "README.md" in names
    assert len(RUN_BLOCKS) >= 10
    assert all(re.search(r"\S", "\n".join(block.lines)) for block in RUN_BLOCKS)
    assert ROOT in PAGES[0].parents

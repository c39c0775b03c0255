"""The documentation stays true: every problem code documented, every command explained in
French, and every command no test runs (of an unrun doc block, of a help's example) accepted by
the CLI as written; the console blocks themselves run in test_console_blocks.py."""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from typing import Any

import pytest
import typer

from cartographie.cli.main import app
from cartographie.errors import PROBLEM_CODES

ROOT = Path(__file__).resolve().parents[1]


# typer vendors click in recent releases and imports it in older ones: commands and groups are
# recognised by what they have, not by one of the two classes.
Command = Any


def _is_group(command: Command) -> bool:
    return hasattr(command, "commands")


def _commands(group: Command, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = [path]
    if _is_group(group):
        for name, command in sorted(group.commands.items()):
            found.extend(_commands(command, (*path, name)))
    return found


ROOT_COMMAND = typer.main.get_command(app)
ALL_COMMANDS = _commands(ROOT_COMMAND)


def _error_classes() -> set[type]:
    import importlib
    import pkgutil

    import cartographie
    from cartographie.errors import CartographieError

    for module in pkgutil.walk_packages(cartographie.__path__, "cartographie."):
        if not module.name.endswith("__main__"):  # that one runs the command line
            importlib.import_module(module.name)
    found: set[type] = set()
    pending: list[type] = [CartographieError]
    while pending:
        current = pending.pop()
        found.add(current)
        pending.extend(current.__subclasses__())
    return found


def test_every_code_the_tool_can_print_is_documented() -> None:
    """Problem codes, every error class's code, the command line's and the internal error's,
    and the diagnostic's rules: each has its row in docs/erreurs.md, and nothing else has."""
    from cartographie.diagnostic import RULES
    from cartographie.errors import COMMAND_LINE_CODE, INTERNAL_CODE

    documented = re.findall(
        r"^\| ([A-Z]\d{3}) \|", (ROOT / "docs" / "erreurs.md").read_text(), re.M
    )
    printed = {error.code for error in _error_classes()}
    printed |= set(PROBLEM_CODES) | set(RULES) | {COMMAND_LINE_CODE, INTERNAL_CODE}
    assert len(documented) == len(set(documented))
    assert set(documented) == printed


def _resolve(path: tuple[str, ...]) -> Command:
    command = ROOT_COMMAND
    for name in path:
        assert _is_group(command)
        command = command.commands[name]
    return command


@pytest.mark.parametrize("path", ALL_COMMANDS, ids=lambda path: " ".join(path) or "racine")
def test_every_command_has_a_french_help(path: tuple[str, ...]) -> None:
    command = _resolve(path)
    context = command.make_context(" ".join(("cartographie", *path)), [], resilient_parsing=True)
    text = command.get_help(context)
    assert command.help, f"« cartographie {' '.join(path)} » has no help text"
    for english in ("Show this message", "Usage:", "Options:", "Commands:"):
        assert english not in text
    assert "Utilisation : cartographie" in text


def _unrun_command_lines() -> list[str]:
    """The cartographie commands of the README's and docs' blocks that no test runs (marked
    ``<!-- non exécuté : … -->``; console blocks run in test_console_blocks.py)."""
    from consoleblocks import documents, read_blocks

    return [
        line
        for page in documents()
        for block in read_blocks(page)
        if not block.runs
        for line in block.commands()
    ]


def _help_examples() -> list[str]:
    """The « Exemple : cartographie … » line of every command's help."""
    examples = []
    for path in ALL_COMMANDS:
        command = _resolve(path)
        for line in (command.help or "").splitlines():
            found = re.match(r"\s*Exemple : (cartographie .+)", line)
            if found:
                examples.append(found[1].split(" && ")[0])
    return examples


COMMAND_LINES = _unrun_command_lines() + _help_examples()


def test_the_readme_shows_commands() -> None:
    from consoleblocks import ROOT as PAGES_ROOT
    from consoleblocks import read_blocks

    readme = read_blocks(PAGES_ROOT / "README.md")
    shown = [line for block in readme for line in block.commands()]
    assert any(line.startswith(".venv/bin/cartographie atlas") for line in shown) or any(
        line.startswith("python3 -m venv") and ".venv/bin/cartographie atlas" in line
        for block in readme
        for line in block.lines
    )
    assert len(shown) > 20


@pytest.mark.parametrize("line", COMMAND_LINES)
def test_command_lines_parse(line: str) -> None:
    """Each command no test runs — of an unrun block, of a help's example — names real commands
    and options (parsed, not run)."""
    command_line = line.split("|", maxsplit=1)[0].split(" # ", maxsplit=1)[0]
    words = shlex.split(command_line, comments=True)
    arguments = [word for word in words[1:] if word != ">"]
    if ">" in words[1:]:
        arguments = words[1 : words.index(">")]
    command = ROOT_COMMAND
    context = command.make_context("cartographie", [*arguments])
    while _is_group(command):
        # click 8.2 renamed protected_args to _protected_args
        protected = getattr(context, "_protected_args", None)
        if protected is None:
            protected = context.protected_args
        remaining = [*protected, *context.args]
        if not remaining:
            break
        name, *rest = remaining
        assert name in command.commands, f"unknown command {name!r} in {line!r}"
        command = command.commands[name]
        context = command.make_context(name, rest, parent=context)


# --- the glossary ------------------------------------------------------------------------------

SHARED_GLOSSARY = ROOT.parent / "shared" / "GLOSSARY.md"
GLOSSARY_COPY = ROOT / "docs" / "glossaire.md"
# Code names the glossary fixes ahead of the work that will bring them (costs, scenarios,
# chantiers, the portfolio at a date): not in the code yet.
NOT_YET_IN_THE_CODE = frozenset(
    {
        "Scenario", "commune_file", "disposition", "Programme", "wave", "end_of_support",
        "as_of", "roadmap",
    }
)


def _glossary_rows(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("| ")]


def test_the_glossary_copy_says_what_the_shared_glossary_says() -> None:
    if not SHARED_GLOSSARY.is_file():
        pytest.skip("../shared/GLOSSARY.md is not beside this checkout")
    shared = SHARED_GLOSSARY.read_text(encoding="utf-8")
    copy = GLOSSARY_COPY.read_text(encoding="utf-8")
    assert _glossary_rows(copy) == _glossary_rows(shared)


def test_the_code_speaks_the_glossary() -> None:
    """Each code name of the glossary (``Block`` with its ``level``, ``pos``,
    ``CommuneMutualisation.rate``…) is a name of the code, but for the words of work to come."""
    source = "\n".join(
        path.read_text(encoding="utf-8") for path in (ROOT / "cartographie").rglob("*.py")
    )
    missing = []
    for row in _glossary_rows(GLOSSARY_COPY.read_text(encoding="utf-8"))[2:]:
        for name in re.findall(r"`([^`]+)`", row.split("|")[2]):
            parts = name.split(".")
            found = all(re.search(rf"\b{re.escape(part)}\b", source) for part in parts)
            if not found and name not in NOT_YET_IN_THE_CODE:
                missing.append(name)
    assert not missing

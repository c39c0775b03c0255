"""The documentation's console blocks, run and compared with what they show.

A ```` ```console ```` block of the README or of ``docs/*.md`` is a session at a terminal, from
the root of a fresh clone: each ``$ command`` line is run, and what follows it, up to the next
``$`` line, is what it must print (its standard output, then its error output). Blocks of one
page run in order, in one scratch clone of the repository (the committed history, then the
working tree's files copied over it): a block may use what an earlier one wrote or changed
(``git apply``, an atlas). So output, counts and line numbers cannot go stale.

What the expected output may say besides the exact lines:

- a line ``…`` alone (or ``…`` followed by spaces and a parenthesised comment) stands for any
  number of lines, none included: long outputs are shown in part, visibly;
- ``…`` inside a line stands for any text (today's date, a path of the machine);
- a no-break space (French numbers: 1 190) is compared as a space, a byte order mark as
  nothing.

How a command runs: ``cartographie …`` runs in this process (fast: no start-up, the parse cache
of the test session), with a plain console (no colour, no terminal: tables as in a file); what
follows a ``|`` runs in ``bash`` with that output as input, and ``> FILE`` writes it to a file.
``echo $?`` prints the exit code of the command before; ``source .venv/bin/activate`` stands for
the environment the tests run in (it prints nothing). Any other line runs in ``bash``.

A block that truly cannot run in a test (the install commands, tested by ``test_install.py``)
is preceded by ``<!-- non exécuté : why -->``; any fenced block that shows a ``cartographie``
command is either a console block or carries that mark.

Refresh on purpose after a change of output, then read the diff::

    CARTOGRAPHIE_GOLDEN=1 python -m pytest tests/test_console_blocks.py
    git diff README.md docs/

The refresh keeps each block's elisions where it can anchor them (the lines kept before and
after a ``…`` line, the first line after it), and the commands as they are.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ELLIPSIS = "…"
SKIP_MARK = re.compile(r"<!--\s*non exécuté\s*:\s*(.+?)\s*-->")
FENCE = re.compile(r"^(\s*)```(\S*)\s*$")
ACTIVATE = {"source .venv/bin/activate", ". .venv/bin/activate"}
ELISION = re.compile(r"^\s*…(\s+\(.*\))?\s*$")

# What the runner changes in the environment of every command: a plain console, whatever the
# terminal of the person who runs the tests; tables as wide as in a file.
CONSOLE = {"NO_COLOR": "1", "TERM": "dumb", "COLUMNS": None, "LINES": None, "FORCE_COLOR": None}


def documents() -> list[Path]:
    """The pages whose console blocks run: the README, then docs/*.md."""
    return [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


# --- reading the blocks -------------------------------------------------------------------------


@dataclass
class Step:
    """One ``$`` command of a block and the lines it must print."""

    command: str
    line: int  # 1-based, in the page
    raw: list[str]  # the command's lines as written (a long one continues with « \\ »)
    expected: list[str] = field(default_factory=list)


@dataclass
class Block:
    """A fenced block of a page: its language, where it is, and its steps if it is a console."""

    path: Path
    language: str
    start: int  # 1-based line of the opening fence
    end: int  # 1-based line of the closing fence
    lines: list[str]
    skip: str | None = None
    indent: str = ""

    @property
    def name(self) -> str:
        return f"{self.path.relative_to(ROOT)}:{self.start}"

    @property
    def runs(self) -> bool:
        return self.language == "console" and self.skip is None

    def steps(self) -> list[Step]:
        steps: list[Step] = []
        continued = False
        for number, raw in enumerate(self.lines, self.start + 1):
            text = raw.removeprefix(self.indent)
            if continued:
                steps[-1].command += " " + text.strip().removesuffix("\\").strip()
                steps[-1].raw.append(text.rstrip())
                continued = text.rstrip().endswith("\\")
            elif text.startswith("$ ") or text == "$":
                command = text[2:].rstrip()
                continued = command.endswith("\\")
                steps.append(Step(command.removesuffix("\\").strip(), number, [text.rstrip()]))
            elif steps:
                steps[-1].expected.append(text.rstrip())
            elif text.strip():
                raise ValueError(f"{self.name}: output before any « $ » line: {text!r}")
        return steps

    def commands(self) -> list[str]:
        """The ``cartographie`` command lines the block shows (``$`` or not)."""
        found = []
        text = "\n".join(self.lines).replace("\\\n", " ")
        for raw in text.splitlines():
            line = raw.strip().removeprefix("$ ").strip()
            if re.match(r"^(\.venv/bin/)?cartographie(\s|$)", line):
                found.append(line)
        return found


def read_blocks(path: Path) -> list[Block]:
    """Every fenced block of a Markdown page, with the skip mark written just before it."""
    lines = path.read_text(encoding="utf-8").splitlines()
    blocks: list[Block] = []
    index = 0
    while index < len(lines):
        opening = FENCE.match(lines[index])
        if opening is None:
            index += 1
            continue
        indent, language = opening.group(1), opening.group(2)
        end = index + 1
        while end < len(lines) and lines[end].strip() != "```":
            end += 1
        skip = None
        before = index - 1
        while before >= 0 and not lines[before].strip():
            before -= 1
        if before >= 0:
            mark = SKIP_MARK.search(lines[before])
            skip = mark.group(1) if mark else None
        blocks.append(
            Block(path, language, index + 1, end + 1, lines[index + 1 : end], skip, indent)
        )
        index = end + 1
    return blocks


# --- comparing ----------------------------------------------------------------------------------


def _line_pattern(expected: str) -> re.Pattern[str]:
    parts = [re.escape(part) for part in expected.split(ELLIPSIS)]
    return re.compile(".*".join(parts), re.S)


# French numbers are written with a narrow no-break space (1 190) that nobody types in a doc;
# the CSV for Excel starts with a byte order mark nobody sees.
_SPACES = str.maketrans({"\u202f": " ", "\u00a0": " ", "\ufeff": None})


def line_matches(expected: str, actual: str) -> bool:
    expected, actual = expected.translate(_SPACES), actual.translate(_SPACES)
    if expected == actual:
        return True
    return ELLIPSIS in expected and _line_pattern(expected).fullmatch(actual) is not None


def _segments(expected: list[str]) -> list[list[str]]:
    """The expected lines cut at each elision: n elisions give n + 1 segments."""
    segments: list[list[str]] = [[]]
    for line in expected:
        if ELISION.match(line):
            segments.append([])
        else:
            segments[-1].append(line)
    return segments


def _segment_at(segment: list[str], actual: list[str], start: int) -> bool:
    return start + len(segment) <= len(actual) and all(
        line_matches(want, got) for want, got in zip(segment, actual[start:], strict=False)
    )


def _placements(expected: list[str], actual: list[str]) -> list[int] | None:
    """Where each segment of ``expected`` sits in ``actual`` (each as early as it can, the last
    at the end), or None when the output does not match."""
    segments = _segments(expected)
    if len(segments) == 1:
        return (
            [0] if len(actual) == len(segments[0]) and _segment_at(segments[0], actual, 0) else None
        )
    head, *middle, tail = segments
    if not _segment_at(head, actual, 0):
        return None
    placements = [0]
    position = len(head)
    for segment in middle:
        found = next(
            (
                start
                for start in range(position, len(actual) - len(segment) + 1)
                if _segment_at(segment, actual, start)
            ),
            None,
        )
        if found is None:
            return None
        placements.append(found)
        position = found + len(segment)
    tail_start = len(actual) - len(tail)
    if tail_start < position or not _segment_at(tail, actual, tail_start):
        return None
    placements.append(tail_start)
    return placements


def output_matches(expected: list[str], actual: list[str]) -> bool:
    return _placements(expected, actual) is not None


# A new block's output longer than this is written in part, for a person to choose what shows.
NEW_OUTPUT_LINES = 15
SIMILAR = 0.75  # a changed line still anchors its segment when it is this similar


def refreshed(expected: list[str], actual: list[str]) -> list[str]:
    """New expected lines from the actual output, keeping the elisions where they anchor.

    Each segment keeps its length: the first from the top of the output, the last from its end,
    a middle one from the line that matches its first line (or, failing that, the most similar
    line: a line number changed). A kept line that still matches stays as written (its ``…``).
    When a segment cannot be anchored, the whole output is written, for a person to elide
    again (lines that a ``…`` line of the old output still matches stay as written). A command
    shown with no output gets its first lines and an elision when its output is long.
    """
    if output_matches(expected, actual):
        return expected
    if not expected and len(actual) > NEW_OUTPUT_LINES:
        shown = actual[: NEW_OUTPUT_LINES - 3]
        return [*shown, f"…  ({len(actual) - len(shown)} lignes de plus)"]
    segments = _segments(expected)
    if len(segments) == 1:
        return _kept(expected, actual) + actual[len(expected) :]
    elisions = [line for line in expected if ELISION.match(line)]
    head, *middle, tail = segments
    result = _kept(head, actual)
    position = min(len(head), len(actual))
    for elision, segment in zip(elisions[:-1], middle, strict=True):
        start = _anchor(segment, actual, position)
        if start is None:
            return _rewritten(expected, actual)
        result.append(elision)
        taken = actual[start : start + len(segment)]
        result += _kept(segment, taken)
        position = start + len(taken)
    tail_start = max(position, len(actual) - len(tail))
    result.append(elisions[-1])
    result += _kept(tail, actual[tail_start:])
    return result if output_matches(result, actual) else _rewritten(expected, actual)


def _anchor(segment: list[str], actual: list[str], position: int) -> int | None:
    """Where a middle segment starts in the output, from ``position`` on."""
    if not segment:
        return position
    for index in range(position, len(actual)):
        if line_matches(segment[0], actual[index]):
            return index
    import difflib

    scored = [
        (difflib.SequenceMatcher(None, segment[0], actual[index]).ratio(), -index)
        for index in range(position, len(actual))
    ]
    best = max(scored, default=(0.0, 0))
    return -best[1] if best[0] >= SIMILAR else None


def _rewritten(expected: list[str], actual: list[str]) -> list[str]:
    """The whole output, each line written as an old ``…`` line that matches it, if one does."""
    patterns = [line for line in expected if ELLIPSIS in line and not ELISION.match(line)]
    return [next((p for p in patterns if line_matches(p, line)), line) for line in actual]


def _kept(expected: list[str], actual: list[str]) -> list[str]:
    """The actual lines, each written as expected where that still matches (its ``…``), or
    with its ``…`` put back where the text around it is still there."""
    return [
        want if line_matches(want, got) else _rewildcard(want, got)
        for want, got in zip(expected, actual, strict=False)
    ]


def _rewildcard(want: str, got: str) -> str:
    """``got`` with each ``…`` of ``want`` put back between the same neighbours (up to three
    characters each side): « libérés (…). » stays so when the sizes before it changed."""
    if ELLIPSIS not in want or ELISION.match(want):
        return got
    pieces = want.split(ELLIPSIS)
    result, position = "", 0
    for before, after in itertools.pairwise(pieces):
        left, right = before[-3:], after[:3]
        start = got.find(left, position) if left else position
        if start < 0:
            return got
        start += len(left)
        end = got.find(right, start) if right else len(got)
        if end < 0:
            return got
        result += got[position:start] + ELLIPSIS
        position = end
    result += got[position:]
    return result if line_matches(result, got) else got


# --- running ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Result:
    output: list[str]
    exit_code: int


def _bash(command: str, cwd: Path, env: dict[str, str], stdin: bytes | None = None) -> Result:
    completed = subprocess.run(
        ["bash", "-c", command],
        cwd=cwd,
        env=env,
        input=stdin,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        check=False,
    )
    return Result(_lines(completed.stdout.decode("utf-8", "replace")), completed.returncode)


def _lines(text: str) -> list[str]:
    return [line.rstrip() for line in text.splitlines()]


def _split_pipe(command: str) -> tuple[str, str | None]:
    """The command before its first pipe, and the rest (None without a pipe); quotes and a
    ``# comment`` are respected."""
    quote = None
    for index, char in enumerate(command):
        if quote:
            quote = None if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char == "#" and (index == 0 or command[index - 1].isspace()):
            break
        elif char == "|":
            return command[:index], command[index + 1 :].strip()
    return command, None


def _split_cartographie(command: str) -> tuple[list[str], str | None, str | None]:
    """``cartographie ARGS [> FILE] [| REST]``: the arguments, the file, the rest of the line."""
    head, rest = _split_pipe(command)
    words = shlex.split(head, comments=True)
    target = None
    if ">" in words:
        index = words.index(">")
        target = words[index + 1]
        del words[index : index + 2]
    if any(word in {"&&", "||", ";", "&", "<", ">>"} or word.startswith("2>") for word in words):
        raise ValueError(f"only « | » and « > » may follow a cartographie command: {command!r}")
    return words[1:], target, rest


class Session:
    """The terminal of one page: a scratch clone of the repository, and the last exit code."""

    def __init__(self, root: Path, cache: Path) -> None:
        self.root = root
        self.last_exit = 0
        self.env = {
            **os.environ,
            "CARTOGRAPHIE_CACHE": str(cache),
            "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
            "GIT_CONFIG_NOSYSTEM": "1",
        }
        for name, value in CONSOLE.items():
            if value is None:
                self.env.pop(name, None)
            else:
                self.env[name] = value

    def run(self, command: str) -> Result:
        if command.strip() == "echo $?":
            result = Result([str(self.last_exit)], 0)
        elif command.strip() in ACTIVATE:
            result = Result([], 0)  # the tests run in the environment it would activate
        elif re.match(r"^cartographie(\s|$)", command):
            result = self._cartographie(command)
        else:
            result = _bash(command, self.root, self.env)
        self.last_exit = result.exit_code
        return result

    def _cartographie(self, command: str) -> Result:
        from typer.testing import CliRunner

        from cartographie.cli.main import app

        arguments, target, rest = _split_cartographie(command)
        environment = {name: value for name, value in CONSOLE.items()}
        environment["CARTOGRAPHIE_CACHE"] = self.env["CARTOGRAPHIE_CACHE"]
        with contextlib.chdir(self.root):
            run = CliRunner().invoke(
                app, arguments, prog_name="cartographie", env=environment, catch_exceptions=True
            )
        if run.exception is not None and not isinstance(run.exception, SystemExit):
            raise run.exception
        stdout = run.stdout_bytes
        stderr = _lines(run.stderr)
        if target is not None:
            (self.root / target).write_bytes(stdout)
            stdout = b""
        if rest is not None:
            piped = _bash(rest, self.root, self.env, stdin=stdout)
            return Result(piped.output + stderr, piped.exit_code)
        if target is not None:
            return Result(stderr, run.exit_code)
        return Result(_lines(run.output), run.exit_code)


def scratch_clone(target: Path) -> Path | str:
    """A clone of this repository at its HEAD with the working tree's files copied over: what
    a fresh clone of the committed work plus the change being made would hold. The reason
    when there is no repository to clone."""
    if shutil.which("git") is None:
        return "git is not installed"
    head = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    if head.returncode != 0:
        return "not a git checkout: the console blocks need the inventory's history"
    for command in (
        ["git", "clone", "-q", "--shared", "--no-checkout", str(ROOT), str(target)],
        ["git", "-C", str(target), "checkout", "-q", "--detach", head.stdout.strip()],
    ):
        subprocess.run(command, capture_output=True, check=True)
    changed = subprocess.run(
        ["git", "ls-files", "-z", "--modified", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.decode()
    for name in sorted(set(filter(None, changed.split("\0")))):
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
        elif (target / name).exists():
            (target / name).unlink()
    return target


def replace_blocks(path: Path, new_lines: dict[int, list[str]]) -> None:
    """Write new contents for the blocks of ``path`` that start at the given lines."""
    lines = path.read_text(encoding="utf-8").splitlines()
    blocks = {block.start: block for block in read_blocks(path)}
    for start in sorted(new_lines, reverse=True):
        block = blocks[start]
        lines[block.start : block.end - 1] = [
            block.indent + line if line else line for line in new_lines[start]
        ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def block_text(steps: list[Step]) -> list[str]:
    text = []
    for step in steps:
        text += step.raw
        text += step.expected
    return text

"""The problems of an import, grouped: one line per column, problem and distinct value, with how
many rows have it and the first of them.

A real export repeats itself: the same unknown word in 720 rows is one thing to fix (a
translation to add), not 720 lines to read. Every problem of every row is collected in one run;
each group is located at its first row, so that the lines still sort by position and a person
finds the first occurrence where the message says. Beyond :data:`MAX_VALUES` distinct values
for one column and one problem, the rest is summed up in one line.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from cartographie.document import numbers
from cartographie.errors import Location, Problem

# Distinct values listed for one column and one problem before the rest is summed up.
MAX_VALUES = 20
# Row numbers quoted in a grouped line.
FIRST_ROWS = 5


@dataclass
class _Group:
    code: str
    where: str
    message: str
    hint: str
    rows: list[int] = field(default_factory=list)


def row_list(rows: list[int], word: str) -> str:
    """« 720 lignes : 3, 5, 9, 12, 15… »"""
    shown = ", ".join(numbers.integer(row) for row in rows[:FIRST_ROWS])
    more = "…" if len(rows) > FIRST_ROWS else ""
    return f"{numbers.count(len(rows), word)} : {shown}{more}"


class GroupedProblems:
    """Collects row problems by (column, code, message): the message names the value."""

    def __init__(self, source: str, row_word: str) -> None:
        self.source = source
        self.row_word = row_word
        self.groups: dict[tuple[str, str, str, str], _Group] = {}
        self.located: list[Problem] = []

    def add(self, row: int, code: str, where: str, message: str, hint: str = "") -> None:
        key = (where, code, message, hint)
        group = self.groups.get(key)
        if group is None:
            group = self.groups[key] = _Group(code, where, message, hint)
        group.rows.append(row)

    def add_problem(self, problem: Problem) -> None:
        """A problem located elsewhere (the mapping file), kept as it is."""
        self.located.append(problem)

    def __bool__(self) -> bool:
        return bool(self.groups or self.located)

    def problems(self) -> list[Problem]:
        found = list(self.located)
        by_column: dict[tuple[str, str], list[_Group]] = {}
        for group in self.groups.values():
            by_column.setdefault((group.where, group.code), []).append(group)
        for (where, code), groups in by_column.items():
            groups.sort(key=lambda group: group.rows[0])
            for group in groups[:MAX_VALUES]:
                found.append(self._line(group))
            rest = groups[MAX_VALUES:]
            if rest:
                rows = sorted(row for group in rest for row in group.rows)
                found.append(
                    Problem(
                        code,
                        Location(self.source, rows[0]),
                        f"{where} : {numbers.count(len(rest), 'autre valeur')} refusée(s) pour "
                        f"la même raison que ci-dessus — {row_list(rows, self.row_word)}",
                        rest[0].hint,
                    )
                )
        return found

    def _line(self, group: _Group) -> Problem:
        message = f"{group.where} : {group.message}" if group.where else group.message
        if len(group.rows) > 1:
            message += f" — {row_list(group.rows, self.row_word)}"
        return Problem(group.code, Location(self.source, group.rows[0]), message, group.hint)

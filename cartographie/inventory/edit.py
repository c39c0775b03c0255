"""Writing a scenario's operations into the inventory's YAML text, as a person would.

``simuler --appliquer`` must leave an ordinary change for ``diff`` and the diagnostic, and a
reviewer must recognise the files: so the operations are **minimal textual edits**, never a
re-dump — a line inserted at the end of a record, a value replaced on its line (its comment
kept), an item appended to a list in the list's own style (``[a, b]`` or ``- a`` lines, a
mapping item as ``{…}`` or as block lines like its siblings). Comments, blank lines, key order,
quoting and line ends (LF or CRLF) of everything else stay byte for byte.

The same edits make the simulation's *after* state (the edited text is validated like any
inventory), so that simulating, applying, then running a report give the same figures.

Each operation finds its record in a reading of the text it edits (``yamlread``: every key's and
item's line), so that several operations on one file compose; a reading serves again while the
edits made since are all below the record (an edit moves only the lines after it), so that a
commune joining a domain adds itself to the users of its applications, bottom to top, on one
reading of the métropole's file. A form this module cannot edit safely — a record written
as a one-line ``{…}`` mapping, a list spanning lines in flow style, a multi-line value to replace
— is refused with C102 at its ``file:line``: the user edits it by hand.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from cartographie.errors import Location, Problem
from cartographie.inventory.yamlread import YamlMapping, YamlSequence, read_yaml_bytes
from cartographie.model.asof import domains_of_applications
from cartographie.model.dates import year_start
from cartographie.model.inventory import Inventory
from cartographie.model.scenario import Operation, Scenario

_PLAIN = re.compile(r"^[a-z0-9][a-z0-9-]*$")


class EditRefused(Exception):  # noqa: N818 - carried to a Problem, never shown as is
    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message)
        self.problem = problem


@dataclass
class _Text:
    """One file's text as lines (without their ends), with its line end kept."""

    path: str
    lines: list[str]
    newline: str
    final_newline: bool
    bom: bool = False
    # The last reading of the text, and the first line an edit has changed or moved since.
    _reading: YamlMapping | None = field(default=None, repr=False)
    _edited_from: int = field(default=0, repr=False)

    @classmethod
    def of(cls, path: str, raw: bytes) -> _Text:
        bom = raw.startswith(b"\xef\xbb\xbf")
        text = raw.decode("utf-8-sig")
        newline = "\r\n" if "\r\n" in text else "\n"
        final = text.endswith(("\n", "\r"))
        lines = text.split(newline)
        if final:
            lines.pop()
        return cls(path, lines, newline, final, bom)

    def raw(self) -> bytes:
        text = self.newline.join(self.lines) + (self.newline if self.final_newline else "")
        return (b"\xef\xbb\xbf" if self.bom else b"") + text.encode("utf-8")

    def parse(self) -> YamlMapping:
        document = read_yaml_bytes(self.raw(), self.path)
        if not isinstance(document.data, YamlMapping):
            raise self.refuse(1, "le fichier ne se relit pas comme un inventaire")
        self._reading = document.data
        self._edited_from = len(self.lines) + 1
        return document.data

    def find(self, section: str, record_id: str) -> YamlMapping | None:
        """The record's mapping, from the last reading when no edit since has reached its
        lines (they stand where they were read), else from a new reading."""
        if self._reading is not None:
            node = _find(self._reading, section, record_id)
            if (
                node is not None
                and node.line < self._edited_from
                and _Record(self, node).end() < self._edited_from
            ):
                return node
        return _find(self.parse(), section, record_id)

    def replace(self, number: int, line: str) -> None:
        self.lines[number - 1] = line
        self._edited_from = min(self._edited_from, number)

    def refuse(self, line: int, why: str) -> EditRefused:
        return EditRefused(
            Problem(
                "C102",
                Location(self.path, line),
                f"modification impossible à écrire automatiquement : {why}",
                "faites la modification à la main à cet endroit, ou écrivez l'objet en style bloc "
                "(une clé par ligne)",
            )
        )

    def line(self, number: int) -> str:
        return self.lines[number - 1]

    def insert(self, after: int, new_lines: list[str]) -> None:
        self.lines[after:after] = new_lines
        self._edited_from = min(self._edited_from, after + 1)


def _indent(text: str) -> int:
    return len(text) - len(text.lstrip(" "))


def _scalar(value: str | int) -> str:
    """A value this module writes: an id, a year or a lifecycle word — always plain YAML."""
    text = str(value)
    if not (isinstance(value, int) or _PLAIN.match(text)):
        raise ValueError(f"not a plain scalar: {text!r}")  # pragma: no cover - ids are slugs
    return text


@dataclass
class _Record:
    """A block mapping of the text: where it starts, its keys' column, where it ends."""

    text: _Text
    node: YamlMapping
    column: int = field(init=False)

    def __post_init__(self) -> None:
        first = next(iter(self.node.key_lines), None)
        line = self.text.line(self.node.line)
        column = line.find(f"{first}:") if first is not None else -1
        if first is None or column < 0 or "{" in line[:column]:
            raise self.text.refuse(self.node.line, "l'objet est écrit sur une ligne ({…})")
        self.column = column

    def end(self) -> int:
        """The record's last line of content (blank and comment lines after it excluded)."""
        last = self.node.line
        for number in range(self.node.line + 1, len(self.text.lines) + 1):
            stripped = self.text.line(number).strip()
            if not stripped or stripped.startswith("#"):
                continue
            if _indent(self.text.line(number)) < self.column:
                break
            last = number
        return last

    def set_scalar(self, key: str, value: str | int) -> None:
        """Replace ``key``'s value on its line (comment kept), or add ``key: value``."""
        if key not in self.node:
            self.text.insert(self.end(), [" " * self.column + f"{key}: {_scalar(value)}"])
            return
        if isinstance(self.node[key], YamlMapping | YamlSequence):
            raise self.text.refuse(
                self.node.key_lines[key], f"« {key} » n'est pas une valeur simple"
            )
        number = self.node.key_lines[key]
        line = self.text.line(number)
        found = re.match(rf"^(\s*(?:-\s+)?{re.escape(key)}\s*:\s*)(.*?)(\s+#.*)?$", line)
        if found is None:
            raise self.text.refuse(number, f"la ligne de « {key} » ne se lit pas")
        self.text.replace(number, found.group(1) + _scalar(value) + (found.group(3) or ""))

    def append_items(self, key: str, items: list[str]) -> None:
        """Add scalar items to the list under ``key`` (created as ``key: [a, b]``)."""
        if not items:
            return
        if key not in self.node:
            written = ", ".join(_scalar(item) for item in items)
            self.text.insert(self.end(), [" " * self.column + f"{key}: [{written}]"])
            return
        value = self._list(key)
        if value is None:
            self._append_flow(key, [_scalar(item) for item in items])
            return
        last = value.item_lines[-1]
        if isinstance(value[-1], YamlMapping):
            last = _Record(self.text, value[-1]).end()
        dash = _indent(self.text.line(value.item_lines[-1]))
        self.text.insert(last, [" " * dash + f"- {_scalar(item)}" for item in items])

    def _list(self, key: str) -> YamlSequence | None:
        """The block list under ``key``; None when it is written in flow style (``[a, b]``)."""
        value = self.node[key]
        number = self.node.key_lines[key]
        if not isinstance(value, YamlSequence):
            raise self.text.refuse(number, f"« {key} » n'est pas une liste")
        line = self.text.line(number)
        after_key = line[line.find(f"{key}:") + len(key) + 1 :]
        return None if "[" in after_key.split("#", 1)[0] else value

    def _append_flow(self, key: str, written: list[str]) -> None:
        number = self.node.key_lines[key]
        line = self.text.line(number)
        code, hash_, comment = line.partition(" #")
        close = code.rfind("]")
        if close < 0:
            raise self.text.refuse(number, f"la liste « {key} » tient sur plusieurs lignes")
        inside = code[code.find("[") + 1 : close].strip()
        joined = ", ".join(written)
        new_code = code[:close] + (", " if inside else "") + joined + code[close:]
        self.text.replace(number, new_code + hash_ + comment)

    def append_mapping(self, key: str, pairs: list[tuple[str, str | int]]) -> None:
        """Add a mapping item (``- domaine: x`` / ``depuis: y``) to the list under ``key``, in
        the style of its siblings."""
        flow_item = "{" + ", ".join(f"{k}: {_scalar(v)}" for k, v in pairs) + "}"
        if key not in self.node:
            first, *rest = pairs
            indent = " " * (self.column + 2)
            new = [" " * self.column + f"{key}:", f"{indent}- {first[0]}: {_scalar(first[1])}"]
            new += [f"{indent}  {k}: {_scalar(v)}" for k, v in rest]
            self.text.insert(self.end(), new)
            return
        value = self._list(key)
        if value is None:
            self._append_flow(key, [flow_item])
            return
        last_line = self.text.line(value.item_lines[-1])
        dash = _indent(last_line)
        if last_line.strip().startswith("- {"):
            self.text.insert(value.item_lines[-1], [" " * dash + f"- {flow_item}"])
            return
        last = (
            _Record(self.text, value[-1]).end()
            if isinstance(value[-1], YamlMapping)
            else (value.item_lines[-1])
        )
        first, *rest = pairs
        new = [" " * dash + f"- {first[0]}: {_scalar(first[1])}"]
        new += [" " * (dash + 2) + f"{k}: {_scalar(v)}" for k, v in rest]
        self.text.insert(last, new)


def _flow_mapping_add(text: _Text, item_line: int, key: str, value: str | int) -> bool:
    """Add ``key: value`` to a one-line ``- {…}`` item; False when the item is a block."""
    line = text.line(item_line)
    if not line.strip().startswith("- {"):
        return False
    code, hash_, comment = line.partition(" #")
    close = code.rfind("}")
    if close < 0:
        raise text.refuse(item_line, "l'objet {…} tient sur plusieurs lignes")
    text.replace(
        item_line, code[:close] + f", {key}: {_scalar(value)}" + code[close:] + hash_ + comment
    )
    return True


def shared_domain_applications(
    inventory: Inventory, domain_id: str, domains_of: Mapping[str, list[str]] | None = None
) -> list[str]:
    """The domain's applications a joining commune moves onto: the métropole's applications in
    its blocs, in service, that communes use (not the métropole's own tools). ``domains_of``:
    ``domains_of_applications`` of this inventory or of one with the same applications in the
    same blocs and owners, of which this one keeps some (the same at another date)."""
    if domains_of is None:
        domains_of = domains_of_applications(inventory)
    return [
        app_id
        for app_id, domains in domains_of.items()
        if domain_id in domains
        and app_id in inventory.applications
        and inventory.applications[app_id].lifecycle not in ("retiree", "a-retirer")
        and inventory.applications[app_id].retired_in is None
        and any(user in inventory.communes for user in inventory.users[app_id])
    ]


def _find(data: YamlMapping, section: str, record_id: str) -> YamlMapping | None:
    items = data.get(section)
    if not isinstance(items, YamlSequence):
        return None
    return next(
        (item for item in items if isinstance(item, YamlMapping) and item.get("id") == record_id),
        None,
    )


class ScenarioEditor:
    """Applies a scenario's operations to the inventory's files, in memory."""

    def __init__(self, inventory: Inventory, contents: Mapping[str, bytes], today: dt.date) -> None:
        self.inventory = inventory
        self.contents = contents
        self.today = today
        self.texts: dict[str, _Text] = {}
        self.problems: list[Problem] = []
        # Users as the operations change them (a replacement takes over the communes).
        self.users: dict[str, list[str]] = {k: list(v) for k, v in inventory.users.items()}

    def _text(self, path: str) -> _Text:
        if path not in self.texts:
            self.texts[path] = _Text.of(path, self.contents[path])
        return self.texts[path]

    def _record(self, section: str, record_id: str, path: str) -> _Record:
        text = self._text(path)
        node = text.find(section, record_id)
        if node is None:
            raise text.refuse(1, f"« {record_id} » introuvable dans la section « {section} »")
        return _Record(text, node)

    def apply(self, scenario: Scenario) -> dict[str, bytes]:
        """The new bytes of every file the operations change; C102 problems raise."""
        for index, operation in enumerate(scenario.operations):
            try:
                self._apply(operation)
            except EditRefused as refused:
                problem = refused.problem
                self.problems.append(
                    Problem(
                        problem.code,
                        problem.location,
                        f"{problem.message} (opération n° {index + 1} de {scenario.path}:"
                        f"{scenario.lines[index]})",
                        problem.hint,
                    )
                )
        changed = {path: text.raw() for path, text in self.texts.items()}
        return {path: raw for path, raw in sorted(changed.items()) if raw != self.contents[path]}

    def _apply(self, operation: Operation) -> None:
        inventory = self.inventory
        if operation.join is not None:
            commune = inventory.communes[operation.join.commune]
            record = self._record("communes", commune.id, commune.origin.path)
            record.append_mapping(
                "mutualisations",
                [("domaine", operation.join.domain), ("depuis", operation.join.year)],
            )
            # Joining is moving onto the domain's shared applications (DESIGN.md §3): the
            # commune becomes one of their users, from its adhesion (as_of reads it so).
            # Bottom to top in each file: an edit leaves the records above it where they were
            # read, so one reading of the file serves them all.
            for application_id in sorted(
                shared_domain_applications(inventory, operation.join.domain),
                key=lambda app: (
                    inventory.applications[app].origin.path,
                    -inventory.applications[app].origin.line,
                ),
            ):
                self._add_users(application_id, [commune.id])
        elif operation.leave is not None:
            self._leave(operation)
        elif operation.retire is not None:
            self._retire(operation)
        elif operation.share is not None:
            application = inventory.applications[operation.share.application]
            self._add_users(application.id, list(operation.share.communes))

    def _leave(self, operation: Operation) -> None:
        assert operation.leave is not None
        commune = self.inventory.communes[operation.leave.commune]
        record = self._record("communes", commune.id, commune.origin.path)
        items = record.node.get("mutualisations")
        assert isinstance(items, YamlSequence)
        position = max(
            index
            for index, item in enumerate(items)
            if isinstance(item, YamlMapping)
            and item.get("domaine") == operation.leave.domain
            and "jusqu_a" not in item
        )
        item_line = items.item_lines[position]
        if _flow_mapping_add(record.text, item_line, "jusqu_a", operation.leave.year):
            return
        _Record(record.text, items[position]).set_scalar("jusqu_a", operation.leave.year)

    def _retire(self, operation: Operation) -> None:
        retirement = operation.retire
        assert retirement is not None
        application = self.inventory.applications[retirement.application]
        record = self._record("applications", application.id, application.origin.path)
        past = year_start(retirement.year) <= self.today
        record.set_scalar("retrait", retirement.year)
        record.set_scalar("cycle_de_vie", "retiree" if past else "a-retirer")
        if retirement.replaced_by is None:
            return
        # The same reading serves: set_scalar adds a key at the record's end, below every key
        # line it knows, or rewrites a line in place.
        record.set_scalar("remplacee_par", retirement.replaced_by)
        communes = [
            user for user in self.users.get(application.id, []) if user in self.inventory.communes
        ]
        self._add_users(retirement.replaced_by, communes)

    def _add_users(self, application_id: str, communes: list[str]) -> None:
        current = self.users.setdefault(application_id, [])
        new = [commune for commune in sorted(set(communes)) if commune not in current]
        if not new:
            return
        application = self.inventory.applications[application_id]
        record = self._record("applications", application_id, application.origin.path)
        if "utilisateurs" not in record.node:
            # The default user is the owner: written out, so that it stays one.
            owner = self.inventory.owners[application_id]
            new = [owner, *new] if owner not in new else new
        record.append_items("utilisateurs", new)
        current.extend(new)


def scenario_edits(
    scenario: Scenario, inventory: Inventory, contents: Mapping[str, bytes], today: dt.date
) -> tuple[dict[str, bytes], list[Problem]]:
    """The edited files (relative path -> new bytes) and the operations that could not be
    written (C102)."""
    editor = ScenarioEditor(inventory, contents, today)
    changed = editor.apply(scenario)
    return changed, editor.problems

"""Reading Backstage catalog files: every entity of every document, with its file and line, and
the entity references it makes, resolved the way Backstage resolves them.

A catalog is a ``catalog-info.yaml`` file or a folder of them (every ``*.yaml`` / ``*.yml``
below it, read through :func:`cartographie.files.walk_files`: regular files inside the folder
only). A file may hold several documents (``---``). An entity is an envelope (``apiVersion``,
``kind``, ``metadata.name``, ``spec``); a reference is ``[kind:][namespace/]name``, compared
without case, the kind defaulting to what the field expects (``owner`` → Group, ``system`` →
System, ``providesApis`` → API) and the namespace to ``default``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cartographie.errors import InventoryError, Location, Problem
from cartographie.files import FileRefused, walk_files
from cartographie.interop.common import InteropError, read_input
from cartographie.inventory.yamlread import YamlMapping, YamlSequence, read_yaml_bytes
from cartographie.model.records import FREE_TEXT_KEYS

DEFAULT_NAMESPACE = "default"
# Multi-line values an entity may hold besides descriptions: an API's inline definition.
_FREE_TEXT = FREE_TEXT_KEYS | {"definition"}


@dataclass(frozen=True)
class Ref:
    """An entity reference, normalised: ``component:default/demarches-web``."""

    kind: str
    namespace: str
    name: str

    def __str__(self) -> str:
        return f"{self.kind}:{self.namespace}/{self.name}"


@dataclass
class Entity:
    """One entity as read, with where it stands."""

    ref: Ref
    kind: str  # as written (Component, API…)
    data: YamlMapping
    file: str
    line: int

    @property
    def metadata(self) -> dict[str, Any]:
        found = self.data.get("metadata")
        return found if isinstance(found, dict) else {}

    @property
    def spec(self) -> dict[str, Any]:
        found = self.data.get("spec")
        return found if isinstance(found, dict) else {}

    @property
    def title(self) -> str:
        title = self.metadata.get("title")
        return str(title) if isinstance(title, str) and title.strip() else self.ref.name

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}"

    def field_line(self, *keys: str) -> int:
        """The line of ``spec.<key>`` (or of the entity when absent)."""
        node: Any = self.data
        line = self.line
        for key in keys:
            if isinstance(node, YamlMapping) and key in node:
                line = node.key_lines.get(key, line)
                node = node[key]
            else:
                break
        return line


def parse_ref(text: Any, default_kind: str, namespace: str = DEFAULT_NAMESPACE) -> Ref | None:
    """``[kind:][namespace/]name`` → :class:`Ref` (lowercase), ``None`` when malformed."""
    if not isinstance(text, str) or not text.strip():
        return None
    rest = text.strip()
    kind, _, after = rest.partition(":")
    if not after:
        kind, after = default_kind, rest
    space, _, name = after.partition("/")
    if not name:
        space, name = namespace, after
    if not kind or not space or not name:
        return None
    return Ref(kind.lower(), space.lower(), name.lower())


def read_catalog(path: Path) -> list[Entity]:
    """Every entity of the file or folder ``path``; :class:`InventoryError` with every problem
    of shape (a document that is no entity, an entity declared twice), located."""
    problems: list[Problem] = []
    sources: list[tuple[str, bytes]] = []
    if path.is_dir():
        listing = walk_files(path, lambda name: name.endswith((".yaml", ".yml")))
        for relative, refused in listing.refused.items():
            problems.append(_refusal(relative, refused))
        for relative, file in listing.files.items():
            try:
                sources.append((relative, read_input(file)))
            except InteropError as error:
                problems.append(Problem("E109", Location(relative), error.message, error.hint))
        if not listing.files and not problems:
            raise InteropError(
                f"{path} : aucun fichier .yaml dans ce dossier",
                "donnez un catalog-info.yaml, ou le dossier qui contient les catalogues",
            )
    else:
        sources.append((path.name, read_input(path)))
    entities: list[Entity] = []
    seen: dict[Ref, Entity] = {}
    for relative, raw in sources:
        document = read_yaml_bytes(raw, relative, _FREE_TEXT, stream=True)
        problems += [problem for problem in document.problems if problem.severity == "erreur"]
        if not isinstance(document.data, YamlSequence):
            continue
        for data, line in zip(document.data, document.data.item_lines, strict=True):
            entity = _entity(relative, data, line, problems)
            if entity is None:
                continue
            first = seen.get(entity.ref)
            if first is not None:
                problems.append(
                    Problem(
                        "E301",
                        Location(relative, line),
                        f"entité « {entity.ref} » déclarée deux fois (déjà en {first.where})",
                        "une entité Backstage est unique par sorte, espace de noms et nom",
                    )
                )
                continue
            seen[entity.ref] = entity
            entities.append(entity)
    if problems:
        raise InventoryError(problems)
    return entities


def _refusal(relative: str, refused: FileRefused) -> Problem:
    return Problem(refused.code, Location(relative), refused.message, refused.hint)


def _entity(file: str, data: Any, line: int, problems: list[Problem]) -> Entity | None:
    def problem(code: str, message: str, hint: str) -> None:
        problems.append(Problem(code, Location(file, line), message, hint))

    if not isinstance(data, YamlMapping):
        problem(
            "E204",
            "un document du catalogue n'est pas une entité (clé: valeur)",
            "chaque document commence par apiVersion, kind et metadata",
        )
        return None
    kind = data.get("kind")
    metadata = data.get("metadata")
    name = metadata.get("name") if isinstance(metadata, dict) else None
    if not isinstance(kind, str) or not kind.strip():
        problem("E202", "entité sans « kind »", "Component, System, Domain, API, Resource, Group…")
        return None
    if not isinstance(name, str) or not name.strip():
        problem(
            "E202",
            f"entité {kind} sans « metadata.name »",
            "chaque entité a un nom : metadata.name",
        )
        return None
    raw_space = metadata.get("namespace") if isinstance(metadata, dict) else None
    space = raw_space.lower() if isinstance(raw_space, str) and raw_space else DEFAULT_NAMESPACE
    return Entity(Ref(kind.lower(), space, name.lower()), kind, data, file, line)

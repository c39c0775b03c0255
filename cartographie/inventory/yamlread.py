"""Safe, line-aware reading of one YAML file.

PyYAML's loaders lose line numbers, silently keep the last of two duplicate keys and, outside
``safe_load``, run tags such as ``!!python/object``. This module lets libyaml (``CSafeLoader``'s C
parser) compose the node tree, then builds plain Python values itself in one pass:

- mappings become :class:`YamlMapping` (a ``dict`` that knows the line of each key) and sequences
  :class:`YamlSequence` (a ``list`` that knows the line of each item), so that any problem found
  later can be reported at ``file:line``;
- a duplicate key, a tag outside YAML's core schema, a merge key and an alias expansion that would
  blow up (the "billion laughs") are collected as problems instead of being obeyed;
- nothing is ever executed: no constructor but the core scalars is reachable.

Only this package reads inventory files; nothing here writes.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from cartographie.errors import Location, Problem

try:  # libyaml is in PyYAML's wheels; the pure-Python parser is a slow but correct fallback.
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]

# The safe loader's implicit resolvers, by first character, flattened once (it has no wildcard
# and no path resolvers).
_IMPLICIT_RESOLVERS: dict[str, list[tuple[str, Any]]] = {
    first: list(resolvers) for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
}


class _Loader(_BaseLoader):
    """libyaml's composer with a leaner tag resolver.

    The composer asks Python for the tag of every scalar; PyYAML's generic resolver (path
    resolvers, list concatenation per call) is a quarter of a load. Same answers: the safe
    loader's implicit resolvers, tried in the same order.
    """

    def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
        if kind is ScalarNode:
            if implicit[0]:
                for tag, pattern in _IMPLICIT_RESOLVERS.get(value[:1], ()):
                    if pattern.match(value):
                        return str(tag)
            return _STR
        return _SEQ if kind is SequenceNode else _MAP

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        return None

    def ascend_resolver(self) -> None:
        return None


MAX_FILE_BYTES = 64 * 1024 * 1024
# An alias re-uses a whole subtree: a file may expand to at most this many values, or this many
# times its own size, whichever is larger. Real inventories use few aliases; a bomb needs millions.
MAX_EXPANDED_NODES = 200_000
MAX_EXPANSION_RATIO = 10
# An inventory nests a handful of levels (file > section > record > steps > step > blocs); values
# are built recursively, so a deeper file is refused before it can exhaust Python's stack.
MAX_DEPTH = 100
_TOO_DEEP_HINT = (
    "un inventaire n'imbrique que quelques listes et objets : vérifiez les « [ » et « { »"
)

_STR = "tag:yaml.org,2002:str"
_NULL = "tag:yaml.org,2002:null"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_SAFE_SCALAR_TAGS = {
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:timestamp",
    _STR,
}
_MERGE = "tag:yaml.org,2002:merge"

# One SafeConstructor for the rare non-string scalars: it knows YAML 1.1's ints (0x, 0o, 1_000),
# floats, booleans and timestamps; strings take a fast path.
_scalars = yaml.constructor.SafeConstructor()
_SCALAR_BUILDERS = {
    "tag:yaml.org,2002:null": _scalars.construct_yaml_null,
    "tag:yaml.org,2002:bool": _scalars.construct_yaml_bool,
    "tag:yaml.org,2002:int": _scalars.construct_yaml_int,
    "tag:yaml.org,2002:float": _scalars.construct_yaml_float,
    "tag:yaml.org,2002:timestamp": _scalars.construct_yaml_timestamp,
}


class YamlMapping(dict[str, Any]):
    """A mapping read from YAML: ``line`` is where it starts, ``key_lines`` where each key is."""

    __slots__ = ("key_lines", "line")

    def __init__(self, line: int) -> None:
        super().__init__()
        self.line = line
        self.key_lines: dict[Any, int] = {}


class YamlSequence(list[Any]):
    """A sequence read from YAML: ``line`` is where it starts, ``item_lines`` where each item is."""

    __slots__ = ("item_lines", "line")

    def __init__(self, line: int) -> None:
        super().__init__()
        self.line = line
        self.item_lines: list[int] = []


@dataclass
class YamlDocument:
    """What reading one file gives: its data (``None`` when unusable) and what went wrong."""

    path: str
    data: Any
    problems: list[Problem] = field(default_factory=list)


def read_yaml_bytes(raw: bytes, path: str) -> YamlDocument:
    """Decode and parse the bytes of one file; ``path`` is what problems will name."""
    if len(raw) > MAX_FILE_BYTES:
        return _failed(
            path,
            0,
            "E107",
            f"fichier de {len(raw) / 1e6:.1f} Mo, au-delà de la limite de "
            f"{MAX_FILE_BYTES // (1024 * 1024)} Mo",
            "découpez-le en plusieurs fichiers du même dossier",
        )
    try:
        text = raw.decode("utf-8-sig")  # a BOM, as Windows editors write it, is harmless
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        column = error.start - raw.rfind(b"\n", 0, error.start)
        return _failed(
            path,
            line,
            "E101",
            f"octet {raw[error.start : error.start + 1].hex(' ').upper()!s} invalide en UTF-8 "
            f"(colonne {column})",
            "réenregistrez le fichier en UTF-8 (souvent il est en Latin-1 / Windows-1252)",
        )
    return read_yaml_text(text, path)


def read_yaml_text(text: str, path: str) -> YamlDocument:
    """Parse YAML text into line-aware values, collecting every problem found on the way."""
    if "\t" in text:
        tab_problem = _tab_indentation(text, path)
        if tab_problem is not None:
            return YamlDocument(path, None, [tab_problem])
    try:
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark is not None else 0
        # At the end of the stream libyaml counts one line past the last: name the last one.
        line = min(line, len(text.splitlines()) or 1)
        message = error.problem or str(error)
        if error.context:
            message = f"{error.context}, {message}"
        opened = error.context_mark.line + 1 if error.context_mark is not None else line
        return _failed(
            path, line, "E102", f"YAML invalide : {message}", _yaml_hint(message, opened)
        )
    except yaml.YAMLError as error:  # e.g. "expected a single document"
        return _failed(path, 0, "E102", f"YAML invalide : {error}", "")
    except RecursionError:  # pragma: no cover - only the pure-Python parser recurses
        return _too_deep(path, 0)
    if node is None or (isinstance(node, ScalarNode) and node.tag == _NULL):  # "---", "~"
        return _failed(
            path,
            1,
            "E106",
            "fichier vide (ou seulement des commentaires)",
            "supprimez-le ou donnez-lui son contenu, par exemple « applications: [] »",
        )
    builder = _Builder(path)
    # Without a "*" there is no alias, hence nothing to expand: skip the walk (most files).
    if "*" in text and not builder.check_expansion(node):
        return YamlDocument(path, None, builder.problems)
    try:
        data = builder.build(node)
    except _TooDeepError as error:
        return _too_deep(path, error.line)
    return YamlDocument(path, data, builder.problems)


class _TooDeepError(Exception):
    def __init__(self, line: int) -> None:
        super().__init__(line)
        self.line = line


def _too_deep(path: str, line: int) -> YamlDocument:
    return _failed(
        path,
        line,
        "E102",
        f"YAML invalide : plus de {MAX_DEPTH} niveaux d'imbrication",
        _TOO_DEEP_HINT,
    )


def _failed(path: str, line: int, code: str, message: str, hint: str) -> YamlDocument:
    return YamlDocument(path, None, [Problem(code, Location(path, line), message, hint)])


def _tab_indentation(text: str, path: str) -> Problem | None:
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.lstrip(" ")
        if stripped.startswith("\t"):
            return Problem(
                "E102",
                Location(path, number),
                "YAML invalide : tabulation utilisée pour l'indentation",
                "YAML n'accepte que des espaces pour indenter ; remplacez chaque tabulation "
                "par des espaces (réglage « insérer des espaces » de l'éditeur)",
            )
    return None


def _yaml_hint(message: str, opened: int) -> str:
    """A French way out for libyaml's English messages; ``opened`` is where the construct that
    failed began (a list or object in brackets often ends many lines after)."""
    if "maximum nesting depth" in message:
        return _TOO_DEEP_HINT
    if "did not find expected ',' or ']'" in message:
        return f"fermez par « ] » la liste ouverte par « [ » ligne {opened}"
    if "did not find expected ',' or '}'" in message:
        return f"fermez par « }} » l'objet ouvert par « {{ » ligne {opened}"
    if "quoted scalar" in message and "end of stream" in message:
        return f"fermez les guillemets ouverts ligne {opened}"
    if "unknown escape character" in message:
        return (
            "entre guillemets doubles, « \\ » commence un échappement : doublez-le (\\\\) "
            "ou mettez la valeur entre guillemets simples"
        )
    if "expected a single document" in message:
        return "un fichier décrit un seul document : retirez le « --- » ou séparez les fichiers"
    if "did not find expected key" in message or "expected '-' indicator" in message:
        return "vérifiez l'indentation et les « - » des listes autour de cette ligne"
    if "mapping values are not allowed" in message:
        return "une valeur contenant « : » doit être entre guillemets"
    if "could not find expected ':'" in message or "expected <block end>" in message:
        return "vérifiez l'indentation et les « - » des listes autour de cette ligne"
    if "found character '\\t'" in message:
        return "YAML n'accepte que des espaces pour indenter"
    if "found undefined alias" in message:
        return "définissez l'ancre (&nom) avant d'utiliser l'alias (*nom)"
    return "vérifiez la syntaxe autour de cette ligne"


class _Builder:
    """Turns a composed node tree into line-aware Python values (one instance per file)."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.problems: list[Problem] = []
        self._reported_tags: set[int] = set()
        self._depth = 0

    def check_expansion(self, root: Node) -> bool:
        """Refuse, in time linear in the file, a tree whose aliases expand too much.

        libyaml composes an alias as a second reference to the anchored node, so the tree is a
        DAG: its expanded size is computed once per distinct node (post-order, iteratively since
        a bomb is deep as well as wide).
        """
        in_progress = -1
        expanded: dict[int, int] = {}
        nodes: dict[int, Node] = {}
        distinct = 0
        has_alias = False
        stack: list[tuple[Node, bool]] = [(root, False)]
        while stack:
            node, children_done = stack.pop()
            key = id(node)
            if children_done:
                expanded[key] = 1 + sum(expanded[id(child)] for child in _children(node))
                nodes[key] = node
                continue
            seen = expanded.get(key)
            if seen == in_progress:
                self._refuse_expansion(node, "un alias se contient lui-même (récursion)")
                return False
            if seen is not None:
                has_alias = True
                continue
            distinct += 1
            if isinstance(node, ScalarNode):
                expanded[key] = 1
                continue
            expanded[key] = in_progress
            stack.append((node, True))
            stack.extend((child, False) for child in _children(node))
        total = expanded[id(root)]
        limit = max(MAX_EXPANDED_NODES, MAX_EXPANSION_RATIO * distinct)
        if has_alias and total > limit:
            # Point at the bomb itself: the smallest collection that alone goes over the limit.
            culprit = min(
                (size, nodes[key].start_mark.index, key)
                for key, size in expanded.items()
                if size > limit and key in nodes
            )
            self._refuse_expansion(
                nodes[culprit[2]],
                f"les alias développeraient {_thousands(total)} valeurs "
                f"(limite {_thousands(limit)})",
            )
            return False
        return True

    def _refuse_expansion(self, node: Node, why: str) -> None:
        self.problems.append(
            Problem(
                "E105",
                Location(self.path, node.start_mark.line + 1),
                f"ancres et alias refusés : {why}",
                "écrivez les valeurs en clair ; un inventaire n'a pas besoin d'alias imbriqués",
            )
        )

    def build(self, node: Node) -> Any:
        if isinstance(node, ScalarNode):
            return self._scalar(node)
        if isinstance(node, MappingNode):
            return self._mapping(node)
        if isinstance(node, SequenceNode):
            return self._sequence(node)
        raise TypeError(f"unexpected YAML node {node!r}")  # pragma: no cover - libyaml's contract

    def _scalar(self, node: ScalarNode) -> Any:
        tag = node.tag
        if tag == _STR:
            return node.value
        builder = _SCALAR_BUILDERS.get(tag)
        if builder is None:
            self._refuse_tag(node)
            return node.value
        try:
            return builder(node)
        except (ValueError, yaml.constructor.ConstructorError):
            # e.g. a timestamp-looking value that is no date (2024-13-45): keep the text, the
            # schema will say what it expected.
            return node.value

    def _mapping(self, node: MappingNode) -> YamlMapping:
        if node.tag != _MAP:
            self._refuse_tag(node)
        result = YamlMapping(node.start_mark.line + 1)
        self._depth += 1
        if self._depth > MAX_DEPTH:
            raise _TooDeepError(result.line)
        key_lines = result.key_lines
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 1
            if key_node.tag == _MERGE:
                self.problems.append(
                    Problem(
                        "E108",
                        Location(self.path, line),
                        "clé de fusion YAML « << » non prise en charge",
                        "recopiez les champs dans l'objet : chaque enregistrement doit se lire "
                        "seul dans un diff",
                    )
                )
                continue
            if isinstance(key_node, ScalarNode):
                key = self._scalar(key_node)
            else:
                key = repr(self.build(key_node))  # a complex key is never a known field
            if not isinstance(key, str):
                key = key_node.value  # `yes:`, `1:` or a date as a key: keep the text written
            if key in key_lines:
                self.problems.append(
                    Problem(
                        "E103",
                        Location(self.path, line),
                        f"clé « {key} » en double dans le même objet (déjà ligne {key_lines[key]})",
                        "YAML garderait la dernière valeur sans rien dire ; supprimez ou "
                        "fusionnez l'une des deux",
                    )
                )
                continue
            key_lines[key] = line
            result[key] = self.build(value_node)
        self._depth -= 1
        return result

    def _sequence(self, node: SequenceNode) -> YamlSequence:
        if node.tag != _SEQ:
            self._refuse_tag(node)
        result = YamlSequence(node.start_mark.line + 1)
        self._depth += 1
        if self._depth > MAX_DEPTH:
            raise _TooDeepError(result.line)
        item_lines = result.item_lines
        append = result.append
        for item in node.value:
            item_lines.append(item.start_mark.line + 1)
            append(self.build(item))
        self._depth -= 1
        return result

    def _refuse_tag(self, node: Node) -> None:
        if id(node) in self._reported_tags:
            return
        self._reported_tags.add(id(node))
        tag = node.tag
        if tag.startswith("tag:yaml.org,2002:"):
            tag = "!!" + tag[len("tag:yaml.org,2002:") :]
        self.problems.append(
            Problem(
                "E104",
                Location(self.path, node.start_mark.line + 1),
                f"balise YAML « {tag} » refusée (jamais exécutée)",
                "retirez la balise : l'inventaire ne contient que du texte, des nombres, des "
                "dates, des listes et des objets",
            )
        )


def _thousands(number: int) -> str:
    return f"{number:,}".replace(",", "\u202f")  # French thousands separator


def _children(node: Node) -> Iterator[Node]:
    if isinstance(node, MappingNode):
        for key, value in node.value:
            yield key
            yield value
    elif isinstance(node, SequenceNode):
        yield from node.value

"""Safe, line-aware reading of one YAML file.

PyYAML's loaders lose line numbers, silently keep the last of two duplicate keys and, outside
``safe_load``, run tags such as ``!!python/object``. This module lets libyaml (``CSafeLoader``'s C
parser) compose the node tree, then builds plain Python values itself in one pass:

- mappings become :class:`YamlMapping` (a ``dict`` that knows the line of each key) and sequences
  :class:`YamlSequence` (a ``list`` that knows the line of each item), so that any problem found
  later can be reported at ``file:line``;
- a duplicate key, a tag outside YAML's core schema, a merge key and an alias expansion that would
  blow up (the "billion laughs") are collected as problems instead of being obeyed;
- nothing is ever executed: no constructor but the core scalars is reachable;
- the bytes must be UTF-8 text: a NUL byte, UTF-16 or UTF-32 (with or without BOM) or an
  invalid byte is one problem at ``file:line:col``, never a parser's internals;
- a control character (ESC, BEL, NUL, a line break, a bidirectional override…) in an id, a name
  or any one-line value is refused (E207); in a free text (:data:`FREE_TEXT_KEYS`, and the
  values of the mappings named in :data:`FREE_TEXT_MAPPINGS`) it is shown as a visible symbol
  (E208, a warning), so that it never acts on a terminal or a document. Line breaks (``\n``,
  ``\r``) and tabs are a free text's own and stay.

Only this package reads inventory files; nothing here writes.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from cartographie.errors import Location, Problem, shorten
from cartographie.files.reading import MAX_FILE_BYTES
from cartographie.model.records import FREE_TEXT_KEYS, FREE_TEXT_MAPPINGS

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


def read_yaml_bytes(
    raw: bytes, path: str, free_text: frozenset[str] = FREE_TEXT_KEYS, *, stream: bool = False
) -> YamlDocument:
    """Decode and parse the bytes of one file; ``path`` is what problems will name,
    ``free_text`` the keys whose values are free texts (see :data:`FREE_TEXT_KEYS`). With
    ``stream``, the file may hold several documents (``---``): ``data`` is then the list of
    their values, each with the line it starts at (a :class:`YamlSequence`)."""
    if len(raw) > MAX_FILE_BYTES:
        return _failed(
            path,
            0,
            "E107",
            f"fichier de {len(raw) / 1e6:.1f} Mo, au-delà de la limite de "
            f"{MAX_FILE_BYTES // (1024 * 1024)} Mo",
            "découpez-le en plusieurs fichiers du même dossier",
        )
    # UTF-16 and UTF-32 hold NUL bytes (or start with FF FE / FE FF, invalid in UTF-8): one
    # problem for the whole file, instead of the first byte libyaml or the decoder trips on.
    nul = raw.find(b"\x00")
    if nul >= 0 or raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        wide = wide_encoding(raw)
        if wide is not None:
            return _failed(
                path,
                1,
                "E101",
                f"fichier encodé en {wide[0]}, pas en UTF-8",
                "réenregistrez-le en UTF-8 : dans l'éditeur, Enregistrer sous… > Encodage UTF-8",
                column=1,
            )
        line, column = _position(raw, nul)
        return _failed(
            path,
            line,
            "E101",
            "octet nul (00) : un fichier d'inventaire est du texte",
            "retirez ce caractère, ou remplacez le fichier par sa version texte en UTF-8",
            column=column,
        )
    try:
        text = raw.decode("utf-8-sig")  # a BOM, as Windows editors write it, is harmless
    except UnicodeDecodeError as error:
        line, column = _position(raw, error.start)
        return _failed(
            path,
            line,
            "E101",
            f"octet {raw[error.start : error.start + 1].hex().upper()} invalide en UTF-8",
            "réenregistrez le fichier en UTF-8 (souvent il est en Latin-1 / Windows-1252)",
            column=column,
        )
    return read_yaml_text(text, path, free_text, stream=stream)


# BOM -> (encoding as users know it, Python codec).
_WIDE_BOMS = (
    (b"\xff\xfe\x00\x00", "UTF-32 (petit-boutiste, avec BOM)", "utf-32"),
    (b"\x00\x00\xfe\xff", "UTF-32 (gros-boutiste, avec BOM)", "utf-32"),
    (b"\xff\xfe", "UTF-16 (petit-boutiste, avec BOM)", "utf-16"),
    (b"\xfe\xff", "UTF-16 (gros-boutiste, avec BOM)", "utf-16"),
)


def wide_encoding(raw: bytes) -> tuple[str, str] | None:
    """The UTF-16 or UTF-32 encoding ``raw`` is in, from its BOM or, without one, from where its
    first character's NUL bytes stand (YAML starts with ASCII: a key, ``#`` or ``-``): the name
    users know and the Python codec. ``None`` when it is neither."""
    for bom, name, codec in _WIDE_BOMS:
        if raw.startswith(bom):
            return name, codec
    head = raw[:4]
    if len(head) == 4 and head[0] and head[1:] == b"\x00\x00\x00":
        return "UTF-32 (petit-boutiste, sans BOM)", "utf-32-le"
    if len(head) == 4 and head[:3] == b"\x00\x00\x00" and head[3]:
        return "UTF-32 (gros-boutiste, sans BOM)", "utf-32-be"
    if len(head) >= 2 and head[0] and not head[1]:
        return "UTF-16 (petit-boutiste, sans BOM)", "utf-16-le"
    if len(head) >= 2 and not head[0] and head[1]:
        return "UTF-16 (gros-boutiste, sans BOM)", "utf-16-be"
    return None


def readable_text(raw: bytes) -> str:
    """The text of a file that could not be parsed, as well as it can be had (its wide encoding
    decoded, invalid bytes replaced): what a search for the ids it declares runs on."""
    wide = wide_encoding(raw)
    return raw.decode(wide[1] if wide else "utf-8", "replace")


def _position(raw: bytes, offset: int) -> tuple[int, int]:
    """Line and column (from 1, in characters as an editor counts them) of a byte offset."""
    start = raw.rfind(b"\n", 0, offset) + 1
    before = raw[start:offset].decode("utf-8", "replace")
    return raw.count(b"\n", 0, offset) + 1, len(before) + 1


def read_yaml_text(
    text: str, path: str, free_text: frozenset[str] = FREE_TEXT_KEYS, *, stream: bool = False
) -> YamlDocument:
    """Parse YAML text into line-aware values, collecting every problem found on the way
    (``stream``: every document of the file, see :func:`read_yaml_bytes`)."""
    if "\t" in text:
        tab_problem = _tab_indentation(text, path)
        if tab_problem is not None:
            return YamlDocument(path, None, [tab_problem])
    try:
        loader = _Loader(text)
        try:
            if stream:
                nodes: list[Node] = []
                while loader.check_node():
                    found = loader.get_node()
                    if found is not None:
                        nodes.append(found)
            else:
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
    except yaml.reader.ReaderError as error:  # a character YAML does not allow in a file
        line, column = _position(text.encode("utf-8", "surrogatepass"), error.position)
        return _failed(
            path,
            line,
            "E207",
            f"caractère de contrôle {character_name(chr(error.character))} interdit dans un "
            "fichier YAML",
            "retirez-le : un inventaire ne contient que du texte imprimable",
            column=column,
        )
    except yaml.YAMLError as error:  # e.g. "expected a single document"
        return _failed(path, 0, "E102", f"YAML invalide : {error}", "")
    except RecursionError:  # pragma: no cover - only the pure-Python parser recurses
        return _too_deep(path, 0)
    if stream:
        return _read_stream(text, path, free_text, nodes)
    if node is None or (isinstance(node, ScalarNode) and node.tag == _NULL):  # "---", "~"
        return _failed(
            path,
            1,
            "E106",
            "fichier vide (ou seulement des commentaires)",
            "supprimez-le ou donnez-lui son contenu, par exemple « applications: [] »",
        )
    builder = _Builder(path, free_text)
    # Without a "*" there is no alias, hence nothing to expand: skip the walk (most files).
    if "*" in text and not builder.check_expansion(node):
        return YamlDocument(path, None, builder.problems)
    try:
        data = builder.build_document(node)
    except _TooDeepError as error:
        return _too_deep(path, error.line)
    return YamlDocument(path, data, builder.problems)


def _read_stream(
    text: str, path: str, free_text: frozenset[str], nodes: list[Node]
) -> YamlDocument:
    """Every document of a stream, empty ones (a trailing ``---``) left out."""
    builder = _Builder(path, free_text)
    documents = YamlSequence(1)
    for node in nodes:
        if isinstance(node, ScalarNode) and node.tag == _NULL:
            continue
        if "*" in text and not builder.check_expansion(node):
            return YamlDocument(path, None, builder.problems)
        try:
            documents.append(builder.build_document(node))
        except _TooDeepError as error:
            return _too_deep(path, error.line)
        documents.item_lines.append(node.start_mark.line + 1)
    return YamlDocument(path, documents, builder.problems)


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


def _failed(
    path: str, line: int, code: str, message: str, hint: str, column: int = 0
) -> YamlDocument:
    return YamlDocument(path, None, [Problem(code, Location(path, line, column), message, hint)])


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


# Characters that act rather than show (a terminal's escape sequences, a bell, a line break in
# a one-line output, text reordered by a bidirectional override): refused in one-line values,
# shown as visible symbols in free texts, which keep their line breaks and tabs.
_OTHER_ACTING = "\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069"
_CONTROL = re.compile(f"[\x00-\x1f{_OTHER_ACTING}]")
# A carriage return stays in a free text: Windows line ends (CR LF) in a description written by
# another tool (an ArchiMate model) are part of the text; every output shows a lone one escaped.
_CONTROL_IN_FREE_TEXT = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f{_OTHER_ACTING}]")
_NAMES = {
    "\x00": "NUL",
    "\x07": "BEL",
    "\x08": "BS",
    "\t": "tabulation",
    "\n": "saut de ligne",
    "\r": "retour chariot",
    "\x1b": "ESC",
    "\x7f": "DEL",
    "\u2028": "séparateur de ligne",
    "\u2029": "séparateur de paragraphe",
}
# C0 controls have visible pictures (U+2400…); the others become the replacement character.
_SYMBOLS = {chr(code): chr(0x2400 + code) for code in range(0x20)} | {"\x7f": "\u2421"}


def character_name(character: str) -> str:
    """``ESC (U+001B)``: how a message names an invisible character."""
    code = f"U+{ord(character):04X}"
    name = _NAMES.get(character) or ("bidirectionnel" if "\u202a" <= character <= "\u2069" else "")
    return f"{name} ({code})" if name else code


def acting_character(text: str, *, free: bool = False) -> str | None:
    """The first character of ``text`` that would act (a control character, a bidirectional
    mark), or ``None``; in a free text (``free``) line breaks and tabs do not count."""
    if text.isprintable():
        return None
    found = (_CONTROL_IN_FREE_TEXT if free else _CONTROL).search(text)
    return found.group() if found else None


def neutralise(text: str) -> str:
    """A free text with every acting character but line breaks and tabs made visible."""
    return _CONTROL_IN_FREE_TEXT.sub(lambda match: _SYMBOLS.get(match.group(), "\ufffd"), text)


class _UnsafeText(str):
    """A text holding a control character, until the mapping holding it says whether it is a
    free text (kept, made visible) or a one-line value (refused)."""

    line: int


class _Builder:
    """Turns a composed node tree into line-aware Python values (one instance per file)."""

    def __init__(self, path: str, free_text: frozenset[str] = FREE_TEXT_KEYS) -> None:
        self.path = path
        self.free_text = free_text
        self.problems: list[Problem] = []
        self._reported_tags: set[int] = set()
        self._depth = 0
        self._unsettled = 0  # _UnsafeText values built and not yet settled
        # The key whose value is being built: a mapping knows the key it stands under (the
        # values of a ``proprietes`` mapping are free texts whatever their own keys).
        self._key: Any = None

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

    def build_document(self, node: Node) -> Any:
        """The values of a whole document; control characters the mappings did not settle
        (a list of lists, a bare text) are refused where they stand."""
        data = self.build(node)
        if self._unsettled:
            data = self._settle_rest(data, "valeur")
        return data

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
            value: str = node.value
            # isprintable() is C-fast and true for nearly every value; the search only runs on
            # texts with a non-ASCII space or a control character.
            if not value.isprintable() and _CONTROL.search(value):
                unsafe = _UnsafeText(value)
                unsafe.line = node.start_mark.line + 1
                self._unsettled += 1
                return unsafe
            return value
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
        parent = self._key
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
                        f"clé « {shorten(str(key))} » en double dans le même objet "
                        f"(déjà ligne {key_lines[key]})",
                        "YAML garderait la dernière valeur sans rien dire ; supprimez ou "
                        "fusionnez l'une des deux",
                    )
                )
                continue
            key_lines[key] = line
            self._key = key
            result[key] = self.build(value_node)
        self._key = parent
        self._depth -= 1
        if self._unsettled:
            self._settle(result, parent in FREE_TEXT_MAPPINGS)
        return result

    def _settle(self, mapping: YamlMapping, free_values: bool = False) -> None:
        """Settle the control characters of this mapping's keys and values (and of the texts
        of its lists): the key tells a free text from a one-line value, unless every value of
        the mapping is a free text (``free_values``)."""
        if any(type(key) is _UnsafeText for key in mapping):
            self._settle_keys(mapping)
        for key, value in mapping.items():
            if type(value) is _UnsafeText:
                mapping[key] = self._settle_text(str(key), value, free_values)
            elif type(value) is YamlSequence:
                for index, item in enumerate(value):
                    if type(item) is _UnsafeText:
                        value[index] = self._settle_text(str(key), item)

    def _settle_keys(self, mapping: YamlMapping) -> None:
        """Refuse the keys holding a control character, and make every key a plain text."""
        items = list(mapping.items())
        lines = list(mapping.key_lines.items())
        mapping.clear()
        mapping.key_lines.clear()
        for key, value in items:
            if type(key) is _UnsafeText:
                self._refuse_control(key, "clé", key.line)
            mapping[str(key)] = value
        mapping.key_lines.update((str(key), line) for key, line in lines)

    def _settle_text(self, key: str, value: _UnsafeText, free: bool = False) -> str:
        if not free and key not in self.free_text:
            self._refuse_control(value, key, value.line)
            return str(value)
        self._unsettled -= 1
        found = _CONTROL_IN_FREE_TEXT.search(value)
        if found is None:  # only line breaks and tabs: a free text's own
            return str(value)
        self.problems.append(
            Problem(
                "E208",
                Location(self.path, value.line),
                f"{key} : caractère de contrôle {character_name(found.group())} remplacé par "
                "un symbole visible",
                "retirez-le du texte : il agirait sur un terminal ou un document",
                severity="avertissement",
            )
        )
        return neutralise(value)

    def _refuse_control(self, value: _UnsafeText, key: str, line: int) -> None:
        self._unsettled -= 1
        found = _CONTROL.search(value)
        character = character_name(found.group()) if found else "?"
        self.problems.append(
            Problem(
                "E207",
                Location(self.path, line),
                f"{key} : caractère de contrôle {character} dans « {shorten(value)} »",
                "retirez-le ; seule une description peut tenir sur plusieurs lignes"
                if found and found.group() in "\n\r\u2028\u2029"
                else "retirez-le : il agirait sur un terminal ou un document",
            )
        )

    def _settle_rest(self, data: Any, key: str) -> Any:
        if type(data) is _UnsafeText:
            self._refuse_control(data, key, data.line)
            return str(data)
        if isinstance(data, list):
            for index, item in enumerate(data):
                data[index] = self._settle_rest(item, key)
        elif isinstance(data, dict):
            for name, item in data.items():
                data[name] = self._settle_rest(item, str(name))
        return data

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

"""Reading an ArchiMate exchange file: elements and relationships, their labels in the model's
language, their properties in order, each with its source line.

Models come from outside (a vendor, another authority): the prolog is read by ``defusedxml``
with every DTD refused, and the document by expat with the same refusals (no DOCTYPE, no entity
declaration, no external entity), so a hostile file can neither expand into gigabytes nor read
local files, whatever the version of expat underneath. The document is read as a stream (expat
events, no element tree): only what the mapping needs is kept, which is what makes the import
of a real model as fast as a dedicated reader's.

Labels: the model's language is the one most of its names are written in (French when any name
has a French label); each label is taken in that language, else the first. Texts are checked
as the inventory checks them: a control character in a name (a bidirectional mark, a C1
control) is refused with its line, a line break or tab in a name becomes a space; in a free
text (documentation, property value) line breaks and tabs stay and anything else that would act
is made visible. Either way the import's report says so.
"""

from __future__ import annotations

import xml.parsers.expat
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cartographie.errors import InventoryError, Location, Problem, shorten
from cartographie.interop.archimate_common import (
    ARCHIMATE2_NS,
    ARCHIMATE_NS,
    LANGUAGE,
    XML_NS,
    XSI_NS,
)
from cartographie.interop.common import InteropError, read_input
from cartographie.inventory.yamlread import acting_character, character_name, neutralise

# expat reports a qualified name as "namespace}local" (the separator chosen below).
_XSI_TYPE = f"{XSI_NS}}}type"
_XML_LANG = f"{XML_NS}}}lang"
_LABELS = frozenset({"name", "documentation", "value"})
_VIEW = f"{ARCHIMATE_NS}}}view"
_VIEWS = f"{ARCHIMATE_NS}}}views"


@dataclass
class Concept:
    """An element or a relationship as read: what the mapping needs, nothing more."""

    identifier: str
    kind: str
    name: str
    documentation: str
    properties: list[tuple[str, str]]
    line: int
    source: str = ""
    target: str = ""
    # Position in the file among the relationships (a foreign model's order is its author's).
    position: int = 0

    def prop(self, name: str) -> str | None:
        return next((value for key, value in self.properties if key == name), None)

    @property
    def label(self) -> str:
        return f"{self.kind} « {self.name or self.identifier} » ({self.identifier})"


@dataclass
class ArchimateModel:
    name: str
    elements: dict[str, Concept]
    relationships: dict[str, Concept]
    views: int
    organizations: bool
    # The language of the labels (xml:lang), "" when the file does not say.
    language: str = ""
    # What reading changed in the texts (a line break in a name, a control character made
    # visible): the import's report lists it.
    adjustments: list[str] = field(default_factory=list)


Labels = list[tuple[str, str]]  # (xml:lang, text) of each <name>, <documentation> or <value>


@dataclass
class _Raw:
    """An element, relationship or property definition being read."""

    tag: str
    identifier: str
    kind: str
    line: int
    source: str
    target: str
    names: Labels = field(default_factory=list)
    documentation: Labels = field(default_factory=list)
    # (definition reference, values, line) of each property
    properties: list[tuple[str, Labels, int]] = field(default_factory=list)


class _Refused(Exception):  # noqa: N818 - carries a refusal out of an expat handler
    pass


class _Reader:
    """The expat handlers: a stack of open tags, the concept being read, the label texts."""

    def __init__(self, parser: Any) -> None:
        self.parser = parser
        self.stack: list[str] = []
        self.seen: dict[str, int] = {}
        self.duplicates: list[tuple[str, int, int]] = []
        self.model_names: Labels = []
        self.definitions: list[_Raw] = []
        self.concepts: list[_Raw] = []
        self.current: _Raw | None = None
        self.labels: Labels | None = None  # where the text being read goes
        self.lang = ""
        self.text: list[str] = []
        self.views = 0
        self.organizations = False
        self.root = ""
        self.languages: Counter[str] = Counter()
        self.references: list[tuple[str, int]] = []  # every property's definition, with its line
        self.names: dict[str, str] = {}  # tag as expat gives it -> ArchiMate local name, or ""

    def local(self, tag: str) -> str:
        """The tag's name in the ArchiMate namespace, '' for another namespace (cached)."""
        found = self.names.get(tag)
        if found is None:
            namespace, _, local = tag.rpartition("}")
            found = self.names[tag] = local if namespace == ARCHIMATE_NS else ""
        return found

    def identify(self, identifier: str) -> int:
        line: int = self.parser.CurrentLineNumber
        if identifier in self.seen:
            self.duplicates.append((identifier, self.seen[identifier], line))
        else:
            self.seen[identifier] = line
        return line

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        local = self.names.get(tag)
        if local is None:
            local = self.local(tag)
        stack = self.stack
        depth = len(stack)
        parent = stack[-1] if stack else ""
        stack.append(local)
        identifier = attrs.get("identifier")
        line = self.identify(identifier) if identifier is not None else 0
        if depth == 0:
            self.root = tag
            return
        if not local:
            return
        if local in _LABELS:
            owner = self.current
            if local == "name" and depth == 1:
                self.labels = self.model_names
            elif owner is None:
                return
            elif local == "name" and parent in ("element", "relationship", "propertyDefinition"):
                self.labels = owner.names
            elif local == "documentation" and parent in ("element", "relationship"):
                self.labels = owner.documentation
            elif local == "value" and parent == "property" and owner.properties:
                self.labels = owner.properties[-1][1]
            else:
                return
            self.lang = attrs.get(_XML_LANG, "")
            self.text = []
            # Text is wanted inside labels only: elsewhere it is indentation, and a call per
            # text node would cost as much as the rest of the reading.
            self.parser.CharacterDataHandler = self.text.append
        elif depth == 2 and local in ("element", "relationship") and parent == local + "s":
            self.current = _Raw(
                local,
                identifier or "",
                attrs.get(_XSI_TYPE, ""),
                line,
                attrs.get("source", ""),
                attrs.get("target", ""),
            )
        elif depth == 2 and local == "propertyDefinition" and parent == "propertyDefinitions":
            self.current = _Raw(local, identifier or "", "", line, "", "")
        elif local == "property":
            reference = attrs.get("propertyDefinitionRef", "")
            line = self.parser.CurrentLineNumber
            self.references.append((reference, line))
            if parent == "properties" and self.current is not None:
                self.current.properties.append((reference, [], line))
        elif depth == 1 and local == "views":
            # Views are only counted: inside them, expat calls no Python code but at the end
            # of each element (views are most of an exported model).
            self.parser.StartElementHandler = None
            self.parser.EndElementHandler = self.end_view
        elif depth == 1 and local == "organizations":
            self.organizations = True

    def end(self, tag: str) -> None:
        local = self.stack.pop()
        if self.labels is not None and local in _LABELS:
            self.parser.CharacterDataHandler = None
            text = "".join(self.text).strip()
            if text:
                self.labels.append((self.lang, text))
                if local == "name" and self.lang:
                    self.languages[self.lang] += 1
            self.labels = None
        elif len(self.stack) == 2 and self.current is not None and local == self.current.tag:
            target = self.definitions if local == "propertyDefinition" else self.concepts
            target.append(self.current)
            self.current = None

    def end_view(self, tag: str) -> None:
        if tag == _VIEW:
            self.views += 1
        elif tag == _VIEWS:
            self.stack.pop()
            self.parser.StartElementHandler = self.start
            self.parser.EndElementHandler = self.end

    @staticmethod
    def refuse_dtd(*_args: Any) -> None:
        raise _Refused


def read_archimate(path: Path) -> ArchimateModel:
    """Parse and check an exchange file; :class:`InteropError` or :class:`InventoryError`."""
    data = read_input(path)
    _refuse_dtd(path, data)
    parser = xml.parsers.expat.ParserCreate(namespace_separator="}")
    parser.buffer_text = True
    reader = _Reader(parser)
    parser.StartElementHandler = reader.start
    parser.EndElementHandler = reader.end
    parser.StartDoctypeDeclHandler = reader.refuse_dtd
    parser.EntityDeclHandler = reader.refuse_dtd
    parser.ExternalEntityRefHandler = reader.refuse_dtd  # type: ignore[assignment]
    try:
        parser.Parse(data, True)
    except xml.parsers.expat.ExpatError as error:
        _malformed(path, error.lineno, error.offset, xml.parsers.expat.ErrorString(error.code))
    except _Refused:
        _dtd_refused(path, "EntitiesForbidden")
    namespace, _, local = reader.root.rpartition("}")
    if namespace == ARCHIMATE2_NS:
        raise InteropError(
            f"{path.name} : format d'échange ArchiMate 2.1 (espace de noms {namespace}), "
            "non pris en charge",
            "ouvrez-le dans Archi et réexportez-le au format d'échange ArchiMate 3.1",
        )
    if namespace != ARCHIMATE_NS or local != "model":
        raise InteropError(
            f"{path.name} : ce n'est pas un modèle au format d'échange ArchiMate 3 "
            f"(élément racine « {local} », espace de noms « {namespace or 'aucun'} »)",
            f'la racine attendue est <model xmlns="{ARCHIMATE_NS}">',
        )
    return _model(path.name, reader)


class _RootReached(Exception):  # noqa: N818 - a signal, not a failure
    """The prolog is over: no DTD can follow."""


class _PrologTarget:
    def start(self, tag: str, attrs: dict[str, str]) -> None:
        raise _RootReached


def _refuse_dtd(path: Path, data: bytes) -> None:
    """Read the prolog with defusedxml refusing any DTD (``forbid_dtd``): a DOCTYPE can only
    stand before the root element, and the stream reader refuses one too."""
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import DefusedXMLParser, ParseError

    parser = DefusedXMLParser(target=_PrologTarget(), forbid_dtd=True)
    view = memoryview(data)
    try:
        for start in range(0, len(view), 1 << 16):
            parser.feed(bytes(view[start : start + (1 << 16)]))
        parser.close()
    except _RootReached:
        return
    except DefusedXmlException as error:
        _dtd_refused(path, type(error).__name__)
    except ParseError as error:
        line, column = getattr(error, "position", (0, 0))
        _malformed(path, line, column, str(error).split(":", 1)[0])


def _dtd_refused(path: Path, what: str) -> None:
    raise InteropError(
        f"{path.name} : construction XML refusée ({what})",
        "un modèle ArchiMate n'a pas besoin de DTD ni d'entités : réexportez-le sans",
    )


def _malformed(path: Path, line: int, column: int, message: str) -> None:
    raise InteropError(
        f"{path.name}:{line} : fichier XML mal formé (ligne {line}, colonne {column + 1} : "
        f"{_expat_message(message)})",
        "le fichier est tronqué ou abîmé : réexportez-le depuis l'outil de modélisation",
    ) from None


def _expat_message(text: str) -> str:
    return {
        "no element found": "fin de fichier inattendue, un élément n'est pas refermé",
        "unclosed token": "balise non refermée",
        "mismatched tag": "balise fermante qui ne correspond pas",
        "not well-formed (invalid token)": "caractère invalide",
        "syntax error": "erreur de syntaxe",
        "junk after document element": "contenu après la fin du document",
        "reference to invalid character number": "caractère interdit en XML 1.0",
        "undefined entity": "entité non définie",
    }.get(text, text)


def model_language(counts: Counter[str]) -> str:
    """The language most names are written in: French when any name is, else the most frequent
    ``xml:lang`` (ties: alphabetical), "" when no name says."""
    if not counts:
        return ""
    french = sorted(lang for lang in counts if lang.lower().split("-")[0] == LANGUAGE)
    if french:
        return max(french, key=lambda lang: counts[lang])
    return min(counts, key=lambda lang: (-counts[lang], lang))


class _Texts:
    """Takes labels in the model's language and checks them as the inventory would."""

    def __init__(self, name: str, language: str) -> None:
        self.file = name
        self.language = language.lower()
        self.adjustments: list[str] = []
        self.problems: list[Problem] = []

    def pick(self, labels: Labels) -> str:
        """The label in the model's language, else the first; '' when none."""
        if len(labels) < 2:  # nearly always: one label, or none
            return labels[0][1] if labels else ""
        for lang, text in labels:
            if lang.lower() == self.language:
                return text
        return labels[0][1] if labels else ""

    def name(self, labels: Labels, what: str, line: int) -> str:
        text = self.pick(labels)
        if text.isprintable():
            return text
        spaced = " ".join(text.replace("\r", " ").replace("\n", " ").replace("\t", " ").split())
        found = acting_character(spaced)
        if found is not None:
            self.problems.append(
                Problem(
                    "E207",
                    Location(self.file, line),
                    f"{what} : caractère de contrôle {character_name(found)} dans le nom "
                    f"« {shorten(spaced)} »",
                    "retirez-le du nom dans l'outil de modélisation : un nom s'affiche sur une "
                    "ligne, dans un terminal ou une carte",
                )
            )
            return spaced
        if spaced != text:
            self.adjustments.append(
                f"{what} : saut de ligne ou tabulation dans le nom, remplacé par une espace"
            )
        return spaced

    def free(self, text: str, what: str) -> str:
        found = acting_character(text, free=True)
        if found is None:
            return text
        self.adjustments.append(
            f"{what} : caractère de contrôle {character_name(found)} remplacé par un symbole "
            "visible"
        )
        return neutralise(text)


def _model(name: str, reader: _Reader) -> ArchimateModel:
    problems: list[Problem] = []
    for identifier, first, line in reader.duplicates:
        problems.append(
            Problem(
                "E301",
                Location(name, line),
                f"identifiant « {identifier} » en double (déjà ligne {first})",
                "chaque identifiant du fichier est unique : le fichier est incohérent",
            )
        )
    language = model_language(reader.languages)
    texts = _Texts(name, language)
    definitions = {
        raw.identifier: texts.name(raw.names, f"définition de propriété {raw.identifier}", raw.line)
        or raw.identifier
        for raw in reader.definitions
    }
    elements: dict[str, Concept] = {}
    relationships: dict[str, Concept] = {}
    for raw in reader.concepts:
        what = f"{raw.kind} {raw.identifier}"
        properties = []
        for reference, values, _line in raw.properties:
            key = definitions.get(reference)
            if key is None:
                continue  # reported below, with every property of the file
            properties.append((key, texts.free(texts.pick(values), f"{what}, propriété « {key} »")))
        documentation = texts.pick(raw.documentation)
        item = Concept(
            identifier=raw.identifier,
            kind=raw.kind,
            name=texts.name(raw.names, what, raw.line),
            documentation=texts.free(documentation, what) if documentation else "",
            properties=properties,
            line=raw.line,
            source=raw.source,
            target=raw.target,
            position=len(relationships),
        )
        if raw.tag == "relationship":
            relationships[item.identifier] = item
        elif not item.kind:
            problems.append(
                Problem(
                    "E204",
                    Location(name, raw.line),
                    f"élément « {item.identifier} » sans xsi:type",
                    "chaque élément déclare son type ArchiMate",
                )
            )
        else:
            elements[item.identifier] = item
    for reference, line in reader.references:
        if reference not in definitions:
            problems.append(
                Problem(
                    "E302",
                    Location(name, line),
                    f"propriété liée à la définition « {reference} », absente de "
                    "<propertyDefinitions>",
                    "le fichier n'est pas valide au schéma ArchiMate 3.1 : réexportez-le, ou "
                    "déclarez la définition de propriété",
                )
            )
    known = elements.keys() | relationships.keys()
    for item in relationships.values():
        for end, reference in (("source", item.source), ("target", item.target)):
            if reference not in known:
                problems.append(
                    Problem(
                        "E302",
                        Location(name, item.line),
                        f"relation {item.label} : {end} « {reference} » introuvable",
                        "le fichier est incohérent : réexportez-le depuis l'outil de modélisation",
                    )
                )
    problems += texts.problems
    model_name = texts.name(reader.model_names, "modèle", 1)
    if problems:
        raise InventoryError(problems)
    return ArchimateModel(
        name=model_name,
        elements=elements,
        relationships=relationships,
        views=reader.views,
        organizations=reader.organizations,
        language=language,
        adjustments=texts.adjustments,
    )

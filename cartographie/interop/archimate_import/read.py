"""Reading an ArchiMate exchange file: elements and relationships, with their source lines.

The file is parsed with ``defusedxml`` (models come from outside: a vendor, another authority):
DTDs with entities and external references are refused, so a hostile file cannot expand into
gigabytes or read local files, whatever the version of expat underneath. Labels: the French one
(``xml:lang="fr"``) when there is one, else the first (the GEMMA models are in Dutch).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cartographie.errors import InventoryError, Location, Problem
from cartographie.interop.archimate_common import (
    ARCHIMATE2_NS,
    ARCHIMATE_NS,
    LANGUAGE,
    XML_LANG,
    XSI_TYPE,
    A,
)
from cartographie.interop.common import InteropError, read_input


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


class _LineTreeBuilder(ET.TreeBuilder):
    """Remembers the source line of every element (ElementTree does not)."""

    def __init__(self) -> None:
        super().__init__()
        self.lines: dict[int, int] = {}
        self.parser: Any = None

    def start(self, tag: str, attrs: dict[str, str]) -> ET.Element:
        element = super().start(tag, attrs)
        self.lines[id(element)] = self.parser.parser.CurrentLineNumber
        return element


def _pick(parent: ET.Element, tag: str) -> str:
    """The French text among ``tag`` children, else the first; '' when there is none."""
    texts = [(child.get(XML_LANG), (child.text or "").strip()) for child in parent.findall(A + tag)]
    for lang, text in texts:
        if lang and lang.lower().startswith(LANGUAGE) and text:
            return text
    return next((text for _lang, text in texts if text), "")


def read_archimate(path: Path) -> ArchimateModel:
    """Parse and check an exchange file; :class:`InteropError` or :class:`InventoryError`."""
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import DefusedXMLParser

    builder = _LineTreeBuilder()
    parser = DefusedXMLParser(target=builder)
    builder.parser = parser
    data = memoryview(read_input(path))
    try:
        for start in range(0, len(data), 1 << 20):
            parser.feed(bytes(data[start : start + (1 << 20)]))
        root = parser.close()
    except ET.ParseError as error:
        line, column = getattr(error, "position", (0, 0))
        raise InteropError(
            f"{path.name}:{line} : fichier XML mal formé (ligne {line}, colonne {column + 1} : "
            f"{_expat_message(str(error))})",
            "le fichier est tronqué ou abîmé : réexportez-le depuis l'outil de modélisation",
        ) from None
    except DefusedXmlException as error:
        raise InteropError(
            f"{path.name} : construction XML refusée ({type(error).__name__})",
            "un modèle ArchiMate n'a pas besoin de DTD ni d'entités : réexportez-le sans",
        ) from None
    namespace = root.tag[1:].split("}", 1)[0] if root.tag.startswith("{") else ""
    local = root.tag.rsplit("}", 1)[-1]
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
    return _read_model(path.name, root, builder.lines)


def _expat_message(text: str) -> str:
    message = text.split(":", 1)[0]
    return {
        "no element found": "fin de fichier inattendue, un élément n'est pas refermé",
        "unclosed token": "balise non refermée",
        "mismatched tag": "balise fermante qui ne correspond pas",
        "not well-formed (invalid token)": "caractère invalide",
        "syntax error": "erreur de syntaxe",
        "junk after document element": "contenu après la fin du document",
    }.get(message, message)


def _read_model(name: str, root: ET.Element, lines: dict[int, int]) -> ArchimateModel:
    problems: list[Problem] = []

    def problem(code: str, node: ET.Element, message: str, hint: str) -> None:
        problems.append(Problem(code, Location(name, lines.get(id(node), 0)), message, hint))

    definitions: dict[str, str] = {}
    seen: dict[str, int] = {}
    for node in root.iter():
        identifier = node.get("identifier")
        if identifier is None:
            continue
        if identifier in seen:
            problem(
                "E301",
                node,
                f"identifiant « {identifier} » en double (déjà ligne {seen[identifier]})",
                "chaque identifiant du fichier est unique : le fichier est incohérent",
            )
        seen.setdefault(identifier, lines.get(id(node), 0))
    for node in root.iterfind(f"{A}propertyDefinitions/{A}propertyDefinition"):
        identifier = node.get("identifier", "")
        definitions[identifier] = _pick(node, "name") or identifier
    for node in root.iter(A + "property"):
        reference = node.get("propertyDefinitionRef")
        if reference not in definitions:
            problem(
                "E302",
                node,
                f"propriété liée à la définition « {reference} », absente de <propertyDefinitions>",
                "le fichier n'est pas valide au schéma ArchiMate 3.1 : réexportez-le, ou "
                "déclarez la définition de propriété",
            )

    def concept(node: ET.Element) -> Concept:
        properties = []
        for item in node.iterfind(f"{A}properties/{A}property"):
            key = definitions.get(item.get("propertyDefinitionRef", ""), "")
            if key:
                properties.append((key, _pick(item, "value")))
        return Concept(
            identifier=node.get("identifier", ""),
            kind=node.get(XSI_TYPE, ""),
            name=_pick(node, "name"),
            documentation=_pick(node, "documentation"),
            properties=properties,
            line=lines.get(id(node), 0),
            source=node.get("source", ""),
            target=node.get("target", ""),
        )

    elements: dict[str, Concept] = {}
    for node in root.iterfind(f"{A}elements/{A}element"):
        item = concept(node)
        if not item.kind:
            problem(
                "E204",
                node,
                f"élément « {item.identifier} » sans xsi:type",
                "chaque élément déclare son type ArchiMate",
            )
            continue
        elements[item.identifier] = item
    relationships: dict[str, Concept] = {}
    for node in root.iterfind(f"{A}relationships/{A}relationship"):
        item = concept(node)
        relationships[item.identifier] = item
    known = set(elements) | set(relationships)
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
    if problems:
        raise InventoryError(problems)
    views = len(root.findall(f"{A}views/{A}diagrams/{A}view"))
    return ArchimateModel(
        name=_pick(root, "name"),
        elements=elements,
        relationships=relationships,
        views=views,
        organizations=root.find(A + "organizations") is not None,
    )

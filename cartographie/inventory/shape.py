"""Checking the shape of one file against the models, with problems located at ``file:line``.

Pydantic validates a whole file in one call (fast); when it fails, its errors are translated into
:class:`Problem` records in French — the unknown field with the closest known one, the enumeration
with its valid values — and the file's records are validated one by one so that the valid ones
still take part in the cross-file checks (a broken record must not hide another file's problems).
"""

from __future__ import annotations

import difflib
import types
import typing
import unicodedata
from dataclasses import dataclass, field
from typing import Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError

from cartographie.errors import Location, Problem, shorten
from cartographie.inventory.yamlread import YamlMapping, YamlSequence
from cartographie.model.vocabulary import ID_PATTERN
from cartographie.model.records import (
    Application,
    Block,
    Commune,
    CostParameters,
    Datacenter,
    DataObject,
    Delegation,
    Domain,
    Flow,
    InventoryFile,
    Metropole,
    OtherCommune,
    Partner,
    Process,
    Product,
    Programme,
    Record,
    RecordedDiagnostic,
    RuleSetting,
    Sector,
    Vendor,
)

# Section key -> (record model, French noun with its article, for messages).
SECTIONS: dict[str, tuple[type[Record], str]] = {
    "metropole": (Metropole, "la métropole"),
    "communes": (Commune, "la commune"),
    "autres_communes": (OtherCommune, "la commune"),
    "secteurs": (Sector, "le secteur"),
    "domaines": (Domain, "le domaine"),
    "partenaires": (Partner, "le partenaire"),
    "centres_de_donnees": (Datacenter, "le centre de données"),
    "blocs": (Block, "le bloc"),
    "processus": (Process, "le processus"),
    "donnees": (DataObject, "la donnée"),
    "editeurs": (Vendor, "l'éditeur"),
    "produits": (Product, "le produit"),
    "delegations": (Delegation, "la délégation"),
    "chantiers": (Programme, "le chantier"),
    "couts": (CostParameters, "les paramètres de coût"),
    "applications": (Application, "l'application"),
    "flux": (Flow, "le flux"),
    # Change tracking (docs/suivi.md): rule settings, and a diagnostic recorded by the tool.
    "regles": (RuleSetting, "la règle"),
    "diagnostic": (RecordedDiagnostic, "le diagnostic"),
}

# Sections holding one record (a mapping) rather than a list of records.
_SINGLE_SECTIONS = frozenset({"metropole", "diagnostic", "couts"})

_TYPE_NAMES = {
    "str": "un texte",
    "int": "un nombre entier",
    "float": "un nombre",
    "bool": "vrai ou faux (true/false)",
    "NoneType": "rien",
    "date": "une date",
    "datetime": "une date et une heure",
    "YamlMapping": "un objet (clé: valeur)",
    "YamlSequence": "une liste",
}

_EXPECTED = {
    "string_type": ("un texte", "mettez la valeur entre guillemets"),
    "string_too_short": ("un texte non vide", "donnez une valeur ou retirez le champ"),
    "string_too_long": ("un texte plus court", "raccourcissez la valeur"),
    "int_type": ("un nombre entier", "écrivez le nombre sans guillemets ni unité"),
    "int_parsing": ("un nombre entier", "écrivez le nombre sans guillemets ni unité"),
    "int_from_float": ("un nombre entier", "retirez la partie décimale"),
    "float_type": ("un nombre", "écrivez le nombre sans guillemets ni unité"),
    "float_parsing": ("un nombre", "écrivez le nombre sans guillemets ni unité"),
    "finite_number": ("un nombre fini", "écrivez un nombre"),
    "bool_type": ("true ou false", "écrivez true ou false"),
    "bool_parsing": ("true ou false", "écrivez true ou false"),
    "list_type": ("une liste", "écrivez [a, b] ou une ligne « - a » par élément"),
    "model_type": ("un objet (clé: valeur)", "indentez les champs sous la clé"),
    "model_attributes_type": ("un objet (clé: valeur)", "indentez les champs sous la clé"),
    "dict_type": ("un objet (clé: valeur)", "indentez les champs sous la clé"),
    "date_type": ("une date AAAA-MM-JJ", "par exemple 2022-12-31"),
    "date_parsing": ("une date AAAA-MM-JJ", "par exemple 2022-12-31"),
    "date_from_datetime_parsing": ("une date AAAA-MM-JJ", "par exemple 2022-12-31"),
    "date_from_datetime_inexact": ("une date sans heure", "par exemple 2022-12-31"),
    "too_short": ("une liste non vide", "donnez au moins un élément"),
    "year_or_date_type": (
        "une année AAAA ou une date AAAA-MM-JJ (sans heure)",
        "par exemple 2019 (le 1er janvier) ou 2019-09-01",
    ),
}


@dataclass
class CheckedRecord:
    """A valid record, with the raw mapping it came from (for the lines of its fields)."""

    section: str
    record: Record
    raw: YamlMapping
    path: str


@dataclass
class CheckedFile:
    path: str
    records: list[CheckedRecord] = field(default_factory=list)
    owner: str | None = None
    owner_line: int = 0
    # Ids written in records that failed validation: references to them are not "dangling".
    broken_ids: set[str] = field(default_factory=set)
    # Sections with a record that failed validation: "no such section" would be misleading.
    broken_sections: set[str] = field(default_factory=set)
    # False when the file could not be read at all (encoding, syntax, tags, aliases): any
    # section may be in it, and ``broken_ids`` holds the ids its text seems to declare.
    readable: bool = True
    # True when the file was refused unread (a link out of the inventory, a FIFO): nothing is
    # known of what it declares, not even the ids its text seems to hold.
    unread: bool = False
    problems: list[Problem] = field(default_factory=list)


def check_file_shape(path: str, data: Any) -> CheckedFile:
    """Validate one parsed file; return its valid records and its problems."""
    checked = CheckedFile(path)
    if not isinstance(data, YamlMapping):
        line = getattr(data, "line", 1)
        checked.problems.append(
            Problem(
                "E204",
                Location(path, line),
                f"le fichier doit être un objet dont les clés sont des sections, "
                f"pas {_describe(data)}",
                f"commencez par une section : {', '.join(sorted(SECTIONS))}",
            )
        )
        return checked
    try:
        parsed = InventoryFile.model_validate(data)
    except ValidationError as error:
        for detail in error.errors(include_url=False):
            checked.problems.append(_translate(path, data, detail))
        _salvage(checked, data)
        return checked
    checked.owner = parsed.owner
    checked.owner_line = data.key_lines.get("proprietaire", 0)
    for section in SECTIONS:
        raw = data.get(section)
        if raw is None:
            continue
        value = getattr(parsed, _attribute(InventoryFile, section))
        if isinstance(value, list):
            for record, raw_item in zip(value, raw, strict=True):
                checked.records.append(CheckedRecord(section, record, raw_item, path))
        else:
            checked.records.append(CheckedRecord(section, value, raw, path))
    return checked


def _salvage(checked: CheckedFile, data: YamlMapping) -> None:
    """After a failed file, keep the records that are valid on their own.

    A record whose only faults are unknown or invalid optional fields is kept without them, so
    that its references are still checked; one with a broken required field is left out and its
    id remembered (references to it are then not reported as dangling).
    """
    owner = data.get("proprietaire")
    if isinstance(owner, str):
        checked.owner = owner
        checked.owner_line = data.key_lines.get("proprietaire", 0)
    for section, (model, _noun) in SECTIONS.items():
        raw = data.get(section)
        items = raw if isinstance(raw, list) else [raw] if isinstance(raw, dict) else []
        if raw is not None and not isinstance(raw, dict if section in _SINGLE_SECTIONS else list):
            checked.broken_sections.add(section)
        for item in items:
            if not isinstance(item, YamlMapping):
                checked.broken_sections.add(section)
                continue
            record = _validate_without_faults(model, item)
            if record is None:
                checked.broken_sections.add(section)
                item_id = item.get("id")
                if isinstance(item_id, str):
                    checked.broken_ids.add(item_id)
                continue
            checked.records.append(CheckedRecord(section, record, item, checked.path))


def _validate_without_faults(model: type[Record], item: YamlMapping) -> Record | None:
    try:
        return model.model_validate(item)
    except ValidationError as error:
        faulty = {detail["loc"][0] for detail in error.errors() if detail["loc"]}
    aliases = _aliases(model)
    for key in faulty:
        info = model.model_fields.get(aliases.get(str(key), ""))
        if key == "id" or (info is not None and info.is_required()):
            return None
    trimmed = YamlMapping(item.line)
    trimmed.update((key, value) for key, value in item.items() if key not in faulty)
    trimmed.key_lines = item.key_lines
    try:
        return model.model_validate(trimmed)
    except ValidationError:
        return None


def _translate(
    path: str, data: YamlMapping, detail: Any, root: type[BaseModel] = InventoryFile
) -> Problem:
    loc: tuple[Any, ...] = tuple(detail["loc"])
    kind: str = detail["type"]
    line = _locate(data, loc, kind)
    model, annotation = _resolve(loc, root)
    where = _record_phrase(data, loc) if root is InventoryFile else _item_phrase(loc)
    name = str(loc[-1]) if loc else ""
    if kind == "extra_forbidden" and isinstance(_value_at(data, loc[:-1]), str):
        # A one-word value read as a mapping of one key (`cle: populaton`): say it is a value.
        model = _resolve(loc[:-1], root)[0]
        values = sorted(_aliases(_inner_model(_resolve(loc[:-1], root)[1]) or model))
        close = difflib.get_close_matches(name, values, n=1, cutoff=0.5)
        hint = f"valeurs possibles : {', '.join(values)}"
        if close:
            hint += f" ; vouliez-vous dire « {close[0]} » ?"
        return Problem(
            "E203",
            Location(path, line),
            f"{_field_label(loc[:-1])} : « {shorten(name)} » n'est pas une valeur possible{where}",
            hint,
        )
    if kind == "extra_forbidden":
        known = sorted(_aliases(model)) if model is not None else sorted(SECTIONS)
        if root is InventoryFile and (model is None or model is InventoryFile):
            known = sorted([*SECTIONS, "proprietaire"])
        hint = _suggest(name, known, model)
        what = "section « {} » inconnue" if len(loc) == 1 else "champ « {} » inconnu"
        return Problem("E201", Location(path, line), what.format(shorten(name)) + where, hint)
    if kind == "missing":
        values = _literal_values(annotation)
        if values:
            hint = f"valeurs possibles : {', '.join(values)}"
        else:
            hint = f"ajoutez « {name}: … »"
            description = _description(model, name)
            if description:
                hint += f" — {description[0].lower()}{description[1:].rstrip('.')}"
        return Problem(
            "E202", Location(path, line), f"champ obligatoire « {name} » manquant{where}", hint
        )
    value = detail.get("input")
    if kind in ("literal_error", "enum"):
        values = _literal_values(annotation)
        hint = f"valeurs possibles : {', '.join(values)}"
        # `couche: [metier]` is a list around a good value: suggest the value itself.
        written = value[0] if isinstance(value, list) and len(value) == 1 else value
        close = (
            difflib.get_close_matches(written, values, n=1, cutoff=0.5)
            if isinstance(written, str)
            else []
        )
        if close:
            hint += f" ; vouliez-vous dire « {close[0]} » ?"
        found = (
            f"« {shorten(value)} » n'est pas une valeur possible"
            if isinstance(value, str)
            else f"attendu une valeur de la liste, trouvé {_describe(value)}"
        )
        return Problem("E203", Location(path, line), f"{_field_label(loc)} : {found}{where}", hint)
    if kind == "string_pattern_mismatch" and detail.get("ctx", {}).get("pattern") == ID_PATTERN:
        return Problem(
            "E205",
            Location(path, line),
            f"{_field_label(loc)} : identifiant « {shorten(str(value))} » invalide{where}",
            "un identifiant ne contient que des minuscules sans accent, des chiffres et des "
            f"tirets (ni espace, ni « / », ni « . ») ; par exemple « {_slug(str(value))[:80]} »",
        )
    if kind in _EXPECTED:
        expected, hint = _EXPECTED[kind]
        shown = _describe(value)
        if kind == "too_short":
            shown = "une liste vide"
        return Problem(
            "E204",
            Location(path, line),
            f"{_field_label(loc)} : attendu {expected}, trouvé {shown}{where}",
            hint,
        )
    # Ranges (greater_than_equal…) and anything else: pydantic's own words, with the value.
    message = str(detail.get("msg", kind))
    if isinstance(value, dict | list):
        # A record's own check (a model validator): name the item, not its contents.
        index = next((step for step in reversed(loc) if isinstance(step, int)), None)
        item = _field_label(loc) + (f" n° {index + 1}" if index is not None else "")
        return Problem(
            "E206",
            Location(path, line),
            f"{item} : invalide{where}",
            _range_hint(kind, detail.get("ctx", {}), message),
        )
    return Problem(
        "E206",
        Location(path, line),
        f"{_field_label(loc)} : valeur « {shorten(str(value))} » invalide{where}",
        _range_hint(kind, detail.get("ctx", {}), message),
    )


def _value_at(data: YamlMapping, loc: tuple[Any, ...]) -> Any:
    """The raw value at ``loc`` in the file, or ``None`` when the path leads nowhere."""
    node: Any = data
    for step in loc:
        found_in_mapping = isinstance(node, dict) and step in node
        found_in_list = isinstance(node, list) and isinstance(step, int) and step < len(node)
        if not (found_in_mapping or found_in_list):
            return None
        node = node[step]
    return node


def _range_hint(kind: str, ctx: dict[str, Any], message: str) -> str:
    bounds = {
        "greater_than_equal": ("ge", "au moins"),
        "greater_than": ("gt", "plus que"),
        "less_than_equal": ("le", "au plus"),
        "less_than": ("lt", "moins que"),
    }
    if kind in bounds:
        key, words = bounds[kind]
        return f"la valeur doit valoir {words} {ctx.get(key)}"
    if kind == "value_error":
        # The model's own check, written in French: without pydantic's English prefix.
        return message.removeprefix("Value error, ")
    return message


def _locate(data: YamlMapping, loc: tuple[Any, ...], kind: str) -> int:
    """The line of the value at ``loc`` (of its container for a missing field)."""
    node: Any = data
    line = data.line
    for step in loc:
        if isinstance(node, YamlMapping):
            if step not in node:
                return node.line if kind == "missing" else line
            line = node.key_lines.get(step, node.line)
            node = node[step]
        elif isinstance(node, YamlSequence) and isinstance(step, int) and step < len(node):
            line = node.item_lines[step]
            node = node[step]
        else:
            break
    if kind == "missing" and isinstance(node, YamlMapping):
        line = node.line
    return line


def _record_phrase(data: YamlMapping, loc: tuple[Any, ...]) -> str:
    """« dans l'application « vc-x » » for the record that holds the error, when it has an id."""
    if not loc or loc[0] not in SECTIONS:
        return ""
    noun = SECTIONS[loc[0]][1]
    node: Any = data.get(loc[0])
    if isinstance(node, YamlSequence) and len(loc) > 1 and isinstance(loc[1], int):
        node = node[loc[1]] if loc[1] < len(node) else None
    elif len(loc) == 1:
        return ""
    # The path inside the record; its own id, when it is the fault, cannot name it.
    rest = loc[2:] if isinstance(loc[1], int) else loc[1:]
    record_id = node.get("id") if isinstance(node, YamlMapping) else None
    if isinstance(record_id, str) and rest != ("id",):
        phrase = f" dans {noun} « {shorten(record_id)} »"
    elif isinstance(loc[1], int):
        phrase = f" dans {noun} n° {loc[1] + 1} de la section « {loc[0]} »"
    else:
        phrase = f" dans {noun}"
    if len(rest) >= 3 and rest[0] == "etapes" and isinstance(rest[1], int):
        # A process has many steps: name the one at fault too.
        steps = node.get("etapes") if isinstance(node, YamlMapping) else None
        step = steps[rest[1]] if isinstance(steps, YamlSequence) and rest[1] < len(steps) else None
        step_id = step.get("id") if isinstance(step, YamlMapping) else None
        if isinstance(step_id, str) and rest[2:] != ("id",):
            phrase += f", étape « {shorten(step_id)} »"
        else:
            phrase += f", étape n° {rest[1] + 1}"
    return phrase


def _item_phrase(loc: tuple[Any, ...]) -> str:
    """« dans operations n° 2 » for a file that is not an inventory file (a scenario)."""
    if len(loc) > 2 and isinstance(loc[1], int):
        return f" dans {loc[0]} n° {loc[1] + 1}"
    return ""


def check_document(path: str, data: Any, root: type[BaseModel]) -> tuple[Any, list[Problem]]:
    """Validate a whole YAML document against ``root`` (a file that is not an inventory file,
    such as a scenario): the model, or ``None`` and every problem at ``file:line``."""
    if not isinstance(data, YamlMapping):
        line = getattr(data, "line", 1)
        problem = Problem(
            "E204",
            Location(path, line),
            f"le fichier doit être un objet (clé: valeur), pas {_describe(data)}",
            f"commencez par : {', '.join(sorted(_aliases(root)))}",
        )
        return None, [problem]
    try:
        return root.model_validate(data), []
    except ValidationError as error:
        return None, [_translate(path, data, detail, root) for detail in error.errors()]


def _field_label(loc: tuple[Any, ...]) -> str:
    names = [str(step) for step in loc if not isinstance(step, int)]
    return shorten(names[-1]) if names else "valeur"


# --- reading the models: which fields exist, what they accept ---------------------------------


def _aliases(model: type[BaseModel] | None) -> dict[str, str]:
    if model is None:
        return {}
    return {info.alias or name: name for name, info in model.model_fields.items()}


def _attribute(model: type[BaseModel], alias: str) -> str:
    return _aliases(model)[alias]


def _resolve(
    loc: tuple[Any, ...], root: type[BaseModel] = InventoryFile
) -> tuple[type[BaseModel] | None, Any]:
    """Walk the models along ``loc``: the model holding the last field, and that field's type."""
    model: type[BaseModel] | None = root
    annotation: Any = None
    for step in loc:
        if isinstance(step, int):
            continue
        if model is None:
            return None, None
        aliases = _aliases(model)
        if step not in aliases:
            return model, None
        annotation = model.model_fields[aliases[step]].annotation
        inner = _inner_model(annotation)
        if inner is not None and step != loc[-1]:
            model = inner
    return model, annotation


def _inner_model(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in get_args(annotation):
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


def _literal_values(annotation: Any) -> list[str]:
    if annotation is None:
        return []
    origin = get_origin(annotation)
    if origin is Literal:
        return [str(value) for value in get_args(annotation)]
    if origin in (Union, types.UnionType, list, typing.Annotated) or get_args(annotation):
        for arg in get_args(annotation):
            values = _literal_values(arg)
            if values:
                return values
    return []


def _description(model: type[BaseModel] | None, alias: str) -> str:
    aliases = _aliases(model)
    if model is None or alias not in aliases:
        return ""
    return model.model_fields[aliases[alias]].description or ""


def _suggest(name: str, known: list[str], model: type[BaseModel] | None) -> str:
    # Someone who read the code may write the English attribute name: point to its French key.
    english = {attribute: alias for alias, attribute in _aliases(model).items()}
    if name in english and english[name] != name:
        return f"le champ s'écrit « {english[name]} »"
    close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
    if close:
        return f"vouliez-vous dire « {close[0]} » ?"
    return f"champs possibles : {', '.join(known)}"


def _describe(value: Any) -> str:
    if isinstance(value, str):
        return f"le texte « {shorten(value)} »" if value else "un texte vide"
    if isinstance(value, bool):
        return f"la valeur {'true' if value else 'false'}"
    type_name = _TYPE_NAMES.get(type(value).__name__, type(value).__name__)
    if isinstance(value, (YamlMapping, YamlSequence)):
        return type_name
    if value is None:
        return "une valeur vide"
    return f"{type_name} ({value})"


def _slug(value: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode()
    slug = "".join(char if char.isalnum() else "-" for char in ascii_text.lower())
    slug = "-".join(part for part in slug.split("-") if part)
    return slug or "mon-identifiant"

"""Import of the *état des lieux*: the spreadsheet (XLSX or CSV) a métropole starts from.

A mapping file (``correspondance``, YAML, validated by :class:`SurveyMapping`) says which column
feeds which field, how to translate the spreadsheet's words into the inventory's values
("Métier" → ``metier``, "SaaS" → ``saas``) and which defaults apply. Each row is one application
owned by the commune of its row; the territory (communes), the urbanisation map (zones, quartiers,
blocs), vendors and products are built from the values met in the rows.

All or nothing: every row is checked, every problem is reported at once (``fichier:ligne``, with
the column at fault), the whole inventory is then validated in memory by ``check_inventory``, and
only a valid inventory is written, to a new directory (see ``common.write_directory_atomic``).

Values are matched forgivingly: case, accents, spaces and punctuation do not matter ("Métier",
"METIER" and "metier" are the same word), and a value that already is a valid inventory value
needs no translation.
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from cartographie.errors import InventoryError, Location, Problem, UsageError
from cartographie.interop.common import (
    InteropError,
    InventoryDraft,
    check_draft_files,
    check_unzipped_size,
    ensure_writable_directory,
    read_input,
    render_draft,
    slugify,
    write_directory_atomic,
)
from cartographie.inventory.yamlread import YamlMapping, YamlSequence, read_yaml_bytes
from cartographie.model.records import (
    Application,
    Block,
    Commune,
    Id,
    Metropole,
    Product,
    Vendor,
)
from cartographie.model.vocabulary import (
    API_OPENNESS,
    CNIL_SECTORS,
    GOVERNANCES,
    HOSTINGS,
    LAYERS,
    LIFECYCLES,
)

# The fields a column can feed. Application fields keep their YAML key; ``commune`` is the owner,
# ``editeur``/``produit``/``api`` build the vendor referential, ``zone``/``quartier`` place the
# row's blocs on the urbanisation map.
Target = Literal[
    "id",
    "nom",
    "description",
    "commune",
    "utilisateurs",
    "editeur",
    "produit",
    "api",
    "version",
    "couche",
    "blocs",
    "quartier",
    "zone",
    "hebergement",
    "cycle_de_vie",
    "secteurs_cnil",
    "responsable",
    "gouvernance",
    "cout_annuel",
    "mise_en_service",
    "retrait",
    "origine",
    "derniere_revue",
    "url",
    "hub",
]
TARGETS: tuple[str, ...] = get_args(Target)
REQUIRED_TARGETS = ("nom", "commune", "couche", "hebergement")
LIST_TARGETS = {"utilisateurs", "blocs", "secteurs_cnil"}
INT_TARGETS = {"cout_annuel", "mise_en_service", "retrait"}
ENUM_TARGETS: dict[str, tuple[str, ...]] = {
    "couche": LAYERS,
    "hebergement": HOSTINGS,
    "cycle_de_vie": LIFECYCLES,
    "gouvernance": GOVERNANCES,
    "api": API_OPENNESS,
    "secteurs_cnil": CNIL_SECTORS,
}
# Fields that go through unchanged into the application record.
_PASSTHROUGH = (
    "nom",
    "description",
    "version",
    "couche",
    "hebergement",
    "cycle_de_vie",
    "secteurs_cnil",
    "responsable",
    "gouvernance",
    "cout_annuel",
    "mise_en_service",
    "retrait",
    "origine",
    "derniere_revue",
    "url",
    "hub",
)
DEFAULT_VENDOR_API = "proprietaire"
DEFAULT_ZONE = ("etat-des-lieux", "État des lieux")
DEFAULT_DISTRICT = ("a-classer", "À classer")
_TRUE = {"oui", "o", "vrai", "true", "x", "1", "yes", "y"}
_FALSE = {"non", "n", "faux", "false", "0", "no", ""}


class MetropoleSpec(BaseModel):
    """The métropole the inventory describes (the spreadsheet rarely says)."""

    model_config = ConfigDict(extra="forbid", populate_by_name=False)
    id: Id = Field("metropole", alias="id")
    name: str = Field("Métropole", alias="nom", min_length=1)
    short_name: str | None = Field(None, alias="sigle")


class SurveyMapping(BaseModel):
    """The ``correspondance`` file: columns → fields, value translations, defaults."""

    model_config = ConfigDict(extra="forbid", populate_by_name=False)
    version: Literal[1] = Field(1, alias="version")
    sheet: str | None = Field(None, alias="feuille")
    header_row: int = Field(1, alias="ligne_entete", ge=1)
    list_separator: str = Field(";", alias="separateur_liste", min_length=1)
    metropole: MetropoleSpec = Field(default_factory=MetropoleSpec, alias="metropole")
    communes: list[dict[str, Any]] = Field([], alias="communes")
    columns: dict[Target, str] = Field(alias="colonnes", min_length=1)
    values: dict[Target, dict[str, str]] = Field({}, alias="valeurs")
    defaults: dict[Target, str | int | bool | list[str]] = Field({}, alias="defauts")


@dataclass
class SurveySummary:
    """What an import wrote."""

    rows: int
    applications: int
    communes: int
    blocks: int
    vendors: int
    products: int

    def message(self, target: Path) -> str:
        return (
            f"Inventaire écrit dans {target} : {self.applications} applications "
            f"({self.rows} lignes), {self.communes} communes, {self.blocks} blocs, "
            f"{self.vendors} éditeurs, {self.products} produits."
        )


# --- reading the spreadsheet ------------------------------------------------------------------


@dataclass
class Sheet:
    """The rows of a spreadsheet: header names, then each row with its number (as shown)."""

    name: str
    header: list[str]
    header_row: int
    rows: list[tuple[int, list[Any]]]


def read_sheet(path: Path, sheet: str | None = None, header_row: int = 1) -> Sheet:
    """Read a CSV or XLSX file into a :class:`Sheet`; :class:`InteropError` if unreadable."""
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        raw_rows = list(_xlsx_rows(path, sheet))
    elif suffix in (".csv", ".txt"):
        raw_rows = list(_csv_rows(path))
    else:
        raise UsageError(
            f"format de tableur non reconnu : « {path.name} »",
            "donnez un fichier .xlsx ou .csv (enregistrez un .xls ou un .ods en .xlsx)",
        )
    header_index = next(
        (index for index, (number, _) in enumerate(raw_rows) if number == header_row), None
    )
    if header_index is None:
        raise InteropError(
            f"{path.name} : pas de ligne d'en-tête à la ligne {header_row}",
            "le tableur est vide, ou « ligne_entete » de la correspondance est faux",
        )
    header = [_text(value) for value in raw_rows[header_index][1]]
    while header and not header[-1]:
        header.pop()
    rows = [(number, values) for number, values in raw_rows[header_index + 1 :]]
    return Sheet(path.name, header, header_row, rows)


def _xlsx_rows(path: Path, sheet: str | None) -> Iterator[tuple[int, list[Any]]]:
    from openpyxl import load_workbook

    data = read_input(path)
    check_unzipped_size(path, data)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises zipfile, KeyError, InvalidFileException…
        raise InteropError(
            f"{path.name} : classeur XLSX illisible ({type(error).__name__}: {error})",
            "ouvrez-le et réenregistrez-le au format .xlsx, ou exportez la feuille en CSV",
        ) from None
    try:
        if sheet is None:
            worksheet = workbook.worksheets[0]
        elif sheet in workbook.sheetnames:
            worksheet = workbook[sheet]
        else:
            close = difflib.get_close_matches(sheet, workbook.sheetnames, n=1)
            raise InteropError(
                f"{path.name} : pas de feuille « {sheet} »",
                f"vouliez-vous dire « {close[0]} » ?"
                if close
                else f"feuilles : {', '.join(workbook.sheetnames)}",
            )
        for number, values in enumerate(worksheet.iter_rows(values_only=True), start=1):
            yield number, list(values)
    finally:
        workbook.close()


def _csv_rows(path: Path) -> Iterator[tuple[int, list[Any]]]:
    raw = read_input(path)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel in a French locale saves "CSV" in Windows-1252 unless told otherwise.
        text = raw.decode("cp1252", errors="replace")
    first_line = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    line = 1
    for values in reader:
        yield line, values
        line = reader.line_num + 1


# --- matching values --------------------------------------------------------------------------


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def match_key(text: str) -> str:
    """The key under which a spreadsheet word is matched: no case, accents nor punctuation."""
    return slugify(text, max_length=1000)


class _RowError(Exception):
    def __init__(self, code: str, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.hint = hint


@dataclass
class _BlockPlace:
    name: str
    district: str
    row: int


@dataclass
class _Builder:
    mapping: SurveyMapping
    sheet: Sheet
    mapping_name: str
    problems: list[Problem] = field(default_factory=list)
    translations: dict[str, dict[str, str]] = field(default_factory=dict)
    column_index: dict[str, int] = field(default_factory=dict)
    communes: dict[str, Commune] = field(default_factory=dict)
    commune_names: dict[str, str] = field(default_factory=dict)
    commune_lookup: dict[str, str] = field(default_factory=dict)
    zones: dict[str, str] = field(default_factory=dict)
    districts: dict[str, tuple[str, str]] = field(default_factory=dict)
    blocks: dict[str, _BlockPlace] = field(default_factory=dict)
    vendors: dict[str, tuple[str, str, int]] = field(default_factory=dict)
    products: dict[str, tuple[str, str, int]] = field(default_factory=dict)
    applications: dict[str, list[Application]] = field(default_factory=dict)
    application_rows: dict[str, int] = field(default_factory=dict)

    # --- problems -------------------------------------------------------------------------

    def row_problem(self, row: int, code: str, message: str, hint: str = "") -> None:
        self.problems.append(Problem(code, Location(self.sheet.name, row), message, hint))

    def mapping_problem(self, code: str, message: str, hint: str = "") -> None:
        self.problems.append(Problem(code, Location(self.mapping_name), message, hint))

    # --- the mapping against the header ---------------------------------------------------

    def check_mapping(self) -> None:
        header = self.sheet.header
        positions: dict[str, int] = {}
        for index, name in enumerate(header):
            if name and name in positions:
                self.row_problem(
                    self.sheet.header_row,
                    "E301",
                    f"colonne « {name} » en double dans l'en-tête",
                    "renommez l'une des deux colonnes",
                )
            positions.setdefault(name, index)
        by_key = {match_key(name): index for name, index in positions.items() if name}
        for mapped, column in self.mapping.columns.items():
            found = positions.get(column.strip())
            if found is None:
                found = by_key.get(match_key(column))
            if found is None:
                close = difflib.get_close_matches(column, [h for h in header if h], n=1)
                self.mapping_problem(
                    "E302",
                    f"colonnes.{mapped} : colonne « {column} » absente de {self.sheet.name}",
                    f"vouliez-vous dire « {close[0]} » ?"
                    if close
                    else f"colonnes du tableur : {', '.join(h for h in header if h)}",
                )
                continue
            self.column_index[mapped] = found
        for target in REQUIRED_TARGETS:
            if target not in self.mapping.columns and target not in self.mapping.defaults:
                self.mapping_problem(
                    "E202",
                    f"champ obligatoire « {target} » : ni colonne ni valeur par défaut",
                    f"ajoutez « {target}: <nom de la colonne> » sous « colonnes », "
                    f"ou « {target}: <valeur> » sous « defauts »",
                )
        for target, table in self.mapping.values.items():
            self.translations[target] = {match_key(raw): value for raw, value in table.items()}

    # --- territory --------------------------------------------------------------------------

    def declare_communes(self) -> None:
        for index, raw in enumerate(self.mapping.communes):
            try:
                commune = Commune.model_validate(raw)
            except ValidationError as error:
                for detail in error.errors(include_url=False):
                    where = ".".join(str(step) for step in detail["loc"])
                    self.mapping_problem(
                        "E204",
                        f"communes n° {index + 1} : {where} : {detail['msg']}",
                        "une commune a au moins « id » et « nom »",
                    )
                continue
            self.communes[commune.id] = commune
            self.commune_lookup[match_key(commune.id)] = commune.id
            self.commune_lookup[match_key(commune.name)] = commune.id

    def organisation(self, target: str, raw: str) -> str:
        """The id of the commune (or the métropole) a cell names; declares new communes."""
        key = match_key(raw)
        translated = self.translations.get("commune", {}).get(key)
        metropole = self.mapping.metropole
        if translated is None and key in (match_key(metropole.id), match_key(metropole.name)):
            translated = metropole.id
        if translated is None and metropole.short_name and key == match_key(metropole.short_name):
            translated = metropole.id
        if translated is None:
            translated = self.commune_lookup.get(key)
        identifier = translated if translated is not None else slugify(raw)
        if not identifier:
            raise _RowError("E205", f"« {raw} » ne donne pas d'identifiant de commune")
        if identifier == metropole.id:
            return identifier
        if slugify(identifier) != identifier:
            raise _RowError(
                "E205",
                f"valeurs.{target} traduit « {raw} » en « {identifier} », qui n'est pas un "
                "identifiant",
                f"écrivez un identifiant en minuscules et tirets : « {slugify(identifier)} »",
            )
        if identifier not in self.communes:
            self.communes[identifier] = Commune.model_validate({"id": identifier, "nom": raw})
        self.commune_lookup.setdefault(key, identifier)
        return identifier

    # --- one row ----------------------------------------------------------------------------

    def cell(self, values: list[Any], target: str) -> Any:
        index = self.column_index.get(target)
        value = values[index] if index is not None and index < len(values) else None
        if value is None or _text(value) == "":
            return self.mapping.defaults.get(target)  # type: ignore[call-overload]
        return value

    def column_name(self, target: str) -> str:
        if target in self.mapping.columns:
            return f"colonne « {self.mapping.columns[target]} »"
        return f"valeur par défaut de « {target} »"

    def enum_value(self, target: str, raw: str) -> str:
        allowed = ENUM_TARGETS[target]
        key = match_key(raw)
        translated = self.translations.get(target, {}).get(key)
        candidate = translated if translated is not None else key
        if candidate in allowed:
            return candidate
        if translated is not None:
            raise _RowError(
                "E203",
                f"valeurs.{target} traduit « {raw} » en « {translated} », qui n'est pas une "
                f"valeur possible",
                f"valeurs possibles : {', '.join(allowed)}",
            )
        close = difflib.get_close_matches(key, list(allowed), n=1, cutoff=0.5)
        hint = f"valeurs possibles : {', '.join(allowed)}"
        if close:
            hint += f" ; vouliez-vous dire « {close[0]} » ?"
        hint += f" ; ou ajoutez « {raw}: <valeur> » sous « valeurs.{target} » de la correspondance"
        raise _RowError("E203", f"« {raw} » n'est pas une valeur possible de « {target} »", hint)

    def split(self, value: Any) -> list[str]:
        if isinstance(value, list):
            return [_text(item) for item in value if _text(item)]
        text = _text(value)
        separator = self.mapping.list_separator
        parts = [part.strip() for part in text.split(separator)]
        return [part for part in parts if part]

    def convert(self, target: str, value: Any) -> Any:
        if target in LIST_TARGETS:
            items = self.split(value)
            if target in ENUM_TARGETS:
                return [self.enum_value(target, item) for item in items]
            return items
        if target in ENUM_TARGETS:
            return self.enum_value(target, _text(value))
        if target in INT_TARGETS:
            return _integer(target, value)
        if target == "hub":
            return _boolean(value)
        if target == "derniere_revue":
            return _date(value)
        return _text(value)

    def read_row(self, number: int, values: list[Any]) -> dict[str, Any] | None:
        """The row's converted values by target; ``None`` (problems recorded) if any is bad."""
        converted: dict[str, Any] = {}
        ok = True
        for target in TARGETS:
            value = self.cell(values, target)
            if value is None or (isinstance(value, list) and not value):
                continue
            try:
                converted[target] = self.convert(target, value)
            except _RowError as error:
                self.row_problem(
                    number, error.code, f"{self.column_name(target)} : {error.message}", error.hint
                )
                ok = False
        for target in REQUIRED_TARGETS:
            if target in (self.mapping.columns.keys() | self.mapping.defaults.keys()) and (
                target not in converted and ok
            ):
                self.row_problem(
                    number,
                    "E202",
                    f"{self.column_name(target)} : valeur obligatoire manquante",
                    f"remplissez la cellule, ou donnez « {target} » sous « defauts »",
                )
                ok = False
        return converted if ok else None

    def add_row(self, number: int, values: list[Any]) -> None:
        row = self.read_row(number, values)
        if row is None:
            return
        try:
            owner = self.organisation("commune", row["commune"])
            users = [
                self.organisation("utilisateurs", name) for name in row.get("utilisateurs", [])
            ]
        except _RowError as error:
            self.row_problem(
                number, error.code, f"{self.column_name('commune')} : {error.message}", error.hint
            )
            return
        record: dict[str, Any] = {key: row[key] for key in _PASSTHROUGH if key in row}
        if "id" in row:
            identifier = slugify(row["id"])
            if not identifier:
                self.row_problem(
                    number,
                    "E205",
                    f"{self.column_name('id')} : « {row['id']} » ne donne pas d'identifiant",
                    "donnez un code avec des lettres",
                )
                return
        else:
            identifier = slugify(f"{owner} {row['nom']}")
        if identifier in self.application_rows:
            first = self.application_rows[identifier]
            self.row_problem(
                number,
                "E301",
                f"application « {identifier} » en double : déjà à la ligne {first}",
                "supprimez le doublon, ou distinguez les deux lignes par leur nom ou par une "
                "colonne d'identifiants",
            )
            return
        record["id"] = identifier
        if users:
            record["utilisateurs"] = sorted(set(users))
        blocks = self.place_blocks(number, row)
        if blocks is None:
            return
        if blocks:
            record["blocs"] = blocks
        product = self.product_of(number, row)
        if product is False:
            return
        if product:
            record["produit"] = product
        # Keys in the model's order, so that the YAML reads like a hand-written one.
        aliases = [info.alias for info in Application.model_fields.values()]
        ordered = {alias: record[alias] for alias in aliases if alias in record}
        try:
            application = Application.model_validate(ordered)
        except ValidationError as error:
            for detail in error.errors(include_url=False):
                key = str(detail["loc"][0]) if detail["loc"] else ""
                target = key if key in TARGETS else "id"
                self.row_problem(
                    number,
                    "E206",
                    f"{self.column_name(target)} : valeur « {detail.get('input')} » refusée "
                    f"({detail['msg']})",
                    "corrigez la cellule",
                )
            return
        self.application_rows[identifier] = number
        self.applications.setdefault(owner, []).append(application)

    def place_blocks(self, number: int, row: dict[str, Any]) -> list[str] | None:
        names: list[str] = row.get("blocs", [])
        if not names:
            return []
        zone_name = row.get("zone")
        district_name = row.get("quartier")
        zone_id = f"zone-{slugify(zone_name)}" if zone_name and slugify(zone_name) else None
        if district_name and slugify(district_name):
            district_id = f"quartier-{slugify(district_name)}"
        elif zone_id is not None:
            district_id = f"quartier-{zone_id.removeprefix('zone-')}"
            district_name = f"{zone_name} (à classer)"
        else:
            district_id, district_name = f"quartier-{DEFAULT_DISTRICT[0]}", DEFAULT_DISTRICT[1]
        if zone_id is None:
            zone_id, zone_name = f"zone-{DEFAULT_ZONE[0]}", DEFAULT_ZONE[1]
        self.zones.setdefault(zone_id, str(zone_name))
        known = self.districts.setdefault(district_id, (str(district_name), zone_id))
        if known[1] != zone_id:
            self.row_problem(
                number,
                "E303",
                f"{self.column_name('quartier')} : le quartier « {district_name} » est déjà rangé "
                f"dans la zone « {self.zones[known[1]]} »",
                "un quartier appartient à une seule zone : harmonisez la colonne des zones",
            )
            return None
        identifiers = []
        for name in names:
            block_id = slugify(name)
            if not block_id:
                self.row_problem(
                    number,
                    "E205",
                    f"{self.column_name('blocs')} : « {name} » ne donne pas d'identifiant de bloc",
                    "nommez le bloc avec des lettres",
                )
                return None
            place = self.blocks.setdefault(block_id, _BlockPlace(name, district_id, number))
            if place.district != district_id:
                self.row_problem(
                    number,
                    "E303",
                    f"{self.column_name('blocs')} : le bloc « {name} » est rangé dans le quartier "
                    f"« {self.districts[place.district][0]} » à la ligne {place.row}, et ici dans "
                    f"« {district_name} »",
                    "un bloc appartient à un seul quartier : harmonisez les lignes",
                )
                return None
            if block_id not in identifiers:
                identifiers.append(block_id)
        return identifiers

    def product_of(self, number: int, row: dict[str, Any]) -> str | Literal[False] | None:
        vendor_name = row.get("editeur")
        product_name = row.get("produit")
        if not vendor_name and not product_name:
            return None
        if vendor_name:
            vendor_id = slugify(vendor_name) or "editeur-non-precise"
        else:
            vendor_id, vendor_name = "editeur-non-precise", "Éditeur non précisé"
        api = row.get("api", DEFAULT_VENDOR_API)
        known_vendor = self.vendors.setdefault(vendor_id, (str(vendor_name), api, number))
        if known_vendor[1] != api:
            self.row_problem(
                number,
                "E206",
                f"{self.column_name('api')} : « {api} » pour l'éditeur « {vendor_name} », "
                f"noté « {known_vendor[1]} » à la ligne {known_vendor[2]}",
                "un éditeur a une seule ouverture d'API : harmonisez les lignes",
            )
            return False
        if product_name:
            product_id = slugify(product_name) or f"{vendor_id}-produit"
        else:
            product_id, product_name = (
                f"{vendor_id}-produit",
                f"{vendor_name} (produit non précisé)",
            )
        known_product = self.products.setdefault(product_id, (str(product_name), vendor_id, number))
        if known_product[1] != vendor_id:
            self.row_problem(
                number,
                "E206",
                f"{self.column_name('produit')} : le produit « {product_name} » est attribué à "
                f"l'éditeur « {self.vendors[known_product[1]][0]} » à la ligne {known_product[2]}",
                "un produit a un seul éditeur : harmonisez les lignes",
            )
            return False
        return product_id

    # --- the inventory --------------------------------------------------------------------

    def draft(self) -> InventoryDraft:
        spec = self.mapping.metropole
        metropole = Metropole.model_validate(
            {
                "id": spec.id,
                "nom": spec.name,
                **({"sigle": spec.short_name} if spec.short_name else {}),
            }
        )
        blocks = [
            Block.model_validate({"id": zone_id, "nom": name, "niveau": "zone"})
            for zone_id, name in self.zones.items()
        ]
        blocks += [
            Block.model_validate(
                {"id": district_id, "nom": name, "niveau": "quartier", "parent": zone_id}
            )
            for district_id, (name, zone_id) in self.districts.items()
        ]
        blocks += [
            Block.model_validate(
                {"id": block_id, "nom": place.name, "niveau": "bloc", "parent": place.district}
            )
            for block_id, place in self.blocks.items()
        ]
        vendors = [
            Vendor.model_validate({"id": vendor_id, "nom": name, "api": api})
            for vendor_id, (name, api, _row) in self.vendors.items()
        ]
        products = [
            Product.model_validate({"id": product_id, "nom": name, "editeur": vendor_id})
            for product_id, (name, vendor_id, _row) in self.products.items()
        ]
        return InventoryDraft(
            metropole=metropole,
            communes=list(self.communes.values()),
            blocks=blocks,
            vendors=vendors,
            products=products,
            applications=self.applications,
            provenance=f"Importé de l'état des lieux {self.sheet.name} par cartographie.",
        )


def _integer(target: str, value: Any) -> int:
    if isinstance(value, bool):
        raise _RowError("E204", f"attendu un nombre entier, trouvé « {value} »")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return round(value)
    if isinstance(value, dt.datetime | dt.date) and target in ("mise_en_service", "retrait"):
        return value.year
    text = re.sub(r"[\s\u00a0\u202f€]|EUR", "", _text(value), flags=re.IGNORECASE)
    if re.fullmatch(r"-?\d{1,3}(\.\d{3})+", text):  # 18.000 written with a thousands dot
        text = text.replace(".", "")
    text = text.replace(",", ".")
    try:
        return round(float(text))
    except ValueError:
        raise _RowError(
            "E204",
            f"attendu un nombre entier, trouvé « {_text(value)} »",
            "écrivez le nombre seul, par exemple 18000",
        ) from None


def _boolean(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    key = match_key(_text(value))
    if key in _TRUE:
        return True
    if key in _FALSE:
        return False
    raise _RowError("E204", f"attendu oui ou non, trouvé « {_text(value)} »", "écrivez oui ou non")


def _date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _text(value)
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y", "%d.%m.%Y"):
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise _RowError(
        "E204", f"attendu une date, trouvé « {text} »", "écrivez JJ/MM/AAAA ou AAAA-MM-JJ"
    )


# --- the mapping file -------------------------------------------------------------------------


def load_mapping(path: Path) -> SurveyMapping:
    """Read and validate the ``correspondance`` file; :class:`InventoryError` if it is wrong."""
    document = read_yaml_bytes(read_input(path), path.name)
    if document.problems:
        raise InventoryError(document.problems)
    data = document.data
    if not isinstance(data, YamlMapping):
        raise InventoryError(
            [
                Problem(
                    "E204",
                    Location(path.name, 1),
                    "la correspondance doit être un objet (clé: valeur)",
                    "voir examples/etat-des-lieux/correspondance.yaml",
                )
            ]
        )
    try:
        return SurveyMapping.model_validate(data)
    except ValidationError as error:
        problems = [_mapping_problem(path.name, data, detail) for detail in error.errors()]
        raise InventoryError(problems) from None


def _mapping_problem(name: str, data: YamlMapping, detail: Any) -> Problem:
    loc = tuple(detail["loc"])
    line = data.line
    node: Any = data
    for step in loc:
        if isinstance(node, YamlMapping) and step in node:
            line = node.key_lines.get(step, line)
            node = node[step]
        elif isinstance(node, YamlSequence) and isinstance(step, int) and step < len(node):
            line = node.item_lines[step]
            node = node[step]
        else:
            break
    where = ".".join(str(step) for step in loc if step != "[key]")
    kind = detail["type"]
    value = detail.get("input")
    if kind == "extra_forbidden":
        known = sorted(info.alias or key for key, info in SurveyMapping.model_fields.items())
        close = difflib.get_close_matches(str(loc[-1]), known, n=1)
        return Problem(
            "E201",
            Location(name, line),
            f"clé « {where} » inconnue dans la correspondance",
            f"vouliez-vous dire « {close[0]} » ?" if close else f"clés : {', '.join(known)}",
        )
    if kind == "literal_error" and "[key]" in loc:
        close = difflib.get_close_matches(str(value), TARGETS, n=1)
        return Problem(
            "E203",
            Location(name, line),
            f"{where} : « {value} » n'est pas un champ que le tableur peut alimenter",
            (f"vouliez-vous dire « {close[0]} » ? " if close else "")
            + f"champs : {', '.join(TARGETS)}",
        )
    if kind == "missing":
        return Problem(
            "E202",
            Location(name, line),
            f"clé obligatoire « {where} » manquante dans la correspondance",
            "« colonnes » dit quelle colonne alimente quel champ, par exemple « nom: Application »",
        )
    return Problem(
        "E204",
        Location(name, line),
        f"{where} : valeur « {value} » refusée ({detail['msg']})",
        "voir docs/echanges.md, « Le fichier de correspondance »",
    )


# --- entry points -----------------------------------------------------------------------------


def build_survey_files(
    spreadsheet: Path, mapping_path: Path, target: Path
) -> tuple[dict[str, bytes], SurveySummary]:
    """Read, translate and validate: the files of the new inventory, or every problem at once."""
    mapping = load_mapping(mapping_path)
    sheet = read_sheet(spreadsheet, mapping.sheet, mapping.header_row)
    builder = _Builder(mapping, sheet, mapping_path.name)
    builder.check_mapping()
    builder.declare_communes()
    if builder.problems:
        raise InventoryError(builder.problems)
    rows = 0
    for number, values in sheet.rows:
        if all(_text(value) == "" for value in values):
            continue
        rows += 1
        builder.add_row(number, values)
    if builder.problems:
        raise InventoryError(builder.problems)
    if rows == 0:
        raise InteropError(f"{sheet.name} : aucune ligne de données sous l'en-tête")
    draft = builder.draft()
    files = render_draft(draft)
    inventory = check_draft_files(target, files)
    summary = SurveySummary(
        rows=rows,
        applications=len(inventory.applications),
        communes=len(inventory.communes),
        blocks=sum(1 for block in inventory.blocks.values() if block.level == "bloc"),
        vendors=len(inventory.vendors),
        products=len(inventory.products),
    )
    return files, summary


def import_survey(
    spreadsheet: Path, mapping_path: Path, target: Path, *, force: bool = False
) -> SurveySummary:
    """Import the spreadsheet into a new inventory directory ``target`` (all or nothing)."""
    ensure_writable_directory(target, force)
    files, summary = build_survey_files(spreadsheet, mapping_path, target)
    write_directory_atomic(target, files, force=force)
    return summary

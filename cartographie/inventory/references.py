"""Cross-file checks: unique ids, references that resolve, bloc hierarchy, flows and hubs.

Takes the records that passed the shape check, files them into an :class:`Inventory` and reports
every problem that involves more than one record, each at the ``file:line`` of the field at fault,
with the closest existing id as a suggestion.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Collection, Mapping
from pathlib import Path
from typing import Any

from cartographie.errors import Location, Problem
from cartographie.inventory.programmes import check_programmes
from cartographie.inventory.shape import SECTIONS, CheckedFile, CheckedRecord
from cartographie.inventory.yamlread import YamlMapping, YamlSequence
from cartographie.model.dates import day_of, show_date
from cartographie.model.inventory import Inventory
from cartographie.model.names import WINDOWS_RESERVED_IDS
from cartographie.model.records import (
    Application,
    CostParameters,
    Flow,
    Metropole,
    Record,
    RecordedDiagnostic,
    RuleSetting,
    Step,
)

# Kind of referenced object -> its noun in messages.
_NOUNS = {
    "organisation": "organisation (métropole, commune ou partenaire)",
    "commune": "commune",
    "commune-metropole": "commune de la métropole",
    "secteur": "secteur d'intervention",
    "utilisateur": "commune ou métropole",
    "autorite": "métropole ou commune",
    "domaine": "domaine",
    "centre": "centre de données",
    "bloc": "bloc",
    "etape": "étape",
    "donnee": "donnée",
    "editeur": "éditeur",
    "produit": "produit",
    "delegation": "délégation",
    "application": "application",
    "chantier": "chantier",
}

# Section -> (id namespace, Inventory attribute, noun for "already used by …").
_INDEXED_SECTIONS = (
    ("communes", "organisation", "communes", "une organisation"),
    ("autres_communes", "organisation", "other_communes", "une organisation"),
    ("secteurs", "secteur", "sectors", "un secteur"),
    ("partenaires", "organisation", "partners", "une organisation"),
    ("domaines", "domaine", "domains", "un domaine"),
    ("centres_de_donnees", "centre", "datacenters", "un centre de données"),
    ("blocs", "bloc", "blocks", "un bloc"),
    ("processus", "processus", "processes", "un processus"),
    ("donnees", "donnee", "data_objects", "une donnée"),
    ("editeurs", "editeur", "vendors", "un éditeur"),
    ("produits", "produit", "products", "un produit"),
    ("delegations", "delegation", "delegations", "une délégation"),
    ("chantiers", "chantier", "programmes", "un chantier"),
    ("applications", "application", "applications", "une application"),
)

# Where the métropole and its communes are described (DESIGN.md §3).
TERRITORY_FILE = "territoire.yaml"
COSTS_FILE = "referentiel/couts.yaml"

# Which level may hold which: a zone is at the top, a bloc may be split into sub-blocs.
_PARENT_LEVELS = {"zone": (), "quartier": ("zone",), "bloc": ("quartier", "bloc")}


def build_inventory(root: Path, files: list[CheckedFile]) -> tuple[Inventory | None, list[Problem]]:
    """File the records into an inventory and check everything that spans records."""
    checker = _Checker(files)
    metropole, by_section = checker.sort_records()
    if metropole is None:
        if checker.maybe_declared("metropole"):
            return None, checker.problems  # the file at fault is already reported
        checker.add(
            "E402",
            Location(TERRITORY_FILE),
            "aucune section « metropole » dans l'inventaire",
            "décrivez la métropole et ses communes dans territoire.yaml (voir docs/inventaire.md)",
        )
        return None, checker.problems
    inventory = Inventory(root=root, metropole=metropole)
    checker.index(inventory, by_section)
    checker.check_territory(inventory)
    checker.check_blocks(inventory)
    checker.check_referential(inventory)
    checker.check_applications(inventory)
    checker.check_flows(inventory)
    checker.check_processes(inventory)
    check_programmes(checker, inventory)
    return inventory, checker.problems


class _Checker:
    """Holds the records being filed, their raw mappings, and the problems found."""

    def __init__(self, files: list[CheckedFile]) -> None:
        self.files = files
        self.problems: list[Problem] = []
        # Ids written in records that failed their shape check: not "dangling" when referenced.
        self.broken_ids: set[str] = set().union(*(checked.broken_ids for checked in files))
        # A file refused unread may declare anything: a reference that does not resolve may
        # point into it, and blaming each one would bury the one real fault (the file).
        self.blind = any(checked.unread for checked in files)
        self.seen: dict[tuple[str, str], Location] = {}
        # id(record) -> the record with its raw mapping, to find the line of any of its fields.
        self.raw: dict[int, CheckedRecord] = {}

    # --- helpers ------------------------------------------------------------------------------

    def add(self, code: str, where: Location, message: str, hint: str = "") -> None:
        self.problems.append(Problem(code, where, message, hint))

    def line_of(self, record: Record, key: str, index: int | None = None) -> Location:
        """The location of a record's field (of one item when the field is a list)."""
        checked = self.raw.get(id(record))
        if checked is None:
            return record.origin
        raw = checked.raw
        line = raw.key_lines.get(key, raw.line)
        value = raw.get(key)
        if index is not None and isinstance(value, YamlSequence) and index < len(value):
            line = value.item_lines[index]
        return Location(checked.path, line)

    def check_reserved(self, record_id: str, where: Location) -> None:
        if record_id in WINDOWS_RESERVED_IDS:
            self.add(
                "E310",
                where,
                f"identifiant « {record_id} » réservé par Windows à un périphérique : il "
                "deviendrait un nom de fichier impossible à créer",
                f"choisissez-en un autre, par exemple « {record_id}-1 »",
            )

    def register(self, namespace: str, record_id: str, where: Location, noun: str) -> bool:
        """Record an id in its namespace; False (and a problem) if it is already taken."""
        self.check_reserved(record_id, where)
        key = (namespace, record_id)
        if key in self.seen:
            self.add(
                "E301",
                where,
                f"identifiant « {record_id} » déjà utilisé par {noun} en {self.seen[key]}",
                "chaque identifiant est unique dans l'inventaire : renommez l'un des deux",
            )
            return False
        self.seen[key] = where
        return True

    def reference(
        self,
        record: Record,
        key: str,
        value: str | None,
        known: Collection[str],
        kind: str,
        index: int | None = None,
    ) -> bool:
        """Report ``value`` if it names nothing of its kind; True when it resolves."""
        if value is None:
            return False
        if value in known:
            return True
        if value in self.broken_ids or self.blind:
            return False  # its own record is broken, or its file unread: already reported
        close = difflib.get_close_matches(value, sorted(known), n=1, cutoff=0.6)
        hint = (
            f"vouliez-vous dire « {close[0]} » ?"
            if close
            else f"déclarez {_NOUNS[kind]} « {value} » ou corrigez la référence"
        )
        self.add(
            "E302",
            self.line_of(record, key, index),
            f"{key} : {_NOUNS[kind]} « {value} » introuvable{_record_phrase(record)}",
            hint,
        )
        return False

    def maybe_declared(self, section: str) -> bool:
        """True when the section may be in a file that could not be read, or is there but
        broken: saying it is missing would send the user looking for the wrong fault."""
        return any(
            not checked.readable or section in checked.broken_sections for checked in self.files
        )

    # --- filing -------------------------------------------------------------------------------

    def sort_records(self) -> tuple[Metropole | None, dict[str, list[CheckedRecord]]]:
        metropoles: list[Metropole] = []
        by_section: dict[str, list[CheckedRecord]] = {}
        for checked in self.files:
            for item in checked.records:
                item.record.locate(Location(item.path, item.raw.line))
                self.raw[id(item.record)] = item
                if isinstance(item.record, Metropole):
                    metropoles.append(item.record)
                    continue
                by_section.setdefault(item.section, []).append(item)
        if not metropoles:
            return None, by_section
        # The one in territoire.yaml (DESIGN.md §3) is the métropole; any other is the intruder,
        # and references to its id are not reported again as dangling.
        metropole = next(
            (item for item in metropoles if item.origin.path == TERRITORY_FILE), metropoles[0]
        )
        for other in metropoles:
            if other is not metropole:
                self.broken_ids.add(other.id)
                self.add(
                    "E301",
                    other.origin,
                    f"deuxième section « metropole » (celle de l'inventaire est en "
                    f"{metropole.origin})",
                    "un inventaire décrit une seule métropole : retirez celle-ci",
                )
        return metropole, by_section

    def index(self, inventory: Inventory, by_section: dict[str, list[CheckedRecord]]) -> None:
        self.register(
            "organisation", inventory.metropole.id, inventory.metropole.origin, "la métropole"
        )
        for section, namespace, attribute, noun in _INDEXED_SECTIONS:
            found: dict[str, Any] = {}
            for item in sorted(by_section.get(section, []), key=lambda item: item.record.origin):
                record_id: str = item.record.id  # type: ignore[attr-defined]
                if self.register(namespace, record_id, self.line_of(item.record, "id"), noun):
                    found[record_id] = item.record
            # Sorted by id: iteration order is part of deterministic output.
            setattr(inventory, attribute, dict(sorted(found.items())))
        inventory.flows = [item.record for item in by_section.get("flux", [])]  # type: ignore[misc]
        self.index_change_tracking(inventory, by_section)
        self.index_costs(inventory, by_section)

    def index_costs(self, inventory: Inventory, by_section: dict[str, list[CheckedRecord]]) -> None:
        """The cost parameters: one ``couts`` section in the inventory (DESIGN.md §10)."""
        # The one in referentiel/couts.yaml (DESIGN.md §10) is the inventory's, as territoire.yaml
        # holds the métropole; any other is the duplicate.
        found = sorted(
            (item.record for item in by_section.get("couts", [])),
            key=lambda record: (record.origin.path != COSTS_FILE, record.origin),
        )
        for other in found[1:]:
            self.add(
                "E301",
                other.origin,
                f"deuxième section « couts » (celle de l'inventaire est en {found[0].origin})",
                "les paramètres de coût se déclarent une fois, dans referentiel/couts.yaml : "
                "fusionnez les deux",
            )
        if found and isinstance(found[0], CostParameters):
            inventory.costs = found[0]

    def index_change_tracking(
        self, inventory: Inventory, by_section: dict[str, list[CheckedRecord]]
    ) -> None:
        """Rule settings by code (one setting per rule), recorded diagnostics in date order.

        A recorded diagnostic is history: its communes and blocs are not checked as references,
        since a later change may remove them without making the record wrong.
        """
        rules: dict[str, RuleSetting] = {}
        for item in sorted(by_section.get("regles", []), key=lambda item: item.record.origin):
            setting = item.record
            if not isinstance(setting, RuleSetting):
                continue
            if setting.code in rules:
                self.add(
                    "E301",
                    self.line_of(setting, "code"),
                    f"règle « {setting.code} » déjà réglée en {rules[setting.code].origin}",
                    "une règle se règle une fois : fusionnez les deux réglages",
                )
                continue
            rules[setting.code] = setting
        inventory.rules = dict(sorted(rules.items()))
        diagnostics = [
            item.record
            for item in by_section.get("diagnostic", [])
            if isinstance(item.record, RecordedDiagnostic)
        ]
        inventory.diagnostics = sorted(
            diagnostics, key=lambda record: (record.date, record.project, record.origin)
        )

    # --- territory and referential ------------------------------------------------------------

    def check_territory(self, inventory: Inventory) -> None:
        # No commune is a valid territory: a métropole that starts from its own applications, or
        # one organisation's inventory imported from a spreadsheet or a developer catalogue.
        for commune in inventory.communes.values():
            for index, mutualisation in enumerate(commune.mutualisations):
                self.reference(
                    commune,
                    "mutualisations",
                    mutualisation.domain,
                    inventory.domains,
                    "domaine",
                    index,
                )
                until = mutualisation.until
                if until is not None and day_of(until) <= day_of(mutualisation.since):
                    self.add(
                        "E206",
                        self.line_of(commune, "mutualisations", index),
                        f"mutualisations : jusqu_a {show_date(until)} n'est pas après depuis "
                        f"{show_date(mutualisation.since)} (domaine « {mutualisation.domain} » "
                        f"de « {commune.id} »)",
                        "« jusqu_a » est le jour où la commune quitte le domaine : après son "
                        "adhésion (une année vaut le 1er janvier)",
                    )
        for domain in inventory.domains.values():
            for index, block_id in enumerate(domain.blocks):
                self.reference(domain, "blocs", block_id, inventory.blocks, "bloc", index)
        every_commune = {*inventory.communes, *inventory.other_communes}
        for datacenter in inventory.datacenters.values():
            self.reference(
                datacenter, "commune", datacenter.commune, every_commune, "commune-metropole"
            )
            backup = self.reference(
                datacenter, "secours", datacenter.backup, inventory.datacenters, "centre"
            )
            if backup and datacenter.backup == datacenter.id:
                self.add(
                    "E206",
                    self.line_of(datacenter, "secours"),
                    f"le centre de données « {datacenter.id} » se secourt lui-même",
                    "« secours » désigne l'autre centre, où ses applications sont reprises",
                )
        self.check_sectors(inventory, every_commune)

    def check_sectors(self, inventory: Inventory, every_commune: set[str]) -> None:
        """Each area names a commune of the métropole; a commune shared between sectors says
        which part each covers, and a sector names a commune once."""
        covering: dict[str, list[str]] = {}
        for sector in inventory.sectors.values():
            seen: set[str] = set()
            for index, area in enumerate(sector.areas):
                if not self.reference(
                    sector, "perimetre", area.commune, every_commune, "commune-metropole", index
                ):
                    continue
                if area.commune in seen:
                    self.add(
                        "E206",
                        self.line_of(sector, "perimetre", index),
                        f"perimetre : « {area.commune} » deux fois dans le secteur "
                        f"« {sector.id} »",
                        "nommez la commune une fois, avec la partie couverte dans « partie »",
                    )
                    continue
                seen.add(area.commune)
                covering.setdefault(area.commune, []).append(sector.id)
        for sector in inventory.sectors.values():
            for index, area in enumerate(sector.areas):
                sectors = covering.get(area.commune, [])
                if area.part is None and len(sectors) > 1:
                    others = ", ".join(item for item in sectors if item != sector.id)
                    self.add(
                        "E206",
                        self.line_of(sector, "perimetre", index),
                        f"perimetre : « {area.commune} » est partagée avec {others} mais le "
                        f"secteur « {sector.id} » la couvre entière",
                        "dites quelle partie de la commune chaque secteur couvre (« partie »)",
                    )

    def check_blocks(self, inventory: Inventory) -> None:
        for block in inventory.blocks.values():
            allowed = _PARENT_LEVELS[block.level]
            if block.parent is None:
                if allowed:
                    self.add(
                        "E202",
                        block.origin,
                        f"champ « parent » manquant pour le {block.level} « {block.id} »",
                        f"un {block.level} se range dans un(e) {' ou '.join(allowed)}",
                    )
                continue
            if not self.reference(block, "parent", block.parent, inventory.blocks, "bloc"):
                continue
            parent = inventory.blocks[block.parent]
            if parent.level not in allowed:
                self.add(
                    "E303",
                    self.line_of(block, "parent"),
                    f"parent : « {parent.id} » est un(e) {parent.level}, pas un parent possible "
                    f"pour le {block.level} « {block.id} »",
                    "une zone est au sommet de la carte : retirez « parent »"
                    if not allowed
                    else f"le parent d'un {block.level} est un(e) {' ou '.join(allowed)}",
                )
        self.check_cycles(
            inventory.blocks,
            lambda block: block.parent,
            "parent",
            "E304",
            "cycle dans la hiérarchie des blocs",
            "un bloc ne peut pas être son propre ancêtre ; corrigez l'un des « parent »",
        )

    def check_cycles(
        self,
        records: Mapping[str, Record],
        successor: Callable[[Any], str | None],
        key: str,
        code: str,
        what: str,
        hint: str,
        shortest: int = 1,
    ) -> None:
        """Report each cycle of a chain that must not loop (each record names at most one
        next), once, at its first record in file order, read from there: ``a → b → a``.
        Cycles shorter than ``shortest`` are another check's."""
        reported: set[str] = set()
        for start in records:
            path: list[str] = []
            current: str | None = start
            while current is not None and current in records and current not in path:
                if current in reported:
                    break
                path.append(current)
                current = successor(records[current])
            if current is None or current not in path:
                continue
            cycle = path[path.index(current) :]
            reported.update(cycle)
            if len(cycle) < shortest:
                continue
            first = min(cycle, key=lambda record_id: records[record_id].origin)
            turn = cycle[cycle.index(first) :] + cycle[: cycle.index(first)] + [first]
            self.add(code, self.line_of(records[first], key), f"{what} : {' → '.join(turn)}", hint)

    def check_referential(self, inventory: Inventory) -> None:
        for data_object in inventory.data_objects.values():
            if data_object.personal and data_object.cnil_sector is None:
                self.add(
                    "E202",
                    data_object.origin,
                    "champ « secteur_cnil » manquant pour la donnée personnelle "
                    f"« {data_object.id} »",
                    "une donnée personnelle relève d'un des dix secteurs RU-030 de la CNIL",
                )
            if not data_object.personal and data_object.cnil_sector is not None:
                self.add(
                    "E206",
                    self.line_of(data_object, "secteur_cnil"),
                    f"secteur_cnil donné pour la donnée non personnelle « {data_object.id} »",
                    "ajoutez « personnelle: true » ou retirez le secteur",
                )
        for data_object in inventory.data_objects.values():
            for key, blocks in (
                ("blocs_producteurs", data_object.producer_blocks),
                ("blocs_consommateurs", data_object.consumer_blocks),
            ):
                for index, block_id in enumerate(blocks):
                    self.reference(data_object, key, block_id, inventory.blocks, "bloc", index)
        for product in inventory.products.values():
            self.reference(product, "editeur", product.vendor, inventory.vendors, "editeur")
        authorities = {inventory.metropole.id, *inventory.communes}
        for delegation in inventory.delegations.values():
            self.reference(delegation, "autorite", delegation.authority, authorities, "autorite")
            renews = self.reference(
                delegation, "renouvelle", delegation.renews, inventory.delegations, "delegation"
            )
            if renews and delegation.renews == delegation.id:
                self.add(
                    "E206",
                    self.line_of(delegation, "renouvelle"),
                    f"la délégation « {delegation.id} » se renouvelle elle-même",
                    "« renouvelle » désigne le contrat précédent",
                )
            if day_of(delegation.end) < day_of(delegation.start):
                self.add(
                    "E206",
                    self.line_of(delegation, "fin"),
                    f"fin {show_date(delegation.end)} avant le début "
                    f"{show_date(delegation.start)} de "
                    f"« {delegation.id} »",
                    "vérifiez les dates du contrat",
                )
        self.check_cycles(
            inventory.delegations,
            lambda delegation: delegation.renews,
            "renouvelle",
            "E308",
            "cycle de renouvellements",
            "un contrat renouvelle un contrat plus ancien ; corrigez l'un des « renouvelle »",
            shortest=2,  # a contract renewing itself is E206
        )

    # --- applications -------------------------------------------------------------------------

    def check_applications(self, inventory: Inventory) -> None:
        organisations = {inventory.metropole.id, *inventory.communes, *inventory.partners}
        possible_users = {inventory.metropole.id, *inventory.communes}
        owner_of_file: dict[str, str | None] = {}
        for checked in self.files:
            owner_of_file[checked.path] = checked.owner
            if checked.owner is not None and checked.owner in inventory.other_communes:
                self.add(
                    "E303",
                    Location(checked.path, checked.owner_line),
                    f"proprietaire : « {checked.owner} » est une commune de la métropole qui n'a "
                    "pas rejoint la mutualisation (autres_communes) : elle n'a pas d'applications "
                    "dans l'inventaire",
                    "si elle adhère, déplacez-la de « autres_communes » vers « communes » avec "
                    "ses mutualisations",
                )
            elif checked.owner is not None and checked.owner not in organisations:
                close = difflib.get_close_matches(checked.owner, sorted(organisations), n=1)
                self.add(
                    "E302",
                    Location(checked.path, checked.owner_line),
                    f"proprietaire : organisation « {checked.owner} » introuvable",
                    f"vouliez-vous dire « {close[0]} » ?"
                    if close
                    else "déclarez la commune dans territoire.yaml",
                )
        owners: dict[str, str] = {}
        users: dict[str, tuple[str, ...]] = {}
        for application in inventory.applications.values():
            owner = application.owner or owner_of_file.get(application.origin.path)
            if application.owner in inventory.other_communes:
                self.not_engaged(application, "proprietaire", application.owner)
            if owner is None:
                self.add(
                    "E202",
                    application.origin,
                    f"champ « proprietaire » manquant pour l'application « {application.id} »",
                    "indiquez « proprietaire: <commune> » en tête du fichier ou dans l'application",
                )
                owner = inventory.metropole.id
            elif application.owner is not None and owner not in inventory.other_communes:
                self.reference(application, "proprietaire", owner, organisations, "organisation")
            owners[application.id] = owner
            if application.users is None:
                users[application.id] = () if owner in inventory.partners else (owner,)
            else:
                users[application.id] = tuple(sorted(set(application.users)))
                for index, user in enumerate(application.users):
                    if user in inventory.other_communes:
                        self.not_engaged(application, "utilisateurs", user, index)
                        continue
                    self.reference(
                        application, "utilisateurs", user, possible_users, "utilisateur", index
                    )
            self.check_application(inventory, application)
        self.check_cycles(
            inventory.applications,
            lambda application: application.replaced_by,
            "remplacee_par",
            "E309",
            "cycle de remplacements",
            "une application est remplacée par celle qui lui succède ; corrigez l'un des "
            "« remplacee_par »",
            shortest=2,  # an application replacing itself is E206
        )
        inventory.owners = owners
        inventory.users = users

    def not_engaged(
        self,
        application: Application,
        key: str,
        commune_id: str,
        index: int | None = None,
    ) -> None:
        """An application of a commune that has not joined: it has none in the inventory."""
        self.add(
            "E303",
            self.line_of(application, key, index),
            f"{key} : « {commune_id} » est une commune de la métropole qui n'a pas rejoint la "
            f"mutualisation (autres_communes) ; elle n'a pas d'applications dans l'inventaire "
            f"(dans l'application « {application.id} »)",
            "si elle adhère, déplacez-la de « autres_communes » vers « communes » avec ses "
            "mutualisations",
        )

    def check_application(self, inventory: Inventory, application: Application) -> None:
        self.reference(application, "produit", application.product, inventory.products, "produit")
        for index, block_id in enumerate(application.blocks):
            if self.reference(application, "blocs", block_id, inventory.blocks, "bloc", index):
                self.check_block_level(inventory, application, block_id, index)
        self.reference(
            application,
            "centre_de_donnees",
            application.datacenter,
            inventory.datacenters,
            "centre",
        )
        if application.datacenter is not None and application.hosting != "datacenter":
            self.add(
                "E206",
                self.line_of(application, "centre_de_donnees"),
                f"centre_de_donnees donné pour « {application.id} » hébergée en "
                f"« {application.hosting} »",
                "retirez le centre de données ou mettez « hebergement: datacenter »",
            )
        if application.no_backup and application.datacenter is None:
            self.add(
                "E206",
                self.line_of(application, "hors_secours"),
                f"hors_secours donné pour « {application.id} », qui n'est dans aucun centre de "
                "données",
                "« hors_secours » dit qu'une application d'un centre de données n'a pas de "
                "réplique : indiquez « centre_de_donnees » ou retirez-le",
            )
        self.reference(
            application, "delegation", application.delegation, inventory.delegations, "delegation"
        )
        replaced = self.reference(
            application,
            "remplacee_par",
            application.replaced_by,
            inventory.applications,
            "application",
        )
        if replaced and application.replaced_by == application.id:
            self.add(
                "E206",
                self.line_of(application, "remplacee_par"),
                f"l'application « {application.id} » se remplace elle-même",
                "« remplacee_par » désigne l'application qui lui succède",
            )
        since, retired = application.in_service_since, application.retired_in
        if since is not None and retired is not None and day_of(retired) < day_of(since):
            self.add(
                "E206",
                self.line_of(application, "retrait"),
                f"retrait {show_date(retired)} avant la mise en service {show_date(since)} de "
                f"« {application.id} »",
                "vérifiez les deux dates (une année vaut le 1er janvier)",
            )

    def check_block_level(
        self, inventory: Inventory, application: Application, block_id: str, index: int
    ) -> None:
        block = inventory.blocks[block_id]
        if block.level == "bloc":
            return
        below = [
            candidate
            for candidate in inventory.blocks_under(block_id)
            if inventory.blocks[candidate].level == "bloc"
        ]
        self.add(
            "E303",
            self.line_of(application, "blocs", index),
            f"blocs : « {block_id} » est un(e) {block.level} ; une application se range dans un "
            f"bloc (dans « {application.id} »)",
            f"blocs de ce {block.level} : {', '.join(below[:8])}"
            if below
            else "choisissez un bloc",
        )

    # --- flows --------------------------------------------------------------------------------

    def check_flows(self, inventory: Inventory) -> None:
        applications = inventory.applications
        hubs = sorted(app.id for app in applications.values() if app.hub)
        by_key: dict[str, Flow] = {}
        for flow in sorted(inventory.flows, key=lambda item: item.origin):
            source_ok = self.reference(flow, "source", flow.source, applications, "application")
            target_ok = self.reference(flow, "cible", flow.target, applications, "application")
            self.reference(flow, "donnee", flow.data, inventory.data_objects, "donnee")
            if source_ok and target_ok and flow.source == flow.target:
                self.add(
                    "E306",
                    self.line_of(flow, "cible"),
                    f"flux de « {flow.source} » vers elle-même ({flow.data})",
                    "un flux relie deux applications différentes",
                )
            if flow.id is not None:
                self.check_reserved(flow.id, self.line_of(flow, "id"))
            if self.reference(flow, "via", flow.via, applications, "application"):
                self.check_via(flow, applications[str(flow.via)], hubs)
            first = by_key.get(flow.key)
            if first is not None:
                self.add(
                    "E301" if flow.id else "E307",
                    flow.origin,
                    f"flux en double : {_flow_identity(flow)}, déjà en {first.origin}",
                    "fusionnez les deux flux, ou donnez à chacun un « id » s'ils diffèrent",
                )
                continue
            by_key[flow.key] = flow
        inventory.flows = [by_key[key] for key in sorted(by_key)]

    def check_via(self, flow: Flow, hub: Application, hubs: list[str]) -> None:
        if not hub.hub:
            self.add(
                "E305",
                self.line_of(flow, "via"),
                f"via : « {hub.id} » n'est pas un hub (flux {flow.source} → {flow.target})",
                f"hubs déclarés : {', '.join(hubs)}"
                if hubs
                else "marquez l'application « hub: true » ou retirez « via »",
            )
        elif hub.id in (flow.source, flow.target):
            self.add(
                "E306",
                self.line_of(flow, "via"),
                f"le flux {flow.source} → {flow.target} passe par l'une de ses extrémités",
                "retirez « via » : le flux part du hub ou y arrive directement",
            )

    # --- processes ----------------------------------------------------------------------------

    def check_processes(self, inventory: Inventory) -> None:
        for process in inventory.processes.values():
            raw_steps = self.raw[id(process)].raw.get("etapes")
            step_ids: dict[str, Location] = {}
            for index, step in enumerate(process.steps):
                raw_step = raw_steps[index] if isinstance(raw_steps, YamlSequence) else None
                if isinstance(raw_step, YamlMapping):
                    step.locate(Location(process.origin.path, raw_step.line))
                    self.raw[id(step)] = CheckedRecord(
                        "etapes", step, raw_step, process.origin.path
                    )
                else:
                    step.locate(process.origin)
                self.check_reserved(step.id, step.origin)
                if step.id in step_ids:
                    self.add(
                        "E301",
                        step.origin,
                        f"étape « {step.id} » en double dans le processus « {process.id} » "
                        f"(déjà en {step_ids[step.id]})",
                        "chaque étape a un identifiant unique dans son processus",
                    )
                step_ids.setdefault(step.id, step.origin)
            for step in process.steps:
                for index, block_id in enumerate(step.blocks):
                    self.reference(step, "blocs", block_id, inventory.blocks, "bloc", index)
                for index, application_id in enumerate(step.applications):
                    self.reference(
                        step,
                        "applications",
                        application_id,
                        inventory.applications,
                        "application",
                        index,
                    )
                for index, next_id in enumerate(step.next_steps or ()):
                    self.reference(step, "suivantes", next_id, step_ids, "etape", index)
                for index, sector_id in enumerate(step.sectors):
                    self.reference(step, "secteurs", sector_id, inventory.sectors, "secteur", index)


_RECORD_NOUNS: dict[type[Record], str] = {model: noun for model, noun in SECTIONS.values()}
_RECORD_NOUNS[Step] = "l'étape"


def _record_phrase(record: Record) -> str:
    if isinstance(record, Flow):
        return f" dans le flux {record.source} → {record.target}"
    record_id = getattr(record, "id", None)
    noun = _RECORD_NOUNS.get(type(record), "l'objet")
    return f" dans {noun} « {record_id} »" if record_id else ""


def _flow_identity(flow: Flow) -> str:
    if flow.id:
        return f"l'identifiant « {flow.id} »"
    return f"même source, même cible et même donnée ({flow.source} → {flow.target} : {flow.data})"

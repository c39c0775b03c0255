"""Reading a scenario file and checking it against the inventory (DESIGN.md §10).

A scenario file comes from the user like the inventory does: it is read as every user file is
(a regular file, bounded, safe YAML: :mod:`cartographie.files.reading`,
:mod:`cartographie.inventory.yamlread`), its shape is checked against
:class:`~cartographie.model.scenario.ScenarioFile` with the loader's French messages, then each
operation against the inventory, in order: the commune, domain and applications it names exist
(E302, the closest id suggested), and it makes sense where the previous operations leave the
inventory (C101: joining a domain already joined, leaving one never joined, retiring an
application twice, sharing with a commune that already uses it…). Every problem is located at
``file:line`` of the scenario, all at once.
"""

from __future__ import annotations

import difflib
from collections.abc import Collection, Mapping
from pathlib import Path

from cartographie.errors import InventoryError, Location, Problem
from cartographie.files.reading import FileRefused, read_file
from cartographie.inventory.edit import shared_domain_applications
from cartographie.inventory.shape import check_document
from cartographie.inventory.yamlread import YamlMapping, YamlSequence, read_yaml_bytes
from cartographie.model.dates import DateValue, day_of, show_date, year_start
from cartographie.model.inventory import Inventory
from cartographie.model.scenario import Operation, Scenario, ScenarioFile


class ScenarioError(InventoryError):
    """The scenario file cannot be simulated: its problems, one per line."""

    code = "C100"

    def __init__(self, problems: list[Problem], root: str = "") -> None:
        super().__init__(problems, root)
        count = len(self.problems)
        self.message = f"{count} problème{'s' if count > 1 else ''} dans le scénario"


def read_scenario(path: Path) -> Scenario:
    """The scenario of the file at ``path``, or :class:`ScenarioError` with every problem."""
    shown = str(path)
    try:
        raw = read_file(path)
    except FileRefused as refused:
        raise ScenarioError(
            [Problem(refused.code, Location(shown), refused.message, refused.hint)]
        ) from None
    document = read_yaml_bytes(raw, shown)
    errors = [problem for problem in document.problems if problem.severity == "erreur"]
    if errors or document.data is None:
        raise ScenarioError(list(document.problems))
    record, problems = check_document(shown, document.data, ScenarioFile)
    if problems or record is None:
        raise ScenarioError(problems)
    operations = document.data.get("operations") if isinstance(document.data, YamlMapping) else None
    lines = (
        list(operations.item_lines)
        if isinstance(operations, YamlSequence)
        else [document.data.line] * len(record.operations)
    )
    return Scenario(shown, record, lines)


class _Users(dict[str, set[str]]):
    """Application -> its users as the operations change them, copied from the inventory's
    when first asked (a scenario touches a few of thousands)."""

    def __init__(self, inventory: Inventory) -> None:
        super().__init__()
        self.inventory = inventory

    def __missing__(self, app_id: str) -> set[str]:
        found = self[app_id] = set(self.inventory.users.get(app_id, ()))
        return found


class _Checker:
    """Walks the operations in order over what the inventory holds, as they change it."""

    def __init__(
        self,
        scenario: Scenario,
        inventory: Inventory,
        domains_of: Mapping[str, list[str]] | None = None,
    ) -> None:
        self.scenario = scenario
        self.inventory = inventory
        self.domains_of = domains_of
        self.problems: list[Problem] = []
        # Commune -> domain -> since when (the adhesions still running).
        self.joined: dict[str, dict[str, DateValue]] = {
            commune.id: {
                item.domain: item.since for item in commune.mutualisations if item.until is None
            }
            for commune in inventory.communes.values()
        }
        self.retired: set[str] = {
            app_id
            for app_id, application in inventory.applications.items()
            if application.lifecycle == "retiree" or application.retired_in is not None
        }
        self.users = _Users(inventory)

    def add(self, index: int, code: str, message: str, hint: str = "") -> None:
        where = Location(self.scenario.path, self.scenario.lines[index])
        self.problems.append(Problem(code, where, message, hint))

    def known(self, index: int, key: str, value: str, choices: Collection[str], noun: str) -> bool:
        if value in choices:
            return True
        close = difflib.get_close_matches(value, sorted(choices), n=1, cutoff=0.6)
        self.add(
            index,
            "E302",
            f"{key} : {noun} « {value} » introuvable dans l'inventaire (opération n° {index + 1})",
            f"vouliez-vous dire « {close[0]} » ?" if close else f"vérifiez l'identifiant de {noun}",
        )
        return False

    def check(self, index: int, operation: Operation) -> None:
        inventory = self.inventory
        label = f"opération n° {index + 1} ({operation.verb})"
        if operation.join is not None or operation.leave is not None:
            adhesion = operation.join or operation.leave
            assert adhesion is not None
            commune_ok = self.known(
                index, "commune", adhesion.commune, inventory.communes, "la commune"
            )
            domain_ok = self.known(
                index, "domaine", adhesion.domain, inventory.domains, "le domaine"
            )
            if not (commune_ok and domain_ok):
                return
            joined = self.joined[adhesion.commune]
            name = inventory.communes[adhesion.commune].name
            if operation.join is not None and adhesion.domain in joined:
                self.add(
                    index,
                    "C101",
                    f"{label} : {name} a déjà rejoint le domaine « {adhesion.domain} »",
                    "retirez l'opération, ou faites-la précéder de « quitter »",
                )
            elif operation.leave is not None and adhesion.domain not in joined:
                self.add(
                    index,
                    "C101",
                    f"{label} : {name} n'a pas rejoint le domaine « {adhesion.domain} »",
                    "une commune ne quitte qu'un domaine qu'elle a rejoint",
                )
            elif operation.leave is not None and year_start(adhesion.year) <= day_of(
                joined[adhesion.domain]
            ):
                self.add(
                    index,
                    "C101",
                    f"{label} : {name} quitterait le domaine « {adhesion.domain} » en "
                    f"{adhesion.year}, pas après son adhésion "
                    f"({show_date(joined[adhesion.domain])})",
                    "une commune quitte un domaine après l'avoir rejoint : une année plus tard "
                    "au moins",
                )
            elif operation.join is not None:
                joined[adhesion.domain] = adhesion.year
                for application in shared_domain_applications(
                    inventory, adhesion.domain, self.domains_of
                ):
                    self.users[application].add(adhesion.commune)
            else:
                del joined[adhesion.domain]
            return
        if operation.retire is not None:
            retirement = operation.retire
            if not self.known(
                index,
                "application",
                retirement.application,
                inventory.applications,
                "l'application",
            ):
                return
            if retirement.application in self.retired:
                self.add(
                    index,
                    "C101",
                    f"{label} : « {retirement.application} » est déjà retirée ou a déjà une date "
                    "de retrait",
                    "retirez l'opération",
                )
                return
            since = inventory.applications[retirement.application].in_service_since
            if since is not None and year_start(retirement.year) <= day_of(since):
                self.add(
                    index,
                    "C101",
                    f"{label} : « {retirement.application} » serait retirée en "
                    f"{retirement.year}, pas après sa mise en service ({show_date(since)})",
                    "une application se retire après sa mise en service",
                )
                return
            self.retired.add(retirement.application)
            replacement = retirement.replaced_by
            if replacement is None:
                return
            if not self.known(
                index, "remplacee_par", replacement, inventory.applications, "l'application"
            ):
                return
            if replacement == retirement.application or replacement in self.retired:
                self.add(
                    index,
                    "C101",
                    f"{label} : « {replacement} » ne peut pas remplacer « "
                    f"{retirement.application} » (la même, ou retirée)",
                    "choisissez une application en service",
                )
                return
            self.users[replacement] |= self.users[retirement.application]
            return
        sharing = operation.share
        assert sharing is not None
        if not self.known(
            index, "application", sharing.application, inventory.applications, "l'application"
        ):
            return
        if inventory.is_external(sharing.application) or sharing.application in self.retired:
            self.add(
                index,
                "C101",
                f"{label} : « {sharing.application} » est retirée ou appartient à un organisme "
                "extérieur",
                "partagez une application en service du patrimoine",
            )
            return
        for commune in sharing.communes:
            if not self.known(index, "communes", commune, inventory.communes, "la commune"):
                continue
            if commune in self.users[sharing.application]:
                self.add(
                    index,
                    "C101",
                    f"{label} : {inventory.communes[commune].name} utilise déjà "
                    f"« {sharing.application} »",
                    "retirez-la de la liste",
                )
            self.users[sharing.application].add(commune)


def check_scenario(
    scenario: Scenario, inventory: Inventory, domains_of: Mapping[str, list[str]] | None = None
) -> None:
    """Check every operation against the inventory; :class:`ScenarioError` with all problems.
    ``domains_of``: the inventory's ``domains_of_applications``, when known."""
    checker = _Checker(scenario, inventory, domains_of)
    for index, operation in enumerate(scenario.operations):
        checker.check(index, operation)
    if checker.problems:
        raise ScenarioError(checker.problems)

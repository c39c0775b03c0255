"""Checks of the chantiers (``referentiel/chantiers.yaml``): references, dates, and agreement.

A chantier is a plan (DESIGN.md §11): what it declares must agree with the rest of the inventory.
Besides its references (domain, target application, blocs, the communes of its waves, the
applications it retires: E302), its dates (``fin`` before ``debut``: E206) and its shape (the
target among the applications it retires, a commune in two waves: E206), the loader checks that
it **agrees** (E311), each contradiction reported at the chantier's line with the other side's
``file:line`` in the message:

- every commune of a wave of year Y has joined the chantier's domain by Y (an adhesion with
  ``depuis`` ≤ 1 January of Y). The chantier's domain is its ``domaine``, else every domain that
  covers all of its blocs (its target's blocs when it names none); with no such domain there is
  no adhesion to check;
- every application it retires has its ``retrait`` between the chantier's ``debut`` and ``fin``
  (both included), and has one.

Dates compare through :mod:`cartographie.model.dates` (a year stands for 1 January).
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Protocol

from cartographie.errors import Location
from cartographie.model.dates import day_of, reached, show_date, year_start
from cartographie.model.inventory import Inventory
from cartographie.model.records import Programme, Record


class Checker(Protocol):
    """What the cross-file checker offers these checks (``inventory.references``)."""

    def add(self, code: str, where: Location, message: str, hint: str = "") -> None: ...

    def line_of(self, record: Record, key: str, index: int | None = None) -> Location: ...

    def reference(
        self,
        record: Record,
        key: str,
        value: str | None,
        known: Collection[str],
        kind: str,
        index: int | None = None,
    ) -> bool: ...


def check_programmes(checker: Checker, inventory: Inventory) -> None:
    for programme in inventory.programmes.values():
        _check_references(checker, inventory, programme)
        if day_of(programme.end) < day_of(programme.start):
            checker.add(
                "E206",
                checker.line_of(programme, "fin"),
                f"fin {show_date(programme.end)} avant le début {show_date(programme.start)} du "
                f"chantier « {programme.id} »",
                "vérifiez les dates du chantier (une année vaut le 1er janvier)",
            )
            continue
        _check_waves(checker, inventory, programme)
        _check_retirements(checker, inventory, programme)


def _check_references(checker: Checker, inventory: Inventory, programme: Programme) -> None:
    checker.reference(programme, "domaine", programme.domain, inventory.domains, "domaine")
    checker.reference(programme, "cible", programme.target, inventory.applications, "application")
    for index, block_id in enumerate(programme.blocks):
        checker.reference(programme, "blocs", block_id, inventory.blocks, "bloc", index)
    seen: dict[str, int] = {}
    for index, wave in enumerate(programme.waves):
        for commune_id in wave.communes:
            if not checker.reference(
                programme, "vagues", commune_id, inventory.communes, "commune", index
            ):
                continue
            if commune_id in seen:
                twice = (
                    f"deux fois dans la vague {wave.year}"
                    if seen[commune_id] == wave.year
                    else f"dans deux vagues ({seen[commune_id]} et {wave.year})"
                )
                checker.add(
                    "E206",
                    checker.line_of(programme, "vagues", index),
                    f"vagues : « {commune_id} » {twice} du chantier « {programme.id} »",
                    "une commune rejoint la cible une fois : gardez-la dans une vague",
                )
            seen.setdefault(commune_id, wave.year)
    for index, application_id in enumerate(programme.retires):
        if not checker.reference(
            programme, "retire", application_id, inventory.applications, "application", index
        ):
            continue
        if application_id == programme.target:
            checker.add(
                "E206",
                checker.line_of(programme, "retire", index),
                f"retire : « {application_id} » est la cible du chantier « {programme.id} »",
                "un chantier retire les applications que sa cible remplace, pas la cible",
            )


def programme_domains(inventory: Inventory, programme: Programme) -> list[str]:
    """The chantier's domain: its ``domaine``, else the domains covering all of its blocs (its
    target's when it names none), sorted."""
    if programme.domain is not None:
        return [programme.domain] if programme.domain in inventory.domains else []
    blocks = list(programme.blocks)
    if not blocks and programme.target in inventory.applications:
        blocks = list(inventory.applications[programme.target].blocks)
    blocks = [block_id for block_id in blocks if block_id in inventory.blocks]
    if not blocks:
        return []
    found = []
    for domain in inventory.domains.values():
        covered = {below for top in domain.blocks for below in inventory.blocks_under(top)}
        if all(block_id in covered for block_id in blocks):
            found.append(domain.id)
    return found


def _check_waves(checker: Checker, inventory: Inventory, programme: Programme) -> None:
    domains = programme_domains(inventory, programme)
    if not domains:
        return
    for index, wave in enumerate(programme.waves):
        for commune_id in wave.communes:
            commune = inventory.communes.get(commune_id)
            if commune is None:
                continue
            adhesions = [
                (position, item)
                for position, item in enumerate(commune.mutualisations)
                if item.domain in domains
            ]
            if any(reached(item.since, year_start(wave.year)) for _, item in adhesions):
                continue
            names = " ou ".join(f"« {domain} »" for domain in domains)
            if adhesions:
                position, item = min(adhesions, key=lambda pair: day_of(pair[1].since))
                where = checker.line_of(commune, "mutualisations", position)
                said = f"n'y adhère qu'en {show_date(item.since)} ({where})"
                joined = day_of(item.since)
                first_wave = joined.year + (joined != year_start(joined.year))
                hint = (
                    f"avancez son adhésion à {wave.year} dans territoire.yaml, ou placez-la dans "
                    f"une vague de {first_wave} ou après"
                )
            else:
                said = f"n'adhère pas au domaine {names} ({commune.origin})"
                hint = (
                    f"ajoutez à « {commune_id} » l'adhésion « domaine: {domains[0]}, depuis: "
                    f"{wave.year} », ou retirez-la de la vague"
                )
            checker.add(
                "E311",
                checker.line_of(programme, "vagues", index),
                f"chantier « {programme.id} » : la vague {wave.year} compte « {commune_id} », "
                f"qui {said}",
                hint,
            )


def _check_retirements(checker: Checker, inventory: Inventory, programme: Programme) -> None:
    start, end = day_of(programme.start), day_of(programme.end)
    for index, application_id in enumerate(programme.retires):
        application = inventory.applications.get(application_id)
        if application is None or application_id == programme.target:
            continue
        where = checker.line_of(programme, "retire", index)
        period = f"{show_date(programme.start)}–{show_date(programme.end)}"
        if application.retired_in is None:
            checker.add(
                "E311",
                where,
                f"chantier « {programme.id} » ({period}) : il retire « {application_id} », qui "
                f"n'a pas de retrait ({application.origin})",
                f"donnez à « {application_id} » un « retrait » entre {period}",
            )
            continue
        if start <= day_of(application.retired_in) <= end:
            continue
        checker.add(
            "E311",
            where,
            f"chantier « {programme.id} » ({period}) : il retire « {application_id} », dont le "
            f"retrait {show_date(application.retired_in)} tombe hors du chantier "
            f"({checker.line_of(application, 'retrait')})",
            f"placez le retrait entre {period}, ou corrigez les dates du chantier",
        )

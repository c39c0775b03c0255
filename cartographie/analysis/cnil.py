"""CNIL silos (DESIGN.md §1, §7): the 14 × 10 matrix and the flows that cross a silo's wall.

The CNIL's RU-030 splits personal data into ten sealed sectors; the communes are distinct data
controllers; so each (commune, sector) pair is a **silo**.

- **Matrix**: for each commune and sector, the applications in service that the commune uses and
  that declare the sector in ``secteurs_cnil``. A shared application counts in every commune
  that uses it, so a sector's column does not add up to the métropole's count of applications.
- **A flow crosses a silo wall** when it carries personal data (a ``donnee`` with
  ``personnelle: true`` and its ``secteur_cnil``) and
  - *secteur*: one of its ends (an application of the portfolio) does not declare the data's
    sector — the data enters another sector's silo; or
  - *commune*: its two ends are applications of the portfolio, neither is shared, and they are
    not used by the same communes — the data passes from one controller to another without a
    shared application (DESIGN.md §6's CNIL rule).
  Hubs only carry the data: the wall is judged on the source and the target.
- **Applications that mix sectors**: applications in service declaring two sectors or more.
- **Personal data leaving the métropole** (« sorties »): flows of personal data from an
  application of the portfolio to an outside body's (a partner's); RGPD asks for explicit
  consent (``consentement: explicite``) unless none is required (``non-requis``): ``tacite`` or
  nothing is flagged.
- **Personal data coming in** (« entrées »): the other way, from an outside body to the
  portfolio (PayFiP's payments, the CAF's quotient familial). Listed apart, with their consent
  and since when, never judged as exits.
"""

from __future__ import annotations

from dataclasses import dataclass

from cartographie.analysis.common import applications_in_service, communes_using
from cartographie.graph import Portfolio
from cartographie.model.records import Flow
from cartographie.model.vocabulary import CNIL_SECTORS


@dataclass(frozen=True)
class SiloCrossing:
    flow: Flow
    sector: str
    sector_wall: bool
    commune_wall: bool
    source_communes: tuple[str, ...]
    target_communes: tuple[str, ...]

    @property
    def walls(self) -> tuple[str, ...]:
        return tuple(
            name
            for name, crossed in (("secteur", self.sector_wall), ("commune", self.commune_wall))
            if crossed
        )


@dataclass(frozen=True)
class MixedApplication:
    application: str
    owner: str
    sectors: tuple[str, ...]


@dataclass(frozen=True)
class LeavingFlow:
    """Personal data crossing the métropole's border: leaving it, or (``IncomingFlow``)
    coming in. ``partner`` is the outside body at the other end."""

    flow: Flow
    sector: str
    partner: str
    consent: str | None

    @property
    def compliant(self) -> bool:
        return self.consent in ("explicite", "non-requis")


IncomingFlow = LeavingFlow


@dataclass(frozen=True)
class CnilReport:
    communes: tuple[str, ...]
    sectors: tuple[str, ...]
    matrix: dict[tuple[str, str], tuple[str, ...]]  # (commune, sector) -> applications
    sector_totals: dict[str, int]  # sector -> distinct applications (all communes)
    crossings: tuple[SiloCrossing, ...]
    mixed: tuple[MixedApplication, ...]
    leaving: tuple[LeavingFlow, ...]  # portfolio -> outside body
    incoming: tuple[IncomingFlow, ...] = ()  # outside body -> portfolio

    def silo(self, commune: str, sector: str) -> tuple[str, ...]:
        return self.matrix[(commune, sector)]

    @property
    def occupied_silos(self) -> int:
        return sum(1 for applications in self.matrix.values() if applications)


def cnil_report(portfolio: Portfolio) -> CnilReport:
    inventory = portfolio.inventory
    in_service = applications_in_service(portfolio)
    communes = tuple(inventory.communes)
    cells: dict[tuple[str, str], list[str]] = {
        (commune, sector): [] for commune in communes for sector in CNIL_SECTORS
    }
    sector_apps: dict[str, set[str]] = {sector: set() for sector in CNIL_SECTORS}
    for app_id in in_service:
        sectors = set(inventory.applications[app_id].cnil_sectors)
        for sector in sectors:
            sector_apps[sector].add(app_id)
            for commune in communes_using(portfolio, app_id):
                cells[(commune, sector)].append(app_id)

    crossings: list[SiloCrossing] = []
    leaving: list[LeavingFlow] = []
    incoming: list[IncomingFlow] = []
    for flow in inventory.flows:
        data = inventory.data_objects[flow.data]
        if not data.personal or data.cnil_sector is None:
            continue
        sector = data.cnil_sector
        ends = (flow.source, flow.target)
        source_outside = inventory.is_external(flow.source)
        target_outside = inventory.is_external(flow.target)
        if target_outside and not source_outside:
            leaving.append(
                LeavingFlow(flow, sector, inventory.owners[flow.target], flow.consent)
            )
        elif source_outside and not target_outside:
            incoming.append(
                IncomingFlow(flow, sector, inventory.owners[flow.source], flow.consent)
            )
        internal = [end for end in ends if not inventory.is_external(end)]
        sector_wall = any(
            sector not in inventory.applications[end].cnil_sectors for end in internal
        )
        source_communes = communes_using(portfolio, flow.source)
        target_communes = communes_using(portfolio, flow.target)
        commune_wall = (
            len(internal) == 2
            and not inventory.is_shared(flow.source)
            and not inventory.is_shared(flow.target)
            and set(source_communes) != set(target_communes)
        )
        if sector_wall or commune_wall:
            crossings.append(
                SiloCrossing(
                    flow, sector, sector_wall, commune_wall, source_communes, target_communes
                )
            )

    mixed = tuple(
        MixedApplication(
            app_id,
            inventory.owners[app_id],
            tuple(sorted(set(inventory.applications[app_id].cnil_sectors))),
        )
        for app_id in in_service
        if len(set(inventory.applications[app_id].cnil_sectors)) >= 2
    )
    return CnilReport(
        communes=communes,
        sectors=CNIL_SECTORS,
        matrix={key: tuple(sorted(value)) for key, value in cells.items()},
        sector_totals={sector: len(apps) for sector, apps in sector_apps.items()},
        crossings=tuple(sorted(crossings, key=lambda item: item.flow.key)),
        mixed=mixed,
        leaving=tuple(sorted(leaving, key=lambda item: item.flow.key)),
        incoming=tuple(sorted(incoming, key=lambda item: item.flow.key)),
    )

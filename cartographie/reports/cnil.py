"""``rapport cnil``: the commune × RU-030 sector silos and the flows that cross their walls."""

from __future__ import annotations

from cartographie.analysis.cnil import CnilReport, cnil_report
from cartographie.document import (
    CellStyle,
    CellValue,
    Column,
    Document,
    Ref,
    Table,
    make_table,
)
from cartographie.graph import Portfolio
from cartographie.model.dates import year_of
from cartographie.model.vocabulary import CNIL_SECTOR_LABELS
from cartographie.reports import refs

CROSSING_COLUMNS = (
    Column("source", "Source", "reference"),
    Column("cible", "Cible", "reference"),
    Column("donnee", "Donnée", "reference"),
    Column("secteur", "Secteur RU-030"),
    Column("murs", "Mur franchi", "list"),
    Column("communes_source", "Communes de la source", "list"),
    Column("communes_cible", "Communes de la cible", "list"),
    Column("emplacement", "Fichier:ligne", "location"),
)
MIXED_COLUMNS = (
    Column("application", "Application", "reference"),
    Column("proprietaire", "Propriétaire", "reference"),
    Column("secteurs", "Secteurs", "list"),
)
LEAVING_COLUMNS = (
    Column("source", "Source", "reference"),
    Column("cible", "Cible", "reference"),
    Column("organisme", "Organisme extérieur", "reference"),
    Column("donnee", "Donnée", "reference"),
    Column("secteur", "Secteur RU-030"),
    Column("consentement", "Consentement"),
    Column("depuis", "Depuis", "year"),
    Column("conforme", "Conforme", "flag"),
    Column("emplacement", "Fichier:ligne", "location"),
)
INCOMING_COLUMNS = (
    Column("source", "Source", "reference"),
    Column("cible", "Cible", "reference"),
    Column("organisme", "Organisme extérieur", "reference"),
    Column("donnee", "Donnée", "reference"),
    Column("secteur", "Secteur RU-030"),
    Column("consentement", "Consentement"),
    Column("depuis", "Depuis", "year"),
    Column("emplacement", "Fichier:ligne", "location"),
)


def matrix_table(portfolio: Portfolio, report: CnilReport) -> Table:
    inventory = portfolio.inventory
    columns = [Column("commune", "Commune", "reference"), Column("nom", "Nom", audience="machines")]
    columns.extend(
        Column(sector, CNIL_SECTOR_LABELS[sector], "integer") for sector in report.sectors
    )
    rows: list[list[CellValue]] = []
    styles: list[list[CellStyle | None]] = []
    for commune in report.communes:
        counts = [len(report.silo(commune, sector)) for sector in report.sectors]
        rows.append(
            [refs.organisation(inventory, commune), inventory.communes[commune].name, *counts]
        )
        styles.append([None, None, *(None if count else "aucune" for count in counts)])
    rows.append(
        [
            Ref("total", "metropole", "Applications distinctes"),
            "Applications distinctes",
            *(report.sector_totals[s] for s in report.sectors),
        ]
    )
    styles.append([None] * len(columns))
    return make_table(
        "silos",
        f"Silos commune × secteur RU-030 ({report.occupied_silos} silos occupés "
        f"sur {len(report.communes) * len(report.sectors)})",
        columns,
        rows,
        note=(
            "Chaque case : applications en service que la commune utilise et qui traitent les "
            "données personnelles du secteur ; une application partagée compte dans chaque "
            "commune, la dernière ligne compte les applications distinctes."
        ),
        styles=styles,
    )


def crossings_table(portfolio: Portfolio, report: CnilReport) -> Table:
    inventory = portfolio.inventory
    return make_table(
        "franchissements",
        "Flux de données personnelles qui franchissent le mur d'un silo",
        CROSSING_COLUMNS,
        (
            (
                refs.application(portfolio.inventory, item.flow.source),
                refs.application(portfolio.inventory, item.flow.target),
                refs.data(inventory, item.flow.data),
                item.sector,
                item.walls,
                refs.communes(inventory, item.source_communes),
                refs.communes(inventory, item.target_communes),
                str(item.flow.origin),
            )
            for item in report.crossings
        ),
        note=(
            "secteur : une extrémité ne déclare pas le secteur de la donnée ; commune : deux "
            "applications non partagées de communes différentes."
        ),
    )


def mixed_table(portfolio: Portfolio, report: CnilReport) -> Table:
    return make_table(
        "melanges",
        "Applications qui mêlent plusieurs secteurs",
        MIXED_COLUMNS,
        (
            (
                refs.application(portfolio.inventory, item.application),
                refs.organisation(portfolio.inventory, item.owner),
                item.sectors,
            )
            for item in report.mixed
        ),
    )


def leaving_table(portfolio: Portfolio, report: CnilReport) -> Table:
    inventory = portfolio.inventory
    return make_table(
        "sorties",
        "Données personnelles qui sortent de la métropole (vers un organisme extérieur)",
        LEAVING_COLUMNS,
        (
            (
                refs.application(portfolio.inventory, item.flow.source),
                refs.application(portfolio.inventory, item.flow.target),
                refs.organisation(inventory, item.partner),
                refs.data(inventory, item.flow.data),
                item.sector,
                item.consent,
                year_of(item.flow.since) if item.flow.since is not None else None,
                item.compliant,
                str(item.flow.origin),
            )
            for item in report.leaving
        ),
        note=(
            "Source dans le patrimoine, cible chez un organisme extérieur. Le RGPD demande un "
            "consentement explicite (ou aucun, quand la loi l'impose) : tacite ou absent n'est "
            "pas conforme."
        ),
        styles=(
            (None,) * 7 + ("ok" if item.compliant else "alerte", None) for item in report.leaving
        ),
    )


def incoming_table(portfolio: Portfolio, report: CnilReport) -> Table:
    inventory = portfolio.inventory
    return make_table(
        "entrees",
        "Données personnelles qui entrent dans la métropole (d'un organisme extérieur)",
        INCOMING_COLUMNS,
        (
            (
                refs.application(portfolio.inventory, item.flow.source),
                refs.application(portfolio.inventory, item.flow.target),
                refs.organisation(inventory, item.partner),
                refs.data(inventory, item.flow.data),
                item.sector,
                item.consent,
                year_of(item.flow.since) if item.flow.since is not None else None,
                str(item.flow.origin),
            )
            for item in report.incoming
        ),
        note=(
            "Source chez un organisme extérieur, cible dans le patrimoine : listées à part, avec "
            "leur consentement et depuis quand, et jamais jugées comme des sorties."
        ),
    )


def cnil_document(portfolio: Portfolio) -> Document:
    report = cnil_report(portfolio)
    return Document(
        "cnil",
        "Silos CNIL (RU-030) et données personnelles",
        (
            matrix_table(portfolio, report),
            crossings_table(portfolio, report),
            mixed_table(portfolio, report),
            leaving_table(portfolio, report),
            incoming_table(portfolio, report),
        ),
    )

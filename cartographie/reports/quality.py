"""``rapport qualite``: completeness in three levels, per owner and per field; reviews; orphans."""

from __future__ import annotations

import datetime as dt

from cartographie.analysis.quality import (
    FIELDS,
    OwnerQuality,
    QualityReport,
    date_disagreements,
    quality_report,
)
from cartographie.document import Column, Document, Ref, Table, make_table, rate
from cartographie.graph import Portfolio
from cartographie.reports import refs

LEVEL_COLUMNS = (
    Column("proprietaire", "Propriétaire", "reference"),
    Column("nom", "Nom", audience="machines"),
    Column("applications", "Applications", "integer"),
    Column("niveau_1", "Niveau 1", "integer"),
    Column("niveau_2", "Niveau 2", "integer"),
    Column("niveau_3", "Niveau 3", "integer"),
    Column("taux_niveau_1", "Taux niveau 1", "rate"),
    Column("taux_niveau_2", "Taux niveau 2", "rate"),
    Column("taux_niveau_3", "Taux niveau 3", "rate"),
    Column("score", "Score", "rate"),
    Column("revues_anciennes", "Revues anciennes", "integer"),
    Column("jamais_revues", "Jamais revues", "integer"),
)
STALE_COLUMNS = (
    Column("application", "Application", "reference"),
    Column("proprietaire", "Propriétaire", "reference"),
    Column("derniere_revue", "Dernière revue", "date"),
    Column("niveau", "Niveau", "integer"),
)
ORPHAN_COLUMNS = (
    Column("application", "Application", "reference"),
    Column("proprietaire", "Propriétaire", "reference"),
    Column("sans_bloc", "Sans bloc", "flag"),
    Column("sans_processus", "Sans processus", "flag"),
    Column("sans_flux", "Sans flux", "flag"),
)
MISSING_COLUMNS = (
    Column("application", "Application", "reference"),
    Column("proprietaire", "Propriétaire", "reference"),
    Column("niveau", "Niveau atteint", "integer"),
    Column("champs_manquants", "Champs manquants", "list"),
)


def _owner_name(portfolio: Portfolio, owner: str) -> str:
    if owner == "total":
        return "Toutes les applications"
    return portfolio.inventory.organisation_name(owner)


def _owner(portfolio: Portfolio, owner: str) -> Ref | None:
    if owner == "total":
        return Ref("total", "total", "Toutes les applications")
    return refs.organisation(portfolio.inventory, owner)


def levels_table(portfolio: Portfolio, report: QualityReport) -> Table:
    def row(item: OwnerQuality) -> tuple[str | int | float | None, ...]:
        return (
            _owner(portfolio, item.owner),
            _owner_name(portfolio, item.owner),
            item.applications,
            *item.at_level,
            rate(item.level_rate(1)),
            rate(item.level_rate(2)),
            rate(item.level_rate(3)),
            rate(item.score),
            item.stale_reviews,
            item.never_reviewed,
        )

    return make_table(
        "niveaux",
        "Complétude par propriétaire, en trois niveaux (ANSSI, Mercator)",
        LEVEL_COLUMNS,
        [*(row(item) for item in report.owners), row(report.total)],
        note=(
            "Niveau 1 : description, responsable, blocs ; niveau 2 : + cout_annuel, "
            "mise_en_service, un processus, centre_de_donnees (si datacenter), delegation (si "
            "délégataire) ; niveau 3 : + version, derniere_revue. Score : moyenne des trois taux. "
            "Dernière ligne : toutes les applications."
        ),
    )


def fields_table(portfolio: Portfolio, report: QualityReport) -> Table:
    columns = [
        Column("proprietaire", "Propriétaire", "reference"),
        Column("applications", "Applications", "integer"),
    ]
    columns.extend(
        Column(check.key, f"{check.key} (niv. {check.level})", "rate") for check in FIELDS
    )
    rows = []
    for item in [*report.owners, report.total]:
        values = []
        for check in FIELDS:
            value = item.field_rate(check.key)
            values.append(None if value is None else rate(value))
        rows.append((_owner(portfolio, item.owner), item.applications, *values))
    return make_table(
        "champs",
        "Complétude par champ",
        columns,
        rows,
        note="Part des applications, parmi celles à qui le champ s'applique, qui le renseignent.",
    )


def stale_table(portfolio: Portfolio, report: QualityReport) -> Table:
    return make_table(
        "revues",
        f"Applications dont la dernière revue a plus de {report.months} mois",
        STALE_COLUMNS,
        (
            (
                refs.application(portfolio.inventory, item.application),
                _owner(portfolio, item.owner),
                item.last_review.isoformat() if item.last_review else None,
                item.level,
            )
            for item in report.stale
        ),
        note=f"Au {report.reference_date.isoformat()}.",
    )


def orphans_table(portfolio: Portfolio, report: QualityReport) -> Table:
    return make_table(
        "orphelines",
        "Applications sans bloc, sans processus ou sans flux",
        ORPHAN_COLUMNS,
        (
            (
                refs.application(portfolio.inventory, item.application),
                _owner(portfolio, item.owner),
                not item.has_block,
                not item.in_process,
                not item.has_flow,
            )
            for item in report.orphans
        ),
    )


def missing_table(portfolio: Portfolio, report: QualityReport) -> Table:
    return make_table(
        "manques",
        "Champs manquants, application par application",
        MISSING_COLUMNS,
        (
            (
                refs.application(portfolio.inventory, item.application),
                _owner(portfolio, item.owner),
                item.level,
                item.missing,
            )
            for item in report.applications
            if item.missing
        ),
    )


def dates_table(portfolio: Portfolio, reference_date: dt.date) -> Table:
    return make_table(
        "dates",
        "Dates en désaccord avec le cycle de vie",
        (
            Column("application", "Application", "reference"),
            Column("proprietaire", "Propriétaire", "reference"),
            Column("constat", "Constat"),
        ),
        (
            (
                refs.application(portfolio.inventory, item.application),
                _owner(portfolio, item.owner),
                item.finding,
            )
            for item in date_disagreements(portfolio, reference_date)
        ),
        note=(
            f"Au {reference_date.isoformat()} ; à une date (--date), la présence suit les dates "
            "seules : corrigez la date ou le cycle de vie."
        ),
    )


def quality_document(portfolio: Portfolio, reference_date: dt.date, months: int = 12) -> Document:
    report = quality_report(portfolio, reference_date, months)
    return Document(
        "qualite",
        "Qualité des données de l'inventaire",
        (
            levels_table(portfolio, report),
            fields_table(portfolio, report),
            stale_table(portfolio, report),
            orphans_table(portfolio, report),
            missing_table(portfolio, report),
            dates_table(portfolio, reference_date),
        ),
        parameters=(
            ("Date de référence", reference_date.isoformat()),
            ("Revue plus ancienne que (mois)", str(months)),
        ),
    )

"""``rapport convergence``: blocs, communes and the bloc × commune matrix as tables."""

from __future__ import annotations

from cartographie.analysis.convergence_report import ConvergenceReport, convergence_report
from cartographie.document import (
    CellStyle,
    CellValue,
    Column,
    Document,
    Ref,
    Table,
    make_table,
    rate,
)
from cartographie.graph import Portfolio
from cartographie.reports import refs

BLOCK_COLUMNS = (
    Column("bloc", "Bloc", "reference"),
    Column("nom", "Nom", audience="machines"),
    Column("zone", "Zone", "reference"),
    Column("communes", "Communes", "integer"),
    Column("couples", "Couples (N)", "integer"),
    Column("applications", "Applications (A)", "integer"),
    Column("produits", "Produits", "integer"),
    Column("editeurs", "Éditeurs", "integer"),
    Column("specifiques", "Spécifiques", "integer"),
    Column("taux_convergence", "Taux de convergence", "rate"),
    Column("produit_dominant", "Produit dominant", "reference"),
    Column("application_partagee", "Application partagée", "reference"),
    Column("communes_hors_partagee", "Communes hors de l'application partagée", "list"),
)

COMMUNE_COLUMNS = (
    Column("commune", "Commune", "reference"),
    Column("nom", "Nom", audience="machines"),
    Column("couples", "Couples", "integer"),
    Column("couples_mutualises", "Couples mutualisés", "integer"),
    Column("taux_mutualisation", "Taux de mutualisation", "rate"),
)

TOTAL = "total"


def block_table(portfolio: Portfolio, report: ConvergenceReport) -> Table:
    inventory = portfolio.inventory
    blocks = inventory.blocks
    return make_table(
        "blocs",
        "Convergence par bloc fonctionnel",
        BLOCK_COLUMNS,
        (
            (
                refs.block(inventory, item.block),
                blocks[item.block].name,
                refs.block(inventory, item.zone),
                len(item.communes),
                item.use_pairs,
                len(item.applications),
                len(item.products),
                len(item.vendors),
                len(item.specific_applications),
                rate(item.rate),
                refs.product(inventory, item.dominant_product),
                refs.application(portfolio.inventory, item.shared_application),
                refs.communes(inventory, item.outside_communes),
            )
            for item in report.blocks
        ),
        note=(
            "taux = 1 − (A − 1)/(N − 1), 1 si N ≤ 1 ; N : couples (commune, application) du bloc, "
            "A : applications distinctes parmi eux ; les applications retirées ne comptent pas."
        ),
    )


def commune_table(portfolio: Portfolio, report: ConvergenceReport) -> Table:
    inventory = portfolio.inventory
    rows: list[tuple[str | int | float | None, ...]] = [
        (
            refs.organisation(inventory, item.commune),
            inventory.communes[item.commune].name,
            item.use_pairs,
            item.shared_pairs,
            rate(item.rate),
        )
        for item in report.communes
    ]
    totals = report.totals
    rows.append(
        (
            Ref(TOTAL, TOTAL, "Toutes les communes"),
            "Toutes les communes",
            totals.use_pairs,
            totals.shared_pairs,
            rate(totals.rate),
        )
    )
    return make_table(
        "communes",
        "Mutualisation par commune",
        COMMUNE_COLUMNS,
        rows,
        note=(
            "taux = couples dont l'application est mutualisée (utilisée par deux communes ou plus, "
            "ou propriété de la métropole) / couples de la commune ; dernière ligne : les sommes."
        ),
    )


def matrix_table(portfolio: Portfolio, report: ConvergenceReport) -> Table:
    inventory = portfolio.inventory
    matrix = report.matrix
    columns = [Column("bloc", "Bloc", "reference"), Column("nom", "Nom", audience="machines")]
    columns.extend(
        Column(commune, inventory.communes[commune].name, "list") for commune in matrix.communes
    )
    rows: list[list[CellValue]] = []
    styles: list[list[CellStyle | None]] = []
    for block_id in matrix.blocks:
        cells = [matrix.cell(block_id, commune) for commune in matrix.communes]
        rows.append(
            [
                refs.block(inventory, block_id),
                inventory.blocks[block_id].name,
                *(refs.applications(portfolio.inventory, cell.applications) for cell in cells),
            ]
        )
        styles.append([None, None, *(cell.status for cell in cells)])
    return make_table(
        "matrice",
        "Matrice bloc × commune : les applications de chaque commune",
        columns,
        rows,
        note="Chaque case : les applications que la commune utilise pour ce bloc.",
        styles=styles,
    )


SUMMARY_COLUMNS = (
    Column("blocs_comptes", "Blocs comptés (N ≥ 2)", "integer"),
    Column("couples_des_blocs", "Couples des blocs (ΣN)", "integer"),
    Column("applications_des_blocs", "Applications des blocs (ΣA)", "integer"),
    Column("taux_convergence_global", "Taux de convergence global", "rate"),
    Column("couples_des_communes", "Couples des communes", "integer"),
    Column("couples_mutualises", "Couples mutualisés", "integer"),
    Column("taux_mutualisation_global", "Taux de mutualisation global", "rate"),
)


def summary_table(report: ConvergenceReport) -> Table:
    overall = report.overall
    totals = report.totals
    row = (
        overall.blocks,
        overall.use_pairs,
        overall.applications,
        rate(overall.rate),
        totals.use_pairs,
        totals.shared_pairs,
        rate(totals.rate),
    )
    return make_table(
        "synthese",
        "Synthèse pour la métropole",
        SUMMARY_COLUMNS,
        [row],
        note=(
            "Convergence globale = Σ(N − A) / Σ(N − 1) sur les blocs où N ≥ 2 (la moyenne des "
            "taux pondérée par N − 1) ; mutualisation globale = couples mutualisés / couples."
        ),
    )


def convergence_document(portfolio: Portfolio, zone: str | None = None) -> Document:
    report = convergence_report(portfolio, zone)
    parameters = (("Zone", zone),) if zone else ()
    return Document(
        name="convergence",
        title="Convergence des blocs et mutualisation des communes",
        blocks=(
            summary_table(report),
            block_table(portfolio, report),
            commune_table(portfolio, report),
            matrix_table(portfolio, report),
        ),
        parameters=parameters,
        primary="blocs",
    )

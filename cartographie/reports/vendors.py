"""``rapport editeurs``: applications, communes, cost and API openness per vendor; suites."""

from __future__ import annotations

from cartographie.analysis.vendors import VendorReport, vendor_report
from cartographie.document import Column, Document, Table, make_table, rate
from cartographie.graph import Portfolio
from cartographie.reports import refs

VENDOR_COLUMNS = (
    Column("editeur", "Éditeur", "reference"),
    Column("nom", "Nom", audience="machines"),
    Column("api", "API"),
    Column("applications", "Applications", "integer"),
    Column("communes", "Communes", "integer"),
    Column("cout_annuel", "Coût annuel", "euros"),
    Column("sans_cout", "Sans coût connu", "integer"),
    Column("blocs", "Blocs servis", "list"),
    Column("part_api_fermee", "Part d'API fermées", "rate"),
)
SUMMARY_COLUMNS = (
    Column("applications_avec_produit", "Applications avec un produit", "integer"),
    Column("applications_specifiques", "Applications spécifiques", "integer"),
    Column("applications_api_fermee", "Applications à API fermée", "integer"),
    Column("part_api_fermee", "Part d'API fermées", "rate"),
    Column("editeurs", "Éditeurs", "integer"),
)
SINGLE_COLUMNS = (
    Column("bloc", "Bloc", "reference"),
    Column("nom", "Nom", audience="machines"),
    Column("editeur", "Éditeur unique", "reference"),
    Column("api", "API de l'éditeur"),
    Column("applications", "Applications", "list"),
)
SUITE_COLUMNS = (
    Column("editeur", "Éditeur", "reference"),
    Column("suite", "Suite"),
    Column("produits", "Produits", "list"),
    Column("applications", "Applications", "integer"),
    Column("communes", "Communes", "integer"),
)


def vendors_table(portfolio: Portfolio, report: VendorReport) -> Table:
    vendors = portfolio.inventory.vendors
    return make_table(
        "editeurs",
        "Éditeurs : applications, communes, coût, ouverture",
        VENDOR_COLUMNS,
        (
            (
                refs.vendor(portfolio.inventory, item.vendor),
                vendors[item.vendor].name,
                item.api,
                len(item.applications),
                len(item.communes),
                item.annual_cost,
                item.without_cost,
                refs.blocks(portfolio.inventory, item.blocks),
                rate(item.closed_share),
            )
            for item in report.vendors
        ),
        note=(
            "Applications en service avec un produit ; coût : somme des cout_annuel connus ; "
            "API fermée : propriétaire ou aucune (celle du produit, sinon celle de l'éditeur)."
        ),
    )


def summary_table(report: VendorReport) -> Table:
    row = (
        report.applications_with_product,
        report.specific_applications,
        report.closed_applications,
        rate(report.closed_share),
        len(report.vendors),
    )
    return make_table(
        "synthese",
        "Dépendance aux éditeurs",
        SUMMARY_COLUMNS,
        [row],
        note="Part d'API fermées = applications à API fermée / applications avec un produit.",
    )


def single_vendor_table(portfolio: Portfolio, report: VendorReport) -> Table:
    blocks = portfolio.inventory.blocks
    return make_table(
        "blocs_mono_editeur",
        "Blocs qui dépendent d'un seul éditeur",
        SINGLE_COLUMNS,
        (
            (
                refs.block(portfolio.inventory, item.block),
                blocks[item.block].name,
                refs.vendor(portfolio.inventory, item.vendor),
                item.api,
                refs.applications(portfolio.inventory, item.applications),
            )
            for item in report.single_vendor_blocks
        ),
    )


def suites_table(portfolio: Portfolio, report: VendorReport) -> Table:
    inventory = portfolio.inventory
    return make_table(
        "suites",
        "Suites d'éditeurs",
        SUITE_COLUMNS,
        (
            (
                refs.vendor(inventory, item.vendor),
                item.suite,
                refs.products(inventory, item.products),
                len(item.applications),
                len(item.communes),
            )
            for item in report.suites
        ),
    )


def vendors_document(portfolio: Portfolio) -> Document:
    report = vendor_report(portfolio)
    return Document(
        "editeurs",
        "Éditeurs et dépendances",
        (
            vendors_table(portfolio, report),
            summary_table(report),
            single_vendor_table(portfolio, report),
            suites_table(portfolio, report),
        ),
    )

"""``rapport delegations``: applications run by délégataires, and their contracts' deadlines."""

from __future__ import annotations

import datetime as dt

from cartographie.analysis.delegations import DelegationReport, delegation_report
from cartographie.document import CellStyle, Column, Document, Table, make_table
from cartographie.graph import Portfolio
from cartographie.model.dates import show_date
from cartographie.reports import refs

STATUS_LABELS = {
    "echu": "échu",
    "echeance": "échéance proche",
    "en-cours": "en cours",
    "renouvele": "renouvelé",
}
STATUS_STYLES: dict[str, CellStyle | None] = {
    "echu": "alerte",
    "echeance": "alerte",
    "en-cours": None,
    "renouvele": None,
}
CONTRACT_COLUMNS = (
    Column("delegation", "Contrat", "reference"),
    Column("delegataire", "Délégataire"),
    Column("service", "Service"),
    Column("autorite", "Autorité délégante", "reference"),
    Column("debut", "Début", "date"),
    Column("fin", "Fin", "date"),
    Column("mois_restants", "Mois restants", "integer"),
    Column("statut", "Statut"),
    Column("montant", "Montant", "euros"),
    Column("renouvelle", "Renouvelle", "reference"),
    Column("restitution_donnees", "Restitution des données", "flag"),
    Column("clause_donnees", "Clause sur les données"),
    Column("applications", "Applications", "list"),
)
APPLICATION_COLUMNS = (
    Column("application", "Application", "reference"),
    Column("nom", "Nom", audience="machines"),
    Column("proprietaire", "Propriétaire", "reference"),
    Column("delegation", "Contrat", "reference"),
    Column("hebergement", "Hébergement"),
    Column("gouvernance", "Gouvernance"),
    Column("fin_contrat", "Fin du contrat", "date"),
    Column("restitution_donnees", "Restitution des données", "flag"),
)


def contracts_table(
    portfolio: Portfolio, report: DelegationReport, *, ending_only: bool = False
) -> Table:
    inventory = portfolio.inventory
    contracts = report.ending_soon if ending_only else report.contracts
    name = "echeances" if ending_only else "contrats"
    title = (
        f"Contrats qui se terminent dans les {report.months} mois"
        if ending_only
        else "Contrats de délégation de service public"
    )
    return make_table(
        name,
        title,
        CONTRACT_COLUMNS,
        (
            (
                refs.delegation(inventory, item.delegation),
                item.delegate,
                item.service,
                refs.organisation(inventory, item.authority),
                show_date(item.start),
                show_date(item.end),
                item.months_left,
                STATUS_LABELS[item.status],
                item.amount,
                refs.delegation(inventory, item.renews) if item.renews else None,
                item.data_returned,
                item.data_clause,
                refs.applications(portfolio.inventory, item.applications),
            )
            for item in contracts
        ),
        note=(
            f"Au {report.reference_date.isoformat()} ; échéance proche : fin dans les "
            f"{report.months} mois ; renouvelé : un contrat plus récent le renouvelle."
        ),
        styles=((None,) * 7 + (STATUS_STYLES[item.status],) + (None,) * 5 for item in contracts),
    )


def applications_table(portfolio: Portfolio, report: DelegationReport) -> Table:
    inventory = portfolio.inventory
    rows = []
    for item in report.applications:
        contract = inventory.delegations.get(item.delegation) if item.delegation else None
        rows.append(
            (
                refs.application(portfolio.inventory, item.application),
                inventory.applications[item.application].name,
                refs.organisation(inventory, item.owner),
                refs.delegation(inventory, item.delegation),
                item.hosting,
                item.governance,
                show_date(contract.end) if contract else None,
                contract.data_returned if contract else None,
            )
        )
    return make_table(
        "applications",
        "Applications exploitées par des délégataires",
        APPLICATION_COLUMNS,
        rows,
        note="En service, rattachées à un contrat ou hébergées chez le délégataire.",
    )


def delegations_document(
    portfolio: Portfolio, reference_date: dt.date, months: int = 12
) -> Document:
    report = delegation_report(portfolio, reference_date, months)
    return Document(
        "delegations",
        "Délégations de service public",
        (
            applications_table(portfolio, report),
            contracts_table(portfolio, report),
            contracts_table(portfolio, report, ending_only=True),
        ),
        parameters=(
            ("Date de référence", reference_date.isoformat()),
            ("Horizon (mois)", str(months)),
        ),
    )

"""``rapport impact``: what a change hitting a bloc, a data object or a vendor must reach."""

from __future__ import annotations

from collections.abc import Callable

from cartographie.analysis.impact import (
    Impact,
    impact_by_block,
    impact_of_block,
    impact_of_data,
    impact_of_vendor,
)
from cartographie.errors import UsageError
from cartographie.graph import Portfolio
from cartographie.reports.table import Column, ReportDocument, Table, make_table

SCOPE_LABELS = {"bloc": "Bloc", "donnee": "Donnée", "editeur": "Éditeur"}

SUMMARY_COLUMNS = (
    Column("indicateur", "Indicateur"),
    Column("valeur", "Valeur", "count"),
    Column("liste", "Lesquels", "list"),
)
APPLICATION_COLUMNS = (
    Column("application", "Application"),
    Column("nom", "Nom"),
    Column("proprietaire", "Propriétaire"),
    Column("communes", "Communes", "list"),
    Column("produit", "Produit"),
    Column("editeur", "Éditeur"),
    Column("flux", "Flux", "count"),
)
FLOW_COLUMNS = (
    Column("source", "Source"),
    Column("cible", "Cible"),
    Column("donnee", "Donnée"),
    Column("via", "Via"),
    Column("emplacement", "Fichier:ligne", "location"),
)
BLOCK_COLUMNS = (
    Column("bloc", "Bloc"),
    Column("nom", "Nom"),
    Column("applications", "Applications", "count"),
    Column("communes", "Communes", "count"),
    Column("produits", "Produits", "count"),
    Column("editeurs", "Éditeurs", "count"),
    Column("flux", "Flux", "count"),
    Column("operations", "Opérations", "count"),
)


def summary_table(impact: Impact) -> Table:
    rows = [
        (
            "applications",
            len(impact.applications),
            tuple(a.application for a in impact.applications),
        ),
        ("communes", len(impact.communes), impact.communes),
        ("produits", len(impact.products), impact.products),
        ("editeurs", len(impact.vendors), impact.vendors),
        ("flux", len(impact.flows), ()),
        ("organismes_exterieurs", len(impact.external_applications), impact.external_applications),
        ("operations", impact.operations, ()),
    ]
    return make_table(
        "synthese",
        f"Impact d'un changement sur {SCOPE_LABELS[impact.kind].lower()} « {impact.scope} »",
        SUMMARY_COLUMNS,
        rows,
        note=(
            "Une opération par application à modifier ; les applications retirées ne comptent pas, "
            "celles des organismes extérieurs sont à part (la métropole ne les modifie pas)."
        ),
    )


def applications_table(portfolio: Portfolio, impact: Impact) -> Table:
    applications = portfolio.inventory.applications
    return make_table(
        "applications",
        "Applications à engager",
        APPLICATION_COLUMNS,
        (
            (
                item.application,
                applications[item.application].name,
                item.owner,
                item.communes,
                item.product,
                item.vendor,
                item.flows,
            )
            for item in impact.applications
        ),
    )


def flows_table(impact: Impact) -> Table:
    return make_table(
        "flux",
        "Flux touchés",
        FLOW_COLUMNS,
        (
            (flow.source, flow.target, flow.data, flow.via, str(flow.origin))
            for flow in impact.flows
        ),
    )


def by_block_table(portfolio: Portfolio) -> Table:
    blocks = portfolio.inventory.blocks
    return make_table(
        "blocs",
        "Impact d'un changement réglementaire, bloc par bloc",
        BLOCK_COLUMNS,
        (
            (
                impact.scope,
                blocks[impact.scope].name,
                len(impact.applications),
                len(impact.communes),
                len(impact.products),
                len(impact.vendors),
                len(impact.flows),
                impact.operations,
            )
            for impact in impact_by_block(portfolio)
        ),
        note="Opérations : une par application en service du bloc (DESIGN.md §1).",
    )


def impact_document(
    portfolio: Portfolio,
    block: str | None = None,
    data: str | None = None,
    vendor: str | None = None,
) -> ReportDocument:
    """One scope (``--bloc``, ``--donnee`` or ``--editeur``), or every bloc when none is given."""
    scopes = [
        (kind, value)
        for kind, value in (("bloc", block), ("donnee", data), ("editeur", vendor))
        if value
    ]
    if len(scopes) > 1:
        raise UsageError("une seule portée à la fois", "choisissez --bloc, --donnee ou --editeur")
    title = "Impact d'un changement"
    if not scopes:
        return ReportDocument("impact", title, (by_block_table(portfolio),))
    kind, value = scopes[0]
    builders: dict[str, Callable[[Portfolio, str], Impact]] = {
        "bloc": impact_of_block,
        "donnee": impact_of_data,
        "editeur": impact_of_vendor,
    }
    impact = builders[kind](portfolio, value)
    return ReportDocument(
        "impact",
        title,
        (summary_table(impact), applications_table(portfolio, impact), flows_table(impact)),
        parameters=((SCOPE_LABELS[kind], value),),
    )

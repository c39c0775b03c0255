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
from cartographie.document import Column, Document, Table, make_table
from cartographie.errors import OptionError
from cartographie.graph import Portfolio
from cartographie.reports import refs

SCOPE_LABELS = {"bloc": "Bloc", "donnee": "Donnée", "editeur": "Éditeur"}

SUMMARY_COLUMNS = (
    Column("indicateur", "Indicateur"),
    Column("valeur", "Valeur", "integer"),
    Column("liste", "Lesquels", "list"),
)
APPLICATION_COLUMNS = (
    Column("application", "Application", "reference"),
    Column("nom", "Nom"),
    Column("proprietaire", "Propriétaire", "reference"),
    Column("communes", "Communes", "list"),
    Column("produit", "Produit", "reference"),
    Column("editeur", "Éditeur", "reference"),
    Column("flux", "Flux", "integer"),
)
FLOW_COLUMNS = (
    Column("source", "Source", "reference"),
    Column("cible", "Cible", "reference"),
    Column("donnee", "Donnée", "reference"),
    Column("via", "Via", "reference"),
    Column("emplacement", "Fichier:ligne", "location"),
)
BLOCK_COLUMNS = (
    Column("bloc", "Bloc", "reference"),
    Column("nom", "Nom", audience="machines"),
    Column("applications", "Applications", "integer"),
    Column("communes", "Communes", "integer"),
    Column("produits", "Produits", "integer"),
    Column("editeurs", "Éditeurs", "integer"),
    Column("flux", "Flux", "integer"),
    Column("operations", "Opérations", "integer"),
)


def summary_table(portfolio: Portfolio, impact: Impact) -> Table:
    inventory = portfolio.inventory
    rows = [
        (
            "applications",
            len(impact.applications),
            refs.applications(inventory, [a.application for a in impact.applications]),
        ),
        ("communes", len(impact.communes), refs.communes(inventory, impact.communes)),
        ("produits", len(impact.products), refs.products(inventory, impact.products)),
        ("editeurs", len(impact.vendors), refs.vendors(inventory, impact.vendors)),
        ("flux", len(impact.flows), ()),
        (
            "organismes_exterieurs",
            len(impact.external_applications),
            refs.applications(portfolio.inventory, impact.external_applications),
        ),
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
                refs.application(portfolio.inventory, item.application),
                applications[item.application].name,
                refs.organisation(portfolio.inventory, item.owner),
                refs.communes(portfolio.inventory, item.communes),
                refs.product(portfolio.inventory, item.product),
                refs.vendor(portfolio.inventory, item.vendor),
                item.flows,
            )
            for item in impact.applications
        ),
    )


def flows_table(portfolio: Portfolio, impact: Impact) -> Table:
    return make_table(
        "flux",
        "Flux touchés",
        FLOW_COLUMNS,
        (
            (
                refs.application(portfolio.inventory, flow.source),
                refs.application(portfolio.inventory, flow.target),
                refs.data(portfolio.inventory, flow.data),
                refs.application(portfolio.inventory, flow.via),
                str(flow.origin),
            )
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
                refs.block(portfolio.inventory, impact.scope),
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
) -> Document:
    """One scope (``--bloc``, ``--donnee`` or ``--editeur``), or every bloc when none is given."""
    scopes = [
        (kind, value)
        for kind, value in (("bloc", block), ("donnee", data), ("editeur", vendor))
        if value
    ]
    if len(scopes) > 1:
        raise OptionError("une seule portée à la fois", "choisissez --bloc, --donnee ou --editeur")
    title = "Impact d'un changement"
    if not scopes:
        return Document("impact", title, (by_block_table(portfolio),))
    kind, value = scopes[0]
    builders: dict[str, Callable[[Portfolio, str], Impact]] = {
        "bloc": impact_of_block,
        "donnee": impact_of_data,
        "editeur": impact_of_vendor,
    }
    impact = builders[kind](portfolio, value)
    return Document(
        "impact",
        title,
        (
            summary_table(portfolio, impact),
            applications_table(portfolio, impact),
            flows_table(portfolio, impact),
        ),
        parameters=((SCOPE_LABELS[kind], value),),
    )

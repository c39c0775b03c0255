"""``rapport couts``: what the portfolio costs, by commune, bloc, domain, vendor or application;
what dispersion costs; how the inventory reconciles with the DSI's declared budget and staff.

Every figure follows DESIGN.md §10 (``analysis.costs``, ``analysis.dispersion``): full costs
(``cout_annuel + jours_internes × tjm``), unknown costs counted apart (« au moins … »), the three
terms of dispersion with the parameters they use, and the reconciliation line.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from cartographie.analysis.costs import CostModel, CostSum, Reconciliation, reconcile
from cartographie.analysis.dispersion import BlockDispersion, all_block_dispersion
from cartographie.analysis.rebilling import Rebilling
from cartographie.document import (
    Block,
    Column,
    Document,
    Paragraph,
    Ref,
    Section,
    Table,
    make_table,
    numbers,
    rate,
)
from cartographie.model.inventory import Inventory
from cartographie.reports import refs
from cartographie.reports.money import amount_text, days_value, euros, euros_text, key_text

CostView = Literal["commune", "bloc", "domaine", "editeur", "application"]
VIEWS: tuple[CostView, ...] = ("commune", "bloc", "domaine", "editeur", "application")

SPECIFIC = "Développements spécifiques (sans produit)"


def _amount(key: str, label: str) -> tuple[Column, Column]:
    """An amount column and the machines' column counting its unknown costs."""
    return (
        Column(key, label, "euros", unknowns=f"{key}_inconnus"),
        Column(f"{key}_inconnus", f"{label} : coûts inconnus", "integer", audience="machines"),
    )


def _cells(total: CostSum) -> tuple[int | float | None, int]:
    return euros(total.cents), total.unknown


def parameters_of(model: CostModel) -> tuple[tuple[str, str], ...]:
    parameters = model.parameters
    return (
        ("Taux journalier interne (tjm)", euros_text(parameters.daily_rate * 100)),
        ("Coût annuel d'une interface", euros_text(parameters.interface_cost * 100)),
        ("Coût d'une opération réglementaire", euros_text(parameters.operation_cost * 100)),
        ("Jours travaillés par agent", numbers.integer(parameters.days_per_agent)),
    )


# --- by commune -----------------------------------------------------------------------------


def communes_table(model: CostModel, rebilling: Rebilling) -> Table:
    inventory = model.portfolio.inventory
    columns = (
        Column("organisation", "Commune", "reference"),
        Column("nom", "Nom", audience="machines"),
        Column("applications", "Applications", "integer"),
        *_amount("possede", "Coût de ses applications"),
        *_amount("refacture", f"Refacturé en {rebilling.year}"),
        *_amount("total", "Total"),
    )
    rows = []
    for commune_id, commune in inventory.communes.items():
        owned = model.owned(commune_id)
        billed = rebilling.commune_total(commune_id)
        rows.append(
            (
                refs.organisation(inventory, commune_id),
                commune.name,
                len(model.by_owner.get(commune_id, [])),
                *_cells(owned),
                *_cells(billed),
                *_cells(owned + billed),
            )
        )
    metropole = inventory.metropole.id
    overheads = sum(cost.overhead for cost in model.domain_costs.values())
    carried = model.owned(metropole).plus(overheads)
    billed = rebilling.billed
    rows.append(
        (
            refs.organisation(inventory, metropole),
            inventory.metropole.name,
            len(model.by_owner.get(metropole, [])),
            *_cells(carried),
            euros(-billed.cents),
            billed.unknown,
            *_cells(carried - billed),
        )
    )
    return make_table(
        "communes",
        "Coût par commune : ce qu'elle possède, ce qui lui est refacturé",
        columns,
        rows,
        note=(
            "Coût de ses applications : coût complet (cout_annuel + jours_internes × tjm) des "
            "applications en service dont elle est propriétaire ; pour la métropole, avec les "
            f"frais des domaines mutualisés. Refacturé : sa part des domaines en {rebilling.year} "
            "(rapport refacturation) ; pour la métropole, ce qu'elle refacture, en moins."
        ),
    )


# --- by bloc: dispersion --------------------------------------------------------------------


def blocks_table(model: CostModel, items: Sequence[BlockDispersion]) -> Table:
    inventory = model.portfolio.inventory
    parameters = model.parameters
    columns = (
        Column("bloc", "Bloc", "reference"),
        Column("nom", "Nom", audience="machines"),
        Column("applications", "Applications (A_b)", "integer"),
        Column("couples", "Couples (N_b)", "integer"),
        *_amount("cout", "Coût des applications"),
        Column("reference", "Application de référence", "reference"),
        Column("reference_partagee", "Référence partagée", "flag"),
        Column("cout_reference", "Coût de la référence", "euros"),
        *_amount("terme_applications", "Applications en plus"),
        Column("interfaces_en_trop", "Interfaces en trop", "integer"),
        Column("terme_interfaces", "Interfaces en plus", "euros"),
        Column("terme_operations", "Opérations en plus", "euros"),
        *_amount("dispersion", "Coût de la dispersion"),
    )
    ordered = sorted(
        (item for item in items if item.applications),
        key=lambda item: (-item.dispersion_cost.cents, item.block),
    )
    rows = [
        (
            refs.block(inventory, item.block),
            inventory.blocks[item.block].name,
            len(item.applications),
            item.use_pairs,
            *_cells(item.applications_cost),
            refs.application(inventory, item.reference),
            item.reference_is_shared if item.reference is not None else None,
            euros(item.reference_cost),
            *_cells(item.others_cost),
            item.excess_interfaces,
            euros(item.interface_cost),
            euros(item.operation_cost),
            *_cells(item.dispersion_cost),
        )
        for item in ordered
    ]
    return make_table(
        "blocs",
        "Coût de la dispersion par bloc",
        columns,
        rows,
        note=(
            "Dispersion = applications en plus (Σ des coûts complets des A_b applications du "
            "bloc − coût de la référence : l'application partagée du bloc, sinon celle qui a le "
            "plus de couples) + interfaces en plus (Σ par donnée de max(0, E − V) flux point à "
            f"point × {euros_text(parameters.interface_cost * 100)}) + opérations en plus "
            f"((A_b − 1) × {euros_text(parameters.operation_cost * 100)} pour un changement "
            "réglementaire). Une application de plusieurs blocs compte dans chacun : les lignes "
            "ne s'additionnent pas."
        ),
    )


def interfaces_table(model: CostModel, items: Sequence[BlockDispersion]) -> Table:
    inventory = model.portfolio.inventory
    columns = (
        Column("bloc", "Bloc", "reference"),
        Column("donnee", "Donnée", "reference"),
        Column("flux", "Flux point à point (E)", "integer"),
        Column("applications", "Applications aux extrémités (V)", "integer"),
        Column("en_trop", "En trop (E − V)", "integer"),
    )
    rows = [
        (
            refs.block(inventory, item.block),
            refs.data(inventory, data.data),
            data.flows,
            data.applications,
            data.excess,
        )
        for item in items
        for data in item.data
    ]
    return make_table(
        "interfaces",
        "Interfaces de la dispersion : flux point à point par bloc et par donnée",
        columns,
        rows,
        note="Flux point à point dont une extrémité est une application du bloc, par donnée.",
    )


# --- by domain, vendor, application ---------------------------------------------------------


def domains_table(model: CostModel) -> Table:
    inventory = model.portfolio.inventory
    columns = (
        Column("domaine", "Domaine", "reference"),
        Column("nom", "Nom", audience="machines"),
        Column("cle", "Clé de répartition"),
        Column("applications", "Applications de la métropole", "integer"),
        *_amount("cout_applications", "Coût des applications"),
        Column("frais", "Frais du domaine", "euros"),
        *_amount("cout", "Coût du domaine"),
    )
    rows = []
    for domain_id, cost in model.domain_costs.items():
        domain = inventory.domains[domain_id]
        rows.append(
            (
                Ref("domaine", domain_id, domain.name),
                domain.name,
                key_text(domain.allocation_key),
                len(cost.applications),
                *_cells(cost.applications_cost),
                euros(cost.overhead) if cost.overhead_declared else None,
                *_cells(cost.total),
            )
        )
    return make_table(
        "domaines",
        "Coût des domaines mutualisés",
        columns,
        rows,
        note=(
            "Applications de la métropole rattachées aux blocs du domaine, en service ; une "
            "application de plusieurs domaines partage son coût à parts égales (au centime). "
            "Coût du domaine = coût des applications + frais : ce que la refacturation répartit."
        ),
    )


def vendors_table(model: CostModel) -> Table:
    inventory = model.portfolio.inventory
    known_total = model.total().cents
    columns = (
        Column("editeur", "Éditeur", "reference"),
        Column("nom", "Nom", audience="machines"),
        Column("applications", "Applications", "integer"),
        *_amount("cout", "Coût complet"),
        Column("part", "Part du coût connu", "rate"),
    )
    vendors = model.by_vendor
    order = sorted(vendors, key=lambda vendor: (-model.total(vendors[vendor]).cents, vendor or "~"))
    rows = []
    for vendor_id in order:
        total = model.total(vendors[vendor_id])
        name = inventory.vendors[vendor_id].name if vendor_id else SPECIFIC
        rows.append(
            (
                refs.vendor(inventory, vendor_id) if vendor_id else SPECIFIC,
                name,
                len(vendors[vendor_id]),
                *_cells(total),
                rate(total.cents / known_total) if known_total else None,
            )
        )
    return make_table(
        "editeurs",
        "Coût par éditeur",
        columns,
        rows,
        note="Éditeur du produit installé ; les applications sans produit sont comptées à part.",
    )


def applications_table(model: CostModel) -> Table:
    inventory = model.portfolio.inventory
    rate_per_day = model.parameters.daily_rate
    columns = (
        Column("application", "Application", "reference"),
        Column("proprietaire", "Propriétaire", "reference"),
        Column("editeur", "Éditeur", "reference"),
        Column("cout_annuel", "Décaissé (cout_annuel)", "euros"),
        Column("jours_internes", "Jours internes", "decimal"),
        Column("valorisation", "Jours × tjm", "euros"),
        Column("cout_complet", "Coût complet", "euros"),
    )
    rows = []
    for app_id in model.in_scope:
        application = inventory.applications[app_id]
        hundredths = application.internal_hundredths
        rows.append(
            (
                refs.application(inventory, app_id),
                refs.organisation(inventory, inventory.owners[app_id]),
                refs.vendor(inventory, inventory.vendor_of(app_id)),
                application.annual_cost,
                None if hundredths is None else days_value(hundredths),
                None if hundredths is None else euros(hundredths * rate_per_day),
                euros(model.cost(app_id)),
            )
        )
    return make_table(
        "applications",
        "Coût complet de chaque application",
        columns,
        rows,
        note="Coût complet = cout_annuel + jours_internes × tjm ; « — » : coût inconnu "
        "(ni cout_annuel ni jours_internes).",
    )


# --- reconciliation -------------------------------------------------------------------------


def budget_table(reconciliation: Reconciliation) -> Table:
    columns = (
        Column("poste", "Poste"),
        *_amount("montant", "Montant"),
        Column("part", "Part du budget déclaré", "rate"),
    )
    budget, gap = reconciliation.budget, reconciliation.gap

    def share(cents: int) -> float | None:
        return rate(cents / budget) if budget else None

    rows: list[tuple[object, ...]] = [
        (
            "Décaissé pour les applications en service (Σ cout_annuel)",
            *_cells(reconciliation.paid_out),
            share(reconciliation.paid_out.cents),
        ),
        (
            "Frais des domaines mutualisés (Σ frais)",
            euros(reconciliation.overheads),
            0,
            share(reconciliation.overheads),
        ),
    ]
    for line in reconciliation.outside:
        if line.cents is not None:
            rows.append((f"Hors inventaire : {line.name}", euros(line.cents), 0, share(line.cents)))
    rows += [
        (
            "Total expliqué",
            euros(reconciliation.accounted),
            reconciliation.paid_out.unknown,
            share(reconciliation.accounted),
        ),
        ("Budget déclaré de la DSI", euros(budget), 0, share(budget)),
        (
            "Écart (budget − total expliqué)",
            euros(gap),
            0,
            share(gap),
        ),
    ]
    return make_table(
        "budget",
        "Rapprochement avec le budget déclaré de la DSI",
        columns,
        rows,  # type: ignore[arg-type]
        note=(
            "Le budget déclaré (couts.yaml, dsi) face à ce que l'inventaire en explique : les "
            "coûts décaissés des applications, les frais des domaines, et les postes documentés "
            "hors inventaire. L'écart reste à expliquer (dont les applications sans cout_annuel)."
        ),
    )


def staff_table(reconciliation: Reconciliation) -> Table:
    columns = (
        Column("poste", "Poste"),
        Column("jours", "Jours par an", "decimal"),
        Column("agents", "Équivalent agents", "decimal"),
        Column("sans_jours", "Applications sans jours_internes", "integer"),
        Column("part", "Part de l'effectif déclaré", "rate"),
    )
    per_agent = reconciliation.days_per_agent
    declared = reconciliation.staff_days

    def row(label: str, hundredths: int, missing: int | None = None) -> tuple[object, ...]:
        return (
            label,
            days_value(hundredths),
            round(hundredths / 100 / per_agent, 2),
            missing,
            rate(hundredths / declared) if declared else None,
        )

    rows = [
        row(
            "Jours internes des applications en service (Σ jours_internes)",
            reconciliation.internal_days,
            reconciliation.without_days,
        )
    ]
    rows += [
        row(f"Hors inventaire : {line.name}", line.days_hundredths)
        for line in reconciliation.outside
        if line.days_hundredths is not None
    ]
    rows += [
        row("Total expliqué", reconciliation.accounted_days, reconciliation.without_days),
        row(
            f"Effectif déclaré ({numbers.integer(reconciliation.agents)} agents × {per_agent} "
            "jours)",
            declared,
        ),
        row("Écart (déclaré − total expliqué)", reconciliation.days_gap),
    ]
    return make_table(
        "effectifs",
        "Rapprochement avec l'effectif déclaré de la DSI",
        columns,
        rows,  # type: ignore[arg-type]
        note=(
            "L'effectif déclaré (agents × jours_par_agent) face aux jours_internes des "
            "applications et aux jours documentés hors inventaire."
        ),
    )


def reconciliation_sentence(reconciliation: Reconciliation) -> str:
    budget, gap = reconciliation.budget, reconciliation.gap
    days, days_gap = reconciliation.staff_days, reconciliation.days_gap
    return (
        f"Rapprochement : l'inventaire et les postes documentés hors inventaire expliquent "
        f"{euros_text(reconciliation.accounted)} du budget déclaré de {euros_text(budget)} "
        f"(écart {euros_text(gap)}, {numbers.percent(gap / budget if budget else 0)}) et "
        f"{numbers.decimal(reconciliation.accounted_days / 100, 0)} jours des "
        f"{numbers.decimal(days / 100, 0)} de l'effectif déclaré (écart "
        f"{numbers.decimal(days_gap / 100, 0)} jours, "
        f"{numbers.percent(days_gap / days if days else 0)})."
    )


# --- the document ---------------------------------------------------------------------------


def costs_document(
    model: CostModel, rebilling: Rebilling, view: CostView | None = None, *, note: str = ""
) -> Document:
    """Every view, or only ``view``; the summary and the reconciliation in both cases."""
    inventory: Inventory = model.portfolio.inventory
    dispersion = all_block_dispersion(model) if view in (None, "bloc") else []
    reconciliation = reconcile(model)
    total = model.total()
    summary = [
        Paragraph(
            f"Coût complet des {numbers.count(len(model.in_scope), 'application')} en service : "
            f"{amount_text(total)} par an.",
            strong=True,
        )
    ]
    if dispersion:
        spread = CostSum()
        for item in dispersion:
            spread = spread + item.dispersion_cost
        summary.append(
            Paragraph(
                f"Coût de la dispersion, somme des blocs : {amount_text(spread)} par an (une "
                "application de plusieurs blocs y compte dans chacun)."
            )
        )
    if reconciliation is not None:
        summary.append(Paragraph(reconciliation_sentence(reconciliation)))
    sections: dict[CostView, Block] = {
        "commune": Section("Par commune", (communes_table(model, rebilling),), name="communes"),
        "domaine": Section("Par domaine mutualisé", (domains_table(model),), name="domaines"),
        "editeur": Section("Par éditeur", (vendors_table(model),), name="editeurs"),
        "application": Section(
            "Par application", (applications_table(model),), name="applications", fold=True
        ),
    }
    if dispersion:
        sections["bloc"] = Section(
            "Par bloc : le coût de la dispersion",
            (
                blocks_table(model, dispersion),
                Section(
                    "Le détail des interfaces",
                    (interfaces_table(model, dispersion),),
                    name="interfaces",
                    fold=True,
                ),
            ),
            name="blocs",
        )
    blocks: list[Block] = [
        sections[name] for name in VIEWS if name in sections and view in (None, name)
    ]
    if reconciliation is not None:
        blocks.append(
            Section(
                "Rapprochement avec la DSI",
                (budget_table(reconciliation), staff_table(reconciliation)),
                name="rapprochement",
            )
        )
    parameters = list(parameters_of(model))
    parameters.append(("Refacturation de l'année", str(rebilling.year)))
    if view is not None:
        parameters.append(("Vue", f"par {view}"))
    return Document(
        "couts",
        f"Coûts du patrimoine {numbers.of(inventory.metropole.name)}",
        tuple(blocks),
        parameters=tuple(parameters),
        summary=tuple(summary),
        notes=(note,) if note else (),
        primary={
            "commune": "communes",
            "bloc": "blocs",
            "domaine": "domaines",
            "editeur": "editeurs",
            "application": "applications",
        }.get(view or "commune", ""),
    )

"""``simuler``: a scenario's before → after, as a document (DESIGN.md §10, ``analysis.scenario``).

The summary gives the métropole's figures before → after; then the operations, the convergence
of the blocs that change, every commune's mutualisation, costs and refacturation share, the
applications retired, the flows to redo (``file:line``), the délégations and chantiers
concerned, and the changes the scenario writes into the inventory (what ``--appliquer`` does).
"""

from __future__ import annotations

import difflib

from cartographie.analysis.costs import CostSum
from cartographie.analysis.scenario import Simulation
from cartographie.document import (
    Block,
    Column,
    Document,
    Item,
    Items,
    Paragraph,
    Ref,
    Section,
    Table,
    make_table,
    numbers,
    rate,
)
from cartographie.model.dates import show_date
from cartographie.model.scenario import Operation
from cartographie.reports import refs
from cartographie.reports.costs import parameters_of
from cartographie.reports.money import amount_text, euros, euros_text


def operation_text(simulation: Simulation, operation: Operation) -> str:
    """One operation as the committee reads it."""
    inventory = simulation.before.portfolio.inventory
    if operation.join is not None or operation.leave is not None:
        adhesion = operation.join or operation.leave
        assert adhesion is not None
        verb = "rejoint" if operation.join is not None else "quitte"
        return (
            f"{inventory.organisation_name(adhesion.commune)} {verb} le domaine "
            f"« {adhesion.domain} » en {adhesion.year}"
        )
    if operation.retire is not None:
        replaced = (
            f", remplacée par « {operation.retire.replaced_by} »"
            if operation.retire.replaced_by
            else ""
        )
        return (
            f"« {operation.retire.application} » est retirée en {operation.retire.year}{replaced}"
        )
    assert operation.share is not None
    names = ", ".join(inventory.organisation_name(c) for c in operation.share.communes)
    return f"« {operation.share.application} » est partagée avec {names} en {operation.share.year}"


def _change(before: float, after: float) -> str:
    return f"{numbers.percent(before)} → {numbers.percent(after)}"


def convergence_table(simulation: Simulation) -> Table:
    before, after = simulation.before, simulation.after
    inventory = after.portfolio.inventory
    columns = (
        Column("bloc", "Bloc", "reference"),
        Column("couples_avant", "Couples avant", "integer"),
        Column("couples_apres", "Couples après", "integer"),
        Column("applications_avant", "Applications avant", "integer"),
        Column("applications_apres", "Applications après", "integer"),
        Column("taux_avant", "Taux avant", "rate"),
        Column("taux_apres", "Taux après", "rate"),
    )
    rows: list[tuple[object, ...]] = [
        (
            Ref("metropole", inventory.metropole.id, "Tous les blocs (métropole)"),
            before.overall.use_pairs,
            after.overall.use_pairs,
            before.overall.applications,
            after.overall.applications,
            rate(before.overall.rate),
            rate(after.overall.rate),
        )
    ]
    for block_id, detail in after.blocks.items():
        old = before.blocks.get(block_id)
        if old is None or (
            old.use_pairs,
            old.applications,
        ) == (detail.use_pairs, detail.applications):
            continue
        rows.append(
            (
                refs.block(inventory, block_id),
                old.use_pairs,
                detail.use_pairs,
                len(old.applications),
                len(detail.applications),
                rate(old.rate),
                rate(detail.rate),
            )
        )
    return make_table(
        "convergence",
        "Convergence : la métropole et les blocs qui changent",
        columns,
        rows,  # type: ignore[arg-type]
        note=(
            "Taux de convergence 1 − (A_b − 1)/(N_b − 1) ; la métropole : "
            "Σ(N_b − A_b)/Σ(N_b − 1)."
        ),
    )


def mutualisation_table(simulation: Simulation) -> Table:
    before, after = simulation.before, simulation.after
    inventory = after.portfolio.inventory
    columns = (
        Column("commune", "Commune", "reference"),
        Column("couples_avant", "Couples avant", "integer"),
        Column("couples_apres", "Couples après", "integer"),
        Column("taux_avant", "Mutualisation avant", "rate"),
        Column("taux_apres", "Mutualisation après", "rate"),
    )
    rows = [
        (
            refs.organisation(inventory, commune),
            before.communes[commune].use_pairs,
            after.communes[commune].use_pairs,
            rate(before.communes[commune].rate),
            rate(after.communes[commune].rate),
        )
        for commune in after.communes
    ]
    return make_table("mutualisation", "Mutualisation de chaque commune", columns, rows)


def _amount(key: str, label: str) -> tuple[Column, Column]:
    return (
        Column(key, label, "euros", unknowns=f"{key}_inconnus"),
        Column(f"{key}_inconnus", f"{label} : coûts inconnus", "integer", audience="machines"),
    )


def _cells(total: CostSum) -> tuple[int | float | None, int]:
    return euros(total.cents), total.unknown


def costs_table(simulation: Simulation) -> Table:
    before, after = simulation.before, simulation.after
    inventory = after.portfolio.inventory
    year = simulation.year
    columns = (
        Column("organisation", "Commune", "reference"),
        *_amount("possede_avant", "Possède avant"),
        *_amount("possede_apres", "Possède après"),
        *_amount("refacture_avant", f"Refacturé {year} avant"),
        *_amount("refacture_apres", f"Refacturé {year} après"),
        *_amount("total_avant", "Total avant"),
        *_amount("total_apres", "Total après"),
        Column("ecart", "Écart du total", "euros"),
    )
    rows = []
    for organisation in [*inventory.communes, inventory.metropole.id]:
        total_before = before.owned(organisation) + before.billed(organisation)
        total_after = after.owned(organisation) + after.billed(organisation)
        rows.append(
            (
                refs.organisation(inventory, organisation),
                *_cells(before.owned(organisation)),
                *_cells(after.owned(organisation)),
                *_cells(before.billed(organisation)),
                *_cells(after.billed(organisation)),
                *_cells(total_before),
                *_cells(total_after),
                euros(total_after.cents - total_before.cents),
            )
        )
    return make_table(
        "couts",
        f"Coûts par commune et pour la métropole, en {year}",
        columns,
        rows,
        note=(
            "Possède : coût complet de ses applications en service (la métropole : avec les frais "
            "des domaines) ; refacturé : sa part des domaines (la métropole : ce qu'elle "
            "refacture, en moins). Écart : sur les montants connus."
        ),
    )


def rebilling_table(simulation: Simulation) -> Table:
    before, after = simulation.before, simulation.after
    inventory = after.portfolio.inventory
    columns = (
        Column("domaine", "Domaine", "reference"),
        Column("commune", "Commune", "reference"),
        Column("part_avant", "Part avant", "euros"),
        Column("part_apres", "Part après", "euros"),
        Column("ecart", "Écart", "euros"),
    )
    rows = []
    old_domains = {item.domain: item for item in before.rebilling.domains}
    for item in after.rebilling.domains:
        old = old_domains[item.domain]
        for commune in inventory.communes:
            was, now = old.share_of(commune), item.share_of(commune)
            if was is None and now is None:
                continue
            cents_before = was.cents if was is not None else 0
            cents_after = now.cents if now is not None else 0
            rows.append(
                (
                    Ref("domaine", item.domain, inventory.domains[item.domain].name),
                    refs.organisation(inventory, commune),
                    None if was is None else euros(cents_before),
                    None if now is None else euros(cents_after),
                    euros(cents_after - cents_before),
                )
            )
    return make_table(
        "refacturation",
        f"Parts de refacturation {simulation.year}, avant → après",
        columns,
        rows,
        note="« — » : la commune ne participe pas au domaine cette année-là.",
        group_by="domaine",
    )


def retired_table(simulation: Simulation) -> Table:
    inventory = simulation.before.portfolio.inventory
    columns = (
        Column("application", "Application", "reference"),
        Column("proprietaire", "Propriétaire", "reference"),
        Column("remplacee_par", "Remplacée par", "reference"),
        Column("annee", "Année", "year"),
        Column("cout", "Coût complet par an", "euros"),
    )
    rows = [
        (
            refs.application(inventory, item.application),
            refs.organisation(inventory, item.owner),
            refs.application(inventory, item.replaced_by),
            item.year,
            euros(item.cost),
        )
        for item in simulation.retired
    ]
    return make_table(
        "retirees",
        "Applications retirées",
        columns,
        rows,
        note="Coût complet d'aujourd'hui : « — » quand il est inconnu.",
    )


def flows_table(simulation: Simulation) -> Table:
    columns = (
        Column("emplacement", "Emplacement", "location"),
        Column("source", "Source", "reference"),
        Column("cible", "Cible", "reference"),
        Column("donnee", "Donnée", "reference"),
        Column("via", "Via", "reference"),
    )
    inventory = simulation.before.portfolio.inventory
    rows = [
        (
            str(flow.origin),
            refs.application(inventory, flow.source),
            refs.application(inventory, flow.target),
            refs.data(inventory, flow.data),
            refs.application(inventory, flow.via),
        )
        for flow in simulation.flows_to_redo
    ]
    return make_table(
        "flux_a_refaire",
        "Flux à refaire (ceux des applications retirées)",
        columns,
        rows,
        note="À rebrancher sur l'application qui remplace, ou à retirer.",
    )


def contracts_table(simulation: Simulation) -> Table:
    inventory = simulation.before.portfolio.inventory
    columns = (
        Column("objet", "Délégation ou chantier", "reference"),
        Column("sorte", "Sorte"),
        Column("fin", "Fin"),
        Column("applications", "Applications concernées", "list"),
    )
    touched = set(simulation.touched_applications)
    rows: list[tuple[object, ...]] = []
    for delegation_id in simulation.delegations:
        delegation = inventory.delegations[delegation_id]
        apps = [a for a in touched if inventory.applications[a].delegation == delegation_id]
        rows.append(
            (
                refs.delegation(inventory, delegation_id),
                f"délégation ({delegation.delegate})",
                show_date(delegation.end),
                refs.applications(inventory, apps),
            )
        )
    for programme_id in simulation.programmes:
        programme = inventory.programmes[programme_id]
        apps = [a for a in touched if a == programme.target or a in programme.retires]
        rows.append(
            (
                Ref("chantier", programme_id, programme.name),
                "chantier",
                show_date(programme.end),
                refs.applications(inventory, apps),
            )
        )
    return make_table(
        "contrats",
        "Délégations et chantiers concernés",
        columns,
        rows,  # type: ignore[arg-type]
    )


def edits_items(simulation: Simulation, contents: dict[str, bytes]) -> Items:
    items = []
    for path, new in simulation.edits.items():
        old = contents[path].decode("utf-8-sig").splitlines()
        lines = [
            line
            for line in difflib.unified_diff(
                old, new.decode("utf-8-sig").splitlines(), lineterm="", n=0
            )
            if not line.startswith(("---", "+++"))
        ]
        items.append(Item(path, tuple(lines)))
    return Items(tuple(items), name="modifications")


def simulation_document(
    simulation: Simulation, contents: dict[str, bytes], *, applied: bool = False
) -> Document:
    before, after = simulation.before, simulation.after
    scenario = simulation.scenario
    total_before, total_after = before.costs.total(), after.costs.total()
    saved = CostSum.of(item.cost for item in simulation.retired)
    retired_count = numbers.count(
        len(simulation.retired), "application retirée", "applications retirées"
    )
    flows_count = numbers.count(len(simulation.flows_to_redo), "flux à refaire", "flux à refaire")
    contracts_count = numbers.count(
        len(simulation.delegations) + len(simulation.programmes),
        "délégation ou chantier concerné",
        "délégations ou chantiers concernés",
    )
    summary = [
        Paragraph(
            f"En {simulation.year} : convergence de la métropole "
            f"{_change(before.overall.rate, after.overall.rate)} ; mutualisation "
            f"{_change(before.mutualisation.rate, after.mutualisation.rate)} ; coût complet du "
            f"patrimoine {amount_text(total_before)} → {amount_text(total_after)}.",
            strong=True,
        ),
        Paragraph(
            f"{retired_count} ({amount_text(saved)} par an), {flows_count}, {contracts_count}."
        ),
        Paragraph(
            "Écrit dans l'inventaire : " + ", ".join(simulation.edits) + "."
            if applied
            else "Rien n'est écrit dans l'inventaire : --appliquer y écrit ces opérations."
        ),
    ]
    operations = Items(
        tuple(
            Item(f"{operation_text(simulation, operation)} ({scenario.path}:{line})")
            for operation, line in zip(scenario.operations, scenario.lines, strict=True)
        ),
        name="operations",
    )
    blocks: list[Block] = [
        Section("Opérations", (operations,), name="operations"),
        convergence_table(simulation),
        mutualisation_table(simulation),
        costs_table(simulation),
        rebilling_table(simulation),
        retired_table(simulation),
        flows_table(simulation),
        contracts_table(simulation),
        Section(
            "Ce que le scénario écrit dans l'inventaire",
            (edits_items(simulation, contents),),
            name="modifications",
            fold=True,
        ),
    ]
    parameters = [
        ("Scénario", scenario.name),
        ("Fichier", scenario.path),
        ("Évalué au", f"1er janvier {simulation.year} (année de sa dernière opération)"),
        *parameters_of(after.costs),
    ]
    return Document(
        "simulation",
        f"Simulation : {scenario.name}",
        tuple(blocks),
        parameters=tuple(parameters),
        summary=tuple(summary),
        primary="couts",
        notes=(
            "Avant : le patrimoine au 1er janvier de l'année du scénario ; après : le même avec "
            "les opérations. Les coûts sont ceux d'aujourd'hui.",
        ),
    )


def euros_delta(cents: int) -> str:
    sign = "+" if cents > 0 else ""
    return sign + euros_text(cents)

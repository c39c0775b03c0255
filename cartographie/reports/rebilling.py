"""``rapport refacturation``: for a year, what each mutualised domain costs, its key, and every
participating commune's weight and share, to the cent (DESIGN.md §10, ``analysis.rebilling``).

The finance department reads it as XLSX (``--format xlsx``): one sheet per table, amounts as
numbers. The shares of a domain add up to its cost exactly; the exact share (before rounding)
is given beside the rounded one, so that the largest-remainder rounding can be checked.
"""

from __future__ import annotations

from cartographie.analysis.common import suggest
from cartographie.analysis.costs import CostModel, CostSum
from cartographie.analysis.rebilling import DomainRebilling, Rebilling, rebilling, year_model
from cartographie.document import Column, Document, Paragraph, Ref, Table, make_table, numbers
from cartographie.errors import UnknownNameError
from cartographie.model.dates import show_date
from cartographie.model.records import ALLOCATION_BASES
from cartographie.reports import refs
from cartographie.reports.costs import parameters_of
from cartographie.reports.money import amount_text, euros, euros_text, key_text

STATUS_LABELS = {
    "refacture": "refacturé",
    "sans-participant": "aucune commune adhérente : le coût reste à la métropole",
    "sans-cle": "clé de répartition non déclarée : le coût reste à la métropole",
    "poids-inconnu": "poids inconnu : le coût reste à la métropole",
    "cle-vide": "aucune commune n'a de poids pour cette clé : le coût reste à la métropole",
}
BASIS_LABELS = {
    "population": "Population",
    "agents": "Agents",
    "usage": "Usage (couples)",
    "forfait": "Forfait",
}


def _status(item: DomainRebilling, model: CostModel) -> str:
    text = STATUS_LABELS[item.status]
    if item.missing:
        inventory = model.portfolio.inventory
        listed = ", ".join(
            f"{basis} de {inventory.organisation_name(commune)}" for commune, basis in item.missing
        )
        text += f" ({listed} manquant)"
    if item.empty:
        text += f" ({', '.join(item.empty)})"
    return text


def domains_table(model: CostModel, result: Rebilling) -> Table:
    inventory = model.portfolio.inventory
    columns = (
        Column("domaine", "Domaine", "reference"),
        Column("nom", "Nom", audience="machines"),
        Column("cle", "Clé de répartition"),
        Column("applications", "Applications de la métropole", "integer"),
        Column("cout", "Coût du domaine", "euros", unknowns="cout_inconnus"),
        Column("cout_inconnus", "Coûts inconnus", "integer", audience="machines"),
        Column("frais", "dont frais", "euros"),
        Column("communes", "Communes adhérentes", "integer"),
        Column("refacture", "Refacturé", "euros"),
        Column("reste_metropole", "Reste à la métropole", "euros"),
        Column("statut", "Statut"),
    )
    rows = [
        (
            Ref("domaine", item.domain, inventory.domains[item.domain].name),
            inventory.domains[item.domain].name,
            key_text(item.key),
            len(item.cost.applications),
            euros(item.total.cents),
            item.total.unknown,
            euros(item.cost.overhead) if item.cost.overhead_declared else None,
            len(item.lines),
            euros(item.billed),
            euros(item.kept),
            _status(item, model),
        )
        for item in result.domains
    ]
    return make_table(
        "domaines",
        f"Coût des domaines mutualisés en {result.year}",
        columns,
        rows,
        note=(
            f"Applications de la métropole dans les blocs du domaine, en service au 1er janvier "
            f"{result.year} (une application de plusieurs domaines partage son coût à parts "
            "égales), plus les frais du domaine."
        ),
    )


def shares_table(model: CostModel, result: Rebilling) -> Table:
    inventory = model.portfolio.inventory
    columns = (
        Column("domaine", "Domaine", "reference"),
        Column("commune", "Commune", "reference"),
        Column("depuis", "Adhérente depuis"),
        *(Column(basis, BASIS_LABELS[basis], "integer") for basis in ALLOCATION_BASES),
        Column("part_cle", "Part selon la clé", "rate"),
        Column("part_exacte", "Part exacte (centimes)", "decimal"),
        Column("montant", "Montant refacturé", "euros", unknowns="montant_inconnus"),
        Column("montant_inconnus", "Coûts inconnus du domaine", "integer", audience="machines"),
    )
    rows = []
    for item in result.domains:
        for line in item.lines:
            weights = dict(line.weights)
            rows.append(
                (
                    Ref("domaine", item.domain, inventory.domains[item.domain].name),
                    refs.organisation(inventory, line.commune),
                    show_date(line.since),
                    *(weights.get(basis) for basis in ALLOCATION_BASES),
                    float(line.key_share),
                    round(float(line.exact), 2),
                    euros(line.cents),
                    item.total.unknown,
                )
            )
    return make_table(
        "parts",
        f"Parts des communes en {result.year}",
        columns,
        rows,
        note=(
            "Part selon la clé : Σ des poids relatifs de la clé × poids de la commune / total des "
            "communes adhérentes (population, agents, usage = applications du domaine qu'elle "
            "utilise, forfait = 1). Montant : la part exacte arrondie au centime, le reste des "
            "centimes aux plus grands restes (à égalité, à la plus petite commune par "
            "identifiant) : les montants d'un domaine font exactement son coût."
        ),
        group_by="domaine",
    )


def communes_table(model: CostModel, result: Rebilling) -> Table:
    inventory = model.portfolio.inventory
    columns = (
        Column("commune", "Commune", "reference"),
        Column("domaines", "Domaines refacturés", "list"),
        Column("montant", f"Refacturé en {result.year}", "euros", unknowns="montant_inconnus"),
        Column("montant_inconnus", "Coûts inconnus", "integer", audience="machines"),
    )
    rows = []
    for commune_id in inventory.communes:
        total = result.commune_total(commune_id)
        domains = [
            Ref("domaine", item.domain, inventory.domains[item.domain].name)
            for item in result.domains
            if item.share_of(commune_id) is not None
        ]
        rows.append(
            (
                refs.organisation(inventory, commune_id),
                tuple(domains),
                euros(total.cents),
                total.unknown,
            )
        )
    return make_table("communes", f"Ce que chaque commune paie en {result.year}", columns, rows)


def rebilling_document(
    model: CostModel, year: int, domain: str | None = None
) -> Document:
    """The re-invoicing of ``year`` (every domain, or ``domain``); ``model`` is today's."""
    inventory = model.portfolio.inventory
    if domain is not None and domain not in inventory.domains:
        raise UnknownNameError(
            f"domaine inconnu : {domain}", suggest(domain, sorted(inventory.domains), "domaines")
        )
    dated = year_model(model, year)
    result = rebilling(dated, year, [domain] if domain is not None else None)
    billed = result.billed
    total = CostSum()
    for item in result.domains:
        total = total + item.total
    kept = total.cents - billed.cents
    payers = {line.commune for item in result.domains for line in item.lines}
    summary = [
        Paragraph(
            f"En {year}, {amount_text(billed)} refacturés à "
            f"{numbers.count(len(payers), 'commune')} pour "
            f"{numbers.count(len(result.domains), 'domaine')} ; "
            f"{euros_text(kept)} restent à la métropole.",
            strong=True,
        )
    ]
    parameters = [("Année", str(year)), *parameters_of(dated)]
    if domain is not None:
        parameters.insert(1, ("Domaine", inventory.domains[domain].name))
    return Document(
        "refacturation",
        f"Refacturation des domaines mutualisés — {year}",
        (
            domains_table(dated, result),
            shares_table(dated, result),
            communes_table(dated, result),
        ),
        parameters=tuple(parameters),
        summary=tuple(summary),
        primary="parts",
        notes=(
            "Les coûts n'ont pas d'historique : une année passée se calcule avec les coûts "
            "d'aujourd'hui.",
        ),
    )

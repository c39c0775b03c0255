"""``dossier COMMUNE``: the comité numérique communal's file, as a document (DESIGN.md §10,
``analysis.commune_file``) — written as HTML, Markdown or PDF, and as a page of the atlas.
"""

from __future__ import annotations

from cartographie.analysis.commune_file import CommuneFile
from cartographie.analysis.costs import CostSum
from cartographie.document import (
    Block,
    Column,
    Document,
    Figure,
    Paragraph,
    Ref,
    Section,
    Table,
    make_table,
    numbers,
    rate,
)
from cartographie.model.dates import show_date
from cartographie.model.inventory import Inventory
from cartographie.model.vocabulary import CNIL_SECTOR_LABELS, CONSENT_LABELS, LAYER_LABELS, LAYERS
from cartographie.reports import refs
from cartographie.reports.money import amount_text, euros, key_text


def _inventory(file: CommuneFile) -> Inventory:
    return file.state.portfolio.inventory


def domains_table(file: CommuneFile) -> Table:
    inventory = _inventory(file)
    shares = {domain.domain: domain.share_of(file.commune) for domain in file.rebilling}
    columns = (
        Column("domaine", "Domaine", "reference"),
        Column("depuis", "Depuis"),
        Column("jusqu_a", "Jusqu'à"),
        Column("cle", "Clé de répartition"),
        Column("part", f"Sa part en {file.year}", "euros"),
    )
    rows = []
    for adhesion in file.adhesions:
        domain = inventory.domains[adhesion.domain]
        share = shares.get(adhesion.domain)
        rows.append(
            (
                Ref("domaine", domain.id, domain.name),
                show_date(adhesion.since),
                show_date(adhesion.until) if adhesion.until is not None else None,
                key_text(domain.allocation_key),
                euros(share.cents) if share is not None else None,
            )
        )
    return make_table(
        "domaines",
        "Domaines mutualisés",
        columns,
        rows,
        note="« — » : l'adhésion court toujours, ou ne court pas cette année-là.",
    )


def applications_table(file: CommuneFile) -> Table:
    inventory = _inventory(file)
    costs = file.state.costs
    columns = (
        Column("couche", "Couche"),
        Column("application", "Application", "reference"),
        Column("nom", "Nom"),
        Column("blocs", "Blocs", "list"),
        Column("proprietaire", "Propriétaire", "reference"),
        Column("partagee", "Partagée", "flag"),
        Column("cout", "Coût complet", "euros"),
    )
    order = {layer: index for index, layer in enumerate(LAYERS)}
    ids = sorted(
        file.applications,
        key=lambda app: (
            order[inventory.applications[app].layer],
            inventory.applications[app].name,
            app,
        ),
    )
    rows = [
        (
            LAYER_LABELS[inventory.applications[app].layer],
            refs.application(inventory, app),
            inventory.applications[app].name,
            refs.blocks(inventory, inventory.applications[app].blocks),
            refs.organisation(inventory, inventory.owners[app]),
            inventory.is_shared(app),
            euros(costs.cost(app)),
        )
        for app in ids
    ]
    return make_table(
        "applications",
        "Ses applications, par couche",
        columns,
        rows,
        group_by="couche",
        note=(
            "Coût complet des applications qu'elle possède et des partagées (refacturées à "
            "part) ; « — » : inconnu."
        ),
    )


def mutualisation_table(file: CommuneFile) -> Table:
    inventory = _inventory(file)
    columns = (
        Column("qui", "Qui", "reference"),
        Column("couples", "Applications utilisées", "integer"),
        Column("partagees", "Dont partagées", "integer"),
        Column("taux", "Taux de mutualisation", "rate"),
    )
    totals = file.state.mutualisation
    rows = [
        (
            refs.organisation(inventory, file.commune),
            file.mutualisation.use_pairs,
            file.mutualisation.shared_pairs,
            rate(file.mutualisation.rate),
        ),
        (
            Ref("metropole", inventory.metropole.id, "Toutes les communes"),
            totals.use_pairs,
            totals.shared_pairs,
            rate(totals.rate),
        ),
    ]
    return make_table(
        "mutualisation", "Sa mutualisation face à celle de la métropole", columns, rows
    )


def outside_table(file: CommuneFile) -> Table:
    inventory = _inventory(file)
    used = set(file.applications)
    columns = (
        Column("bloc", "Bloc", "reference"),
        Column("partagee", "Application partagée", "reference"),
        Column("siennes", "Ses applications", "list"),
        Column("taux", "Convergence du bloc", "rate"),
    )
    rows = [
        (
            refs.block(inventory, detail.block),
            refs.application(inventory, detail.shared_application),
            refs.applications(inventory, (app for app in detail.applications if app in used)),
            rate(detail.rate),
        )
        for detail in file.outside_blocks
    ]
    return make_table(
        "hors_partage",
        "Blocs où elle reste hors de l'application partagée",
        columns,
        rows,
    )


def options_table(file: CommuneFile) -> Table:
    inventory = _inventory(file)
    commune = file.commune
    columns = (
        Column("domaine", "Domaine", "reference"),
        Column("retirees", "Ses applications remplacées", "list"),
        Column("economie", "Leur coût par an", "euros", unknowns="economie_inconnus"),
        Column("economie_inconnus", "Coûts inconnus", "integer", audience="machines"),
        Column("part", "Sa part du domaine", "euros"),
        Column("ecart", "Écart de son total", "euros"),
        Column("mutualisation_avant", "Mutualisation avant", "rate"),
        Column("mutualisation_apres", "Mutualisation après", "rate"),
        Column("convergence_avant", "Convergence métropole avant", "rate"),
        Column("convergence_apres", "Convergence métropole après", "rate"),
    )
    rows = []
    for option in file.options:
        simulation = option.simulation
        before, after = simulation.before, simulation.after
        share = next(
            (d.share_of(commune) for d in after.rebilling.domains if d.domain == option.domain),
            None,
        )
        saved = CostSum.of(item.cost for item in simulation.retired)
        total_before = before.owned(commune) + before.billed(commune)
        total_after = after.owned(commune) + after.billed(commune)
        rows.append(
            (
                Ref("domaine", option.domain, inventory.domains[option.domain].name),
                refs.applications(inventory, (own for own, _shared in option.retired)),
                euros(saved.cents),
                saved.unknown,
                euros(share.cents) if share is not None else None,
                euros(total_after.cents - total_before.cents),
                rate(before.communes[commune].rate),
                rate(after.communes[commune].rate),
                rate(before.overall.rate),
                rate(after.overall.rate),
            )
        )
    year = file.year + 1
    return make_table(
        "rejoindre",
        f"Ce que rejoindre chaque domaine changerait en {year}",
        columns,
        rows,
        note=(
            f"Simulé comme « cartographie simuler » : adhésion au 1er janvier {year}, ses "
            "applications propres des blocs du domaine retirées au profit de l'application "
            f"partagée du bloc. Avant : le patrimoine au 1er janvier {year} sans ce choix (ce "
            "qui est déjà prévu d'ici là, fait), d'où une mutualisation qui peut différer de "
            f"celle de {file.year}. Écart : son total (ce qu'elle possède + sa refacturation) "
            "après − avant, sur les montants connus."
        ),
    )


def contracts_table(file: CommuneFile) -> Table:
    inventory = _inventory(file)
    columns = (
        Column("delegation", "Contrat", "reference"),
        Column("delegataire", "Délégataire"),
        Column("fin", "Fin"),
        Column("mois_restants", "Mois restants", "integer"),
        Column("restitution_donnees", "Restitution des données", "flag"),
        Column("applications", "Applications", "list"),
    )
    rows = [
        (
            refs.delegation(inventory, contract.delegation),
            contract.delegate,
            show_date(contract.end),
            contract.months_left,
            contract.data_returned,
            refs.applications(inventory, contract.applications),
        )
        for contract in file.contracts
    ]
    return make_table(
        "contrats",
        "Contrats et délégations qui se terminent (24 mois)",
        columns,
        rows,
    )


def cnil_table(file: CommuneFile) -> Table:
    inventory = _inventory(file)
    columns = (
        Column("flux", "Flux"),
        Column("secteur", "Secteur RU-030"),
        Column("murs", "Murs franchis", "list"),
        Column("emplacement", "Emplacement", "location"),
    )
    rows = [
        (
            f"{crossing.flow.source} → {crossing.flow.target} ({crossing.flow.data})",
            CNIL_SECTOR_LABELS.get(crossing.sector, crossing.sector),
            crossing.walls,
            str(crossing.flow.origin),
        )
        for crossing in file.crossings
    ]
    rows += [
        (
            f"{item.flow.source} → {item.flow.target} ({item.flow.data})",
            CNIL_SECTOR_LABELS.get(item.sector, item.sector),
            (
                "sortie vers "
                + inventory.organisation_name(item.partner)
                + " : "
                + (CONSENT_LABELS[item.consent] if item.consent else "consentement non indiqué"),
            ),
            str(item.flow.origin),
        )
        for item in file.leaving
        if item.consent not in ("explicite", "non-requis")
    ]
    return make_table(
        "cnil_rgpd",
        "CNIL et RGPD : les murs franchis, les données qui sortent sans consentement explicite",
        columns,
        rows,
    )


def quality_table(file: CommuneFile) -> Table:
    quality = file.quality
    columns = (
        Column("applications", "Applications", "integer"),
        Column("niveau_1", "Niveau 1", "rate"),
        Column("niveau_2", "Niveau 2", "rate"),
        Column("niveau_3", "Niveau 3", "rate"),
        Column("score", "Score", "rate"),
        Column("revues_anciennes", "Revues anciennes", "integer"),
    )
    row = (
        quality.applications,
        rate(quality.level_rate(1)),
        rate(quality.level_rate(2)),
        rate(quality.level_rate(3)),
        rate(quality.score),
        quality.stale_reviews,
    )
    return make_table(
        "qualite",
        "Qualité de ses fiches",
        columns,
        [row],
        note="Niveaux de complétude de rapport qualite (ANSSI, Mercator), sur ses applications.",
    )


def rebilling_table(file: CommuneFile) -> Table:
    inventory = _inventory(file)
    columns = (
        Column("domaine", "Domaine", "reference"),
        Column("cout", "Coût du domaine", "euros", unknowns="cout_inconnus"),
        Column("cout_inconnus", "Coûts inconnus", "integer", audience="machines"),
        Column("part_cle", "Sa part selon la clé", "rate"),
        Column("montant", "Refacturé", "euros"),
    )
    rows = []
    for domain in file.rebilling:
        line = domain.share_of(file.commune)
        assert line is not None
        rows.append(
            (
                Ref("domaine", domain.domain, inventory.domains[domain.domain].name),
                euros(domain.total.cents),
                domain.total.unknown,
                rate(float(line.key_share)),
                euros(line.cents),
            )
        )
    return make_table("refacturation", f"Sa refacturation en {file.year}", columns, rows)


def commune_file_document(file: CommuneFile, map_svg: str | None = None) -> Document:
    """The file; ``map_svg``: the commune's map, drawn by the caller (the atlas links its page
    instead)."""
    inventory = _inventory(file)
    name = inventory.communes[file.commune].name
    billed = CostSum()
    for domain in file.rebilling:
        line = domain.share_of(file.commune)
        assert line is not None
        billed = billed + CostSum(line.cents, domain.total.unknown)
    summary = [
        Paragraph(
            f"{name} : {numbers.count(len(file.applications), 'application')} en service, "
            f"mutualisation {numbers.percent(file.mutualisation.rate)} (toutes les communes : "
            f"{numbers.percent(file.metropole_rate)}). Ses applications coûtent "
            f"{amount_text(file.owned)} par an ; refacturé en {file.year} : "
            f"{amount_text(billed)}.",
            strong=True,
        ),
        Paragraph(
            f"{numbers.count(len(file.options), 'domaine')} non rejoint"
            f"{'s' if len(file.options) > 1 else ''} simulé"
            f"{'s' if len(file.options) > 1 else ''} ; "
            f"{numbers.count(len(file.outside_blocks), 'bloc')} hors de l'application partagée ; "
            f"{numbers.count(len(file.contracts), 'contrat')} à échéance ; "
            f"{numbers.count(len(file.crossings), 'flux', 'flux')} franchissant un mur CNIL."
        ),
    ]
    blocks: list[Block] = [
        domains_table(file),
        applications_table(file),
        Section(
            "Mutualisation", (mutualisation_table(file), outside_table(file)), name="mutualisation"
        ),
        options_table(file),
        contracts_table(file),
        cnil_table(file),
        quality_table(file),
        rebilling_table(file),
    ]
    if map_svg:
        blocks.append(Figure(f"Carte {numbers.of(name)}", svg=map_svg))
    return Document(
        "dossier",
        f"Dossier {numbers.of(name)} pour le comité numérique communal",
        tuple(blocks),
        parameters=(
            ("Commune", name),
            ("Date de référence", file.reference_date.isoformat()),
            ("Année de refacturation", str(file.year)),
        ),
        summary=tuple(summary),
        primary="applications",
        notes=("Les coûts n'ont pas d'historique : ce sont ceux d'aujourd'hui.",),
    )

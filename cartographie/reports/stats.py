"""``cartographie stats`` as a document: the portfolio counted, for people and for programs.

The tables spell the figures of :func:`cartographie.analysis.stats.compute_stats` (each defined
in docs/rapports.md, « stats »); ``--format json`` keeps its documented record (``format:
cartographie/stats``, version 1).
"""

from __future__ import annotations

from typing import Any

from cartographie.analysis.stats import Stats, compute_stats
from cartographie.document import Column, Document, Paragraph, Ref, make_table, numbers, rate
from cartographie.graph import Portfolio
from cartographie.model.vocabulary import LAYER_LABELS, LAYERS
from cartographie.reports import refs
from cartographie.reports.dated import at_date

JSON_FORMAT = "cartographie/stats"
JSON_VERSION = 1

SUMMARY_COLUMNS = (
    Column("indicateur", "Indicateur"),
    Column("valeur", "Valeur", "integer"),
    Column("part", "Part", "rate"),
)


def stats_document(portfolio: Portfolio, stats: Stats | None = None) -> Document:
    result = stats if stats is not None else compute_stats(portfolio)
    inventory = portfolio.inventory
    hub_share = None if result.hub_share is None else rate(result.hub_share)
    summary = make_table(
        "synthese",
        "Synthèse",
        SUMMARY_COLUMNS,
        [
            ("Communes engagées", result.communes, None),
            ("Communes de la métropole", result.communes_of_metropole, None),
            ("Applications", result.applications, None),
            ("dont en service", result.in_service, None),
            ("dont retirées", result.retired, None),
            ("Applications mutualisées (en service)", result.shared_applications, None),
            ("Couples commune × application", result.use_pairs, None),
            ("Applications d'organismes extérieurs", result.external_applications, None),
            ("Blocs fonctionnels", result.blocks, None),
            ("Processus", result.processes, None),
            ("Éditeurs", result.vendors, None),
            ("Produits", result.products, None),
            ("Flux", result.flows, None),
            ("dont point à point", result.flows_point_to_point, None),
            ("dont via un hub", result.flows_via_hub, hub_share),
        ],
        note=(
            "Applications : toutes les fiches du patrimoine ; les couples et les chiffres par "
            "commune ne comptent que les applications en service, comme convergence."
        ),
    )
    layer_columns = [
        Column(layer, LAYER_LABELS[layer].split(" (")[0], "integer") for layer in LAYERS
    ]
    communes = make_table(
        "communes",
        "Par commune (applications en service ; les retirées à part)",
        (
            Column("commune", "Commune", "reference"),
            Column("nom", "Nom", audience="machines"),
            Column("applications", "Applications", "integer"),
            Column("propres", "Propres", "integer"),
            Column("mutualisees", "Mutualisées", "integer"),
            *layer_columns,
            Column("retirees", "Retirées", "integer"),
        ),
        [
            (
                Ref("commune", row.commune, row.name),
                row.name,
                row.applications,
                row.own,
                row.shared,
                *(row.by_layer[layer] for layer in LAYERS),
                row.retired,
            )
            for row in result.per_commune
        ],
        note="Applications = Propres + Mutualisées ; les retirées ne font plus de couple.",
    )
    zones = make_table(
        "zones",
        "Par zone",
        (
            Column("zone", "Zone", "reference"),
            Column("nom", "Nom", audience="machines"),
            Column("blocs", "Blocs", "integer"),
            Column("applications", "Applications", "integer"),
        ),
        [
            (refs.block(inventory, zone.zone), zone.name, zone.blocks, zone.applications)
            for zone in result.per_zone
        ],
    )
    blocks = make_table(
        "blocs",
        "Par bloc fonctionnel",
        (
            Column("bloc", "Bloc", "reference"),
            Column("nom", "Nom", audience="machines"),
            Column("zone", "Zone", "reference"),
            Column("applications", "Applications", "integer"),
            Column("communes", "Communes", "integer"),
        ),
        [
            (
                refs.block(inventory, block.block),
                block.name,
                refs.block(inventory, block.zone),
                block.applications,
                block.communes,
            )
            for block in result.per_block
        ],
    )
    domains = make_table(
        "domaines",
        "Domaines mutualisés",
        (
            Column("domaine", "Domaine", audience="machines"),
            Column("nom", "Domaine", audience="people"),
            Column("communes", "Communes", "integer"),
            Column("adhesions", "Adhésions"),
            Column("prevues", "Adhésions prévues", "integer"),
            Column("parties", "Communes parties", "integer"),
        ),
        [
            (
                domain.domain,
                domain.name,
                domain.communes,
                None
                if domain.first is None
                else str(domain.first)
                if domain.first == domain.last
                else f"{domain.first}–{domain.last}",
                domain.planned,
                domain.left,
            )
            for domain in result.domains
        ],
        note=(
            "Communes : celles qui en sont membres à la date du patrimoine (aujourd'hui, ou "
            "--date) ; adhésions : de la première à la dernière année où une commune l'a "
            "rejoint, prévues comprises."
        ),
    )
    sectors = make_table(
        "secteurs",
        "Secteurs d'intervention",
        (
            Column("secteur", "Secteur", audience="machines"),
            Column("nom", "Secteur", audience="people"),
            Column("communes", "Communes couvertes", "list"),
        ),
        [(sector.sector, sector.name, sector.described_areas()) for sector in result.sectors],
    )
    names = {row.datacenter: row.name for row in result.datacenters}
    datacenters = make_table(
        "centres_de_donnees",
        "Centres de données",
        (
            Column("centre", "Centre", audience="machines"),
            Column("nom", "Centre", audience="people"),
            Column("secours", "Secouru par"),
            Column("applications", "Applications", "integer"),
            Column("hors_secours", "Hors secours", "integer"),
        ),
        [
            (
                row.datacenter,
                row.name,
                names.get(row.backup, row.backup) if row.backup else "aucun",
                row.applications,
                row.without_backup,
            )
            for row in result.datacenters
        ],
        note=(
            "Applications en service hébergées ; hors secours : sans réplique au centre de "
            "secours (hors_secours), ou dans un centre que personne ne secourt."
        ),
    )
    sentence = (
        f"{result.engaged_phrase}, "
        f"{numbers.count(result.applications, 'application')}, "
        f"{numbers.integer(result.flows)} flux."
    )
    paragraphs = [Paragraph(sentence)]
    if result.other_communes:
        paragraphs.append(
            Paragraph(
                "Autres communes de la métropole (sans applications) : "
                + ", ".join(result.other_communes)
                + "."
            )
        )
    moment = inventory.moment
    record: dict[str, Any] = {"format": JSON_FORMAT, "version": JSON_VERSION, **result.to_dict()}
    if moment is not None:
        record["date"] = moment.isoformat()  # the portfolio at that date (--date)
    document = Document(
        "stats",
        "Patrimoine applicatif",
        (
            summary,
            communes,
            zones,
            blocks,
            domains,
            # The territory's tables when the inventory describes it.
            *((sectors,) if result.sectors else ()),
            *((datacenters,) if result.datacenters else ()),
        ),
        summary=tuple(paragraphs),
        primary="communes",
        record=record,
    )
    return at_date(document, moment)

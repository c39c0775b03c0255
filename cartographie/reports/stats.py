"""``cartographie stats`` as a document: the portfolio counted, for people and for programs.

The tables spell the figures of :func:`cartographie.analysis.stats.compute_stats`; ``--format
json`` keeps its documented record (``format: cartographie/stats``, version 1).
"""

from __future__ import annotations

from cartographie.analysis.stats import Stats, compute_stats
from cartographie.document import Column, Document, Paragraph, Ref, make_table, numbers, rate
from cartographie.graph import Portfolio
from cartographie.model.vocabulary import LAYER_LABELS, LAYERS
from cartographie.reports import refs

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
    hub_share = rate(result.flows_via_hub / result.flows) if result.flows else None
    summary = make_table(
        "synthese",
        "Synthèse",
        SUMMARY_COLUMNS,
        [
            ("Communes", result.communes, None),
            ("Applications", result.applications, None),
            ("Applications mutualisées", result.shared_applications, None),
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
    )
    layer_columns = [
        Column(layer, LAYER_LABELS[layer].split(" (")[0], "integer") for layer in LAYERS
    ]
    communes = make_table(
        "communes",
        "Par commune",
        (
            Column("commune", "Commune", "reference"),
            Column("nom", "Nom", audience="machines"),
            Column("applications", "Applications", "integer"),
            Column("propres", "Propres", "integer"),
            Column("mutualisees", "Mutualisées", "integer"),
            *layer_columns,
        ),
        [
            (
                Ref("commune", row.commune, row.name),
                row.name,
                row.applications,
                row.owned,
                row.shared,
                *(row.by_layer[layer] for layer in LAYERS),
            )
            for row in result.per_commune
        ],
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
    sentence = (
        f"{numbers.count(result.communes, 'commune')}, "
        f"{numbers.count(result.applications, 'application')}, "
        f"{numbers.integer(result.flows)} flux."
    )
    return Document(
        "stats",
        "Patrimoine applicatif",
        (summary, communes, zones, blocks),
        summary=(Paragraph(sentence),),
        primary="communes",
        record={"format": JSON_FORMAT, "version": JSON_VERSION, **result.to_dict()},
    )

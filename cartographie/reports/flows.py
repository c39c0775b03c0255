"""``rapport flux``: the share of flows through the hub, and what consolidating the rest saves."""

from __future__ import annotations

from cartographie.analysis.flows import FlowReport, HubShare, flow_report
from cartographie.document import CellValue, Column, Document, Ref, Table, make_table, rate
from cartographie.graph import Portfolio
from cartographie.reports import refs

SHARE_COLUMNS = (
    Column("cle", "Périmètre", "reference"),
    Column("nom", "Nom", audience="machines"),
    Column("flux", "Flux", "integer"),
    Column("via_hub", "Via un hub", "integer"),
    Column("point_a_point", "Point à point", "integer"),
    Column("part_hub", "Part via un hub", "rate"),
)
DATA_COLUMNS = (
    Column("donnee", "Donnée", "reference"),
    Column("nom", "Nom", audience="machines"),
    Column("flux_point_a_point", "Flux point à point (E)", "integer"),
    Column("applications", "Applications (V)", "integer"),
    Column("liens_via_hub", "Liens via le hub (V)", "integer"),
    Column("economie", "Économie (E − V)", "integer"),
    Column("flux_via_hub", "Flux déjà via un hub", "integer"),
    Column("hubs", "Hubs", "list"),
)
BYPASS_COLUMNS = (
    Column("source", "Source", "reference"),
    Column("cible", "Cible", "reference"),
    Column("donnee", "Donnée", "reference"),
    Column("hubs", "Hub qui la distribue déjà", "list"),
    Column("emplacement", "Fichier:ligne", "location"),
)


def _share_row(share: HubShare, key: Ref | None, name: str) -> tuple[CellValue, ...]:
    share_rate = None if share.rate is None else rate(share.rate)  # no flow: no share, « — »
    return (key, name, share.flows, share.via_hub, share.point_to_point, share_rate)


def share_tables(portfolio: Portfolio, report: FlowReport) -> tuple[Table, Table]:
    inventory = portfolio.inventory
    total = Ref("total", report.total.key, "Tous les flux")
    communes = [
        _share_row(item, refs.organisation(inventory, item.key), inventory.communes[item.key].name)
        for item in report.per_commune
    ]
    communes.append(_share_row(report.total, total, "Tous les flux"))
    blocks = [
        _share_row(item, refs.block(inventory, item.key), inventory.blocks[item.key].name)
        for item in report.per_block
    ]
    blocks.append(_share_row(report.total, total, "Tous les flux"))
    note = (
        "Un flux compte pour chaque commune qui utilise sa source ou sa cible, et pour chaque "
        "bloc auquel sa source ou sa cible est rattachée, directement ou par un sous-bloc (comme "
        "dans convergence et impact) : les lignes ne s'additionnent pas ; la dernière est le "
        "total. Sans flux, pas de part : « — »."
    )
    return (
        make_table(
            "communes", "Part des flux via un hub, par commune", SHARE_COLUMNS, communes, note=note
        ),
        make_table("blocs", "Part des flux via un hub, par bloc", SHARE_COLUMNS, blocks, note=note),
    )


def data_table(portfolio: Portfolio, report: FlowReport) -> Table:
    data_objects = portfolio.inventory.data_objects
    return make_table(
        "donnees",
        "Consolidation par le hub, donnée par donnée (classée par économie)",
        DATA_COLUMNS,
        (
            (
                refs.data(portfolio.inventory, item.data),
                data_objects[item.data].name,
                item.point_to_point,
                item.applications,
                item.links_through_hub,
                item.saving,
                item.via_hub,
                refs.applications(portfolio.inventory, item.hubs),
            )
            for item in report.per_data
        ),
        note=(
            "E : flux point à point de la donnée ; V : applications distinctes qu'ils relient ; "
            "par le hub il faut V liens ; économie = E − V."
        ),
    )


def bypass_table(portfolio: Portfolio, report: FlowReport) -> Table:
    return make_table(
        "contournements",
        "Flux point à point qui contournent un hub existant",
        BYPASS_COLUMNS,
        (
            (
                refs.application(portfolio.inventory, item.flow.source),
                refs.application(portfolio.inventory, item.flow.target),
                refs.data(portfolio.inventory, item.flow.data),
                refs.applications(portfolio.inventory, item.hubs),
                str(item.flow.origin),
            )
            for item in report.bypassing
        ),
        note="La même donnée passe déjà par un hub pour d'autres flux.",
    )


def flows_document(portfolio: Portfolio) -> Document:
    report = flow_report(portfolio)
    communes, blocks = share_tables(portfolio, report)
    return Document(
        "flux",
        "Flux et consolidation par le hub",
        (data_table(portfolio, report), communes, blocks, bypass_table(portfolio, report)),
    )

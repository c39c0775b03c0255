"""``rapport flux``: the share of flows through the hub, and what consolidating the rest saves."""

from __future__ import annotations

from cartographie.analysis.flows import FlowReport, HubShare, flow_report
from cartographie.graph import Portfolio
from cartographie.reports.table import Column, ReportDocument, Table, make_table, rate

SHARE_COLUMNS = (
    Column("cle", "Périmètre"),
    Column("nom", "Nom"),
    Column("flux", "Flux", "count"),
    Column("via_hub", "Via un hub", "count"),
    Column("point_a_point", "Point à point", "count"),
    Column("part_hub", "Part via un hub", "rate"),
)
DATA_COLUMNS = (
    Column("donnee", "Donnée"),
    Column("nom", "Nom"),
    Column("flux_point_a_point", "Flux point à point (E)", "count"),
    Column("applications", "Applications (V)", "count"),
    Column("liens_via_hub", "Liens via le hub (V)", "count"),
    Column("economie", "Économie (E − V)", "count"),
    Column("flux_via_hub", "Flux déjà via un hub", "count"),
    Column("hubs", "Hubs", "list"),
)
BYPASS_COLUMNS = (
    Column("source", "Source"),
    Column("cible", "Cible"),
    Column("donnee", "Donnée"),
    Column("hubs", "Hub qui la distribue déjà", "list"),
    Column("emplacement", "Fichier:ligne", "location"),
)


def _share_row(share: HubShare, name: str) -> tuple[str, str, int, int, int, float]:
    return (share.key, name, share.flows, share.via_hub, share.point_to_point, rate(share.rate))


def share_tables(portfolio: Portfolio, report: FlowReport) -> tuple[Table, Table]:
    inventory = portfolio.inventory
    communes = [_share_row(item, inventory.communes[item.key].name) for item in report.per_commune]
    communes.append(_share_row(report.total, "Tous les flux"))
    blocks = [_share_row(item, inventory.blocks[item.key].name) for item in report.per_block]
    blocks.append(_share_row(report.total, "Tous les flux"))
    note = (
        "Un flux compte pour chaque commune qui utilise sa source ou sa cible (et pour chaque "
        "bloc de sa source ou de sa cible) : les lignes ne s'additionnent pas ; la dernière est "
        "le total."
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
                item.data,
                data_objects[item.data].name,
                item.point_to_point,
                item.applications,
                item.links_through_hub,
                item.saving,
                item.via_hub,
                item.hubs,
            )
            for item in report.per_data
        ),
        note=(
            "E : flux point à point de la donnée ; V : applications distinctes qu'ils relient ; "
            "par le hub il faut V liens ; économie = E − V."
        ),
    )


def bypass_table(report: FlowReport) -> Table:
    return make_table(
        "contournements",
        "Flux point à point qui contournent un hub existant",
        BYPASS_COLUMNS,
        (
            (item.flow.source, item.flow.target, item.flow.data, item.hubs, str(item.flow.origin))
            for item in report.bypassing
        ),
        note="La même donnée passe déjà par un hub pour d'autres flux.",
    )


def flows_document(portfolio: Portfolio) -> ReportDocument:
    report = flow_report(portfolio)
    communes, blocks = share_tables(portfolio, report)
    return ReportDocument(
        "flux",
        "Flux et consolidation par le hub",
        (data_table(portfolio, report), communes, blocks, bypass_table(report)),
    )

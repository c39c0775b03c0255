"""``rapport tendance``: the métropole's convergence and mutualisation, commit by commit (the git
source) or year by year rebuilt from the inventory's dates (``--source dates``)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from cartographie.analysis.trend import Granularity, Trend, inventory_trend
from cartographie.analysis.trend_dates import DatesTrend, dates_trend
from cartographie.document import (
    Chart,
    Column,
    Document,
    Figure,
    Series,
    Table,
    make_table,
    rate,
)
from cartographie.model.inventory import Inventory
from cartographie.progress import Progress

POINT_COLUMNS = (
    Column("point", "Point"),
    Column("revision", "Révision"),
    Column("date", "Date", "date"),
    Column("applications", "Applications", "integer"),
    Column("couples", "Couples", "integer"),
    Column("taux_convergence", "Taux de convergence", "rate"),
    Column("taux_mutualisation", "Taux de mutualisation", "rate"),
    Column("problemes", "Problèmes", "integer"),
    Column("message", "Message du commit"),
)


def points_table(trend: Trend) -> Table:
    return make_table(
        "points",
        "Convergence et mutualisation au fil de l'historique",
        POINT_COLUMNS,
        (
            (
                point.label,
                point.revision[:12],
                point.date.date().isoformat(),
                point.applications,
                point.use_pairs,
                None if point.convergence is None else rate(point.convergence),
                None if point.mutualisation is None else rate(point.mutualisation),
                point.problems,
                point.subject,
            )
            for point in trend.points
        ),
        note=(
            "Convergence : Σ(N − A) / Σ(N − 1) sur les blocs où N ≥ 2 ; mutualisation : couples "
            "mutualisés / couples ; un inventaire invalide à un commit donne un point sans valeur."
        ),
    )


def trend_chart(trend: Trend) -> Chart:
    def values(name: str) -> tuple[float | None, ...]:
        found = []
        for point in trend.points:
            value = point.convergence if name == "convergence" else point.mutualisation
            found.append(None if value is None else rate(value))
        return tuple(found)

    return Chart(
        title="Convergence et mutualisation de la métropole",
        x_label="mois" if trend.granularity == "mois" else "commit",
        y_label="taux",
        x_values=tuple(point.label for point in trend.points),
        series=(
            Series("taux_convergence", "Taux de convergence", values("convergence")),
            Series("taux_mutualisation", "Taux de mutualisation", values("mutualisation")),
        ),
    )


def trend_document_from(trend: Trend) -> Document:
    return Document(
        "tendance",
        "Tendance de la convergence",
        (
            Figure("Convergence et mutualisation de la métropole", trend_chart(trend)),
            points_table(trend),
        ),
        parameters=(("Par", trend.granularity),),
    )


def trend_document(
    directory: Path,
    granularity: Granularity = "commit",
    limit: int | None = None,
    *,
    cache: bool = False,
    until: dt.date | None = None,
    progress: Progress | None = None,
) -> Document:
    """The trend from git; ``until``: the commits of that day or before only (``--date``);
    ``progress`` hears of each commit measured."""
    document = trend_document_from(
        inventory_trend(directory, granularity, limit, cache=cache, until=until, progress=progress)
    )
    if until is None:
        return document
    return Document(
        document.name,
        document.title,
        document.blocks,
        parameters=(*document.parameters, ("Jusqu'au", until.isoformat())),
    )


def _programme_key(programme_id: str) -> str:
    return f"convergence_{programme_id}"


def dates_points_table(inventory: Inventory, trend: DatesTrend) -> Table:
    columns = [
        Column("annee", "Année", "year"),
        Column("applications", "Applications", "integer"),
        Column("couples", "Couples", "integer"),
        Column("taux_convergence", "Taux de convergence", "rate"),
        Column("taux_mutualisation", "Taux de mutualisation", "rate"),
    ]
    columns.extend(
        Column(_programme_key(item), f"Convergence — {inventory.programmes[item].name}", "rate")
        for item in trend.programmes
    )
    return make_table(
        "points",
        "Convergence et mutualisation année par année, d'après les dates de l'inventaire",
        columns,
        (
            (
                point.year,
                point.applications,
                point.use_pairs,
                rate(point.convergence),
                rate(point.mutualisation),
                *(_rate_or_none(value) for _id, value in point.programmes),
            )
            for point in trend.points
        ),
        note=(
            "Chaque point : le patrimoine au 1er janvier de l'année, reconstitué à partir des "
            "dates (mise en service, retrait, adhésions, vagues des chantiers). Convergence : "
            "Σ(N − A) / Σ(N − 1) sur les blocs où N ≥ 2 (pour un chantier : sur ses blocs) ; "
            "mutualisation : couples mutualisés / couples."
        ),
    )


def _rate_or_none(value: float | None) -> float | None:
    return None if value is None else rate(value)


def dates_trend_chart(inventory: Inventory, trend: DatesTrend) -> Chart:
    series = [
        Series(
            "taux_convergence",
            "Taux de convergence",
            tuple(rate(point.convergence) for point in trend.points),
        ),
        Series(
            "taux_mutualisation",
            "Taux de mutualisation",
            tuple(rate(point.mutualisation) for point in trend.points),
        ),
    ]
    for index, programme in enumerate(trend.programmes):
        series.append(
            Series(
                _programme_key(programme),
                f"Chantier {inventory.programmes[programme].name}",
                tuple(_rate_or_none(point.programmes[index][1]) for point in trend.points),
            )
        )
    return Chart(
        title="Convergence et mutualisation, d'après les dates de l'inventaire",
        x_label="année (au 1er janvier)",
        y_label="taux",
        x_values=tuple(str(point.year) for point in trend.points),
        series=tuple(series),
    )


def dates_trend_document(inventory: Inventory, first_year: int, last_year: int) -> Document:
    trend = dates_trend(inventory, first_year, last_year)
    return Document(
        "tendance",
        "Tendance de la convergence, d'après les dates",
        (
            Figure(
                "Convergence et mutualisation, d'après les dates",
                dates_trend_chart(inventory, trend),
            ),
            dates_points_table(inventory, trend),
        ),
        parameters=(("Source", "dates de l'inventaire"), ("Années", f"{first_year}–{last_year}")),
    )

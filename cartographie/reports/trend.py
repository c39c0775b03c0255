"""``rapport tendance``: the métropole's convergence and mutualisation, commit by commit."""

from __future__ import annotations

from pathlib import Path

from cartographie.analysis.trend import Granularity, Trend, inventory_trend
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
) -> Document:
    return trend_document_from(inventory_trend(directory, granularity, limit, cache=cache))

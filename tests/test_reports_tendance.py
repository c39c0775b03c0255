"""``rapport tendance`` on a temporary git repository with a few dated commits: by hand.

1. 2026-01-15: the example métropole — convergence 6/15 = 0.4, mutualisation 9/22 = 0.4091
   (see test_reports_convergence.py), 19 applications in service, 22 use pairs.
2. 2026-02-10: vc-signalement retired. demandes-usagers becomes N = 3, A = 1; pooled over the
   7 blocs with N ≥ 2: ΣN = 21, ΣA = 15, (21 − 15)/(21 − 7) = 6/14 = 0.4286; the ville centre
   keeps 8 pairs, 3 shared: 9/21 = 0.4286; 18 applications.
3. 2026-02-20: a README beside the inventory — does not touch it: no point.
4. 2026-03-05: a broken YAML file in the inventory: a point without figures, 1 problem.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from support_reports import EXAMPLE, records

from cartographie.reports.trend import trend_document


def git(repo: Path, *args: str, date: str | None = None) -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "Urbaniste",
        "GIT_AUTHOR_EMAIL": "urbaniste@example.org",
        "GIT_COMMITTER_NAME": "Urbaniste",
        "GIT_COMMITTER_EMAIL": "urbaniste@example.org",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
    }
    if date is not None:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = date
    subprocess.run(["git", "-C", str(repo), *args], check=True, env=env, capture_output=True)


def make_history(root: Path) -> Path:
    """A repository whose ``inventory/`` has the four commits of the module docstring."""
    repo = root / "depot"
    inventory = repo / "inventory"
    shutil.copytree(EXAMPLE, inventory)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "Inventaire initial", date="2026-01-15T10:00:00+01:00")

    path = inventory / "applications" / "ville-centre.yaml"
    text = path.read_text(encoding="utf-8")
    marker = "    gouvernance: direction-metier\n"
    assert marker in text
    path.write_text(text.replace(marker, marker + "    cycle_de_vie: retiree\n"), encoding="utf-8")
    git(
        repo,
        "commit",
        "-q",
        "-am",
        "Retrait de l'appli de signalement",
        date="2026-02-10T09:00:00+01:00",
    )

    (repo / "README.md").write_text("Inventaire de la métropole\n", encoding="utf-8")
    git(repo, "add", "README.md")
    git(repo, "commit", "-q", "-m", "README", date="2026-02-20T09:00:00+01:00")

    (inventory / "flux" / "casse.yaml").write_text("flux: [\n", encoding="utf-8")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "Fichier cassé", date="2026-03-05T09:00:00+01:00")
    return inventory


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_history(tmp_path_factory.mktemp("tendance"))


def test_one_point_per_commit_touching_the_inventory(history: Path) -> None:
    rows = records(trend_document(history), "points")
    found = [
        (
            row["date"],
            row["applications"],
            row["couples"],
            row["taux_convergence"],
            row["taux_mutualisation"],
            row["problemes"],
            row["message"],
        )
        for row in rows
    ]
    assert found == [
        ("2026-01-15", 19, 22, 0.4, 0.4091, 0, "Inventaire initial"),
        ("2026-02-10", 18, 21, 0.4286, 0.4286, 0, "Retrait de l'appli de signalement"),
        ("2026-03-05", None, None, None, None, 1, "Fichier cassé"),
    ]
    assert all(len(str(row["point"])) == 8 for row in rows)  # short commit ids


def test_one_point_per_month(history: Path) -> None:
    rows = records(trend_document(history, "mois"), "points")
    assert [(row["point"], row["taux_convergence"]) for row in rows] == [
        ("2026-01", 0.4),
        ("2026-02", 0.4286),
        ("2026-03", None),
    ]


def test_limit_keeps_the_latest_commits(history: Path) -> None:
    rows = records(trend_document(history, limit=2), "points")
    assert [row["date"] for row in rows] == ["2026-02-10", "2026-03-05"]


def test_chart_is_deterministic_svg(history: Path) -> None:
    from xml.etree import ElementTree

    from cartographie.document.formats import render

    document = trend_document(history)
    first = render(document, "svg")
    assert first == render(trend_document(history), "svg")
    assert isinstance(first, str)
    root = ElementTree.fromstring(first.encode("utf-8"))
    assert root.tag.endswith("svg")
    assert "Taux de convergence" in first
    assert "<dc:date>" not in first  # no creation date in the metadata
    chart = document.figures[0].chart
    assert chart is not None
    assert chart.series[0].values == (0.4, 0.4286, None)


def test_outside_a_repository_is_a_usage_error(tmp_path: Path) -> None:
    from cartographie.errors import UsageError

    shutil.copytree(EXAMPLE, tmp_path / "inventaire")
    with pytest.raises(UsageError, match="dépôt git"):
        trend_document(tmp_path / "inventaire")


def test_figures_of_known_commits_are_kept_between_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A second run reads no revision; after one more commit, it computes that point alone —
    and the cached figures are exactly the computed ones."""
    from cartographie.analysis import trend

    inventory = make_history(tmp_path)
    cache = tmp_path / "cache"
    computed: list[str] = []
    figures_at = trend.figures_at

    def counting(loader: trend.RevisionLoader, revision: str) -> trend.Figures:
        computed.append(revision)
        return figures_at(loader, revision)

    monkeypatch.setattr(trend, "figures_at", counting)
    uncached = trend.inventory_trend(inventory)
    assert len(computed) == 3
    first = trend.inventory_trend(inventory, cache=True, cache_directory=cache)
    assert first == uncached and len(computed) == 6
    again = trend.inventory_trend(inventory, cache=True, cache_directory=cache)
    assert again == uncached and len(computed) == 6  # nothing read again

    path = inventory / "applications" / "ville-centre.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    (inventory / "flux" / "casse.yaml").unlink()
    git(inventory.parent, "commit", "-q", "-am", "Réparation", date="2026-03-09T09:00:00+01:00")
    latest = trend.inventory_trend(inventory, cache=True, cache_directory=cache)
    assert len(computed) == 7  # the new commit only
    assert latest.points[:3] == uncached.points
    assert latest.points[3].convergence == uncached.points[1].convergence


def test_a_corrupt_trend_cache_is_a_miss(tmp_path: Path) -> None:
    from cartographie.analysis import trend

    inventory = make_history(tmp_path)
    cache = tmp_path / "cache"
    expected = trend.inventory_trend(inventory)
    trend.inventory_trend(inventory, cache=True, cache_directory=cache)
    (stored,) = cache.glob("tendance-*/*.json")
    revision = expected.points[0].revision
    for garbage in (
        "{pas du json",
        "[]",
        f'{{"{revision}": 3}}',
        f'{{"{revision}": [1, 2]}}',
        f'{{"{revision}": ["19", 22, 0.4, 0.4, 0]}}',
        f'{{"{revision}": [19, 22, 0.4, 0.4, null]}}',
        f'{{"{revision}": [true, 22, 0.4, 0.4, 0]}}',
    ):
        stored.write_text(garbage, encoding="utf-8")
        assert trend.inventory_trend(inventory, cache=True, cache_directory=cache) == expected
    stored.write_text(f'{{"{revision}": [7, 8, 0.5, 0.25, 0]}}', encoding="utf-8")
    found = trend.inventory_trend(inventory, cache=True, cache_directory=cache)
    assert found.points[0].applications == 7  # a well-formed entry is trusted: it is a cache

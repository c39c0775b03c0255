"""Property: ``--date`` today gives the same figures as no ``--date`` (DESIGN.md §11).

For any inventory whose dates agree with its ``cycle_de_vie`` today — nothing in service before
its ``mise_en_service``, every ``retiree`` retired by today and nothing else, no planned user in
``utilisateurs`` (a future wave brings its communes), adhesions begun — the portfolio at today
(``as_of``) has the same stats, convergence and mutualisation as the inventory as written, and
the report documents built on either are equal but for the line that says the date.

Inventories are drawn by hypothesis (derandomised: the same on every run) around today's date,
written as YAML and loaded, so that the dates go through the loader as users write them.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from cartographie.analysis.convergence_report import convergence_report
from cartographie.analysis.stats import compute_stats
from cartographie.graph import Portfolio
from cartographie.inventory import load_inventory
from cartographie.model.asof import as_of
from cartographie.model.dates import reference_today
from cartographie.model.inventory import Inventory
from cartographie.reports.registry import REPORTS, ReportSource, run_report

TODAY = reference_today()
COMMUNES = ["c1", "c2", "c3", "c4"]
BLOCKS = ["b1", "b2", "b3"]
SETTINGS = settings(
    derandomize=True,
    database=None,
    deadline=None,
    max_examples=60,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _past(draw: Any) -> int | dt.date:
    """A date on or before today, as a year or a full date."""
    days = draw(st.integers(min_value=0, max_value=20 * 365))
    day = TODAY - dt.timedelta(days=days)
    if draw(st.booleans()):
        return day.year if dt.date(day.year, 1, 1) <= TODAY else day.year - 1
    return day


def _future(draw: Any) -> int | dt.date:
    days = draw(st.integers(min_value=1, max_value=10 * 365))
    day = TODAY + dt.timedelta(days=days)
    if draw(st.booleans()) and dt.date(day.year, 1, 1) > TODAY:
        return day.year
    return day


@st.composite
def inventories(draw: Any) -> dict[str, Any]:
    """The files of an inventory whose dates agree with today."""
    adhesions: dict[str, int | dt.date] = {}
    communes = []
    for commune in COMMUNES:
        entry: dict[str, Any] = {"id": commune, "nom": commune.upper()}
        if draw(st.booleans()):
            since = _past(draw)
            adhesions[commune] = since
            item: dict[str, Any] = {"domaine": "finances", "depuis": since}
            if draw(st.booleans()):
                item["jusqu_a"] = _future(draw)
            entry["mutualisations"] = [item]
        communes.append(entry)
    applications: dict[str, list[dict[str, Any]]] = {}
    app_ids: list[str] = []
    retired: set[str] = set()
    for index in range(draw(st.integers(min_value=2, max_value=10))):
        owner = draw(st.sampled_from(["met", *COMMUNES]))
        app_id = f"a{index}"
        record: dict[str, Any] = {
            "id": app_id,
            "nom": f"Application {index}",
            "couche": "support",
            "blocs": sorted(set(draw(st.lists(st.sampled_from(BLOCKS), min_size=1, max_size=2)))),
            "hebergement": "datacenter",
        }
        if draw(st.booleans()):
            record["mise_en_service"] = _past(draw)
        state = draw(st.sampled_from(["production", "a-retirer", "retiree", "projet"]))
        if state == "retiree":
            record["retrait"] = _past(draw)
            start = record.get("mise_en_service")
            if start is not None and _day(record["retrait"]) < _day(start):
                record["retrait"] = start
            retired.add(app_id)
        elif state == "projet":
            record.pop("mise_en_service", None)
        elif state == "a-retirer" and draw(st.booleans()):
            record["retrait"] = _future(draw)
        record["cycle_de_vie"] = state
        if owner == "met":
            # A domain application's listed users have joined the domain by today.
            joined = [commune for commune in COMMUNES if commune in adhesions]
            record["utilisateurs"] = sorted(
                set(draw(st.lists(st.sampled_from(joined or ["met"]), max_size=4)))
            ) or ["met"]
        applications.setdefault(owner, []).append(record)
        app_ids.append(app_id)
    flows = []
    for index in range(draw(st.integers(min_value=0, max_value=6))):
        ends = st.lists(st.sampled_from(app_ids), min_size=2, max_size=2, unique=True)
        source, target = draw(ends)
        flow: dict[str, Any] = {"id": f"f{index}", "source": source, "cible": target, "donnee": "d"}
        if draw(st.booleans()):
            flow["depuis"] = _past(draw)
        flows.append(flow)
    files: dict[str, Any] = {
        "territoire.yaml": {
            "metropole": {"id": "met", "nom": "Métropole"},
            "communes": communes,
            "domaines": [{"id": "finances", "nom": "Finances", "blocs": ["b1"]}],
        },
        "referentiel/blocs.yaml": {
            "blocs": [
                {"id": "z", "nom": "Zone", "niveau": "zone"},
                {"id": "q", "nom": "Quartier", "niveau": "quartier", "parent": "z"},
                *({"id": b, "nom": b.upper(), "niveau": "bloc", "parent": "q"} for b in BLOCKS),
            ],
            "donnees": [{"id": "d", "nom": "Donnée"}],
        },
        "flux/flux.yaml": {"flux": flows},
    }
    targets = [
        record["id"]
        for record in applications.get("met", [])
        if "b1" in record["blocs"] and record["id"] not in retired
    ]
    if targets and draw(st.booleans()):
        # A chantier whose waves are planned: its communes are not listed yet.
        # The communes without an adhesion: none is listed as a user of a domain application.
        target = targets[0]
        future = [c for c in COMMUNES if c not in adhesions]
        if future:
            wave = TODAY.year + draw(st.integers(min_value=1, max_value=4))
            for commune in future:
                entry = next(item for item in communes if item["id"] == commune)
                entry["mutualisations"] = [{"domaine": "finances", "depuis": wave}]
            files["referentiel/chantiers.yaml"] = {
                "chantiers": [
                    {
                        "id": "ch",
                        "nom": "Chantier",
                        "debut": TODAY.year,
                        "fin": wave + 1,
                        "blocs": ["b1"],
                        "cible": target,
                        "vagues": [{"annee": wave, "communes": future}],
                    }
                ]
            }
    for owner, records in applications.items():
        files[f"applications/{owner}.yaml"] = {"proprietaire": owner, "applications": records}
    return files


def _day(value: int | dt.date) -> dt.date:
    return dt.date(value, 1, 1) if isinstance(value, int) else value


def _load(files: dict[str, Any]) -> Inventory:
    folder = tempfile.mkdtemp()
    root = Path(folder) / "inventaire"
    for relative, data in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    return load_inventory(root)


@pytest.fixture(autouse=True, scope="module")
def _one_day() -> Iterator[None]:
    """The inventories are drawn around TODAY, and the code reads its own today: a run that
    crosses midnight would see two days (a CI run did). The module runs on TODAY, pinned as
    reproducible builds pin it."""
    noon = dt.datetime.combine(TODAY, dt.time(12), tzinfo=dt.UTC)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", str(int(noon.timestamp())))
        yield


def _undated(document: Any) -> Any:
    return dataclasses.replace(
        document,
        parameters=tuple(item for item in document.parameters if item[0] != "Patrimoine au"),
        notes=tuple(note for note in document.notes if not note.startswith("Patrimoine recon")),
    )


@SETTINGS
@given(inventories())
def test_today_gives_the_figures_of_the_inventory_as_written(files: dict[str, Any]) -> None:
    inventory = _load(files)
    event("chantier à venir" if inventory.programmes else "sans chantier")
    event("avec retirées" if any(a.retired_in for a in inventory.applications.values()) else "-")
    written = Portfolio(inventory)
    today = Portfolio(as_of(inventory, TODAY))
    assert compute_stats(today) == compute_stats(written)
    assert convergence_report(today) == convergence_report(written)
    for spec in REPORTS:
        # The trend, the roadmap and the refacturation (of a year) read dates themselves.
        if spec.name in ("tendance", "feuille-de-route", "refacturation"):
            continue
        if spec.name == "couts" and inventory.costs is None:
            continue  # no cost parameters: the report says so (C001), at any date
        plain = run_report(spec, ReportSource.of(written), **spec.defaults())
        dated = run_report(spec, ReportSource.of(written, moment=TODAY), **spec.defaults())
        assert _undated(dated) == plain, spec.name

"""Re-invoicing by year (DESIGN.md §10): who takes part, what stays with the métropole, shares
that always add up to the cent — by hand on ``tests/fixtures/couts``, then for random costs, keys
and adhesions (hypothesis). The 2025 shares themselves are computed in ``test_costs.py``."""

from __future__ import annotations

import dataclasses
import shutil
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cartographie.analysis.costs import CostModel
from cartographie.analysis.rebilling import rebilling, year_model
from cartographie.document.formats import render
from cartographie.errors import UnknownNameError
from cartographie.graph import Portfolio
from cartographie.inventory import load_inventory
from cartographie.model.inventory import Inventory
from cartographie.model.records import AllocationKey, Mutualisation
from cartographie.reports.rebilling import rebilling_document
from tests.support_reports import by_key

COUTS = Path(__file__).parent / "fixtures" / "couts"


@cache
def inventory() -> Inventory:
    return load_inventory(COUTS)


def today_model(found: Inventory | None = None) -> CostModel:
    return CostModel(Portfolio(found or inventory()))


def edited(tmp_path: Path, relative: str, old: str, new: str) -> CostModel:
    target = tmp_path / "inventaire"
    shutil.copytree(COUTS, target)
    path = target / relative
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1
    path.write_text(text.replace(old, new), encoding="utf-8")
    return today_model(load_inventory(target))


def shares(model: CostModel, year: int) -> dict[str, dict[str, int]]:
    result = rebilling(year_model(model, year), year)
    return {d.domain: {line.commune: line.cents for line in d.lines} for d in result.domains}


def test_only_the_communes_that_have_joined_by_the_year_take_part() -> None:
    result = rebilling(year_model(today_model(), 2019), 2019)
    finances = next(d for d in result.domains if d.domain == "finances")
    # On 1 January 2019, Alpha (2018) and Bêta (2019) have joined, Gamma (2020) not yet.
    # C = met-gf 39 000 + met-portail's third 333,34 (in service since 2019) + frais 10 000
    # = 4 933 334 cents, by population 30 000 / 10 000: 3 700 000,5 and 1 233 333,5. A tie:
    # the cent goes to the smaller id, Alpha.
    assert {line.commune: line.cents for line in finances.lines} == {
        "alpha": 3_700_001,
        "beta": 1_233_333,
    }


def test_a_domain_nobody_has_joined_stays_with_the_metropole() -> None:
    result = rebilling(year_model(today_model(), 2019), 2019)
    relation = next(d for d in result.domains if d.domain == "relation")
    # Nobody joins « relation » before 2021 and met-gdu is in service from 2020: in 2019 the
    # domain is its frais alone, 1 €, kept by the métropole.
    assert relation.status == "sans-participant"
    assert (relation.total.cents, relation.billed, relation.kept) == (100, 0, 100)


def test_a_commune_that_left_no_longer_pays(tmp_path: Path) -> None:
    model = edited(
        tmp_path,
        "territoire.yaml",
        "      - domaine: rh\n        depuis: 2020\n      - domaine: socle\n        depuis: 2020\n",
        "      - domaine: rh\n        depuis: 2020\n      - domaine: socle\n        depuis: 2020\n"
        "        jusqu_a: 2024\n",
    )
    # Gamma left the socle on 1 January 2024: Bêta pays all of it in 2025, half-and-half by
    # the key before.
    assert shares(model, 2025)["socle"] == {"beta": 833_333}
    assert set(shares(model, 2023)["socle"]) == {"beta", "gamma"}


def test_a_missing_weight_keeps_the_cost_at_the_metropole(tmp_path: Path) -> None:
    model = edited(tmp_path, "territoire.yaml", "    population: 10000\n", "")
    result = rebilling(year_model(model, 2025), 2025)
    finances = next(d for d in result.domains if d.domain == "finances")
    assert finances.status == "poids-inconnu"
    assert finances.missing == (("beta", "population"),)
    assert finances.lines == () and finances.kept == finances.total.cents
    document = rebilling_document(model, 2025, "finances")
    status = by_key(document, "domaines", "domaine")["finances"]["statut"]
    assert status == (
        "poids inconnu : le coût reste à la métropole (population de Bêta manquant)"
    )


def test_a_domain_without_a_key(tmp_path: Path) -> None:
    model = edited(tmp_path, "territoire.yaml", "    cle: agents\n", "")
    result = rebilling(year_model(model, 2025), 2025)
    assert next(d for d in result.domains if d.domain == "rh").status == "sans-cle"


def test_a_usage_key_nobody_uses(tmp_path: Path) -> None:
    model = edited(
        tmp_path,
        "applications/metro.yaml",
        "    utilisateurs: [alpha, beta]\n    hebergement: datacenter\n    cout_annuel: 8000\n",
        "    utilisateurs: [metro]\n    hebergement: datacenter\n    cout_annuel: 8000\n",
    )
    # met-cadastre is still Alpha's: usage 1 for Alpha, 0 for Bêta — Alpha pays everything.
    assert shares(model, 2025)["sig"] == {"alpha": 1_000_000, "beta": 0}


def test_report_tables_and_xlsx_for_finance() -> None:
    document = rebilling_document(today_model(), 2025)
    parts = document.table("parts").records()
    by_domain: dict[str, float] = {}
    for row in parts:
        by_domain[str(row["domaine"])] = by_domain.get(str(row["domaine"]), 0) + float(
            row["montant"]  # type: ignore[arg-type]
        )
    domains = by_key(document, "domaines", "domaine")
    for domain, total in by_domain.items():
        assert round(total, 2) == domains[domain]["cout"]
    beta = next(row for row in parts if row["domaine"] == "finances" and row["commune"] == "beta")
    # The exact share before rounding, in cents: 1 096 296,44 → 1 096 297 (largest remainder).
    assert (beta["part_exacte"], beta["montant"]) == (1_096_296.44, 10962.97)
    assert beta["population"] == 10000 and beta["agents"] is None
    workbook = render(document, "xlsx")
    assert isinstance(workbook, bytes) and workbook[:2] == b"PK"
    assert document.summary[0].text.startswith(
        "En 2025, 111\u202f751\u00a0€ refacturés à 3 communes"
    )


def test_unknown_domain_is_named_with_a_suggestion() -> None:
    with pytest.raises(UnknownNameError) as raised:
        rebilling_document(today_model(), 2025, "finance")
    assert raised.value.hint == "voulez-vous dire « finances » ?"


# --- property: shares always add up ----------------------------------------------------------

BASES = ("population", "agents", "usage", "forfait")
WEIGHTS = st.sampled_from([0.1, 0.3, 0.5, 1, 2, 3, 7, 25, 50, 100])


@st.composite
def scenarios(draw: st.DrawFn) -> Inventory:
    base = inventory()
    keys = {
        domain_id: AllocationKey.model_validate(
            {
                basis: draw(WEIGHTS)
                for basis in draw(st.lists(st.sampled_from(BASES), min_size=1, unique=True))
            }
        )
        for domain_id in base.domains
    }
    domains = {
        domain_id: domain.model_copy(
            update={"allocation_key": keys[domain_id], "overhead": draw(st.integers(0, 10**6))}
        )
        for domain_id, domain in base.domains.items()
    }
    communes = {}
    for commune_id, commune in base.communes.items():
        joined = draw(st.lists(st.sampled_from(sorted(base.domains)), unique=True))
        communes[commune_id] = commune.model_copy(
            update={
                "population": draw(st.integers(1, 200_000)),
                "agents": draw(st.integers(1, 5_000)),
                "mutualisations": [
                    Mutualisation.model_validate(
                        {"domaine": domain, "depuis": draw(st.integers(2010, 2025))}
                    )
                    for domain in joined
                ],
            }
        )
    applications = {}
    users = dict(base.users)
    for app_id, application in base.applications.items():
        if base.owners[app_id] != base.metropole.id:
            applications[app_id] = application
            continue
        applications[app_id] = application.model_copy(
            update={
                "annual_cost": draw(st.none() | st.integers(0, 10**6)),
                "internal_days": draw(st.none() | st.integers(0, 40_000).map(lambda h: h / 100)),
            }
        )
        users[app_id] = tuple(
            draw(st.lists(st.sampled_from(sorted(base.communes)), unique=True).map(sorted))
        )
    return dataclasses.replace(
        base, domains=domains, communes=communes, applications=applications, users=users
    )


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios(), st.integers(2012, 2027))
def test_shares_always_add_up_to_the_domain_s_cost(found: Inventory, year: int) -> None:
    result = rebilling(year_model(today_model(found), year), year)
    for domain in result.domains:
        if domain.status != "refacture":
            assert domain.lines == () and domain.kept == domain.total.cents
            continue
        assert sum(line.cents for line in domain.lines) == domain.total.cents
        for line in domain.lines:
            # Rounded to the cent: never more than one cent from the exact share.
            assert abs(line.cents - line.exact) < 1
            assert line.cents >= 0

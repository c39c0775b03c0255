"""``rapport delegations`` on the example métropole, at 2026-06-01: computed by hand.

Two contracts: dsp-transport-2015 (2015-01-01 → 2022-12-31, no data clause of restitution),
renewed by dsp-transport-2023 (2023-01-01 → 2030-12-31, data returned monthly), under which the
délégataire runs met-billettique (hosted at the délégataire).
"""

from __future__ import annotations

import datetime as dt

from support_reports import REFERENCE_DATE, by_key, example_portfolio, records

from cartographie.model.dates import add_months, months_between
from cartographie.reports.delegations import delegations_document


def test_applications_run_by_delegates() -> None:
    rows = records(delegations_document(example_portfolio(), REFERENCE_DATE), "applications")
    assert rows == [
        {
            "application": "met-billettique",
            "nom": "Billettique du réseau de transport",
            "proprietaire": "metropole",
            "delegation": "dsp-transport-2023",
            "hebergement": "delegataire",
            "gouvernance": "delegataire",
            "fin_contrat": "2030-12-31",
            "restitution_donnees": True,
        }
    ]


def test_contracts_and_their_status() -> None:
    document = delegations_document(example_portfolio(), REFERENCE_DATE, 12)
    rows = by_key(document, "contrats", "delegation")
    # 2026-06-01 → 2022-12-31: −41 whole months (−42 months and 30 days, towards zero);
    # renewed by the 2023 contract.
    assert (rows["dsp-transport-2015"]["mois_restants"], rows["dsp-transport-2015"]["statut"]) == (
        -41,
        "renouvelé",
    )
    assert rows["dsp-transport-2015"]["applications"] == ()
    assert rows["dsp-transport-2015"]["restitution_donnees"] is False
    # 2026-06-01 → 2030-12-31: 54 months and 30 days; beyond 12 months: running
    assert (rows["dsp-transport-2023"]["mois_restants"], rows["dsp-transport-2023"]["statut"]) == (
        54,
        "en cours",
    )
    assert rows["dsp-transport-2023"]["applications"] == ("met-billettique",)
    # sorted by end date
    assert list(rows) == ["dsp-transport-2015", "dsp-transport-2023"]
    assert records(document, "echeances") == []


def test_a_contract_ending_within_the_horizon() -> None:
    # 60 months from 2026-06-01 is 2031-06-01: the 2023 contract (2030-12-31) falls within
    document = delegations_document(example_portfolio(), REFERENCE_DATE, 60)
    assert [row["delegation"] for row in records(document, "echeances")] == ["dsp-transport-2023"]
    # after its end, it has ended
    later = delegations_document(example_portfolio(), dt.date(2031, 1, 15), 12)
    assert by_key(later, "contrats", "delegation")["dsp-transport-2023"]["statut"] == "échu"


def test_month_arithmetic() -> None:
    assert add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    assert add_months(dt.date(2026, 6, 1), -12) == dt.date(2025, 6, 1)
    assert add_months(dt.date(2024, 3, 31), -1) == dt.date(2024, 2, 29)
    assert months_between(dt.date(2026, 6, 1), dt.date(2026, 6, 30)) == 0
    assert months_between(dt.date(2026, 6, 15), dt.date(2026, 7, 14)) == 0
    assert months_between(dt.date(2026, 6, 15), dt.date(2026, 7, 15)) == 1

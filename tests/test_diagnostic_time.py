"""The diagnostic's time rules (D901–D904) on the ``timeline`` fixture, at pinned days.

Each test copies the fixture twice (base, proposed), changes the proposed copy and judges it at
a given day: 2026-12-06 by default, while the chantier ``convergence-finances`` (2016–2027)
still runs and e.magnus's support has ended (2025-12-31).
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable
from pathlib import Path

from support import FIXTURES

from cartographie.diagnostic import Diagnostic, run_diagnostic
from cartographie.inventory.git import load_version

TIMELINE = FIXTURES / "timeline"
DAY = dt.date(2026, 12, 6)


def judge(
    tmp_path: Path,
    change: Callable[[Path], None],
    day: dt.date = DAY,
    include_preexisting: bool = False,
) -> Diagnostic:
    base, proposed = tmp_path / "base", tmp_path / "propose"
    shutil.copytree(TIMELINE, base)
    shutil.copytree(base, proposed)
    change(proposed)
    return run_diagnostic(
        load_version(str(base), base),
        load_version(str(proposed), proposed),
        date=day,
        include_preexisting=include_preexisting,
    )


def append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def by_code(diagnostic: Diagnostic, code: str) -> list[str]:
    return [finding.message for finding in diagnostic.findings if finding.code == code]


ON_EMAGNUS = (
    "  - id: ouest-etat-civil\n    nom: État civil d'Ouestville\n    produit: emagnus\n"
    "    couche: metier\n    blocs: [etat-civil]\n    hebergement: datacenter\n"
)


def test_d901_a_new_application_on_a_product_out_of_support(tmp_path: Path) -> None:
    diagnostic = judge(tmp_path, lambda root: append(root / "applications/ouest.yaml", ON_EMAGNUS))
    assert by_code(diagnostic, "D901") == [
        "nouvelle application « ouest-etat-civil » (applications/ouest.yaml:13) sur le produit "
        "« e.magnus Gestion financière », dont l'éditeur a arrêté le support le 2025-12-31 "
        "(referentiel/editeurs.yaml:9)"
    ]
    # a year earlier the support still ran, and nothing says the application starts later
    earlier = judge(
        tmp_path / "avant",
        lambda root: append(root / "applications/ouest.yaml", ON_EMAGNUS),
        day=dt.date(2025, 6, 1),
    )
    assert by_code(earlier, "D901") == []


def test_d901_an_application_planned_after_the_end_of_support(tmp_path: Path) -> None:
    planned = ON_EMAGNUS.replace("civil-net", "x") + "    mise_en_service: 2026\n"
    diagnostic = judge(
        tmp_path,
        lambda root: append(root / "applications/ouest.yaml", planned),
        day=dt.date(2025, 6, 1),
    )
    assert len(by_code(diagnostic, "D901")) == 1


def test_d902_a_new_flow_toward_an_application_to_eliminate(tmp_path: Path) -> None:
    flow = "  - source: nord-etat-civil\n    cible: est-compta\n    donnee: budget\n"
    diagnostic = judge(tmp_path, lambda root: append(root / "flux/flux.yaml", flow))
    assert by_code(diagnostic, "D902") == [
        "flux nord-etat-civil → est-compta (budget) vers « est-compta » "
        "(applications/est.yaml:12), à éliminer (Retour au domaine mutualisé prévu)"
    ]
    assert diagnostic.verdict == "reserve"


def test_d903_a_chantier_past_its_end_with_an_application_still_running(tmp_path: Path) -> None:
    # ouest-finances is « a-retirer » as written, its retrait 2027 = the chantier's end
    late = judge(tmp_path, lambda root: None, day=dt.date(2027, 6, 1), include_preexisting=True)
    assert [finding.message for finding in late.preexisting if finding.code == "D903"] == [
        "le chantier « convergence-finances » (referentiel/chantiers.yaml:2) s'est achevé le "
        "2027, mais « ouest-finances » (applications/ouest.yaml:3) n'est pas retirée (cycle de "
        "vie « a-retirer »)"
    ]
    on_time = judge(tmp_path / "a", lambda root: None, include_preexisting=True)
    assert [finding.code for finding in on_time.preexisting if finding.code == "D903"] == []
    # adding an application to retire to a finished chantier is a new finding
    retires = judge(
        tmp_path / "b",
        lambda root: (
            replace(root / "applications/ouest.yaml", "retrait: 2027", "retrait: 2026"),
            replace(
                root / "referentiel/chantiers.yaml", "fin: 2027", "fin: 2026"
            ),
        ),
        day=dt.date(2026, 12, 6),
    )
    assert [finding.code for finding in retires.findings].count("D903") == 1


def test_d904_a_wave_commune_takes_another_application(tmp_path: Path) -> None:
    other = (
        "  - id: ouest-compta\n    nom: Comptabilité d'Ouestville\n    couche: support\n"
        "    blocs: [finances]\n    hebergement: saas\n"
    )
    diagnostic = judge(tmp_path, lambda root: append(root / "applications/ouest.yaml", other))
    assert by_code(diagnostic, "D904") == [
        "« ouest » doit rejoindre « met-finances » (applications/metro.yaml:3) (vague 2027 du "
        "chantier « convergence-finances » (referentiel/chantiers.yaml:2)) et prend "
        "« ouest-compta » (applications/ouest.yaml:13) dans le bloc « Finances »"
    ]
    assert diagnostic.verdict == "defavorable"
    # once the chantier is over, it plans nothing any more
    after = judge(
        tmp_path / "apres",
        lambda root: append(root / "applications/ouest.yaml", other),
        day=dt.date(2027, 6, 1),
    )
    assert by_code(after, "D904") == []


def test_d904_the_target_set_to_leave(tmp_path: Path) -> None:
    diagnostic = judge(
        tmp_path,
        lambda root: replace(
            root / "applications/metro.yaml", "disposition: investir", "disposition: eliminer"
        ),
    )
    assert by_code(diagnostic, "D904") == [
        "la cible « met-finances » (applications/metro.yaml:3) du chantier "
        "« convergence-finances » (referentiel/chantiers.yaml:2) est désormais promise au "
        "retrait (cycle de vie « production », disposition « eliminer »)"
    ]

"""The territory beyond the fourteen: the métropole's other communes, the secteurs d'intervention
of the technical services, two data centres that back each other up — loaded, queried, and
refused with ``file:line`` when they contradict themselves or the rest of the inventory."""

from __future__ import annotations

from pathlib import Path

import pytest

from cartographie.graph import Portfolio
from cartographie.inventory import load_inventory, validate_inventory

T, P, M = "territoire.yaml", "referentiel/processus.yaml", "applications/metropole.yaml"
A, D = "applications/nord.yaml", "referentiel/donnees.yaml"

# Nordville is split between two sectors; Sudbourg and the other commune, Estval, are grouped.
TERRITORY = """
autres_communes:
  - id: estval
    nom: Estval
    population: 1200

secteurs:
  - id: secteur-ouest
    nom: Secteur ouest
    perimetre:
      - commune: nord
        partie: rive gauche
  - id: secteur-est
    nom: Secteur est
    perimetre:
      - commune: nord
        partie: rive droite
      - commune: sud
      - commune: estval
"""
BACKUP = """  - id: dc-secours
    nom: Centre de secours
    commune: sud
    secours: dc-central
"""


def _edit(root: Path, relative: str, old: str | None, new: str) -> None:
    path = root / relative
    text = path.read_text(encoding="utf-8")
    if old is None:
        path.write_text(text + new, encoding="utf-8")
        return
    assert text.count(old) == 1, f"{old!r} is not once in {relative}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def _line(root: Path, relative: str, needle: str, occurrence: int = 1) -> int:
    lines = (root / relative).read_text(encoding="utf-8").splitlines()
    found = [number for number, line in enumerate(lines, start=1) if needle in line]
    return found[occurrence - 1]


@pytest.fixture
def territory(minimal_copy: Path) -> Path:
    _edit(
        minimal_copy,
        T,
        "    commune: nord\n",
        "    commune: nord\n    secours: dc-secours\n" + BACKUP,
    )
    _edit(minimal_copy, T, None, TERRITORY)
    _edit(
        minimal_copy,
        P,
        "        acteur: service état civil\n",
        "        acteur: secteur d'intervention\n        secteurs: [secteur-est, secteur-ouest]\n",
    )
    return minimal_copy


def _found(root: Path) -> list[tuple[str, str, int]]:
    return [(p.code, p.location.path, p.location.line) for p in validate_inventory(root).problems]


def test_the_territory_loads_with_its_other_communes_sectors_and_backup(territory: Path) -> None:
    assert _found(territory) == []
    inventory = load_inventory(territory)
    assert list(inventory.communes) == ["nord", "sud"]
    assert list(inventory.other_communes) == ["estval"]
    assert inventory.organisation_name("estval") == "Estval"
    assert list(inventory.sectors) == ["secteur-est", "secteur-ouest"]
    assert inventory.sectors_of_commune("nord") == [
        ("secteur-est", "rive droite"),
        ("secteur-ouest", "rive gauche"),
    ]
    assert inventory.sectors_of_commune("sud") == [("secteur-est", None)]
    assert inventory.datacenters["dc-central"].backup == "dc-secours"
    assert inventory.datacenters["dc-secours"].backup == "dc-central"
    portfolio = Portfolio(inventory)
    assert portfolio.sectors_of_step("gdu", "traitement") == ["secteur-est", "secteur-ouest"]
    assert portfolio.sectors_of_step("gdu", "demande") == []
    assert portfolio.sector_areas("secteur-est") == [
        ("nord", "rive droite"),
        ("sud", None),
        ("estval", None),
    ]
    # The other communes take no part in the portfolio: no applications, no use.
    assert "estval" not in inventory.users.values()
    assert portfolio.communes() == ["nord", "sud"]


@pytest.mark.parametrize(
    ("what", "relative", "old", "new", "code", "at"),
    [
        (
            "an application owned by a commune that has not joined",
            A,
            "proprietaire: nord",
            "proprietaire: estval",
            "E303",
            (A, "proprietaire: estval"),
        ),
        (
            "a commune that has not joined among the users",
            M,
            "utilisateurs: [nord, sud]",
            "utilisateurs: [nord, estval]",
            "E303",
            (M, "utilisateurs: [nord, estval]"),
        ),
        (
            "a sector over an unknown commune",
            T,
            "      - commune: estval\n",
            "      - commune: estvall\n",
            "E302",
            (T, "commune: estvall"),
        ),
        (
            "a shared commune covered whole by one of its sectors",
            T,
            "        partie: rive gauche\n",
            "",
            "E206",
            (T, "- commune: nord"),
        ),
        (
            "a commune twice in one sector",
            T,
            "      - commune: estval\n",
            "      - commune: estval\n      - commune: estval\n",
            "E206",
            (T, "- commune: estval", 2),
        ),
        (
            "a step shared with an unknown sector",
            P,
            "secteurs: [secteur-est, secteur-ouest]",
            "secteurs: [secteur-est, secteur-nord]",
            "E302",
            (P, "secteurs: [secteur-est, secteur-nord]"),
        ),
        (
            "a data centre backing itself up",
            T,
            "    secours: dc-central\n",
            "    secours: dc-secours\n",
            "E206",
            (T, "secours: dc-secours", 2),
        ),
        (
            "a data centre backed up by an unknown one",
            T,
            "    secours: dc-central\n",
            "    secours: dc-centrale\n",
            "E302",
            (T, "secours: dc-centrale"),
        ),
        (
            "an application without a data centre and without backup",
            M,
            "    hebergement: saas\n",
            "    hebergement: saas\n    hors_secours: true\n",
            "E206",
            (M, "hors_secours: true"),
        ),
        (
            "an other commune with the id of a commune",
            T,
            "    population: 1200\n",
            "    population: 1200\n  - id: sud\n    nom: Sudbourg-le-Bas\n",
            "E301",
            (T, "  - id: sud", 2),
        ),
        (
            "a data object produced by an unknown bloc",
            D,
            "    personnelle: true\n    secteur_cnil: relations-usagers\n",
            "    personnelle: true\n    secteur_cnil: relations-usagers\n"
            "    blocs_producteurs: [demandes, demande]\n",
            "E302",
            (D, "blocs_producteurs: [demandes, demande]"),
        ),
    ],
    ids=lambda value: value if isinstance(value, str) and " " in value else "",
)
def test_each_contradiction_is_refused_at_its_line(
    territory: Path,
    what: str,
    relative: str,
    old: str,
    new: str,
    code: str,
    at: tuple[object, ...],
) -> None:
    _edit(territory, relative, old, new)
    path, needle, *occurrence = at
    line = _line(territory, str(path), str(needle), *(int(item) for item in occurrence))
    assert _found(territory) == [(code, path, line)], what


def test_messages_say_what_a_commune_that_has_not_joined_is(territory: Path) -> None:
    _edit(territory, M, "utilisateurs: [nord, sud]", "utilisateurs: [nord, estval]")
    (problem,) = validate_inventory(territory).problems
    assert "n'a pas rejoint la mutualisation" in problem.message
    assert "autres_communes" in problem.hint and "communes" in problem.hint

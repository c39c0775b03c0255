"""The état des lieux import: the shipped example imports into a valid inventory, bad rows are
all reported with their row and column, nothing is written unless everything is valid."""

from __future__ import annotations

from pathlib import Path

import pytest

from cartographie.errors import InventoryError, UsageError
from cartographie.interop.survey import REPORT_NAME, build_survey_files, import_survey, match_key
from cartographie.inventory import load_inventory

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "etat-des-lieux"
MAPPING = EXAMPLE / "correspondance.yaml"
HEADER = (
    "Commune;Application;Éditeur;Produit;Couche;Bloc fonctionnel;Quartier;Zone;Hébergement;"
    "Cycle de vie;Données personnelles;Direction;Coût annuel (€ TTC);Année de mise en service;"
    "Communes utilisatrices;Commentaire\n"
)


def _csv(tmp_path: Path, *rows: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / "etat.csv"
    path.write_text(HEADER + "".join(row + "\n" for row in rows), encoding=encoding)
    return path


GOOD_ROW = (
    "Montval;Logiciel état civil;Arpège;Mélodie;Métier;État civil;Relation citoyen;"
    "Services à la population;SaaS;En production;État civil;Service population;4 200 €;2018;;"
)


@pytest.mark.parametrize("name", ["etat-des-lieux.xlsx", "etat-des-lieux.csv"])
def test_the_example_imports_into_a_valid_inventory(name: str, tmp_path: Path) -> None:
    target = tmp_path / "inventaire"
    summary = import_survey(EXAMPLE / name, MAPPING, target)
    inventory = load_inventory(target)
    assert summary.rows == 36 == len(inventory.applications)
    assert sorted(inventory.communes) == [
        "la-roche-sur-auve",
        "les-pres",
        "montval",
        "saint-aubin",
        "ville-centre",
    ]
    assert inventory.communes["ville-centre"].name == "Auvers-la-Grande"  # declared in the mapping
    assert inventory.metropole.name == "Métropole du Val d'Auve"
    gf = inventory.applications["metropole-gestion-financiere-mutualisee"]
    assert inventory.owners[gf.id] == "metropole"
    assert inventory.users[gf.id] == (
        "la-roche-sur-auve",
        "les-pres",
        "montval",
        "saint-aubin",
        "ville-centre",
    )
    assert gf.layer == "support" and gf.hosting == "datacenter" and gf.annual_cost == 85000
    signal = inventory.applications["ville-centre-signaler-un-probleme-appli-smartphone"]
    assert (signal.layer, signal.hosting, signal.cnil_sectors) == (
        "interface",
        "saas",
        ["relations-usagers"],
    )
    assert signal.product is None
    assert inventory.applications["ville-centre-accueil-citoyen-ancien"].lifecycle == "retiree"
    # the urbanisation map comes from the Zone / Quartier / Bloc columns
    assert inventory.blocks["etat-civil"].parent == "quartier-relation-citoyen"
    assert inventory.blocks["quartier-relation-citoyen"].parent == "zone-services-a-la-population"
    assert inventory.vendors["arpege"].api == "proprietaire"
    assert (target / "inventaire.schema.json").is_file()
    text = (target / "applications" / "montval.yaml").read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../inventaire.schema.json\n")


def test_xlsx_and_csv_give_the_same_inventory(tmp_path: Path) -> None:
    from_xlsx, _ = build_survey_files(EXAMPLE / "etat-des-lieux.xlsx", MAPPING, tmp_path)
    from_csv, _ = build_survey_files(EXAMPLE / "etat-des-lieux.csv", MAPPING, tmp_path)

    def body(files: dict[str, bytes]) -> dict[str, list[bytes]]:
        # the second line names the source file; the rest must be identical (the report names
        # its source throughout)
        return {
            name: data.splitlines()[2:] for name, data in files.items() if name != REPORT_NAME
        }

    assert body(from_xlsx) == body(from_csv)


def test_import_is_deterministic(tmp_path: Path) -> None:
    first, _ = build_survey_files(EXAMPLE / "etat-des-lieux.xlsx", MAPPING, tmp_path)
    second, _ = build_survey_files(EXAMPLE / "etat-des-lieux.xlsx", MAPPING, tmp_path)
    assert first == second


def test_every_bad_row_is_reported_with_row_and_column_and_nothing_is_written(
    tmp_path: Path,
) -> None:
    path = _csv(
        tmp_path,
        GOOD_ROW,
        GOOD_ROW.replace(";Métier;", ";Metiers;"),
        GOOD_ROW.replace("Logiciel état civil", ""),
        GOOD_ROW.replace("SaaS", "Cloud").replace("4 200 €", "douze"),
        GOOD_ROW,
    )
    target = tmp_path / "inventaire"
    with pytest.raises(InventoryError) as caught:
        import_survey(path, MAPPING, target)
    lines = caught.value.lines()
    assert lines[0].startswith("etat.csv:3: E203: colonne « Couche » : « Metiers »")
    assert "vouliez-vous dire « metier » ?" in lines[0]
    assert any(
        line.startswith("etat.csv:4: E202: colonne « Application » : valeur obligatoire")
        for line in lines
    )
    assert any(
        line.startswith("etat.csv:5: E203: colonne « Hébergement » : « Cloud »") for line in lines
    )
    assert any(
        line.startswith("etat.csv:5: E204: colonne « Coût annuel (€ TTC) »") for line in lines
    )
    # a row with a bad cell is still a duplicate: every problem of every row, in one run
    assert (
        "etat.csv:3: E301: application « montval-logiciel-etat-civil » en double : "
        "déjà à la ligne 2 — 3 lignes : 3, 5, 6 (" in "\n".join(lines)
    )
    assert not target.exists()
    assert [p.name for p in tmp_path.iterdir()] == ["etat.csv"]  # no temporary directory left


def test_windows_1252_csv_with_commas_is_read(tmp_path: Path) -> None:
    path = tmp_path / "etat.csv"
    path.write_text(
        HEADER.replace(";", ",") + GOOD_ROW.replace(";", ",").replace("4 200 €", "4200") + "\n",
        encoding="cp1252",
    )
    files, summary = build_survey_files(path, MAPPING, tmp_path / "x")
    assert summary.applications == 1
    assert "Logiciel état civil" in files["applications/montval.yaml"].decode("utf-8")


def test_mapping_problems_name_the_fix(tmp_path: Path) -> None:
    mapping = tmp_path / "correspondance.yaml"
    mapping.write_text(
        "version: 1\ncolonnes:\n  nom: Applications\n  couleur: Couche\n", encoding="utf-8"
    )
    with pytest.raises(InventoryError) as caught:
        import_survey(_csv(tmp_path, GOOD_ROW), mapping, tmp_path / "x")
    assert caught.value.lines() == [
        "correspondance.yaml:4: E203: colonnes.couleur : « couleur » n'est pas un champ que le "
        "tableur peut alimenter (vouliez-vous dire « couche » ? champs : id, nom, description, "
        "version, couche, blocs, utilisateurs, hebergement, hors_secours, cycle_de_vie, "
        "secteurs_cnil, responsable, contact, gouvernance, cout_annuel, jours_internes, "
        "mise_en_service, retrait, disposition, disposition_motif, hub, origine, derniere_revue, "
        "url, commune, editeur, produit, api, quartier, zone)"
    ]
    mapping.write_text("version: 1\ncolonnes:\n  nom: Applications\n", encoding="utf-8")
    with pytest.raises(InventoryError) as caught:
        import_survey(_csv(tmp_path, GOOD_ROW), mapping, tmp_path / "x")
    text = "\n".join(caught.value.lines())
    for required in ("couche", "hebergement"):  # no commune: the métropole owns the rows
        assert f"champ obligatoire « {required} » : ni colonne ni valeur par défaut" in text
    assert (
        "colonne « Applications » absente de etat.csv (vouliez-vous dire « Application » ?)" in text
    )


def test_force_replaces_an_inventory_and_nothing_else(tmp_path: Path) -> None:
    target = tmp_path / "inventaire"
    target.mkdir()
    (target / "garde.txt").write_text("à garder", encoding="utf-8")
    for force in (False, True):  # a folder cartographie did not write: refused either way
        with pytest.raises(UsageError) as raised:
            import_survey(EXAMPLE / "etat-des-lieux.csv", MAPPING, target, force=force)
        assert "n'est pas un inventaire écrit par cartographie" in raised.value.message
        assert (target / "garde.txt").read_text(encoding="utf-8") == "à garder"
    (target / "garde.txt").unlink()
    import_survey(EXAMPLE / "etat-des-lieux.csv", MAPPING, target)
    with pytest.raises(UsageError) as raised:
        import_survey(EXAMPLE / "etat-des-lieux.csv", MAPPING, target)
    assert "--force" in raised.value.hint
    import_survey(EXAMPLE / "etat-des-lieux.csv", MAPPING, target, force=True)
    assert load_inventory(target).applications


def test_values_are_matched_without_case_accents_or_punctuation() -> None:
    assert match_key("Métier") == match_key("METIER") == match_key(" metier ") == "metier"
    assert match_key("Hébergé chez l'éditeur") == "heberge-chez-l-editeur"

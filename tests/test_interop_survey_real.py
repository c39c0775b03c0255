"""Real exports with a mapping only (issue 17): dates in every form, placeholders, translations on
every field, grouped problems with their exact lines, row numbers as the spreadsheet shows them,
one organisation's inventory, addresses checked, unmapped columns reported or kept."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import Workbook
from support import RunCli

from cartographie.errors import InventoryError
from cartographie.interop.survey import REPORT_NAME, build_survey_files, import_survey
from cartographie.interop.survey.values import RowError, year_or_date
from cartographie.inventory import load_inventory

ROOT = Path(__file__).resolve().parents[1]
EXPORT = ROOT / "examples" / "export-dsi"
MAPPING = EXPORT / "correspondance.yaml"


def _mapping(tmp_path: Path, *edits: tuple[str, str]) -> Path:
    text = MAPPING.read_text(encoding="utf-8")
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new)
    path = tmp_path / "correspondance.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _problems(source: Path, mapping: Path, tmp_path: Path) -> list[str]:
    with pytest.raises(InventoryError) as caught:
        import_survey(source, mapping, tmp_path / "sortie")
    assert not (tmp_path / "sortie").exists()
    return caught.value.lines()


@pytest.mark.parametrize("name", ["export-applications.csv", "export-applications.xlsx"])
def test_a_real_export_imports_with_its_mapping_only(name: str, tmp_path: Path) -> None:
    summary = import_survey(EXPORT / name, MAPPING, tmp_path / "inventaire")
    inventory = load_inventory(tmp_path / "inventaire")
    assert summary.rows == len(inventory.applications) == 17
    finances = inventory.applications["metropole-gestion-financiere"]
    # « 2016-01-01 » (text in the CSV, a date cell in the XLSX) is a full date, which the
    # field takes (a year or a date); « 2014 » stays a year
    assert finances.in_service_since == dt.date(2016, 1, 1)
    assert inventory.applications["metropole-gestion-du-courrier"].in_service_since == 2014
    assert finances.contact == "dsi-finances@mva.example"
    assert finances.url == "https://finances.mva.example"
    assert finances.annual_cost == 85000
    # a cell on two lines stays a description on two lines
    assert finances.description == (
        "Budget, mandatement, commande publique.\nMutualisée avec les communes depuis 2016."
    )
    assert finances.properties == {
        "ID GLPI": "1042",
        "Criticité": "Haute",
        "Nb utilisateurs": "240",
    }
    gru = inventory.applications["metropole-gru-relation-usager"]
    assert (gru.in_service_since, gru.hosting, gru.layer) == (
        dt.date(2020, 9, 14),  # « 2020-09-14T00:00:00 »
        "saas",
        "interface",
    )
    paie = inventory.applications["metropole-paie-et-carriere"]
    assert paie.in_service_since == dt.date(2018, 1, 1)  # « 01/01/2018 »
    assert paie.url is None and paie.version is None  # « n/a »: declared empty once, for all
    urbanisme = inventory.applications["les-pres-urbanisme"]
    assert urbanisme.in_service_since is None and urbanisme.lifecycle == "projet"
    assert inventory.applications["montval-etat-civil"].owner is None
    assert sorted(inventory.communes) == ["les-pres", "montval", "saint-aubin"]
    report = (tmp_path / "inventaire" / REPORT_NAME).read_text(encoding="utf-8")
    assert "| Dernière mise à jour | 17 |" in report and "| Marché | 17 |" in report
    assert [name for name, _filled in summary.unmapped] == ["Dernière mise à jour", "Marché"]


def test_problems_are_grouped_one_line_per_column_problem_and_value(tmp_path: Path) -> None:
    mapping = _mapping(
        tmp_path,
        ('vides: ["-", "n/a", "?", "NC"]\n', ""),
        ("    En service: production\n", ""),
        ("    Cloud éditeur (SaaS): saas", "    Cloud editeur: saas"),
    )
    lines = _problems(EXPORT / "export-applications.csv", mapping, tmp_path)
    vides = "déclarez-le une fois pour toutes les colonnes sous « vides » de la correspondance)"
    assert lines == [
        "export-applications.csv:2: E203: colonne « Données personnelles » : « - » n'est pas "
        "une valeur possible de « secteurs_cnil » — 5 lignes : 2, 5, 6, 8, 9 (si « - » veut "
        f"dire « vide », {vides}",
        "export-applications.csv:2: E203: colonne « Statut » : « En service » n'est pas une "
        "valeur possible de « cycle_de_vie » — 13 lignes : 2, 3, 4, 5, 6… (valeurs possibles : "
        "projet, production, convergence, a-retirer, retiree ; ou ajoutez « En service: "
        "<valeur> » sous « valeurs.cycle_de_vie » de la correspondance)",
        "export-applications.csv:2: E204: colonne « Fin de vie » : « - » n'est ni une année ni "
        f"une date — 13 lignes : 2, 3, 4, 5, 6… (si « - » veut dire « vide », {vides}",
        "export-applications.csv:3: E206: colonne « URL » : « n/a » n'est pas une adresse web "
        f"— 2 lignes : 3, 7 (si « n/a » veut dire « vide », {vides}",
        "export-applications.csv:4: E203: colonne « Hébergement » : « Cloud éditeur (SaaS) » "
        "n'est pas une valeur possible de « hebergement » — 5 lignes : 4, 6, 12, 15, 16 "
        "(valeurs possibles : datacenter, saas, delegataire, poste ; « Cloud editeur » sous "
        "valeurs.hebergement ne correspond pas : écrivez-y « Cloud éditeur (SaaS) » ; ou "
        "ajoutez « Cloud éditeur (SaaS): <valeur> » sous « valeurs.hebergement » de la "
        "correspondance)",
        "export-applications.csv:5: E206: colonne « URL » : « - » n'est pas une adresse web — "
        f"10 lignes : 5, 8, 9, 10, 11… (si « - » veut dire « vide », {vides}",
        "export-applications.csv:7: E204: colonne « Coût annuel » : « NC » n'est pas un nombre "
        f"entier (si « NC » veut dire « vide », {vides}",
        "export-applications.csv:9: E204: colonne « Coût annuel » : « - » n'est pas un nombre "
        f"entier — 2 lignes : 9, 16 (si « - » veut dire « vide », {vides}",
        "export-applications.csv:9: E206: colonne « Contact » : « - » n'est pas une adresse "
        f"électronique — 4 lignes : 9, 14, 16, 17 (si « - » veut dire « vide », {vides}",
        "export-applications.csv:18: E204: colonne « Mise en service » : « - » n'est ni une "
        f"année ni une date (si « - » veut dire « vide », {vides}",
    ]


def _csv(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "etat.csv"
    path.write_text(text, encoding="utf-8")
    return path


SMALL_MAPPING = """\
version: 1
colonnes:
  nom: Application
  couche: Couche
  hebergement: Hébergement
  url: Site
  mise_en_service: Mise en service
  description: Notes
vides: ["-", "?"]
"""


def test_row_numbers_are_the_spreadsheets_even_with_cells_on_several_lines(tmp_path: Path) -> None:
    source = _csv(
        tmp_path,
        "Application;Couche;Hébergement;Site;Mise en service;Notes\n"
        'Paie;support;datacenter;-;2016;"Première ligne\nDeuxième ligne\nTroisième"\n'
        "Courrier;support;datacenter;false;2014;-\n"
        '"Portail\nfamille";interface;saas;https://famille.example;2019-09-02;"a\n\nb"\n'
        "Cantine;Métiers;cloud;?;hier;-\n",
    )
    mapping = tmp_path / "correspondance.yaml"
    mapping.write_text(SMALL_MAPPING, encoding="utf-8")
    lines = _problems(source, mapping, tmp_path)
    # text lines 5, 9 and 10 of the file; rows 3 and 5 of the spreadsheet. Row 5 has three
    # problems, each reported in the same run.
    assert [line.split(" (")[0] for line in lines] == [
        "etat.csv:3: E206: colonne « Site » : « false » n'est pas une adresse web",
        "etat.csv:5: E203: colonne « Couche » : « Métiers » n'est pas une valeur possible de "
        "« couche »",
        "etat.csv:5: E203: colonne « Hébergement » : « cloud » n'est pas une valeur possible de "
        "« hebergement »",
        "etat.csv:5: E204: colonne « Mise en service » : « hier » n'est ni une année ni une date",
    ]
    source.write_text(
        source.read_text(encoding="utf-8")
        .replace(";false;", ";-;")
        .replace("Cantine;Métiers;cloud;?;hier;-\n", "Cantine;metier;saas;?;2020;-\n"),
        encoding="utf-8",
    )
    import_survey(source, mapping, tmp_path / "sortie")
    inventory = load_inventory(tmp_path / "sortie")
    # one organisation: no commune column, the métropole owns every application
    assert inventory.communes == {}
    assert set(inventory.owners.values()) == {"metropole"}
    portail = inventory.applications["metropole-portail-famille"]
    assert portail.name == "Portail famille"  # a name is one line: the break became a space
    assert portail.description == "a\n\nb"
    report = (tmp_path / "sortie" / REPORT_NAME).read_text(encoding="utf-8")
    assert "| nom | Application | 4 | 0 | 0 | 0 | 1 |" in report


@pytest.mark.parametrize(
    ("value", "year"),
    [
        (2012, 2012),
        (2012.0, 2012),
        ("2012", 2012),
        ("2023-07-20", 2023),
        ("2023-07-20T10:00:00", 2023),
        ("2023-07-20 10:00:00", 2023),
        ("2023-07-20T10:00:00Z", 2023),
        ("20/07/2023", 2023),
        ("20/07/23", 2023),
        ("20.07.1999", 1999),
        (dt.date(2023, 7, 20), 2023),
        (dt.datetime(2023, 7, 20, 14, 30), 2023),
    ],
)
def test_year_fields_take_a_year_or_a_date_as_text_or_cell(value: object, year: int) -> None:
    assert year_or_date(value, full_dates=False) == year
    full = year_or_date(value, full_dates=True)
    assert full == year or full == dt.date(year, 7, 20)


@pytest.mark.parametrize("value", ["31/02/2023", "2023-13-01", "vers 2010", 1890, 45127])
def test_impossible_dates_and_years_are_refused(value: object) -> None:
    with pytest.raises(RowError) as caught:
        year_or_date(value, full_dates=False)
    if value == 45127:
        assert "jours d'Excel" in caught.value.hint


def test_xlsx_date_cells_and_row_numbers_below_empty_rows(tmp_path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Feuille"
    sheet["A3"], sheet["B3"], sheet["C3"], sheet["D3"] = (
        "Application",
        "Couche",
        "Hébergement",
        "Mise en service",
    )
    sheet.append(["Paie", "support", "datacenter", dt.datetime(2016, 1, 4)])
    sheet.append([])
    sheet.append(["Courrier", "support", "datacenter", "vers 2014"])
    workbook.save(tmp_path / "etat.xlsx")
    mapping = tmp_path / "correspondance.yaml"
    mapping.write_text(
        "version: 1\nligne_entete: 3\ncolonnes:\n  nom: Application\n  couche: Couche\n"
        "  hebergement: Hébergement\n  mise_en_service: Mise en service\n",
        encoding="utf-8",
    )
    lines = _problems(tmp_path / "etat.xlsx", mapping, tmp_path)
    assert lines[0].startswith(
        "etat.xlsx:6: E204: colonne « Mise en service » : « vers 2014 » n'est ni une année"
    )


def test_translations_work_on_every_field_and_unused_ones_are_warned(tmp_path: Path) -> None:
    mapping = _mapping(
        tmp_path,
        (
            "  secteurs_cnil:\n",
            "  responsable:\n    DGSIN: Direction générale des systèmes d'information\n"
            "  cout_annuel:\n    NC: 0\n  blocs:\n    Échanges de données: Échanges et données\n"
            "  editeur:\n    Berger Levraut: Berger-Levrault\n"
            "  secteurs_cnil:\n",
        ),
        ('vides: ["-", "n/a", "?", "NC"]', 'vides: ["-", "n/a", "?"]'),
    )
    files, summary = build_survey_files(EXPORT / "export-applications.csv", mapping, tmp_path / "x")
    text = files["applications/metropole.yaml"].decode("utf-8")
    assert "responsable: Direction générale des systèmes d'information" in text
    blocs = files["referentiel/blocs.yaml"].decode("utf-8")
    assert "nom: Échanges et données" in blocs
    assert [problem.format() for problem in summary.warnings] == [
        "correspondance.yaml:62: E501: valeurs.editeur : « Berger Levraut » n'a servi à aucune "
        "ligne (vouliez-vous dire « Berger-Levrault » ? valeurs de la colonne « Éditeur » sans "
        "traduction : « Arpège », « Berger-Levrault », « Entr'ouvert », « Ciril GROUP », "
        "« Blueway »)"
    ]
    assert "Avertissements" in files[REPORT_NAME].decode("utf-8")
    billettique = [line for line in text.splitlines() if "cout_annuel: 0" in line]
    assert billettique, "« NC » translated to 0 under valeurs.cout_annuel, beating « vides »"


def test_columns_can_all_be_kept_as_free_properties(tmp_path: Path) -> None:
    mapping = _mapping(
        tmp_path, ("proprietes: [ID GLPI, Criticité, Nb utilisateurs]", "proprietes: toutes")
    )
    _files, summary = build_survey_files(
        EXPORT / "export-applications.csv", mapping, tmp_path / "x"
    )
    assert summary.unmapped == []
    assert summary.kept == [
        "ID GLPI",
        "Dernière mise à jour",
        "Criticité",
        "Nb utilisateurs",
        "Marché",
    ]
    bad = _mapping(tmp_path, ("proprietes: [ID GLPI,", "proprietes: [Numéro, Nom,"))
    lines = _problems(EXPORT / "export-applications.csv", bad, tmp_path)
    assert [line.split(" (")[0] for line in lines] == [
        "correspondance.yaml: E302: proprietes : colonne « Nom » absente de "
        "export-applications.csv, ou déjà prise par un champ",
        "correspondance.yaml: E302: proprietes : colonne « Numéro » absente de "
        "export-applications.csv, ou déjà prise par un champ",
    ]


def test_a_control_character_in_a_name_is_refused_at_its_row(tmp_path: Path) -> None:
    source = _csv(
        tmp_path,
        "Application;Couche;Hébergement;Site;Mise en service;Notes\n"
        "Paie\x1b[31m;support;datacenter;-;2016;note\x07\n",
    )
    mapping = tmp_path / "correspondance.yaml"
    mapping.write_text(SMALL_MAPPING, encoding="utf-8")
    lines = _problems(source, mapping, tmp_path)
    assert lines == [
        "etat.csv:2: E207: colonne « Application » : « Paie\\x1b[31m » contient un caractère "
        "de contrôle, ESC (U+001B) (retirez-le de la cellule : il agirait sur un terminal ou un "
        "document)"
    ]


# --- catalogues (YAML, JSON) ------------------------------------------------------------------

CATALOGUE = ROOT / "examples" / "catalogue-services"


def test_a_yaml_catalogue_imports_through_the_same_mapping(tmp_path: Path) -> None:
    summary = import_survey(
        CATALOGUE / "services.yaml", CATALOGUE / "correspondance.yaml", tmp_path / "inventaire"
    )
    inventory = load_inventory(tmp_path / "inventaire")
    assert summary.rows == len(inventory.applications) == 8
    demarches = inventory.applications["sn-001"]
    assert demarches.layer == "interface"  # publics[0]: « usagers »
    assert demarches.responsible == "Direction de la relation usager"  # porteur.direction
    assert demarches.contact == "relation.usager@mva.example"
    assert demarches.cnil_sectors == ["relations-usagers"]  # a YAML list, item by item
    assert demarches.in_service_since == dt.date(2020, 9, 14)  # a YAML date
    assert demarches.properties["logiciel.libre"] == "oui"  # a YAML boolean
    assert demarches.properties["mots_cles"] == "GRU, formulaires, rendez-vous"
    assert demarches.properties["liens[0].url"] == "https://doc.mva.example/demarches"
    assert inventory.applications["sn-003"].hub is True  # plateforme_echange: true
    assert inventory.applications["sn-004"].in_service_since == dt.date(2019, 3, 15)
    assert inventory.applications["sn-003"].in_service_since == 2022  # a year stays a year
    assert inventory.applications["sn-006"].lifecycle == "retiree"
    assert inventory.products["publik"].vendor == "entr-ouvert"
    assert summary.unmapped == []


def test_catalogue_problems_name_the_key_and_the_record_line(tmp_path: Path) -> None:
    text = (CATALOGUE / "services.yaml").read_text(encoding="utf-8")
    broken = text.replace("statut: en construction", "statut: à l'étude").replace(
        "    url: https://famille.mva.example", "    url: false"
    )
    (tmp_path / "services.yaml").write_text(broken, encoding="utf-8")
    lines = _problems(tmp_path / "services.yaml", CATALOGUE / "correspondance.yaml", tmp_path)
    record = text.splitlines().index("  - code: SN-005") + 1
    assert [line.split(" (")[0] for line in lines] == [
        f"services.yaml:{record}: E203: clé « statut » : « à l'étude » n'est pas une valeur "
        "possible de « cycle_de_vie »",
        f"services.yaml:{record}: E206: clé « url » : « non » n'est pas une adresse web",
    ]


CODE_JSON = """{
\t"version": "2.0",
\t"agency": "MVA",
\t"measurementType": {"method": "modules"},
\t"releases": [
\t\t{
\t\t\t"name": "Registre des délibérations",
\t\t\t"description": "Publication des délibérations du conseil\\u00a0métropolitain.",
\t\t\t"status": "Production",
\t\t\t"organization": "Secrétariat général",
\t\t\t"contact": {"email": "deliberations@mva.example", "name": "Service des assemblées"},
\t\t\t"permissions": {"licenses": [{"name": "EUPL-1.2", "URL": "https://eupl.eu"}]},
\t\t\t"date": {"created": "2019-03-01T00:00:00Z", "lastModified": "2025-06-02"},
\t\t\t"homepageURL": "https://deliberations.mva.example",
\t\t\t"tags": ["délibérations", "open data"],
\t\t\t"laborHours": 1200
\t\t},
\t\t{
\t\t\t"name": "Annuaire des agents",
\t\t\t"description": "Annuaire interne.",
\t\t\t"status": "Development",
\t\t\t"organization": "DGSIN",
\t\t\t"contact": {"email": "annuaire@mva.example"},
\t\t\t"permissions": {"licenses": [{"name": "AGPL-3.0"}]},
\t\t\t"date": {"created": "2026-01-15"},
\t\t\t"homepageURL": null,
\t\t\t"tags": [],
\t\t\t"laborHours": 300
\t\t}
\t]
}
"""

CODE_JSON_MAPPING = """\
version: 1
colonnes:
  nom: name
  description: description
  cycle_de_vie: status
  responsable: organization
  contact: contact.email
  mise_en_service: date.created
  url: homepageURL
defauts:
  couche: metier
  hebergement: datacenter
valeurs:
  cycle_de_vie:
    Production: production
    Development: projet
proprietes:
  - permissions.licenses[0].name
  - tags
  - laborHours
"""


def test_a_json_catalogue_indented_with_tabs_imports(tmp_path: Path) -> None:
    (tmp_path / "code.json").write_text(CODE_JSON, encoding="utf-8")
    mapping = tmp_path / "correspondance.yaml"
    mapping.write_text(CODE_JSON_MAPPING, encoding="utf-8")
    summary = import_survey(tmp_path / "code.json", mapping, tmp_path / "inventaire")
    inventory = load_inventory(tmp_path / "inventaire")
    registre = inventory.applications["metropole-registre-des-deliberations"]
    assert registre.in_service_since == dt.date(2019, 3, 1)  # « 2019-03-01T00:00:00Z »
    assert registre.contact == "deliberations@mva.example"
    assert registre.properties == {
        "permissions.licenses[0].name": "EUPL-1.2",
        "tags": "délibérations, open data",
        "laborHours": "1200",
    }
    annuaire = inventory.applications["metropole-annuaire-des-agents"]
    assert annuaire.lifecycle == "projet" and annuaire.url is None
    assert [name for name, _count in summary.unmapped] == [
        "contact.name",
        "permissions.licenses[0].URL",
        "date.lastModified",
    ]


def test_the_readme_shows_the_real_output_of_an_import(tmp_path: Path, run_cli: RunCli) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    first = _mapping(
        tmp_path,
        ("    En service: production\n", ""),
        ("    Cloud éditeur (SaaS): saas", "    Cloud editeur: saas"),
    )
    first.rename(tmp_path / "premiere-correspondance.yaml")
    source = str(EXPORT / "export-applications.xlsx")
    runs = [
        run_cli(
            "importer",
            "tableur",
            source,
            "-c",
            "premiere-correspondance.yaml",
            "-o",
            "inventaire-dsi",
            cwd=tmp_path,
        ),
        run_cli(
            "importer",
            "tableur",
            source,
            "-c",
            str(MAPPING),
            "-o",
            "inventaire-dsi",
            cwd=tmp_path,
        ),
        run_cli(
            "importer",
            "backstage",
            str(ROOT / "examples" / "backstage"),
            "-o",
            "inventaire-portail",
            "--metropole",
            "Métropole du Val d'Auve",
            cwd=tmp_path,
        ),
    ]
    assert [run.exit_code for run in runs] == [1, 0, 0]
    for run in runs:
        for line in run.stderr_lines:
            assert line in readme, line
    report = (tmp_path / "inventaire-dsi" / REPORT_NAME).read_text(encoding="utf-8")
    for line in readme.splitlines():
        if line.startswith("| cycle\\_de\\_vie | Statut |") or line.startswith("| url | URL |"):
            assert line in report

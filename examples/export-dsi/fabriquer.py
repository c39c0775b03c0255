"""Write export-applications.csv and export-applications.xlsx: an export of the applications
inventory as a DSI's asset-management tool gives it (GLPI-like columns, French words,
placeholders, dates in every form, cells on several lines).

    python examples/export-dsi/fabriquer.py

The CSV is what the tool exported (semicolons, BOM, dates as text); the XLSX is the same sheet
opened and saved in a spreadsheet program (dates became date cells, numbers numbers).
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

HERE = Path(__file__).resolve().parent

HEADER = [
    "ID GLPI", "Nom", "Entité", "Catégorie", "Domaine fonctionnel", "Éditeur", "Logiciel",
    "Version", "Hébergement", "Statut", "Mise en service", "Fin de vie", "Direction responsable",
    "Contact", "URL", "Données personnelles", "Coût annuel", "Dernière mise à jour",
    "Commentaires", "Criticité", "Nb utilisateurs", "Marché",
]
M = "Métropole du Val d'Auve"
ROWS = [
    ["1042", "Gestion financière", M, "Support / back office", "Finances", "Berger-Levrault",
     "e.magnus Gestion financière", "8.2", "Datacenter", "En service", "2016-01-01",
     "-", "Direction des finances", "dsi-finances@mva.example", "https://finances.mva.example",
     "-", "85 000 €", "2025-11-03 14:12:00",
     "Budget, mandatement, commande publique.\nMutualisée avec les communes depuis 2016.",
     "Haute", "240", "2015-114"],
    ["1043", "Paie et carrière", M, "Support / back office", "Ressources humaines",
     "Ciril GROUP", "Civil Net RH", "n/a", "Datacenter", "En service", "01/01/2018", "-",
     "Direction des ressources humaines", "drh@mva.example", "n/a", "Social", "62 000 €",
     "2025-10-17 09:40:00", "Paie des agents de la métropole et de quatre communes.", "Haute",
     "95", "2017-021"],
    ["1051", "GRU — relation usager", M, "Front office", "Demandes usagers", "Entr'ouvert",
     "Publik", "2024", "Cloud éditeur (SaaS)", "En service", "2020-09-14T00:00:00", "-",
     "Direction de la relation usager", "relation.usager@mva.example",
     "https://demarches.mva.example", "Usagers", "48 000 €", "2025-11-20 16:05:00",
     "Guichet unique des demandes.\nRemplace les formulaires des communes.", "Haute", "1 800",
     "2019-077"],
    ["1052", "Plateforme d'échange", M, "Support / back office", "Échanges de données",
     "Blueway", "Phoenix ESB", "7", "Datacenter", "En service", "2022", "-", "DGSIN",
     "integration@mva.example", "-", "-", "30 000 €", "2025-09-02 11:00:00",
     "Pot commun central : redistribue les données entre applications.", "Haute", "?", "-"],
    ["1060", "Portail open data", M, "Front office", "Échanges de données", "Opendatasoft",
     "Opendatasoft", "?", "Cloud éditeur (SaaS)", "En service", "15/03/2019", "-", "DGSIN",
     "opendata@mva.example", "https://data.mva.example", "-", "18 000 €", "2025-06-30 10:00:00",
     "", "Moyenne", "?", "2018-140"],
    ["1071", "Billettique réseau de bus", M, "Métier", "Mobilité", "Transdev",
     "Billettique Transdev", "NC", "Délégataire", "En service", "2015-07-01", "2030-12-31",
     "Direction des mobilités", "mobilites@mva.example", "n/a", "Transport", "NC",
     "2025-03-12 08:30:00", "Exploitée par le délégataire de transport.", "Haute", "NC", "DSP"],
    ["1080", "Gestion du courrier", M, "Support / back office", "Courrier", "Maarch",
     "Maarch Courrier", "21.03", "Datacenter", "En service", "2014", "-", "Secrétariat général",
     "courrier@mva.example", "-", "-", "9 500 €", "2024-12-02 15:20:00", "", "Moyenne", "130",
     "2013-088"],
    ["1081", "Ancien logiciel de courrier", M, "Support / back office", "Courrier", "-", "-",
     "-", "Datacenter", "Arrêté", "2004", "2014-06-30", "Secrétariat général", "-", "-", "-",
     "-", "2014-07-01 00:00:00", "Remplacé par Maarch en 2014 ;\ndonnées archivées.", "Basse",
     "0", "-"],
    ["2001", "État civil", "Ville de Montval", "Métier", "État civil", "Arpège", "Mélodie",
     "5.2", "Datacenter", "En service", "2012", "-", "Service population",
     "etat-civil@montval.example", "-", "État civil", "4 200 €", "2025-01-15 09:00:00", "",
     "Haute", "6", "-"],
    ["2002", "Élections", "Ville de Montval", "Métier", "Élections", "Arpège", "Adagio",
     "4.1", "Datacenter", "En service", "2012", "-", "Service population",
     "elections@montval.example", "-", "État civil", "2 100 €", "2025-01-15 09:00:00", "",
     "Moyenne", "3", "-"],
    ["2003", "Cantine et périscolaire", "Ville de Montval", "Front office", "Périscolaire",
     "Arpège", "Concerto", "6", "Cloud éditeur (SaaS)", "Fin de vie programmée", "2013",
     "2026-08-31", "Service éducation", "education@montval.example",
     "https://famille.montval.example", "Scolaire", "7 800 €", "2025-05-05 13:45:00",
     "À remplacer par l'espace famille mutualisé\n(rentrée 2026).", "Haute", "12", "-"],
    ["2004", "Police municipale", "Ville de Montval", "Métier", "Police municipale", "Logitud",
     "Municipol", "3.8", "Poste de travail", "En service", "01/06/2017", "-",
     "Police municipale", "police@montval.example", "-", "Police", "3 400 €",
     "2025-02-11 10:10:00", "", "Haute", "9", "-"],
    ["3001", "État civil", "Saint-Aubin", "Métier", "État civil", "Berger-Levrault",
     "BL.état-civil", "?", "Datacenter", "En service", "2010", "-", "Accueil", "-", "-",
     "État civil", "2 800 €", "2024-09-09 09:09:00", "", "Haute", "2", "-"],
    ["3002", "Portail famille", "Saint-Aubin", "Front office", "Périscolaire", "Arpège",
     "Concerto", "6", "Cloud éditeur (SaaS)", "En service", "2019-09-02", "-",
     "Service enfance", "enfance@saint-aubin.example", "https://famille.saint-aubin.example",
     "Scolaire", "3 900 €", "2025-08-25 08:00:00", "", "Moyenne", "4", "-"],
    ["3003", "Signalements", "Saint-Aubin", "Front office", "Signalements", "Entr'ouvert",
     "Publik", "2024", "Cloud éditeur (SaaS)", "Arrêté", "2018", "2021-12-31",
     "Services techniques", "-", "-", "Usagers", "-", "2022-01-04 12:00:00",
     "Abandonné en 2021 :\nles agents se sentaient surveillés.", "Basse", "0", "-"],
    ["4001", "Gestion des cimetières", "Les Prés", "Métier", "Cimetières", "Gescime",
     "Gescime", "?", "Poste de travail", "En service", "2011", "-", "Accueil", "-", "-",
     "État civil", "900 €", "2023-03-03 09:00:00", "", "Basse", "1", "-"],
    ["4002", "Urbanisme", "Les Prés", "Métier", "Urbanisme", "Operis", "Oxalis", "?",
     "Datacenter", "En projet", "-", "-", "Urbanisme", "urbanisme@lespres.example", "-",
     "Urbanisme", "5 000 €", "2025-11-28 17:30:00", "Déploiement prévu en 2026.", "Moyenne",
     "?", "2025-031"],
]
# In the spreadsheet program, these columns became real cells.
DATES = {"Mise en service", "Fin de vie", "Dernière mise à jour"}


def _as_cell(column: str, text: str) -> object:
    if column in DATES:
        for pattern in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d", "%d/%m/%Y"):
            try:
                return dt.datetime.strptime(text, pattern)
            except ValueError:
                continue
        return int(text) if re.fullmatch(r"\d{4}", text) else text
    if column == "Nb utilisateurs" and re.fullmatch(r"[\d ]+", text):
        return int(text.replace(" ", ""))
    return text or None


def main() -> None:
    with (HERE / "export-applications.csv").open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
        writer.writerow(HEADER)
        writer.writerows(ROWS)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Logiciels"
    sheet.append(HEADER)
    for row in ROWS:
        sheet.append([_as_cell(column, text) for column, text in zip(HEADER, row, strict=True)])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, dt.datetime):
                cell.number_format = "DD/MM/YYYY" if cell.value.time() == dt.time() else (
                    "DD/MM/YYYY HH:MM"
                )
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    workbook.save(HERE / "export-applications.xlsx")


if __name__ == "__main__":
    main()

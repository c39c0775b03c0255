"""What applications a commune runs: the core functions every commune of a given size has (with
the products that serve them, by size of commune), and the long tail of small tools that makes a
ville centre reach three hundred applications.

Communes come in four sizes (``Size``): the ville centre, large communes (25–45,000
inhabitants), medium ones, and small ones whose secrétariat de mairie does everything. A core
function says how likely each size is to have it and which products each size tends to buy; the
long tail says, per bloc, which tools exist and how common they are:

- level 3: any commune has it (the workbook of room bookings, the register of arrêtés);
- level 2: a medium or large commune has it;
- level 1: only a large city has it (the fourrière, the crematorium, the musée).

Tail tools are what real inventories are made of: an Access base on a shared drive (``acc``),
an Excel workbook (``xls``), an in-house WinDev application (``wd``), an in-house web
application (``web``), a SaaS a department subscribed to on its own (``saas``), or a named
product (``p:<product>``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Size = Literal["centre", "grande", "moyenne", "petite"]
SIZES: tuple[Size, ...] = ("centre", "grande", "moyenne", "petite")

# Product id (None: developed in-house) and its weight in the draw.
Choice = tuple[str | None, int]


@dataclass(frozen=True)
class CoreFunction:
    key: str  # the id suffix of the application (``<commune code>-<key>``)
    name: str
    blocks: tuple[str, ...]
    presence: tuple[float, float, float, float]  # by size: centre, grande, moyenne, petite
    products: tuple[tuple[Choice, ...], ...]  # by size, same order
    since: tuple[int, int] = (2008, 2021)  # range of the year it went live
    # What the function produces and consumes, when it is not everything its bloc does (the
    # bloc Proximité holds the police, which reads requests, and the cameras, which do not).
    produces: tuple[str, ...] | None = None
    consumes: tuple[str, ...] | None = None


def _same(*choices: Choice) -> tuple[tuple[Choice, ...], ...]:
    return (choices, choices, choices, choices)


CORE_FUNCTIONS: tuple[CoreFunction, ...] = (
    CoreFunction(
        "etat-civil", "État civil", ("etat-civil",), (1, 1, 1, 1),
        (
            (("arpege-melodie", 1),),
            (("arpege-melodie", 2), ("logitud-siecle", 1)),
            (("arpege-melodie", 1), ("logitud-siecle", 1)),
            (("jvs-horizon-etat-civil", 3), ("arpege-melodie", 1)),
        ),
        (2004, 2018),
    ),
    CoreFunction(
        "elections", "Élections", ("elections",), (1, 1, 1, 1),
        (
            (("arpege-adagio", 1),),
            (("openmairie-openelec", 1), ("arpege-adagio", 1)),
            (("openmairie-openelec", 1), ("arpege-adagio", 1)),
            (("jvs-horizon-elections", 2), ("openmairie-openelec", 1)),
        ),
        (2006, 2019),
        # The electoral rolls come back from the Insee's REU (since 2019).
        consumes=("avis-deces", "referentiel-adresses", "electeur"),
    ),
    CoreFunction(
        "cimetieres", "Cimetières", ("cimetieres",), (1, 1, 1, 0.75),
        (
            (("arpege-requiem", 1),),
            (("openmairie-opencimetiere", 1), ("gescime", 1), ("arpege-requiem", 1)),
            (("openmairie-opencimetiere", 1), ("gescime", 1)),
            (("gescime", 1), ("microsoft-access", 2)),
        ),
        (2007, 2022),
    ),
    CoreFunction(
        "ccas", "Action sociale du CCAS", ("action-sociale",), (1, 1, 1, 0.6),
        (
            (("arche-mc2-millesime", 1),),
            (("arche-mc2-millesime", 3), (None, 1)),
            (("arche-mc2-millesime", 1), ("microsoft-access", 1)),
            (("microsoft-excel", 2), ("microsoft-access", 1)),
        ),
        (2009, 2021),
    ),
    CoreFunction(
        "mediatheque", "Médiathèque", ("bibliotheques",), (1, 1, 1, 0.6),
        (
            (("decalog-paprika", 1),),
            (("biblibre-koha", 2), ("decalog-paprika", 1), ("c3rb-orphee", 1)),
            (("biblibre-koha", 1), ("c3rb-orphee", 1)),
            (("c3rb-orphee", 1), ("biblibre-koha", 1)),
        ),
        (2005, 2020),
    ),
    CoreFunction(
        "conservatoire", "Enseignement artistique", ("culture",), (1, 1, 0.5, 0),
        _same(("duonet", 1)),
        (2012, 2022),
    ),
    CoreFunction(
        "site-internet", "Site internet", ("site-internet",), (1, 1, 1, 1),
        (
            (("drupal", 1),),
            (("wordpress", 2), ("drupal", 1)),
            (("wordpress", 1),),
            (("wordpress", 1),),
        ),
        (2014, 2024),
    ),
    CoreFunction(
        "police-municipale", "Police municipale", ("proximite",), (1, 1, 1, 0.7),
        _same(("edicia-smart-police", 1), ("logitud-municipol", 1)),
        (2010, 2023),
        produces=("main-courante", "proces-verbal"),
        consumes=("signalement", "demande-usager", "referentiel-adresses", "permis-occupation",
                  "images-video", "main-courante"),
    ),
    CoreFunction(
        "videoprotection", "Vidéoprotection", ("proximite",), (1, 1, 0.5, 0.35),
        _same(("genetec-security-center", 1), ("milestone-xprotect", 1)),
        (2011, 2023),
        produces=("images-video",),
        consumes=("referentiel-adresses",),
    ),
    CoreFunction(
        "voirie", "Arrêtés et permissions de voirie", ("domaine-public",), (1, 1, 0.5, 0),
        _same((None, 2), ("microsoft-access", 1)),
        (2008, 2020),
    ),
    CoreFunction(
        "flotte", "Gestion de la flotte automobile", ("flotte-logistique",), (1, 1, 0.5, 0),
        _same(("pc-soft-windev", 1), ("microsoft-access", 1), (None, 1)),
        (2006, 2019),
    ),
    CoreFunction(
        "horodateurs", "Horodateurs et stationnement payant", ("stationnement",), (0, 0.7, 0, 0),
        _same(("flowbird-horodateurs", 1)),
        (2016, 2022),
    ),
)

# The enfance-famille suites: the management application (scolaire + périscolaire, and petite
# enfance in the smaller communes) and its family portal come from the same vendor.
ENFANCE_SUITES: tuple[tuple[str, str, int], ...] = (
    ("arpege-concerto", "arpege-espace-citoyens", 3),
    ("aiga-inoe", "aiga-inoe-portail", 2),
    ("abelium-domino", "abelium-domino-web", 2),
)

# A ville centre buys an enterprise GMAO per direction, a village follows its interventions in
# an Access base or a light SaaS.
GMAO_PRODUCTS: dict[Size, tuple[Choice, ...]] = {
    "centre": (("bl-atal", 3), ("carl-source", 2), ("siveco-coswin", 2), ("kimoce", 1)),
    "grande": (("bl-atal", 3), ("carl-source", 2), ("siveco-coswin", 2), ("kimoce", 2)),
    "moyenne": (("kimoce", 2), ("bl-atal", 2), ("microsoft-access", 1)),
    "petite": (("microsoft-access", 3), ("kimoce", 2), ("bl-atal", 1)),
}

# GMAO instances by size: a ville centre runs one per technical direction.
GMAO_INSTANCES: dict[Size, tuple[tuple[str, str], ...]] = {
    "centre": (
        ("gmao-batiments", "GMAO des bâtiments"),
        ("gmao-eclairage", "GMAO de l'éclairage public"),
        ("gmao-voirie", "GMAO de la voirie et des réseaux"),
        ("gmao-espaces-verts", "GMAO des espaces verts et des aires de jeux"),
    ),
    "grande": (
        ("gmao-batiments", "GMAO des bâtiments"),
        ("gmao-eclairage", "GMAO de l'éclairage public"),
    ),
    "moyenne": (("gmao", "GMAO des services techniques"),),
    "petite": (("gmao", "Suivi des interventions des services techniques"),),
}

# --- the long tail -------------------------------------------------------------------------

TailTool = tuple[str, int, str]  # name, level (3 common … 1 large cities only), kind

TAIL_TOOLS: dict[str, tuple[TailTool, ...]] = {
    "gru": (
        ("Registre des réclamations", 3, "xls"),
        ("Suivi des sollicitations des élus de quartier", 2, "web"),
        ("Enquêtes de satisfaction des usagers", 2, "saas"),
        ("Allô Mairie — plateforme téléphonique", 1, "web"),
        ("Main courante de l'accueil de l'hôtel de ville", 1, "acc"),
        ("Conseils de quartier — suivi des demandes", 1, "web"),
        ("Médiation et conciliation — dossiers", 1, "acc"),
    ),
    "accueil-physique": (
        ("Gestion de la file d'attente de l'accueil", 2, "web"),
        ("Objets trouvés", 2, "acc"),
        ("Attestations d'accueil des étrangers", 2, "acc"),
        ("Planning des agents d'accueil", 2, "xls"),
        ("Annuaire des permanences (avocats, conciliateurs)", 3, "xls"),
        ("Légalisations de signature", 2, "acc"),
        ("Bornes d'accueil des mairies annexes", 1, "web"),
    ),
    "portail-citoyen": (
        ("Formulaires en ligne hors portail", 2, "saas"),
        ("Inscriptions en ligne aux animations seniors", 1, "saas"),
        ("Portail des associations", 1, "web"),
        ("Pré-inscriptions aux stages sportifs", 1, "saas"),
        ("Budget participatif — plateforme de vote", 1, "saas"),
        ("Consultations citoyennes en ligne", 2, "saas"),
    ),
    "paiement-en-ligne": (
        ("Terminaux de paiement des régies", 2, "web"),
        ("Suivi des encaissements de la régie de recettes", 3, "xls"),
        ("Billetterie en ligne des musées", 1, "saas"),
        ("Rapprochement des paiements en ligne", 1, "acc"),
    ),
    "site-internet": (
        ("Site de l'office de tourisme", 1, "saas"),
        ("Agenda des manifestations", 2, "web"),
        ("Lettre d'information électronique", 2, "saas"),
        ("Site du conservatoire", 1, "p:wordpress"),
        ("Intranet des agents", 2, "p:wordpress"),
        ("Panneaux d'information lumineux", 2, "web"),
        ("Publication sur les réseaux sociaux", 2, "saas"),
        ("Photothèque de la communication", 1, "web"),
        ("Magazine municipal — abonnés", 1, "acc"),
    ),
    "etat-civil": (
        ("Numérisation des registres d'état civil", 1, "web"),
        ("Dossiers de mariage et de PACS", 2, "acc"),
        ("Registre des mentions marginales", 3, "xls"),
        ("Tables décennales", 2, "acc"),
        ("Parrainages civils", 1, "xls"),
        ("Livrets de famille — duplicatas", 1, "acc"),
        ("Statistiques de l'état civil", 2, "xls"),
    ),
    "elections": (
        ("Bureaux de vote — assesseurs et présidents", 3, "xls"),
        ("Convocations des assesseurs", 2, "acc"),
        ("Recensement citoyen obligatoire", 2, "acc"),
        ("Registre des procurations", 2, "xls"),
        ("Jurés d'assises — tirage au sort", 2, "xls"),
        ("Cartographie des bureaux de vote", 1, "web"),
        ("Recensement de la population — agents recenseurs", 2, "xls"),
    ),
    "cimetieres": (
        ("Plans des cimetières", 3, "xls"),
        ("Registre des inhumations", 2, "acc"),
        ("Reprises de concessions", 1, "acc"),
        ("Crématorium — planning", 1, "web"),
        ("Jardin du souvenir — dispersions", 2, "xls"),
    ),
    "scolaire": (
        ("Carte scolaire — sectorisation", 2, "web"),
        ("Dérogations scolaires", 2, "acc"),
        ("Effectifs et prévisions scolaires", 2, "xls"),
        ("Planning des ATSEM", 1, "xls"),
        ("Classes de découverte", 1, "acc"),
        ("Transport scolaire — inscriptions", 2, "acc"),
        ("Fournitures scolaires — commandes des écoles", 2, "xls"),
        ("Projet éducatif territorial — activités", 1, "xls"),
    ),
    "periscolaire": (
        ("Pointage des présences périscolaires sur tablette", 2, "saas"),
        ("Menus et commandes de repas", 2, "xls"),
        ("Allergies et projets d'accueil individualisés", 2, "acc"),
        ("Centres de loisirs — planning des animateurs", 2, "xls"),
        ("Séjours de vacances — inscriptions", 1, "acc"),
        ("Études surveillées", 1, "xls"),
        ("Conseil municipal des enfants", 1, "acc"),
        ("Aide aux devoirs — inscriptions", 1, "xls"),
    ),
    "petite-enfance": (
        ("Relais petite enfance — assistantes maternelles", 2, "acc"),
        ("Commission d'attribution des places en crèche", 1, "xls"),
        ("Lieu d'accueil enfants-parents — fréquentation", 1, "xls"),
        ("Dossiers médicaux des crèches", 1, "acc"),
        ("Badgeuse des crèches", 1, "saas"),
    ),
    "action-sociale": (
        ("Domiciliation des personnes sans domicile stable", 2, "acc"),
        ("Aides facultatives — commission permanente", 2, "xls"),
        ("Registre des personnes vulnérables (canicule)", 3, "xls"),
        ("Portage de repas à domicile", 2, "acc"),
        ("Téléassistance — abonnés", 2, "saas"),
        ("Épicerie sociale — passages", 1, "acc"),
        ("Analyse des besoins sociaux", 1, "xls"),
        ("Demandes de logement social — suivi communal", 1, "web"),
        ("Aide à domicile — planification des intervenants", 1, "saas"),
        ("Colis de Noël des aînés", 3, "xls"),
        ("Repas des aînés — inscriptions", 3, "xls"),
    ),
    "bibliotheques": (
        ("Portail de la médiathèque", 1, "p:archimed-syracuse"),
        ("Ressources numériques (presse, vidéo à la demande)", 2, "saas"),
        ("Automates de prêt", 1, "web"),
        ("Portage de livres à domicile", 1, "xls"),
        ("Réservation des postes multimédia", 2, "p:affluences"),
        ("Fonds patrimonial — numérisation", 1, "web"),
    ),
    "culture": (
        ("Billetterie de la saison culturelle", 2, "p:weezevent"),
        ("Inventaire des collections du musée", 1, "web"),
        ("Location des salles de spectacle", 1, "acc"),
        ("Fêtes et cérémonies — logistique", 2, "xls"),
        ("Jumelages — contacts", 2, "xls"),
        ("Cinéma municipal — programmation", 1, "saas"),
        ("École d'arts plastiques — inscriptions", 1, "acc"),
        ("Œuvres d'art dans l'espace public", 1, "xls"),
    ),
    "sport-vie-associative": (
        ("Planning des équipements sportifs", 3, "xls"),
        ("Subventions aux associations", 3, "acc"),
        ("Annuaire des associations", 3, "xls"),
        ("Piscine — caisse et contrôle d'accès", 1, "web"),
        ("École municipale des sports — inscriptions", 1, "acc"),
        ("Forum des associations", 2, "xls"),
        ("Prêt de minibus aux associations", 2, "xls"),
        ("Maison des associations — domiciliations", 1, "acc"),
    ),
    "urbanisme": (
        ("Déclarations d'intention d'aliéner", 2, "acc"),
        ("Certificats d'urbanisme — suivi", 2, "xls"),
        ("Enseignes et publicité extérieure", 2, "acc"),
        ("Numérotage des voies", 2, "xls"),
        ("Contentieux de l'urbanisme", 1, "acc"),
        ("Suivi des procédures du PLU", 1, "xls"),
        ("Aides au ravalement de façades", 1, "acc"),
        ("Conformité des travaux — visites", 1, "web"),
    ),
    "sig": (
        ("SIG bureautique", 2, "p:qgis"),
        ("Visionneuse cartographique des agents", 1, "web"),
        ("Plans topographiques et récolements", 1, "web"),
        ("Cartographie des réseaux d'éclairage", 1, "web"),
        ("Base adresse locale — saisie", 2, "web"),
    ),
    "economie-commerce": (
        ("Droits de place des marchés", 2, "acc"),
        ("Foires et brocantes — emplacements", 2, "xls"),
        ("Licences de débit de boissons", 2, "acc"),
        ("Observatoire des locaux commerciaux vacants", 1, "xls"),
        ("Taxe de séjour — déclarations des hébergeurs", 1, "saas"),
        ("Terrasses — autorisations et redevances", 2, "acc"),
        ("Aides aux commerçants", 1, "xls"),
        ("Ouvertures dominicales — dérogations", 2, "xls"),
    ),
    "proximite": (
        ("Fourrière automobile", 1, "web"),
        ("Opération tranquillité vacances", 2, "xls"),
        ("Chiens dangereux — permis de détention", 2, "acc"),
        ("Armement des agents — registre", 2, "xls"),
        ("Centre de supervision urbaine — main courante", 1, "web"),
        ("Radios des patrouilles — parc", 1, "xls"),
        ("Médiateurs de nuit — rapports", 1, "acc"),
        ("Objets trouvés de la police municipale", 2, "acc"),
    ),
    "domaine-public": (
        ("Arrêtés de circulation et de stationnement", 3, "acc"),
        ("Déclarations de travaux des concessionnaires (DT-DICT)", 2, "saas"),
        ("Coordination des chantiers", 1, "web"),
        ("Réservations de stationnement pour déménagement", 2, "xls"),
        ("Affichage libre et panneaux", 1, "xls"),
    ),
    "prevention-risques": (
        ("Plan communal de sauvegarde", 3, "xls"),
        ("Commission de sécurité des ERP", 2, "acc"),
        ("Alerte à la population par appels en masse", 2, "saas"),
        ("Défense extérieure contre l'incendie — poteaux", 2, "web"),
        ("Arrêtés de péril", 1, "acc"),
        ("Registre des établissements recevant du public", 2, "xls"),
    ),
    "transport": (
        ("Navette municipale — horaires", 2, "xls"),
        ("Transport à la demande des seniors", 1, "acc"),
        ("Plan de mobilité des agents", 1, "xls"),
    ),
    "stationnement": (
        ("Cartes de stationnement résidentiel", 1, "acc"),
        ("Zones bleues — contrôles", 2, "xls"),
        ("Places réservées aux personnes handicapées", 2, "xls"),
        ("Abonnements des parkings municipaux", 1, "acc"),
    ),
    "proprete-dechets": (
        ("Tournées de balayage", 2, "xls"),
        ("Dépôts sauvages — suivi", 2, "acc"),
        ("Encombrants — rendez-vous", 2, "web"),
        ("Tags et graffitis — interventions", 1, "acc"),
        ("Composteurs — distribution", 2, "xls"),
        ("Corbeilles de rue — inventaire", 1, "xls"),
    ),
    "espaces-verts": (
        ("Patrimoine arboré", 2, "web"),
        ("Jardins familiaux — attributions", 2, "acc"),
        ("Arrosage automatique — pilotage", 1, "web"),
        ("Fleurissement — plans de massifs", 2, "xls"),
        ("Serres municipales — production", 1, "acc"),
        ("Aires de jeux — contrôles", 2, "xls"),
    ),
    "finances": (
        ("Prospective financière", 2, "xls"),
        ("Gestion de la dette", 2, "saas"),
        ("Subventions reçues — suivi", 2, "xls"),
        ("Inventaire des immobilisations", 1, "acc"),
        ("Régie d'avances — suivi", 3, "xls"),
        ("Analyse financière rétrospective", 1, "xls"),
    ),
    "commande-publique": (
        ("Tableau de suivi des marchés", 3, "xls"),
        ("Recensement des besoins d'achat", 2, "xls"),
        ("Achats hors marchés — suivi des seuils", 2, "acc"),
        ("Clauses sociales — suivi des heures d'insertion", 1, "xls"),
    ),
    "paie-carriere": (
        ("Effectifs et masse salariale", 2, "xls"),
        ("Médailles du travail", 2, "xls"),
        ("Entretiens professionnels annuels", 1, "saas"),
        ("Recrutement — candidatures", 1, "saas"),
        ("Stagiaires et apprentis", 2, "xls"),
        ("Médecine préventive — convocations", 1, "acc"),
        ("Plan de formation", 2, "xls"),
        ("Action sociale des agents", 2, "xls"),
        ("Élections professionnelles", 1, "xls"),
    ),
    "temps-activites": (
        ("Plannings des services techniques", 2, "xls"),
        ("Astreintes — planning et indemnités", 2, "xls"),
        ("Heures supplémentaires — validation", 2, "acc"),
        ("Congés des agents", 3, "xls"),
        ("Badgeuse de l'hôtel de ville", 1, "web"),
    ),
    "patrimoine-bati": (
        ("Suivi des consommations d'énergie", 2, "saas"),
        ("Diagnostics amiante et plomb", 2, "acc"),
        ("Contrôles réglementaires des bâtiments", 2, "xls"),
        ("Clés et badges — registre", 3, "xls"),
        ("Plans des bâtiments", 1, "web"),
        ("Accessibilité des bâtiments — agenda", 2, "xls"),
        ("Baux et conventions d'occupation", 2, "acc"),
        ("Assurances — sinistres", 2, "acc"),
    ),
    "flotte-logistique": (
        ("Cartes carburant — consommations", 2, "xls"),
        ("Magasin du centre technique — stocks", 2, "wd"),
        ("Prêt de matériel festif", 3, "xls"),
        ("Atelier mécanique — réparations", 1, "wd"),
        ("Vêtements de travail — dotations", 2, "xls"),
    ),
    "reservation-salles": (
        ("Réservation des salles municipales", 3, "xls"),
        ("Réservation des salles de réunion", 2, "web"),
        ("Location de la salle des fêtes", 3, "acc"),
        ("Véhicules de pool — réservations", 2, "web"),
    ),
    "courrier-ged": (
        ("Registre du courrier", 3, "xls"),
        ("Parapheur papier — suivi", 2, "acc"),
        ("GED des services techniques", 1, "web"),
        ("Numérisation du courrier entrant", 1, "web"),
        ("Courriers des élus — suivi", 2, "acc"),
    ),
    "assemblees": (
        ("Registre des arrêtés du maire", 3, "acc"),
        ("Registre des délibérations", 3, "xls"),
        ("Indemnités et formations des élus", 2, "xls"),
        ("Commissions municipales — convocations", 2, "acc"),
        ("Diffusion des séances du conseil municipal", 1, "saas"),
        ("Vote électronique en séance", 1, "saas"),
    ),
    "archives": (
        ("Archives papier — récolement et communications", 1, "p:naoned-mnesys"),
        ("Bordereaux de versement", 2, "xls"),
        ("Salle de lecture des archives — lecteurs", 1, "acc"),
        ("Éliminations réglementaires", 2, "xls"),
    ),
    "decisionnel": (
        ("Tableau de bord de la direction générale", 2, "xls"),
        ("Observatoire fiscal", 1, "saas"),
        ("Contrôle de gestion — indicateurs", 1, "acc"),
        ("Rapport d'activité annuel", 2, "xls"),
        ("Plan pluriannuel d'investissement", 2, "xls"),
    ),
    "identite-annuaires": (
        ("Annuaire téléphonique interne", 3, "xls"),
        ("Organigramme des services", 2, "xls"),
        ("Habilitations aux applications métier", 1, "web"),
    ),
    "collaboration": (
        ("Visioconférence", 2, "saas"),
        ("Partage de fichiers avec les partenaires", 2, "saas"),
        ("Sondages en ligne", 2, "saas"),
        ("Création graphique en ligne", 2, "saas"),
        ("Gestion de projets de la direction", 1, "saas"),
    ),
    "exploitation": (
        ("Inventaire du parc informatique de la mairie", 3, "xls"),
        ("Parc de téléphonie mobile", 2, "xls"),
        ("Sauvegarde du serveur de la mairie", 3, "web"),
        ("Salles équipées et vidéoprojecteurs", 1, "xls"),
        ("Copieurs — suivi des impressions", 2, "saas"),
    ),
}

# A ville centre's directions each keep their own workbooks and bases for the same chores: the
# sprawl that makes one function appear many times in one commune's portfolio.
DIRECTION_TOOLS: tuple[tuple[str, str, str], ...] = (
    # name pattern, bloc, kind
    ("Tableau de bord de la {d}", "decisionnel", "xls"),
    ("Plannings des agents de la {d}", "temps-activites", "xls"),
    ("Suivi budgétaire de la {d}", "finances", "xls"),
    ("Registre du courrier de la {d}", "courrier-ged", "acc"),
    ("Suivi des marchés de la {d}", "commande-publique", "xls"),
)

# What each tool of the long tail exchanges: (data it produces, data it reads), by tool name
# (or name pattern for the directions' tools). A tool not listed exchanges nothing but the
# shared referentials it may read (``REFERENTIAL_NEEDS``): most workbooks live alone. Declared
# tool by tool because a bloc's data is not every tool's — the register of the police's weapons
# reads no citizen requests, the photo library feeds no agenda.
ToolData = tuple[tuple[str, ...], tuple[str, ...]]
TOOL_DATA: dict[str, ToolData] = {
    # gru
    "Registre des réclamations": (("demande-usager",), ()),
    "Suivi des sollicitations des élus de quartier": (("demande-usager",), ("elu",)),
    "Enquêtes de satisfaction des usagers": ((), ("compte-usager",)),
    "Allô Mairie — plateforme téléphonique": (
        ("demande-usager", "demande-intervention"), ("compte-usager",)
    ),
    "Main courante de l'accueil de l'hôtel de ville": (("demande-usager",), ()),
    "Conseils de quartier — suivi des demandes": (("demande-intervention",), ()),
    "Médiation et conciliation — dossiers": ((), ("demande-usager",)),
    # accueil-physique
    "Gestion de la file d'attente de l'accueil": ((), ("rendez-vous",)),
    "Planning des agents d'accueil": ((), ("temps-agent",)),
    "Bornes d'accueil des mairies annexes": (("rendez-vous",), ()),
    # portail-citoyen
    "Formulaires en ligne hors portail": (("demande-usager",), ()),
    "Inscriptions en ligne aux animations seniors": ((), ("compte-usager",)),
    "Portail des associations": ((), ("reservation-equipement", "subvention")),
    "Pré-inscriptions aux stages sportifs": ((), ("compte-usager",)),
    "Budget participatif — plateforme de vote": ((), ("compte-usager",)),
    "Consultations citoyennes en ligne": ((), ("compte-usager",)),
    # paiement-en-ligne
    "Terminaux de paiement des régies": (("paiement",), ()),
    "Suivi des encaissements de la régie de recettes": ((), ("paiement", "facture-famille")),
    "Billetterie en ligne des musées": (("paiement",), ()),
    "Rapprochement des paiements en ligne": ((), ("paiement",)),
    # site-internet
    "Site de l'office de tourisme": ((), ("evenement-agenda",)),
    "Agenda des manifestations": (("evenement-agenda",), ()),
    "Lettre d'information électronique": ((), ("evenement-agenda",)),
    "Site du conservatoire": ((), ("evenement-agenda",)),
    "Panneaux d'information lumineux": ((), ("evenement-agenda",)),
    "Publication sur les réseaux sociaux": ((), ("evenement-agenda",)),
    # etat-civil
    "Numérisation des registres d'état civil": ((), ("acte-etat-civil",)),
    "Dossiers de mariage et de PACS": ((), ("acte-etat-civil",)),
    "Registre des mentions marginales": ((), ("acte-etat-civil",)),
    "Tables décennales": ((), ("acte-etat-civil",)),
    "Parrainages civils": ((), ("acte-etat-civil",)),
    "Livrets de famille — duplicatas": ((), ("acte-etat-civil",)),
    "Statistiques de l'état civil": ((), ("acte-etat-civil",)),
    # elections
    "Bureaux de vote — assesseurs et présidents": ((), ("electeur",)),
    "Convocations des assesseurs": ((), ("electeur",)),
    "Recensement citoyen obligatoire": (("recensement-citoyen",), ()),
    "Registre des procurations": ((), ("electeur",)),
    "Jurés d'assises — tirage au sort": ((), ("electeur",)),
    "Cartographie des bureaux de vote": ((), ("couche-sig",)),
    # cimetieres
    "Plans des cimetières": ((), ("concession-funeraire",)),
    "Registre des inhumations": ((), ("avis-deces",)),
    "Reprises de concessions": ((), ("concession-funeraire",)),
    "Crématorium — planning": ((), ("avis-deces",)),
    "Jardin du souvenir — dispersions": ((), ("avis-deces",)),
    # scolaire
    "Carte scolaire — sectorisation": ((), ("inscription-scolaire",)),
    "Dérogations scolaires": ((), ("inscription-scolaire",)),
    "Effectifs et prévisions scolaires": ((), ("inscription-scolaire",)),
    "Planning des ATSEM": ((), ("temps-agent",)),
    "Classes de découverte": ((), ("inscription-scolaire",)),
    "Transport scolaire — inscriptions": ((), ("inscription-scolaire",)),
    "Fournitures scolaires — commandes des écoles": (("bon-de-commande",), ()),
    "Projet éducatif territorial — activités": ((), ("inscription-scolaire",)),
    # periscolaire
    "Pointage des présences périscolaires sur tablette": (
        ("reservation-periscolaire",), ("dossier-famille",)
    ),
    "Menus et commandes de repas": ((), ("reservation-periscolaire",)),
    "Allergies et projets d'accueil individualisés": (("fiche-sanitaire",), ()),
    "Centres de loisirs — planning des animateurs": ((), ("reservation-periscolaire",)),
    "Séjours de vacances — inscriptions": ((), ("dossier-famille", "quotient-familial")),
    "Études surveillées": ((), ("dossier-famille",)),
    "Conseil municipal des enfants": ((), ("inscription-scolaire",)),
    "Aide aux devoirs — inscriptions": ((), ("dossier-famille",)),
    # petite-enfance
    "Commission d'attribution des places en crèche": ((), ("demande-place-creche",)),
    "Dossiers médicaux des crèches": (("fiche-sanitaire",), ()),
    "Badgeuse des crèches": ((), ("dossier-famille",)),
    # action-sociale
    "Domiciliation des personnes sans domicile stable": ((), ("dossier-social",)),
    "Aides facultatives — commission permanente": (("beneficiaire-aide",), ("dossier-social",)),
    "Registre des personnes vulnérables (canicule)": ((), ("beneficiaire-aide",)),
    "Portage de repas à domicile": ((), ("beneficiaire-aide",)),
    "Téléassistance — abonnés": ((), ("beneficiaire-aide",)),
    "Épicerie sociale — passages": ((), ("beneficiaire-aide",)),
    "Analyse des besoins sociaux": ((), ("dossier-social",)),
    "Demandes de logement social — suivi communal": ((), ("dossier-social",)),
    "Aide à domicile — planification des intervenants": ((), ("beneficiaire-aide",)),
    "Colis de Noël des aînés": ((), ("beneficiaire-aide",)),
    "Repas des aînés — inscriptions": ((), ("beneficiaire-aide",)),
    # bibliotheques
    "Portail de la médiathèque": ((), ("catalogue-bibliotheque", "lecteur")),
    "Ressources numériques (presse, vidéo à la demande)": ((), ("lecteur",)),
    "Automates de prêt": ((), ("lecteur", "catalogue-bibliotheque")),
    "Portage de livres à domicile": ((), ("lecteur",)),
    "Réservation des postes multimédia": ((), ("lecteur",)),
    "Fonds patrimonial — numérisation": ((), ("catalogue-bibliotheque",)),
    # culture
    "Billetterie de la saison culturelle": (("evenement-agenda",), ()),
    "Location des salles de spectacle": (("reservation-equipement",), ("tiers",)),
    "Fêtes et cérémonies — logistique": ((), ("reservation-equipement",)),
    "Cinéma municipal — programmation": (("evenement-agenda",), ()),
    "École d'arts plastiques — inscriptions": (
        ("adherent-activite",), ("dossier-famille", "quotient-familial")
    ),
    # sport-vie-associative
    "Planning des équipements sportifs": (("reservation-equipement",), ()),
    "Subventions aux associations": (("subvention",), ("tiers",)),
    "Annuaire des associations": ((), ("tiers",)),
    "Piscine — caisse et contrôle d'accès": (("titre-recette",), ()),
    "École municipale des sports — inscriptions": (("adherent-activite",), ("dossier-famille",)),
    "Forum des associations": ((), ("tiers",)),
    "Prêt de minibus aux associations": ((), ("tiers",)),
    "Maison des associations — domiciliations": ((), ("tiers",)),
    # urbanisme
    "Déclarations d'intention d'aliéner": ((), ("plan-cadastral",)),
    "Certificats d'urbanisme — suivi": ((), ("dossier-urbanisme",)),
    "Enseignes et publicité extérieure": (("redevable-taxe",), ()),
    "Numérotage des voies": (("referentiel-adresses",), ()),
    "Contentieux de l'urbanisme": ((), ("dossier-urbanisme",)),
    "Suivi des procédures du PLU": ((), ("couche-sig",)),
    "Aides au ravalement de façades": ((), ("dossier-urbanisme",)),
    "Conformité des travaux — visites": ((), ("dossier-urbanisme",)),
    # sig
    "SIG bureautique": ((), ("couche-sig", "plan-cadastral")),
    "Visionneuse cartographique des agents": ((), ("couche-sig", "plan-cadastral")),
    "Plans topographiques et récolements": (("couche-sig",), ()),
    "Cartographie des réseaux d'éclairage": (("couche-sig",), ()),
    "Base adresse locale — saisie": (("referentiel-adresses",), ()),
    # economie-commerce
    "Droits de place des marchés": (("commercant-marche",), ()),
    "Foires et brocantes — emplacements": ((), ("commercant-marche",)),
    "Taxe de séjour — déclarations des hébergeurs": (("redevable-taxe",), ()),
    "Terrasses — autorisations et redevances": (("redevable-taxe",), ("permis-occupation",)),
    "Aides aux commerçants": ((), ("tiers",)),
    # proximite
    "Fourrière automobile": ((), ("proces-verbal",)),
    "Opération tranquillité vacances": ((), ("demande-usager",)),
    "Centre de supervision urbaine — main courante": (("main-courante",), ("images-video",)),
    "Médiateurs de nuit — rapports": (("main-courante",), ()),
    # domaine-public
    "Arrêtés de circulation et de stationnement": (("arrete",), ()),
    "Déclarations de travaux des concessionnaires (DT-DICT)": ((), ("couche-sig",)),
    "Coordination des chantiers": ((), ("permis-occupation",)),
    "Réservations de stationnement pour déménagement": (("permis-occupation",), ()),
    # prevention-risques
    "Plan communal de sauvegarde": ((), ("equipement-public",)),
    "Commission de sécurité des ERP": ((), ("equipement-public",)),
    "Défense extérieure contre l'incendie — poteaux": ((), ("couche-sig",)),
    "Arrêtés de péril": (("arrete",), ()),
    "Registre des établissements recevant du public": (("equipement-public",), ()),
    # stationnement
    "Abonnements des parkings municipaux": (("titre-recette",), ()),
    # proprete-dechets
    "Tournées de balayage": ((), ("demande-intervention",)),
    "Dépôts sauvages — suivi": ((), ("signalement", "demande-intervention")),
    "Encombrants — rendez-vous": ((), ("demande-intervention",)),
    "Tags et graffitis — interventions": ((), ("demande-intervention",)),
    # espaces-verts
    "Patrimoine arboré": (("inventaire-arbres",), ()),
    "Jardins familiaux — attributions": (("titre-recette",), ()),
    "Aires de jeux — contrôles": ((), ("equipement-public",)),
    # finances
    "Prospective financière": ((), ("budget",)),
    "Gestion de la dette": ((), ("budget",)),
    "Subventions reçues — suivi": ((), ("budget",)),
    "Inventaire des immobilisations": ((), ("mandat-titre",)),
    "Régie d'avances — suivi": ((), ("engagement",)),
    "Analyse financière rétrospective": ((), ("budget",)),
    # commande-publique
    "Tableau de suivi des marchés": ((), ("marche-public",)),
    "Recensement des besoins d'achat": ((), ("budget",)),
    "Achats hors marchés — suivi des seuils": ((), ("bon-de-commande",)),
    "Clauses sociales — suivi des heures d'insertion": ((), ("marche-public",)),
    # paie-carriere
    "Effectifs et masse salariale": ((), ("dossier-agent",)),
    "Médailles du travail": ((), ("dossier-agent",)),
    "Entretiens professionnels annuels": ((), ("dossier-agent",)),
    "Médecine préventive — convocations": ((), ("dossier-agent",)),
    "Plan de formation": ((), ("dossier-agent",)),
    "Action sociale des agents": ((), ("dossier-agent",)),
    "Élections professionnelles": ((), ("dossier-agent",)),
    # temps-activites
    "Plannings des services techniques": (("temps-agent",), ()),
    "Astreintes — planning et indemnités": (("element-variable-paie",), ()),
    "Heures supplémentaires — validation": (("element-variable-paie",), ()),
    "Congés des agents": (("temps-agent",), ()),
    "Badgeuse de l'hôtel de ville": (("temps-agent",), ()),
    # patrimoine-bati
    "Suivi des consommations d'énergie": ((), ("patrimoine-bati",)),
    "Diagnostics amiante et plomb": ((), ("patrimoine-bati",)),
    "Contrôles réglementaires des bâtiments": ((), ("patrimoine-bati",)),
    "Plans des bâtiments": (("patrimoine-bati",), ()),
    "Accessibilité des bâtiments — agenda": ((), ("patrimoine-bati",)),
    "Baux et conventions d'occupation": ((), ("tiers", "patrimoine-bati")),
    "Assurances — sinistres": ((), ("patrimoine-bati",)),
    # flotte-logistique
    "Magasin du centre technique — stocks": (("bon-de-commande",), ("intervention",)),
    "Prêt de matériel festif": ((), ("reservation-equipement",)),
    "Atelier mécanique — réparations": (("bon-de-commande",), ()),
    # reservation-salles
    "Réservation des salles municipales": (("reservation-equipement",), ("equipement-public",)),
    "Location de la salle des fêtes": (("reservation-equipement", "titre-recette"), ()),
    # courrier-ged
    "Registre du courrier": (("courrier",), ()),
    "Parapheur papier — suivi": ((), ("courrier",)),
    "GED des services techniques": ((), ("courrier",)),
    "Numérisation du courrier entrant": (("courrier",), ()),
    "Courriers des élus — suivi": ((), ("courrier",)),
    # assemblees
    "Registre des arrêtés du maire": (("arrete",), ()),
    "Registre des délibérations": (("deliberation",), ()),
    "Indemnités et formations des élus": ((), ("elu",)),
    "Commissions municipales — convocations": ((), ("elu",)),
    "Diffusion des séances du conseil municipal": ((), ("deliberation",)),
    "Vote électronique en séance": ((), ("elu",)),
    # archives
    "Bordereaux de versement": (("archive-electronique",), ()),
    "Éliminations réglementaires": ((), ("archive-electronique",)),
    # decisionnel
    "Tableau de bord de la direction générale": ((), ("indicateur",)),
    "Observatoire fiscal": ((), ("budget",)),
    "Contrôle de gestion — indicateurs": (("indicateur",), ("budget", "engagement")),
    "Rapport d'activité annuel": ((), ("indicateur",)),
    "Plan pluriannuel d'investissement": ((), ("budget",)),
    # identite-annuaires
    "Annuaire téléphonique interne": ((), ("annuaire",)),
    "Organigramme des services": ((), ("annuaire",)),
    "Habilitations aux applications métier": ((), ("annuaire",)),
    # exploitation
    "Inventaire du parc informatique de la mairie": ((), ("ticket-support",)),
    # the directions' own tools (ville centre)
    "Tableau de bord de la {d}": ((), ("indicateur",)),
    "Plannings des agents de la {d}": (("temps-agent",), ()),
    "Suivi budgétaire de la {d}": ((), ("engagement",)),
    "Registre du courrier de la {d}": ((), ("courrier",)),
    "Suivi des marchés de la {d}": ((), ("marche-public",)),
}

CENTRE_DIRECTIONS: tuple[str, ...] = (
    "direction de l'éducation",
    "direction de la culture",
    "direction des sports",
    "direction de la population",
    "direction de la voirie",
    "direction des espaces verts",
    "direction du patrimoine bâti",
    "direction de la tranquillité publique",
    "direction de la petite enfance",
    "direction de la communication",
    "direction de l'urbanisme",
    "direction de la propreté urbaine",
)

# Who is responsible for an application, by bloc, in a commune with directions.
DIRECTION_OF_BLOCK: dict[str, str] = {
    "gru": "Direction de la relation aux usagers",
    "accueil-physique": "Direction de la relation aux usagers",
    "signalement": "Direction de la relation aux usagers",
    "portail-citoyen": "Direction de la relation aux usagers",
    "paiement-en-ligne": "Direction des finances",
    "site-internet": "Direction de la communication",
    "open-data": "Direction générale des services",
    "etat-civil": "Direction de la population et de la citoyenneté",
    "elections": "Direction de la population et de la citoyenneté",
    "cimetieres": "Direction de la population et de la citoyenneté",
    "scolaire": "Direction de l'éducation",
    "periscolaire": "Direction de l'éducation",
    "petite-enfance": "Direction de la petite enfance",
    "action-sociale": "Centre communal d'action sociale",
    "bibliotheques": "Direction de la lecture publique",
    "culture": "Direction de la culture",
    "sport-vie-associative": "Direction des sports et de la vie associative",
    "urbanisme": "Direction de l'urbanisme",
    "sig": "Direction de l'urbanisme",
    "economie-commerce": "Direction du commerce et de l'économie",
    "proximite": "Direction de la tranquillité publique",
    "domaine-public": "Direction de la voirie et des déplacements",
    "prevention-risques": "Direction de la tranquillité publique",
    "transport": "Direction de la voirie et des déplacements",
    "stationnement": "Direction de la voirie et des déplacements",
    "proprete-dechets": "Direction de la propreté urbaine",
    "espaces-verts": "Direction des espaces verts",
    "finances": "Direction des finances",
    "commande-publique": "Direction de la commande publique",
    "paie-carriere": "Direction des ressources humaines",
    "temps-activites": "Direction des ressources humaines",
    "gmao": "Direction du patrimoine bâti",
    "patrimoine-bati": "Direction du patrimoine bâti",
    "flotte-logistique": "Direction des moyens généraux",
    "reservation-salles": "Direction des moyens généraux",
    "courrier-ged": "Direction des affaires générales",
    "assemblees": "Direction des affaires juridiques et des assemblées",
    "archives": "Direction des archives",
    "decisionnel": "Direction générale des services",
    "echanges-donnees": "DGSIN",
    "identite-annuaires": "DGSIN",
    "collaboration": "DGSIN",
    "exploitation": "DGSIN",
}

# In a small commune, the secrétariat de mairie, the services techniques, the police municipale
# or the CCAS answer for everything in their field.
SMALL_COMMUNE_SERVICE: dict[str, str] = {
    "proximite": "Police municipale",
    "action-sociale": "Centre communal d'action sociale",
    "gmao": "Services techniques",
    "domaine-public": "Services techniques",
    "proprete-dechets": "Services techniques",
    "espaces-verts": "Services techniques",
    "flotte-logistique": "Services techniques",
    "patrimoine-bati": "Services techniques",
    "reservation-salles": "Services techniques",
    "bibliotheques": "Médiathèque",
    "periscolaire": "Service enfance-jeunesse",
    "scolaire": "Service enfance-jeunesse",
    "petite-enfance": "Service enfance-jeunesse",
}
SMALL_COMMUNE_DEFAULT_SERVICE = "Secrétariat général de la mairie"

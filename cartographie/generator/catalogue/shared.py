"""The applications the métropole owns for the communes (mutualised, or its own competences such
as transport and waste), and the applications of outside bodies that flows reach.

A shared application lists who uses it with a rule (``Users``) rather than names, so that each
group of a larger scale gets the same structure with its own communes:

- ``all``: the métropole and every commune;
- ``metropole``: the métropole's own services only;
- ``domain:<id>``: the métropole and the communes that joined that mutualisation domain;
- ``sizes:<size>,<size>``: the métropole and the communes of those sizes;
- ``domain-sizes:<id>:<size>,…``: both conditions.
"""

from __future__ import annotations

from dataclasses import dataclass

from cartographie.model.vocabulary import CnilSector, Governance, Hosting, Layer, Lifecycle


@dataclass(frozen=True)
class SharedAppSpec:
    key: str  # id: met-<key>
    name: str
    product: str | None
    layer: Layer
    blocks: tuple[str, ...]
    users: str
    since: int
    responsible: str
    cost: int | None = None
    hosting: Hosting = "datacenter"
    sectors: tuple[CnilSector, ...] = ()
    lifecycle: Lifecycle = "production"
    governance: Governance = "dgsin"
    delegation: str | None = None
    hub: bool = False
    description: str | None = None
    # None: what its blocs produce and consume.
    produces: tuple[str, ...] | None = None
    consumes: tuple[str, ...] | None = None


DGSIN = "DGSIN"
FINANCES = "Direction des finances de la métropole"
RH = "Direction des ressources humaines de la métropole"
USAGERS = "Direction de la relation aux usagers de la métropole"
MOBILITE = "Direction des mobilités de la métropole"
ASSEMBLEES = "Direction des assemblées de la métropole"

SHARED_APPLICATIONS: tuple[SharedAppSpec, ...] = (
    SharedAppSpec("finances", "Gestion financière mutualisée", "bl-emagnus-gf", "support",
                  ("finances",), "domain:finances", 2016, FINANCES, 142_000),
    SharedAppSpec("marches", "Commande publique mutualisée", "agysoft-marco", "support",
                  ("commande-publique",), "domain:finances", 2017, FINANCES, 21_500),
    SharedAppSpec("rh-paie", "Paie et carrière mutualisées", "ciril-civilnet-rh", "support",
                  ("paie-carriere",), "domain:ressources-humaines", 2018, RH, 118_000,
                  sectors=("travail-social",)),
    SharedAppSpec("temps", "Gestion des temps et des absences", "horoquartz-etemptation",
                  "support", ("temps-activites",), "sizes:centre,grande", 2019, RH, 46_000,
                  sectors=("travail-social",)),
    SharedAppSpec(
        "gdu", "Gestion des demandes usagers (GDU)", "entrouvert-publik", "interface", ("gru",),
        "all", 2020, USAGERS, 74_000, hosting="saas", sectors=("relations-usagers",),
        description=(
            "Outil unique de gestion des demandes des usagers des quatorze communes : la demande "
            "saisie par l'usager ou par l'accueil de la mairie est transmise au secteur "
            "d'intervention du lieu concerné (l'un des quatre secteurs territoriaux des services "
            "techniques), dont les équipes la traitent, et la réponse revient à l'usager."
        ),
        consumes=("signalement", "compte-usager", "referentiel-adresses", "intervention"),
    ),
    SharedAppSpec("demarches", "Démarches en ligne", "entrouvert-publik", "interface",
                  ("portail-citoyen",), "domain:relation-usagers", 2020, USAGERS, 38_000,
                  hosting="saas", sectors=("relations-usagers",)),
    SharedAppSpec("rdv", "Rendez-vous pour les titres d'identité", "synbird", "interface",
                  ("accueil-physique",), "sizes:centre,grande,moyenne", 2021, USAGERS, 9_800,
                  hosting="saas", sectors=("relations-usagers",)),
    SharedAppSpec("site", "Site internet de la métropole", "drupal", "interface",
                  ("site-internet",), "metropole", 2018, "Direction de la communication de la "
                  "métropole", 24_000),
    SharedAppSpec(
        "open-data", "Portail des données ouvertes", "opendatasoft", "interface", ("open-data",),
        "metropole", 2019, "Direction générale des services de la métropole", 27_000,
        hosting="saas",
        description="Publie les jeux de données de la métropole ; peu d'applications l'alimentent.",
        produces=(),
        consumes=("horaires-transport", "couche-sig", "budget", "frequentation-transport"),
    ),
    SharedAppSpec("sig", "Système d'information géographique", "esri-arcgis", "support",
                  ("sig",), "domain:information-geographique", 2016, DGSIN, 86_000),
    SharedAppSpec("cadastre", "Cadastre et fichiers fonciers", "ciril-geo", "support", ("sig",),
                  "domain:information-geographique", 2017, DGSIN, 18_500,
                  sectors=("fiscalite",), produces=("plan-cadastral",), consumes=()),
    SharedAppSpec("ads", "Instruction mutualisée du droit des sols", "ciril-cartads", "metier",
                  ("urbanisme",), "domain:droit-des-sols", 2017,
                  "Service commun d'instruction du droit des sols", 41_000,
                  sectors=("economie-urbanisme",)),
    SharedAppSpec("parapheur", "Parapheur électronique", "libriciel-iparapheur", "support",
                  ("assemblees",), "domain:actes-archivage", 2019, ASSEMBLEES, 12_400,
                  produces=("document-signe",)),
    SharedAppSpec("s2low", "Télétransmission des actes", "libriciel-s2low", "support",
                  ("assemblees",), "domain:actes-archivage", 2019, ASSEMBLEES, 4_300,
                  # It relays the acts to the prefecture's @ctes.
                  produces=("deliberation", "arrete"), consumes=("deliberation", "arrete")),
    SharedAppSpec("webdelib", "Gestion des délibérations", "libriciel-webdelib", "support",
                  ("assemblees",), "domain:actes-archivage", 2020, ASSEMBLEES, 9_900,
                  sectors=("relations-elus",)),
    SharedAppSpec("pastell", "Plateforme de flux documentaires", "libriciel-pastell", "support",
                  ("echanges-donnees",), "domain:actes-archivage", 2019, DGSIN, 8_200,
                  produces=(), consumes=("document-signe",)),
    SharedAppSpec("sae", "Système d'archivage électronique", "libriciel-asalae", "support",
                  ("archives",), "domain:actes-archivage", 2020,
                  "Direction des archives de la métropole", 19_000),
    SharedAppSpec("courrier", "Courrier et GED mutualisés", "maarch-courrier", "support",
                  ("courrier-ged",), "domain-sizes:actes-archivage:moyenne,petite", 2020,
                  DGSIN, 16_000, sectors=("relations-usagers",)),
    SharedAppSpec("decisionnel", "Entrepôt de données et tableaux de bord", "qlik-sense",
                  "support", ("decisionnel",), "sizes:centre", 2019,
                  "Direction générale des services de la métropole", 32_000),
    SharedAppSpec(
        "hub-donnees", "Pot commun de données", None, "support", ("echanges-donnees",), "all",
        2021, DGSIN, 64_000, hub=True,
        description=(
            "Plateforme d'échanges de la métropole : chaque donnée y est publiée une fois et "
            "redistribuée aux applications abonnées. Adoption en cours : beaucoup de flux "
            "restent point à point."
        ),
        produces=(), consumes=(),
    ),
    SharedAppSpec("annuaire", "Annuaire et authentification unique", "ow2-lemonldap", "support",
                  ("identite-annuaires",), "all", 2017, DGSIN, 6_000),
    SharedAppSpec("messagerie", "Messagerie et agendas", "bluemind", "support",
                  ("collaboration",), "all", 2016, DGSIN, 52_000),
    SharedAppSpec("bureautique", "Bureautique en ligne", "microsoft-365", "support",
                  ("collaboration",), "sizes:centre,grande", 2022, DGSIN, 138_000,
                  hosting="saas"),
    SharedAppSpec("assistance", "Assistance et inventaire informatique", "teclib-glpi",
                  "support", ("exploitation",), "all", 2015, DGSIN, 7_500),
    SharedAppSpec("supervision", "Supervision de l'infrastructure", "centreon", "support",
                  ("exploitation",), "metropole", 2015, DGSIN, 6_800, produces=()),
    SharedAppSpec("resultats", "Résultats électoraux", "openmairie-openresultat", "metier",
                  ("elections",), "all", 2020, DGSIN, 1_500,
                  produces=(), consumes=()),
    SharedAppSpec(
        "billettique", "Billettique du réseau de transport", None, "metier", ("transport",),
        "metropole", 2016, MOBILITE, None, hosting="delegataire", sectors=("transport",),
        governance="delegataire", delegation="dsp-transport-2023",
        description=(
            "Titres, cartes et validations du réseau, exploités par le délégataire ; installée "
            "sous le contrat 2015–2022, reprise par le contrat renouvelé en 2023, qui impose "
            "enfin la restitution des données."
        ),
        produces=("validation-titre", "abonne-transport", "frequentation-transport"),
        consumes=("abonne-transport",),
    ),
    SharedAppSpec("vente-mobile", "Application mobile de vente de titres", None, "interface",
                  ("transport",), "metropole", 2019, MOBILITE, None, hosting="delegataire",
                  sectors=("transport",), governance="delegataire",
                  delegation="dsp-transport-2023", produces=("abonne-transport",),
                  consumes=("horaires-transport",)),
    SharedAppSpec("saeiv", "Aide à l'exploitation et information voyageurs", None, "metier",
                  ("transport",), "metropole", 2014, MOBILITE, None, hosting="delegataire",
                  governance="delegataire", delegation="dsp-transport-2023",
                  produces=("horaires-transport",), consumes=()),
    SharedAppSpec("dechets", "Collecte des déchets et déchèteries", None, "metier",
                  ("proprete-dechets",), "metropole", 2012,
                  "Direction de la gestion des déchets de la métropole", 14_000),
    SharedAppSpec(
        "gmao", "GMAO mutualisée", "carl-source", "support", ("gmao",),
        "domain:maintenance-patrimoine", 2026, "Direction du patrimoine de la métropole", 58_000,
        description=(
            "Cible de la convergence de la maintenance : deux communes pilotes la rejoignent en "
            "2026, sept autres en 2027 et 2028 (chantier « GMAO mutualisée »)."
        ),
    ),
)


@dataclass(frozen=True)
class PartnerAppSpec:
    id: str
    owner: str
    name: str
    layer: Layer
    description: str


PARTNER_APPLICATIONS: tuple[PartnerAppSpec, ...] = (
    PartnerAppSpec("caf-cdap", "caf", "CDAP — consultation du dossier allocataire", "metier",
                   "Service de la CAF qui donne aux partenaires le quotient familial des "
                   "allocataires."),
    PartnerAppSpec("dgfip-helios", "dgfip", "Hélios", "support",
                   "Application du comptable public : reçoit mandats et titres (PES)."),
    PartnerAppSpec("dgfip-payfip", "dgfip", "PayFiP", "interface",
                   "Paiement en ligne des factures des collectivités."),
    PartnerAppSpec("insee-reu", "insee", "Répertoire électoral unique", "metier",
                   "Listes électorales tenues par l'Insee depuis 2019."),
    PartnerAppSpec("ants-comedec", "ants", "COMEDEC", "metier",
                   "Vérification dématérialisée des données d'état civil."),
    PartnerAppSpec("antai-cnt", "antai", "Centre national de traitement", "metier",
                   "Traite les procès-verbaux électroniques et les forfaits post-stationnement."),
    PartnerAppSpec("aife-chorus-pro", "aife", "Chorus Pro", "support",
                   "Portail de dépôt des factures des fournisseurs."),
    PartnerAppSpec("prefecture-actes", "prefecture", "@ctes", "support",
                   "Contrôle de légalité des actes transmis par les collectivités."),
    PartnerAppSpec("departement-solidarites", "departement", "Système d'information des "
                   "solidarités", "metier", "Dossiers d'action sociale du département."),
    PartnerAppSpec("gip-mds-dsn", "gip-mds", "net-entreprises.fr — DSN", "support",
                   "Dépôt de la déclaration sociale nominative."),
)

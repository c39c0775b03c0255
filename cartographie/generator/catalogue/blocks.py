"""The urbanisation map of the reference métropole (zones > quartiers > blocs fonctionnels) and
the mutualisation domains that cover parts of it.

Beside what ``referentiel/blocs.yaml`` shows, each bloc carries what the generator needs to make
applications and flows plausible: the layer its applications usually sit in, the CNIL RU-030
sectors of the personal data they hold, and the data objects they produce and consume (flows are
drawn from producers to consumers, see ``generator.flows``).
"""

from __future__ import annotations

from dataclasses import dataclass

from cartographie.model.vocabulary import CnilSector, Layer


@dataclass(frozen=True)
class Zone:
    id: str
    name: str
    description: str


@dataclass(frozen=True)
class District:
    id: str
    name: str
    zone: str
    description: str


@dataclass(frozen=True)
class BlockSpec:
    id: str
    name: str
    district: str
    description: str
    layer: Layer
    sectors: tuple[CnilSector, ...] = ()
    produces: tuple[str, ...] = ()
    consumes: tuple[str, ...] = ()


ZONES: tuple[Zone, ...] = (
    Zone(
        "relation-usagers",
        "Relation aux usagers",
        "Tout ce par quoi l'habitant, l'usager ou l'entreprise entre en contact avec sa mairie : "
        "accueil, demandes, démarches en ligne, information.",
    ),
    Zone(
        "services-population",
        "Services à la population",
        "Les services rendus aux habitants tout au long de la vie : état civil et citoyenneté, "
        "enfance, solidarités, culture et sport.",
    ),
    Zone(
        "amenagement-cadre-de-vie",
        "Aménagement et cadre de vie",
        "Urbanisme, tranquillité publique, mobilité, espace public et environnement.",
    ),
    Zone(
        "ressources-pilotage",
        "Ressources et pilotage",
        "Les fonctions support : finances et achats, ressources humaines, patrimoine et moyens, "
        "administration générale, pilotage.",
    ),
    Zone(
        "socle-numerique",
        "Socle numérique",
        "Ce qui sert toutes les applications : échanges de données, identités, outils de travail "
        "et exploitation.",
    ),
)

DISTRICTS: tuple[District, ...] = (
    District(
        "accueil-demandes",
        "Accueil et demandes des usagers",
        "relation-usagers",
        "Recevoir l'usager et traiter ses demandes, quel que soit le canal.",
    ),
    District(
        "services-en-ligne",
        "Services en ligne et information",
        "relation-usagers",
        "Démarches, paiement et information accessibles en ligne.",
    ),
    District(
        "citoyennete",
        "État civil et citoyenneté",
        "services-population",
        "Les registres de la vie civile et de la vie citoyenne.",
    ),
    District(
        "education-enfance",
        "Éducation, enfance et famille",
        "services-population",
        "De la crèche à l'école élémentaire : inscriptions, accueils, restauration.",
    ),
    District(
        "solidarites",
        "Solidarités",
        "services-population",
        "L'action sociale du centre communal et l'accompagnement des plus fragiles.",
    ),
    District(
        "culture-sport",
        "Culture, sport et vie associative",
        "services-population",
        "Lecture publique, enseignement artistique, équipements et associations.",
    ),
    District(
        "urbanisme-territoire",
        "Urbanisme et connaissance du territoire",
        "amenagement-cadre-de-vie",
        "Droit des sols, information géographique, commerce.",
    ),
    District(
        "tranquillite-publique",
        "Tranquillité publique",
        "amenagement-cadre-de-vie",
        "Police municipale, vidéoprotection, domaine public et prévention des risques.",
    ),
    District(
        "mobilite",
        "Mobilité et stationnement",
        "amenagement-cadre-de-vie",
        "Transport public et stationnement, souvent confiés à des délégataires.",
    ),
    District(
        "espace-public",
        "Espace public et environnement",
        "amenagement-cadre-de-vie",
        "Propreté, déchets, espaces verts.",
    ),
    District(
        "finances-achats",
        "Finances et achats",
        "ressources-pilotage",
        "Budget, comptabilité, commande publique.",
    ),
    District(
        "ressources-humaines",
        "Ressources humaines",
        "ressources-pilotage",
        "Carrière, paie, temps de travail des agents.",
    ),
    District(
        "patrimoine-moyens",
        "Patrimoine et moyens généraux",
        "ressources-pilotage",
        "Bâtiments, maintenance, flotte, salles et matériel.",
    ),
    District(
        "administration-generale",
        "Administration générale et pilotage",
        "ressources-pilotage",
        "Courrier, assemblées, actes, archives et tableaux de bord.",
    ),
    District(
        "echanges-identite",
        "Échanges et identité",
        "socle-numerique",
        "Le pot commun des données et les annuaires.",
    ),
    District(
        "environnement-travail",
        "Environnement de travail et exploitation",
        "socle-numerique",
        "Messagerie, bureautique, assistance et exploitation informatique.",
    ),
)

PROXIMITY_DESCRIPTION = (
    "regroupe l'ensemble des fonctionnalités nécessaires au maintien de l'ordre et de la "
    "tranquillité des citoyens"
)

BLOCKS: tuple[BlockSpec, ...] = (
    # --- Relation aux usagers
    BlockSpec(
        "gru",
        "Gestion de la relation usagers",
        "accueil-demandes",
        "Enregistrer, orienter et suivre les demandes des usagers jusqu'à la réponse.",
        "interface",
        ("relations-usagers",),
        ("demande-usager", "demande-intervention"),
        ("signalement", "compte-usager", "referentiel-adresses", "annuaire"),
    ),
    BlockSpec(
        "accueil-physique",
        "Accueil physique et rendez-vous",
        "accueil-demandes",
        "Accueillir le public en mairie, gérer les files d'attente et les rendez-vous.",
        "interface",
        ("relations-usagers",),
        ("rendez-vous",),
        ("compte-usager", "annuaire"),
    ),
    BlockSpec(
        "signalement",
        "Signalement dans l'espace public",
        "accueil-demandes",
        "Applications mobiles par lesquelles l'habitant signale une anomalie (voirie, propreté, "
        "éclairage…).",
        "interface",
        ("relations-usagers",),
        ("signalement",),
        ("referentiel-adresses",),
    ),
    BlockSpec(
        "portail-citoyen",
        "Portail citoyen et démarches en ligne",
        "services-en-ligne",
        "Compte usager, démarches en ligne, portails famille.",
        "interface",
        ("relations-usagers", "prestations-scolaires-periscolaires"),
        ("compte-usager", "demande-usager"),
        ("dossier-famille", "facture-famille", "evenement-agenda"),
    ),
    BlockSpec(
        "paiement-en-ligne",
        "Paiement en ligne",
        "services-en-ligne",
        "Payer en ligne les factures et droits des services municipaux.",
        "interface",
        ("relations-usagers", "prestations-scolaires-periscolaires"),
        ("paiement",),
        ("facture-famille",),
    ),
    BlockSpec(
        "site-internet",
        "Sites internet et information",
        "services-en-ligne",
        "Sites des communes, agendas, lettres d'information.",
        "interface",
        (),
        ("evenement-agenda",),
        ("equipement-public", "evenement-agenda"),
    ),
    BlockSpec(
        "open-data",
        "Données ouvertes",
        "services-en-ligne",
        "Publication des jeux de données ouvertes de la métropole et des communes.",
        "interface",
    ),
    # --- Services à la population
    BlockSpec(
        "etat-civil",
        "État civil",
        "citoyennete",
        "Actes de naissance, de mariage, de décès ; mentions et délivrance des copies.",
        "metier",
        ("etat-civil-citoyennete",),
        ("acte-etat-civil", "avis-deces", "archive-electronique"),
        ("avis-deces",),
    ),
    BlockSpec(
        "elections",
        "Élections et recensement citoyen",
        "citoyennete",
        "Listes électorales, scrutins, recensement citoyen obligatoire.",
        "metier",
        ("etat-civil-citoyennete",),
        ("electeur", "recensement-citoyen"),
        ("avis-deces", "referentiel-adresses"),
    ),
    BlockSpec(
        "cimetieres",
        "Cimetières et opérations funéraires",
        "citoyennete",
        "Concessions, inhumations, reprises.",
        "metier",
        ("etat-civil-citoyennete",),
        ("concession-funeraire", "titre-recette"),
        ("avis-deces", "tiers"),
    ),
    BlockSpec(
        "scolaire",
        "Inscriptions et vie scolaire",
        "education-enfance",
        "Inscriptions scolaires, carte scolaire, dérogations.",
        "metier",
        ("prestations-scolaires-periscolaires",),
        ("inscription-scolaire",),
        ("dossier-famille", "referentiel-adresses", "equipement-public"),
    ),
    BlockSpec(
        "periscolaire",
        "Périscolaire, restauration et loisirs",
        "education-enfance",
        "Accueils du matin et du soir, restauration scolaire, accueils de loisirs, facturation "
        "aux familles.",
        "metier",
        ("prestations-scolaires-periscolaires",),
        ("dossier-famille", "reservation-periscolaire", "facture-famille", "titre-recette"),
        ("inscription-scolaire", "quotient-familial", "fiche-sanitaire"),
    ),
    BlockSpec(
        "petite-enfance",
        "Petite enfance",
        "education-enfance",
        "Crèches, relais petite enfance, commissions d'attribution.",
        "metier",
        ("prestations-scolaires-periscolaires",),
        ("demande-place-creche", "facture-famille", "fiche-sanitaire", "titre-recette"),
        ("dossier-famille", "quotient-familial"),
    ),
    BlockSpec(
        "action-sociale",
        "Action sociale (CCAS)",
        "solidarites",
        "Aides facultatives, domiciliation, accompagnement des seniors et des personnes "
        "vulnérables.",
        "metier",
        ("travail-social",),
        ("dossier-social", "beneficiaire-aide"),
        ("referentiel-adresses",),
    ),
    BlockSpec(
        "bibliotheques",
        "Lecture publique",
        "culture-sport",
        "Médiathèques : catalogue, prêts, lecteurs, ressources numériques.",
        "metier",
        ("prestations-scolaires-periscolaires",),
        ("lecteur", "catalogue-bibliotheque"),
        ("equipement-public",),
    ),
    BlockSpec(
        "culture",
        "Culture et enseignement artistique",
        "culture-sport",
        "Conservatoire, écoles d'art, musées, billetterie de la saison culturelle.",
        "metier",
        ("prestations-scolaires-periscolaires",),
        ("adherent-activite", "evenement-agenda", "titre-recette"),
        ("dossier-famille", "quotient-familial"),
    ),
    BlockSpec(
        "sport-vie-associative",
        "Sport et vie associative",
        "culture-sport",
        "Équipements sportifs, subventions et relations avec les associations.",
        "metier",
        ("prestations-scolaires-periscolaires",),
        ("reservation-equipement", "subvention", "titre-recette"),
        ("equipement-public", "tiers"),
    ),
    # --- Aménagement et cadre de vie
    BlockSpec(
        "urbanisme",
        "Autorisations du droit des sols",
        "urbanisme-territoire",
        "Permis de construire, déclarations préalables, certificats d'urbanisme.",
        "metier",
        ("economie-urbanisme",),
        ("dossier-urbanisme", "arrete", "archive-electronique"),
        ("plan-cadastral", "referentiel-adresses", "couche-sig"),
    ),
    BlockSpec(
        "sig",
        "Information géographique",
        "urbanisme-territoire",
        "Référentiels géographiques : adresses, cadastre, couches métier.",
        "support",
        (),
        ("referentiel-adresses", "plan-cadastral", "couche-sig", "equipement-public"),
        ("inventaire-arbres", "patrimoine-bati", "referentiel-adresses"),
    ),
    BlockSpec(
        "economie-commerce",
        "Commerce et développement économique",
        "urbanisme-territoire",
        "Marchés forains, droits de place, taxes locales, aides aux commerces.",
        "metier",
        ("economie-urbanisme", "fiscalite"),
        ("commercant-marche", "redevable-taxe", "titre-recette"),
        ("tiers", "referentiel-adresses"),
    ),
    BlockSpec(
        "proximite",
        "Proximité",
        "tranquillite-publique",
        PROXIMITY_DESCRIPTION,
        "metier",
        ("polices-speciales-voirie",),
        ("main-courante", "proces-verbal", "images-video"),
        ("signalement", "demande-usager", "referentiel-adresses", "permis-occupation"),
    ),
    BlockSpec(
        "domaine-public",
        "Domaine public et voirie",
        "tranquillite-publique",
        "Permissions de voirie, arrêtés de circulation, occupation du domaine public.",
        "metier",
        ("polices-speciales-voirie",),
        ("permis-occupation", "arrete"),
        ("referentiel-adresses", "tiers", "couche-sig"),
    ),
    BlockSpec(
        "prevention-risques",
        "Prévention des risques et sécurité des ERP",
        "tranquillite-publique",
        "Plan communal de sauvegarde, alerte à la population, commissions de sécurité.",
        "metier",
        ("relations-usagers",),
        ("equipement-public",),
        ("patrimoine-bati", "referentiel-adresses"),
    ),
    BlockSpec(
        "transport",
        "Transport public et billettique",
        "mobilite",
        "Réseau de transport urbain, billettique, information voyageurs.",
        "metier",
        ("transport",),
        ("abonne-transport", "validation-titre", "frequentation-transport", "horaires-transport"),
        ("referentiel-adresses",),
    ),
    BlockSpec(
        "stationnement",
        "Stationnement",
        "mobilite",
        "Stationnement payant, parkings en ouvrage, forfaits post-stationnement.",
        "metier",
        ("transport",),
        ("occupation-stationnement", "forfait-post-stationnement"),
        ("referentiel-adresses",),
    ),
    BlockSpec(
        "proprete-dechets",
        "Propreté urbaine et déchets",
        "espace-public",
        "Balayage, dépôts sauvages, collecte et déchèteries.",
        "metier",
        (),
        ("tonnage-dechets",),
        ("demande-intervention", "referentiel-adresses", "signalement"),
    ),
    BlockSpec(
        "espaces-verts",
        "Espaces verts et nature en ville",
        "espace-public",
        "Parcs, arbres, jardins familiaux, fleurissement.",
        "metier",
        (),
        ("inventaire-arbres",),
        ("demande-intervention", "couche-sig"),
    ),
    # --- Ressources et pilotage
    BlockSpec(
        "finances",
        "Gestion financière et comptable",
        "finances-achats",
        "Budget, engagements, mandats et titres, dette, immobilisations.",
        "support",
        (),
        ("engagement", "mandat-titre", "budget", "tiers"),
        ("bon-de-commande", "facture-fournisseur", "ecriture-paie", "subvention",
         "marche-public", "titre-recette"),
    ),
    BlockSpec(
        "commande-publique",
        "Commande publique",
        "finances-achats",
        "Marchés publics, procédures, exécution et avenants.",
        "support",
        (),
        ("marche-public",),
        ("tiers", "budget"),
    ),
    BlockSpec(
        "paie-carriere",
        "Carrière et paie",
        "ressources-humaines",
        "Carrière des agents, paie, déclarations sociales, formation.",
        "support",
        ("travail-social",),
        ("dossier-agent", "ecriture-paie"),
        ("element-variable-paie", "temps-agent"),
    ),
    BlockSpec(
        "temps-activites",
        "Temps de travail et absences",
        "ressources-humaines",
        "Plannings, congés, badgeuses, astreintes.",
        "support",
        ("travail-social",),
        ("temps-agent", "element-variable-paie"),
        ("dossier-agent", "annuaire", "temps-agent"),
    ),
    BlockSpec(
        "gmao",
        "Maintenance du patrimoine (GMAO)",
        "patrimoine-moyens",
        "Demandes et interventions de maintenance sur les bâtiments, l'éclairage, la voirie "
        "et les équipements.",
        "support",
        (),
        ("intervention", "bon-de-commande", "patrimoine-bati"),
        ("demande-intervention", "tiers", "marche-public"),
    ),
    BlockSpec(
        "patrimoine-bati",
        "Patrimoine bâti et énergie",
        "patrimoine-moyens",
        "Connaissance des bâtiments, contrôles réglementaires, énergie, baux.",
        "support",
        (),
        ("patrimoine-bati", "equipement-public"),
        ("intervention", "couche-sig"),
    ),
    BlockSpec(
        "flotte-logistique",
        "Flotte, magasins et logistique",
        "patrimoine-moyens",
        "Véhicules, carburant, magasins du centre technique, matériel prêté.",
        "support",
        (),
        ("bon-de-commande",),
        ("tiers", "intervention"),
    ),
    BlockSpec(
        "reservation-salles",
        "Réservation de salles et de matériel",
        "patrimoine-moyens",
        "Salles municipales, salles de réunion, véhicules de pool.",
        "support",
        (),
        ("reservation-equipement", "titre-recette"),
        ("equipement-public", "tiers", "reservation-equipement"),
    ),
    BlockSpec(
        "courrier-ged",
        "Courrier et documents",
        "administration-generale",
        "Courrier entrant et sortant, gestion électronique des documents.",
        "support",
        ("relations-usagers",),
        ("courrier", "archive-electronique"),
        ("annuaire", "demande-usager", "document-signe"),
    ),
    BlockSpec(
        "assemblees",
        "Assemblées, actes et signature",
        "administration-generale",
        "Conseils municipaux, délibérations, arrêtés, signature électronique, contrôle de "
        "légalité.",
        "support",
        ("relations-elus",),
        ("deliberation", "document-signe", "elu"),
        ("arrete", "deliberation", "document-signe"),
    ),
    BlockSpec(
        "archives",
        "Archives",
        "administration-generale",
        "Archives papier et archivage électronique à valeur probante.",
        "support",
        (),
        ("archive-electronique",),
        ("deliberation", "document-signe", "arrete", "archive-electronique"),
    ),
    BlockSpec(
        "decisionnel",
        "Pilotage et décisionnel",
        "administration-generale",
        "Tableaux de bord, contrôle de gestion, observatoires.",
        "support",
        (),
        ("indicateur",),
        ("budget", "engagement", "intervention", "frequentation-transport", "tonnage-dechets",
         "titre-recette", "marche-public"),
    ),
    # --- Socle numérique
    BlockSpec(
        "echanges-donnees",
        "Échanges de données",
        "echanges-identite",
        "Le pot commun central qui reçoit chaque donnée une fois et la redistribue.",
        "support",
    ),
    BlockSpec(
        "identite-annuaires",
        "Identité et annuaires",
        "echanges-identite",
        "Comptes des agents, annuaires, habilitations.",
        "support",
        ("travail-social",),
        ("annuaire",),
        ("dossier-agent",),
    ),
    BlockSpec(
        "collaboration",
        "Messagerie, bureautique et collaboration",
        "environnement-travail",
        "Messagerie, agendas, bureautique, partage de fichiers, visioconférence.",
        "support",
        (),
        (),
        ("annuaire",),
    ),
    BlockSpec(
        "exploitation",
        "Exploitation et assistance informatique",
        "environnement-travail",
        "Assistance aux utilisateurs, inventaire du parc, supervision.",
        "support",
        (),
        ("ticket-support",),
        ("annuaire",),
    ),
)

BLOCKS_BY_ID: dict[str, BlockSpec] = {block.id: block for block in BLOCKS}
ZONE_OF_BLOCK: dict[str, str] = {
    block.id: district.zone
    for block in BLOCKS
    for district in DISTRICTS
    if district.id == block.district
}

# The shared referentials that applications read beyond their bloc's own inputs: the directory
# (single sign-on, habilitations), the addresses, the third parties, the public facilities, the
# buildings. (data object, share of reference applications that read it, share of long-tail
# tools, zones or blocs whose applications need it — None: all). The third parties are for
# those who pay, contract or subsidise, the buildings for those who keep them: not the
# archives, not the payroll. This is where the hub pays off first.
REFERENTIAL_NEEDS: tuple[tuple[str, float, float, tuple[str, ...] | None], ...] = (
    ("annuaire", 0.9, 0.3, None),
    ("referentiel-adresses", 0.7, 0.3,
     ("relation-usagers", "services-population", "amenagement-cadre-de-vie")),
    ("tiers", 0.55, 0.25,
     ("finances", "commande-publique", "gmao", "flotte-logistique", "patrimoine-bati",
      "reservation-salles", "sport-vie-associative", "economie-commerce", "culture",
      "cimetieres", "domaine-public")),
    ("equipement-public", 0.35, 0.12, ("relation-usagers", "services-population")),
    ("patrimoine-bati", 0.4, 0.12,
     ("gmao", "patrimoine-bati", "reservation-salles", "flotte-logistique", "prevention-risques",
      "espaces-verts", "proprete-dechets", "domaine-public", "sig")),
)


@dataclass(frozen=True)
class DomainSpec:
    """A mutualisation domain: the blocs it covers, and the years communes joined it (by rank
    of commune: the ville centre first, then by size; ``None`` = not joined)."""

    id: str
    name: str
    blocks: tuple[str, ...]


DOMAINS: tuple[DomainSpec, ...] = (
    DomainSpec("finances", "Finances et commande publique", ("finances-achats",)),
    DomainSpec("ressources-humaines", "Ressources humaines", ("ressources-humaines",)),
    DomainSpec("relation-usagers", "Relation aux usagers", ("gru", "portail-citoyen")),
    DomainSpec("actes-archivage", "Actes, signature et archivage", ("assemblees", "archives")),
    DomainSpec("information-geographique", "Information géographique", ("sig",)),
    DomainSpec("droit-des-sols", "Instruction du droit des sols", ("urbanisme",)),
    DomainSpec("socle-numerique", "Socle numérique", ("socle-numerique",)),
    DomainSpec("maintenance-patrimoine", "Maintenance du patrimoine", ("gmao",)),
)

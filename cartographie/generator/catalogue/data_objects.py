"""The data objects flows carry (``referentiel/donnees.yaml``), and how far the hub carries each.

A personal data object names its CNIL RU-030 sector. ``hub_share`` is the share of a data
object's flows that go through the hub in a commune that has fully adopted it: the hub was built
for the shared referentials (addresses, third parties, the directory…) and for the requests of
the GDU; business data mostly still travels point-à-point, which is what the hub consolidation
report is there to show.
"""

from __future__ import annotations

from dataclasses import dataclass

from cartographie.model.vocabulary import CnilSector


@dataclass(frozen=True)
class DataObjectSpec:
    id: str
    name: str
    description: str
    sector: CnilSector | None = None  # None: not personal data
    hub_share: float = 0.0


def _personal(
    id: str, name: str, sector: CnilSector, description: str, hub_share: float = 0.0
) -> DataObjectSpec:
    return DataObjectSpec(id, name, description, sector, hub_share)


def _plain(id: str, name: str, description: str, hub_share: float = 0.0) -> DataObjectSpec:
    return DataObjectSpec(id, name, description, None, hub_share)


DATA_OBJECTS: tuple[DataObjectSpec, ...] = (
    # --- personal data, by RU-030 sector
    _personal("acte-etat-civil", "Acte d'état civil", "etat-civil-citoyennete",
              "Actes de naissance, de mariage et de décès, et leurs mentions."),
    _personal("avis-deces", "Avis de décès", "etat-civil-citoyennete",
              "Décès enregistrés, transmis aux services qui doivent en tenir compte.", 0.3),
    _personal("electeur", "Électeur", "etat-civil-citoyennete",
              "Inscriptions et radiations sur les listes électorales."),
    _personal("recensement-citoyen", "Recensement citoyen", "etat-civil-citoyennete",
              "Jeunes de seize ans recensés pour la journée défense et citoyenneté."),
    _personal("concession-funeraire", "Concession funéraire", "etat-civil-citoyennete",
              "Concessions, titulaires et défunts inhumés."),
    _personal("dossier-famille", "Dossier famille", "prestations-scolaires-periscolaires",
              "Enfants, responsables légaux et coordonnées du foyer.", 0.4),
    _personal("quotient-familial", "Quotient familial", "prestations-scolaires-periscolaires",
              "Quotient familial du foyer, qui fixe les tarifs des services."),
    _personal("inscription-scolaire", "Inscription scolaire",
              "prestations-scolaires-periscolaires", "Affectation de l'enfant dans une école."),
    _personal("reservation-periscolaire", "Réservation périscolaire",
              "prestations-scolaires-periscolaires",
              "Réservations et présences à la cantine, aux accueils et aux centres de loisirs."),
    _personal("facture-famille", "Facture aux familles", "prestations-scolaires-periscolaires",
              "Factures des services périscolaires et de petite enfance.", 0.2),
    _personal("demande-place-creche", "Demande de place en crèche",
              "prestations-scolaires-periscolaires", "Pré-inscriptions examinées en commission."),
    _personal("fiche-sanitaire", "Fiche sanitaire de l'enfant", "sante",
              "Allergies, projet d'accueil individualisé, vaccinations."),
    _personal("lecteur", "Lecteur des médiathèques", "prestations-scolaires-periscolaires",
              "Inscrits des médiathèques et leurs prêts."),
    _personal("adherent-activite", "Inscrit à une activité", "prestations-scolaires-periscolaires",
              "Élèves du conservatoire, inscrits aux activités sportives et culturelles."),
    _personal("demande-usager", "Demande d'usager", "relations-usagers",
              "Demande, réclamation ou signalement d'un usager, et son suivi.", 0.6),
    _personal("compte-usager", "Compte usager", "relations-usagers",
              "Identité et coordonnées de l'usager sur le portail.", 0.5),
    _personal("rendez-vous", "Rendez-vous en mairie", "relations-usagers",
              "Rendez-vous pris pour les titres d'identité et les démarches en mairie."),
    _personal("signalement", "Signalement", "relations-usagers",
              "Anomalie signalée dans l'espace public, avec sa position et sa photo.", 0.5),
    _personal("paiement", "Paiement en ligne", "relations-usagers",
              "Transaction de paiement en ligne d'une facture ou d'un droit."),
    _personal("dossier-social", "Dossier d'aide sociale", "travail-social",
              "Situation du demandeur et aides instruites par le CCAS."),
    _personal("beneficiaire-aide", "Bénéficiaire d'une aide", "travail-social",
              "Personnes bénéficiant d'une aide facultative ou d'une réduction tarifaire."),
    _personal("dossier-agent", "Dossier de l'agent", "travail-social",
              "Situation administrative et carrière des agents.", 0.3),
    _personal("element-variable-paie", "Élément variable de paie", "travail-social",
              "Heures supplémentaires, astreintes, absences à reporter sur la paie.", 0.3),
    _personal("temps-agent", "Temps de travail de l'agent", "travail-social",
              "Plannings, badgeages, congés et absences."),
    _personal("dossier-urbanisme", "Demande d'autorisation d'urbanisme", "economie-urbanisme",
              "Permis, déclarations préalables et certificats, avec leurs pétitionnaires."),
    _personal("commercant-marche", "Commerçant non sédentaire", "economie-urbanisme",
              "Abonnés et passagers des marchés forains."),
    _personal("redevable-taxe", "Redevable d'une taxe locale", "fiscalite",
              "Redevables de la taxe locale sur la publicité extérieure, de la taxe de séjour, "
              "des droits de place."),
    _personal("main-courante", "Main courante de police municipale", "polices-speciales-voirie",
              "Interventions, personnes mises en cause, rapports."),
    _personal("proces-verbal", "Procès-verbal électronique", "polices-speciales-voirie",
              "Contraventions relevées par les agents de police municipale."),
    _personal("images-video", "Images de vidéoprotection", "polices-speciales-voirie",
              "Enregistrements et extractions sur réquisition."),
    _personal("permis-occupation", "Permission d'occupation du domaine public",
              "polices-speciales-voirie", "Terrasses, échafaudages, déménagements."),
    _personal("abonne-transport", "Abonné des transports", "transport",
              "Titulaires de cartes et d'abonnements du réseau."),
    _personal("validation-titre", "Validation de titre de transport", "transport",
              "Validations nominatives enregistrées par les valideurs."),
    _personal("forfait-post-stationnement", "Forfait post-stationnement", "transport",
              "Forfaits émis et recours administratifs préalables."),
    _personal("elu", "Élu et mandat", "relations-elus",
              "Élus, délégations, indemnités et présences."),
    _personal("courrier", "Courrier", "relations-usagers",
              "Courriers entrants et sortants, avec leurs expéditeurs.", 0.2),
    # --- data that is not personal
    _plain("referentiel-adresses", "Référentiel des adresses",
           "Base adresse locale : voies, numéros, positions.", 0.7),
    _plain("plan-cadastral", "Plan cadastral", "Parcelles et bâti du cadastre.", 0.5),
    _plain("couche-sig", "Couche géographique", "Couches métier publiées par le SIG.", 0.5),
    _plain("equipement-public", "Équipement public",
           "Écoles, gymnases, salles : adresse, capacité, horaires.", 0.6),
    _plain("patrimoine-bati", "Patrimoine bâti", "Référentiel des bâtiments et de leurs locaux.",
           0.6),
    _plain("tiers", "Tiers", "Fournisseurs, associations et partenaires, avec leur SIRET.", 0.7),
    _plain("annuaire", "Annuaire des agents et des services",
           "Comptes, services, rattachements : la source des habilitations.", 0.8),
    _plain("engagement", "Engagement comptable", "Réservation de crédits avant la commande.",
           0.3),
    _plain("bon-de-commande", "Bon de commande", "Commandes passées aux fournisseurs.", 0.3),
    _plain("facture-fournisseur", "Facture fournisseur", "Factures reçues par Chorus Pro."),
    _plain("mandat-titre", "Mandats et titres",
           "Pièces comptables transmises au comptable public (protocole PES)."),
    _plain("budget", "Budget", "Budget voté et exécution budgétaire.", 0.3),
    _plain("marche-public", "Marché public", "Marchés, lots, montants et avenants.", 0.3),
    _plain("ecriture-paie", "Écritures de paie", "Mandatement de la paie (montants agrégés)."),
    _plain("titre-recette", "Bordereau de titres de recettes",
           "Recettes à émettre par les services qui facturent (familles, concessions, droits de "
           "place, locations), transmises aux finances.", 0.2),
    _plain("subvention", "Subvention", "Subventions votées aux associations."),
    _plain("demande-intervention", "Demande d'intervention technique",
           "Demande adressée aux services techniques (voirie, bâtiment, espaces verts).", 0.5),
    _plain("intervention", "Intervention de maintenance",
           "Intervention planifiée, réalisée et clôturée.", 0.2),
    _plain("reservation-equipement", "Réservation d'équipement",
           "Créneaux attribués aux associations et aux services."),
    _plain("deliberation", "Délibération", "Délibérations du conseil et leurs annexes.", 0.2),
    _plain("arrete", "Arrêté", "Arrêtés du maire ou du président.", 0.2),
    _plain("document-signe", "Document signé", "Document revêtu d'une signature électronique."),
    _plain("archive-electronique", "Archive électronique",
           "Paquet d'archives versé au système d'archivage électronique.", 0.3),
    _plain("catalogue-bibliotheque", "Catalogue des médiathèques",
           "Notices bibliographiques et exemplaires."),
    _plain("evenement-agenda", "Événement de l'agenda", "Manifestations publiées en ligne."),
    _plain("jeu-donnees-ouvertes", "Jeu de données ouvertes",
           "Jeu de données publié sur le portail de données ouvertes."),
    _plain("horaires-transport", "Horaires théoriques du réseau",
           "Horaires et arrêts publiés au format GTFS."),
    _plain("frequentation-transport", "Fréquentation du réseau",
           "Montées et validations agrégées par ligne et par arrêt.", 0.5),
    _plain("occupation-stationnement", "Occupation des parkings",
           "Places libres et taux d'occupation en temps réel."),
    _plain("prevision-stationnement", "Prévision de places libres",
           "Places libres prévues par quartier et par heure."),
    _plain("tonnage-dechets", "Tonnages collectés", "Tonnages par tournée et par filière."),
    _plain("inventaire-arbres", "Patrimoine arboré", "Arbres, essences, état sanitaire."),
    _plain("indicateur", "Indicateur de pilotage", "Indicateurs consolidés des tableaux de bord."),
    _plain("ticket-support", "Ticket d'assistance", "Demandes d'assistance informatique."),
)

DATA_OBJECTS_BY_ID: dict[str, DataObjectSpec] = {item.id: item for item in DATA_OBJECTS}

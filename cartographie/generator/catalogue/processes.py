"""The dozen business processes of ``referentiel/processus.yaml``: their steps, who acts at each
step, and the blocs or named applications that serve it.

Named applications are those of the reference métropole (group 0): the shared ones of the
métropole (``met-…``) and those of outside bodies. A step lists ``next`` only where the process
branches or ends; otherwise the following step in the list comes next.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class StepSpec:
    id: str
    name: str
    actor: str
    blocks: tuple[str, ...] = ()
    applications: tuple[str, ...] = ()
    next: tuple[str, ...] | None = None
    sectors: tuple[str, ...] = ()  # the secteurs d'intervention sharing the step by place


@dataclass(frozen=True)
class ProcessSpec:
    id: str
    name: str
    description: str
    steps: tuple[StepSpec, ...]


PROCESSES: tuple[ProcessSpec, ...] = (
    ProcessSpec(
        "gdu",
        "Gestion des demandes usagers",
        "De la demande de l'usager à la réponse qu'il reçoit : la mairie qualifie la demande et "
        "la transmet au secteur d'intervention du lieu concerné — l'un des quatre secteurs "
        "territoriaux des services techniques, qui couvrent chacun plusieurs communes —, dont "
        "les équipes la traitent ; la réponse revient à l'usager par la GDU.",
        (
            StepSpec("depot", "Dépôt de la demande", "usager", ("signalement", "portail-citoyen"),
                     ("met-gdu", "met-demarches")),
            StepSpec("qualification", "Qualification et transmission au secteur",
                     "mairie (accueil)", ("accueil-physique",), ("met-gdu",)),
            StepSpec("traitement", "Traitement par le secteur du lieu concerné",
                     "secteur d'intervention",
                     ("gmao", "domaine-public", "proprete-dechets", "espaces-verts"), ("met-gdu",),
                     sectors=("secteur-est", "secteur-nord", "secteur-ouest", "secteur-sud")),
            StepSpec("reponse", "Réponse à l'usager", "usager", (), ("met-gdu",), ()),
        ),
    ),
    ProcessSpec(
        "inscription-periscolaire",
        "Inscription périscolaire",
        "Inscrire un enfant à la cantine et aux accueils, calculer le tarif au quotient "
        "familial, facturer la famille et encaisser.",
        (
            StepSpec("demande", "Demande d'inscription en ligne", "famille", ("portail-citoyen",)),
            StepSpec("dossier", "Constitution du dossier famille", "service enfance",
                     ("periscolaire",)),
            StepSpec("quotient", "Récupération du quotient familial", "service enfance", (),
                     ("caf-cdap",)),
            StepSpec("reservation", "Réservations et pointage des présences", "service enfance",
                     ("periscolaire",)),
            StepSpec("facturation", "Facturation aux familles", "service enfance",
                     ("periscolaire",)),
            StepSpec("paiement", "Paiement de la facture", "famille", ("paiement-en-ligne",),
                     ("dgfip-payfip",)),
            StepSpec("encaissement", "Titres de recettes et encaissement", "direction des finances",
                     (), ("met-finances", "dgfip-helios")),
        ),
    ),
    ProcessSpec(
        "etat-civil",
        "Délivrance d'un acte d'état civil",
        "Une copie ou un extrait d'acte demandé par l'usager, ou vérifié par un notaire ou une "
        "préfecture par COMEDEC.",
        (
            StepSpec("demande", "Demande d'acte", "usager", (), ("met-demarches",)),
            StepSpec("recherche", "Recherche et établissement de la copie", "officier d'état civil",
                     ("etat-civil",)),
            StepSpec("signature", "Signature", "officier d'état civil", (), ("met-parapheur",)),
            StepSpec("delivrance", "Délivrance ou vérification dématérialisée", "mairie",
                     ("etat-civil",), ("ants-comedec",)),
        ),
    ),
    ProcessSpec(
        "elections",
        "Inscription sur les listes électorales",
        "De la demande d'inscription au scrutin, avec le répertoire électoral unique de l'Insee.",
        (
            StepSpec("demande", "Demande d'inscription", "usager", (), ("met-demarches",)),
            StepSpec("instruction", "Instruction de la demande", "service des élections",
                     ("elections",)),
            StepSpec("reu", "Mise à jour du répertoire électoral unique", "Insee", (),
                     ("insee-reu",)),
            StepSpec("commission", "Commission de contrôle", "commission de contrôle",
                     ("elections",)),
            StepSpec("scrutin", "Scrutin et publication des résultats", "bureau centralisateur",
                     (), ("met-resultats",)),
        ),
    ),
    ProcessSpec(
        "paie",
        "Paie des agents",
        "Des éléments variables saisis par les services au paiement des agents.",
        (
            StepSpec("saisie", "Saisie des éléments variables", "services gestionnaires",
                     ("temps-activites",), ("met-temps",)),
            StepSpec("calcul", "Calcul de la paie", "direction des ressources humaines", (),
                     ("met-rh-paie",)),
            StepSpec("dsn", "Déclaration sociale nominative", "direction des ressources humaines",
                     (), ("gip-mds-dsn",)),
            StepSpec("mandatement", "Mandatement de la paie", "direction des finances", (),
                     ("met-finances",)),
            StepSpec("paiement", "Paiement des agents", "comptable public", (), ("dgfip-helios",)),
        ),
    ),
    ProcessSpec(
        "commande-facture",
        "De la commande à la facture",
        "La chaîne de la dépense : besoin, engagement, service fait, facture, mandat, paiement.",
        (
            StepSpec("besoin", "Expression du besoin", "service demandeur",
                     ("gmao", "flotte-logistique")),
            StepSpec("engagement", "Engagement et bon de commande", "service gestionnaire",
                     ("commande-publique",), ("met-finances",)),
            StepSpec("service-fait", "Constatation du service fait", "service demandeur", (),
                     ("met-finances",)),
            StepSpec("facture", "Dépôt de la facture", "fournisseur", (), ("aife-chorus-pro",)),
            StepSpec("mandatement", "Liquidation et mandatement", "direction des finances", (),
                     ("met-finances",)),
            StepSpec("paiement", "Paiement du fournisseur", "comptable public", (),
                     ("dgfip-helios",)),
        ),
    ),
    ProcessSpec(
        "intervention-gmao",
        "Intervention de maintenance",
        "Une demande d'intervention sur un bâtiment ou un équipement, de sa saisie à sa clôture.",
        (
            StepSpec("demande", "Demande d'intervention", "usager ou agent", (), ("met-gdu",)),
            StepSpec("planification", "Diagnostic et planification", "services techniques",
                     ("gmao",)),
            StepSpec("intervention", "Intervention en régie ou par un prestataire",
                     "équipe technique", ("gmao", "flotte-logistique")),
            StepSpec("cloture", "Clôture et retour au demandeur", "services techniques", ("gmao",),
                     ("met-gdu",)),
        ),
    ),
    ProcessSpec(
        "autorisation-urbanisme",
        "Autorisation d'urbanisme",
        "Un permis de construire, du dépôt en ligne à la transmission au contrôle de légalité.",
        (
            StepSpec("depot", "Dépôt de la demande en ligne", "pétitionnaire", (),
                     ("met-demarches",)),
            StepSpec("enregistrement", "Enregistrement en mairie", "mairie", ("urbanisme",)),
            StepSpec("instruction", "Instruction", "service instructeur", ("urbanisme", "sig"),
                     ("met-ads",)),
            StepSpec("decision", "Signature de l'arrêté", "maire", (), ("met-parapheur",)),
            StepSpec("legalite", "Transmission au contrôle de légalité", "préfecture", (),
                     ("met-s2low", "prefecture-actes")),
        ),
    ),
    ProcessSpec(
        "police-municipale",
        "Intervention de police municipale",
        "De l'appel ou du signalement au rapport, avec la vidéoprotection et la verbalisation "
        "électronique.",
        (
            StepSpec("appel", "Appel ou signalement", "usager", ("signalement",), ("met-gdu",)),
            StepSpec("intervention", "Intervention de la patrouille", "police municipale",
                     ("proximite",), (), ("video", "verbalisation", "rapport")),
            StepSpec("video", "Visionnage et extraction des images",
                     "centre de supervision urbaine", ("proximite",), (), ("rapport",)),
            StepSpec("verbalisation", "Verbalisation électronique", "police municipale", (),
                     ("antai-cnt",), ("rapport",)),
            StepSpec("rapport", "Rapport et main courante", "police municipale", ("proximite",),
                     (), ()),
        ),
    ),
    ProcessSpec(
        "billettique",
        "Billettique via le délégataire de transport",
        "Le titre vendu et validé chez le délégataire, les données restituées à la métropole, "
        "autorité organisatrice.",
        (
            StepSpec("achat", "Achat d'un titre", "voyageur", (), ("met-vente-mobile",)),
            StepSpec("validation", "Validation à bord", "voyageur", (), ("met-billettique",)),
            StepSpec("exploitation", "Exploitation du réseau", "délégataire transport", (),
                     ("met-saeiv", "met-billettique")),
            StepSpec("restitution", "Restitution des données", "délégataire transport", (),
                     ("met-billettique", "met-hub-donnees")),
            StepSpec("analyse", "Analyse de la fréquentation",
                     "métropole (autorité organisatrice)", (),
                     ("met-decisionnel", "met-open-data")),
        ),
    ),
    ProcessSpec(
        "deliberations",
        "Adoption d'une délibération",
        "Du projet rédigé par un service à l'archivage de l'acte exécutoire.",
        (
            StepSpec("redaction", "Rédaction du projet", "service rédacteur", (),
                     ("met-webdelib",)),
            StepSpec("vote", "Vote en conseil", "conseil municipal", ("assemblees",)),
            StepSpec("signature", "Signature", "maire", (), ("met-parapheur",)),
            StepSpec("legalite", "Contrôle de légalité", "préfecture", (),
                     ("met-s2low", "prefecture-actes")),
            StepSpec("archivage", "Archivage électronique", "archives", (), ("met-sae",)),
        ),
    ),
    ProcessSpec(
        "place-creche",
        "Attribution d'une place en crèche",
        "De la pré-inscription des parents au contrat d'accueil.",
        (
            StepSpec("preinscription", "Pré-inscription", "famille", ("portail-citoyen",)),
            StepSpec("instruction", "Instruction de la demande", "service petite enfance",
                     ("petite-enfance",)),
            StepSpec("commission", "Commission d'attribution", "élus et service petite enfance",
                     ("petite-enfance",)),
            StepSpec("contrat", "Contrat d'accueil et tarif", "crèche", ("petite-enfance",),
                     ("caf-cdap",)),
        ),
    ),
)

"""Building the flows of one group: from the applications that produce a data object to those
that consume it, organisation by organisation, then the flows the story needs.

Every flow joins two functions that exchange its data: the source produces it, the target
consumes it, as the catalogue declares function by function (``add`` refuses anything else) — so
the cameras never receive a citizen's request. For each organisation (the métropole, then each
commune) the applications it uses are indexed by the data objects they produce. Each application
the organisation owns draws the data it consumes from a producer, preferring the bloc's
reference application (and often from the other reference applications that produce it too: each
GMAO of the ville centre); a shared application (the finance one, the GDU…) receives, from every
commune that uses it, that commune's own data. Long-tail tools also push their output to a
reference application that consumes it, by file or by hand. A flow goes through the hub when its
data object is one the hub carries and the organisation has adopted the hub for it
(``hub_share`` × the organisation's adoption) — so the same data object travels both ways, which
is what the hub consolidation report looks for.

The story's flows come last and win over a generic flow of the same key: the CAF quotient
familial exchanged since 2012, on tacit consent in three communes and explicit consent in two
others, the deaths
recorded by the ville centre's état civil sent to the communes of residence, the police
pluricommunale's exchanges, the few feeds of the open-data portal, the billettique's data
restored by the délégataire, the parking délégataire's prediction SaaS, and the flows to the
State's applications (Hélios, Chorus Pro, COMEDEC, the REU, the ANTAI, @ctes, the DSN).
"""

from __future__ import annotations

import random
from collections.abc import Sequence

from cartographie.generator.applications import is_closed
from cartographie.generator.catalogue.data_objects import DATA_OBJECTS_BY_ID
from cartographie.generator.model import GeneratedApplication, GeneratedFlow
from cartographie.generator.territory import (
    CAF_CONSENT,
    CAF_EXCHANGE_SINCE,
    METROPOLE_ID,
    Commune,
    group_suffix,
)

# How likely an application is to actually receive each data object its bloc consumes.
CONSUME_SHARE_OWN = 0.97
CONSUME_SHARE_TOOL = 0.95
CONSUME_SHARE_SHARED = 0.9  # per producer of a commune feeding a shared application
SECOND_SOURCE_SHARE = 0.75
MORE_SOURCES = 3  # other reference applications a consumer may also read the same data from
TOOL_OUTPUT_SHARE = 0.9
TOOL_SECOND_OUTPUT_SHARE = 0.8
CLOSED_HUB_FACTOR = 0.7
# How far each organisation has adopted the hub, by size (a range to draw from).
HUB_ADOPTION = {"metropole": (0.85, 0.95), "centre": (0.7, 0.85), "grande": (0.5, 0.7),
                "moyenne": (0.4, 0.6), "petite": (0.2, 0.5)}


class FlowBuilder:
    """Builds the flows of one group: call :meth:`build` once."""

    def __init__(
        self,
        group: int,
        communes: list[Commune],
        applications: dict[str, list[GeneratedApplication]],
        partners: list[GeneratedApplication],
        seed: int,
    ) -> None:
        self.group = group
        self.suffix = group_suffix(group)
        self.communes = communes
        self.rng = random.Random(f"{seed}:{group}:flows")
        self.applications = [app for apps in applications.values() for app in apps]
        self.by_id = {app.id: app for app in self.applications}
        self.by_id.update((app.id, app) for app in partners)
        self.hub = f"met-hub-donnees{self.suffix}"
        self.flows: dict[tuple[str, str, str], GeneratedFlow] = {}
        self.adoption: dict[str, float] = {}

    # --- one flow ---------------------------------------------------------------------------

    def _protocol(
        self, source: GeneratedApplication, target: GeneratedApplication, via: str | None
    ) -> tuple[str, str]:
        rng = self.rng
        if via is not None:
            protocol = "bus" if rng.random() < 0.6 else "api"
            return protocol, "temps-reel" if rng.random() < 0.6 else "quotidienne"
        if is_closed(source) or is_closed(target):
            if rng.random() < 0.55:
                return "fichier", rng.choice(("quotidienne", "hebdomadaire", "mensuelle"))
            return "manuel", rng.choice(("hebdomadaire", "mensuelle", "ponctuelle"))
        draw = rng.random()
        if draw < 0.45:
            return "api", "temps-reel" if rng.random() < 0.55 else "quotidienne"
        protocol = "fichier" if draw < 0.8 else "etl"
        return protocol, rng.choice(("quotidienne", "quotidienne", "hebdomadaire", "mensuelle"))

    def add(
        self,
        source: GeneratedApplication,
        target: GeneratedApplication,
        data: str,
        organisation: str | None = None,
        *,
        via_hub: bool | None = None,
        protocol: tuple[str, str] | None = None,
        consent: str | None = None,
        description: str | None = None,
        since: int | None = None,
    ) -> None:
        """Add (or, for the story, replace) the flow ``source`` → ``target`` carrying ``data``.

        Only between functions that exchange the data: the source produces it and the target
        consumes it (an outside body's application, which has no bloc, excepted)."""
        if source.id == target.id:
            return
        if (source.blocks and data not in source.produces) or (
            target.blocks and data not in target.consumes
        ):
            raise ValueError(
                f"flow {source.id} -> {target.id} carries {data!r}, which the source does not "
                "produce or the target does not consume: declare it in the catalogue"
            )
        key = (source.id, target.id, data)
        if key in self.flows and via_hub is None:
            return
        closed = is_closed(source) or is_closed(target)
        if via_hub is None:
            share = DATA_OBJECTS_BY_ID[data].hub_share * self.adoption.get(organisation or "", 0)
            if closed:
                # The hub can drop a file where a workbook picks it up, but few bother.
                share *= CLOSED_HUB_FACTOR
            via_hub = (
                share > 0 and self.hub not in (source.id, target.id) and self.rng.random() < share
            )
        via = self.hub if via_hub else None
        if protocol is not None:
            protocol_frequency = protocol
        elif via is not None and closed:
            protocol_frequency = ("fichier", self.rng.choice(("quotidienne", "hebdomadaire")))
        else:
            protocol_frequency = self._protocol(source, target, via)
        self.flows[key] = GeneratedFlow(
            source.id, target.id, data, protocol_frequency[0], protocol_frequency[1], via,
            consent, description, since,
        )

    # --- generic flows ----------------------------------------------------------------------

    def _choose(self, candidates: Sequence[GeneratedApplication]) -> GeneratedApplication:
        authoritative = [app for app in candidates if app.authoritative]
        if authoritative and self.rng.random() < 0.85:
            return self.rng.choice(authoritative)
        return self.rng.choice(candidates)

    def _organisation_flows(self, organisation: str, used: list[GeneratedApplication]) -> None:
        producers: dict[str, list[GeneratedApplication]] = {}
        consumers: dict[str, list[GeneratedApplication]] = {}
        for app in used:
            for data in app.produces:
                producers.setdefault(data, []).append(app)
            if app.authoritative:
                for data in app.consumes:
                    consumers.setdefault(data, []).append(app)
        for consumer in used:
            if consumer.owner != organisation:
                # A shared application receives each commune's data from each of the
                # commune's own producers (every GMAO sends its orders to the finance one).
                for data in consumer.consumes:
                    for producer in producers.get(data, ()):
                        if (
                            producer.owner == organisation
                            and producer.id != consumer.id
                            and self.rng.random() < CONSUME_SHARE_SHARED
                        ):
                            self.add(producer, consumer, data, organisation)
                continue
            share = CONSUME_SHARE_OWN if consumer.tool_kind is None else CONSUME_SHARE_TOOL
            for data in consumer.consumes:
                if self.rng.random() >= share:
                    continue
                candidates = [app for app in producers.get(data, ()) if app.id != consumer.id]
                if not candidates:
                    continue
                first = self._choose(candidates)
                self.add(first, consumer, data, organisation)
                # Some data come from several sources: each GMAO of a ville centre's directions
                # sends its interventions, a base is kept beside the software.
                others = [app for app in candidates if app.id != first.id]
                references = [app for app in others if app.authoritative]
                for other in references[:MORE_SOURCES]:
                    if self.rng.random() < SECOND_SOURCE_SHARE:
                        self.add(other, consumer, data, organisation)
                if others and not references and self.rng.random() < SECOND_SOURCE_SHARE:
                    self.add(self._choose(others), consumer, data, organisation)
            if consumer.tool_kind is not None and consumer.produces:
                if self.rng.random() >= TOOL_OUTPUT_SHARE:
                    continue
                data = self.rng.choice(consumer.produces)
                targets = [app for app in consumers.get(data, ()) if app.id != consumer.id]
                if targets:
                    self.add(consumer, self.rng.choice(targets), data, organisation)
                if len(targets) > 1 and self.rng.random() < TOOL_SECOND_OUTPUT_SHARE:
                    self.add(consumer, self.rng.choice(targets), data, organisation)

    def _generic_flows(self) -> None:
        used: dict[str, list[GeneratedApplication]] = {METROPOLE_ID: []}
        for commune in self.communes:
            used[commune.id] = []
        for app in self.applications:
            if not app.active:
                continue
            for user in app.user_ids():
                used[user].append(app)
        sizes = {commune.id: commune.size for commune in self.communes}
        for organisation in used:
            low, high = HUB_ADOPTION[sizes.get(organisation, "metropole")]
            self.adoption[organisation] = round(self.rng.uniform(low, high), 3)
        for organisation, apps in used.items():
            self._organisation_flows(organisation, apps)

    # --- the story --------------------------------------------------------------------------

    def _app(self, app_id: str) -> GeneratedApplication | None:
        app = self.by_id.get(app_id)
        return app if app is not None and app.active else None

    def _metro(self, key: str) -> GeneratedApplication:
        app = self.by_id[f"met-{key}{self.suffix}"]
        return app

    def _of_commune(self, commune: Commune, key: str) -> GeneratedApplication | None:
        return self._app(f"{commune.code}-{key}")

    def _story_flows(self) -> None:
        partner = self.by_id
        finances = self._metro("finances")
        self.add(finances, partner["dgfip-helios"], "mandat-titre", via_hub=False,
                 protocol=("fichier", "quotidienne"),
                 description="Flux PES : mandats et titres transmis au comptable public.")
        self.add(partner["aife-chorus-pro"], finances, "facture-fournisseur", via_hub=False,
                 protocol=("api", "quotidienne"))
        self.add(self._metro("rh-paie"), partner["gip-mds-dsn"], "dossier-agent", via_hub=False,
                 protocol=("fichier", "mensuelle"), consent="non-requis",
                 description="Déclaration sociale nominative : obligation légale.")
        self.add(self._metro("rh-paie"), finances, "ecriture-paie", via_hub=False,
                 protocol=("fichier", "mensuelle"))
        self.add(self._metro("s2low"), partner["prefecture-actes"], "deliberation",
                 via_hub=False, protocol=("api", "quotidienne"))
        self.add(self._metro("s2low"), partner["prefecture-actes"], "arrete", via_hub=False,
                 protocol=("api", "quotidienne"))
        self._open_data_flows()
        self._transport_flows()
        for commune in self.communes:
            self._commune_partner_flows(commune)
        self._caf_flows()
        self._cross_commune_flows()

    def _open_data_flows(self) -> None:
        """The open-data portal is fed by four applications only."""
        portal = self._metro("open-data")
        feeds = (
            (self._metro("saeiv"), "horaires-transport", ("api", "quotidienne")),
            (self._metro("sig"), "couche-sig", ("api", "hebdomadaire")),
            (self._metro("finances"), "budget", ("fichier", "mensuelle")),
            (self._metro("billettique"), "frequentation-transport", ("fichier", "mensuelle")),
        )
        for source, data, protocol in feeds:
            self.add(source, portal, data, via_hub=False, protocol=protocol)

    def _transport_flows(self) -> None:
        billettique = self._metro("billettique")
        self.add(billettique, self._metro("decisionnel"), "frequentation-transport", via_hub=True,
                 protocol=("bus", "mensuelle"),
                 description="Restitution mensuelle prévue par le contrat renouvelé en 2023.")
        self.add(self._metro("vente-mobile"), billettique, "abonne-transport", via_hub=False,
                 protocol=("api", "temps-reel"))
        self.add(self._metro("saeiv"), self._metro("vente-mobile"), "horaires-transport",
                 via_hub=False, protocol=("api", "temps-reel"))
        central = self.communes[0]
        parkings = self._of_commune(central, "parkings")
        prediction = self._of_commune(central, "prevision-stationnement")
        site = self._of_commune(central, "site-internet")
        if parkings and prediction:
            self.add(parkings, prediction, "occupation-stationnement", via_hub=False,
                     protocol=("api", "temps-reel"),
                     description="Chez le délégataire et son sous-traitant : la ville n'y "
                     "accède pas.")
        if prediction and site:
            self.add(prediction, site, "prevision-stationnement", via_hub=False,
                     protocol=("api", "temps-reel"))
        if parkings:
            self.add(parkings, self.by_id["antai-cnt"], "forfait-post-stationnement",
                     via_hub=False, protocol=("fichier", "quotidienne"), consent="non-requis")

    def _commune_partner_flows(self, commune: Commune) -> None:
        partner = self.by_id
        etat_civil = self._of_commune(commune, "etat-civil")
        if etat_civil:
            self.add(etat_civil, partner["ants-comedec"], "acte-etat-civil", via_hub=False,
                     protocol=("api", "temps-reel"), consent="non-requis",
                     description="Données d'état civil envoyées pour une vérification demandée "
                     "par un notaire ou une préfecture.")
        elections = self._of_commune(commune, "elections")
        if elections:
            self.add(elections, partner["insee-reu"], "electeur", via_hub=False,
                     protocol=("api", "quotidienne"), consent="non-requis")
            self.add(partner["insee-reu"], elections, "electeur", via_hub=False,
                     protocol=("api", "quotidienne"), consent="non-requis")
        police = self._of_commune(commune, "police-municipale")
        if police:
            self.add(police, partner["antai-cnt"], "proces-verbal", via_hub=False,
                     protocol=("api", "temps-reel"), consent="non-requis")
        portal = self._of_commune(commune, "portail-famille")
        if portal:
            self.add(portal, partner["dgfip-payfip"], "facture-famille", via_hub=False,
                     protocol=("api", "temps-reel"), consent="non-requis")
            self.add(partner["dgfip-payfip"], portal, "paiement", via_hub=False,
                     protocol=("api", "temps-reel"))
        ccas = self._of_commune(commune, "ccas")
        if ccas and commune.size in ("centre", "grande"):
            self.add(ccas, partner["departement-solidarites"], "dossier-social", via_hub=False,
                     protocol=("fichier", "mensuelle"), consent="explicite",
                     description="Dossiers d'aide transmis au département avec l'accord écrit "
                     "du demandeur.")

    def _caf_flows(self) -> None:
        """The quotient familial, on tacit consent (« sauf opposition de la famille ») since
        2012, or on explicit consent since the commune collects it on its family portal."""
        caf = self.by_id["caf-cdap"]
        for commune in self.communes:
            consent = CAF_CONSENT.get(commune.spec.id)
            enfance = self._of_commune(commune, "enfance")
            if consent is None or enfance is None:
                continue
            portal = self._of_commune(commune, "portail-famille")
            if consent == "explicite" and portal is not None:
                wording = f"consentement recueilli sur le portail famille depuis {portal.since}"
            else:
                wording = "consentement présumé, sauf opposition de la famille"
            since = max(CAF_EXCHANGE_SINCE, enfance.since or CAF_EXCHANGE_SINCE)
            self.add(enfance, caf, "dossier-famille", via_hub=False,
                     protocol=("api", "quotidienne"), consent=consent, since=since,
                     description=f"Numéros d'allocataire envoyés à la CAF ({wording}).")
            self.add(caf, enfance, "quotient-familial", via_hub=False,
                     protocol=("api", "quotidienne"), consent=consent, since=since,
                     description=f"Quotient familial renvoyé par la CAF pour fixer les tarifs "
                     f"({wording}).")

    def _cross_commune_flows(self) -> None:
        """Personal data between communes that are distinct data controllers."""
        central = self.communes[0]
        source = self._of_commune(central, "etat-civil")
        if source is not None:
            for commune in self.communes[1:]:
                target = self._of_commune(commune, "etat-civil")
                if target is not None:
                    self.add(source, target, "avis-deces", via_hub=False,
                             protocol=("fichier", "hebdomadaire"),
                             description="Décès survenus au centre hospitalier d'Aurelle, "
                             "envoyés à la commune de résidence pour transcription.")
        # Reduced tariffs: the CCAS tells the enfance service which families it helps.
        for commune in self.communes[:4]:
            ccas = self._of_commune(commune, "ccas")
            enfance = self._of_commune(commune, "enfance")
            if ccas and enfance:
                self.add(ccas, enfance, "beneficiaire-aide", via_hub=False,
                         protocol=("fichier", "mensuelle"),
                         description="Familles aidées par le CCAS, pour le tarif réduit.")
        small = [commune for commune in self.communes if commune.size == "petite"]
        pairs = [(small[index], small[index + 1]) for index in range(0, len(small) - 1, 2)]
        for first, second in pairs[:3]:
            police = self._of_commune(first, "police-municipale")
            video = self._of_commune(second, "videoprotection") or self._of_commune(
                second, "police-municipale"
            )
            if police and video:
                data = "images-video" if video.id.endswith("videoprotection") else "main-courante"
                self.add(video, police, data, via_hub=False, protocol=("manuel", "ponctuelle"),
                         description="Convention de coordination entre polices municipales "
                         "voisines.")

    # --- the whole group --------------------------------------------------------------------

    def build(self) -> list[GeneratedFlow]:
        self._generic_flows()
        self._story_flows()
        return list(self.flows.values())

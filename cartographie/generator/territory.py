"""The territory of the reference métropole: Aurelle Métropole, its fourteen communes, the
outside bodies it exchanges data with, its two data centres and its délégations de service
public.

At scale N the territory holds N *groups*: group 0 is the reference métropole itself; group k
(k ≥ 1) is a copy of its fourteen communes under suffixed ids (``aurelle-2``, code ``aur2``) and
names (« Aurelle 2 »), with its own copy of the métropole's shared applications and contracts.
Only one commune, Aurelle, is the ville centre. Outside bodies, data centres, blocs, products,
data objects and processes are not copied: there is one CAF whatever the scale.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from cartographie.generator.catalogue.functions import Size

METROPOLE_ID = "metropole"
METROPOLE_NAME = "Aurelle Métropole"
METROPOLE_SHORT_NAME = "AM"
METROPOLE_CODE = "met"


@dataclass(frozen=True)
class CommuneSpec:
    """One of the fourteen communes of the reference métropole."""

    id: str
    name: str
    code: str  # the prefix of its applications' ids
    size: Size
    population: int
    # Year the commune joined each mutualisation domain (absent: not joined).
    joined: tuple[tuple[str, int], ...]


def _joined(
    finances: int, rh: int, usagers: int, socle: int, sig: int,
    actes: int | None = None, ads: int | None = None, gmao: int | None = None,
) -> tuple[tuple[str, int], ...]:
    years: list[tuple[str, int | None]] = [
        ("socle-numerique", socle),
        ("finances", finances),
        ("ressources-humaines", rh),
        ("information-geographique", sig),
        ("droit-des-sols", ads),
        ("actes-archivage", actes),
        ("relation-usagers", usagers),
        ("maintenance-patrimoine", gmao),
    ]
    return tuple((domain, year) for domain, year in years if year is not None)


# The ville centre first, then by size. Joining years follow the history of the DGSIN: the
# socle and finances first (2015–2019), RH next, the citizen-request tool for everybody in
# 2020–2022, maintenance only now (two communes pilot the shared GMAO in 2026).
COMMUNES: tuple[CommuneSpec, ...] = (
    CommuneSpec("aurelle", "Aurelle", "aur", "centre", 168_420,
                _joined(2016, 2018, 2020, 2015, 2016, actes=2019)),
    CommuneSpec("saint-jean-de-veze", "Saint-Jean-de-Vèze", "sjv", "grande", 41_230,
                _joined(2016, 2018, 2020, 2015, 2017, actes=2019)),
    CommuneSpec("montaigut-sur-leze", "Montaigut-sur-Lèze", "mtl", "grande", 33_870,
                _joined(2017, 2019, 2021, 2015, 2017, actes=2020)),
    CommuneSpec("breville-les-forges", "Bréville-les-Forges", "brf", "grande", 27_310,
                _joined(2017, 2020, 2021, 2016, 2018, actes=2021, ads=2018, gmao=2026)),
    CommuneSpec("castelnau-d-aurelle", "Castelnau-d'Aurelle", "cda", "moyenne", 14_620,
                _joined(2018, 2019, 2020, 2016, 2018, actes=2020, ads=2017)),
    CommuneSpec("la-salvetat-saint-gilles", "La Salvetat-Saint-Gilles", "lsg", "moyenne", 11_240,
                _joined(2018, 2020, 2021, 2016, 2018, actes=2021, ads=2017, gmao=2026)),
    CommuneSpec("pujols-le-haut", "Pujols-le-Haut", "pjh", "petite", 8_710,
                _joined(2018, 2020, 2021, 2017, 2019, actes=2022, ads=2017)),
    CommuneSpec("fontenilles-sur-aure", "Fontenilles-sur-Aure", "fsa", "petite", 6_930,
                _joined(2019, 2021, 2021, 2017, 2019, ads=2017)),
    CommuneSpec("lestang", "Lestang", "lst", "petite", 5_420,
                _joined(2019, 2021, 2022, 2017, 2019, actes=2022, ads=2017)),
    CommuneSpec("saint-orens-de-montclar", "Saint-Orens-de-Montclar", "som", "petite", 4_810,
                _joined(2019, 2021, 2022, 2018, 2020, ads=2017)),
    CommuneSpec("merenvielle", "Mérenvielle", "mer", "petite", 3_650,
                _joined(2019, 2021, 2022, 2018, 2020, ads=2017)),
    CommuneSpec("lauzac", "Lauzac", "lau", "petite", 2_940,
                _joined(2019, 2021, 2022, 2018, 2020, actes=2023, ads=2017)),
    CommuneSpec("beaupuy-l-eveque", "Beaupuy-l'Évêque", "ble", "petite", 2_310,
                _joined(2019, 2021, 2022, 2018, 2020, ads=2017)),
    CommuneSpec("roqueserre", "Roqueserre", "roq", "petite", 1_870,
                _joined(2019, 2021, 2022, 2018, 2020, ads=2017)),
)

CENTRAL_CITY = COMMUNES[0]


@dataclass(frozen=True)
class Commune:
    """A commune of one group of the generated territory."""

    spec: CommuneSpec
    group: int
    id: str
    name: str
    code: str

    @property
    def size(self) -> Size:
        return self.spec.size

    @property
    def central_city(self) -> bool:
        return self.group == 0 and self.spec is CENTRAL_CITY

    def joined(self, domain: str) -> int | None:
        return dict(self.spec.joined).get(domain)


def group_suffix(group: int) -> str:
    """``""`` for the reference métropole, ``-2``, ``-3``… for the copies of larger scales."""
    return "" if group == 0 else f"-{group + 1}"


def communes_of_group(group: int) -> list[Commune]:
    suffix = group_suffix(group)
    code_suffix = "" if group == 0 else str(group + 1)
    name_suffix = "" if group == 0 else f" {group + 1}"
    return [
        Commune(spec, group, spec.id + suffix, spec.name + name_suffix, spec.code + code_suffix)
        for spec in COMMUNES
    ]


@dataclass(frozen=True)
class PartnerSpec:
    id: str
    name: str
    description: str


PARTNERS: tuple[PartnerSpec, ...] = (
    PartnerSpec("caf", "Caisse d'allocations familiales de la Haute-Aurelle",
                "Fournit le quotient familial des allocataires aux services municipaux."),
    PartnerSpec("dgfip", "Direction générale des finances publiques",
                "Comptable public des communes et de la métropole ; paiement en ligne PayFiP."),
    PartnerSpec("insee", "Insee", "Tient le répertoire électoral unique (REU) depuis 2019."),
    PartnerSpec("ants", "Agence nationale des titres sécurisés",
                "Vérification dématérialisée des données d'état civil (COMEDEC)."),
    PartnerSpec("antai", "Agence nationale de traitement automatisé des infractions",
                "Traite les procès-verbaux électroniques et les forfaits post-stationnement."),
    PartnerSpec("aife", "Agence pour l'informatique financière de l'État",
                "Opère Chorus Pro, par où arrivent les factures des fournisseurs."),
    PartnerSpec("prefecture", "Préfecture de la Haute-Aurelle",
                "Contrôle de légalité des actes des communes et de la métropole."),
    PartnerSpec("departement", "Conseil départemental de la Haute-Aurelle",
                "Chef de file de l'action sociale ; a publié en logiciel libre son guichet "
                "d'accueil des usagers."),
    PartnerSpec("gip-mds", "GIP Modernisation des déclarations sociales",
                "Opère net-entreprises.fr, qui reçoit la déclaration sociale nominative."),
)


@dataclass(frozen=True)
class DatacenterSpec:
    id: str
    name: str
    commune: str


DATACENTERS: tuple[DatacenterSpec, ...] = (
    DatacenterSpec("dc-hotel-de-ville", "Salle serveurs de l'hôtel de ville d'Aurelle", "aurelle"),
    DatacenterSpec("dc-metropole", "Centre de données métropolitain de Saint-Jean-de-Vèze",
                   "saint-jean-de-veze"),
)


@dataclass(frozen=True)
class DelegationSpec:
    key: str
    name: str
    delegate: str
    service: str
    authority: str  # "metropole" or the id of a commune of group 0
    start: dt.date
    end: dt.date
    data_clause: str
    data_returned: bool
    renews: str | None = None


DELEGATIONS: tuple[DelegationSpec, ...] = (
    DelegationSpec(
        "dsp-transport-2015",
        "Délégation du réseau de transport urbain 2015–2022",
        "Keolis Aurelle Métropole",
        "Transport public urbain",
        METROPOLE_ID,
        dt.date(2015, 1, 1),
        dt.date(2022, 12, 31),
        "Les données de billettique et de fréquentation appartiennent à la métropole, mais le "
        "contrat ne prévoit ni format, ni délai, ni modalité de restitution.",
        False,
    ),
    DelegationSpec(
        "dsp-transport-2023",
        "Délégation du réseau de transport urbain 2023–2030",
        "Keolis Aurelle Métropole",
        "Transport public urbain",
        METROPOLE_ID,
        dt.date(2023, 1, 1),
        dt.date(2030, 12, 31),
        "Restitution mensuelle des validations et des ventes (formats GTFS et NeTEx), "
        "restitution intégrale de la base billettique en fin de contrat.",
        True,
        renews="dsp-transport-2015",
    ),
    DelegationSpec(
        "dsp-stationnement-2019",
        "Délégation du stationnement en ouvrage et sur voirie d'Aurelle",
        "Indigo",
        "Stationnement",
        "aurelle",
        dt.date(2019, 7, 1),
        dt.date(2031, 6, 30),
        "Le délégataire fournit un service de prévision des places libres en SaaS ; les données "
        "d'occupation restent chez le délégataire et son sous-traitant.",
        False,
    ),
    DelegationSpec(
        "dsp-restauration-2017",
        "Délégation de la restauration scolaire de Saint-Jean-de-Vèze",
        "API Restauration",
        "Restauration scolaire",
        "saint-jean-de-veze",
        dt.date(2017, 9, 1),
        dt.date(2027, 8, 31),
        "Les effectifs et les commandes de repas sont restitués chaque semaine au service "
        "enfance.",
        True,
    ),
)

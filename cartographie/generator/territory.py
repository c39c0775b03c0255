"""The territory of the reference métropole: Aurelle Métropole, its fourteen communes engaged in
the mutualisation and the sixteen others that have not joined, the four secteurs d'intervention
of its technical services, the outside bodies it exchanges data with, its two data centres that
back each other up, and its délégations de service public.

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
class OtherCommuneSpec:
    """A commune of the métropole that has not joined the mutualisation: named, nothing more."""

    id: str
    name: str
    population: int


# The fourteen are « nearly half » of the métropole's thirty communes (DESIGN.md §9): the others,
# mostly small communes of the second ring, keep their own IT or none.
OTHER_COMMUNES: tuple[OtherCommuneSpec, ...] = (
    OtherCommuneSpec("villeneuve-sur-aure", "Villeneuve-sur-Aure", 12_480),
    OtherCommuneSpec("saint-paul-d-aurelle", "Saint-Paul-d'Aurelle", 9_210),
    OtherCommuneSpec("caussade-la-vieille", "Caussade-la-Vieille", 6_870),
    OtherCommuneSpec("montbrun-le-chateau", "Montbrun-le-Château", 5_340),
    OtherCommuneSpec("labastide-du-vert", "Labastide-du-Vert", 4_120),
    OtherCommuneSpec("saint-sernin-des-pres", "Saint-Sernin-des-Prés", 3_760),
    OtherCommuneSpec("castelviel", "Castelviel", 2_950),
    OtherCommuneSpec("les-cabanes-d-aure", "Les Cabanes-d'Aure", 2_430),
    OtherCommuneSpec("puylaroque-sur-leze", "Puylaroque-sur-Lèze", 2_180),
    OtherCommuneSpec("saint-martin-de-veze", "Saint-Martin-de-Vèze", 1_960),
    OtherCommuneSpec("aubiac-d-aure", "Aubiac-d'Aure", 1_640),
    OtherCommuneSpec("cazalens-le-bas", "Cazalens-le-Bas", 1_410),
    OtherCommuneSpec("sainte-foy-d-aurelle", "Sainte-Foy-d'Aurelle", 1_230),
    OtherCommuneSpec("montesquiou-la-leze", "Montesquiou-la-Lèze", 980),
    OtherCommuneSpec("lasserre-du-mont", "Lasserre-du-Mont", 760),
    OtherCommuneSpec("saint-cyprien-sur-veze", "Saint-Cyprien-sur-Vèze", 540),
)


@dataclass(frozen=True)
class SectorSpec:
    """A secteur d'intervention: the communes (commune spec id, and the part covered when the
    commune is split) whose technical interventions its teams carry out."""

    key: str
    name: str
    description: str
    areas: tuple[tuple[str, str | None], ...]


# The technical services were reorganised into four territorial sectors that cut across commune
# boundaries: the ville centre is split between two, the small communes are grouped. A mayor no
# longer sends « his » team to a pothole; the sector of the place does.
SECTORS: tuple[SectorSpec, ...] = (
    SectorSpec(
        "secteur-nord",
        "Secteur Nord",
        "Centre technique de Saint-Jean-de-Vèze : voirie, propreté, espaces verts et bâtiments "
        "du nord de l'agglomération.",
        (
            ("aurelle", "quartiers nord, rive droite de l'Aure"),
            ("saint-jean-de-veze", None),
            ("lauzac", None),
            ("beaupuy-l-eveque", None),
        ),
    ),
    SectorSpec(
        "secteur-sud",
        "Secteur Sud",
        "Centre technique municipal d'Aurelle : le cœur de la ville centre et les communes du "
        "sud.",
        (
            ("aurelle", "centre historique et quartiers sud, rive gauche de l'Aure"),
            ("castelnau-d-aurelle", None),
            ("roqueserre", None),
        ),
    ),
    SectorSpec(
        "secteur-est",
        "Secteur Est",
        "Centre technique de Montaigut-sur-Lèze : la vallée de la Lèze.",
        (
            ("montaigut-sur-leze", None),
            ("pujols-le-haut", None),
            ("merenvielle", None),
            ("saint-orens-de-montclar", None),
        ),
    ),
    SectorSpec(
        "secteur-ouest",
        "Secteur Ouest",
        "Centre technique de Bréville-les-Forges : les Forges et la basse vallée de l'Aure.",
        (
            ("breville-les-forges", None),
            ("la-salvetat-saint-gilles", None),
            ("fontenilles-sur-aure", None),
            ("lestang", None),
        ),
    ),
)


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


# The CAF's quotient familial has reached the communes on tacit consent since 2012 (DESIGN.md
# §9): three still rely on it; two have since collected explicit consent on their family portal.
CAF_EXCHANGE_SINCE = 2012
CAF_CONSENT: dict[str, str] = {
    "aurelle": "explicite",
    "saint-jean-de-veze": "explicite",
    "montaigut-sur-leze": "tacite",
    "breville-les-forges": "tacite",
    "castelnau-d-aurelle": "tacite",
}


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
    backup: str  # the data centre where its applications are restored after a disaster


# Two data centres that back each other up (DESIGN.md §9): each replicates the other's
# applications — except, in the hôtel de ville's room, the old physical servers never
# virtualised, and, in the métropole's, the communes' in-house WinDev applications (see
# ``GroupBuilder._mark_without_backup``: they run there with no backup).
DATACENTERS: tuple[DatacenterSpec, ...] = (
    DatacenterSpec("dc-hotel-de-ville", "Salle serveurs de l'hôtel de ville d'Aurelle", "aurelle",
                   "dc-metropole"),
    DatacenterSpec("dc-metropole", "Centre de données métropolitain de Saint-Jean-de-Vèze",
                   "saint-jean-de-veze", "dc-hotel-de-ville"),
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
    amount: int | None = None  # euros, over the whole contract


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
        amount=1_500_000_000,
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
        amount=1_720_000_000,
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
        amount=84_000_000,
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
        amount=31_500_000,
    ),
)

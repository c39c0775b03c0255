"""Vendors and products (``referentiel/editeurs.yaml``): the software French communes actually
run, by who sells it.

The API openness recorded here is the métropole's own assessment, as the urbaniste notes it in
the inventory (can the DGSIN get data in and out without the vendor's paid connector?), not a
statement about the vendor in general. Products say how they are usually hosted and what they
cost a year (a range the generator draws from, in euros, for a large commune; smaller communes
pay less).

Three names are invented for the story and say so in the inventory: the conseil départemental's
citizen-reception software, and the parking-prediction SaaS of the parking délégataire.
"""

from __future__ import annotations

from dataclasses import dataclass

from cartographie.model.vocabulary import ApiOpenness, Hosting, Licence


@dataclass(frozen=True)
class VendorSpec:
    id: str
    name: str
    api: ApiOpenness
    website: str | None = None


@dataclass(frozen=True)
class ProductSpec:
    id: str
    name: str
    vendor: str
    hosting: Hosting = "datacenter"
    cost: tuple[int, int] = (3_000, 20_000)
    suite: str | None = None
    licence: Licence = "proprietaire"
    api: ApiOpenness | None = None


VENDORS: tuple[VendorSpec, ...] = (
    VendorSpec("berger-levrault", "Berger-Levrault", "proprietaire",
               "https://www.berger-levrault.com"),
    VendorSpec("arpege", "Arpège", "proprietaire"),
    VendorSpec("ciril-group", "Ciril GROUP", "proprietaire", "https://www.cirilgroup.com"),
    VendorSpec("inetum", "Inetum", "proprietaire", "https://www.inetum.com"),
    VendorSpec("jvs-mairistem", "JVS-Mairistem", "aucune", "https://www.jvs-mairistem.fr"),
    VendorSpec("libriciel", "Libriciel SCOP", "ouverte", "https://www.libriciel.fr"),
    VendorSpec("openmairie", "openMairie", "ouverte", "https://www.openmairie.org"),
    VendorSpec("operis", "Operis", "proprietaire"),
    VendorSpec("edicia", "Edicia", "proprietaire"),
    VendorSpec("logitud", "Logitud Solutions", "proprietaire"),
    VendorSpec("genetec", "Genetec", "proprietaire", "https://www.genetec.com"),
    VendorSpec("milestone", "Milestone Systems", "proprietaire", "https://www.milestonesys.com"),
    VendorSpec("kimoce", "Kimoce", "proprietaire"),
    VendorSpec("carl-software", "CARL Software", "proprietaire"),
    VendorSpec("siveco", "Siveco Group", "proprietaire"),
    VendorSpec("biblibre", "BibLibre", "ouverte", "https://www.biblibre.com"),
    VendorSpec("decalog", "Décalog", "proprietaire"),
    VendorSpec("c3rb", "C3rb Informatique", "proprietaire"),
    VendorSpec("archimed", "Archimed", "proprietaire"),
    VendorSpec("maarch", "Maarch", "ouverte", "https://maarch.com"),
    VendorSpec("efalia", "Efalia", "proprietaire"),
    VendorSpec("digitech", "Digitech", "proprietaire"),
    VendorSpec("entrouvert", "Entr'ouvert", "ouverte", "https://www.entrouvert.com"),
    VendorSpec("aiga", "Aiga", "proprietaire"),
    VendorSpec("abelium", "Abelium Collectivités", "proprietaire"),
    VendorSpec("arche-mc2", "Arche MC2", "proprietaire"),
    VendorSpec("gescime", "Gescime", "aucune"),
    VendorSpec("duonet", "Duonet", "aucune"),
    VendorSpec("horoquartz", "Horoquartz", "proprietaire"),
    VendorSpec("agysoft", "Agysoft", "proprietaire"),
    VendorSpec("esri-france", "Esri France", "ouverte"),
    VendorSpec("qgis", "QGIS.org", "ouverte", "https://qgis.org"),
    VendorSpec("synbird", "Synbird", "proprietaire"),
    VendorSpec("opendatasoft", "Opendatasoft", "ouverte", "https://www.opendatasoft.com"),
    VendorSpec("spallian", "Spallian", "proprietaire"),
    VendorSpec("neocity", "Neocity", "aucune"),
    VendorSpec("weezevent", "Weezevent", "proprietaire", "https://www.weezevent.com"),
    VendorSpec("affluences", "Affluences", "proprietaire", "https://www.affluences.com"),
    VendorSpec("microsoft", "Microsoft", "proprietaire", "https://www.microsoft.com"),
    VendorSpec("pc-soft", "PC SOFT", "aucune", "https://www.pcsoft.fr"),
    VendorSpec("teclib", "Teclib'", "ouverte"),
    VendorSpec("centreon", "Centreon", "ouverte", "https://www.centreon.com"),
    VendorSpec("bluemind", "BlueMind", "ouverte", "https://www.bluemind.net"),
    VendorSpec("ow2", "OW2", "ouverte", "https://www.ow2.org"),
    VendorSpec("qlik", "Qlik", "proprietaire", "https://www.qlik.com"),
    VendorSpec("naoned", "Naoned Systèmes", "proprietaire"),
    VendorSpec("wordpress", "Fondation WordPress", "ouverte", "https://wordpress.org"),
    VendorSpec("drupal", "Association Drupal", "ouverte", "https://www.drupal.org"),
    VendorSpec("flowbird", "Flowbird", "proprietaire"),
    VendorSpec("cd-haute-aurelle", "Conseil départemental de la Haute-Aurelle", "ouverte"),
    VendorSpec("parkaviz", "Parkaviz", "aucune"),
)

PRODUCTS: tuple[ProductSpec, ...] = (
    # Berger-Levrault
    ProductSpec("bl-emagnus-gf", "e.magnus Gestion financière", "berger-levrault",
                cost=(60_000, 160_000), suite="e-magnus"),
    ProductSpec("bl-emagnus-grh", "e.magnus Gestion des ressources humaines", "berger-levrault",
                cost=(40_000, 120_000), suite="e-magnus"),
    ProductSpec("bl-sedit-marianne", "Sedit Marianne GF", "berger-levrault", cost=(15_000, 40_000)),
    ProductSpec("bl-atal", "Atal II", "berger-levrault", cost=(8_000, 30_000)),
    # Arpège
    ProductSpec("arpege-melodie", "Mélodie", "arpege", cost=(4_000, 15_000),
                suite="arpege-population"),
    ProductSpec("arpege-adagio", "Adagio", "arpege", cost=(3_000, 10_000),
                suite="arpege-population"),
    ProductSpec("arpege-requiem", "Requiem", "arpege", cost=(2_000, 6_000),
                suite="arpege-population"),
    ProductSpec("arpege-concerto", "Concerto Opus", "arpege", cost=(10_000, 45_000),
                suite="arpege-famille"),
    ProductSpec("arpege-espace-citoyens", "Espace Citoyens", "arpege", "saas", (4_000, 18_000),
                suite="arpege-famille"),
    # Ciril GROUP
    ProductSpec("ciril-civilnet-rh", "Civil Net RH", "ciril-group", cost=(50_000, 140_000),
                suite="civil-net"),
    ProductSpec("ciril-civilnet-finances", "Civil Net Finances", "ciril-group",
                cost=(30_000, 90_000), suite="civil-net"),
    ProductSpec("ciril-cartads", "Cart@DS", "ciril-group", cost=(15_000, 50_000)),
    ProductSpec("ciril-geo", "GEO", "ciril-group", cost=(10_000, 40_000)),
    # Inetum
    ProductSpec("inetum-astre-gf", "Astre GF", "inetum", cost=(25_000, 80_000), suite="astre"),
    ProductSpec("inetum-astre-rh", "Astre RH", "inetum", cost=(25_000, 80_000), suite="astre"),
    # JVS-Mairistem
    ProductSpec("jvs-horizon-etat-civil", "Horizon Villages — État civil", "jvs-mairistem",
                cost=(800, 2_500), suite="horizon-villages"),
    ProductSpec("jvs-horizon-elections", "Horizon Villages — Élections", "jvs-mairistem",
                cost=(600, 2_000), suite="horizon-villages"),
    ProductSpec("jvs-horizon-comptabilite", "Horizon Villages — Comptabilité", "jvs-mairistem",
                cost=(1_200, 4_000), suite="horizon-villages"),
    # Libriciel
    ProductSpec("libriciel-iparapheur", "i-Parapheur", "libriciel", cost=(5_000, 15_000),
                licence="libre"),
    ProductSpec("libriciel-pastell", "Pastell", "libriciel", cost=(4_000, 12_000), licence="libre"),
    ProductSpec("libriciel-webdelib", "web-delib", "libriciel", cost=(4_000, 12_000),
                licence="libre"),
    ProductSpec("libriciel-asalae", "As@lae", "libriciel", cost=(8_000, 25_000), licence="libre"),
    ProductSpec("libriciel-s2low", "S²LOW", "libriciel", cost=(2_000, 6_000), licence="libre"),
    # openMairie
    ProductSpec("openmairie-opencimetiere", "openCimetière", "openmairie", cost=(500, 3_000),
                suite="openmairie", licence="libre"),
    ProductSpec("openmairie-openelec", "openElec", "openmairie", cost=(500, 3_000),
                suite="openmairie", licence="libre"),
    ProductSpec("openmairie-openads", "openADS", "openmairie", cost=(5_000, 20_000),
                suite="openmairie", licence="libre"),
    ProductSpec("openmairie-openresultat", "openRésultat", "openmairie", cost=(500, 2_000),
                suite="openmairie", licence="libre"),
    ProductSpec("openmairie-opencourrier", "openCourrier", "openmairie", cost=(500, 3_000),
                suite="openmairie", licence="libre"),
    # Droit des sols, police, vidéoprotection
    ProductSpec("operis-oxalis", "Oxalis", "operis", cost=(12_000, 40_000)),
    ProductSpec("edicia-smart-police", "Smart Police", "edicia", "saas", (3_000, 15_000)),
    ProductSpec("logitud-municipol", "Municipol", "logitud", cost=(2_500, 10_000)),
    ProductSpec("logitud-siecle", "Siècle", "logitud", cost=(3_000, 10_000)),
    ProductSpec("genetec-security-center", "Security Center", "genetec", cost=(15_000, 80_000)),
    ProductSpec("milestone-xprotect", "XProtect", "milestone", cost=(8_000, 50_000)),
    # Maintenance (GMAO)
    ProductSpec("kimoce", "Kimoce", "kimoce", "saas", (6_000, 25_000)),
    ProductSpec("carl-source", "CARL Source", "carl-software", cost=(15_000, 60_000)),
    ProductSpec("siveco-coswin", "Coswin", "siveco", cost=(10_000, 40_000)),
    # Lecture publique, culture
    ProductSpec("biblibre-koha", "Koha", "biblibre", cost=(3_000, 15_000), licence="libre"),
    ProductSpec("decalog-paprika", "Paprika", "decalog", cost=(4_000, 18_000)),
    ProductSpec("c3rb-orphee", "Orphée", "c3rb", cost=(1_500, 8_000)),
    ProductSpec("archimed-syracuse", "Syracuse", "archimed", "saas", (8_000, 25_000)),
    ProductSpec("duonet", "Duonet", "duonet", "saas", (1_500, 6_000)),
    ProductSpec("weezevent", "Weezevent", "weezevent", "saas", (500, 6_000)),
    ProductSpec("affluences", "Affluences", "affluences", "saas", (1_000, 5_000)),
    # Courrier, assemblées, archives
    ProductSpec("maarch-courrier", "Maarch Courrier", "maarch", cost=(6_000, 25_000),
                licence="libre"),
    ProductSpec("efalia-elise", "Elise", "efalia", cost=(5_000, 20_000)),
    ProductSpec("digitech-airs-courrier", "Airs Courrier", "digitech", cost=(3_000, 12_000),
                suite="airs"),
    ProductSpec("digitech-airs-delib", "Airs Délib", "digitech", cost=(3_000, 12_000),
                suite="airs"),
    ProductSpec("naoned-mnesys", "Mnesys", "naoned", cost=(5_000, 15_000)),
    # Relation usagers
    ProductSpec("entrouvert-publik", "Publik", "entrouvert", "saas", (30_000, 90_000),
                licence="libre"),
    ProductSpec("synbird", "Synbird", "synbird", "saas", (3_000, 12_000)),
    ProductSpec("spallian-tellmycity", "TellMyCity", "spallian", "saas", (3_000, 12_000)),
    ProductSpec("neocity", "Neocity", "neocity", "saas", (1_500, 6_000)),
    ProductSpec("opendatasoft", "Opendatasoft", "opendatasoft", "saas", (15_000, 40_000)),
    ProductSpec("wordpress", "WordPress", "wordpress", cost=(1_000, 8_000), licence="libre"),
    ProductSpec("drupal", "Drupal", "drupal", cost=(8_000, 30_000), licence="libre"),
    ProductSpec("cd-guichet-citoyen", "Guichet citoyen", "cd-haute-aurelle", cost=(0, 0),
                licence="libre"),
    # Enfance et famille, action sociale, population
    ProductSpec("aiga-inoe", "iNoé", "aiga", cost=(6_000, 30_000), suite="inoe"),
    ProductSpec("aiga-inoe-portail", "Portail famille iNoé", "aiga", "saas", (2_000, 9_000),
                suite="inoe"),
    ProductSpec("abelium-domino", "Domino", "abelium", cost=(5_000, 25_000), suite="domino"),
    ProductSpec("abelium-domino-web", "Domino Web", "abelium", "saas", (2_000, 8_000),
                suite="domino"),
    ProductSpec("arche-mc2-millesime", "Millésime Online", "arche-mc2", "saas", (3_000, 15_000)),
    ProductSpec("gescime", "Gescime", "gescime", "saas", (800, 4_000)),
    # Ressources
    ProductSpec("horoquartz-etemptation", "eTemptation", "horoquartz", cost=(20_000, 70_000)),
    ProductSpec("agysoft-marco", "Marco", "agysoft", cost=(8_000, 25_000)),
    ProductSpec("qlik-sense", "Qlik Sense", "qlik", cost=(15_000, 50_000)),
    # Information géographique
    ProductSpec("esri-arcgis", "ArcGIS Enterprise", "esri-france", cost=(30_000, 90_000)),
    ProductSpec("qgis", "QGIS", "qgis", "poste", (0, 0), licence="libre"),
    # Socle
    ProductSpec("teclib-glpi", "GLPI", "teclib", cost=(3_000, 15_000), licence="libre"),
    ProductSpec("centreon", "Centreon", "centreon", cost=(3_000, 12_000), licence="libre"),
    ProductSpec("bluemind", "BlueMind", "bluemind", cost=(20_000, 60_000), licence="libre"),
    ProductSpec("ow2-lemonldap", "LemonLDAP::NG", "ow2", cost=(0, 5_000), licence="libre"),
    ProductSpec("microsoft-365", "Microsoft 365", "microsoft", "saas", (40_000, 160_000)),
    # The tools of the long tail: a base on a shared drive, a workbook, an in-house WinDev.
    ProductSpec("microsoft-access", "Microsoft Access", "microsoft", "poste", (0, 0),
                api="aucune"),
    ProductSpec("microsoft-excel", "Microsoft Excel", "microsoft", "poste", (0, 0), api="aucune"),
    ProductSpec("pc-soft-windev", "WinDev", "pc-soft", cost=(500, 4_000)),
    # Mobilité
    ProductSpec("flowbird-horodateurs", "Flowbird — horodateurs et paiement mobile", "flowbird",
                "saas", (10_000, 40_000)),
    ProductSpec("parkaviz-previparc", "Prévi'Parc", "parkaviz", "saas", (12_000, 30_000)),
)

VENDORS_BY_ID: dict[str, VendorSpec] = {vendor.id: vendor for vendor in VENDORS}
PRODUCTS_BY_ID: dict[str, ProductSpec] = {product.id: product for product in PRODUCTS}

"""The closed sets of values of the inventory, and their French labels.

Each set is a ``Literal`` type named after ``GLOSSARY.md``: the values are what users write in the
YAML (French slugs), the type names are what the code speaks. Labels are what maps and reports
print. Nothing here imports anything but the standard library, so that the CLI can list valid
values without loading pydantic.
"""

from __future__ import annotations

from typing import Literal, get_args

# Lowercase slug: it becomes a file name, a Graphviz node id and an HTML anchor, so nothing that
# could escape a folder (`../`), break a URL (spaces) or depend on a file system's case.
ID_PATTERN = r"^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$"

Layer = Literal["interface", "metier", "support"]
Hosting = Literal["datacenter", "saas", "delegataire", "poste"]
Lifecycle = Literal["projet", "production", "convergence", "a-retirer", "retiree"]
Protocol = Literal["api", "fichier", "etl", "bus", "manuel"]
Frequency = Literal["temps-reel", "quotidienne", "hebdomadaire", "mensuelle", "ponctuelle"]
Consent = Literal["explicite", "tacite", "non-requis"]
ApiOpenness = Literal["ouverte", "proprietaire", "aucune"]
BlockLevel = Literal["zone", "quartier", "bloc"]
OrganisationKind = Literal["metropole", "commune", "partenaire"]
# Who steers an application: the DGSIN (the shared IT department), a business department that
# bought it on its own (typically SaaS), or a délégataire under its contract.
Governance = Literal["dgsin", "direction-metier", "delegataire"]
Licence = Literal["libre", "proprietaire"]
# The TIME classification of portfolio rationalisation (Gartner): keep as is, invest, move to
# another application, eliminate. Optional on an application (DESIGN.md §11).
Disposition = Literal["tolerer", "investir", "migrer", "eliminer"]

# The ten sealed sectors of personal data of the CNIL's RU-030 (délibération 2016-
# "référentiel unique" for local authorities). With 14 communes as distinct data controllers,
# each (commune, sector) pair is a silo.
CnilSector = Literal[
    "fiscalite",
    "travail-social",
    "sante",
    "transport",
    "etat-civil-citoyennete",
    "relations-elus",
    "prestations-scolaires-periscolaires",
    "economie-urbanisme",
    "polices-speciales-voirie",
    "relations-usagers",
]

LAYERS: tuple[Layer, ...] = get_args(Layer)
HOSTINGS: tuple[Hosting, ...] = get_args(Hosting)
LIFECYCLES: tuple[Lifecycle, ...] = get_args(Lifecycle)
PROTOCOLS: tuple[Protocol, ...] = get_args(Protocol)
FREQUENCIES: tuple[Frequency, ...] = get_args(Frequency)
CONSENTS: tuple[Consent, ...] = get_args(Consent)
API_OPENNESS: tuple[ApiOpenness, ...] = get_args(ApiOpenness)
BLOCK_LEVELS: tuple[BlockLevel, ...] = get_args(BlockLevel)
GOVERNANCES: tuple[Governance, ...] = get_args(Governance)
CNIL_SECTORS: tuple[CnilSector, ...] = get_args(CnilSector)
DISPOSITIONS: tuple[Disposition, ...] = get_args(Disposition)

LAYER_LABELS: dict[str, str] = {
    "interface": "Interface (usagers, entreprises)",
    "metier": "Métier",
    "support": "Support",
}
HOSTING_LABELS: dict[str, str] = {
    "datacenter": "Centre de données",
    "saas": "SaaS",
    "delegataire": "Chez le délégataire",
    "poste": "Poste de travail",
}
LIFECYCLE_LABELS: dict[str, str] = {
    "projet": "Projet",
    "production": "Production",
    "convergence": "En convergence",
    "a-retirer": "À retirer",
    "retiree": "Retirée",
}
PROTOCOL_LABELS: dict[str, str] = {
    "api": "API",
    "fichier": "Fichier",
    "etl": "ETL",
    "bus": "Bus",
    "manuel": "Manuel",
}
FREQUENCY_LABELS: dict[str, str] = {
    "temps-reel": "Temps réel",
    "quotidienne": "Quotidienne",
    "hebdomadaire": "Hebdomadaire",
    "mensuelle": "Mensuelle",
    "ponctuelle": "Ponctuelle",
}
CONSENT_LABELS: dict[str, str] = {
    "explicite": "Consentement explicite",
    "tacite": "Consentement tacite",
    "non-requis": "Consentement non requis",
}
API_LABELS: dict[str, str] = {
    "ouverte": "API ouverte",
    "proprietaire": "API propriétaire",
    "aucune": "Aucune API",
}
DISPOSITION_LABELS: dict[str, str] = {
    "tolerer": "Tolérer",
    "investir": "Investir",
    "migrer": "Migrer",
    "eliminer": "Éliminer",
}
BLOCK_LEVEL_LABELS: dict[str, str] = {"zone": "Zone", "quartier": "Quartier", "bloc": "Bloc"}
GOVERNANCE_LABELS: dict[str, str] = {
    "dgsin": "DGSIN",
    "direction-metier": "Direction métier (hors DGSIN)",
    "delegataire": "Délégataire",
}
CNIL_SECTOR_LABELS: dict[str, str] = {
    "fiscalite": "Fiscalité",
    "travail-social": "Travail et social",
    "sante": "Santé",
    "transport": "Transport",
    "etat-civil-citoyennete": "État civil et citoyenneté",
    "relations-elus": "Relations avec les élus",
    "prestations-scolaires-periscolaires": (
        "Prestations scolaires, périscolaires, sportives et socioculturelles"
    ),
    "economie-urbanisme": "Économie et urbanisme",
    "polices-speciales-voirie": "Polices spéciales et voirie",
    "relations-usagers": "Relations avec les usagers",
}

"""The records of the inventory: one pydantic model per kind of object.

Attribute names are English (``GLOSSARY.md``); each field's alias is the French YAML key users
write, and the JSON Schema (``cartographie schema``) is generated from these models by alias. Field
descriptions are in French: they become the tooltips an editor shows through that schema.

The models check the shape of each record (types, enumerations, id syntax, unknown fields).
Whatever involves more than one record — unique ids, references, cycles — is checked by
``cartographie.inventory.references`` on the whole inventory.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PlainSerializer,
    StringConstraints,
    field_validator,
    model_validator,
)

from cartographie.errors import Location
from cartographie.model.dates import YearOrDate
from cartographie.model.vocabulary import (
    ID_PATTERN,
    ApiOpenness,
    BlockLevel,
    CnilSector,
    Consent,
    Disposition,
    Frequency,
    Governance,
    Hosting,
    Layer,
    Licence,
    Lifecycle,
    Protocol,
)

Id = Annotated[str, StringConstraints(pattern=ID_PATTERN, max_length=80)]
Text = Annotated[str, StringConstraints(min_length=1)]
Language = Annotated[str, StringConstraints(pattern=r"^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{1,8})*$")]
# The free-text fields (YAML keys): they may span lines, and a control character in them is shown
# as a visible symbol. Every other text — ids, names, one-line fields — refuses control
# characters (E207), since it reaches terminals, file names and one-line outputs.
FREE_TEXT_KEYS = frozenset({"description", "clause_donnees", "motif", "correction", "commentaire"})
# Mappings whose values are free texts (their keys are one-line names): the free properties an
# import keeps (an ArchiMate property, a spreadsheet column no field takes) may span lines.
FREE_TEXT_MAPPINGS = frozenset({"proprietes"})
Year = Annotated[int, Field(ge=1950, le=2100)]
# A web address: http or https only, so that an atlas link can never run a script
# (``javascript:``) and a spreadsheet's ``false`` or ``n/a`` is not taken for one.
URL_PATTERN = r"^https?://[^\s/?#]+[^\s]*$"
Url = Annotated[str, StringConstraints(pattern=URL_PATTERN, max_length=2000)]
# An e-mail address as people write it: one @, a dot in the domain, no space.
EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
Email = Annotated[str, StringConstraints(pattern=EMAIL_PATTERN, max_length=254)]
# Free properties: what another tool knows about an object and the inventory has no field for
# (an ArchiMate property, a spreadsheet column, a Backstage label). Keys are one-line names as
# the other tool wrote them; values are texts.
PropertyKey = Annotated[str, StringConstraints(min_length=1, max_length=200)]
Properties = dict[PropertyKey, str]


def _whole_number(value: float) -> int | float:
    return int(value) if value.is_integer() else value


# Days of work: read as a number, written back as it was typed (15, not 15.0) in JSON and diffs.
Days = Annotated[float, PlainSerializer(_whole_number, return_type=int | float)]


class Record(BaseModel):
    """Base of every record: unknown fields are errors, keys are the French aliases."""

    model_config = ConfigDict(
        extra="forbid",
        populate_by_name=False,
        frozen=True,
        str_strip_whitespace=False,
    )
    # Where the record stands, set once by the loader. A slot rather than a pydantic private
    # attribute: private attributes cost an initialisation per record, a third of validation.
    __slots__ = ("_location",)

    @property
    def origin(self) -> Location:
        """Where the record stands in the inventory (file relative to the root, line)."""
        location: Location | None = getattr(self, "_location", None)
        return location if location is not None else Location("?", 0)

    def locate(self, location: Location) -> None:
        """Record where the record was read (the loader's business; records stay frozen)."""
        object.__setattr__(self, "_location", location)

    # Pickling (the parse cache, process pools) goes through a plain rebuild: the slot is not
    # part of pydantic's state, and pydantic's generic __getstate__ costs several times more.
    def __reduce__(self) -> tuple[Any, ...]:
        return (
            _restore_record,
            (
                type(self),
                self.__dict__,
                self.__pydantic_fields_set__,
                getattr(self, "_location", None),
            ),
        )

    def __copy__(self) -> Record:
        duplicate = super().__copy__()
        if hasattr(self, "_location"):
            duplicate.locate(self.origin)
        return duplicate

    def __deepcopy__(self, memo: dict[int, Any] | None = None) -> Record:
        duplicate = super().__deepcopy__(memo)
        if hasattr(self, "_location"):
            duplicate.locate(self.origin)
        return duplicate


def _restore_record(
    model: type[Record], values: dict[str, Any], fields_set: set[str], location: Location | None
) -> Record:
    """Rebuild a pickled record without validating it again (it was valid when pickled)."""
    record = model.__new__(model)
    object.__setattr__(record, "__dict__", values)
    object.__setattr__(record, "__pydantic_fields_set__", fields_set)
    object.__setattr__(record, "__pydantic_extra__", None)
    object.__setattr__(record, "__pydantic_private__", None)
    if location is not None:
        record.locate(location)
    return record


def _field(alias: str, description: str, default: Any = ..., **kwargs: Any) -> Any:
    return Field(default, alias=alias, description=description, **kwargs)


# --- territoire.yaml ------------------------------------------------------------------------


class Metropole(Record):
    id: Id = _field(
        "id", "Identifiant de la métropole (slug), propriétaire des applications mutualisées."
    )
    name: Text = _field("nom", "Nom de la métropole.")
    short_name: str | None = _field("sigle", "Sigle ou nom court.", None)
    language: Language | None = _field(
        "langue",
        "Langue des noms et descriptions (code BCP 47 : fr, nl, en…) ; absente : fr. "
        "L'export ArchiMate l'écrit dans xml:lang.",
        None,
    )


class Mutualisation(Record):
    domain: Id = _field("domaine", "Domaine mutualisé (→ domaines).")
    since: YearOrDate = _field(
        "depuis", "Adhésion de la commune au domaine : une année (le 1er janvier) ou une date."
    )
    until: YearOrDate | None = _field(
        "jusqu_a",
        "Fin de l'adhésion (la commune a quitté le domaine) : une année ou une date ; absent "
        "tant qu'elle y reste.",
        None,
    )


class Commune(Record):
    id: Id = _field("id", "Identifiant de la commune (slug).")
    name: Text = _field("nom", "Nom de la commune.")
    population: int | None = _field("population", "Population municipale.", None, ge=0)
    agents: int | None = _field(
        "agents",
        "Effectif de la commune (agents municipaux) : le poids de la clé de répartition "
        "« agents ».",
        None,
        ge=0,
    )
    insee: str | None = _field("insee", "Code INSEE de la commune.", None)
    central_city: bool = _field("ville_centre", "Vrai pour la ville centre.", False)
    mutualisations: list[Mutualisation] = _field(
        "mutualisations", "Domaines que la commune a mutualisés, et depuis quand.", []
    )


# The weights of a re-invoicing key (DESIGN.md §10). A key written as one word
# (``cle: population``) is that weight alone.
AllocationBasis = Literal["population", "agents", "usage", "forfait"]
ALLOCATION_BASES: tuple[AllocationBasis, ...] = ("population", "agents", "usage", "forfait")
Weight = Annotated[float, Field(gt=0, allow_inf_nan=False)]


class AllocationKey(Record):
    """A domain's clé de répartition: one basis, or several weighted (a mix of normalised
    shares: the weights are relative, 50/30/20 and 0.5/0.3/0.2 are the same key)."""

    model_config = ConfigDict(
        json_schema_extra={
            "description": (
                "Clé de répartition : population, agents, usage ou forfait, ou un mélange "
                "pondéré de ces clés (poids relatifs)."
            )
        }
    )
    population: Weight | None = _field(
        "population", "Poids de la population des communes (population).", None
    )
    agents: Weight | None = _field("agents", "Poids de l'effectif des communes (agents).", None)
    usage: Weight | None = _field(
        "usage",
        "Poids de l'usage : couples (commune, application) sur les applications du domaine.",
        None,
    )
    flat: Weight | None = _field("forfait", "Poids du forfait : parts égales.", None)

    @model_validator(mode="before")
    @classmethod
    def _one_word(cls, value: Any) -> Any:
        # `cle: population` is the mix {population: 1}.
        return {value: 1} if isinstance(value, str) else value

    @model_validator(mode="after")
    def _not_empty(self) -> AllocationKey:
        if not self.weights():
            raise ValueError(
                "une clé de répartition donne au moins un poids : population, agents, usage ou "
                "forfait"
            )
        return self

    def weights(self) -> dict[AllocationBasis, float]:
        """Basis -> its weight, for the bases the key uses, in the order of the contract."""
        values: dict[AllocationBasis, float | None] = {
            "population": self.population,
            "agents": self.agents,
            "usage": self.usage,
            "forfait": self.flat,
        }
        return {basis: weight for basis, weight in values.items() if weight is not None}


def _key_as_one_word(schema: dict[str, Any]) -> None:
    """The schema of ``cle``: one word, or the weighted mix (the model's own schema)."""
    schema["anyOf"] = [{"enum": list(ALLOCATION_BASES), "type": "string"}, *schema["anyOf"]]


class Domain(Record):
    id: Id = _field("id", "Identifiant du domaine de mutualisation.")
    name: Text = _field("nom", "Nom du domaine (finances, RH, maintenance…).")
    blocks: list[Id] = _field(
        "blocs", "Blocs couverts (zone, quartier ou bloc : tout ce qui est dessous est couvert)."
    )
    allocation_key: AllocationKey | None = Field(
        None,
        alias="cle",
        description=(
            "Clé de répartition du coût du domaine entre les communes adhérentes : population, "
            "agents, usage, forfait, ou un mélange pondéré ({population: 50, forfait: 50})."
        ),
        json_schema_extra=_key_as_one_word,
    )
    overhead: int | None = _field(
        "frais",
        "Frais propres du domaine par an, en euros (équipe, assistance, marché), refacturés avec "
        "ses applications.",
        None,
        ge=0,
    )


class OtherCommune(Record):
    id: Id = _field("id", "Identifiant de la commune (slug).")
    name: Text = _field("nom", "Nom de la commune.")
    population: int | None = _field("population", "Population municipale.", None, ge=0)
    insee: str | None = _field("insee", "Code INSEE de la commune.", None)


class SectorArea(Record):
    commune: Id = _field("commune", "Commune couverte, en tout ou en partie (→ communes).")
    part: str | None = _field(
        "partie",
        "La partie de la commune que couvre le secteur (quartiers, rive…) ; absent : toute la "
        "commune. Obligatoire pour une commune partagée entre plusieurs secteurs.",
        None,
    )


class Sector(Record):
    id: Id = _field("id", "Identifiant du secteur d'intervention (slug).")
    name: Text = _field("nom", "Nom du secteur.")
    description: str | None = _field("description", "Ce que fait le secteur, où il siège.", None)
    areas: list[SectorArea] = _field(
        "perimetre",
        "Les communes, ou parties de communes, que couvrent ses équipes.",
        min_length=1,
    )


class Partner(Record):
    id: Id = _field("id", "Identifiant de l'organisme extérieur (CAF, DGFiP…).")
    name: Text = _field("nom", "Nom de l'organisme.")
    description: str | None = _field("description", "Rôle de l'organisme.", None)


class Datacenter(Record):
    id: Id = _field("id", "Identifiant du centre de données.")
    name: Text = _field("nom", "Nom du centre de données.")
    commune: Id | None = _field("commune", "Commune où il se trouve (→ communes).", None)
    backup: Id | None = _field(
        "secours",
        "Centre de données qui le secourt : ses applications y sont reprises en cas de sinistre "
        "(→ centres_de_donnees).",
        None,
    )


# --- referentiel/blocs.yaml --------------------------------------------------------------------


class Block(Record):
    id: Id = _field("id", "Identifiant de la zone, du quartier ou du bloc.")
    name: Text = _field("nom", "Nom affiché sur les cartes.")
    level: BlockLevel = _field(
        "niveau", "zone > quartier > bloc (un bloc peut avoir des sous-blocs)."
    )
    parent: Id | None = _field(
        "parent", "Zone d'un quartier, quartier (ou bloc) d'un bloc ; absent pour une zone.", None
    )
    description: str | None = _field("description", "Ce que regroupe le bloc.", None)
    properties: Properties = _field(
        "proprietes",
        "Propriétés libres (clé: valeur) venues d'un autre outil (ArchiMate…).",
        {},
    )


# --- referentiel/processus.yaml ----------------------------------------------------------------


class Step(Record):
    id: Id = _field("id", "Identifiant de l'étape, unique dans le processus.")
    name: Text = _field("nom", "Nom de l'étape.")
    actor: Text = _field("acteur", "Qui agit à cette étape (usager, mairie, secteur…).")
    blocks: list[Id] = _field("blocs", "Blocs dont les applications servent l'étape.", [])
    applications: list[Id] = _field("applications", "Applications nommées qui servent l'étape.", [])
    next_steps: list[Id] | None = _field(
        "suivantes",
        "Étapes suivantes (par défaut l'étape d'après dans la liste ; [] pour une fin).",
        None,
    )
    sectors: list[Id] = _field(
        "secteurs",
        "Secteurs d'intervention qui se partagent l'étape selon le lieu concerné (un couloir "
        "par secteur sur la carte).",
        [],
    )


class Process(Record):
    id: Id = _field("id", "Identifiant du processus.")
    name: Text = _field("nom", "Nom du processus métier.")
    description: str | None = _field("description", "Objet du processus.", None)
    steps: list[Step] = _field("etapes", "Étapes, dans l'ordre.", min_length=1)


# --- referentiel/donnees.yaml ------------------------------------------------------------------


class DataObject(Record):
    id: Id = _field("id", "Identifiant de la donnée.")
    name: Text = _field("nom", "Nom de la donnée échangée.")
    personal: bool = _field("personnelle", "Vrai si la donnée est à caractère personnel.", False)
    cnil_sector: CnilSector | None = _field(
        "secteur_cnil",
        "Secteur RU-030 de la donnée personnelle (obligatoire si personnelle).",
        None,
    )
    description: str | None = _field("description", "Contenu de la donnée.", None)
    producer_blocks: list[Id] = _field(
        "blocs_producteurs",
        "Blocs dont les fonctions produisent la donnée (zone, quartier ou bloc : tout ce qui est "
        "dessous).",
        [],
    )
    consumer_blocks: list[Id] = _field(
        "blocs_consommateurs",
        "Blocs dont les fonctions utilisent la donnée (zone, quartier ou bloc : tout ce qui est "
        "dessous).",
        [],
    )
    properties: Properties = _field(
        "proprietes",
        "Propriétés libres (clé: valeur) venues d'un autre outil (ArchiMate…).",
        {},
    )


# --- referentiel/editeurs.yaml -----------------------------------------------------------------


class Vendor(Record):
    id: Id = _field("id", "Identifiant de l'éditeur.")
    name: Text = _field("nom", "Raison sociale de l'éditeur.")
    api: ApiOpenness = _field("api", "Ouverture des interfaces de l'éditeur.")
    website: str | None = _field("site", "Site web de l'éditeur.", None)


class Product(Record):
    id: Id = _field("id", "Identifiant du produit.")
    name: Text = _field("nom", "Nom commercial du produit.")
    vendor: Id = _field("editeur", "Éditeur du produit (→ editeurs).")
    suite: Id | None = _field("suite", "Suite de l'éditeur dont le produit fait partie.", None)
    api: ApiOpenness | None = _field(
        "api", "Ouverture des interfaces, si elle diffère de l'éditeur.", None
    )
    licence: Licence = _field("licence", "libre ou proprietaire.", "proprietaire")
    end_of_support: YearOrDate | None = _field(
        "fin_de_support",
        "Fin du support de l'éditeur (plus de correctifs) : une année ou une date.",
        None,
    )


# --- referentiel/delegations.yaml --------------------------------------------------------------


class Delegation(Record):
    id: Id = _field("id", "Identifiant du contrat de délégation de service public.")
    name: Text = _field("nom", "Intitulé du contrat.")
    delegate: Text = _field("delegataire", "Entreprise délégataire.")
    service: Text = _field("service", "Service public délégué (transport, stationnement, eau…).")
    authority: Id = _field("autorite", "Autorité délégante (métropole ou commune).")
    start: YearOrDate = _field("debut", "Début du contrat (AAAA-MM-JJ, ou une année).")
    end: YearOrDate = _field("fin", "Fin du contrat (AAAA-MM-JJ, ou une année).")
    data_clause: str | None = _field(
        "clause_donnees", "Clause du contrat sur la propriété et la restitution des données.", None
    )
    data_returned: bool = _field(
        "restitution_donnees", "Vrai si le contrat prévoit la restitution des données.", False
    )
    renews: Id | None = _field("renouvelle", "Contrat précédent que celui-ci renouvelle.", None)
    amount: int | None = _field(
        "montant", "Montant du contrat sur toute sa durée, en euros.", None, ge=0
    )


# --- referentiel/couts.yaml -------------------------------------------------------------------


class OutsideCost(Record):
    """What the DSI's budget or staff pays for outside the inventory's applications (network,
    workstations, the service desk…): the budget reconciliation counts it apart."""

    model_config = ConfigDict(
        json_schema_extra={
            "description": (
                "Un poste que le budget ou les agents de la DSI paient hors des "
                "applications de l'inventaire."
            )
        }
    )

    name: Text = _field("nom", "Ce que couvre ce poste (réseau, postes de travail, support…).")
    amount: int | None = _field("montant", "Montant par an, en euros.", None, ge=0)
    days: int | None = _field("jours", "Jours de travail des agents de la DSI par an.", None, ge=0)
    description: str | None = _field(
        "description", "Ce que contient le poste, d'où vient le chiffre.", None
    )

    @model_validator(mode="after")
    def _something(self) -> OutsideCost:
        if self.amount is None and self.days is None:
            raise ValueError("un poste hors inventaire donne un montant, des jours, ou les deux")
        return self


class ItDepartment(Record):
    """The DSI as it declares itself: its budget and its staff."""

    model_config = ConfigDict(
        json_schema_extra={
            "description": (
                "La DSI telle qu'elle se déclare : son budget et son effectif."
            )
        }
    )

    budget: int = _field("budget", "Budget annuel de la DSI, en euros.", ge=0)
    agents: int = _field("agents", "Effectif de la DSI (agents).", ge=0)
    outside: list[OutsideCost] = _field(
        "hors_inventaire",
        "Ce que le budget et les agents paient hors des applications de l'inventaire.",
        [],
    )


class CostParameters(Record):
    """The assumptions every cost figure rests on (DESIGN.md §10): change one, re-run."""

    model_config = ConfigDict(
        json_schema_extra={
            "description": (
                "Les hypothèses de tous les chiffres en euros (referentiel/couts.yaml)."
            )
        }
    )

    daily_rate: int = _field(
        "tjm",
        "Taux journalier moyen d'un agent de la DSI, en euros (valorise jours_internes).",
        ge=0,
    )
    interface_cost: int = _field(
        "cout_interface", "Coût annuel de maintenance d'une interface (un flux), en euros.", ge=0
    )
    operation_cost: int = _field(
        "cout_operation",
        "Coût d'une opération réglementaire sur une application (une évolution à passer "
        "partout), en euros.",
        ge=0,
    )
    days_per_agent: int = _field(
        "jours_par_agent", "Jours travaillés par agent et par an.", 205, gt=0, le=366
    )
    it_department: ItDepartment | None = _field(
        "dsi", "Le budget et l'effectif déclarés de la DSI, pour le rapprochement.", None
    )


# --- applications/*.yaml -----------------------------------------------------------------------


class Application(Record):
    id: Id = _field("id", "Identifiant unique de l'application (slug).")
    name: Text = _field("nom", "Nom de l'application.")
    description: str | None = _field("description", "Ce que fait l'application.", None)
    owner: Id | None = _field(
        "proprietaire", "Propriétaire, s'il diffère du « proprietaire » du fichier.", None
    )
    product: Id | None = _field(
        "produit", "Produit installé (→ produits) ; absent pour un développement spécifique.", None
    )
    version: str | None = _field("version", "Version en service.", None)
    layer: Layer = _field("couche", "interface, metier ou support.")
    blocks: list[Id] = _field("blocs", "Blocs fonctionnels servis (niveau bloc).", [])
    users: list[Id] | None = _field(
        "utilisateurs",
        "Communes (ou métropole) qui l'utilisent ; par défaut le propriétaire.",
        None,
    )
    hosting: Hosting = _field("hebergement", "datacenter, saas, delegataire ou poste.")
    datacenter: Id | None = _field(
        "centre_de_donnees", "Centre de données qui l'héberge (→ centres_de_donnees).", None
    )
    no_backup: bool = _field(
        "hors_secours",
        "Vrai si l'application n'est pas reprise par le centre de secours de son centre de "
        "données (aucune réplique).",
        False,
    )
    lifecycle: Lifecycle = _field("cycle_de_vie", "Étape du cycle de vie.", "production")
    cnil_sectors: list[CnilSector] = _field(
        "secteurs_cnil", "Secteurs RU-030 des données personnelles traitées.", []
    )
    responsible: str | None = _field("responsable", "Direction responsable.", None)
    contact: Email | None = _field(
        "contact", "Adresse électronique de l'équipe ou de la personne responsable.", None
    )
    governance: Governance = _field(
        "gouvernance", "Qui la pilote : dgsin, direction-metier ou delegataire.", "dgsin"
    )
    annual_cost: int | None = _field(
        "cout_annuel",
        "Coût décaissé par an, en euros (licence, maintenance, hébergement, abonnement).",
        None,
        ge=0,
    )
    internal_days: Days | None = _field(
        "jours_internes",
        "Jours de travail des agents de la DSI par an pour la faire tourner (au plus deux "
        "décimales) ; valorisés au tjm de referentiel/couts.yaml.",
        None,
        ge=0,
        allow_inf_nan=False,
    )
    in_service_since: YearOrDate | None = _field(
        "mise_en_service", "Mise en service : une année (le 1er janvier) ou une date.", None
    )
    retired_in: YearOrDate | None = _field(
        "retrait",
        "Retrait (passé ou prévu) : une année ou une date ; l'application n'est plus en "
        "service ce jour-là.",
        None,
    )
    disposition: Disposition | None = _field(
        "disposition",
        "Classement TIME : tolerer, investir, migrer ou eliminer.",
        None,
    )
    disposition_reason: str | None = _field(
        "disposition_motif", "Pourquoi cette disposition, en une ligne.", None
    )
    delegation: Id | None = _field(
        "delegation", "Contrat de délégation sous lequel un délégataire l'exploite.", None
    )
    hub: bool = _field("hub", "Vrai pour le pot commun central qui redistribue les données.", False)
    replaced_by: Id | None = _field(
        "remplacee_par", "Application qui la remplace (convergence).", None
    )
    origin_note: str | None = _field(
        "origine", "Provenance (reprise d'une autre collectivité, marché…).", None
    )
    last_review: dt.date | None = _field(
        "derniere_revue", "Date de la dernière revue de la fiche (AAAA-MM-JJ).", None
    )
    url: Url | None = _field("url", "Adresse web de l'application (http:// ou https://).", None)
    properties: Properties = _field(
        "proprietes",
        "Propriétés libres (clé: valeur) : colonnes du tableur, propriétés ArchiMate, "
        "étiquettes Backstage… que l'inventaire n'a pas en champ.",
        {},
    )

    @field_validator("internal_days")
    @classmethod
    def _whole_hundredths(cls, value: float | None) -> float | None:
        # Days are valued in cents (days × tjm): a hundredth of a day is the finest unit.
        if value is not None and abs(value * 100 - round(value * 100)) > 1e-6:
            raise ValueError("au plus deux décimales : par exemple 12.5 ou 0.25")
        return value

    @property
    def internal_hundredths(self) -> int | None:
        """``jours_internes`` in hundredths of a day (an exact integer), or ``None``."""
        return None if self.internal_days is None else round(self.internal_days * 100)


# --- referentiel/chantiers.yaml ----------------------------------------------------------------


class Wave(Record):
    year: Year = _field("annee", "Année où les communes de la vague rejoignent la cible.")
    communes: list[Id] = _field("communes", "Communes de la vague (→ communes).", min_length=1)
    description: str | None = _field("description", "Ce que la vague apporte (pilote…).", None)


class Programme(Record):
    id: Id = _field("id", "Identifiant du chantier (slug).")
    name: Text = _field("nom", "Nom du chantier.")
    description: str | None = _field("description", "Objet du chantier.", None)
    start: YearOrDate = _field("debut", "Début du chantier : une année ou une date.")
    end: YearOrDate = _field("fin", "Fin prévue du chantier : une année ou une date.")
    blocks: list[Id] = _field("blocs", "Blocs que le chantier fait converger.", [])
    domain: Id | None = _field(
        "domaine",
        "Domaine de mutualisation du chantier (→ domaines) ; par défaut celui qui couvre ses "
        "blocs.",
        None,
    )
    target: Id | None = _field(
        "cible", "Application cible, partagée, que les vagues rejoignent (→ applications).", None
    )
    waves: list[Wave] = _field("vagues", "Vagues : l'année et les communes qui la rejoignent.", [])
    retires: list[Id] = _field(
        "retire", "Applications que le chantier retire (→ applications).", []
    )
    budget: int | None = _field("budget", "Budget du chantier, en euros.", None, ge=0)


# --- flux/*.yaml -------------------------------------------------------------------------------


class Flow(Record):
    id: Id | None = _field(
        "id",
        "Identifiant facultatif ; sinon le flux est identifié par source, cible, donnée.",
        None,
    )
    source: Id = _field("source", "Application émettrice.")
    target: Id = _field("cible", "Application destinataire.")
    data: Id = _field("donnee", "Donnée échangée (→ donnees).")
    via: Id | None = _field("via", "Hub par lequel passe le flux ; absent = point à point.", None)
    protocol: Protocol = _field("protocole", "api, fichier, etl, bus ou manuel.", "api")
    frequency: Frequency = _field("frequence", "Fréquence de l'échange.", "quotidienne")
    consent: Consent | None = _field(
        "consentement",
        "Base du transfert de données personnelles hors de la métropole.",
        None,
    )
    since: YearOrDate | None = _field("depuis", "Début du flux : une année ou une date.", None)
    description: str | None = _field("description", "Objet du flux.", None)
    properties: Properties = _field(
        "proprietes",
        "Propriétés libres (clé: valeur) venues d'un autre outil (ArchiMate…).",
        {},
    )

    @property
    def key(self) -> str:
        """Identity of the flow across versions: its id, or source > cible : donnée."""
        return self.id or f"{self.source}>{self.target}:{self.data}"

    @property
    def point_to_point(self) -> bool:
        return self.via is None


# --- regles.yaml and diagnostics/*.yaml (change tracking, docs/suivi.md) ----------------------

# The codes of the diagnostic d'architecture's rules. The rules themselves live in
# ``cartographie.diagnostic.rules`` (a test keeps both lists equal); the codes are here so that
# every load validates regles.yaml and the recorded diagnostics, with the valid codes as a hint.
# A code is never reused for another meaning.
RuleCode = Literal[
    "D101",
    "D102",
    "D201",
    "D301",
    "D302",
    "D401",
    "D402",
    "D501",
    "D601",
    "D701",
    "D702",
    "D801",
    "D901",
    "D902",
    "D903",
    "D904",
    "D951",
    "D952",
]
DiagnosticSeverity = Literal["bloquant", "avertissement", "info"]
VerdictValue = Literal["favorable", "reserve", "defavorable"]


class RuleSetting(Record):
    code: RuleCode = _field("code", "Code de la règle du diagnostic d'architecture (D101…).")
    active: bool = _field("active", "Faux pour ne plus appliquer la règle.", True)
    severity: DiagnosticSeverity | None = _field(
        "gravite", "Gravité qui remplace celle de la règle : bloquant, avertissement ou info.", None
    )
    reason: str | None = _field("motif", "Pourquoi la règle est réglée ainsi (décision…).", None)


class RecordedFinding(Record):
    code: RuleCode = _field("code", "Code de la règle.")
    severity: DiagnosticSeverity = _field("gravite", "bloquant, avertissement ou info.")
    message: Text = _field("message", "Le constat.")
    file: str | None = _field("fichier", "Fichier de l'inventaire proposé où il se trouve.", None)
    line: int | None = _field("ligne", "Ligne dans ce fichier.", None, ge=0)
    objects: list[str] = _field("objets", "Objets en cause (identifiants).", [])
    fix: str | None = _field("correction", "Comment y remédier.", None)
    preexisting: bool = _field(
        "preexistant", "Vrai pour un problème qui existait déjà dans la base.", False
    )


class ChangeCount(Record):
    kind: Text = _field("objet", "Sorte d'objet (application, flux, bloc…).")
    added: int = _field("ajouts", "Objets ajoutés.", 0, ge=0)
    removed: int = _field("retraits", "Objets retirés.", 0, ge=0)
    modified: int = _field("modifications", "Objets modifiés.", 0, ge=0)
    renamed: int = _field("renommages", "Objets renommés.", 0, ge=0)


class RecordedDiagnostic(Record):
    project: Text = _field("projet", "Projet dont le changement a été jugé.")
    date: dt.date = _field("date", "Date du diagnostic (AAAA-MM-JJ).")
    base: Text = _field("base", "Version de référence (révision ou dossier).")
    base_revision: str | None = _field("revision_base", "Commit de la base.", None)
    proposed: Text = _field("propose", "Version proposée (révision, dossier, copie de travail).")
    proposed_revision: str | None = _field("revision_proposee", "Commit proposé.", None)
    verdict: VerdictValue = _field("verdict", "favorable, reserve ou defavorable.")
    findings: list[RecordedFinding] = _field("constats", "Les constats du diagnostic.", [])
    summary: list[ChangeCount] = _field("resume", "Le changement, compté par sorte d'objet.", [])
    communes: list[Id] = _field("communes", "Communes touchées par le changement.", [])
    blocks: list[Id] = _field("blocs", "Blocs touchés par le changement.", [])
    note: str | None = _field("commentaire", "Avis de l'urbaniste.", None)


# --- one file ----------------------------------------------------------------------------------


class InventoryFile(BaseModel):
    """Any YAML file of the inventory: a mapping of sections, each optional.

    The layout of DESIGN.md §3 (territoire.yaml, referentiel/*, applications/<owner>.yaml,
    flux/*) is a convention: the loader reads every ``*.yaml`` and takes the sections it finds.
    """

    model_config = ConfigDict(
        extra="forbid",
        populate_by_name=False,
        title="Fichier d'inventaire cartographie",
        json_schema_extra={
            "description": (
                "Un fichier de l'inventaire du patrimoine applicatif : chaque clé de premier "
                "niveau est une section. Voir docs/inventaire.md."
            )
        },
    )
    metropole: Metropole | None = _field("metropole", "La métropole (territoire.yaml).", None)
    communes: list[Commune] = _field("communes", "Les communes engagées dans la mutualisation.", [])
    other_communes: list[OtherCommune] = _field(
        "autres_communes",
        "Les autres communes de la métropole, qui n'ont pas rejoint la mutualisation (sans "
        "applications).",
        [],
    )
    sectors: list[Sector] = _field(
        "secteurs", "Secteurs d'intervention territoriaux des services techniques.", []
    )
    domains: list[Domain] = _field("domaines", "Domaines de mutualisation.", [])
    partners: list[Partner] = _field("partenaires", "Organismes extérieurs.", [])
    datacenters: list[Datacenter] = _field("centres_de_donnees", "Centres de données.", [])
    blocks: list[Block] = _field("blocs", "Zones, quartiers et blocs fonctionnels.", [])
    processes: list[Process] = _field("processus", "Processus métier.", [])
    data_objects: list[DataObject] = _field("donnees", "Objets de données échangés.", [])
    vendors: list[Vendor] = _field("editeurs", "Éditeurs.", [])
    products: list[Product] = _field("produits", "Produits des éditeurs.", [])
    delegations: list[Delegation] = _field("delegations", "Contrats de délégation.", [])
    programmes: list[Programme] = _field(
        "chantiers", "Chantiers de convergence ou de remplacement (referentiel/chantiers.yaml).", []
    )
    costs: CostParameters | None = _field(
        "couts", "Paramètres de coût (referentiel/couts.yaml).", None
    )
    owner: Id | None = _field(
        "proprietaire", "Propriétaire des applications de ce fichier (commune ou métropole).", None
    )
    applications: list[Application] = _field("applications", "Applications.", [])
    flows: list[Flow] = _field("flux", "Flux entre applications.", [])
    rules: list[RuleSetting] = _field(
        "regles", "Réglage des règles du diagnostic d'architecture (regles.yaml).", []
    )
    diagnostic: RecordedDiagnostic | None = _field(
        "diagnostic", "Un diagnostic d'architecture enregistré (diagnostics/*.yaml).", None
    )

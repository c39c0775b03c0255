"""Backstage entities → an inventory: applications, blocs, responsables and flows.

==============================  ==========================================================
Backstage                       inventory
==============================  ==========================================================
Component (but a ``library``)   application, owned by the métropole; ``website`` →
                                couche interface, else metier; lifecycle experimental →
                                projet, production → production, deprecated → a-retirer
owner (Group, User)             ``responsable`` (its display name), ``contact`` (its e-mail)
System                          bloc; Domain → quartier, a domain that has subdomains → zone
Component ``system``            the application's bloc (a subcomponent takes its parent's)
API                             donnée; provider → consumer is a flow carrying it
``dependsOn`` a component       flow from the dependency to the dependent, carrying « service
                                rendu par » the dependency
metadata, other spec fields     free properties (``proprietes``: ``metadata.tags``,
                                ``metadata.annotations.<clé>``, ``spec.type``…)
``cartographie/<champ>``        annotation that fills an inventory field (``couche``,
                                ``hebergement``, ``secteurs_cnil``, ``hub``…)
==============================  ==========================================================

Everything else — libraries, resources, users, groups that own nothing, locations, templates,
references to entities the catalog does not hold — is listed in the import's report with its
file and line: nothing is dropped silently.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from pydantic import ValidationError

from cartographie.interop.backstage.read import DEFAULT_NAMESPACE, Entity, Ref, parse_ref
from cartographie.interop.backstage.report import BackstageReport
from cartographie.interop.common import InventoryDraft, SlugAllocator, slugify
from cartographie.interop.survey.sheet import cell_text, leaves
from cartographie.model.records import (
    Application,
    Block,
    DataObject,
    Flow,
    Metropole,
)

LIFECYCLES = {"experimental": "projet", "production": "production", "deprecated": "a-retirer"}
LAYERS = {"website": "interface"}
DEFAULT_LAYER = "metier"
DEFAULT_HOSTING = "datacenter"
ANNOTATION_PREFIX = "cartographie/"
ZONE = ("catalogue-backstage", "Catalogue Backstage")
DISTRICT = ("a-classer", "À classer")
# Spec fields read into structure: the rest goes to free properties.
_STRUCTURAL_SPEC = {
    "lifecycle",
    "owner",
    "system",
    "subcomponentOf",
    "providesApis",
    "consumesApis",
    "dependsOn",
    "dependencyOf",
    "domain",
    "subdomainOf",
    "definition",  # an API's whole document: not a property
}
_ORDER = [info.alias for info in Application.model_fields.values()]


class BackstageImport:
    """One import in progress: entities by reference, ids given, records made."""

    def __init__(self, entities: list[Entity], source: str, metropole: str) -> None:
        self.entities = {entity.ref: entity for entity in entities}
        self.metropole = Metropole.model_validate({"id": "metropole", "nom": metropole})
        self.report = BackstageReport(source, counts={})
        self.used: set[Ref] = set()
        self.block_ids = SlugAllocator()
        self.blocks: dict[Ref, Block] = {}
        self.extra_blocks: list[Block] = []
        self.app_ids: dict[Ref, str] = {}
        self.applications: list[Application] = []
        self.data_ids = SlugAllocator()
        self.data_objects: dict[str, DataObject] = {}
        self.flows: list[Flow] = []

    def of_kind(self, kind: str) -> list[Entity]:
        return sorted(
            (entity for entity in self.entities.values() if entity.ref.kind == kind),
            key=lambda entity: str(entity.ref),
        )

    @staticmethod
    def base_id(ref: Ref) -> str:
        name = slugify(ref.name)
        if ref.namespace != DEFAULT_NAMESPACE:
            name = slugify(f"{ref.namespace}-{ref.name}")
        return name or ref.kind

    # --- blocs --------------------------------------------------------------------------------

    def map_blocks(self) -> None:
        domains = self.of_kind("domain")
        parents: dict[Ref, Ref] = {}
        for domain in domains:
            parent = parse_ref(domain.spec.get("subdomainOf"), "domain", domain.ref.namespace)
            if parent is None:
                continue
            if parent in self.entities:
                parents[domain.ref] = parent
            else:
                self.missing(domain, "subdomainOf", parent)
        zones = set(parents.values())
        ids = {
            domain.ref: self.block_ids.allocate(self.base_id(domain.ref), "domaine")
            for domain in domains
        }
        for domain in domains:
            root = self.root_domain(domain.ref, parents)
            if root is not None and root != domain.ref:
                if root != parents[domain.ref]:
                    self.report.adjustments.append(
                        f"{domain.where} : domaine « {domain.ref.name} » rangé directement sous "
                        f"« {root.name} » (la carte a trois niveaux : zone > quartier > bloc)"
                    )
                self.add_block(domain, ids[domain.ref], "quartier", ids[root])
            elif domain.ref in zones:
                self.add_block(domain, ids[domain.ref], "zone", None)
            else:
                self.add_block(domain, ids[domain.ref], "quartier", self.zone())
        for system in self.of_kind("system"):
            domain_ref = parse_ref(system.spec.get("domain"), "domain", system.ref.namespace)
            if domain_ref is not None and domain_ref not in ids:
                self.missing(system, "domain", domain_ref)
                domain_ref = None
            if domain_ref is not None and self.blocks[domain_ref].level == "zone":
                self.report.adjustments.append(
                    f"{system.where} : système « {system.ref.name} » d'un domaine qui a des "
                    "sous-domaines : rangé sous « À classer » de ce domaine"
                )
                parent_id = self.district(ids[domain_ref])
            elif domain_ref is not None:
                parent_id = ids[domain_ref]
            else:
                parent_id = self.district(self.zone())
            identifier = self.block_ids.allocate(self.base_id(system.ref), "systeme")
            self.add_block(system, identifier, "bloc", parent_id)

    def root_domain(self, ref: Ref, parents: dict[Ref, Ref]) -> Ref | None:
        """The top of ``ref``'s chain of parent domains; ``None`` for a domain in a cycle (the
        cycle is reported and its domains kept without parent)."""
        seen = [ref]
        current = ref
        while current in parents:
            current = parents[current]
            if current in seen:
                self.report.adjustments.append(
                    f"{self.entities[ref].where} : les domaines se contiennent en boucle "
                    f"({' → '.join(item.name for item in [*seen, current])}) : « {ref.name} » "
                    "n'a plus de parent"
                )
                parents.pop(ref, None)
                return None
            seen.append(current)
        return current

    def add_block(self, entity: Entity, identifier: str, level: str, parent: str | None) -> None:
        data: dict[str, Any] = {"id": identifier, "nom": entity.title, "niveau": level}
        if parent is not None:
            data["parent"] = parent
        description = entity.metadata.get("description")
        if isinstance(description, str) and description.strip():
            data["description"] = description.strip()
        properties = self.properties(entity)
        if properties:
            data["proprietes"] = properties
        self.blocks[entity.ref] = Block.model_validate(data)
        self.used.add(entity.ref)

    def zone(self) -> str:
        if not any(block.id == ZONE[0] for block in self.extra_blocks):
            self.extra_blocks.append(
                Block.model_validate({"id": ZONE[0], "nom": ZONE[1], "niveau": "zone"})
            )
            self.block_ids.taken.add(ZONE[0])
            self.report.synthesised.append(
                f"la zone « {ZONE[0]} » : range les domaines sans parent et les systèmes sans "
                "domaine"
            )
        return ZONE[0]

    def district(self, zone: str) -> str:
        identifier = f"{DISTRICT[0]}-{zone}" if zone != ZONE[0] else DISTRICT[0]
        if not any(block.id == identifier for block in self.extra_blocks):
            self.extra_blocks.append(
                Block.model_validate(
                    {"id": identifier, "nom": DISTRICT[1], "niveau": "quartier", "parent": zone}
                )
            )
            self.block_ids.taken.add(identifier)
            self.report.synthesised.append(
                f"le quartier « {identifier} » : range les systèmes sans domaine de quartier"
            )
        return identifier

    # --- applications -------------------------------------------------------------------------

    def map_applications(self) -> None:
        allocator = SlugAllocator()
        components = [c for c in self.of_kind("component") if c.spec.get("type") != "library"]
        for component in self.of_kind("component"):
            if component.spec.get("type") == "library":
                self.report.unmapped_entities.append(
                    (component, "bibliothèque : du code réutilisé, pas une application installée")
                )
        for component in components:
            self.app_ids[component.ref] = allocator.allocate(self.base_id(component.ref))
        for component in components:
            application = self.application(component)
            if application is not None:
                self.applications.append(application)
                self.used.add(component.ref)

    def system_of(self, component: Entity, seen: set[Ref] | None = None) -> Ref | None:
        system = parse_ref(component.spec.get("system"), "system", component.ref.namespace)
        if system is not None:
            if system in self.blocks:
                return system
            self.missing(component, "system", system)
            return None
        parent = parse_ref(
            component.spec.get("subcomponentOf"), "component", component.ref.namespace
        )
        seen = seen or {component.ref}
        if parent is not None and parent in self.entities and parent not in seen:
            return self.system_of(self.entities[parent], seen | {parent})
        return None

    def owner_fields(self, entity: Entity) -> dict[str, str]:
        owner = parse_ref(entity.spec.get("owner"), "group", entity.ref.namespace)
        if owner is None:
            return {}
        found = self.entities.get(owner)
        if found is None:
            self.missing(entity, "owner", owner)
            return {"responsable": owner.name}
        self.used.add(owner)
        profile = found.spec.get("profile")
        profile = profile if isinstance(profile, dict) else {}
        name = profile.get("displayName") or found.title
        fields = {"responsable": " ".join(str(name).split())}
        if isinstance(profile.get("email"), str):
            fields["contact"] = profile["email"]
        return fields

    def application(self, component: Entity) -> Application | None:
        identifier = self.app_ids[component.ref]
        spec = component.spec
        data: dict[str, Any] = {"id": identifier, "nom": component.title}
        description = component.metadata.get("description")
        if isinstance(description, str) and description.strip():
            data["description"] = description.strip()
        kind = str(spec.get("type", ""))
        data["couche"] = LAYERS.get(kind, DEFAULT_LAYER)
        lifecycle = str(spec.get("lifecycle", ""))
        if lifecycle in LIFECYCLES:
            data["cycle_de_vie"] = LIFECYCLES[lifecycle]
        elif lifecycle:
            self.report.adjustments.append(
                f"{component.where} : cycle de vie « {lifecycle} » inconnu de Backstage, "
                "gardé en propriété (spec.lifecycle) et laissé à « production »"
            )
        data["hebergement"] = DEFAULT_HOSTING
        data.update(self.owner_fields(component))
        system = self.system_of(component)
        if system is not None:
            data["blocs"] = [self.blocks[system].id]
        links = component.metadata.get("links")
        if isinstance(links, list):
            for link in links:
                url = link.get("url") if isinstance(link, dict) else None
                if isinstance(url, str) and url.startswith(("http://", "https://")):
                    data["url"] = url
                    break
        data["origine"] = f"Catalogue Backstage, {component.ref}"
        properties = self.properties(component)
        if lifecycle and lifecycle not in LIFECYCLES:
            properties["spec.lifecycle"] = lifecycle
        resources = [
            str(ref)
            for ref in self.refs(component, "dependsOn", "component")
            if ref.kind == "resource"
        ]
        if resources:
            properties["spec.dependsOn"] = ", ".join(resources)
        annotations = component.metadata.get("annotations")
        for key, value in annotations.items() if isinstance(annotations, dict) else []:
            if str(key).startswith(ANNOTATION_PREFIX):
                field = str(key).removeprefix(ANNOTATION_PREFIX)
                data[field] = (
                    [part.strip() for part in str(value).split(",")]
                    if field in ("secteurs_cnil", "blocs", "utilisateurs")
                    else value
                )
        if properties:
            data["proprietes"] = properties
        defaults = [
            key
            for key, default in (("couche", DEFAULT_LAYER), ("hebergement", DEFAULT_HOSTING))
            if data.get(key) == default and f"{ANNOTATION_PREFIX}{key}" not in (annotations or {})
        ]
        ordered = {alias: data[alias] for alias in _ORDER if alias in data}
        try:
            application = Application.model_validate(ordered)
        except ValidationError as error:
            for detail in error.errors(include_url=False):
                key = str(detail["loc"][0]) if detail["loc"] else ""
                self.report.adjustments.append(
                    f"{component.where} : « {key} » = « {detail.get('input')} » refusé "
                    f"({detail['msg']}) : champ laissé vide"
                )
                ordered.pop(key, None)
            try:
                application = Application.model_validate(ordered)
            except ValidationError:
                self.report.unmapped_entities.append((component, "champs refusés (voir plus haut)"))
                return None
        for key in defaults:
            self.report.defaults[key] = self.report.defaults.get(key, 0) + 1
        return application

    def properties(self, entity: Entity) -> dict[str, str]:
        """What the inventory has no field for, by path: ``metadata.tags``, ``spec.type``…"""
        found: dict[str, str] = {}
        metadata = {
            key: value
            for key, value in entity.metadata.items()
            if key not in ("name", "title", "description", "namespace")
        }
        for path, value in leaves({"metadata": metadata}):
            if path.startswith(f"metadata.annotations.{ANNOTATION_PREFIX}"):
                continue
            found[path] = cell_text(value)
        spec = {key: value for key, value in entity.spec.items() if key not in _STRUCTURAL_SPEC}
        for path, value in leaves({"spec": spec}):
            found[path] = cell_text(value)
        if entity.ref.namespace != DEFAULT_NAMESPACE:
            found["metadata.namespace"] = entity.ref.namespace
        return found

    # --- flows --------------------------------------------------------------------------------

    def data_object(
        self,
        key: str,
        base: str,
        name: str,
        description: str | None = None,
        properties: dict[str, str] | None = None,
    ) -> str:
        if key in self.data_objects:
            return self.data_objects[key].id
        identifier = self.data_ids.allocate(base, "donnee")
        data: dict[str, Any] = {"id": identifier, "nom": name}
        if description:
            data["description"] = description
        if properties:
            data["proprietes"] = properties
        self.data_objects[key] = DataObject.model_validate(data)
        return identifier

    def map_flows(self) -> None:
        providers: dict[Ref, list[Ref]] = defaultdict(list)
        consumers: dict[Ref, list[tuple[Ref, Entity]]] = defaultdict(list)
        components = [self.entities[ref] for ref in sorted(self.app_ids, key=str)]
        for component in components:
            for field in ("providesApis", "consumesApis"):
                for api in self.refs(component, field, "api"):
                    if api not in self.entities:
                        self.missing(component, field, api)
                    elif field == "providesApis":
                        providers[api].append(component.ref)
                    else:
                        consumers[api].append((component.ref, component))
        for api_entity in self.of_kind("api"):
            api = api_entity.ref
            description = api_entity.metadata.get("description")
            data_id = self.data_object(
                str(api),
                self.base_id(api),
                api_entity.title,
                description.strip() if isinstance(description, str) else None,
                self.properties(api_entity),
            )
            self.used.add(api)
            if not providers[api] and consumers[api]:
                self.report.unmapped_relations.append(
                    (api_entity.where, str(api), "consumesApis", "aucun composant ne la fournit")
                )
            for provider in providers[api]:
                for consumer, _entity in consumers[api]:
                    if provider != consumer:
                        self.flow(provider, consumer, data_id, f"API « {api_entity.title} »")
        for component in components:
            for target in self.refs(component, "dependsOn", "component"):
                if target.kind == "component" and target in self.app_ids:
                    serving = self.entities[target]
                    data_id = self.data_object(
                        f"service:{target}",
                        f"service-{self.app_ids[target]}",
                        f"Service rendu par « {serving.title} »",
                    )
                    self.flow(target, component.ref, data_id, "dépendance (dependsOn)")
                elif target.kind == "resource" and target in self.entities:
                    self.report.unmapped_relations.append(
                        (
                            f"{component.file}:{component.field_line('spec', 'dependsOn')}",
                            f"{component.ref} → {target}",
                            "dependsOn",
                            "une ressource d'infrastructure n'a pas d'équivalent : gardée en "
                            "propriété de l'application (spec.dependsOn)",
                        )
                    )
                else:
                    self.missing(component, "dependsOn", target)

    def refs(self, entity: Entity, field: str, default_kind: str) -> list[Ref]:
        values = entity.spec.get(field)
        found = []
        for value in values if isinstance(values, list) else []:
            ref = parse_ref(value, default_kind, entity.ref.namespace)
            if ref is not None:
                found.append(ref)
        return found

    def flow(self, source: Ref, target: Ref, data: str, why: str) -> None:
        key = (self.app_ids[source], self.app_ids[target], data)
        if any((flow.source, flow.target, flow.data) == key for flow in self.flows):
            return
        self.flows.append(
            Flow.model_validate(
                {
                    "source": key[0],
                    "cible": key[1],
                    "donnee": data,
                    "protocole": "api",
                    "description": f"Depuis le catalogue Backstage : {why}.",
                }
            )
        )

    # --- what is left -------------------------------------------------------------------------

    def missing(self, entity: Entity, field: str, ref: Ref) -> None:
        self.report.unmapped_relations.append(
            (
                f"{entity.file}:{entity.field_line('spec', field)}",
                f"{entity.ref} → {ref}",
                field,
                "entité absente du catalogue",
            )
        )

    def collect_unmapped(self) -> None:
        reasons = {
            "resource": "ressource d'infrastructure (base, stockage…) : pas d'équivalent",
            "user": "personne : l'inventaire nomme des responsables, pas des personnes",
            "group": "équipe qui ne possède aucune application importée",
            "location": "emplacement : il dit où sont les autres fichiers",
            "template": "modèle de création de projet",
        }
        for entity in sorted(self.entities.values(), key=lambda entity: str(entity.ref)):
            if entity.ref in self.used or any(
                entity is listed for listed, _reason in self.report.unmapped_entities
            ):
                continue
            reason = reasons.get(entity.ref.kind, f"sorte « {entity.kind} » sans équivalent")
            self.report.unmapped_entities.append((entity, reason))

    def draft(self) -> InventoryDraft:
        blocks = [*self.extra_blocks, *self.blocks.values()]
        self.report.counts = {
            "applications": len(self.applications),
            "blocs": sum(1 for block in blocks if block.level == "bloc"),
            "flux": len(self.flows),
            "données": len(self.data_objects),
            "entités lues": len(self.entities),
        }
        return InventoryDraft(
            metropole=self.metropole,
            blocks=blocks,
            data_objects=list(self.data_objects.values()),
            applications={self.metropole.id: self.applications} if self.applications else {},
            flows=self.flows,
            provenance="Importé d'un catalogue Backstage par cartographie.",
        )

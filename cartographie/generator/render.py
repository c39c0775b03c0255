"""Turning the generated world into the inventory's files: relative POSIX path → text.

The layout is the one of DESIGN.md §3: ``territoire.yaml``, ``referentiel/*.yaml``, one
``applications/<owner>.yaml`` per commune and for the métropole, ``applications/partenaires.yaml``
for outside bodies (each application names its ``proprietaire``), and ``flux/<owner>.yaml``
holding the flows whose source that owner owns. Every YAML file opens with the schema modeline
and a comment saying what it holds and that it is generated. Records keep the field order of the
documentation (``docs/inventaire.md``); flows are sorted by source, target and data object.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable

from cartographie.generator.catalogue.blocks import BLOCKS, DISTRICTS, DOMAINS, ZONES
from cartographie.generator.catalogue.data_objects import DATA_OBJECTS
from cartographie.generator.catalogue.processes import PROCESSES
from cartographie.generator.catalogue.vendors import PRODUCTS, VENDORS
from cartographie.generator.costs import DOMAIN_COSTS, costs_lines
from cartographie.generator.model import GeneratedApplication, GeneratedFlow, GeneratedWorld
from cartographie.generator.territory import (
    DATACENTERS,
    DELEGATIONS,
    METROPOLE_ID,
    METROPOLE_NAME,
    METROPOLE_SHORT_NAME,
    OTHER_COMMUNES,
    PARTNERS,
    SECTORS,
    group_suffix,
)
from cartographie.generator.yamlwrite import Record, dump_document
from cartographie.schema import SCHEMA_FILE_NAME, inventory_json_schema_text, modeline

PARTNERS_FILE = "partenaires"


def _header(path: str, what: str, world: GeneratedWorld) -> list[str]:
    command = "cartographie exemple"
    if world.scale != 1:
        command += f" --echelle {world.scale}"
    if world.seed != 2026:
        command += f" --graine {world.seed}"
    generated = (
        f"Fichier généré par « {command} » : le modifier à la main, c'est le perdre à la "
        "prochaine génération."
    )
    return [
        modeline(path)[2:].rstrip("\n"),
        *textwrap.wrap(what, 96, break_on_hyphens=False),
        *textwrap.wrap(generated, 96, break_on_hyphens=False),
    ]


def _document(path: str, what: str, world: GeneratedWorld, body: Record) -> str:
    return dump_document(body, _header(path, what, world))


def _plural(count: int, word: str) -> str:
    invariable = word.endswith(("s", "x", "z"))
    return f"{count} {word}{'s' if count > 1 and not invariable else ''}"


def _of(name: str) -> str:
    """« de Lauzac », « d'Aurelle », « d'Ébreuil »: French elides *de* before a vowel."""
    vowels = "AEIOUYÂÉÈÊÎÔÛaeiouyâéèêîôû"
    return f"d'{name}" if name[:1] in vowels else f"de {name}"


# --- territoire.yaml -------------------------------------------------------------------------


def _planned(world: GeneratedWorld, commune_id: str) -> list[tuple[str, int]]:
    """The adhesions a chantier's waves plan (generator.timeline)."""
    return world.timeline.planned.get(commune_id, []) if world.timeline else []


def _territory(world: GeneratedWorld) -> str:
    communes: list[Record] = []
    for commune in world.communes:
        communes.append({
            "id": commune.id,
            "nom": commune.name,
            "ville_centre": True if commune.central_city else None,
            "population": commune.spec.population,
            "agents": world.agents.get(commune.id),
            "mutualisations": [
                {"domaine": domain, "depuis": year}
                for domain, year in (*commune.spec.joined, *_planned(world, commune.id))
            ],
        })
    others: list[Record] = []
    sectors: list[Record] = []
    for group in range(world.scale):
        suffix = group_suffix(group)
        name_suffix = "" if group == 0 else f" {group + 1}"
        others.extend(
            {"id": other.id + suffix, "nom": other.name + name_suffix,
             "population": other.population}
            for other in OTHER_COMMUNES
        )
        sectors.extend(
            {
                "id": sector.key + suffix,
                "nom": sector.name + name_suffix,
                "description": sector.description,
                "perimetre": [
                    {"commune": commune + suffix, "partie": part}
                    for commune, part in sector.areas
                ],
            }
            for sector in SECTORS
        )
    body: Record = {
        "metropole": {"id": METROPOLE_ID, "nom": METROPOLE_NAME, "sigle": METROPOLE_SHORT_NAME},
        "communes": communes,
        "autres_communes": others,
        "secteurs": sectors,
        "domaines": [
            {
                "id": domain.id,
                "nom": domain.name,
                "blocs": list(domain.blocks),
                "cle": DOMAIN_COSTS[domain.id].key,
                "frais": DOMAIN_COSTS[domain.id].overhead * world.scale,
            }
            for domain in DOMAINS
        ],
        "partenaires": [
            {"id": partner.id, "nom": partner.name, "description": partner.description}
            for partner in PARTNERS
        ],
        "centres_de_donnees": [
            {"id": datacenter.id, "nom": datacenter.name, "commune": datacenter.commune,
             "secours": datacenter.backup}
            for datacenter in DATACENTERS
        ],
    }
    what = (
        f"Le territoire : la métropole, ses {_plural(len(communes), 'commune')} engagées dans la "
        "mutualisation et les domaines qu'elles ont mutualisés (année d'adhésion), ses "
        f"{len(others)} {'autres communes' if len(others) > 1 else 'autre commune'} (sans "
        "applications), les secteurs "
        "d'intervention des services techniques, les organismes extérieurs, les deux centres de "
        "données qui se secourent l'un l'autre."
    )
    return _document("territoire.yaml", what, world, body)


# --- referentiel/ ----------------------------------------------------------------------------


def _blocks(world: GeneratedWorld) -> str:
    records: list[Record] = []
    for zone in ZONES:
        records.append({"id": zone.id, "nom": zone.name, "niveau": "zone",
                        "description": zone.description})
        for district in DISTRICTS:
            if district.zone != zone.id:
                continue
            records.append({"id": district.id, "nom": district.name, "niveau": "quartier",
                            "parent": zone.id, "description": district.description})
            for block in BLOCKS:
                if block.district == district.id:
                    records.append({"id": block.id, "nom": block.name, "niveau": "bloc",
                                    "parent": district.id, "description": block.description})
    what = (
        f"Le plan d'urbanisation : {len(ZONES)} zones, {len(DISTRICTS)} quartiers, "
        f"{len(BLOCKS)} blocs fonctionnels (rangés zone par zone)."
    )
    return _document("referentiel/blocs.yaml", what, world, {"blocs": records})


def _processes(world: GeneratedWorld) -> str:
    records: list[Record] = []
    for process in PROCESSES:
        steps: list[Record] = []
        for step in process.steps:
            steps.append({
                "id": step.id,
                "nom": step.name,
                "acteur": step.actor,
                "blocs": list(step.blocks) or None,
                "applications": list(step.applications) or None,
                "suivantes": None if step.next is None else list(step.next),
                "secteurs": list(step.sectors) or None,
            })
        records.append({"id": process.id, "nom": process.name,
                        "description": process.description, "etapes": steps})
    what = (
        f"Les {len(PROCESSES)} processus métier : étapes, acteurs, blocs et applications qui "
        "les servent (« suivantes » seulement quand le processus bifurque ou s'arrête)."
    )
    return _document("referentiel/processus.yaml", what, world, {"processus": records})


def _data_objects(world: GeneratedWorld) -> str:
    # The blocs whose functions produce and consume each data object: what the generated
    # applications declare (the catalogue's functions), so that every flow runs from one of the
    # former to one of the latter. Listed in the order of blocs.yaml.
    order = {block.id: index for index, block in enumerate(BLOCKS)}
    producers: dict[str, set[str]] = {}
    consumers: dict[str, set[str]] = {}
    for applications in world.applications.values():
        for app in applications:
            for data in app.produces:
                producers.setdefault(data, set()).update(app.blocks)
            for data in app.consumes:
                consumers.setdefault(data, set()).update(app.blocks)
    records: list[Record] = [
        {
            "id": item.id,
            "nom": item.name,
            "personnelle": True if item.sector else None,
            "secteur_cnil": item.sector,
            "description": item.description,
            "blocs_producteurs": sorted(producers.get(item.id, ()), key=order.__getitem__) or None,
            "blocs_consommateurs": (
                sorted(consumers.get(item.id, ()), key=order.__getitem__) or None
            ),
        }
        for item in DATA_OBJECTS
    ]
    personal = sum(1 for item in DATA_OBJECTS if item.sector)
    what = (
        f"Les {len(DATA_OBJECTS)} données échangées par les flux, dont {personal} à caractère "
        "personnel avec leur secteur RU-030 de la CNIL, et les blocs dont les fonctions les "
        "produisent et les utilisent."
    )
    return _document("referentiel/donnees.yaml", what, world, {"donnees": records})


def _vendors(world: GeneratedWorld) -> str:
    # Only what is installed somewhere: the referential describes the portfolio, not the market.
    installed = {app.product for apps in world.applications.values() for app in apps}
    used_products = [product for product in PRODUCTS if product.id in installed]
    used_vendors = {product.vendor for product in used_products}
    vendors: list[Record] = [
        {"id": vendor.id, "nom": vendor.name, "api": vendor.api, "site": vendor.website}
        for vendor in VENDORS
        if vendor.id in used_vendors
    ]
    products: list[Record] = [
        {
            "id": product.id,
            "nom": product.name,
            "editeur": product.vendor,
            "suite": product.suite,
            "api": product.api,
            "licence": product.licence if product.licence != "proprietaire" else None,
            "fin_de_support": world.timeline.end_of_support.get(product.id)
            if world.timeline
            else None,
        }
        for product in used_products
    ]
    what = (
        f"Les {len(vendors)} éditeurs (ouverture de leurs API, selon l'appréciation de la DGSIN) "
        f"et leurs {len(products)} produits installés dans la métropole et ses communes."
    )
    return _document(
        "referentiel/editeurs.yaml", what, world, {"editeurs": vendors, "produits": products}
    )


def _delegations(world: GeneratedWorld) -> str:
    records: list[Record] = []
    for group in range(world.scale):
        suffix = group_suffix(group)
        for delegation in DELEGATIONS:
            authority = delegation.authority
            if authority != METROPOLE_ID:
                authority += suffix
            records.append({
                "id": delegation.key + suffix,
                "nom": delegation.name + ("" if group == 0 else f" ({group + 1})"),
                "delegataire": delegation.delegate,
                "service": delegation.service,
                "autorite": authority,
                "debut": delegation.start,
                "fin": delegation.end,
                "clause_donnees": delegation.data_clause,
                "restitution_donnees": delegation.data_returned,
                "renouvelle": None if delegation.renews is None else delegation.renews + suffix,
                "montant": delegation.amount,
            })
    what = "Les contrats de délégation de service public et leurs clauses sur les données."
    return _document("referentiel/delegations.yaml", what, world, {"delegations": records})


# --- applications/ ---------------------------------------------------------------------------


def _application_record(app: GeneratedApplication, with_owner: bool) -> Record:
    return {
        "id": app.id,
        "nom": app.name,
        "description": app.description,
        "proprietaire": app.owner if with_owner else None,
        "produit": app.product,
        "version": app.version,
        "couche": app.layer,
        "blocs": list(app.blocks) or None,
        "utilisateurs": list(app.users) if app.users is not None else None,
        "hebergement": app.hosting,
        "centre_de_donnees": app.datacenter,
        "hors_secours": True if app.no_backup else None,
        "cycle_de_vie": app.lifecycle,
        "secteurs_cnil": list(app.sectors) or None,
        "responsable": app.responsible,
        "gouvernance": app.governance if app.governance != "dgsin" else None,
        "cout_annuel": app.cost,
        "jours_internes": app.internal_days,
        "mise_en_service": app.since,
        "retrait": app.retired,
        "disposition": app.disposition,
        "disposition_motif": app.disposition_reason,
        "delegation": app.delegation,
        "hub": True if app.hub else None,
        "remplacee_par": app.replaced_by,
        "origine": app.origin,
        "derniere_revue": app.last_review,
    }


def _applications(world: GeneratedWorld, owner: str, names: dict[str, str]) -> tuple[str, str]:
    applications = sorted(world.applications[owner], key=lambda app: app.id)
    path = f"applications/{owner}.yaml"
    if owner == PARTNERS_FILE:
        what = (
            f"Les {len(applications)} applications des organismes extérieurs que les flux "
            "atteignent (hors patrimoine : chacune nomme son propriétaire)."
        )
        body: Record = {"applications": [_application_record(a, True) for a in applications]}
    else:
        name = names[owner]
        what = (
            f"Les applications dont {name} est propriétaire : "
            f"{_plural(len(applications), 'application')}."
        )
        body = {
            "proprietaire": owner,
            "applications": [_application_record(app, False) for app in applications],
        }
    return path, _document(path, what, world, body)


# --- flux/ -----------------------------------------------------------------------------------


def _flow_record(flow: GeneratedFlow) -> Record:
    return {
        "source": flow.source,
        "cible": flow.target,
        "donnee": flow.data,
        "via": flow.via,
        "protocole": flow.protocol,
        "frequence": flow.frequency,
        "consentement": flow.consent,
        "depuis": flow.since,
        "description": flow.description,
    }


def _flow_file_stem(stem: str, app: GeneratedApplication) -> str:
    """The file of the flows leaving ``app``: its owner's; the métropole's are split by group,
    so that no file grows with the scale (one group's worth, like a commune's)."""
    if stem == METROPOLE_ID:
        return METROPOLE_ID + group_suffix(app.group)
    return stem


def _flow_files(world: GeneratedWorld, names: dict[str, str]) -> Iterable[tuple[str, str]]:
    stem_of = {
        app.id: _flow_file_stem(stem, app)
        for stem, apps in world.applications.items()
        for app in apps
    }
    by_stem: dict[str, list[GeneratedFlow]] = {}
    for flow in world.flows:
        by_stem.setdefault(stem_of[flow.source], []).append(flow)
    # File stem -> (owner, group of the métropole's copy, or None).
    stems: dict[str, tuple[str, int | None]] = {
        METROPOLE_ID + group_suffix(group): (METROPOLE_ID, group) for group in range(world.scale)
    }
    stems.update((stem, (stem, None)) for stem in world.applications if stem != METROPOLE_ID)
    for stem, (owner, group) in stems.items():
        flows = sorted(by_stem.get(stem, []), key=lambda flow: flow.key)
        if not flows:
            continue
        path = f"flux/{stem}.yaml"
        via_hub = sum(1 for flow in flows if flow.via is not None)
        if owner == PARTNERS_FILE:
            source = "des applications des organismes extérieurs"
        else:
            source = f"des applications {_of(names[owner])}"
        if group:
            source += f" (copie n° {group + 1} de ses applications partagées)"
        what = (
            f"Les flux qui partent {source} : {_plural(len(flows), 'flux')}, dont "
            f"{via_hub} par le pot commun de données (hub)."
        )
        yield path, _document(path, what, world, {"flux": [_flow_record(f) for f in flows]})


# --- the whole inventory ---------------------------------------------------------------------


def _costs(world: GeneratedWorld) -> str:
    path = "referentiel/couts.yaml"
    what = (
        "Les paramètres de coût (tjm, interface, opération réglementaire) et la DSI déclarée "
        "(budget, agents), avec ce qu'elle paie hors des applications de l'inventaire, pour le "
        "rapprochement de « cartographie rapport couts »."
    )
    header = [f"# {line}" if line else "#" for line in _header(path, what, world)]
    return "\n".join([*header, *costs_lines(world)]) + "\n"


def render_world(world: GeneratedWorld) -> dict[str, str]:
    """Every file of the inventory, by relative POSIX path, in a stable order."""
    names = {METROPOLE_ID: METROPOLE_NAME}
    names.update((commune.id, commune.name) for commune in world.communes)
    files: dict[str, str] = {
        SCHEMA_FILE_NAME: inventory_json_schema_text(),
        "territoire.yaml": _territory(world),
        "referentiel/blocs.yaml": _blocks(world),
        "referentiel/processus.yaml": _processes(world),
        "referentiel/donnees.yaml": _data_objects(world),
        "referentiel/editeurs.yaml": _vendors(world),
        "referentiel/delegations.yaml": _delegations(world),
        "referentiel/couts.yaml": _costs(world),
    }
    if world.timeline is not None and world.timeline.programmes:
        what = (
            "Les chantiers de convergence : leurs dates, leur cible, leurs vagues (l'année où "
            "les communes la rejoignent) et les applications qu'ils retirent."
        )
        files["referentiel/chantiers.yaml"] = _document(
            "referentiel/chantiers.yaml", what, world, {"chantiers": world.timeline.programmes}
        )
    for owner in world.applications:
        path, text = _applications(world, owner, names)
        files[path] = text
    files.update(_flow_files(world, names))
    return files

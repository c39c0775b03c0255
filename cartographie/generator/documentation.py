"""How well each application is documented: a description and a version where a real
inventory would have them.

A real inventory is unevenly filled in: the métropole's DSI documents what it runs, the ville
centre most of what it owns, a small commune's secrétariat little; a workbook on a shared drive
rarely gets a line, a progiciel under contract usually does, with the version in service — which
lags behind from one commune to the next. That unevenness is what ``rapport qualite`` grades.

This pass runs after everything else, with a random stream of its own (seed, group,
"documentation"): the rest of the inventory does not move when these rules change. A
description written by the story (the abandoned reporting app, the retired citizen-reception
application…) is kept as it is.
"""

from __future__ import annotations

import random

from cartographie.generator.catalogue.blocks import BLOCKS_BY_ID
from cartographie.generator.catalogue.vendors import PRODUCTS_BY_ID, VENDORS
from cartographie.generator.model import GeneratedApplication, GeneratedWorld
from cartographie.generator.territory import METROPOLE_ID

# Chance that an application has a description / a version, by the size of its owner.
DESCRIBED = {"metropole": 0.9, "centre": 0.7, "grande": 0.55, "moyenne": 0.4, "petite": 0.25}
VERSIONED = {"metropole": 0.85, "centre": 0.65, "grande": 0.5, "moyenne": 0.35, "petite": 0.2}
# Tools nobody writes a line about as often as they do for a progiciel.
SELDOM_DESCRIBED = {"acc": 0.5, "xls": 0.4}
# Versions are for products under a contract or a support: not a workbook, an Access base or
# an in-house WinDev application (its "product" is the tool it was written with).
UNVERSIONED_PRODUCTS = frozenset(("microsoft-access", "microsoft-excel", "pc-soft-windev"))

_VENDOR_NAMES = {vendor.id: vendor.name for vendor in VENDORS}
_WHAT_TOOL_IS = {
    "acc": "Base Access sur un partage réseau",
    "xls": "Classeur Excel partagé",
    "wd": "Application WinDev développée en interne",
    "web": "Application web développée en interne",
    "saas": "Service en ligne souscrit par le service",
}


def document_applications(world: GeneratedWorld) -> None:
    """Give descriptions and versions to the world's applications, in place."""
    sizes: dict[str, str] = {commune.id: commune.size for commune in world.communes}
    sizes[METROPOLE_ID] = "metropole"
    for group in range(world.scale):
        rng = random.Random(f"{world.seed}-{group}-documentation")
        for owner in sorted(world.applications):
            size = sizes.get(owner)
            if size is None:  # the outside bodies' applications: described by hand
                continue
            for application in world.applications[owner]:
                if application.group == group:
                    _document(rng, application, size)


def _document(rng: random.Random, application: GeneratedApplication, size: str) -> None:
    described = DESCRIBED[size] * SELDOM_DESCRIBED.get(application.tool_kind or "", 1.0)
    # The same draws whatever the outcome: one application's fields never shift the next's.
    describe, version = rng.random() < described, rng.random() < VERSIONED[size]
    behind, minor = rng.choices((0, 1, 2), weights=(6, 3, 1))[0], rng.randint(0, 9)
    if describe and application.description is None:
        application.description = _description(application)
    product = application.product
    if version and product is not None and product not in UNVERSIONED_PRODUCTS:
        application.version = _version(product, behind, minor)


def _description(application: GeneratedApplication) -> str:
    product = PRODUCTS_BY_ID.get(application.product or "")
    if application.tool_kind in _WHAT_TOOL_IS:
        what = _WHAT_TOOL_IS[application.tool_kind or ""]
    elif product is not None:
        vendor = _VENDOR_NAMES[product.vendor]
        what = f"Progiciel {product.name}" + ("" if vendor in product.name else f" ({vendor})")
    else:
        what = "Application développée en interne"
    blocks = " et ".join(f"« {BLOCKS_BY_ID[block].name} »" for block in application.blocks[:2])
    text = f"{what}, bloc {blocks}" if len(application.blocks) < 2 else f"{what}, blocs {blocks}"
    if application.responsible:
        text += f" ; référent : {application.responsible}"
    return text + "."


def _version(product: str, behind: int, minor: int) -> str:
    """The version in service: the product's current release (the same for every commune,
    drawn from its id), or a major release or two ``behind``, as an upgrade waits for a
    budget."""
    current = random.Random(f"version-{product}")
    major, current_minor = current.randint(3, 12), current.randint(0, 9)
    if behind == 0:
        return f"{major}.{current_minor}"
    return f"{max(1, major - behind)}.{minor}"

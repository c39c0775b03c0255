"""The deterministic, seeded generator of the reference métropole (``cartographie exemple``).

``generate_reference_inventory(scale, seed)`` returns the inventory's files as text, without
touching the disk; ``write_reference_inventory`` writes them atomically. The same scale and seed
always give byte-identical files: every draw comes from a ``random.Random`` seeded with the seed,
the group and the purpose, in a fixed order, and nothing iterates over a set.

At scale 1 this is the committed ``inventory/``: Aurelle Métropole, 14 communes, about 1,200
applications and 5,000 flows. At scale N the territory holds N copies of its communes (see
``generator.territory``), for benchmarks.

Modules: ``catalogue/`` (the static knowledge: blocs, vendors, data objects, functions, shared
applications, processes), ``territory`` (communes, partners, data centres, délégations),
``applications`` and ``flows`` (the builders), ``documentation`` (descriptions and
versions), ``timeline`` (chantiers, planned waves, ends of support, dispositions) and
``costs`` (costs, internal days, staff, keys, the DSI), drawn last, each from its own random
stream; ``model`` (their records), ``render`` (records to
YAML text), ``yamlwrite`` (the emitter), ``writer`` (the atomic write).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from cartographie.errors import OptionError
from cartographie.generator.applications import GroupBuilder, build_partner_applications
from cartographie.generator.costs import commune_agents, cost_applications
from cartographie.generator.documentation import document_applications
from cartographie.generator.flows import FlowBuilder
from cartographie.generator.model import GeneratedWorld
from cartographie.generator.render import PARTNERS_FILE, render_world
from cartographie.generator.territory import METROPOLE_ID, communes_of_group
from cartographie.generator.timeline import plan_timeline
from cartographie.generator.writer import check_target, write_files
from cartographie.progress import Progress, silent

__all__ = [
    "GeneratedSummary",
    "build_world",
    "generate_reference_inventory",
    "write_reference_inventory",
]

DEFAULT_SEED = 2026
MAX_SCALE = 1000


@dataclass(frozen=True)
class GeneratedSummary:
    """What ``cartographie exemple`` reports: the counts ``cartographie stats`` will show
    (applications of outside bodies are not counted)."""

    communes: int
    applications: int
    flows: int


def build_world(scale: int = 1, seed: int = DEFAULT_SEED) -> GeneratedWorld:
    """The generated records, before they are turned into text."""
    if not 1 <= scale <= MAX_SCALE:
        raise OptionError(
            f"échelle {scale} hors limites", f"choisissez une échelle entre 1 et {MAX_SCALE}"
        )
    groups = [communes_of_group(group) for group in range(scale)]
    world = GeneratedWorld(scale=scale, seed=seed, groups=groups)
    partners = build_partner_applications()
    world.applications[METROPOLE_ID] = []
    for commune in world.communes:
        world.applications[commune.id] = []
    world.applications[PARTNERS_FILE] = partners
    for group, communes in enumerate(groups):
        applications = GroupBuilder(group, communes, seed).build()
        for owner, owned in applications.items():
            world.applications[owner].extend(owned)
        world.flows.extend(FlowBuilder(group, communes, applications, partners, seed).build())
    document_applications(world)
    world.timeline = plan_timeline(world)  # last: its own draws move nothing else
    cost_applications(world)  # last too: its own stream (seed, group, costs)
    world.agents = commune_agents(world)
    return world


def generate_reference_inventory(scale: int = 1, seed: int = DEFAULT_SEED) -> dict[str, str]:
    """The reference inventory's files: relative POSIX path → text. Pure: no I/O."""
    return render_world(build_world(scale, seed))


def write_reference_inventory(
    out: Path,
    *,
    scale: int = 1,
    seed: int = DEFAULT_SEED,
    force: bool = False,
    progress: Progress | None = None,
) -> GeneratedSummary:
    """Generate and write the inventory into ``out``, atomically.

    Refuses (:class:`UsageError`) an existing non-empty directory unless ``force``; with
    ``force`` the directory's content is replaced, if it holds an inventory. ``progress`` hears
    of its three phases (a ×10 métropole takes seconds).
    """
    report = progress or silent
    check_target(Path(out), force)  # fail before spending seconds on a ×100 generation
    report(0, 3, "Métropole")
    world = build_world(scale, seed)
    report(1, 3, "Fichiers YAML")
    files = render_world(world)
    report(2, 3, "Écriture")
    write_files(Path(out), files, force)
    report(3, 3, "Écriture")
    internal = sum(
        len(apps) for owner, apps in world.applications.items() if owner != PARTNERS_FILE
    )
    return GeneratedSummary(
        communes=len(world.communes), applications=internal, flows=len(world.flows)
    )

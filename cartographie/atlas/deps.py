"""What each map and page of the atlas shows, as a digest of the inventory records behind it.

An incremental atlas remakes a map or a page exactly when the digest of its inputs changed, and
leaves every other one alone without even building its view: renaming one application redoes
the maps and pages that show that application, not the 1,700 others.

Digests are built bottom-up, each once per run:

- **records**: one digest per record (its JSON); an application's also covers its owner and its
  users, which the loader resolves outside the record;
- **applications**, at three depths, because a page says more about an application than a map:

  - *row*: the application as a table row or a box shows it — its record; the names of its
    owner and users (and whether each is a commune, a partner or the métropole); its product and
    vendor; its blocs and their quartier and zone;
  - *map*: the row, and its flows as a map draws them — each flow, the data it carries, and of
    the application at the other end what a map shows of an application it does not draw: its
    owner (the "hors commune" count) and its first bloc (the "autres blocs" count);
  - *page*: the row, its data centre, its délégation, the application replacing it, the
    processes it serves, and each flow with its data, its hub and the other application (name
    and owner);

- **artefacts**: a map's digest covers the object mapped (commune, bloc, process), the set of
  applications it shows and each one's *map* digest; a page's, the rows it lists and the digest of
  the map it inlines. Membership is part of it: an application joining a commune changes the
  commune's set, hence its digest.

The POS hangs on every bloc and on what its counts and rates read of each application; the index,
the reports and the chantiers' pages on the whole inventory and the day (the reports' reference
date). An atlas at a date (``atlas --date``) has the date in its header (every map says it), and
its reports' digests also cover the inventory as written, which the roadmap and the trend read.

The contract with ``cartographie.views`` and ``cartographie.atlas.pages``: anything they read
about an application must be in one of its digests above, at the depth that artefact uses.
``tests/test_atlas_incremental.py`` changes each kind of record of the example and checks that
the incremental atlas equals a cold one, byte for byte.
"""

from __future__ import annotations

import functools
import hashlib
from collections import defaultdict
from collections.abc import Iterable

from pydantic import BaseModel

from cartographie.atlas.objects import products_of_vendor
from cartographie.graph import Portfolio
from cartographie.views.block import block_parts
from cartographie.views.block import part_applications as block_part_applications
from cartographie.views.common import commune_applications, step_applications
from cartographie.views.commune import part_applications


def digest(parts: Iterable[str]) -> str:
    """A short, stable digest of strings (128 bits: a manifest entry, not a signature)."""
    return hashlib.blake2b("\x00".join(parts).encode("utf-8"), digest_size=16).hexdigest()


class AtlasInputs:
    """The digests of one inventory's records, applications and atlas artefacts."""

    def __init__(
        self, portfolio: Portfolio, header: str, day: str = "", blind_day: str | None = None
    ) -> None:
        """``header`` goes into every digest (code, engine…); ``day`` only into the global ones,
        ``blind_day`` (default: ``day``) into those that leave the applications' names out."""
        self.portfolio = portfolio
        self.header = header
        inventory = portfolio.inventory
        records: dict[str, str] = {}

        def section(prefix: str, items: Iterable[tuple[str, BaseModel]]) -> None:
            for record_id, record in items:
                records[f"{prefix}:{record_id}"] = _json_digest(record)

        records["metropole"] = _json_digest(inventory.metropole)
        section("commune", inventory.communes.items())
        section("autre_commune", inventory.other_communes.items())
        section("secteur", inventory.sectors.items())
        section("domaine", inventory.domains.items())
        section("partenaire", inventory.partners.items())
        section("centre", inventory.datacenters.items())
        section("bloc", inventory.blocks.items())
        section("processus", inventory.processes.items())
        section("donnee", inventory.data_objects.items())
        section("editeur", inventory.vendors.items())
        section("produit", inventory.products.items())
        section("delegation", inventory.delegations.items())
        section("chantier", inventory.programmes.items())
        owners, users = inventory.owners, inventory.users
        for app_id, application in inventory.applications.items():
            records[f"application:{app_id}"] = _json_digest(
                application, "\x00".join((owners[app_id], *users[app_id]))
            )
        for flow in inventory.flows:
            # A flow's place in its file is in its digest: the CNIL and flow reports print it.
            records[f"flux:{flow.key}"] = _json_digest(flow, str(flow.origin))
        self.records = records
        self._sectors: list[str] | None = None  # the sectors' records, in order
        # Everything the atlas shows, the header (code, engine) and the day: equal fingerprints,
        # nothing to do.
        self.day = day
        self.blind_day = day if blind_day is None else blind_day
        self.fingerprint = digest(
            (header, day, *(f"{key}={value}" for key, value in records.items()))
        )
        self._blind: str | None = None
        self._touching: dict[str, list[tuple[str, str, str]]] | None = None
        self._rows: dict[str, str] = {}
        self._maps: dict[str, str] = {}
        self._pages: dict[str, str] = {}
        self._blocks: dict[str, str] = {}
        self._organisations: dict[str, str] = {}
        self._ends: dict[str, tuple[str, str]] = {}

    # --- records ----------------------------------------------------------------------------

    def record(self, key: str) -> str:
        return self.records.get(key, "-")

    def organisation(self, organisation_id: str) -> str:
        """The record behind an owner or a user: métropole, commune or partner."""
        found = self._organisations.get(organisation_id)
        if found is None:
            inventory = self.portfolio.inventory
            if organisation_id == inventory.metropole.id:
                found = "metropole=" + self.records["metropole"]
            elif organisation_id in inventory.communes:
                found = "commune=" + self.records[f"commune:{organisation_id}"]
            elif organisation_id in inventory.partners:
                found = "partenaire=" + self.records[f"partenaire:{organisation_id}"]
            else:
                found = f"autre:{organisation_id}"
            self._organisations[organisation_id] = found
        return found

    def block(self, block_id: str) -> str:
        """A bloc with its quartier and zone (maps sort blocs by zone; pages show the lineage)."""
        found = self._blocks.get(block_id)
        if found is None:
            inventory = self.portfolio.inventory
            lineage = [block_id, *inventory.block_ancestors(block_id)]
            found = self._blocks[block_id] = digest(
                f"{item}={self.record(f'bloc:{item}')}" for item in lineage
            )
        return found

    # --- applications -----------------------------------------------------------------------

    @property
    def _flows(self) -> dict[str, list[tuple[str, str, str]]]:
        """Each application's flows (in key order, as ``Portfolio.flows_of``): the application
        at the other end, and the flow as a map shows it (the flow, its data) and as a page
        does (and its hub). Made on first use: a run with nothing to do needs none."""
        if self._touching is None:
            inventory = self.portfolio.inventory
            records = self.records
            known = records.get
            touching: dict[str, list[tuple[str, str, str]]] = {
                app_id: [] for app_id in inventory.applications
            }
            for flow in inventory.flows:
                drawn = records[f"flux:{flow.key}"] + "|" + known(f"donnee:{flow.data}", "-")
                listed = drawn + "|" + (known(f"application:{flow.via}", "-") if flow.via else "-")
                touching[flow.source].append((flow.target, drawn, listed))
                if flow.target != flow.source:
                    touching[flow.target].append((flow.source, drawn, listed))
            self._touching = touching
        return self._touching

    def row(self, app_id: str) -> str:
        found = self._rows.get(app_id)
        if found is None:
            inventory = self.portfolio.inventory
            application = inventory.applications[app_id]
            parts = [
                self.records[f"application:{app_id}"],
                self.organisation(inventory.owners[app_id]),
                *(self.organisation(user) for user in inventory.users[app_id]),
                *(self.block(block_id) for block_id in application.blocks),
            ]
            if application.product is not None:
                product = inventory.products[application.product]
                parts += [
                    self.record(f"produit:{product.id}"),
                    self.record(f"editeur:{product.vendor}"),
                ]
            found = self._rows[app_id] = digest(parts)
        return found

    def _end(self, app_id: str) -> tuple[str, str]:
        """An application at the other end of a flow: what a map shows of it (its owner, its
        first bloc), and what a page shows (its record, its owner)."""
        found = self._ends.get(app_id)
        if found is None:
            inventory = self.portfolio.inventory
            owner = self.organisation(inventory.owners[app_id])
            first = inventory.applications[app_id].blocks[:1]
            found = self._ends[app_id] = (
                "|".join((app_id, owner, *(self.block(block_id) for block_id in first))),
                self.records[f"application:{app_id}"] + "|" + owner,
            )
        return found

    def application_on_map(self, app_id: str) -> str:
        found = self._maps.get(app_id)
        if found is None:
            parts = [self.row(app_id)]
            for other, drawn, _listed in self._flows[app_id]:
                parts += (drawn, self._end(other)[0])
            found = self._maps[app_id] = digest(parts)
        return found

    def application_page(self, app_id: str) -> str:
        found = self._pages.get(app_id)
        if found is None:
            application = self.portfolio.inventory.applications[app_id]
            datacenter = self.portfolio.inventory.datacenters.get(application.datacenter or "")
            parts = [
                self.row(app_id),
                self.record(f"centre:{application.datacenter}"),
                # The page names the data centre that backs its own up.
                self.record(f"centre:{datacenter.backup if datacenter else None}"),
                self.record(f"delegation:{application.delegation}"),
                self.record(f"application:{application.replaced_by}"),
                *(
                    self.record(f"processus:{process_id}")
                    for process_id in self.portfolio.processes_of_application(app_id)
                ),
            ]
            for other, _drawn, listed in self._flows[app_id]:
                parts += (listed, self._end(other)[1])
            found = self._pages[app_id] = digest(parts)
        return found

    # --- maps -------------------------------------------------------------------------------

    def map_inputs(self, kind: str, object_id: str, page: str) -> str:
        """The digest of what the map ``kind``/``object_id`` (shown on ``page``) draws."""
        portfolio = self.portfolio
        parts = [self.header, "carte", kind, object_id, page, self.records["metropole"]]
        applications: Iterable[str]
        if kind == "commune":
            parts.append(self.record(f"commune:{object_id}"))
            applications = portfolio.applications_of_commune(object_id)
        elif kind == "bloc":
            parts += self._bloc(object_id)
            applications = portfolio.applications_of_block(object_id)
        elif kind == "bloc-partie":
            parts += self._bloc(object_id.split("/", 1)[0])
            applications = block_part_applications(portfolio, object_id)
        elif kind in _COMMUNE_PARTS:
            parts += self._commune_part(kind, object_id)
            applications = part_applications(portfolio, kind, object_id)
        elif kind in ("processus", "processus-commune"):
            process_id, _, commune_id = object_id.partition("/")
            parts += self._process(process_id)
            applications = self._serving(process_id)
            if commune_id:
                parts.append(self.record(f"commune:{commune_id}"))
                used = commune_applications(portfolio, commune_id)
                applications = [app_id for app_id in applications if app_id in used]
        elif kind == "pos":
            return digest((*parts, self._pos()))
        else:  # a map kind this module does not know: redone every time a record changes
            return digest((*parts, self.fingerprint))
        parts += [f"{app_id}={self.application_on_map(app_id)}" for app_id in applications]
        return digest(parts)

    def _bloc(self, block_id: str) -> list[str]:
        """A bloc with what is under it; when its map is split, the sectors its parts follow."""
        found = [self.block(item) for item in self.portfolio.blocks_under(block_id)]
        if block_parts(self.portfolio, block_id):
            if self._sectors is None:  # once: at ×10, 750 parts × 50,000 records
                self._sectors = [
                    value for key, value in self.records.items() if key.startswith("secteur:")
                ]
            found += self._sectors
        return found

    def _commune_part(self, kind: str, key: str) -> list[str]:
        """A big commune's layer or zone: the commune (and the zone, its title)."""
        commune_id, part = key.split("/", 1)
        found = [self.record(f"commune:{commune_id}")]
        if kind == "commune-zone":
            found.append(self.block(part))
        return found

    def _process(self, process_id: str) -> list[str]:
        """The process and the blocs its steps name (with everything below them)."""
        inventory = self.portfolio.inventory
        parts = [self.record(f"processus:{process_id}")]
        for step in inventory.processes[process_id].steps:
            for block_id in step.blocks:
                parts += [self.block(item) for item in self.portfolio.blocks_under(block_id)]
            # A step shared between sectors draws one lane per sector, with the names of the
            # communes it covers.
            for sector_id in step.sectors:
                parts.append(self.record(f"secteur:{sector_id}"))
                parts += [
                    self.organisation(commune)
                    if commune in inventory.communes
                    else self.record(f"autre_commune:{commune}")
                    for commune, _part in self.portfolio.sector_areas(sector_id)
                ]
        return parts

    def _serving(self, process_id: str) -> list[str]:
        """Every application serving a step of the process, sorted."""
        return sorted(
            {
                app_id
                for step in self.portfolio.inventory.processes[process_id].steps
                for app_id in step_applications(self.portfolio, process_id, step.id)
            }
        )

    def _pos(self) -> str:
        """The POS: every bloc, and of each application what the counts and the convergence
        rates read (blocs, layer, lifecycle, owner and users)."""
        inventory = self.portfolio.inventory
        parts = [f"{key}={value}" for key, value in self.records.items() if key.startswith("bloc:")]
        parts += [f"commune:{commune_id}" for commune_id in inventory.communes]
        # The subtitle counts the communes engaged out of the métropole's.
        parts += [f"autre_commune:{commune_id}" for commune_id in inventory.other_communes]
        parts += [
            repr(
                (
                    app_id,
                    application.blocks,
                    application.layer,
                    application.lifecycle,
                    inventory.owners[app_id],
                    inventory.users[app_id],
                )
            )
            for app_id, application in inventory.applications.items()
        ]
        return digest(parts)

    # --- reports ----------------------------------------------------------------------------

    def report_inputs(self, spec: object) -> str:
        """The digest of what a report's page reads: the whole inventory and the day, unless
        the report says less (``ReportSpec.names_of_applications``, ``atlas_inputs``)."""
        name = str(getattr(spec, "name", ""))
        parts = [self.header, "rapport", name, self.records["metropole"]]
        inputs = getattr(spec, "atlas_inputs", None)
        if inputs is not None:  # what it reads besides the inventory (the git history)
            parts.append(inputs(self.portfolio))
        if getattr(spec, "names_of_applications", True):
            parts.append(self.fingerprint)
        else:
            parts.append(self.fingerprint_without_names())
        return digest(parts)

    def programme_inputs(self, programme_id: str) -> str:
        """A chantier's page is its roadmap: it reads the whole inventory (the dates of its
        applications, the communes' adhesions, the products' ends of support) and the day."""
        return digest((self.header, "chantier", programme_id, self.fingerprint))

    def named_report_inputs(self, spec: object) -> str:
        """What the page of a report that names applications only in their references reads:
        the report, and every application's name (filled in its fragment)."""
        return digest((self.report_inputs(spec), self._application_names))

    @functools.cached_property
    def _application_names(self) -> str:
        applications = self.portfolio.inventory.applications
        return digest(
            f"{app_id}={application.name}" for app_id, application in applications.items()
        )

    def fingerprint_without_names(self) -> str:
        """The fingerprint with every application's name left out (made once)."""
        if self._blind is None:
            inventory = self.portfolio.inventory
            parts = [self.header, self.blind_day]
            for key, value in self.records.items():
                found = value
                if key.startswith("application:"):
                    app_id = key.split(":", 1)[1]
                    application = inventory.applications[app_id]
                    found = digest(
                        (
                            application.model_dump_json(exclude={"name"}),
                            inventory.owners[app_id],
                            *inventory.users[app_id],
                        )
                    )
                parts.append(f"{key}={found}")
            self._blind = digest(parts)
        return self._blind

    def dossier_inputs(self, commune_id: str) -> str:
        """What a commune's dossier reads: everything but the names of applications (its
        domains' costs and keys, every commune's weights and uses, the simulated joins), the
        names of the applications it names, and the day."""
        inventory = self.portfolio.inventory
        names = [
            f"{app_id}={inventory.applications[app_id].name}"
            for app_id in sorted(self._named_by_dossier(commune_id))
        ]
        return digest(
            [self.header, "dossier", commune_id, self.fingerprint_without_names(), *names]
        )

    def _named_by_dossier(self, commune_id: str) -> set[str]:
        """The applications a dossier may name: those it uses (its applications, those it
        would retire); in the blocs where it uses one, those that may be the bloc's shared
        application (the métropole's, or used by two communes, or a chantier's target); those
        of the délégations it grants or that run one of its applications (its contracts)."""
        portfolio = self.portfolio
        inventory = portfolio.inventory
        used = portfolio.applications_of_commune(commune_id)
        named = set(used)
        blocks: set[str] = set()
        for app_id in used:
            for block_id in inventory.applications[app_id].blocks:
                blocks.add(block_id)
                blocks.update(
                    above
                    for above in inventory.block_ancestors(block_id)
                    if inventory.blocks[above].level == "bloc"
                )
        shareable = self._shareable
        named.update(
            app_id
            for block_id in sorted(blocks)
            for app_id in portfolio.applications_of_block(block_id)
            if app_id in shareable
        )
        delegations = {
            delegation.id
            for delegation in inventory.delegations.values()
            if delegation.authority == commune_id
        }
        delegations.update(
            found for app_id in used if (found := inventory.applications[app_id].delegation)
        )
        by_delegation = self._applications_by_delegation
        named.update(app_id for found in delegations for app_id in by_delegation.get(found, ()))
        return named

    @functools.cached_property
    def _shareable(self) -> set[str]:
        inventory = self.portfolio.inventory
        targets = {programme.target for programme in inventory.programmes.values()}
        return {
            app_id
            for app_id in inventory.applications
            if inventory.owners[app_id] == inventory.metropole.id
            or app_id in targets
            or sum(1 for user in inventory.users[app_id] if user in inventory.communes) >= 2
        }

    @functools.cached_property
    def _applications_by_delegation(self) -> dict[str, list[str]]:
        found: dict[str, list[str]] = {}
        for app_id, application in self.portfolio.inventory.applications.items():
            if application.delegation is not None:
                found.setdefault(application.delegation, []).append(app_id)
        return found

    # --- pages ------------------------------------------------------------------------------

    def page_inputs(self, kind: str, object_id: str, map_digest: str = "") -> str:
        """The digest of what a page shows; ``map_digest`` is the DOT digest of its map."""
        portfolio = self.portfolio
        parts = [self.header, "page", kind, object_id, map_digest, self.records["metropole"]]
        if kind == "application":
            parts.append(self.application_page(object_id))
        elif kind == "commune":
            parts.append(self.record(f"commune:{object_id}"))
            parts += [self.row(app_id) for app_id in portfolio.applications_of_commune(object_id)]
        elif kind == "bloc":
            parts += self._bloc(object_id)
            parts += [self.row(app_id) for app_id in portfolio.applications_of_block(object_id)]
        elif kind == "bloc-partie":
            parts += self._bloc(object_id.split("/", 1)[0])
            applications = block_part_applications(portfolio, object_id)
            parts += [self.row(app_id) for app_id in applications]
        elif kind in _COMMUNE_PARTS:
            parts += self._commune_part(kind, object_id)
            parts += [self.row(app_id) for app_id in part_applications(portfolio, kind, object_id)]
        elif kind in ("processus", "processus-commune"):
            process_id, _, commune_id = object_id.partition("/")
            parts += self._process(process_id)
            if commune_id:
                parts.append(self.record(f"commune:{commune_id}"))
            # The all-communes page lists the communes with a map of the process: every serving
            # application's users decide which.
            parts += [self.row(app_id) for app_id in self._serving(process_id)]
        elif kind in _CATALOGUE:
            parts += self._catalogue_page(kind, object_id)
        elif kind == "atlas.js":  # a package file: the header's code fingerprint says it all
            pass
        else:  # the index, the lists, the search index: the whole inventory
            parts.append(self.fingerprint)
        return digest(parts)

    # --- the catalogue (atlas.catalogue) -------------------------------------------------------

    @functools.cached_property
    def _owned(self) -> dict[str, dict[str, list[str]]]:
        """Applications by product, owner and délégation; flows' digests by data object."""
        inventory = self.portfolio.inventory
        found: dict[str, dict[str, list[str]]] = {
            "produit": defaultdict(list),
            "organisation": defaultdict(list),
            "delegation": defaultdict(list),
        }
        for app_id, application in inventory.applications.items():
            if application.product is not None:
                found["produit"][application.product].append(app_id)
            found["organisation"][inventory.owners[app_id]].append(app_id)
            if application.delegation is not None:
                found["delegation"][application.delegation].append(app_id)
        return found

    @functools.cached_property
    def _data_flows(self) -> dict[str, list[str]]:
        """Per data object, each flow as its page shows it: the flow, its hub, and the name and
        owner of both ends."""
        inventory = self.portfolio.inventory
        records = self.records
        found: dict[str, list[str]] = defaultdict(list)
        for flow in inventory.flows:
            found[flow.data].append(
                "|".join(
                    (
                        records[f"flux:{flow.key}"],
                        records.get(f"application:{flow.via}", "-") if flow.via else "-",
                        self._end(flow.source)[1],
                        self._end(flow.target)[1],
                    )
                )
            )
        return found

    def _catalogue_page(self, kind: str, object_id: str) -> list[str]:
        inventory = self.portfolio.inventory
        owned = self._owned
        if kind == "produit":
            product = inventory.products[object_id]
            return [
                self.record(f"produit:{object_id}"),
                self.record(f"editeur:{product.vendor}"),
                *(self.row(app_id) for app_id in owned["produit"].get(object_id, [])),
            ]
        if kind == "editeur":
            parts = [self.record(f"editeur:{object_id}")]
            for product_id in products_of_vendor(inventory, object_id):
                parts.append(self.record(f"produit:{product_id}"))
                parts += [self.row(app_id) for app_id in owned["produit"].get(product_id, [])]
            return parts
        if kind == "donnee":
            data = inventory.data_objects[object_id]
            return [
                self.record(f"donnee:{object_id}"),
                *(self.block(item) for item in (*data.producer_blocks, *data.consumer_blocks)),
                *self._data_flows.get(object_id, []),
            ]
        if kind == "organisation":
            return [
                self.organisation(object_id),
                *(self.row(app_id) for app_id in owned["organisation"].get(object_id, [])),
            ]
        # a délégation
        delegation = inventory.delegations[object_id]
        return [
            self.record(f"delegation:{object_id}"),
            self.record(f"delegation:{delegation.renews}"),
            self.organisation(delegation.authority),
            *(self.row(app_id) for app_id in owned["delegation"].get(object_id, [])),
        ]


# A big commune's maps by layer and by zone.
_COMMUNE_PARTS = frozenset({"commune-couche", "commune-zone"})
# Page kinds of the catalogue (one page per object, without a map).
_CATALOGUE = frozenset({"produit", "editeur", "donnee", "organisation", "delegation"})


def _json_digest(record: BaseModel, extra: str = "") -> str:
    """The digest of a record's JSON (``model_dump_json``'s bytes, without the round trip
    through ``str``) and of ``extra``."""
    data = type(record).__pydantic_serializer__.to_json(record)
    if extra:
        data += b"\x00" + extra.encode("utf-8")
    return hashlib.blake2b(data, digest_size=16).hexdigest()

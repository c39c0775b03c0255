"""The atlas's HTML pages: one per commune, bloc, process, application and report, and an index.

Pages come from the jinja2 templates shipped beside this module, with autoescape on: every value
from the inventory is escaped. Maps are inlined (their SVG, without its XML prologue), so that
clicking a node follows its link from a page opened with ``file://`` — an ``<img>`` would not
be clickable, and an ``<object>`` is a separate origin for the browser there.

A page is rendered only when the digest of what it shows (:mod:`cartographie.atlas.deps`, with
the DOT digest of the map it inlines) differs from the previous run's, and written only when its
bytes differ from the file's.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from markupsafe import Markup, escape

from cartographie.analysis.convergence import block_convergence, commune_mutualisation
from cartographie.analysis.stats import compute_territory, engaged_communes
from cartographie.atlas.catalogue import INDEX_FOLDER, INDEX_PAGES, Catalogue
from cartographie.atlas.objects import OBJECT_KINDS, object_page, page_folders
from cartographie.atlas.reportpages import FRAGMENT_SUFFIX, FRAGMENTS, blind_fragment, fill_names
from cartographie.atlas.search import SEARCH_FILE, search_index
from cartographie.atlas.templating import PageRenderer
from cartographie.document.numbers import euros
from cartographie.files import FileRefused, read_file, write_staged_file
from cartographie.graph import Portfolio
from cartographie.model.dates import french_moment
from cartographie.model.inventory import Inventory
from cartographie.model.vocabulary import (
    CNIL_SECTOR_LABELS,
    FREQUENCY_LABELS,
    GOVERNANCE_LABELS,
    HOSTING_LABELS,
    LAYER_LABELS,
    LAYERS,
    LIFECYCLE_LABELS,
    PROTOCOL_LABELS,
)
from cartographie.render.batch import svg_markup
from cartographie.render.files import safe_filename
from cartographie.views.block import block_parts
from cartographie.views.block import part_applications as block_part_applications
from cartographie.views.common import step_applications
from cartographie.views.commune import part_applications, part_name
from cartographie.views.text import clean

if TYPE_CHECKING:
    from cartographie.atlas.deps import AtlasInputs

# The folders the atlas writes in (besides its root's index pages, pos.svg and scripts).
ATLAS_FOLDERS: tuple[str, ...] = tuple(
    sorted({*page_folders(), "rapports", INDEX_FOLDER, FRAGMENTS})
)
# The script of every page (search, sortable tables), a package file copied at the root.
SCRIPT_FILE = "atlas.js"


@functools.cache
def script_source() -> str:
    from importlib import resources

    return (
        resources.files("cartographie.atlas").joinpath("templates", SCRIPT_FILE).read_text("utf-8")
    )


# Map kinds whose pages are not an object's: (kind, "parent/part") -> a page beside the parent's
# (``communes/aurelle.couche-metier.html``: a file name never holds a dot, so none collides).
_PART_PAGES = {
    "commune-couche": ("communes", "couche-"),
    "commune-zone": ("communes", "zone-"),
    "bloc-partie": ("blocs", ""),
}


@functools.lru_cache(maxsize=1 << 14)
def map_page_path(kind: str, object_id: str) -> str:
    """Where the page of an object lives in the atlas (``blocs/proximite.html``)."""
    if kind == "pos":
        return "index.html"
    if kind == "processus-commune":
        process_id, commune_id = object_id.split("/", 1)
        return f"processus/{safe_filename(process_id)}/{safe_filename(commune_id)}.html"
    if kind in _PART_PAGES:
        folder, prefix = _PART_PAGES[kind]
        parent, part = object_id.split("/", 1)
        return f"{folder}/{safe_filename(parent)}.{prefix}{safe_filename(part)}.html"
    page = object_page(kind, object_id)
    if page is None:
        raise KeyError(kind)
    return page


def reference_page(reference: object) -> str | None:
    """The atlas page of a document's reference (``Ref``), relative to the atlas's root."""
    return object_page(getattr(reference, "kind", ""), str.__str__(reference))


# Rows of applications show on pages one folder deep (communes/, blocs/, applications/): their
# links are made once, relative to such a page, rather than by a call from the template for
# every link of every page.
_UP = "../"


class Named:
    """A name on a page, linked to its page when it has one: rendered as it stands in a
    template (``{{ user }}``), or joined (``{{ users | join(", ") }}``). Its markup is made once
    (escaped here as the templates' autoescape would): an application's users show on the
    application's page, its commune's and its blocs'."""

    __slots__ = ("_markup", "href", "name")

    def __init__(self, name: str, href: str = "") -> None:
        self.name = name
        self.href = href
        self._markup = Markup(
            f'<a href="{escape(href)}">{escape(name)}</a>' if href else escape(name)
        )

    def __html__(self) -> Markup:
        return self._markup


@dataclass(frozen=True, slots=True)
class AppRow:
    """An application as the tables of the atlas list it (the ids: for the filters of the
    applications' index)."""

    id: str
    name: str
    link: Named
    layer: str
    layer_id: str
    lifecycle: str
    lifecycle_id: str
    shared: bool
    owner: Named
    owner_id: str
    users: tuple[Named, ...]
    user_ids: str
    product: Named
    vendor: Named
    blocks: tuple[Named, ...]
    block_ids: str
    cost: int | None
    # Users and blocs as they show in a cell, joined once (a row shows on five pages or so).
    users_html: Markup
    blocks_html: Markup


_COMMA = Markup(", ")
NO_PRODUCT = Named("développement spécifique")


def application_cost(inventory: Inventory, app_id: str) -> int | None:
    """The yearly cost the atlas shows for an application: what is paid out (``cout_annuel``);
    None when unknown."""
    return inventory.applications[app_id].annual_cost


NOBODY = Named("")


@dataclass(frozen=True, slots=True)
class FlowRow:
    """A flow on an application's page, seen from that application."""

    other: Named
    other_owner: Named
    data: Named
    protocol: str
    frequency: str
    via: Named | None


class PageWriter:
    """Renders and writes the pages whose inputs changed; a page whose bytes did not change is
    left alone."""

    def __init__(
        self,
        portfolio: Portfolio,
        root: Path,
        inputs: AtlasInputs,
        previous: dict[str, str] | None = None,
        process_communes: list[str] | None = None,
        existing: set[str] | None = None,
        *,
        written: Portfolio | None = None,
        moment: dt.date | None = None,
    ) -> None:
        self.portfolio = portfolio
        self.inventory = portfolio.inventory
        # The inventory as written (the roadmap and the trend read its dates) and the date the
        # atlas stands at (``atlas --date``), when it is not today.
        self.written_portfolio = written or portfolio
        self.moment = moment
        self.root = root
        self.inputs = inputs
        self.written = 0
        # Page -> digest of its inputs, this run's and the previous run's (manifest).
        self.digests: dict[str, str] = {}
        self.previous = previous or {}
        # The files there at the start: only they are compared before writing.
        self.existing = existing if existing is not None else set()
        self.page_maps: dict[str, str] = {}  # page -> the map it inlines
        self.process_communes = sorted(process_communes or [])
        self._folders: set[Path] = set()
        self._rows: dict[str, AppRow] = {}
        self._links: dict[str, Named] = {}
        self._names: dict[str, str] = {}
        self._files: Any = None
        self.renderer = PageRenderer(
            metropole=clean(self.inventory.metropole.name),
            moment=french_moment(moment) if moment is not None else "",
        )

    # --- helpers given to templates -------------------------------------------------------

    @staticmethod
    def _link(up: str) -> Callable[[str, str], str]:
        def link(kind: str, object_id: str) -> str:  # a page from a template
            return up + map_page_path(kind, object_id)

        return link

    def _needed(self, page: str, digest: str) -> bool:
        """Record the page's input digest; True when it must be rendered again."""
        self.digests[page] = digest
        return self.previous.get(page) != digest or page not in self.existing

    def write(self, page: str, template: str, svg: str | None = None, **context: Any) -> str:
        """Render ``page`` and write it, unless the file already holds these bytes."""
        root = "../" * page.count("/")
        context["link"] = self._link(root)
        context["svg_file"] = (
            self.page_maps[page].rsplit("/", 1)[-1] if page in self.page_maps else ""
        )
        self._store(page, self.renderer.render(template, root, svg, context))
        return page

    def _store(self, page: str, data: bytes) -> None:
        path = self.root / page
        if page in self.existing:
            try:
                if path.stat().st_size == len(data) and read_file(path) == data:
                    return
            except (OSError, FileRefused):
                pass
        if path.parent not in self._folders:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._folders.add(path.parent)
        write_staged_file(path, data)
        self.written += 1

    # --- pages of maps ----------------------------------------------------------------------

    def map_page_needed(self, kind: str, object_id: str, page: str, map_digest: str) -> bool:
        """Whether the page showing this map must be rendered (its map's DOT digest included)."""
        page_kind = "index" if kind == "pos" else kind
        self.page_maps[page] = "pos.svg" if kind == "pos" else page[: -len(".html")] + ".svg"
        return self._needed(page, self.inputs.page_inputs(page_kind, object_id, map_digest))

    def write_map_page(
        self, kind: str, object_id: str, page: str, svg_key: str, markup: str | None = None
    ) -> str:
        """The page of a map; ``markup`` is its SVG ready to inline (read from the file if not
        given)."""
        if markup is None:
            try:
                markup = svg_markup(read_file(self.root / svg_key).decode("utf-8", "replace"))
            except FileRefused:
                markup = None
        if kind == "pos":
            return self._index(markup)
        if kind == "commune":
            return self._commune(object_id, markup)
        if kind in ("commune-couche", "commune-zone"):
            return self._commune_part(kind, object_id, page, markup)
        if kind == "bloc-partie":
            return self._block(object_id.split("/", 1)[0], markup, part=(object_id, page))
        if kind == "bloc":
            return self._block(object_id, markup)
        if kind == "processus-commune":
            process_id, commune_id = object_id.split("/", 1)
            return self._process(process_id, commune_id, markup)
        return self._process(object_id, None, markup)

    # --- pages without maps -----------------------------------------------------------------

    def pages_without_maps(self) -> Iterator[str]:
        """Application, catalogue and report pages and the scripts, one at a time (the atlas
        draws maps meanwhile)."""
        inputs = self.inputs
        for app_id in sorted(self.inventory.applications):
            page = map_page_path("application", app_id)
            if self._needed(page, inputs.page_inputs("application", app_id)):
                self._application(app_id, page)
            yield page
        catalogue = self.catalogue
        writers = {
            "produit": catalogue.product,
            "editeur": catalogue.vendor,
            "donnee": catalogue.data,
            "organisation": catalogue.organisation,
            "delegation": catalogue.delegation,
        }
        for kind, write in writers.items():
            for object_id in OBJECT_KINDS[kind].ids(self.inventory):
                page = map_page_path(kind, object_id)
                if self._needed(page, inputs.page_inputs(kind, object_id)):
                    write(object_id, page)
                yield page
        for page in INDEX_PAGES:
            if self._needed(page, inputs.page_inputs(page, "")):
                catalogue.index(page)
            yield page
        for programme_id in sorted(self.written_portfolio.inventory.programmes):
            page = map_page_path("chantier", programme_id)
            if self._needed(page, inputs.programme_inputs(programme_id)):
                self._programme(programme_id, page)
            yield page
        # A dossier speaks money: no cost parameters, no dossiers (no ids, see OBJECT_KINDS).
        for commune_id in OBJECT_KINDS["dossier"].ids(self.inventory):
            page = map_page_path("dossier", commune_id)
            if self._needed(page, inputs.dossier_inputs(commune_id)):
                self._dossier(commune_id, page)
            yield page
        yield self._script(SCRIPT_FILE, lambda: script_source().encode("utf-8"))
        yield self._script(SEARCH_FILE, lambda: search_index(self.portfolio).encode("utf-8"))
        for spec in self._report_specs():
            yield from self._report_page(spec)

    @functools.cached_property
    def map_parts(self) -> dict[str, list[str]]:
        """The detailed maps of the big communes, by kind."""
        from cartographie.views import MAP_KINDS

        return {
            kind: MAP_KINDS[kind].ids(self.portfolio) for kind in ("commune-couche", "commune-zone")
        }

    @functools.cached_property
    def catalogue(self) -> Catalogue:
        return Catalogue(self)

    def _script(self, name: str, content: Callable[[], bytes]) -> str:
        """A script at the atlas's root (the search index, ``atlas.js``)."""
        if self._needed(name, self.inputs.page_inputs(name, "")):
            self._store(name, content())
        return name

    def euros(self, amount: int | None) -> str:
        return euros(amount) if amount is not None else ""

    def _dossier(self, commune_id: str, page: str) -> str:
        """The commune's file for its comité numérique (the map: on the commune's page)."""
        from cartographie.document.htmlpage import to_html_fragment
        from cartographie.errors import CartographieError
        from cartographie.reports.commune_file import commune_file_document

        def link(reference: object) -> str | None:
            target = reference_page(reference)
            return _UP + target if target else None

        name = clean(self.inventory.communes[commune_id].name)
        try:
            document = commune_file_document(self._commune_files().file(commune_id))
            body = Markup(to_html_fragment(document, link))
        except CartographieError as error:
            body = Markup("<p class='erreur'>Dossier indisponible : {}</p>").format(error.message)
        return self.write(
            page, "dossier.html", title=name, commune=commune_id, name=name, body=body
        )

    def _commune_files(self) -> Any:
        """The files of the communes, sharing their states (made once, when the first dossier
        is to be written). Their simulations run on the loaded records: the inventory's files
        are read again only if one must be made as text edits."""
        if self._files is None:
            from cartographie.analysis.commune_file import CommuneFiles
            from cartographie.inventory.cache import caches_enabled
            from cartographie.inventory.loader import FileMemo, load_contents
            from cartographie.reports.registry import default_reference_date

            # The files as written, read at the atlas's date (the dossier reads dates itself).
            written = self.written_portfolio

            def load() -> tuple[dict[str, bytes], FileMemo]:
                loaded = load_contents(written.inventory.root, cache=caches_enabled())
                return loaded.contents, loaded.memo

            self._files = CommuneFiles(
                written, reference_date=self.moment or default_reference_date(), load=load
            )
        return self._files

    def _report_specs(self) -> list[Any]:
        try:
            from cartographie.reports.registry import atlas_reports
        except ImportError:  # pragma: no cover - the reports layer is part of the package
            return []
        return atlas_reports()

    def _report_page(self, spec: Any) -> Iterator[str]:
        """A report's page; for a report that names applications only in their references,
        and the fragment it is filled from (:mod:`cartographie.atlas.reportpages`)."""
        inputs = self.inputs
        page = f"rapports/{safe_filename(spec.name)}.html"
        reads = inputs.report_inputs(spec)
        if getattr(spec, "names_of_applications", True):
            if self._needed(page, reads):
                self._report(spec, page, Markup(self._report_html(spec, blind=False)))
            yield page
            return
        fragment_path = f"{FRAGMENTS}/{safe_filename(spec.name)}{FRAGMENT_SUFFIX}"
        fragment_needed = self._needed(fragment_path, reads)
        page_needed = self._needed(page, inputs.named_report_inputs(spec))
        fragment = None
        if not fragment_needed and page_needed:
            try:
                fragment = read_file(self.root / fragment_path).decode("utf-8")
            except (OSError, FileRefused, UnicodeDecodeError):
                fragment_needed = True
        if fragment_needed:
            fragment = self._report_html(spec, blind=True)
            self._store(fragment_path, fragment.encode("utf-8"))
        if page_needed and fragment is not None:
            filled = fill_names(
                fragment, self.inventory, lambda app_id: _UP + map_page_path("application", app_id)
            )
            self._report(spec, page, Markup(filled))
        yield fragment_path
        yield page

    def _report_html(self, spec: Any, blind: bool) -> str:
        from cartographie.document.htmlpage import to_html_fragment

        def link(reference: object) -> str | None:
            page = reference_page(reference)
            return _UP + page if page else None

        try:
            document = (
                spec.document(self.portfolio)
                if self.moment is None
                else spec.document(self.written_portfolio, self.moment, self.portfolio)
            )
            return blind_fragment(document, link) if blind else to_html_fragment(document, link)
        except Exception as error:
            return str(
                Markup("<p class='erreur'>Rapport indisponible : {}</p>").format(
                    f"{type(error).__name__}: {error}"
                )
            )

    @functools.cached_property
    def _use_periods(self) -> list[Any]:
        """Every use of every application, with its dates: what each chantier's roadmap starts
        from, made once for them all."""
        from cartographie.model.asof import use_periods

        return use_periods(self.written_portfolio.inventory)

    def _programme(self, programme_id: str, page: str) -> str:
        """A chantier's page: its roadmap (dates, waves, timeline, what it retires)."""
        from cartographie.analysis.roadmap import Scope, build_roadmap
        from cartographie.document.htmlpage import to_html_fragment
        from cartographie.model.dates import reference_today
        from cartographie.reports.roadmap import roadmap_document

        inventory = self.written_portfolio.inventory
        programme = inventory.programmes[programme_id]
        today = reference_today()
        roadmap = build_roadmap(
            inventory,
            reference=self.moment or today,
            today=today,
            scope=Scope(programme=programme_id),
            periods=self._use_periods,
        )
        document = roadmap_document(inventory, roadmap)

        def link(reference: object) -> str | None:
            found = reference_page(reference)
            return _UP + found if found else None

        return self.write(
            page,
            "rapport.html",
            title=f"Chantier — {clean(programme.name)}",
            description=clean(programme.description or ""),
            body=Markup(to_html_fragment(document, link)),
            trail="Chantier",
        )

    def name(self, organisation_id: str) -> str:
        found = self._names.get(organisation_id)
        if found is None:
            found = self._names[organisation_id] = clean(
                self.inventory.organisation_name(organisation_id)
            )
        return found

    def _index(self, svg: str | None) -> str:
        inventory = self.inventory
        external = inventory.is_external
        zones = []
        names = {key: clean(block.name) for key, block in inventory.blocks.items()}

        def leaves(block_id: str) -> list[dict[str, str]]:
            found = [
                item
                for item in self.portfolio.blocks_under(block_id)
                if inventory.blocks[item].level == "bloc"
            ]
            return [
                {"id": item, "name": names[item]}
                for item in sorted(found, key=lambda item: (names[item], item))
            ]

        for zone_id in sorted(self.portfolio.zones(), key=lambda item: (names[item], item)):
            children = self.portfolio.children_of(zone_id)
            quartiers = sorted(
                (item for item in children if inventory.blocks[item].level == "quartier"),
                key=lambda item: (names[item], item),
            )
            direct = [item for item in children if inventory.blocks[item].level == "bloc"]
            zones.append(
                {
                    "anchor": f"zone-{safe_filename(zone_id)}",
                    "name": names[zone_id],
                    "blocks": [
                        {"id": item, "name": names[item]}
                        for item in sorted(direct, key=lambda item: (names[item], item))
                    ],
                    "quartiers": [
                        {
                            "anchor": f"quartier-{safe_filename(quartier)}",
                            "name": names[quartier],
                            "blocks": leaves(quartier),
                        }
                        for quartier in quartiers
                    ],
                }
            )
        communes = [
            {
                "id": commune.id,
                "name": clean(commune.name),
                "applications": len(self.portfolio.applications_of_commune(commune.id)),
            }
            for commune in sorted(inventory.communes.values(), key=lambda item: clean(item.name))
        ]
        processes = [
            {"id": process.id, "name": clean(process.name)}
            for process in sorted(inventory.processes.values(), key=lambda item: clean(item.name))
        ]
        territory = compute_territory(self.portfolio)
        return self.write(
            "index.html",
            "index.html",
            svg,
            title=f"Atlas du patrimoine applicatif — {clean(inventory.metropole.name)}",
            zones=zones,
            communes=communes,
            engaged=engaged_communes(inventory),
            other_communes=[clean(name) for name in territory.other_communes],
            sectors=[
                {
                    "name": clean(sector.name),
                    "areas": [clean(area) for area in sector.described_areas()],
                }
                for sector in territory.sectors
            ],
            datacenters=[
                {
                    "name": clean(row.name),
                    "commune": clean(inventory.organisation_name(row.commune))
                    if row.commune
                    else "",
                    "backup": self._datacenter_text(row.backup),
                    "applications": row.applications,
                    "without_backup": row.without_backup,
                }
                for row in territory.datacenters
            ],
            processes=processes,
            programmes=self._programme_rows(),
            reports=[
                {
                    "page": f"rapports/{safe_filename(spec.name)}.html",
                    "title": spec.title,
                    "description": spec.description,
                }
                for spec in self._report_specs()
            ],
            applications=sum(1 for app_id in inventory.applications if not external(app_id)),
            external=sum(1 for app_id in inventory.applications if external(app_id)),
        )

    def _programme_rows(self) -> list[dict[str, str]]:
        from cartographie.model.dates import show_date

        programmes = self.written_portfolio.inventory.programmes.values()
        return [
            {
                "id": programme.id,
                "name": clean(programme.name),
                "dates": f"{show_date(programme.start)}–{show_date(programme.end)}",
            }
            for programme in sorted(programmes, key=lambda item: (str(item.start), item.id))
        ]

    def _app_link(self, app_id: str) -> Named:
        """An application's name linked to its page (from a page one folder deep)."""
        return self.object_link("application", app_id)

    def app_row(self, app_id: str) -> AppRow:
        """The row of an application, made once per run (a commune, a bloc and the
        application's own page show it)."""
        found = self._rows.get(app_id)
        if found is not None:
            return found
        inventory = self.inventory
        application = inventory.applications[app_id]
        product = inventory.products.get(application.product or "")
        link = self._app_link(app_id)
        owner = inventory.owners[app_id]
        users = sorted(inventory.users[app_id], key=self.name)
        user_links = tuple(self.organisation_link(user) for user in users)
        block_links = tuple(self.object_link("bloc", block_id) for block_id in application.blocks)
        found = self._rows[app_id] = AppRow(
            id=app_id,
            name=link.name,
            link=link,
            layer=LAYER_LABELS[application.layer],
            layer_id=application.layer,
            lifecycle=LIFECYCLE_LABELS[application.lifecycle],
            lifecycle_id=application.lifecycle,
            shared=self.portfolio.is_shared(app_id),
            owner=self.organisation_link(owner),
            owner_id=owner,
            users=user_links,
            user_ids=" ".join(users),
            product=self.object_link("produit", product.id) if product else NO_PRODUCT,
            vendor=self.object_link("editeur", product.vendor) if product else NOBODY,
            blocks=block_links,
            block_ids=" ".join(application.blocks),
            cost=application_cost(inventory, app_id),
            users_html=_COMMA.join(user_links),
            blocks_html=_COMMA.join(block_links),
        )
        return found

    def object_link(self, kind: str, object_id: str) -> Named:
        """An object's name linked to its page (from a page one folder deep), made once."""
        key = f"{kind}:{object_id}"
        found = self._links.get(key)
        if found is None:
            name = clean(OBJECT_KINDS[kind].name(self.inventory, object_id))
            found = self._links[key] = Named(name, _UP + map_page_path(kind, object_id))
        return found

    def organisation_link(self, organisation_id: str) -> Named:
        """A commune, the métropole or an outside body, linked to its page."""
        key = f"organisation:{organisation_id}"
        found = self._links.get(key)
        if found is None:
            inventory = self.inventory
            kind = (
                "commune"
                if organisation_id in inventory.communes
                else "organisation"
                if organisation_id == inventory.metropole.id
                or organisation_id in inventory.partners
                else ""
            )
            found = self._links[key] = Named(
                self.name(organisation_id),
                _UP + map_page_path(kind, organisation_id) if kind else "",
            )
        return found

    def _commune(self, commune_id: str, svg: str | None) -> str:
        commune = self.inventory.communes[commune_id]
        page = map_page_path("commune", commune_id)
        applications = self.portfolio.applications_of_commune(commune_id)
        by_layer: dict[str, list[AppRow]] = {layer: [] for layer in LAYERS}
        for app_id in applications:
            row = self.app_row(app_id)
            by_layer[self.inventory.applications[app_id].layer].append(row)
        for rows in by_layer.values():
            rows.sort(key=lambda row: (row.name, row.id))
        return self.write(
            page,
            "commune.html",
            svg,
            title=clean(commune.name),
            parts=self._parts_of(commune_id),
            commune=commune,
            dossier=self.inventory.costs is not None,
            mutualisation=commune_mutualisation(self.portfolio, commune_id),
            layers=[(LAYER_LABELS[layer], by_layer[layer]) for layer in LAYERS if by_layer[layer]],
            count=len(applications),
            retired=sum(
                1
                for app_id in applications
                if self.inventory.applications[app_id].lifecycle == "retiree"
            ),
        )

    def _commune_part(self, kind: str, key: str, page: str, svg: str | None) -> str:
        """The page of a big commune's layer or zone map, and its applications."""
        commune_id = key.split("/", 1)[0]
        commune = clean(self.inventory.communes[commune_id].name)
        rows = [self.app_row(app_id) for app_id in part_applications(self.portfolio, kind, key)]
        rows.sort(key=lambda row: (row.name, row.id))
        return self.write(
            page,
            "commune-partie.html",
            svg,
            title=f"{commune} — {part_name(self.portfolio, kind, key)}",
            commune_id=commune_id,
            commune=commune,
            rows=rows,
        )

    def _parts_of(self, commune_id: str) -> list[tuple[str, list[tuple[str, str, int]]]]:
        """The detailed maps of a big commune: (heading, [(page, name)]) by layer, by zone."""
        found = []
        for kind, heading in (("commune-couche", "Par couche"), ("commune-zone", "Par zone")):
            maps = [
                (
                    _UP + map_page_path(kind, key),
                    part_name(self.portfolio, kind, key),
                    len(part_applications(self.portfolio, kind, key)),
                )
                for key in self.map_parts.get(kind, [])
                if key.split("/", 1)[0] == commune_id
            ]
            if maps:
                found.append((heading, maps))
        return found

    def _block(
        self, block_id: str, svg: str | None, part: tuple[str, str] | None = None
    ) -> str:
        """A bloc's page; or the page of one part of a split bloc (its key and page)."""
        inventory = self.inventory
        block = inventory.blocks[block_id]
        parts = block_parts(self.portfolio, block_id)
        if part is None:
            page = map_page_path("bloc", block_id)
            applications = self.portfolio.applications_of_block(block_id)
        else:
            page = part[1]
            applications = block_part_applications(self.portfolio, part[0])
        rows = [self.app_row(app_id) for app_id in applications]
        by_commune: dict[str, list[str]] = defaultdict(list)
        for row in rows:
            for user in row.users:
                if user.href:
                    by_commune[user.name].append(row.name)
        rows.sort(key=lambda row: (not row.shared, [user.name for user in row.users], row.name))
        lineage = [
            clean(inventory.blocks[parent].name)
            for parent in reversed(inventory.block_ancestors(block_id))
        ]
        part_name = next((name for key, name, _c in parts if part and key == part[0]), "")
        return self.write(
            page,
            "bloc.html",
            svg,
            title=clean(block.name) + (f" — secteurs {part_name}" if part else ""),
            description=clean(block.description or ""),
            lineage=lineage,
            rows=rows,
            convergence=block_convergence(self.portfolio, block_id),
            communes=sorted(by_commune.items()),
            block_id=block_id,
            part=part is not None,
            parts=[]
            if part
            else [
                (_UP + map_page_path("bloc-partie", key), name, len(communes))
                for key, name, communes in parts
            ],
        )

    def _process(self, process_id: str, commune_id: str | None, svg: str | None) -> str:
        process = self.inventory.processes[process_id]
        page = (
            map_page_path("processus-commune", f"{process_id}/{commune_id}")
            if commune_id
            else map_page_path("processus", process_id)
        )
        steps = []
        for order, step in enumerate(process.steps, start=1):
            steps.append(
                {
                    "order": order,
                    "name": clean(step.name),
                    "actor": clean(step.actor),
                    "applications": [
                        {"id": app_id, "name": clean(self.inventory.applications[app_id].name)}
                        for app_id in step_applications(
                            self.portfolio, process_id, step.id, commune_id
                        )
                    ],
                }
            )
        return self.write(
            page,
            "processus.html",
            svg,
            title=clean(process.name),
            process_id=process_id,
            description=clean(process.description or ""),
            steps=steps,
            commune=self.name(commune_id) if commune_id else "",
            communes=[]
            if commune_id
            else [
                {"id": key, "name": self.name(key.split("/", 1)[1])}
                for key in self.process_communes
                if key.split("/", 1)[0] == process_id
            ],
        )

    def _flow_rows(self, app_id: str, outgoing: bool) -> list[FlowRow]:
        inventory = self.inventory
        flows = self.portfolio.flows_from(app_id) if outgoing else self.portfolio.flows_to(app_id)
        rows = []
        for flow in flows:
            other = flow.target if outgoing else flow.source
            rows.append(
                FlowRow(
                    other=self._app_link(other),
                    other_owner=self.organisation_link(inventory.owners[other]),
                    data=self.object_link("donnee", flow.data),
                    protocol=PROTOCOL_LABELS[flow.protocol],
                    frequency=FREQUENCY_LABELS[flow.frequency],
                    via=self._app_link(flow.via) if flow.via else None,
                )
            )
        return rows

    def _application(self, app_id: str, page: str) -> str:
        inventory = self.inventory
        application = inventory.applications[app_id]
        row = self.app_row(app_id)
        details = [
            ("Couche", LAYER_LABELS[application.layer]),
            ("Cycle de vie", LIFECYCLE_LABELS[application.lifecycle]),
            ("Propriétaire", row.owner),
            (
                "Produit",
                Markup("{} ({})").format(row.product, row.vendor)
                if row.vendor.name
                else row.product,
            ),
            ("Version", clean(application.version or "")),
            ("Hébergement", HOSTING_LABELS[application.hosting]),
            ("Centre de données", self._datacenter_text(application.datacenter)),
            (
                "Centre de secours",
                self._backup_text(application.datacenter, application.no_backup)
                if application.datacenter in inventory.datacenters
                else "",
            ),
            ("Gouvernance", GOVERNANCE_LABELS[application.governance]),
            ("Responsable", clean(application.responsible or "")),
            (
                "Données personnelles",
                ", ".join(CNIL_SECTOR_LABELS[sector] for sector in application.cnil_sectors),
            ),
            ("Coût annuel", euros(row.cost) if row.cost else ""),
            ("Mise en service", str(application.in_service_since or "")),
            ("Retrait", str(application.retired_in or "")),
            ("Origine", clean(application.origin_note or "")),
            ("Dernière revue", _french_date(application.last_review)),
            ("Hub de données", "oui" if application.hub else ""),
            (
                "Délégation",
                self.object_link("delegation", application.delegation)
                if application.delegation
                else "",
            ),
            (
                "Remplacée par",
                self._app_link(application.replaced_by) if application.replaced_by else "",
            ),
        ]
        return self.write(
            page,
            "application.html",
            title=row.name,
            app=row,
            description=clean(application.description or ""),
            details=[(label, value) for label, value in details if value],
            processes=[
                Named(
                    clean(inventory.processes[process_id].name),
                    _UP + map_page_path("processus", process_id),
                )
                for process_id in self.portfolio.processes_of_application(app_id)
            ],
            outgoing=self._flow_rows(app_id, True),
            incoming=self._flow_rows(app_id, False),
        )

    def _datacenter_text(self, datacenter_id: str | None) -> str:
        datacenter = self.inventory.datacenters.get(datacenter_id or "")
        return clean(datacenter.name) if datacenter is not None else ""

    def _backup_text(self, datacenter_id: str | None, no_backup: bool) -> str:
        """Where the application is restored after a disaster, or that it is not."""
        datacenter = self.inventory.datacenters.get(datacenter_id or "")
        if datacenter is None:
            return ""
        if no_backup:
            return "aucun : l'application n'a pas de réplique (hors secours)"
        if datacenter.backup is None:
            return "aucun : son centre de données n'est secouru par aucun autre"
        return self._datacenter_text(datacenter.backup)

    def _report(self, spec: Any, page: str, html: Markup) -> str:
        return self.write(
            page,
            "rapport.html",
            title=spec.title,
            description=spec.description,
            body=html,
            trail="Rapport",
        )


def _french_date(date: dt.date | None) -> str:
    """« 12 août 2022 »; empty for no date."""
    return "" if date is None else french_moment(date)

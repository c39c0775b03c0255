"""The atlas's HTML pages: one per commune, bloc, process, application and report, and an index.

Pages come from the jinja2 templates shipped beside this module, with autoescape on: every value
from the inventory is escaped. Maps are inlined (their SVG, without its XML prologue), so that
clicking a node follows its link from a page opened with ``file://`` — an ``<img>`` would not
be clickable, and an ``<object>`` is a separate origin for the browser there.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from cartographie.analysis.convergence import block_convergence, commune_mutualisation
from cartographie.graph import Portfolio
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
from cartographie.render.files import atomic_write, safe_filename
from cartographie.views.common import step_applications
from cartographie.views.text import clean, percent

if TYPE_CHECKING:
    from cartographie.atlas.build import PlannedMap

_FOLDERS = {
    "commune": "communes",
    "bloc": "blocs",
    "processus": "processus",
    "application": "applications",
    "rapport": "rapports",
}
_PROLOGUE = re.compile(r"^.*?(?=<svg\b)", re.S)
_COMMENT = re.compile(r"<!--.*?-->", re.S)


def map_page_path(kind: str, object_id: str) -> str:
    """Where the page of an object lives in the atlas (``blocs/proximite.html``)."""
    if kind == "pos":
        return "index.html"
    if kind == "processus-commune":
        process_id, commune_id = object_id.split("/", 1)
        return f"processus/{safe_filename(process_id)}/{safe_filename(commune_id)}.html"
    return f"{_FOLDERS[kind]}/{safe_filename(object_id)}.html"


def inline_svg(text: str) -> Markup:
    """An SVG file's markup ready to sit in an HTML page (prologue and comments removed).

    The SVG comes from Graphviz, which escapes every text it writes; it is trusted as markup.
    """
    body = _COMMENT.sub("", _PROLOGUE.sub("", text, count=1))
    return Markup(body.strip())


class PageWriter:
    """Renders and writes every page; a page whose bytes did not change is left alone."""

    def __init__(
        self,
        portfolio: Portfolio,
        root: Path,
        maps: dict[str, PlannedMap],
        previous: dict[str, str] | None = None,
        code: str = "",
    ) -> None:
        self.portfolio = portfolio
        self.inventory = portfolio.inventory
        self.root = root
        self.maps = maps
        self.written = 0
        # Page -> digest of what it shows, this run's and the previous run's (manifest).
        self.digests: dict[str, str] = {}
        self.previous = previous or {}
        self.page_maps: dict[str, str] = {}  # page -> the map it inlines
        self.code = code
        self.reports: list[tuple[Any, Markup]] = []
        self.process_communes = sorted(
            key for key in (item.view_key for item in maps.values()) if key.count("/") == 1
        )
        self.env = Environment(
            loader=PackageLoader("cartographie.atlas", "templates"),
            autoescape=select_autoescape(default=True, default_for_string=True),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        self.env.filters["percent"] = percent
        self.env.filters["clean"] = clean

    # --- helpers given to templates -------------------------------------------------------

    def _link(self, page: str) -> Callable[[str, str], str]:
        depth = page.count("/")

        def link(kind: str, object_id: str) -> str:  # a page from a template
            return "../" * depth + map_page_path(kind, object_id)

        return link

    def _svg(self, key: str) -> Markup | None:
        path = self.root / key
        if key not in self.maps or not path.is_file():
            return None
        return inline_svg(path.read_text(encoding="utf-8"))

    def _write(self, page: str, template: str, svg_key: str | None = None, **context: Any) -> str:
        """Render and write ``page``, unless the digest of what it shows is the previous run's.

        The digest covers the template's context, the code (templates included) and the DOT
        digest of the map it inlines: a page is rendered again exactly when one of them changed.
        """
        map_digest = self.maps[svg_key].digest if svg_key in self.maps else ""
        digest = hashlib.sha256(
            f"{self.code}|{template}|{page}|{map_digest}|{sorted(context.items())!r}".encode()
        ).hexdigest()
        self.digests[page] = digest
        if svg_key:
            self.page_maps[page] = svg_key
        path = self.root / page
        if self.previous.get(page) == digest and path.is_file():
            return page
        html = self.env.get_template(template).render(
            link=self._link(page),
            root="../" * page.count("/"),
            metropole=clean(self.inventory.metropole.name),
            svg=self._svg(svg_key) if svg_key else None,
            svg_file=svg_key.rsplit("/", 1)[-1] if svg_key else "",
            **context,
        )
        data = html.encode("utf-8")
        try:
            unchanged = path.read_bytes() == data
        except OSError:
            unchanged = False
        if not unchanged:
            atomic_write(path, data)
            self.written += 1
        return page

    def name(self, organisation_id: str) -> str:
        return clean(self.inventory.organisation_name(organisation_id))

    # --- pages ------------------------------------------------------------------------------

    def write_pages_without_maps(self) -> Iterator[str]:
        """Application and report pages, one at a time (the atlas draws maps meanwhile)."""
        for app_id in sorted(self.inventory.applications):
            yield self._application(app_id)
        self.reports = self._reports()
        for spec, html in self.reports:
            yield self._report(spec, html)

    def write_pages_with_maps(self) -> list[str]:
        """The index, commune, bloc and process pages: once their maps are drawn."""
        pages = [self._index(self.reports)]
        pages += [self._commune(commune_id) for commune_id in sorted(self.inventory.communes)]
        pages += [self._block(block_id) for block_id in sorted(self.portfolio.leaf_blocks())]
        pages += [self._process(process_id) for process_id in sorted(self.inventory.processes)]
        pages += [
            self._process(key.split("/", 1)[0], key.split("/", 1)[1])
            for key in self.process_communes
        ]
        return pages

    def write_all(self) -> list[str]:
        return sorted([*self.write_pages_without_maps(), *self.write_pages_with_maps()])

    def _reports(self) -> list[tuple[Any, Markup]]:
        try:
            from cartographie.reports.registry import atlas_reports
        except ImportError:  # pragma: no cover - the reports layer is part of the package
            return []
        found = []
        for spec in atlas_reports():
            if spec.atlas_page is None:
                continue
            try:
                fragment = Markup(spec.atlas_page(self.portfolio))
            except Exception as error:
                fragment = Markup("<p class='erreur'>Rapport indisponible : {}</p>").format(
                    f"{type(error).__name__}: {error}"
                )
            found.append((spec, fragment))
        return found

    def _index(self, reports: list[tuple[Any, Markup]]) -> str:
        inventory = self.inventory
        zones = []
        for zone_id in sorted(
            self.portfolio.zones(), key=lambda item: clean(inventory.blocks[item].name)
        ):
            blocks = [
                block_id
                for block_id in self.portfolio.blocks_under(zone_id)
                if inventory.blocks[block_id].level == "bloc"
            ]
            zones.append(
                {
                    "name": clean(inventory.blocks[zone_id].name),
                    "blocks": [
                        {"id": block_id, "name": clean(inventory.blocks[block_id].name)}
                        for block_id in sorted(
                            blocks,
                            key=lambda item: (clean(inventory.blocks[item].name), item),
                        )
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
        return self._write(
            "index.html",
            "index.html",
            title=f"Atlas du patrimoine applicatif — {clean(inventory.metropole.name)}",
            svg_key="pos.svg",
            zones=zones,
            communes=communes,
            processes=processes,
            reports=[
                {
                    "page": f"rapports/{safe_filename(spec.name)}.html",
                    "title": spec.title,
                    "description": spec.description,
                }
                for spec, _html in reports
            ],
            applications=len(inventory.applications),
        )

    def _app_row(self, app_id: str) -> dict[str, Any]:
        inventory = self.inventory
        application = inventory.applications[app_id]
        product = inventory.products.get(application.product or "")
        return {
            "id": app_id,
            "name": clean(application.name),
            "layer": LAYER_LABELS[application.layer],
            "lifecycle": LIFECYCLE_LABELS[application.lifecycle],
            "shared": self.portfolio.is_shared(app_id),
            "owner": self.name(inventory.owners[app_id]),
            "users": [
                {"id": user, "name": self.name(user), "commune": user in inventory.communes}
                for user in sorted(inventory.users[app_id], key=self.name)
            ],
            "product": clean(product.name) if product else "développement spécifique",
            "vendor": clean(inventory.vendors[product.vendor].name) if product else "",
            "blocks": [
                {"id": block_id, "name": clean(inventory.blocks[block_id].name)}
                for block_id in application.blocks
            ],
        }

    def _commune(self, commune_id: str) -> str:
        commune = self.inventory.communes[commune_id]
        page = map_page_path("commune", commune_id)
        applications = self.portfolio.applications_of_commune(commune_id)
        by_layer = {layer: [] for layer in LAYERS}  # type: dict[str, list[dict[str, Any]]]
        for app_id in applications:
            row = self._app_row(app_id)
            by_layer[self.inventory.applications[app_id].layer].append(row)
        for rows in by_layer.values():
            rows.sort(key=lambda row: (row["name"], row["id"]))
        return self._write(
            page,
            "commune.html",
            title=clean(commune.name),
            commune=commune,
            mutualisation=commune_mutualisation(self.portfolio, commune_id),
            layers=[(LAYER_LABELS[layer], by_layer[layer]) for layer in LAYERS if by_layer[layer]],
            count=len(applications),
            retired=sum(
                1
                for app_id in applications
                if self.inventory.applications[app_id].lifecycle == "retiree"
            ),
            svg_key=page[: -len(".html")] + ".svg",
        )

    def _block(self, block_id: str) -> str:
        inventory = self.inventory
        block = inventory.blocks[block_id]
        page = map_page_path("bloc", block_id)
        rows = [self._app_row(app_id) for app_id in self.portfolio.applications_of_block(block_id)]
        by_commune: dict[str, list[str]] = defaultdict(list)
        for row in rows:
            for user in row["users"]:
                if user["commune"]:
                    by_commune[user["name"]].append(row["name"])
        rows.sort(
            key=lambda row: (not row["shared"], [u["name"] for u in row["users"]], row["name"])
        )
        lineage = [
            clean(inventory.blocks[parent].name)
            for parent in reversed(inventory.block_ancestors(block_id))
        ]
        return self._write(
            page,
            "bloc.html",
            title=clean(block.name),
            description=clean(block.description or ""),
            lineage=lineage,
            rows=rows,
            convergence=block_convergence(self.portfolio, block_id),
            communes=sorted(by_commune.items()),
            svg_key=page[: -len(".html")] + ".svg",
        )

    def _process(self, process_id: str, commune_id: str | None = None) -> str:
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
        return self._write(
            page,
            "processus.html",
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
            svg_key=page[: -len(".html")] + ".svg",
        )

    def _flow_rows(self, app_id: str, outgoing: bool) -> list[dict[str, Any]]:
        inventory = self.inventory
        flows = self.portfolio.flows_from(app_id) if outgoing else self.portfolio.flows_to(app_id)
        rows = []
        for flow in flows:
            other = flow.target if outgoing else flow.source
            rows.append(
                {
                    "other": other,
                    "other_name": clean(inventory.applications[other].name),
                    "other_owner": self.name(inventory.owners[other]),
                    "data": clean(inventory.data_objects[flow.data].name),
                    "protocol": PROTOCOL_LABELS[flow.protocol],
                    "frequency": FREQUENCY_LABELS[flow.frequency],
                    "via": clean(inventory.applications[flow.via].name) if flow.via else "",
                }
            )
        return rows

    def _application(self, app_id: str) -> str:
        inventory = self.inventory
        application = inventory.applications[app_id]
        page = map_page_path("application", app_id)
        row = self._app_row(app_id)
        details = [
            ("Couche", LAYER_LABELS[application.layer]),
            ("Cycle de vie", LIFECYCLE_LABELS[application.lifecycle]),
            ("Propriétaire", row["owner"]),
            ("Produit", row["product"] + (f" ({row['vendor']})" if row["vendor"] else "")),
            ("Version", clean(application.version or "")),
            ("Hébergement", HOSTING_LABELS[application.hosting]),
            ("Gouvernance", GOVERNANCE_LABELS[application.governance]),
            ("Responsable", clean(application.responsible or "")),
            (
                "Données personnelles",
                ", ".join(CNIL_SECTOR_LABELS[sector] for sector in application.cnil_sectors),
            ),
            (
                "Coût annuel",
                f"{application.annual_cost:,} €".replace(",", "\u202f")
                if application.annual_cost
                else "",
            ),
            ("Mise en service", str(application.in_service_since or "")),
            ("Hub de données", "oui" if application.hub else ""),
            (
                "Délégation",
                clean(inventory.delegations[application.delegation].name)
                if application.delegation
                else "",
            ),
            (
                "Remplacée par",
                clean(inventory.applications[application.replaced_by].name)
                if application.replaced_by
                else "",
            ),
        ]
        return self._write(
            page,
            "application.html",
            title=row["name"],
            app=row,
            description=clean(application.description or ""),
            details=[(label, value) for label, value in details if value],
            replaced_by=application.replaced_by,
            processes=[
                {"id": process_id, "name": clean(inventory.processes[process_id].name)}
                for process_id in self.portfolio.processes_of_application(app_id)
            ],
            outgoing=self._flow_rows(app_id, True),
            incoming=self._flow_rows(app_id, False),
        )

    def _report(self, spec: Any, html: Markup) -> str:
        page = f"rapports/{safe_filename(spec.name)}.html"
        return self._write(
            page, "rapport.html", title=spec.title, description=spec.description, body=html
        )

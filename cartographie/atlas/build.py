"""Building the atlas: every map, rendered in parallel and incrementally, and the HTML site.

Steps, each deterministic:

1. **Inputs.** A digest of every inventory record, and from them, for each map and page, the
   digest of what it shows (:mod:`cartographie.atlas.deps`). A run whose whole fingerprint
   matches the manifest's stops here (~50 ms for the reference métropole): nothing changed.
2. **Plan** the maps whose inputs changed (or whose file is missing), biggest first: view, DOT
   source with links to the pages, and the DOT's digest with the engine's name. A map whose DOT
   did not change is not drawn again; a map whose inputs did not change is not even planned.
3. **Render** each planned map as soon as it is planned, biggest first
   (:mod:`cartographie.render.pool`): by worker processes, one per core but one, when every map
   is to be drawn (a first run, ``--complet``, a new version of the code); by a thread of this
   process otherwise. This process draws too once its pages are written. A map Graphviz cannot
   draw (error, timeout) gets a placeholder and a message; it never stops the atlas.
4. **Pages** from jinja2 templates (autoescape: every value is escaped), each map's SVG inline so
   that its links work from ``file://`` without a server. A page whose inputs did not change is
   left alone; the others are written while the maps are drawn, a map's page as soon as its map
   is. A page whose bytes did not change is not rewritten.
5. **Clean up**: files the previous manifest listed and this run did not produce (the maps and
   pages of objects that no longer exist) are removed; nothing else in the folder is touched.

The run writes nothing in the atlas itself: it builds the new atlas beside it
(:class:`cartographie.files.StagedFolder`), starting from a mirror of the old one made of hard
links, and swaps it in whole once the manifest is written. An interruption at any moment —
Ctrl-C, ``kill``, ``kill -9`` — leaves the previous atlas exactly as it was, and the render
workers die with this process (:mod:`cartographie.render.lifetime`). Only a folder that is
empty, new, or an atlas (its manifest) is written: anything else is refused. Files the atlas
did not write are carried over.
"""

from __future__ import annotations

import datetime as dt
import gc
import json
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from cartographie.atlas.deps import AtlasInputs
from cartographie.atlas.pages import ATLAS_FOLDERS, PageWriter, map_page_path
from cartographie.errors import CartographieError
from cartographie.files import (
    StagedFolder,
    check_folder,
    marked_folder,
    recover_interrupted,
    write_file_atomic,
)
from cartographie.graph import Portfolio
from cartographie.inventory.cache import code_fingerprint
from cartographie.render import to_dot
from cartographie.render.batch import RENDER_GENERATION, RenderJob, RenderOutcome, dot_digest
from cartographie.render.engines import DEFAULT_TIMEOUT, warm_cache
from cartographie.render.pool import Mode, RenderPool
from cartographie.views import MAP_KINDS, MapOptions, Ref, View

MANIFEST = ".atlas-manifeste.json"
MANIFEST_VERSION = 2
# An atlas is a folder holding its manifest: the only non-empty folder the atlas writes over.
ATLAS_FOLDER = marked_folder(MANIFEST, "un atlas")

ProgressCallback = Callable[[int, int, str], None]
# From this many maps to draw at once, worker processes (~0.2 s each to start: Python, the
# engines, the embedded engine's module) pay; below, a thread of this process draws them.
PARALLEL_MAPS = 40
# The order maps are planned in, most expensive to draw first: a cold atlas hands each map to the
# workers as soon as it is planned, and the ville centre's must not start last.
PLANNING_ORDER = (
    "commune",
    "commune-couche",
    "commune-zone",
    "processus-commune",
    "bloc",
    "bloc-partie",
    "processus",
    "pos",
)


@dataclass(frozen=True)
class AtlasOptions:
    engine: str = "auto"
    jobs: int = 0  # 0: one worker per core when it pays; 1: everything in this process
    timeout: float = DEFAULT_TIMEOUT
    force: bool = False  # re-render every map
    # The portfolio at this date (``atlas --date``): the target state in the future, history in
    # the past; the maps and pages show it, the roadmap and the trend read the inventory as
    # written.
    moment: dt.date | None = None


@dataclass
class AtlasResult:
    maps: int = 0
    rendered: int = 0
    reused: int = 0
    removed: int = 0
    pages: int = 0
    pages_written: int = 0
    failures: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    render_seconds: float = 0.0  # the sum of the engines' own times
    render_cpu_seconds: float = 0.0  # the CPU time they took (benchmarks.atlas)
    seconds: float = 0.0
    rendered_keys: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class PlannedMap:
    kind: str
    view_key: str  # the id the map kind was asked for ("gdu/aurelle" for a process's commune)
    key: str  # path of the SVG in the atlas
    page: str  # path of the page that shows it
    inputs: str  # digest of what it shows (deps.AtlasInputs.map_inputs)
    digest: str  # of the DOT and engine: what was drawn
    source: str | None = None  # the DOT, when planned this run


class AtlasError(CartographieError):
    code = "A001"


def relative_url(page: str, target: str) -> str:
    """The link from ``page`` to ``target`` (both relative to the atlas root)."""
    depth = page.count("/")
    return "../" * depth + target


def page_of(ref: Ref, portfolio: Portfolio) -> str | None:
    """The atlas page of an inventory object, or None when it has none."""
    inventory = portfolio.inventory
    if ref.kind == "application" and ref.id in inventory.applications:
        return map_page_path("application", ref.id)
    if ref.kind == "commune" and ref.id in inventory.communes:
        return map_page_path("commune", ref.id)
    if (
        ref.kind == "bloc"
        and ref.id in inventory.blocks
        and inventory.blocks[ref.id].level == "bloc"
    ):
        return map_page_path("bloc", ref.id)
    if ref.kind == "processus" and ref.id in inventory.processes:
        return map_page_path("processus", ref.id)
    if ref.kind in ("commune-couche", "commune-zone"):
        commune_id = ref.id.split("/", 1)[0]
        if commune_id in inventory.communes:
            return map_page_path(ref.kind, ref.id)
    if ref.kind == "bloc-partie" and ref.id.split("/", 1)[0] in inventory.blocks:
        return map_page_path(ref.kind, ref.id)
    if ref.kind == "processus-commune":
        process_id, _, commune_id = ref.id.partition("/")
        if process_id in inventory.processes and commune_id in inventory.communes:
            return map_page_path("processus-commune", ref.id)
    return None


def map_identities(portfolio: Portfolio) -> list[tuple[str, str, str, str]]:
    """Every map of the atlas as (kind, id, SVG path, page), in :data:`PLANNING_ORDER`; the
    communes with the most applications first."""
    found = []
    for name in PLANNING_ORDER:
        ids = MAP_KINDS[name].ids(portfolio)
        if name == "commune":
            ids = sorted(ids, key=lambda item: -len(portfolio.applications_of_commune(item)))
        for object_id in ids:
            page = map_page_path(name, object_id)
            key = "pos.svg" if name == "pos" else page[: -len(".html")] + ".svg"
            found.append((name, object_id, key, page))
    return found


def plan_map(portfolio: Portfolio, kind: str, object_id: str) -> View:
    """The view of one map of the atlas (the ids come from the registry: no checks needed)."""
    return MAP_KINDS[kind].builder(portfolio, object_id, MapOptions())


def map_source(portfolio: Portfolio, view: View, page: str, engine: str = "auto") -> str:
    """The DOT of a view shown on ``page``: nodes link to their pages, relative to it."""

    def url_for(ref: Ref) -> str | None:
        target = page_of(ref, portfolio)
        return relative_url(page, target) if target else None

    return to_dot(view, url_for, engine)


def plan_maps(portfolio: Portfolio, engine: str) -> list[PlannedMap]:
    """Every map of the atlas with its DOT source, sorted by path (benchmarks, tests)."""
    planned = []
    for kind, object_id, key, page in map_identities(portfolio):
        view = plan_map(portfolio, kind, object_id)
        source = map_source(portfolio, view, page, engine)
        planned.append(
            PlannedMap(kind, object_id, key, page, "", dot_digest(source, engine), source)
        )
    return sorted(planned, key=lambda item: item.key)


def read_manifest(directory: Path) -> dict[str, object]:
    path = directory / MANIFEST
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("version") != MANIFEST_VERSION:
        return {}
    return data


def atlas_inputs(
    portfolio: Portfolio, options: AtlasOptions, written: Portfolio | None = None
) -> AtlasInputs:
    """The digests of everything the atlas shows, under this code, engine and day (the
    reports' reference date: ``--date``, else today). At a date, the maps and pages hang on
    the portfolio then; the reports and chantier pages, which read the inventory as written
    (the roadmap, the trend), also on its whole fingerprint."""
    from cartographie import __version__
    from cartographie.reports.registry import default_reference_date

    # The whole package and its templates: a new version of a view, of the renderer or of a
    # template invalidates what the previous run made, even under the same version number.
    code = code_fingerprint(suffixes=(".py", ".html", ".css", ".js"))
    header = f"{MANIFEST_VERSION}|{RENDER_GENERATION}|{__version__}|{code}|{options.engine}"
    if options.moment is None or written is None:
        return AtlasInputs(portfolio, header, default_reference_date().isoformat())
    # Every map says its date under its title: the date is in every digest.
    header += f"|au {options.moment.isoformat()}"
    as_written = AtlasInputs(written, header)
    # What reads the inventory as written hangs on it whole; what leaves the applications'
    # names out (a commune's dossier, some reports) on it without them: renaming one
    # application at a date redoes what it redoes without a date.
    moment = options.moment.isoformat()
    return AtlasInputs(
        portfolio,
        header,
        f"{moment}|{as_written.fingerprint}",
        f"{moment}|{as_written.fingerprint_without_names()}",
    )


def _dict(manifest: dict[str, object], name: str) -> dict[str, str]:
    value = manifest.get(name)
    return {str(key): str(item) for key, item in value.items()} if isinstance(value, dict) else {}


def existing_files(root: Path) -> set[str]:
    """The files of the atlas's own folders under ``root`` (POSIX paths relative to it): one
    walk instead of a ``stat`` per map and page, and never a walk of a folder the atlas does
    not write (``--sortie .``)."""
    found: set[str] = set()
    try:
        found.update(entry.name for entry in os.scandir(root) if entry.is_file())
    except OSError:
        return found
    for top in ATLAS_FOLDERS:
        for folder, _folders, files in os.walk(root / top):
            prefix = Path(folder).relative_to(root).as_posix() + "/"
            found.update(prefix + name for name in files)
    return found


def _unchanged(
    root: Path, manifest: dict[str, object], fingerprint: str, existing: set[str]
) -> AtlasResult | None:
    """The result of a run with nothing to do, if the manifest says so and its files are there."""
    files = manifest.get("fichiers")
    maps = manifest.get("cartes")
    if manifest.get("empreinte") != fingerprint or not isinstance(files, list):
        return None
    if not isinstance(maps, dict) or not all(str(name) in existing for name in files):
        return None
    pages = sum(1 for name in files if str(name).endswith(".html"))
    return AtlasResult(maps=len(maps), reused=len(maps), pages=pages)


def build_atlas(
    portfolio: Portfolio,
    directory: Path,
    options: AtlasOptions | None = None,
    progress: ProgressCallback | None = None,
) -> AtlasResult:
    """Write (or bring up to date) the atlas of ``portfolio`` in ``directory``, swapped in whole;
    :class:`PathError` for a folder that is not an atlas."""
    options = options or AtlasOptions()
    started = time.perf_counter()
    written = portfolio
    if options.moment is not None:
        from cartographie.model.asof import as_of

        portfolio = Portfolio(as_of(portfolio.inventory, options.moment))
    report = progress or (lambda done, total, label: None)
    root = directory.resolve()
    recover_interrupted(root)  # what a killed run left beside it, even if nothing is to be done
    check_folder(root, ATLAS_FOLDER)  # before any work: a folder that is not an atlas

    # The run allocates views, DOT sources and pages by the hundred thousand, and keeps many
    # alive to its end: the cyclic garbage collector scanned them all again and again (0.2 s of
    # a cold run of the reference métropole) to find almost no cycle. It runs again afterwards.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _build_atlas(portfolio, written, root, options, report, started)
    finally:
        if collecting:
            gc.enable()


def _build_atlas(
    portfolio: Portfolio,
    written: Portfolio,
    root: Path,
    options: AtlasOptions,
    report: ProgressCallback,
    started: float,
) -> AtlasResult:
    manifest = read_manifest(root)
    existing = existing_files(root)
    inputs = atlas_inputs(portfolio, options, written)
    if not options.force:
        unchanged = _unchanged(root, manifest, inputs.fingerprint, existing)
        if unchanged is not None:
            report(unchanged.maps, unchanged.maps, "Cartes")
            unchanged.seconds = time.perf_counter() - started
            return unchanged
    try:
        with StagedFolder(root, ATLAS_FOLDER) as staging:
            build = _Build(
                portfolio, staging.path, options, manifest, inputs, report, existing, written
            )
            result = build.run()
            staging.commit()
    except OSError as error:
        raise AtlasError(f"écriture impossible dans {root} : {error.strerror or error}") from None
    result.seconds = time.perf_counter() - started
    return result


class _Build:
    """One run of the atlas, from the inputs to the manifest."""

    def __init__(
        self,
        portfolio: Portfolio,
        root: Path,
        options: AtlasOptions,
        manifest: dict[str, object],
        inputs: AtlasInputs,
        report: ProgressCallback,
        existing: set[str],
        written: Portfolio | None = None,
    ) -> None:
        self.portfolio = portfolio
        self.written = written or portfolio
        # The files there at the start: a page compares its bytes with its file before writing.
        self.existing = existing
        self.root = root
        self.options = options
        self.manifest = manifest
        self.inputs = inputs
        self.report = report
        self.result = AtlasResult()
        self.failed: set[str] = set()
        fresh = options.force
        self.previous_maps = {} if fresh else _dict(manifest, "cartes")
        self.previous_inputs = {} if fresh else _dict(manifest, "vues")
        self.previous_pages = {} if fresh else _dict(manifest, "pages")
        self.identities = map_identities(portfolio)
        self.total = len(self.identities)

    def run(self) -> AtlasResult:
        result = self.result
        # Every map to draw again (a first run, --complet, a new version of the code or engine):
        # worker processes pay for their start-up; a few maps are drawn by a thread.
        everything = not self.previous_maps or self.manifest.get("entete") != self.inputs.header
        with RenderPool(*self._pool_for(everything)) as pool:
            process_communes = [
                object_id for kind, object_id, *_ in self.identities if kind == "processus-commune"
            ]
            writer = PageWriter(
                self.portfolio,
                self.root,
                self.inputs,
                self.previous_pages,
                process_communes,
                self.existing,
                written=self.written,
                moment=self.options.moment,
            )
            planned = self._plan(pool)
            result.maps = len(planned)
            result.reused = len(planned) - pool.pending
            self.report(result.reused, self.total, "Cartes")
            pages = self._pages(planned, pool, writer)
        self.report(self.total, self.total, "Pages")
        self._finish(planned, pages, writer)
        return result

    def _pool_for(self, everything: bool) -> tuple[Mode, int, str]:
        """How to draw: worker processes, a thread, or inline (``-j 1``). This process draws
        too, once its own work is done."""
        options = self.options
        cores = os.cpu_count() or 1
        if options.jobs == 1 or cores == 1:
            return "inline", 1, options.engine
        if options.jobs > 1 or (everything and self.total >= PARALLEL_MAPS):
            if options.engine != "systeme":
                warm_cache()  # compiled once, before the workers all want it
            # One worker per core but one: this process plans, writes the pages and the
            # reports, then draws the maps still waiting (measured on two cores: one worker
            # beside this process beats two, which pay their start-up and share its core).
            return "processes", options.jobs or cores - 1, options.engine
        return "thread", 1, options.engine

    def _plan(self, pool: RenderPool) -> dict[str, PlannedMap]:
        """Every map: kept when its inputs did not change (and its file is there), else planned
        and handed to the pool at once — unless its DOT is the drawing on disk's."""
        engine = self.options.engine
        planned: dict[str, PlannedMap] = {}
        for kind, object_id, key, page in self.identities:
            inputs = self.inputs.map_inputs(kind, object_id, page)
            previous = self.previous_maps.get(key)
            there = key in self.existing
            if previous is not None and self.previous_inputs.get(key) == inputs and there:
                planned[key] = PlannedMap(kind, object_id, key, page, inputs, previous)
                continue
            view = plan_map(self.portfolio, kind, object_id)
            source = map_source(self.portfolio, view, page, engine)
            digest = dot_digest(source, engine)
            planned[key] = PlannedMap(kind, object_id, key, page, inputs, digest, source)
            if previous == digest and there:
                continue  # new inputs, same drawing (a name the map does not show)
            job = RenderJob(
                key, str(self.root / key), source, engine, self.options.timeout, True, digest
            )
            pool.submit(job, len(source))
        return planned

    def _pages(
        self, planned: dict[str, PlannedMap], pool: RenderPool, writer: PageWriter
    ) -> list[str]:
        """Every page, the map pages as their maps come back from the pool."""
        drawing = pool.pending
        done: list[str] = []
        waiting: dict[str, PlannedMap] = {}  # map pages waiting for their drawing
        for item in sorted(planned.values(), key=lambda item: item.key):
            if not writer.map_page_needed(item.kind, item.view_key, item.page, item.digest):
                done.append(item.page)
            elif item.source is not None and self._drawing(item):
                waiting[item.key] = item
            else:
                done.append(writer.write_map_page(item.kind, item.view_key, item.page, item.key))

        def record(outcomes: list[RenderOutcome]) -> None:
            for outcome in outcomes:
                markup = self._record(outcome, planned)
                item = waiting.pop(outcome.key, None)
                if item is not None:
                    done.append(
                        writer.write_map_page(item.kind, item.view_key, item.page, item.key, markup)
                    )
            self.report(self.result.reused + drawing - pool.pending, self.total, "Cartes")

        for page in writer.pages_without_maps():
            done.append(page)
            record(pool.poll())
        while pool.pending:
            record(pool.wait())
        # Pages whose map was not drawn this run after all (a drawing kept on disk).
        for item in waiting.values():
            done.append(writer.write_map_page(item.kind, item.view_key, item.page, item.key))
        return done

    def _drawing(self, item: PlannedMap) -> bool:
        """Whether the map was handed to the pool (its DOT differs from the drawing kept)."""
        return not (self.previous_maps.get(item.key) == item.digest and item.key in self.existing)

    def _record(self, outcome: RenderOutcome, planned: dict[str, PlannedMap]) -> str | None:
        """Take a drawing's outcome into the result; returns the markup for its page."""
        result = self.result
        if outcome.error is not None:
            result.failures.append(f"{outcome.key} : {outcome.error}")
            self.failed.add(outcome.key)
            placeholder = placeholder_svg(outcome.error)
            write_file_atomic(self.root / outcome.key, placeholder)
            return placeholder
        result.rendered += 1
        result.rendered_keys.append(outcome.key)
        result.render_seconds += outcome.seconds
        result.render_cpu_seconds += outcome.cpu
        result.warnings.extend(f"{outcome.key} : {warning}" for warning in outcome.warnings)
        if outcome.digest and outcome.key in planned:
            planned[outcome.key] = replace(planned[outcome.key], digest=outcome.digest)
        return outcome.markup

    def _finish(self, planned: dict[str, PlannedMap], pages: list[str], writer: PageWriter) -> None:
        result, root = self.result, self.root
        pages.sort()
        result.failures.sort()
        result.warnings.sort()
        result.rendered_keys.sort()
        result.pages = sum(1 for page in pages if page.endswith(".html"))
        result.pages_written = writer.written
        produced = set(planned) | set(pages)
        previous_files = self.manifest.get("fichiers", [])
        for stale in sorted(
            set(previous_files if isinstance(previous_files, list) else []) - produced
        ):
            path = (root / str(stale)).resolve()
            # Only files of the atlas's own folder that the previous run wrote.
            if root in path.parents and path.is_file():
                path.unlink()
                result.removed += 1
        failed = self.failed
        maps = sorted(planned.values(), key=lambda item: item.key)
        new_manifest = {
            "version": MANIFEST_VERSION,
            # A run with a failed map leaves no fingerprint: the next one tries again.
            "empreinte": "" if failed else self.inputs.fingerprint,
            # The code and engine the digests were made under: when they change, every map is.
            "entete": self.inputs.header,
            "moteur": self.options.engine,
            # A failed map is not remembered: the next run tries it again.
            "cartes": {item.key: item.digest for item in maps if item.key not in failed},
            "vues": {item.key: item.inputs for item in maps if item.key not in failed},
            # A page showing a failed map is not remembered either: it must inline the real map.
            "pages": {
                page: digest
                for page, digest in sorted(writer.digests.items())
                if writer.page_maps.get(page) not in failed
            },
            "fichiers": sorted(produced),
        }
        write_file_atomic(
            root / MANIFEST, json.dumps(new_manifest, ensure_ascii=False, indent=1, sort_keys=True)
        )


def placeholder_svg(message: str) -> str:
    """A small SVG that says why a map is missing (escaped: the message may quote a name)."""
    from html import escape

    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="640" height="80" viewBox="0 0 640 80">'
        '<rect width="640" height="80" fill="#fbe0dc"/>'
        '<text x="12" y="32" font-family="Helvetica,sans-serif" font-size="14">'
        "Carte non dessinée</text>"
        '<text x="12" y="56" font-family="Helvetica,sans-serif" font-size="11">'
        f"{escape(message[:150])}</text></svg>\n"
    )


__all__ = [
    "AtlasError",
    "AtlasOptions",
    "AtlasResult",
    "PlannedMap",
    "build_atlas",
    "page_of",
    "plan_maps",
    "relative_url",
]

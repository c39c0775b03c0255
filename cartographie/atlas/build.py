"""Building the atlas: every map, rendered in parallel and incrementally, and the HTML site.

Steps, each deterministic:

1. **Plan.** Every map kind of the registry, for every object it maps: its view, its DOT source
   (nodes link to the pages, relative to where the map is shown), and the hash of that source
   with the engine's name. The DOT holds everything drawn, so an unchanged hash is an unchanged
   map: renaming one application changes only the maps that show its name.
   A run whose inventory fingerprint (every record, hashed in ~40 ms) matches the manifest's
   stops before this step: nothing changed, nothing to do.
2. **Render** the maps whose hash is not in the manifest of the previous run, in a process pool
   (one worker per core; each loads the embedded engine's compiled module from the disk cache),
   biggest first. A map Graphviz cannot draw (error, timeout) gets a placeholder and a message;
   it never stops the atlas.
3. **Pages** from jinja2 templates (autoescape: every value is escaped), each map's SVG inline so
   that its links work from ``file://`` without a server. A page whose bytes did not change is
   not rewritten.
4. **Clean up**: files the previous manifest listed and this run did not produce (the maps and
   pages of objects that no longer exist) are removed; nothing else in the folder is touched.

Every file is written atomically (temporary file, then rename).
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import time
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field, replace
from multiprocessing import get_context
from pathlib import Path

from cartographie.atlas.pages import PageWriter, map_page_path
from cartographie.errors import CartographieError
from cartographie.graph import Portfolio
from cartographie.render import to_dot
from cartographie.render.batch import (
    RENDER_GENERATION,
    RenderJob,
    RenderOutcome,
    dot_digest,
    run_job,
)
from cartographie.render.engines import DEFAULT_TIMEOUT, warm_cache
from cartographie.render.files import atomic_write
from cartographie.views import MAP_KINDS, MapOptions, Ref, View

MANIFEST = ".atlas-manifeste.json"
MANIFEST_VERSION = 1

ProgressCallback = Callable[[int, int, str], None]
# Below this much DOT to draw, starting worker processes (~0.5 s each: Python, imports, the
# engine's module) costs more than drawing the maps one after another.
PARALLEL_THRESHOLD = 150_000
# A cold atlas of at least this many applications starts its pool before planning.
PARALLEL_APPLICATIONS = 300


@dataclass(frozen=True)
class AtlasOptions:
    engine: str = "auto"
    jobs: int = 0  # 0: one worker per core but one (this process has its share of the work)
    timeout: float = DEFAULT_TIMEOUT
    force: bool = False  # re-render every map


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
    seconds: float = 0.0
    rendered_keys: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class PlannedMap:
    view: View
    key: str  # path of the SVG in the atlas
    page: str  # path of the page that shows it
    view_digest: str  # of the view: the DOT is a function of it, and costs far more to make
    source: str | None  # None: the view did not change (or the DOT is deferred to a worker)
    digest: str  # of the DOT; "" until a worker made it, when deferred
    view_key: str  # the id the map kind was asked for ("gdu/aurelle" for a process's commune)
    urls: tuple[tuple[Ref, str], ...] = ()  # the view's links, for a worker to make the DOT
    deferred: bool = False  # the DOT is to be made by the worker that draws the map


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
    if ref.kind == "processus-commune":
        process_id, _, commune_id = ref.id.partition("/")
        if process_id in inventory.processes and commune_id in inventory.communes:
            return map_page_path("processus-commune", ref.id)
    return None


def plan_maps(
    portfolio: Portfolio,
    engine: str,
    known: dict[str, tuple[str, str]] | None = None,
    on_planned: Callable[[PlannedMap], None] | None = None,
    defer_dot: bool = False,
) -> list[PlannedMap]:
    """Every map of the atlas, with its DOT source and content hash, sorted by path.

    ``known`` maps a map's path to (view digest, DOT digest) of the previous run: a map whose
    view has the same digest keeps its DOT digest, and its DOT source is not even made.
    ``on_planned`` sees each map as soon as it is planned (a cold atlas starts drawing then);
    with ``defer_dot``, a changed map's DOT is left to the worker that draws it.
    """
    known = known or {}
    planned = []
    for kind in MAP_KINDS.values():
        for object_id in kind.ids(portfolio):
            # The ids come from the registry itself: no need for build_view's checks.
            view = kind.builder(portfolio, object_id, MapOptions())
            page = map_page_path(kind.name, object_id)
            key = page[: -len(".html")] + ".svg" if kind.name != "pos" else "pos.svg"

            def url_for(ref: Ref, page: str = page) -> str | None:
                target = page_of(ref, portfolio)
                return relative_url(page, target) if target else None

            view_digest = hashlib.sha256(
                f"{RENDER_GENERATION}|{code_fingerprint()}|{engine}|{page}|{view!r}".encode()
            ).hexdigest()
            if key in known and known[key][0] == view_digest:
                planned.append(
                    PlannedMap(view, key, page, view_digest, None, known[key][1], object_id)
                )
                continue
            if defer_dot:
                urls = tuple((ref, url) for ref in _refs(view) if (url := url_for(ref)) is not None)
                planned.append(
                    PlannedMap(view, key, page, view_digest, None, "", object_id, urls, True)
                )
            else:
                source = to_dot(view, url_for)
                digest = dot_digest(source, engine)
                planned.append(PlannedMap(view, key, page, view_digest, source, digest, object_id))
            if on_planned is not None:
                on_planned(planned[-1])
    return sorted(planned, key=lambda item: item.key)


def _refs(view: View) -> list[Ref]:
    """Every object a view links to (nodes and clusters), once each, sorted."""
    found = {node.link for node in view.nodes if node.link is not None}
    todo = list(view.clusters)
    while todo:
        cluster = todo.pop()
        if cluster.link is not None:
            found.add(cluster.link)
        todo.extend(cluster.children)
    return sorted(found)


def read_manifest(directory: Path) -> dict[str, object]:
    path = directory / MANIFEST
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("version") != MANIFEST_VERSION:
        return {}
    return data


@functools.cache
def code_fingerprint() -> str:
    """A digest of this package's code and templates: a new version of a view, of the renderer
    or of a template invalidates what the previous run made, even under the same version."""
    package = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*")):
        if path.suffix in (".py", ".html", ".css") and "__pycache__" not in path.parts:
            digest.update(path.relative_to(package).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def inventory_fingerprint(portfolio: Portfolio, options: AtlasOptions) -> str:
    """A digest of everything the atlas shows: every record, who owns and uses what, the
    engine, this code's version, and the day (the reports' reference date).

    Hashing the records' JSON takes ~40 ms for the reference métropole: a re-run with nothing
    changed compares it with the manifest and stops there.
    """
    from cartographie import __version__
    from cartographie.reports.registry import default_reference_date

    inventory = portfolio.inventory
    digest = hashlib.sha256(
        f"{MANIFEST_VERSION}|{RENDER_GENERATION}|{__version__}|{code_fingerprint()}|"
        f"{options.engine}|"
        f"{default_reference_date().isoformat()}".encode()
    )
    digest.update(inventory.metropole.model_dump_json().encode())
    for section in (
        inventory.communes,
        inventory.domains,
        inventory.partners,
        inventory.datacenters,
        inventory.blocks,
        inventory.processes,
        inventory.data_objects,
        inventory.vendors,
        inventory.products,
        inventory.delegations,
        inventory.applications,
    ):
        digest.update(b"\x00section")
        for record in section.values():
            digest.update(record.model_dump_json().encode())
    for flow in inventory.flows:
        digest.update(flow.model_dump_json().encode())
    digest.update(repr(sorted(inventory.owners.items())).encode())
    digest.update(repr(sorted(inventory.users.items())).encode())
    return digest.hexdigest()


def _unchanged(root: Path, manifest: dict[str, object], fingerprint: str) -> AtlasResult | None:
    """The result of a run with nothing to do, if the manifest says so and its files are there."""
    files = manifest.get("fichiers")
    maps = manifest.get("cartes")
    if manifest.get("empreinte") != fingerprint or not isinstance(files, list):
        return None
    if not isinstance(maps, dict) or not all((root / str(name)).is_file() for name in files):
        return None
    pages = sum(1 for name in files if str(name).endswith(".html"))
    return AtlasResult(maps=len(maps), reused=len(maps), pages=pages)


def build_atlas(
    portfolio: Portfolio,
    directory: Path,
    options: AtlasOptions | None = None,
    progress: ProgressCallback | None = None,
) -> AtlasResult:
    """Write (or bring up to date) the atlas of ``portfolio`` in ``directory``."""
    options = options or AtlasOptions()
    started = time.perf_counter()
    report = progress or (lambda done, total, label: None)
    result = AtlasResult()
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise AtlasError(f"impossible de créer {directory} : {error.strerror or error}") from None
    root = directory.resolve()

    manifest = read_manifest(root)
    fingerprint = inventory_fingerprint(portfolio, options)
    if not options.force:
        unchanged = _unchanged(root, manifest, fingerprint)
        if unchanged is not None:
            report(unchanged.maps, unchanged.maps, "Cartes")
            unchanged.seconds = time.perf_counter() - started
            return unchanged
    previous_maps = manifest.get("cartes", {})
    previous_maps = previous_maps if isinstance(previous_maps, dict) else {}
    previous_views = manifest.get("vues", {})
    previous_views = previous_views if isinstance(previous_views, dict) else {}
    known = {
        key: (str(previous_views[key]), str(digest))
        for key, digest in previous_maps.items()
        if key in previous_views and not options.force and (root / key).is_file()
    }
    # A cold atlas of a big inventory: the pool starts now and draws each map as soon as it is
    # planned, while this process goes on planning the others.
    pool: ProcessPoolExecutor | None = None
    streamed: dict[Future[RenderOutcome], RenderJob] = {}
    if not previous_maps and _pool_pays(portfolio, options):
        if options.engine != "systeme":
            warm_cache()
        # One core stays with this process, which has as much to do (planning, pages, reports)
        # as the workers: measured on two cores, one worker beside it beats two.
        pool = _pool(options.jobs or max(1, (os.cpu_count() or 1) - 1))

    unsent: list[RenderJob] = []

    def stream(item: PlannedMap) -> None:
        if pool is not None and (item.deferred or item.source is not None):
            job = _job(item, root, options)
            try:
                streamed[pool.submit(run_job, job)] = job
            except RuntimeError:  # the pool broke (a worker died): this map fails later
                unsent.append(job)

    try:
        planned = plan_maps(portfolio, options.engine, known, stream, defer_dot=pool is not None)
    except BaseException:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
        raise
    todo = [
        item
        for item in planned
        if item.deferred
        or (item.source is not None
        and (
            options.force
            or previous_maps.get(item.key) != item.digest
            or not (root / item.key).is_file()
        ))
    ]
    result.maps = len(planned)
    result.reused = len(planned) - len(todo)
    total = len(planned)
    report(result.reused, total, "Cartes")

    previous_pages = manifest.get("pages", {})
    writer = PageWriter(
        portfolio,
        root,
        {item.key: item for item in planned},
        previous_pages if isinstance(previous_pages, dict) and not options.force else {},
        code_fingerprint(),
    )
    failed: set[str] = set()

    def record(outcome: RenderOutcome) -> None:
        item = writer.maps[outcome.key]
        if item.deferred:
            writer.maps[outcome.key] = replace(item, source="", digest=outcome.digest)
        if outcome.error is not None:
            result.failures.append(f"{outcome.key} : {outcome.error}")
            failed.add(outcome.key)
            atomic_write(root / outcome.key, placeholder_svg(outcome.error))
        else:
            result.rendered += 1
            result.rendered_keys.append(outcome.key)
            result.render_seconds += outcome.seconds
            result.warnings.extend(f"{outcome.key} : {warning}" for warning in outcome.warnings)
        report(result.reused + len(result.rendered_keys) + len(failed), total, "Cartes")

    # Pages without a map (applications, reports) are written while the workers draw.
    if pool is not None:
        for job in unsent:
            record(
                RenderOutcome(
                    job.key, 0.0, options.engine, (), "le processus de rendu s'est arrêté"
                )
            )
        with pool:
            pages = _collect(streamed, options, record, writer.write_pages_without_maps)
    else:
        pages = _render_all(todo, root, options, record, writer.write_pages_without_maps)
    report(total, total, "Pages")
    pages += writer.write_pages_with_maps()
    planned = sorted(writer.maps.values(), key=lambda item: item.key)
    pages.sort()
    result.failures.sort()
    result.warnings.sort()
    result.rendered_keys.sort()
    result.pages = len(pages)
    result.pages_written = writer.written

    produced = {item.key for item in planned} | set(pages)
    previous_files = manifest.get("fichiers", [])
    for stale in sorted(set(previous_files if isinstance(previous_files, list) else []) - produced):
        path = (root / str(stale)).resolve()
        # Only files of the atlas's own folder that the previous run wrote.
        if root in path.parents and path.is_file():
            path.unlink()
            result.removed += 1
    new_manifest = {
        "version": MANIFEST_VERSION,
        # A run with a failed map leaves no fingerprint: the next one tries again.
        "empreinte": "" if failed else fingerprint,
        "moteur": options.engine,
        # A failed map is not remembered: the next run tries it again.
        "cartes": {item.key: item.digest for item in planned if item.key not in failed},
        "vues": {item.key: item.view_digest for item in planned if item.key not in failed},
        # A page showing a failed map is not remembered either: it must inline the real map.
        "pages": {
            page: digest
            for page, digest in sorted(writer.digests.items())
            if writer.page_maps.get(page) not in failed
        },
        "fichiers": sorted(produced),
    }
    atomic_write(
        root / MANIFEST, json.dumps(new_manifest, ensure_ascii=False, indent=1, sort_keys=True)
    )
    result.seconds = time.perf_counter() - started
    return result


def _job(item: PlannedMap, root: Path, options: AtlasOptions) -> RenderJob:
    return RenderJob(
        item.key,
        str(root / item.key),
        item.source or "",
        options.engine,
        options.timeout,
        item.view if item.deferred else None,
        item.urls,
    )


def _pool_pays(portfolio: Portfolio, options: AtlasOptions) -> bool:
    """Whether a cold atlas should start its pool before planning: asked for, or a big
    inventory on a machine with several cores."""
    if options.jobs == 1:
        return False
    if options.jobs > 1:
        return True
    cores = os.cpu_count() or 1
    return cores > 1 and len(portfolio.inventory.applications) >= PARALLEL_APPLICATIONS


def _pool(jobs: int) -> ProcessPoolExecutor:
    # spawn, not fork: wasmtime keeps threads, and forking a threaded process can deadlock.
    return ProcessPoolExecutor(
        max_workers=jobs or os.cpu_count() or 1, mp_context=get_context("spawn")
    )


def _render_all(
    todo: list[PlannedMap],
    root: Path,
    options: AtlasOptions,
    record: Callable[[RenderOutcome], None],
    meanwhile: Callable[[], Iterator[str]],
) -> list[str]:
    """Render ``todo`` (in a pool when it pays), running ``meanwhile`` in this process; returns
    what ``meanwhile`` yielded."""
    # Biggest first: the ville centre's map must not start last on an idle pool.
    jobs = [
        _job(item, root, options)
        for item in sorted(todo, key=lambda item: (-len(item.source or ""), item.key))
    ]
    workers = min(options.jobs or max(1, (os.cpu_count() or 1) - 1), len(jobs))
    work = sum(len(job.source) for job in jobs)
    # -j 1: everything in this process; otherwise the pool, even of one worker, since this
    # process writes the pages meanwhile.
    if len(jobs) <= 1 or options.jobs == 1 or (options.jobs == 0 and work < PARALLEL_THRESHOLD):
        for job in jobs:
            record(run_job(job))
        return list(meanwhile())
    if options.engine != "systeme":
        warm_cache()
    with _pool(workers) as pool:
        futures = {pool.submit(run_job, job): job for job in jobs}
        return _collect(futures, options, record, meanwhile)


def _collect(
    futures: dict[Future[RenderOutcome], RenderJob],
    options: AtlasOptions,
    record: Callable[[RenderOutcome], None],
    meanwhile: Callable[[], Iterator[str]],
) -> list[str]:
    """Record the outcomes of ``futures`` as they come, while running ``meanwhile``."""
    pending = set(futures)
    done: list[str] = []

    def collect(block: bool) -> None:
        finished, _ = wait(pending, timeout=None if block else 0, return_when=FIRST_COMPLETED)
        for future in sorted(finished, key=lambda future: futures[future].key):
            pending.discard(future)
            try:
                outcome = future.result()
            except Exception as error:  # a dead worker fails its maps, not the atlas
                outcome = RenderOutcome(
                    futures[future].key,
                    0.0,
                    options.engine,
                    (),
                    f"le processus de rendu s'est arrêté ({type(error).__name__})",
                )
            record(outcome)

    for page in meanwhile():
        done.append(page)
        if pending:
            collect(block=False)
    while pending:
        collect(block=True)
    return done


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

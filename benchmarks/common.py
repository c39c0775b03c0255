"""What every benchmark script shares: repeated timings, scaled inventories, result files.

Timings are medians of several runs (these machines are noisy), each beside a reference measured
in the same run, so that ratios stay meaningful from one machine to another.
"""

from __future__ import annotations

import atexit
import json
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
REFERENCE_INVENTORY = ROOT / "inventory"
RESULTS = ROOT / "benchmarks" / "results"
_SCALED: dict[int, Path] = {}


def timed(function: Callable[[], Any], runs: int = 5, warmup: int = 1) -> tuple[float, Any]:
    """Median wall time in seconds of ``runs`` calls (after ``warmup`` calls), and the last
    result."""
    result: Any = None
    for _ in range(warmup):
        result = function()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        result = function()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples), result


def scaled_inventory(scale: int) -> Path:
    """The reference inventory at ``scale`` (1 is the committed one), generated once per run."""
    if scale == 1:
        return REFERENCE_INVENTORY
    if scale not in _SCALED:
        from cartographie.generator import write_reference_inventory

        folder = Path(tempfile.mkdtemp(prefix=f"cartographie-x{scale}-"))
        atexit.register(shutil.rmtree, folder, ignore_errors=True)  # ×100 weighs 116 MB
        target = folder / "inventory"
        write_reference_inventory(target, scale=scale)
        _SCALED[scale] = target
    return _SCALED[scale]


def yaml_files(root: Path) -> list[Path]:
    from cartographie.inventory import find_inventory_files

    return find_inventory_files(root)


def raw_yaml_parse(root: Path) -> Callable[[], int]:
    """The reference: ``yaml.load(..., Loader=CSafeLoader)`` of every file, bytes read included."""
    import yaml

    files = yaml_files(root)

    def parse() -> int:
        count = 0
        for path in files:
            yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader)
            count += 1
        return count

    return parse


def print_table(title: str, rows: list[tuple[str, ...]], header: tuple[str, ...]) -> None:
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *rows, strict=True)]
    line = "  ".join(f"{{:<{width}}}" for width in widths)
    print(f"\n{title}")
    print(line.format(*header))
    print(line.format(*("-" * width for width in widths)))
    for row in rows:
        print(line.format(*row))


def write_results(name: str, payload: dict[str, Any]) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.json"
    payload = {"python": sys.version.split()[0], **payload}
    path.write_text(json.dumps(payload, indent=2, sort_keys=True, ensure_ascii=False) + "\n")
    return path

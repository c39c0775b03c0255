"""Interoperability figures (issues 6 and 17): the 2,000-row état des lieux import and each
export of the reference inventory, beside the load time of that inventory measured in the same
run; the ArchiMate import of the reference export beside an independent reader's (pyArchimate)
read of the same file, measured in alternation in the same run.

    python -m benchmarks.interop [--inventaire inventory] [--lignes 2000] [--runs 5]

Targets (issue 17): XLSX import of 2,000 rows ≤ 2× the load; ArchiMate import ≤ 1.5×
pyArchimate's read. pyArchimate is not a dependency of cartographie: install it in the venv to
get the comparison (``pip install pyarchimate``); without it the line says so and the rest runs.
pyArchimate runs in a child process (it patches PyYAML's representers on import, which would
slow our YAML down), timing its ``Model.read`` alone.

The spreadsheet is made here from the inventory (never committed): one row per application of a
commune or of the métropole, with the words a DSI would write (« Métier », « SaaS », the bloc's
name), repeated with a numbered name until it has ``--lignes`` rows. It is written as XLSX and as
CSV, with its mapping file, in a temporary folder. When the inventory folder holds no YAML (the
reference inventory not generated yet), the figures are made on a stand-in: the example
spreadsheet of examples/etat-des-lieux imported, scaled to ``--lignes`` rows the same way and
imported again (so without flows) — the output says so.
"""

from __future__ import annotations

import argparse
import csv
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from benchmarks.common import ROOT, print_table, timed, write_results

# What the child process runs: pyArchimate's read of the file, timed alone (import excluded).
PYARCHIMATE_READ = """
import sys, time, logging
logging.disable(logging.CRITICAL)
from pyArchimate import Model
start = time.perf_counter()
model = Model("lecture")
model.read(sys.argv[1])
print(time.perf_counter() - start, len(model.elems_dict), len(model.rels_dict))
"""

HEADER = [
    "Commune",
    "Application",
    "Éditeur",
    "Produit",
    "Couche",
    "Bloc fonctionnel",
    "Quartier",
    "Zone",
    "Hébergement",
    "Cycle de vie",
    "Données personnelles",
    "Direction",
    "Coût annuel (€ TTC)",
    "Année de mise en service",
    "Communes utilisatrices",
]
COLUMNS = {
    "commune": "Commune",
    "nom": "Application",
    "editeur": "Éditeur",
    "produit": "Produit",
    "couche": "Couche",
    "blocs": "Bloc fonctionnel",
    "quartier": "Quartier",
    "zone": "Zone",
    "hebergement": "Hébergement",
    "cycle_de_vie": "Cycle de vie",
    "secteurs_cnil": "Données personnelles",
    "responsable": "Direction",
    "cout_annuel": "Coût annuel (€ TTC)",
    "mise_en_service": "Année de mise en service",
    "utilisateurs": "Communes utilisatrices",
}


def source_inventory(directory: Path) -> tuple[Path, str]:
    from cartographie.inventory import find_inventory_files

    if directory.is_dir() and find_inventory_files(directory):
        return directory, str(directory)
    from cartographie.interop.survey import import_survey

    stand_in = Path(tempfile.mkdtemp(prefix="cartographie-interop-")) / "inventaire"
    example = ROOT / "examples" / "etat-des-lieux"
    import_survey(example / "etat-des-lieux.csv", example / "correspondance.yaml", stand_in)
    return stand_in, f"remplaçant (examples/etat-des-lieux : {directory} est vide)"


def spreadsheet_rows(inventory: Any, count: int) -> list[list[str]]:
    from cartographie.model.vocabulary import (
        CNIL_SECTOR_LABELS,
        HOSTING_LABELS,
        LAYER_LABELS,
        LIFECYCLE_LABELS,
    )

    base: list[list[str]] = []
    for application_id, application in inventory.applications.items():
        owner = inventory.owners[application_id]
        if owner in inventory.partners:
            continue
        product = inventory.products.get(application.product) if application.product else None
        vendor = inventory.vendors[product.vendor] if product else None
        block = inventory.blocks[application.blocks[0]] if application.blocks else None
        ancestors = inventory.block_ancestors(block.id) if block else []
        district = inventory.blocks[ancestors[0]].name if ancestors else ""
        zone = inventory.blocks[ancestors[-1]].name if ancestors else ""
        users = inventory.users[application_id]
        base.append(
            [
                inventory.organisation_name(owner),
                application.name,
                vendor.name if vendor else "",
                product.name if product else "",
                LAYER_LABELS[application.layer],
                block.name if block else "",
                district,
                zone,
                HOSTING_LABELS[application.hosting],
                LIFECYCLE_LABELS[application.lifecycle],
                " / ".join(CNIL_SECTOR_LABELS[s] for s in application.cnil_sectors),
                application.responsible or "",
                str(application.annual_cost or ""),
                str(application.in_service_since or ""),
                " / ".join(inventory.organisation_name(u) for u in users)
                if users != (owner,)
                else "",
            ]
        )
    rows = []
    for index in range(count):
        row = list(base[index % len(base)])
        if index >= len(base):
            row[1] = f"{row[1]} ({index // len(base) + 1})"
        rows.append(row)
    return rows


def write_spreadsheet(
    inventory: Any, rows: list[list[str]], folder: Path
) -> tuple[Path, Path, Path]:
    from openpyxl import Workbook

    from cartographie.model.vocabulary import (
        CNIL_SECTOR_LABELS,
        HOSTING_LABELS,
        LAYER_LABELS,
        LIFECYCLE_LABELS,
    )

    csv_path = folder / "etat-des-lieux.csv"
    with csv_path.open("w", encoding="utf-8-sig", newline="") as stream:
        writer = csv.writer(stream, delimiter=";")
        writer.writerow(HEADER)
        writer.writerows(rows)
    # A workbook as a spreadsheet program saves it (with its <dimension>, which a write-only
    # workbook lacks and which openpyxl would otherwise rebuild by reading the sheet twice).
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Applications"
    sheet.append(HEADER)
    for row in rows:
        sheet.append(
            [
                int(v) if HEADER[i].startswith(("Coût", "Année")) and v else v or None
                for i, v in enumerate(row)
            ]
        )
    xlsx_path = folder / "etat-des-lieux.xlsx"
    workbook.save(xlsx_path)

    def reverse(labels: dict[str, str]) -> dict[str, str]:
        return {label: value for value, label in labels.items()}

    commune_names = {c.name: c.id for c in inventory.communes.values()}
    commune_names[inventory.metropole.name] = inventory.metropole.id
    mapping = {
        "version": 1,
        "feuille": "Applications",
        "separateur_liste": "/",
        "metropole": {"id": inventory.metropole.id, "nom": inventory.metropole.name},
        "colonnes": COLUMNS,
        "valeurs": {
            "commune": commune_names,
            "couche": reverse(LAYER_LABELS),
            "hebergement": reverse(HOSTING_LABELS),
            "cycle_de_vie": reverse(LIFECYCLE_LABELS),
            "secteurs_cnil": reverse(CNIL_SECTOR_LABELS),
        },
        "defauts": {"api": "proprietaire"},
    }
    mapping_path = folder / "correspondance.yaml"
    mapping_path.write_text(
        yaml.safe_dump(mapping, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    return xlsx_path, csv_path, mapping_path


def alternate(
    functions: dict[str, Callable[[], Any]], runs: int
) -> tuple[dict[str, float], dict[str, Any]]:
    """Median seconds of each function, run in turn once per round (after one warm-up round),
    and the last result of each."""
    import statistics
    import time

    samples: dict[str, list[float]] = {name: [] for name in functions}
    results: dict[str, Any] = {}
    for round_number in range(runs + 1):
        for name, function in functions.items():
            start = time.perf_counter()
            results[name] = function()
            if round_number:
                samples[name].append(time.perf_counter() - start)
    return {name: statistics.median(values) for name, values in samples.items()}, results


def archimate_side_by_side(path: Path, folder: Path, runs: int) -> tuple[float, float | None, str]:
    """Medians of our import and of pyArchimate's read of ``path``, one of each per round (the
    machine's load drifts: alternating keeps the two under the same conditions)."""
    import importlib.util
    import statistics
    import subprocess
    import sys
    import time

    from cartographie.interop.archimate_import import build_archimate_files

    available = importlib.util.find_spec("pyArchimate") is not None
    ours: list[float] = []
    theirs: list[float] = []
    counts = ""
    build_archimate_files(path, folder / "archimate-importe")  # warm-up
    for _ in range(runs):
        start = time.perf_counter()
        build_archimate_files(path, folder / "archimate-importe")
        ours.append(time.perf_counter() - start)
        if available:
            done = subprocess.run(
                [sys.executable, "-c", PYARCHIMATE_READ, str(path)],
                capture_output=True,
                text=True,
                check=True,
            )
            seconds, elements, relationships = done.stdout.split()[-3:]
            theirs.append(float(seconds))
            counts = f"{elements} éléments, {relationships} relations"
    return statistics.median(ours), statistics.median(theirs) if theirs else None, counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--inventaire", type=Path, default=ROOT / "inventory")
    parser.add_argument("--lignes", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=5)
    options = parser.parse_args()

    from cartographie.graph import Portfolio
    from cartographie.interop.archimate_export import export_archimate
    from cartographie.interop.csv_export import export_csv
    from cartographie.interop.graphml import export_graphml
    from cartographie.interop.json_export import export_json
    from cartographie.interop.survey import import_survey
    from cartographie.inventory import load_inventory

    root, label = source_inventory(options.inventaire)
    runs = options.runs
    if label.startswith("remplaçant"):
        # Exports of 36 applications say nothing: measure them on the stand-in spreadsheet's
        # import instead (``--lignes`` applications, no flows).
        stand_in = load_inventory(root)
        folder = Path(tempfile.mkdtemp(prefix="cartographie-remplacant-"))
        xlsx, _csv, mapping = write_spreadsheet(
            stand_in, spreadsheet_rows(stand_in, options.lignes), folder
        )
        root = folder / "inventaire"
        import_survey(_csv, mapping, root)
        label += f", agrandi à {options.lignes} lignes par le tableur"
    portfolio = Portfolio(load_inventory(root))
    inventory = portfolio.inventory
    folder = Path(tempfile.mkdtemp(prefix="cartographie-tableur-"))
    rows = spreadsheet_rows(inventory, options.lignes)
    xlsx, csv_path, mapping = write_spreadsheet(inventory, rows, folder)
    target = folder / "importe"

    def survey(path: Path) -> Any:
        return import_survey(path, mapping, target, force=True)

    # The load and the imports in alternation, one of each per round: the machine's load
    # drifts (it is shared), and a ratio is only meaningful between figures taken together.
    medians, results = alternate(
        {
            "load": lambda: Portfolio(load_inventory(root)),
            "xlsx": lambda: survey(xlsx),
            "csv": lambda: survey(csv_path),
        },
        runs,
    )
    load_s = medians["load"]
    figures: dict[str, tuple[float, str]] = {}
    summary = results["xlsx"]
    figures["import tableur XLSX"] = (
        medians["xlsx"],
        f"{summary.rows} lignes → {summary.applications} applications",
    )
    figures["import tableur CSV"] = (medians["csv"], f"{results['csv'].rows} lignes")
    archimate_path = folder / "reference-archimate.xml"
    archimate_path.write_text(export_archimate(inventory), encoding="utf-8")
    ours, theirs, read_counts = archimate_side_by_side(archimate_path, folder, runs)
    figures["import archimate (export de référence)"] = (
        ours,
        f"{archimate_path.stat().st_size / 1e6:.1f} Mo",
    )
    exports = {
        "export graphml": lambda: len(export_graphml(inventory)),
        "export csv": lambda: sum(len(data) for data in export_csv(inventory).values()),
        "export json": lambda: len(export_json(inventory)),
        "export archimate": lambda: len(export_archimate(inventory)),
    }
    for name, function in exports.items():
        seconds, size = timed(function, runs=runs)
        figures[name] = (seconds, f"{size / 1e6:.1f} Mo")
    print(
        f"Inventaire : {label} — {len(inventory.applications)} applications, "
        f"{len(inventory.flows)} flux ; médianes de {runs} exécutions (chargement et imports "
        "du tableur en alternance)."
    )
    table = [("chargement + graphe (référence)", f"{load_s:.3f}", "1.00", "")]
    table += [
        (name, f"{s:.3f}", f"{s / load_s:.2f}", detail) for name, (s, detail) in figures.items()
    ]
    print_table("Échanges (secondes)", table, ("opération", "médiane", "× chargement", "détail"))
    if theirs is None:
        print(
            "\nArchiMate : pyArchimate absent (pip install pyarchimate), comparaison sautée ; "
            f"import {ours:.3f} s."
        )
    else:
        print(
            f"\nArchiMate, même fichier, en alternance : import cartographie {ours:.3f} s, "
            f"lecture pyArchimate {theirs:.3f} s ({read_counts}) : {ours / theirs:.2f}× "
            "(cible ≤ 1,5×)."
        )
    path = write_results(
        "interop",
        {
            "inventaire": label,
            "applications": len(inventory.applications),
            "flux": len(inventory.flows),
            "runs": runs,
            "chargement_s": load_s,
            "operations": {name: {"s": s, "detail": d} for name, (s, d) in figures.items()},
            "pyarchimate_lecture_s": theirs,
        },
    )
    print(f"\nRésultats : {path}")


if __name__ == "__main__":
    main()

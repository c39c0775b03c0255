"""GraphML, CSV and JSON exports: readable by the tools they target, complete, deterministic."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import networkx as nx

from cartographie.interop.csv_export import export_csv
from cartographie.interop.graphml import export_graphml
from cartographie.interop.json_export import (
    JSON_FORMAT_VERSION,
    JsonExport,
    export_json,
    export_json_schema,
)
from cartographie.inventory import load_inventory

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "petite-metropole"


def test_graphml_reads_back_with_typed_attributes() -> None:
    inventory = load_inventory(EXAMPLE)
    graph = nx.read_graphml(io.BytesIO(export_graphml(inventory).encode("utf-8")))
    applications = [n for n, d in graph.nodes(data=True) if d["type"] == "application"]
    assert len(applications) == len(inventory.applications)
    node = graph.nodes["application:vc-etat-civil"]
    assert node["label"] == "Mélodie — état civil"
    assert node["cout_annuel"] == 18000 and isinstance(node["cout_annuel"], int)
    assert node["hub"] is False
    flows = [(u, v, d) for u, v, d in graph.edges(data=True) if d["type"] == "flux"]
    assert len(flows) == len(inventory.flows)
    assert all(isinstance(d["point_a_point"], bool) for _u, _v, d in flows)
    uses = [d for _u, _v, d in graph.edges(data=True) if d["type"] == "utilise"]
    assert len(uses) == sum(len(users) for users in inventory.users.values())


def test_graphml_is_deterministic_and_escapes_labels() -> None:
    inventory = load_inventory(EXAMPLE)
    text = export_graphml(inventory)
    assert text == export_graphml(load_inventory(EXAMPLE))
    # « Signaler un problème : appli smartphone » and names with & or < stay well-formed XML
    nx.read_graphml(io.BytesIO(text.encode("utf-8")))


def _rows(data: bytes) -> list[dict[str, str]]:
    text = data.decode("utf-8")
    assert text.startswith("\ufeff")  # Excel needs the BOM to read UTF-8
    return list(csv.DictReader(io.StringIO(text[1:]), delimiter=";"))


def test_csv_one_file_per_kind_of_object() -> None:
    inventory = load_inventory(EXAMPLE)
    files = export_csv(inventory)
    assert {
        "applications.csv",
        "blocs.csv",
        "communes.csv",
        "flux.csv",
        "donnees.csv",
        "editeurs.csv",
        "produits.csv",
        "utilisations.csv",
        "etapes.csv",
    } <= set(files)
    applications = _rows(files["applications.csv"])
    assert [row["id"] for row in applications] == sorted(inventory.applications)
    shared = {row["id"]: row for row in applications}["met-gdu"]
    assert shared["partagee"] == "oui"
    assert shared["utilisateurs"] == ", ".join(inventory.users["met-gdu"])
    assert len(_rows(files["flux.csv"])) == len(inventory.flows)
    assert len(_rows(files["utilisations.csv"])) == sum(len(u) for u in inventory.users.values())
    assert export_csv(load_inventory(EXAMPLE)) == files


def test_json_matches_its_schema_and_resolves_references() -> None:
    inventory = load_inventory(EXAMPLE)
    text = export_json(inventory)
    document = JsonExport.model_validate_json(text)
    assert document.version == JSON_FORMAT_VERSION
    data = json.loads(text)
    assert len(data["applications"]) == len(inventory.applications)
    caf = next(a for a in data["applications"] if a["id"] == "caf-cdap")
    assert caf["proprietaire"] == "caf" and caf["utilisateurs"] == []
    assert text == export_json(load_inventory(EXAMPLE))
    schema = json.loads(export_json_schema())
    assert schema["$id"] == "cartographie/inventaire/v1"
    assert set(schema["required"]) >= {"format", "version", "applications", "flux"}

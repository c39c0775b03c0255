"""The inventory commands: ``valider``, ``stats``, ``schema`` — exit codes, streams, lines.

Run in-process with typer's runner (see ``conftest.py``), console pinned to 120 columns without
colour, so that table lines compare as text.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import typer
import yaml
from support import BROKEN, MINIMAL, RunCli

from cartographie.cli.main import app

# --- valider ----------------------------------------------------------------------------------


def test_valider_accepts_a_valid_inventory(run_cli: RunCli) -> None:
    run = run_cli("valider", str(MINIMAL))
    assert run.exit_code == 0
    assert run.stdout == ""
    [line] = run.stderr_lines
    assert line.startswith("Inventaire valide : 2 communes, 7 applications")
    assert line.endswith(", 4 flux.")


def test_valider_reads_the_inventory_option_and_the_default(
    run_cli: RunCli, tmp_path: Path
) -> None:
    assert run_cli("valider", "-i", str(MINIMAL)).exit_code == 0
    assert run_cli("valider", "--inventaire", str(MINIMAL)).exit_code == 0
    shutil.copytree(MINIMAL, tmp_path / "inventory")
    assert run_cli("valider", cwd=tmp_path).exit_code == 0  # ./inventory by default


def test_the_argument_wins_over_the_option(run_cli: RunCli, tmp_path: Path) -> None:
    run = run_cli("valider", str(MINIMAL), "-i", str(tmp_path / "absent"))
    assert run.exit_code == 0


def test_valider_lists_every_problem_and_exits_1(run_cli: RunCli) -> None:
    run = run_cli("valider", "broken-unknown-hub", cwd=BROKEN)
    assert run.exit_code == 1
    assert run.stdout == ""
    assert run.stderr_lines == [
        "broken-unknown-hub/flux/flux.yaml:5: E302: via : application « met-hubb » introuvable "
        "dans le flux met-gdu → nord-etat-civil (vouliez-vous dire « met-hub » ?)",
        "1 problème trouvé.",
    ]


def test_problem_lines_start_with_the_directory_as_the_user_wrote_it(
    run_cli: RunCli,
) -> None:
    run = run_cli("valider", str(BROKEN / "broken-unknown-hub"))
    assert run.stderr_lines[0].startswith(f"{BROKEN}/broken-unknown-hub/flux/flux.yaml:5: E302: ")


@pytest.mark.parametrize("where", ["absent", "broken-unknown-hub/flux/flux.yaml"])
def test_valider_on_something_that_is_no_directory_exits_2(run_cli: RunCli, where: str) -> None:
    run = run_cli("valider", where, cwd=BROKEN)
    assert run.exit_code == 2
    assert run.stderr_lines == [
        f"erreur U003 : inventaire introuvable : « {where} » n'est pas un dossier (indiquez le "
        "dossier avec -i/--inventaire (par défaut ./inventory))"
    ]


def test_valider_without_inventory_here_exits_2(run_cli: RunCli, tmp_path: Path) -> None:
    run = run_cli("valider", cwd=tmp_path)
    assert run.exit_code == 2
    assert "« inventory » n'est pas un dossier" in run.stderr


def test_valider_on_an_empty_directory_exits_1(run_cli: RunCli, tmp_path: Path) -> None:
    run = run_cli("valider", ".", cwd=tmp_path)
    assert run.exit_code == 1
    assert run.stderr_lines[0].startswith(".: E401: aucun fichier YAML dans l'inventaire")
    run = run_cli("valider", str(tmp_path))
    assert run.stderr_lines[0].startswith(f"{tmp_path}: E401: ")


def test_an_unknown_option_exits_2(run_cli: RunCli) -> None:
    assert run_cli("valider", "--nimporte").exit_code == 2


# --- stats ------------------------------------------------------------------------------------


def table_rows(text: str) -> list[list[str]]:
    """The body rows of rich's tables, as stripped cells."""
    return [
        [cell.strip() for cell in line.strip("│").split("│")]
        for line in text.splitlines()
        if line.startswith("│")
    ]


def test_stats_prints_the_tables(run_cli: RunCli) -> None:
    run = run_cli("stats", str(MINIMAL))
    assert run.exit_code == 0, run.stderr
    rows = table_rows(run.stdout)
    assert ["Communes engagées", "2", "—"] in rows
    assert ["Communes de la métropole", "2", "—"] in rows
    assert ["Applications", "7", "—"] in rows
    assert ["dont en service", "7", "—"] in rows
    assert ["dont retirées", "0", "—"] in rows
    assert ["Applications mutualisées (en service)", "4", "—"] in rows
    assert ["Couples commune × application", "6", "—"] in rows
    assert ["Applications d'organismes extérieurs", "1", "—"] in rows
    assert ["Flux", "4", "—"] in rows
    assert ["dont point à point", "3", "—"] in rows
    assert ["dont via un hub", "1", "25,00\u202f%"] in rows
    assert ["Nordville", "3", "1", "2", "1", "1", "1", "0"] in rows
    assert ["Sudbourg", "3", "2", "1", "1", "1", "1", "0"] in rows
    assert ["Services à la population", "2", "3"] in rows
    assert ["État civil", "Services à la population", "2", "2"] in rows
    for title in (
        "Patrimoine applicatif",
        "Par commune (applications en service ; les retirées à part)",
        "Par zone",
        "Par bloc fonctionnel",
        "Domaines mutualisés",
        "Centres de données",
    ):
        assert title in run.stdout.splitlines()
    header = next(line for line in run.stdout.splitlines() if line.startswith("┃ Commune"))
    assert "Applications" in header and "Mutualisées" in header  # 120 columns: nothing cut
    assert "\x1b[" not in run.stdout  # no colour codes when NO_COLOR is set


def test_stats_json_is_data_on_stdout(run_cli: RunCli) -> None:
    run = run_cli("stats", "--format", "json", str(MINIMAL))
    assert run.exit_code == 0
    assert run.stderr == ""
    data = json.loads(run.stdout)
    assert data["communes"] == 2
    assert data["applications"] == 7
    assert data["applications_exterieures"] == 1
    assert data["applications_mutualisees"] == 4
    assert data["flux"] == 4
    assert data["flux_point_a_point"] == 3
    assert data["flux_via_hub"] == 1
    assert data["hubs"] == ["met-hub"]
    assert [row["commune"] for row in data["par_commune"]] == ["nord", "sud"]
    nord = data["par_commune"][0]
    assert (nord["applications"], nord["propres"], nord["mutualisees"]) == (3, 1, 2)
    assert nord["par_couche"] == {"interface": 1, "metier": 1, "support": 1}
    assert [row["bloc"] for row in data["par_bloc"]] == [
        "demandes",
        "echanges",
        "etat-civil",
        "finances",
    ]
    assert run.stdout == json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def test_stats_json_is_the_same_every_run(run_cli: RunCli) -> None:
    first = run_cli("stats", "-f", "json", str(MINIMAL)).stdout
    assert run_cli("stats", "-f", "json", str(MINIMAL)).stdout == first


def test_stats_on_a_broken_inventory_prints_problems_not_data(run_cli: RunCli) -> None:
    run = run_cli("stats", "-f", "json", "broken-via-not-hub", cwd=BROKEN)
    assert run.exit_code == 1
    assert run.stdout == ""
    assert run.stderr_lines[0].startswith("broken-via-not-hub/flux/flux.yaml:5: E305: ")
    assert run.stderr_lines[-1] == "1 problème trouvé."


def test_stats_with_an_unknown_format_exits_2(run_cli: RunCli) -> None:
    run = run_cli("stats", "--format", "xml", str(MINIMAL))
    assert run.exit_code == 2
    assert run.stdout == ""


# --- schema -----------------------------------------------------------------------------------


def test_schema_is_json_schema_with_the_french_keys(run_cli: RunCli) -> None:
    run = run_cli("schema")
    assert run.exit_code == 0
    schema = json.loads(run.stdout)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert set(schema["properties"]) >= {
        "metropole",
        "communes",
        "blocs",
        "processus",
        "donnees",
        "editeurs",
        "produits",
        "delegations",
        "proprietaire",
        "applications",
        "flux",
    }
    assert schema["additionalProperties"] is False
    application = schema["$defs"]["Application"]
    assert {"id", "nom", "couche", "hebergement", "utilisateurs", "cycle_de_vie"} <= set(
        application["properties"]
    )
    assert "layer" not in application["properties"]
    assert set(application["required"]) == {"id", "nom", "couche", "hebergement"}
    assert application["properties"]["couche"]["enum"] == ["interface", "metier", "support"]
    assert application["properties"]["couche"]["description"] == "interface, metier ou support."
    flow = schema["$defs"]["Flow"]
    assert set(flow["required"]) == {"source", "cible", "donnee"}


def _schema_keys_missing(value: object, schema: dict, defs: dict, where: str) -> list[str]:  # type: ignore[type-arg]
    """Keys of ``value`` that the schema does not declare, walking objects and arrays."""
    if "$ref" in schema:
        schema = defs[schema["$ref"].rsplit("/", 1)[1]]
    for option in schema.get("anyOf", []):
        if "$ref" in option:
            return _schema_keys_missing(value, option, defs, where)
    missing: list[str] = []
    if isinstance(value, dict):
        properties = schema.get("properties", {})
        for key, item in value.items():
            if key not in properties:
                missing.append(f"{where}.{key}")
            else:
                missing += _schema_keys_missing(item, properties[key], defs, f"{where}.{key}")
    elif isinstance(value, list) and "items" in schema:
        for item in value:
            missing += _schema_keys_missing(item, schema["items"], defs, where)
    return missing


def test_the_schema_declares_every_key_of_the_minimal_inventory(run_cli: RunCli) -> None:
    # An editor checking files against the schema must not flag a valid inventory.
    schema = json.loads(run_cli("schema").stdout)
    missing = []
    for path in sorted(MINIMAL.rglob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        missing += _schema_keys_missing(data, schema, schema["$defs"], path.name)
    assert missing == []
    assert _schema_keys_missing({"applications": [{"layer": 1}]}, schema, schema["$defs"], "x")


# --- help -------------------------------------------------------------------------------------

FRENCH_FIRST_LINES = {
    "valider": "Valide l'inventaire : tous les problèmes à la fois, un par ligne",
    "stats": "Compte le patrimoine : par commune, couche, zone et bloc ; mutualisation ; flux.",
    "schema": "Affiche le schéma JSON des fichiers d'inventaire, ou de scénario (pour l'éditeur).",
}


@pytest.mark.parametrize("command", sorted(FRENCH_FIRST_LINES))
def test_help_is_french_with_an_example(run_cli: RunCli, command: str) -> None:
    run = run_cli(command, "--help")
    assert run.exit_code == 0
    text = " ".join(run.stdout.split())  # rich wraps at 120 columns
    assert FRENCH_FIRST_LINES[command] in text
    assert f"Exemple : cartographie {command}" in text


def test_the_main_help_lists_the_commands_in_french(run_cli: RunCli) -> None:
    run = run_cli("--help")
    assert run.exit_code == 0
    assert "Cartographie du patrimoine applicatif d'une métropole" in run.stdout
    for command, first_line in FRENCH_FIRST_LINES.items():
        assert command in run.stdout
        assert " ".join(first_line.split()[:4]) in run.stdout  # the list cuts long lines
    assert run_cli("-h").stdout == run.stdout


def test_every_command_and_option_has_help() -> None:
    group = typer.main.get_command(app)
    missing = []
    for name, command in sorted(group.commands.items()):  # type: ignore[attr-defined]
        if not (command.help or "").strip():
            missing.append(name)
        for parameter in command.params:
            if parameter.param_type_name == "option" and not (parameter.help or "").strip():
                missing.append(f"{name} {parameter.opts[0]}")
    assert missing == []


@pytest.mark.parametrize("command", ["", *sorted(FRENCH_FIRST_LINES)])
def test_help_has_no_english_left(run_cli: RunCli, command: str) -> None:
    text = run_cli(*command.split(), "--help").stdout
    for english in (
        "Usage:",
        "Options:",
        "Arguments:",
        "Commands:",
        "Show this message",
        "[default:",
    ):
        assert english not in text

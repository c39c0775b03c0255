"""The change-tracking commands at the command line: misuse, invalid data, help, and the CI
files of ``examples/ci/`` and ``.pre-commit-hooks.yaml`` — parsed, and their commands run.

Exit codes: 2 for misuse (an unknown revision, a folder outside any git repository, an option
without its value), 1 for invalid data at a version (its problems tagged ``REV:path:line``),
never a traceback.
"""

from __future__ import annotations

import os
import shlex
import shutil
from pathlib import Path

import pytest
import yaml
from support import RunCli
from support_suivi import EXAMPLE, clone_history, git, history

ROOT = Path(__file__).resolve().parent.parent
CI_FILES = (
    ROOT / "examples" / "ci" / "github-actions.yml",
    ROOT / "examples" / "ci" / "gitlab-ci.yml",
)


def test_unknown_revision_is_misuse(run_cli: RunCli) -> None:
    result = run_cli("diff", "etape-99", "-i", str(history()))
    assert result.exit_code == 2
    assert result.stderr_lines[0].startswith("erreur U004 : révision inconnue : « etape-99 »")
    assert result.stdout == ""
    diagnostic = run_cli("diagnostic", "--base", "nulle-part", "-i", str(history()))
    assert diagnostic.exit_code == 2
    assert "révision inconnue : « nulle-part »" in diagnostic.stderr


def test_a_folder_outside_git_is_misuse(run_cli: RunCli, tmp_path: Path) -> None:
    shutil.copytree(EXAMPLE, tmp_path / "inventaire")
    for args in (("diff", "HEAD~1"), ("diagnostic",), ("journal",)):
        result = run_cli(*args, "-i", str(tmp_path / "inventaire"))
        assert result.exit_code == 2, args
        assert "n'est pas dans un dépôt git" in result.stderr


def test_a_missing_inventory_folder_is_misuse(run_cli: RunCli, tmp_path: Path) -> None:
    result = run_cli("diff", str(EXAMPLE), "-i", str(tmp_path / "absent"))
    assert result.exit_code == 2
    assert "inventaire introuvable" in result.stderr


def broken_history(tmp_path: Path, content: bytes) -> Path:
    inventory = clone_history(tmp_path)
    (inventory / "flux" / "casse.yaml").write_bytes(content)
    git(inventory.parent, "add", "-A")
    git(inventory.parent, "commit", "-q", "-m", "Casse", date="2026-02-20T09:00:00+01:00")
    (inventory / "flux" / "casse.yaml").unlink()  # the working tree is fine again
    return inventory


def test_invalid_inventory_at_a_revision_is_tagged_with_it(run_cli: RunCli, tmp_path: Path) -> None:
    inventory = broken_history(tmp_path, b"flux:\n  - source: vc-gmao\n    cible: absente\n")
    result = run_cli("diff", "HEAD", "-i", str(inventory))
    assert result.exit_code == 1
    assert result.stderr_lines == [
        "HEAD:inventory/flux/casse.yaml:2: E202: champ obligatoire « donnee » manquant dans le "
        "flux n° 1 de la section « flux » (ajoutez « donnee: … » — donnée échangée (→ donnees))",
        "1 problème trouvé.",
    ]
    assert result.stdout == ""


def test_undecodable_bytes_at_a_revision(run_cli: RunCli, tmp_path: Path) -> None:
    inventory = broken_history(tmp_path, "flux: []\n# café\n".encode("latin-1"))
    result = run_cli("diagnostic", "--base", "HEAD", "-i", str(inventory))
    assert result.exit_code == 1
    assert result.stderr_lines[0].startswith("HEAD:inventory/flux/casse.yaml:2:6: E101: octet E9")


def test_a_base_without_inventory_judges_everything(run_cli: RunCli, tmp_path: Path) -> None:
    repo = tmp_path / "depot"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    (repo / "LISEZMOI.md").write_text("Avant l'inventaire.\n", encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "Début")
    shutil.copytree(EXAMPLE, repo / "inventory")
    result = run_cli("diagnostic", "-i", str(repo / "inventory"), "--format", "json")
    assert result.exit_code == 1  # the example's own problems are all new here
    proposed = run_cli("diagnostic", "--propose", "HEAD", "-i", str(repo / "inventory"))
    assert proposed.exit_code == 2
    assert "aucun inventaire dans la version proposée « HEAD »" in proposed.stderr


def test_options_misused(run_cli: RunCli) -> None:
    inventory = str(history())
    no_project = run_cli("diagnostic", "-i", inventory, "--enregistrer")
    assert no_project.exit_code == 2
    assert "--enregistrer demande un nom de projet" in no_project.stderr
    bad_date = run_cli("diagnostic", "-i", inventory, "--date", "31/03/2026")
    assert bad_date.exit_code == 2
    bad_format = run_cli("diff", "HEAD", "-i", inventory, "--format", "pdf")
    assert bad_format.exit_code == 2
    assert bad_format.stderr.startswith("erreur U001 : valeur invalide pour --format")


def test_every_command_has_french_help(run_cli: RunCli) -> None:
    for args, first in (
        (("diff",), "Compare deux versions de l'inventaire"),
        (("diagnostic",), "Juge un changement avec les règles d'architecture"),
        (("journal",), "Historique du patrimoine"),
        (("carte", "diff"), "Carte d'un changement"),
    ):
        result = run_cli(*args, "--help")
        assert result.exit_code == 0, args
        assert first in result.stdout
        assert "Exemple : cartographie" in result.stdout
        assert "Show this message" not in result.stdout


def test_junit_and_record_paths(run_cli: RunCli, tmp_path: Path) -> None:
    inventory = str(history())
    target = tmp_path / "rapports" / "diagnostic.xml"
    result = run_cli(
        "diagnostic",
        "--base",
        "etape-7",
        "--propose",
        "etape-8",
        "-i",
        inventory,
        "--junit",
        str(target),
    )
    assert result.exit_code == 0
    assert target.read_bytes().startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<testsuites')
    assert f"Rapport JUnit écrit : {target}" in result.stderr


# --- the CI files -------------------------------------------------------------------------------


def ci_commands(path: Path) -> list[str]:
    """Every ``cartographie …`` line of a CI file's scripts."""
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    scripts: list[str] = []
    if "jobs" in document:  # GitHub Actions
        for job in document["jobs"].values():
            scripts += [step["run"] for step in job["steps"] if "run" in step]
    else:  # GitLab CI
        for job in document.values():
            if isinstance(job, dict) and "script" in job:
                scripts += job["script"]
    return [
        line.strip()
        for script in scripts
        for line in script.splitlines()
        if line.strip().startswith("cartographie ")
    ]


def test_ci_files_parse_and_name_the_tested_commands() -> None:
    for path in CI_FILES:
        commands = ci_commands(path)
        words = {shlex.split(command.split(" > ")[0])[1] for command in commands}
        assert words == {"valider", "diff", "diagnostic"}, path
        diagnostic = next(c for c in commands if c.startswith("cartographie diagnostic"))
        for option in ("--base", "--projet", "--format markdown", "--junit diagnostic.xml"):
            assert option in diagnostic, (path, option)
    gitlab = yaml.safe_load(CI_FILES[1].read_text(encoding="utf-8"))["diagnostic-architecture"]
    assert gitlab["artifacts"]["reports"]["junit"] == "diagnostic.xml"
    assert gitlab["artifacts"]["when"] == "always"
    github = yaml.safe_load(CI_FILES[0].read_text(encoding="utf-8"))
    steps = github["jobs"]["diagnostic"]["steps"]
    assert steps[0]["with"]["fetch-depth"] == 0
    assert any("GITHUB_STEP_SUMMARY" in step.get("run", "") for step in steps)
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert hooks[0]["id"] == "cartographie-valider"
    assert hooks[0]["entry"] == "cartographie valider"
    assert all(hook["language"] == "python" and not hook["pass_filenames"] for hook in hooks)


@pytest.mark.parametrize("path", CI_FILES, ids=lambda path: path.name)
def test_ci_commands_run_on_a_merge_request(
    run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, path: Path
) -> None:
    """The CI's commands, run as the CI runs them: at the repository root, the merge request
    checked out (step 7, the fifth GMAO) and the target branch at step 6."""
    inventory = clone_history(tmp_path)
    repo = inventory.parent
    git(repo, "checkout", "-q", "etape-7")
    git(repo, "update-ref", "refs/remotes/origin/cible", "etape-6")
    variables = {
        "BASE": "origin/cible",
        "PROJET": "gmao-des-pres",
        "CI_MERGE_REQUEST_TARGET_BRANCH_NAME": "cible",
        "CI_MERGE_REQUEST_TITLE": "GMAO des Prés",
    }
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    exits = {}
    for command in ci_commands(path):
        line, _, output = command.partition(" > ")
        args = [os.path.expandvars(arg) for arg in shlex.split(line)[1:]]
        result = run_cli(*args, cwd=repo)
        exits[args[0]] = result.exit_code
        if output:
            (repo / output).write_text(result.stdout, encoding="utf-8")
    assert exits == {"valider": 0, "diff": 0, "diagnostic": 1}  # défavorable fails the job
    assert (
        (repo / "diagnostic.md")
        .read_text(encoding="utf-8")
        .startswith("# Diagnostic d'architecture — ")
    )
    assert "lp-gmao" in (repo / "changement.md").read_text(encoding="utf-8")
    assert b"<failure" in (repo / "diagnostic.xml").read_bytes()
    for hook in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")):
        args = shlex.split(hook["entry"])[1:]
        assert run_cli(*args, cwd=repo).exit_code == 0, hook["id"]


# --- carte diff ---------------------------------------------------------------------------------


def test_change_map_colours_what_changed(run_cli: RunCli, tmp_path: Path) -> None:
    from cartographie.diff import diff_inventories
    from cartographie.graph import Portfolio
    from cartographie.inventory.git import load_version
    from cartographie.views.diff import build_diff_map

    base = load_version("etape-2", history())
    proposed = load_version("etape-4", history())
    assert base.inventory is not None and proposed.inventory is not None
    changes = diff_inventories(base.inventory, proposed.inventory)
    view = build_diff_map(
        Portfolio(base.inventory),
        Portfolio(proposed.inventory),
        changes.application_states(),
        changes.flow_states(),
    )
    states = {node.id: node.tags[-1] for node in view.nodes}
    assert states["app:vc-videoprotection"] == "diff:modification"
    assert states["app:lp-interventions"] == "diff:voisin"  # end of the removed flow
    assert states["app:met-gdu"] == "diff:voisin"
    edges = {(edge.source, edge.target): edge.tags for edge in view.edges}
    assert edges[("app:met-gdu", "app:lp-interventions")] == ("flux", "flux:retrait")
    assert edges[("app:vc-videoprotection", "app:vc-police")] == ("flux", "flux:modification")
    assert [item.label for item in view.legend][:3] == [
        "Application ajoutée",
        "Application retirée",
        "Application modifiée ou renommée",
    ]
    # Grouped by owner: the touched applications and their neighbours.
    assert [cluster.label for cluster in view.clusters] == [
        "Auvers-la-Grande (4)",
        "Les Prés (1)",
        "Métropole du Val d'Auve (1)",
        "Saint-Aubin-d'Auve (2)",
    ]
    # A scenario's map: the ends of a changed flow without their own neighbours (those of
    # met-gdu here; a hub's would be most of the portfolio).
    narrow = build_diff_map(
        Portfolio(base.inventory),
        Portfolio(proposed.inventory),
        changes.application_states(),
        changes.flow_states(),
        flow_ends_neighbours=False,
    )
    shown = {node.id for node in narrow.nodes}
    assert {"app:vc-videoprotection", "app:lp-interventions", "app:met-gdu"} <= shown
    assert shown < {node.id for node in view.nodes}
    assert [cluster.label for cluster in narrow.clusters] == [
        "Auvers-la-Grande (2)",
        "Les Prés (1)",
        "Métropole du Val d'Auve (1)",
    ]

    target = tmp_path / "changement.dot"
    result = run_cli(
        "carte",
        "diff",
        "etape-2",
        "etape-4",
        "-i",
        str(history()),
        "-f",
        "dot",
        "--sortie",
        str(target),
    )
    assert result.exit_code == 0, result.stderr
    assert f"Carte écrite : {target}" in result.stderr
    source = target.read_text(encoding="utf-8")
    assert source.startswith("digraph")
    assert "#c62828" in source and "#e67e00" in source  # the removed and modified flows
    again = run_cli(
        "carte", "diff", "etape-2", "etape-4", "-i", str(history()), "-f", "dot", "--sortie", "-"
    )
    assert again.stdout == source  # deterministic

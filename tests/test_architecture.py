"""The shape of the house: layers import downwards, only the CLI speaks typer and rich."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "cartographie"
CLI_TOOLKITS = {"typer", "rich", "click"}


def test_layers_contract_holds() -> None:
    # import-linter reads the layers from pyproject.toml; run it as the CI and a developer would.
    result = subprocess.run(
        [sys.executable, "-m", "importlinter.cli"],
        capture_output=True,
        text=True,
        cwd=PACKAGE.parent,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_library_never_imports_cli_toolkits() -> None:
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.relative_to(PACKAGE).parts[0] == "cli":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            for name in names:
                if name.split(".")[0] in CLI_TOOLKITS:
                    offenders.append(f"{path.relative_to(PACKAGE.parent)}:{node.lineno}: {name}")
    assert offenders == []

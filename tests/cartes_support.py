"""What the map and atlas tests share: the tiny example, hostile names, SVG parsing."""

from __future__ import annotations

import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import yaml

REPOSITORY = Path(__file__).resolve().parents[1]
EXAMPLE = REPOSITORY / "examples" / "petite-metropole"
GOLDEN = Path(__file__).resolve().parent / "golden" / "cartes"
SVG = "{http://www.w3.org/2000/svg}"
XLINK = "{http://www.w3.org/1999/xlink}"

# Every character DOT, SVG or HTML treat specially, and some that fonts and files dislike.
HOSTILE_NAME = 'Appli "<b>gras</b>" & Cie \\ fin\nligne 2 🚓 </svg><script>alert(1)</script>'


def copy_example(target: Path) -> Path:
    shutil.copytree(EXAMPLE, target)
    return target


def rename_application(inventory: Path, application_id: str, name: str) -> None:
    """Give an application of the example a new name, editing its YAML file."""
    for path in sorted((inventory / "applications").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for application in data.get("applications", []):
            if application["id"] == application_id:
                application["nom"] = name
                path.write_text(
                    yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8"
                )
                return
    raise AssertionError(f"no application {application_id}")


def svg_links(svg: bytes | str) -> list[str]:
    """Every link target of an SVG, parsed as XML (so that the file must be well-formed)."""
    root = ET.fromstring(svg.encode("utf-8") if isinstance(svg, str) else svg)
    return sorted(
        anchor.get(f"{XLINK}href") or anchor.get("href") or "" for anchor in root.iter(f"{SVG}a")
    )


def svg_texts(svg: bytes | str) -> str:
    root = ET.fromstring(svg.encode("utf-8") if isinstance(svg, str) else svg)
    return "\n".join(text.text or "" for text in root.iter(f"{SVG}text"))

"""The « GMAO des espaces verts » project of La Salvetat-Saint-Gilles, as a change to the inventory.

What the README's tour judges with ``cartographie diff`` and ``cartographie diagnostic``: a new
SaaS application in the GMAO bloc, its flow of purchase orders to the métropole's finances, and
the lower cost of the commune's current GMAO, which hands the green spaces over. The change is
written into the working tree of the inventory, as a project's merge request would write it;
nothing is committed.

    python3 examples/gmao-espaces-verts.py          # from the repository's root
    git diff inventory/                             # the change, as git sees it
    git restore inventory/                          # undo it

Text is appended or replaced in place (no YAML rewriting), so that every other line, comment
and number of the files stays as it is. Standard library only.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

APPLICATION = """\
  - id: lsg-gmao-espaces-verts
    nom: Carl Source — GMAO des espaces verts
    produit: carl-source
    couche: support
    blocs: [gmao]
    hebergement: saas
    cycle_de_vie: projet
    gouvernance: direction-metier
    responsable: Direction des espaces verts
    cout_annuel: 6800
    mise_en_service: 2027
"""

FLOW = """\
  - source: lsg-gmao-espaces-verts
    cible: met-finances
    donnee: bon-de-commande
    protocole: api
    frequence: quotidienne
"""

# The commune's current GMAO keeps the buildings only.
CURRENT = "lsg-gmao"
NEW_COST = 4200


def main() -> int:
    inventory = Path(sys.argv[1] if len(sys.argv) > 1 else "inventory")
    applications = inventory / "applications" / "la-salvetat-saint-gilles.yaml"
    flows = inventory / "flux" / "la-salvetat-saint-gilles.yaml"
    for path in (applications, flows):
        if not path.is_file():
            print(
                f"{path} introuvable : lancez ce script depuis la racine du dépôt", file=sys.stderr
            )
            return 2
    text = applications.read_text(encoding="utf-8")
    if "id: lsg-gmao-espaces-verts" in text:
        print("Le projet est déjà appliqué (git restore inventory/ pour revenir)", file=sys.stderr)
        return 1
    block = re.search(rf"^  - id: {CURRENT}\n(?:    .*\n)+", text, re.M)
    cost = re.search(r"^    cout_annuel: \d+$", block[0], re.M) if block else None
    if block is None or cost is None:
        print(f"« {CURRENT} » et son coût introuvables dans {applications}", file=sys.stderr)
        return 1
    changed = block[0].replace(cost[0], f"    cout_annuel: {NEW_COST}")
    text = text[: block.start()] + changed + text[block.end() :]
    applications.write_text(_append(text, APPLICATION), encoding="utf-8")
    flows.write_text(_append(flows.read_text(encoding="utf-8"), FLOW), encoding="utf-8")
    print(
        "Projet « GMAO des espaces verts » écrit dans l'inventaire : 1 application, 1 flux, "
        f"le coût de {CURRENT} (git diff inventory/ ; pour revenir : git restore inventory/)"
    )
    return 0


def _append(text: str, entry: str) -> str:
    """The entry at the end of the file's list (the last key of these files)."""
    return text.rstrip("\n") + "\n" + entry


if __name__ == "__main__":
    sys.exit(main())

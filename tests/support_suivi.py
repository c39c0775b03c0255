"""A git repository with the history the change-tracking tests judge (issue 4, « Done when »).

It starts from ``examples/petite-metropole`` (hubs, the CAF partner, GMAO applications,
mutualised domains), to which the base commit adds a mutualised maintenance domain joined by
Les Prés and a shared GMAO of the métropole, so that the bloc ``maintenance`` holds four GMAO.
Then one commit per change, each tagged ``etape-N``:

1. add an application (a GIS of the métropole, used by nobody else);
2. change a field (the cost of the ville-centre GMAO);
3. remove a flow (GDU → the Prés' intervention spreadsheet);
4. rename an application (``vc-video`` → ``vc-videoprotection``, its flow following);
5. add a personal-data flow across CNIL sectors between two communes;
6. add a tacit-consent flow leaving the métropole (to the CAF);
7. add a fifth GMAO in Les Prés, which has mutualised maintenance;
8. add a point-à-point flow for a data object the hub already carries.

Authors, committers and dates are fixed, so commit ids are the same on every run. The built
repository is cached for the session (read-only: tests that change the working tree clone it).
"""

from __future__ import annotations

import atexit
import functools
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "petite-metropole"

GIT_ENV = {
    "GIT_AUTHOR_NAME": "Camille Urbaniste",
    "GIT_AUTHOR_EMAIL": "camille@metropole.example",
    "GIT_COMMITTER_NAME": "Camille Urbaniste",
    "GIT_COMMITTER_EMAIL": "camille@metropole.example",
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "LC_ALL": "C",
}


def git(repo: Path, *args: str, date: str = "2026-01-05T09:00:00+01:00") -> str:
    env = {**os.environ, **GIT_ENV, "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
    result = subprocess.run(
        ["git", "-C", str(repo), *args], check=True, env=env, capture_output=True, text=True
    )
    return result.stdout.strip()


def edit(path: Path, old: str, new: str) -> None:
    """Replace ``old`` by ``new``, which must occur exactly once (a test that drifts fails)."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def append(path: Path, text: str) -> None:
    with path.open("a", encoding="utf-8") as stream:
        stream.write(text)


def commit(repo: Path, message: str, tag: str, day: int) -> None:
    date = f"2026-02-{day:02d}T10:00:00+01:00"
    git(repo, "add", "-A", date=date)
    git(repo, "commit", "-q", "-m", message, date=date)
    git(repo, "tag", tag, date=date)


BASE_DOMAIN = """  - id: maintenance
    nom: Maintenance du patrimoine
    blocs: [maintenance]
"""

SHARED_GMAO = """  - id: met-gmao
    nom: GMAO mutualisée
    produit: kimoce-gmao
    couche: support
    blocs: [maintenance]
    utilisateurs: [metropole, les-pres]
    hebergement: datacenter
    centre_de_donnees: dc-hotel-metropole
    responsable: Direction du patrimoine
    mise_en_service: 2024
"""

GIS = """  - id: met-sig
    nom: Système d'information géographique
    couche: support
    blocs: [echanges]
    hebergement: datacenter
    centre_de_donnees: dc-hotel-metropole
    responsable: Mission données
    cout_annuel: 24000
    jours_internes: 15
"""

CNIL_FLOW = """  - source: sa-etat-civil
    cible: vc-police
    donnee: acte-etat-civil
    protocole: fichier
    frequence: hebdomadaire
"""

TACIT_FLOW = """  - id: lp-caf-attestations
    source: lp-portail-famille
    cible: caf-cdap
    donnee: quotient-familial
    protocole: fichier
    frequence: mensuelle
    consentement: tacite
"""

FIFTH_GMAO = """  - id: lp-gmao
    nom: GMAO Atal des Prés
    produit: bl-atal
    couche: support
    blocs: [maintenance]
    hebergement: saas
    gouvernance: direction-metier
    responsable: Services techniques
"""

HUB_BYPASS = """  - source: met-gdu
    cible: met-gmao
    donnee: demande-intervention
    protocole: api
    frequence: temps-reel
"""

REMOVED_FLOW = """  - source: met-gdu
    cible: lp-interventions
    donnee: demande-intervention
    protocole: manuel
    frequence: quotidienne
"""

STEPS = 8


def build_history(root: Path) -> Path:
    """Build the repository under ``root``; return its inventory directory."""
    repo = root / "depot"
    inventory = repo / "inventory"
    shutil.copytree(EXAMPLE, inventory)
    git(repo.parent, "init", "-q", "-b", "main", str(repo))
    edit(inventory / "territoire.yaml", "domaines:\n", "domaines:\n" + BASE_DOMAIN)
    edit(
        inventory / "territoire.yaml",
        "      - domaine: ressources-humaines\n        depuis: 2019\n",
        "      - domaine: ressources-humaines\n        depuis: 2019\n"
        "      - domaine: maintenance\n        depuis: 2024\n",
    )
    append(inventory / "applications" / "metropole.yaml", SHARED_GMAO)
    commit(repo, "Inventaire de la métropole, GMAO mutualisée", "etape-0", 2)

    append(inventory / "applications" / "metropole.yaml", GIS)
    commit(repo, "Ajout du SIG", "etape-1", 3)

    edit(
        inventory / "applications" / "ville-centre.yaml", "cout_annuel: 15000", "cout_annuel: 16500"
    )
    commit(repo, "Nouveau contrat de la GMAO des bâtiments", "etape-2", 4)

    edit(inventory / "flux" / "relation-usager.yaml", REMOVED_FLOW, "")
    commit(repo, "Les Prés ne reçoivent plus les demandes par courriel", "etape-3", 5)

    edit(
        inventory / "applications" / "ville-centre.yaml",
        "id: vc-video\n",
        "id: vc-videoprotection\n",
    )
    edit(
        inventory / "flux" / "population.yaml", "source: vc-video\n", "source: vc-videoprotection\n"
    )
    commit(repo, "Renommer la vidéoprotection", "etape-4", 6)

    append(inventory / "flux" / "population.yaml", CNIL_FLOW)
    commit(repo, "Actes d'état civil pour la police municipale", "etape-5", 9)

    append(inventory / "flux" / "population.yaml", TACIT_FLOW)
    commit(repo, "Attestations CAF des Prés", "etape-6", 10)

    append(inventory / "applications" / "les-pres.yaml", FIFTH_GMAO)
    commit(repo, "GMAO propre aux Prés", "etape-7", 11)

    append(inventory / "flux" / "relation-usager.yaml", HUB_BYPASS)
    commit(repo, "Demandes d'intervention directes vers la GMAO mutualisée", "etape-8", 12)
    return inventory


@functools.cache
def history() -> Path:
    """The repository's inventory directory, built once per test session (do not modify)."""
    root = Path(tempfile.mkdtemp(prefix="cartographie-suivi-"))
    atexit.register(shutil.rmtree, root, True)
    return build_history(root)


def clone_history(target: Path) -> Path:
    """A private clone of the history (its working tree may be changed); its inventory."""
    source = history().parent
    git(target, "clone", "-q", str(source), str(target / "depot"))
    return target / "depot" / "inventory"

"""Reading the inventory as it stood at a git revision, and the history of the inventory.

A revision (``HEAD~1``, ``main``, a tag, a commit id) is read from git's object store with
``git ls-tree`` and ``git cat-file --batch``: the working tree, the index and the refs are never
touched, so a diff or a diagnostic can run in a dirty checkout or in CI. The files come back as
``dict[relative path, bytes]`` for :func:`cartographie.inventory.check_inventory`, exactly as if
they had been read from disk.

:func:`load_version` is what the change-tracking commands call: a version is the working tree of
the inventory directory, another directory, or a revision of the repository that holds it. An
invalid inventory at a revision raises :class:`RevisionInventoryError`, whose lines carry git's
``REV:path`` notation (``HEAD~1:inventory/flux/etat-civil.yaml:12: E302: …``). Misuse — an unknown
revision, a directory outside any git repository, git missing — raises :class:`UsageError`.

Every git call runs with ``LC_ALL=C`` (stable messages), ``GIT_OPTIONAL_LOCKS=0`` (no lock taken
on the index) and without a pager.
"""

from __future__ import annotations

import datetime as dt
import errno
import os
import posixpath
import subprocess
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from cartographie.errors import InventoryError, PathError, Problem, RevisionError
from cartographie.files.reading import (
    MAX_FILE_BYTES,
    FileRefused,
    outside_root,
    too_large,
    unreadable,
)
from cartographie.inventory.loader import YAML_SUFFIXES, FileMemo, LoadResult, check_inventory
from cartographie.model.inventory import Inventory

WORKING_TREE = "copie de travail"
_FIELD = "\x1f"


@dataclass(frozen=True)
class Repository:
    """The git repository holding an inventory directory, and where the inventory sits in it."""

    root: Path
    # The inventory's path inside the repository (POSIX, no trailing slash; "" at the root).
    prefix: str


@dataclass(frozen=True)
class InventoryVersion:
    """One side of a comparison: the inventory as it stands in a directory or at a revision.

    ``inventory`` is ``None`` when there is no inventory there (a revision from before the
    inventory existed): every object of the other side is then "added".
    """

    label: str
    inventory: Inventory | None
    # Full commit id for a revision; None for a directory.
    revision: str | None = None
    directory: Path | None = None
    # For a revision: the inventory's path inside the repository ("" at its root).
    prefix: str | None = None

    def to_dict(self) -> dict[str, object]:
        return {
            "libelle": self.label,
            "revision": self.revision,
            "dossier": self.directory.as_posix() if self.directory is not None else None,
        }


@dataclass(frozen=True)
class Commit:
    """One commit of the inventory's history (``git log``)."""

    revision: str
    parent: str | None
    date: dt.datetime
    author: str
    subject: str


class RevisionInventoryError(InventoryError):
    """The inventory at a revision is invalid: its problems, located as ``REV:path:line``."""

    def __init__(self, problems: list[Problem], label: str, prefix: str) -> None:
        super().__init__(problems, root=prefix)
        self.label = label

    def lines(self) -> list[str]:
        return [f"{self.label}:{problem.format(self.root)}" for problem in self.problems]


# --- running git ------------------------------------------------------------------------------


def _git(
    repository: Path, *args: str, stdin: bytes | None = None
) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "LC_ALL": "C", "GIT_OPTIONAL_LOCKS": "0", "GIT_PAGER": "cat"}
    try:
        return subprocess.run(
            ["git", "-C", str(repository), *args],
            input=stdin,
            capture_output=True,
            env=env,
            check=False,
        )
    except FileNotFoundError:
        raise RevisionError(
            "git introuvable : impossible de lire une révision",
            "installez git, ou comparez deux dossiers d'inventaire",
        ) from None


def find_repository(directory: Path) -> Repository:
    """The repository holding ``directory`` (which may not exist in the working tree)."""
    directory = Path(os.path.abspath(directory))
    existing = directory
    missing: list[str] = []
    while not existing.is_dir():
        missing.insert(0, existing.name)
        if existing.parent == existing:
            break
        existing = existing.parent
    result = _git(existing, "rev-parse", "--show-toplevel", "--show-prefix")
    if result.returncode != 0:
        raise RevisionError(
            f"« {directory} » n'est pas dans un dépôt git",
            "une révision (HEAD~1, main, une étiquette) se lit dans le dépôt qui contient "
            "l'inventaire ; sinon comparez deux dossiers",
        )
    lines = result.stdout.decode("utf-8", "surrogateescape").splitlines()
    root = Path(lines[0])
    prefix = lines[1] if len(lines) > 1 else ""
    parts = [part for part in prefix.split("/") if part] + missing
    return Repository(root=root, prefix="/".join(parts))


def resolve_revision(repository: Repository, revision: str) -> str:
    """The full commit id a revision names, or :class:`UsageError`."""
    if not revision or revision.startswith("-"):
        raise RevisionError(f"révision invalide : « {revision} »")
    result = _git(repository.root, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}")
    if result.returncode != 0:
        raise RevisionError(
            f"révision inconnue : « {revision} »",
            "donnez une branche, une étiquette, un identifiant de commit ou HEAD~N "
            "(git log --oneline les liste)",
        )
    return result.stdout.decode().strip()


_LINK = "120000"  # git's mode of a symbolic link
# A link's blob is its target path: longer than this, it is no path (and is not read whole).
_MAX_LINK_BYTES = 4096


@dataclass(frozen=True)
class _Entry:
    mode: str
    oid: str
    size: int


def read_revision_files(repository: Repository, commit: str) -> dict[str, bytes | FileRefused]:
    """The bytes of every inventory file at ``commit``, by POSIX path relative to the inventory.

    The same files as :func:`cartographie.inventory.read_inventory_files` reads on disk, under
    the same rules (DESIGN.md §12): ``*.yaml``/``*.yml`` below the inventory, hidden files and
    folders skipped; a blob over the size limit is refused unread (E107, from the size git
    gives); a symbolic link leading out of the inventory is refused (E110, with its target); a
    link to a file inside it is read at its own path unless its target is an inventory file
    (read at its own path), and a link to a folder is not followed. Submodules are skipped.
    """
    spec = f"{commit}:{repository.prefix}" if repository.prefix else f"{commit}:"
    listing = _git(repository.root, "ls-tree", "-r", "-l", "-z", "--full-tree", spec)
    if listing.returncode != 0:
        return {}  # the inventory did not exist at that revision
    blobs: dict[str, _Entry] = {}
    for line in listing.stdout.split(b"\0"):
        if not line:
            continue
        meta, _, raw_path = line.partition(b"\t")
        mode, kind, oid, size = meta.decode().split()
        if kind == "blob":
            blobs[raw_path.decode("utf-8", "surrogateescape")] = _Entry(mode, oid, int(size))
    visible = {
        path: entry
        for path, entry in blobs.items()
        if not any(part.startswith(".") for part in PurePosixPath(path).parts)
    }
    wanted = {
        path: entry
        for path, entry in visible.items()
        if entry.mode != _LINK and path.endswith(YAML_SUFFIXES)
    }
    links = {path: entry for path, entry in visible.items() if entry.mode == _LINK}
    found: dict[str, bytes | FileRefused] = {}
    targets = _cat_files(
        repository,
        {path: entry.oid for path, entry in links.items() if entry.size <= _MAX_LINK_BYTES},
    )
    for path in links:
        target = targets.get(path, b"").decode("utf-8", "replace")
        resolved = _resolve_link(path, target) if path in targets else None
        if resolved is None:
            found[path] = outside_root(Path(path), Path(path), target or "…")
        elif path.endswith(YAML_SUFFIXES) and resolved not in wanted:
            if resolved in blobs and blobs[resolved].mode != _LINK:
                wanted[path] = blobs[resolved]
            elif resolved not in blobs and not _is_folder(resolved, blobs):
                found[path] = unreadable(
                    Path(path), OSError(errno.ENOENT, "absent", path), via_link=True
                )
    readable: dict[str, str] = {}
    for path, entry in wanted.items():
        if entry.size > MAX_FILE_BYTES:
            found[path] = too_large(Path(path), entry.size, MAX_FILE_BYTES)
        else:
            readable[path] = entry.oid
    found.update(_cat_files(repository, readable))
    return dict(sorted(found.items()))


def _resolve_link(path: str, target: str) -> str | None:
    """The path (relative to the inventory) a link at ``path`` leads to; ``None`` when it
    leads out of the inventory."""
    if not target or target.startswith("/") or "\0" in target:
        return None
    resolved = posixpath.normpath(posixpath.join(posixpath.dirname(path), target))
    if resolved == ".." or resolved.startswith("../") or resolved == ".":
        return None
    return resolved


def _is_folder(path: str, blobs: dict[str, _Entry]) -> bool:
    prefix = path.rstrip("/") + "/"
    return any(blob.startswith(prefix) for blob in blobs)


def _cat_files(repository: Repository, oids: dict[str, str]) -> dict[str, bytes]:
    """The bytes of blobs, by path, in one ``git cat-file --batch``."""
    if not oids:
        return {}
    wanted = list(oids.items())
    batch = _git(
        repository.root,
        "cat-file",
        "--batch",
        stdin="".join(f"{oid}\n" for _, oid in wanted).encode(),
    )
    if batch.returncode != 0:
        raise RevisionError(f"lecture impossible dans git : {batch.stderr.decode().strip()}")
    out = batch.stdout
    contents: dict[str, bytes] = {}
    position = 0
    for path, _oid in wanted:
        end = out.index(b"\n", position)
        header = out[position:end].split(b" ")
        position = end + 1
        if len(header) < 3:  # "<oid> missing": a broken repository, nothing to read
            continue
        size = int(header[2])
        contents[path] = out[position : position + size]
        position += size + 1
    return contents


# --- versions of the inventory ----------------------------------------------------------------


def load_directory(
    directory: Path, label: str | None = None, *, cache: bool = False
) -> InventoryVersion:
    """The inventory in a directory, validated (:class:`InventoryError` when invalid); with
    ``cache``, through the parse cache as every other command loads it."""
    from cartographie.inventory.loader import load_inventory

    inventory = load_inventory(directory, cache=cache)
    return InventoryVersion(label=label or str(directory), inventory=inventory, directory=directory)


def load_revision(directory: Path, revision: str) -> InventoryVersion:
    """The inventory of ``directory`` as it stood at ``revision`` of its git repository."""
    repository = find_repository(directory)
    commit = resolve_revision(repository, revision)
    contents = read_revision_files(repository, commit)
    prefix = repository.prefix
    if not contents:
        return InventoryVersion(revision, None, revision=commit, prefix=prefix)
    # Relative paths keep the same meaning as on disk (DESIGN.md §3 names territoire.yaml).
    result = check_inventory(Path(repository.root, prefix), contents)
    if result.errors or result.inventory is None:
        raise RevisionInventoryError(result.problems, revision, prefix)
    return InventoryVersion(revision, result.inventory, revision=commit, prefix=prefix)


def load_version(spec: str | None, directory: Path, *, cache: bool = False) -> InventoryVersion:
    """A version named on the command line: ``None`` is the working tree of ``directory``; an
    existing directory is read from disk; anything else is a revision of the repository that
    holds ``directory`` (a directory wins over a branch of the same name). ``cache`` is for
    directories (the parse cache keys files by path and stamp; a revision is read from git)."""
    if spec is None:
        if not directory.is_dir():
            raise PathError(
                f"inventaire introuvable : « {directory} » n'est pas un dossier",
                "indiquez le dossier avec -i/--inventaire (par défaut ./inventory)",
            )
        return load_directory(directory, WORKING_TREE, cache=cache)
    candidate = Path(spec)
    if candidate.is_dir():
        return load_directory(candidate, spec, cache=cache)
    return load_revision(directory, spec)


# --- history ----------------------------------------------------------------------------------


def inventory_history(
    repository: Repository,
    since: dt.date | None = None,
    until_revision: str = "HEAD",
    until: dt.date | None = None,
) -> list[Commit]:
    """The commits that touched the inventory, newest first, along the first-parent line;
    ``since`` and ``until`` bound their dates (both days included).

    First parents only: on a branch merged with merge commits the journal shows each merge (the
    change a merge request brought) once, instead of its commits and then the merge again.
    An empty list when the repository has no commit yet.
    """
    head = _git(repository.root, "rev-parse", "--verify", "--quiet", f"{until_revision}^{{commit}}")
    if head.returncode != 0:
        if until_revision == "HEAD":
            return []
        resolve_revision(repository, until_revision)  # raises the clear message
    args = [
        "log",
        "--first-parent",
        "-z",
        f"--format=%H{_FIELD}%P{_FIELD}%aI{_FIELD}%an{_FIELD}%s",
    ]
    if since is not None:
        args.append(f"--since={since.isoformat()}T00:00:00")
    if until is not None:
        args.append(f"--until={until.isoformat()}T23:59:59")
    args += [until_revision, "--", repository.prefix or "."]
    result = _git(repository.root, *args)
    if result.returncode != 0:
        raise RevisionError(f"git log a échoué : {result.stderr.decode().strip()}")
    commits: list[Commit] = []
    for raw in result.stdout.decode("utf-8", "replace").split("\0"):
        record = raw.strip("\n")
        if not record:
            continue
        sha, parents, date, author, subject = record.split(_FIELD, 4)
        commits.append(
            Commit(
                revision=sha,
                parent=parents.split(" ")[0] if parents else None,
                date=dt.datetime.fromisoformat(date),
                author=author,
                subject=subject,
            )
        )
    return commits


def check_commit(
    repository: Repository, commit: str, memo: FileMemo | None = None
) -> LoadResult | None:
    """The inventory at a commit id known to exist, checked; ``None`` when there is none there.

    Unlike :func:`load_revision`, an invalid inventory is not raised: the journal walks history,
    where a broken commit is a fact to show, not a reason to stop. Walking many commits, pass
    the same ``memo`` each time: each distinct file is then parsed once.
    """
    contents = read_revision_files(repository, commit)
    if not contents:
        return None
    return check_inventory(Path(repository.root, repository.prefix), contents, memo=memo)

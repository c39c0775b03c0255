"""The errors of the library, and the catalogue of problem codes.

Every error the library raises derives from :class:`CartographieError`. A validation does not stop
at the first problem: it collects :class:`Problem` records (code, location, message, hint) and
raises one :class:`InventoryError` holding all of them. Only the CLI turns errors into exit codes.

Codes are stable: tools and people grep for them, and ``docs/erreurs.md`` documents each one.
A code is never reused for another meaning; a retired code stays in the catalogue.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Severity = Literal["erreur", "avertissement"]

# code -> (short name, what it means). The short name appears in docs and JSON output.
PROBLEM_CODES: dict[str, tuple[str, str]] = {
    # Reading files
    "E101": ("encodage", "the file is not valid UTF-8"),
    "E102": ("yaml-invalide", "the file is not valid YAML"),
    "E103": ("cle-dupliquee", "a mapping holds the same key twice"),
    "E104": ("balise-interdite", "a YAML tag (!!python/object, !custom…) is refused, never run"),
    "E105": ("alias-excessifs", "anchors and aliases expand too much (alias bomb)"),
    "E106": ("fichier-vide", "the file declares nothing"),
    "E107": ("fichier-trop-gros", "the file is larger than the size limit"),
    "E108": ("fusion-yaml", "YAML merge keys (<<) are not supported"),
    "E109": ("lecture-impossible", "the file or directory cannot be read"),
    "E110": ("lien-hors-inventaire", "a symbolic link leads out of the inventory: not followed"),
    "E111": ("fichier-special", "a FIFO, device, socket or folder where a file was expected"),
    # Shape of the records
    "E201": ("champ-inconnu", "a field that the format does not know"),
    "E202": ("champ-manquant", "a required field is missing"),
    "E203": ("valeur-hors-liste", "a value outside its enumeration"),
    "E204": ("type-invalide", "a value of the wrong type"),
    "E205": ("identifiant-invalide", "an id that is not a lowercase slug"),
    "E206": ("valeur-invalide", "a value out of its range or inconsistent with another field"),
    "E207": ("caractere-de-controle", "a control character in an id, a name or a one-line field"),
    "E208": (
        "texte-neutralise",
        "control characters in a free text (description) shown as visible symbols",
    ),
    # Identity and references
    "E301": ("identifiant-duplique", "two objects of the same kind share an id"),
    "E302": ("reference-inconnue", "a reference to an object that does not exist"),
    "E303": ("reference-mal-typee", "a reference to an object of the wrong kind or level"),
    "E304": ("cycle-blocs", "the bloc hierarchy has a cycle"),
    "E305": ("via-pas-hub", "a flow goes through an application that is not a hub"),
    "E306": ("flux-boucle", "a flow from an application to itself"),
    "E307": ("flux-duplique", "two flows with the same source, target and data object"),
    "E308": ("cycle-renouvellements", "delegations renew each other in a loop (renouvelle)"),
    "E309": ("cycle-remplacements", "applications replace each other in a loop (remplacee_par)"),
    "E310": ("identifiant-reserve", "an id that Windows reserves for a device (con, nul, com1…)"),
    "E311": (
        "chantier-desaccord",
        "a chantier contradicts the inventory: a wave before the adhesion, a retirement outside it",
    ),
    # Scenarios (cartographie simuler): an operation against the inventory, an edit refused
    "C101": (
        "operation-impossible",
        "a scenario's operation contradicts the inventory as the previous ones leave it",
    ),
    "C102": (
        "edition-impossible",
        "an operation cannot be written as a minimal edit of the YAML text",
    ),
    # Whole inventory
    "E401": ("inventaire-introuvable", "the inventory directory does not exist or is empty"),
    "E402": ("section-absente", "a section every inventory needs is missing"),
    # Imports (the mapping of a spreadsheet or catalogue)
    "E501": ("traduction-inutilisee", "a translation of the import mapping that no row used"),
}


# One problem, one line: a value quoted in a message may hold a line break or a control
# character (`"metier\n"`), shown escaped as Python writes it so that nothing is hidden.
_VISIBLE_CONTROLS: dict[int, str] = {
    code: f"\\x{code:02x}" for code in (*range(0x20), 0x7F, *range(0x80, 0xA0))
}
_VISIBLE_CONTROLS.update(
    {0x09: "\\t", 0x0A: "\\n", 0x0D: "\\r", 0x2028: "\\u2028", 0x2029: "\\u2029"}
)
# Bidirectional embeddings, overrides and isolates reorder the text around them on a terminal.
_VISIBLE_CONTROLS.update(
    {code: f"\\u{code:04x}" for code in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))}
)
# And what XML cannot hold (lone surrogates, U+FFFE, U+FFFF): shown, never written raw.
_VISIBLE_CONTROLS.update(
    {code: f"\\u{code:04x}" for code in (*range(0xD800, 0xE000), 0xFFFE, 0xFFFF)}
)
# The one table of what is shown escaped: problem lines here, every output (document.text).
VISIBLE_CONTROLS = _VISIBLE_CONTROLS


# A message quotes at most this much of a value, and is itself cut beyond MAX_MESSAGE: whatever
# a file holds, an error shows the offending value shortened, never the file (DESIGN.md §12).
MAX_QUOTED = 80
MAX_MESSAGE = 1000


def shorten(value: str, limit: int = MAX_QUOTED) -> str:
    """``value`` as a message may quote it: cut to ``limit`` characters, saying how long it was."""
    if len(value) <= limit:
        return value
    return f"{value[:limit]}… [{len(value):,} caractères]".replace(",", "\u202f")


@dataclass(frozen=True, order=True)
class Location:
    """Where a problem or an object stands: a path relative to the inventory root, a line and,
    for a fault inside a line (an encoding error), a column (both from 1; 0 when unknown)."""

    path: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        if not self.line:
            return self.path
        return (
            f"{self.path}:{self.line}:{self.column}" if self.column else f"{self.path}:{self.line}"
        )


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the inventory, located, explained and with a way out."""

    code: str
    location: Location
    message: str
    hint: str = ""
    severity: Severity = "erreur"
    # Prefix for the path when printed (the inventory directory as the user named it).
    root: str = field(default="", compare=False)

    @property
    def name(self) -> str:
        return PROBLEM_CODES[self.code][0]

    def sort_key(self) -> tuple[str, int, str, str]:
        return (self.location.path, self.location.line, self.code, self.message)

    def format(self, root: str = "") -> str:
        """``path:line: code: message (hint)`` — the one-line form every command prints."""
        prefix = root or self.root
        path = self.location.path
        if prefix and path == ".":  # the inventory itself: its directory as the user named it
            path = prefix
        elif prefix:
            path = f"{prefix.rstrip('/')}/{path}"
        where = str(Location(path, self.location.line, self.location.column))
        text = f"{where}: {self.code}: {shorten(self.message, MAX_MESSAGE)}"
        text = f"{text} ({shorten(self.hint, MAX_MESSAGE)})" if self.hint else text
        return text.translate(_VISIBLE_CONTROLS)

    def to_dict(self) -> dict[str, object]:
        return {
            "code": self.code,
            "nom": self.name,
            "gravite": self.severity,
            "fichier": self.location.path,
            "ligne": self.location.line,
            "colonne": self.location.column,
            "message": self.message,
            "conseil": self.hint,
        }


class CartographieError(Exception):
    """Base of every error the library raises on purpose (pip's ``DiagnosticPipError``).

    It holds a stable ``code`` (a class attribute: subclasses only fill in their code and exit
    code; a class that stands for several problem codes sets it per instance), a ``message``
    naming the offending value, an optional ``context`` (what was being done: the file, the
    revision, the engine's own words) and a ``hint`` (the way out), and renders itself:
    :meth:`lines` is what the CLI prints, on stderr. Every code is documented in
    ``docs/erreurs.md`` (a test checks it).
    """

    code: str = "E000"
    # The CLI's exit code: 1 the data is wrong, 2 the command was misused.
    exit_code: int = 1

    def __init__(self, message: str = "", hint: str = "", *, context: str = "") -> None:
        self.message = message
        self.hint = hint
        self.context = context
        super().__init__(message if not hint else f"{message} ({hint})")

    def lines(self) -> list[str]:
        """``erreur CODE : message (conseil)``, then the context indented; control characters
        of the values shown escaped, so that nothing is hidden and nothing acts."""
        head = f"erreur {self.code} : {self.message}" + (f" ({self.hint})" if self.hint else "")
        found = [head.translate(_VISIBLE_CONTROLS)]
        found += [
            f"  {line}".translate(_VISIBLE_CONTROLS)
            for line in self.context.splitlines()
            if line.strip()
        ]
        return found


class InventoryError(CartographieError):
    """The inventory is invalid; ``problems`` lists everything found, sorted by file and line.
    It renders as its problems, one per line (each with its own code)."""

    code = "E001"

    def __init__(self, problems: list[Problem], root: str = "") -> None:
        self.problems = sorted(problems, key=Problem.sort_key)
        self.root = root
        count = len(self.problems)
        super().__init__(f"{count} problème{'s' if count > 1 else ''} dans l'inventaire")

    def lines(self) -> list[str]:
        return [problem.format(self.root) for problem in self.problems]


class UsageError(CartographieError):
    """The command was misused: exit code 2. Subclasses say how."""

    code = "U000"
    exit_code = 2


class OptionError(UsageError):
    """An option or argument the command cannot take (a bad date, two scopes at once)."""

    code = "U001"


class UnknownNameError(UsageError):
    """An id or a name that does not exist: a commune, a bloc, a table, a report, a format."""

    code = "U002"


class PathError(UsageError):
    """A file or folder that is missing, of the wrong kind, or not to be replaced."""

    code = "U003"


class RevisionError(UsageError):
    """A git revision or repository that cannot be read."""

    code = "U004"


class WriteError(CartographieError):
    """An output that cannot be written (rights, a full disk): exit code 1, the command line
    itself was right."""

    code = "E600"


# Codes printed outside the error classes: a command line click could not parse, and the last
# guard of the CLI (a bug: the message asks for a report).
COMMAND_LINE_CODE = "U001"
INTERNAL_CODE = "X001"

"""``cartographie valider`` as a document: every problem of the inventory, one row each.

Without ``--format`` the command keeps the one-line form editors and grep read
(``fichier:ligne: code: message (conseil)``, on stderr); the formats give the same problems as a
table (a spreadsheet to share the corrections among communes, a merge-request comment).
``--format json`` writes the record ``cartographie/validation`` version 1: ``valide``,
``comptes`` and ``problemes`` (each as :meth:`Problem.to_dict`, with ``emplacement``).
"""

from __future__ import annotations

from cartographie.document import Column, Document, Paragraph, make_table, numbers
from cartographie.errors import Problem
from cartographie.model.inventory import Inventory

JSON_FORMAT = "cartographie/validation"
JSON_VERSION = 1

PROBLEM_COLUMNS = (
    Column("emplacement", "Emplacement", "location"),
    Column("code", "Code"),
    Column("nom", "Nom"),
    Column("gravite", "Gravité"),
    Column("message", "Message"),
    Column("conseil", "Conseil"),
)


def valid_sentence(inventory: Inventory) -> str:
    external = sum(1 for app_id in inventory.applications if inventory.is_external(app_id))
    return (
        f"Inventaire valide : {numbers.count(len(inventory.communes), 'commune')}, "
        f"{numbers.count(len(inventory.applications) - external, 'application')} "
        f"(et {numbers.integer(external)} d'organismes extérieurs), "
        f"{numbers.integer(len(inventory.flows))} flux."
    )


def problems_sentence(count: int) -> str:
    plural = "s" if count > 1 else ""
    return f"{numbers.integer(count)} problème{plural} trouvé{plural}."


def _where(problem: Problem, root: str) -> str:
    line = problem.format(root)
    return line.split(f": {problem.code}: ", 1)[0]


def validation_document(
    problems: list[Problem], inventory: Inventory | None, root: str
) -> Document:
    ordered = sorted(problems, key=Problem.sort_key)
    errors = [problem for problem in ordered if problem.severity == "erreur"]
    table = make_table(
        "problemes",
        "Problèmes",
        PROBLEM_COLUMNS,
        [(_where(p, root), p.code, p.name, p.severity, p.message, p.hint or None) for p in ordered],
    )
    valid = inventory is not None and not errors
    sentence = valid_sentence(inventory) if valid and inventory is not None else ""
    summary = [Paragraph(sentence, strong=True)] if sentence else []
    if ordered:
        summary.append(Paragraph(problems_sentence(len(ordered)), strong=not valid))
    return Document(
        "valider",
        f"Validation de l'inventaire {root}",
        (table,) if ordered else (),
        summary=tuple(summary),
        record={
            "format": JSON_FORMAT,
            "version": JSON_VERSION,
            "valide": valid,
            "comptes": {
                "erreurs": len(errors),
                "avertissements": len(ordered) - len(errors),
            },
            "problemes": [
                {**problem.to_dict(), "emplacement": _where(problem, root)} for problem in ordered
            ],
        },
    )

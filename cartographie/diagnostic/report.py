"""A diagnostic as a document: the verdict first, the findings, then (folded) the rest.

:func:`diagnostic_document` is what every format writes. The verdict and the counts come first
(the summary), then one row per finding — the terminal writes it as the line editors and grep
read, ``fichier:ligne: code [gravité] message``, with its fix below — then, folded in Markdown:
the pre-existing problems (``--tout``), the rules applied and their settings, the change judged.
``--format json`` writes the record of :meth:`Diagnostic.to_dict`; JUnit is
:mod:`cartographie.diagnostic.junit`.
"""

from __future__ import annotations

from cartographie.diagnostic.model import (
    SEVERITIES,
    VERDICT_LABELS,
    Diagnostic,
    Finding,
)
from cartographie.diff.model import KINDS
from cartographie.diff.report import COUNT_COLUMNS
from cartographie.document import (
    Block,
    Column,
    Document,
    LineLayout,
    Paragraph,
    Ref,
    Section,
    Table,
    make_table,
    numbers,
)

JSON_FORMAT = "cartographie/diagnostic"

FINDING_COLUMNS = (
    Column("gravite", "Gravité"),
    Column("code", "Règle"),
    Column("message", "Constat"),
    Column("emplacement", "Emplacement", "location"),
    Column("correction", "Correction"),
    Column("objets", "Objets", "list", audience="machines"),
)
FINDING_LINES = LineLayout(
    "{emplacement}: {code} [{gravite}] {message}", ("    correction : {correction}",)
)
RULE_COLUMNS = (
    Column("code", "Code"),
    Column("nom", "Nom", audience="machines"),
    Column("regle", "Règle"),
    Column("gravite", "Gravité"),
    Column("constats", "Constats", "integer"),
    Column("motif", "Motif"),
)


def counts_sentence(diagnostic: Diagnostic) -> str:
    counts = diagnostic.counts()
    words = {
        "bloquant": ("constat bloquant", "constats bloquants"),
        "avertissement": ("avertissement", "avertissements"),
        "info": ("information", "informations"),
    }
    return ", ".join(
        f"{numbers.integer(counts[severity])} {words[severity][0 if counts[severity] <= 1 else 1]}"
        for severity in SEVERITIES
    )


def verdict_sentence(diagnostic: Diagnostic) -> str:
    """« Avis défavorable : 1 constat bloquant, 4 avertissements, 0 information. »"""
    preexisting = (
        f" ; {numbers.integer(len(diagnostic.preexisting))} problème(s) préexistant(s), "
        "non imputé(s) au changement"
        if diagnostic.preexisting
        else ""
    )
    verdict = VERDICT_LABELS[diagnostic.verdict].capitalize()
    return f"{verdict} : {counts_sentence(diagnostic)}{preexisting}."


def finding_location(finding: Finding, root: str) -> str:
    return finding.format(root).split(f": {finding.code} ", 1)[0]


def findings_table(name: str, title: str, findings: tuple[Finding, ...], root: str) -> Table:
    return make_table(
        name,
        title,
        FINDING_COLUMNS,
        [
            (
                finding.severity,
                finding.code,
                finding.message,
                finding_location(finding, root),
                finding.fix,
                finding.objects,
            )
            for finding in findings
        ],
        lines=FINDING_LINES,
    )


def diagnostic_document(diagnostic: Diagnostic) -> Document:
    root = diagnostic.proposed.root
    project = f" — {diagnostic.project}" if diagnostic.project else ""
    blocks: list[Block] = []
    if diagnostic.findings:
        blocks.append(findings_table("constats", "Constats", diagnostic.findings, root))
    else:
        blocks.append(Paragraph("Aucun constat sur ce que le changement introduit."))
    if diagnostic.preexisting:
        table = findings_table(
            "preexistants",
            "Problèmes préexistants (non imputés au changement)",
            diagnostic.preexisting,
            root,
        )
        blocks.append(
            Section(
                f"Problèmes préexistants ({len(diagnostic.preexisting)})",
                (table,),
                name="preexistants",
                fold=True,
            )
        )
    rules = make_table(
        "regles",
        "Règles appliquées",
        RULE_COLUMNS,
        [
            (
                outcome.code,
                outcome.name,
                outcome.title,
                outcome.severity if outcome.active else "désactivée",
                len(outcome.findings),
                outcome.reason,
            )
            for outcome in diagnostic.outcomes
        ],
    )
    source = f" — réglages : {diagnostic.rules_source}" if diagnostic.rules_source else ""
    blocks.append(
        Section(
            f"Règles appliquées ({len(diagnostic.outcomes)}){source}",
            (rules,),
            name="regles",
            fold=True,
        )
    )
    if diagnostic.summary:
        change = make_table(
            "changement",
            "Objets changés",
            (Column("objet", "Objet", "reference"), *COUNT_COLUMNS),
            [
                (Ref("objet", kind, KINDS[kind][1]), *counts.values())
                for kind, counts in diagnostic.summary.items()
            ],
        )
        communes = ", ".join(diagnostic.communes) or "aucune"
        blocks.append(
            Section(
                "Changement jugé",
                (change, Paragraph(f"Communes touchées : {communes}.")),
                name="changement",
                fold=True,
            )
        )
    return Document(
        "diagnostic",
        f"Diagnostic d'architecture{project} : {diagnostic.base.label} → "
        f"{diagnostic.proposed.label}",
        tuple(blocks),
        parameters=(("Date", diagnostic.date.isoformat()),),
        summary=(Paragraph(verdict_sentence(diagnostic), strong=True),),
        primary="constats" if diagnostic.findings else "",
        record={"format": JSON_FORMAT, **diagnostic.to_dict()},
    )

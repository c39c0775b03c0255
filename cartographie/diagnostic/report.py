"""A diagnostic as words: the Markdown report for a merge request, and JUnit XML for CI.

The Markdown opens with the verdict and the counts, then the findings (one table row each, with
``file:line`` and the fix), then — folded — the pre-existing problems, the rules and their
settings, and the change summary. The JUnit file has one test case per rule and one
``<failure>`` per blocking or warning finding (info findings go to ``<system-out>``, disabled
rules are ``<skipped>``), so that a CI dashboard lists the rules that failed.
"""

from __future__ import annotations

from xml.etree import ElementTree

from cartographie.diagnostic.model import (
    SEVERITIES,
    VERDICT_LABELS,
    Diagnostic,
    Finding,
)
from cartographie.diff.model import KINDS
from cartographie.diff.report import code, markdown_table, md

FINDING_HEADERS = ("Gravité", "Règle", "Constat", "Emplacement", "Correction")


def counts_sentence(diagnostic: Diagnostic) -> str:
    counts = diagnostic.counts()
    words = {
        "bloquant": ("constat bloquant", "constats bloquants"),
        "avertissement": ("avertissement", "avertissements"),
        "info": ("information", "informations"),
    }
    return ", ".join(
        f"{counts[severity]} {words[severity][0 if counts[severity] <= 1 else 1]}"
        for severity in SEVERITIES
    )


def finding_location(finding: Finding, root: str) -> str:
    where = finding.format(root).split(f": {finding.code} ", 1)[0]
    return where


def diagnostic_markdown(diagnostic: Diagnostic, heading: str = "##") -> str:
    """The report a merge request shows: verdict first, then findings, details folded."""
    verdict = VERDICT_LABELS[diagnostic.verdict]
    project = f" — {md(diagnostic.project)}" if diagnostic.project else ""
    out = [
        f"{heading} Diagnostic d'architecture{project} : **{verdict}**",
        "",
        f"{code(diagnostic.base.label)} → {code(diagnostic.proposed.label)}, "
        f"le {diagnostic.date.isoformat()} : {counts_sentence(diagnostic)}.",
    ]
    if diagnostic.preexisting:
        out.append(
            f"{len(diagnostic.preexisting)} problème(s) préexistant(s) dans la base, "
            "non imputé(s) au changement."
        )
    root = diagnostic.proposed.root
    if diagnostic.findings:
        rows = [
            (
                finding.severity,
                finding.code,
                finding.message,
                finding_location(finding, root),
                finding.fix,
            )
            for finding in diagnostic.findings
        ]
        out += ["", markdown_table(FINDING_HEADERS, rows, numeric_from=len(FINDING_HEADERS))]
    else:
        out += ["", "Aucun constat sur ce que le changement introduit."]
    if diagnostic.preexisting:
        rows = [
            (f.severity, f.code, f.message, finding_location(f, root), f.fix)
            for f in diagnostic.preexisting
        ]
        out += [
            "",
            f"<details><summary>Problèmes préexistants ({len(rows)})</summary>",
            "",
            markdown_table(FINDING_HEADERS, rows, numeric_from=len(FINDING_HEADERS)),
            "",
            "</details>",
        ]
    rule_rows = [
        (
            outcome.code,
            outcome.title,
            outcome.severity if outcome.active else "désactivée",
            str(len(outcome.findings)),
        )
        for outcome in diagnostic.outcomes
    ]
    source = f" — réglages : {md(diagnostic.rules_source)}" if diagnostic.rules_source else ""
    out += [
        "",
        f"<details><summary>Règles appliquées ({len(rule_rows)}){source}</summary>",
        "",
        markdown_table(("Code", "Règle", "Gravité", "Constats"), rule_rows, numeric_from=3),
        "",
        "</details>",
    ]
    if diagnostic.summary:
        summary_rows = [
            (KINDS[kind][1], *(str(value) for value in counts.values()))
            for kind, counts in diagnostic.summary.items()
        ]
        out += [
            "",
            "<details><summary>Changement jugé</summary>",
            "",
            markdown_table(
                ("Objet", "Ajouts", "Retraits", "Renommages", "Modifications"), summary_rows
            ),
            "",
            "Communes touchées : " + (", ".join(diagnostic.communes) or "aucune") + ".",
            "",
            "</details>",
        ]
    return "\n".join(out) + "\n"


def diagnostic_junit(diagnostic: Diagnostic) -> bytes:
    """JUnit XML: a test case per rule, a failure per finding; deterministic bytes."""
    failures = sum(1 for f in diagnostic.findings if f.severity != "info")
    skipped = sum(1 for outcome in diagnostic.outcomes if not outcome.active)
    suites = ElementTree.Element(
        "testsuites",
        name="cartographie diagnostic",
        tests=str(len(diagnostic.outcomes)),
        failures=str(failures),
        errors="0",
        skipped=str(skipped),
    )
    suite = ElementTree.SubElement(
        suites,
        "testsuite",
        name=f"diagnostic d'architecture ({diagnostic.project or 'sans projet'})",
        tests=str(len(diagnostic.outcomes)),
        failures=str(failures),
        errors="0",
        skipped=str(skipped),
        timestamp=f"{diagnostic.date.isoformat()}T00:00:00",
    )
    properties = ElementTree.SubElement(suite, "properties")
    for name, value in (
        ("base", diagnostic.base.label),
        ("propose", diagnostic.proposed.label),
        ("verdict", diagnostic.verdict),
    ):
        ElementTree.SubElement(properties, "property", name=name, value=value)
    root = diagnostic.proposed.root
    for outcome in diagnostic.outcomes:
        case = ElementTree.SubElement(
            suite,
            "testcase",
            classname="cartographie.diagnostic",
            name=f"{outcome.code} {outcome.name} : {outcome.title}",
        )
        if not outcome.active:
            ElementTree.SubElement(case, "skipped", message=outcome.reason or "règle désactivée")
            continue
        infos = []
        for finding in outcome.findings:
            if finding.severity == "info":
                infos.append(finding.format(root))
                continue
            failure = ElementTree.SubElement(
                case,
                "failure",
                type=finding.severity,
                message=f"{finding_location(finding, root)}: {finding.message}",
            )
            failure.text = finding.format(root)
        if infos:
            ElementTree.SubElement(case, "system-out").text = "\n".join(infos)
    ElementTree.indent(suites)
    body = ElementTree.tostring(suites, encoding="unicode")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n").encode("utf-8")

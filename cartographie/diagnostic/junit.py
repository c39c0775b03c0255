"""JUnit XML for CI dashboards, valid against the Jenkins junit schema (``junit-10.xsd``).

What every CI reads the same way (GitLab, GitHub test reporters, Jenkins, Azure): **one test case
per failure** — many tools show only the first ``<failure>`` of a case — so each blocking or
warning finding is its own test case (``D102 applications/x.yaml:844 …``), a rule that found
nothing is one passing case, a disabled rule one ``<skipped>`` case, and an information one
passing case with its text in ``<system-out>``. When the inventory cannot be read at all (a
version with problems), :func:`problems_junit` gives one case per problem, so that the
dashboard shows why instead of nothing.

Every case has a ``time`` attribute, as the schema's readers expect; it is ``0``: the file must be
the same bytes from one run to the next (and rules take milliseconds). The ``<testsuites>``
element carries only the attributes the schema allows (no ``skipped``). Text goes through
:func:`~cartographie.document.text.xml_text`: nothing XML forbids.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from xml.etree import ElementTree

from cartographie.diagnostic.model import Diagnostic
from cartographie.diagnostic.report import finding_location
from cartographie.document.text import xml_text
from cartographie.errors import Problem

TIME = "0"


@dataclass(frozen=True)
class Case:
    classname: str
    name: str
    failure: tuple[str, str, str] | None = None  # type, message, text
    skipped: str | None = None
    output: str = ""


def _attributes(**values: str) -> dict[str, str]:
    return {key: xml_text(value) for key, value in values.items()}


def junit_xml(
    suite: str, cases: list[Case], properties: Iterable[tuple[str, str]], timestamp: str
) -> bytes:
    failures = sum(1 for case in cases if case.failure is not None)
    skipped = sum(1 for case in cases if case.skipped is not None)
    suites = ElementTree.Element(
        "testsuites",
        _attributes(
            name="cartographie",
            tests=str(len(cases)),
            failures=str(failures),
            errors="0",
            time=TIME,
        ),
    )
    element = ElementTree.SubElement(
        suites,
        "testsuite",
        _attributes(
            name=suite,
            tests=str(len(cases)),
            failures=str(failures),
            errors="0",
            skipped=str(skipped),
            time=TIME,
            timestamp=timestamp,
        ),
    )
    listed = ElementTree.SubElement(element, "properties")
    for name, value in properties:
        ElementTree.SubElement(listed, "property", _attributes(name=name, value=value))
    for case in cases:
        node = ElementTree.SubElement(
            element,
            "testcase",
            _attributes(classname=case.classname, name=case.name, time=TIME),
        )
        if case.skipped is not None:
            ElementTree.SubElement(node, "skipped", _attributes(message=case.skipped))
        if case.failure is not None:
            kind, message, text = case.failure
            failure = ElementTree.SubElement(
                node, "failure", _attributes(type=kind, message=message)
            )
            failure.text = xml_text(text)
        if case.output:
            ElementTree.SubElement(node, "system-out").text = xml_text(case.output)
    ElementTree.indent(suites)
    body = ElementTree.tostring(suites, encoding="unicode")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n").encode("utf-8")


def diagnostic_junit(diagnostic: Diagnostic) -> bytes:
    """A case per failing finding, per quiet rule, per disabled rule, per information."""
    root = diagnostic.proposed.root
    cases: list[Case] = []
    for outcome in diagnostic.outcomes:
        classname = f"cartographie.diagnostic.{outcome.code}"
        title = f"{outcome.code} {outcome.name} : {outcome.title}"
        if not outcome.active:
            cases.append(Case(classname, title, skipped=outcome.reason or "règle désactivée"))
            continue
        failing = [finding for finding in outcome.findings if finding.severity != "info"]
        for finding in outcome.findings:
            where = finding_location(finding, root)
            name = f"{outcome.code} {where} {', '.join(finding.objects)}".rstrip()
            line = finding.format(root)
            if finding.severity == "info":
                cases.append(Case(classname, name, output=line))
            else:
                cases.append(
                    Case(
                        classname,
                        name,
                        failure=(finding.severity, f"{where}: {finding.message}", line),
                    )
                )
        if not failing and not outcome.findings:
            cases.append(Case(classname, title))
    return junit_xml(
        f"diagnostic d'architecture ({diagnostic.project or 'sans projet'})",
        cases,
        (
            ("base", diagnostic.base.label),
            ("propose", diagnostic.proposed.label),
            ("verdict", diagnostic.verdict),
        ),
        f"{diagnostic.date.isoformat()}T00:00:00",
    )


def problems_junit(problems: list[Problem], lines: list[str], label: str, day: str) -> bytes:
    """The JUnit file of an inventory that cannot be read: a case per problem (its
    ``fichier:ligne: code: message`` line), errors failing, warnings passing."""
    cases = [
        Case(
            f"cartographie.valider.{problem.code}",
            line.split(f": {problem.code}: ", 1)[0] + f" {problem.code}",
            failure=(problem.severity, line, line) if problem.severity == "erreur" else None,
            output="" if problem.severity == "erreur" else line,
        )
        for problem, line in zip(problems, lines, strict=True)
    ]
    return junit_xml(
        f"validation de l'inventaire ({label})",
        cases,
        (("version", label), ("verdict", "inventaire-invalide")),
        f"{day}T00:00:00",
    )

"""The registry of reports: a name maps to what the report is and how to build it.

This is the atlas's contract: :func:`atlas_reports` lists every report that has a page in the
atlas, each with ``atlas_page(portfolio)`` returning an already-escaped HTML fragment (tables,
maybe an inline SVG; no ``<html>``, no external asset). A report registered here appears in the
atlas without touching the atlas's code.

``document`` builds the report with its default options (what the atlas shows); the CLI calls the
report's own builder with the options the user gave.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from cartographie.errors import UsageError
from cartographie.graph import Portfolio
from cartographie.reports.formats import to_html_fragment
from cartographie.reports.table import ReportDocument


@dataclass(frozen=True)
class ReportSpec:
    """A report: slug, French title and description, its default document and atlas page."""

    name: str
    title: str
    description: str
    document: Callable[[Portfolio], ReportDocument] | None = None
    atlas_page: Callable[[Portfolio], str] | None = None


def _page(build: Callable[[Portfolio], ReportDocument]) -> Callable[[Portfolio], str]:
    def atlas_page(portfolio: Portfolio) -> str:
        return to_html_fragment(build(portfolio))

    return atlas_page


def _spec(
    name: str, title: str, description: str, build: Callable[[Portfolio], ReportDocument]
) -> ReportSpec:
    return ReportSpec(name, title, description, document=build, atlas_page=_page(build))


def _convergence(portfolio: Portfolio) -> ReportDocument:
    from cartographie.reports.convergence import convergence_document

    return convergence_document(portfolio)


# In the order of the issue and of docs/rapports.md: the atlas lists them in this order.
REPORTS: tuple[ReportSpec, ...] = (
    _spec(
        "convergence",
        "Convergence et mutualisation",
        "Par bloc : couples, applications, produits, taux de convergence, application partagée ; "
        "par commune : taux de mutualisation ; la matrice bloc × commune.",
        _convergence,
    ),
)


def all_reports() -> list[ReportSpec]:
    return list(REPORTS)


def atlas_reports() -> list[ReportSpec]:
    """The reports that have a page in the atlas, in reading order."""
    return [spec for spec in REPORTS if spec.atlas_page is not None]


def report_spec(name: str) -> ReportSpec:
    for spec in REPORTS:
        if spec.name == name:
            return spec
    choices = ", ".join(spec.name for spec in REPORTS)
    raise UsageError(f"rapport inconnu : {name}", f"rapports : {choices}")

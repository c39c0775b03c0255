"""The registry of formats: any document in, text or bytes out.

``FORMATS`` maps a format name to its writer; the CLI builds every ``--format`` choice from it
(plus ``table``, the terminal, which the CLI draws from the same document), and the atlas writes
its report pages with the HTML writer. Adding a format is one entry here.

- ``markdown`` — a merge-request comment or a committee note; bounded by ``max_bytes``;
- ``csv`` — one table (the main one, or the one asked for) in the chosen dialect;
- ``json`` — the command's record, or the document's versioned schema;
- ``html`` — a standalone page in the atlas's styles, references linked by ``links``;
- ``xlsx`` — one sheet per table, typed cells, autofilter, frozen header;
- ``svg`` — the document's figure (the trend's chart, the roadmap's timeline).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from cartographie.errors import OptionError, UnknownNameError

if TYPE_CHECKING:
    from cartographie.document.htmlpage import LinkResolver
    from cartographie.document.model import Document

# Under GitHub's 1 MiB limit for a job summary (and GitLab's for a note), with room to spare.
DEFAULT_MAX_BYTES = 1_000_000


@dataclass(frozen=True)
class RenderOptions:
    """What a user may choose about a format: the CSV dialect, the Markdown bound, where
    HTML links references."""

    csv_dialect: str | None = None
    max_bytes: int | None = None
    links: LinkResolver | None = None


@dataclass(frozen=True)
class Format:
    """An output format: its writer, whether it gives bytes (so needs a file), and whether it
    writes one table only (CSV: the CLI says which others exist)."""

    name: str
    description: str
    write: Callable[[Document, RenderOptions], str | bytes]
    binary: bool = False
    single_table: bool = False


# The writers load on first use: every command's --help lists the formats, few write them.


def _markdown(document: Document, options: RenderOptions) -> str:
    from cartographie.document.markdown import to_markdown

    return to_markdown(document, options.max_bytes)


def _csv(document: Document, options: RenderOptions) -> str:
    from cartographie.document.csvfile import to_csv

    return to_csv(document, options.csv_dialect)


def _json(document: Document, options: RenderOptions) -> str:
    from cartographie.document.jsondoc import to_json

    return to_json(document)


def _html(document: Document, options: RenderOptions) -> str:
    from cartographie.document.htmlpage import to_html

    return to_html(document, options.links)


def _xlsx(document: Document, options: RenderOptions) -> bytes:
    from cartographie.document.xlsx import to_xlsx

    return to_xlsx(document)


def _svg(document: Document, options: RenderOptions) -> str:
    for figure in document.figures:
        svg = figure.to_svg()
        if svg:
            return svg
    raise OptionError(
        f"« {document.title} » n'a pas de graphique",
        "le format svg sert aux documents qui en ont un (rapport tendance, rapport "
        "feuille-de-route)",
    )


FORMATS: dict[str, Format] = {
    "markdown": Format(
        "markdown",
        "commentaire de merge request, borné par --max-octets",
        _markdown,
    ),
    "csv": Format(
        "csv",
        "une table : --table, --csv",
        _csv,
        single_table=True,
    ),
    "json": Format("json", "versionné", _json),
    "html": Format("html", "une page autonome", _html),
    "xlsx": Format("xlsx", "une feuille par table, avec --sortie", _xlsx, binary=True),
    "svg": Format("svg", "le graphique : rapports tendance et feuille-de-route", _svg),
}


def render(
    document: Document, format_name: str, options: RenderOptions | None = None
) -> str | bytes:
    """Write the document in the named format."""
    try:
        chosen = FORMATS[format_name]
    except KeyError:
        choices = ", ".join(FORMATS)
        raise UnknownNameError(f"format inconnu : {format_name}", f"formats : {choices}") from None
    return chosen.write(document, options or RenderOptions())

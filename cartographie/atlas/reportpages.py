"""Report pages whose applications are named late: made once with ids, names filled in.

A report's page shows every reference by its name, linked to its page. Most reports read an
application's name only there, as the label of its reference (``ReportSpec.
names_of_applications=False``): their figures and their order never depend on names. The atlas
makes such a report's HTML *without* the names — each application reference is written as its
id, with a placeholder for its link (:func:`blind_fragment`) — keeps that fragment beside the
atlas (``.atlas-rapports/<rapport>.fragment``, with the digest of what the report reads), and
fills the names and links in (:func:`fill_names`). Renaming an application then redoes no
report: the next run fills the new name into the fragment it kept.

The placeholder starts with a NUL character: an inventory's text can never write one into HTML
(:func:`cartographie.document.text.visible` shows control characters as ``\\x00``), so a name
cannot pose as a placeholder. What :func:`fill_names` writes is what
:func:`cartographie.document.htmlpage.to_html_fragment` writes for a reference with its name:
the page is the same as if it had been made with the names.
"""

from __future__ import annotations

import dataclasses
import html
import re
from collections.abc import Callable

from cartographie.document import Document, Ref
from cartographie.document.htmlpage import escape, to_html_fragment
from cartographie.document.model import Block, Section, Table
from cartographie.model.inventory import Inventory

FRAGMENTS = ".atlas-rapports"
FRAGMENT_SUFFIX = ".fragment"
_PLACEHOLDER = "\x00"
_SLOT = re.compile('<a href="\x00([^"]*)">([^<]*)</a>')


class _Blinder:
    """Labels a document's application references by their ids: one new reference per
    application (a report names an application in many rows), and a column's cells left as
    they are when it holds no reference at all (most do not: their types tell)."""

    def __init__(self) -> None:
        self._blinded: dict[str, Ref] = {}

    def cell(self, value: object) -> object:
        if isinstance(value, Ref) and value.kind == "application":
            found = self._blinded.get(value)
            if found is None:
                found = self._blinded[value] = Ref("application", value.id)
            return found
        if isinstance(value, tuple):
            return tuple(self.cell(item) for item in value)
        return value

    def column(self, values: tuple[object, ...]) -> tuple[object, ...]:
        if not any(issubclass(kind, Ref | tuple) for kind in set(map(type, values))):
            return values
        return tuple(self.cell(value) for value in values)

    def block(self, block: Block) -> Block:
        if isinstance(block, Table):
            if len({len(row) for row in block.rows}) != 1:  # no rows (or rows of a bad table)
                rows = tuple(tuple(self.cell(value) for value in row) for row in block.rows)
            else:
                columns = [self.column(column) for column in zip(*block.rows, strict=True)]
                rows = tuple(zip(*columns, strict=True))
            return dataclasses.replace(block, rows=rows)  # type: ignore[arg-type]
        if isinstance(block, Section):
            return dataclasses.replace(
                block, blocks=tuple(self.block(item) for item in block.blocks)
            )
        return block


def blind_document(document: Document) -> Document:
    """The document with every application reference labelled by its id."""
    blinder = _Blinder()
    return dataclasses.replace(
        document, blocks=tuple(blinder.block(block) for block in document.blocks)
    )


def blind_fragment(document: Document, link: Callable[[Ref], str | None]) -> str:
    """The report's HTML with a placeholder for each application's link and name."""

    def links(reference: Ref) -> str | None:
        if reference.kind == "application":
            return _PLACEHOLDER + reference.id
        return link(reference)

    return to_html_fragment(blind_document(document), links)


def fill_names(fragment: str, inventory: Inventory, page_of: Callable[[str], str]) -> str:
    """The fragment with each application's name, linked to ``page_of(id)``."""
    names: dict[str, str] = {}

    def slot(match: re.Match[str]) -> str:
        found = names.get(match[1])
        if found is None:
            app_id = html.unescape(match[1])
            application = inventory.applications.get(app_id)
            name = application.name if application is not None else app_id
            title = f' title="{escape(app_id)}"' if name != app_id else ""
            found = names[match[1]] = (
                f'<a href="{html.escape(page_of(app_id))}"{title}>{escape(name)}</a>'
            )
        return found

    return _SLOT.sub(slot, fragment)


__all__ = ["FRAGMENTS", "FRAGMENT_SUFFIX", "blind_document", "blind_fragment", "fill_names"]

"""A report table in HTML writes each distinct cell once (``table_to_html``'s memo): two cells
that look alike but are different objects must still link to their own pages."""

from __future__ import annotations

from cartographie.document import Column, Ref, make_table
from cartographie.document.htmlpage import table_to_html


def test_a_commune_and_a_zone_sharing_an_id_link_to_their_own_pages() -> None:
    # The same id and label, two kinds: one link each, not the first one's twice.
    table = make_table(
        "lieux",
        "Lieux",
        (Column("lieu", "Lieu", "reference"),),
        [(Ref("commune", "centre", "Centre"),), (Ref("zone", "centre", "Centre"),)],
    )
    html = table_to_html(table, links=lambda ref: f"{ref.kind}s/{ref}.html")
    assert 'href="communes/centre.html"' in html
    assert 'href="zones/centre.html"' in html


def test_a_repeated_reference_is_written_the_same_each_time() -> None:
    table = make_table(
        "lieux",
        "Lieux",
        (Column("lieu", "Lieu", "reference"),),
        [(Ref("commune", "centre", "Centre"),)] * 3,
    )
    html = table_to_html(table, links=lambda ref: f"{ref.kind}s/{ref}.html")
    assert html.count('<a href="communes/centre.html" title="centre">Centre</a>') == 3

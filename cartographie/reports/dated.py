"""How a document says that it shows the portfolio at a date (``--date``, DESIGN.md §11).

One place for the words: a parameter « Patrimoine au 1er janvier 2028 » first, and a note that
the figures were rebuilt from the inventory's dates and that costs are today's (they have no
history). Reports that read the dates themselves (the roadmap, the trend from dates) say their
own dates instead.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from cartographie.document import Document
from cartographie.model.dates import french_moment

PARAMETER = "Patrimoine au"
NOTE = (
    "Patrimoine reconstitué à partir des dates de l'inventaire (mise en service, retrait, "
    "adhésions, vagues des chantiers) ; les coûts, quand le document en montre, sont ceux "
    "d'aujourd'hui : ils n'ont pas d'histoire."
)


def at_date(document: Document, moment: dt.date | None) -> Document:
    """The document saying it stands at ``moment`` (unchanged when there is none)."""
    if moment is None:
        return document
    return dataclasses.replace(
        document,
        parameters=((PARAMETER, french_moment(moment)), *document.parameters),
        notes=(*document.notes, NOTE),
    )

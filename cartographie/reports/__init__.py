"""Reports: analyses turned into documents.

``registry`` lists the reports — the ``rapport`` commands, their options and the atlas's report
pages are generated from it — and one module per report turns the analysis's dataclasses into a
:class:`~cartographie.document.Document` (tables with typed columns and references, through
``refs``). ``stats``, ``validation`` and ``cache`` are the documents of the commands of the same
names. Writing them in any format is :mod:`cartographie.document`'s business; nothing here
prints or imports the CLI toolkits.
"""

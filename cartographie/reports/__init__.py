"""Reports: analyses turned into tables, and tables written in every format.

``registry`` lists the reports (and is the atlas's entry point), ``table`` holds the neutral
structure every report is built into, ``formats`` writes it as markdown, CSV, JSON, HTML, XLSX or
SVG. One module per report turns the analysis's dataclasses into tables. Nothing here prints or
imports the CLI toolkits: the CLI renders the terminal table from the same structure.
"""

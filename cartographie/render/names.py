"""The names of the renderer's choices: engines and output formats (what ``--moteur`` and
``--format`` offer). Apart from :mod:`.engines` so that building the command line, which lists
them, does not load the engines."""

from __future__ import annotations

from typing import Literal

EngineName = Literal["auto", "systeme", "embarque"]
ENGINE_NAMES: tuple[EngineName, ...] = ("auto", "systeme", "embarque")
OutputFormat = Literal["svg", "png", "pdf", "dot"]
OUTPUT_FORMATS: tuple[OutputFormat, ...] = ("svg", "png", "pdf", "dot")

"""The export formats, apart from the exporters (the command line lists them without importing
the renderers)."""

from __future__ import annotations

from typing import Literal

Format = Literal["svg", "html", "txt", "png"]
FORMATS: tuple[Format, ...] = ("svg", "html", "txt", "png")

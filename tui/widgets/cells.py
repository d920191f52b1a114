"""Which cells of a text widget changed, so a refresh repaints those and not the whole widget.

Textual sends a refreshed widget's whole region to the terminal; a region refresh
(``Widget.refresh(region)``) sends only that region. Comparing the old and new text line by
line, character and style, gives the span of cells that differ on each line.
"""

from __future__ import annotations

from typing import Any

from rich.cells import cell_len
from rich.console import Console, RenderableType
from rich.text import Text
from textual.geometry import Region
from textual.widget import Widget


def _styled(line: Text) -> list[tuple[str, str]]:
    """Each character with the styles applied to it (as one comparable string)."""
    styles: list[list[str]] = [[] for _ in line.plain]
    for span in line.spans:
        for index in range(max(0, span.start), min(len(styles), span.end)):
            styles[index].append(str(span.style))
    return [(char, "|".join(style)) for char, style in zip(line.plain, styles, strict=True)]


def changed_regions(old: Text | None, new: Text, width: int) -> list[Region] | None:
    """Regions (content coordinates) where ``new`` differs from ``old``; None means all of it.

    Lines are ``\\n``-separated. When a line's length in cells changes, everything from the
    first difference to the right edge (``width``) is repainted.
    """
    if old is None or str(old.style) != str(new.style):
        return None
    old_lines, new_lines = old.split("\n"), new.split("\n")
    if len(old_lines) != len(new_lines):
        return None
    regions = []
    for y, (before, after) in enumerate(zip(old_lines, new_lines, strict=True)):
        a, b = _styled(before), _styled(after)
        if a == b:
            continue
        prefix = 0
        while prefix < min(len(a), len(b)) and a[prefix] == b[prefix]:
            prefix += 1
        start = cell_len(after.plain[:prefix])
        end = width
        if cell_len(before.plain) == cell_len(after.plain):
            suffix = 0
            while suffix < min(len(a), len(b)) - prefix and a[-1 - suffix] == b[-1 - suffix]:
                suffix += 1
            end = cell_len(after.plain[:len(b) - suffix])
        if end > start:
            regions.append(Region(start, y, end - start, 1))
    return regions


class CellText(Widget):
    """Shows one renderable; a new one repaints only the cells that differ from the last."""

    def __init__(self, renderable: RenderableType = "", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._renderable = renderable
        self._lines: Text | None = None

    @property
    def content(self) -> RenderableType:
        """The renderable last shown."""
        return self._renderable

    def render(self) -> RenderableType:
        """The renderable last shown."""
        return self._renderable

    def show(self, renderable: RenderableType) -> None:
        """Show ``renderable``; nothing is sent when it looks the same as before."""
        if isinstance(renderable, Text) and renderable == self._renderable:
            return
        width = self.content_size.width
        lines = as_lines(self.app.console, renderable, width) if width else None
        regions = None if lines is None else changed_regions(self._lines, lines, width)
        width_rule = self.styles.width
        if (width_rule is not None and width_rule.is_auto and lines is not None
                and self._lines is not None and lines.cell_len != self._lines.cell_len):
            regions = None  # an auto-width widget changes size: lay it out again
        self._renderable, self._lines = renderable, lines
        if regions is None:
            self.refresh(layout=True)
        elif regions:
            self.refresh(*regions)


def as_lines(console: Console, renderable: RenderableType, width: int) -> Text:
    """``renderable`` rendered at ``width`` as styled text, one line per row."""
    if isinstance(renderable, str):
        renderable = Text(renderable)
    if isinstance(renderable, Text) and "\n" not in renderable.plain:
        return renderable
    rows = console.render_lines(renderable, console.options.update(width=width, height=None),
                                pad=False)
    lines = []
    for row in rows:
        line = Text()
        for segment in row:
            if not segment.control:
                line.append(segment.text, segment.style)
        lines.append(line)
    return Text("\n").join(lines)

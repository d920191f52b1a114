"""Widgets drawn once per change, whose changes repaint only the cells that differ.

Textual re-renders a widget's whole renderable whenever any part of it is refreshed, and sends
the widget's whole region unless told which cells changed (a box's whole area when its border
subtitle changes). A ``LineCache`` widget renders its
renderable once when its data changes (exactly as Textual would: ``visualize`` then
``Visual.to_strips``), keeps the lines (Textual's Line API serves them from there), compares
them with the lines shown before and refreshes only the cells that differ. Nothing is rendered
again until the data, the size or the styles change.
"""

from __future__ import annotations

from typing import Any, Self

from rich.console import RenderableType
from rich.text import Text
from textual.containers import Vertical
from textual.geometry import Region, Size
from textual.strip import Strip
from textual.visual import Visual, visualize
from textual.widget import Widget


def _cells(strip: Strip) -> list[tuple[str, Any]]:
    """Each character of a line with its style."""
    cells: list[tuple[str, Any]] = []
    for segment in strip:
        if segment.control:
            continue
        for char in segment.text:
            cells.append((char, segment.style))
    return cells


def changed_cells(old: Strip, new: Strip) -> tuple[int, int] | None:
    """The span of cells (start, end) where ``new`` differs from ``old``; None when equal."""
    if old == new:
        return None
    a, b = _cells(old), _cells(new)
    prefix = 0
    while prefix < min(len(a), len(b)) and a[prefix] == b[prefix]:
        prefix += 1
    suffix = 0
    while suffix < min(len(a), len(b)) - prefix and a[-1 - suffix] == b[-1 - suffix]:
        suffix += 1
    start = Text("".join(char for char, _ in b[:prefix])).cell_len
    end = max(new.cell_length, old.cell_length) - Text(
        "".join(char for char, _ in b[len(b) - suffix:])).cell_len
    return (start, end) if end > start else None


def changed_regions(old: list[Strip], new: list[Strip]) -> list[Region]:
    """Regions (content coordinates) of the cells that differ, line by line."""
    regions = []
    for y, (before, after) in enumerate(zip(old, new, strict=False)):
        span = changed_cells(before, after)
        if span is not None:
            regions.append(Region(span[0], y, span[1] - span[0], 1))
    longest = max(len(old), len(new))
    width = max((strip.cell_length for strip in (*old, *new)), default=0)
    for y in range(min(len(old), len(new)), longest):
        regions.append(Region(0, y, width, 1))
    return regions


class LineCache(Widget):
    """A widget whose ``render()`` runs once per change; ``repaint_changes`` after the data
    changed refreshes only the cells that look different."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._strips: list[Strip] | None = None
        self._drawn: Size | None = None

    def _draw(self) -> list[Strip]:
        width, height = self.size
        visual = visualize(self, self.render(), markup=False)
        strips = Visual.to_strips(self, visual, width, height, self.visual_style)
        self._drawn = self.size
        return strips

    def refresh(self, *regions: Region, repaint: bool = True, layout: bool = False,
                recompose: bool = False) -> Self:
        """Textual's refresh; a whole repaint (styles, size, theme) draws the lines again."""
        if repaint and not regions:
            self._strips = None
        super().refresh(*regions, repaint=repaint, layout=layout, recompose=recompose)
        return self

    def repaint_changes(self) -> None:
        """Draw the new lines and refresh the cells that differ from those shown."""
        old = self._strips
        if old is None or not self.display or self._drawn != self.size or not self.size:
            self.refresh()
            return
        new = self._draw()
        self._strips = new
        regions = changed_regions(old, new)
        if regions:
            self.refresh(*regions)

    def render_line(self, y: int) -> Strip:
        """A line of the last drawing (drawn now if the size or styles changed since)."""
        if self._strips is None or self._drawn != self.size:
            self._strips = self._draw()
        if y < len(self._strips):
            return self._strips[y]
        return Strip.blank(self.size.width, self.visual_style.rich_style)


class CellText(LineCache):
    """Shows one renderable; a new one repaints only the cells that differ from the last."""

    def __init__(self, renderable: RenderableType = "", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._renderable = renderable

    @property
    def content(self) -> RenderableType:
        """The renderable last shown."""
        return self._renderable

    def render(self) -> RenderableType:
        """The renderable last shown."""
        return self._renderable

    def show(self, renderable: RenderableType) -> None:
        """Show ``renderable``; nothing is sent when it looks the same as before."""
        old, self._renderable = self._renderable, renderable
        if isinstance(renderable, Text) and renderable == old:
            return
        if not self.display:  # hidden: drawn when shown
            self._strips = None
            return
        width_rule = self.styles.width
        if width_rule is not None and width_rule.is_auto and _cell_len(old) != _cell_len(
                renderable):
            self.refresh(layout=True)  # an auto-width widget changes size: lay it out again
            return
        self.repaint_changes()


def _cell_len(renderable: RenderableType) -> int | None:
    """Cells of one line of text (None for anything else: always laid out again)."""
    if isinstance(renderable, str):
        return Text(renderable).cell_len
    if isinstance(renderable, Text):
        return renderable.cell_len
    return None


class TitledBox(Vertical):
    """A bordered panel whose title or subtitle changes repaint only their border row (a plain
    ``border_subtitle`` change repaints the whole box and everything in it)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._edge: int | None = None

    def set_titles(self, title: str | None, subtitle: str | None) -> None:
        """Change what differs; each change repaints its border row only."""
        if self.border_title != title:
            self._edge = 0
            try:
                self.border_title = title
            finally:
                self._edge = None
        if self.border_subtitle != subtitle:
            self._edge = -1
            try:
                self.border_subtitle = subtitle
            finally:
                self._edge = None

    def refresh(self, *regions: Region, repaint: bool = True, layout: bool = False,
                recompose: bool = False) -> Self:
        """Textual's refresh; a title change narrows it to the border row."""
        outer = self.outer_size
        if self._edge is not None and not regions and not layout and outer:
            offset = self.content_offset
            row = 0 if self._edge == 0 else outer.height - 1
            regions = (Region(-offset.x, row - offset.y, outer.width, 1),)
        return super().refresh(*regions, repaint=repaint, layout=layout, recompose=recompose)

"""A compositor whose partial updates render only the widgets under the changed cells.

Textual 8's ``Compositor.render_partial_update`` asks every visible widget whose clip touches the
box around all changed regions to render all of its lines, then sends only the changed spans.
Our screens are a grid of small widgets (one per column or value), so one frame with the clock
in the header and a quote further down rendered about 53 widgets to send 6 cells: about a third
of the CPU a tick cost. Here a partial update renders a widget only where a changed region
overlaps it, and only the rows that changed (across its full visible width, because Textual cuts
a line only at widget edges). What is sent is byte for byte what Textual sends
(tests/tui/test_dirty_compositor.py compares the two on the running app).

Textual has no public hook for this: the screen's compositor is replaced in each screen's
``__init__`` (``install``), and the subclass overrides two private methods. If a Textual release
renames them, ``install`` leaves the screen's own compositor in place.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from textual._compositor import ChopsUpdate, Compositor
from textual.geometry import Region
from textual.screen import Screen
from textual.strip import Strip

#: What the subclass relies on; without them the stock compositor stays.
_HOOKS = ("render_partial_update", "_get_renders", "_dirty_regions", "visible_widgets")


class DirtyOnlyCompositor(Compositor):
    """Textual's compositor, rendering for a partial update only the rows of the widgets that
    lie under a changed region."""

    def __init__(self) -> None:
        super().__init__()
        self._partial: list[Region] | None = None

    def render_partial_update(self) -> ChopsUpdate | None:
        """Textual's partial update, with the changed regions kept for ``_get_renders``."""
        self._partial = list(self._dirty_regions)
        try:
            return super().render_partial_update()
        finally:
            self._partial = None

    def _get_renders(
        self, crop: Region | None = None
    ) -> Iterable[tuple[Region, Region, list[Strip]]]:
        """Each widget under a changed region, front to back: its region, the rows of it to
        draw (as the clip) and those rows rendered. Other updates render as Textual does."""
        dirty = self._partial
        if not dirty or crop is None:
            yield from super()._get_renders(crop)
            return
        crop_overlaps = crop.overlaps
        for widget, (region, clip) in self.visible_widgets.items():
            if not crop_overlaps(clip):
                continue
            visible = region.intersection(clip)
            left, top, width, height = visible
            if not width or not height or not crop_overlaps(visible):
                continue
            right, bottom = left + width, top + height
            first, last = bottom, top
            for x, y, cells, lines in dirty:
                if x < right and x + cells > left and y < bottom and y + lines > top:
                    first = min(first, max(y, top))
                    last = max(last, min(y + lines, bottom))
            if first >= last:
                continue
            rows = Region(left, first, width, last - first)
            yield region, rows, widget.render_lines(
                Region(left - region.x, first - region.y, width, last - first))


def install(screen: Screen[Any]) -> None:
    """Give ``screen`` a ``DirtyOnlyCompositor`` (call from its ``__init__``, before it is
    laid out); a Textual without the hooks keeps its own."""
    compositor = DirtyOnlyCompositor()
    if hasattr(screen, "_compositor") and all(hasattr(compositor, hook) for hook in _HOOKS):
        screen._compositor = compositor

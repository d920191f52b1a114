"""A compositor whose partial updates render only the widget rows a changed cell needs.

Textual 8's ``Compositor.render_partial_update`` asks every visible widget whose clip touches the
box around all changed regions to render all of its lines, then sends only the changed spans.
Our screens are a grid of small widgets (one per column or value) inside a few containers, so
one frame with the clock in the header and a quote further down rendered about 53 widgets, and
the screen itself across 20 rows, to send 6 cells.

What a partial update sends is a set of *chops* (the pieces of a line between two widget edges)
that touch the changed spans; each chop comes from the front-most widget covering it. Here the
widgets are visited front to back, as Textual does, and a widget renders a row only while that
row still has a chop to fill inside the widget: the ones in front usually fill them all, so the
containers behind them render nothing.

What is sent is then cut down to what the terminal does not already show: only the cells that
differ from the compositor's copy of the terminal (tui/screen_shadow.py), each style as a change
from the one before (tui/sgr_delta.py), and none of Textual's empty cursor moves or line feeds.
tests/tui/test_dirty_compositor.py paints ours and Textual's output into a model terminal after
every update of the running app and compares the cells.

Textual has no public hook for this: the screen's compositor is replaced in each screen's
``__init__`` (``install``), and the subclass overrides one private method and reads Textual's
``cuts``, ``visible_widgets`` and ``_regions_to_spans``. If a Textual release renames them,
``install`` leaves the screen's own compositor in place.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable
from itertools import pairwise
from typing import Any

from neodymium.tui.screen_shadow import ScreenShadow, cells_of
from neodymium.tui.sgr_delta import SgrWriter, color_system_of
from rich.color import ColorSystem
from rich.console import Console, RenderableType
from textual._compositor import ChopsUpdate, Compositor, LayoutUpdate
from textual.geometry import Region
from textual.screen import Screen
from textual.strip import Strip
from textual.widget import Widget

#: What the subclass relies on; without them the stock compositor stays.
_HOOKS = ("render_partial_update", "_dirty_regions", "_regions_to_spans", "visible_widgets",
          "cuts")

Chops = list[dict[int, Strip | None]]


def _wanted_chops(cuts: list[list[int]],
                  spans: list[tuple[int, int, int]]) -> dict[int, set[int]]:
    """For each line with a span, the chops (by their left cut) that overlap the span.
    Textual also draws the chop that starts where a span ends, which ``ChopsUpdate`` turns into
    a cursor move followed by nothing: left empty, it is not sent."""
    wanted: dict[int, set[int]] = {}
    for y, x1, x2 in spans:
        line = cuts[y]
        chops = wanted.setdefault(y, set())
        for x, end in pairwise(line):
            if x < x2 and end > x1:
                chops.add(x)
    return wanted


#: Rows a widget may skip between two rows it renders and still render them in one call: a
#: call's fixed cost (the widget's colours, region and filters looked up again) is more than
#: a few rows' lines, which come from the widget's cache of lines when they did not change.
JOIN_GAP = 2


def _groups(rows: list[int]) -> list[list[int]]:
    """Sorted rows in groups, each row at most ``JOIN_GAP`` rows after the one before it."""
    groups: list[list[int]] = []
    for y in rows:
        if groups and y - groups[-1][-1] <= JOIN_GAP + 1:
            groups[-1].append(y)
        else:
            groups.append([y])
    return groups


class DirtyOnlyCompositor(Compositor):
    """Textual's compositor, rendering for a partial update only the widget rows that hold a
    chop the update sends and no widget in front of them has already drawn."""

    def __init__(self) -> None:
        super().__init__()
        #: What this screen last sent to the terminal, cell by cell.
        self.shadow = ScreenShadow()

    def render_update(self, full: bool = False, screen_stack: list[Screen[Any]] | None = None,
                      simplify: bool = False) -> RenderableType | None:
        """Textual's update, full when what the terminal shows is not known (the screen was
        covered since its last full update), since a partial one sends only differences."""
        if not full and self._dirty_regions:
            width, height = self.size
            full = not self.shadow.trusted(width, height, self._generation())
        return super().render_update(full=full, screen_stack=screen_stack, simplify=simplify)

    def render_partial_update(self) -> ChopsUpdate | None:
        """Textual's partial update: the changed spans and the chops that cover them, sent as
        the cells that differ from what the terminal shows."""
        regions = self._dirty_regions.copy()
        self._dirty_regions.clear()
        if not regions:
            return None
        spans = list(self._regions_to_spans(regions))
        cuts = self.cuts
        chops = self._render_wanted(cuts, spans)
        return ChangesOnlyChopsUpdate(chops, spans, [line[1:] for line in cuts], self.shadow)

    def render_full_update(self, simplify: bool = False) -> LayoutUpdate:
        """Textual's full update, written with style changes only; the copy of the terminal
        starts again from it. A simplified one is for an export and leaves the copy alone."""
        update = super().render_full_update(simplify=simplify)
        if simplify:
            return update
        self.shadow.reset(*self.size, self._generation())
        return ChangesOnlyLayoutUpdate(update.strips, update.region, self.shadow)

    def _generation(self) -> tuple[int, int]:
        """How many times the screen has been suspended or resumed (Textual's count), and
        the app has come back from Ctrl+Z (which clears the terminal)."""
        root = self.root
        if root is None:
            return (0, 0)
        return (int(getattr(root, "stack_updates", 0)),
                int(getattr(root.app, "terminal_resumes", 0)))

    def _render_wanted(self, cuts: list[list[int]], spans: list[tuple[int, int, int]]) -> Chops:
        """Fill the wanted chops front to back, rendering each widget only on the rows where
        it covers a chop still empty."""
        chops: Chops = [dict.fromkeys(line[:-1]) for line in cuts]
        wanted = _wanted_chops(cuts, spans)
        lines = sorted(wanted)
        for widget, (region, clip) in self.visible_widgets.items():
            if not lines:
                break
            left, top, width, height = region.intersection(clip)
            if not width or not height:
                continue
            right = left + width
            rows = [y for y in lines[bisect_left(lines, top):bisect_left(lines, top + height)]
                    if _covers(wanted[y], left, right)]
            for group in _groups(rows):
                first = group[0]
                strips = self._render_rows(
                    widget, Region(left - region.x, first - region.y, width,
                                   group[-1] + 1 - first))
                for y in group:
                    if y - first >= len(strips):
                        break
                    strip = strips[y - first]
                    empty = wanted[y]
                    _fill(chops[y], cuts[y], left, right, strip, empty)
                    if not empty:
                        del wanted[y]
                        lines.remove(y)
        return chops

    def _render_rows(self, widget: Widget, rows: Region) -> list[Strip]:
        """``rows`` of ``widget`` (in its own coordinates), rendered."""
        return widget.render_lines(rows)


class _SentOnce:
    """An update rendered once through ``SgrWriter``: what it sends moves the compositor's
    copy of the terminal on, so a second render returns the same text."""

    shadow: ScreenShadow
    _sent: str | None = None

    def render_segments(self, console: Console) -> str:
        """The update as terminal output, painting what Textual's would."""
        if self._sent is None:
            color_system = color_system_of(console)
            writer = SgrWriter(color_system)
            self._send(writer, color_system)
            self._sent = writer.finish()
        return self._sent

    def _send(self, writer: SgrWriter, color_system: ColorSystem) -> None:
        raise NotImplementedError


class ChangesOnlyChopsUpdate(_SentOnce, ChopsUpdate):
    """Textual's partial update, sending of each chop only the cells that differ from what the
    terminal shows (``ScreenShadow``), each style change once (``SgrWriter``), and no line feed
    between lines."""

    def __init__(self, chops: Chops, spans: list[tuple[int, int, int]],
                 chop_ends: list[list[int]], shadow: ScreenShadow) -> None:
        super().__init__(chops, spans, chop_ends)
        self.shadow = shadow

    def _send(self, writer: SgrWriter, color_system: ColorSystem) -> None:
        chops, chop_ends = self.chops, self.chop_ends
        for y, x1, x2 in self.spans:
            for end, (x, strip) in zip(chop_ends[y], chops[y].items(), strict=False):
                if strip is None or x > x2 or end <= x1:
                    continue
                if not (x2 > x >= x1 and end <= x2):
                    strip = strip.crop(0, min(end, x2) - x)
                self.shadow.write_changes(writer, x, y, cells_of(strip, color_system))


class ChangesOnlyLayoutUpdate(_SentOnce, LayoutUpdate):
    """Textual's full update, sent through ``SgrWriter`` with a cursor move on every line; the
    copy of the terminal becomes what it sends."""

    def __init__(self, strips: list[Iterable[Strip]], region: Region,
                 shadow: ScreenShadow) -> None:
        super().__init__(strips, region)
        self.shadow = shadow

    def _send(self, writer: SgrWriter, color_system: ColorSystem) -> None:
        x = self.region.x
        for y, line in enumerate(self.strips, self.region.y):
            strips = list(line)
            writer.move_to(x, y)
            for strip in strips:
                writer.write(strip)
            self.shadow.record_line(y, x, strips, color_system)


def _covers(cuts: set[int], left: int, right: int) -> bool:
    """Whether one of ``cuts`` lies in ``[left, right)``."""
    for cut in cuts:  # noqa: SIM110 (a loop: any() over a generator costs more, per widget)
        if left <= cut < right:
            return True
    return False


def _fill(line: dict[int, Strip | None], cuts: list[int], left: int, right: int, strip: Strip,
          empty: set[int]) -> None:
    """Cut ``strip`` (a widget's row from ``left`` to ``right``) at the line's cuts into the
    chops not yet drawn, as Textual's ``_render_chops`` does; ``empty`` loses what is drawn."""
    inside = [cut for cut in cuts if left <= cut <= right]
    pieces = strip.divide([cut - left for cut in inside[1:]])
    for cut, piece in zip(inside, pieces, strict=False):  # the right edge starts no piece
        if line.get(cut) is None:
            line[cut] = piece
            empty.discard(cut)


def install(screen: Screen[Any]) -> None:
    """Give ``screen`` a ``DirtyOnlyCompositor`` (call from its ``__init__``, before it is
    laid out); a Textual without the hooks keeps its own."""
    compositor = DirtyOnlyCompositor()
    if hasattr(screen, "_compositor") and all(hasattr(compositor, hook) for hook in _HOOKS):
        screen._compositor = compositor

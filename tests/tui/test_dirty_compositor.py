"""The screens' compositor paints what Textual's would, rendering and sending only what changed.

Each update of the running demo (ticks of the clock, quotes of the primary and of the
comparison, a watchlist cursor move, the help screen opened and closed, a resize) is sent by
``DirtyOnlyCompositor`` as the app sends it, and by Textual's own compositor, each into a model
of a terminal (tests/tui/terminal_model.py). After each update both terminals must show the same
cells; ours must have rendered far fewer widget rows and sent under half the bytes.
"""

from __future__ import annotations

import pytest
from neodymium.providers.clock import FrozenClock
from neodymium.tui.app import AppOptions, NeodymiumApp
from neodymium.tui.dirty_compositor import JOIN_GAP, DirtyOnlyCompositor, _groups
from neodymium.tui.screens import watch
from neodymium.tui.screens.watch import WatchScreen
from textual._compositor import ChopsUpdate, Compositor, CompositorUpdate, LayoutUpdate
from textual.geometry import Region, Size
from textual.screen import Screen
from textual.strip import Strip
from textual.widget import Widget

from tests.tui.conftest import FROZEN
from tests.tui.terminal_model import Terminal
from tests.tui.test_repaint_bytes import SIZE, _settled
from tests.tui.test_tick_bytes import (
    ONE,
    PRIMARY,
    batch,
    later_quote,
    watching,
)


class Checked(DirtyOnlyCompositor):
    """Sends each update as the app would (rendered at once, so the copy of the terminal moves
    on in the same order) and keeps, next to what it sent, what Textual's own compositor sends
    for the same update."""

    def __init__(self) -> None:
        super().__init__()
        #: For each update: what ours sent, what Textual's full update of that moment sends,
        #: what Textual's partial update would have sent ("" for a full update), the size.
        self.sent: list[tuple[str, str, str, Size]] = []
        #: (widget rows ours rendered, widget rows Textual's rendered) for each partial update.
        self.counts: list[tuple[int, int]] = []
        self._rendered = 0

    def render_partial_update(self) -> CompositorUpdate | None:
        regions = set(self._dirty_regions)
        self._rendered = 0
        ours = super().render_partial_update()
        ours_rows, self._rendered = self._rendered, 0
        if ours is None or not isinstance(ours, ChopsUpdate):
            return ours
        self._dirty_regions.update(regions)
        stock = Compositor.render_partial_update(self)
        assert stock is not None
        self.counts.append((ours_rows, self._rendered))
        self._keep(ours, stock)
        return ours

    def render_full_update(self, simplify: bool = False) -> LayoutUpdate:
        ours = super().render_full_update(simplify=simplify)
        if not simplify:
            self._keep(ours, None)
        return ours

    def _keep(self, ours: CompositorUpdate, stock: ChopsUpdate | None) -> None:
        console = self.root.app.console
        self.sent.append((ours.render_segments(console),
                          Compositor.render_full_update(self).render_segments(console),
                          "" if stock is None else stock.render_segments(console), self.size))

    def _render_rows(self, widget: Widget, rows: Region) -> list[Strip]:
        self._rendered += rows.height
        return super()._render_rows(widget, rows)

    def _get_renders(self, crop=None):  # type: ignore[no-untyped-def]
        """Textual's renders (ours never calls this), counted in widget rows."""
        for region, clip, strips in super()._get_renders(crop):
            self._rendered += region.intersection(clip).height
            yield region, clip, strips


@pytest.fixture(autouse=True)
def _terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """Truecolour, as bench_pty's terminal."""
    monkeypatch.setenv("TERM", "xterm-256color")
    monkeypatch.setenv("COLORTERM", "truecolor")
    monkeypatch.delenv("NO_COLOR", raising=False)


def test_the_watch_screen_gets_the_compositor() -> None:
    assert isinstance(WatchScreen()._compositor, DirtyOnlyCompositor)
    assert not isinstance(Screen()._compositor, DirtyOnlyCompositor)


async def test_the_terminal_always_shows_what_textual_would_paint_from_fewer_bytes_and_rows(
        monkeypatch: pytest.MonkeyPatch) -> None:
    checked = Checked()

    def install(screen: Screen[None]) -> None:
        screen._compositor = checked

    monkeypatch.setattr(watch, "install_compositor", install)
    clock = FrozenClock(FROZEN)
    app = NeodymiumApp(watching(6), options=AppOptions(demo=True, seed=7), clock=clock)
    covered_at = -1
    async with app.run_test(size=SIZE) as pilot:
        await _settled(app, pilot)
        settled = len(checked.sent)
        for key in (None, ONE, PRIMARY, ONE, None, PRIMARY):
            clock.advance(1)
            if key is not None:
                await app.feed.apply_quotes(batch(later_quote(app, key)))
            app.tick_clock()
            await pilot.pause()
            await pilot.pause()
        await pilot.press("tab", "down", "down")
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        covered_at = len(checked.sent)
        await pilot.press("escape")
        await pilot.pause()
        clock.advance(1)
        await app.feed.apply_quotes(batch(later_quote(app, PRIMARY)))
        app.tick_clock()
        await pilot.pause()
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        clock.advance(1)
        await app.feed.apply_quotes(batch(later_quote(app, ONE)))
        app.tick_clock()
        await pilot.pause()
        await pilot.pause()
    assert len(checked.sent) - settled >= 10, checked.sent
    ours_terminal, textuals_terminal = Terminal(*SIZE), Terminal(*SIZE)
    for index, (ours, full, partial, size) in enumerate(checked.sent):
        if index == covered_at:  # the help screen drew over everything while it was up
            cover = "".join(f"\x1b[{y + 1};1H" + "#" * SIZE[0] for y in range(SIZE[1]))
            ours_terminal.feed(cover)
            textuals_terminal.feed(cover)
        ours_terminal.feed(ours)
        textuals_terminal.feed(partial or full)
        shown = [row[:size.width] for row in ours_terminal.rows()[:size.height]]
        expected = [row[:size.width] for row in textuals_terminal.rows()[:size.height]]
        assert shown == expected, (index, ours)
    assert checked.sent[covered_at][2] == "", "after the help screen, a full update"
    ticks = [(ours, partial) for ours, _, partial, _ in checked.sent[settled:covered_at]
             if partial]
    assert len(ticks) >= 8, checked.sent[settled:covered_at]
    # Only the cells that changed, each style change once: under half of Textual's bytes.
    assert sum(len(ours) for ours, _ in ticks) * 2 < sum(len(partial) for _, partial in ticks)
    # Never more widget rows than Textual renders, and over these frames (a cursor move and a
    # resize among them) at most a quarter; a tick of the clock alone renders its one row
    # where Textual renders every widget across the box around the changes.
    assert all(ours <= stock for ours, stock in checked.counts), repr(checked.counts)
    ours_total = sum(ours for ours, _ in checked.counts)
    stock_total = sum(stock for _, stock in checked.counts)
    assert ours_total * 4 < stock_total, repr(checked.counts)
    assert min(ours for ours, _ in checked.counts) == 1, repr(checked.counts)


def test_rows_a_few_apart_are_rendered_in_one_call() -> None:
    """Each call to render a widget's rows pays for its colours, region and filters again."""
    assert JOIN_GAP == 2
    assert _groups([]) == []
    assert _groups([2, 3, 5, 8, 12]) == [[2, 3, 5, 8], [12]]
    assert _groups([0, 4]) == [[0], [4]]

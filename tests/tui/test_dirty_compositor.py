"""The screens' compositor sends exactly what Textual's would, rendering only what changed.

Each partial update of the running demo (ticks of the clock, quotes of the primary and of the
comparison, a watchlist cursor move, a resize) is rendered twice on the same state: by
``DirtyOnlyCompositor`` and by Textual's own ``Compositor.render_partial_update``. The bytes
must be identical; the widget rows rendered to get them far fewer.
"""

from __future__ import annotations

import pytest
from neodymium.providers.clock import FrozenClock
from neodymium.tui.app import AppOptions, NeodymiumApp
from neodymium.tui.dirty_compositor import DirtyOnlyCompositor
from neodymium.tui.screens import watch
from neodymium.tui.screens.watch import WatchScreen
from textual._compositor import ChopsUpdate, Compositor
from textual.geometry import Region
from textual.screen import Screen
from textual.strip import Strip
from textual.widget import Widget

from tests.tui.conftest import FROZEN
from tests.tui.test_repaint_bytes import SIZE, _settled
from tests.tui.test_tick_bytes import (
    EMPTY_MOVE,
    ONE,
    PRIMARY,
    batch,
    later_quote,
    watching,
)


class Checked(DirtyOnlyCompositor):
    """Renders each partial update both ways and keeps what each sent and rendered."""

    def __init__(self) -> None:
        super().__init__()
        #: (ours, Textual's) partial updates, rendered to bytes by the test.
        self.pairs: list[tuple[ChopsUpdate, ChopsUpdate]] = []
        #: (widget rows ours rendered, widget rows Textual's rendered) for each partial update.
        self.counts: list[tuple[int, int]] = []
        self._rendered = 0

    def render_partial_update(self) -> ChopsUpdate | None:
        regions = set(self._dirty_regions)
        self._rendered = 0
        ours = super().render_partial_update()
        ours_rows, self._rendered = self._rendered, 0
        self._dirty_regions.update(regions)
        stock = Compositor.render_partial_update(self)
        if ours is not None and stock is not None:
            self.pairs.append((ours, stock))
            self.counts.append((ours_rows, self._rendered))
        return ours

    def _render_rows(self, widget: Widget, rows: Region) -> list[Strip]:
        self._rendered += rows.height
        return super()._render_rows(widget, rows)

    def _get_renders(self, crop=None):  # type: ignore[no-untyped-def]
        """Textual's renders (ours never calls this), counted in widget rows."""
        for region, clip, strips in super()._get_renders(crop):
            self._rendered += region.intersection(clip).height
            yield region, clip, strips


def without_empty_moves(sent: str) -> str:
    """``sent`` less its cursor moves that draw nothing (Textual's partial update moves to the
    start of the chop just right of a span and sends none of it; ours leaves that chop out)."""
    return EMPTY_MOVE.sub("", sent)


@pytest.fixture(autouse=True)
def _terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """Truecolour, as bench_pty's terminal."""
    monkeypatch.setenv("TERM", "xterm-256color")
    monkeypatch.setenv("COLORTERM", "truecolor")
    monkeypatch.delenv("NO_COLOR", raising=False)


def test_the_watch_screen_gets_the_compositor() -> None:
    assert isinstance(WatchScreen()._compositor, DirtyOnlyCompositor)
    assert not isinstance(Screen()._compositor, DirtyOnlyCompositor)


async def test_every_partial_update_sends_what_textual_would_rendering_fewer_rows(
        monkeypatch: pytest.MonkeyPatch) -> None:
    checked = Checked()

    def install(screen: Screen[None]) -> None:
        screen._compositor = checked

    monkeypatch.setattr(watch, "install_compositor", install)
    clock = FrozenClock(FROZEN)
    app = NeodymiumApp(watching(6), options=AppOptions(demo=True, seed=7), clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await _settled(app, pilot)
        checked.pairs.clear()
        checked.counts.clear()
        for key in (None, ONE, PRIMARY, ONE, None, PRIMARY):
            clock.advance(1)
            if key is not None:
                await app.feed.apply_quotes(batch(later_quote(app, key)))
            app.tick_clock()
            await pilot.pause()
            await pilot.pause()
        await pilot.press("tab", "down", "down")
        await pilot.pause()
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        clock.advance(1)
        await app.feed.apply_quotes(batch(later_quote(app, ONE)))
        app.tick_clock()
        await pilot.pause()
        await pilot.pause()
    assert len(checked.pairs) >= 8, checked.pairs
    ours_sent = [ours.render_segments(app.console) for ours, _ in checked.pairs]
    stock_sent = [stock.render_segments(app.console) for _, stock in checked.pairs]
    assert ours_sent == [without_empty_moves(sent) for sent in stock_sent]
    # Never more widget rows than Textual renders, and over these frames (a cursor move and a
    # resize among them) at most a quarter; a tick of the clock alone renders its one row
    # where Textual renders every widget across the box around the changes.
    assert all(ours <= stock for ours, stock in checked.counts), repr(checked.counts)
    ours_total = sum(ours for ours, _ in checked.counts)
    stock_total = sum(stock for _, stock in checked.counts)
    assert ours_total * 4 < stock_total, repr(checked.counts)
    assert min(ours for ours, _ in checked.counts) == 1, repr(checked.counts)

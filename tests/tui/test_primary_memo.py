"""A snapshot that did not move the primary keeps its panels, and they equal a rebuild.

The app builds each view with a memo of the primary's quote, gauge, valuation and book
(``build_screen(primary_memo=...)``); each test checks the memo's view against one built
from scratch, across snapshots that move another symbol, the primary, and the settings.
"""

from __future__ import annotations

from datetime import timedelta

from neodymium.providers.clock import FrozenClock
from neodymium.tui.app import AppOptions, NeodymiumApp
from neodymium.tui.row_memo import RowMemo
from neodymium.tui.view import PrimaryPanels, ScreenView, build_screen

from tests.tui.conftest import FROZEN
from tests.tui.test_repaint_bytes import SIZE, _settled
from tests.tui.test_tick_bytes import ONE, PRIMARY, batch, later_quote, watching


def _both(app: NeodymiumApp, memo: RowMemo[PrimaryPanels]) -> tuple[ScreenView, ScreenView]:
    """The app's snapshot built with ``memo`` and from scratch, a second after it."""
    now = app.clock() + timedelta(seconds=1)
    kept = build_screen(app.snapshot, app.settings, now, True, primary_memo=memo)
    return kept, build_screen(app.snapshot, app.settings, now, True)


def _same(kept: ScreenView, scratch: ScreenView) -> None:
    assert kept == scratch
    mine, theirs = kept.quote.freshness, scratch.quote.freshness
    assert (mine.label, mine.age_s, mine.stamp) == (theirs.label, theirs.age_s, theirs.stamp)


async def test_the_primary_panels_are_kept_until_the_primary_moves() -> None:
    clock = FrozenClock(FROZEN)
    app = NeodymiumApp(watching(6), options=AppOptions(demo=True, seed=7), clock=clock)
    memo: RowMemo[PrimaryPanels] = RowMemo()
    async with app.run_test(size=SIZE) as pilot:
        await _settled(app, pilot)
        first, scratch = _both(app, memo)
        _same(first, scratch)
        # Another symbol moves: the primary's panels are the same objects, its age moves.
        clock.advance(5)
        await app.feed.apply_quotes(batch(later_quote(app, ONE)))
        await pilot.pause()
        other, scratch = _both(app, memo)
        _same(other, scratch)
        assert (other.gauge, other.valuation, other.book) == (first.gauge, first.valuation,
                                                              first.book)
        assert other.gauge is first.gauge and other.book is first.book
        assert other.quote.freshness.label != first.quote.freshness.label  # 5 s older
        # The primary moves: its panels are built again.
        clock.advance(1)
        await app.feed.apply_quotes(batch(later_quote(app, PRIMARY)))
        await pilot.pause()
        moved, scratch = _both(app, memo)
        _same(moved, scratch)
        assert moved.quote.last != first.quote.last and moved.gauge is not first.gauge
        # Other settings (units): built again for them.
        display = app.settings.display.model_copy(update={"units": "intl"})
        app.settings = app.settings.model_copy(update={"display": display})
        units, scratch = _both(app, memo)
        _same(units, scratch)
        assert units.quote.rows != moved.quote.rows


async def test_the_same_quote_polled_again_keeps_the_primary_panels() -> None:
    """A poll that brings the primary's quote unchanged (a new receipt time on its state)
    keeps its panels: only the freshness, which is the header's, ages."""
    clock = FrozenClock(FROZEN)
    app = NeodymiumApp(watching(6), options=AppOptions(demo=True, seed=7), clock=clock)
    memo: RowMemo[PrimaryPanels] = RowMemo()
    async with app.run_test(size=SIZE) as pilot:
        await _settled(app, pilot)
        assert app.snapshot is not None
        before = app.snapshot.quotes[PRIMARY]
        first, scratch = _both(app, memo)
        _same(first, scratch)
        clock.advance(2)
        await app.feed.apply_quotes(batch(before.quote))  # the same quote, received again
        await pilot.pause()
        after = app.snapshot.quotes[PRIMARY]
        assert after is not before and after.received_at > before.received_at
        again, scratch = _both(app, memo)
        _same(again, scratch)
        assert again.gauge is first.gauge and again.valuation is first.valuation
        assert again.book is first.book

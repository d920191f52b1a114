"""The quote panel's tick flash ends with a redraw (the clock's second or a snapshot), never
in a frame of its own.

The flash is timed on ``quote_panel.monotonic``, which each test swaps for a fake clock; the
app's clock is a FrozenClock the test moves, and the test calls the one-second tick
(``tick_clock``) itself: the app's own timer is never started.
"""

from __future__ import annotations

import pytest
from neodymium.providers.clock import FrozenClock
from neodymium.tui.app import AppOptions, NeodymiumApp
from neodymium.tui.widgets import quote_panel
from neodymium.tui.widgets.quote_panel import FLASH_MIN_SECONDS, QuotePanel, tinted_parts
from textual.widgets import Digits

from benchmarks.repaint_bytes import RepaintCounter
from tests.tui.conftest import FROZEN
from tests.tui.test_repaint_bytes import SIZE, _settled
from tests.tui.test_tick_bytes import ONE, PRIMARY, batch, later_quote, watching


class FakeMonotonic:
    """A monotonic clock the test moves."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def monotonic(monkeypatch: pytest.MonkeyPatch) -> FakeMonotonic:
    fake = FakeMonotonic()
    monkeypatch.setattr(quote_panel, "monotonic", fake)
    return fake


def _app(clock: FrozenClock) -> NeodymiumApp:
    app = NeodymiumApp(watching(6), options=AppOptions(demo=True, seed=7), clock=clock)
    app._to_next_second = lambda: 3600.0  # type: ignore[method-assign]  # the test ticks
    return app


async def _primary_ticks(app: NeodymiumApp, pilot, clock: FrozenClock) -> str:
    """A new primary quote lands a little into a second; the direction it moved."""
    before = app.view.quote.last_value
    quote = later_quote(app, PRIMARY)
    clock.advance(0.3)
    await app.feed.apply_quotes(batch(quote))
    await pilot.pause()
    assert app.view.quote.last_value == quote.last != before
    return "up" if quote.last > before else "down"


BIG_PARTS = ("last-whole", "last-decimals", "last-digit")


def tinted(panel: QuotePanel, tint: object) -> set[str]:
    """The parts of the big price whose background is ``tint``."""
    return {part for part in BIG_PARTS
            if panel.query_one(f"#{part}", Digits).styles.background == tint}


def changed_parts(before: str, after: str) -> set[str]:
    """The ids of the parts of the big price a move between two prices' texts tints."""
    return {BIG_PARTS[index] for index in tinted_parts(before, after)}


async def _primary_flashes(app: NeodymiumApp, pilot, clock: FrozenClock,
                           panel: QuotePanel) -> tuple[str, object, set[str]]:
    """A primary tick; its direction, that direction's tint and the parts it should tint."""
    before = app.view.quote.last
    direction = await _primary_ticks(app, pilot, clock)
    tint = panel.get_component_styles(f"quote-panel--tick-{direction}").background
    return direction, tint, changed_parts(before, app.view.quote.last)


@pytest.mark.parametrize(("before", "after", "tinted"), [
    ("16.95", "16.96", (2,)), ("16.95", "16.85", (1,)), ("16.99", "17.00", (1, 2)),
    ("16.95", "17.95", (0,)), ("1.234", "1.244", (1,)), ("1805", "1806", (0,)),
])
def test_a_move_tints_the_decimals_it_changed_or_else_the_whole_part(
        before: str, after: str, tinted: tuple[int, ...]) -> None:
    assert tinted_parts(before, after) == tinted


async def test_the_flash_tints_only_the_decimals_the_tick_changed(
        monotonic: FakeMonotonic) -> None:
    clock = FrozenClock(FROZEN)
    app = _app(clock)
    async with app.run_test(size=SIZE) as pilot:
        await _settled(app, pilot)
        panel = app.query_one(QuotePanel)
        moves = []
        for _ in range(6):  # several ticks: some move only the last decimal, some more
            _, tint, changed = await _primary_flashes(app, pilot, clock, panel)
            assert changed and tinted(panel, tint) == changed
            moves.append(frozenset(changed))
            monotonic.now += 1.0
            clock.advance(0.7)
            app.tick_clock()
            assert panel.flash is None and tinted(panel, tint) == set()
        assert frozenset({"last-digit"}) in moves  # the common case was seen


async def test_the_flash_shows_at_least_half_a_second_and_ends_on_the_clock_tick(
        monotonic: FakeMonotonic) -> None:
    clock = FrozenClock(FROZEN)
    app = _app(clock)
    async with app.run_test(size=SIZE) as pilot:
        await _settled(app, pilot)
        panel = app.query_one(QuotePanel)
        timers = {timer.name for timer in app._timers}
        direction, tint, changed = await _primary_flashes(app, pilot, clock, panel)
        assert panel.flash == direction and tinted(panel, tint) == changed
        assert {timer.name for timer in app._timers} == timers  # no timer of its own
        # A clock second 0.2 s after the tick: too soon, the flash stays to the next one.
        monotonic.now += FLASH_MIN_SECONDS - 0.3
        clock.advance(0.71)
        app.tick_clock()
        assert panel.flash == direction and tinted(panel, tint) == changed
        # The next second: shown for 1.2 s, it ends with the clock's redraw.
        monotonic.now += 1.0
        clock.advance(1.0)
        app.tick_clock()
        assert panel.flash is None
        assert tinted(panel, tint) == set()


async def test_the_flash_ending_costs_no_frame_of_its_own(monotonic: FakeMonotonic) -> None:
    clock = FrozenClock(FROZEN)
    app = _app(clock)
    async with app.run_test(size=SIZE) as pilot:
        await _settled(app, pilot)
        panel = app.query_one(QuotePanel)
        await _primary_ticks(app, pilot, clock)
        counter = RepaintCounter(app)
        monotonic.now += 10.0  # long past the flash's shortest time, with no clock second
        for _ in range(3):
            await pilot.pause()
        assert panel.flash is not None and counter.frames == []
        clock.advance(1.0)
        app.tick_clock()  # the clock's second: one frame, the flash's end in it
        for _ in range(3):
            await pilot.pause()
        counter.close()
        assert panel.flash is None
        assert len(counter.frames) == 1


async def test_a_new_tick_restarts_the_flash(monotonic: FakeMonotonic) -> None:
    clock = FrozenClock(FROZEN)
    app = _app(clock)
    async with app.run_test(size=SIZE) as pilot:
        await _settled(app, pilot)
        panel = app.query_one(QuotePanel)
        await _primary_ticks(app, pilot, clock)
        monotonic.now += 0.9
        clock.advance(0.7)
        direction = await _primary_ticks(app, pilot, clock)  # 0.9 s on: a second move
        monotonic.now += 0.2
        clock.advance(1.0)
        app.tick_clock()  # 1.1 s after the first move, 0.2 s after the second
        assert panel.flash == direction  # the new move shows its own half second


async def test_a_snapshot_of_another_symbol_ends_the_flash_in_its_frame(
        monotonic: FakeMonotonic) -> None:
    clock = FrozenClock(FROZEN)
    app = _app(clock)
    async with app.run_test(size=SIZE) as pilot:
        await _settled(app, pilot)
        panel = app.query_one(QuotePanel)
        await _primary_ticks(app, pilot, clock)
        monotonic.now += 0.6
        clock.advance(0.1)
        app.tick_clock()  # the second the snapshot drew already: no frame, the flash stays
        await pilot.pause()
        assert panel.flash is not None
        counter = RepaintCounter(app)
        await app.feed.apply_quotes(batch(later_quote(app, ONE)))
        for _ in range(3):
            await pilot.pause()
        counter.close()
        assert panel.flash is None
        assert len(counter.frames) == 1  # the snapshot's own frame carries the flash's end


#: The frame that ends a flash on the last decimal alone, with the clock's second: the clock's
#: digit (~45 B, test_repaint_bytes) and the big digit's three rows of three cells untinted.
#: Measured 96 B at 160x48 in truecolour (86 B before the demo's open gap changed which tick
#: moves the last decimal alone: the digit drawn and the clock's digits vary with it). While
#: both decimals were one widget, both were tinted and resent (six cells a row) whichever moved.
FLASH_END_BYTES = 105


async def test_ending_a_flash_on_the_last_decimal_resends_only_that_digit(
        monotonic: FakeMonotonic, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TERM", "xterm-256color")
    monkeypatch.setenv("COLORTERM", "truecolor")
    monkeypatch.delenv("NO_COLOR", raising=False)
    clock = FrozenClock(FROZEN)
    app = _app(clock)
    async with app.run_test(size=SIZE) as pilot:
        await _settled(app, pilot)
        panel = app.query_one(QuotePanel)
        for _ in range(12):
            if (await _primary_flashes(app, pilot, clock, panel))[2] == {"last-digit"}:
                break
            monotonic.now += 1.0
            clock.advance(0.7)
            app.tick_clock()
            await pilot.pause()
        else:
            pytest.fail("no tick moved the last decimal alone")
        await pilot.pause()
        counter = RepaintCounter(app)
        monotonic.now += 1.0
        clock.advance(1.0)
        app.tick_clock()
        for _ in range(3):
            await pilot.pause()
        counter.close()
        assert panel.flash is None
        assert 0 < counter.total <= FLASH_END_BYTES, counter.frames

"""Bytes sent to the terminal per second, counted exactly (frozen clock, seeded demo).

The pty benchmark (benchmarks/bench_pty.py) measures the real thing over time; these pin what
is deterministic: a second in which only the clock moves repaints the clock's cells and the
ages, and a redraw with nothing new sends nothing.
"""

from __future__ import annotations

import re
from datetime import datetime

import pytest
from neodymium.providers.clock import FrozenClock
from neodymium.tui.app import NeodymiumApp

from benchmarks.repaint_bytes import RepaintCounter
from tests.tui.conftest import FROZEN, make_app
from tests.tui.test_trust import SHANGHAI, settings_for

SIZE = (160, 48)
#: The clock's last digit, with a cursor move and its colours: measured 45 B at 160x48 (48 B
#: while the seconds' two digits were sent; 114 to 250 B while the hours and minutes were
#: resent and the header and quote panel each showed a ticking "Ns ago"; a fresh quote now
#: shows its time, which moves with quotes, not seconds). A bare Textual label costs ~70 B; the
#: issue's goal for a whole tick is 300.
CLOCK_SECOND_BYTES = 50
#: A cursor move or a colour.
CONTROL = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


@pytest.fixture(autouse=True)
def _terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """The benchmark's terminal (bench_pty): the byte counts depend on the colour system."""
    monkeypatch.setenv("TERM", "xterm-256color")
    monkeypatch.setenv("COLORTERM", "truecolor")
    monkeypatch.delenv("NO_COLOR", raising=False)


async def _settled(app, pilot) -> None:
    """Data loaded, no polls on the real clock (the test moves time), and no frame pending."""
    await app.data_ready.wait()
    app.feed.scheduler.pause()
    await app.feed.refresh_now()  # a poll already under way when the scheduler paused ends here
    quiet = RepaintCounter(app)
    for _ in range(20):
        quiet.reset()
        await pilot.pause()
        await pilot.pause()
        if not quiet.frames:
            break
    quiet.close()


async def test_a_clock_second_repaints_only_what_time_moves() -> None:
    clock = FrozenClock(FROZEN)
    app = make_app(clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await _settled(app, pilot)
        clock.advance(1)  # the first second after start-up settles the layout
        app.tick_clock()
        await pilot.pause()
        before = app.view
        counter = RepaintCounter(app, keep=True)
        clock.advance(1)
        app.tick_clock()
        await pilot.pause()
        counter.close()
        assert app.view.header.clock != before.header.clock  # the second did move
        drawn = "".join(counter.texts)
        # 10:30:01 became 10:30:02: the one character that changed, nothing around it.
        assert CONTROL.sub("", drawn) == "2", drawn
        assert "ago" not in drawn  # a fresh quote's time did not move
        assert app.view.comparison == before.comparison
        assert 0 < counter.total <= CLOCK_SECOND_BYTES, counter.frames


async def test_a_redraw_with_nothing_new_sends_nothing() -> None:
    app = make_app(clock=FrozenClock(FROZEN))
    async with app.run_test(size=SIZE) as pilot:
        await _settled(app, pilot)
        counter = RepaintCounter(app)
        app.redraw()
        app.tick_clock()
        await pilot.pause()
        counter.close()
        assert counter.total == 0, counter.frames


async def test_the_counter_sees_a_real_change() -> None:
    clock = FrozenClock(FROZEN)
    app = make_app(clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await _settled(app, pilot)
        counter = RepaintCounter(app)
        for _ in range(5):
            clock.advance(1)
            await app.feed.poll_quotes()
            await pilot.pause()
        counter.close()
        assert counter.total > CLOCK_SECOND_BYTES  # prices moved: more than the clock


async def test_in_a_trading_session_a_second_sends_the_seconds_and_the_countdown(
        fake_upstream) -> None:
    fake_upstream.scenario.set("time:600111.SS", "20260821100000")
    clock = FrozenClock(datetime(2026, 8, 21, 10, 0, 2, tzinfo=SHANGHAI))
    app = NeodymiumApp(settings_for(fake_upstream, ["600111.SS"]), clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await _settled(app, pilot)
        # This second's frame is written out (as to a terminal), so the compositor knows
        # what the header shows and the next second sends only the cells that differ.
        written = RepaintCounter(app)
        clock.advance(1)
        app.tick_clock()
        await pilot.pause()
        written.close()
        assert app.view.header.session.startswith("Trading · lunch in ")
        counter = RepaintCounter(app, keep=True)
        clock.advance(1)
        app.tick_clock()
        await pilot.pause()
        counter.close()
        drawn = "".join(counter.texts)
        assert "Trading" not in drawn and "10:00" not in drawn and "ago" not in drawn
        # 10:00:03 became 10:00:04 and the lunch countdown 1:29:57 became 1:29:56: the
        # seconds' digit and the countdown's, nothing between them (measured 58 B;
        # 99 B when each was a widget of its own, sent from its edge).
        assert CONTROL.sub("", drawn) == "46", drawn
        assert 0 < counter.total <= 2 * CLOCK_SECOND_BYTES, counter.texts

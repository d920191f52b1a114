"""The one-second clock: started on a whole second of the app's clock, one timer a second."""

from __future__ import annotations

from datetime import timedelta

import pytest
from neodymium.providers.clock import FrozenClock
from neodymium.tui.app import CLOCK_LAG_S

from tests.tui.conftest import FROZEN, make_app
from tests.tui.test_repaint_bytes import _settled


@pytest.mark.parametrize("offset_ms", [0, 250, 999])
def test_the_clock_starts_on_the_next_whole_second(offset_ms: int) -> None:
    app = make_app(clock=FrozenClock(FROZEN + timedelta(milliseconds=offset_ms)))
    wait = app._to_next_second()
    assert wait == pytest.approx(1.0 - offset_ms / 1000 + CLOCK_LAG_S)
    assert (FROZEN + timedelta(milliseconds=offset_ms, seconds=wait)).microsecond \
        == pytest.approx(CLOCK_LAG_S * 1e6, abs=1)  # lands just after the second turned


async def test_one_timer_ticks_each_second_once_aligned(monkeypatch) -> None:
    app = make_app()
    monkeypatch.setattr(app, "_to_next_second", lambda: 3600.0)  # the test starts it
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        names = [timer.name for timer in app._timers]
        assert "second-align" in names and "second" not in names
        app._start_seconds()
        await pilot.pause()
        names = [timer.name for timer in app._timers]
        assert names.count("second") == 1



async def test_a_second_drawn_with_its_snapshot_is_not_drawn_again_by_the_clock() -> None:
    clock = FrozenClock(FROZEN)
    app = make_app(clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await _settled(app, pilot)
        clock.now = FROZEN + timedelta(seconds=1, milliseconds=2)
        await app.feed.poll_quotes()  # the demo's poll on the whole second
        await pilot.pause()
        drawn = app.view
        clock.now = FROZEN + timedelta(seconds=1, milliseconds=10)
        app.tick_clock()  # the clock's tick in the same second: nothing new to show
        assert app.view is drawn
        clock.now = FROZEN + timedelta(seconds=2, milliseconds=10)
        app.tick_clock()  # the next second, with no snapshot yet: the clock moves
        assert app.view is not drawn
        assert app.view.header.clock != drawn.header.clock

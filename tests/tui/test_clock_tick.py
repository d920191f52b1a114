"""The one-second clock: started on a whole second of the app's clock, one timer a second."""

from __future__ import annotations

from datetime import timedelta

import pytest
from neodymium.providers.clock import FrozenClock
from neodymium.tui.app import CLOCK_LAG_S

from tests.tui.conftest import FROZEN, make_app


@pytest.mark.parametrize("offset_ms", [0, 250, 999])
def test_the_clock_starts_on_the_next_whole_second(offset_ms: int) -> None:
    app = make_app(clock=FrozenClock(FROZEN + timedelta(milliseconds=offset_ms)))
    wait = app._to_next_second()
    assert wait == pytest.approx(1.0 - offset_ms / 1000 + CLOCK_LAG_S)
    assert (FROZEN + timedelta(milliseconds=offset_ms, seconds=wait)).microsecond \
        == pytest.approx(CLOCK_LAG_S * 1e6, abs=1)  # lands just after the second turned


async def test_one_timer_ticks_each_second_once_aligned() -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        names = [timer.name for timer in app._timers]
        assert "second-align" in names and "second" not in names
        app._start_seconds()
        await pilot.pause()
        names = [timer.name for timer in app._timers]
        assert names.count("second") == 1


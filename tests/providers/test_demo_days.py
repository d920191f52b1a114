"""The demo's 五日: past sessions follow the daily bars and join up; opens gap like the bars."""

from __future__ import annotations

import statistics
from datetime import date, datetime, timedelta
from itertools import pairwise

import httpx
import pytest
from neodymium.providers.clock import FrozenClock
from neodymium.providers.demo import DemoProvider
from neodymium.providers.demo.bars import daily_bars
from neodymium.providers.demo.instruments import SHANGHAI, previous_session
from neodymium.providers.demo.minute import demo_days
from neodymium.providers.demo.past_sessions import past_session
from neodymium.providers.demo.provider import DemoOptions
from neodymium.providers.symbols import parse_symbol

PRIMARY = parse_symbol("600111.SS")


def demo(at: datetime, seed: int = 7) -> DemoProvider:
    return DemoProvider(httpx.AsyncClient(), DemoOptions(seed=seed), FrozenClock(at))


@pytest.mark.parametrize("now", [
    datetime(2026, 12, 4, 14, 30, tzinfo=SHANGHAI),  # Friday afternoon: today and four before
    datetime(2026, 12, 5, 11, 0, tzinfo=SHANGHAI),   # Saturday: Friday and four before
])
def test_five_sessions_join_up_and_each_past_one_ends_at_its_close(now: datetime) -> None:
    """Each past session ends at its daily bar's close and the next starts from it (before,
    every day walked from the anchored 50.46 and the chart jumped at each boundary)."""
    provider = demo(now)
    sessions = demo_days(provider, PRIMARY, now)
    bars = {bar.day: bar for bar in daily_bars(7, PRIMARY, previous_session(now.date()))}
    assert len(sessions) == 5
    assert [s.day for s in sessions] == sorted({s.day for s in sessions})
    for before, after in pairwise(sessions):
        assert before.bars[-1].price == bars[before.day].close
        assert after.prev_close == before.bars[-1].price
        assert before.bars[0].at.time().isoformat() == "09:30:00"
        assert before.bars[-1].at.time().isoformat() == "15:00:00"
    latest = sessions[-1]
    assert latest.bars[-1].price == provider.quote_at(PRIMARY, now).last


def test_a_past_session_keeps_to_its_limit_band_and_its_average_is_a_vwap() -> None:
    bars = daily_bars(3, PRIMARY, date(2026, 12, 3))
    for index in (-1, -2, -3):
        line = past_session(3, PRIMARY, bars, index)
        prev = bars[index - 1].close
        assert all(prev * 0.9 - 0.01 <= m.price <= prev * 1.1 + 0.01 for m in line.bars)
        volume = sum(m.volume for m in line.bars)
        vwap = sum(m.price * m.volume for m in line.bars) / volume
        assert line.bars[-1].avg_price == pytest.approx(vwap, abs=0.001)
    with pytest.raises(ValueError, match="bar before"):
        past_session(3, PRIMARY, bars, 0)


def test_the_open_gaps_like_the_daily_bars() -> None:
    """A night's walk before the auction opened the demo 2-6 % away from the previous close
    (median 2.4 %); the bars' opens are within 1 % mostly. Now the open is the overnight gap."""
    gaps = []
    for seed in range(3):
        provider = demo(datetime(2026, 11, 2, 10, tzinfo=SHANGHAI), seed)
        for offset in range(28):
            day = date(2026, 11, 2) + timedelta(days=offset)
            if day.weekday() < 5:
                quote = provider.quote_at(PRIMARY, datetime(day.year, day.month, day.day, 10,
                                                            tzinfo=SHANGHAI))
                assert quote.open is not None and quote.prev_close is not None
                gaps.append(abs(quote.open / quote.prev_close - 1) * 100)
    assert statistics.median(gaps) < 1.5

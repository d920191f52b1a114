"""Where ``--demo`` starts its clock: at the wall's time inside an A-share session, else an
hour before the last close or lunch break, where its 分时 line and its quote agree."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
import pytest
from neodymium.providers.clock import FrozenClock
from neodymium.providers.demo import DemoProvider
from neodymium.providers.demo.instruments import SHANGHAI
from neodymium.providers.demo.minute import demo_minutes, demo_start
from neodymium.providers.demo.provider import DemoOptions
from neodymium.providers.symbols import parse_symbol


def shanghai(day: int, hour: int, minute: int) -> datetime:
    """A moment in December 2026 (the 4th is a Friday, the 7th a Monday), Shanghai time."""
    return datetime(2026, 12, day, hour, minute, tzinfo=SHANGHAI)


@pytest.mark.parametrize("now", [shanghai(4, 9, 30), shanghai(4, 11, 29), shanghai(4, 13, 0),
                                 shanghai(4, 14, 59)])
def test_inside_a_session_the_demo_runs_at_the_wall_time(now: datetime) -> None:
    assert demo_start(now) is None


@pytest.mark.parametrize(("now", "start"), [
    (shanghai(4, 16, 35), shanghai(4, 14, 0)),   # after the close: the afternoon's last hour
    (shanghai(4, 15, 0), shanghai(4, 14, 0)),    # the closing minute is no longer trading
    (shanghai(4, 12, 10), shanghai(4, 10, 30)),  # lunch: the morning's last hour
    (shanghai(4, 9, 0), shanghai(3, 14, 0)),     # before the open: the day before's
    (shanghai(7, 8, 0), shanghai(4, 14, 0)),     # Monday morning: Friday's
    (shanghai(5, 20, 0), shanghai(4, 14, 0)),    # Saturday: Friday's
    (datetime(2026, 12, 4, 8, 35, tzinfo=UTC), shanghai(4, 14, 0)),  # any zone: 16:35 there
])
def test_outside_the_sessions_it_starts_an_hour_before_the_last_close(
        now: datetime, start: datetime) -> None:
    assert demo_start(now) == start


def test_from_that_start_the_minute_line_ends_at_the_quote() -> None:
    """The defect this answers: at 16:35 the chart stopped at 15:00 while the quote moved on."""
    start = demo_start(shanghai(4, 16, 35))
    assert start is not None
    provider = DemoProvider(httpx.AsyncClient(), DemoOptions(seed=7), FrozenClock(start))
    symbol = parse_symbol("600111.SS")
    line = demo_minutes(provider, symbol, start)
    quote = provider.quote_at(symbol, start)
    assert line.bars[-1].at == start
    assert line.bars[-1].price == quote.last
    assert max(bar.price for bar in line.bars) <= (quote.high or 0.0)
    assert min(bar.price for bar in line.bars) >= (quote.low or 0.0)


@pytest.mark.parametrize("now", [shanghai(4, 17, 0), shanghai(5, 11, 0), shanghai(7, 9, 0)])
def test_after_the_close_the_line_and_the_quote_are_the_last_sessions(now: datetime) -> None:
    """Friday evening, Saturday and Monday before the auction: the 分时 line is Friday's whole
    session and ends at the price the quote shows then, Friday's close (nothing trades
    meanwhile)."""
    provider = DemoProvider(httpx.AsyncClient(), DemoOptions(seed=7), FrozenClock(now))
    symbol = parse_symbol("600111.SS")
    line = demo_minutes(provider, symbol, now)
    shown = provider.quote_at(symbol, now)
    assert shown.as_of == shanghai(4, 15, 0)
    assert line.day == shanghai(4, 0, 0).date()
    assert line.bars[-1].at == shanghai(4, 15, 0) and line.bars[0].at == shanghai(4, 9, 30)
    assert (line.bars[-1].price, line.prev_close) == (shown.last, shown.prev_close)

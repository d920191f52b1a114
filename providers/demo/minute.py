"""The demo's minute line, sampled from the same simulated session its quotes come from.

The simulation runs on the clock's time of day; its minute line shows the A-share sessions up
to now (09:30–11:30, 13:00–15:00 Shanghai), each minute's last price, volume and the running
average price, so the chart and the quote panel always agree.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from neodymium.providers.demo.bars import daily_bars
from neodymium.providers.demo.instruments import SHANGHAI, previous_session
from neodymium.providers.demo.past_sessions import past_session
from neodymium.providers.demo.provider import DemoProvider
from neodymium.providers.intraday import OPEN, Intraday, MinuteBar, minute_x
from neodymium.providers.models import Bar
from neodymium.providers.simulated_hours import AUCTION, SHANGHAI_SESSIONS, trading_day
from neodymium.providers.symbols import Symbol

#: How long before the last close or break the demo starts when the market is shut.
RUNWAY = timedelta(hours=1)
#: After a session's end its closing trade is in the published quote.
PUBLISHED = timedelta(seconds=1)


def demo_start(now: datetime) -> datetime | None:
    """Where the demo's clock starts when ``now`` falls outside the A-share sessions: an hour
    before the last close or lunch break (None inside a session: the demo runs at ``now``).

    The simulated market keeps the exchange's hours, so started at 16:35 it would show a
    closed market; an hour before the close it shows trading for an hour, then the close.
    """
    local = now.astimezone(SHANGHAI)
    if local.weekday() < 5 and any(start <= local.time() < end
                                   for start, end in SHANGHAI_SESSIONS):
        return None
    day = local.date()
    closes = [datetime.combine(session, end, SHANGHAI)
              for session in (previous_session(day), day) if session.weekday() < 5
              for _, end in SHANGHAI_SESSIONS]
    return max(close for close in closes if close <= local) - RUNWAY


def demo_minutes(provider: DemoProvider, symbol: Symbol, now: datetime) -> Intraday:
    """The latest simulated session's minute line up to ``now``: today's from its 09:25
    auction, before it (or on a weekend) the last session's, whole, as the quotes then show
    its close (raises SymbolNotFound like the quotes)."""
    local = now.astimezone(SHANGHAI)
    if not trading_day(local.date()) or local.time() < AUCTION:
        return past_session(provider.seed, symbol, history_before(provider, symbol, local), -1)
    day = local.date()
    bars: list[MinuteBar] = []
    # The day's volume counts from the 09:25 auction (providers/demo/intraday.py), so the first
    # minute gets what the auction matched, like the real first minute.
    prev_close = provider.quote_at(symbol, datetime.combine(day, OPEN, SHANGHAI)).prev_close
    previous_volume = 0.0
    for start, end in SHANGHAI_SESSIONS:
        moment = datetime.combine(day, start, SHANGHAI)
        if start != SHANGHAI_SESSIONS[0][0] and moment <= local:
            # Nor the lunch break's: the afternoon counts from a minute before it opens.
            baseline = provider.quote_at(symbol, moment - timedelta(minutes=1))
            previous_volume = baseline.volume or previous_volume
        stop = min(datetime.combine(day, end, SHANGHAI), local)
        while moment <= stop:
            # A session's last minute ends at its last trade (11:29:59, 15:00:00), which the
            # exchange publishes once the pause begins, a moment later.
            published = moment == stop and moment + PUBLISHED <= local
            sampled = moment + PUBLISHED if published else moment
            quote = provider.quote_at(symbol, sampled)
            if quote.last is not None and minute_x(moment.time()) is not None:
                volume = quote.volume or 0.0
                bars.append(MinuteBar(
                    at=moment, price=quote.last, volume=max(0.0, volume - previous_volume),
                    avg_price=quote.avg_price))
                previous_volume = volume
            moment += timedelta(minutes=1)
    return Intraday(symbol.key, day, "demo", prev_close, tuple(bars))


def demo_days(provider: DemoProvider, symbol: Symbol, now: datetime,
              days: int = 5) -> list[Intraday]:
    """The last ``days`` simulated sessions (today's up to ``now``), oldest first: the past ones
    follow the daily bars, so each ends at its close and the next starts from it."""
    local = now.astimezone(SHANGHAI)
    latest = demo_minutes(provider, symbol, local)
    bars = history_before(provider, symbol, local)
    done = [bar.day for bar in bars].index(latest.day) if latest.day <= bars[-1].day else len(bars)
    past = [past_session(provider.seed, symbol, bars, index)
            for index in range(max(1, done - days + 1), done)]
    return [*past, latest]


def history_before(provider: DemoProvider, symbol: Symbol, local: datetime) -> tuple[Bar, ...]:
    """The daily bars of the sessions before ``local``'s day (the quotes' history then)."""
    return daily_bars(provider.seed, symbol, previous_session(local.date()))

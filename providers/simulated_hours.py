"""The simulated market's hours: when the demo's exchanges trade, second by second.

The A-share day: the 09:25 opening auction, continuous trading 09:30–11:30 and 13:00–15:00
Shanghai (providers/intraday.py's session times); the US day 09:30–16:00 New York; weekdays
only (no exchange holidays: the demo's calendar is simpler than providers/calendar's). Between
trades the price holds. No I/O: the demo provider and the screen's header (which says why a
simulated price stands still) both read it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from neodymium.providers.intraday import (
    AFTERNOON_OPEN,
    CLOSE,
    MORNING_CLOSE,
    OPEN,
    SESSION_MINUTES,
)
from neodymium.providers.markets import Market

#: The A-share opening auction (Shanghai time); the sessions are providers/intraday.py's.
AUCTION = time(9, 25)
SHANGHAI_SESSIONS = ((OPEN, MORNING_CLOSE), (AFTERNOON_OPEN, CLOSE))


def second_of_day(at: time) -> int:
    """Seconds after midnight of a clock time (whole minutes)."""
    return at.hour * 3600 + at.minute * 60


#: Where an A-share day's figures start, in seconds after Shanghai midnight (the auction), and
#: the continuous trading that follows, over which the simulated volume adds up to an average
#: day's; the US open (09:30 New York) and its session.
AUCTION_SECOND, SESSION_SECONDS = second_of_day(AUCTION), SESSION_MINUTES * 60
#: Seconds in a (local) day.
DAY_SECONDS = 86_400
#: When nothing trades in an A-share day after the auction, in seconds after Shanghai
#: midnight: from the auction to the open, the lunch break, and from the close (its last trade
#: is 15:00:00's) to midnight.
BEFORE_OPEN = (AUCTION_SECOND + 1, second_of_day(OPEN))
LUNCH = (second_of_day(MORNING_CLOSE), second_of_day(AFTERNOON_OPEN))
AFTER_CLOSE = (second_of_day(CLOSE) + 1, DAY_SECONDS)
US_OPEN_SECOND, US_SESSION_SECONDS = second_of_day(time(9, 30)), 390 * 60
US_CLOSE = time(16, 0)
US_AFTER_CLOSE = (US_OPEN_SECOND + US_SESSION_SECONDS + 1, DAY_SECONDS)


@dataclass(frozen=True, slots=True)
class DaySchedule:
    """When a market's simulated day trades, in seconds after local midnight: nothing before
    ``open_second`` (the A-share auction, the US open: the day's figures start there), nor in
    ``breaks``; ``session_seconds`` of trading make an average day's volume."""

    open_second: int
    session_seconds: int
    breaks: tuple[tuple[int, int], ...]

    def last_trade(self, second: int) -> int | None:
        """The last second at or before ``second`` that traded (a pause holds its price from
        the second before it); None before the day's first trade."""
        if second < self.open_second:
            return None
        for start, end in self.breaks:
            if start <= second < end:
                return start - 1
        return second

    def trading(self, second: int) -> bool:
        """True when ``second`` is a second of trading."""
        return self.last_trade(second) == second


A_SHARE_DAY = DaySchedule(AUCTION_SECOND, SESSION_SECONDS, (BEFORE_OPEN, LUNCH, AFTER_CLOSE))
US_DAY = DaySchedule(US_OPEN_SECOND, US_SESSION_SECONDS, (US_AFTER_CLOSE,))


def schedule_for(market: Market) -> DaySchedule:
    """The simulated day of ``market``'s exchanges (A-shares, or the US)."""
    return A_SHARE_DAY if market is Market.CN else US_DAY


def trading_day(day: date) -> bool:
    """The demo's sessions are weekdays (no exchange holidays)."""
    return day.weekday() < 5


def pause_name(market: Market, local: datetime) -> str | None:
    """What ``market``'s simulated exchange is doing at ``local`` (its own time) when nothing
    trades ("pre-open", "auction matched", "lunch break", "closed", "weekend"); None while it
    trades."""
    if not trading_day(local.date()):
        return "weekend"
    schedule = schedule_for(market)
    second = local.hour * 3600 + local.minute * 60 + local.second
    if second < schedule.open_second:
        return "pre-open"
    if schedule.trading(second):
        return None
    if market is Market.CN and BEFORE_OPEN[0] <= second < BEFORE_OPEN[1]:
        return "auction matched"
    if market is Market.CN and LUNCH[0] <= second < LUNCH[1]:
        return "lunch break"
    return "closed"


def trading_seconds(second: int) -> int:
    """Seconds of A-share trading from the 09:25 auction to ``second`` after Shanghai midnight,
    the pauses (before the open, lunch, after the close) left out; 0 before the auction."""
    if second < AUCTION_SECOND:
        return 0
    return second - AUCTION_SECOND - sum(max(0, min(second, end) - start)
                                         for start, end in A_SHARE_DAY.breaks)

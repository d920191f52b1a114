"""The demo's instruments and calendar: profiles, time zones, price limits, weekday sessions."""

from __future__ import annotations

from datetime import date, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from zoneinfo import ZoneInfo

from neodymium.providers.demo.data import Profile
from neodymium.providers.demo.universe import lookup
from neodymium.providers.errors import SymbolNotFound
from neodymium.providers.intraday import (
    AFTERNOON_OPEN,
    CLOSE,
    MORNING_CLOSE,
    OPEN,
    SESSION_MINUTES,
)
from neodymium.providers.markets import zone
from neodymium.providers.symbols import Market, Symbol

SOURCE = "demo"
SHANGHAI = zone(Market.CN)

#: Daily bars per year: weekdays only.
SESSIONS_PER_YEAR = 263
#: Shares per lot; volumes are whole lots.
LOT = 100
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
#: When nothing trades in an A-share day, in seconds after Shanghai midnight: from the auction
#: to the open, and the lunch break.
BEFORE_OPEN = (AUCTION_SECOND + 1, second_of_day(OPEN))
LUNCH = (second_of_day(MORNING_CLOSE), second_of_day(AFTERNOON_OPEN))
US_OPEN_SECOND, US_SESSION_SECONDS = second_of_day(time(9, 30)), 390 * 60


def zone_for(symbol: Symbol) -> ZoneInfo:
    """The time zone whose date is "today" for ``symbol``."""
    return zone(symbol.market)


def profile_for(symbol: Symbol) -> Profile:
    """The demo's profile of ``symbol``; raises SymbolNotFound for anything outside its
    universe (the demo never invents prices, ρ or β for a symbol it does not know)."""
    profile = lookup(symbol.key)
    if profile is None:
        raise SymbolNotFound(SOURCE, symbol.key, f"{symbol.key} is not in the demo's universe "
                             "(the instruments of the shipped symbol list)")
    return profile


def price_limits(prev_close: float, profile: Profile) -> tuple[float | None, float | None]:
    """Limit-up and limit-down: previous close ± the limit, rounded half-up; None without."""
    if profile.limit_pct is None:
        return None, None
    return limit_band(prev_close, profile.limit_pct, profile.decimals)


def limit_band(prev_close: float, pct: float, decimals: int) -> tuple[float, float]:
    base, step = Decimal(str(prev_close)), Decimal(str(pct))
    quantum = Decimal(1).scaleb(-decimals)
    up = (base * (1 + step)).quantize(quantum, rounding=ROUND_HALF_UP)
    down = (base * (1 - step)).quantize(quantum, rounding=ROUND_HALF_UP)
    return float(up), float(down)



def previous_session(day: date) -> date:
    """The last weekday strictly before ``day``."""
    day -= timedelta(days=1)
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    return day


@lru_cache(maxsize=64)
def year_of_sessions(last: date) -> tuple[date, ...]:
    """SESSIONS_PER_YEAR weekdays ending at ``last`` (itself a weekday), oldest first."""
    days = [last]
    while len(days) < SESSIONS_PER_YEAR:
        days.append(previous_session(days[-1]))
    return tuple(reversed(days))


def trading_seconds(second: int) -> int:
    """Seconds of A-share trading from the 09:25 auction to ``second`` after Shanghai midnight,
    the pauses before the open and at lunch left out (before the auction: ``second`` itself,
    the night's)."""
    if second < AUCTION_SECOND:
        return second
    return second - AUCTION_SECOND - sum(max(0, min(second, end) - start)
                                         for start, end in (BEFORE_OPEN, LUNCH))

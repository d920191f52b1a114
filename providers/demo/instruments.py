"""The demo's instruments and calendar: profiles, time zones, price limits, weekday sessions."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from zoneinfo import ZoneInfo

from neodymium.providers.demo.data import Profile
from neodymium.providers.demo.universe import lookup
from neodymium.providers.errors import SymbolNotFound
from neodymium.providers.markets import zone
from neodymium.providers.symbols import Market, Symbol

SOURCE = "demo"
SHANGHAI = zone(Market.CN)

#: Daily bars per year: weekdays only.
SESSIONS_PER_YEAR = 263
#: Shares per lot; volumes are whole lots.
LOT = 100


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

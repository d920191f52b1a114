"""The demo's instruments and calendar: profiles, time zones, price limits, weekday sessions."""

from __future__ import annotations

import math
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from zoneinfo import ZoneInfo

from neodymium.providers.demo.data import ABSENT_CODES, KNOWN, Profile
from neodymium.providers.demo.seeded import unit
from neodymium.providers.errors import SymbolNotFound
from neodymium.providers.markets import zone
from neodymium.providers.symbols import Board, Exchange, Market, Symbol

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
    """The demo's profile of ``symbol``; raises SymbolNotFound for codes no instrument has."""
    absent_cn = symbol.market is Market.CN and (
        symbol.code in ABSENT_CODES or symbol.board is Board.OTHER
    )
    if absent_cn:
        raise SymbolNotFound(SOURCE, symbol.key)
    return KNOWN.get(symbol.key) or _synthetic_profile(symbol)


_BOARD_LIMITS = {Board.STAR: 0.20, Board.CHINEXT: 0.20, Board.BSE: 0.30}


@lru_cache(maxsize=256)
def _synthetic_profile(symbol: Symbol) -> Profile:
    """A plausible profile for a symbol the demo has no table entry for (name = the code)."""

    def pick(name: str, low: float, high: float) -> float:
        return math.exp(math.log(low) + unit("profile", symbol.key, name) * math.log(high / low))

    if symbol.market is Market.US:
        return Profile(name=symbol.code, level=round(pick("level", 10, 200), 2), decimals=2,
                       currency="USD", beta=0.2, daily_vol=0.02,
                       avg_volume=pick("volume", 2e5, 2e7), limit_pct=None)
    if symbol.is_index:
        return Profile(name=symbol.code, level=round(pick("level", 2000, 12000), 2), decimals=2,
                       currency="CNY", beta=0.3, daily_vol=0.011,
                       avg_volume=pick("volume", 5e9, 5e10), limit_pct=None, is_index=True)
    if symbol.is_fund:
        return Profile(name=symbol.code, level=round(pick("level", 0.8, 3.0), 3), decimals=3,
                       currency="CNY", beta=0.4, daily_vol=0.015,
                       avg_volume=pick("volume", 3e7, 5e8))
    b_share = symbol.board is Board.B_SHARE
    currency = ("USD" if symbol.exchange is Exchange.SS else "HKD") if b_share else "CNY"
    decimals = 3 if b_share and symbol.exchange is Exchange.SS else 2
    level = round(pick("level", 1 if b_share else 5, 10 if b_share else 80), decimals)
    pe = pick("pe", 8, 60)
    return Profile(name=symbol.code, level=level, decimals=decimals, currency=currency,
                   beta=0.3, daily_vol=0.025, avg_volume=pick("volume", 1e7, 2e8),
                   limit_pct=_BOARD_LIMITS.get(symbol.board, 0.10),
                   total_shares=round(pick("shares", 5e8, 1e10)), eps_ttm=level / pe)


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

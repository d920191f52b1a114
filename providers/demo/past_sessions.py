"""The demo's completed sessions as minute lines that agree with its daily bars.

The daily bars are generated a year at a time, anchored to the published figures (the last
close is always 50.46 for 600111), while a live session walks from the previous close the bars
give. Walked again for a past day, each session started from that same anchor and ended where
its walk went: the 五日 chart jumped by several percent at every day boundary and no day ended
at its bar's close. Here a past day walks from its bar's previous close, and the walk is bent
(a bridge in log price, growing with the session's trading time) so it ends exactly at the
bar's close: the five days join up and each ends where the daily chart says it closed.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import datetime, time
from functools import lru_cache

from neodymium.providers.demo.data import Profile
from neodymium.providers.demo.instruments import SHANGHAI, price_limits, profile_for
from neodymium.providers.demo.intraday import day_path
from neodymium.providers.intraday import CLOSE, Intraday, MinuteBar
from neodymium.providers.models import Bar
from neodymium.providers.simulated_hours import (
    SHANGHAI_SESSIONS,
    second_of_day,
    trading_seconds,
)
from neodymium.providers.symbols import Symbol, parse_symbol


def past_session(seed: int, symbol: Symbol, bars: Sequence[Bar], index: int) -> Intraday:
    """``bars[index]``'s session, minute by minute, from the bar before it's close to its own
    (``index`` counts from the end too; the bar before must exist)."""
    position = index % len(bars)
    if position == 0:
        raise ValueError("a past session needs the bar before it for its previous close")
    bar, before = bars[position], bars[position - 1]
    return _past_session(seed, symbol.key, bar.day.toordinal(), before.close, bar.close)


@lru_cache(maxsize=32)
def _past_session(seed: int, key: str, ordinal: int, prev_close: float,
                  close: float) -> Intraday:
    symbol = parse_symbol(key)
    profile = profile_for(symbol)
    day = datetime.fromordinal(ordinal).date()
    path = day_path(seed, symbol, profile, day, prev_close)
    end = second_of_day(CLOSE)
    bend = math.log(close / path.at(end).last) / trading_seconds(end)
    low, high = _band(prev_close, profile)
    minutes: list[MinuteBar] = []
    previous_volume, weighted = 0.0, 0.0
    for start, stop in SHANGHAI_SESSIONS:
        for second in range(second_of_day(start), second_of_day(stop) + 1, 60):
            state = path.at(second)
            price = state.last * math.exp(bend * trading_seconds(second))
            price = round(min(max(price, low), high), profile.decimals)
            volume = max(0.0, state.volume - previous_volume)
            previous_volume = state.volume
            weighted += price * volume
            minutes.append(MinuteBar(
                at=datetime.combine(day, time(second // 3600, second % 3600 // 60), SHANGHAI),
                price=price, volume=volume,
                avg_price=round(weighted / state.volume, profile.decimals + 1)
                if state.volume else None))
    return Intraday(key, day, "demo", prev_close, tuple(minutes))


def _band(prev_close: float, profile: Profile) -> tuple[float, float]:
    """The day's price limits (none: any price)."""
    up, down = price_limits(prev_close, profile)
    return (down if down is not None else 0.0), (up if up is not None else math.inf)

"""The demo's daily bars: a year of weekday sessions per instrument, the primary bridged through
its published 52-week anchors and every other instrument moving partly with it."""

from __future__ import annotations

import itertools
import math
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from neodymium.providers.demo.data import (
    ANCHOR_HIGH_52W,
    ANCHOR_LOW_52W,
    ANCHOR_PREV_CLOSE,
    KNOWN,
    PRIMARY,
    PRIMARY_YEAR_START,
    Profile,
)
from neodymium.providers.demo.instruments import (
    LOT,
    SESSIONS_PER_YEAR,
    price_limits,
    profile_for,
    year_of_sessions,
)
from neodymium.providers.demo.seeded import fold, normals, seeded_rng
from neodymium.providers.models import Bar
from neodymium.providers.symbols import Symbol, parse_symbol

#: Largest daily log return before bridging, so bars respect the ±10% limit after it.
MAX_DAILY_LOG_RETURN = 0.06


def _daily_returns(seed: int, symbol: Symbol, profile: Profile, last_session: date,
                   rng: random.Random) -> list[float]:
    """Daily log returns: the primary's own walk, or the primary's moves (the rare-earth factor)
    with the profile's beta plus the instrument's own noise."""
    own = normals(rng, SESSIONS_PER_YEAR)
    if symbol.key == PRIMARY:
        mixed = own
    else:
        beta, rest = profile.beta, math.sqrt(1 - profile.beta**2)
        primary_vol = KNOWN[PRIMARY].daily_vol
        mixed = [beta * r / primary_vol + rest * z for r, z in
                 zip(_primary_log_returns(seed, last_session), own, strict=True)]
    bound = MAX_DAILY_LOG_RETURN
    return [min(max(profile.daily_vol * m, -bound), bound) for m in mixed]


@lru_cache(maxsize=16)
def _primary_log_returns(seed: int, last_session: date) -> tuple[float, ...]:
    """The primary's close-to-close log returns over the year ending at ``last_session``."""
    closes = [bar.close for bar in daily_bars(seed, parse_symbol(PRIMARY), last_session)]
    return (0.0, *(math.log(b / a) for a, b in itertools.pairwise(closes)))


@dataclass(frozen=True, slots=True)
class _Anchors:
    """Where the primary's 52-week low and high sit in its year of bars."""

    low_index: int
    high_index: int


def _anchored_log_closes(returns: Sequence[float], rng: random.Random
                         ) -> tuple[list[float], _Anchors]:
    """The primary's closes: the random walk bridged through the published anchors."""
    n = len(returns)
    anchors = _Anchors(low_index=rng.randrange(round(0.12 * n), round(0.30 * n)),
                       high_index=rng.randrange(round(0.62 * n), round(0.85 * n)))
    low, high = math.log(ANCHOR_LOW_52W), math.log(ANCHOR_HIGH_52W)
    # The day before each extreme closes near it too, so the extreme is inside that day's limits.
    knots = [
        (0, math.log(PRIMARY_YEAR_START) + rng.uniform(-0.05, 0.05)),
        (anchors.low_index - 1, low + rng.uniform(0.02, 0.06)),
        (anchors.low_index, low + rng.uniform(0.01, 0.03)),
        (anchors.high_index - 1, high - rng.uniform(0.02, 0.06)),
        (anchors.high_index, high - rng.uniform(0.01, 0.03)),
        (n - 1, math.log(ANCHOR_PREV_CLOSE)),
    ]
    log_closes = [0.0] * n
    for (a, start), (b, end) in itertools.pairwise(knots):
        steps = returns[a + 1 : b + 1]
        shift = (end - start - math.fsum(steps)) / (b - a)
        log_closes[a : b + 1] = itertools.accumulate((step + shift for step in steps),
                                                     initial=start)
    log_closes[-1] = math.log(ANCHOR_PREV_CLOSE)
    floor = math.log(ANCHOR_LOW_52W * 1.005)
    ceiling = math.log(ANCHOR_HIGH_52W * 0.995)
    return [fold(value, floor, ceiling) for value in log_closes], anchors


def _clamp(value: float, low: float | None, high: float | None) -> float:
    if low is not None:
        value = max(value, low)
    if high is not None:
        value = min(value, high)
    return value


def _assemble_bars(key: str, profile: Profile, days: Sequence[date],
                   log_closes: Sequence[float], first_return: float, rng: random.Random,
                   anchors: _Anchors | None) -> list[Bar]:
    """OHLCV bars around the closes: gaps, wicks, price limits, anchors, volume and amount."""
    n, dec, tick = len(days), profile.decimals, profile.tick
    sigma = profile.daily_vol
    gaps = [0.35 * sigma * z for z in normals(rng, n)]
    wicks_up = [abs(0.5 * sigma * z) for z in normals(rng, n)]
    wicks_down = [abs(0.5 * sigma * z) for z in normals(rng, n)]
    activity = [math.exp(0.3 * z - 0.045) for z in normals(rng, n)]
    closes = [math.exp(value) for value in log_closes]
    prev = round(closes[0] * math.exp(-first_return), dec)
    floor = ANCHOR_LOW_52W + tick if anchors else None
    ceiling = ANCHOR_HIGH_52W - tick if anchors else None
    bars = []
    for i, day in enumerate(days):
        up, down = price_limits(prev, profile)
        close = round(_clamp(_clamp(closes[i], down, up), floor, ceiling), dec)
        open_ = round(_clamp(_clamp(prev * math.exp(gaps[i]), down, up), floor, ceiling), dec)
        high = _clamp(max(open_, close) * math.exp(wicks_up[i]), None, up)
        low = _clamp(min(open_, close) * math.exp(-wicks_down[i]), down, None)
        if anchors:
            high = ANCHOR_HIGH_52W if i == anchors.high_index else min(high, ANCHOR_HIGH_52W - tick)
            low = ANCHOR_LOW_52W if i == anchors.low_index else max(low, ANCHOR_LOW_52W + tick)
        high = round(max(high, open_, close), dec)
        low = round(min(low, open_, close), dec)
        move = abs(math.log(close / prev))
        volume = round(profile.avg_volume * activity[i] * (0.7 + 8.0 * move) / LOT) * LOT
        amount = round(volume * (high + low + close) / 3.0, 2)
        bars.append(Bar(symbol=key, day=day, open=open_, high=high, low=low, close=close,
                        volume=float(volume), amount=amount))
        prev = close
    return bars


@lru_cache(maxsize=64)
def daily_bars(seed: int, symbol: Symbol, last_session: date) -> tuple[Bar, ...]:
    """A year of simulated daily bars ending at ``last_session``; pure in its arguments."""
    profile = profile_for(symbol)
    days = year_of_sessions(last_session)
    rng = seeded_rng(seed, "bars", symbol.key, last_session.toordinal())
    returns = _daily_returns(seed, symbol, profile, last_session, rng)
    anchors: _Anchors | None = None
    if symbol.key == PRIMARY:
        log_closes, anchors = _anchored_log_closes(returns, rng)
    else:
        level = profile.level * math.exp(rng.uniform(-0.02, 0.02))
        walk = list(itertools.accumulate(returns))
        base = math.log(level) - walk[-1]
        log_closes = [base + value for value in walk]
    return tuple(_assemble_bars(symbol.key, profile, days, log_closes, returns[0], rng,
                                anchors))


@lru_cache(maxsize=64)
def year_range(seed: int, symbol: Symbol, last_session: date) -> tuple[float, float]:
    bars = daily_bars(seed, symbol, last_session)
    return max(bar.high for bar in bars if bar.high), min(bar.low for bar in bars if bar.low)

"""The figures that need no arrays: where a price sits in its 52-week range, percent from a
reference, and the record a comparison yields. The watch screen's first frame uses these
without importing numpy (providers.analytics re-exports them beside the series work)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from neodymium.providers.models import Bar

#: Calendar days the 52-week range looks back.
RANGE_DAYS = 365


def finite(value: float | None) -> float | None:
    """The value as a float, or None when missing, NaN or infinite."""
    if value is None:
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def range_position(last: float | None, low: float | None, high: float | None) -> float | None:
    """Where ``last`` sits in [low, high], 0 at the low and 1 at the high (clamped).

    None when any input is missing or the range is empty (``high <= low``).
    """
    last, low, high = finite(last), finite(low), finite(high)
    if last is None or low is None or high is None or high <= low:
        return None
    return min(1.0, max(0.0, (last - low) / (high - low)))


def pct_from(value: float | None, reference: float | None) -> float | None:
    """``(value / reference - 1) * 100``; None if either is missing or the reference is not > 0."""
    value, reference = finite(value), finite(reference)
    if value is None or reference is None or reference <= 0:
        return None
    return (value / reference - 1.0) * 100.0


def high_low_52w(bars: Sequence[Bar], asof: date) -> tuple[float, float] | None:
    """``(high, low)`` of the bars dated within 365 days up to ``asof`` (both ends included).

    Uses each bar's high and low, or its close where those are missing. None without bars.
    """
    first = asof - timedelta(days=RANGE_DAYS)
    highs, lows = [], []
    for bar in bars:
        close = finite(bar.close)
        if not first <= bar.day <= asof or close is None:
            continue
        high, low = finite(bar.high), finite(bar.low)
        highs.append(close if high is None else high)
        lows.append(close if low is None else low)
    if not highs:
        return None
    return max(highs), min(lows)


@dataclass(frozen=True)
class Comparison:
    """One symbol measured against the primary.

    ``spread`` is the primary's return minus this symbol's, in percentage points. Correlation
    and beta use daily returns on the dates both traded (the last 60 / 250 of them); beta is the
    primary's sensitivity to this symbol, ``cov(p, e) / var(e)``. ``vol_ann`` (annualised
    volatility) and ``max_drawdown`` (negative) are over this symbol's own 1Y window, in percent.
    """

    symbol: str
    returns: dict[str, float | None]
    spread: dict[str, float | None]
    corr_60: float | None
    corr_250: float | None
    beta_60: float | None
    beta_250: float | None
    vol_ann: float | None
    max_drawdown: float | None
    aligned_days: int
    note: str | None = None

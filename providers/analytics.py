"""Pure analytics on daily bars: ranges, returns over windows, comparison against ETFs.

No I/O and no clocks: every function takes the date it measures to. A window the history
cannot cover is ``None`` (shown as n/a), never a misleading number. Percentages are in
percent (``3.5`` means +3.5 %); spreads are in percentage points.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import numpy as np
import pandas as pd

from providers.models import Bar

#: Return windows, shortest first.
WINDOWS: tuple[str, ...] = ("1D", "5D", "1M", "3M", "6M", "YTD", "1Y")
#: Sessions a year, for annualising daily volatility.
TRADING_DAYS = 252
#: Calendar days the 52-week range looks back.
RANGE_DAYS = 365

_SESSIONS_BACK = {"1D": 1, "5D": 5}
_MONTHS_BACK = {"1M": 1, "3M": 3, "6M": 6, "1Y": 12}
_SHORT, _LONG = 60, 250


def _finite(value: float | None) -> float | None:
    """The value as a float, or None when missing, NaN or infinite."""
    if value is None:
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def _as_date(value: date) -> date:
    return value.date() if isinstance(value, datetime) else value


# -- single numbers -------------------------------------------------------------------------


def range_position(last: float | None, low: float | None, high: float | None) -> float | None:
    """Where ``last`` sits in [low, high], 0 at the low and 1 at the high (clamped).

    None when any input is missing or the range is empty (``high <= low``).
    """
    last, low, high = _finite(last), _finite(low), _finite(high)
    if last is None or low is None or high is None or high <= low:
        return None
    return min(1.0, max(0.0, (last - low) / (high - low)))


def pct_from(value: float | None, reference: float | None) -> float | None:
    """``(value / reference - 1) * 100``; None if either is missing or the reference is not > 0."""
    value, reference = _finite(value), _finite(reference)
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
        close = _finite(bar.close)
        if not first <= bar.day <= asof or close is None:
            continue
        high, low = _finite(bar.high), _finite(bar.low)
        highs.append(close if high is None else high)
        lows.append(close if low is None else low)
    if not highs:
        return None
    return max(highs), min(lows)


# -- series ---------------------------------------------------------------------------------


def closes_frame(bars_by_symbol: Mapping[str, Sequence[Bar]]) -> pd.DataFrame:
    """Closes with one column per symbol on the union of their dates (NaN where one did not trade).

    The index is a sorted ``DatetimeIndex`` named ``day``; a repeated day keeps its last bar.
    """
    columns = {}
    for symbol, bars in bars_by_symbol.items():
        kept = [(bar.day, float(bar.close)) for bar in bars if _finite(bar.close) is not None]
        index = pd.DatetimeIndex([day for day, _ in kept], name="day")
        series = pd.Series([close for _, close in kept], index=index, dtype="float64")
        columns[symbol] = series[~series.index.duplicated(keep="last")]
    if not columns:
        return pd.DataFrame(index=pd.DatetimeIndex([], name="day"), dtype="float64")
    frame = pd.DataFrame(columns).sort_index()
    frame.index.name = "day"
    return frame


def _dated_closes(closes: pd.Series, asof: date) -> tuple[list[date], np.ndarray]:
    """Finite closes up to ``asof`` as (sorted dates, values)."""
    series = closes.dropna()
    series = series[np.isfinite(series.to_numpy(dtype="float64"))]
    days = [_as_date(day) for day in series.index]
    order = sorted(range(len(days)), key=days.__getitem__)
    values = series.to_numpy(dtype="float64")[order]
    days = [days[i] for i in order]
    end = bisect_right(days, asof)
    return days[:end], values[:end]


def _minus_months(day: date, months: int) -> date:
    """The same day of the month ``months`` earlier, clamped to that month's end."""
    total = day.year * 12 + day.month - 1 - months
    year, month = divmod(total, 12)
    month += 1
    next_month = date(year + month // 12, month % 12 + 1, 1)
    return date(year, month, min(day.day, (next_month - timedelta(days=1)).day))


def window_start(window: str, asof: date, dates: Sequence[date]) -> date | None:
    """The session whose close a window's return is measured from, or None if history is short.

    1D/5D: that many sessions before the last session on/before ``asof``. 1M/3M/6M/1Y: the last
    session on/before (that last session minus the calendar months). YTD: the last session of
    the year before ``asof``'s.
    """
    sessions = sorted({_as_date(day) for day in dates})
    sessions = sessions[: bisect_right(sessions, asof)]
    if not sessions:
        return None
    if window in _SESSIONS_BACK:
        back = len(sessions) - 1 - _SESSIONS_BACK[window]
        return sessions[back] if back >= 0 else None
    if window == "YTD":
        target = date(asof.year - 1, 12, 31)
    elif window in _MONTHS_BACK:
        target = _minus_months(sessions[-1], _MONTHS_BACK[window])
    else:
        raise ValueError(f"unknown window {window!r}; expected one of {', '.join(WINDOWS)}")
    found = bisect_right(sessions, target)
    return sessions[found - 1] if found else None


def returns(closes: pd.Series, asof: date, last: float | None = None) -> dict[str, float | None]:
    """Percent return per window, from the window's start close to ``last``.

    ``last`` (a live price) stands in for the close of the last session on/before ``asof``;
    without it that close is used. A window the history does not reach is None.
    """
    days, values = _dated_closes(closes, asof)
    if not days:
        return dict.fromkeys(WINDOWS)
    end = _finite(last)
    end = float(values[-1]) if end is None else end
    position = {day: i for i, day in enumerate(days)}
    result: dict[str, float | None] = {}
    for window in WINDOWS:
        start = window_start(window, asof, days)
        result[window] = None if start is None else pct_from(end, float(values[position[start]]))
    return result


def rebased(closes: pd.DataFrame, start: date) -> pd.DataFrame:
    """Closes from ``start`` on, each column scaled to 100 at its first value on/after ``start``."""
    index = pd.DatetimeIndex(closes.index)
    frame = closes.set_axis(index)[index >= pd.Timestamp(start)]
    if frame.empty:
        return frame.astype("float64")
    first = frame.bfill().iloc[0]
    return frame.div(first.where(first > 0)) * 100.0


def sparkline(bars: Sequence[Bar], sessions: int = 20) -> list[float]:
    """The last ``sessions`` closes, oldest first (for a tiny inline chart)."""
    if sessions <= 0:
        return []
    closes = [(bar.day, float(bar.close)) for bar in bars if _finite(bar.close) is not None]
    closes.sort(key=lambda pair: pair[0])
    return [close for _, close in closes[-sessions:]]


# -- comparison -----------------------------------------------------------------------------


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


def compare(primary: str, bars_by_symbol: Mapping[str, Sequence[Bar]],
            last: Mapping[str, float], asof: date) -> dict[str, Comparison]:
    """Compare every symbol (the primary included, first) with the primary, up to ``asof``."""
    symbols = [primary, *(symbol for symbol in bars_by_symbol if symbol != primary)]
    frame = closes_frame({symbol: bars_by_symbol.get(symbol, ()) for symbol in symbols})
    frame = frame[frame.index <= pd.Timestamp(asof)]
    all_returns = {symbol: returns(frame[symbol], asof, last.get(symbol)) for symbol in symbols}
    base = frame[primary].dropna()
    result = {}
    for symbol in symbols:
        own = frame[symbol].dropna()
        common = base.index.intersection(own.index)
        daily_p, daily_e = _daily_returns(base.reindex(common)), _daily_returns(own.reindex(common))
        path = _one_year_path(own, asof, last.get(symbol))
        result[symbol] = Comparison(
            symbol=symbol,
            returns=all_returns[symbol],
            spread=_spread(all_returns[primary], all_returns[symbol]),
            corr_60=_corr(daily_p, daily_e, _SHORT),
            corr_250=_corr(daily_p, daily_e, _LONG),
            beta_60=_beta(daily_p, daily_e, _SHORT),
            beta_250=_beta(daily_p, daily_e, _LONG),
            vol_ann=_volatility(path),
            max_drawdown=_max_drawdown(path),
            aligned_days=len(common),
            note=_note(primary, symbol, base.index, own.index, len(common)),
        )
    return result


def _spread(primary: Mapping[str, float | None],
            other: Mapping[str, float | None]) -> dict[str, float | None]:
    spread: dict[str, float | None] = {}
    for window in WINDOWS:
        mine, theirs = primary.get(window), other.get(window)
        spread[window] = None if mine is None or theirs is None else mine - theirs
    return spread


def _daily_returns(closes: pd.Series) -> np.ndarray:
    values = closes.to_numpy(dtype="float64")
    if len(values) < 2:
        return np.empty(0)
    return values[1:] / values[:-1] - 1.0


def _corr(p: np.ndarray, e: np.ndarray, n: int) -> float | None:
    if len(p) < n:
        return None
    p, e = p[-n:], e[-n:]
    if np.std(p) == 0 or np.std(e) == 0:
        return None
    return _finite(float(np.corrcoef(p, e)[0, 1]))


def _beta(p: np.ndarray, e: np.ndarray, n: int) -> float | None:
    if len(p) < n:
        return None
    p, e = p[-n:], e[-n:]
    variance = float(np.var(e, ddof=1))
    if variance == 0:
        return None
    return _finite(float(np.cov(p, e, ddof=1)[0, 1]) / variance)


def _one_year_path(closes: pd.Series, asof: date, last: float | None) -> np.ndarray | None:
    """Closes over the 1Y window with ``last`` as the final value; None if history is short."""
    days, values = _dated_closes(closes, asof)
    start = window_start("1Y", asof, days)
    if start is None:
        return None
    path = values[days.index(start):].copy()
    live = _finite(last)
    if live is not None:
        path[-1] = live
    return path


def _volatility(path: np.ndarray | None) -> float | None:
    if path is None or len(path) < 3:
        return None
    daily = path[1:] / path[:-1] - 1.0
    return _finite(float(np.std(daily, ddof=1)) * math.sqrt(TRADING_DAYS) * 100.0)


def _max_drawdown(path: np.ndarray | None) -> float | None:
    if path is None or len(path) == 0:
        return None
    drawdowns = path / np.maximum.accumulate(path) - 1.0
    return float(drawdowns.min()) * 100.0


def _note(primary: str, symbol: str, base: pd.DatetimeIndex, own: pd.DatetimeIndex,
          aligned: int) -> str | None:
    if own.empty:
        return "no history"
    if base.empty:
        return f"no history for {primary}"
    if symbol == primary:
        return None
    first, end = max(base[0], own[0]), min(base[-1], own[-1])
    in_both = base[(base >= first) & (base <= end)], own[(own >= first) & (own <= end)]
    if in_both[0].equals(in_both[1]):
        return None
    return f"aligned on {aligned} common days"

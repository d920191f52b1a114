"""Pure analytics on daily bars: ranges, returns over windows, comparison against ETFs.

No I/O and no clocks: every function takes the date it measures to. A window the history
cannot cover is ``None`` (shown as n/a), never a misleading number. Percentages are in
percent (``3.5`` means +3.5 %); spreads are in percentage points.

The comparison works on numpy arrays; pandas (about 45 MiB) is imported only by the functions
that hand a DataFrame or Series to the charts, so the watch screen never loads it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

import numpy as np
from neodymium.providers.figures import RANGE_DAYS as RANGE_DAYS
from neodymium.providers.figures import Comparison as Comparison
from neodymium.providers.figures import finite as _finite
from neodymium.providers.figures import high_low_52w as high_low_52w
from neodymium.providers.figures import pct_from as pct_from
from neodymium.providers.figures import range_position as range_position
from neodymium.providers.models import Bar

if TYPE_CHECKING:
    import pandas as pd

#: Return windows, shortest first.
WINDOWS: tuple[str, ...] = ("1D", "5D", "1M", "3M", "6M", "YTD", "1Y")
#: Sessions a year, for annualising daily volatility.
TRADING_DAYS = 252

_SESSIONS_BACK = {"1D": 1, "5D": 5}
_MONTHS_BACK = {"1M": 1, "3M": 3, "6M": 6, "1Y": 12}
_SHORT, _LONG = 60, 250
_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()


def _as_date(value: date) -> date:
    return value.date() if isinstance(value, datetime) else value


# -- single numbers -------------------------------------------------------------------------


# -- series ---------------------------------------------------------------------------------


class _History:
    """One symbol's finite closes up to a day: sorted unique ``datetime64[D]`` days, values."""

    __slots__ = ("days", "values")

    def __init__(self, days: np.ndarray, values: np.ndarray) -> None:
        self.days, self.values = days, values

    @classmethod
    def cleaned(cls, days: np.ndarray, values: np.ndarray) -> _History:
        """Drop non-finite closes, sort by day, and keep the last close of a repeated day."""
        finite = np.isfinite(values)
        days, values = days[finite], values[finite]
        order = np.argsort(days, kind="stable")
        days, values = days[order], values[order]
        last_of_day = np.ones(len(days), dtype=bool)
        last_of_day[:-1] = days[1:] != days[:-1]
        return cls(days[last_of_day], values[last_of_day])

    @classmethod
    def of_bars(cls, bars: Sequence[Bar]) -> _History:
        # Via ordinals: numpy converts date objects one slow call at a time.
        ordinals = np.array([bar.day.toordinal() for bar in bars], dtype=np.int64)
        days = (ordinals - _EPOCH_ORDINAL).astype("datetime64[D]")
        closes = np.array([np.nan if b.close is None else b.close for b in bars], dtype="float64")
        return cls.cleaned(days, closes)

    @classmethod
    def of_series(cls, closes: pd.Series) -> _History:
        import pandas as pd

        days = pd.DatetimeIndex(closes.index).to_numpy().astype("datetime64[D]")
        return cls.cleaned(days, closes.to_numpy(dtype="float64", na_value=np.nan))

    def upto(self, asof: date) -> _History:
        """The part dated on or before ``asof``."""
        end = int(np.searchsorted(self.days, np.datetime64(asof, "D"), side="right"))
        return _History(self.days[:end], self.values[:end])


def closes_frame(bars_by_symbol: Mapping[str, Sequence[Bar]]) -> pd.DataFrame:
    """Closes with one column per symbol on the union of their dates (NaN where one did not trade).

    The index is a sorted ``DatetimeIndex`` named ``day``; a repeated day keeps its last bar.
    """
    import pandas as pd

    histories = {symbol: _History.of_bars(bars) for symbol, bars in bars_by_symbol.items()}
    days = np.unique(np.concatenate([h.days for h in histories.values()] or [np.empty(0, "M8[D]")]))
    columns = {}
    for symbol, history in histories.items():
        column = np.full(len(days), np.nan)
        column[np.searchsorted(days, history.days)] = history.values
        columns[symbol] = column
    index = pd.DatetimeIndex(days.astype("datetime64[s]"), name="day")
    return pd.DataFrame(columns, index=index, dtype="float64")


def _minus_months(day: date, months: int) -> date:
    """The same day of the month ``months`` earlier, clamped to that month's end."""
    total = day.year * 12 + day.month - 1 - months
    year, month = divmod(total, 12)
    month += 1
    next_month = date(year + month // 12, month % 12 + 1, 1)
    return date(year, month, min(day.day, (next_month - timedelta(days=1)).day))


def _start_index(window: str, asof: date, sessions: np.ndarray) -> int | None:
    """Index into ``sessions`` (sorted, unique, none after ``asof``) where ``window`` starts."""
    if window not in _SESSIONS_BACK and window not in _MONTHS_BACK and window != "YTD":
        raise ValueError(f"unknown window {window!r}; expected one of {', '.join(WINDOWS)}")
    if not len(sessions):
        return None
    if window in _SESSIONS_BACK:
        back = len(sessions) - 1 - _SESSIONS_BACK[window]
        return back if back >= 0 else None
    if window == "YTD":
        target = date(asof.year - 1, 12, 31)
    else:
        target = _minus_months(sessions[-1].item(), _MONTHS_BACK[window])
    found = int(np.searchsorted(sessions, np.datetime64(target, "D"), side="right"))
    return found - 1 if found else None


def window_start(window: str, asof: date, dates: Sequence[date]) -> date | None:
    """The session whose close a window's return is measured from, or None if history is short.

    1D/5D: that many sessions before the last session on/before ``asof``. 1M/3M/6M/1Y: the last
    session on/before (that last session minus the calendar months). YTD: the last session of
    the year before ``asof``'s.
    """
    days = np.unique(np.array([_as_date(day) for day in dates], dtype="datetime64[D]"))
    sessions = days[: int(np.searchsorted(days, np.datetime64(asof, "D"), side="right"))]
    index = _start_index(window, asof, sessions)
    return None if index is None else sessions[index].item()


def returns(closes: pd.Series, asof: date, last: float | None = None) -> dict[str, float | None]:
    """Percent return per window, from the window's start close to ``last``.

    ``last`` (a live price) stands in for the close of the last session on/before ``asof``;
    without it that close is used. A window the history does not reach is None.
    """
    return _returns(_History.of_series(closes).upto(asof), asof, last)


def _returns(history: _History, asof: date, last: float | None) -> dict[str, float | None]:
    if not len(history.days):
        return dict.fromkeys(WINDOWS)
    end = _finite(last)
    end = float(history.values[-1]) if end is None else end
    result: dict[str, float | None] = {}
    for window in WINDOWS:
        start = _start_index(window, asof, history.days)
        result[window] = None if start is None else pct_from(end, history.values[start])
    return result


def rebased(closes: pd.DataFrame, start: date) -> pd.DataFrame:
    """Closes from ``start`` on, each column scaled to 100 at its first value on/after ``start``."""
    import pandas as pd

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
    return _History.of_bars(bars).values[-sessions:].tolist()


# -- comparison -----------------------------------------------------------------------------


def compare(primary: str, bars_by_symbol: Mapping[str, Sequence[Bar]],
            last: Mapping[str, float], asof: date) -> dict[str, Comparison]:
    """Compare every symbol (the primary included, first) with the primary, up to ``asof``."""
    symbols = [primary, *(symbol for symbol in bars_by_symbol if symbol != primary)]
    histories = {
        symbol: _History.of_bars(bars_by_symbol.get(symbol, ())).upto(asof) for symbol in symbols
    }
    all_returns = {symbol: _returns(history, asof, last.get(symbol))
                   for symbol, history in histories.items()}
    base = histories[primary]
    result = {}
    for symbol in symbols:
        own = histories[symbol]
        common, in_base, in_own = np.intersect1d(base.days, own.days, assume_unique=True,
                                                 return_indices=True)
        daily_p = _daily_returns(base.values[in_base])
        daily_e = _daily_returns(own.values[in_own])
        short, long = _corr_beta(daily_p, daily_e, _SHORT), _corr_beta(daily_p, daily_e, _LONG)
        path = _one_year_path(own, asof, last.get(symbol))
        result[symbol] = Comparison(
            symbol=symbol,
            returns=all_returns[symbol],
            spread=_spread(all_returns[primary], all_returns[symbol]),
            corr_60=short[0], corr_250=long[0], beta_60=short[1], beta_250=long[1],
            vol_ann=_volatility(path),
            max_drawdown=_max_drawdown(path),
            aligned_days=len(common),
            note=_note(primary, symbol, base.days, own.days, len(common)),
        )
    return result


def _spread(primary: Mapping[str, float | None],
            other: Mapping[str, float | None]) -> dict[str, float | None]:
    spread: dict[str, float | None] = {}
    for window in WINDOWS:
        mine, theirs = primary.get(window), other.get(window)
        spread[window] = None if mine is None or theirs is None else mine - theirs
    return spread


def _daily_returns(values: np.ndarray) -> np.ndarray:
    if len(values) < 2:
        return np.empty(0)
    return values[1:] / values[:-1] - 1.0


def _corr_beta(p: np.ndarray, e: np.ndarray, n: int) -> tuple[float | None, float | None]:
    """Correlation and beta ``cov(p, e) / var(e)`` over the last ``n`` paired daily returns."""
    if len(p) < n:
        return None, None
    (var_p, cov_pe), (_, var_e) = np.cov(p[-n:], e[-n:], ddof=1)
    if not var_e > 0:
        return None, None
    corr = _finite(cov_pe / math.sqrt(var_p * var_e)) if var_p > 0 else None
    return (None if corr is None else max(-1.0, min(1.0, corr))), _finite(cov_pe / var_e)


def _one_year_path(history: _History, asof: date, last: float | None) -> np.ndarray | None:
    """Closes over the 1Y window with ``last`` as the final value; None if history is short."""
    start = _start_index("1Y", asof, history.days)
    if start is None:
        return None
    path = history.values[start:].copy()
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


def _note(primary: str, symbol: str, base: np.ndarray, own: np.ndarray,
          aligned: int) -> str | None:
    """Say when the two calendars differ where both have history (or one has none)."""
    if not len(own):
        return "no history"
    if not len(base):
        return f"no history for {primary}"
    if symbol == primary:
        return None
    first, end = max(base[0], own[0]), min(base[-1], own[-1])

    def overlap(days: np.ndarray) -> np.ndarray:
        return days[np.searchsorted(days, first):np.searchsorted(days, end, side="right")]

    if np.array_equal(overlap(base), overlap(own)):
        return None
    return f"aligned on {aligned} common days"

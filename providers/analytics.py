"""Pure analytics on daily bars: ranges, returns over windows, comparison against ETFs.

No I/O and no clocks: every function takes the date it measures to. A window the history
cannot cover is ``None`` (shown as n/a), never a misleading number. Percentages are in
percent (``3.5`` means +3.5 %); spreads are in percentage points.

The comparison works on plain lists of day ordinals and floats: a year of closes for a few
dozen symbols is milliseconds of Python, and numpy (about 13 MiB) and pandas (about 45 MiB)
are imported only by the functions that hand a DataFrame or Series to the charts.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta
from itertools import pairwise
from typing import TYPE_CHECKING

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
    """One symbol's finite closes up to a day: sorted unique day ordinals, and their closes."""

    __slots__ = ("days", "values")

    def __init__(self, days: list[int], values: list[float]) -> None:
        self.days, self.values = days, values

    @classmethod
    def cleaned(cls, days: Sequence[int], values: Sequence[float]) -> _History:
        """Drop non-finite closes, sort by day, and keep the last close of a repeated day."""
        isfinite = math.isfinite
        pairs = [(d, v) for d, v in zip(days, values, strict=True) if isfinite(v)]
        if all(a[0] < b[0] for a, b in pairwise(pairs)):  # the usual case: sorted, unique
            return cls([d for d, _ in pairs], [v for _, v in pairs])
        by_day: dict[int, float] = {}
        for day, value in sorted(pairs, key=lambda pair: pair[0]):
            by_day[day] = value  # a sorted, stable walk: the last of a day wins
        return cls(list(by_day), list(by_day.values()))

    @classmethod
    def of_bars(cls, bars: Sequence[Bar]) -> _History:
        return cls.cleaned([bar.day.toordinal() for bar in bars],
                           [math.nan if b.close is None else float(b.close) for b in bars])

    @classmethod
    def of_series(cls, closes: pd.Series) -> _History:
        import numpy as np
        import pandas as pd

        days = pd.DatetimeIndex(closes.index).to_numpy().astype("datetime64[D]")
        ordinals = (days.astype(np.int64) + _EPOCH_ORDINAL).tolist()
        return cls.cleaned(ordinals, closes.to_numpy(dtype="float64", na_value=np.nan).tolist())

    def upto(self, asof: date) -> _History:
        """The part dated on or before ``asof``."""
        end = bisect_right(self.days, asof.toordinal())
        return _History(self.days[:end], self.values[:end])


def closes_frame(bars_by_symbol: Mapping[str, Sequence[Bar]]) -> pd.DataFrame:
    """Closes with one column per symbol on the union of their dates (NaN where one did not trade).

    The index is a sorted ``DatetimeIndex`` named ``day``; a repeated day keeps its last bar.
    """
    import numpy as np
    import pandas as pd

    histories = {symbol: _History.of_bars(bars) for symbol, bars in bars_by_symbol.items()}
    days = sorted({day for history in histories.values() for day in history.days})
    position = {day: index for index, day in enumerate(days)}
    columns = {}
    for symbol, history in histories.items():
        column = [math.nan] * len(days)
        for day, value in zip(history.days, history.values, strict=True):
            column[position[day]] = value
        columns[symbol] = column
    stamps = (np.array(days, dtype=np.int64) - _EPOCH_ORDINAL).astype("datetime64[D]")
    index = pd.DatetimeIndex(stamps.astype("datetime64[s]"), name="day")
    return pd.DataFrame(columns, index=index, dtype="float64")


def _minus_months(day: date, months: int) -> date:
    """The same day of the month ``months`` earlier, clamped to that month's end."""
    total = day.year * 12 + day.month - 1 - months
    year, month = divmod(total, 12)
    month += 1
    next_month = date(year + month // 12, month % 12 + 1, 1)
    return date(year, month, min(day.day, (next_month - timedelta(days=1)).day))


def _start_index(window: str, asof: date, sessions: Sequence[int]) -> int | None:
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
        target = _minus_months(date.fromordinal(sessions[-1]), _MONTHS_BACK[window])
    found = bisect_right(sessions, target.toordinal())
    return found - 1 if found else None


def window_start(window: str, asof: date, dates: Sequence[date]) -> date | None:
    """The session whose close a window's return is measured from, or None if history is short.

    1D/5D: that many sessions before the last session on/before ``asof``. 1M/3M/6M/1Y: the last
    session on/before (that last session minus the calendar months). YTD: the last session of
    the year before ``asof``'s.
    """
    days = sorted({_as_date(day).toordinal() for day in dates})
    sessions = days[: bisect_right(days, asof.toordinal())]
    index = _start_index(window, asof, sessions)
    return None if index is None else date.fromordinal(sessions[index])


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
    end = history.values[-1] if end is None else end
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
    return _History.of_bars(bars).values[-sessions:]


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
    # Correlation and beta look at the last _LONG daily returns: _LONG + 1 closes at most.
    keep = _LONG + 1
    base_daily = _daily_returns(base.values[-keep:])
    result = {}
    for symbol in symbols:
        own = histories[symbol]
        if own.days == base.days:  # the same sessions (the usual case): nothing to align
            aligned = len(own.days)
            daily_p, daily_e = base_daily, _daily_returns(own.values[-keep:])
        else:
            own_index = {day: index for index, day in enumerate(own.days)}
            common = [(index, own_index[day]) for index, day in enumerate(base.days)
                      if day in own_index]  # base.days is sorted, so the common days are too
            aligned, common = len(common), common[-keep:]
            daily_p = _daily_returns([base.values[i] for i, _ in common])
            daily_e = _daily_returns([own.values[j] for _, j in common])
        short, long = _corr_beta(daily_p, daily_e, _SHORT), _corr_beta(daily_p, daily_e, _LONG)
        path = _one_year_path(own, asof, last.get(symbol))
        result[symbol] = Comparison(
            symbol=symbol,
            returns=all_returns[symbol],
            spread=_spread(all_returns[primary], all_returns[symbol]),
            corr_60=short[0], corr_250=long[0], beta_60=short[1], beta_250=long[1],
            vol_ann=_volatility(path),
            max_drawdown=_max_drawdown(path),
            aligned_days=aligned,
            note=_note(primary, symbol, base.days, own.days, aligned),
        )
    return result


def _spread(primary: Mapping[str, float | None],
            other: Mapping[str, float | None]) -> dict[str, float | None]:
    spread: dict[str, float | None] = {}
    for window in WINDOWS:
        mine, theirs = primary.get(window), other.get(window)
        spread[window] = None if mine is None or theirs is None else mine - theirs
    return spread


def _divide(a: float, b: float) -> float:
    """``a / b`` as IEEE floats do it (and numpy did): x/0 is ±inf, 0/0 and nan are nan."""
    if b == 0.0:
        return math.nan if a == 0.0 or math.isnan(a) else math.copysign(math.inf, a) * (
            math.copysign(1.0, b))
    return a / b


def _daily_returns(values: Sequence[float]) -> list[float]:
    return [(b / a if a else _divide(b, a)) - 1.0 for a, b in pairwise(values)]


def _mean(values: Sequence[float]) -> float:
    return sum(values) / len(values)


def _corr_beta(p: Sequence[float], e: Sequence[float], n: int) -> tuple[float | None, float | None]:
    """Correlation and beta ``cov(p, e) / var(e)`` over the last ``n`` paired daily returns
    (sample statistics, ddof 1)."""
    if len(p) < n:
        return None, None
    p, e = p[-n:], e[-n:]
    mean_p, mean_e = _mean(p), _mean(e)
    dp, de = [x - mean_p for x in p], [y - mean_e for y in e]
    var_p = sum(x * x for x in dp) / (n - 1)
    var_e = sum(y * y for y in de) / (n - 1)
    cov_pe = sum(x * y for x, y in zip(dp, de, strict=True)) / (n - 1)
    if not var_e > 0:
        return None, None
    corr = _finite(cov_pe / math.sqrt(var_p * var_e)) if var_p > 0 else None
    return (None if corr is None else max(-1.0, min(1.0, corr))), _finite(cov_pe / var_e)


def _one_year_path(history: _History, asof: date, last: float | None) -> list[float] | None:
    """Closes over the 1Y window with ``last`` as the final value; None if history is short."""
    start = _start_index("1Y", asof, history.days)
    if start is None:
        return None
    path = history.values[start:]
    live = _finite(last)
    if live is not None:
        path[-1] = live
    return path


def _volatility(path: Sequence[float] | None) -> float | None:
    if path is None or len(path) < 3:
        return None
    daily = _daily_returns(path)
    mean = _mean(daily)
    variance = sum((x - mean) ** 2 for x in daily) / (len(daily) - 1)
    return _finite(math.sqrt(variance) * math.sqrt(TRADING_DAYS) * 100.0)


def _max_drawdown(path: Sequence[float] | None) -> float | None:
    if path is None or len(path) == 0:
        return None
    peak, deepest = -math.inf, math.inf
    for value in path:
        if value > peak:
            peak = value
        drawdown = (value / peak if peak else _divide(value, peak)) - 1.0
        if drawdown != drawdown:  # nan: as numpy's min, a nan anywhere is the answer
            return math.nan
        if drawdown < deepest:
            deepest = drawdown
    return deepest * 100.0


def _note(primary: str, symbol: str, base: Sequence[int], own: Sequence[int],
          aligned: int) -> str | None:
    """Say when the two calendars differ where both have history (or one has none)."""
    if not len(own):
        return "no history"
    if not len(base):
        return f"no history for {primary}"
    if symbol == primary:
        return None
    first, end = max(base[0], own[0]), min(base[-1], own[-1])

    def overlap(days: Sequence[int]) -> Sequence[int]:
        return days[bisect_left(days, first):bisect_right(days, end)]

    if list(overlap(base)) == list(overlap(own)):
        return None
    return f"aligned on {aligned} common days"

"""The comparison kept up to date tick by tick (what ``analytics.compare`` computes, in O(1)
per symbol once prepared).

A comparison row depends on the symbol's and the primary's completed daily bars, which change a
few times a day, and on their live prices, which change every few seconds. The live price is
today's close (``derived.with_live_close``), so it is the last point of each history: only the
returns' end, the last daily return of the correlation/beta windows, and the last point of the
1Y path move with it. So each symbol's history, each pair's alignment and the sums over the
fixed part of every window are prepared once per set of bars (and live day); a new price then
finishes each statistic with one step (Welford's update for the variances and covariance, one
more step of the drawdown walk). Correlation, beta and volatility therefore agree with a full
recompute to rounding (~1e-12 relative), not bit for bit; returns, spreads and drawdown exactly.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from neodymium.providers.analytics import (
    _LONG,
    _SHORT,
    TRADING_DAYS,
    WINDOWS,
    _corr_beta,
    _daily_returns,
    _divide,
    _History,
    _note,
    _spread,
    _start_index,
)
from neodymium.providers.figures import Comparison, finite, high_low_52w, pct_from
from neodymium.providers.models import Bar

Moments = tuple[int, float, float, float, float, float]
"""Paired samples: count, mean of x, mean of y, and the centred sums xx, yy, xy."""


def _moments(xs: Sequence[float], ys: Sequence[float]) -> Moments:
    """Two-pass moments (as ``analytics._corr_beta`` computes them)."""
    n = len(xs)
    mx, my = sum(xs) / n, sum(ys) / n
    dx, dy = [x - mx for x in xs], [y - my for y in ys]
    return (n, mx, my, sum(x * x for x in dx), sum(y * y for y in dy),
            sum(x * y for x, y in zip(dx, dy, strict=True)))


def _add(m: Moments, x: float, y: float) -> Moments:
    """``m`` with one more pair (Welford's update)."""
    n, mx, my, sxx, syy, sxy = m
    n += 1
    ddx, ddy = x - mx, y - my
    mx += ddx / n
    my += ddy / n
    return n, mx, my, sxx + ddx * (x - mx), syy + ddy * (y - my), sxy + ddx * (y - my)


def _corr_beta_of(m: Moments) -> tuple[float | None, float | None]:
    """Correlation and beta from moments (sample statistics, as ``analytics._corr_beta``)."""
    n, _, _, sxx, syy, sxy = m
    var_p, var_e, cov_pe = sxx / (n - 1), syy / (n - 1), sxy / (n - 1)
    if not var_e > 0:
        return None, None
    corr = finite(cov_pe / math.sqrt(var_p * var_e)) if var_p > 0 else None
    return (None if corr is None else max(-1.0, min(1.0, corr))), finite(cov_pe / var_e)


@dataclass(frozen=True, slots=True)
class Series:
    """One symbol's closes up to ``asof``: the completed sessions, then the live day (whose
    close is the live price, given when finishing) when the quote trades on it."""

    days: list[int]
    fixed: list[float]
    live: bool
    asof: date
    #: The window start index of each return window (None: history too short).
    starts: dict[str, int | None]
    #: Where the 1Y path starts, and its fixed part's volatility moments and drawdown walk.
    path_start: int | None
    path_moments: Moments | None
    path_walk: tuple[float, float] | None

    def value(self, index: int, last: float | None) -> float:
        """The close at ``index`` (the live price for the live day)."""
        if self.live and index == len(self.days) - 1 and last is not None:
            return last
        return self.fixed[index]

    def end(self, last: float | None) -> float:
        """The returns' end: the live price, or the last close without one (``days`` is not
        empty)."""
        return self.fixed[-1] if last is None else last

    def returns(self, last: float | None) -> dict[str, float | None]:
        """Percent return per window to the live price (``analytics._returns``)."""
        if not self.days:
            return dict.fromkeys(WINDOWS)
        end = self.end(last)
        return {window: None if start is None else pct_from(end, self.value(start, last))
                for window, start in self.starts.items()}

    def closes(self, last: float | None, count: int) -> list[float]:
        """The last ``count`` closes, the live price last (a sparkline's)."""
        values = self.fixed[-count:]
        if self.live and values and last is not None:
            values[-1] = last
        return values

    def volatility(self, last: float | None) -> float | None:
        """Annualised volatility over the 1Y path ending at the live price."""
        if self.path_moments is None or self.path_start is None:
            return None
        end, previous = self.end(last), self.fixed[-2]
        step = (end / previous if previous else _divide(end, previous)) - 1.0
        n, _, _, m2, _, _ = _add(self.path_moments, step, step)
        return finite(math.sqrt(m2 / (n - 1)) * math.sqrt(TRADING_DAYS) * 100.0)

    def drawdown(self, last: float | None) -> float | None:
        """The deepest fall over the 1Y path ending at the live price (``_max_drawdown``)."""
        if self.path_walk is None:
            return None
        peak, deepest = self.path_walk
        if deepest != deepest:
            return math.nan
        value = self.end(last)
        if value > peak:
            peak = value
        fall = (value / peak if peak else _divide(value, peak)) - 1.0
        if fall != fall:
            return math.nan
        return min(deepest, fall) * 100.0


def series(bars: Sequence[Bar], live_day: date | None, asof: date) -> Series:
    """Prepare one symbol's closes: ``bars`` are its completed daily bars, ``live_day`` the
    day its live price closes (replacing that day's bar), None without a live price."""
    live_ord = live_day.toordinal() if live_day is not None else None
    kept = [bar for bar in bars if live_ord is None or bar.day.toordinal() < live_ord]
    history = _History.of_bars(kept).upto(asof)
    days, fixed = list(history.days), list(history.values)
    live = live_ord is not None and live_ord <= asof.toordinal()
    if live_ord is not None and live:
        days.append(live_ord)
        fixed.append(math.nan)  # a placeholder: the live price stands here
    starts = {window: _start_index(window, asof, days) for window in WINDOWS}
    path_start = _start_index("1Y", asof, days)
    moments = walk = None
    if path_start is not None:
        path = fixed[path_start:-1]  # every close of the path but its end
        if len(path) >= 2:
            daily = _daily_returns(path)
            moments = _moments(daily, daily)
        walk = _walk(path)
    return Series(days, fixed, live, asof, starts, path_start, moments, walk)


def _walk(path: Sequence[float]) -> tuple[float, float]:
    """Peak and deepest fall (a ratio) so far; nan as deepest once a fall is nan."""
    peak, deepest = -math.inf, math.inf
    for value in path:
        if value > peak:
            peak = value
        fall = (value / peak if peak else _divide(value, peak)) - 1.0
        if fall != fall:
            return peak, math.nan
        deepest = min(deepest, fall)
    return peak, deepest


@dataclass(frozen=True, slots=True)
class Pair:
    """A symbol aligned with the primary on their common sessions (the last 251)."""

    aligned: int
    note: str | None
    #: Index pairs (primary, symbol) of the last common sessions, oldest first.
    pairs: list[tuple[int, int]]
    #: True when the last pair holds a live price (so the windows' last return moves).
    moving: bool
    #: Per window length: the moments of the fixed returns (the last n-1 when ``moving``,
    #: else all n), or None when the window is longer than the history.
    windows: dict[int, Moments | None]
    #: Correlation and beta when nothing moves (the fixed answer).
    settled: dict[int, tuple[float | None, float | None]]


def pair(primary: str, symbol: str, base: Series, own: Series) -> Pair:
    """Align ``own`` with ``base`` as ``analytics.compare`` does and prepare the windows."""
    keep = _LONG + 1
    if own.days == base.days:
        aligned = len(own.days)
        pairs = [(i, i) for i in range(max(0, aligned - keep), aligned)]
    else:
        own_index = {day: index for index, day in enumerate(own.days)}
        common = [(index, own_index[day]) for index, day in enumerate(base.days)
                  if day in own_index]
        aligned, pairs = len(common), common[-keep:]
    last_p, last_s = len(base.days) - 1, len(own.days) - 1
    moving = bool(pairs) and ((base.live and pairs[-1][0] == last_p)
                              or (own.live and pairs[-1][1] == last_s))
    fixed_pairs = pairs[:-1] if moving else pairs
    daily_p = _daily_returns([base.fixed[i] for i, _ in fixed_pairs])
    daily_e = _daily_returns([own.fixed[j] for _, j in fixed_pairs])
    total = len(daily_p) + (1 if moving and len(pairs) > 1 else 0)
    windows: dict[int, Moments | None] = {}
    settled: dict[int, tuple[float | None, float | None]] = {}
    for n in (_SHORT, _LONG):
        if total < n:
            windows[n], settled[n] = None, (None, None)
        elif moving:
            windows[n] = _moments(daily_p[-(n - 1):], daily_e[-(n - 1):])
        else:
            windows[n], settled[n] = None, _corr_beta(daily_p, daily_e, n)
    note = _note(primary, symbol, base.days, own.days, aligned)
    return Pair(aligned, note, pairs, moving and len(pairs) > 1, windows, settled)


def comparison(symbol: str, base: Series, own: Series, link: Pair,
               last_p: float | None, last_s: float | None,
               primary_returns: dict[str, float | None]) -> Comparison:
    """``symbol``'s comparison at the live prices (finite, or None), from the prepared parts."""
    own_returns = own.returns(last_s)
    stats: dict[int, tuple[float | None, float | None]] = dict(link.settled)
    if link.moving:
        (i0, j0), (i1, j1) = link.pairs[-2], link.pairs[-1]
        p0, p1 = base.value(i0, last_p), base.value(i1, last_p)
        e0, e1 = own.value(j0, last_s), own.value(j1, last_s)
        x = (p1 / p0 if p0 else _divide(p1, p0)) - 1.0
        y = (e1 / e0 if e0 else _divide(e1, e0)) - 1.0
        for n, moments in link.windows.items():
            stats[n] = (None, None) if moments is None else _corr_beta_of(_add(moments, x, y))
    return Comparison(
        symbol=symbol, returns=own_returns, spread=_spread(primary_returns, own_returns),
        corr_60=stats[_SHORT][0], corr_250=stats[_LONG][0],
        beta_60=stats[_SHORT][1], beta_250=stats[_LONG][1],
        vol_ann=own.volatility(last_s), max_drawdown=own.drawdown(last_s),
        aligned_days=link.aligned, note=link.note,
    )


class Memo:
    """Prepared series and pairs (and the bars' 52-week high and low), reused while their
    inputs hold: one derive hands it to the next. Holds the watched symbols only."""

    def __init__(self) -> None:
        self._series: dict[str, tuple[Sequence[Bar], date | None, date, Series]] = {}
        self._pairs: dict[str, tuple[str, Series, Series, Pair]] = {}
        self._ranges: dict[str, tuple[Sequence[Bar], date, tuple[float, float] | None]] = {}

    def keep(self, keys: Sequence[str]) -> None:
        """Forget every symbol but ``keys`` (a watchlist edit dropped the others)."""
        for held in (self._series, self._pairs, self._ranges):
            for key in [key for key in held if key not in keys]:
                del held[key]

    def held(self) -> set[str]:
        """The symbols something is kept for."""
        return {*self._series, *self._pairs, *self._ranges}

    def series(self, key: str, bars: Sequence[Bar], live_day: date | None,
               asof: date) -> Series:
        """``key``'s prepared closes (see :func:`series`)."""
        held = self._series.get(key)
        if held is not None and held[0] is bars and held[1:3] == (live_day, asof):
            return held[3]
        prepared = series(bars, live_day, asof)
        self._series[key] = (bars, live_day, asof, prepared)
        return prepared

    def pair(self, primary: str, key: str, base: Series, own: Series) -> Pair:
        """``key`` aligned with the primary (see :func:`pair`)."""
        held = self._pairs.get(key)
        if held is not None and held[0] == primary and held[1] is base and held[2] is own:
            return held[3]
        link = pair(primary, key, base, own)
        self._pairs[key] = (primary, base, own, link)
        return link

    def high_low(self, key: str, bars: Sequence[Bar], day: date) -> tuple[float, float] | None:
        """``high_low_52w(bars, day)``, computed once per set of bars and day."""
        held = self._ranges.get(key)
        if held is not None and held[0] is bars and held[1] == day:
            return held[2]
        computed = high_low_52w(bars, day) if bars else None
        self._ranges[key] = (bars, day, computed)
        return computed

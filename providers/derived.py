"""Figures derived from a snapshot once, when the feed publishes it, not on every redraw.

For the primary and each comparison symbol: the effective price limits and where the last price
sits against them, the 52-week range (the quote's, or the daily bars' when the quote has none)
and the distance from its ends, the sparkline closes, and the comparison statistics (returns,
spreads, correlation, beta, volatility, drawdown). The view-model only formats these.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from types import MappingProxyType
from typing import TYPE_CHECKING

from neodymium.providers.comparison_state import Memo, comparison
from neodymium.providers.figures import Comparison, finite, high_low_52w, pct_from
from neodymium.providers.limits import LimitInfo, LimitStatus, limit_info, limit_status
from neodymium.providers.markets import zone
from neodymium.providers.models import Bar
from neodymium.providers.symbols import Symbol, parse_symbol

if TYPE_CHECKING:
    from neodymium.config.settings import Settings
    from neodymium.providers.store import Snapshot

#: Closes in a comparison row's sparkline.
SPARK_SESSIONS = 20
#: The bars' 52-week range is noted when it differs from the quote's by more than this.
RANGE_TOLERANCE = 0.005


@dataclass(frozen=True, slots=True)
class RangeFigures:
    """The 52-week range, widened to include the last price, and the last price's place in it."""

    low: float | None
    high: float | None
    #: True when the quote had no 52-week range and the daily bars gave it.
    from_bars: bool = False
    #: The bars' own (adjusted) range, when it differs from the quote's.
    bars_low: float | None = None
    bars_high: float | None = None
    from_high_pct: float | None = None
    from_low_pct: float | None = None


@dataclass(frozen=True, slots=True)
class SymbolFigures:
    """What is derived for one watched symbol."""

    key: str
    limit_info: LimitInfo = field(default_factory=LimitInfo)
    limit_status: LimitStatus = LimitStatus.NONE
    range_52w: RangeFigures = RangeFigures(None, None)
    spark: tuple[float, ...] = ()
    comparison: Comparison | None = None

    @property
    def limits(self) -> tuple[float, float] | None:
        """(limit-up, limit-down) when both are known."""
        return self.limit_info.prices

    @property
    def trend(self) -> float | None:
        """Last spark close minus the first (None with fewer than two)."""
        return self.spark[-1] - self.spark[0] if len(self.spark) > 1 else None


@dataclass(frozen=True, slots=True)
class DerivedView:
    """The derived figures of one snapshot: the primary first, then each comparison symbol."""

    primary: str
    keys: tuple[str, ...]
    figures: Mapping[str, SymbolFigures]
    #: What the comparisons were computed from, so an unchanged input reuses them.
    comparison_inputs: object = None
    #: Watchlist symbols (every group) outside ``keys``: limits and their status only.
    listed: tuple[str, ...] = ()
    #: State prepared from the bars, handed on to the next snapshot's derive.
    memo: Memo = field(default_factory=Memo, compare=False, repr=False)

    def of(self, key: str) -> SymbolFigures:
        """The figures of ``key`` (empty ones for a symbol not watched)."""
        return self.figures.get(key) or SymbolFigures(key)


def with_live_close(bars: Sequence[Bar], snapshot: Snapshot, symbol: Symbol) -> tuple[Bar, ...]:
    """The daily bars ending at the live price: today's bar replaced or appended from the quote.

    A quote older than the last bar changes nothing; the added bar carries the quote's volume.
    """
    state = snapshot.quotes.get(symbol.key)
    quote = state.quote if state else None
    if quote is None or quote.last is None or not math.isfinite(quote.last):
        return tuple(bars)
    day = quote.as_of.astimezone(zone(symbol.market)).date()
    last_day = bars[-1].day if bars else None
    if last_day is not None and day < last_day:
        return tuple(bars)
    live = Bar(symbol=symbol.key, day=day, open=quote.open, high=quote.high, low=quote.low,
               close=quote.last, volume=quote.volume, amount=quote.amount)
    kept = tuple(bars[:-1]) if last_day == day else tuple(bars)
    return (*kept, live)


def watched_keys(settings: Settings) -> tuple[str, ...]:
    """The primary's key, then each valid comparison key once."""
    keys = [parse_symbol(settings.watch.primary).key]
    for raw in settings.watch.compare:
        try:
            key = parse_symbol(raw).key
        except ValueError:
            continue
        if key not in keys:
            keys.append(key)
    return tuple(keys)


def listed_keys(settings: Settings, keys: Sequence[str]) -> tuple[str, ...]:
    """Each valid watchlist symbol (``[watch].symbols`` and every group) not in ``keys``."""
    raw = [*settings.watch.symbols, *(s for group in settings.watch.groups.values() for s in group)]
    listed: list[str] = []
    for text in raw:
        try:
            key = parse_symbol(text).key
        except ValueError:
            continue
        if key not in keys and key not in listed:
            listed.append(key)
    return tuple(listed)


def derived_for(snapshot: Snapshot, settings: Settings) -> DerivedView:
    """The snapshot's derived figures; derived here only for a snapshot the feed did not
    publish (a test's) or one that predates a watchlist edit."""
    derived = snapshot.derived
    keys, listed = _keys_of(settings)
    if derived is None or derived.keys != keys or derived.listed != listed:
        derived = derive(snapshot, settings, derived)
    return derived


_KEYS: list[tuple[object, tuple[str, ...], tuple[str, ...]]] = []


def _keys_of(settings: Settings) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """``watched_keys`` and ``listed_keys`` of ``settings.watch``, worked out once per
    watch settings object (the views ask for them per row, on every redraw)."""
    watch = settings.watch
    if _KEYS and _KEYS[0][0] is watch:
        return _KEYS[0][1], _KEYS[0][2]
    keys = watched_keys(settings)
    listed = listed_keys(settings, keys)
    _KEYS[:] = [(watch, keys, listed)]
    return keys, listed


@dataclass(frozen=True, slots=True)
class _Inputs:
    """What a DerivedView was computed from: each symbol's quote and bars."""

    primary: str
    asof: date
    near_pct: float
    per_key: Mapping[str, tuple[object, ...]]


def _inputs_of(snapshot: Snapshot, key: str) -> tuple[object, ...]:
    """``key``'s quote and bars. The store keeps a symbol's bars tuple while its bars stay
    equal, so comparing these is an identity check on every snapshot but one whose history
    changed (any bar: a corrected old close too, not only a new last bar)."""
    state = snapshot.quotes.get(key)
    return (state.quote if state else None, snapshot.bars.get(key, ()))


def _live_day(snapshot: Snapshot, key: str) -> date | None:
    """The day of the last bar ``with_live_close`` would give ``key``."""
    live = _live_close_day(snapshot, key)
    if live is not None:
        return live
    bars = snapshot.bars.get(key, ())
    return bars[-1].day if bars else None


def _live_close_day(snapshot: Snapshot, key: str) -> date | None:
    """The day whose close is ``key``'s live price in ``with_live_close`` (None: no live
    price, or a quote older than the last bar)."""
    state = snapshot.quotes.get(key)
    quote = state.quote if state else None
    if quote is None or quote.last is None or not math.isfinite(quote.last):
        return None
    day = quote.as_of.astimezone(zone(parse_symbol(key).market)).date()
    bars = snapshot.bars.get(key, ())
    return None if bars and day < bars[-1].day else day


def derive(snapshot: Snapshot, settings: Settings,
           previous: DerivedView | None = None) -> DerivedView:
    """Every derived figure of ``snapshot``. A symbol whose quote and bars are those
    ``previous`` was derived from keeps its figures; comparisons are computed again only for
    the symbols whose inputs changed (for all of them when the primary's did), each in a few
    steps from state prepared once per set of bars (providers.comparison_state)."""
    keys, listed = _keys_of(settings)
    primary = keys[0]
    near_pct = settings.display.near_limit_pct
    asof = max((day for key in keys if (day := _live_day(snapshot, key)) is not None),
               default=snapshot.as_of.date())
    inputs = _Inputs(primary, asof, near_pct,
                     MappingProxyType({key: _inputs_of(snapshot, key) for key in (*keys, *listed)}))
    old = previous.comparison_inputs if previous is not None else None
    if previous is None or not isinstance(old, _Inputs) or previous.keys != keys or \
            (old.primary, old.asof, old.near_pct) != (primary, asof, near_pct):
        old = None
    changed = {key for key in (*keys, *listed)
               if old is None or old.per_key.get(key) != inputs.per_key[key]}
    comparing = keys if old is None or primary in changed else \
        (primary, *(key for key in keys if key in changed and key != primary))
    memo = previous.memo if previous is not None else Memo()
    memo.keep(keys)
    last = {key: _live_last(snapshot, key) for key in comparing}
    prepared = {key: memo.series(key, snapshot.bars.get(key, ()),
                                 _live_close_day(snapshot, key), asof) for key in comparing}
    comparisons: dict[str, Comparison] = {}
    if changed.intersection(comparing):
        base = prepared[primary]
        primary_returns = base.returns(last[primary])
        for key in comparing:
            link = memo.pair(primary, key, base, prepared[key])
            comparisons[key] = comparison(key, base, prepared[key], link, last[primary],
                                          last[key], primary_returns)
    figures: dict[str, SymbolFigures] = {}
    for key in keys:
        if previous is not None and key not in changed:
            # Same quote and bars: limits, range and sparkline hold; only the comparison
            # (the primary moved) may be new.
            held = previous.of(key)
            if key in comparisons and held.comparison != comparisons[key]:
                held = replace(held, comparison=comparisons[key])
            figures[key] = held
        else:
            spark = tuple(prepared[key].closes(last[key], SPARK_SESSIONS))
            figures[key] = _figures(key, snapshot, spark, comparisons.get(key), near_pct, memo)
    for key in listed:  # the watchlist's badges: limits only, no bars or comparisons
        figures[key] = previous.of(key) if previous is not None and key not in changed \
            else _figures(key, snapshot, (), None, near_pct, memo)
    return DerivedView(primary=primary, keys=keys, figures=MappingProxyType(figures),
                       comparison_inputs=inputs, listed=listed, memo=memo)


def _live_last(snapshot: Snapshot, key: str) -> float | None:
    """``key``'s live price when it is a finite number."""
    state = snapshot.quotes.get(key)
    return finite(state.quote.last) if state is not None else None


def first_figures(snapshot: Snapshot, settings: Settings) -> DerivedView:
    """What the first frame shows from cached quotes alone: limits and the quotes' 52-week
    ranges; no sparklines or comparisons until the bars are read (the feed's own snapshot,
    a moment later, brings them, and numpy)."""
    keys = watched_keys(settings)
    near_pct = settings.display.near_limit_pct
    listed = listed_keys(settings, keys)
    figures = {key: _figures(key, snapshot, (), None, near_pct) for key in (*keys, *listed)}
    return DerivedView(primary=keys[0], keys=keys, figures=MappingProxyType(figures),
                       listed=listed)


def _figures(key: str, snapshot: Snapshot, spark: tuple[float, ...],
             comparison: Comparison | None, near_pct: float,
             memo: Memo | None = None) -> SymbolFigures:
    state = snapshot.quotes.get(key)
    if state is None:
        return SymbolFigures(key, spark=spark, comparison=comparison)
    quote = state.quote
    symbol = parse_symbol(key)
    info = limit_info(quote, symbol)
    lims = info.prices
    status = LimitStatus.NONE
    if lims is not None:
        status = limit_status(quote.last, lims[0], lims[1], quote.prev_close, near_pct)
    bars, day = snapshot.bars.get(key, ()), quote.as_of.date()
    computed = memo.high_low(key, bars, day) if memo is not None else \
        (high_low_52w(bars, day) if bars else None)
    return SymbolFigures(
        key, limit_info=info, limit_status=status,
        range_52w=_widened(quote.last, quote.high_52w, quote.low_52w, computed),
        spark=spark, comparison=comparison,
    )


def range_52w(last: float | None, high: float | None, low: float | None,
              bars: Sequence[Bar], asof: date) -> RangeFigures:
    """The quote's 52-week range (or the bars' when it has none), widened to ``last``."""
    return _widened(last, high, low, high_low_52w(bars, asof) if bars else None)


def _widened(last: float | None, high: float | None, low: float | None,
             computed: tuple[float, float] | None) -> RangeFigures:
    """The quote's range, or ``computed`` (the bars' (high, low)) without one, widened to
    ``last``; the bars' range is noted when it differs."""
    from_bars = False
    bars_low = bars_high = None
    if computed is not None:
        c_high, c_low = computed
        if low is None or high is None:
            low, high, from_bars = c_low, c_high, True
        elif abs(c_high / high - 1) > RANGE_TOLERANCE or abs(c_low / low - 1) > RANGE_TOLERANCE:
            bars_low, bars_high = c_low, c_high
    if last is not None and low is not None and high is not None:
        low, high = min(low, last), max(high, last)
    return RangeFigures(
        low=low, high=high, from_bars=from_bars, bars_low=bars_low, bars_high=bars_high,
        from_high_pct=pct_from(last, high) if high else None,
        from_low_pct=pct_from(last, low) if low else None,
    )

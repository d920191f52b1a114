"""The tick-by-tick comparison agrees with a full recompute from the bars (analytics.compare).

Each case derives snapshot after snapshot as the feed does (the previous view handed on), and
checks every row against ``analytics.compare`` on ``with_live_close`` bars: returns, spreads
and drawdown exactly, correlation, beta and volatility to rounding (they finish with one
Welford step instead of a second pass over the window).
"""

from __future__ import annotations

import math
import random
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from neodymium.config.settings import Settings
from neodymium.providers import analytics, comparison_state
from neodymium.providers.derived import DerivedView, derive, watched_keys, with_live_close
from neodymium.providers.figures import Comparison
from neodymium.providers.models import Bar, Quote
from neodymium.providers.store import Snapshot, Store
from neodymium.providers.symbols import parse_symbol

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 1, 23, 10, 30, tzinfo=SHANGHAI)
PRIMARY = "600111.SS"
ETF = "159713.SZ"
US = "REMX"
SETTINGS = Settings.model_validate({"watch": {
    "primary": PRIMARY, "symbols": [PRIMARY], "compare": [ETF, "516780.SS", US]}})
EXACT = ("returns", "spread", "max_drawdown", "aligned_days", "note", "symbol")
ROUNDED = ("corr_60", "corr_250", "beta_60", "beta_250", "vol_ann")


def history(key: str, sessions: int, seed: int, *, skip_mondays: bool = False,
            end: date = date(2026, 1, 22)) -> list[Bar]:
    """``sessions`` weekdays of a random walk ending on ``end``."""
    rng = random.Random(seed)
    days: list[date] = []
    day = end
    while len(days) < sessions:
        if day.weekday() < 5 and not (skip_mondays and day.weekday() == 0):
            days.append(day)
        day -= timedelta(days=1)
    close, out = 10.0 + seed, []
    for day in reversed(days):
        close *= 1 + rng.gauss(0, 0.02)
        out.append(Bar(key, day, close, close * 1.01, close * 0.99, close, 1e6))
    return out


def store_with(histories: dict[str, list[Bar]]) -> Store:
    store = Store()
    for key, bars in histories.items():
        store.put_bars(key, bars)
    return store


def quote(key: str, last: float | None, at: datetime = NOW) -> Quote:
    return Quote(key, at, "test", last=last, prev_close=10.0)


def reference(snapshot: Snapshot, settings: Settings) -> dict[str, Comparison]:
    """The comparison computed from the bars alone, as before (analytics.compare)."""
    keys = watched_keys(settings)
    derived = derive(snapshot, settings)  # its asof
    asof = derived.comparison_inputs.asof  # type: ignore[attr-defined]
    bars = {k: with_live_close(snapshot.bars.get(k, ()), snapshot, parse_symbol(k))
            for k in keys}
    last = {k: s.quote.last for k in keys
            if (s := snapshot.quotes.get(k)) is not None and s.quote.last is not None}
    return analytics.compare(keys[0], bars, last, asof)


def assert_matches(derived: DerivedView, snapshot: Snapshot) -> None:
    expected = reference(snapshot, SETTINGS)
    for key in derived.keys:
        got = derived.of(key).comparison
        assert got is not None, key
        want = expected[key]
        for name in EXACT:
            assert _same(getattr(got, name), getattr(want, name)), (key, name)
        for name in ROUNDED:
            a, b = getattr(got, name), getattr(want, name)
            assert (a is None) == (b is None), (key, name, a, b)
            if a is not None:
                assert a == pytest.approx(b, rel=1e-9, abs=1e-12), (key, name)


def _same(a: object, b: object) -> bool:
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    return a == b


def test_tick_after_tick_every_row_equals_a_full_recompute() -> None:
    store = store_with({PRIMARY: history(PRIMARY, 300, 1), ETF: history(ETF, 300, 2),
                        "516780.SS": history("516780.SS", 90, 3),  # too short for ρ/β 250
                        US: history(US, 280, 4, skip_mondays=True)})  # another calendar
    rng = random.Random(9)
    previous = None
    for tick in range(12):
        now = NOW + timedelta(seconds=3 * tick)
        moving = [PRIMARY] if tick % 3 == 0 else [rng.choice([ETF, "516780.SS", US])]
        for key in moving if tick else [PRIMARY, ETF, "516780.SS", US]:
            store.put_quote(quote(key, 10 + rng.random() * 5, now), now)
        snap = store.snapshot(now, {})
        previous = derive(snap, SETTINGS, previous)
        assert_matches(previous, snap)


def test_no_live_price_a_stale_quote_and_new_bars_match_too() -> None:
    store = store_with({PRIMARY: history(PRIMARY, 260, 5), ETF: history(ETF, 260, 6),
                        "516780.SS": history("516780.SS", 3, 7), US: history(US, 1, 8)})
    store.put_quote(quote(PRIMARY, 12.5), NOW)
    store.put_quote(quote(ETF, None), NOW)  # no trade yet: no live close
    store.put_quote(quote("516780.SS", 11.0, NOW - timedelta(days=3)), NOW)  # older than bars
    first = derive(store.snapshot(NOW, {}), SETTINGS)
    assert_matches(first, store.snapshot(NOW, {}))
    store.put_bars(PRIMARY, [Bar(PRIMARY, date(2026, 1, 23), 12, 13, 11, 12.25, 1e6)])
    snap = store.snapshot(NOW, {})  # today's bar arrived: the live price replaces it
    assert_matches(derive(snap, SETTINGS, first), snap)


def test_an_etf_tick_recomputes_only_its_own_row() -> None:
    store = store_with({key: history(key, 260, n) for n, key in
                        enumerate([PRIMARY, ETF, "516780.SS", US])})
    for key in (PRIMARY, ETF, "516780.SS", US):
        store.put_quote(quote(key, 11.0), NOW)
    first = derive(store.snapshot(NOW, {}), SETTINGS)
    store.put_quote(quote(ETF, 11.5), NOW)
    second = derive(store.snapshot(NOW, {}), SETTINGS, first)
    for key in (PRIMARY, "516780.SS", US):
        assert second.of(key) is first.of(key)  # kept as they were, not computed again
    assert second.of(ETF).comparison != first.of(ETF).comparison
    store.put_quote(quote(PRIMARY, 11.2), NOW)
    third = derive(store.snapshot(NOW, {}), SETTINGS, second)
    for key in (ETF, "516780.SS", US):  # the primary's move changes every spread
        assert third.of(key).comparison.spread != second.of(key).comparison.spread


def test_symbols_without_bars_or_quotes_match_and_dropped_symbols_are_forgotten() -> None:
    store = store_with({PRIMARY: history(PRIMARY, 260, 1), ETF: history(ETF, 260, 2)})
    store.put_quote(quote(PRIMARY, 12.0), NOW)
    store.put_quote(quote("516780.SS", 1.5), NOW)  # a live price and no bars at all
    snap = store.snapshot(NOW, {})  # REMX: neither bars nor a quote
    first = derive(snap, SETTINGS)
    assert_matches(first, snap)
    assert first.of("516780.SS").spark == (1.5,)
    fewer = Settings.model_validate({"watch": {
        "primary": PRIMARY, "symbols": [PRIMARY], "compare": [ETF]}})
    second = derive(snap, fewer, first)
    assert second.keys == (PRIMARY, ETF)
    assert second.memo.held() <= {PRIMARY, ETF}  # nothing kept for dropped symbols


def assert_same_as_from_scratch(derived: DerivedView, snapshot: Snapshot) -> None:
    """Every figure equals a derive with nothing handed on (comparisons: the reference)."""
    scratch = derive(snapshot, SETTINGS)
    for key in derived.keys:
        got, want = derived.of(key), scratch.of(key)
        assert (got.limit_info, got.limit_status, got.range_52w, got.spark) == \
            (want.limit_info, want.limit_status, want.range_52w, want.spark), key
    assert_matches(derived, snapshot)


def test_history_polled_again_unchanged_prepares_nothing_again(
        monkeypatch: pytest.MonkeyPatch) -> None:
    histories = {key: history(key, 300, n) for n, key in
                 enumerate([PRIMARY, ETF, "516780.SS", US])}
    store = store_with(histories)
    for key in histories:
        store.put_quote(quote(key, 11.0), NOW)
    first = derive(store.snapshot(NOW, {}), SETTINGS)
    for key, bars in histories.items():  # the hourly history poll: the same bars again
        store.put_bars(key, [Bar(*vars_of(bar)) for bar in bars[-2:]])
    prepared: list[str] = []
    real = comparison_state.series
    monkeypatch.setattr(comparison_state, "series",
                        lambda bars, *rest: prepared.append(bars[0].symbol) or real(bars, *rest))
    store.put_quote(quote(PRIMARY, 11.3), NOW)  # then the primary moves
    snap = store.snapshot(NOW, {})
    second = derive(snap, SETTINGS, first)
    assert prepared == []  # no history-wide series built again
    for key in (ETF, "516780.SS", US):  # their own figures stand; only the comparison moved
        assert second.of(key).range_52w is first.of(key).range_52w
        assert second.of(key).comparison != first.of(key).comparison
    assert_same_as_from_scratch(second, snap)


def test_a_corrected_old_close_derives_that_symbol_again() -> None:
    histories = {key: history(key, 300, n) for n, key in
                 enumerate([PRIMARY, ETF, "516780.SS", US])}
    store = store_with(histories)
    for key in histories:
        store.put_quote(quote(key, 11.0), NOW)
    first = derive(store.snapshot(NOW, {}), SETTINGS)
    old = histories[ETF][-30]  # a month back: neither the bar count nor the last bar moves
    store.put_bars(ETF, [Bar(ETF, old.day, old.open, old.high * 1.5, old.low, old.close * 1.4,
                             old.volume)])
    snap = store.snapshot(NOW, {})
    second = derive(snap, SETTINGS, first)
    assert second.of(ETF).comparison != first.of(ETF).comparison
    assert second.of(PRIMARY) is first.of(PRIMARY)
    assert_same_as_from_scratch(second, snap)


def test_a_new_day_and_a_changed_watch_list_equal_a_derive_from_scratch() -> None:
    histories = {key: history(key, 300, n) for n, key in
                 enumerate([PRIMARY, ETF, "516780.SS", US])}
    store = store_with(histories)
    for key in histories:
        store.put_quote(quote(key, 11.0), NOW)
    previous = derive(store.snapshot(NOW, {}), SETTINGS)
    for key in histories:  # today's bars arrive after the close, then the next day trades
        store.put_bars(key, [Bar(key, NOW.date(), 11.0, 11.2, 10.8, 11.0, 1e6)])
    tomorrow = NOW + timedelta(days=3)  # Monday: every window and the 52 weeks move on
    for n, key in enumerate(histories):
        store.put_quote(quote(key, 11.5 + n * 0.1, tomorrow), tomorrow)
        snap = store.snapshot(tomorrow, {})
        previous = derive(snap, SETTINGS, previous)
        assert_same_as_from_scratch(previous, snap)
    assert previous.of(PRIMARY).spark[-2:] == (11.0, 11.5)
    fewer = Settings.model_validate({"watch": {
        "primary": ETF, "symbols": [ETF], "compare": [PRIMARY, US]}})
    swapped = derive(snap, fewer, previous)
    scratch = derive(snap, fewer)
    for key in (ETF, PRIMARY, US):
        assert swapped.of(key).range_52w == scratch.of(key).range_52w
        assert swapped.of(key).spark == scratch.of(key).spark
        assert swapped.of(key).comparison.spread == scratch.of(key).comparison.spread


def vars_of(bar: Bar) -> tuple[object, ...]:
    """A bar's fields in order (a new object equal to it)."""
    return (bar.symbol, bar.day, bar.open, bar.high, bar.low, bar.close, bar.volume, bar.amount)

"""Derived figures: computed once per published snapshot, on the providers side."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from neodymium.config.settings import Settings
from neodymium.providers.clock import FrozenClock
from neodymium.providers.derived import derive, range_52w, watched_keys, with_live_close
from neodymium.providers.limits import LimitStatus
from neodymium.providers.models import Bar, Quote
from neodymium.providers.runtime import Runtime
from neodymium.providers.store import Store
from neodymium.providers.symbols import parse_symbol

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 1, 23, 10, 30, tzinfo=SHANGHAI)
SETTINGS = Settings.model_validate({"watch": {
    "primary": "600111.SS", "symbols": ["600111.SS"],
    "compare": ["159713.SZ", "not a symbol", "600111.SS"]}})


def bars(key: str, closes: list[float]) -> list[Bar]:
    last = date(2026, 1, 22)
    days = [last - timedelta(days=i) for i in range(len(closes))][::-1]
    return [Bar(key, d, c, c * 1.01, c * 0.99, c, 1e6) for d, c in zip(days, closes, strict=True)]


def snapshot(last: float, etf_last: float = 1.2, **quote: float | None):
    store = Store()
    store.put_quote(Quote("600111.SS", NOW, "test", name="北方稀土", last=last, prev_close=50.0,
                          **quote), NOW)
    store.put_quote(Quote("159713.SZ", NOW, "test", last=etf_last, prev_close=1.19), NOW)
    store.put_bars("600111.SS", bars("600111.SS", [40.0 + i * 0.5 for i in range(30)]))
    store.put_bars("159713.SZ", bars("159713.SZ", [1.0 + i * 0.01 for i in range(30)]))
    return store.snapshot(NOW, {})


def test_watched_keys_are_the_primary_then_each_valid_comparison_once() -> None:
    assert watched_keys(SETTINGS) == ("600111.SS", "159713.SZ")


def test_limits_and_their_status_come_from_the_quote_and_the_board_rules() -> None:
    at_limit = derive(snapshot(55.0), SETTINGS).of("600111.SS")
    assert at_limit.limits == (55.0, 45.0)  # main board ±10 % of 50.00
    assert at_limit.limit_status is LimitStatus.AT_UP
    calm = derive(snapshot(50.2), SETTINGS).of("600111.SS")
    assert calm.limit_status is LimitStatus.NONE


def test_52_week_range_falls_back_to_the_bars_and_widens_to_the_last_price() -> None:
    figures = derive(snapshot(60.0), SETTINGS).of("600111.SS")
    span = figures.range_52w
    assert span.from_bars
    assert span.low == 40.0 * 0.99
    assert span.high == 60.0  # the live price is above every bar's high
    assert span.from_high_pct == 0.0


def test_a_quote_range_that_disagrees_with_the_bars_keeps_both() -> None:
    span = range_52w(50.0, 70.0, 30.0, bars("600111.SS", [40.0, 45.0]), date(2026, 1, 22))
    assert (span.low, span.high, span.from_bars) == (30.0, 70.0, False)
    assert (span.bars_low, span.bars_high) == (40.0 * 0.99, 45.0 * 1.01)


def test_sparkline_and_comparisons_end_at_the_live_price() -> None:
    derived = derive(snapshot(56.0), SETTINGS)
    primary = derived.of("600111.SS")
    assert len(primary.spark) == 20
    assert primary.spark[-1] == 56.0
    assert primary.trend is not None and primary.trend > 0
    etf = derived.of("159713.SZ").comparison
    assert etf is not None and etf.returns["1D"] is not None


def test_unchanged_inputs_reuse_the_comparisons_and_a_new_price_recomputes_them() -> None:
    first = derive(snapshot(51.0), SETTINGS)
    again = derive(snapshot(51.0), SETTINGS, first)
    assert again.of("159713.SZ").comparison is first.of("159713.SZ").comparison
    moved = derive(snapshot(52.0), SETTINGS, first)
    assert moved.of("159713.SZ").comparison is not first.of("159713.SZ").comparison
    assert moved.of("600111.SS").comparison.returns != first.of("600111.SS").comparison.returns


def test_only_the_symbols_whose_inputs_changed_are_derived_again() -> None:
    first = derive(snapshot(51.0), SETTINGS)
    etf_moved = snapshot(51.0, etf_last=1.21)
    again = derive(etf_moved, SETTINGS, first)
    assert again.of("600111.SS") is first.of("600111.SS")  # its quote and bars did not change
    assert again.of("159713.SZ") != first.of("159713.SZ")
    assert dict(again.figures) == dict(derive(etf_moved, SETTINGS).figures)  # as from scratch
    primary_moved = snapshot(52.0, etf_last=1.21)
    third = derive(primary_moved, SETTINGS, again)  # every spread moves with the primary
    assert dict(third.figures) == dict(derive(primary_moved, SETTINGS).figures)
    assert third.of("159713.SZ").comparison != again.of("159713.SZ").comparison


def test_a_quote_older_than_the_last_bar_leaves_the_bars_alone() -> None:
    snap = snapshot(51.0)
    old = bars("600111.SS", [1.0, 2.0])
    later = [Bar("600111.SS", date(2026, 1, 24), 1, 1, 1, 3.0, 1.0)]
    assert with_live_close(old + later, snap, parse_symbol("600111.SS")) == tuple(old + later)
    assert with_live_close(old, snap, parse_symbol("600111.SS"))[-1].close == 51.0


async def test_every_published_snapshot_carries_its_derived_figures() -> None:
    async with Runtime(SETTINGS, clock=FrozenClock(NOW), demo=True, seed=1) as runtime:
        snap = await runtime.poll_once(timeout=10)
    assert snap.derived is not None
    assert snap.derived.keys == ("600111.SS", "159713.SZ")
    assert snap.derived.of("600111.SS").limits is not None


def test_watchlist_symbols_get_their_limits_once_per_snapshot_but_no_comparison() -> None:
    settings = Settings.model_validate({"watch": {
        "primary": "600111.SS", "symbols": ["600111.SS", "600392.SS"],
        "groups": {"稀土": ["000831.SZ", "159713.SZ"]}, "compare": ["159713.SZ"]}})
    store = Store()
    store.put_quote(Quote("600392.SS", NOW, "test", last=22.0, prev_close=20.0), NOW)
    store.put_quote(Quote("000831.SZ", NOW, "test", last=19.9, prev_close=20.0), NOW)
    derived = derive(store.snapshot(NOW, {}), settings)
    assert derived.listed == ("600392.SS", "000831.SZ")  # the primary and comparisons are keys
    assert derived.of("600392.SS").limit_status is LimitStatus.AT_UP
    assert derived.of("600392.SS").comparison is None
    assert derived.of("000831.SZ").limits == (22.0, 18.0)

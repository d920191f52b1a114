"""Rows kept between snapshots: an unchanged symbol's row is the same object, a changed one is
built again (and looks as a row built from scratch would)."""

from __future__ import annotations

from datetime import date, timedelta

from neodymium.config.settings import Settings
from neodymium.providers.models import Bar, Quote
from neodymium.providers.store import Store
from neodymium.tui.comparison_view import ComparisonRow, build_comparison
from neodymium.tui.row_memo import RowMemo
from neodymium.tui.watchlist_view import ALL_GROUP, WatchRow, build_watchlist

from tests.tui.conftest import FROZEN

KEYS = ("600111.SS", "159713.SZ", "516780.SS")
SETTINGS = Settings.model_validate({
    "quotes": {"providers": ["tencent"], "interval": 5},
    "watch": {"primary": KEYS[0], "symbols": list(KEYS), "compare": list(KEYS[1:])}})


def bars(key: str, first: float) -> list[Bar]:
    days = [date(2026, 1, 22) - timedelta(days=i) for i in range(30)][::-1]
    return [Bar(key, day, first + i * 0.01, first + i * 0.01, first + i * 0.01, first + i * 0.01,
                1e6) for i, day in enumerate(days)]


def store_with(lasts: dict[str, float]) -> Store:
    store = Store()
    for key, last in lasts.items():
        store.put_quote(Quote(key, FROZEN, "tencent", name=key[:6], last=last,
                              prev_close=last - 0.01), FROZEN)
        store.put_bars(key, bars(key, last - 0.3))
    return store


def quote(key: str, last: float) -> Quote:
    return Quote(key, FROZEN, "tencent", name=key[:6], last=last, prev_close=1.0)


def test_an_unchanged_symbol_keeps_its_comparison_row_and_a_moved_one_gets_a_new_one() -> None:
    store = store_with({KEYS[0]: 50.0, KEYS[1]: 1.2, KEYS[2]: 0.9})
    memo: RowMemo[ComparisonRow] = RowMemo()
    before = build_comparison(store.snapshot(FROZEN, {}), SETTINGS, "1M", memo)
    store.put_quote(quote(KEYS[2], 0.95), FROZEN)
    snapshot = store.snapshot(FROZEN, {})
    after = build_comparison(snapshot, SETTINGS, "1M", memo)
    assert after[0] is before[0] and after[1] is before[1]
    assert after[2] is not before[2] and after[2].last == "0.950"
    assert after == build_comparison(snapshot, SETTINGS, "1M")  # as built without the memo
    other_window = build_comparison(snapshot, SETTINGS, "1Y", memo)
    assert all(new is not old for new, old in zip(other_window, after, strict=True))
    assert other_window == build_comparison(snapshot, SETTINGS, "1Y")


def test_an_unchanged_symbol_keeps_its_watchlist_row_until_it_goes_stale() -> None:
    store = store_with({KEYS[0]: 50.0, KEYS[1]: 1.2, KEYS[2]: 0.9})
    memo: RowMemo[WatchRow] = RowMemo()
    before = build_watchlist(store.snapshot(FROZEN, {}), SETTINGS, ALL_GROUP, FROZEN,
                             memo=memo).rows
    store.put_quote(quote(KEYS[1], 1.25), FROZEN)
    snapshot = store.snapshot(FROZEN, {})
    after = build_watchlist(snapshot, SETTINGS, ALL_GROUP, FROZEN, memo=memo).rows
    assert after[0] is before[0] and after[2] is before[2]
    assert after[1] is not before[1] and after[1].last == "1.250"
    assert after == build_watchlist(snapshot, SETTINGS, ALL_GROUP, FROZEN).rows
    later = FROZEN + timedelta(minutes=5)  # no update for 5 minutes in a session: stale
    silent = build_watchlist(snapshot, SETTINGS, ALL_GROUP, later, memo=memo).rows
    assert [row.stale for row in silent] == [True, True, True]
    assert silent == build_watchlist(snapshot, SETTINGS, ALL_GROUP, later).rows


def test_the_memo_forgets_symbols_no_longer_shown() -> None:
    memo: RowMemo[str] = RowMemo()
    assert memo.row("a", (1,), lambda: "a1") == "a1"
    assert memo.row("b", (1,), lambda: "b1") == "b1"
    assert memo.row("a", (1,), lambda: "a2") == "a1"  # same inputs: the row kept
    assert memo.row("a", (2,), lambda: "a3") == "a3"  # new inputs: built again
    memo.keep(["a"])
    assert memo.row("b", (1,), lambda: "b2") == "b2"  # forgotten, so built again

"""The store hands unchanged inputs on as the same objects, so what was derived from them is
reused: equal bars keep their tuple, the same quote merged again keeps its fields' origins."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from neodymium.providers.models import Bar, Quote
from neodymium.providers.store import Merged, Store, merge_quote

T0 = datetime(2026, 1, 23, 10, 30, tzinfo=ZoneInfo("Asia/Shanghai"))


def bars(key: str, closes: list[float]) -> list[Bar]:
    return [Bar(key, date(2026, 1, 5) + timedelta(days=i), c, c, c, c, 1e6)
            for i, c in enumerate(closes)]


def test_a_repoll_with_equal_bars_keeps_the_held_tuple_and_a_change_replaces_it() -> None:
    store = Store()
    store.put_bars("X", bars("X", [1.0, 2.0, 3.0]))
    held = store.bars["X"]
    store.put_bars("X", bars("X", [1.0, 2.0, 3.0])[2:])  # the last day again, the same values
    assert store.bars["X"] is held
    corrected = bars("X", [1.0, 2.5, 3.0])[1]  # an old close corrected upstream
    store.put_bars("X", [corrected])
    assert store.bars["X"] is not held
    assert [bar.close for bar in store.bars["X"]] == [1.0, 2.5, 3.0]
    assert store.snapshot(T0, {}).bars["X"] is store.bars["X"]


def test_adopted_bars_equal_to_the_held_ones_keep_the_held_tuple() -> None:
    store = Store()
    store.adopt(Merged(bars={"X": tuple(bars("X", [1.0, 2.0]))}))
    held = store.bars["X"]
    store.adopt(Merged(bars={"X": tuple(bars("X", [1.0, 2.0]))}))  # a relay's next message
    assert store.bars["X"] is held
    store.adopt(Merged(bars={"X": tuple(bars("X", [1.0, 2.0, 4.0]))}))
    assert [bar.close for bar in store.bars["X"]] == [1.0, 2.0, 4.0]


def test_the_same_quote_merged_again_equals_a_full_merge_with_the_new_receipt_time() -> None:
    tencent = Quote("X", T0, "tencent", last=50.0, pe_ttm=85.0, market_cap=1e9)
    sina = Quote("X", T0 + timedelta(seconds=3), "sina", last=50.5, pe_ttm=86.0)
    later = T0 + timedelta(seconds=6)
    whole = replace(sina, market_cap=1.1e9)  # every field tencent gave: nothing kept from it
    for state in (merge_quote(None, tencent, T0),  # a first quote
                  merge_quote(merge_quote(None, tencent, T0), whole, T0)):  # over an older one
        again = merge_quote(state, state.quote, later)  # the source's unchanged snapshot
        full = merge_quote(state, replace(state.quote), later)  # equal, a new object
        assert again == full
        assert again.received_at == later and again.quote is state.quote
    assert again.quote is whole and again.origin("market_cap").source == "sina"
    kept = merge_quote(merge_quote(None, tencent, T0), sina, T0)
    assert kept.quote is not sina  # the merge kept tencent's market cap: a new object
    assert merge_quote(kept, sina, later) == merge_quote(kept, replace(sina), later)

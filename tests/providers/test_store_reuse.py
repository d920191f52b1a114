"""The store hands unchanged inputs on as the same objects, so what was derived from them is
reused: equal bars keep their tuple."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from neodymium.providers.models import Bar
from neodymium.providers.store import Merged, Store

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

"""The SQLite cache: round trips, upserts, dedup across restarts, recovery, two processes."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from neodymium.providers.cache import SCHEMA_VERSION, Cache, default_cache_path
from neodymium.providers.clock import FrozenClock
from neodymium.providers.models import Bar, NewsItem, NewsKind, Quote

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 8, 21, 7, 0, 3, tzinfo=UTC)


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "cache" / "cache.sqlite3"


@pytest.fixture
def cache(path: Path) -> Iterator[Cache]:
    store = Cache(path, clock=FrozenClock(NOW))
    assert store.open() == []
    yield store
    store.close()


def bar(day: date, close: float, **values: float | None) -> Bar:
    fields = {"open": close - 0.5, "high": close + 1.0, "low": close - 1.0, "volume": 1e6,
              "amount": close * 1e6, **values}
    return Bar("600111.SS", day, close=close, **fields)


def full_quote(**values: object) -> Quote:
    fields: dict[str, object] = dict(
        symbol="600111.SS", as_of=datetime(2026, 8, 21, 15, 0, 3, tzinfo=SHANGHAI),
        source="tencent", name="北方稀土", last=50.46, prev_close=49.88, open=49.95, high=51.2,
        low=49.6, volume=123_456_700.0, amount=6_209_872_010.0, bid=50.45, ask=50.46,
        pe_ttm=85.24, pe_dynamic=97.12, pe_static=78.1, market_cap=182_384_811_290.0,
        high_52w=61.69, low_52w=21.05, limit_up=54.87, limit_down=44.89, currency="CNY",
        delay_s=3,
    )
    fields.update(values)
    return Quote(**fields)  # type: ignore[arg-type]


def news(ident: str, minute: int, **values: object) -> NewsItem:
    fields: dict[str, object] = dict(
        id=ident, title=f"headline {ident}", source="sina",
        published=datetime(2026, 8, 21, 9, minute, tzinfo=SHANGHAI),
    )
    fields.update(values)
    return NewsItem(**fields)  # type: ignore[arg-type]


def test_default_path_is_in_the_user_cache_dir_and_not_created(tmp_path: Path) -> None:
    path = default_cache_path()
    assert path.name == "cache.sqlite3"
    assert path.parent.name == "neodymium"
    assert not path.parent.exists()


# -- bars ---------------------------------------------------------------------------------------


def test_bars_round_trip_in_day_order_with_missing_values_kept(cache: Cache) -> None:
    bars = [bar(date(2026, 8, 20), 49.88), bar(date(2026, 8, 18), 48.0, volume=None, open=None),
            bar(date(2026, 8, 19), 49.1, amount=None)]
    cache.put_bars("600111.SS", "eastmoney", bars)
    assert cache.get_bars("600111.SS") == sorted(bars, key=lambda b: b.day)
    assert cache.get_bars("600111.SS", since=date(2026, 8, 19)) == [bars[2], bars[0]]
    assert cache.get_bars("159713.SZ") == []


def test_bars_upsert_by_symbol_and_day(cache: Cache) -> None:
    day = date(2026, 8, 21)
    cache.put_bars("600111.SS", "eastmoney", [bar(day, 50.0)])
    cache.put_bars("600111.SS", "tencent", [bar(day, 50.46, volume=None)])
    assert cache.get_bars("600111.SS") == [bar(day, 50.46, volume=None)]
    assert cache.info().bars == 1


def test_bars_of_other_symbols_are_kept_apart(cache: Cache) -> None:
    cache.put_bars("600111.SS", "eastmoney", [bar(date(2026, 8, 21), 50.0)])
    cache.put_bars("REMX", "yahoo", [Bar("REMX", date(2026, 8, 21), 40.0, 41.0, 39.0, 40.5)])
    assert [b.close for b in cache.get_bars("REMX")] == [40.5]
    assert [b.symbol for b in cache.get_bars("600111.SS")] == ["600111.SS"]


def test_bar_without_a_finite_close_is_skipped(cache: Cache) -> None:
    cache.put_bars("600111.SS", "x", [bar(date(2026, 8, 20), float("nan")),
                                      bar(date(2026, 8, 21), 50.0, high=float("inf"))])
    assert cache.get_bars("600111.SS") == [bar(date(2026, 8, 21), 50.0, high=None)]


def test_last_bar_day_supports_incremental_fetch(cache: Cache) -> None:
    assert cache.last_bar_day("600111.SS") is None
    first = [bar(date(2026, 8, 3) + timedelta(days=i), 45.0 + i) for i in range(5)]
    cache.put_bars("600111.SS", "eastmoney", first)
    assert cache.last_bar_day("600111.SS") == date(2026, 8, 7)
    # The next fetch starts at the last cached day; the overlap is upserted, not duplicated.
    later = [bar(date(2026, 8, 7), 49.5), bar(date(2026, 8, 10), 50.0)]
    cache.put_bars("600111.SS", "eastmoney", later)
    assert cache.last_bar_day("600111.SS") == date(2026, 8, 10)
    assert len(cache.get_bars("600111.SS")) == 6
    assert cache.get_bars("600111.SS")[-2].close == 49.5


# -- quotes -------------------------------------------------------------------------------------


def test_quote_round_trips_every_field_and_its_zone(cache: Cache) -> None:
    quote = full_quote()
    cache.put_quote(quote)
    got = cache.get_quotes()["600111.SS"]
    assert got == quote
    assert got.as_of.tzinfo == SHANGHAI
    assert got.as_of.utcoffset() == timedelta(hours=8)


def test_quote_none_values_and_fixed_offsets_survive(cache: Cache) -> None:
    eastern = timezone(timedelta(hours=-4))
    sparse = Quote("REMX", datetime(2026, 8, 20, 16, 0, tzinfo=eastern), "yahoo", last=40.5)
    cache.put_quote(sparse)
    got = cache.get_quotes()["REMX"]
    assert got == sparse
    assert got.pe_ttm is None and got.name is None and got.volume is None
    assert got.as_of.utcoffset() == timedelta(hours=-4)


def test_last_quote_per_symbol_replaces_the_previous(cache: Cache) -> None:
    cache.put_quote(full_quote(last=50.0))
    cache.put_quote(full_quote(last=50.46, source="sina"))
    cache.put_quote(full_quote(symbol="159713.SZ", last=1.163))
    quotes = cache.get_quotes()
    assert set(quotes) == {"600111.SS", "159713.SZ"}
    assert (quotes["600111.SS"].last, quotes["600111.SS"].source) == (50.46, "sina")


# -- news ---------------------------------------------------------------------------------------


def test_put_news_returns_only_new_items(cache: Cache) -> None:
    a, b, c = news("a", 1), news("b", 2), news("c", 3)
    assert cache.put_news([a, b, a]) == [a, b]
    assert cache.put_news([b, c]) == [c]
    assert cache.put_news([]) == []


def test_seen_news_is_not_new_again_after_a_restart(path: Path) -> None:
    first = Cache(path)
    first.open()
    items = [news("a", 1), news("b", 2, kind=NewsKind.ANNOUNCEMENT, symbols=("600111.SS",),
                                  url="https://example.com/b", summary="两行\n摘要")]
    assert first.put_news(items) == items
    first.close()

    restarted = Cache(path)
    restarted.open()
    assert restarted.put_news(items) == []
    assert restarted.recent_news(10) == [items[1], items[0]]
    restarted.close()


def test_recent_news_is_newest_first_and_limited(cache: Cache) -> None:
    items = [news(f"n{minute}", minute) for minute in (5, 1, 30, 12)]
    cache.put_news(items)
    assert [i.id for i in cache.recent_news(3)] == ["n30", "n12", "n5"]
    assert cache.recent_news(0) == []
    # Ordered by instant, not by how the zone writes it.
    utc_later = news("utc", 0, published=datetime(2026, 8, 21, 1, 31, tzinfo=UTC))  # 09:31 CST
    cache.put_news([utc_later])
    assert [i.id for i in cache.recent_news(2)] == ["utc", "n30"]


# -- recovery -----------------------------------------------------------------------------------


def test_garbage_file_is_moved_aside_and_rebuilt(path: Path) -> None:
    path.parent.mkdir(parents=True)
    garbage = b"this is not a database\x00\xff" * 100
    path.write_bytes(garbage)
    cache = Cache(path, clock=FrozenClock(NOW))
    warnings = cache.open()
    assert len(warnings) == 1 and "moved aside" in warnings[0]
    aside = path.with_name("cache.sqlite3.corrupt-20260821T070003Z")
    assert aside.read_bytes() == garbage
    cache.put_quote(full_quote())
    assert cache.get_quotes()["600111.SS"] == full_quote()
    assert cache.info().schema_version == SCHEMA_VERSION
    cache.close()


def test_a_second_corrupt_file_in_the_same_second_gets_its_own_name(path: Path) -> None:
    path.parent.mkdir(parents=True)
    for _ in range(2):
        path.write_bytes(b"garbage" * 200)
        cache = Cache(path, clock=FrozenClock(NOW))
        assert cache.open()
        cache.close()
    names = sorted(p.name for p in path.parent.glob("*.corrupt-*"))
    assert names == ["cache.sqlite3.corrupt-20260821T070003Z",
                     "cache.sqlite3.corrupt-20260821T070003Z-2"]


@pytest.mark.parametrize("setup", [
    "PRAGMA user_version = 99",
    "CREATE TABLE something_else (x)",
])
def test_wrong_schema_or_foreign_database_is_moved_aside(path: Path, setup: str) -> None:
    path.parent.mkdir(parents=True)
    foreign = sqlite3.connect(path)
    foreign.execute(setup)
    foreign.commit()
    foreign.close()
    cache = Cache(path, clock=FrozenClock(NOW))
    warnings = cache.open()
    assert len(warnings) == 1 and "moved aside" in warnings[0]
    assert len(list(path.parent.glob("*.corrupt-*"))) == 1
    assert cache.info().schema_version == SCHEMA_VERSION
    cache.close()


def test_unusable_path_falls_back_to_memory_without_touching_it(path: Path) -> None:
    path.mkdir(parents=True)  # a directory where the file should be
    cache = Cache(path)
    warnings = cache.open()
    assert len(warnings) == 1 and "in memory" in warnings[0]
    assert path.is_dir()
    cache.put_bars("600111.SS", "x", [bar(date(2026, 8, 21), 50.0)])
    assert cache.last_bar_day("600111.SS") == date(2026, 8, 21)
    cache.close()


def test_opens_lazily_on_first_use(path: Path) -> None:
    cache = Cache(path)
    assert not path.exists()
    cache.put_quote(full_quote())
    assert path.exists()
    assert "600111.SS" in cache.get_quotes()
    cache.close()


# -- several processes --------------------------------------------------------------------------


def test_two_caches_on_one_file_write_alternately(path: Path) -> None:
    one, two = Cache(path), Cache(path)
    assert one.open() == [] and two.open() == []
    for i in range(10):
        writer = one if i % 2 == 0 else two
        writer.put_bars("600111.SS", f"proc{i % 2}", [bar(date(2026, 8, 1) + timedelta(i), i + 40)])
        writer.put_quote(full_quote(last=40.0 + i))
        assert writer.put_news([news(f"n{i}", i)]) == [news(f"n{i}", i)]
        other = two if writer is one else one
        assert other.put_news([news(f"n{i}", i)]) == []  # seen by the other "process"
    for cache in (one, two):
        assert len(cache.get_bars("600111.SS")) == 10
        assert cache.get_quotes()["600111.SS"].last == 49.0
        assert len(cache.recent_news(100)) == 10
    mode = sqlite3.connect(path).execute("PRAGMA journal_mode").fetchone()[0]
    assert mode == "wal"
    one.close()
    two.close()


def hold_write_lock(path: Path) -> sqlite3.Connection:
    """Another process taking the write lock and keeping it."""
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    return other


def test_write_while_another_process_holds_the_lock_is_dropped_not_raised(
    path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    cache = Cache(path, busy_timeout_ms=20)
    assert cache.open() == []
    other = hold_write_lock(path)
    with caplog.at_level(logging.WARNING, logger="neodymium.providers.cache"):
        cache.put_quote(full_quote())
        cache.put_bars("600111.SS", "x", [bar(date(2026, 8, 21), 50.0)])
        assert cache.put_news([news("a", 1)]) == [news("a", 1)]  # unknown: shown, not lost
    assert "dropped quote" in caplog.text and "dropped 1 bars" in caplog.text
    other.execute("ROLLBACK")
    other.close()
    cache.put_quote(full_quote())
    assert "600111.SS" in cache.get_quotes()
    assert cache.last_bar_day("600111.SS") is None
    cache.close()


def test_open_while_locked_keeps_the_file_and_works_in_memory(path: Path) -> None:
    creator = Cache(path)
    creator.open()
    creator.close()
    other = hold_write_lock(path)
    cache = Cache(path, busy_timeout_ms=20)
    warnings = cache.open()
    other.execute("ROLLBACK")
    other.close()
    assert len(warnings) == 1 and "busy" in warnings[0]
    assert list(path.parent.glob("*.corrupt-*")) == []
    cache.put_quote(full_quote())
    assert "600111.SS" in cache.get_quotes()
    cache.close()


# -- housekeeping -------------------------------------------------------------------------------


def test_info_counts_and_clear_empties(cache: Cache, path: Path) -> None:
    cache.put_bars("600111.SS", "x", [bar(date(2026, 8, 20), 49.0), bar(date(2026, 8, 21), 50.0)])
    cache.put_bars("REMX", "yahoo", [Bar("REMX", date(2026, 8, 21), None, None, None, 40.0)])
    cache.put_quote(full_quote())
    cache.put_quote(full_quote(symbol="159713.SZ"))
    cache.put_news([news("a", 1), news("b", 2), news("c", 3)])
    info = cache.info()
    assert (info.symbols, info.bars, info.quotes, info.news) == (3, 3, 2, 3)
    assert info.path == path
    assert info.size_bytes > 0
    assert info.schema_version == SCHEMA_VERSION

    cache.clear()
    info = cache.info()
    assert (info.symbols, info.bars, info.quotes, info.news) == (0, 0, 0, 0)
    assert cache.get_quotes() == {}
    # Cleared news counts as unseen again.
    assert cache.put_news([news("a", 1)]) == [news("a", 1)]

"""Search's symbol list: pinyin keys, ranking, the clist pages (fake upstream), the cache."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from neodymium.providers.cache import Cache
from neodymium.providers.clock import FrozenClock
from neodymium.providers.eastmoney_list import PAGE_SIZE, fetch_symbol_list, parse_clist
from neodymium.providers.errors import BadPayload
from neodymium.providers.symbol_index import (
    SymbolIndex,
    build_entries,
    entries_from_json,
    entries_to_json,
    pinyin_keys,
    shipped_entries,
    shipped_rows,
)
from neodymium.providers.symbol_list import load_index, refresh_index

from tests.fakeupstream import FakeUpstream

NOW = datetime(2026, 8, 21, 7, 0, tzinfo=UTC)


def test_pinyin_keys_full_and_initials() -> None:
    assert pinyin_keys("北方稀土") == ("beifangxitu", "bfxt")
    assert pinyin_keys("稀土ETF富国") == ("xituetffuguo", "xtetffg")


@pytest.mark.parametrize("query", ["600111", "北方稀土", "北方", "beifang", "bfxt", "BFXT",
                                   "600111.SS"[:6], " bf xt "])
def test_every_way_of_asking_finds_600111_first(query: str) -> None:
    index = SymbolIndex(shipped_entries())
    assert index.search(query)[0].key == "600111.SS"


def test_ranking_and_limits() -> None:
    index = SymbolIndex(build_entries([("600111.SS", "北方稀土", "stock"),
                                       ("516780.SS", "稀土ETF华泰柏瑞", "fund"),
                                       ("600112.SS", "某某股份", "stock")]))
    assert [e.key for e in index.search("xitu")] == ["516780.SS", "600111.SS"]  # prefix first
    assert [e.key for e in index.search("60011")] == ["600111.SS", "600112.SS"]
    assert [e.key for e in index.search("60011", limit=1)] == ["600111.SS"]
    assert index.search("") == [] and index.search("qqqq") == []
    assert build_entries([("not a symbol!", "x", "stock")]) == []


def test_entries_round_trip_through_json_and_bad_json_is_empty() -> None:
    entries = shipped_entries()
    assert entries_from_json(entries_to_json(entries)) == entries
    assert entries_from_json("{not json") == []


def test_clist_page_parse() -> None:
    page = ('{"rc":0,"data":{"total":3,"diff":[{"f12":"600111","f13":1,"f14":"北方稀土"},'
            '{"f12":"159713","f13":0,"f14":"稀土ETF富国"},{"f12":"430047","f13":0,'
            '"f14":"诺思兰德"},{"f12":"-","f13":1,"f14":""}]}}')
    rows, total = parse_clist(page.encode(), "stock")
    assert total == 3
    assert rows == [("600111.SS", "北方稀土", "stock"), ("159713.SZ", "稀土ETF富国", "stock"),
                    ("430047.BJ", "诺思兰德", "stock")]
    assert parse_clist(b'{"rc":0,"data":null}', "fund") == ([], 0)
    with pytest.raises(BadPayload):
        parse_clist(b'{"rc":0,"data":{"diff":"x"}}', "stock")


async def test_fetch_pages_through_the_market(fake_upstream: FakeUpstream) -> None:
    async with httpx.AsyncClient() as client:
        rows = await fetch_symbol_list(client, fake_upstream.base_url)
    assert len(rows) == 250 + 30
    assert fake_upstream.count("em-clist") == 3 + 1  # 250 stocks in pages of 100, 30 funds
    assert all(r.param("pz") == str(PAGE_SIZE) for r in fake_upstream.requests_to("em-clist"))
    assert ("516780.SS", "稀土ETF华泰柏瑞", "fund") in rows


async def test_refresh_stores_the_list_and_load_says_when_it_is_due(
        fake_upstream: FakeUpstream, tmp_path: Path) -> None:
    clock = FrozenClock(NOW)
    cache = Cache(tmp_path / "c.sqlite3", clock=clock)
    cache.open()
    try:
        index, due = load_index(cache, NOW)
        assert due and len(index) == len(shipped_entries())  # nothing cached yet
        async with httpx.AsyncClient() as client:
            await refresh_index(client, cache, fake_upstream.base_url)
        index, due = load_index(cache, NOW + timedelta(hours=23))
        assert not due
        assert index.search("jlyc")[0].key == "300748.SZ"  # 金力永磁, pinyin from the refresh
        assert index.search("remx")[0].key == "REMX"  # shipped US names are kept
        assert load_index(cache, NOW + timedelta(days=1))[1]
    finally:
        cache.close()


@pytest.mark.parametrize(("query", "key"), [("gzmt", "600519.SS"), ("浪潮", "000977.SZ"),
                                            ("jgetf", "512660.SS"), ("300653", "300653.SZ"),
                                            ("huangjin", "518880.SS")])
def test_the_shipped_list_finds_its_stocks_and_funds_offline(query: str, key: str) -> None:
    assert SymbolIndex(shipped_entries()).search(query)[0].key == key


def test_the_shipped_list_parses_whole_without_duplicates() -> None:
    rows = shipped_rows()
    entries = shipped_entries()
    assert len(entries) == len(rows) == len({e.key for e in entries}) >= 90
    assert {e.kind for e in entries} == {"stock", "fund"}

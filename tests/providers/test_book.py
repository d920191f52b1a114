"""The 五档 order book and the day's statistics, as each provider reads them from its payload.

The payloads are the recorded-format lines of the fakes (research/providers.md §1 Sina, §2
Tencent — field positions checked there on real 600519 and 510300 lines — and §3 Eastmoney
Sample A/C). All three describe the same 600111 book, so the sources must agree level by level.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import pytest
from neodymium.providers.base import ProviderOptions
from neodymium.providers.cache import Cache
from neodymium.providers.demo.book import demo_book, demo_stats
from neodymium.providers.demo.data import KNOWN
from neodymium.providers.eastmoney_quotes import (
    RichFields,
    decode_stock_get,
    merge_rich,
    parse_ulist,
)
from neodymium.providers.models import BookLevel, OrderBook, Quote
from neodymium.providers.sina import parse_quote_fields as sina_fields
from neodymium.providers.symbols import parse_symbol
from neodymium.providers.tencent import TencentProvider
from neodymium.providers.tencent import parse_quote_fields as tencent_fields

from tests.fakeupstream import FakeUpstream
from tests.fakeupstream.routes_eastmoney import PERCENT_KEYS, PRICE_KEYS, STOCK_GET_600111, to_raw
from tests.fakeupstream.routes_sina import RECORDED_QUOTES as SINA_LINES
from tests.fakeupstream.routes_tencent import CAPTURED_QUOTES as CAPTURED_TENCENT
from tests.fakeupstream.routes_tencent import RECORDED_QUOTES as TENCENT_LINES

SHANGHAI = ZoneInfo("Asia/Shanghai")
#: The 600111 book every recorded source carries: bid1 50.45 × 352 手 … ask5 50.50 × 301 手.
BOOK_600111 = OrderBook(
    bids=(BookLevel(50.45, 35200), BookLevel(50.44, 18800), BookLevel(50.43, 22100),
          BookLevel(50.42, 9600), BookLevel(50.41, 41000)),
    asks=(BookLevel(50.46, 12800), BookLevel(50.47, 20500), BookLevel(50.48, 15300),
          BookLevel(50.49, 8800), BookLevel(50.50, 30100)),
)


def tencent(code: str, **changes: str) -> Quote:
    fields = TENCENT_LINES[code].split("~")
    for index, value in changes.items():
        fields[int(index.removeprefix("f"))] = value
    return tencent_fields(code, fields)


def test_tencent_line_carries_the_book_in_shares_and_every_statistic() -> None:
    quote = tencent("sh600111")

    assert quote.book == BOOK_600111
    assert quote.outside_volume == 64_011_200  # 外盘 640112 手
    assert quote.inside_volume == 59_445_500   # 内盘 594455 手
    assert quote.turnover_rate == 3.42
    assert quote.amplitude == 3.21
    assert quote.float_market_cap == pytest.approx(1823.85e8)
    assert quote.pb == 7.25
    assert quote.volume_ratio == 1.08
    assert quote.avg_price == 50.30


def test_book_imbalance_is_wei_cha_and_wei_bi() -> None:
    book = tencent("sh600111").book
    assert book is not None
    bid, ask = 35200 + 18800 + 22100 + 9600 + 41000, 12800 + 20500 + 15300 + 8800 + 30100
    assert book.imbalance == bid - ask
    assert book.imbalance_pct == pytest.approx((bid - ask) / (bid + ask) * 100)
    assert OrderBook().imbalance is None and OrderBook().imbalance_pct is None


def test_etf_has_no_pb_and_a_limit_up_book_has_no_asks() -> None:
    etf = tencent("sz159713")
    assert etf.pb is None  # 0.00 for funds means "not meaningful"
    assert etf.turnover_rate == 2.89 and etf.avg_price == 1.164

    at_limit = {f"f{i}": "0.00" for i in range(19, 29, 2)}
    at_limit |= {f"f{i}": "0" for i in range(20, 29, 2)}
    quote = tencent("sh600111", **at_limit)
    assert quote.book is not None
    assert quote.book.asks == () and len(quote.book.bids) == 5


def test_a_suspended_line_has_no_book_and_no_turnover_is_a_real_zero() -> None:
    empty = {f"f{i}": "0.00" for i in range(9, 29, 2)} | {f"f{i}": "0" for i in range(10, 29, 2)}
    quote = tencent("sh600111", f38="0.00", **empty)
    assert quote.book is None
    assert quote.turnover_rate == 0.0


def test_sina_book_matches_tencent_and_sina_sends_no_statistics() -> None:
    quote = sina_fields("sh600111", SINA_LINES["sh600111"].split(","))

    assert quote.book == BOOK_600111  # Sina writes volume (shares) before price
    assert (quote.turnover_rate, quote.pb, quote.avg_price, quote.inside_volume) == (
        None, None, None, None)


def test_eastmoney_stock_get_book_and_statistics_in_both_number_forms() -> None:
    decoded = decode_stock_get(STOCK_GET_600111, 2)
    raw = decode_stock_get(to_raw(STOCK_GET_600111, 2, PRICE_KEYS, PERCENT_KEYS), None)

    for quote in (decoded, raw):
        assert quote.book == BOOK_600111
        assert (quote.outside_volume, quote.inside_volume) == (64_011_200, 59_445_500)
        assert (quote.turnover_rate, quote.amplitude, quote.volume_ratio) == (3.42, 3.21, 1.08)
        assert (quote.pb, quote.avg_price) == (7.25, 50.3)
        assert quote.float_market_cap == pytest.approx(182_384_811_289.62)


def test_eastmoney_ulist_has_statistics_but_no_book_and_merge_keeps_books_live() -> None:
    symbol = parse_symbol("600111.SS")
    diff = {"f1": 2, "f2": 50.46, "f5": 1234567, "f6": 6209872010.0, "f7": 3.21, "f8": 3.42,
            "f10": 1.08, "f12": "600111", "f13": 1, "f14": "北方稀土", "f15": 51.2, "f16": 49.6,
            "f17": 49.95, "f18": 49.88, "f21": 182384811290, "f23": 7.25, "f124": 1787295603}
    quote = parse_ulist({"rc": 0, "data": {"diff": [diff]}}, {"1.600111": symbol}, 2)[0][
        "600111.SS"]
    assert quote.book is None and quote.avg_price is None
    assert (quote.turnover_rate, quote.amplitude, quote.volume_ratio, quote.pb) == (
        3.42, 3.21, 1.08, 7.25)

    rich = RichFields(decode_stock_get(STOCK_GET_600111, 2),
                      datetime(2026, 8, 21, 15, 0, 3, tzinfo=SHANGHAI))
    fresh = merge_rich(quote, rich, book=True)
    cached = merge_rich(quote, rich, book=False)
    assert fresh.book == BOOK_600111 and fresh.avg_price == 50.3
    assert cached.book is None and cached.inside_volume is None  # never a minutes-old book
    without_pb = merge_rich(parse_ulist({"rc": 0, "data": {"diff": [{**diff, "f23": "-"}]}},
                                        {"1.600111": symbol}, 2)[0]["600111.SS"], rich, book=False)
    assert without_pb.pb == 7.25  # filled from the same day's stock/get


def test_demo_book_stays_inside_the_limits() -> None:
    profile = KNOWN["600111.SS"]
    at = datetime(2026, 8, 21, 10, 0, tzinfo=SHANGHAI)
    base = Quote("600111.SS", at, "demo", last=54.87, prev_close=49.88, high=54.87, low=49.6,
                 volume=1e8, amount=5.2e9, bid=54.87, ask=None, limit_up=54.87, limit_down=44.89)
    book = demo_book(0, base, profile, 36000)
    assert book is not None and book.asks == ()
    assert [level.price for level in book.bids] == [54.87, 54.86, 54.85, 54.84, 54.83]
    assert demo_book(0, base, profile, 36000) == book  # deterministic

    stats = demo_stats(0, base, profile, 36000)
    assert stats["inside_volume"] + stats["outside_volume"] == 1e8
    assert stats["avg_price"] == 52.0
    assert stats["amplitude"] == pytest.approx((54.87 - 49.6) / 49.88 * 100, abs=0.01)
    assert demo_stats(0, base, profile, 36000, a_share=False) == {}


def test_cache_keeps_statistics_but_never_restores_a_book(tmp_path: Path) -> None:
    cache = Cache(tmp_path / "cache.sqlite")
    cache.open()
    try:
        cache.put_quote(tencent("sh600111"))
        restored = cache.get_quotes()["600111.SS"]
    finally:
        cache.close()
    assert restored.book is None
    assert (restored.turnover_rate, restored.pb, restored.inside_volume) == (
        3.42, 7.25, 59_445_500)


async def test_tencent_book_arrives_through_http_and_gbk(fake_upstream: FakeUpstream) -> None:
    options = ProviderOptions(base_url=fake_upstream.base_url, timeout=1.0, min_interval=0.0)
    async with httpx.AsyncClient() as client:
        batch = await TencentProvider(client, options).fetch_quotes([parse_symbol("600111.SS")])
    assert batch.quotes["600111.SS"].book == BOOK_600111


def test_tencent_star_line_reads_its_book_and_inside_outside_by_the_units_table() -> None:
    # The real 688256 capture (routes_tencent.CAPTURED_QUOTES): [6] volume, [7] 外盘 and
    # [8] 内盘 are in shares on STAR ([7] + [8] = [6]); the book's sizes stay in lots.
    quote = tencent_fields("sh688256", CAPTURED_TENCENT["sh688256"].split("~"))

    assert quote.volume == 16_559_805
    assert quote.outside_volume == 9_275_043  # shares, not ×100
    assert quote.inside_volume == 7_284_762
    assert quote.outside_volume + quote.inside_volume == quote.volume
    assert quote.book == OrderBook(
        bids=(BookLevel(1378.10, 14300), BookLevel(1378.08, 10200), BookLevel(1378.05, 1300),
              BookLevel(1378.04, 200), BookLevel(1378.02, 1800)),
        asks=(BookLevel(1378.35, 200), BookLevel(1378.50, 200), BookLevel(1379.88, 200),
              BookLevel(1379.90, 1200), BookLevel(1379.92, 200)),
    )


def test_tencent_main_board_line_keeps_lots_for_inside_outside() -> None:
    quote = tencent_fields("sz300308", CAPTURED_TENCENT["sz300308"].split("~"))
    assert (quote.outside_volume, quote.inside_volume) == (18_766_700, 15_758_400)
    assert quote.book is not None and quote.book.bids[0] == BookLevel(1274.99, 700)

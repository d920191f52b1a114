"""Units by board, per provider and per answer (markets.UNITS): Tencent's daily bars and minute
lines count STAR volumes in shares like its quote line; B shares keep their exchange's lot,
tick and currency; a payload that contradicts the table wins and is logged."""

from __future__ import annotations

import logging
from datetime import date
from decimal import Decimal

import httpx
import pytest
from neodymium.providers.base import ProviderOptions
from neodymium.providers.eastmoney_extras import stock_get_extras
from neodymium.providers.limits import limit_prices, price_tick
from neodymium.providers.markets import (
    B_SHARES,
    UNITS,
    Board,
    Exchange,
    Feed,
    implied_volume_unit,
    units_for,
)
from neodymium.providers.symbols import parse_symbol
from neodymium.providers.tencent import TencentProvider
from neodymium.providers.tencent_minute import fetch_minutes, parse_five_days, parse_minutes
from neodymium.providers.tencent_parse import parse_quote_fields
from neodymium.providers.values import default_currency

from tests.fakeupstream import FakeUpstream
from tests.fakeupstream.routes_minutes import STAR_ROWS
from tests.fakeupstream.routes_tencent import CAPTURED_QUOTES

#: ZhuLinsen/daily_stock_analysis issue #2350 (2026-09-21): Tencent's raw daily volume against
#: the same day's volume in shares from Sina (via akshare); akshare PR #7328 adds 688981,
#: 600000 and 300750 (2024-06-03/05).
REPORTED_DAILY = [
    ("688111", 4_421_640, 4_421_640), ("688012", 11_983_910, 11_983_910),
    ("603501", 107_450, 10_744_999), ("002230", 147_895, 14_789_469),
    ("600227", 1_558_464, 155_846_414), ("688981", 39_368_171, 39_368_171),
    ("600000", 312_958, 31_295_787),
]


@pytest.mark.parametrize(("code", "raw", "shares"), REPORTED_DAILY)
def test_tencent_daily_units_match_the_reported_days(code: str, raw: int, shares: int) -> None:
    board = parse_symbol(code).board
    assert round(shares / raw) == units_for("tencent", board, Feed.DAILY).volume


def test_what_is_assumed_is_said() -> None:
    """Every entry either names what verified it or is on this list of assumptions (no
    capture found); a new assumption has to be added here, knowingly."""
    assumed = {(provider, feed, board) for provider, feeds in UNITS.items()
               for feed, boards in feeds.items() for board, units in boards.items()
               if not units.verified}
    assert assumed == {
        ("tencent", Feed.QUOTE, Board.B_SHARE), ("tencent", Feed.DAILY, Board.B_SHARE),
        ("tencent", Feed.MINUTE, Board.STAR), ("tencent", Feed.MINUTE, Board.B_SHARE),
        ("eastmoney", Feed.QUOTE, None), ("eastmoney", Feed.DAILY, None),
        ("eastmoney", Feed.MINUTE, None), ("yahoo", Feed.QUOTE, None),
        ("demo", Feed.QUOTE, None),
    }


@pytest.fixture
async def tencent(fake_upstream: FakeUpstream):
    async with httpx.AsyncClient() as client:
        options = ProviderOptions(base_url=fake_upstream.base_url, timeout=2.0, min_interval=0)
        yield TencentProvider(client, options)


@pytest.mark.parametrize(("key", "shares"), [("688256.SS", 16_559_805),
                                              ("300308.SZ", 34_525_100)])
async def test_daily_bar_volume_is_the_quote_lines_volume_in_shares(
        tencent: TencentProvider, key: str, shares: int) -> None:
    symbol = parse_symbol(key)
    quotes = (await tencent.fetch_quotes([symbol])).quotes
    bars = await tencent.fetch_history(symbol, date(2026, 8, 17), date(2026, 8, 21))
    # The fake's last bar carries the recorded line's raw volume, in Tencent's daily unit.
    assert bars[-1].volume == quotes[key].volume == shares


async def test_star_minute_volumes_sum_to_the_days_volume_in_shares(
        fake_upstream: FakeUpstream, tencent: TencentProvider) -> None:
    symbol = parse_symbol("688256.SS")
    async with httpx.AsyncClient() as client:
        line = await fetch_minutes(client, symbol, fake_upstream.base_url)
    quote = (await tencent.fetch_quotes([symbol])).quotes["688256.SS"]
    assert sum(bar.volume or 0 for bar in line.bars) == quote.volume == 16_559_805
    assert line.bars[-1].avg_price == pytest.approx(1369.81, abs=0.01)  # the line's own [51]
    assert line.bars[0].volume == 150_000


def test_star_five_day_sessions_are_in_shares_too() -> None:
    payload = {"code": 0, "data": {"sh688256": {"data": [
        {"date": "20260603", "prec": "1300.00", "data": STAR_ROWS}]}}}
    (session,) = parse_five_days(payload, "sh688256")
    assert sum(bar.volume or 0 for bar in session.bars) == 16_559_805


def test_a_minute_line_that_contradicts_the_table_wins_and_is_logged(
        caplog: pytest.LogCaptureFixture) -> None:
    # The STAR rows restated in lots: amount ÷ (lots × 1) would be 100× the price.
    lots = [" ".join([t, p, str(int(v) // 100), a]) for t, p, v, a in
            (row.split() for row in STAR_ROWS)]
    payload = {"code": 0, "data": {"sh688256": {"data": {"data": lots, "date": "20260603"}}}}
    with caplog.at_level(logging.WARNING):
        line = parse_minutes(payload, "sh688256")
    assert sum(bar.volume or 0 for bar in line.bars) == 16_559_800
    assert "volume unit 100 per the payload's cross-check, not 1" in caplog.text


def test_eastmoney_book_and_outer_inner_take_the_tables_unit() -> None:
    values = {"f19": Decimal("50.45"), "f20": Decimal(352), "f49": Decimal(640112),
              "f161": Decimal(594455)}
    extras = stock_get_extras(values.get, Board.MAIN)
    units = units_for("eastmoney", Board.MAIN)
    assert extras["outside_volume"] == 640112 * units.volume
    assert extras["book"].bids[0].volume == 352 * units.book == 35_200


@pytest.mark.parametrize(("key", "currency", "lot", "tick"), [
    ("900901.SS", "USD", 1000, Decimal("0.001")), ("200512.SZ", "HKD", 100, Decimal("0.01")),
])
def test_b_shares_trade_in_their_exchanges_currency_lot_and_tick(
        key: str, currency: str, lot: int, tick: Decimal) -> None:
    symbol = parse_symbol(key)
    assert symbol.board is Board.B_SHARE
    assert default_currency(symbol) == currency
    assert B_SHARES[symbol.exchange][1] == lot
    assert price_tick(symbol) == tick


def test_b_share_limits_are_ten_percent_on_the_exchanges_tick() -> None:
    assert limit_prices(parse_symbol("900901.SS"), 0.838) == (0.922, 0.754)
    assert limit_prices(parse_symbol("200512.SZ"), 4.34) == (4.77, 3.91)
    assert set(B_SHARES) == {Exchange.SS, Exchange.SZ}


def test_lots_of_a_thousand_are_told_apart_from_lots_of_a_hundred() -> None:
    assert implied_volume_unit(Decimal(6799), Decimal("5697562"), Decimal("0.838")) == 1000
    assert implied_volume_unit(Decimal(6799), Decimal("569756.2"), Decimal("0.838")) == 100


def test_a_b_share_line_in_lots_of_a_thousand_is_read_as_such(
        caplog: pytest.LogCaptureFixture) -> None:
    """Tencent's B-share unit is assumed (no capture found): were its volume in lots of 1000,
    the line's own amount ÷ volume ÷ average price would say so, and that wins."""
    fields = CAPTURED_QUOTES["sh510050"].split("~")
    fields[1:7] = ["宝信Ｂ", "900926", "0.838", "0.832", "0.835", "6799"]
    fields[7:9] = ["3400", "3399"]
    fields[35] = "0.838/6799/5697562"
    fields[51] = "0.838"
    with caplog.at_level(logging.WARNING):
        quote = parse_quote_fields("sh900926", fields)
    assert (quote.volume, quote.currency) == (6_799_000, "USD")
    assert quote.outside_volume == 3_400_000

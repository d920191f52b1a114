"""Units by board, per provider and per answer (units.UNITS): Tencent's daily bars and minute
lines count STAR volumes in shares like its quote line; B shares keep their exchange's lot,
tick and currency; a payload that contradicts the table wins and is logged."""

from __future__ import annotations

import logging
from datetime import date
from decimal import Decimal

import httpx
import pytest
from neodymium.providers import units
from neodymium.providers.base import ProviderOptions
from neodymium.providers.eastmoney_extras import stock_get_extras
from neodymium.providers.eastmoney_klines import parse_klines
from neodymium.providers.eastmoney_quotes import decode_stock_get, decode_ulist_item
from neodymium.providers.eastmoney_trends import parse_trends
from neodymium.providers.limits import limit_prices, price_tick
from neodymium.providers.markets import B_SHARES, Board, Exchange
from neodymium.providers.sina import parse_quote_fields as parse_sina_fields
from neodymium.providers.symbols import parse_symbol
from neodymium.providers.tencent import TencentProvider
from neodymium.providers.tencent_minute import fetch_minutes, parse_five_days, parse_minutes
from neodymium.providers.tencent_parse import parse_history, parse_quote_fields
from neodymium.providers.units import UNITS, Feed, implied_volume_unit, units_for
from neodymium.providers.values import default_currency

from tests.fakeupstream import FakeUpstream
from tests.fakeupstream.routes_eastmoney import KLINES_600111, STOCK_GET_600111
from tests.fakeupstream.routes_minutes import STAR_ROWS, TRENDS_ROWS
from tests.fakeupstream.routes_sina import RECORDED_QUOTES as SINA_LINES
from tests.fakeupstream.routes_tencent import CAPTURED_QUOTES
from tests.fakeupstream.routes_tencent import RECORDED_QUOTES as TENCENT_LINES


@pytest.fixture(autouse=True)
def _every_disagreement_logged(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test sees the first disagreement of its kind (they are logged once per process)."""
    monkeypatch.setattr(units, "_DISAGREEMENTS", set())


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


def _tencent(code: str) -> tuple[str, str, str, int, int, float, float]:
    fields = TENCENT_LINES[code].split("~")
    assert int(fields[7]) + int(fields[8]) == int(fields[6])  # 外盘 + 内盘 = volume
    return ("tencent", Feed.QUOTE, code[2:], int(fields[6]), int(fields[35].split("/")[2]),
            float(fields[34]), float(fields[33]))


def _sina(code: str) -> tuple[str, str, str, int, int, float, float]:
    fields = SINA_LINES[code].split(",")
    return ("sina", Feed.QUOTE, code[2:], int(fields[8]), round(float(fields[9])),
            float(fields[5]), float(fields[4]))


#: (provider, answer, code, raw volume, amount in CNY, day's low, day's high) of every real
#: capture behind a verified UNITS entry. Quote lines come from the fakes (each says where it
#: was found). Eastmoney, as found in public code: stock/get 600519 (raw form, f47 6610, f48
#: 853668021, f44/f45 129497/128800; public file 62691162487); ulist 600519 of 2026-09-10 (f5
#: 10701, f6 1375928521, f15/f16; public file 69887323593, "excerpts from the live responses"),
#: and its trends2 row 09:31 (337 lots, 43,592,205 CNY, high/low 1294.99/1291.99); stock/get
#: 513300 (f47 1014421, f48 275372834, f43 2.708 with no range, so ±5 %; public file
#: 60146882242); a 600986 kline row (366811 lots, 527,498,432 CNY, 13.97–14.78; public file
#: 26655986565). Tencent minute: the 600519 test payload's last row (22537 lots cumulative,
#: 2,783,140,281 CNY, prices 1234.06–1239.58; code corpus id 70370113191).
CAPTURES = [
    *(_tencent(code) for code in ("sh600519", "sz300308", "bj920118", "sh510050", "sh688256")),
    *(_sina(code) for code in ("sz002475", "sz300236", "sz002472", "sh688099", "sz000963",
                               "sh600396", "sz000001", "bj920118", "sh688047", "sh513500",
                               "sh510300")),
    ("eastmoney", Feed.QUOTE, "600519", 6610, 853_668_021, 1288.00, 1294.97),
    ("eastmoney", Feed.QUOTE, "600519", 10701, 1_375_928_521, 1283.01, 1294.99),
    ("eastmoney", Feed.QUOTE, "513300", 1_014_421, 275_372_834, 2.708 / 1.05, 2.708 * 1.05),
    ("eastmoney", Feed.DAILY, "600986", 366_811, 527_498_432, 13.97, 14.78),
    ("eastmoney", Feed.MINUTE, "600519", 337, 43_592_205, 1291.99, 1294.99),
    ("tencent", Feed.MINUTE, "600519", 22537, 2_783_140_281, 1234.06, 1239.58),
]


@pytest.mark.parametrize(("provider", "feed", "code", "volume", "amount", "low", "high"),
                         CAPTURES, ids=[f"{c[0]}-{c[1]}-{c[2]}" for c in CAPTURES])
def test_each_capture_implies_the_tables_unit(provider: str, feed: Feed, code: str,
                                              volume: int, amount: int, low: float,
                                              high: float) -> None:
    unit = units_for(provider, parse_symbol(code).board, feed).volume
    assert low <= amount / (volume * unit) <= high  # the average price lies in the day's range


def test_verified_means_a_capture_or_report_checks_it() -> None:
    """Every board entry that says it is verified has a capture above (or, for Tencent's daily
    bars, a reported day); everything else falls back to an assumed ``None`` entry."""
    checked = {(c[0], c[1], parse_symbol(c[2]).board) for c in CAPTURES}
    checked |= {("tencent", Feed.DAILY, parse_symbol(code).board) for code, *_ in REPORTED_DAILY}
    verified = {(provider, feed, board) for provider, feeds in UNITS.items()
                for feed, boards in feeds.items() for board, units in boards.items()
                if units.verified}
    assert verified == checked
    assumed = {(provider, feed, board) for provider, feeds in UNITS.items()
               for feed, boards in feeds.items() for board, units in boards.items()
               if not units.verified}
    # No capture: every fallback, and Tencent's STAR minute line (checked per answer instead).
    assert assumed == {(provider, feed, None) for provider, feeds in UNITS.items()
                       for feed in feeds} | {("tencent", Feed.MINUTE, Board.STAR)}


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
    units = units_for("eastmoney", Board.MAIN)
    extras = stock_get_extras(values.get, Board.MAIN, units.volume)
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


# -- a payload that contradicts the table wins, in every parser that can check ---------------

MAIN = parse_symbol("600111.SS")


def _shares_instead_of_lots(caplog: pytest.LogCaptureFixture, read, expected: float) -> None:
    with caplog.at_level(logging.WARNING):
        assert read() == expected
    assert "volume unit 1 per the payload's cross-check, not 100" in caplog.text
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        read()
    assert "cross-check" not in caplog.text  # once, not at every poll


def test_eastmoney_stock_get_checks_f48_over_f47_against_f71(
        caplog: pytest.LogCaptureFixture) -> None:
    data = {**STOCK_GET_600111, "f47": 123_456_700, "f49": 64_011_200, "f161": 59_445_500}
    quote = decode_stock_get(data, 2, symbol=MAIN)
    _shares_instead_of_lots(caplog, lambda: quote.volume, 123_456_700)
    assert quote.outside_volume == 64_011_200  # 外盘 follows the volume's unit


def test_eastmoney_ulist_checks_f6_over_f5_against_the_last_price(
        caplog: pytest.LogCaptureFixture) -> None:
    item = {"f2": 50.46, "f5": 123_456_700, "f6": 6209872010.0, "f12": "600111", "f13": 1,
            "f14": "北方稀土", "f15": 51.2, "f16": 49.6, "f17": 49.95, "f18": 49.88,
            "f124": 1787295603}
    _shares_instead_of_lots(
        caplog, lambda: decode_ulist_item(item, 2, symbol=MAIN).volume, 123_456_700)


def test_eastmoney_klines_check_the_newest_bar(caplog: pytest.LogCaptureFixture) -> None:
    rows = [row.replace(",1234567,", ",123456700,") for row in KLINES_600111]
    payload = {"rc": 0, "data": {"code": "600111", "market": 1, "klines": rows}}
    _shares_instead_of_lots(
        caplog, lambda: parse_klines(payload, symbol=MAIN)[-1].volume, 123_456_700)


def test_eastmoney_trends_check_the_sessions_sums(caplog: pytest.LogCaptureFixture) -> None:
    rows = []
    for row in TRENDS_ROWS:
        parts = row.split(",")
        parts[5] = str(int(parts[5]) * 100)
        rows.append(",".join(parts))
    payload = {"rc": 0, "data": {"preClose": 49.88, "trends": rows}}
    _shares_instead_of_lots(
        caplog, lambda: parse_trends(payload, MAIN)[0].bars[0].volume, 1_200_000)


def test_sina_checks_amount_over_volume_against_the_last_price(
        caplog: pytest.LogCaptureFixture) -> None:
    fields = SINA_LINES["sz000001"].split(",")
    fields[8] = str(int(fields[8]) // 100)  # as if Sina sent lots
    with caplog.at_level(logging.WARNING):
        quote = parse_sina_fields("sz000001", fields)
    assert quote.volume == 1_095_742 * 100
    assert "volume unit 100 per the payload's cross-check, not 1" in caplog.text


#: A fqkline row as akshare's stock_hist_tx reads them: [date, open, close, high, low, volume,
#: {notes}, turnover %, amount 万元], here with 688256's figures of 2026-06-03 (shares).
STAR_DAY = ["2026-06-03", "1292.30", "1378.10", "1428.01", "1291.00", "16559805", {}, "2.64",
            "2268372.5029"]


def test_tencent_daily_rows_with_an_amount_check_the_unit(
        caplog: pytest.LogCaptureFixture) -> None:
    payload = {"code": 0, "data": {"sh688256": {"qfqday": [STAR_DAY]}}}
    with caplog.at_level(logging.WARNING):
        (bar,) = parse_history(payload, code="sh688256")
    assert (bar.volume, bar.amount) == (16_559_805, 22_683_725_029)
    assert "cross-check" not in caplog.text
    in_lots = [*STAR_DAY[:5], "165598", *STAR_DAY[6:]]
    with caplog.at_level(logging.WARNING):
        (lots,) = parse_history({"code": 0, "data": {"sh688256": {"qfqday": [in_lots]}}},
                                code="sh688256")
    assert lots.volume == 16_559_800
    assert "volume unit 100 per the payload's cross-check, not 1" in caplog.text

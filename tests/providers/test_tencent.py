"""Tencent provider: pure parsers on recorded-format GBK payloads, then the real client against
the fake upstream (real HTTP on 127.0.0.1) with faults switched on."""

from __future__ import annotations

import math
from collections.abc import AsyncIterator
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import httpx
import pytest
from neodymium.providers.base import ProviderOptions
from neodymium.providers.errors import (
    BadPayload,
    ProviderUnavailable,
    RateLimited,
    SymbolNotFound,
    UnsupportedSymbol,
)
from neodymium.providers.models import DataKind
from neodymium.providers.symbols import parse_symbol
from neodymium.providers.tencent import (
    HISTORY_BASE_URL,
    TencentProvider,
    build_history_url,
    build_quote_url,
    decode_body,
    parse_history,
    parse_quotes,
)

from tests.fakeupstream import FakeUpstream, Fault
from tests.fakeupstream.routes_tencent import RECORDED_QUOTES

SHANGHAI = ZoneInfo("Asia/Shanghai")
WATCHED = ["600111.SS", "159713.SZ", "516780.SS", "562800.SS", "512400.SS"]


def line(code: str, fields: list[str] | None = None) -> str:
    """A ``v_<code>="…";`` statement from the recorded fields (or the given ones)."""
    return f'v_{code}="{"~".join(fields or RECORDED_QUOTES[code].split("~"))}";\n'


def recorded_fields(code: str) -> list[str]:
    return RECORDED_QUOTES[code].split("~")


def gbk_answer(*lines: str) -> bytes:
    return "".join(lines).encode("gbk")


def parse_bytes(body: bytes):
    return parse_quotes(decode_body(body))


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient() as shared:
        yield shared


# --- pure parsers -------------------------------------------------------------------------


def test_600111_line_is_normalised_to_shares_cny_and_beijing_time() -> None:
    quotes, unknown = parse_bytes(gbk_answer(line("sh600111")))

    assert unknown == set()
    quote = quotes["600111.SS"]
    assert quote.name == "北方稀土"
    assert (quote.last, quote.prev_close, quote.open) == (50.46, 49.88, 49.95)
    assert (quote.high, quote.low) == (51.20, 49.60)
    assert quote.volume == 123_456_700  # 1,234,567 lots × 100
    assert quote.amount == 6_209_872_010  # the exact CNY in [35], not 620,987 万 × 1e4
    assert quote.market_cap == 182_385_000_000  # 1823.85 亿 × 1e8
    assert (quote.bid, quote.ask) == (50.45, 50.46)
    assert (quote.pe_ttm, quote.pe_dynamic, quote.pe_static) == (85.24, 78.10, 97.12)
    assert (quote.high_52w, quote.low_52w) == (61.69, 21.05)
    assert (quote.limit_up, quote.limit_down) == (54.87, 44.89)
    assert quote.currency == "CNY"
    assert quote.as_of == datetime(2026, 8, 21, 15, 0, 3, tzinfo=SHANGHAI)
    assert quote.as_of.isoformat() == "2026-08-21T15:00:03+08:00"
    assert (quote.source, quote.delay_s) == ("tencent", 0)


def test_etf_lines_have_three_decimals_and_no_pe() -> None:
    quotes, _ = parse_bytes(gbk_answer(line("sz159713"), line("sh516780")))

    shenzhen, shanghai = quotes["159713.SZ"], quotes["516780.SS"]
    assert shenzhen.name == "稀土ETF富国"
    assert (shenzhen.last, shenzhen.prev_close) == (1.163, 1.148)
    assert (shenzhen.pe_ttm, shenzhen.pe_dynamic, shenzhen.pe_static) == (None, None, None)
    assert shenzhen.market_cap == 3_436_000_000
    assert shanghai.name == "稀土ETF华泰柏瑞"
    assert shanghai.limit_up == 1.351


def test_pre_open_zero_prices_are_missing_not_zero() -> None:
    fields = recorded_fields("sh600111")
    for index in (3, 5, 33, 34, 9, 19):
        fields[index] = "0.00"
    fields[6] = fields[37] = "0"
    fields[35] = "0.00/0/0"

    quote = parse_bytes(gbk_answer(line("sh600111", fields)))[0]["600111.SS"]

    assert (quote.last, quote.open, quote.high, quote.low) == (None, None, None, None)
    assert (quote.bid, quote.ask) == (None, None)
    assert quote.prev_close == 49.88
    assert (quote.volume, quote.amount) == (0, 0)  # nothing traded yet is a real zero
    assert (quote.limit_up, quote.limit_down) == (54.87, 44.89)  # limits are set pre-open
    assert quote.change is None


def test_short_line_gives_none_for_the_fields_it_lacks() -> None:
    fields = recorded_fields("sh600111")[:35]

    quote = parse_bytes(gbk_answer(line("sh600111", fields)))[0]["600111.SS"]

    assert quote.last == 50.46
    assert quote.high == 51.20
    for name in ("amount", "pe_ttm", "pe_static", "market_cap", "high_52w", "limit_up"):
        assert getattr(quote, name) is None, name
    assert quote.currency == "CNY"


def test_line_too_short_to_be_dated_is_bad_payload() -> None:
    with pytest.raises(BadPayload, match="only 30 fields"):
        parse_bytes(gbk_answer(line("sh600111", recorded_fields("sh600111")[:30])))


def test_non_numeric_price_is_bad_payload() -> None:
    fields = recorded_fields("sh600111")
    fields[3] = "N/A"
    with pytest.raises(BadPayload, match=r"last \[3\]"):
        parse_bytes(gbk_answer(line("sh600111", fields)))


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"\n",
        b"\x00\x17<html>maintenance</html>\xff\xfe",
        gbk_answer(line("sh600111"))[:150],  # truncated mid-line
        gbk_answer(line("sh600111"), "rubbish after the statements"),
    ],
    ids=["empty", "blank", "garbage", "truncated", "trailing-junk"],
)
def test_anything_but_complete_statements_is_bad_payload(body: bytes) -> None:
    with pytest.raises(BadPayload):
        parse_bytes(body)


def test_unknown_codes() -> None:
    body = gbk_answer(line("sh600111"), 'v_pv_none_match="1";\n', 'v_sz000000="";\n')

    quotes, unknown = parse_bytes(body)

    assert list(quotes) == ["600111.SS"]
    assert unknown == {"sz000000"}


def test_decoding_gbk_utf8_and_broken_bytes() -> None:
    assert decode_body("北方稀土".encode("gbk")) == "北方稀土"
    assert decode_body("北方稀土".encode()) == "北方稀土"  # a mirror that re-encodes
    assert decode_body(b"\xb1\xb1\xff") == "北\ufffd"  # replaced, never raised


def test_quote_url() -> None:
    assert build_quote_url("https://qt.gtimg.cn/", ["sh600111", "sz159713"]) == (
        "https://qt.gtimg.cn/q=sh600111,sz159713"
    )


KLINE = (
    '{"code":0,"msg":"","data":{"sh600111":{"qfqday":['
    '["2026-08-20","49.500","49.880","50.100","49.210","1001234.000"],'
    '["2026-08-21","49.950","50.460","51.200","49.600","1234567.000"]],'
    '"qt":{},"prec":"49.880"}}}'
)


def test_history_rows_are_date_open_close_high_low_lots() -> None:
    bars = parse_history(KLINE)

    assert [bar.day for bar in bars] == [date(2026, 8, 20), date(2026, 8, 21)]
    last = bars[-1]
    assert (last.symbol, last.open, last.close, last.high, last.low) == (
        "600111.SS", 49.95, 50.46, 51.20, 49.60,
    )
    assert last.volume == 123_456_700


def test_history_accepts_day_key_js_prefix_and_bytes() -> None:
    text = "kline_day=" + KLINE.replace('"qfqday"', '"day"')

    assert parse_history(text.encode(), code="sh600111")[-1].close == 50.46


def test_history_row_without_volume_has_none() -> None:
    text = (
        '{"code":0,"data":{"sz159713":{"qfqday":'
        '[["2026-08-21","1.152","1.163","1.171","1.146"]]}}}'
    )

    bar = parse_history(text)[0]

    assert (bar.symbol, bar.close, bar.volume) == ("159713.SZ", 1.163, None)


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ('{"code":-1,"msg":"param error","data":[]}', BadPayload),
        ('{"code":0,"msg":"","data":{}}', SymbolNotFound),
        ('{"code":0,"msg":"","data":{"sh600112":{"qt":{}}}}', SymbolNotFound),
        ("<html>busy</html>", BadPayload),
        ('{"code":0,"data":{"sh600111":{"qfqday":[["2026-08-21","49.95",""]]}}}', BadPayload),
        ('{"code":0,"data":{"sh600111":{"qfqday":[["21/08/2026","1","2","3","4"]]}}}', BadPayload),
    ],
    ids=["error-code", "no-data", "no-bars", "not-json", "short-row", "bad-date"],
)
def test_history_errors(text: str, error: type[Exception]) -> None:
    with pytest.raises(error):
        parse_history(text)


def test_history_url() -> None:
    url = build_history_url(
        "https://web.ifzq.gtimg.cn", "sh600111", date(2025, 8, 21), date(2026, 8, 21)
    )
    assert url == (
        "https://web.ifzq.gtimg.cn/appstock/app/fqkline/get"
        "?param=sh600111,day,2025-08-21,2026-08-21,640,qfq"
    )


async def test_serves_a_shares_only(client: httpx.AsyncClient) -> None:
    provider = TencentProvider(client)

    assert provider.supports(parse_symbol("600111.SS"), DataKind.QUOTES)
    assert provider.supports(parse_symbol("516780.SS"), DataKind.HISTORY)
    assert not provider.supports(parse_symbol("REMX"), DataKind.QUOTES)
    assert not provider.supports(parse_symbol("600111.SS"), DataKind.NEWS)
    assert provider.history_base_url == HISTORY_BASE_URL


# --- against the fake upstream ------------------------------------------------------------


@pytest.fixture
def tencent(client: httpx.AsyncClient, fake_upstream: FakeUpstream) -> TencentProvider:
    options = ProviderOptions(base_url=fake_upstream.base_url, timeout=1.0, min_interval=0.0)
    return TencentProvider(client, options)


def symbols(*keys: str):
    return [parse_symbol(key) for key in keys]


async def test_happy_path_one_request_for_the_watchlist(
    tencent: TencentProvider, fake_upstream: FakeUpstream
) -> None:
    batch = await tencent.fetch_quotes(symbols(*WATCHED))

    assert sorted(batch.quotes) == sorted(WATCHED)
    assert dict(batch.errors) == {}
    assert batch.quotes["600111.SS"].name == "北方稀土"
    assert batch.quotes["512400.SS"].name == "有色金属ETF南方"
    assert fake_upstream.count("tencent-quote") == 1
    assert fake_upstream.requests_to("tencent-quote")[0].path == (
        "/q=sh600111,sz159713,sh516780,sh562800,sh512400"
    )


async def test_scenario_moves_the_price(
    tencent: TencentProvider, fake_upstream: FakeUpstream
) -> None:
    fake_upstream.scenario.set("price:600111.SS", 51.5)

    quote = (await tencent.fetch_quotes(symbols("600111.SS"))).quotes["600111.SS"]

    assert (quote.last, quote.high) == (51.5, 51.5)
    assert quote.change_pct == pytest.approx((51.5 / 49.88 - 1) * 100)


async def test_us_symbols_are_refused_without_a_request(
    tencent: TencentProvider, fake_upstream: FakeUpstream
) -> None:
    batch = await tencent.fetch_quotes(symbols("REMX"))

    assert isinstance(batch.errors["REMX"], UnsupportedSymbol)
    assert fake_upstream.count("tencent-quote") == 0


async def test_more_than_sixty_codes_are_split(
    tencent: TencentProvider, fake_upstream: FakeUpstream
) -> None:
    unknown = [f"{600200 + n}.SS" for n in range(60)]

    batch = await tencent.fetch_quotes(symbols(*WATCHED, *unknown))

    requests = fake_upstream.requests_to("tencent-quote")
    assert [len(r.path.removeprefix("/q=").split(",")) for r in requests] == [60, 5]
    assert sorted(batch.quotes) == sorted(WATCHED)
    assert all(isinstance(batch.errors[key], SymbolNotFound) for key in unknown)


async def test_bisect_isolates_the_code_that_poisons_the_batch(
    tencent: TencentProvider, fake_upstream: FakeUpstream
) -> None:
    fake_upstream.scenario.set("tencent_poison", {"sh600112"})

    batch = await tencent.fetch_quotes(symbols(*WATCHED, "600112.SS"))

    assert sorted(batch.quotes) == sorted(WATCHED)
    error = batch.errors["600112.SS"]
    assert isinstance(error, SymbolNotFound)
    assert "reject any batch" in str(error)
    assert 1 < fake_upstream.count("tencent-quote") <= 1 + 2 * math.ceil(math.log2(6))


async def test_a_transient_bad_answer_is_recovered_by_the_split(
    tencent: TencentProvider, fake_upstream: FakeUpstream
) -> None:
    fake_upstream.set_fault("tencent-quote", Fault(kind="garbage", times=1))

    batch = await tencent.fetch_quotes(symbols(*WATCHED))

    assert sorted(batch.quotes) == sorted(WATCHED)
    assert fake_upstream.count("tencent-quote") == 3


async def test_garbage_from_every_request_is_the_hosts_fault_not_a_codes(
    tencent: TencentProvider, fake_upstream: FakeUpstream
) -> None:
    fake_upstream.set_fault("tencent-quote", Fault(kind="garbage"))

    with pytest.raises(BadPayload):
        await tencent.fetch_quotes(symbols(*WATCHED))
    assert fake_upstream.count("tencent-quote") == 3  # the batch and its two halves, no more


@pytest.mark.parametrize("status", [500, 503])
async def test_server_errors_are_unavailable_and_never_bisected(
    tencent: TencentProvider, fake_upstream: FakeUpstream, status: int
) -> None:
    fake_upstream.set_fault("tencent-quote", Fault(kind="status", status=status))

    with pytest.raises(ProviderUnavailable):
        await tencent.fetch_quotes(symbols(*WATCHED))
    assert fake_upstream.count("tencent-quote") == 1


async def test_empty_body_is_throttling(
    tencent: TencentProvider, fake_upstream: FakeUpstream
) -> None:
    fake_upstream.set_fault("tencent-quote", Fault(kind="empty"))

    with pytest.raises(RateLimited, match="empty answer"):
        await tencent.fetch_quotes(symbols(*WATCHED))
    assert fake_upstream.count("tencent-quote") == 1  # no bisecting into a throttle


async def test_utf8_body_is_still_read_correctly(
    tencent: TencentProvider, fake_upstream: FakeUpstream
) -> None:
    fake_upstream.set_fault("tencent-quote", Fault(kind="wrong-encoding"))

    batch = await tencent.fetch_quotes(symbols(*WATCHED))

    assert batch.quotes["600111.SS"].name == "北方稀土"
    assert batch.quotes["562800.SS"].name == "稀有金属ETF嘉实"
    assert batch.quotes["600111.SS"].last == 50.46


async def test_missing_fields_are_none_never_zero(
    tencent: TencentProvider, fake_upstream: FakeUpstream
) -> None:
    fake_upstream.set_fault("tencent-quote", Fault(kind="missing-fields"))

    quote = (await tencent.fetch_quotes(symbols("600111.SS"))).quotes["600111.SS"]

    assert (quote.last, quote.prev_close, quote.volume) == (50.46, 49.88, 123_456_700)
    for name in ("amount", "pe_ttm", "pe_dynamic", "market_cap", "high_52w", "low_52w",
                 "limit_up", "limit_down"):
        assert getattr(quote, name) is None, name


async def test_history_for_a_month(tencent: TencentProvider, fake_upstream: FakeUpstream) -> None:
    bars = await tencent.fetch_history(
        parse_symbol("600111.SS"), date(2026, 8, 1), date(2026, 8, 21)
    )

    assert [bar.day.weekday() < 5 for bar in bars] == [True] * 15
    assert bars[0].day == date(2026, 8, 3)
    last = bars[-1]
    assert (last.day, last.open, last.close, last.high, last.low, last.volume) == (
        date(2026, 8, 21), 49.95, 50.46, 51.20, 49.60, 123_456_700,
    )
    request = fake_upstream.requests_to("tencent-kline")[0]
    assert request.param("param") == "sh600111,day,2026-08-01,2026-08-21,640,qfq"


async def test_long_history_is_fetched_in_windows_under_the_bar_cap(
    tencent: TencentProvider, fake_upstream: FakeUpstream
) -> None:
    start, end = date(2022, 1, 1), date(2026, 8, 21)

    bars = await tencent.fetch_history(parse_symbol("512400.SS"), start, end)

    days = [bar.day for bar in bars]
    assert days == sorted(set(days))
    assert (days[0], days[-1]) == (date(2022, 1, 3), end)
    assert len(days) == sum(
        1 for n in range((end - start).days + 1) if (start + timedelta(days=n)).weekday() < 5
    )
    assert fake_upstream.count("tencent-kline") == math.ceil(((end - start).days + 1) / 800)


async def test_history_without_start_is_one_year(
    tencent: TencentProvider, fake_upstream: FakeUpstream
) -> None:
    bars = await tencent.fetch_history(parse_symbol("159713.SZ"), None, date(2026, 8, 21))

    assert bars[0].day >= date(2025, 8, 21)
    assert bars[-1].close == 1.163


async def test_history_of_an_unknown_code(
    tencent: TencentProvider, fake_upstream: FakeUpstream
) -> None:
    with pytest.raises(SymbolNotFound):
        await tencent.fetch_history(parse_symbol("600112.SS"), None, date(2026, 8, 21))


async def test_history_missing_volume_is_none(
    tencent: TencentProvider, fake_upstream: FakeUpstream
) -> None:
    fake_upstream.set_fault("tencent-kline", Fault(kind="missing-fields"))

    week = (date(2026, 8, 17), date(2026, 8, 21))

    bars = await tencent.fetch_history(parse_symbol("600111.SS"), *week)

    assert [bar.volume for bar in bars] == [None] * 5
    assert bars[-1].close == 50.46


async def test_history_server_error_is_unavailable(
    tencent: TencentProvider, fake_upstream: FakeUpstream
) -> None:
    fake_upstream.set_fault("tencent-kline", Fault(kind="status", status=502))

    with pytest.raises(ProviderUnavailable):
        await tencent.fetch_history(parse_symbol("600111.SS"), None, date(2026, 8, 21))


async def test_history_of_a_us_symbol_is_unsupported(tencent: TencentProvider) -> None:
    with pytest.raises(UnsupportedSymbol):
        await tencent.fetch_history(parse_symbol("REMX"), None, date(2026, 8, 21))

"""Sina provider: the pure parser on recorded-format GBK payloads, then the real client against
the fake upstream (real HTTP on 127.0.0.1) with faults switched on."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime
from zoneinfo import ZoneInfo

import httpx
import pytest
from neodymium.providers.base import ProviderOptions
from neodymium.providers.errors import (
    AuthError,
    BadPayload,
    RateLimited,
    SymbolNotFound,
    UnsupportedSymbol,
)
from neodymium.providers.models import DataKind
from neodymium.providers.sina import REFERER, SinaProvider, build_quote_url, parse_quotes
from neodymium.providers.symbols import parse_symbol
from neodymium.providers.tencent import decode_body

from tests.fakeupstream import FakeUpstream, Fault
from tests.fakeupstream.routes_sina import RECORDED_QUOTES

SHANGHAI = ZoneInfo("Asia/Shanghai")
WATCHED = ["600111.SS", "159713.SZ", "516780.SS", "562800.SS", "512400.SS"]


def recorded_fields(code: str) -> list[str]:
    return RECORDED_QUOTES[code].split(",")


def line(code: str, fields: list[str] | None = None) -> str:
    """A ``var hq_str_<code>="…";`` statement from the recorded fields (or the given ones)."""
    return f'var hq_str_{code}="{",".join(fields or recorded_fields(code))}";\n'


def parse_bytes(*lines: str):
    return parse_quotes(decode_body("".join(lines).encode("gbk")))


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient() as shared:
        yield shared


# --- pure parser --------------------------------------------------------------------------


def test_600111_line() -> None:
    quotes, unknown = parse_bytes(line("sh600111"))

    assert unknown == set()
    quote = quotes["600111.SS"]
    assert quote.name == "北方稀土"
    assert (quote.open, quote.prev_close, quote.last) == (49.95, 49.88, 50.46)
    assert (quote.high, quote.low, quote.bid, quote.ask) == (51.20, 49.60, 50.45, 50.46)
    assert quote.volume == 123_456_700  # Sina already counts shares
    assert quote.amount == 6_209_872_010  # and CNY
    assert quote.as_of == datetime(2026, 8, 21, 15, 0, 3, tzinfo=SHANGHAI)
    assert quote.as_of.isoformat() == "2026-08-21T15:00:03+08:00"
    for name in ("pe_ttm", "pe_dynamic", "pe_static", "market_cap", "high_52w", "limit_up"):
        assert getattr(quote, name) is None, name
    assert (quote.currency, quote.source, quote.delay_s) == ("CNY", "sina", 0)


def test_with_and_without_the_trailing_comma() -> None:
    fields = recorded_fields("sh600111")
    assert fields[-1] == ""  # the current format

    current = parse_bytes(line("sh600111"))[0]["600111.SS"]
    older = parse_bytes(line("sh600111", fields[:-1]))[0]["600111.SS"]

    assert current == older


def test_etf_lines_keep_three_decimals() -> None:
    quotes, _ = parse_bytes(line("sz159713"), line("sh562800"))

    assert (quotes["159713.SZ"].name, quotes["159713.SZ"].last) == ("稀土ETF富国", 1.163)
    assert (quotes["562800.SS"].name, quotes["562800.SS"].last) == ("稀有金属ETF嘉实", 0.986)


def test_empty_var_is_an_unknown_code() -> None:
    quotes, unknown = parse_bytes(line("sh600111"), 'var hq_str_sh516999="";\n')

    assert list(quotes) == ["600111.SS"]
    assert unknown == {"sh516999"}


def test_pre_open_zeros_are_missing() -> None:
    fields = recorded_fields("sh600111")
    for index in (1, 3, 4, 5, 6, 7):
        fields[index] = "0.000"
    fields[8] = fields[9] = "0"

    quote = parse_bytes(line("sh600111", fields))[0]["600111.SS"]

    assert (quote.open, quote.last, quote.high, quote.low, quote.bid, quote.ask) == (None,) * 6
    assert quote.prev_close == 49.88
    assert (quote.volume, quote.amount) == (0, 0)
    assert quote.change is None


def test_halted_line_is_kept_without_invented_values() -> None:
    fields = recorded_fields("sh600111")
    for index in (1, 3, 4, 5, 6, 7):
        fields[index] = "0.000"
    fields[8] = fields[9] = "0"
    fields[32] = "07"  # suspended

    quote = parse_bytes(line("sh600111", fields))[0]["600111.SS"]

    assert quote.name == "北方稀土"
    assert quote.prev_close == 49.88
    assert quote.last is None
    assert quote.change_pct is None


def test_b_shares_trade_in_foreign_currency() -> None:
    fields = recorded_fields("sh600111")
    fields[0] = "B股样本"

    quotes, _ = parse_bytes(line("sh900901", fields), line("sz200002", fields))

    assert (quotes["900901.SS"].currency, quotes["200002.SZ"].currency) == ("USD", "HKD")


@pytest.mark.parametrize(
    "body",
    [
        "",
        "\n",
        line("sh600111")[:120],
        line("sh600111", recorded_fields("sh600111")[:20]),
        line("sh600111", [*recorded_fields("sh600111")[:30], "15:00:03", "00"]),
        "<html>Kinsoku jikou desu!</html>",
    ],
    ids=["empty", "blank", "truncated", "cut-before-date", "no-date", "html"],
)
def test_unusable_answers_are_bad_payload(body: str) -> None:
    with pytest.raises(BadPayload):
        parse_quotes(body)


def test_non_numeric_price_is_bad_payload() -> None:
    fields = recorded_fields("sh600111")
    fields[3] = "abc"
    with pytest.raises(BadPayload, match=r"last \[3\]"):
        parse_bytes(line("sh600111", fields))


def test_quote_url() -> None:
    assert build_quote_url("https://hq.sinajs.cn", ["sh600111", "sz159713"]) == (
        "https://hq.sinajs.cn/list=sh600111,sz159713"
    )


async def test_serves_a_share_quotes_only(client: httpx.AsyncClient) -> None:
    provider = SinaProvider(client)

    assert provider.supports(parse_symbol("600111.SS"), DataKind.QUOTES)
    assert not provider.supports(parse_symbol("600111.SS"), DataKind.HISTORY)
    assert not provider.supports(parse_symbol("REMX"), DataKind.QUOTES)
    assert provider.base_url == "https://hq.sinajs.cn"


# --- against the fake upstream ------------------------------------------------------------


@pytest.fixture
def sina(client: httpx.AsyncClient, fake_upstream: FakeUpstream) -> SinaProvider:
    options = ProviderOptions(base_url=fake_upstream.base_url, timeout=1.0, min_interval=0.0)
    return SinaProvider(client, options)


def symbols(*keys: str):
    return [parse_symbol(key) for key in keys]


async def test_happy_path_sends_the_referer(
    sina: SinaProvider, fake_upstream: FakeUpstream
) -> None:
    batch = await sina.fetch_quotes(symbols(*WATCHED))

    assert sorted(batch.quotes) == sorted(WATCHED)
    assert dict(batch.errors) == {}
    assert batch.quotes["516780.SS"].name == "稀土ETF华泰柏瑞"
    (request,) = fake_upstream.requests_to("sina-quote")
    assert request.headers["referer"] == REFERER
    assert request.path == "/list=sh600111,sz159713,sh516780,sh562800,sh512400"


async def test_the_fake_refuses_requests_without_referer(fake_upstream: FakeUpstream) -> None:
    async with httpx.AsyncClient() as bare:
        response = await bare.get(f"{fake_upstream.base_url}/list=sh600111")

    assert response.status_code == 403
    assert b"Kinsoku jikou desu!" in response.content


async def test_kinsoku_403_is_an_auth_error_naming_the_referer(
    sina: SinaProvider, fake_upstream: FakeUpstream
) -> None:
    fault = Fault(kind="status", status=403, body=b"Kinsoku jikou desu!")
    fake_upstream.set_fault("sina-quote", fault)

    with pytest.raises(AuthError, match="Referer header is missing or rejected") as caught:
        await sina.fetch_quotes(symbols("600111.SS"))
    assert "Kinsoku" in str(caught.value)
    assert caught.value.retryable is False


async def test_unknown_code_is_symbol_not_found(sina: SinaProvider) -> None:
    batch = await sina.fetch_quotes(symbols("600111.SS", "516999.SS"))

    assert list(batch.quotes) == ["600111.SS"]
    assert isinstance(batch.errors["516999.SS"], SymbolNotFound)


async def test_us_symbols_are_refused_without_a_request(
    sina: SinaProvider, fake_upstream: FakeUpstream
) -> None:
    batch = await sina.fetch_quotes(symbols("REMX"))

    assert isinstance(batch.errors["REMX"], UnsupportedSymbol)
    assert fake_upstream.count("sina-quote") == 0


async def test_scenario_moves_the_price(sina: SinaProvider, fake_upstream: FakeUpstream) -> None:
    fake_upstream.scenario.set("price:600111.SS", 48.8)

    quote = (await sina.fetch_quotes(symbols("600111.SS"))).quotes["600111.SS"]

    assert (quote.last, quote.low, quote.high) == (48.8, 48.8, 51.2)


async def test_more_than_800_codes_are_split(
    sina: SinaProvider, fake_upstream: FakeUpstream
) -> None:
    unknown = [f"{609000 + n}.SS" for n in range(800)]  # codes the fakes do not know

    batch = await sina.fetch_quotes(symbols(*WATCHED, *unknown))

    assert fake_upstream.count("sina-quote") == 2
    assert sorted(batch.quotes) == sorted(WATCHED)
    assert len(batch.errors) == 800


async def test_empty_body_is_throttling(sina: SinaProvider, fake_upstream: FakeUpstream) -> None:
    fake_upstream.set_fault("sina-quote", Fault(kind="empty"))

    with pytest.raises(RateLimited, match="empty answer"):
        await sina.fetch_quotes(symbols(*WATCHED))


async def test_utf8_body_is_still_read_correctly(
    sina: SinaProvider, fake_upstream: FakeUpstream
) -> None:
    fake_upstream.set_fault("sina-quote", Fault(kind="wrong-encoding"))

    batch = await sina.fetch_quotes(symbols(*WATCHED))

    assert batch.quotes["600111.SS"].name == "北方稀土"
    assert batch.quotes["512400.SS"].name == "有色金属ETF南方"


async def test_missing_fields_are_none_never_zero(
    sina: SinaProvider, fake_upstream: FakeUpstream
) -> None:
    fake_upstream.set_fault("sina-quote", Fault(kind="missing-fields"))

    quote = (await sina.fetch_quotes(symbols("600111.SS"))).quotes["600111.SS"]

    assert (quote.name, quote.last, quote.prev_close, quote.open) == (
        "北方稀土", 50.46, 49.88, 49.95,
    )
    for name in ("high", "low", "bid", "ask", "volume", "amount"):
        assert getattr(quote, name) is None, name
    assert quote.as_of == datetime(2026, 8, 21, 15, 0, 3, tzinfo=SHANGHAI)


async def test_other_403_is_not_blamed_on_the_referer(
    sina: SinaProvider, fake_upstream: FakeUpstream
) -> None:
    fake_upstream.set_fault("sina-quote", Fault(kind="status", status=403, body=b"IP blocked"))

    with pytest.raises(AuthError) as caught:
        await sina.fetch_quotes(symbols("600111.SS"))
    assert "Referer" not in str(caught.value)
    assert caught.value.excerpt == "IP blocked"

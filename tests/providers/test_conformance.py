"""One conformance suite every HTTP quote provider runs through, against the fake upstream:
units per board, trading status, missing fields, and the transport faults. Behaviour that is
one provider's own (Tencent's bisecting, Sina's Referer, Eastmoney's delayed host, Yahoo's
request per symbol) stays in that provider's test file."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import UTC, datetime

import httpx
import pytest
from neodymium.providers.base import Provider, ProviderOptions
from neodymium.providers.clock import FrozenClock
from neodymium.providers.eastmoney import EastmoneyProvider
from neodymium.providers.errors import (
    BadPayload,
    ProviderError,
    ProviderUnavailable,
    RateLimited,
)
from neodymium.providers.models import Quote, TradingStatus
from neodymium.providers.sina import SinaProvider
from neodymium.providers.symbols import parse_symbol
from neodymium.providers.tencent import TencentProvider
from neodymium.providers.yahoo import YahooProvider

from tests.fakeupstream import FakeUpstream, Fault
from tests.fakeupstream.routes_eastmoney import CASE_STOCK_GET as EM_CASES
from tests.fakeupstream.routes_eastmoney import STOCK_GET as EM_STOCK_GET
from tests.fakeupstream.routes_eastmoney import canonical_key as em_key
from tests.fakeupstream.routes_sina import RECORDED_QUOTES as SINA_LINES
from tests.fakeupstream.routes_tencent import RECORDED_QUOTES as TENCENT_LINES
from tests.fakeupstream.routes_tencent import canonical_key

#: Fields that are prices: missing is None, never 0 or below.
PRICE_FIELDS = ("last", "prev_close", "open", "high", "low", "bid", "ask", "high_52w",
                "low_52w", "limit_up", "limit_down", "market_cap")


@dataclass(frozen=True)
class Case:
    """How to build one provider and what its upstream promises."""

    name: str
    route: str  # the fake upstream's quote route
    build: Callable[[httpx.AsyncClient, ProviderOptions], Provider]
    reports_status: bool
    sends_amount: bool
    #: A connection reset is Eastmoney's throttle signal; for the others the host is down.
    reset_error: type[ProviderError] = ProviderUnavailable
    #: Other routes the same quote cycle reads (Eastmoney enriches ulist with stock/get).
    also: tuple[str, ...] = ()

    def break_with(self, upstream: FakeUpstream, fault: Fault) -> None:
        for route in (self.route, *self.also):
            upstream.set_fault(route, fault)


CASES = [
    Case("tencent", "tencent-quote", TencentProvider, reports_status=True, sends_amount=True),
    Case("sina", "sina-quote", SinaProvider, reports_status=True, sends_amount=True),
    Case("eastmoney", "em-ulist",
         lambda client, options: EastmoneyProvider(
             client, options, FrozenClock(datetime(2026, 8, 21, 7, 0, 10, tzinfo=UTC))),
         reports_status=True, sends_amount=True, reset_error=RateLimited,
         also=("em-stock-get",)),
    Case("yahoo", "yahoo-chart", YahooProvider, reports_status=False, sends_amount=False),
]
IDS = [case.name for case in CASES]


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient() as shared:
        yield shared


def provider(case: Case, client: httpx.AsyncClient, upstream: FakeUpstream,
             timeout: float = 1.0) -> Provider:
    options = ProviderOptions(base_url=upstream.base_url, timeout=timeout, min_interval=0.0)
    return case.build(client, options)


async def quotes(case: Case, client: httpx.AsyncClient, upstream: FakeUpstream,
                 *keys: str) -> dict[str, Quote]:
    batch = await provider(case, client, upstream).fetch_quotes([parse_symbol(k) for k in keys])
    return dict(batch.quotes)


# -- units per board -------------------------------------------------------------------------


@pytest.mark.parametrize("case", CASES, ids=IDS)
async def test_volume_is_shares_and_amount_is_cny_on_every_board(
        case: Case, client: httpx.AsyncClient, fake_upstream: FakeUpstream) -> None:
    found = await quotes(case, client, fake_upstream, "600111.SS", "159713.SZ")
    stock, etf = found["600111.SS"], found["159713.SZ"]
    assert stock.volume == 123_456_700  # main board: 1,234,567 lots where sent in lots
    assert etf.volume == 85_432_100  # Shenzhen ETF
    if case.sends_amount:
        assert stock.amount == pytest.approx(6_209_872_010, rel=1e-4)
        assert 49.0 < stock.amount / stock.volume < 52.0  # amount ÷ volume ≈ the day's prices


@pytest.mark.parametrize("case", [c for c in CASES if c.name in {"tencent", "sina"}],
                         ids=["tencent", "sina"])
async def test_star_board_volume_is_not_a_hundred_times_too_large(
        case: Case, client: httpx.AsyncClient, fake_upstream: FakeUpstream) -> None:
    star = (await quotes(case, client, fake_upstream, "688256.SS"))["688256.SS"]
    assert star.volume == 16_559_805
    assert star.amount == 22_683_725_029
    assert star.amount / star.volume == pytest.approx(1369.81, abs=0.01)  # the average price


def _served(case: Case) -> list[str]:
    """Every code the case's fake answers for, as canonical keys (indexes left out: an index
    level is no share price)."""
    if case.name == "tencent":
        keys = [canonical_key(code) or "" for code in TENCENT_LINES]
    elif case.name == "sina":
        keys = [canonical_key(code) or "" for code in SINA_LINES]
    else:
        keys = [em_key(secid) for secid in (*EM_STOCK_GET, *EM_CASES)]
    return [key for key in keys if key and not parse_symbol(key).is_index]


@pytest.mark.parametrize("case", [c for c in CASES if c.sends_amount],
                         ids=[c.name for c in CASES if c.sends_amount])
async def test_amount_over_volume_lies_in_the_days_range_for_every_code_served(
        case: Case, client: httpx.AsyncClient, fake_upstream: FakeUpstream) -> None:
    """The payload's own cross-check after normalisation, on every board each fake serves
    (main, ChiNext, STAR, Beijing, ETFs, a B share, new listings): in shares and currency
    units, amount ÷ volume is the day's average price, inside its low–high."""
    keys = _served(case)
    found = await quotes(case, client, fake_upstream, *keys)
    checked = 0
    for key, quote in found.items():
        if not (quote.volume and quote.amount and quote.low and quote.high):
            continue  # suspended, delisted: nothing traded
        assert quote.low * 0.999 <= quote.amount / quote.volume <= quote.high * 1.001, key
        checked += 1
    assert checked >= min(len(keys), 5)


# -- status ----------------------------------------------------------------------------------


@pytest.mark.parametrize("case", CASES, ids=IDS)
async def test_status_is_read_where_sent_and_unknown_otherwise(
        case: Case, client: httpx.AsyncClient, fake_upstream: FakeUpstream) -> None:
    quote = (await quotes(case, client, fake_upstream, "600111.SS"))["600111.SS"]
    expected = TradingStatus.TRADING if case.reports_status else None
    assert quote.status is expected


# -- missing fields --------------------------------------------------------------------------


@pytest.mark.parametrize("case", CASES, ids=IDS)
async def test_missing_fields_are_none_never_zero(
        case: Case, client: httpx.AsyncClient, fake_upstream: FakeUpstream) -> None:
    case.break_with(fake_upstream, Fault(kind="missing-fields"))
    quote = (await quotes(case, client, fake_upstream, "600111.SS"))["600111.SS"]
    assert quote.last == 50.46
    missing = [name for name in PRICE_FIELDS if getattr(quote, name) is None]
    assert missing, "the degraded answer must lose some fields"
    for name in PRICE_FIELDS:
        value = getattr(quote, name)
        assert value is None or value > 0, name
    for name in ("volume", "amount"):
        value = getattr(quote, name)
        assert value is None or value >= 0, name
    assert quote.as_of.utcoffset() is not None


# -- faults ----------------------------------------------------------------------------------


@pytest.mark.parametrize("case", CASES, ids=IDS)
@pytest.mark.parametrize("status", [500, 503])
async def test_server_errors_are_unavailable(
        case: Case, status: int, client: httpx.AsyncClient, fake_upstream: FakeUpstream) -> None:
    fake_upstream.set_fault(case.route, Fault(kind="status", status=status))
    with pytest.raises(ProviderUnavailable, match=str(status)):
        await quotes(case, client, fake_upstream, "600111.SS", "159713.SZ")


@pytest.mark.parametrize("case", CASES, ids=IDS)
async def test_429_is_rate_limited_with_retry_after(
        case: Case, client: httpx.AsyncClient, fake_upstream: FakeUpstream) -> None:
    fake_upstream.set_fault(case.route, Fault(kind="status", status=429, retry_after="30"))
    with pytest.raises(RateLimited) as caught:
        await quotes(case, client, fake_upstream, "600111.SS", "159713.SZ")
    assert caught.value.retry_after == 30.0


@pytest.mark.parametrize("case", CASES, ids=IDS)
async def test_slow_answer_past_the_timeout_is_unavailable(
        case: Case, client: httpx.AsyncClient, fake_upstream: FakeUpstream) -> None:
    fake_upstream.set_fault(case.route, Fault(kind="slow", delay=5.0))
    fast = provider(case, client, fake_upstream, timeout=0.2)
    with pytest.raises(ProviderUnavailable, match="timed out"):
        await fast.fetch_quotes([parse_symbol("600111.SS")])


@pytest.mark.parametrize("case", CASES, ids=IDS)
async def test_connection_reset(case: Case, client: httpx.AsyncClient,
                                fake_upstream: FakeUpstream) -> None:
    fake_upstream.set_fault(case.route, Fault(kind="reset"))
    with pytest.raises(case.reset_error):
        await quotes(case, client, fake_upstream, "600111.SS")


@pytest.mark.parametrize("case", CASES, ids=IDS)
async def test_truncated_body_is_bad_payload(case: Case, client: httpx.AsyncClient,
                                             fake_upstream: FakeUpstream) -> None:
    fake_upstream.set_fault(case.route, Fault(kind="truncated"))
    with pytest.raises(BadPayload):
        await quotes(case, client, fake_upstream, "600111.SS")

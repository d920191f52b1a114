"""Eastmoney's trading status: stock/get ``f292`` read where public clients agree on its codes,
inference from the line only when the field is absent or says nothing about the stock."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from neodymium.providers.clock import FrozenClock
from neodymium.providers.eastmoney import EastmoneyOptions, EastmoneyProvider
from neodymium.providers.eastmoney_quotes import (
    STOCK_GET_FIELDS,
    RichFields,
    decode_stock_get,
    merge_rich,
)
from neodymium.providers.models import TradingStatus
from neodymium.providers.status import eastmoney_status, status_from_quote
from neodymium.providers.symbols import parse_symbol

from tests.fakeupstream import FakeUpstream
from tests.fakeupstream.routes_eastmoney import CASE_STOCK_GET, STOCK_GET_600111

HALTED = parse_symbol("605998.SS")


@pytest.mark.parametrize(("code", "status"), [
    (2, TradingStatus.TRADING), ("2", TradingStatus.TRADING),
    (6, TradingStatus.SUSPENDED), (14, TradingStatus.SUSPENDED),
    (5, None), (13, None), (11, None), ("-", None), (None, None), (True, None), (2.5, None),
])
def test_only_the_agreed_f292_codes_state_a_status(code: object,
                                                    status: TradingStatus | None) -> None:
    assert eastmoney_status(code) is status


def test_stock_get_asks_for_the_status_field() -> None:
    assert "f292" in STOCK_GET_FIELDS.split(",")


def test_an_intraday_halt_is_suspended_although_the_line_traded() -> None:
    data = CASE_STOCK_GET["1.605998"]

    quote = decode_stock_get(data, 2, symbol=HALTED)
    unmarked = decode_stock_get({k: v for k, v in data.items() if k != "f292"}, 2, symbol=HALTED)

    assert quote.status is TradingStatus.SUSPENDED
    assert (quote.limit_up, quote.limit_down) == (22.0, 18.0)  # sent; the panel hides them
    # The inference alone would call it trading: it has an open and volume.
    assert status_from_quote(quote, HALTED) is TradingStatus.TRADING
    assert unmarked.status is TradingStatus.TRADING


def test_without_the_field_the_status_is_inferred() -> None:
    quote = decode_stock_get(STOCK_GET_600111, 2)  # the recorded sample has no f292
    silent = decode_stock_get({**STOCK_GET_600111, "f47": 0, "f46": 0, "f292": 5}, 2)

    assert quote.status is TradingStatus.TRADING
    assert silent.status is TradingStatus.SUSPENDED  # 5 (收盘) says nothing: no trade today


def test_a_delisting_name_wins_over_a_sent_trading() -> None:
    quote = decode_stock_get({**STOCK_GET_600111, "f58": "邯钢退", "f292": 2}, 2)
    assert quote.status is TradingStatus.DELISTED


def test_a_sent_trading_beats_the_no_volume_inference() -> None:
    quote = decode_stock_get({**STOCK_GET_600111, "f47": 0, "f46": 0, "f292": 2}, 2)
    assert quote.status is TradingStatus.TRADING


def test_stock_gets_status_holds_over_ulists_inference_until_trades_resume() -> None:
    halted = decode_stock_get(CASE_STOCK_GET["1.605998"], 2, symbol=HALTED)
    from_ulist = replace(halted, status=TradingStatus.TRADING)  # ulist can only infer
    rich = RichFields(quote=halted, fetched_at=datetime(2026, 8, 21, 7, 0, tzinfo=UTC))

    assert merge_rich(from_ulist, rich, book=True).status is TradingStatus.SUSPENDED
    assert merge_rich(from_ulist, rich, book=False).status is TradingStatus.SUSPENDED
    resumed = replace(from_ulist, volume=(halted.volume or 0) + 100)
    assert merge_rich(resumed, rich, book=False).status is TradingStatus.TRADING
    next_day = replace(from_ulist, as_of=halted.as_of + timedelta(days=3))
    assert merge_rich(next_day, rich, book=False).status is TradingStatus.TRADING


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient() as shared:
        yield shared


async def test_the_provider_reads_the_halt_from_the_fake_upstream(
    client: httpx.AsyncClient, fake_upstream: FakeUpstream
) -> None:
    options = EastmoneyOptions(base_url=fake_upstream.base_url, timeout=1.0, min_interval=0.0)
    clock = FrozenClock(datetime(2026, 8, 21, 12, 0, tzinfo=UTC))
    provider = EastmoneyProvider(client, options, clock)

    batch = await provider.fetch_quotes(
        [parse_symbol(key) for key in ("605998.SS", "605999.SS", "600111.SS")]
    )

    statuses = {key: quote.status for key, quote in batch.quotes.items()}
    assert statuses == {"605998.SS": TradingStatus.SUSPENDED,
                        "605999.SS": TradingStatus.SUSPENDED,
                        "600111.SS": TradingStatus.TRADING}
    asked = fake_upstream.requests_to("em-stock-get")
    assert asked and all("f292" in (r.param("fields") or "").split(",") for r in asked)

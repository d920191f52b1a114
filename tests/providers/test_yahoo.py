"""Yahoo chart provider: the pure parsers on the recorded chart payload and bad ones, then the
real client against the fake upstream with faults switched on."""

from __future__ import annotations

import copy
import json
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from typing import Any
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
from neodymium.providers.yahoo import (
    CN_DELAY_S,
    YahooProvider,
    build_chart_url,
    chart_result,
    history_period,
    parse_chart_history,
    parse_chart_quote,
)

from tests.fakeupstream import FakeUpstream, Fault

SHANGHAI = ZoneInfo("Asia/Shanghai")
NEW_YORK = ZoneInfo("America/New_York")
NORTHERN = parse_symbol("600111.SS")
WATCHED = ["600111.SS", "159713.SZ", "516780.SS", "562800.SS", "512400.SS", "REMX"]

#: research §4 Sample A: chart of 600111.SS, range=5d, interval=1d.
SAMPLE = (
    b'{"chart":{"result":[{"meta":{"currency":"CNY","symbol":"600111.SS","exchangeName":"SHH",'
    b'"fullExchangeName":"Shanghai","instrumentType":"EQUITY","firstTradeDate":930533400,'
    b'"regularMarketTime":1787295603,"hasPrePostMarketData":false,"gmtoffset":28800,'
    b'"timezone":"CST","exchangeTimezoneName":"Asia/Shanghai","regularMarketPrice":50.46,'
    b'"fiftyTwoWeekHigh":61.69,"fiftyTwoWeekLow":21.05,"regularMarketDayHigh":51.2,'
    b'"regularMarketDayLow":49.6,"regularMarketVolume":123456700,'
    b'"longName":"China Northern Rare Earth (Group) High-Tech Co.,Ltd",'
    b'"shortName":"CHINA NORTHERN RARE EARTH (GROU","chartPreviousClose":48.2,"priceHint":2,'
    b'"currentTradingPeriod":{"pre":{"timezone":"CST","start":1787275800,"end":1787275800,'
    b'"gmtoffset":28800},"regular":{"timezone":"CST","start":1787275800,"end":1787295600,'
    b'"gmtoffset":28800},"post":{"timezone":"CST","start":1787295600,"end":1787295600,'
    b'"gmtoffset":28800}},"dataGranularity":"1d","range":"5d","validRanges":["1d","5d","1mo",'
    b'"3mo","6mo","1y","2y","5y","10y","ytd","max"]},"timestamp":[1786930200,1787016600,'
    b'1787103000,1787189400,1787275800],"indicators":{"quote":[{"open":[48.29999923706055,49.0,'
    b'49.20000076293945,48.79999923706055,49.95000076293945],"high":[49.400001525878906,'
    b'49.849998474121094,49.54999923706055,50.099998474121094,51.20000076293945],"low":['
    b'47.900001525878906,48.619998931884766,48.5,48.65999984741211,49.599998474121094],'
    b'"close":[48.95000076293945,49.29999923706055,48.720001220703125,49.880001068115234,'
    b'50.459999084472656],"volume":[98765400,104321000,87654300,110234500,123456700]}],'
    b'"adjclose":[{"adjclose":[48.95000076293945,49.29999923706055,48.720001220703125,'
    b'49.880001068115234,50.459999084472656]}]}}],"error":null}}'
)
NOT_FOUND = (
    b'{"chart":{"result":null,"error":{"code":"Not Found",'
    b'"description":"No data found, symbol may be delisted"}}}'
)


def sample() -> dict[str, Any]:
    return json.loads(SAMPLE)


def result_of(document: dict[str, Any]) -> dict[str, Any]:
    return document["chart"]["result"][0]


def encoded(document: dict[str, Any]) -> bytes:
    return json.dumps(document).encode()


# -- the quote ----------------------------------------------------------------------------------


def test_quote_from_meta_and_bars() -> None:
    quote = parse_chart_quote(SAMPLE, NORTHERN)

    assert (quote.symbol, quote.source, quote.currency) == ("600111.SS", "yahoo", "CNY")
    assert quote.name == "China Northern Rare Earth (Group) High-Tech Co.,Ltd"
    assert (quote.last, quote.open, quote.high, quote.low) == (50.46, 49.95, 51.2, 49.6)
    assert quote.volume == 123_456_700
    assert (quote.high_52w, quote.low_52w) == (61.69, 21.05)
    assert quote.as_of == datetime(2026, 8, 21, 15, 0, 3, tzinfo=SHANGHAI)
    assert quote.delay_s == CN_DELAY_S and quote.delayed
    assert (quote.pe_ttm, quote.market_cap, quote.bid) == (None, None, None)


def test_previous_close_is_yesterdays_close_never_chart_previous_close() -> None:
    quote = parse_chart_quote(SAMPLE, NORTHERN)

    assert quote.prev_close == 49.88  # chartPreviousClose is 48.2: the close before the range
    assert quote.change_pct == pytest.approx(1.1628, abs=1e-4)


def test_meta_previous_close_wins_when_given() -> None:
    document = sample()
    result_of(document)["meta"]["previousClose"] = 49.87

    assert parse_chart_quote(encoded(document), NORTHERN).prev_close == 49.87


def test_before_todays_first_bar_the_last_bar_is_yesterday() -> None:
    document = sample()
    monday_morning = datetime(2026, 8, 24, 9, 20, tzinfo=SHANGHAI)
    result_of(document)["meta"]["regularMarketTime"] = int(monday_morning.timestamp())

    quote = parse_chart_quote(encoded(document), NORTHERN)

    assert quote.prev_close == 50.46  # Friday's close
    assert quote.open is None  # Friday's open is not Monday's


def test_nulls_inside_arrays_are_skipped() -> None:
    document = sample()
    series = result_of(document)["indicators"]["quote"][0]
    series["close"][3] = None  # 2026-08-20 has no close: the bar is dropped
    series["open"][4] = None

    quote = parse_chart_quote(encoded(document), NORTHERN)
    bars = parse_chart_history(encoded(document), NORTHERN)

    assert quote.prev_close == 48.72  # the last close before today that exists
    assert quote.open is None
    assert [bar.day.day for bar in bars] == [17, 18, 19, 21]
    assert bars[-1].open is None and bars[-1].close == 50.46


def test_missing_meta_values_are_none_never_zero() -> None:
    document = sample()
    meta = result_of(document)["meta"]
    for key in ("regularMarketDayHigh", "regularMarketDayLow", "regularMarketVolume",
                "fiftyTwoWeekHigh", "fiftyTwoWeekLow", "longName", "shortName", "currency"):
        del meta[key]
    series = result_of(document)["indicators"]["quote"][0]
    for key in ("high", "low", "volume"):
        series[key][4] = None

    quote = parse_chart_quote(encoded(document), NORTHERN)

    assert (quote.high, quote.low, quote.volume) == (None, None, None)
    assert (quote.high_52w, quote.low_52w, quote.name, quote.currency) == (None,) * 4
    assert quote.last == 50.46


def test_short_name_when_there_is_no_long_name_and_names_are_cleaned() -> None:
    document = sample()
    meta = result_of(document)["meta"]
    del meta["longName"]
    meta["shortName"] = "CHINA \x1b[2J NORTHERN\u202e"

    assert parse_chart_quote(encoded(document), NORTHERN).name == "CHINA NORTHERN"


def test_us_listings_are_not_delayed() -> None:
    document = sample()
    meta = result_of(document)["meta"]
    meta.update(symbol="REMX", currency="USD", exchangeTimezoneName="America/New_York",
                regularMarketTime=int(datetime(2026, 8, 21, 16, tzinfo=NEW_YORK).timestamp()))

    quote = parse_chart_quote(encoded(document), parse_symbol("REMX"))

    assert (quote.delay_s, quote.currency) == (0, "USD")
    assert quote.as_of.tzinfo == NEW_YORK


# -- errors -------------------------------------------------------------------------------------


def test_the_404_body_is_symbol_not_found() -> None:
    with pytest.raises(SymbolNotFound, match="delisted") as caught:
        chart_result(NOT_FOUND, "600999.SS")
    assert caught.value.symbol == "600999.SS"


@pytest.mark.parametrize(("mutate", "message"), [
    (lambda d: d["chart"].update(result=None, error={"code": "Internal", "description": "x"}),
     "chart error Internal"),
    (lambda d: d["chart"].update(result=[]), "no chart result"),
    (lambda d: result_of(d).pop("meta"), "no meta"),
    (lambda d: result_of(d)["meta"].pop("regularMarketTime"), "regularMarketTime"),
    (lambda d: result_of(d)["indicators"]["quote"][0]["close"].__setitem__(1, "49.3"),
     "not a number"),
    (lambda d: result_of(d)["meta"].update(regularMarketPrice=True), "not a number"),
    (lambda d: result_of(d).pop("indicators"), "indicators"),
])
def test_bad_chart_answers_are_bad_payload(mutate, message: str) -> None:
    document = copy.deepcopy(sample())
    mutate(document)

    with pytest.raises(BadPayload, match=message):
        parse_chart_quote(encoded(document), NORTHERN)


@pytest.mark.parametrize("payload", [b"", b"<html>Will be right back</html>", SAMPLE[:300],
                                     b"[]", b'{"finance":{"error":null}}'])
def test_unreadable_bodies_are_bad_payload(payload: bytes) -> None:
    with pytest.raises(BadPayload):
        parse_chart_quote(payload, NORTHERN)


# -- history ------------------------------------------------------------------------------------


def test_history_bars_are_rounded_and_dated_in_the_exchange_zone() -> None:
    bars = parse_chart_history(SAMPLE, NORTHERN)

    assert [bar.day for bar in bars] == [date(2026, 8, d) for d in (17, 18, 19, 20, 21)]
    assert (bars[0].open, bars[0].high, bars[0].low, bars[0].close) == (48.3, 49.4, 47.9, 48.95)
    assert bars[0].volume == 98_765_400


def test_midnight_local_timestamps_keep_their_local_date() -> None:
    document = sample()
    result_of(document)["timestamp"] = [
        int(datetime(2026, 8, d, tzinfo=SHANGHAI).timestamp()) for d in (17, 18, 19, 20, 21)
    ]

    bars = parse_chart_history(encoded(document), NORTHERN)

    assert bars[0].day == date(2026, 8, 17)  # in UTC that is still the 16th


def test_history_is_scaled_by_adjclose() -> None:
    document = sample()
    adjusted = result_of(document)["indicators"]["adjclose"][0]["adjclose"]
    adjusted[0] = adjusted[0] / 2  # a 2:1 split after the first bar

    first = parse_chart_history(encoded(document), NORTHERN)[0]
    quote = parse_chart_quote(encoded(document), NORTHERN)

    assert (first.open, first.close) == (24.15, 24.48)
    assert first.volume == 98_765_400
    assert quote.prev_close == 49.88  # quotes use the real, unadjusted closes


def test_history_period_covers_whole_exchange_days() -> None:
    first, after = history_period(NORTHERN, date(2026, 8, 17), date(2026, 8, 21))

    assert datetime.fromtimestamp(first, SHANGHAI) == datetime(2026, 8, 17, tzinfo=SHANGHAI)
    assert datetime.fromtimestamp(after, SHANGHAI) == datetime(2026, 8, 22, tzinfo=SHANGHAI)


def test_chart_url_escapes_the_symbol() -> None:
    assert build_chart_url("https://q.example/", "600111.SS") == (
        "https://q.example/v8/finance/chart/600111.SS"
    )
    assert build_chart_url("https://q.example", "BRK/B").endswith("/chart/BRK%2FB")


# -- the client against the fake upstream -------------------------------------------------------


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient() as shared:
        yield shared


@pytest.fixture
def yahoo(client: httpx.AsyncClient, fake_upstream: FakeUpstream) -> YahooProvider:
    options = ProviderOptions(base_url=fake_upstream.base_url, timeout=1.0, min_interval=0.0)
    return YahooProvider(client, options)


def symbols(*keys: str):
    return [parse_symbol(key) for key in keys]


def test_serves_everything_but_beijing(yahoo: YahooProvider) -> None:
    assert yahoo.supports(parse_symbol("REMX"), DataKind.QUOTES)
    assert yahoo.supports(parse_symbol("159713.SZ"), DataKind.HISTORY)
    assert not yahoo.supports(parse_symbol("430047.BJ"), DataKind.QUOTES)
    assert not yahoo.supports(parse_symbol("REMX"), DataKind.NEWS)


async def test_one_chart_request_per_symbol(
    yahoo: YahooProvider, fake_upstream: FakeUpstream
) -> None:
    batch = await yahoo.fetch_quotes(symbols(*WATCHED))

    assert sorted(batch.quotes) == sorted(WATCHED) and dict(batch.errors) == {}
    requests = fake_upstream.requests_to("yahoo-chart")
    assert [r.path.rsplit("/", 1)[-1] for r in requests] == WATCHED
    assert all((r.param("range"), r.param("interval")) == ("5d", "1d") for r in requests)
    assert requests[0].headers["user-agent"].startswith("Mozilla/5.0")
    northern, remx = batch.quotes["600111.SS"], batch.quotes["REMX"]
    assert (northern.last, northern.prev_close, northern.delay_s) == (50.46, 49.88, 900)
    assert (remx.last, remx.prev_close, remx.open, remx.currency) == (45.12, 44.3, 44.5, "USD")
    assert remx.delay_s == 0 and remx.as_of == datetime(2026, 8, 21, 16, tzinfo=NEW_YORK)
    etf = batch.quotes["516780.SS"]
    assert (etf.last, etf.prev_close, etf.high_52w) == (1.245, 1.228, 1.402)


async def test_beijing_costs_no_request(yahoo: YahooProvider, fake_upstream: FakeUpstream) -> None:
    batch = await yahoo.fetch_quotes(symbols("430047.BJ"))

    assert isinstance(batch.errors["430047.BJ"], UnsupportedSymbol)
    assert fake_upstream.requests == []


async def test_unknown_symbol_fails_alone(
    yahoo: YahooProvider, fake_upstream: FakeUpstream
) -> None:
    batch = await yahoo.fetch_quotes(symbols("600999.SS", "REMX"))

    assert list(batch.quotes) == ["REMX"]
    assert isinstance(batch.errors["600999.SS"], SymbolNotFound)
    assert batch.errors["600999.SS"].symbol == "600999.SS"

    only_unknown = await yahoo.fetch_quotes(symbols("600999.SS"))  # not retryable: not raised
    assert isinstance(only_unknown.errors["600999.SS"], SymbolNotFound)


async def test_one_failing_request_leaves_the_others(
    yahoo: YahooProvider, fake_upstream: FakeUpstream
) -> None:
    fake_upstream.set_fault("yahoo-chart", Fault(kind="status", status=503, times=1))

    batch = await yahoo.fetch_quotes(symbols(*WATCHED))

    assert isinstance(batch.errors["600111.SS"], ProviderUnavailable)
    assert sorted(batch.quotes) == sorted(WATCHED[1:])


@pytest.mark.parametrize("status", [500, 503])
async def test_every_symbol_failing_alike_is_the_host_down(
    yahoo: YahooProvider, fake_upstream: FakeUpstream, status: int
) -> None:
    fake_upstream.set_fault("yahoo-chart", Fault(kind="status", status=status))

    with pytest.raises(ProviderUnavailable, match=str(status)):
        await yahoo.fetch_quotes(symbols(*WATCHED))
    assert fake_upstream.count("yahoo-chart") == len(WATCHED)


async def test_429_stops_the_cycle_and_carries_retry_after(
    yahoo: YahooProvider, fake_upstream: FakeUpstream
) -> None:
    fake_upstream.set_fault("yahoo-chart", Fault(kind="status", status=429, retry_after="45"))

    with pytest.raises(RateLimited) as caught:
        await yahoo.fetch_quotes(symbols(*WATCHED))
    assert caught.value.retry_after == 45.0
    assert fake_upstream.count("yahoo-chart") == 1


@pytest.mark.parametrize("kind", ["empty", "truncated", "garbage"])
async def test_unreadable_answers_are_bad_payload(
    yahoo: YahooProvider, fake_upstream: FakeUpstream, kind: str
) -> None:
    fake_upstream.set_fault("yahoo-chart", Fault(kind=kind))

    with pytest.raises(BadPayload):
        await yahoo.fetch_quotes(symbols("600111.SS", "REMX"))


async def test_missing_fields_are_none_never_zero(
    yahoo: YahooProvider, fake_upstream: FakeUpstream
) -> None:
    fake_upstream.set_fault("yahoo-chart", Fault(kind="missing-fields"))

    quote = (await yahoo.fetch_quotes(symbols("600111.SS"))).quotes["600111.SS"]

    assert quote.last == 50.46 and quote.prev_close == 49.88
    assert (quote.open, quote.high, quote.low, quote.volume) == (None,) * 4
    assert (quote.high_52w, quote.low_52w, quote.name) == (None,) * 3


async def test_scenario_moves_the_price(yahoo: YahooProvider, fake_upstream: FakeUpstream) -> None:
    fake_upstream.scenario.set("price:REMX", 46.0)

    quote = (await yahoo.fetch_quotes(symbols("REMX"))).quotes["REMX"]

    assert (quote.last, quote.high, quote.prev_close) == (46.0, 46.0, 44.3)


# -- history against the fake -------------------------------------------------------------------


async def test_a_year_of_bars_by_period(yahoo: YahooProvider, fake_upstream: FakeUpstream) -> None:
    bars = await yahoo.fetch_history(NORTHERN, date(2025, 8, 21), date(2026, 8, 21))

    assert 235 <= len(bars) <= 250
    assert [bar.day for bar in bars] == sorted({bar.day for bar in bars})
    assert bars[-1].day == date(2026, 8, 21) and bars[-1].close == 50.46
    assert bars[-1].volume == 123_456_700
    request = fake_upstream.requests_to("yahoo-chart")[0]
    assert request.param("range") is None
    assert datetime.fromtimestamp(int(request.param("period1")), UTC) == datetime(
        2025, 8, 20, 16, tzinfo=UTC
    )


async def test_history_without_start_asks_for_a_year(
    yahoo: YahooProvider, fake_upstream: FakeUpstream
) -> None:
    bars = await yahoo.fetch_history(parse_symbol("REMX"), None, date(2026, 8, 21))

    assert fake_upstream.requests_to("yahoo-chart")[0].param("range") == "1y"
    assert bars[-1].day == date(2026, 8, 21)
    assert date(2025, 11, 27) not in {bar.day for bar in bars}  # Thanksgiving
    assert bars[-1].day - bars[0].day <= timedelta(days=366)


async def test_history_of_an_unknown_symbol(yahoo: YahooProvider) -> None:
    with pytest.raises(SymbolNotFound):
        await yahoo.fetch_history(parse_symbol("600999.SS"), None, date(2026, 8, 21))


async def test_history_of_beijing_is_unsupported(yahoo: YahooProvider) -> None:
    with pytest.raises(UnsupportedSymbol):
        await yahoo.fetch_history(parse_symbol("430047.BJ"), None, date(2026, 8, 21))


async def test_history_server_error_is_unavailable(
    yahoo: YahooProvider, fake_upstream: FakeUpstream
) -> None:
    fake_upstream.set_fault("yahoo-chart", Fault(kind="status", status=502))

    with pytest.raises(ProviderUnavailable):
        await yahoo.fetch_history(NORTHERN, None, date(2026, 8, 21))


async def test_history_missing_fields_drops_bars_without_close(
    yahoo: YahooProvider, fake_upstream: FakeUpstream
) -> None:
    fake_upstream.set_fault("yahoo-chart", Fault(kind="missing-fields"))

    bars = await yahoo.fetch_history(NORTHERN, date(2026, 8, 17), date(2026, 8, 21))

    assert [bar.day.day for bar in bars] == [17, 18, 20, 21]
    assert (bars[-1].open, bars[-1].high, bars[-1].volume) == (None, None, None)

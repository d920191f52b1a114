"""Eastmoney provider: pure decoders on the recorded payloads (fltt=2 and raw), then the real
client against the fake upstream, with a second fake standing in for push2delay."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from neodymium.providers.clock import FrozenClock
from neodymium.providers.eastmoney import (
    DELAYED_HOST,
    DELAYED_S,
    RICH_REFRESH_PER_CYCLE,
    THROTTLE_PAUSE_S,
    EastmoneyOptions,
    EastmoneyProvider,
)
from neodymium.providers.eastmoney_fields import to_eastmoney_secid
from neodymium.providers.eastmoney_klines import build_kline_params, kline_total, parse_klines
from neodymium.providers.eastmoney_quotes import (
    RichFields,
    build_stock_get_params,
    build_ulist_params,
    decode_stock_get,
    merge_rich,
    parse_stock_get,
    parse_ulist,
)
from neodymium.providers.errors import (
    BadPayload,
    ProviderUnavailable,
    RateLimited,
    SymbolNotFound,
    UnsupportedSymbol,
)
from neodymium.providers.models import DataKind
from neodymium.providers.symbols import parse_symbol

from tests.fakeupstream import FakeUpstream, Fault
from tests.fakeupstream.routes_eastmoney import STOCK_GET

SHANGHAI = ZoneInfo("Asia/Shanghai")
WATCHED = ["600111.SS", "159713.SZ", "516780.SS", "562800.SS", "512400.SS"]
CLOSE_TIME = datetime(2026, 8, 21, 15, 0, 3, tzinfo=SHANGHAI)

# research §3 Sample A (stock/get, fltt=2), B (the same without fltt), C (ulist), D (klines).
SAMPLE_A = (
    '{"rc":0,"rt":4,"svr":181669906,"lt":1,"full":1,"dlmkts":"","data":{"f11":50.41,"f12":410,'
    '"f13":50.42,"f14":96,"f15":50.43,"f16":221,"f17":50.44,"f18":188,"f19":50.45,"f20":352,'
    '"f31":50.5,"f32":301,"f33":50.49,"f34":88,"f35":50.48,"f36":153,"f37":50.47,"f38":205,'
    '"f39":50.46,"f40":128,"f43":50.46,"f44":51.2,"f45":49.6,"f46":49.95,"f47":1234567,'
    '"f48":6209872010.0,"f49":640112,"f50":1.08,"f51":54.87,"f52":44.89,"f57":"600111",'
    '"f58":"北方稀土","f59":2,"f60":49.88,"f71":50.3,"f84":3614443347.0,"f85":3614443347.0,'
    '"f86":1787295603,"f116":182384811289.62,"f117":182384811289.62,"f127":"小金属",'
    '"f161":594455,"f162":78.1,"f163":97.12,"f164":85.24,"f167":7.25,"f168":3.42,"f169":0.58,'
    '"f170":1.16,"f171":3.21,"f173":4.86,"f174":61.69,"f175":21.05}}'
).encode()
SAMPLE_B = (
    '{"rc":0,"rt":4,"svr":181669906,"lt":1,"full":1,"dlmkts":"","data":{"f43":5046,"f44":5120,'
    '"f45":4960,"f46":4995,"f47":1234567,"f48":6209872010.0,"f57":"600111","f58":"北方稀土",'
    '"f59":2,"f60":4988,"f86":1787295603,"f116":182384811289.62,"f117":182384811289.62,'
    '"f162":7810,"f163":9712,"f164":8524,"f167":725,"f168":342,"f169":58,"f170":116,'
    '"f174":6169,"f175":2105}}'
).encode()
SAMPLE_C = (
    '{"rc":0,"rt":11,"svr":181735240,"lt":1,"full":1,"dlmkts":"","data":{"total":3,"diff":['
    '{"f2":50.46,"f3":1.16,"f4":0.58,"f5":1234567,"f6":6209872010.0,"f7":3.21,"f8":3.42,'
    '"f9":78.1,"f10":1.08,"f12":"600111","f13":1,"f14":"北方稀土","f15":51.2,"f16":49.6,'
    '"f17":49.95,"f18":49.88,"f20":182384811290,"f21":182384811290,"f23":7.25,"f115":85.24,'
    '"f124":1787295603,"f297":20260821},'
    '{"f2":1.163,"f3":1.31,"f4":0.015,"f5":854321,"f6":99421873.0,"f7":2.18,"f8":2.89,"f9":"-",'
    '"f10":0.92,"f12":"159713","f13":0,"f14":"稀土ETF富国","f15":1.171,"f16":1.146,"f17":1.152,'
    '"f18":1.148,"f20":3435875000,"f21":3435875000,"f23":"-","f115":"-","f124":1787295600,'
    '"f297":20260821},'
    '{"f2":1.412,"f3":1.08,"f4":0.015,"f5":2365410,"f6":333512004.0,"f7":2.29,"f8":3.15,'
    '"f9":"-","f10":1.01,"f12":"516780","f13":1,"f14":"稀土ETF华泰柏瑞","f15":1.425,'
    '"f16":1.393,"f17":1.401,"f18":1.397,"f20":10603640000,"f21":10603640000,"f23":"-",'
    '"f115":"-","f124":1787295600,"f297":20260821}]}}'
).encode()
SAMPLE_D = (
    '{"rc":0,"rt":17,"svr":181669694,"lt":1,"full":0,"dlmkts":"","data":{"code":"600111",'
    '"market":1,"name":"北方稀土","decimal":2,"dktotal":5987,"preKPrice":48.2,"klines":['
    '"2026-08-17,48.30,48.95,49.40,47.90,987654,4803702142.00,3.11,1.56,0.75,2.73",'
    '"2026-08-18,49.00,49.30,49.85,48.62,1043210,5131810792.00,2.51,0.72,0.35,2.89",'
    '"2026-08-19,49.20,48.72,49.55,48.50,876543,4294403292.00,2.13,-1.18,-0.58,2.43",'
    '"2026-08-20,48.80,49.88,50.10,48.66,1102345,5441174920.00,2.96,2.38,1.16,3.05",'
    '"2026-08-21,49.95,50.46,51.20,49.60,1234567,6209872010.00,3.21,1.16,0.58,3.42"]}}'
).encode()

#: 516780 as stock/get answers it with fltt=2 and without (prices ×1000, percents ×100).
ETF_DECIMAL = {"f43": 1.245, "f44": 1.252, "f45": 1.226, "f46": 1.231, "f47": 612345,
               "f48": 76012345.0, "f51": 1.351, "f52": 1.105, "f57": "516780",
               "f58": "稀土ETF华泰柏瑞", "f59": 3, "f60": 1.228, "f86": 1787295600,
               "f116": 4127000000.0, "f162": "-", "f163": "-", "f164": "-", "f174": 1.402,
               "f175": 0.689, "f19": 1.244, "f39": 1.245}
ETF_RAW = {**ETF_DECIMAL, "f43": 1245, "f44": 1252, "f45": 1226, "f46": 1231, "f51": 1351,
           "f52": 1105, "f60": 1228, "f174": 1402, "f175": 689, "f19": 1244, "f39": 1245}

NORTHERN = parse_symbol("600111.SS")


def data_of(payload: bytes) -> dict[str, Any]:
    return json.loads(payload)["data"]


def envelope(data: object, rc: int = 0) -> bytes:
    return json.dumps({"rc": rc, "data": data}, ensure_ascii=False).encode()


def symbols(*keys: str):
    return [parse_symbol(key) for key in keys]


# -- stock/get ----------------------------------------------------------------------------------


def test_stock_get_sample_is_normalised_to_shares_and_cny() -> None:
    quote = parse_stock_get(SAMPLE_A, 2, symbol=NORTHERN)

    assert (quote.symbol, quote.name, quote.source) == ("600111.SS", "北方稀土", "eastmoney")
    assert (quote.last, quote.prev_close, quote.open) == (50.46, 49.88, 49.95)
    assert (quote.high, quote.low) == (51.2, 49.6)
    assert quote.volume == 123_456_700  # 1,234,567 lots
    assert quote.amount == 6_209_872_010
    assert quote.market_cap == pytest.approx(182_384_811_289.62)
    assert (quote.pe_ttm, quote.pe_dynamic, quote.pe_static) == (85.24, 78.1, 97.12)
    assert (quote.high_52w, quote.low_52w) == (61.69, 21.05)
    assert (quote.limit_up, quote.limit_down) == (54.87, 44.89)
    assert (quote.bid, quote.ask) == (50.45, 50.46)
    assert quote.as_of == CLOSE_TIME and quote.as_of.utcoffset() == timedelta(hours=8)
    assert (quote.currency, quote.delay_s) == ("CNY", 0)


def test_raw_answer_without_fltt_decodes_to_the_same_quote() -> None:
    raw = data_of(SAMPLE_B)
    same_fields = {key: value for key, value in data_of(SAMPLE_A).items() if key in raw}

    from_raw = decode_stock_get(raw, None)
    from_decimals = decode_stock_get(same_fields, 2)

    assert from_raw == from_decimals
    assert (from_raw.last, from_raw.pe_ttm, from_raw.high_52w) == (50.46, 85.24, 61.69)


def test_etf_quotes_three_decimals_in_both_forms() -> None:
    etf = parse_symbol("516780.SS")

    decimal = decode_stock_get(ETF_DECIMAL, 2, symbol=etf)
    raw = decode_stock_get(ETF_RAW, None, symbol=etf)

    assert decimal == raw
    assert (raw.last, raw.prev_close, raw.low_52w, raw.bid) == (1.245, 1.228, 0.689, 1.244)
    assert raw.last != 12.45  # a fixed /100 would get ETFs wrong


def test_dash_is_missing_never_zero() -> None:
    suspended = {**data_of(SAMPLE_A), "f43": "-", "f44": "-", "f45": "-", "f46": "-",
                 "f47": "-", "f48": "-", "f164": "-"}

    quote = decode_stock_get(suspended, 2)
    etf = decode_stock_get(ETF_DECIMAL, 2)

    assert (quote.last, quote.high, quote.low, quote.open) == (None, None, None, None)
    assert (quote.volume, quote.amount, quote.pe_ttm) == (None, None, None)
    assert quote.prev_close == 49.88
    assert (etf.pe_ttm, etf.pe_dynamic, etf.pe_static) == (None, None, None)


def test_zero_prices_are_missing_but_zero_volume_is_real() -> None:
    pre_open = {**data_of(SAMPLE_A), "f43": 0, "f46": 0, "f47": 0, "f48": 0}

    quote = decode_stock_get(pre_open, 2)

    assert (quote.last, quote.open) == (None, None)
    assert (quote.volume, quote.amount) == (0, 0)


def test_negative_pe_is_a_loss_not_missing() -> None:
    quote = decode_stock_get({**data_of(SAMPLE_A), "f164": -12.5}, 2)

    assert quote.pe_ttm == -12.5


def test_data_null_is_symbol_not_found() -> None:
    with pytest.raises(SymbolNotFound) as caught:
        parse_stock_get(envelope(None), 2, symbol=NORTHERN)
    assert caught.value.symbol == "600111.SS"


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        (b"", "empty"),
        (b"<html>busy</html>", "not JSON"),
        (SAMPLE_A[: len(SAMPLE_A) // 2], "not JSON"),
        (b"[1, 2]", "not a JSON object"),
        (envelope({"f43": 1}, rc=102), "rc=102"),
        (envelope([1, 2]), "not an object"),
        (envelope({**json.loads(SAMPLE_A)["data"], "f43": "fifty"}), "not a number"),
        (envelope({**json.loads(SAMPLE_A)["data"], "f43": True}), "not a number"),
        (envelope({**json.loads(SAMPLE_A)["data"], "f86": "-"}), "no quote time"),
        (envelope({**json.loads(SAMPLE_A)["data"], "f59": 17}), "decimals"),
    ],
)
def test_bad_stock_get_answers_are_bad_payload(payload: bytes, message: str) -> None:
    with pytest.raises(BadPayload, match=message):
        parse_stock_get(payload, 2, symbol=NORTHERN)


def test_raw_answer_without_decimals_cannot_be_decoded() -> None:
    raw = {key: value for key, value in data_of(SAMPLE_B).items() if key != "f59"}

    with pytest.raises(BadPayload, match="decimals"):
        decode_stock_get(raw, None)


def test_names_are_cleaned() -> None:
    quote = decode_stock_get({**data_of(SAMPLE_A), "f58": "北方\x1b[31m稀土\u202e"}, 2)

    assert quote.name == "北方稀土"


# -- ulist --------------------------------------------------------------------------------------


def ulist_wanted(*keys: str):
    return {to_eastmoney_secid(symbol): symbol for symbol in symbols(*keys)}


def test_ulist_sample_gives_one_quote_per_secid() -> None:
    quotes, failures = parse_ulist(SAMPLE_C, ulist_wanted("600111.SS", "159713.SZ", "516780.SS"), 2)

    assert failures == {}
    northern, fuguo, huatai = quotes["600111.SS"], quotes["159713.SZ"], quotes["516780.SS"]
    assert (northern.last, northern.prev_close, northern.volume) == (50.46, 49.88, 123_456_700)
    assert (northern.pe_ttm, northern.pe_dynamic, northern.pe_static) == (85.24, 78.1, None)
    assert northern.market_cap == 182_384_811_290
    assert northern.as_of == CLOSE_TIME
    assert (fuguo.last, fuguo.open, fuguo.high, fuguo.low) == (1.163, 1.152, 1.171, 1.146)
    assert (fuguo.pe_ttm, fuguo.pe_dynamic) == (None, None)  # "-" for ETFs
    assert fuguo.volume == 85_432_100
    assert huatai.name == "稀土ETF华泰柏瑞"
    assert northern.high_52w is None and northern.limit_up is None  # not in ulist


def test_ulist_keyed_diff_and_unasked_entries() -> None:
    document = json.loads(SAMPLE_C)
    document["data"]["diff"] = {str(i): item for i, item in enumerate(document["data"]["diff"])}

    quotes, _ = parse_ulist(json.dumps(document).encode(), ulist_wanted("159713.SZ"), 2)

    assert list(quotes) == ["159713.SZ"]


def test_ulist_raw_form_uses_f1_decimals() -> None:
    raw_item = {"f1": 3, "f2": 1163, "f5": 854321, "f6": 99421873.0, "f9": "-", "f12": "159713",
                "f13": 0, "f14": "稀土ETF富国", "f15": 1171, "f16": 1146, "f17": 1152,
                "f18": 1148, "f20": 3435875000, "f115": "-", "f124": 1787295600}
    decimal_item = {**raw_item, "f2": 1.163, "f15": 1.171, "f16": 1.146, "f17": 1.152,
                    "f18": 1.148}
    wanted = ulist_wanted("159713.SZ")

    raw, _ = parse_ulist(envelope({"diff": [raw_item]}), wanted, None)
    decimal, _ = parse_ulist(envelope({"diff": [decimal_item]}), wanted, 2)

    assert raw == decimal
    assert raw["159713.SZ"].last == 1.163


def test_ulist_data_null_means_none_known() -> None:
    assert parse_ulist(envelope(None), ulist_wanted("600111.SS"), 2) == ({}, {})


def test_ulist_bad_entry_fails_only_its_symbol() -> None:
    document = json.loads(SAMPLE_C)
    document["data"]["diff"][1]["f124"] = "-"

    quotes, failures = parse_ulist(
        json.dumps(document).encode(), ulist_wanted("600111.SS", "159713.SZ"), 2
    )

    assert list(quotes) == ["600111.SS"]
    assert isinstance(failures["159713.SZ"], BadPayload)


@pytest.mark.parametrize(
    "payload", [b"", b"garbage", envelope({"diff": "x"}), envelope({"diff": [1]}), envelope(3)]
)
def test_bad_ulist_answers_are_bad_payload(payload: bytes) -> None:
    with pytest.raises(BadPayload):
        parse_ulist(payload, ulist_wanted("600111.SS"), 2)


def test_request_builders_use_the_secid_table_not_the_first_digit() -> None:
    assert to_eastmoney_secid(parse_symbol("516780.SS")) == "1.516780"
    assert build_stock_get_params("1.516780")["fltt"] == "2"
    params = build_ulist_params(["1.600111", "0.159713"])
    assert params["secids"] == "1.600111,0.159713" and params["fltt"] == "2"
    assert "f124" in params["fields"].split(",")
    with pytest.raises(ValueError):
        build_ulist_params([f"1.6{n:05d}" for n in range(51)])
    assert build_kline_params("1.600111", date(2025, 8, 21), date(2026, 8, 21)) == {
        "secid": "1.600111", "klt": "101", "fqt": "1", "beg": "20250821", "end": "20260821",
        "fields1": "f1,f2,f3,f4,f5,f6",
        "fields2": "f51,f52,f53,f54,f55,f56,f57,f58,f59,f60,f61",
    }


# -- merging the cached stock/get fields --------------------------------------------------------


def ulist_quote():
    return parse_ulist(SAMPLE_C, ulist_wanted("600111.SS"), 2)[0]["600111.SS"]


def test_rich_fields_complete_the_ulist_quote_on_the_same_day() -> None:
    rich = RichFields(parse_stock_get(SAMPLE_A, 2, symbol=NORTHERN), CLOSE_TIME)

    fresh = merge_rich(ulist_quote(), rich, book=True)
    cached = merge_rich(ulist_quote(), rich, book=False)

    assert (fresh.limit_up, fresh.limit_down, fresh.high_52w) == (54.87, 44.89, 61.69)
    assert (fresh.bid, fresh.ask) == (50.45, 50.46)
    assert (cached.bid, cached.ask) == (None, None)  # a cached book is never shown
    assert fresh.pe_static == 97.12  # ulist lacked it
    assert fresh.market_cap == 182_384_811_290  # ulist's own value wins


def test_rich_fields_of_another_day_are_not_used() -> None:
    yesterday = {**data_of(SAMPLE_A), "f86": 1787295603 - 86400}
    rich = RichFields(decode_stock_get(yesterday, 2), CLOSE_TIME)

    merged = merge_rich(ulist_quote(), rich, book=True)

    assert (merged.limit_up, merged.high_52w, merged.bid) == (None, None, None)


def test_a_new_high_today_widens_the_cached_52_week_range() -> None:
    rich = RichFields(decode_stock_get({**data_of(SAMPLE_A), "f174": 50.0}, 2), CLOSE_TIME)

    merged = merge_rich(ulist_quote(), rich, book=False)

    assert merged.high_52w == 51.2  # today's high


# -- klines -------------------------------------------------------------------------------------


def test_klines_read_close_before_high() -> None:
    bars = parse_klines(SAMPLE_D, symbol=NORTHERN)

    assert [bar.day for bar in bars] == [date(2026, 8, d) for d in (17, 18, 19, 20, 21)]
    last = bars[-1]
    assert (last.open, last.close, last.high, last.low) == (49.95, 50.46, 51.2, 49.6)
    assert last.volume == 123_456_700 and last.amount == 6_209_872_010
    assert bars[2].close == 48.72 and bars[2].high == 49.55


def test_empty_klines_are_an_empty_list() -> None:
    payload = envelope({"code": "600111", "dktotal": 0, "klines": []})

    assert parse_klines(payload, symbol=NORTHERN) == []
    assert kline_total(payload) == 0
    assert kline_total(SAMPLE_D) == 5987


def test_klines_of_unknown_secid_are_symbol_not_found() -> None:
    with pytest.raises(SymbolNotFound):
        parse_klines(envelope(None), symbol=NORTHERN)


def test_kline_without_close_is_dropped_and_dashes_are_none() -> None:
    lines = ["2026-08-20,48.80,-,50.10,48.66,1102345,5441174920.00,2.96,2.38,1.16,3.05",
             "2026-08-21,-,50.46,51.20,49.60,-,-,3.21,1.16,0.58,3.42"]

    bars = parse_klines(envelope({"klines": lines}), symbol=NORTHERN)

    assert len(bars) == 1
    only = bars[0]
    assert (only.open, only.close, only.volume, only.amount) == (None, 50.46, None, None)


@pytest.mark.parametrize(
    "line", ["2026-08-21,49.95,50.46", "21/08/2026,49.95,50.46,51.2,49.6,1,2", 42,
             "2026-08-21,49.95,fifty,51.2,49.6,1,2"],
)
def test_malformed_klines_are_bad_payload(line: object) -> None:
    with pytest.raises(BadPayload):
        parse_klines(envelope({"klines": [line]}), symbol=NORTHERN)


# -- the client against the fake upstream -------------------------------------------------------


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient() as shared:
        yield shared


@pytest.fixture
def delayed_upstream() -> Iterator[FakeUpstream]:
    """A second fake standing in for push2delay (same paths, separate request log)."""
    with FakeUpstream() as server:
        yield server


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(datetime(2026, 8, 21, 7, 0, 10, tzinfo=UTC))


def make_provider(
    client: httpx.AsyncClient, upstream: FakeUpstream, clock: FrozenClock,
    fallback: FakeUpstream | None = None,
) -> EastmoneyProvider:
    options = EastmoneyOptions(
        base_url=upstream.base_url, timeout=1.0, min_interval=0.0,
        fallback_base_url=fallback.base_url if fallback else None,
    )
    return EastmoneyProvider(client, options, clock)


@pytest.fixture
def eastmoney(
    client: httpx.AsyncClient, fake_upstream: FakeUpstream, delayed_upstream: FakeUpstream,
    clock: FrozenClock,
) -> EastmoneyProvider:
    """The provider with ``fallback_base_url`` pointing at the second fake."""
    return make_provider(client, fake_upstream, clock, delayed_upstream)


@pytest.fixture
def alone(
    client: httpx.AsyncClient, fake_upstream: FakeUpstream, clock: FrozenClock
) -> EastmoneyProvider:
    """The provider with an overridden base URL and no fallback: it never leaves the fake."""
    return make_provider(client, fake_upstream, clock)


def test_fallback_host_never_reaches_the_internet_when_base_url_is_overridden(
    alone: EastmoneyProvider, client: httpx.AsyncClient
) -> None:
    assert alone.delayed_base_url is None
    assert EastmoneyProvider(client).delayed_base_url == DELAYED_HOST


def test_serves_a_shares_only(alone: EastmoneyProvider) -> None:
    assert alone.supports(parse_symbol("516780.SS"), DataKind.QUOTES)
    assert alone.supports(parse_symbol("159713.SZ"), DataKind.HISTORY)
    assert not alone.supports(parse_symbol("REMX"), DataKind.QUOTES)
    assert not alone.supports(parse_symbol("600111.SS"), DataKind.NEWS)


async def test_batch_size_option_splits_the_ulist_requests(
    client: httpx.AsyncClient, fake_upstream: FakeUpstream, clock: FrozenClock
) -> None:
    options = EastmoneyOptions(base_url=fake_upstream.base_url, timeout=1.0, min_interval=0.0,
                               batch_size=2)
    provider = EastmoneyProvider(client, options, clock)
    batch = await provider.fetch_quotes(symbols(*WATCHED))
    assert sorted(batch.quotes) == sorted(WATCHED)
    sent = [r.param("secids") for r in fake_upstream.requests_to("em-ulist")]
    assert sent == ["1.600111,0.159713", "1.516780,1.562800", "1.512400"]


async def test_one_ulist_request_for_the_watchlist_plus_capped_stock_gets(
    eastmoney: EastmoneyProvider, fake_upstream: FakeUpstream, delayed_upstream: FakeUpstream
) -> None:
    batch = await eastmoney.fetch_quotes(symbols(*WATCHED, "REMX"))

    assert sorted(batch.quotes) == sorted(WATCHED)
    assert list(batch.errors) == ["REMX"] and isinstance(batch.errors["REMX"], UnsupportedSymbol)
    assert fake_upstream.count("em-ulist") == 1
    ulist = fake_upstream.requests_to("em-ulist")[0]
    assert ulist.param("secids") == "1.600111,0.159713,1.516780,1.562800,1.512400"
    assert ulist.param("fltt") == "2"
    assert ulist.headers["referer"] == "https://quote.eastmoney.com/"
    assert ulist.headers["user-agent"].startswith("Mozilla/5.0")
    stock_gets = fake_upstream.requests_to("em-stock-get")
    assert [r.param("secid") for r in stock_gets] == ["1.600111", "0.159713"]
    assert delayed_upstream.requests == []
    northern = batch.quotes["600111.SS"]
    assert (northern.last, northern.volume, northern.pe_ttm) == (50.46, 123_456_700, 85.24)
    assert (northern.high_52w, northern.low_52w) == (61.69, 21.05)
    assert (northern.limit_up, northern.limit_down) == (54.87, 44.89)
    assert (northern.bid, northern.ask) == (50.45, 50.46)
    assert northern.delay_s == 0
    etf = batch.quotes["512400.SS"]
    assert (etf.last, etf.prev_close, etf.pe_ttm, etf.volume) == (1.532, 1.518, None, 234_567_800)


async def test_rich_fields_are_cached_for_minutes(
    alone: EastmoneyProvider, fake_upstream: FakeUpstream, clock: FrozenClock
) -> None:
    watch = symbols(*WATCHED)
    for _ in range(3):  # five symbols, two refreshed per cycle
        batch = await alone.fetch_quotes(watch)
    assert fake_upstream.count("em-stock-get") == len(WATCHED)
    assert all(quote.limit_up is not None for quote in batch.quotes.values())
    assert batch.quotes["512400.SS"].high_52w == 1.688

    again = await alone.fetch_quotes(watch)
    assert fake_upstream.count("em-stock-get") == len(WATCHED)
    assert fake_upstream.count("em-ulist") == 4
    assert again.quotes["600111.SS"].limit_up == 54.87
    assert again.quotes["600111.SS"].bid is None  # the cached book is not shown

    clock.advance(11 * 60)
    await alone.fetch_quotes(watch)
    assert fake_upstream.count("em-stock-get") == len(WATCHED) + RICH_REFRESH_PER_CYCLE


async def test_todays_high_above_the_cached_52_week_high_widens_it(
    alone: EastmoneyProvider, fake_upstream: FakeUpstream
) -> None:
    fake_upstream.scenario.set("price:600111.SS", 62.3)

    quote = (await alone.fetch_quotes(symbols("600111.SS"))).quotes["600111.SS"]

    assert (quote.last, quote.high, quote.high_52w) == (62.3, 62.3, 62.3)


async def test_unknown_symbols_go_to_errors(
    alone: EastmoneyProvider, fake_upstream: FakeUpstream
) -> None:
    batch = await alone.fetch_quotes(symbols("600111.SS", "600999.SS"))

    assert list(batch.quotes) == ["600111.SS"]
    assert isinstance(batch.errors["600999.SS"], SymbolNotFound)

    only_unknown = await alone.fetch_quotes(symbols("600999.SS"))
    assert dict(only_unknown.quotes) == {}
    assert isinstance(only_unknown.errors["600999.SS"], SymbolNotFound)


async def test_us_symbols_cost_no_request(
    alone: EastmoneyProvider, fake_upstream: FakeUpstream
) -> None:
    batch = await alone.fetch_quotes(symbols("REMX"))

    assert isinstance(batch.errors["REMX"], UnsupportedSymbol)
    assert fake_upstream.requests == []


@pytest.mark.parametrize("status", [500, 503])
async def test_server_errors_are_unavailable_without_fallback(
    eastmoney: EastmoneyProvider, fake_upstream: FakeUpstream, delayed_upstream: FakeUpstream,
    status: int,
) -> None:
    fake_upstream.set_fault("em-ulist", Fault(kind="status", status=status))

    with pytest.raises(ProviderUnavailable, match=str(status)):
        await eastmoney.fetch_quotes(symbols(*WATCHED))
    assert delayed_upstream.requests == []


async def test_timeout_falls_back_to_the_delayed_host(
    eastmoney: EastmoneyProvider, fake_upstream: FakeUpstream, delayed_upstream: FakeUpstream
) -> None:
    fake_upstream.set_fault("em-ulist", Fault(kind="slow", delay=5.0))

    batch = await eastmoney.fetch_quotes(symbols("600111.SS"))

    quote = batch.quotes["600111.SS"]
    assert quote.delay_s == DELAYED_S and quote.delayed
    assert quote.last == 50.46
    assert (fake_upstream.count("em-ulist"), delayed_upstream.count("em-ulist")) == (1, 1)


async def test_reset_is_throttling_and_quotes_come_delayed_from_push2delay(
    eastmoney: EastmoneyProvider, fake_upstream: FakeUpstream, delayed_upstream: FakeUpstream,
    clock: FrozenClock,
) -> None:
    fake_upstream.set_fault("em-ulist", Fault(kind="reset"))

    batch = await eastmoney.fetch_quotes(symbols(*WATCHED))

    assert sorted(batch.quotes) == sorted(WATCHED)
    assert all(quote.delay_s == 900 for quote in batch.quotes.values())
    assert fake_upstream.count("em-ulist") == 1  # the reset, then …
    assert delayed_upstream.count("em-ulist") == 1  # … the same request on the delayed host
    assert delayed_upstream.requests_to("em-ulist")[0].query == (
        fake_upstream.requests_to("em-ulist")[0].query
    )
    # The throttled host is left alone: extras and the next cycle go to the delayed host.
    assert fake_upstream.count("em-stock-get") == 0
    assert delayed_upstream.count("em-stock-get") == RICH_REFRESH_PER_CYCLE
    assert batch.quotes["600111.SS"].limit_up == 54.87
    assert eastmoney.paused_until(fake_upstream.base_url) is not None

    await eastmoney.fetch_quotes(symbols(*WATCHED))
    assert (fake_upstream.count("em-ulist"), delayed_upstream.count("em-ulist")) == (1, 2)

    fake_upstream.clear_fault()
    clock.advance(THROTTLE_PAUSE_S + 1)
    recovered = await eastmoney.fetch_quotes(symbols(*WATCHED))
    assert fake_upstream.count("em-ulist") == 2
    assert all(quote.delay_s == 0 for quote in recovered.quotes.values())


async def test_reset_without_fallback_is_rate_limited_for_ten_minutes(
    alone: EastmoneyProvider, fake_upstream: FakeUpstream, clock: FrozenClock
) -> None:
    fake_upstream.set_fault("em-ulist", Fault(kind="reset"))

    with pytest.raises(RateLimited, match="throttling") as caught:
        await alone.fetch_quotes(symbols(*WATCHED))
    assert caught.value.retry_after == THROTTLE_PAUSE_S

    clock.advance(60)
    with pytest.raises(RateLimited) as again:
        await alone.fetch_quotes(symbols(*WATCHED))
    assert again.value.retry_after == pytest.approx(THROTTLE_PAUSE_S - 60)
    assert fake_upstream.count("em-ulist") == 1  # no request while paused


async def test_reset_on_both_hosts_is_rate_limited(
    eastmoney: EastmoneyProvider, fake_upstream: FakeUpstream, delayed_upstream: FakeUpstream
) -> None:
    fake_upstream.set_fault("em-ulist", Fault(kind="reset"))
    delayed_upstream.set_fault("em-ulist", Fault(kind="reset"))

    with pytest.raises(RateLimited) as caught:
        await eastmoney.fetch_quotes(symbols(*WATCHED))
    assert caught.value.retry_after == THROTTLE_PAUSE_S


@pytest.mark.parametrize("kind", ["empty", "truncated", "garbage"])
async def test_unreadable_answers_are_bad_payload(
    alone: EastmoneyProvider, fake_upstream: FakeUpstream, kind: str
) -> None:
    fake_upstream.set_fault("em-ulist", Fault(kind=kind))

    with pytest.raises(BadPayload):
        await alone.fetch_quotes(symbols(*WATCHED))


async def test_a_failing_stock_get_leaves_the_quotes_standing(
    alone: EastmoneyProvider, fake_upstream: FakeUpstream
) -> None:
    fake_upstream.set_fault("em-stock-get", Fault(kind="status", status=503))

    batch = await alone.fetch_quotes(symbols(*WATCHED))

    assert sorted(batch.quotes) == sorted(WATCHED)
    assert batch.quotes["600111.SS"].last == 50.46
    assert batch.quotes["600111.SS"].limit_up is None


async def test_missing_fields_are_none_never_zero(
    alone: EastmoneyProvider, fake_upstream: FakeUpstream
) -> None:
    fake_upstream.set_fault("em-ulist", Fault(kind="missing-fields"))
    fake_upstream.set_fault("em-stock-get", Fault(kind="missing-fields"))

    quote = (await alone.fetch_quotes(symbols("600111.SS"))).quotes["600111.SS"]

    assert quote.last == 50.46
    assert (quote.volume, quote.amount, quote.market_cap, quote.pe_ttm) == (None,) * 4
    assert (quote.high_52w, quote.low_52w, quote.limit_up, quote.bid) == (None,) * 4
    assert quote.pe_dynamic == 78.1  # ulist lost it, stock/get still has it
    assert quote.name == "北方稀土"


async def test_the_fake_answers_raw_without_fltt_and_both_forms_decode_alike(
    client: httpx.AsyncClient, fake_upstream: FakeUpstream
) -> None:
    for secid in STOCK_GET:
        symbol = parse_symbol(f"{secid[2:]}.{'SS' if secid[0] == '1' else 'SZ'}")
        url = f"{fake_upstream.base_url}/api/qt/stock/get"
        decimal = await client.get(url, params=build_stock_get_params(secid, fltt=2))
        raw = await client.get(url, params=build_stock_get_params(secid, fltt=None))
        assert json.loads(raw.content)["data"]["f43"] != json.loads(decimal.content)["data"]["f43"]
        assert parse_stock_get(raw.content, None, symbol=symbol) == parse_stock_get(
            decimal.content, 2, symbol=symbol
        )
    wanted = {to_eastmoney_secid(symbol): symbol for symbol in symbols(*WATCHED)}
    url = f"{fake_upstream.base_url}/api/qt/ulist.np/get"
    raw_list = await client.get(url, params=build_ulist_params(list(wanted), fltt=None))
    decimal_list = await client.get(url, params=build_ulist_params(list(wanted), fltt=2))
    assert parse_ulist(raw_list.content, wanted, None) == parse_ulist(
        decimal_list.content, wanted, 2
    )


# -- history ------------------------------------------------------------------------------------


async def test_a_year_of_daily_bars(
    alone: EastmoneyProvider, fake_upstream: FakeUpstream
) -> None:
    bars = await alone.fetch_history(NORTHERN, date(2025, 8, 21), date(2026, 8, 21))

    assert 235 <= len(bars) <= 250
    assert [bar.day for bar in bars] == sorted({bar.day for bar in bars})
    assert all(bar.day.weekday() < 5 for bar in bars)
    assert date(2025, 10, 1) not in {bar.day for bar in bars}  # National Day
    last = bars[-1]
    assert (last.day, last.close, last.high, last.volume) == (
        date(2026, 8, 21), 50.46, 51.2, 123_456_700
    )
    assert max(bar.high for bar in bars if bar.high) == 61.69  # the quoted 52-week high
    request = fake_upstream.requests_to("em-kline")[0]
    assert (request.param("secid"), request.param("klt"), request.param("fqt")) == (
        "1.600111", "101", "1"
    )
    assert (request.param("beg"), request.param("end")) == ("20250821", "20260821")


async def test_history_without_start_is_one_year(
    alone: EastmoneyProvider, fake_upstream: FakeUpstream
) -> None:
    await alone.fetch_history(parse_symbol("516780.SS"), None, date(2026, 8, 21))

    request = fake_upstream.requests_to("em-kline")[0]
    assert (request.param("secid"), request.param("beg")) == ("1.516780", "20250821")


async def test_history_of_an_unknown_code(alone: EastmoneyProvider) -> None:
    with pytest.raises(SymbolNotFound):
        await alone.fetch_history(parse_symbol("600999.SS"), None, date(2026, 8, 21))


async def test_history_with_no_bars_at_all_is_the_throttled_answer(
    alone: EastmoneyProvider, fake_upstream: FakeUpstream
) -> None:
    fake_upstream.scenario.set("em_kline_throttled", True)

    with pytest.raises(ProviderUnavailable, match="dktotal 0"):
        await alone.fetch_history(NORTHERN, None, date(2026, 8, 21))


async def test_history_of_a_quiet_range_is_empty(alone: EastmoneyProvider) -> None:
    assert await alone.fetch_history(NORTHERN, date(2026, 10, 1), date(2026, 10, 7)) == []


async def test_history_missing_fields(
    alone: EastmoneyProvider, fake_upstream: FakeUpstream
) -> None:
    fake_upstream.set_fault("em-kline", Fault(kind="missing-fields"))

    bars = await alone.fetch_history(NORTHERN, date(2026, 8, 17), date(2026, 8, 21))

    assert [bar.day.day for bar in bars] == [17, 18, 19, 21]  # the 20th lost its close
    assert (bars[-1].open, bars[-1].volume, bars[-1].amount) == (None, None, None)
    assert bars[-1].close == 50.46


async def test_history_reset_falls_back_to_the_delayed_host(
    eastmoney: EastmoneyProvider, fake_upstream: FakeUpstream, delayed_upstream: FakeUpstream
) -> None:
    fake_upstream.set_fault("em-kline", Fault(kind="reset"))

    bars = await eastmoney.fetch_history(NORTHERN, date(2026, 8, 17), date(2026, 8, 21))

    assert len(bars) == 5
    assert (fake_upstream.count("em-kline"), delayed_upstream.count("em-kline")) == (1, 1)


async def test_history_reset_without_fallback_is_rate_limited(
    alone: EastmoneyProvider, fake_upstream: FakeUpstream
) -> None:
    fake_upstream.set_fault("em-kline", Fault(kind="reset"))

    with pytest.raises(RateLimited) as caught:
        await alone.fetch_history(NORTHERN, None, date(2026, 8, 21))
    assert caught.value.retry_after == THROTTLE_PAUSE_S


@pytest.mark.parametrize("kind", ["garbage", "truncated", "empty"])
async def test_history_unreadable_is_bad_payload(
    alone: EastmoneyProvider, fake_upstream: FakeUpstream, kind: str
) -> None:
    fake_upstream.set_fault("em-kline", Fault(kind=kind))

    with pytest.raises(BadPayload):
        await alone.fetch_history(NORTHERN, None, date(2026, 8, 21))


async def test_history_of_a_us_symbol_is_unsupported(alone: EastmoneyProvider) -> None:
    with pytest.raises(UnsupportedSymbol):
        await alone.fetch_history(parse_symbol("REMX"), None, date(2026, 8, 21))

"""Eastmoney routes: ``stock/get``, ``ulist.np/get`` (push2 and push2delay), ``kline/get``
(push2his) and stock announcements (np-anotice-stock), on the real paths.

Scenario day Friday 2026-08-21 (research/providers.md §3 and §5.1): 600111 answers the recorded
stock/get sample verbatim; the ETFs 516780, 159713, 562800 and 512400 quote three decimals
(``f59``/``f1`` = 3) with the same values as the Tencent fake, so failing over between sources
does not move a price. ``fltt`` is honoured: without ``fltt=2`` prices come as integers
×10^decimals and percents ×100, as the real API does. Unknown secids answer ``data: null``.

Daily bars are generated deterministically (seeded walk between anchors that pin the 52-week
high and low to the quoted ones) from 2025-01-02, skipping weekends and exchange holidays; the
last five bars of 600111 are the recorded kline sample. ``generate_bars`` is shared with the
Yahoo routes so both sources tell the same history.

Scenario keys:
- ``price:<key>`` (e.g. ``price:600111.SS``): move the last price (change, high/low follow).
- ``em_kline_throttled``: kline/get answers ``dktotal: 0, klines: []``, as a throttled push2his.
"""

from __future__ import annotations

import json
import math
import random
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from itertools import pairwise
from typing import Any

from tests.fakeupstream.server import FakeRequest, FakeResponse, Route, Scenario

TRADE_DAY = date(2026, 8, 21)
FIRST_SESSION = date(2025, 1, 2)
CONTENT_TYPE = "application/json; charset=utf-8"
#: Envelope keys every push2 answer carries around ``data``.
ENVELOPE = {"rc": 0, "rt": 4, "svr": 181669906, "lt": 1, "full": 1, "dlmkts": ""}

def _days(text: str) -> frozenset[date]:
    return frozenset(date.fromisoformat(day) for day in text.split())


#: SSE/SZSE closures between the first generated session and the scenario day.
CN_HOLIDAYS = _days(
    "2025-01-01 2025-01-28 2025-01-29 2025-01-30 2025-01-31 2025-02-03 2025-02-04 "
    "2025-04-04 2025-05-01 2025-05-02 2025-05-05 2025-06-02 2025-10-01 2025-10-02 "
    "2025-10-03 2025-10-06 2025-10-07 2025-10-08 2026-01-01 2026-01-02 2026-02-16 "
    "2026-02-17 2026-02-18 2026-02-19 2026-02-20 2026-02-23 2026-04-06 2026-05-01 "
    "2026-05-04 2026-05-05 2026-06-19"
)
#: NYSE closures over the same span.
US_HOLIDAYS = _days(
    "2025-01-01 2025-01-09 2025-01-20 2025-02-17 2025-04-18 2025-05-26 2025-06-19 "
    "2025-07-04 2025-09-01 2025-11-27 2025-12-25 2026-01-01 2026-01-19 2026-02-16 "
    "2026-04-03 2026-05-25 2026-06-19 2026-07-03"
)


# -- deterministic daily bars -------------------------------------------------------------------


@dataclass(frozen=True)
class DayBar:
    """One generated session; ``volume`` in the source's unit (lots for A-shares)."""

    day: date
    open: Decimal
    close: Decimal
    high: Decimal
    low: Decimal
    volume: int
    amount: Decimal


@dataclass(frozen=True)
class History:
    """How to generate an instrument's bars: anchors (day → close) and the 52-week extremes."""

    seed: str
    decimals: int
    anchors: Mapping[date, Decimal]
    high_52w: Decimal
    high_day: date
    low_52w: Decimal
    low_day: date
    volume_base: int
    units_per_volume: int
    tail: tuple[DayBar, ...]
    holidays: frozenset[date] = CN_HOLIDAYS


def sessions(first: date, last: date, holidays: Iterable[date]) -> list[date]:
    """Weekdays from ``first`` to ``last`` that are not holidays."""
    closed = set(holidays)
    days, day = [], first
    while day <= last:
        if day.weekday() < 5 and day not in closed:
            days.append(day)
        day += timedelta(days=1)
    return days


def quantize(value: Decimal | float, decimals: int) -> Decimal:
    """Round half up to ``decimals`` places, the exchanges' way."""
    return Decimal(str(value)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def generate_bars(history: History) -> list[DayBar]:
    """Bars from FIRST_SESSION through the tail; anchored closes are hit exactly, the 52-week
    high and low are reached on their days and never crossed."""
    tail_days = {bar.day for bar in history.tail}
    first_tail = min(tail_days)
    days = [d for d in sessions(FIRST_SESSION, first_tail - timedelta(days=1), history.holidays)]
    rng = random.Random(history.seed)
    anchors = sorted(history.anchors.items())
    index = {day: i for i, day in enumerate(days)}
    anchor_points = [(index[day], math.log(float(price))) for day, price in anchors]
    hi, lo = float(history.high_52w), float(history.low_52w)
    bars: list[DayBar] = []
    noise = 0.0
    previous_close: float | None = None
    for i, day in enumerate(days):
        noise = 0.8 * noise + rng.gauss(0.0, 0.012)
        taper = min(1.0, min(abs(i - point) for point, _ in anchor_points) / 6)
        close = math.exp(_interpolate(anchor_points, i) + noise * taper)
        opened = (previous_close or close) * (1 + rng.gauss(0.0, 0.004))
        high = max(opened, close) * (1 + abs(rng.gauss(0.0, 0.008)))
        low = min(opened, close) * (1 - abs(rng.gauss(0.0, 0.008)))
        opened, close, high, low = (min(hi, max(lo, v)) for v in (opened, close, high, low))
        if day == history.high_day:
            high = hi
        if day == history.low_day:
            low = lo
        volume = int(history.volume_base * (0.55 + 0.9 * rng.random()))
        prices = [quantize(v, history.decimals) for v in (opened, close, high, low)]
        average = sum(prices, Decimal(0)) / 4
        amount = quantize(average * volume * history.units_per_volume, 2)
        bars.append(DayBar(day, *prices, volume=volume, amount=amount))
        previous_close = close
    return [*bars, *history.tail]


def _interpolate(points: list[tuple[int, float]], i: int) -> float:
    if i <= points[0][0]:
        return points[0][1]
    for (i0, v0), (i1, v1) in pairwise(points):
        if i0 <= i <= i1:
            return v0 + (v1 - v0) * (i - i0) / (i1 - i0)
    return points[-1][1]


# -- instruments --------------------------------------------------------------------------------

#: research §3 Sample A, the stock/get answer for 1.600111 with fltt=2, verbatim.
STOCK_GET_600111: dict[str, Any] = {
    "f11": 50.41, "f12": 410, "f13": 50.42, "f14": 96, "f15": 50.43, "f16": 221, "f17": 50.44,
    "f18": 188, "f19": 50.45, "f20": 352, "f31": 50.5, "f32": 301, "f33": 50.49, "f34": 88,
    "f35": 50.48, "f36": 153, "f37": 50.47, "f38": 205, "f39": 50.46, "f40": 128, "f43": 50.46,
    "f44": 51.2, "f45": 49.6, "f46": 49.95, "f47": 1234567, "f48": 6209872010.0, "f49": 640112,
    "f50": 1.08, "f51": 54.87, "f52": 44.89, "f57": "600111", "f58": "北方稀土", "f59": 2,
    "f60": 49.88, "f71": 50.3, "f84": 3614443347.0, "f85": 3614443347.0, "f86": 1787295603,
    "f116": 182384811289.62, "f117": 182384811289.62, "f127": "小金属", "f161": 594455,
    "f162": 78.1, "f163": 97.12, "f164": 85.24, "f167": 7.25, "f168": 3.42, "f169": 0.58,
    "f170": 1.16, "f171": 3.21, "f173": 4.86, "f174": 61.69, "f175": 21.05,
}

#: research §3 Sample D, the last five klines of 600111 (date,open,close,high,low,vol,amount,…).
KLINES_600111 = (
    "2026-08-17,48.30,48.95,49.40,47.90,987654,4803702142.00,3.11,1.56,0.75,2.73",
    "2026-08-18,49.00,49.30,49.85,48.62,1043210,5131810792.00,2.51,0.72,0.35,2.89",
    "2026-08-19,49.20,48.72,49.55,48.50,876543,4294403292.00,2.13,-1.18,-0.58,2.43",
    "2026-08-20,48.80,49.88,50.10,48.66,1102345,5441174920.00,2.96,2.38,1.16,3.05",
    "2026-08-21,49.95,50.46,51.20,49.60,1234567,6209872010.00,3.21,1.16,0.58,3.42",
)


@dataclass(frozen=True)
class EtfQuote:
    """The inputs of an ETF's stock/get answer; the rest is derived."""

    code: str
    market: int
    name: str
    last: str
    prev_close: str
    open: str
    high: str
    low: str
    volume_lots: int
    amount: str
    shares: int
    limit_up: str
    limit_down: str
    high_52w: str
    low_52w: str
    start: str


ETFS = (
    EtfQuote("159713", 0, "稀土ETF富国", "1.163", "1.148", "1.152", "1.171", "1.146", 854321,
             "99421873", 2954321000, "1.263", "1.033", "1.298", "0.611", "0.702"),
    EtfQuote("516780", 1, "稀土ETF华泰柏瑞", "1.245", "1.228", "1.231", "1.252", "1.226", 612345,
             "76012345", 3314859000, "1.351", "1.105", "1.402", "0.689", "0.771"),
    EtfQuote("562800", 1, "稀有金属ETF嘉实", "0.986", "0.975", "0.977", "0.991", "0.972", 1023456,
             "100654321", 1888438000, "1.073", "0.878", "1.105", "0.571", "0.640"),
    EtfQuote("512400", 1, "有色金属ETF南方", "1.532", "1.518", "1.520", "1.541", "1.515", 2345678,
             "359876543", 8645692000, "1.670", "1.366", "1.688", "1.012", "1.150"),
)
ETF_TIME = 1787295600  # 2026-08-21 15:00:00 Asia/Shanghai
HIGH_DAY, LOW_DAY = date(2026, 1, 15), date(2025, 9, 3)


def _etf_stock_get(etf: EtfQuote) -> dict[str, Any]:
    last, prev = Decimal(etf.last), Decimal(etf.prev_close)
    high, low = Decimal(etf.high), Decimal(etf.low)
    tick = Decimal("0.001")
    book: dict[str, Any] = {}
    for level, (bid_key, ask_key) in enumerate(
        (("f19", "f39"), ("f17", "f37"), ("f15", "f35"), ("f13", "f33"), ("f11", "f31"))
    ):
        book[bid_key] = float(last - tick * (level + 1))
        book[f"f{int(bid_key[1:]) + 1}"] = 1000 * (level + 2)
        book[ask_key] = float(last + tick * level)
        book[f"f{int(ask_key[1:]) + 1}"] = 900 * (level + 1)
    return {
        **book,
        "f43": float(last), "f44": float(high), "f45": float(low), "f46": float(etf.open),
        "f47": etf.volume_lots, "f48": float(etf.amount), "f50": 0.92,
        "f51": float(etf.limit_up), "f52": float(etf.limit_down),
        "f57": etf.code, "f58": etf.name, "f59": 3, "f60": float(prev),
        "f84": float(etf.shares), "f85": float(etf.shares), "f86": ETF_TIME,
        "f116": float(quantize(last * etf.shares, 2)),
        "f117": float(quantize(last * etf.shares, 2)),
        "f162": "-", "f163": "-", "f164": "-", "f167": "-",
        "f168": float(quantize(Decimal(etf.volume_lots * 100 * 100) / etf.shares, 2)),
        "f169": float(last - prev), "f170": float(quantize((last / prev - 1) * 100, 2)),
        "f171": float(quantize((high - low) / prev * 100, 2)),
        "f174": float(etf.high_52w), "f175": float(etf.low_52w),
    }


#: stock/get answers (fltt=2 form) by secid.
STOCK_GET: dict[str, dict[str, Any]] = {
    "1.600111": STOCK_GET_600111,
    **{f"{etf.market}.{etf.code}": _etf_stock_get(etf) for etf in ETFS},
}
#: Hand-made stock/get answers in the recorded format (no public capture of a halted stock was
#: found), labelled as such; ``f292`` is the trading-status code (public files 57482640113:
#: 6 停牌, 14 盘中停牌; 39761038165: 2 交易中). They have no daily bars.
#: - 1.605999: suspended all day (停牌, f292 6): no open/high/low ("-"), no volume, no book,
#:   last = previous close, limits still sent. Same stock as the Tencent and Sina fakes.
#: - 1.605998: halted intraday (盘中停牌, f292 14) after a morning of trading, so it has an
#:   open and volume and only the status field says it is not trading.
CASE_STOCK_GET: dict[str, dict[str, Any]] = {
    "1.605999": {
        **{f"f{n}": "-" for n in range(11, 21)}, **{f"f{n}": "-" for n in range(31, 41)},
        "f43": 49.88, "f44": "-", "f45": "-", "f46": "-", "f47": 0, "f48": 0.0,
        "f51": 54.87, "f52": 44.89, "f57": "605999", "f58": "停牌样例", "f59": 2,
        "f60": 49.88, "f86": 1787295603, "f292": 6,
    },
    "1.605998": {
        "f19": 20.49, "f20": 120, "f39": 20.5, "f40": 88,
        "f43": 20.5, "f44": 20.8, "f45": 20.05, "f46": 20.1, "f47": 123456,
        "f48": 253084800.0, "f51": 22.0, "f52": 18.0, "f57": "605998", "f58": "盘中停牌样例",
        "f59": 2, "f60": 20.0, "f86": 1787295603, "f292": 14,
    },
}
MARKET_SUFFIX = {1: "SS", 0: "SZ"}


def canonical_key(secid: str) -> str:
    """``1.600111`` → ``600111.SS`` (the fake's own mapping, independent of providers/)."""
    market, code = secid.split(".", 1)
    return f"{code}.{MARKET_SUFFIX[int(market)]}"


def _kline_bar(line: str) -> DayBar:
    day, opened, close, high, low, volume, amount, *_ = line.split(",")
    return DayBar(date.fromisoformat(day), Decimal(opened), Decimal(close), Decimal(high),
                  Decimal(low), int(volume), Decimal(amount))


def _cn_history(secid: str) -> History:
    data = STOCK_GET[secid]
    decimals = int(data["f59"])
    if secid == "1.600111":
        tail = tuple(_kline_bar(line) for line in KLINES_600111)
        anchors = {FIRST_SESSION: Decimal("24.60"), LOW_DAY: Decimal("21.40"),
                   HIGH_DAY: Decimal("60.95"), date(2026, 8, 14): Decimal("48.20")}
    else:
        etf = next(e for e in ETFS if f"{e.market}.{e.code}" == secid)
        tail = (DayBar(TRADE_DAY, Decimal(etf.open), Decimal(etf.last), Decimal(etf.high),
                       Decimal(etf.low), etf.volume_lots, Decimal(etf.amount)),)
        hi, lo = Decimal(etf.high_52w), Decimal(etf.low_52w)
        anchors = {FIRST_SESSION: Decimal(etf.start), LOW_DAY: lo * Decimal("1.015"),
                   HIGH_DAY: hi * Decimal("0.988"), date(2026, 8, 20): Decimal(etf.prev_close)}
    return History(
        seed=f"eastmoney:{secid}", decimals=decimals, anchors=anchors,
        high_52w=Decimal(str(data["f174"])), high_day=HIGH_DAY,
        low_52w=Decimal(str(data["f175"])), low_day=LOW_DAY,
        volume_base=int(data["f47"]), units_per_volume=100, tail=tail,
    )


@cache
def cn_bars(secid: str) -> tuple[DayBar, ...]:
    """The generated daily bars of an A-share secid (volume in lots), oldest first."""
    return tuple(generate_bars(_cn_history(secid)))


# -- answers ------------------------------------------------------------------------------------


def quote_data(secid: str, scenario: Scenario) -> dict[str, Any] | None:
    """The stock/get ``data`` (fltt=2 form) of a secid with the scenario applied, or None."""
    recorded = STOCK_GET.get(secid) or CASE_STOCK_GET.get(secid)
    if recorded is None:
        return None
    data = dict(recorded)
    price = scenario.get(f"price:{canonical_key(secid)}")
    if price is not None:
        decimals = int(data["f59"])
        last, prev = quantize(price, decimals), Decimal(str(data["f60"]))
        data["f43"] = float(last)
        data["f44"] = float(max(Decimal(str(data["f44"])), last))
        data["f45"] = float(min(Decimal(str(data["f45"])), last))
        data["f169"] = float(last - prev)
        data["f170"] = float(quantize((last / prev - 1) * 100, 2))
    return data


PRICE_KEYS = frozenset(
    f"f{n}" for n in (11, 13, 15, 17, 19, 31, 33, 35, 37, 39, 43, 44, 45, 46, 51, 52, 60, 71, 169,
                      174, 175)
)
PERCENT_KEYS = frozenset(f"f{n}" for n in (50, 162, 163, 164, 167, 168, 170, 171))
ULIST_PRICE_KEYS = frozenset({"f2", "f4", "f15", "f16", "f17", "f18"})
ULIST_PERCENT_KEYS = frozenset({"f3", "f7", "f8", "f9", "f10", "f23", "f114", "f115"})


def to_raw(
    data: Mapping[str, Any], decimals: int, prices: frozenset[str], percents: frozenset[str]
) -> dict[str, Any]:
    """The answer as the API sends it without ``fltt=2``: integers ×10^decimals and ×100."""
    raw: dict[str, Any] = {}
    for key, value in data.items():
        if isinstance(value, int | float) and not isinstance(value, bool):
            if key in prices:
                value = int(quantize(Decimal(str(value)).scaleb(decimals), 0))
            elif key in percents:
                value = int(quantize(Decimal(str(value)).scaleb(2), 0))
        raw[key] = value
    return raw


def ulist_item(secid: str, data: Mapping[str, Any]) -> dict[str, Any]:
    """The ulist ``diff`` entry (fltt=2 form) carrying the same values as stock/get."""
    market, code = secid.split(".", 1)
    cap = data.get("f116")
    return {
        "f1": data["f59"], "f2": data["f43"], "f3": data.get("f170"), "f4": data.get("f169"),
        "f5": data["f47"], "f6": data["f48"], "f7": data.get("f171"), "f8": data.get("f168"),
        "f9": data.get("f162"), "f10": data.get("f50"), "f12": code, "f13": int(market),
        "f14": data["f58"], "f15": data["f44"], "f16": data["f45"], "f17": data["f46"],
        "f18": data["f60"], "f20": round(cap) if isinstance(cap, float) else cap,
        "f21": round(data["f117"]) if isinstance(data.get("f117"), float) else data.get("f117"),
        "f23": data.get("f167"), "f114": data.get("f163"), "f115": data.get("f164"),
        "f124": data["f86"], "f297": int(TRADE_DAY.strftime("%Y%m%d")),
    }


def _requested_fields(request: FakeRequest) -> set[str] | None:
    fields = request.param("fields")
    return {f.strip() for f in fields.split(",") if f.strip()} if fields else None


def _only(data: Mapping[str, Any], fields: set[str] | None) -> dict[str, Any]:
    return {k: v for k, v in data.items() if fields is None or k in fields}


def _answer(document: object) -> FakeResponse:
    body = json.dumps(document, ensure_ascii=False).encode("utf-8")
    return FakeResponse(body, content_type=CONTENT_TYPE)


def _stock_get_answer(
    request: FakeRequest, scenario: Scenario, drop: frozenset[str]
) -> FakeResponse:
    full = quote_data(request.param("secid") or "", scenario)
    if full is None:
        return _answer({**ENVELOPE, "data": None})
    data = {k: v for k, v in _only(full, _requested_fields(request)).items() if k not in drop}
    if request.param("fltt") != "2":
        data = to_raw(data, int(full["f59"]), PRICE_KEYS, PERCENT_KEYS)
    return _answer({**ENVELOPE, "data": data})


#: What the degraded stock/get loses: 52-week range, limits, PE TTM, market cap, book.
STOCK_GET_DROPPED = frozenset({"f174", "f175", "f51", "f52", "f164", "f116", "f19", "f39"})


def stock_get(request: FakeRequest, scenario: Scenario) -> FakeResponse:
    """``/api/qt/stock/get?secid=…&fields=…[&fltt=2]``."""
    return _stock_get_answer(request, scenario, frozenset())


def stock_get_missing_fields(request: FakeRequest, scenario: Scenario) -> FakeResponse:
    """Well-formed, but without the 52-week range, limits, PE TTM, market cap and book."""
    return _stock_get_answer(request, scenario, STOCK_GET_DROPPED)


#: What the degraded ulist loses: volume, amount, every PE, market cap, name.
ULIST_DROPPED = frozenset({"f5", "f6", "f9", "f114", "f115", "f20", "f14"})


def _ulist_answer(request: FakeRequest, scenario: Scenario, drop: frozenset[str]) -> FakeResponse:
    fields = _requested_fields(request)
    diff = []
    for secid in (request.param("secids") or "").split(","):
        data = quote_data(secid.strip(), scenario)
        if data is None:
            continue
        item = {k: v for k, v in _only(ulist_item(secid.strip(), data), fields).items()
                if k not in drop}
        if request.param("fltt") != "2":
            item = to_raw(item, int(data["f59"]), ULIST_PRICE_KEYS, ULIST_PERCENT_KEYS)
        diff.append(item)
    if not diff:
        return _answer({**ENVELOPE, "rt": 11, "data": None})
    return _answer({**ENVELOPE, "rt": 11, "data": {"total": len(diff), "diff": diff}})


def ulist(request: FakeRequest, scenario: Scenario) -> FakeResponse:
    """``/api/qt/ulist.np/get?secids=…&fields=…[&fltt=2]``; unknown secids are left out."""
    return _ulist_answer(request, scenario, frozenset())


def ulist_missing_fields(request: FakeRequest, scenario: Scenario) -> FakeResponse:
    """Well-formed, but without volume, amount, PE, market cap and name."""
    return _ulist_answer(request, scenario, ULIST_DROPPED)


def _kline_line(bar: DayBar, prev_close: Decimal | None, decimals: int, shares: float) -> str:
    base = prev_close or bar.open
    change = bar.close - base
    return ",".join([
        bar.day.isoformat(),
        *(str(quantize(v, decimals)) for v in (bar.open, bar.close, bar.high, bar.low)),
        str(bar.volume), str(quantize(bar.amount, 2)),
        str(quantize((bar.high - bar.low) / base * 100, 2)),
        str(quantize(change / base * 100, 2)), str(quantize(change, decimals)),
        str(quantize(Decimal(bar.volume * 100 * 100) / Decimal(str(shares)), 2)),
    ])


def kline_lines(secid: str, scenario: Scenario) -> list[tuple[date, str]]:
    """Every generated bar of a secid as kline strings (the recorded ones verbatim)."""
    data = quote_data(secid, scenario) or {}
    decimals, shares = int(data["f59"]), float(data["f84"])
    bars = list(cn_bars(secid))
    moved = data["f43"] != STOCK_GET[secid]["f43"]
    if moved:  # the scenario moved today's price
        last, close = bars[-1], Decimal(str(data["f43"]))
        bars[-1] = DayBar(last.day, last.open, close, max(last.high, close), min(last.low, close),
                          last.volume, last.amount)
    recorded = {}
    if secid == "1.600111":
        recorded = {line.split(",", 1)[0]: line for line in KLINES_600111}
    lines: list[tuple[date, str]] = []
    prev: Decimal | None = None
    for index, bar in enumerate(bars):
        is_moved = moved and index == len(bars) - 1
        line = None if is_moved else recorded.get(bar.day.isoformat())
        lines.append((bar.day, line or _kline_line(bar, prev, decimals, shares)))
        prev = bar.close
    return lines


def _day(text: str | None, default: date) -> date:
    try:
        return date(int(text[:4]), int(text[4:6]), int(text[6:8])) if text else default
    except (TypeError, ValueError):
        return default


def _kline_answer(request: FakeRequest, scenario: Scenario, *, degrade: bool) -> FakeResponse:
    secid = request.param("secid") or ""
    if secid not in STOCK_GET:
        return _answer({**ENVELOPE, "rt": 17, "full": 0, "data": None})
    data = STOCK_GET[secid]
    head = {"code": data["f57"], "market": int(secid[0]), "name": data["f58"],
            "decimal": data["f59"]}
    if scenario.get("em_kline_throttled"):
        body = {**head, "dktotal": 0, "preKPrice": 0, "klines": []}
        return _answer({**ENVELOPE, "rt": 17, "full": 0, "data": body})
    lines = kline_lines(secid, scenario)
    first = _day(request.param("beg"), date.min)
    last = _day(request.param("end"), date.max)
    chosen = [(i, line) for i, (day, line) in enumerate(lines) if first <= day <= last]
    limit = request.param("lmt")
    if limit and limit.isdigit():
        chosen = chosen[-int(limit):]
    pre = lines[chosen[0][0] - 1][1].split(",")[2] if chosen and chosen[0][0] > 0 else "0"
    klines = [line for _, line in chosen]
    if degrade:
        klines = _degraded_klines(klines)
    body = {**head, "dktotal": len(lines), "preKPrice": float(pre), "klines": klines}
    return _answer({**ENVELOPE, "rt": 17, "full": 0, "data": body})


def _degraded_klines(klines: list[str]) -> list[str]:
    """The last bar loses open, volume and amount; the one before it loses its close."""
    out = list(klines)
    if out:
        parts = out[-1].split(",")
        parts[1] = parts[5] = parts[6] = "-"
        out[-1] = ",".join(parts)
    if len(out) > 1:
        parts = out[-2].split(",")
        parts[2] = "-"
        out[-2] = ",".join(parts)
    return out


def kline(request: FakeRequest, scenario: Scenario) -> FakeResponse:
    """``/api/qt/stock/kline/get?secid=…&klt=101&fqt=1&beg=…&end=…``."""
    return _kline_answer(request, scenario, degrade=False)


def kline_missing_fields(request: FakeRequest, scenario: Scenario) -> FakeResponse:
    """Well-formed; the last bar has ``-`` for open/volume/amount, the one before no close."""
    return _kline_answer(request, scenario, degrade=True)


# -- announcements ------------------------------------------------------------------------------


def _ann_code(code: str, name: str, market: str) -> dict[str, str]:
    return {"ann_type": "A,SHA" if market == "1" else "A,SZA", "inner_code": f"71558931{code}",
            "market_code": market, "short_name": name, "stock_code": code}


NORTHERN = _ann_code("600111", "北方稀土", "1")
BAOGANG = _ann_code("600010", "包钢股份", "1")
HUATAI_ETF = _ann_code("516780", "稀土ETF华泰柏瑞", "1")


def _announcement(
    art_code: str, title: str, display: str, column: str, *codes: dict[str, str]
) -> dict[str, Any]:
    return {
        "art_code": art_code, "codes": list(codes),
        "columns": [{"column_code": "001002003001", "column_name": column}],
        "display_time": display, "eiTime": display[:17] + "00:000",
        "notice_date": f"{display[:10]} 00:00:00", "title": title, "title_ch": title,
        "title_en": "", "product_code": "", "sort_date": display[:19],
    }


#: research §5.1's two announcements plus more, newest first.
ANNOUNCEMENTS: list[dict[str, Any]] = [
    {
        "art_code": "AN202608211658453210", "codes": [NORTHERN],
        "columns": [{"column_code": "001002003001", "column_name": "关联交易"}],
        "display_time": "2026-08-21 17:05:32:118", "eiTime": "2026-08-21 17:01:47:000",
        "notice_date": "2026-08-22 00:00:00",
        "title": "北方稀土:关于调整2026年第三季度稀土精矿交易价格的公告",
        "title_ch": "北方稀土:关于调整2026年第三季度稀土精矿交易价格的公告", "title_en": "",
        "product_code": "", "sort_date": "2026-08-21 17:05:32",
    },
    {
        "art_code": "AN202608151658321987", "codes": [NORTHERN],
        "columns": [{"column_code": "001001002001", "column_name": "半年度报告全文"}],
        "display_time": "2026-08-15 16:40:12:004", "eiTime": "2026-08-15 16:38:55:000",
        "notice_date": "2026-08-16 00:00:00", "title": "北方稀土:2026年半年度报告",
        "title_ch": "北方稀土:2026年半年度报告", "title_en": "", "product_code": "",
        "sort_date": "2026-08-15 16:40:12",
    },
    _announcement("AN202608121658100077",
                  "北方稀土:\x1b[31m关于股票交易异常波动的公告\x1b[0m [bold]必读[/bold]",
                  "2026-08-12 19:30:00:000", "风险提示", NORTHERN),
    _announcement("AN202608071657998812",
                  "北方稀土:关于与包钢股份签订稀土精矿供应合同的公告",
                  "2026-08-07 18:20:03:551", "日常经营", NORTHERN, BAOGANG),
    _announcement("AN202608051657900431", "包钢股份:关于董事会决议的公告",
                  "2026-08-05 17:00:00:000", "董事会决议", BAOGANG),
    _announcement("AN202607201657500011", "稀土ETF华泰柏瑞:2026年第二季度报告",
                  "2026-07-20 15:30:00:000", "季度报告", HUATAI_ETF),
]


def _ann_page(
    request: FakeRequest, degrade: Mapping[str, Callable[[dict[str, Any]], None]]
) -> FakeResponse:
    codes = {c.strip() for c in (request.param("stock_list") or "").split(",") if c.strip()}
    if not codes:
        return _answer({"data": None, "error": "stock_list is required", "success": 0})
    matching = [item for item in ANNOUNCEMENTS
                if codes & {entry["stock_code"] for entry in item["codes"]}]
    size = int(request.param("page_size") or 20)
    page = int(request.param("page_index") or 1)
    chosen = []
    for item in matching[(page - 1) * size : page * size]:
        item = dict(item)
        if item["art_code"] in degrade:
            degrade[item["art_code"]](item)
        chosen.append(item)
    data = {"list": chosen, "page_index": page, "page_size": size, "total_hits": len(matching)}
    return _answer({"data": data, "error": "", "success": 1})


def announcements(request: FakeRequest, scenario: Scenario) -> FakeResponse:
    """``/api/security/ann?sr=-1&page_size=…&page_index=…&ann_type=A&stock_list=…``."""
    return _ann_page(request, {})


def _drop(*keys: str) -> Callable[[dict[str, Any]], None]:
    def degrade(item: dict[str, Any]) -> None:
        for key in keys:
            item.pop(key, None)

    return degrade


def _blank_title(item: dict[str, Any]) -> None:
    item["title"] = item["title_ch"] = ""


#: How the degraded answer damages each announcement (by art_code).
ANNOUNCEMENT_DAMAGE: dict[str, Callable[[dict[str, Any]], None]] = {
    "AN202608211658453210": _drop("display_time", "eiTime"),  # only notice_date is left
    "AN202608151658321987": _drop("art_code"),
    "AN202608121658100077": _drop("codes"),
    "AN202608071657998812": _drop("columns"),
    "AN202608051657900431": _blank_title,
    "AN202607201657500011": _drop("display_time", "eiTime", "notice_date"),
}


def announcements_missing_fields(request: FakeRequest, scenario: Scenario) -> FakeResponse:
    """Well-formed; items lose times, art_code, codes, columns or title."""
    return _ann_page(request, ANNOUNCEMENT_DAMAGE)


ROUTES = [
    Route(name="em-stock-get", pattern=r"^/api/qt/stock/get$", handler=stock_get,
          missing_fields=stock_get_missing_fields),
    Route(name="em-ulist", pattern=r"^/api/qt/ulist\.np/get$", handler=ulist,
          missing_fields=ulist_missing_fields),
    Route(name="em-kline", pattern=r"^/api/qt/stock/kline/get$", handler=kline,
          missing_fields=kline_missing_fields),
    Route(name="em-announcements", pattern=r"^/api/security/ann$", handler=announcements,
          missing_fields=announcements_missing_fields),
]

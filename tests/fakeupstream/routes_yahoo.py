"""Yahoo Finance chart route: ``/v8/finance/chart/{symbol}`` (research/providers.md §4.1).

600111.SS with ``range=5d`` answers research §4 Sample A verbatim (float32 prices, volume in
shares, ``chartPreviousClose`` being the close before the first bar, 48.2, not yesterday's
49.88). The A-share ETFs tell the same story as the Eastmoney fake (same quotes, same generated
bars, volume ×100 into shares); REMX is a NYSE Arca ETF in USD on New York time.
``meta.previousClose`` is present only with ``range=1d``. Unknown symbols answer HTTP 404 with
Yahoo's "No data found" body; intervals other than ``1d`` and unknown ranges answer 422.

Scenario keys: ``price:<key>`` moves the last price (day high/low and the last bar follow).
"""

from __future__ import annotations

import json
import struct
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

from tests.fakeupstream.routes_eastmoney import (
    HIGH_DAY,
    LOW_DAY,
    TRADE_DAY,
    US_HOLIDAYS,
    DayBar,
    History,
    cn_bars,
    generate_bars,
    quantize,
    quote_data,
)
from tests.fakeupstream.server import FakeRequest, FakeResponse, Route, Scenario

CONTENT_TYPE = "application/json;charset=utf-8"
VALID_RANGES = ["1d", "5d", "1mo", "3mo", "6mo", "1y", "2y", "5y", "10y", "ytd", "max"]
RANGE_DAYS = {"1mo": 31, "3mo": 92, "6mo": 183, "1y": 366, "2y": 731, "5y": 1827, "10y": 3653}
NOT_FOUND = {
    "chart": {
        "result": None,
        "error": {"code": "Not Found", "description": "No data found, symbol may be delisted"},
    }
}


@dataclass(frozen=True)
class Listing:
    """What Yahoo says about an instrument besides prices."""

    symbol: str
    exchange: str
    full_exchange: str
    instrument_type: str
    first_trade: int
    long_name: str
    short_name: str
    currency: str = "CNY"
    zone: str = "Asia/Shanghai"
    zone_short: str = "CST"
    open_time: time = time(9, 30)
    close_time: time = time(15, 0)
    secid: str | None = None


LISTINGS = {
    listing.symbol: listing
    for listing in (
        Listing("600111.SS", "SHH", "Shanghai", "EQUITY", 930533400,
                "China Northern Rare Earth (Group) High-Tech Co.,Ltd",
                "CHINA NORTHERN RARE EARTH (GROU", secid="1.600111"),
        Listing("516780.SS", "SHH", "Shanghai", "ETF", 1615253400,
                "Huatai-PineBridge CSI Rare Earth Industry ETF", "HUATAI-PB CSI RARE EARTH ETF",
                secid="1.516780"),
        Listing("159713.SZ", "SHZ", "Shenzhen", "ETF", 1616376600,
                "Fullgoal CSI Rare Earth Industry ETF", "FULLGOAL CSI RARE EARTH IND ETF",
                secid="0.159713"),
        Listing("562800.SS", "SHH", "Shanghai", "ETF", 1664155800,
                "Harvest CSI Rare Metals Theme ETF", "HARVEST CSI RARE METALS ETF",
                secid="1.562800"),
        Listing("512400.SS", "SHH", "Shanghai", "ETF", 1440034200,
                "China Southern CSI Nonferrous Metals ETF", "CSOP CSI NONFERROUS METALS ETF",
                secid="1.512400"),
        Listing("REMX", "PCX", "NYSEArca", "ETF", 1288013400,
                "VanEck Rare Earth and Strategic Metals ETF", "VanEck Rare Earth/Strategic Met",
                currency="USD", zone="America/New_York", zone_short="EDT",
                close_time=time(16, 0)),
        Listing("VOD.L", "LSE", "LSE", "EQUITY", 646732800, "Vodafone Group Public Limited Company",
                "VODAFONE GROUP PLC", currency="GBp", zone="Europe/London", zone_short="BST",
                open_time=time(8, 0), close_time=time(16, 30)),
    )
}

#: VOD.L: Yahoo quotes London shares in pence, ``"currency":"GBp"``. The price and currency are
#: from a captured chart meta in public code (public file 63298779797:
#: ``{"currency":"GBp","symbol":"VOD.L","regularMarketPrice":115.75,…,"gmtoffset":3600}``);
#: the bars are REMX's shape rescaled to that price (hand-made).
VOD_LAST = Decimal("115.75")

#: REMX on the scenario day (New York): last, previous close, open, high, low, volume (shares).
REMX_DAY = DayBar(TRADE_DAY, Decimal("44.50"), Decimal("45.12"), Decimal("45.40"),
                  Decimal("44.20"), 512300, Decimal("23114976.00"))
REMX_PREV_CLOSE = Decimal("44.30")
REMX_52W = (Decimal("52.87"), Decimal("23.41"))


@dataclass(frozen=True)
class Day:
    """One bar as Yahoo reports it: prices as floats, volume in shares."""

    day: date
    open: Decimal
    high: Decimal
    low: Decimal
    close: Decimal
    volume: int


@dataclass(frozen=True)
class Instrument:
    """An instrument's quote on the scenario day plus its daily bars."""

    listing: Listing
    last: Decimal
    prev_close: Decimal
    high: Decimal
    low: Decimal
    volume: int
    high_52w: Decimal
    low_52w: Decimal
    as_of: int
    decimals: int
    bars: tuple[Day, ...]


@cache
def _remx_bars() -> tuple[DayBar, ...]:
    history = History(
        seed="yahoo:REMX", decimals=2,
        anchors={date(2025, 1, 2): Decimal("27.00"), LOW_DAY: REMX_52W[1] * Decimal("1.015"),
                 HIGH_DAY: REMX_52W[0] * Decimal("0.988"),
                 date(2026, 8, 20): REMX_PREV_CLOSE},
        high_52w=REMX_52W[0], high_day=HIGH_DAY, low_52w=REMX_52W[1], low_day=LOW_DAY,
        volume_base=480000, units_per_volume=1, tail=(REMX_DAY,), holidays=US_HOLIDAYS,
    )
    return tuple(generate_bars(history))


def market(symbol: str, scenario: Scenario) -> Instrument | None:
    """The fake's view of ``symbol`` with the scenario applied, or None when unknown."""
    listing = LISTINGS.get(symbol)
    if listing is None:
        return None
    if listing.secid is not None:
        data = quote_data(listing.secid, scenario) or {}
        bars = [Day(b.day, b.open, b.high, b.low, b.close, b.volume * 100)
                for b in cn_bars(listing.secid)]
        result = Instrument(
            listing=listing, last=_dec(data["f43"]), prev_close=_dec(data["f60"]),
            high=_dec(data["f44"]), low=_dec(data["f45"]), volume=int(data["f47"]) * 100,
            high_52w=_dec(data["f174"]), low_52w=_dec(data["f175"]), as_of=int(data["f86"]),
            decimals=int(data["f59"]), bars=tuple(bars),
        )
    elif symbol == "VOD.L":
        scale = VOD_LAST / REMX_DAY.close
        bars = [Day(b.day, quantize(b.open * scale, 2), quantize(b.high * scale, 2),
                    quantize(b.low * scale, 2), quantize(b.close * scale, 2), b.volume * 60)
                for b in _remx_bars()]
        result = Instrument(
            listing=listing, last=VOD_LAST, prev_close=bars[-2].close,
            high=max(bars[-1].high, VOD_LAST), low=min(bars[-1].low, VOD_LAST),
            volume=bars[-1].volume, high_52w=max(b.high for b in bars[-252:]),
            low_52w=min(b.low for b in bars[-252:]),
            as_of=int(_at(TRADE_DAY, listing.close_time, listing).timestamp()), decimals=2,
            bars=tuple(bars),
        )
    else:
        bars = [Day(b.day, b.open, b.high, b.low, b.close, b.volume) for b in _remx_bars()]
        price = scenario.get(f"price:{symbol}")
        last = quantize(price, 2) if price is not None else REMX_DAY.close
        result = Instrument(
            listing=listing, last=last, prev_close=REMX_PREV_CLOSE,
            high=max(REMX_DAY.high, last), low=min(REMX_DAY.low, last), volume=REMX_DAY.volume,
            high_52w=REMX_52W[0], low_52w=REMX_52W[1],
            as_of=int(_at(TRADE_DAY, listing.close_time, listing).timestamp()), decimals=2,
            bars=tuple(bars),
        )
    final = result.bars[-1]
    if final.close != result.last:
        moved = Day(final.day, final.open, result.high, result.low, result.last, final.volume)
        result = replace(result, bars=(*result.bars[:-1], moved))
    return result


def _dec(value: Any) -> Decimal:
    return Decimal(str(value))


def _at(day: date, moment: time, listing: Listing) -> datetime:
    return datetime.combine(day, moment, ZoneInfo(listing.zone))


def _offset(listing: Listing) -> int:
    offset = _at(TRADE_DAY, listing.open_time, listing).utcoffset()
    return int(offset.total_seconds()) if offset is not None else 0


def float32(value: Decimal) -> float:
    """The value as Yahoo serialises it: a float32 widened to a double (48.29999923706055)."""
    return struct.unpack("<f", struct.pack("<f", float(value)))[0]


def _select(bars: tuple[Day, ...], request: FakeRequest, listing: Listing) -> list[Day] | None:
    period1, period2 = request.param("period1"), request.param("period2")
    if period1 is not None or period2 is not None:
        try:
            first = int(period1 or 0)
            last = int(period2) if period2 else 2**62
        except ValueError:
            return None
        return [bar for bar in bars
                if first <= _at(bar.day, listing.open_time, listing).timestamp() < last]
    span = request.param("range") or "1mo"
    if span == "1d":
        return list(bars[-1:])
    if span == "5d":
        return list(bars[-5:])
    if span == "max":
        return list(bars)
    if span == "ytd":
        return [bar for bar in bars if bar.day.year == TRADE_DAY.year]
    if span in RANGE_DAYS:
        since = TRADE_DAY - timedelta(days=RANGE_DAYS[span])
        return [bar for bar in bars if bar.day > since]
    return None


def _trading_period(listing: Listing) -> dict[str, Any]:
    opened = int(_at(TRADE_DAY, listing.open_time, listing).timestamp())
    closed = int(_at(TRADE_DAY, listing.close_time, listing).timestamp())
    offset = _offset(listing)

    def window(start: int, end: int) -> dict[str, Any]:
        return {"timezone": listing.zone_short, "start": start, "end": end, "gmtoffset": offset}

    return {"pre": window(opened, opened), "regular": window(opened, closed),
            "post": window(closed, closed)}


def chart_document(
    quote: Instrument, chosen: list[Day], span: str, *, degrade: bool
) -> dict[str, Any]:
    """The chart answer for the chosen bars (``degrade``: the missing-fields variant)."""
    listing = quote.listing
    offset = _offset(listing)
    earlier = [bar for bar in quote.bars if chosen and bar.day < chosen[0].day]
    meta: dict[str, Any] = {
        "currency": listing.currency, "symbol": listing.symbol, "exchangeName": listing.exchange,
        "fullExchangeName": listing.full_exchange, "instrumentType": listing.instrument_type,
        "firstTradeDate": listing.first_trade, "regularMarketTime": quote.as_of,
        "hasPrePostMarketData": listing.currency == "USD", "gmtoffset": offset,
        "timezone": listing.zone_short, "exchangeTimezoneName": listing.zone,
        "regularMarketPrice": float(quote.last), "fiftyTwoWeekHigh": float(quote.high_52w),
        "fiftyTwoWeekLow": float(quote.low_52w), "regularMarketDayHigh": float(quote.high),
        "regularMarketDayLow": float(quote.low), "regularMarketVolume": quote.volume,
        "longName": listing.long_name, "shortName": listing.short_name,
        "chartPreviousClose": float(earlier[-1].close) if earlier else None,
        "priceHint": quote.decimals,
    }
    if meta["chartPreviousClose"] is None:
        del meta["chartPreviousClose"]
    if span == "1d":
        meta["previousClose"] = float(quote.prev_close)
        meta["scale"] = 3
    meta.update({"currentTradingPeriod": _trading_period(listing), "dataGranularity": "1d",
                 "range": span, "validRanges": VALID_RANGES})
    rows: dict[str, list[Any]] = {"open": [], "high": [], "low": [], "close": [], "volume": []}
    for bar in chosen:
        for key in ("open", "high", "low", "close"):
            rows[key].append(float32(getattr(bar, key)))
        rows["volume"].append(bar.volume)
    if degrade:
        _degrade(meta, rows)
    stamps = [int(_at(bar.day, listing.open_time, listing).timestamp()) for bar in chosen]
    result = {
        "meta": meta,
        "timestamp": stamps,
        "indicators": {"quote": [{key: rows[key] for key in ("open", "high", "low", "close",
                                                             "volume")}],
                       "adjclose": [{"adjclose": list(rows["close"])}]},
    }
    return {"chart": {"result": [result], "error": None}}


#: Meta keys the degraded answer drops.
DEGRADED_META = ("regularMarketDayHigh", "regularMarketDayLow", "regularMarketVolume",
                 "fiftyTwoWeekHigh", "fiftyTwoWeekLow", "longName", "shortName")


def _degrade(meta: dict[str, Any], rows: Mapping[str, list[Any]]) -> None:
    """Drop meta fields; null the last bar's open/high/low/volume and an older bar's close."""
    for key in DEGRADED_META:
        meta.pop(key, None)
    if rows["close"]:
        for key in ("open", "high", "low", "volume"):
            rows[key][-1] = None
    if len(rows["close"]) >= 3:
        rows["close"][-3] = None


def _answer(document: object, status: int = 200) -> FakeResponse:
    body = json.dumps(document, ensure_ascii=False).encode("utf-8")
    return FakeResponse(body, status=status, content_type=CONTENT_TYPE)


def _unprocessable(description: str) -> FakeResponse:
    error = {"code": "Unprocessable Entity", "description": description}
    return _answer({"chart": {"result": None, "error": error}}, status=422)


def _chart_answer(request: FakeRequest, scenario: Scenario, *, degrade: bool) -> FakeResponse:
    symbol = request.path.rsplit("/", 1)[-1]
    quote = market(symbol, scenario)
    if quote is None:
        return _answer(NOT_FOUND, status=404)
    if (request.param("interval") or "1d") != "1d":
        return _unprocessable("the fake serves daily bars only")
    chosen = _select(quote.bars, request, quote.listing)
    if chosen is None:
        return _unprocessable("Invalid input - range or period is invalid")
    span = "" if request.param("period1") else (request.param("range") or "1mo")
    return _answer(chart_document(quote, chosen, span, degrade=degrade))


def chart(request: FakeRequest, scenario: Scenario) -> FakeResponse:
    """``/v8/finance/chart/{symbol}?range=…|period1=…&period2=…&interval=1d``."""
    return _chart_answer(request, scenario, degrade=False)


def chart_missing_fields(request: FakeRequest, scenario: Scenario) -> FakeResponse:
    """Well-formed; meta without day range, volume, 52-week range and names; nulls in arrays."""
    return _chart_answer(request, scenario, degrade=True)


ROUTES = [
    Route(name="yahoo-chart", pattern=r"^/v8/finance/chart/[^/]+$", handler=chart,
          missing_fields=chart_missing_fields),
]

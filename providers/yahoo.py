"""Yahoo Finance v8 chart (no crumb): quotes and daily bars for US listings and A-shares.

One request per symbol: ``GET {base}/v8/finance/chart/{symbol}?range=…&interval=1d``. The quote
comes from ``meta`` plus the daily bars: the previous close is ``meta.previousClose`` when given,
else the last daily close before the quote's trading day, never ``chartPreviousClose`` (that is
the close before the first bar of the range). Yahoo delays Shanghai and Shenzhen by ~15 minutes;
those quotes are marked ``delay_s=900``. History bars are adjusted for dividends and splits the
way ``adjclose`` says (scaled open/high/low/close), like the forward-adjusted bars of the
Chinese sources.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from datetime import date, datetime, time, timedelta
from typing import Any, ClassVar
from urllib.parse import quote as url_quote
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from neodymium.providers.base import Provider
from neodymium.providers.errors import (
    BadPayload,
    PermanentError,
    ProviderError,
    RateLimited,
    SymbolNotFound,
    UnsupportedSymbol,
)
from neodymium.providers.markets import normalise_currency
from neodymium.providers.markets import zone as market_zone
from neodymium.providers.models import Bar, DataKind, Quote, QuoteBatch
from neodymium.providers.payloads import json_document
from neodymium.providers.symbols import Exchange, Market, Symbol, SymbolError
from neodymium.providers.text import clean_text

NAME = "yahoo"
CHART_PATH = "/v8/finance/chart/"
#: Range of the quote request: enough daily bars to find yesterday's close across a long weekend.
QUOTE_RANGE = "5d"
HISTORY_RANGE = "1y"
#: Yahoo's delay on Shanghai and Shenzhen quotes.
CN_DELAY_S = 900
#: Yahoo's delay per market where it is not real-time (exchange licensing).
DELAYS_S = {Market.CN: CN_DELAY_S, Market.HK: 900, Market.UK: 900, Market.JP: 1200}
#: Decimals when the answer gives no ``priceHint``.
DEFAULT_DECIMALS = 4
NOT_FOUND_CODES = frozenset({"Not Found", "No data found"})


# -- numbers ------------------------------------------------------------------------------------


def number(raw: object, what: str, *, source: str = NAME) -> float | None:
    """A JSON number, or None when null/absent; anything else is BadPayload."""
    if raw is None:
        return None
    if isinstance(raw, bool) or not isinstance(raw, int | float):
        raise BadPayload(source, f"{what} is not a number", json.dumps(raw, ensure_ascii=False))
    value = float(raw)
    if not math.isfinite(value):
        raise BadPayload(source, f"{what} is not a finite number", str(raw))
    return value


def _positive(value: float | None) -> float | None:
    return value if value is not None and value > 0 else None


def _rounded(value: float | None, decimals: int) -> float | None:
    """Undo float32 noise (48.29999923706055 → 48.3) at the instrument's price precision."""
    return None if value is None else round(value, decimals)


# -- the chart answer ---------------------------------------------------------------------------


def build_chart_url(base: str, yahoo_symbol: str) -> str:
    """``{base}/v8/finance/chart/{symbol}`` with the symbol escaped for a path segment."""
    return f"{base.rstrip('/')}{CHART_PATH}{url_quote(yahoo_symbol, safe='')}"


def build_chart_params(
    *, range_: str | None = None, period1: int | None = None, period2: int | None = None
) -> dict[str, str]:
    """Daily bars over a named ``range_`` (``5d``, ``1y`` …) or unix ``period1``/``period2``."""
    params = {"interval": "1d", "includePrePost": "false", "events": "div,splits"}
    if period1 is not None and period2 is not None:
        params.update(period1=str(period1), period2=str(period2))
    else:
        params["range"] = range_ or HISTORY_RANGE
    return params


def chart_result(
    payload: bytes | str | Mapping[str, Any], symbol: str, *, source: str = NAME
) -> Mapping[str, Any]:
    """``chart.result[0]`` of an answer.

    ``chart.error`` "Not Found" (also the body of Yahoo's 404) is SymbolNotFound; any other
    error, an empty result or an unreadable body is BadPayload.
    """
    document = json_document(payload, source)
    chart = document.get("chart") if isinstance(document, Mapping) else None
    if not isinstance(chart, Mapping):
        raise BadPayload(source, "no chart object", json.dumps(document)[:200])
    error = chart.get("error")
    if error is not None:
        code = clean_text(error.get("code")) if isinstance(error, Mapping) else clean_text(error)
        description = clean_text(error.get("description")) if isinstance(error, Mapping) else ""
        if code in NOT_FOUND_CODES:
            raise SymbolNotFound(source, symbol, f"Yahoo has no chart for {symbol}: {description}")
        raise BadPayload(source, f"chart error {code}: {description}".rstrip(": "))
    results = chart.get("result")
    if not isinstance(results, list) or not results or not isinstance(results[0], Mapping):
        raise BadPayload(source, f"no chart result for {symbol}", json.dumps(chart)[:200])
    result = results[0]
    if not isinstance(result.get("meta"), Mapping):
        raise BadPayload(source, f"chart result for {symbol} has no meta")
    return result


def exchange_zone(meta: Mapping[str, Any], fallback: str) -> ZoneInfo:
    """The exchange's time zone from ``meta.exchangeTimezoneName`` (else ``fallback``)."""
    name = clean_text(meta.get("exchangeTimezoneName")) or fallback
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(fallback)


def _decimals(meta: Mapping[str, Any]) -> int:
    hint = meta.get("priceHint")
    if isinstance(hint, int) and not isinstance(hint, bool) and 0 <= hint <= 8:
        return max(hint, 2)
    return DEFAULT_DECIMALS


def chart_bars(
    result: Mapping[str, Any],
    symbol_key: str,
    zone: ZoneInfo,
    *,
    adjust: bool,
    source: str = NAME,
) -> list[Bar]:
    """Daily bars of a chart result, oldest first, one per exchange-local date.

    Entries whose close is null are dropped; other nulls stay None. With ``adjust``, prices are
    scaled by ``adjclose / close`` (dividends and splits), as the Chinese sources' qfq bars are.
    """
    stamps = result.get("timestamp") or []
    indicators = result.get("indicators")
    quotes = indicators.get("quote") if isinstance(indicators, Mapping) else None
    if not isinstance(stamps, list):
        raise BadPayload(source, f"{symbol_key}: timestamps are not a list")
    if not stamps:
        return []
    if not isinstance(quotes, list) or not quotes or not isinstance(quotes[0], Mapping):
        raise BadPayload(source, f"{symbol_key}: bars without indicators.quote")
    series = quotes[0]
    adjclose = _adjclose(indicators) if adjust and isinstance(indicators, Mapping) else None
    decimals = _decimals(result["meta"])
    bars: dict[date, Bar] = {}
    for i, stamp in enumerate(stamps):
        when = number(stamp, f"{symbol_key} timestamp", source=source)
        if when is None:
            continue
        day = datetime.fromtimestamp(int(when), zone).date()

        def at(key: str, values: Any, index: int = i, on: date = day) -> float | None:
            if not isinstance(values, list) or index >= len(values):
                return None
            return number(values[index], f"{symbol_key} {on} {key}", source=source)

        close = _positive(at("close", series.get("close")))
        if close is None:
            continue
        factor = 1.0
        if adjclose is not None:
            adjusted = _positive(at("adjclose", adjclose))
            factor = adjusted / close if adjusted is not None else 1.0
        volume = at("volume", series.get("volume"))
        bars[day] = Bar(
            symbol=symbol_key,
            day=day,
            open=_scaled(_positive(at("open", series.get("open"))), factor, decimals),
            high=_scaled(_positive(at("high", series.get("high"))), factor, decimals),
            low=_scaled(_positive(at("low", series.get("low"))), factor, decimals),
            close=round(close * factor, decimals),
            volume=volume if volume is not None and volume >= 0 else None,
        )
    return [bars[day] for day in sorted(bars)]


def _adjclose(indicators: Mapping[str, Any]) -> list[Any] | None:
    entries = indicators.get("adjclose")
    if isinstance(entries, list) and entries and isinstance(entries[0], Mapping):
        values = entries[0].get("adjclose")
        return values if isinstance(values, list) else None
    return None


def _scaled(value: float | None, factor: float, decimals: int) -> float | None:
    return None if value is None else round(value * factor, decimals)


def parse_chart_quote(
    payload: bytes | str | Mapping[str, Any], symbol: Symbol, *, source: str = NAME
) -> Quote:
    """A Quote from a daily chart answer (``meta`` plus bars); volume in shares."""
    result = chart_result(payload, symbol.key, source=source)
    meta = result["meta"]
    zone = exchange_zone(meta, market_zone(symbol.market).key)
    stamp = number(meta.get("regularMarketTime"), "regularMarketTime", source=source)
    if stamp is None or stamp <= 0:
        raise BadPayload(source, f"{symbol.key}: no regularMarketTime")
    as_of = datetime.fromtimestamp(int(stamp), zone)
    bars = chart_bars(result, symbol.key, zone, adjust=False, source=source)
    today = [bar for bar in bars if bar.day == as_of.date()]
    before = [bar for bar in bars if bar.day < as_of.date()]
    bar = today[-1] if today else None
    decimals = _decimals(meta)

    def meta_price(key: str) -> float | None:
        return _rounded(_positive(number(meta.get(key), key, source=source)), decimals)

    prev_close = meta_price("previousClose") or (before[-1].close if before else None)
    volume = number(meta.get("regularMarketVolume"), "regularMarketVolume", source=source)
    if volume is None and bar is not None:
        volume = bar.volume
    currency = normalise_currency(clean_text(meta.get("currency")))
    return Quote(
        symbol=symbol.key,
        as_of=as_of,
        source=source,
        name=clean_text(meta.get("longName")) or clean_text(meta.get("shortName")) or None,
        last=meta_price("regularMarketPrice"),
        prev_close=prev_close,
        open=bar.open if bar else None,
        high=meta_price("regularMarketDayHigh") or (bar.high if bar else None),
        low=meta_price("regularMarketDayLow") or (bar.low if bar else None),
        volume=volume if volume is not None and volume >= 0 else None,
        high_52w=meta_price("fiftyTwoWeekHigh"),
        low_52w=meta_price("fiftyTwoWeekLow"),
        currency=currency,
        delay_s=delay_for(symbol),
    )


def parse_chart_history(
    payload: bytes | str | Mapping[str, Any], symbol: Symbol, *, source: str = NAME
) -> list[Bar]:
    """Adjusted daily bars of a chart answer, dated in the exchange's time zone."""
    result = chart_result(payload, symbol.key, source=source)
    zone = exchange_zone(result["meta"], market_zone(symbol.market).key)
    return chart_bars(result, symbol.key, zone, adjust=True, source=source)


def delay_for(symbol: Symbol) -> int:
    """Seconds Yahoo delays the symbol: 15 minutes for Shanghai/Shenzhen, Hong Kong and London,
    20 for Tokyo, none for US listings (real-time US prices from Cboe/Nasdaq feeds)."""
    return DELAYS_S.get(symbol.market, 0)


def history_period(symbol: Symbol, start: date, end: date) -> tuple[int, int]:
    """Unix ``period1``/``period2`` covering exchange-local ``start`` … ``end`` inclusive."""
    zone = market_zone(symbol.market)
    first = datetime.combine(start, time.min, zone)
    after = datetime.combine(end + timedelta(days=1), time.min, zone)
    return int(first.timestamp()), int(after.timestamp())


# -- the provider -------------------------------------------------------------------------------


class YahooProvider(Provider):
    """Yahoo chart quotes and daily bars: US ETFs in real time, A-shares 15 minutes late."""

    name: ClassVar[str] = NAME
    description: ClassVar[str] = "Yahoo Finance v8 chart: US and A-share quotes and daily bars"
    kinds: ClassVar[frozenset[DataKind]] = frozenset({DataKind.QUOTES, DataKind.HISTORY})
    default_base_url: ClassVar[str | None] = "https://query1.finance.yahoo.com"
    #: Yahoo answers bursts with 429: space requests a little.
    default_min_interval: ClassVar[float] = 0.5

    def supports(self, symbol: Symbol, kind: DataKind) -> bool:
        """Everything Yahoo lists: not Beijing."""
        return kind in self.kinds and symbol.exchange is not Exchange.BJ

    async def fetch_quotes(self, symbols: Sequence[Symbol]) -> QuoteBatch:
        """One chart request per symbol; failures per symbol, unless the host itself failed.

        A 429 stops the cycle (asking further only deepens the ban) and is reported for every
        symbol not yet served. When every symbol failed with the same retryable error, that
        error is raised: the host is down, not the symbols.
        """
        quotes: dict[str, Quote] = {}
        errors: dict[str, Exception] = {}
        failures: list[ProviderError] = []
        pending = list(symbols)
        while pending:
            symbol = pending.pop(0)
            if not self.supports(symbol, DataKind.QUOTES):
                errors[symbol.key] = UnsupportedSymbol(self.name, symbol.key)
                continue
            try:
                quotes[symbol.key] = await self._quote(symbol)
            except RateLimited as error:
                for skipped in [symbol, *pending]:
                    if self.supports(skipped, DataKind.QUOTES):
                        errors[skipped.key] = error
                        failures.append(error)
                break
            except ProviderError as error:
                errors[symbol.key] = error
                failures.append(error)
        if not quotes and failures and _same_retryable(failures):
            raise failures[0]
        return QuoteBatch(quotes=quotes, errors=errors)

    async def fetch_history(self, symbol: Symbol, start: date | None, end: date) -> list[Bar]:
        """Adjusted daily bars from ``start`` (None: one year) through ``end``."""
        if not self.supports(symbol, DataKind.HISTORY):
            raise UnsupportedSymbol(self.name, symbol.key)
        if start is not None and start > end:
            return []
        if start is None:
            params = build_chart_params(range_=HISTORY_RANGE)
        else:
            period1, period2 = history_period(symbol, start, end)
            params = build_chart_params(period1=period1, period2=period2)
        payload = await self._chart(symbol, params)
        bars = parse_chart_history(payload, symbol, source=self.name)
        return [bar for bar in bars if (start is None or bar.day >= start) and bar.day <= end]

    async def _quote(self, symbol: Symbol) -> Quote:
        payload = await self._chart(symbol, build_chart_params(range_=QUOTE_RANGE))
        return parse_chart_quote(payload, symbol, source=self.name)

    async def _chart(self, symbol: Symbol, params: Mapping[str, str]) -> bytes:
        try:
            yahoo_symbol = to_yahoo(symbol)
        except SymbolError:
            raise UnsupportedSymbol(self.name, symbol.key) from None
        # Yahoo answers an unknown symbol with 404 and a chart.error body the parsers read;
        # any other 404 body is a bad payload, never a silent "symbol not found".
        response = await self.get(
            build_chart_url(self.base_url, yahoo_symbol), params=params, accept=(404,)
        )
        return response.content


def _same_retryable(failures: Sequence[ProviderError]) -> bool:
    """Every symbol failed the same host-wide way (retryable, or an endpoint that is gone or
    redirected): the host failed, so the feed backs off instead of asking every cycle."""
    first = failures[0]
    host_wide = first.retryable or isinstance(first, PermanentError)
    return host_wide and all(type(error) is type(first) for error in failures)


def to_yahoo(symbol: Symbol) -> str:
    """Yahoo spelling: ``600111.SS``, ``159713.SZ``, ``REMX``; Beijing is not on Yahoo."""
    if symbol.exchange is Exchange.BJ:
        raise SymbolError(f"{symbol} (Beijing) is not listed on Yahoo")
    return symbol.key

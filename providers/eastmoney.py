"""Eastmoney push2: batch quotes (ulist.np), rich single quotes (stock/get) and daily klines.

One poll cycle makes one ``ulist.np`` request per 50 symbols. The fields ulist lacks (52-week
range, price limits, the order book) come from ``stock/get``, a few symbols per cycle, cached for
minutes: limits are fixed for the trading day and the 52-week range only widens intraday, which
the merge accounts for. Answers are requested with ``fltt=2`` (decimals), but the decoders also
read the raw form (prices ×10^decimals, percents ×100).

Eastmoney throttles by closing the connection, without an HTTP status, for minutes to hours. A
reset is reported as :class:`RateLimited`; quote requests then go to the delayed host
(push2delay, ~15 minutes behind) and those quotes are marked ``delay_s=900``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any, ClassVar

import httpx
from neodymium.providers.base import Provider, ProviderOptions
from neodymium.providers.clock import Clock, system_clock
from neodymium.providers.errors import (
    BadPayload,
    ProviderError,
    ProviderUnavailable,
    RateLimited,
    SymbolNotFound,
    UnsupportedSymbol,
)
from neodymium.providers.markets import SHANGHAI, units_for
from neodymium.providers.models import Bar, DataKind, Quote, QuoteBatch
from neodymium.providers.status import status_from_quote
from neodymium.providers.symbols import Market, Symbol, parse_symbol, to_eastmoney_secid
from neodymium.providers.text import clean_text
from neodymium.providers.values import default_currency, number, positive, quantity, ratio

NAME = "eastmoney"
QUOTE_HOST = "https://push2.eastmoney.com"
HISTORY_HOST = "https://push2his.eastmoney.com"
DELAYED_HOST = "https://push2delay.eastmoney.com"
REFERER = "https://quote.eastmoney.com/"
STOCK_GET_PATH = "/api/qt/stock/get"
ULIST_PATH = "/api/qt/ulist.np/get"
KLINE_PATH = "/api/qt/stock/kline/get"

#: Secids per ulist request (no documented cap; public clients stay at or under this).
ULIST_BATCH_SIZE = 50
#: How far push2delay lags the real-time hosts.
DELAYED_S = 900
#: How long to leave a host alone after it reset the connection (its IP-ban signal).
THROTTLE_PAUSE_S = 600.0
#: How long to leave a host alone after it timed out.
TIMEOUT_PAUSE_S = 60.0
#: Age after which the stock/get fields (52-week range, limits) are fetched again.
RICH_TTL = timedelta(minutes=10)
#: stock/get requests per poll cycle, on top of the one ulist request.
RICH_REFRESH_PER_CYCLE = 2
#: One lot (手) is 100 shares, for stocks and ETFs alike.
SHARES_PER_LOT = 100

#: stock/get fields: last, high, low, open, volume, amount, limits, code, name, decimals,
#: previous close, time, market cap, PE dynamic/static/TTM, 52-week high/low, bid1, ask1.
STOCK_GET_FIELDS = (
    "f43,f44,f45,f46,f47,f48,f51,f52,f57,f58,f59,f60,f86,f116,f162,f163,f164,f174,f175,f19,f39"
)
#: ulist fields: decimals, last, volume, amount, PE dynamic, code, market, name, high, low, open,
#: previous close, market cap, PE static, PE TTM, time, trade date.
ULIST_FIELDS = "f1,f2,f5,f6,f9,f12,f13,f14,f15,f16,f17,f18,f20,f114,f115,f124,f297"
KLINE_FIELDS1 = "f1,f2,f3,f4,f5,f6"
#: Date, open, close, high, low, volume (lots), amount, amplitude, change %, change, turnover.
KLINE_FIELDS2 = "f51,f52,f53,f54,f55,f56,f57,f58,f59,f60,f61"
DAILY_KLT = "101"
FORWARD_ADJUSTED = "1"

def _codes(*numbers: int) -> frozenset[str]:
    return frozenset(f"f{n}" for n in numbers)


# Which stock/get fields the raw (no fltt) form scales, and how.
_STOCK_GET_PRICES = _codes(
    11, 13, 15, 17, 19, 31, 33, 35, 37, 39, 43, 44, 45, 46, 51, 52, 60, 71, 169, 174, 175
)
_STOCK_GET_PERCENTS = _codes(50, 162, 163, 164, 167, 168, 170, 171)
# Which ulist fields the raw form scales. f1 is taken to be the price decimals there, like f59
# in stock/get (seen in public clist/ulist clients, not in the research); requests send fltt=2.
_ULIST_PRICES = _codes(2, 4, 15, 16, 17, 18)
_ULIST_PERCENTS = _codes(3, 7, 8, 9, 10, 23, 114, 115)
_MIN_KLINE_FIELDS = 7


# -- numbers ------------------------------------------------------------------------------------






def unix_time(raw: object, what: str, *, source: str = NAME) -> datetime | None:
    """Unix seconds as an Asia/Shanghai datetime, or None when missing or zero."""
    value = number(raw, what, source=source)
    if value is None or value <= 0:
        return None
    try:
        return datetime.fromtimestamp(int(value), SHANGHAI)
    except (OverflowError, OSError, ValueError):
        raise BadPayload(source, f"{what} is not a time", str(raw)) from None



@dataclass(frozen=True, slots=True)
class _Fields:
    """Reads one answer object, undoing the raw form's scaling when ``fltt`` was not 2."""

    data: Mapping[str, Any]
    raw: bool
    decimals: int
    prices: frozenset[str]
    percents: frozenset[str]
    where: str
    source: str

    def get(self, key: str) -> Decimal | None:
        value = number(self.data.get(key), f"{self.where} {key}", source=self.source)
        if value is None or not self.raw:
            return value
        if key in self.prices:
            return value.scaleb(-self.decimals)
        if key in self.percents:
            return value.scaleb(-2)
        return value


def _decimals(data: Mapping[str, Any], key: str, raw: bool, where: str, source: str) -> int:
    value = number(data.get(key), f"{where} {key}", source=source)
    if value is None:
        if raw:
            raise BadPayload(source, f"{where}: raw answer without price decimals ({key})")
        return 2
    if value != value.to_integral_value() or not 0 <= value <= 6:
        raise BadPayload(source, f"{where}: implausible price decimals {key}={value}")
    return int(value)


def _is_raw(fltt: int | str | None) -> bool:
    return str(fltt) != "2"


# -- JSON envelope ------------------------------------------------------------------------------


def load_document(
    payload: bytes | str | Mapping[str, Any], *, source: str = NAME
) -> Mapping[str, Any]:
    """The JSON object of an answer; an empty, truncated or foreign body is BadPayload.

    A non-zero ``rc`` (Eastmoney's own error code) is BadPayload too.
    """
    if isinstance(payload, Mapping):
        document: Any = payload
    else:
        if not payload.strip():
            raise BadPayload(source, "empty answer")
        try:
            document = json.loads(payload)
        except ValueError:  # JSONDecodeError and UnicodeDecodeError
            raise BadPayload(source, "answer is not JSON", payload) from None
    if not isinstance(document, Mapping):
        raise BadPayload(source, "answer is not a JSON object", json.dumps(document)[:200])
    rc = document.get("rc", 0)
    if rc not in (0, "0"):
        raise BadPayload(source, f"upstream error rc={rc!r}")
    return document


# -- stock/get ----------------------------------------------------------------------------------


def build_stock_get_params(secid: str, fltt: int | None = 2) -> dict[str, str]:
    """Query parameters of a ``stock/get`` request for one secid."""
    params = {"secid": secid, "invt": "2", "fields": STOCK_GET_FIELDS}
    if fltt is not None:
        params["fltt"] = str(fltt)
    return params


def decode_stock_get(
    data: Mapping[str, Any],
    fltt: int | str | None,
    *,
    symbol: Symbol | None = None,
    source: str = NAME,
    delay_s: int = 0,
) -> Quote:
    """The ``data`` object of a stock/get answer as a Quote in shares and CNY.

    ``fltt`` is what the request sent: with 2 the prices are decimals, otherwise they are
    integers ×10^f59 and percents ×100. ``symbol`` defaults to the one ``f57`` names.
    """
    if symbol is None:
        code = clean_text(data.get("f57"))
        if not code:
            raise BadPayload(source, "stock/get answer without a code (f57)")
        symbol = parse_symbol(code)
    where = f"stock/get {symbol.key}"
    raw = _is_raw(fltt)
    fields = _Fields(
        data=data,
        raw=raw,
        decimals=_decimals(data, "f59", raw, where, source),
        prices=_STOCK_GET_PRICES,
        percents=_STOCK_GET_PERCENTS,
        where=where,
        source=source,
    )
    as_of = unix_time(data.get("f86"), f"{where} f86", source=source)
    if as_of is None:
        raise BadPayload(source, f"{where}: no quote time (f86)")
    quote = Quote(
        symbol=symbol.key,
        as_of=as_of,
        source=source,
        name=clean_text(data.get("f58")) or None,
        last=positive(fields.get("f43")),
        prev_close=positive(fields.get("f60")),
        open=positive(fields.get("f46")),
        high=positive(fields.get("f44")),
        low=positive(fields.get("f45")),
        volume=quantity(fields.get("f47"), units_for(NAME, symbol.board).volume),
        amount=quantity(fields.get("f48")),
        bid=positive(fields.get("f19")),
        ask=positive(fields.get("f39")),
        pe_ttm=ratio(fields.get("f164")),
        pe_dynamic=ratio(fields.get("f162")),
        pe_static=ratio(fields.get("f163")),
        market_cap=positive(fields.get("f116")),
        high_52w=positive(fields.get("f174")),
        low_52w=positive(fields.get("f175")),
        limit_up=positive(fields.get("f51")),
        limit_down=positive(fields.get("f52")),
        currency=default_currency(symbol),
        delay_s=delay_s,
    )
    return replace(quote, status=status_from_quote(quote, symbol))


def parse_stock_get(
    payload: bytes | str | Mapping[str, Any],
    fltt: int | str | None,
    *,
    symbol: Symbol,
    source: str = NAME,
    delay_s: int = 0,
) -> Quote:
    """A whole stock/get answer; ``data: null`` (Eastmoney's "unknown secid") is SymbolNotFound."""
    document = load_document(payload, source=source)
    data = document.get("data")
    if data is None:
        raise SymbolNotFound(source, symbol.key, f"Eastmoney does not know {symbol.key}")
    if not isinstance(data, Mapping):
        raise BadPayload(source, "stock/get data is not an object", json.dumps(data)[:200])
    return decode_stock_get(data, fltt, symbol=symbol, source=source, delay_s=delay_s)


# -- ulist.np -----------------------------------------------------------------------------------


def build_ulist_params(secids: Sequence[str], fltt: int | None = 2) -> dict[str, str]:
    """Query parameters of one ``ulist.np`` request (at most ULIST_BATCH_SIZE secids)."""
    if len(secids) > ULIST_BATCH_SIZE:
        raise ValueError(f"at most {ULIST_BATCH_SIZE} secids per ulist request")
    params = {"secids": ",".join(secids), "invt": "2", "fields": ULIST_FIELDS}
    if fltt is not None:
        params["fltt"] = str(fltt)
    return params


def decode_ulist_item(
    item: Mapping[str, Any],
    fltt: int | str | None,
    *,
    symbol: Symbol,
    source: str = NAME,
    delay_s: int = 0,
) -> Quote:
    """One ``data.diff`` entry of a ulist answer as a Quote (no 52-week range, limits or book)."""
    where = f"ulist {symbol.key}"
    raw = _is_raw(fltt)
    fields = _Fields(
        data=item,
        raw=raw,
        decimals=_decimals(item, "f1", raw, where, source),
        prices=_ULIST_PRICES,
        percents=_ULIST_PERCENTS,
        where=where,
        source=source,
    )
    as_of = unix_time(item.get("f124"), f"{where} f124", source=source)
    if as_of is None:
        raise BadPayload(source, f"{where}: no quote time (f124)")
    quote = Quote(
        symbol=symbol.key,
        as_of=as_of,
        source=source,
        name=clean_text(item.get("f14")) or None,
        last=positive(fields.get("f2")),
        prev_close=positive(fields.get("f18")),
        open=positive(fields.get("f17")),
        high=positive(fields.get("f15")),
        low=positive(fields.get("f16")),
        volume=quantity(fields.get("f5"), units_for(NAME, symbol.board).volume),
        amount=quantity(fields.get("f6")),
        pe_ttm=ratio(fields.get("f115")),
        pe_dynamic=ratio(fields.get("f9")),
        pe_static=ratio(fields.get("f114")),
        market_cap=positive(fields.get("f20")),
        currency=default_currency(symbol),
        delay_s=delay_s,
    )
    return replace(quote, status=status_from_quote(quote, symbol))


def _diff_items(data: Mapping[str, Any], source: str) -> Iterator[Mapping[str, Any]]:
    diff = data.get("diff")
    if isinstance(diff, Mapping):  # without np=1 the list comes keyed "0", "1", …
        diff = list(diff.values())
    if not isinstance(diff, list):
        raise BadPayload(source, "ulist data.diff is not a list", json.dumps(diff)[:200])
    for item in diff:
        if not isinstance(item, Mapping):
            raise BadPayload(source, "ulist entry is not an object", json.dumps(item)[:200])
        yield item


def parse_ulist(
    payload: bytes | str | Mapping[str, Any],
    wanted: Mapping[str, Symbol],
    fltt: int | str | None,
    *,
    source: str = NAME,
    delay_s: int = 0,
) -> tuple[dict[str, Quote], dict[str, BadPayload]]:
    """Quotes by canonical key from a ulist answer, and per-symbol decoding failures.

    ``wanted`` maps each requested secid to its symbol; entries for secids not asked for are
    ignored. Unknown secids are simply absent (all unknown: ``data: null``).
    """
    document = load_document(payload, source=source)
    data = document.get("data")
    if data is None:
        return {}, {}
    if not isinstance(data, Mapping):
        raise BadPayload(source, "ulist data is not an object", json.dumps(data)[:200])
    quotes: dict[str, Quote] = {}
    failures: dict[str, BadPayload] = {}
    for item in _diff_items(data, source):
        secid = f"{clean_text(item.get('f13'))}.{clean_text(item.get('f12'))}"
        symbol = wanted.get(secid)
        if symbol is None:
            continue
        try:
            quotes[symbol.key] = decode_ulist_item(
                item, fltt, symbol=symbol, source=source, delay_s=delay_s
            )
        except BadPayload as error:
            failures[symbol.key] = error
    return quotes, failures


# -- merging the cached stock/get fields --------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RichFields:
    """A stock/get quote kept for the fields ulist lacks, with when it was fetched."""

    quote: Quote
    fetched_at: datetime

    def trade_day(self) -> date:
        """The Shanghai date the stock/get answer describes."""
        return self.quote.as_of.astimezone(SHANGHAI).date()


def merge_rich(quote: Quote, rich: RichFields | None, *, book: bool) -> Quote:
    """``quote`` (from ulist) completed with stock/get fields of the same trading day.

    Price limits and the 52-week range are used only when ``rich`` describes the same Shanghai
    trading day (limits change daily). The 52-week range is widened by today's high/low, which
    may have broken it since it was fetched. ``book`` says ``rich`` was fetched this cycle, so
    its bid/ask are current; a cached book is never shown. Values ulist already has win.
    """
    if rich is None or rich.trade_day() != quote.as_of.astimezone(SHANGHAI).date():
        return quote
    cached = rich.quote
    high_52w = _widest(max, cached.high_52w, quote.high)
    low_52w = _widest(min, cached.low_52w, quote.low)
    return replace(
        quote,
        name=quote.name or cached.name,
        high_52w=high_52w if cached.high_52w is not None else None,
        low_52w=low_52w if cached.low_52w is not None else None,
        limit_up=cached.limit_up,
        limit_down=cached.limit_down,
        bid=cached.bid if book else None,
        ask=cached.ask if book else None,
        pe_ttm=quote.pe_ttm if quote.pe_ttm is not None else cached.pe_ttm,
        pe_dynamic=quote.pe_dynamic if quote.pe_dynamic is not None else cached.pe_dynamic,
        pe_static=quote.pe_static if quote.pe_static is not None else cached.pe_static,
        market_cap=quote.market_cap if quote.market_cap is not None else cached.market_cap,
    )


def _widest(pick: Any, *values: float | None) -> float | None:
    present = [value for value in values if value is not None]
    return pick(present) if present else None


# -- klines -------------------------------------------------------------------------------------


def build_kline_params(secid: str, start: date, end: date) -> dict[str, str]:
    """Query parameters of a daily, forward-adjusted (前复权) kline request."""
    return {
        "secid": secid,
        "klt": DAILY_KLT,
        "fqt": FORWARD_ADJUSTED,
        "beg": start.strftime("%Y%m%d"),
        "end": end.strftime("%Y%m%d"),
        "fields1": KLINE_FIELDS1,
        "fields2": KLINE_FIELDS2,
    }


def parse_klines(
    payload: bytes | str | Mapping[str, Any], *, symbol: Symbol, source: str = NAME
) -> list[Bar]:
    """Daily bars of a kline answer, oldest first; volume in shares, amount in CNY.

    Each kline is ``date,open,close,high,low,volume,amount,…`` (close BEFORE high). A kline
    without a close is dropped; a malformed one is BadPayload; ``data: null`` (unknown secid) is
    SymbolNotFound; ``dktotal: 0, klines: []`` is an empty list.
    """
    data = _kline_data(payload, symbol, source)
    klines = data.get("klines")
    if klines is None:
        return []
    if not isinstance(klines, list):
        raise BadPayload(source, "klines is not a list", json.dumps(klines)[:200])
    bars: dict[date, Bar] = {}
    for line in klines:
        bar = _kline_bar(line, symbol, source)
        if bar is not None:
            bars[bar.day] = bar
    return [bars[day] for day in sorted(bars)]


def kline_total(payload: bytes | str | Mapping[str, Any], *, source: str = NAME) -> int | None:
    """``data.dktotal``: how many bars Eastmoney has for the security at all (None if absent)."""
    data = load_document(payload, source=source).get("data")
    if not isinstance(data, Mapping):
        return None
    total = number(data.get("dktotal"), "dktotal", source=source)
    return None if total is None else int(total)


def _kline_data(
    payload: bytes | str | Mapping[str, Any], symbol: Symbol, source: str
) -> Mapping[str, Any]:
    data = load_document(payload, source=source).get("data")
    if data is None:
        raise SymbolNotFound(source, symbol.key, f"Eastmoney has no klines for {symbol.key}")
    if not isinstance(data, Mapping):
        raise BadPayload(source, "kline data is not an object", json.dumps(data)[:200])
    return data


def _kline_bar(line: object, symbol: Symbol, source: str) -> Bar | None:
    if not isinstance(line, str):
        raise BadPayload(source, f"{symbol.key}: kline is not a string", json.dumps(line)[:200])
    parts = line.split(",")
    if len(parts) < _MIN_KLINE_FIELDS:
        raise BadPayload(source, f"{symbol.key}: kline has {len(parts)} fields", line)
    try:
        day = date.fromisoformat(parts[0].strip())
    except ValueError:
        raise BadPayload(source, f"{symbol.key}: bad kline date", line) from None

    def num(index: int, what: str) -> Decimal | None:
        return number(parts[index], f"{symbol.key} {day} {what}", source=source)

    close = positive(num(2, "close"))
    if close is None:
        return None
    return Bar(
        symbol=symbol.key,
        day=day,
        open=positive(num(1, "open")),
        high=positive(num(3, "high")),
        low=positive(num(4, "low")),
        close=close,
        volume=quantity(num(5, "volume"), SHARES_PER_LOT),
        amount=quantity(num(6, "amount")),
    )


# -- throttling ---------------------------------------------------------------------------------


def _causes(error: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def is_connection_reset(error: BaseException) -> bool:
    """True when the server dropped or reset the connection (Eastmoney's throttling signal)."""
    return any(
        isinstance(cause, httpx.RemoteProtocolError | ConnectionResetError | ConnectionAbortedError)
        for cause in _causes(error)
    )


def is_timeout(error: BaseException) -> bool:
    """True when the request timed out."""
    return any(isinstance(cause, httpx.TimeoutException | TimeoutError) for cause in _causes(error))


def throttled(provider: str, error: ProviderError) -> RateLimited:
    """The RateLimited a connection reset from Eastmoney stands for."""
    return RateLimited(
        provider,
        f"connection reset, Eastmoney's throttling ({error.message})",
        retry_after=THROTTLE_PAUSE_S,
    )


# -- the provider -------------------------------------------------------------------------------


class EastmoneyProvider(Provider):
    """Eastmoney push2 quotes (PE ×3, market cap, 52-week range, limits) and daily bars."""

    name: ClassVar[str] = NAME
    description: ClassVar[str] = (
        "Eastmoney push2: A-share quotes with PE, market cap, 52w range, limits; daily bars"
    )
    kinds: ClassVar[frozenset[DataKind]] = frozenset({DataKind.QUOTES, DataKind.HISTORY})
    default_base_url: ClassVar[str | None] = QUOTE_HOST
    #: Eastmoney bans IPs after bursts: keep a second between requests.
    default_min_interval: ClassVar[float] = 1.0

    def __init__(
        self,
        client: httpx.AsyncClient,
        options: ProviderOptions | None = None,
        clock: Clock = system_clock,
    ) -> None:
        super().__init__(client, options, clock)
        self._rich: dict[str, RichFields] = {}
        self._paused_until: dict[str, datetime] = {}

    @property
    def history_base_url(self) -> str:
        """The configured base URL when set (one host in tests), else push2his."""
        return (self.options.base_url or HISTORY_HOST).rstrip("/")

    @property
    def delayed_base_url(self) -> str | None:
        """Where to go when the real-time host throttles: ``extra['fallback_base_url']``, else
        push2delay, but never the internet when ``base_url`` was overridden without a fallback."""
        configured = self.options.extra.get("fallback_base_url")
        if configured:
            return str(configured).rstrip("/")
        return None if self.options.base_url else DELAYED_HOST

    def supports(self, symbol: Symbol, kind: DataKind) -> bool:
        """A-shares only: US secids (105/106/107) need resolving, which is not done here."""
        return kind in self.kinds and symbol.market is Market.CN

    def paused_until(self, base: str) -> datetime | None:
        """Until when ``base`` is left alone after a reset or timeout, or None."""
        until = self._paused_until.get(base.rstrip("/"))
        return until if until is not None and self.clock() < until else None

    async def fetch_quotes(self, symbols: Sequence[Symbol]) -> QuoteBatch:
        """One ulist request per 50 symbols, plus a few cached stock/get requests per cycle."""
        errors: dict[str, Exception] = {}
        wanted: dict[str, Symbol] = {}
        for symbol in symbols:
            if self.supports(symbol, DataKind.QUOTES):
                wanted[to_eastmoney_secid(symbol)] = symbol
            else:
                errors[symbol.key] = UnsupportedSymbol(self.name, symbol.key)
        quotes: dict[str, Quote] = {}
        first_failure: ProviderError | None = None
        secids = list(wanted)
        for start in range(0, len(secids), ULIST_BATCH_SIZE):
            chunk = {secid: wanted[secid] for secid in secids[start : start + ULIST_BATCH_SIZE]}
            try:
                got, failures = await self._ulist(chunk)
            except ProviderError as error:
                first_failure = first_failure or error
                errors.update({symbol.key: error for symbol in chunk.values()})
                continue
            quotes.update(got)
            errors.update(failures)
        if not quotes and first_failure is not None:
            raise first_failure
        refreshed = await self._refresh_rich(wanted, quotes)
        for secid, symbol in wanted.items():
            if symbol.key in quotes:
                quotes[symbol.key] = merge_rich(
                    quotes[symbol.key], self._rich.get(secid), book=secid in refreshed
                )
            elif symbol.key not in errors:
                errors[symbol.key] = SymbolNotFound(
                    self.name, symbol.key, f"Eastmoney does not know {secid}"
                )
        return QuoteBatch(quotes=quotes, errors=errors)

    async def fetch_history(self, symbol: Symbol, start: date | None, end: date) -> list[Bar]:
        """Forward-adjusted daily bars from ``start`` (default: a year before ``end``)."""
        if not self.supports(symbol, DataKind.HISTORY):
            raise UnsupportedSymbol(self.name, symbol.key)
        first = start or end - timedelta(days=365)
        if first > end:
            return []
        params = build_kline_params(to_eastmoney_secid(symbol), first, end)
        response, _delayed = await self._request(self.history_base_url, KLINE_PATH, params)
        document = load_document(response.content, source=self.name)
        bars = parse_klines(document, symbol=symbol, source=self.name)
        if not bars and kline_total(document, source=self.name) == 0:
            raise ProviderUnavailable(
                self.name, f"no bars at all for {symbol.key} (dktotal 0: throttled or unlisted)"
            )
        return [bar for bar in bars if first <= bar.day <= end]

    async def _ulist(
        self, chunk: Mapping[str, Symbol]
    ) -> tuple[dict[str, Quote], dict[str, BadPayload]]:
        response, delayed = await self._request(
            self.base_url, ULIST_PATH, build_ulist_params(list(chunk))
        )
        return parse_ulist(
            response.content, chunk, 2, source=self.name, delay_s=DELAYED_S if delayed else 0
        )

    async def _refresh_rich(
        self, wanted: Mapping[str, Symbol], quotes: Mapping[str, Quote]
    ) -> set[str]:
        """Fetch stock/get for the stalest few quoted symbols; return the secids refreshed."""
        now = self.clock()
        stale: list[tuple[float, str]] = []
        for secid, symbol in wanted.items():
            quote = quotes.get(symbol.key)
            if quote is None:
                continue
            rich = self._rich.get(secid)
            if (
                rich is None
                or now - rich.fetched_at >= RICH_TTL
                or rich.trade_day() != quote.as_of.astimezone(SHANGHAI).date()
            ):
                stale.append((rich.fetched_at.timestamp() if rich else float("-inf"), secid))
        refreshed: set[str] = set()
        # Stalest first; ties keep the caller's order, so the primary symbol comes first.
        for _, secid in sorted(stale, key=lambda entry: entry[0])[:RICH_REFRESH_PER_CYCLE]:
            try:
                response, delayed = await self._request(
                    self.base_url, STOCK_GET_PATH, build_stock_get_params(secid)
                )
                quote = parse_stock_get(
                    response.content, 2, symbol=wanted[secid], source=self.name,
                    delay_s=DELAYED_S if delayed else 0,
                )
            except RateLimited:
                break  # the host is throttling us: the ulist quotes stand on their own
            except ProviderError:
                continue  # this symbol's extras wait for the next cycle
            self._rich[secid] = RichFields(quote=quote, fetched_at=now)
            refreshed.add(secid)
        return refreshed

    async def _request(
        self, primary: str, path: str, params: Mapping[str, str]
    ) -> tuple[httpx.Response, bool]:
        """GET ``path`` on ``primary``, or on the delayed host when ``primary`` throttles.

        Returns the response and whether it came from the delayed host. A reset pauses
        ``primary`` for THROTTLE_PAUSE_S, a timeout for TIMEOUT_PAUSE_S; while paused, requests
        go straight to the delayed host, or fail with RateLimited when there is none.
        """
        primary = primary.rstrip("/")
        fallback = self.delayed_base_url
        if fallback == primary:
            fallback = None
        until = self.paused_until(primary)
        if until is not None:
            if fallback is None:
                remaining = (until - self.clock()).total_seconds()
                raise RateLimited(self.name, f"{primary} is throttling us", retry_after=remaining)
            return await self._send(fallback, path, params), True
        try:
            return await self._send(primary, path, params), False
        except ProviderError as error:
            if isinstance(error, RateLimited) and is_connection_reset(error):
                failure: ProviderError = error
                pause = THROTTLE_PAUSE_S
            elif is_timeout(error):
                failure, pause = error, TIMEOUT_PAUSE_S
            else:
                raise
            self._paused_until[primary] = self.clock() + timedelta(seconds=pause)
            if fallback is None:
                raise failure from error
            try:
                return await self._send(fallback, path, params), True
            except ProviderError as fallback_error:
                raise failure from fallback_error

    async def _send(self, base: str, path: str, params: Mapping[str, str]) -> httpx.Response:
        try:
            return await self.get(f"{base}{path}", params=params, headers={"Referer": REFERER})
        except ProviderError as error:
            if is_connection_reset(error) and not isinstance(error, RateLimited):
                raise throttled(self.name, error) from error
            raise

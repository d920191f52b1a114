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

from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta
from typing import ClassVar

import httpx
from neodymium.providers.base import Provider, ProviderOptions
from neodymium.providers.clock import Clock, system_clock
from neodymium.providers.eastmoney_fields import NAME, SHANGHAI, load_document, to_eastmoney_secid
from neodymium.providers.eastmoney_klines import build_kline_params, kline_total, parse_klines
from neodymium.providers.eastmoney_quotes import (
    RichFields,
    build_stock_get_params,
    build_ulist_params,
    merge_rich,
    parse_stock_get,
    parse_ulist,
)
from neodymium.providers.errors import (
    BadPayload,
    ProviderError,
    ProviderUnavailable,
    RateLimited,
    SymbolNotFound,
    UnsupportedSymbol,
)
from neodymium.providers.models import Bar, DataKind, Quote, QuoteBatch
from neodymium.providers.options import EastmoneyOptions as EastmoneyOptions  # re-exported
from neodymium.providers.symbols import Market, Symbol

QUOTE_HOST = "https://push2.eastmoney.com"
HISTORY_HOST = "https://push2his.eastmoney.com"
DELAYED_HOST = "https://push2delay.eastmoney.com"
REFERER = "https://quote.eastmoney.com/"
STOCK_GET_PATH = "/api/qt/stock/get"
ULIST_PATH = "/api/qt/ulist.np/get"
KLINE_PATH = "/api/qt/stock/kline/get"

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


# -- throttling ---------------------------------------------------------------------------------


def throttled(provider: str, error: ProviderError) -> RateLimited:
    """The RateLimited a connection reset from Eastmoney stands for."""
    limited = RateLimited(
        provider,
        f"connection reset, Eastmoney's throttling ({error.message})",
        retry_after=THROTTLE_PAUSE_S,
    )
    limited.cause = error.cause
    return limited


# -- the provider -------------------------------------------------------------------------------


class EastmoneyProvider(Provider):
    """Eastmoney push2 quotes (PE ×3, market cap, 52-week range, limits) and daily bars."""

    Options = EastmoneyOptions
    options: EastmoneyOptions

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
        """Where to go when the real-time host throttles: ``fallback_base_url``, else
        push2delay, but never the internet when ``base_url`` was overridden without a fallback."""
        if self.options.fallback_base_url:
            return self.options.fallback_base_url
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
        size = self.options.batch_size
        for start in range(0, len(secids), size):
            chunk = {secid: wanted[secid] for secid in secids[start : start + size]}
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
            if isinstance(error, RateLimited) and error.cause == "reset":
                failure: ProviderError = error
                pause = THROTTLE_PAUSE_S
            elif error.cause == "timeout":
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
            if error.cause == "reset" and not isinstance(error, RateLimited):
                raise throttled(self.name, error) from error
            raise

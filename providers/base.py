"""The provider interface: what every data source implements, and its one HTTP send path."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Collection, Mapping, Sequence
from datetime import date
from typing import Any, ClassVar

import httpx
from neodymium.providers.clock import Clock, system_clock
from neodymium.providers.models import Bar, DataKind, NewsItem, QuoteBatch
from neodymium.providers.options import ProviderOptions as ProviderOptions  # re-exported
from neodymium.providers.symbols import Symbol
from neodymium.providers.transport import (
    DEFAULT_MAX_BODY_BYTES,
    TransportLimits,
    bounded_send,
)

BROWSER_USER_AGENT = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36"
)


class Provider:
    """Base class of all providers.

    Subclasses set the class attributes, implement the fetch methods for the kinds they serve,
    and keep request building and payload parsing in pure module-level functions. All HTTP goes
    through :meth:`get`, so httpx errors are mapped in one place.
    """

    name: ClassVar[str] = "base"
    description: ClassVar[str] = ""
    kinds: ClassVar[frozenset[DataKind]] = frozenset()
    default_base_url: ClassVar[str | None] = None
    #: Seconds the source delays its data (0 for real time).
    delay_s: ClassVar[int] = 0
    #: Minimum seconds between two requests to this provider's host, unless config says.
    default_min_interval: ClassVar[float] = 0.2
    #: True for providers that simulate a market (the demo): its session is always open.
    simulated: ClassVar[bool] = False
    #: Largest body accepted, counted after decompression (quotes and news fit easily).
    default_max_body_bytes: ClassVar[int] = DEFAULT_MAX_BODY_BYTES
    #: Redirects followed per request; quote APIs never redirect, so none by default.
    max_redirects: ClassVar[int] = 0
    #: Whether a followed redirect may lead to another host (feeds move; APIs do not).
    cross_host_redirects: ClassVar[bool] = False
    #: True for a provider that pushes quote updates through :meth:`stream` (beside polling).
    pushes: ClassVar[bool] = False
    #: The model of this provider's ``[providers.<name>]`` table.
    Options: ClassVar[type[ProviderOptions]] = ProviderOptions

    def __init__(
        self,
        client: httpx.AsyncClient,
        options: ProviderOptions | None = None,
        clock: Clock = system_clock,
    ) -> None:
        self.client = client
        self.options = self.own_options(options)
        self.clock = clock
        self._throttle = asyncio.Lock()
        self._last_sent = float("-inf")

    @classmethod
    def own_options(cls, options: ProviderOptions | None) -> ProviderOptions:
        """``options`` as this provider's Options model (plain ProviderOptions are widened)."""
        if options is None:
            return cls.Options()
        if isinstance(options, cls.Options):
            return options
        return cls.Options.model_validate(options.model_dump(exclude_unset=True))

    @property
    def base_url(self) -> str:
        """The configured base URL (scheme + host + port), or the provider's default."""
        url = self.options.base_url or self.default_base_url or ""
        return url.rstrip("/")

    @property
    def min_interval(self) -> float:
        """Minimum seconds between requests to this provider's host."""
        if self.options.min_interval is not None:
            return self.options.min_interval
        return self.default_min_interval

    @property
    def max_body_bytes(self) -> int:
        """Largest body accepted from this provider, counted after decompression."""
        if self.options.max_body_kib is not None:
            return self.options.max_body_kib * 1024
        return self.default_max_body_bytes

    @property
    def backoff_key(self) -> str:
        """The key that backoff and rate limits are kept under (one per upstream host)."""
        return self.name

    def supports(self, symbol: Symbol, kind: DataKind) -> bool:
        """Whether this provider can serve ``kind`` for ``symbol`` at all."""
        return kind in self.kinds

    async def fetch_quotes(self, symbols: Sequence[Symbol]) -> QuoteBatch:
        """Quotes for the symbols; per-symbol failures go in ``QuoteBatch.errors``."""
        raise NotImplementedError(f"{self.name} does not serve quotes")

    async def fetch_history(self, symbol: Symbol, start: date | None, end: date) -> list[Bar]:
        """Daily bars from ``start`` (None: as far back as a year allows) to ``end``."""
        raise NotImplementedError(f"{self.name} does not serve history")

    async def fetch_news(
        self, symbols: Sequence[Symbol], names: Mapping[str, str]
    ) -> list[NewsItem]:
        """News and announcements about the symbols (``names`` maps key to display name)."""
        raise NotImplementedError(f"{self.name} does not serve news")

    def stream(self, symbols: Sequence[Symbol]) -> AsyncIterator[QuoteBatch]:
        """Quote updates for the symbols as the source pushes them, for a provider that
        ``pushes`` (a streaming API, a relay). The feed merges each into the same store as
        polled quotes; when the iterator fails it is asked again after the backoff."""
        raise NotImplementedError(f"{self.name} does not push quotes")

    async def aclose(self) -> None:
        """Release provider-owned resources (the shared client is closed by its owner)."""

    async def get(
        self,
        url: str,
        *,
        params: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
        accept: Collection[int] = (),
    ) -> httpx.Response:
        """GET with this provider's limits; raise a ProviderError for any failure.

        The whole request, redirects and body included, must finish within ``timeout``
        seconds; the body may not exceed :attr:`max_body_bytes` once decompressed. Statuses
        in ``accept`` are returned for the caller to read (Yahoo's 404 names the symbol).
        """
        merged = {"User-Agent": BROWSER_USER_AGENT, **(headers or {})}
        async with self._throttle:
            wait = self._last_sent + self.min_interval - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
            self._last_sent = time.monotonic()
        limits = TransportLimits(
            timeout=self.options.timeout, max_body_bytes=self.max_body_bytes,
            max_redirects=self.max_redirects, cross_host=self.cross_host_redirects,
        )
        request = httpx.Request("GET", url, params=params, headers=merged)
        return await bounded_send(self.client, self.name, request, limits, accept)

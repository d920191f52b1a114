"""The one composition root: the shared httpx client, the providers, the cache and the feed.

Every front end builds its data side here and gets the same lifetime: the TUI, ``quote``,
``snapshot``, ``alerts run``, ``positions``, the relay and the benchmarks.

    async with Runtime(settings, kinds={DataKind.QUOTES}) as runtime:
        snapshot = await runtime.poll_once(timeout=10)

or, for a long-running front end, ``open()``, subscribe to ``runtime.feed``, ``start()``, and
``close()`` on the way out. ``stop()`` pauses polling and ``start()`` resumes it on the same
feed (the relay, as it loses and regains its lease). Nothing here knows about Textual.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Collection, Mapping
from types import TracebackType

import httpx
from neodymium.config.settings import Settings
from neodymium.providers.base import Provider
from neodymium.providers.cache import Cache
from neodymium.providers.cache import cache_for as cache_for  # where front ends look for it
from neodymium.providers.clock import Clock, system_clock
from neodymium.providers.factory import build_providers, make_client
from neodymium.providers.feed import Feed
from neodymium.providers.models import DataKind
from neodymium.providers.relay.source import open_feed
from neodymium.providers.store import Snapshot

ALL_KINDS: frozenset[DataKind] = frozenset(DataKind)


class Runtime:
    """Owns the data side's lifetime: one client, the configured providers, a cache, a feed.

    ``demo`` switches every data kind to the offline demo provider; ``seed`` seeds it. ``kinds``
    says which data kinds are polled on a schedule. ``client`` and ``providers`` may be handed
    in (tests, or a host that shares its own client); a handed-in client is not closed here.
    ``direct`` polls the upstreams even when ``[feed].source`` names a relay: the relay itself,
    which reads its desk's config.
    """

    def __init__(
        self,
        settings: Settings,
        *,
        clock: Clock = system_clock,
        demo: bool = False,
        seed: int | None = None,
        kinds: Collection[DataKind] = ALL_KINDS,
        cache: Cache | None = None,
        client: httpx.AsyncClient | None = None,
        providers: Mapping[str, Provider] | None = None,
        direct: bool = False,
    ) -> None:
        self.settings = settings.demo() if demo else settings
        self.clock = clock
        self.demo = demo
        self.seed = seed
        self.kinds = frozenset(kinds)
        self.cache = cache
        self._client = client
        self._owns_client = client is None
        self._providers = dict(providers) if providers is not None else None
        self.direct = direct
        self._feed: Feed | None = None
        self._warmed = False
        self._polling = False
        self._closed = False

    @property
    def feed(self) -> Feed:
        """The feed; only after :meth:`open`."""
        if self._feed is None:
            raise RuntimeError("Runtime.open() has not been called")
        return self._feed

    @property
    def client(self) -> httpx.AsyncClient | None:
        """The shared HTTP client, once :meth:`open` made it (for one-off requests)."""
        return self._client

    @property
    def is_open(self) -> bool:
        """True between :meth:`open` and :meth:`close`."""
        return self._feed is not None

    @property
    def simulated(self) -> bool:
        """True when every quote provider is simulated (before opening: the demo flag)."""
        return self._feed.simulated if self._feed is not None else self.demo

    async def open(self) -> list[str]:
        """Create the client and providers, open the cache and build the feed (no polling yet).

        Returns the cache's warnings (a damaged file set aside, say) for the front end to show.
        """
        if self._feed is not None:
            return []
        if self._client is None:
            self._client = make_client()
        providers = self._providers
        if providers is None:
            providers = build_providers(self.settings, self._client, self.clock, self.seed)
        warnings = list(self.cache.open()) if self.cache is not None else []
        self._feed = open_feed(self.settings, providers, clock=self.clock, cache=self.cache,
                               direct=self.direct)
        return warnings

    async def start(self) -> None:
        """Paint from the cache (the first time), then poll ``kinds`` on their schedules (a
        first poll at once)."""
        if self._polling:
            return
        if not self._warmed:
            self._warmed = True
            self.feed.warm_from_cache()
        self._polling = True
        await self.feed.start(self.kinds)

    async def stop(self) -> None:
        """Stop polling; the client, providers, cache and the feed's values stay, so
        :meth:`start` polls again (the cache is not read a second time)."""
        self._polling = False
        if self._feed is not None:
            await self._feed.stop_polling()

    async def poll_once(self, timeout: float) -> Snapshot:
        """One poll of every kind in ``kinds`` (no schedule), within ``timeout`` seconds; on
        timeout, whatever has arrived."""
        polls = {
            DataKind.QUOTES: self.feed.poll_quotes,
            DataKind.HISTORY: self.feed.poll_history,
            DataKind.NEWS: self.feed.poll_news,
        }
        wanted = [polls[kind]() for kind in DataKind if kind in self.kinds]
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(asyncio.gather(*wanted), timeout)
        return self.feed.publish()

    async def close(self) -> None:
        """Stop polling, close the providers, the client (when it is ours) and the cache.

        The feed's last snapshot stays readable; closing twice does nothing more."""
        if self._closed:
            return
        self._closed = True
        if self._feed is not None:
            await self._feed.stop()
        if self._client is not None and self._owns_client:
            await self._client.aclose()
            self._client = None
        if self.cache is not None:
            self.cache.close()

    async def __aenter__(self) -> Runtime:
        await self.open()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.close()

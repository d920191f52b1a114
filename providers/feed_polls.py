"""The feed's history and news polls: missing daily bars per symbol, news merged by id.

A mixin of :class:`~neodymium.providers.feed.Feed`, which owns the state named below; kept
apart so the feed module holds its lifecycle and the quote cadence.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, TypeVar

from neodymium.config.settings import Settings
from neodymium.providers import calendar
from neodymium.providers.backoff import Backoff
from neodymium.providers.base import Provider
from neodymium.providers.clock import Clock
from neodymium.providers.errors import ProviderError
from neodymium.providers.health import backoff_key as _key
from neodymium.providers.models import Bar, DataKind
from neodymium.providers.store import Snapshot, Store, names_from
from neodymium.providers.symbols import Symbol

if TYPE_CHECKING:
    from neodymium.providers.cache import Cache

T = TypeVar("T")

#: Wait after a close before fetching the day's final bar (upstreams settle the close).
HISTORY_SETTLE = timedelta(minutes=1)
#: Wait before asking again for bars no provider gave (longer while every one backs off).
HISTORY_RETRY = timedelta(minutes=1)


class HistoryAndNewsPolls:
    """``poll_history`` and ``poll_news``, over the state the feed keeps."""

    settings: Settings
    providers: dict[str, Provider]
    store: Store
    backoff: Backoff
    clock: Clock
    cache: Cache | None
    symbols: list[Symbol]
    _history_due: dict[str, datetime]
    _seen_news: set[str]

    if TYPE_CHECKING:
        def publish(self) -> Snapshot: ...

        def _simulated(self) -> bool: ...

        async def _call(self, name: str, provider: Provider, kind: DataKind,
                        call: Awaitable[T]) -> T: ...

    # -- history ------------------------------------------------------------------------------

    async def poll_history(self) -> Snapshot | None:
        """Fetch missing daily bars for every symbol whose history is due."""
        now = self.clock()
        due = [s for s in self.symbols if now >= self._history_due.get(s.key, now)]
        if not due:
            return None
        fetched = [await self._history_for(symbol, now) for symbol in due]
        answered = [got for got in fetched if got is not None]
        if answered:
            self.store.loaded.add(DataKind.HISTORY)
        to_cache = [got for got in answered if got[2]]
        if self.cache is not None and to_cache:
            await asyncio.to_thread(self.cache.put_bar_sets, to_cache)
        return self.publish()

    def next_history_delay(self) -> float:
        """Seconds until the first watched symbol's history is due (a symbol not yet fetched
        is due now)."""
        now = self.clock()
        waits = [(self._history_due.get(s.key, now) - now).total_seconds() for s in self.symbols]
        return max(0.0, min(waits, default=self.settings.history.interval))

    def _history_next(self, symbol: Symbol, now: datetime) -> datetime:
        """When to fetch ``symbol``'s bars again after they arrived at ``now``: after the
        interval, or once the next close has settled if that comes first (so the day's final
        bar arrives right after each close, once, not up to an interval later)."""
        due = now + timedelta(seconds=self.settings.history.interval)
        if self._simulated():
            return due
        close = calendar.next_close(symbol.market, now - HISTORY_SETTLE)
        return due if close is None else min(due, close + HISTORY_SETTLE)

    def _history_retry(self, symbol: Symbol, now: datetime) -> datetime:
        """When to ask again for ``symbol``'s bars after no provider gave them: a minute on,
        or once the first of its providers is out of backoff if that is later."""
        untils = [self.backoff.state(_key(provider, DataKind.HISTORY)).until
                  for _, provider in self._history_chain(symbol)]
        waits = [(until - now).total_seconds() if until is not None else 0.0
                 for until in untils]
        return now + max(HISTORY_RETRY, timedelta(seconds=min(waits, default=0.0)))

    def _history_chain(self, symbol: Symbol) -> list[tuple[str, Provider]]:
        """The configured history providers that serve ``symbol``, in order."""
        chain = [(name, self.providers.get(name)) for name in self.settings.history.providers]
        return [(name, provider) for name, provider in chain
                if provider is not None and provider.supports(symbol, DataKind.HISTORY)]

    async def _history_for(self, symbol: Symbol, now: datetime
                           ) -> tuple[str, str, list[Bar]] | None:
        """Fetch one symbol's missing bars: ``(symbol, provider, bars)``, or None when no
        provider answered."""
        have = self.store.bars.get(symbol.key, ())
        end = calendar.session_state(symbol.market, now).now.date()
        start = have[-1].day if have else end - timedelta(days=self.settings.history.days)
        for name, provider in self._history_chain(symbol):
            if not self.backoff.ready(_key(provider, DataKind.HISTORY), self.clock()):
                continue
            try:
                bars = await self._call(name, provider, DataKind.HISTORY,
                                        provider.fetch_history(symbol, start, end))
            except ProviderError:  # not found there, or failing: ask the next one
                continue
            self.store.put_bars(symbol.key, bars)
            self._history_due[symbol.key] = self._history_next(symbol, now)
            return symbol.key, name, bars
        self._history_due[symbol.key] = self._history_retry(symbol, self.clock())
        return None

    # -- news ---------------------------------------------------------------------------------

    async def poll_news(self) -> Snapshot | None:
        """Fetch news from every configured news provider and merge by id."""
        names = {**names_from(self.store.quotes)}
        for name in self.settings.news.providers:
            provider = self.providers.get(name)
            if provider is None or not self.backoff.ready(_key(provider, DataKind.NEWS),
                                                          self.clock()):
                continue
            symbols = [s for s in self.symbols if provider.supports(s, DataKind.NEWS)]
            try:
                items = await self._call(name, provider, DataKind.NEWS,
                                         provider.fetch_news(symbols, names))
            except ProviderError:
                continue
            self.store.loaded.add(DataKind.NEWS)
            fresh = self.store.put_news(items, seen=self._seen_news)
            self._seen_news.update(item.id for item in fresh)
            if self.cache is not None and fresh:
                await asyncio.to_thread(self.cache.put_news, fresh)
        return self.publish()

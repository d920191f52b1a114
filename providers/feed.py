"""The polling feed: providers in order of preference, on apscheduler, publishing snapshots.

One job per data kind (quotes, history, news), ``max_instances=1``, ``coalesce=True`` and jitter.
Quotes poll each market on its own clock (configured interval while it trades, the slow cadence
otherwise, one final refresh after the close). A symbol the first provider cannot serve is asked
of the next one in the same cycle. Failing hosts back off; last good values stay, marked by age.
The feed knows nothing about Textual: the TUI, headless exports and ``quote`` all use it.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable, Collection, Mapping
from dataclasses import replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, TypeVar

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from neodymium.config.settings import Settings
from neodymium.providers import calendar
from neodymium.providers.backoff import Backoff
from neodymium.providers.base import Provider
from neodymium.providers.clock import Clock, system_clock
from neodymium.providers.derived import derive
from neodymium.providers.errors import ProviderError, unserved_reason
from neodymium.providers.feed_polls import HistoryAndNewsPolls
from neodymium.providers.health import CACHE_HEALTH as CACHE_HEALTH  # re-exported for the app
from neodymium.providers.health import CallAccounts, backoff_key
from neodymium.providers.models import DataKind, Quote, QuoteBatch
from neodymium.providers.no_trading import untraded_session_day
from neodymium.providers.schedule import FeedScheduler
from neodymium.providers.store import Merged, ProviderHealth, Snapshot, Store, names_from
from neodymium.providers.symbols import Market, Symbol, parse_symbols

if TYPE_CHECKING:
    from neodymium.providers.cache import Cache

log = logging.getLogger(__name__)
T = TypeVar("T")
#: The demo's next quote poll is at least this far off (else the whole second after).
MIN_POLL_S = 0.2
#: A refresh probes a host backing off only if it last failed this long ago (a held r key).
MANUAL_PROBE_FLOOR_S = 5.0

Subscriber = Callable[[Snapshot], None]


class Feed(HistoryAndNewsPolls):
    """Polls the configured providers and publishes immutable snapshots to subscribers."""

    def __init__(
        self,
        settings: Settings,
        providers: Mapping[str, Provider],
        *,
        clock: Clock = system_clock,
        cache: Cache | None = None,
        rng: random.Random | None = None,
    ) -> None:
        self.settings = settings
        self.providers = dict(providers)
        self.clock = clock
        self.cache = cache
        self.rng = rng or random.Random()
        self.backoff = Backoff(rng=self.rng)
        self.store = Store(max_news=settings.news.max_items)
        self.calls = CallAccounts(self.store, self.backoff, clock)
        self.subscribers: list[Subscriber] = []
        self.symbols, self.invalid_symbols = parse_symbols(settings.all_symbols_raw())
        for raw, reason in self.invalid_symbols.items():
            self.store.symbol_errors[raw] = reason
        self.schedule: FeedScheduler | None = None
        self._due: dict[Market, datetime] = {}
        self._history_due: dict[str, datetime] = {}
        self._seen_news: set[str] = set()
        #: The quote last written to the cache per symbol: a poll that brings the same quote
        #: again (an unchanged snapshot) writes nothing.
        self._cached_quotes: dict[str, Quote] = {}
        self.latest: Snapshot | None = None
        calendar.set_overrides(Market.CN, settings.calendar.extra_closures,
                               settings.calendar.extra_sessions)
        self.arrived = asyncio.Event()
        for name in self.providers:
            self.store.set_health(ProviderHealth(name=name, delayed=bool(providers[name].delay_s)))

    def set_watch(self, settings: Settings) -> None:
        """Watch another set of symbols (after an edit); new ones are polled on the next cycle."""
        self.settings = settings
        self.symbols, self.invalid_symbols = parse_symbols(settings.all_symbols_raw())
        watched = {symbol.key for symbol in self.symbols}
        for key in [k for k in self.store.quotes if k not in watched]:
            del self.store.quotes[key]
        self.store.symbol_errors = {k: v for k, v in self.store.symbol_errors.items()
                                    if k in watched}
        self._due.clear()
        if self.schedule is not None:  # new symbols are due at once
            self.schedule.reschedule(DataKind.QUOTES)
            self.schedule.reschedule(DataKind.HISTORY)
        self.publish()

    # -- subscription -------------------------------------------------------------------------

    def subscribe(self, subscriber: Subscriber) -> None:
        """Call ``subscriber`` with every new snapshot (and the latest one, if any, now)."""
        self.subscribers.append(subscriber)
        if self.latest is not None:
            subscriber(self.latest)

    def publish(self) -> Snapshot:
        """Freeze the store into a snapshot and hand it to every subscriber."""
        self._note_cache_problem()
        names = {**names_from(self.store.quotes)}
        snapshot = self.store.snapshot(self.clock(), names)
        previous = self.latest.derived if self.latest is not None else None
        snapshot = replace(snapshot, derived=derive(snapshot, self.settings, previous))
        self.latest = snapshot
        for subscriber in list(self.subscribers):
            subscriber(snapshot)
        self.arrived.set()
        return snapshot

    def _note_cache_problem(self) -> None:
        """A cache that stopped taking writes (disk full, read-only) shows in health, once."""
        if self.cache is not None:
            self.calls.note_cache_problem(self.cache.path, self.cache.write_problem)

    # -- lifecycle ----------------------------------------------------------------------------

    def warm_from_cache(self) -> None:
        """Paint from the cache at once: last good quotes (marked as cached), bars, seen news."""
        if self.cache is None:
            return
        wanted = {symbol.key for symbol in self.symbols}
        for key, quote in self.cache.get_quotes().items():
            if key in wanted:
                self.store.put_quote(quote, quote.as_of, from_cache=True)
        for symbol in self.symbols:
            bars = self.cache.get_bars(symbol.key)
            if bars:
                self.store.put_bars(symbol.key, bars)
        recent = self.cache.recent_news(self.settings.news.max_items)
        self._seen_news = {item.id for item in recent}
        self.store.put_news(recent, seen=self._seen_news)
        self.publish()

    async def start(self, kinds: Collection[DataKind] = frozenset(DataKind)) -> None:
        """Poll ``kinds`` on their schedules from now on (a first poll of each at once) and
        follow the streams of quote providers that push (see providers.schedule)."""
        self.schedule = FeedScheduler(self)
        self.schedule.start(kinds)

    @property
    def scheduler(self) -> AsyncIOScheduler | None:
        """The apscheduler instance, once started."""
        return self.schedule.scheduler if self.schedule is not None else None

    async def stop_polling(self) -> None:
        """Stop polling and streaming; the providers stay open, so :meth:`start` may poll
        again on the same store (a relay that stands by, then takes the lease back)."""
        schedule, self.schedule = self.schedule, None
        if schedule is not None:
            await schedule.stop()

    def next_polls(self) -> dict[str, datetime]:
        """When each data kind is next polled, on the feed's clock (for retry countdowns)."""
        return self.schedule.next_polls(self.clock()) if self.schedule is not None else {}

    async def stop(self) -> None:
        """Stop polling and streaming, and close the providers (not the shared client)."""
        if self.schedule is not None:
            await self.schedule.stop()
        for provider in self.providers.values():
            await provider.aclose()

    async def refresh_now(self) -> None:
        """Poll every kind now, ignoring cadence; paused hosts are probed too (at most once per
        MANUAL_PROBE_FLOOR_S), except where a rate limit or a 403 asked us to stay away.

        Once started, the scheduled jobs are moved to now rather than polled beside them, so a
        refresh never overlaps a running poll of the same kind; returns once each has run.
        """
        self.backoff.wake(self.clock(), MANUAL_PROBE_FLOOR_S)
        for kind in DataKind:
            self.make_due(kind)
        if self.schedule is not None and self.schedule.running:
            await self.schedule.run_all_now()
        else:
            await asyncio.gather(self.poll_quotes(), self.poll_history(), self.poll_news())

    def make_due(self, kind: DataKind) -> None:
        """Make every symbol due for ``kind`` now (a refresh; news is always polled whole)."""
        if kind is DataKind.QUOTES:
            self._due.clear()
        elif kind is DataKind.HISTORY:
            self._history_due.clear()

    def next_delay(self, kind: DataKind) -> float:
        """Seconds until ``kind`` is next due, from what its last poll left (the scheduler
        runs each kind's job then)."""
        if kind is DataKind.QUOTES:
            return self.next_quote_delay()
        if kind is DataKind.HISTORY:
            return self.next_history_delay()
        return self.settings.news.interval

    def interval(self, kind: DataKind) -> float:
        """The configured polling interval of ``kind``."""
        return {DataKind.QUOTES: self.settings.quotes.interval,
                DataKind.HISTORY: self.settings.history.interval,
                DataKind.NEWS: self.settings.news.interval}[kind]

    def next_quote_delay(self) -> float:
        """Seconds until the earliest watched market is next due for a quote poll. The
        simulated exchange publishes on whole seconds, so the demo polls on them too (every
        interval, at the next whole multiple of it): each poll brings the newest snapshot, and
        the app draws it with the clock's turn in one pass, not two."""
        if self._simulated():
            interval = self.settings.quotes.interval
            left = interval - self.clock().timestamp() % interval
            return left if left > MIN_POLL_S else left + interval
        now = self.clock()
        waits = [(self._due.get(market, now) - now).total_seconds()
                 for market in {symbol.market for symbol in self.symbols}]
        return max(0.0, min(waits, default=self.settings.quotes.slow_interval))

    def backoff_remaining(self, provider: Provider, kind: DataKind) -> float:
        """Seconds until ``provider`` may be asked for ``kind`` again (0: now)."""
        until = self.backoff.state(_key(provider, kind)).until
        return max(0.0, (until - self.clock()).total_seconds()) if until is not None else 0.0

    async def apply_quotes(self, batch: QuoteBatch) -> Snapshot:
        """Merge quotes that were pushed rather than polled (a streaming provider, a relay)
        into the store, as a poll would, and publish."""
        received = self.clock()
        watched = {symbol.key for symbol in self.symbols}
        served = [key for key in batch.quotes if key in watched]
        for key in served:
            self.store.put_quote(batch.quotes[key], received)
        if served:
            self.store.loaded.add(DataKind.QUOTES)
            await self._cache_quotes(served)
        return self.publish()

    def adopt(self, merged: Merged) -> bool:
        """Take a relay's already-merged values as they are (its receipt times and field
        origins kept): watched symbols only, the relay's errors for them beside this feed's
        invalid symbols. Returns whether a value was taken; :meth:`publish` is the caller's."""
        watched = {symbol.key for symbol in self.symbols}
        quotes = {k: v for k, v in merged.quotes.items() if k in watched and v.quote.symbol == k}
        bars = {key: tuple(bars) for key, bars in merged.bars.items() if key in watched}
        errors = merged.symbol_errors
        if errors is not None:
            errors = {**{k: v for k, v in errors.items() if k in watched},
                      **self.invalid_symbols}
        fresh = self.store.adopt(replace(merged, quotes=quotes, bars=bars,
                                         symbol_errors=errors), seen=self._seen_news)
        self._seen_news.update(item.id for item in fresh)
        return bool(quotes or bars or merged.news)

    # -- quotes -------------------------------------------------------------------------------

    @property
    def simulated(self) -> bool:
        """True when every configured quote provider is simulated (the demo)."""
        return self._simulated()

    def _simulated(self) -> bool:
        chain = [self.providers[n] for n in self.settings.quotes.providers if n in self.providers]
        return bool(chain) and all(provider.simulated for provider in chain)

    def due_symbols(self, now: datetime) -> list[Symbol]:
        """Symbols whose market is due for a quote poll now."""
        if self._simulated():
            return list(self.symbols)
        due_markets = {m for m in {s.market for s in self.symbols}
                       if now >= self._due.get(m, now)}
        for market in due_markets:
            delay = calendar.next_poll_delay(
                market, now, self.settings.quotes.interval, self.settings.quotes.slow_interval
            )
            self._due[market] = now + timedelta(seconds=max(delay, 0.0))
        return [s for s in self.symbols if s.market in due_markets]

    async def poll_quotes(self) -> Snapshot | None:
        """One quote cycle: ask providers in order until every due symbol is served."""
        now = self.clock()
        remaining = self.due_symbols(now)
        if not remaining:
            return None
        # Every provider's reason per symbol, so "not served" names them all, not the last.
        last_error: dict[str, list[str]] = {}
        served_keys: list[str] = []
        asked_names: set[str] = set()
        for name in self.settings.quotes.providers:
            provider = self.providers.get(name)
            if provider is None or not remaining:
                continue
            asked = [s for s in remaining if provider.supports(s, DataKind.QUOTES)]
            if asked:
                asked_names.add(name)
            if not asked or not self.backoff.ready(_key(provider, DataKind.QUOTES), self.clock()):
                for symbol in asked:
                    last_error.setdefault(symbol.key, []).append(f"{name}: backing off")
                continue
            try:
                batch = await self._call(name, provider, DataKind.QUOTES,
                                         provider.fetch_quotes(asked))
            except ProviderError as error:
                for symbol in asked:
                    last_error.setdefault(symbol.key, []).append(str(error))
                continue
            received = self.clock()
            served = set()
            for key, quote in batch.quotes.items():
                self.store.put_quote(quote, received)
                served.add(key)
            for key, problem in batch.errors.items():
                last_error.setdefault(key, []).append(str(problem))
            remaining = [s for s in remaining if s.key not in served]
            served_keys.extend(served)
            if served:
                self.store.loaded.add(DataKind.QUOTES)
        for symbol in remaining:
            self.store.symbol_errors[symbol.key] = unserved_reason(
                symbol.key, last_error.get(symbol.key))
        self._trust_upstream_calendar(now)
        await self._cache_quotes(served_keys)
        snapshot = self.publish()
        if await self._probe_idle_quote_providers(asked_names):
            snapshot = self.publish()
        return snapshot

    async def _cache_quotes(self, keys: Collection[str]) -> None:
        """Write the merged quotes of ``keys`` that changed since they were last written, in
        one transaction on a worker thread (none when nothing changed)."""
        if self.cache is None:
            return
        written = self._cached_quotes
        changed = {key: quote for key in keys
                   if (quote := self.store.quotes[key].quote) != written.get(key)}
        if not changed:
            return
        await asyncio.to_thread(self.cache.put_quotes, list(changed.values()))
        written.update(changed)

    async def _probe_idle_quote_providers(self, asked: set[str]) -> bool:
        """Ask each failing quote provider that was not needed this cycle for one symbol, at
        its backoff pace, so its warning clears once it answers (the answer is not shown:
        the provider before it is serving). True when any probe ran."""
        probed = False
        for name in self.settings.quotes.providers:
            provider = self.providers.get(name)
            if provider is None or name in asked:
                continue
            key = _key(provider, DataKind.QUOTES)
            if not self.backoff.failing(key) or not self.backoff.ready(key, self.clock()):
                continue
            sample = [s for s in self.symbols if provider.supports(s, DataKind.QUOTES)][:1]
            if not sample:
                continue
            probed = True
            try:
                await self._call(name, provider, DataKind.QUOTES, provider.fetch_quotes(sample))
            except ProviderError as error:
                log.info("probe of %s failed: %s", name, error)
        return probed

    def _trust_upstream_calendar(self, now: datetime) -> None:
        """Mark today a non-session when no A-share quote is from today (providers.no_trading)."""
        if self._simulated():
            return
        day = untraded_session_day(self.store.quotes, now)
        if day is not None:
            log.warning("no A-share quote is from %s: treating it as a non-trading day", day)
            calendar.mark_non_session(Market.CN, day)
            self._due.pop(Market.CN, None)

    # -- the one place provider calls are timed and accounted (providers.health) ------------

    async def _call(self, name: str, provider: Provider, kind: DataKind,
                    call: Awaitable[T]) -> T:
        return await self.calls.call(name, provider, kind, call)

    def job_failed(self, name: str, exc: Exception) -> None:
        """Show a polling job's unexpected failure in the health view (and keep polling)."""
        self.calls.job_failed(name, exc)
        self.publish()

    def job_succeeded(self, name: str) -> None:
        """Clear a job's failure once it runs through again."""
        if self.calls.job_succeeded(name):
            self.publish()

    def _current_health(self, name: str) -> ProviderHealth:
        return self.calls.current(name)


_key = backoff_key

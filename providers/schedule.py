"""When the feed polls, and the streams it follows: one apscheduler job per data kind on the
running event loop (``max_instances=1``, ``coalesce=True``), and one task per pushing provider.

The quotes job sets its own next run to when the earliest watched market is next due (the
session calendar's cadence, see ``Feed.next_quote_delay``); its interval is only a fallback.
History and news run on their intervals, with jitter. A refresh moves the jobs to now, so it
never runs beside a poll of the same kind.
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable, Collection
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.schedulers.base import STATE_RUNNING
from neodymium.providers.base import Provider
from neodymium.providers.errors import ProviderError
from neodymium.providers.models import DataKind, QuoteBatch

if TYPE_CHECKING:
    from neodymium.providers.feed import Feed

log = logging.getLogger(__name__)

#: Seconds before a pushing provider whose stream failed is subscribed again, at the least.
RESUBSCRIBE_S = 1.0


class FeedScheduler:
    """Runs a feed's polls on apscheduler and follows its providers' push streams."""

    def __init__(self, feed: Feed) -> None:
        self.feed = feed
        self.scheduler: AsyncIOScheduler | None = None
        self.streams: dict[str, asyncio.Task[None]] = {}
        #: Completed runs of each scheduled job, and an event pulsed after each one.
        self._runs: Counter[str] = Counter()
        self._ran = asyncio.Event()
        #: How a failed stream waits before it is followed again (a test makes it instant).
        self.sleep: Callable[[float], Awaitable[None]] = asyncio.sleep

    @property
    def running(self) -> bool:
        """True while the scheduler runs (not when stopped or paused)."""
        return self.scheduler is not None and self.scheduler.state == STATE_RUNNING

    def next_polls(self, now: datetime) -> dict[str, datetime]:
        """When each kind's job runs next, moved onto the feed's clock (``now``)."""
        if not self.running or self.scheduler is None:
            return {}
        wall, out = datetime.now().astimezone(), {}
        for kind in DataKind:
            job = self.scheduler.get_job(kind.value)
            if job is not None and job.next_run_time is not None:
                out[kind.value] = now + (job.next_run_time - wall)
        return out

    def start(self, kinds: Collection[DataKind]) -> None:
        """Schedule the jobs of ``kinds``, each polling once at once; follow push streams."""
        feed = self.feed
        self.scheduler = AsyncIOScheduler(event_loop=asyncio.get_running_loop())
        jobs = (
            (feed.poll_quotes, feed.settings.quotes.interval, DataKind.QUOTES, 0.0),
            (feed.poll_history, 60.0, DataKind.HISTORY, 0.5),
            (feed.poll_news, feed.settings.news.interval, DataKind.NEWS, 0.5),
        )
        for poll, seconds, kind, jitter in jobs:
            if kind not in kinds:
                continue
            self.scheduler.add_job(
                self._job(kind, poll), "interval", seconds=seconds, id=kind.value,
                name=f"{kind.value} poll",
                max_instances=1, coalesce=True, jitter=min(jitter, seconds / 10) or None,
                misfire_grace_time=max(1, int(seconds)),
                next_run_time=datetime.now().astimezone(),
            )
        self.scheduler.start()
        if DataKind.QUOTES in kinds:
            for name in feed.settings.quotes.providers:
                provider = feed.providers.get(name)
                if provider is not None and provider.pushes:
                    self.streams[name] = asyncio.create_task(self._follow(name, provider),
                                                             name=f"stream {name}")

    async def stop(self) -> None:
        """Stop the scheduler and the stream tasks."""
        if self.scheduler is not None and self.scheduler.running:
            self.scheduler.shutdown(wait=False)
        for task in self.streams.values():
            task.cancel()
        await asyncio.gather(*self.streams.values(), return_exceptions=True)
        self.streams.clear()

    def _job(self, kind: DataKind,
             poll: Callable[[], Awaitable[object]]) -> Callable[[], Awaitable[None]]:
        """The scheduled job of ``kind``: ends quietly when the app exits mid-poll (apscheduler
        would log a traceback), counts its runs for run_all_now, sets the next quote poll.
        Any other exception is logged with its traceback and shown in the health view as
        ``<kind> job``; the job keeps its schedule, so later polls still run."""

        async def job() -> None:
            try:
                await poll()
            except asyncio.CancelledError:
                log.debug("%s poll cancelled at shutdown", kind.value)
                return
            except Exception as exc:
                log.exception("the %s job failed", kind.value)
                self.feed.job_failed(kind.value, exc)
            else:
                self.feed.job_succeeded(kind.value)
            finally:
                self._runs[kind.value] += 1
                self._ran.set()
                self._ran = asyncio.Event()
            if kind is DataKind.QUOTES:
                self.reschedule_quotes()

        job.__name__ = f"poll_{kind.value}"
        return job

    def reschedule_quotes(self) -> None:
        """Move the quotes job to when the earliest watched market is next due."""
        scheduler = self.scheduler
        if scheduler is None or not self.running or scheduler.get_job("quotes") is None:
            return
        at = datetime.now().astimezone() + timedelta(seconds=self.feed.next_quote_delay())
        scheduler.modify_job("quotes", next_run_time=at)

    async def run_all_now(self) -> None:
        """Run every job now (one already running is not doubled) and wait until each has."""
        scheduler = self.scheduler
        if scheduler is None:
            return
        names = [job.id for job in scheduler.get_jobs()]
        before = {name: self._runs[name] for name in names}
        now = datetime.now().astimezone()
        for name in names:
            scheduler.modify_job(name, next_run_time=now)
        while any(self._runs[name] <= before[name] for name in names):
            await self._ran.wait()

    async def _follow(self, name: str, provider: Provider) -> None:
        """Apply a pushing provider's updates as they arrive; when its stream fails, subscribe
        again once its backoff allows; when the stream ends, stop following it."""
        feed = self.feed
        while True:
            symbols = [s for s in feed.symbols if provider.supports(s, DataKind.QUOTES)]
            stream = provider.stream(symbols)
            try:
                while True:
                    batch = await feed._call(name, provider, DataKind.QUOTES, _next(stream))
                    if batch is None:
                        log.info("%s ended its stream", name)
                        return
                    await feed.apply_quotes(batch)
            except ProviderError as error:
                log.warning("%s stream failed: %s", name, error)
            finally:
                closing = getattr(stream, "aclose", None)
                if closing is not None:
                    await closing()
            await self.sleep(max(RESUBSCRIBE_S,
                                 feed.backoff_remaining(provider, DataKind.QUOTES)))


async def _next(stream: AsyncIterator[QuoteBatch]) -> QuoteBatch | None:
    """The stream's next update, or None once it has ended."""
    try:
        return await anext(stream)
    except StopAsyncIteration:
        return None

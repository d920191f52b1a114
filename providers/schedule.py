"""When the feed polls, and the streams it follows: one apscheduler job per data kind on the
running event loop (``max_instances=1``, ``coalesce=True``), and one task per pushing provider.

There is no fixed-rate tick: each job sets its own next run when it ends, from the state its poll
left (``Feed.next_delay``: the session calendar's cadence for quotes, the earliest symbol due for
history, whether its interval, the refetch after a close or a retry after a failure; the interval
for news), plus a little jitter. A refresh moves the jobs to now; a job that is running then runs
again as soon as it ends, so a refresh never runs beside a poll of the same kind.
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable, Collection
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from apscheduler.events import (
    EVENT_JOB_ERROR,
    EVENT_JOB_EXECUTED,
    EVENT_JOB_SUBMITTED,
    JobEvent,
    JobExecutionEvent,
)
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.schedulers.base import STATE_RUNNING, STATE_STOPPED
from apscheduler.triggers.base import BaseTrigger
from neodymium.providers.base import Provider
from neodymium.providers.errors import ProviderError
from neodymium.providers.models import DataKind, QuoteBatch

if TYPE_CHECKING:
    from neodymium.providers.feed import Feed

log = logging.getLogger(__name__)

#: Seconds before a pushing provider whose stream failed is subscribed again, at the least.
RESUBSCRIBE_S = 1.0
#: The shortest wait between two runs of a job (the smallest configurable interval), so a poll
#: that leaves nothing due never spins.
MIN_GAP_S = 0.1
#: Random seconds added to each kind's next run, so its requests do not line up with others'.
JITTER_S = {DataKind.QUOTES: 0.0, DataKind.HISTORY: 0.5, DataKind.NEWS: 0.5}
#: Where a job waits while it runs: its end sets the real next run (see FeedScheduler.reschedule).
PARKED = timedelta(days=1)


#: How close the next run a job's end works out may be to the one its trigger set at its
#: start for the job to be left as it is (no modify_job, no second pass of the scheduler).
SAME_RUN_S = 0.01


class SetByTheJob(BaseTrigger):
    """An apscheduler trigger with no cadence of its own: each run of the job sets the next one
    (:meth:`FeedScheduler.reschedule`); until it does, the job is parked :data:`PARKED` ahead,
    or, where the next run does not depend on what the run brings (``expect``: seconds from
    now, or None), set there already, so the run's end has nothing to change."""

    __slots__ = ("expect",)

    def __init__(self, expect: Callable[[], float | None] = lambda: None) -> None:
        self.expect = expect

    def get_next_fire_time(self, previous_fire_time: datetime | None,
                           now: datetime) -> datetime:
        delay = self.expect()
        if delay is None or delay < MIN_GAP_S:  # never at or before now: apscheduler loops
            return now + PARKED
        return now + timedelta(seconds=delay)

    def __str__(self) -> str:  # apscheduler's log lines name the trigger
        return "set by the job"


class FeedScheduler:
    """Runs a feed's polls on apscheduler and follows its providers' push streams."""

    def __init__(self, feed: Feed) -> None:
        self.feed = feed
        self.scheduler: AsyncIOScheduler | None = None
        self.streams: dict[str, asyncio.Task[None]] = {}
        #: Completed runs of each scheduled job, and an event pulsed after each one.
        self._runs: Counter[str] = Counter()
        self._ran = asyncio.Event()
        #: Jobs running now, and those a refresh asked to run again as soon as they end.
        self._active: set[DataKind] = set()
        self._again: set[DataKind] = set()
        #: How a failed stream waits before it is followed again (a test makes it instant).
        self.sleep: Callable[[float], Awaitable[None]] = asyncio.sleep

    @property
    def running(self) -> bool:
        """True while the scheduler runs (not when stopped or paused)."""
        return self.scheduler is not None and self.scheduler.state == STATE_RUNNING

    def next_polls(self, now: datetime) -> dict[str, datetime]:
        """When each kind's job runs next, moved onto the feed's clock (``now``). A job that is
        running now has no next run yet (it is parked until it ends), so it is left out."""
        if not self.running or self.scheduler is None:
            return {}
        wall, out = datetime.now().astimezone(), {}
        for kind in DataKind:
            if kind in self._active:
                continue
            job = self.scheduler.get_job(kind.value)
            if job is not None and job.next_run_time is not None:
                out[kind.value] = now + (job.next_run_time - wall)
        return out

    def start(self, kinds: Collection[DataKind]) -> None:
        """Schedule the jobs of ``kinds``, each polling once at once; follow push streams."""
        feed = self.feed
        self.scheduler = AsyncIOScheduler(event_loop=asyncio.get_running_loop())
        for kind, poll in ((DataKind.QUOTES, feed.poll_quotes),
                           (DataKind.HISTORY, feed.poll_history),
                           (DataKind.NEWS, feed.poll_news)):
            if kind in kinds:
                self.scheduler.add_job(
                    self._job(kind, poll), SetByTheJob(self._expected(kind)), id=kind.value,
                    name=f"{kind.value} poll", max_instances=1, coalesce=True,
                    misfire_grace_time=None, next_run_time=datetime.now().astimezone(),
                )
        self.scheduler.add_listener(self._submitted, EVENT_JOB_SUBMITTED)
        self.scheduler.add_listener(self._ended, EVENT_JOB_EXECUTED | EVENT_JOB_ERROR)
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

    def _expected(self, kind: DataKind) -> Callable[[], float | None]:
        """When a run of ``kind`` starting now will set the next one, where that is known
        before it runs: the simulated exchange's quotes, polled on its whole seconds whatever a
        poll brings. Elsewhere (None) the poll's outcome decides (a failure's backoff, a
        market that closed), and a job parked while it runs can never be due beside itself."""
        feed = self.feed

        def expected() -> float | None:
            if kind is DataKind.QUOTES and feed.simulated:
                return feed.next_quote_delay()
            return None

        return expected

    def _job(self, kind: DataKind,
             poll: Callable[[], Awaitable[object]]) -> Callable[[], Awaitable[None]]:
        """The scheduled job of ``kind``: one poll (its next run is set once apscheduler has
        released it, in :meth:`_ended`). It ends quietly when the app exits mid-poll
        (apscheduler would log a traceback). Any other exception is logged with its traceback
        and shown in the health view as ``<kind> job``; later polls still run."""

        async def job() -> None:
            try:
                await poll()
            except asyncio.CancelledError:
                log.debug("%s poll cancelled at shutdown", kind.value)
            except Exception as exc:
                log.exception("the %s job failed", kind.value)
                self.feed.job_failed(kind.value, exc)
            else:
                self.feed.job_succeeded(kind.value)

        job.__name__ = f"poll_{kind.value}"
        return job

    def _submitted(self, event: JobEvent) -> None:
        """apscheduler has taken a run of the job (it counts as running from here)."""
        self._active.add(DataKind(event.job_id))

    def _ended(self, event: JobExecutionEvent) -> None:
        """apscheduler's word that a run has ended (its instance released): count it for
        run_all_now, then let the job set its next run."""
        kind = DataKind(event.job_id)
        self._active.discard(kind)
        self._runs[kind.value] += 1
        self._ran.set()
        self._ran = asyncio.Event()
        self.reschedule(kind)

    def reschedule(self, kind: DataKind) -> None:
        """Set when the ``kind`` job next runs: now when a refresh came while it ran, else when
        the feed says that kind is next due (plus jitter); left alone when its trigger set it
        there already. A running job is left alone: it sets its next run when it ends."""
        scheduler = self.scheduler
        if scheduler is None or scheduler.state == STATE_STOPPED or kind in self._active:
            return
        job = scheduler.get_job(kind.value)
        if job is None:
            return
        if kind in self._again:  # the run that ended began before the refresh: run again
            self._again.discard(kind)
            self.feed.make_due(kind)
            delay = 0.0
        else:
            try:
                delay = self.feed.next_delay(kind)
            except Exception:  # a bug; the kind's interval keeps it polling meanwhile
                log.exception("could not work out when to poll %s next", kind.value)
                delay = self.feed.interval(kind)
            delay = max(MIN_GAP_S, delay) + self.feed.rng.uniform(0.0, JITTER_S[kind])
        at = datetime.now().astimezone() + timedelta(seconds=delay)
        if job.next_run_time is not None \
                and abs((job.next_run_time - at).total_seconds()) < SAME_RUN_S:
            return  # set there when the run began: moving it would wake the scheduler again
        scheduler.modify_job(kind.value, next_run_time=at)

    async def run_all_now(self) -> None:
        """Run every job now (one already running runs again once it ends, never beside
        itself) and wait until each has run from the start after this call."""
        scheduler = self.scheduler
        if scheduler is None:
            return
        kinds = [DataKind(job.id) for job in scheduler.get_jobs()]
        before = {kind: self._runs[kind.value] + (kind in self._active) for kind in kinds}
        now = datetime.now().astimezone()
        for kind in kinds:
            if kind in self._active:
                self._again.add(kind)
            else:
                scheduler.modify_job(kind.value, next_run_time=now)
        while any(self._runs[kind.value] <= before[kind] for kind in kinds):
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

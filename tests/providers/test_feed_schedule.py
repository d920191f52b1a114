"""One cadence mechanism: each job sets its own next run; `r` moves them to now, never doubled."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from neodymium.config.settings import Settings
from neodymium.providers.clock import FrozenClock
from neodymium.providers.models import DataKind
from neodymium.providers.runtime import Runtime

from tests.fakeupstream import FakeUpstream

SHANGHAI = ZoneInfo("Asia/Shanghai")
WATCH = {"primary": "600111.SS", "symbols": ["600111.SS"], "compare": ["159713.SZ"]}


async def test_refresh_waits_for_a_running_poll_instead_of_overlapping_it() -> None:
    runtime = Runtime(Settings.model_validate({"watch": WATCH}),
                      clock=FrozenClock(datetime(2026, 1, 23, 10, 30, tzinfo=SHANGHAI)),
                      demo=True, seed=2)
    await runtime.open()
    feed = runtime.feed
    original = feed.poll_quotes
    gate, started = asyncio.Event(), asyncio.Event()
    active = peak = 0

    async def held_poll():
        nonlocal active, peak
        active += 1
        peak = max(peak, active)
        started.set()
        try:
            await gate.wait()
            return await original()
        finally:
            active -= 1

    feed.poll_quotes = held_poll
    try:
        await runtime.start()
        await started.wait()  # the scheduled first poll is running, held at the gate
        refresh = asyncio.create_task(feed.refresh_now())
        for _ in range(20):  # give the scheduler every chance to start a second poll
            await asyncio.sleep(0)
        assert not refresh.done()
        gate.set()
        await refresh
        assert peak == 1
        assert feed.latest is not None and "600111.SS" in feed.latest.quotes
    finally:
        await runtime.close()


async def test_the_next_quote_poll_is_set_by_the_session_calendar(
        fake_upstream: FakeUpstream) -> None:
    lunch = datetime(2026, 8, 21, 12, 0, tzinfo=SHANGHAI)
    settings = Settings.model_validate({
        "watch": {**WATCH, "compare": []},
        "quotes": {"providers": ["tencent"], "interval": 5, "slow_interval": 300},
        "providers": {"tencent": {"base_url": fake_upstream.base_url, "min_interval": 0}},
    })
    runtime = Runtime(settings, clock=FrozenClock(lunch), kinds={DataKind.QUOTES})
    await runtime.open()
    try:
        await runtime.start()
        await runtime.feed.refresh_now()
        assert runtime.feed.next_quote_delay() == 300.0  # lunch: the slow cadence
        job = runtime.feed.scheduler.get_job("quotes")
        wait = (job.next_run_time - datetime.now().astimezone()).total_seconds()
        assert 250 < wait <= 300  # not the 5 s interval the job was created with
    finally:
        await runtime.close()


async def test_refresh_with_the_scheduler_paused_polls_directly() -> None:
    runtime = Runtime(Settings.model_validate({"watch": WATCH}),
                      clock=FrozenClock(datetime(2026, 1, 23, 10, 30, tzinfo=SHANGHAI)),
                      demo=True)
    await runtime.open()
    try:
        await runtime.start()
        runtime.feed.scheduler.pause()
        before = runtime.feed.latest.version if runtime.feed.latest else 0
        await asyncio.wait_for(runtime.feed.refresh_now(), 10)  # a paused job would never run
        assert runtime.feed.latest is not None and runtime.feed.latest.version > before
    finally:
        await runtime.close()


# -- each job's next run, on a fake clock ------------------------------------------------------

def _feed_at(local: datetime, *, fail: Exception | None = None):
    from tests.providers.test_feed import Scripted, make_feed

    clock = FrozenClock(local)
    only = Scripted("only", clock)
    asked: list[datetime] = []
    original = only.fetch_history

    async def history(symbol, start, end):
        asked.append(clock())
        if only.fail is not None:
            raise only.fail
        return await original(symbol, start, end)

    only.fetch_history = history  # type: ignore[method-assign]
    only.fail = fail
    return make_feed(clock, only), clock, only, asked


async def test_after_bars_arrive_history_is_next_due_an_interval_later() -> None:
    feed, _, _, asked = _feed_at(datetime(2026, 8, 21, 10, 0, tzinfo=SHANGHAI))
    assert feed.next_delay(DataKind.HISTORY) == 0.0  # never fetched: due now
    await feed.poll_history()
    assert len(asked) == 1
    assert feed.next_delay(DataKind.HISTORY) == 3600.0  # the [history] interval
    assert feed.next_delay(DataKind.NEWS) == 60.0  # news: its interval


async def test_after_a_failure_history_retries_once_the_backoff_allows() -> None:
    from neodymium.providers.errors import ProviderUnavailable, RateLimited

    feed, clock, only, asked = _feed_at(datetime(2026, 8, 21, 10, 0, tzinfo=SHANGHAI),
                                        fail=ProviderUnavailable("only", "down"))
    await feed.poll_history()
    assert feed.next_delay(DataKind.HISTORY) == 60.0  # a short backoff: a minute on
    clock.advance(60)
    only.fail = RateLimited("only", "429", retry_after=300)
    await feed.poll_history()
    assert len(asked) == 2
    assert feed.next_delay(DataKind.HISTORY) == 300.0  # the upstream asked for five minutes
    clock.advance(300)
    only.fail = None
    await feed.poll_history()
    assert len(asked) == 3 and feed.next_delay(DataKind.HISTORY) == 3600.0


async def test_history_is_next_due_right_after_the_close_and_only_once() -> None:
    feed, clock, _, asked = _feed_at(datetime(2026, 8, 21, 14, 30, tzinfo=SHANGHAI))
    await feed.poll_history()
    assert feed.next_delay(DataKind.HISTORY) == 31 * 60.0  # 15:01, not 15:30
    clock.advance(31 * 60)
    await feed.poll_history()
    assert len(asked) == 2
    # Friday 15:01: the next close is Monday's, so the interval comes first.
    assert feed.next_delay(DataKind.HISTORY) == 3600.0
    clock.advance(3600)
    await feed.poll_history()
    assert len(asked) == 3 and feed.next_delay(DataKind.HISTORY) == 3600.0


async def test_the_jobs_run_when_their_kinds_are_next_due_and_r_runs_them_now() -> None:
    feed, clock, _, asked = _feed_at(datetime(2026, 8, 21, 14, 30, tzinfo=SHANGHAI))
    try:
        await feed.start()
        await feed.refresh_now()  # the first runs, whichever had not ended yet
        polls = feed.next_polls()
        # apscheduler keeps wall time: allow for the jitter and the moments since each run.
        for kind, wait in {"history": 31 * 60.0, "news": 60.0, "quotes": 5.0}.items():
            ahead = (polls[kind] - clock()).total_seconds()
            assert wait - 1.0 < ahead <= wait + 0.5, kind
        fetched = len(asked)
        await feed.refresh_now()  # r: every job at once, then back on its own time
        assert len(asked) == fetched + 1
        ahead = (feed.next_polls()["history"] - clock()).total_seconds()
        assert 31 * 60 - 1.0 < ahead <= 31 * 60 + 0.5
    finally:
        await feed.stop()


async def test_r_during_a_running_poll_runs_it_again_once_it_ends() -> None:
    feed, _, only, asked = _feed_at(datetime(2026, 8, 21, 10, 0, tzinfo=SHANGHAI))
    gate, started = asyncio.Event(), asyncio.Event()
    fetch = only.fetch_history

    async def held(symbol, start, end):
        started.set()
        await gate.wait()
        return await fetch(symbol, start, end)

    only.fetch_history = held  # type: ignore[method-assign]
    try:
        await feed.start({DataKind.HISTORY})
        await started.wait()
        refresh = asyncio.create_task(feed.refresh_now())
        for _ in range(20):
            await asyncio.sleep(0)
        assert not refresh.done() and len(asked) == 0  # not beside the running poll
        gate.set()
        await refresh
        assert len(asked) == 2  # the poll under way, then the refresh's own
    finally:
        await feed.stop()


async def test_a_symbol_added_to_the_watch_has_its_history_fetched_at_once() -> None:
    feed, clock, _, asked = _feed_at(datetime(2026, 8, 21, 10, 0, tzinfo=SHANGHAI))
    try:
        await feed.start({DataKind.HISTORY})
        await feed.refresh_now()
        assert (feed.next_polls()["history"] - clock()).total_seconds() > 3000
        fetched = len(asked)
        feed.set_watch(feed.settings.model_copy(update={"watch": feed.settings.watch.model_copy(
            update={"symbols": ["600111.SS", "600392.SS"]})}))
        assert feed.next_delay(DataKind.HISTORY) == 0.0  # the new symbol is due now
        assert (feed.next_polls()["history"] - clock()).total_seconds() < 1.0
        async with asyncio.timeout(30):  # a guard against hanging, not a measurement
            while len(asked) == fetched:  # the job runs on its own, no refresh
                await feed.arrived.wait()
                feed.arrived.clear()
        assert len(asked) == fetched + 1  # only the new symbol: the other is not due
        assert feed.next_delay(DataKind.HISTORY) == 3600.0
    finally:
        await feed.stop()


async def test_a_running_job_has_no_next_poll_until_it_sets_one() -> None:
    """While a poll runs its job is parked a day ahead; the header must not say "retrying in
    23h59m" from that placeholder, so the running kind has no next poll until the run ends."""
    runtime = Runtime(Settings.model_validate({"watch": WATCH}),
                      clock=FrozenClock(datetime(2026, 1, 23, 10, 30, tzinfo=SHANGHAI)),
                      demo=True, seed=2, kinds={DataKind.QUOTES})
    await runtime.open()
    feed = runtime.feed
    original = feed.poll_quotes
    gate, started = asyncio.Event(), asyncio.Event()

    async def held_poll():
        started.set()
        await gate.wait()
        return await original()

    feed.poll_quotes = held_poll
    try:
        await runtime.start()
        await started.wait()
        assert "quotes" not in feed.next_polls()
        gate.set()
        await feed.refresh_now()
        polls = feed.next_polls()
        assert "quotes" in polls
        assert (polls["quotes"] - feed.clock()).total_seconds() <= 60
    finally:
        await runtime.close()


async def test_the_demo_polls_on_the_simulated_exchange_s_whole_seconds() -> None:
    start = datetime(2026, 1, 23, 10, 30, tzinfo=SHANGHAI)
    clock = FrozenClock(start)
    settings = Settings.model_validate({"watch": WATCH, "quotes": {"interval": 1.0}})
    async with Runtime(settings, clock=clock, demo=True, seed=2) as runtime:
        feed = runtime.feed
        for offset, wait in ((0.0, 1.0), (0.25, 0.75), (0.7, 0.3), (0.9, 1.1)):
            clock.now = start + timedelta(seconds=offset)
            assert feed.next_quote_delay() == pytest.approx(wait), offset


# -- the simulated exchange's quotes: set at the run's start, not moved at its end ------------

def test_the_trigger_parks_unless_it_knows_the_next_run() -> None:
    from neodymium.providers.schedule import PARKED, SetByTheJob

    now = datetime(2026, 8, 21, 10, 0, 0, 2000, tzinfo=SHANGHAI)
    assert SetByTheJob().get_next_fire_time(None, now) == now + PARKED
    assert SetByTheJob(lambda: 0.998).get_next_fire_time(None, now) == \
        now + timedelta(seconds=0.998)
    # never at or before now (apscheduler would count run times forever)
    assert SetByTheJob(lambda: 0.0).get_next_fire_time(None, now) == now + PARKED


class _Wall(datetime):
    """``datetime.now()`` fixed, for reschedule's wall time."""

    fixed: datetime

    @classmethod
    def now(cls, tz=None):  # type: ignore[override]
        return cls.fixed if tz is None else cls.fixed.astimezone(tz)


async def test_a_demo_quote_run_leaves_the_next_run_its_start_set(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from neodymium.providers import schedule as schedule_module

    runtime = Runtime(Settings.model_validate({"watch": WATCH}),
                      clock=FrozenClock(datetime(2026, 1, 23, 10, 30, 0, 250000,
                                                 tzinfo=SHANGHAI)),
                      demo=True, seed=2)
    await runtime.open()
    try:
        await runtime.start()
        feed = runtime.feed
        scheduler = feed.scheduler
        scheduler.pause()
        schedule = feed.schedule
        _Wall.fixed = datetime(2026, 1, 23, 2, 30, 0, 250000).astimezone()
        monkeypatch.setattr(schedule_module, "datetime", _Wall)
        job = scheduler.get_job("quotes")
        # what apscheduler does when it starts a run: the trigger's next fire time
        started = job.trigger.get_next_fire_time(None, _Wall.fixed)
        assert (started - _Wall.fixed).total_seconds() == pytest.approx(0.75)
        scheduler.modify_job("quotes", next_run_time=started)
        moved: list[object] = []
        monkeypatch.setattr(scheduler, "modify_job", lambda *a, **k: moved.append(k))
        schedule.reschedule(DataKind.QUOTES)
        assert moved == []  # where the run's start put it: the scheduler is not woken again
        _Wall.fixed += timedelta(seconds=0.5)  # a run that ended half a second later
        schedule.reschedule(DataKind.QUOTES)
        assert len(moved) == 1
    finally:
        await runtime.close()


async def test_a_real_providers_quote_run_is_parked_until_it_ends(
        fake_upstream: FakeUpstream) -> None:
    from neodymium.providers.schedule import PARKED

    settings = Settings.model_validate({
        "watch": {**WATCH, "compare": []},
        "quotes": {"providers": ["tencent"], "interval": 5},
        "providers": {"tencent": {"base_url": fake_upstream.base_url, "min_interval": 0}},
    })
    runtime = Runtime(settings, clock=FrozenClock(datetime(2026, 8, 21, 10, 0,
                                                           tzinfo=SHANGHAI)),
                      kinds={DataKind.QUOTES})
    await runtime.open()
    try:
        await runtime.start()
        now = datetime.now().astimezone()
        job = runtime.feed.scheduler.get_job("quotes")
        assert job.trigger.get_next_fire_time(None, now) == now + PARKED
    finally:
        await runtime.close()

"""One cadence mechanism: the scheduler runs every poll, `r` included, and never two at once."""

from __future__ import annotations

import asyncio
from datetime import datetime
from zoneinfo import ZoneInfo

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

"""The composition root: client, providers, cache and feed, opened and closed as one."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
from neodymium.config.settings import Settings
from neodymium.providers.cache import Cache
from neodymium.providers.clock import FrozenClock
from neodymium.providers.feed import Feed
from neodymium.providers.models import DataKind
from neodymium.providers.runtime import Runtime, cache_for

from tests.fakeupstream import FakeUpstream

TRADING = datetime(2026, 8, 21, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def watch(**extra: object) -> Settings:
    return Settings.model_validate({
        "watch": {"primary": "600111.SS", "symbols": ["600111.SS"], "compare": ["REMX"]},
        **extra,
    })


def tencent(upstream: FakeUpstream) -> Settings:
    return watch(
        quotes={"providers": ["tencent"]}, history={"providers": ["tencent"]},
        news={"providers": ["tencent"]},
        providers={"tencent": {"base_url": upstream.base_url, "timeout": 2, "min_interval": 0}},
    )


async def test_demo_runtime_polls_once_and_closes_its_own_client() -> None:
    async with Runtime(watch(), clock=FrozenClock(TRADING), demo=True, seed=3,
                       kinds={DataKind.QUOTES}) as runtime:
        assert runtime.settings.quotes.providers == ["demo"]
        snapshot = await runtime.poll_once(timeout=10)
        client = runtime._client
        assert client is not None
    assert set(snapshot.quotes) == {"600111.SS", "REMX"}
    assert DataKind.NEWS not in snapshot.loaded  # only the kinds asked for are polled
    assert runtime.simulated
    assert runtime.feed.scheduler is None  # a one-shot poll schedules nothing
    assert client.is_closed


async def test_a_handed_in_client_is_left_open() -> None:
    async with httpx.AsyncClient() as client:
        runtime = Runtime(watch(), clock=FrozenClock(TRADING), demo=True, client=client)
        async with runtime:
            await runtime.poll_once(timeout=10)
        assert not client.is_closed
        await runtime.close()  # a second close does nothing


async def test_start_schedules_only_the_kinds_asked_for() -> None:
    runtime = Runtime(watch(), clock=FrozenClock(TRADING), demo=True,
                      kinds={DataKind.QUOTES, DataKind.NEWS})
    assert not runtime.is_open
    await runtime.open()
    try:
        await runtime.start()
        scheduler = runtime.feed.scheduler
        assert scheduler is not None
        assert {job.id for job in scheduler.get_jobs()} == {"quotes", "news"}
    finally:
        await runtime.close()


async def test_a_second_runtime_paints_the_first_ones_quotes_from_the_cache(
        tmp_path: Path, fake_upstream: FakeUpstream) -> None:
    path = tmp_path / "cache.sqlite3"
    settings = tencent(fake_upstream)
    async with Runtime(settings, clock=FrozenClock(TRADING), cache=Cache(path),
                       kinds={DataKind.QUOTES}) as first:
        polled = await first.poll_once(timeout=10)
    assert polled.quotes["600111.SS"].quote.name == "北方稀土"

    second = Runtime(settings, clock=FrozenClock(TRADING), cache=Cache(path))
    assert await second.open() == []
    try:
        second.feed.warm_from_cache()
        warmed = second.feed.latest
        assert warmed is not None
        state = warmed.quotes["600111.SS"]
        assert state.from_cache
        assert state.quote.last == polled.quotes["600111.SS"].quote.last
    finally:
        await second.close()


def test_cache_for_never_gives_the_demo_a_cache(tmp_path: Path) -> None:
    settings = watch(cache={"path": str(tmp_path / "c.sqlite3")})
    cache = cache_for(settings)
    assert cache is not None and cache.path == tmp_path / "c.sqlite3"
    assert cache_for(settings, demo=True) is None
    assert cache_for(settings, disabled=True) is None
    assert cache_for(watch(cache={"enabled": False})) is None


async def test_stop_pauses_polling_and_start_resumes_on_the_same_feed(
        tmp_path: Path, fake_upstream: FakeUpstream) -> None:
    path = tmp_path / "cache.sqlite3"
    settings = tencent(fake_upstream)
    async with Runtime(settings, clock=FrozenClock(TRADING), cache=Cache(path),
                       kinds={DataKind.QUOTES}) as first:
        await first.poll_once(timeout=10)

    runtime = Runtime(settings, clock=FrozenClock(TRADING), cache=Cache(path),
                      kinds={DataKind.QUOTES})
    await runtime.open()
    try:
        feed = runtime.feed
        await runtime.start()
        assert feed.scheduler is not None and feed.scheduler.running
        await runtime.stop()
        assert feed.scheduler is None
        await feed.refresh_now()  # the providers are still open after a pause
        polled = feed.latest
        assert polled is not None and not polled.quotes["600111.SS"].from_cache
        await runtime.start()
        assert runtime.feed is feed and feed.scheduler is not None
        # The cache painted once: a resumed poll keeps the polled state, not the cached one.
        assert feed.latest is not None and not feed.latest.quotes["600111.SS"].from_cache
    finally:
        await runtime.close()


async def test_direct_polls_even_when_the_config_names_a_relay() -> None:
    settings = watch(feed={"source": "nats://127.0.0.1:4222"})
    relayed = Runtime(settings, demo=True)
    direct = Runtime(settings, demo=True, direct=True)
    await relayed.open()
    await direct.open()
    try:
        assert type(relayed.feed).__name__ == "RelayFeed"
        assert type(direct.feed) is Feed
    finally:
        await relayed.close()
        await direct.close()

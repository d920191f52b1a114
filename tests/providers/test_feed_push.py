"""The push hook: a provider's stream of updates feeds the same store as polling."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from datetime import datetime, timedelta
from typing import ClassVar
from zoneinfo import ZoneInfo

import httpx
from neodymium.config.settings import Settings
from neodymium.providers.base import Provider
from neodymium.providers.clock import FrozenClock
from neodymium.providers.errors import ProviderUnavailable
from neodymium.providers.models import DataKind, Quote, QuoteBatch
from neodymium.providers.runtime import Runtime
from neodymium.providers.store import Snapshot
from neodymium.providers.symbols import Symbol

NOW = datetime(2026, 8, 21, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


class Pushing(Provider):
    """Pushes the prices it is handed through a queue; a ProviderError fails the stream."""

    name: ClassVar[str] = "pushing"
    kinds: ClassVar[frozenset[DataKind]] = frozenset({DataKind.QUOTES})
    pushes: ClassVar[bool] = True

    def __init__(self, client: httpx.AsyncClient, clock: FrozenClock) -> None:
        super().__init__(client, clock=clock)
        self.updates: asyncio.Queue[float | Exception | None] = asyncio.Queue()
        self.subscriptions: list[list[str]] = []

    async def fetch_quotes(self, symbols: Sequence[Symbol]) -> QuoteBatch:
        return QuoteBatch(quotes={}, errors={})  # this source only pushes

    async def stream(self, symbols: Sequence[Symbol]) -> AsyncIterator[QuoteBatch]:
        self.subscriptions.append([s.key for s in symbols])
        while (update := await self.updates.get()) is not None:
            if isinstance(update, Exception):
                raise update
            self.clock_step()
            yield QuoteBatch(quotes={s.key: Quote(s.key, self.clock(), self.name, last=update)
                                     for s in symbols}, errors={})

    def clock_step(self) -> None:
        assert isinstance(self.clock, FrozenClock)
        self.clock.advance(1)


async def test_pushed_updates_reach_subscribers_and_a_failed_stream_is_resubscribed() -> None:
    clock = FrozenClock(NOW)
    settings = Settings.model_validate({
        "watch": {"primary": "600111.SS", "symbols": ["600111.SS"], "compare": []},
        "quotes": {"providers": ["pushing"]},
    })
    async with httpx.AsyncClient() as client:
        pushing = Pushing(client, clock)
        runtime = Runtime(settings, clock=clock, kinds={DataKind.QUOTES}, client=client,
                          providers={"pushing": pushing})
        await runtime.open()
        seen: asyncio.Queue[float] = asyncio.Queue()
        last: list[float | None] = [None]

        def changed(snap: Snapshot) -> None:
            state = snap.quotes.get("600111.SS")
            if state is not None and state.quote.last != last[0]:
                last[0] = state.quote.last
                seen.put_nowait(state.quote.last)

        runtime.feed.subscribe(changed)
        waits: list[float] = []

        async def waited(seconds: float) -> None:
            waits.append(seconds)
            clock.advance(seconds)

        try:
            await runtime.start()
            runtime.feed.schedule.sleep = waited
            pushing.updates.put_nowait(50.5)
            assert await seen.get() == 50.5
            pushing.updates.put_nowait(ProviderUnavailable("pushing", "socket closed"))
            pushing.updates.put_nowait(51.0)  # read by the second subscription
            assert await seen.get() == 51.0
            assert pushing.subscriptions == [["600111.SS"], ["600111.SS"]]
            assert len(waits) == 1 and waits[0] >= 1.0  # resubscribed after the backoff
            health = runtime.feed.latest.health["pushing"]
            assert health.errors == {"unavailable": 1}
            assert health.state == "ok"  # the update after the failure cleared it
        finally:
            await runtime.close()
        assert not runtime.feed.schedule.streams  # stopped with the runtime
    assert clock() - NOW >= timedelta(seconds=3)

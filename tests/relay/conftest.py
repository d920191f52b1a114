"""Fixtures for the relay: a JetStream server, settings against the fake upstream, a relay."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from neodymium.config.settings import Settings
from neodymium.providers.factory import build_providers
from neodymium.providers.relay.publisher import Relay
from neodymium.providers.relay.subscriber import RelayFeed
from neodymium.providers.runtime import Runtime

from tests.fakeupstream import FakeUpstream
from tests.relay.natsserver import MISSING, NatsServer, server_binary

HTTP_PROVIDERS = ("tencent", "sina", "eastmoney", "yahoo", "sina-roll",
                  "eastmoney-announcements")


def relay_settings(upstream: FakeUpstream, url: str, **feed: Any) -> Settings:
    """The real providers against the fake upstream; a short lease and heartbeat."""
    return Settings.model_validate(relay_config(upstream, url, **feed))


def relay_config(upstream: FakeUpstream, url: str, **feed: Any) -> dict[str, Any]:
    """The same settings as a config mapping (for a relay run as a process)."""
    return {
        "watch": {"primary": "600111.SS", "symbols": ["600111.SS"],
                  "compare": ["159713.SZ", "REMX"]},
        "quotes": {"providers": ["tencent", "sina", "yahoo"], "interval": 1.0},
        "history": {"providers": ["tencent", "yahoo"]},
        "news": {"providers": ["sina-roll"]},
        # A loaded CI machine can keep the local upstream's answer past half a second; a
        # timeout then backs the provider off and the price comes too late for the test.
        "providers": {name: {"base_url": upstream.base_url, "timeout": 5.0, "min_interval": 0}
                      for name in HTTP_PROVIDERS},
        "feed": {"source": url, **feed},
        "relay": {"url": url, "lease_ttl": 2.0, "heartbeat": 0.25},
        "cache": {"enabled": False},
    }


@pytest.fixture
def nats_server(tmp_path: Path) -> Iterator[NatsServer]:
    """A running JetStream server on 127.0.0.1 (skipped when the binary is missing)."""
    if server_binary() is None:
        pytest.skip(MISSING)
    server = NatsServer(tmp_path / "js").start()
    yield server
    server.stop()


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient() as client:
        yield client


@pytest.fixture
async def start_relay(http: httpx.AsyncClient) -> AsyncIterator[Callable[..., Any]]:
    """Start in-process relays; each is stopped (lease released) at the end."""
    running: list[tuple[asyncio.Event, asyncio.Task[None]]] = []

    async def start(settings: Settings, url: str, relay_id: str = "relay-a") -> Relay:
        relay = Relay(Runtime(settings, client=http, direct=True), url, relay_id=relay_id)
        stop = asyncio.Event()
        task = asyncio.create_task(relay.run(stop))
        task.add_done_callback(lambda done: _report_early_end(done, relay_id, stop))
        running.append((stop, task))
        return relay

    yield start
    for stop, task in running:
        stop.set()
        with contextlib.suppress(Exception):
            await asyncio.wait_for(task, 10)


def _report_early_end(task: asyncio.Task[None], relay_id: str, stop: asyncio.Event) -> None:
    """Log why a relay ended before the test stopped it: otherwise a test waiting for its
    values only times out, and the cause is suppressed at teardown."""
    if stop.is_set() or task.cancelled() or task.exception() is None:
        return
    error = task.exception()
    logging.getLogger(__name__).error("relay %s ended early: %s: %s", relay_id,
                                      type(error).__name__, error, exc_info=error)


@pytest.fixture
async def subscribe(http: httpx.AsyncClient) -> AsyncIterator[Callable[..., Any]]:
    """Start subscriber feeds; each is stopped at the end."""
    feeds: list[RelayFeed] = []

    async def start(settings: Settings) -> RelayFeed:
        feed = RelayFeed(settings, build_providers(settings, http))
        feeds.append(feed)
        await feed.start()
        return feed

    yield start
    for feed in feeds:
        await feed.stop()

"""A relay whose NATS server has no JetStream: it says so, keeps running, and publishes once
the server is restarted with JetStream; subscribers name the same cause."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
from neodymium.providers.relay.status import LinkState
from neodymium.providers.relay.subscriber import RelayFeed

from tests.fakeupstream import FakeUpstream
from tests.relay.conftest import relay_settings
from tests.relay.natsserver import MISSING, NatsServer, eventually, server_binary

PRIMARY = "600111.SS"
NO_JETSTREAM = "JetStream is not enabled on this server (start nats-server with -js)"


@pytest.fixture
def plain_server(tmp_path: Path) -> Iterator[NatsServer]:
    """A running NATS server on 127.0.0.1 without JetStream."""
    if server_binary() is None:
        pytest.skip(MISSING)
    server = NatsServer(tmp_path / "js", jetstream=False).start()
    yield server
    server.stop()


def has_quote(feed: RelayFeed) -> bool:
    return feed.latest is not None and PRIMARY in feed.latest.quotes


async def test_a_relay_reports_missing_jetstream_and_publishes_once_it_is_there(
        fake_upstream: FakeUpstream, plain_server: NatsServer, start_relay,
        subscribe) -> None:
    settings = relay_settings(fake_upstream, plain_server.url)
    relay = await start_relay(settings, plain_server.url)
    reports: list[str] = []
    relay.report = reports.append
    relay.open_retry_s = (0.05, 0.2)
    await eventually(lambda: reports, 10, "the relay's report")
    assert reports == [f"relay 127.0.0.1:{plain_server.port}: {NO_JETSTREAM}; trying again "
                       "every 0.2 s at most"]
    feed = await subscribe(settings)
    await eventually(lambda: feed.status.reason == NO_JETSTREAM, 10,
                     "the subscriber naming the cause")
    assert feed.status.state is LinkState.UNREACHABLE
    assert not relay.stopped.is_set() and len(reports) == 1  # said once, still running

    plain_server.stop()
    plain_server.jetstream = True
    plain_server.start()
    await eventually(lambda: has_quote(feed) and feed.status.state is LinkState.LIVE, 20,
                     "values through the relay once JetStream is there")
    assert reports[-1] == f"relay 127.0.0.1:{plain_server.port}: bucket 'neodymium' open"


async def test_a_relay_stopped_while_waiting_for_jetstream_ends_cleanly(
        fake_upstream: FakeUpstream, plain_server: NatsServer, start_relay) -> None:
    settings = relay_settings(fake_upstream, plain_server.url)
    relay = await start_relay(settings, plain_server.url)
    reports: list[str] = []
    relay.report = reports.append
    await eventually(lambda: reports, 10, "the relay's report")
    await asyncio.wait_for(relay.stop(), 5)
    assert relay.stopped.is_set() and not relay.active.is_set()

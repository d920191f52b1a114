"""A relay started before its NATS server waits for it (saying so once) and publishes once it
is up; a server that refuses the relay's credentials ends the run with the reason (exit 1)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from neodymium.config.settings import Settings
from neodymium.providers.relay.connect import RelayConnectError, connect
from neodymium.providers.relay.publisher import Relay
from neodymium.providers.relay.service import serve_relay
from neodymium.providers.relay.status import LinkState
from neodymium.providers.relay.subscriber import RelayFeed
from neodymium.providers.runtime import Runtime

from tests.fakeupstream import FakeUpstream
from tests.relay.conftest import relay_config, relay_settings
from tests.relay.natsserver import MISSING, NatsServer, eventually, server_binary

PRIMARY = "600111.SS"


@pytest.fixture
def not_yet_started(tmp_path: Path) -> NatsServer:
    """A NATS server with its port chosen but not running (yet)."""
    if server_binary() is None:
        pytest.skip(MISSING)
    return NatsServer(tmp_path / "js")


async def test_a_relay_waits_for_its_server_and_publishes_once_it_is_up(
        fake_upstream: FakeUpstream, not_yet_started: NatsServer, http,
        subscribe) -> None:
    server = not_yet_started
    settings = relay_settings(fake_upstream, server.url)
    reports: list[str] = []
    relay = Relay(Runtime(settings, client=http, direct=True), server.url,
                  relay_id="relay-a", report=reports.append)
    relay.open_retry_s = (0.05, 0.2)
    stop = asyncio.Event()
    running = asyncio.create_task(relay.run(stop))
    try:
        await eventually(lambda: len(reports) >= 1, 10, "the relay's report")
        host = f"127.0.0.1:{server.port}"
        assert reports[0].startswith(f"relay {host}: unreachable (")
        assert reports[0].endswith("; trying again every 0.2 s at most")
        assert not running.done()
        server.start()
        try:
            await eventually(relay.active.is_set, 20, "the relay active once NATS is up")
            assert reports[1:] == [f"relay {host}: connected"]  # no bucket trouble to tell
            feed: RelayFeed = await subscribe(settings)
            await eventually(lambda: feed.latest is not None and PRIMARY in feed.latest.quotes
                             and feed.status.state is LinkState.LIVE, 20,
                             "values through the relay")
        finally:
            stop.set()
            await asyncio.wait_for(running, 10)
    finally:
        server.stop()
        if not running.done():
            running.cancel()


async def test_a_relay_stopped_while_waiting_for_its_server_ends_cleanly(
        fake_upstream: FakeUpstream, not_yet_started: NatsServer, http) -> None:
    settings = relay_settings(fake_upstream, not_yet_started.url)
    reports: list[str] = []
    relay = Relay(Runtime(settings, client=http, direct=True), not_yet_started.url,
                  report=reports.append)
    stop = asyncio.Event()
    running = asyncio.create_task(relay.run(stop))
    await eventually(lambda: reports, 10, "the relay's report")
    await asyncio.wait_for(relay.stop(), 5)
    assert running.done() and running.exception() is None
    assert relay.stopped.is_set() and not relay.active.is_set()


async def test_a_refused_token_ends_the_relay_with_the_reason(
        fake_upstream: FakeUpstream, tmp_path: Path, capsys) -> None:
    if server_binary() is None:
        pytest.skip(MISSING)
    server = NatsServer(tmp_path / "js", token="right-token-123").start()
    try:
        config = relay_config(fake_upstream, server.url)
        config["relay"]["token"] = "wrong-token-456"
        settings = Settings.model_validate(config)
        status = await asyncio.wait_for(serve_relay(settings, server.url), 20)
    finally:
        server.stop()
    err = capsys.readouterr().err
    assert status == 1
    assert (f"neodymium: relay 127.0.0.1:{server.port}: authorization refused "
            "(check token, user/password or creds)") in err
    assert "trying again" not in err and "wrong-token-456" not in err


async def test_nobody_listening_is_not_lasting(not_yet_started: NatsServer) -> None:
    with pytest.raises(RelayConnectError) as raised:
        await connect(not_yet_started.url, Settings().relay, name="test")
    assert raised.value.lasting is False
    assert str(raised.value).startswith(f"relay 127.0.0.1:{not_yet_started.port}: unreachable")

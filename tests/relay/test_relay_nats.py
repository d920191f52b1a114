"""A relay and subscribers on a real nats-server with JetStream, against the fake upstream.

Values arrive with the upstream's own time, late joiners paint from the bucket (even with the
relay gone), a killed relay's standby takes over within the lease, a server that stops and
returns is reported and then followed again (polling directly meanwhile when so configured),
and a wrong token is refused without being shown.
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import tomlkit
from neodymium.providers.relay import codec, keys
from neodymium.providers.relay.connect import RelayConnectError, connect
from neodymium.providers.relay.status import LinkState
from neodymium.providers.relay.subscriber import RelayFeed
from neodymium.tui.view import relay_note

from tests.fakeupstream import FakeUpstream
from tests.relay.conftest import relay_config, relay_settings
from tests.relay.natsserver import NatsServer, eventually

PRIMARY = "600111.SS"


def has_quote(feed: RelayFeed, symbol: str = PRIMARY) -> bool:
    return feed.latest is not None and symbol in feed.latest.quotes


async def test_values_arrive_with_the_upstreams_time(fake_upstream: FakeUpstream,
                                                     nats_server: NatsServer,
                                                     start_relay, subscribe) -> None:
    settings = relay_settings(fake_upstream, nats_server.url)
    relay = await start_relay(settings, nats_server.url)
    feed = await subscribe(settings)
    await eventually(lambda: has_quote(feed) and feed.status.state is LinkState.LIVE, 15,
                     "the primary's quote through the relay")
    state = feed.latest.quotes[PRIMARY]
    assert state.quote.name == "北方稀土"
    assert state.quote.source == "tencent"
    assert state.quote.as_of.utcoffset() is not None
    # The relay's receipt time travels with the value: the hop does not make it look fresher.
    assert state.received_at <= feed.clock()
    assert feed.latest.relay is not None and feed.latest.relay.active_relay
    assert any(name.startswith("relay ") for name in feed.latest.health)
    assert relay.counters.puts > 0
    note = relay_note(feed.latest.relay, feed.clock())
    assert note.startswith(f"via relay 127.0.0.1:{nats_server.port}")


async def _values_then_relay_stopped(settings, nats_server: NatsServer, start_relay,
                                     subscribe) -> RelayFeed:
    """A relay runs until a first subscriber has every watched quote, then stops; the
    subscriber is returned (its values are the bucket's last)."""
    relay = await start_relay(settings, nats_server.url)
    first = await subscribe(settings)
    await eventually(lambda: all(has_quote(first, s) for s in (PRIMARY, "159713.SZ", "REMX")),
                     15, "the relay's quotes")
    await relay.stop()
    return first


async def test_a_late_joiner_paints_from_the_bucket_with_the_relay_gone(
        fake_upstream: FakeUpstream, nats_server: NatsServer, start_relay, subscribe) -> None:
    settings = relay_settings(fake_upstream, nats_server.url)
    first = await _values_then_relay_stopped(settings, nats_server, start_relay, subscribe)
    last = first.latest.quotes[PRIMARY].quote
    late = await subscribe(settings)
    await eventually(lambda: has_quote(late) and has_quote(late, "REMX"), 5,
                     "a late joiner's first paint from the bucket")
    assert late.latest.quotes[PRIMARY].quote == last
    await eventually(lambda: late.status.state is LinkState.UNREACHABLE, 5,
                     "the silent relay reported as unreachable")
    assert relay_note(late.status, late.clock()).startswith("relay unreachable · last update")


async def test_a_late_joiner_finding_only_a_stepped_down_relay_reports_it_unreachable(
        fake_upstream: FakeUpstream, nats_server: NatsServer, start_relay, subscribe) -> None:
    settings = relay_settings(fake_upstream, nats_server.url)
    first = await _values_then_relay_stopped(settings, nats_server, start_relay, subscribe)
    # The last health record is one a relay put as it stepped down: it names no active relay.
    stepped_down = replace(first.relay_health, active=False, heartbeat_at=first.clock())
    await first._kv.put(keys.HEALTH, codec.encode("health", stepped_down, first.clock()))
    late = await subscribe(settings)
    await eventually(lambda: has_quote(late), 5, "the late joiner's paint from the bucket")
    await eventually(lambda: late.status.state is LinkState.UNREACHABLE, 5,
                     "no active relay reported as unreachable")
    assert late.relay_health is None
    assert late.status.reason == "no relay is active"
    assert relay_note(late.status, late.clock()).startswith("relay unreachable · last update")


async def test_a_symbol_added_to_the_watch_shows_its_last_value_from_the_bucket(
        fake_upstream: FakeUpstream, nats_server: NatsServer, start_relay, subscribe) -> None:
    settings = relay_settings(fake_upstream, nats_server.url)
    # Nothing is put again: the added symbol can only come from the bucket.
    first = await _values_then_relay_stopped(settings, nats_server, start_relay, subscribe)
    watch = settings.watch.model_copy(update={"compare": []})
    narrow = settings.model_copy(update={"watch": watch})
    feed = await subscribe(narrow)
    await eventually(lambda: has_quote(feed), 5, "the primary from the bucket")
    assert not has_quote(feed, "159713.SZ")
    feed.set_watch(settings)
    await eventually(lambda: has_quote(feed, "159713.SZ"), 5, "the added symbol's last value")
    assert (feed.latest.quotes["159713.SZ"].quote
            == first.latest.quotes["159713.SZ"].quote)


async def test_a_standby_relay_takes_over_within_the_lease(
        fake_upstream: FakeUpstream, nats_server: NatsServer, subscribe,
        tmp_path: Path) -> None:
    config = tmp_path / "relay.toml"
    config.write_text(tomlkit.dumps(relay_config(fake_upstream, nats_server.url)))
    settings = relay_settings(fake_upstream, nats_server.url)
    relays = [_relay_process(config, tmp_path / f"relay{n}.log") for n in range(2)]
    try:
        feed = await subscribe(settings)
        await eventually(lambda: feed.relay_health is not None and has_quote(feed), 30,
                         "the first relay's values")
        active = feed.relay_health.relay_id
        ids = {_relay_id(path) for _, path in relays}
        assert active in ids and len(ids) == 2
        holder = next(p for p, path in relays if _relay_id(path) == active)
        holder.send_signal(signal.SIGKILL)  # dies holding the lease
        killed_at = feed.clock()
        took = await eventually(
            lambda: feed.relay_health.relay_id != active
            and feed.latest.quotes[PRIMARY].received_at > killed_at, 10,
            "the standby's values")
        assert took <= settings.relay.lease_ttl + 3.0
        assert feed.status.state is LinkState.LIVE
    finally:
        for process, _ in relays:
            process.kill()
            process.wait(10)


def _relay_process(config: Path, log: Path) -> tuple[subprocess.Popen[bytes], Path]:
    handle = log.open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "neodymium.tui.cli", "--config", str(config), "relay"],
        stdout=subprocess.DEVNULL, stderr=handle, env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    return process, log


def _relay_id(log: Path) -> str | None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        for line in log.read_text().splitlines():
            if line.startswith("neodymium relay "):
                return line.split()[2].rstrip(":")
        time.sleep(0.05)
    return None


async def test_the_server_stops_and_returns(fake_upstream: FakeUpstream,
                                            nats_server: NatsServer, start_relay,
                                            subscribe) -> None:
    settings = relay_settings(fake_upstream, nats_server.url, fallback="direct")
    await start_relay(settings, nats_server.url)
    feed = await subscribe(settings)
    await eventually(lambda: has_quote(feed) and feed.status.state is LinkState.LIVE, 15,
                     "values through the relay")
    nats_server.stop()
    await eventually(lambda: feed.status.state is LinkState.UNREACHABLE, 10,
                     "the lost server reported")
    # Fallback: this subscriber polls the upstreams itself, on the same store, values kept.
    await eventually(lambda: feed.status.direct and feed.scheduler is not None, 5,
                     "direct polling")
    assert has_quote(feed)
    assert "polling directly" in relay_note(feed.status, feed.clock())
    before = feed.received
    nats_server.start()
    await eventually(lambda: feed.status.state is LinkState.LIVE and feed.received > before,
                     20, "the relay followed again after the server returned")
    # Direct polling stops as the relay is followed again (a task: wait for it, not a race).
    await eventually(lambda: not feed.status.direct and feed.scheduler is None, 5,
                     "direct polling stopped")


async def test_a_wrong_token_is_refused_and_never_shown(tmp_path: Path, caplog,
                                                        monkeypatch) -> None:
    from tests.relay.natsserver import MISSING, server_binary

    if server_binary() is None:
        import pytest

        pytest.skip(MISSING)
    server = NatsServer(tmp_path / "js", token="right-token-123").start()
    try:
        from neodymium.config.settings import RelaySettings

        caplog.set_level(logging.DEBUG)
        wrong = RelaySettings(token="wrong-token-456")
        try:
            await connect(server.url, wrong, name="test")
        except RelayConnectError as exc:
            message = str(exc)
        else:
            raise AssertionError("a wrong token was accepted")
        assert "authorization refused" in message
        assert f"127.0.0.1:{server.port}" in message
        assert "wrong-token-456" not in message and "wrong-token-456" not in caplog.text
        monkeypatch.setenv("NEODYMIUM_NATS_TOKEN", "right-token-123")
        client = await connect(server.url, wrong, name="test")
        assert client.is_connected
        await client.close()
        assert "right-token-123" not in caplog.text
    finally:
        server.stop()


async def test_the_health_view_lists_the_standby_too_and_it_takes_over(
        fake_upstream: FakeUpstream, nats_server: NatsServer, start_relay, subscribe) -> None:
    settings = relay_settings(fake_upstream, nats_server.url)
    first = await start_relay(settings, nats_server.url, relay_id="relay-a")
    await eventually(lambda: first.active.is_set(), 10, "the first relay holding the lease")
    second = await start_relay(settings, nats_server.url, relay_id="relay-b")
    feed = await subscribe(settings)

    def states() -> dict[str, str]:
        latest = feed.latest
        return {} if latest is None else {name: health.state
                                          for name, health in latest.health.items()
                                          if name.startswith("relay ")}

    await eventually(lambda: states() == {"relay relay-a": "ok", "relay relay-b": "standby"},
                     15, "both relays in the health view")
    assert not second.active.is_set() and second.counters.puts > 0  # its presence only
    await first.stop()  # releases the lease: the standby's runtime starts polling
    stopped_at = feed.clock()
    await eventually(lambda: states() == {"relay relay-b": "ok"}
                     and feed.latest.quotes[PRIMARY].received_at > stopped_at, 15,
                     "the standby polling, the stopped relay's row gone")
    assert second.active.is_set() and second.counters.activations == 1

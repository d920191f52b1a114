"""``neodymium serve`` in a real browser: a session subscribed to the relay shows its price.

The relay polls the fake upstream (with a price set for this test), ``serve`` runs with
``[feed] source`` naming the relay, and headless Chromium loads the page; the primary's price
must appear in the rendered terminal, with the header's ``via relay`` note.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import tomlkit

from tests.fakeupstream import FakeUpstream
from tests.relay.browser import MISSING, browser_paths, terminal_text
from tests.relay.conftest import relay_config, relay_settings
from tests.relay.natsserver import NatsServer, eventually, free_port, listening

pytestmark = pytest.mark.skipif(browser_paths() is None, reason=MISSING)


async def test_a_browser_session_shows_the_relays_price(
        fake_upstream: FakeUpstream, nats_server: NatsServer, start_relay,
        tmp_path: Path) -> None:
    fake_upstream.scenario.set("price:600111.SS", 47.31)
    settings = relay_settings(fake_upstream, nats_server.url)
    await start_relay(settings, nats_server.url)
    config = tmp_path / "serve.toml"
    config.write_text(tomlkit.dumps(relay_config(fake_upstream, nats_server.url)))
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "neodymium.tui.cli", "--config", str(config), "serve",
         "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        await eventually(lambda: listening(port), 30, "neodymium serve listening")
        text = await asyncio.to_thread(
            terminal_text, f"http://127.0.0.1:{port}",
            ["47.31", f"via relay 127.0.0.1:{nats_server.port}"], 60, tmp_path / "browser.png")
    finally:
        # textual-serve runs one app per session in the same process group: end them all.
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(10)
    assert "600111.SS" in text, text
    assert "47.31" in text, text
    assert f"via relay 127.0.0.1:{nats_server.port}" in text, text

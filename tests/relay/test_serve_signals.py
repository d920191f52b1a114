"""``neodymium serve`` stopped by a signal ends every browser session's app with it.

A real ``serve`` process (its own session, so its process group holds exactly it and the apps
it starts), a real websocket session that starts an app, then SIGTERM or SIGINT to ``serve``
alone: it must exit, and no process of its group may outlive it.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys

import aiohttp
import psutil
import pytest

from tests.relay.natsserver import eventually, free_port, listening


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
async def test_a_signal_ends_serve_and_every_sessions_app(sig: signal.Signals) -> None:
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "neodymium.tui.cli", "--demo", "--no-cache", "serve",
         "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )
    try:
        await eventually(lambda: listening(port), 30, "neodymium serve listening")
        async with aiohttp.ClientSession() as session, session.ws_connect(
                f"http://127.0.0.1:{port}/ws?width=80&height=24") as ws:
            received = 0
            while received < 1000:  # the session's app is drawing: it runs
                message = await ws.receive(timeout=30)
                assert message.type in (aiohttp.WSMsgType.BINARY, aiohttp.WSMsgType.TEXT)
                received += len(message.data)
            apps = psutil.Process(server.pid).children(recursive=True)
            assert any("neodymium.tui.cli" in " ".join(app.cmdline()) for app in apps)
            server.send_signal(sig)  # to serve alone, with the browser still connected
            code = await asyncio.to_thread(server.wait, 10)
        assert code == 0
        with pytest.raises(ProcessLookupError):  # nothing of its group is left
            os.killpg(server.pid, 0)
        assert not any(app.is_running() and app.status() != psutil.STATUS_ZOMBIE
                       for app in apps)
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(10)

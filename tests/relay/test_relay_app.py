"""The app and ``quote`` as subscribers: the screen says where its values come from and when the
relay is gone; ``quote`` prints the relay's values without polling the upstream itself."""

from __future__ import annotations

import asyncio
import json

from neodymium.config.settings import AlertRule
from neodymium.tui.app import NeodymiumApp
from neodymium.tui.oneshot import run_quote
from neodymium.tui.screens.modals import HealthScreen
from neodymium.tui.widgets.status_bar import StatusBar

from tests.fakeupstream import FakeUpstream
from tests.relay.conftest import relay_settings
from tests.relay.natsserver import NatsServer, eventually


async def test_the_header_says_via_relay_then_unreachable(
        fake_upstream: FakeUpstream, nats_server: NatsServer, start_relay) -> None:
    fake_upstream.scenario.set("price:600111.SS", 48.76)
    settings = relay_settings(fake_upstream, nats_server.url)
    relay = await start_relay(settings, nats_server.url)
    app = NeodymiumApp(settings)
    async with app.run_test(size=(120, 40)) as pilot:
        bar = app.query_one(StatusBar)
        await eventually(lambda: "via relay" in bar.plain()
                         and app.snapshot is not None and "600111.SS" in app.snapshot.quotes,
                         20, "the relay's values on screen")
        header = bar.plain()
        assert f"via relay 127.0.0.1:{nats_server.port} · relay " in header
        assert app.snapshot.quotes["600111.SS"].quote.last == 48.76
        await pilot.press("h")
        await pilot.pause()
        assert isinstance(app.screen, HealthScreen)
        assert any(name.startswith("relay ") for name in app.screen.health)
        await pilot.press("escape")
        await relay.stop()
        await eventually(lambda: "relay unreachable · last update" in bar.plain(), 10,
                         "the header reporting the relay gone")
        # The last values stay on screen.
        assert app.snapshot.quotes["600111.SS"].quote.last == 48.76


async def test_quote_prints_the_relays_values(fake_upstream: FakeUpstream,
                                              nats_server: NatsServer, start_relay,
                                              capsys) -> None:
    fake_upstream.scenario.set("price:600111.SS", 49.01)
    settings = relay_settings(fake_upstream, nats_server.url)
    relay = await start_relay(settings, nats_server.url)
    await asyncio.wait_for(relay.active.wait(), 20)
    status = await run_quote(settings, ["600111.SS"], as_json=True, timeout=20)
    printed = json.loads(capsys.readouterr().out)
    assert status == 0
    assert [q["symbol"] for q in printed["quotes"]] == ["600111.SS"]
    assert printed["quotes"][0]["last"] == 49.01
    assert printed["quotes"][0]["sources"] == ["tencent"]


async def test_quote_says_the_relay_is_unreachable(capsys) -> None:
    from neodymium.config.settings import Settings

    from tests.relay.natsserver import free_port

    settings = Settings(feed={"source": f"nats://127.0.0.1:{free_port()}"})
    status = await run_quote(settings, ["600111.SS"], as_json=True, timeout=20)
    printed = json.loads(capsys.readouterr().out)
    assert status == 1 and printed["quotes"] == []
    assert printed["errors"]["600111.SS"].startswith("relay unreachable: relay 127.0.0.1:")


async def test_alerts_run_once_reads_the_relay(fake_upstream: FakeUpstream,
                                              nats_server: NatsServer, start_relay) -> None:
    import io

    from neodymium.tui.alerts_cli import run_alerts

    settings = relay_settings(fake_upstream, nats_server.url).model_copy(update={
        "alerts": [AlertRule(symbol="600111.SS", when="price >= 1")]})
    relay = await start_relay(settings, nats_server.url)
    await asyncio.wait_for(relay.active.wait(), 20)
    # The subscriber's own upstreams lead nowhere: a quote it has came through the relay.
    dead = {name: table.model_copy(update={"base_url": "http://127.0.0.1:9"})
            for name, table in settings.providers.items()}
    subscriber = settings.model_copy(update={"providers": dead})
    out = io.StringIO()
    assert await run_alerts(subscriber, once=True, as_json=True, timeout=20, out=out) == 0

"""Alerts in the TUI: a crossing reaches the screen, the bell, the terminal and the pane."""

from __future__ import annotations

import pytest
from neodymium.config.settings import Settings
from neodymium.providers.clock import FrozenClock
from neodymium.tui import alerting
from neodymium.tui.app import AppOptions, NeodymiumApp
from neodymium.tui.screens.alerts import AlertsScreen
from textual.widgets import DataTable

from tests.tui.conftest import FROZEN


def alert_app(*rules: dict[str, str], **notify: object) -> NeodymiumApp:
    settings = Settings.model_validate({
        "quotes": {"providers": ["demo"], "interval": 1.0},
        "alerts": list(rules), "notify": notify,
    }).demo()
    return NeodymiumApp(settings, options=AppOptions(demo=True, seed=7),
                        clock=FrozenClock(FROZEN))


async def test_a_crossing_is_notified_rung_and_written_once(
        monkeypatch: pytest.MonkeyPatch) -> None:
    app = alert_app({"symbol": "600111.SS", "when": "price >= 1", "repeat": "every 1m"},
                    {"symbol": "600111.SS", "when": "price <= 1"})
    written: list[str] = []
    bells: list[int] = []
    monkeypatch.setattr(alerting, "terminal_writer", lambda app: written.append)
    monkeypatch.setattr(app, "bell", lambda: bells.append(1))
    async with app.run_test(size=(120, 40)) as pilot:
        await app.data_ready.wait()
        assert app.alerting is not None
        app.check_alerts()
        app.check_alerts()  # still true: no second event
        await pilot.pause()
        (event,) = app.alerting.recent
        assert event.when == "price >= 1" and event.name == "北方稀土"
        assert bells == [1]
        assert written == [f"\x1b]9;{event.title}: {event.body}\x07"
                           f"\x1b]777;notify;{event.title};{event.body}\x1b\\"]
        titles = [n.title for n in app._notifications]
        assert "Alert · 北方稀土 600111.SS: price >= 1" in titles


async def test_channels_follow_notify_switches(monkeypatch: pytest.MonkeyPatch) -> None:
    app = alert_app({"symbol": "600111.SS", "when": "price >= 1"},
                    bell=False, osc=False, in_app=False)
    written: list[str] = []
    bells: list[int] = []
    monkeypatch.setattr(alerting, "terminal_writer", lambda app: written.append)
    monkeypatch.setattr(app, "bell", lambda: bells.append(1))
    async with app.run_test(size=(120, 40)) as pilot:
        await app.data_ready.wait()
        assert app.alerting is not None
        await pilot.pause()
        assert len(app.alerting.recent) == 1
        assert written == [] and bells == []
        assert not [n for n in app._notifications if n.title.startswith("Alert")]


async def test_alerts_pane_lists_snoozes_cancels_rearms() -> None:
    app = alert_app({"symbol": "600111.SS", "when": "price >= 1"},
                    {"symbol": "600111.SS", "when": "change_pct <= -9", "repeat": "daily"},
                    bell=False, osc=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.data_ready.wait()
        await pilot.pause()
        await pilot.press("A")
        screen = app.screen
        assert isinstance(screen, AlertsScreen)
        table = screen.query_one(DataTable)

        def states() -> list[str]:
            return [str(table.get_row_at(i)[4]) for i in range(table.row_count)]

        assert states() == ["done", "armed"]
        await pilot.press("down", "z")
        assert states() == ["done", "snoozed until 11:30"]
        await pilot.press("x")
        assert states() == ["done", "cancelled"]
        await pilot.press("up", "u")
        assert states() == ["armed", "cancelled"]
        await pilot.press("escape")
        assert not isinstance(app.screen, AlertsScreen)

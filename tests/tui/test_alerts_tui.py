"""Alerts in the TUI: a crossing reaches the screen, the bell, the terminal and the pane."""

from __future__ import annotations

from pathlib import Path

import pytest
from neodymium.config.loader import load_config
from neodymium.config.settings import Settings
from neodymium.providers.clock import FrozenClock
from neodymium.tui import alerting
from neodymium.tui.app import AppOptions, NeodymiumApp
from neodymium.tui.screens.alerts import AlertPrompt, AlertsScreen, parse_rule
from textual.widgets import DataTable, Input

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
    monkeypatch.delenv("TMUX", raising=False)  # not wrapped: tests/providers/test_notify.py
    monkeypatch.setenv("TERM", "xterm-256color")
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


async def test_add_and_delete_rules_from_the_pane(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text("# mine\n[[alerts]]\nsymbol = \"600111.SS\"\nwhen = \"price >= 1\"\n",
                    encoding="utf-8")
    settings = load_config(path).settings.demo()
    app = NeodymiumApp(settings, options=AppOptions(demo=True, seed=7, config_path=path),
                       clock=FrozenClock(FROZEN))
    async with app.run_test(size=(120, 40)) as pilot:
        await app.data_ready.wait()
        await pilot.press("A", "n")
        await pilot.pause()
        assert isinstance(app.screen, AlertPrompt)
        app.screen.query_one(Input).value = "159713.SZ price >= 99 every 5m"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, AlertsScreen)
        table = app.screen.query_one(DataTable)
        assert [str(table.get_row_at(i)[2]) for i in range(table.row_count)] == [
            "price >= 1", "price >= 99"]
        assert app.feed is not None and "159713.SZ" in {s.key for s in app.feed.symbols}
        await pilot.press("up", "d")
        await pilot.pause()
        assert table.row_count == 1
    saved = load_config(path).settings.alerts
    assert [(r.symbol, r.when, r.repeat) for r in saved] == [("159713.SZ", "price >= 99",
                                                               "every 5m")]
    assert path.read_text(encoding="utf-8").startswith("# mine\n")


def test_parse_rule() -> None:
    rule = parse_rule("sh600111 change_pct <= -3 daily")
    assert (rule.symbol, rule.when, rule.repeat) == ("600111.SS", "change_pct <= -3", "daily")
    assert parse_rule("REMX limit_up every 10m").repeat == "every 10m"
    assert parse_rule("REMX high_52w").repeat == "once"
    for text, reason in (("600111.SS", "SYMBOL CONDITION"), ("600111.SS price => 5", "cannot read"),
                         ("600111.SS moon >= 1", "unknown condition")):
        with pytest.raises(ValueError, match=reason):
            parse_rule(text)

"""``neodymium alerts run|list|cancel``: the real Tencent provider against the fake upstream."""

from __future__ import annotations

import asyncio
import contextlib
import io
import json
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from neodymium.config.loader import parse_settings
from neodymium.providers.cache import Cache
from neodymium.providers.clock import FrozenClock
from neodymium.tui.alerts_cli import run_alerts
from neodymium.tui.cli import main

from tests.fakeupstream import FakeUpstream

# 14:50 Shanghai on the fake's trade day (its quotes are stamped 2026-08-21 15:00).
TRADING = datetime(2026, 8, 21, 6, 50, tzinfo=UTC)


def config(tmp_path: Path, fake_upstream: FakeUpstream) -> str:
    hook = tmp_path / "hook.py"
    hook.write_text("import sys, pathlib\nwith open(sys.argv[1], 'a') as f:\n"
                    "    f.write(sys.stdin.read())\n", encoding="utf-8")
    return f"""
[watch]
primary = "600111.SS"
symbols = ["600111.SS"]
compare = []

[quotes]
providers = ["tencent"]

[providers.tencent]
base_url = "{fake_upstream.base_url}"

[cache]
path = "{tmp_path / 'cache.sqlite3'}"

[notify]
command = "{sys.executable} {hook} {tmp_path / 'events.jsonl'}"

[[alerts]]
symbol = "600111.SS"
when = "price >= 50"

[[alerts]]
symbol = "600111.SS"
when = "price <= 40"
repeat = "daily"
"""


async def _run_once(text: str, tmp_path: Path) -> tuple[int, str]:
    settings = parse_settings(text, "c.toml")
    out = io.StringIO()
    code = await run_alerts(settings, once=True, as_json=True, timeout=10,
                            cache=Cache(tmp_path / "cache.sqlite3"),
                            clock=FrozenClock(TRADING), out=out, terminal=io.StringIO())
    return code, out.getvalue()


async def test_run_once_prints_json_lines_runs_the_hook_and_remembers(
        tmp_path: Path, fake_upstream: FakeUpstream) -> None:
    text = config(tmp_path, fake_upstream)
    code, out = await _run_once(text, tmp_path)
    assert code == 0
    (line,) = out.splitlines()
    event = json.loads(line)
    assert (event["symbol"], event["when"], event["last"], event["name"]) == (
        "600111.SS", "price >= 50", 50.46, "北方稀土")
    hooked = (tmp_path / "events.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(h) for h in hooked] == [event]
    # A second cron run: the rule was "once", and that lasts in the cache.
    code, out = await _run_once(text, tmp_path)
    assert (code, out) == (0, "")


async def test_run_once_writes_bell_and_osc_to_the_terminal(
        tmp_path: Path, fake_upstream: FakeUpstream, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TMUX", "/tmp/tmux-0/default,1,0")
    settings = parse_settings(config(tmp_path, fake_upstream), "c.toml")
    terminal = io.StringIO()
    await run_alerts(settings, once=True, as_json=False, timeout=10,
                     clock=FrozenClock(TRADING), out=io.StringIO(), terminal=terminal)
    assert terminal.getvalue() == (
        "\x07\x1bPtmux;\x1b\x1b]9;北方稀土 600111.SS: price >= 50: last 50.46 (+1.16%)\x07\x1b\\"
        "\x1bPtmux;\x1b\x1b]777;notify;北方稀土 600111.SS: price >= 50;last 50.46 (+1.16%)"
        "\x1b\x1b\\\x1b\\")


async def test_no_fire_outside_the_session(tmp_path: Path, fake_upstream: FakeUpstream) -> None:
    settings = parse_settings(config(tmp_path, fake_upstream), "c.toml")
    out = io.StringIO()
    evening = datetime(2026, 8, 21, 12, 0, tzinfo=UTC)  # 20:00 Shanghai
    code = await run_alerts(settings, once=True, as_json=True, timeout=10,
                            clock=FrozenClock(evening), out=out, terminal=io.StringIO())
    assert (code, out.getvalue()) == (0, "")


async def test_list_and_cancel(tmp_path: Path, fake_upstream: FakeUpstream,
                               capsys: pytest.CaptureFixture[str]) -> None:
    text = config(tmp_path, fake_upstream)
    await _run_once(text, tmp_path)
    path = tmp_path / "c.toml"
    path.write_text(text, encoding="utf-8")
    assert main(["--config", str(path), "alerts", "cancel", "2"]) == 0
    assert main(["--config", str(path), "alerts", "cancel", "9"]) == 2
    capsys.readouterr()
    assert main(["--config", str(path), "alerts", "list", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(r["number"], r["when"], r["status"], r["fired"]) for r in rows] == [
        (1, "price >= 50", "done", 1), (2, "price <= 40", "cancelled", 0)]
    assert rows[0]["last_fired"] == "2026-08-21T06:50:00+00:00"
    assert main(["--config", str(path), "alerts", "list"]) == 0
    table = capsys.readouterr().out
    assert "price >= 50" in table and "done" in table and "fired 1×" in table


def test_alerts_run_without_rules_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--demo", "alerts", "run", "--once"]) == 1
    assert "no [[alerts]]" in capsys.readouterr().err


class Lines(io.StringIO):
    """An output that signals each complete line it receives."""

    def __init__(self) -> None:
        super().__init__()
        self.line = asyncio.Event()

    def write(self, text: str) -> int:
        if "\n" in text:
            self.line.set()
        return super().write(text)


async def test_run_keeps_polling_and_fires_on_a_later_crossing(
        tmp_path: Path, fake_upstream: FakeUpstream) -> None:
    text = config(tmp_path, fake_upstream).replace('when = "price >= 50"',
                                                   'when = "price >= 52"')
    settings = parse_settings(text, "c.toml")
    clock = FrozenClock(TRADING)
    out = Lines()
    task = asyncio.create_task(run_alerts(settings, once=False, as_json=True, timeout=10,
                                          clock=clock, out=out, terminal=io.StringIO()))
    try:
        await asyncio.wait_for(_until_polled(fake_upstream), 10)
        assert out.getvalue() == ""  # 50.46: below 52, nothing yet
        fake_upstream.scenario.set("price:600111.SS", 52.5)
        clock.advance(5)  # the next poll is due on the feed's own cadence
        await asyncio.wait_for(out.line.wait(), 10)
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
    (event,) = [json.loads(line) for line in out.getvalue().splitlines()]
    assert (event["when"], event["last"]) == ("price >= 52", 52.5)


async def _until_polled(fake_upstream: FakeUpstream) -> None:
    """Wait (on the server's record, not a timer) until the first quote request arrived."""
    while not fake_upstream.count("tencent-quote"):
        await asyncio.sleep(0.05)

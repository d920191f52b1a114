"""Notification delivery: exact terminal bytes, tmux wrapping, hostile text, hooks, apprise."""

from __future__ import annotations

import json
import sys
import threading
from collections.abc import Iterator
from datetime import UTC, date, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from neodymium.config.settings import NotifySettings
from neodymium.providers import notify
from neodymium.providers.alerts import AlertEvent

EVENT = AlertEvent(
    rule_id="600111.SS | price >= 55 | once", symbol="600111.SS", name="北方稀土",
    when="price >= 55", repeat="once", fired_at=datetime(2026, 8, 21, 2, 0, 10, tzinfo=UTC),
    session_day=date(2026, 8, 21), last=55.12, change_pct=10.24,
)


def test_osc_9_and_777_bytes() -> None:
    out = notify.terminal_bytes(EVENT.title, EVENT.body, bell=True, osc=True, tmux=False)
    assert out.encode() == (
        b"\x07"
        b"\x1b]9;\xe5\x8c\x97\xe6\x96\xb9\xe7\xa8\x80\xe5\x9c\x9f 600111.SS: price >= 55: "
        b"last 55.12 (+10.24%)\x07"
        b"\x1b]777;notify;\xe5\x8c\x97\xe6\x96\xb9\xe7\xa8\x80\xe5\x9c\x9f 600111.SS: "
        b"price >= 55;last 55.12 (+10.24%)\x1b\\"
    )


def test_tmux_passthrough_doubles_inner_escapes() -> None:
    out = notify.osc_notification("T", "B", tmux=True)
    assert out == ("\x1bPtmux;\x1b\x1b]9;T: B\x07\x1b\\"
                   "\x1bPtmux;\x1b\x1b]777;notify;T;B\x1b\x1b\\\x1b\\")
    assert notify.in_tmux({"TMUX": "/tmp/tmux-0/default,1,0"})
    assert notify.in_tmux({"TERM": "tmux-256color"})  # ssh from inside tmux: no $TMUX
    assert not notify.in_tmux({"TERM": "xterm-256color"})
    assert not notify.in_tmux({})


def test_switches_turn_parts_off() -> None:
    assert notify.terminal_bytes("T", "B", bell=True, osc=False, tmux=True) == "\x07"
    assert notify.terminal_bytes("T", "B", bell=False, osc=False, tmux=False) == ""


def test_outside_text_cannot_inject_escapes_or_fields() -> None:
    hostile = "北方\x1b]777;notify;pwned;x\x07稀土\x1b[2J;evil\x9b31m\n"
    out = notify.osc_notification(hostile, "ok", tmux=False)
    # Exactly our own two sequences: two OSC introducers, one BEL, one ST.
    assert out.count("\x1b]") == 2 and out.count("\x07") == 1 and out.count("\x1b\\") == 1
    assert "pwned" not in out.split(";")[1:3]
    assert "\x9b" not in out and "\n" not in out
    assert out.startswith("\x1b]9;北方稀土,evil: ok\x07")


def test_long_text_is_cut() -> None:
    assert len(notify.notification_text("x" * 500)) == notify.MAX_TEXT


def _hook(tmp_path: Path, body: str) -> str:
    script = tmp_path / "hook.py"
    script.write_text(body, encoding="utf-8")
    return f"{sys.executable} {script} {tmp_path / 'out.json'}"


async def test_hook_gets_the_event_as_one_json_object_on_stdin(tmp_path: Path) -> None:
    command = _hook(tmp_path, "import sys, pathlib\n"
                              "pathlib.Path(sys.argv[1]).write_bytes(sys.stdin.buffer.read())\n")
    problems = await notify.dispatch(EVENT, NotifySettings(command=command))
    assert problems == []
    raw = (tmp_path / "out.json").read_text(encoding="utf-8")
    assert raw.endswith("\n") and raw.count("\n") == 1
    assert json.loads(raw) == EVENT.to_dict()
    assert json.loads(raw)["message"] == "北方稀土 600111.SS: price >= 55 · last 55.12 (+10.24%)"


async def test_hook_failures_are_reported_not_raised(tmp_path: Path) -> None:
    failing = _hook(tmp_path, "import sys\nsys.stderr.write('no token')\nsys.exit(3)\n")
    result = await notify.run_hook(failing, "{}", timeout=10)
    assert (result.ok, result.returncode, result.error) == (False, 3, "exited 3: no token")
    missing = await notify.run_hook(str(tmp_path / "nope"), "{}", timeout=10)
    assert missing.returncode is None and missing.error and "cannot run" in missing.error


async def test_a_hung_hook_is_killed_at_its_timeout(tmp_path: Path) -> None:
    hung = _hook(tmp_path, "import sys, threading\nsys.stdin.read()\nthreading.Event().wait()\n")
    result = await notify.run_hook(hung, "{}", timeout=0.3)
    assert result.returncode is None and result.error == "timed out after 0.3s; killed"


def test_hook_argv_expands_home_and_runs_no_shell(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", "/home/u")
    assert notify.hook_argv("~/bin/on-alert --to 'a b'; rm -rf /") == [
        "/home/u/bin/on-alert", "--to", "a b;", "rm", "-rf", "/"]


@pytest.fixture
def sink() -> Iterator[tuple[str, list[dict[str, object]]]]:
    """A local HTTP endpoint that records JSON posts (apprise's json:// target)."""
    received: list[dict[str, object]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", 0))
            received.append(json.loads(self.rfile.read(length)))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"json://127.0.0.1:{server.server_address[1]}/", received
    server.shutdown()
    server.server_close()


async def test_apprise_urls(sink: tuple[str, list[dict[str, object]]]) -> None:
    pytest.importorskip("apprise", reason="install the notify extra: pip install '.[notify]'")
    url, received = sink
    assert await notify.dispatch(EVENT, NotifySettings(apprise=[url])) == []
    assert [(r["title"], r["message"]) for r in received] == [
        ("北方稀土 600111.SS: price >= 55", "last 55.12 (+10.24%)")]

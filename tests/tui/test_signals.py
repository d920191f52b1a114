"""The real ``neodymium`` process on a real pseudo-terminal: SIGTERM and SIGHUP leave the
terminal as ``q`` does, and a crash exits non-zero."""

from __future__ import annotations

import os
import signal
import sys

import pytest

from tests.tui.pty_terminal import Terminal

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pty")

#: What leaving must write: normal screen, mouse reporting off, cursor shown, paste mode off.
RESTORED = {
    "alternate screen left": b"\x1b[?1049l",
    "mouse reporting off": b"\x1b[?1000l",
    "cursor shown": b"\x1b[?25h",
    "bracketed paste off": b"\x1b[?2004l",
}
#: Drawn only once data arrived, i.e. after on_mount (where the handlers are installed).
LOADED = "北方稀土".encode()


@pytest.fixture
def terminal():
    started: list[Terminal] = []

    def start(*argv: str) -> Terminal:
        started.append(Terminal(*argv))
        return started[-1]

    yield start
    for each in started:
        each.kill()


@pytest.mark.parametrize("number", [signal.SIGTERM, signal.SIGHUP])
def test_a_signal_restores_the_terminal_like_q(terminal, number: int) -> None:
    app = terminal("-m", "neodymium.tui.cli", "--demo")
    assert LOADED in app.read_until(LOADED), "the app never drew its data"
    before = len(app.output)
    app.process.send_signal(number)
    code = app.finish()
    tail = app.output[before:]
    missing = [name for name, sequence in RESTORED.items() if sequence not in tail]
    assert not missing, f"after {signal.Signals(number).name}: {missing}"
    assert b"Traceback" not in tail
    assert code == 0


def test_an_unhandled_crash_exits_non_zero(terminal) -> None:
    crash = ("import neodymium.tui.app as a\n"
             "def boom(self):\n    raise ZeroDivisionError('[/] in a crash')\n"
             "a.NeodymiumApp.action_help = boom\n"
             "from neodymium.tui.cli import main\nraise SystemExit(main(['--demo']))\n")
    app = terminal("-c", crash)
    assert LOADED in app.read_until(LOADED)
    os.write(app.master, b"?")
    code = app.finish()
    assert code == 1
    assert b"ZeroDivisionError" in app.output

"""The real ``neodymium`` process on a real pseudo-terminal: SIGTERM and SIGHUP leave the
terminal as ``q`` does, and a crash exits non-zero."""

from __future__ import annotations

import fcntl
import os
import pty
import select
import signal
import struct
import subprocess
import sys
import termios
import time

import pytest

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
PATIENCE_S = 60.0


class Terminal:
    """A child process on a 120×40 pty, read until a marker or its end."""

    def __init__(self, *argv: str) -> None:
        self.master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
        env = {**os.environ, "TERM": "xterm-256color"}
        env.pop("NO_COLOR", None)
        self.process = subprocess.Popen(
            [sys.executable, *argv], stdin=slave, stdout=slave, stderr=slave, env=env,
            start_new_session=True, close_fds=True,
        )
        os.close(slave)
        self.output = b""

    def read_until(self, marker: bytes) -> bytes:
        """Output up to and including ``marker`` (or everything until the child ends)."""
        deadline = time.monotonic() + PATIENCE_S
        while marker not in self.output and time.monotonic() < deadline:
            ready, _, _ = select.select([self.master], [], [], 1.0)
            if not ready:
                continue
            try:
                chunk = os.read(self.master, 65536)
            except OSError:  # the child closed the pty
                break
            if not chunk:
                break
            self.output += chunk
        return self.output

    def finish(self) -> int:
        """Read to the end, then the exit code."""
        self.read_until(b"\x00never\x00")
        code = self.process.wait(timeout=PATIENCE_S)
        os.close(self.master)
        return code

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


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

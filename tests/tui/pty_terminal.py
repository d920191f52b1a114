"""A child process on a real pseudo-terminal, read until a marker or its end (the tests that
run the real ``neodymium`` command as a terminal would)."""

from __future__ import annotations

import fcntl
import os
import pty
import select
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Mapping

PATIENCE_S = 60.0


class Terminal:
    """A child process on a pty (120×40 unless told), read until a marker or its end."""

    def __init__(self, *argv: str, env: Mapping[str, str] | None = None,
                 size: tuple[int, int] = (120, 40)) -> None:
        self.master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", size[1], size[0], 0, 0))
        env = {**os.environ, "TERM": "xterm-256color", **(env or {})}
        for name in ("NO_COLOR", "COLUMNS", "LINES"):  # the pty says the size (xdist sets them)
            env.pop(name, None)
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

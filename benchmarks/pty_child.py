"""A program run in a real pseudo-terminal: every byte it writes, when, and what it costs.

No terminal emulation: the parent only reads the pty, timestamps each chunk and looks for a
marker (a byte string the program paints when it has what we wait for). CPU time and resident
memory come from ``/proc/<pid>`` (Linux).
"""

from __future__ import annotations

import fcntl
import os
import select
import signal
import statistics
import struct
import subprocess
import termios
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

#: The terminal the issue measures in.
COLUMNS, ROWS = 160, 48
#: Chunks closer together than this belong to one burst (one frame, or one tick's frames).
BURST_GAP_S = 0.05
MIB = 1024.0


class PtyError(RuntimeError):
    """The program did not paint what was expected, or died."""


@dataclass
class Chunk:
    """One read from the pty: when (``time.monotonic()``) and how many bytes."""

    at: float
    size: int


@dataclass
class PtyChild:
    """A program running on the slave side of a fresh pty, read by a thread of ours."""

    argv: Sequence[str]
    env: dict[str, str]
    cwd: Path
    spawned: float = 0.0
    chunks: list[Chunk] = field(default_factory=list)
    _process: subprocess.Popen[bytes] | None = None
    _master: int = -1
    _tail: bytes = b""
    _markers: dict[bytes, float] = field(default_factory=dict)
    _wanted: set[bytes] = field(default_factory=set)
    _lock: threading.Condition = field(default_factory=threading.Condition)
    _reader: threading.Thread | None = None

    def start(self) -> PtyChild:
        """Open a COLUMNS x ROWS pty and start the program on it."""
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLUMNS, 0, 0))
        self._master = master
        self.spawned = time.monotonic()
        self._process = subprocess.Popen(
            list(self.argv), stdin=slave, stdout=slave, stderr=slave, cwd=self.cwd,
            env=self.env, start_new_session=True, close_fds=True,
        )
        os.close(slave)
        self._reader = threading.Thread(target=self._read, name="pty-reader", daemon=True)
        self._reader.start()
        return self

    @property
    def pid(self) -> int:
        """The child's process id."""
        if self._process is None:
            raise PtyError("not started")
        return self._process.pid

    def _read(self) -> None:
        while True:
            try:
                ready, _, _ = select.select([self._master], [], [], 0.5)
                if not ready:
                    if self._process is not None and self._process.poll() is not None:
                        return
                    continue
                data = os.read(self._master, 65536)
            except OSError:  # EIO: the child closed the slave side
                return
            if not data:
                return
            now = time.monotonic()
            with self._lock:
                self.chunks.append(Chunk(now, len(data)))
                window = self._tail + data
                for marker in list(self._wanted):
                    if marker in window:
                        self._markers[marker] = now
                        self._wanted.discard(marker)
                self._tail = window[-2048:]
                self._lock.notify_all()

    def watch_for(self, marker: bytes) -> None:
        """Start looking for ``marker`` (call before start to see the first frame)."""
        with self._lock:
            self._wanted.add(marker)

    def watch_for_new(self, marker: bytes) -> None:
        """Start looking for ``marker`` in what is read from now on only (``watch_for`` also
        matches the end of what was read before)."""
        with self._lock:
            self._tail = b""
            self._markers.pop(marker, None)
            self._wanted.add(marker)

    def wait_for(self, marker: bytes, timeout: float) -> float:
        """Seconds from spawn until ``marker`` was read (``watch_for`` it first)."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while marker not in self._markers:
                left = deadline - time.monotonic()
                if left <= 0 or (self._process is not None and self._process.poll() is not None):
                    code = self._process and self._process.poll()
                    raise PtyError(f"{self.argv[-1]!r}: {marker!r} not painted within "
                                   f"{timeout:.0f} s (exit {code})")
                self._lock.wait(min(left, 0.2))
            return self._markers[marker] - self.spawned

    def send(self, keys: bytes) -> None:
        """Type ``keys`` into the terminal."""
        os.write(self._master, keys)

    def cpu_seconds(self) -> float:
        """User plus system CPU the child has used so far (all its threads)."""
        self.check_alive()
        fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        ticks = int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15)
        return ticks / os.sysconf("SC_CLK_TCK")

    def rss_mib(self) -> float:
        """Current resident set size (VmRSS)."""
        self.check_alive()
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return float(line.split()[1]) / MIB
        raise PtyError("no VmRSS in /proc (Linux only)")

    def check_alive(self) -> None:
        """Raise PtyError, with the last thing it wrote, if the program has ended."""
        if self._process is not None and self._process.poll() is not None:
            tail = self._tail.decode("utf-8", "replace")[-600:]
            raise PtyError(f"{' '.join(self.argv[-3:])!r} ended (exit "
                           f"{self._process.returncode}); last output: {tail!r}")

    def chunks_between(self, start: float, end: float) -> list[Chunk]:
        """The chunks read in [start, end) (monotonic times)."""
        with self._lock:
            return [chunk for chunk in self.chunks if start <= chunk.at < end]

    def stop(self, quit_keys: bytes = b"\x11", grace_s: float = 5.0) -> int | None:
        """Ask the program to quit (Ctrl+Q), then end it; close the pty."""
        process = self._process
        if process is None:
            return None
        if process.poll() is None:
            try:
                self.send(quit_keys)
                process.wait(grace_s)
            except (OSError, subprocess.TimeoutExpired):
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(grace_s)
        if self._reader is not None:
            self._reader.join(grace_s)
        os.close(self._master)
        return process.returncode

    def __enter__(self) -> PtyChild:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def per_second(chunks: Sequence[Chunk], start: float, seconds: int) -> list[int]:
    """Bytes written in each whole second after ``start``."""
    totals = [0] * seconds
    for chunk in chunks:
        if chunk.at < start:
            continue
        index = int(chunk.at - start)
        if index < seconds:
            totals[index] += chunk.size
    return totals


def bursts(chunks: Sequence[Chunk], gap_s: float = BURST_GAP_S) -> list[int]:
    """Bytes per burst: runs of chunks each less than ``gap_s`` after the previous one."""
    sizes: list[int] = []
    last = None
    for chunk in chunks:
        if last is None or chunk.at - last >= gap_s:
            sizes.append(0)
        sizes[-1] += chunk.size
        last = chunk.at
    return sizes


def median_or_zero(values: Sequence[float]) -> float:
    """The median, or 0 for no values."""
    return float(statistics.median(values)) if values else 0.0

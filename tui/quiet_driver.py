"""Textual's Linux driver, with an input thread that sleeps until there is input.

Textual's ``LinuxDriver`` reads the terminal on a thread that wakes ten times a second whether
or not a key came, so that a lone Escape (which might start an escape sequence) is delivered
once ``ESCDELAY`` has passed. Over a day on a shared server those wake-ups cost a watcher that
otherwise sleeps between its one-second ticks about 0.07 CPU-seconds a minute: a tenth of
neodymium's whole budget. Here the thread blocks until the terminal has input or the driver
stops; only in the second after input does it wake ten times a second, as Textual's does, to
finish what the parser is waiting for.

Textual has no hook for the loop, so ``run_input_thread`` is Textual 8's own with the wait
changed; it uses Textual's (private) xterm parser as the original does. The driver's
``exit_event`` is replaced by one that also wakes the thread, so stopping never waits.
"""

from __future__ import annotations

import contextlib
import os
import selectors
import time
from codecs import getincrementaldecoder
from threading import Event
from typing import Any

from textual._parser import ParseError
from textual._xterm_parser import XTermParser
from textual.drivers.linux_driver import LinuxDriver

#: How often the thread wakes while the parser may be waiting (Textual's own interval).
POLL_S = 0.1
#: For how long after input it keeps waking at ``POLL_S`` (ESCDELAY is 0.1 s by default).
AWAKE_AFTER_INPUT_S = 1.0


def select_timeout(now: float, last_input: float | None) -> float | None:
    """How long the input thread may wait: ``POLL_S`` within ``AWAKE_AFTER_INPUT_S`` of the
    last input (the parser may hold an Escape it has to time out), otherwise until input."""
    if last_input is not None and now - last_input < AWAKE_AFTER_INPUT_S:
        return POLL_S
    return None


class WakingEvent(Event):
    """An ``Event`` that also writes a byte to ``wake_fd`` when set."""

    def __init__(self, wake_fd: int) -> None:
        super().__init__()
        self.wake_fd = wake_fd

    def set(self) -> None:
        super().set()
        with contextlib.suppress(OSError):  # the pipe is full (a byte already waits) or closed
            os.write(self.wake_fd, b"\0")


class QuietLinuxDriver(LinuxDriver):
    """``LinuxDriver`` whose input thread sleeps until input arrives or the driver stops."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._wake_read = self._wake_write = -1
        self._waking = WakingEvent(-1)
        self.exit_event = self._waking
        self._open_wake_pipe()

    def _open_wake_pipe(self) -> None:
        """A wake-up pipe for the input thread, unless one is open."""
        if self._wake_read < 0:
            self._wake_read, self._wake_write = os.pipe()
            os.set_blocking(self._wake_write, False)
            self._waking.wake_fd = self._wake_write

    def start_application_mode(self) -> None:
        """Textual's, with a fresh wake-up pipe when the last was closed: Ctrl+Z (suspending
        the app) closes the driver, and ``fg`` starts application mode again."""
        self._open_wake_pipe()
        super().start_application_mode()

    def close(self) -> None:
        """Textual's clean-up, then the wake-up pipe's (never written again: a closed file
        number may be reused by another file)."""
        super().close()
        self._waking.wake_fd = -1
        for fd in (self._wake_read, self._wake_write):
            with contextlib.suppress(OSError):
                os.close(fd)
        self._wake_read = self._wake_write = -1

    def run_input_thread(self) -> None:
        """Textual's input loop, waiting on the terminal and the wake-up pipe."""
        selector = selectors.SelectSelector()
        fileno = self.fileno
        selector.register(fileno, selectors.EVENT_READ)
        selector.register(self._wake_read, selectors.EVENT_READ)
        parser = XTermParser(self._debug)
        decode = getincrementaldecoder("utf-8")().decode
        last_input: float | None = None

        def process(ready: list[tuple[selectors.SelectorKey, int]], final: bool = False) -> bool:
            """Feed what the terminal sent to the parser; whether it sent anything."""
            got = False
            for key, mask in ready:
                if key.fd == self._wake_read:
                    os.read(self._wake_read, 64)
                elif mask & selectors.EVENT_READ:
                    data = decode(os.read(fileno, 1024 * 4), final=final)
                    if not data:
                        break  # stdin is a pipe that ended
                    got = True
                    for event in parser.feed(data):
                        self.process_message(event)
            for event in parser.tick():
                self.process_message(event)
            return got

        try:
            while not self.exit_event.is_set():
                ready = selector.select(select_timeout(time.monotonic(), last_input))
                if process(ready):
                    last_input = time.monotonic()
            selector.unregister(fileno)
            process(selector.select(POLL_S), final=True)
        finally:
            selector.close()
            with contextlib.suppress(EOFError, ParseError):
                for _event in parser.feed(""):
                    pass

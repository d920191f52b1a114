"""The terminal driver's input thread sleeps until there is input, still delivers a lone Escape
after ESCDELAY, and stops at once."""

from __future__ import annotations

import os
import pty
import selectors
import signal
import sys
import threading
import tty
from typing import Any

import pytest
from neodymium.tui import quiet_driver
from neodymium.tui.quiet_driver import (
    AWAKE_AFTER_INPUT_S,
    POLL_S,
    QuietLinuxDriver,
    select_timeout,
)
from textual import events
from textual.message import Message

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pty")
PATIENCE_S = 10.0


def test_it_waits_for_input_unless_input_came_within_the_last_second() -> None:
    assert select_timeout(100.0, None) is None
    assert select_timeout(100.0, 100.0) == POLL_S
    assert select_timeout(100.0 + AWAKE_AFTER_INPUT_S - 0.01, 100.0) == POLL_S
    assert select_timeout(100.0 + AWAKE_AFTER_INPUT_S, 100.0) is None


class Recorded(QuietLinuxDriver):
    """Keeps the key events it would post to the app."""

    def __init__(self, fileno: int) -> None:
        super().__init__(None, debug=False, mouse=False, size=(80, 24))  # type: ignore[arg-type]
        self.fileno = fileno
        self.keys: list[str] = []
        self.got_key = threading.Event()

    def process_message(self, message: Message) -> None:
        if isinstance(message, events.Key):
            self.keys.append(message.key)
            self.got_key.set()


class Waits(selectors.SelectSelector):
    """A selector that records how long each select was allowed to wait."""

    timeouts: list[float | None] = []
    waited_again = threading.Event()

    def select(self, timeout: float | None = None) -> Any:
        Waits.timeouts.append(timeout)
        if timeout is None and POLL_S in Waits.timeouts:
            Waits.waited_again.set()
        return super().select(timeout)


async def test_the_input_thread_sleeps_delivers_a_lone_escape_and_stops_at_once(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(signal, "signal", lambda *args: None)  # no SIGTSTP handlers in pytest
    monkeypatch.setattr(quiet_driver.selectors, "SelectSelector", Waits)
    Waits.timeouts = []
    master, slave = pty.openpty()
    tty.setraw(slave)  # as the driver's start puts the terminal: no line buffering
    driver = Recorded(slave)
    thread = threading.Thread(target=driver.run_input_thread, daemon=True)
    thread.start()
    try:
        os.write(master, b"\x1b")  # Escape alone: the parser waits ESCDELAY for more
        assert driver.got_key.wait(PATIENCE_S)
        assert driver.keys == ["escape"]
        # Back to sleeping once the second after the input has passed.
        assert Waits.waited_again.wait(PATIENCE_S)
    finally:
        driver.exit_event.set()
        thread.join(PATIENCE_S)
        alive = thread.is_alive()
        driver.close()
        os.close(master)
        os.close(slave)
    # It slept until the key came, woke every POLL_S while the Escape was pending, slept again;
    # and setting exit_event woke it from its sleep.
    assert Waits.timeouts[0] is None
    assert set(Waits.timeouts[1:-2]) == {POLL_S}, Waits.timeouts
    assert Waits.timeouts[-2] is None, Waits.timeouts
    assert not alive


def test_the_app_runs_on_the_quiet_driver_in_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    from neodymium.config.settings import Settings
    from neodymium.tui.app import NeodymiumApp

    monkeypatch.delenv("TEXTUAL_DRIVER", raising=False)
    assert NeodymiumApp(Settings().demo()).driver_class is QuietLinuxDriver

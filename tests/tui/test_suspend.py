"""Ctrl+Z suspends the watcher like any terminal program, and ``fg`` (SIGCONT) brings it back
whole: the input thread runs again and the screen is repainted in full, not only the cells
that changed while it was away. Run in a real pseudo-terminal."""

from __future__ import annotations

import os
import signal
import sys
import time
from pathlib import Path

import pytest

from benchmarks.bench_pty import REPO_ROOT, child_env
from benchmarks.pty_child import PtyChild

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="reads /proc; needs a pty")
PATIENCE_S = 60.0
#: What only a full frame sends: the footer's key hints never change once drawn.
FULL_FRAME = b"Screenshot"
#: The comparison's title: the panels that mount after the first frame are up.
MOUNTED = b"vs ETFs"
ENTER_ALT_SCREEN = b"\x1b[?1049h"


def process_state(pid: int) -> str:
    """The state letter in /proc (R, S, T for stopped, ...)."""
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]


def wait_until_stopped(pid: int) -> None:
    deadline = time.monotonic() + PATIENCE_S
    while process_state(pid) != "T":
        assert time.monotonic() < deadline, "Ctrl+Z did not stop the watcher"
        time.sleep(0.05)


def test_ctrl_z_then_fg_brings_the_watcher_back_whole(tmp_path: Path) -> None:
    child = PtyChild([sys.executable, "-m", "neodymium.tui.cli", "--demo", "--no-cache"],
                     child_env(tmp_path), REPO_ROOT)
    child.watch_for(MOUNTED)
    child.start()
    try:
        child.wait_for(MOUNTED, PATIENCE_S)
        for _ in range(2):  # the second time proves the input thread came back
            child.send(b"\x1a")  # Ctrl+Z
            wait_until_stopped(child.pid)
            child.watch_for_new(ENTER_ALT_SCREEN)
            child.watch_for_new(FULL_FRAME)
            os.kill(child.pid, signal.SIGCONT)  # what the shell's fg sends
            child.wait_for(ENTER_ALT_SCREEN, PATIENCE_S)
            child.wait_for(FULL_FRAME, PATIENCE_S)
            child.check_alive()
    finally:
        code = child.stop(quit_keys=b"q", grace_s=PATIENCE_S)
    assert code == 0

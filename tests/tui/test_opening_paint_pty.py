"""The real watcher on a real pseudo-terminal, started twice on one config: the second start
paints the cached price before Textual takes the terminal over, on the cells where Textual's
first frame then draws it.

Every provider points at 127.0.0.1:9, where nothing listens: the price can only come from the
cache.
"""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path

import pytest
from rich.style import Style
from textual.renderables.digits import Digits

from tests.tui.pty_terminal import Terminal
from tests.tui.terminal_model import Terminal as Screen
from tests.tui.test_first_frame import config_text, warm_cache

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pty")

ENTER = b"\x1b[?1049h"
LEFT = b"\x1b[?1049l"
UNDRAWN = re.compile(r"\x1b\[[?>=<][0-9;$]*[A-Za-z$]|\x1b\](?!8;)[^\x07\x1b]*(?:\x07|\x1b\\)")


def big_row(*parts: str) -> bytes:
    """The big price's top row as one run (the whole part with the point, the decimals)."""
    return "".join(next(iter(Digits(part).render(Style()))).text for part in parts).encode()


def screen_of(output: bytes) -> Screen:
    screen = Screen(120, 40)
    screen.feed(UNDRAWN.sub("", output.decode("utf-8", "replace")))
    return screen


@pytest.fixture
def watcher(tmp_path: Path):
    """Start the watcher on a warm cache with its own cache and config folders."""
    warm_cache(tmp_path / "cache.sqlite3")
    config = tmp_path / "config.toml"
    config.write_text(config_text(tmp_path / "cache.sqlite3"), encoding="utf-8")
    env = {"XDG_CACHE_HOME": str(tmp_path / "c"), "XDG_CONFIG_HOME": str(tmp_path / "cfg"),
           "XDG_STATE_HOME": str(tmp_path / "state"), "COLORTERM": "truecolor",
           "PYTHONPATH": os.pathsep.join(filter(None, [str(Path.cwd()),
                                                       os.environ.get("PYTHONPATH")]))}
    started: list[Terminal] = []

    def start() -> Terminal:
        started.append(Terminal("-m", "neodymium.tui.cli", "--config", str(config), env=env))
        return started[-1]

    yield start, tmp_path / "c" / "neodymium" / "opening.json"
    for each in started:
        each.kill()


def run_until_tables_then_quit(terminal: Terminal) -> bytes:
    """Everything the watcher wrote from its start to its end, quit with q once the price is
    in its tables too (after the first frame, where the record is kept)."""
    terminal.read_until(b"19.20")
    os.write(terminal.master, b"q")
    assert terminal.finish() == 0
    return terminal.output


def test_the_second_start_paints_the_cached_price_where_textual_then_draws_it(watcher) -> None:
    start, record = watcher
    first = run_until_tables_then_quit(start())
    assert first.count(ENTER) == 1, "no record yet: the first start paints nothing before Textual"
    assert json.loads(record.read_text())[0]["primary"] == "600111.SS"

    second = run_until_tables_then_quit(start())
    assert second.count(ENTER) == 2
    textual_starts = second.index(ENTER, 1)
    opening = second[:textual_starts]
    assert big_row("19.", "20") in opening
    assert LEFT not in opening
    painted = screen_of(opening)
    rows = painted.text().splitlines()
    assert rows[0].startswith(" 北方稀土  600111.SS")
    change_ends = rows[6].index("+0.30  +1.59%") + len("+0.30  +1.59%")
    # Textual's first frame paints every cell: what the watcher shows before it quits
    textual = screen_of(second[:second.rindex(LEFT)])
    for x, y in painted.cells:
        character = painted.cells[(x, y)][0]
        if character.strip() and (y in {0, 3, 4, 5} or (y == 6 and x < change_ends)):
            assert textual.cells[(x, y)][0] == character, (x, y)
    assert LEFT in second[textual_starts:]


def test_another_config_paints_nothing_before_textual(watcher, tmp_path: Path) -> None:
    start, record = watcher
    run_until_tables_then_quit(start())
    config = tmp_path / "config.toml"
    config.write_text(config.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    assert run_until_tables_then_quit(start()).count(ENTER) == 1
    assert len(json.loads(record.read_text())) == 2  # the edited config's record beside it

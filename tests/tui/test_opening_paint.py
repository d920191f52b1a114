"""The opening paint: records kept and recalled, and what it writes to the terminal."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from neodymium.providers.cache import Cache
from neodymium.providers.models import Quote
from neodymium.tui import opening_paint
from neodymium.tui.opening_paint import (
    KEPT,
    LEAVE,
    Opening,
    OpeningStart,
    Place,
    cached_quote,
    flow,
    frame_for,
    frame_text,
    layout_key,
    recall,
    remember,
)
from rich.color import ColorSystem
from rich.style import Style
from textual.renderables.digits import Digits

from tests.tui.terminal_model import Terminal

SHANGHAI = ZoneInfo("Asia/Shanghai")
AS_OF = datetime(2026, 12, 3, 15, 0, tzinfo=SHANGHAI)
QUOTE = Quote("600111.SS", AS_OF, "tencent", name="北方稀土", last=18.66, prev_close=19.20)
#: Private modes and OSC strings the terminal model does not draw.
UNDRAWN = re.compile(r"\x1b\[[?>=<][0-9;$]*[A-Za-z]|\x1b\](?!8;)[^\x07\x1b]*(?:\x07|\x1b\\)")


def opening(key: str = "k", columns: int = 120, rows: int = 40, cache: str = "c.sqlite3",
            way: str = "down") -> Opening:
    """A record as the app keeps it for the 120×40 watch screen."""
    grey, green = "#e0e0e0", "#98e024"
    digits = (Place(36, 3, 7, "#121212", {way: grey}), Place(43, 3, 3, "#121212", {way: grey}),
              Place(46, 3, 3, "#121212", {way: grey}))
    return Opening(key, columns, rows, "600111.SS", cache, "Asia/Shanghai", 2, "#121212",
                   Place(1, 0, 118, "#242f38", {"": grey, "symbol": "#5fd7d7"}, bold=True),
                   digits, Place(36, 6, 13, "#121212", {way: green}, bold=True),
                   Place(51, 6, 37, "#121212", {"": "#f4005f"}, bold=True))


def drawn(text: str, columns: int = 120, rows: int = 40) -> Terminal:
    terminal = Terminal(columns, rows)
    terminal.feed(UNDRAWN.sub("", text))
    return terminal


def digit_rows(text: str) -> list[str]:
    return [segment.text for segment in Digits(text).render(Style()) if segment.text != "\n"]


def test_a_record_is_recalled_only_for_its_config_and_terminal_size(tmp_path: Path) -> None:
    path = tmp_path / "opening.json"
    remember(opening(), path)
    assert recall("k", 120, 40, path) == opening()
    assert recall("other config", 120, 40, path) is None
    assert recall("k", 121, 40, path) is None
    assert recall("k", 120, 41, path) is None


@pytest.mark.parametrize("damage", [
    b"not json", b"{}", b'[{"key": "k"}]', b"\x00\xff",
    # a colour that would carry an escape sequence, a negative place, a zone that is none
    json.dumps([{**json.loads(json.dumps([opening()], default=vars))[0]}]).encode()
    .replace(b'"#242f38"', b'"#24\\u001b[2J"'),
    json.dumps([json.loads(json.dumps(opening(), default=vars))]).encode()
    .replace(b'"x": 36', b'"x": -36'),
    json.dumps([json.loads(json.dumps(opening(), default=vars))]).encode()
    .replace(b"Asia/Shanghai", b"Nowhere/Atlantis"),
])
def test_a_damaged_or_foreign_record_is_not_used(tmp_path: Path, damage: bytes) -> None:
    path = tmp_path / "opening.json"
    path.write_bytes(damage)
    assert recall("k", 120, 40, path) is None


def test_a_record_others_may_write_is_not_used(tmp_path: Path) -> None:
    path = tmp_path / "opening.json"
    remember(opening(), path)
    path.chmod(0o622)
    assert recall("k", 120, 40, path) is None
    path.chmod(0o600)
    assert recall("k", 120, 40, path) == opening()


def test_the_undamaged_record_those_cases_start_from_is_used(tmp_path: Path) -> None:
    path = tmp_path / "opening.json"
    path.write_text(json.dumps([json.loads(json.dumps(opening(), default=vars))]))
    assert recall("k", 120, 40, path) == opening()


def test_records_are_kept_per_size_newest_first_and_bounded(tmp_path: Path) -> None:
    path = tmp_path / "opening.json"
    for columns in range(80, 80 + KEPT + 3):
        remember(opening(columns=columns), path)
    kept = json.loads(path.read_text())
    assert [record["columns"] for record in kept] == list(range(80 + KEPT + 2, 82, -1))
    assert recall("k", 80 + KEPT + 2, 40, path) is not None
    assert recall("k", 80, 40, path) is None


def test_a_rise_seen_once_keeps_its_colour_after_a_fall(tmp_path: Path) -> None:
    path = tmp_path / "opening.json"
    remember(opening(way="up"), path)
    remember(opening(way="down"), path)
    digits = recall("k", 120, 40, path).digits[0]  # type: ignore[union-attr]
    assert digits.colours == {"up": "#e0e0e0", "down": "#e0e0e0"}


def test_an_unchanged_record_is_not_written_again(tmp_path: Path) -> None:
    path = tmp_path / "opening.json"
    remember(opening(), path)
    os.utime(path, (1, 1))
    remember(opening(), path)
    assert path.stat().st_mtime == 1


def test_the_key_follows_the_config_text() -> None:
    assert layout_key("[watch]\n") == layout_key("[watch]\n")
    assert layout_key("[watch]\n") != layout_key("[watch]\nprimary = \"600392\"\n")


def test_parts_flow_as_textual_lays_them_out_for_new_widths() -> None:
    places = (Place(36, 3, 7), Place(43, 3, 3), Place(46, 3, 3))
    assert [(p.x, p.width) for p in flow(places, [4, 3, 3])] == [(36, 4), (40, 3), (43, 3)]
    change_and_age = (Place(36, 6, 13), Place(51, 6, 37))  # a gap of two between them
    assert [(p.x, p.width) for p in flow(change_and_age, [11])] == [(36, 11), (49, 39)]


def test_the_big_price_is_drawn_where_recorded_one_run_per_row() -> None:
    text = frame_text(opening(), QUOTE, ColorSystem.TRUECOLOR)
    screen = drawn(text).text().splitlines()
    rows = [a + b + c for a, b, c in zip(digit_rows("18."), digit_rows("6"), digit_rows("6"),
                                         strict=True)]
    for offset, row in enumerate(rows):
        assert screen[3 + offset][36:36 + len(row)] == row
    # each row reaches the terminal as one run, as Textual writes it (what bench_pty looks for)
    assert all(row in text for row in rows)
    assert screen[0].startswith(" 北方稀土  600111.SS")
    assert screen[6][36:].startswith("-0.54  -2.81%  cached · 12-03 15:00")


def test_the_colours_are_the_recorded_ones() -> None:
    terminal = drawn(frame_text(opening(), QUOTE, ColorSystem.TRUECOLOR))
    digits = terminal.cells[(36, 3)][1]
    change = terminal.cells[(36, 6)][1]
    symbol = terminal.cells[(11, 0)][1]
    assert (digits[1], digits[2]) == ("2;224;224;224", "2;18;18;18")
    assert change[1] == "2;152;224;36" and "1" in change[0]
    assert symbol[1] == "2;95;215;215"


def test_a_narrower_price_moves_the_decimals_left_as_the_widgets_do() -> None:
    text = frame_text(opening(), replace(QUOTE, last=9.87, prev_close=9.5), ColorSystem.TRUECOLOR)
    screen = drawn(text).text().splitlines()
    whole = digit_rows("9.")
    assert screen[3][36:36 + len(whole[0]) + 6] == whole[0] + digit_rows("8")[0] + digit_rows(
        "7")[0]


def test_nothing_is_written_past_the_screen_s_edge() -> None:
    narrow = replace(opening(), columns=40)  # the big price starts at column 36
    text = frame_text(narrow, replace(QUOTE, last=1378.1, prev_close=1300.0), None)
    screen = drawn(text, columns=200)  # a wide model: anything past column 40 would show
    rows = screen.text().splitlines()
    assert all(not row[40:].strip() for row in rows)
    assert rows[3][36:40] == digit_rows("1378.")[0][:4]


def test_without_colours_nothing_but_text_and_places() -> None:
    text = frame_text(opening(), QUOTE, None)
    assert not re.search(r"\x1b\[[0-9;]*[34]8;", text)
    assert "北方稀土" in text


def test_text_from_the_cache_never_reaches_the_terminal_as_control() -> None:
    hostile = replace(QUOTE, name="北方\x1b]8;;http://evil.example/\x07稀土\x1b[2J\x9b31m",
                      symbol="600111.SS\x1b[H")
    text = frame_text(opening(), hostile, ColorSystem.TRUECOLOR)
    assert "evil" not in text and "\x9b" not in text
    assert text.count("\x1b[2J") == 1  # the paint's own clear
    assert drawn(text).text().splitlines()[0].startswith(" 北方稀土  600111.SS ")


def test_the_cached_quote_is_the_primary_s_last_from_the_cache(tmp_path: Path) -> None:
    cache = Cache(tmp_path / "cache.sqlite3")
    cache.open()
    cache.put_quote(QUOTE)
    cache.put_quote(replace(QUOTE, symbol="600392.SS", last=59.75))
    cache.close()
    record = opening(cache=str(tmp_path / "cache.sqlite3"))
    assert cached_quote(record) == QUOTE
    assert cached_quote(replace(record, primary="000831.SZ")) is None
    assert cached_quote(replace(record, cache=str(tmp_path / "none.sqlite3"))) is None
    assert not (tmp_path / "none.sqlite3").exists()


def test_a_frame_needs_a_record_for_the_size_textual_will_draw(tmp_path: Path,
                                                                monkeypatch) -> None:
    cache = Cache(tmp_path / "cache.sqlite3")
    cache.open()
    cache.put_quote(QUOTE)
    cache.close()
    monkeypatch.setattr(opening_paint, "record_path", lambda: tmp_path / "opening.json")
    monkeypatch.setenv("TERM", "xterm-256color")
    remember(opening(cache=str(tmp_path / "cache.sqlite3")))
    stream = io.StringIO()
    # Textual's driver takes COLUMNS and LINES before the terminal's own size: so does this
    monkeypatch.setenv("COLUMNS", "120")
    monkeypatch.setenv("LINES", "40")
    assert frame_for("k", stream) is not None
    assert frame_for("another config", stream) is None
    monkeypatch.setenv("COLUMNS", "100")
    assert frame_for("k", stream) is None
    monkeypatch.setenv("COLUMNS", "120")
    monkeypatch.setenv("TERM", "dumb")
    assert frame_for("k", stream) is None


def test_undo_leaves_the_alternate_screen_once() -> None:
    stream = io.StringIO()
    start = OpeningStart("k", painted=True)
    start.undo(stream)
    start.undo(stream)
    assert stream.getvalue() == LEAVE
    handed = OpeningStart("k", painted=True)
    handed.handed_over()
    handed.undo(stream)
    assert stream.getvalue() == LEAVE


def test_a_config_error_after_the_paint_gives_the_terminal_back_first(monkeypatch,
                                                                      capsys) -> None:
    from neodymium.config.loader import ConfigError
    from neodymium.tui import cli

    def bad_config(*_args: object, **_kwargs: object) -> object:
        raise ConfigError("/home/me/config.toml", "watch.primary", "not a symbol")

    monkeypatch.setattr(cli, "has_terminal", lambda: True)
    monkeypatch.setattr(cli, "opening_start", lambda args, symbol: OpeningStart("k", True))
    monkeypatch.setattr(cli, "load", bad_config)
    assert cli.run([]) == cli.EXIT_CONFIG
    err = capsys.readouterr().err  # where Textual draws
    assert err.startswith(LEAVE + "neodymium: config error: ")
    assert "watch.primary" in err


def test_the_opening_paint_imports_nothing_textual_s_app_or_pydantic_needs() -> None:
    script = ("import sys\nfrom neodymium.tui import opening_paint\n"
              "print(' '.join(sorted(sys.modules)))")
    loaded = set(subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                                check=True).stdout.split())
    heavy = {"pydantic", "textual.app", "textual.widget", "httpx", "numpy", "pandas",
             "neodymium.config.settings", "neodymium.tui.view", "neodymium.tui.app"}
    assert not heavy & loaded


@pytest.mark.parametrize(("argv", "wanted"), [
    ([], True), (["--config", "desk.toml", "--private"], True),
    (["--demo"], False), (["--no-cache"], False), (["600392"], False),
    (["--seed", "3", "--demo"], False)])
def test_no_opening_paint_for_the_demo_another_symbol_or_no_cache(argv: list[str],
                                                                   wanted: bool) -> None:
    from neodymium.tui import cli

    argv, symbol = cli.split_symbol(argv, cli.COMMANDS)
    _, args = cli.parse(argv)
    assert cli.wants_opening(args, symbol) is wanted

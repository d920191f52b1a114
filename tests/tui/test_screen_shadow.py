"""``ScreenShadow`` sends only the cells that differ from what the terminal shows."""

from __future__ import annotations

from neodymium.tui.screen_shadow import (
    JOIN_GAP,
    UNKNOWN,
    ScreenShadow,
    cells_of,
    changed_runs,
)
from neodymium.tui.sgr_delta import SgrWriter
from rich.color import ColorSystem
from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip

from tests.tui.terminal_model import Terminal

TRUE = ColorSystem.TRUECOLOR
WHITE = Style.parse("#e0e0e0 on #121212")
RED = Style.parse("#f4005f on #121212")


def cells(text: str, style: Style | None = WHITE) -> list:
    return cells_of([Segment(text, style)], TRUE)


def test_a_wide_character_takes_two_cells_and_a_combining_mark_joins_its_cell() -> None:
    assert [text for text, _, _ in cells("北a")] == ["北", "", "a"]
    assert [text for text, _, _ in cells("e\u0301x")] == ["e\u0301", "x"]


def test_runs_are_the_cells_that_differ_joined_across_short_gaps() -> None:
    old = [(text, pen) for text, pen, _ in cells("as of 12:00:41   50.48")]
    new = cells("as of 12:00:42   50.49")
    assert changed_runs(new, old) == [(13, 14), (21, 22)]
    assert JOIN_GAP == 4
    plain = [(text, pen) for text, pen, _ in cells("abcdefghij")]
    assert changed_runs(cells("aXcdeYghij"), plain) == [(1, 6)]
    assert changed_runs(cells("aXcdefgYij"), plain) == [(1, 2), (7, 8)]


def test_a_new_colour_is_a_change_and_a_wide_character_is_never_split() -> None:
    old = [(text, pen) for text, pen, _ in cells("北方稀土")]
    assert changed_runs(cells("北方稀土", RED), old) == [(0, 8)]
    assert changed_runs(cells("北方钨土"), old) == [(4, 6)]
    # the copy ends in the middle of 方 (its right half unknown): the run starts at 方
    assert changed_runs(cells("北方稀土"), old[:3]) == [(2, 8)]


def test_a_linked_cell_is_always_sent() -> None:
    linked = cells("news", Style(link="https://example.com"))
    assert {pen for _, pen, _ in linked} == {UNKNOWN}
    assert changed_runs(linked, [(text, pen) for text, pen, _ in linked]) == [(0, 4)]


def paint(shadow: ScreenShadow, terminal: Terminal, x: int, y: int, text: str,
          style: Style | None = WHITE) -> str:
    writer = SgrWriter(TRUE)
    shadow.write_changes(writer, x, y, cells(text, style))
    sent = writer.finish()
    terminal.feed(sent)
    return sent


def test_writing_over_the_copy_sends_the_changes_and_the_terminal_shows_everything() -> None:
    shadow, terminal = ScreenShadow(), Terminal(40, 3)
    shadow.reset(40, 3, generation=(1, 0))
    first = paint(shadow, terminal, 2, 1, "as of 12:00:41 北方稀土 50.48")
    assert "as of" in first
    second = paint(shadow, terminal, 2, 1, "as of 12:00:42 北方稀土 50.48")
    assert second == "\x1b[2;16H\x1b[38;2;224;224;224;48;2;18;18;18m2\x1b[0m"
    third = paint(shadow, terminal, 2, 1, "as of 12:00:42 北方稀土 50.48", RED)
    assert "北方稀土" in third
    assert terminal.text().splitlines()[1] == "  as of 12:00:42 北方稀土 50.48".ljust(40 - 4)
    assert paint(shadow, terminal, 2, 1, "as of 12:00:42 北方稀土 50.48", RED) == ""


def test_the_copy_is_trusted_only_at_its_size_and_generation() -> None:
    shadow = ScreenShadow()
    assert not shadow.trusted(40, 3, (0, 0))
    shadow.reset(40, 3, generation=(2, 0))
    assert shadow.trusted(40, 3, (2, 0))
    assert not shadow.trusted(40, 3, (3, 0))  # the screen was covered and came back
    assert not shadow.trusted(40, 3, (2, 1))  # the app came back from Ctrl+Z
    assert not shadow.trusted(41, 3, (2, 0))
    assert not shadow.trusted(40, 4, (2, 0))


def test_a_line_a_full_update_sent_is_compared_cell_by_cell_when_first_touched() -> None:
    shadow, terminal = ScreenShadow(), Terminal(40, 3)
    shadow.reset(40, 3, generation=(1, 0))
    line = [Strip([Segment("as of 12:00:41 ", WHITE)]), Strip([Segment("北方稀土", RED)])]
    shadow.record_line(1, 2, line, TRUE)
    sent = paint(shadow, terminal, 2, 1, "as of 12:00:42 ")
    assert sent == "\x1b[2;16H\x1b[38;2;224;224;224;48;2;18;18;18m2\x1b[0m"

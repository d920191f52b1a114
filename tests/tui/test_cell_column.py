"""A column cell's segments and how much of a changed cell is sent (pure functions)."""

from __future__ import annotations

from neodymium.tui.widgets.cell_column import Cell, cell_segments, changed_end
from rich.style import Style

ROW = Style.parse("white on #121212")


class Owner:
    """A table whose rows are white on dark grey, the cell's own style on top."""

    def cell_style(self, row: int, cell: Cell) -> Style:
        return ROW + Style.parse(cell.style) if cell.style else ROW


def test_values_of_one_colour_are_one_segment() -> None:
    cell = Cell.joined([(" 1.359  ", "green"), (" -2.44%  ", "green"), (" -6.34%  ", "green")])
    assert [(s.text, s.style) for s in cell_segments(Owner(), 0, cell)] == \
        [(" 1.359   -2.44%   -6.34%  ", ROW + Style.parse("green"))]


def test_blanks_join_the_segment_before_them() -> None:
    cell = Cell.joined([(" 1.359  ", "green"), ("  +2.9pp", "red"), ("  ", "bold")])
    segments = cell_segments(Owner(), 0, cell)
    # The red value's leading blanks and the bold blanks look the same in green: one code
    # per change of colour, and the text is all there.
    assert [s.text for s in segments] == [" 1.359    ", "+2.9pp  "]
    assert [s.style for s in segments] == [ROW + Style.parse("green"), ROW + Style.parse("red")]


def test_blanks_keep_their_own_background() -> None:
    cell = Cell.joined([("1.359", "green"), ("  ", "on red"), ("x", "green")])
    assert [s.text for s in cell_segments(Owner(), 0, cell)] == ["1.359", "  ", "x"]


def test_a_change_is_sent_up_to_its_last_changed_character() -> None:
    before = Cell.joined([(" 1.359  ", "green"), ("-2.44%  ", "green"), ("+2.9pp", "red")])
    after = Cell.joined([(" 1.360  ", "green"), ("-2.37%  ", "green"), ("+2.9pp", "red")])
    assert changed_end(before, after, 22) == len(" 1.360  -2.37")
    # A colour that changed counts as a change even where the characters did not.
    recoloured = Cell.joined([(" 1.359  ", "green"), ("-2.44%  ", "green"), ("+2.9pp", "dim")])
    assert changed_end(before, recoloured, 22) == 22
    # Never past the limit (the gap after the cell is not resent).
    assert changed_end(Cell("1.359  "), Cell("1.360  "), 5) == 5


def test_a_cell_that_does_not_line_up_is_sent_whole() -> None:
    assert changed_end(Cell("北方稀土"), Cell("北方稀x "), 8) == 8
    assert changed_end(Cell("1.359", primary=False), Cell("1.359", primary=True), 5) == 5


def test_reversed_blanks_keep_their_colour() -> None:
    cell = Cell.joined([("1.359", "green"), ("  ", "reverse red"), ("x", "green")])
    assert [s.text for s in cell_segments(Owner(), 0, cell)] == ["1.359", "  ", "x"]

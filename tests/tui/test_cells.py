"""The cell diff behind every repaint, label/value grids laid out as rich lays out a table, and
the big price split where a tick moves it."""

from __future__ import annotations

import io
import random

import pytest
from neodymium.tui.widgets.cells import changed_cells
from neodymium.tui.widgets.field_grid import Justify, column_widths, edges, fit
from neodymium.tui.widgets.quote_panel import split_price
from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from rich.table import Table
from rich.text import Text
from textual.strip import Strip

RED, DIM = Style(color="red"), Style(dim=True)


def cells_of(strip: Strip) -> list[tuple[str, Style | None]]:
    return [(char, segment.style) for segment in strip for char in segment.text]


def differing(old: Strip, new: Strip) -> set[int]:
    """Every cell index (all one cell wide here) where the two lines differ."""
    a, b = cells_of(old), cells_of(new)
    return {index for index in range(max(len(a), len(b)))
            if (a[index] if index < len(a) else None) != (b[index] if index < len(b) else None)}


@pytest.mark.parametrize(("old", "new", "span"), [
    ([("10:30:01", None)], [("10:30:02", None)], (7, 8)),
    ([("ab", None), ("cd", RED)], [("ab", None), ("cd", RED)], None),
    ([("ab", None), ("cd", RED)], [("ab", None), ("cd", DIM)], (2, 4)),
    ([("aa", None)], [("aaa", None)], (2, 3)),
    ([("aaa", None)], [("aa", None)], (2, 3)),
    ([("x 49.95 y", None)], [("x 49.96 y", None)], (6, 7)),
])
def test_changed_cells_spans_exactly_what_differs(old, new, span) -> None:
    before = Strip([Segment(text, style) for text, style in old])
    after = Strip([Segment(text, style) for text, style in new])
    assert changed_cells(before, after) == span


def test_changed_cells_covers_every_difference_whatever_the_segments() -> None:
    chance = random.Random(7)
    for _ in range(500):
        def line() -> Strip:
            texts = ["".join(chance.choice("ab ") for _ in range(chance.randint(0, 4)))
                     for _ in range(chance.randint(0, 4))]
            return Strip([Segment(text, chance.choice([None, RED, DIM])) for text in texts])
        old, new = line(), line()
        if chance.random() < 0.5:  # as wide as each other, as a widget's lines are
            width = max(old.cell_length, new.cell_length)
            old, new = (Strip([*strip, Segment(" " * (width - strip.cell_length))])
                        for strip in (old, new))
        span = changed_cells(old, new)
        diff = differing(old, new)
        if span is None:
            assert not diff
        else:
            assert all(span[0] <= index < span[1] for index in diff), (old, new, span)


def test_changed_cells_counts_wide_characters_as_two() -> None:
    old = Strip([Segment("北方稀土 49.95", None)])
    new = Strip([Segment("北方稀土 49.96", None)])
    assert changed_cells(old, new) == (13, 14)


def rich_lines(rows: list[list[str]], justify: list[Justify], pad: int, width: int,
               expand: bool) -> list[str]:
    table = Table.grid(padding=(0, pad), expand=expand)
    for side in justify:
        table.add_column(justify=side, no_wrap=True)
    for row in rows:
        table.add_row(*row)
    console = Console(width=width, file=io.StringIO(), legacy_windows=False)
    return ["".join(segment.text for segment in line).rstrip()
            for line in console.render_lines(table, console.options, pad=False)]


def grid_lines(rows: list[list[str]], justify: list[Justify], pad: int, width: int,
               expand: bool) -> list[str]:
    natural = [max(Text(row[index]).cell_len for row in rows) for index in range(len(justify))]
    shape = edges(natural, column_widths(natural, pad, width, expand), justify, pad)
    return ["".join(fit(Text(cell), area, cells, side).plain
                    for cell, (area, cells), side in zip(row, shape, justify, strict=True))
            .rstrip() for row in rows]


@pytest.mark.parametrize("seed", range(40))
def test_the_grid_puts_each_cell_where_a_rich_table_grid_does(seed: int) -> None:
    chance = random.Random(seed)
    justify: list[Justify] = [chance.choice(["left", "right"])
                              for _ in range(chance.randint(2, 4))]
    words = ["Open", "P/E TTM", "换手率", "Ask5", "50.62", "1805.78亿元", "—", "1,403"]
    rows = [[chance.choice(words) for _ in justify] for _ in range(chance.randint(1, 6))]
    natural = sum(max(Text(row[index]).cell_len for row in rows) for index in range(len(justify)))
    width = natural + chance.randint(len(justify), 30)  # room enough: no cell is cut
    pad, expand = chance.choice([1, 2]), chance.choice([True, False])
    assert grid_lines(rows, justify, pad, width, expand) == rich_lines(rows, justify, pad, width,
                                                                       expand)


@pytest.mark.parametrize(("last", "parts"), [
    ("49.95", ("49.", "9", "5")), ("1.360", ("1.", "36", "0")), ("5.1", ("5.", "", "1")),
    ("1805", ("1805", "", "")), ("—", ("—", "", "")),
])
def test_the_big_price_splits_at_the_point_and_before_the_last_decimal(
        last: str, parts: tuple[str, str, str]) -> None:
    assert split_price(last) == parts

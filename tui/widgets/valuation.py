"""Valuation: which P/E (TTM, dynamic, static) and market cap."""

from __future__ import annotations

from collections.abc import Sequence

from neodymium.tui.view import ValuationView
from neodymium.tui.widgets.field_grid import FieldGrid, Grid, one_a_line, pairs
from rich.cells import cell_len
from textual.reactive import reactive


class ValuationPanel(FieldGrid):
    """Renders a ValuationView as label/value pairs, each column its own widget."""

    view: reactive[ValuationView | None] = reactive(None, repaint=False)

    def watch_view(self) -> None:
        """Send the values that changed."""
        self.repaint()

    def grid(self, width: int) -> Grid:
        """The rows as a four-column grid (label, value, label, value); wide panels keep each
        label next to its value instead of stretching the pair apart; narrow ones one pair a
        line (see layout)."""
        return layout(self.view.rows if self.view else (), width)


#: The currency word a CNY amount carries ("1799.63亿元"): the first thing to go when narrow.
YUAN = "元"


def grid_cells(rows: Sequence[tuple[str, str]]) -> int:
    """Cells the two-pair grid needs at one cell of padding (label, value, label, value)."""
    columns = [[label for label, _ in rows[0::2]], [value for _, value in rows[0::2]],
               [label for label, _ in rows[1::2]], [value for _, value in rows[1::2]]]
    widths = [max((cell_len(text) for text in column), default=0) for column in columns]
    return sum(widths) + len(widths) - 1


def line_cells(rows: Sequence[tuple[str, str]]) -> int:
    """Cells one pair a line needs (label, a gap, value)."""
    labels = max((cell_len(label) for label, _ in rows), default=0)
    return labels + 1 + max((cell_len(value) for _, value in rows), default=0)


def layout(rows: Sequence[tuple[str, str]], width: int) -> Grid:
    """Two pairs a line when they fit at ``width`` (with 元 dropped if that is what it
    takes); otherwise one pair a line, so no value is cut: a cut figure ("1856.02…" for
    1856.02亿元) reads as another number. One pair a line keeps the panel's height, so it
    shows the first half of the rows (P/E TTM, market cap, P/B, float cap: the order is by
    importance) and the news below keeps its lines. Only when not even that fits are values
    cut."""
    short = [(label, value.removesuffix(YUAN)) for label, value in rows]
    for candidate in (list(rows), short):
        if grid_cells(candidate) <= width:
            return pairs(candidate, width)
    lines = (len(rows) + 1) // 2
    for candidate in (list(rows)[:lines], short[:lines]):
        if line_cells(candidate) <= width:
            return one_a_line(candidate)
    return pairs(short, width)

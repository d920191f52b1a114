"""Valuation: which P/E (TTM, dynamic, static) and market cap."""

from __future__ import annotations

from collections.abc import Sequence

from neodymium.tui.view import ValuationView
from neodymium.tui.widgets.field_grid import FieldGrid, Grid, pairs
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
        label next to its value instead of stretching the pair apart."""
        return pairs(fit_rows(self.view.rows if self.view else (), width), width)


#: The currency word a CNY amount carries ("1799.63亿元"): the first thing to go when narrow.
YUAN = "元"


def grid_cells(rows: Sequence[tuple[str, str]]) -> int:
    """Cells the two-pair grid needs at one cell of padding (label, value, label, value)."""
    columns = [[label for label, _ in rows[0::2]], [value for _, value in rows[0::2]],
               [label for label, _ in rows[1::2]], [value for _, value in rows[1::2]]]
    widths = [max((cell_len(text) for text in column), default=0) for column in columns]
    return sum(widths) + len(widths) - 1


def fit_rows(rows: Sequence[tuple[str, str]], width: int) -> list[tuple[str, str]]:
    """The rows as given, or, when they would be cut at ``width``, with amounts' trailing 元
    dropped (the magnitude 亿/万 stays; the currency is CNY unless marked otherwise)."""
    if grid_cells(rows) <= width:
        return list(rows)
    return [(label, value.removesuffix(YUAN)) for label, value in rows]

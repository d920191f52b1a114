"""Valuation: which P/E (TTM, dynamic, static) and market cap."""

from __future__ import annotations

from collections.abc import Sequence

from neodymium.tui.view import ValuationView
from neodymium.tui.widgets.cells import LineCache
from neodymium.tui.widgets.quote_panel import WIDE_FIELDS
from rich.cells import cell_len
from rich.table import Table
from textual.reactive import reactive


class ValuationPanel(LineCache):
    """Renders a ValuationView as label/value pairs (drawn once per change)."""

    view: reactive[ValuationView | None] = reactive(None, repaint=False)

    def watch_view(self, old: ValuationView | None, new: ValuationView | None) -> None:
        """Repaint the cells that changed; lay out again when the number of rows changes."""
        if old is None or new is None or len(old.rows) != len(new.rows):
            self.refresh(layout=True)
            return
        self.repaint_changes()

    def render(self) -> Table:
        """A two-column grid of the valuation rows."""
        return self.table_of(self.view, self.size.width)

    @staticmethod
    def table_of(view: ValuationView | None, width: int) -> Table:
        """The rows as a four-column grid (label, value, label, value); wide panels keep each
        label next to its value instead of stretching the pair apart."""
        wide = width >= WIDE_FIELDS
        table = Table.grid(padding=(0, 2 if wide else 1), expand=not wide)
        table.add_column(style="dim", no_wrap=True)
        table.add_column(justify="right", no_wrap=True)
        table.add_column(style="dim", no_wrap=True)
        table.add_column(justify="right", no_wrap=True)
        rows = fit_rows(view.rows if view else (), width)
        if len(rows) % 2:
            rows.append(("", ""))
        for left, right in zip(rows[0::2], rows[1::2], strict=True):
            table.add_row(left[0], left[1], right[0], right[1])
        return table


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

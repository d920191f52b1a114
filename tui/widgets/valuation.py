"""Valuation: which P/E (TTM, dynamic, static) and market cap."""

from __future__ import annotations

from neodymium.tui.view import ValuationView
from neodymium.tui.widgets.quote_panel import WIDE_FIELDS
from rich.table import Table
from textual.reactive import reactive
from textual.widget import Widget


class ValuationPanel(Widget):
    """Renders a ValuationView as label/value pairs."""

    view: reactive[ValuationView | None] = reactive(None, layout=True)

    def render(self) -> Table:
        """A two-column grid of the valuation rows."""
        # Wide panels keep each label next to its value instead of stretching the pair apart.
        wide = self.size.width >= WIDE_FIELDS
        table = Table.grid(padding=(0, 2 if wide else 1), expand=not wide)
        table.add_column(style="dim", no_wrap=True)
        table.add_column(justify="right", no_wrap=True)
        table.add_column(style="dim", no_wrap=True)
        table.add_column(justify="right", no_wrap=True)
        rows = list(self.view.rows) if self.view else []
        if len(rows) % 2:
            rows.append(("", ""))
        for left, right in zip(rows[0::2], rows[1::2], strict=True):
            table.add_row(left[0], left[1], right[0], right[1])
        return table

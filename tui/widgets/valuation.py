"""Valuation: which P/E (TTM, dynamic, static) and market cap."""

from __future__ import annotations

from neodymium.tui.view import ValuationView
from neodymium.tui.widgets.cells import as_lines, changed_regions
from neodymium.tui.widgets.quote_panel import WIDE_FIELDS
from rich.table import Table
from textual.reactive import reactive
from textual.widget import Widget


class ValuationPanel(Widget):
    """Renders a ValuationView as label/value pairs."""

    view: reactive[ValuationView | None] = reactive(None, repaint=False)

    def watch_view(self, old: ValuationView | None, new: ValuationView | None) -> None:
        """Repaint the cells that changed; lay out again when the number of rows changes."""
        width = self.content_size.width
        if old is None or new is None or len(old.rows) != len(new.rows) or not width:
            self.refresh(layout=True)
            return
        console = self.app.console
        regions = changed_regions(as_lines(console, self.table_of(old, width), width),
                                  as_lines(console, self.table_of(new, width), width), width)
        if regions is None:
            self.refresh()
        elif regions:
            self.refresh(*regions)

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
        rows = list(view.rows) if view else []
        if len(rows) % 2:
            rows.append(("", ""))
        for left, right in zip(rows[0::2], rows[1::2], strict=True):
            table.add_row(left[0], left[1], right[0], right[1])
        return table

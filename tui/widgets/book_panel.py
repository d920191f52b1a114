"""The 五档 panel: five asks above five bids, sizes in 手, 委比/委差 in the subtitle."""

from __future__ import annotations

from neodymium.tui.book_view import BookView
from neodymium.tui.widgets.cells import LineCache, TitledBox
from rich.table import Table
from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget


class BookPanel(LineCache):
    """Renders a BookView; a new view repaints only the cells that changed."""

    view: reactive[BookView | None] = reactive(None, repaint=False)

    def render(self) -> Table:
        """Ask5…Ask1 then Bid1…Bid5, prices coloured against the previous close."""
        table = Table.grid(padding=(0, 1), expand=True)
        table.add_column(style="dim", no_wrap=True)
        table.add_column(justify="right", no_wrap=True)
        table.add_column(justify="right", no_wrap=True)
        view = self.view
        if view is None:
            return table
        for row in (*view.asks, *view.bids):
            table.add_row(row.label, Text(row.price, style=row.style), row.size)
        return table

    def watch_view(self, view: BookView | None) -> None:
        """Repaint the changed cells; put the title and 委比/委差 on the enclosing panel's
        border (a TitledBox repaints only that border row)."""
        self.repaint_changes()
        box = self.parent
        if view is None or not isinstance(box, Widget):
            return
        if isinstance(box, TitledBox):
            box.set_titles(view.title, view.summary)
            return
        if box.border_title != view.title:  # set only when changed: each set repaints the box
            box.border_title = view.title
        if box.border_subtitle != view.summary:
            box.border_subtitle = view.summary

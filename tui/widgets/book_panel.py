"""The 五档 panel: five asks above five bids, sizes in 手, 委比/委差 in the subtitle."""

from __future__ import annotations

from neodymium.tui.book_view import BookView
from neodymium.tui.widgets.cells import TitledBox
from neodymium.tui.widgets.field_grid import FieldGrid, Grid, Justify, styled
from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget


class BookPanel(FieldGrid):
    """Renders a BookView in three columns (label, price, size), each its own widget: a new
    view sends only the changed prices and sizes, each from its column's edge."""

    JUSTIFY: tuple[Justify, ...] = ("left", "right", "right")

    view: reactive[BookView | None] = reactive(None, repaint=False)

    def grid(self, width: int) -> Grid:
        """Ask5…Ask1 then Bid1…Bid5, prices coloured against the previous close."""
        view = self.view
        if view is None:
            return Grid((), expand=True)
        return Grid(tuple((styled(row.label, "dim"), styled(row.price, row.style),
                           Text(row.size)) for row in (*view.asks, *view.bids)), expand=True)

    def watch_view(self, view: BookView | None) -> None:
        """Repaint the changed cells; put the title and 委比/委差 on the enclosing panel's
        border (a TitledBox repaints only that border row)."""
        self.repaint()
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

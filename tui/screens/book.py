"""The order book on a key (k, 盘口) for terminals too narrow to show it beside the quote."""

from __future__ import annotations

from neodymium.tui.book_view import BookView
from neodymium.tui.screens.dismissable import SCREENS_CSS, DismissableModal
from neodymium.tui.screens.watch import PANELS_CSS
from neodymium.tui.widgets.book_panel import BookPanel
from neodymium.tui.widgets.cells import TitledBox
from textual.app import ComposeResult
from textual.binding import Binding


class BookScreen(DismissableModal):
    """五档 of the primary, kept live by the app's redraws; k, Esc or q closes it."""

    CSS_PATH = [SCREENS_CSS, PANELS_CSS]
    BINDINGS = [Binding("k", "dismiss", "Close", show=False)]

    def __init__(self, view: BookView | None) -> None:
        super().__init__()
        self._view = view

    def compose(self) -> ComposeResult:
        with TitledBox(id="book-modal", classes="panel"):
            yield BookPanel(id="book-modal-panel")

    def on_mount(self) -> None:
        """Show the book the screen was opened with."""
        self.query_one(BookPanel).view = self._view

    def show(self, view: BookView | None) -> None:
        """Take a newer book."""
        self._view = view
        for panel in self.query(BookPanel):
            panel.view = view

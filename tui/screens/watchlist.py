"""The watchlist on a key (l) for terminals too narrow to keep it beside the quote."""

from __future__ import annotations

from neodymium.tui.screens.dismissable import SCREENS_CSS, DismissableModal
from neodymium.tui.screens.watch import PANELS_CSS
from neodymium.tui.watchlist_view import WatchListView
from neodymium.tui.widgets.watchlist import WatchList
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.markup import escape
from textual.widget import Widget


class WatchlistScreen(DismissableModal):
    """The group on show, live; Enter or a click opens a row and closes the list."""

    CSS_PATH = [SCREENS_CSS, PANELS_CSS]
    BINDINGS = [Binding("l", "dismiss", "Close", show=False)]

    def __init__(self, view: WatchListView | None) -> None:
        super().__init__()
        self._view = view

    def compose(self) -> ComposeResult:
        with Vertical(id="watch-modal", classes="panel"):
            yield WatchList(id="watch-modal-list")

    def on_mount(self) -> None:
        """Show the rows the screen was opened with and take the keys."""
        if self._view is not None:
            self.show(self._view)
        self.query_one(WatchList).focus()

    def show(self, view: WatchListView) -> None:
        """Take newer rows."""
        self._view = view
        for watchlist in self.query(WatchList):
            watchlist.show(view)
            box = watchlist.parent
            if isinstance(box, Widget):
                box.border_title = escape(f"{view.group} ({len(view.rows)})")  # text
                box.border_subtitle = "Enter open · g group · Esc"

    def on_watch_list_selected(self, event: WatchList.Selected) -> None:
        """Close once a row became the primary (the app handles the message too)."""
        self.dismiss(None)

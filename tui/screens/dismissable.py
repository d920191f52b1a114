"""The base of the modals closed by Escape or q: its own small module, so the screens the
watcher imports at start-up (book, watchlist) do not pull in every other modal with it."""

from __future__ import annotations

from textual.binding import Binding
from textual.screen import ModalScreen


class DismissableModal(ModalScreen[None]):
    """A modal closed by Escape, q or the key that opened it."""

    BINDINGS = [
        Binding("escape", "dismiss", "Close"),
        Binding("q", "dismiss", "Close", show=False),
    ]

    def action_dismiss(self, result: None = None) -> None:  # type: ignore[override]
        """Close the modal."""
        self.dismiss(result)

"""The base of the modals closed by Escape or q, and the style sheet of every screen but the
watch screen: a small module, so the screens the watcher imports at start-up (book,
watchlist) do not pull in every other modal with it."""

from __future__ import annotations

from pathlib import Path

from textual.binding import Binding
from textual.screen import ModalScreen

#: The rules of the screens opened from the watch screen: listed in each one's CSS_PATH, so
#: Textual reads them when the first of those opens, not before the watcher's first frame.
SCREENS_CSS = Path(__file__).resolve().parent.parent / "styles" / "screens.tcss"


class DismissableModal(ModalScreen[None]):
    """A modal closed by Escape, q or the key that opened it."""

    CSS_PATH = [SCREENS_CSS]

    BINDINGS = [
        Binding("escape", "dismiss", "Close"),
        Binding("q", "dismiss", "Close", show=False),
    ]

    def action_dismiss(self, result: None = None) -> None:  # type: ignore[override]
        """Close the modal."""
        self.dismiss(result)

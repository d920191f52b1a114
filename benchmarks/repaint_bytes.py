"""Bytes a running app would send to its terminal, counted in process (deterministic).

Textual hands every compositor update to ``App._display``; headless it writes nothing, so the
counter renders the update the way the Linux driver would (``render_segments`` with the app's
console) and keeps the lengths. On a frozen clock and a seeded demo the counts are exact, which
is what lets a test gate on them (the pty benchmark measures the real thing, with times).
"""

from __future__ import annotations

from typing import Any

from textual._compositor import CompositorUpdate


class RepaintCounter:
    """Counts the bytes of each frame an app paints from now on (until ``close``)."""

    def __init__(self, app: Any, *, keep: bool = False) -> None:
        self.app = app
        self.frames: list[int] = []
        #: The frames' text, when ``keep`` (to compare what was sent, not only how much).
        self.texts: list[str] = []
        self._original = app._display

        def display(screen: Any, renderable: Any) -> None:
            if isinstance(renderable, CompositorUpdate) and not app._batch_count:
                text = renderable.render_segments(app.console)
                self.frames.append(len(text.encode()))
                if keep:
                    self.texts.append(text)
            self._original(screen, renderable)

        app._display = display

    @property
    def total(self) -> int:
        """Bytes of every frame counted so far."""
        return sum(self.frames)

    def reset(self) -> None:
        """Forget what was counted."""
        self.frames.clear()
        self.texts.clear()

    def close(self) -> None:
        """Stop counting."""
        self.app._display = self._original

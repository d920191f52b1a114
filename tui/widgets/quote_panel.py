"""The quote panel: the last price large, change, the day's fields, badges, a flash on each tick."""

from __future__ import annotations

from neodymium.tui.view import QuoteView
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.reactive import reactive
from textual.widgets import Digits, Static

FLASH_SECONDS = 0.6
#: From this panel width the fields stop stretching to the edges.
WIDE_FIELDS = 80


class QuotePanel(Vertical):
    """Renders a QuoteView; flashes up/down when the last price changes."""

    view: reactive[QuoteView | None] = reactive(None)

    def compose(self) -> ComposeResult:
        yield Digits("—", id="last-price")
        with Horizontal(id="price-row"):
            yield Static(id="price-line")
            yield Static(id="change-line")
        yield Static(id="quote-fields")

    def on_mount(self) -> None:
        """Render a view that arrived before the panel was mounted."""
        if self.view is not None:
            self._show(self.view)

    def watch_view(self, old: QuoteView | None, new: QuoteView | None) -> None:
        """Update children and flash when the price ticks."""
        if new is None or not self.is_mounted:
            return
        self._show(new)
        if old is not None and old.last_value is not None and new.last_value is not None \
                and new.last_value != old.last_value:
            tick = "-tick-up" if new.last_value > old.last_value else "-tick-down"
            self.remove_class("-tick-up", "-tick-down")
            self.add_class(tick)
            self.set_timer(FLASH_SECONDS, lambda: self.remove_class(tick))

    def _show(self, new: QuoteView) -> None:
        digits = self.query_one("#last-price", Digits)
        digits.update(new.last)
        digits.set_classes(f"-{new.direction}")
        self.query_one("#price-line", Static).update(
            Text(new.last, style=f"bold {new.style}")
        )
        self.query_one("#change-line", Static).update(self._change_line(new))
        self.query_one("#quote-fields", Static).update(
            self._fields(new, expand=self.size.width < WIDE_FIELDS))

    @staticmethod
    def _change_line(view: QuoteView) -> Text:
        line = Text()
        line.append(f"{view.change}  {view.change_pct}", style=f"bold {view.style}")
        if view.badge:
            line.append("  ")
            line.append(f" {view.badge} ", style="bold reverse magenta")
        line.append("  ")
        fresh = view.freshness
        line.append(fresh.label, style="bold red" if fresh.stale else "dim")
        return line

    @staticmethod
    def _fields(view: QuoteView, expand: bool = True) -> Table:
        """Label/value pairs in two columns; wide panels keep each label next to its value."""
        table = Table.grid(padding=(0, 2 if not expand else 1), expand=expand)
        table.add_column(style="dim", no_wrap=True)
        table.add_column(justify="right", no_wrap=True)
        table.add_column(style="dim", no_wrap=True)
        table.add_column(justify="right", no_wrap=True)
        rows = list(view.rows)
        for left, right in zip(rows[0::2], rows[1::2], strict=False):
            table.add_row(left[0], left[1], right[0], right[1])
        return table

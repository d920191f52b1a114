"""The quote panel: the last price large, change, the day's fields, badges, a flash on each tick."""

from __future__ import annotations

from neodymium.tui.view import QuoteView
from neodymium.tui.widgets.cells import CellText
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.reactive import reactive
from textual.timer import Timer
from textual.widgets import Digits

FLASH_SECONDS = 0.6
#: From this panel width the fields stop stretching to the edges.
WIDE_FIELDS = 80


class QuotePanel(Vertical):
    """Renders a QuoteView; flashes up/down when the last price changes.

    Each part is updated only when its text changes, and then only in the cells that differ.
    """

    COMPONENT_CLASSES = {"quote-panel--tick-up", "quote-panel--tick-down"}

    view: reactive[QuoteView | None] = reactive(None, repaint=False)
    #: Whether the fields shown stretch to the panel's edges (None: none shown yet).
    _expand: bool | None = None
    #: The direction of the flash on show ("up", "down"), None when there is none.
    flash: str | None = None
    _flash_timer: Timer | None = None

    def compose(self) -> ComposeResult:
        yield Digits("—", id="last-price")
        with Horizontal(id="price-row"):
            yield CellText(id="price-line")
            yield CellText(id="change-line")
        yield CellText(id="quote-fields")

    def on_mount(self) -> None:
        """Render a view that arrived before the panel was mounted."""
        self._show(None, self.view)

    def watch_view(self, old: QuoteView | None, new: QuoteView | None) -> None:
        """Update children and flash when the price ticks."""
        self._show(old, new)

    def _show(self, old: QuoteView | None, new: QuoteView | None) -> None:
        found = self.query("#last-price")
        if new is None or not found:  # not composed yet: on_mount shows the view
            return
        digits = found.first(Digits)
        if digits.value != new.last:
            digits.update(new.last)
        for direction in ("up", "down", "flat"):
            digits.set_class(direction == new.direction, f"-{direction}")
        price = Text()  # the style on a span keeps the theme's colours (not on the Text itself)
        price.append(new.last, style=f"bold {new.style}")
        self.query_one("#price-line", CellText).show(price)
        self.query_one("#change-line", CellText).show(self._change_line(new))
        expand = self.size.width < WIDE_FIELDS
        if old is None or (old.rows, self._expand) != (new.rows, expand):  # a table is dear
            self._expand = expand
            self.query_one("#quote-fields", CellText).show(self._fields(new, expand=expand))
        if old is not None and old.last_value is not None and new.last_value is not None \
                and new.last_value != old.last_value:
            self._flash(digits, "up" if new.last_value > old.last_value else "down")

    def _flash(self, digits: Digits, direction: str | None) -> None:
        """Tint the big digits for FLASH_SECONDS (None: end the tint).

        An inline background repaints the digits only; toggling a class restyled them (a
        stylesheet pass, ~6 ms a move). The colours stay in the stylesheet, as component
        classes."""
        if self._flash_timer is not None:
            self._flash_timer.stop()
            self._flash_timer = None
        self.flash = direction
        if direction is None:
            digits.styles.background = None
            return
        digits.styles.background = self.get_component_styles(
            f"quote-panel--tick-{direction}").background
        self._flash_timer = self.set_timer(FLASH_SECONDS, lambda: self._flash(digits, None))

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

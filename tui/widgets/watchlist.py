"""The watchlist: a compact scrolling list drawn line by line (Textual's Line API).

A tick repaints only the rows whose text changed (each row is a small immutable value, its
Strip cached until it changes), so 60 symbols cost what the changed ones cost, not a table.
"""

from __future__ import annotations

from neodymium.tui import formatting as fmt
from neodymium.tui.watchlist_view import WatchListView, WatchRow
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

CODE_W, NAME_W, LAST_W, PCT_W = 6, 8, 8, 7
#: A row's cells: code, a space, name, last, change %.
ROW_W = CODE_W + 1 + NAME_W + LAST_W + PCT_W


class WatchList(ScrollView, can_focus=True):
    """Rows of code, short name, last, change %; Enter or a click makes a row the primary."""

    COMPONENT_CLASSES = {"watchlist--cursor", "watchlist--dim", "watchlist--badge"}
    BINDINGS = [
        Binding("up", "cursor(-1)", "Up", show=False),
        Binding("down", "cursor(1)", "Down", show=False),
        Binding("enter", "select", "Open", show=False),
        Binding("shift+up", "reorder(-1)", "Move up", show=False),
        Binding("shift+down", "reorder(1)", "Move down", show=False),
    ]

    cursor: reactive[int] = reactive(0, init=False)

    class Selected(Message):
        """A row was chosen (Enter or click)."""

        def __init__(self, symbol: str) -> None:
            super().__init__()
            self.symbol = symbol

    class Reorder(Message):
        """Move the highlighted row ``step`` places in its group."""

        def __init__(self, symbol: str, step: int) -> None:
            super().__init__()
            self.symbol = symbol
            self.step = step

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._rows: tuple[WatchRow, ...] = ()
        self._group: str | None = None
        self._strips: dict[int, Strip] = {}
        self._width = 0
        #: Lines painted since start-up (what a tick cost; read by tests and benchmarks).
        self.painted = 0

    # -- data ---------------------------------------------------------------------------------

    def show(self, view: WatchListView) -> None:
        """Take new rows; refresh only the lines whose row changed."""
        old, new = self._rows, view.rows
        self._rows = new
        if view.group != self._group or len(old) != len(new):
            self._group = view.group
            self._strips.clear()
            self.cursor = min(self.cursor, max(0, len(new) - 1))
            self.virtual_size = Size(self.size.width, len(new))
            self.refresh()
            return
        for index, (before, after) in enumerate(zip(old, new, strict=True)):
            if before != after:
                self._strips.pop(index, None)
                self._refresh_row(index)

    def _refresh_row(self, index: int) -> None:
        """Repaint one row's cells (not the blank after them, nor the scrollbar beside them)."""
        width = min(self.scrollable_content_region.width, ROW_W)
        self.refresh(Region(0, index - self.scroll_offset.y, width, 1))

    @property
    def rows(self) -> tuple[WatchRow, ...]:
        """The rows on show."""
        return self._rows

    def cursor_symbol(self) -> str | None:
        """The highlighted row's symbol."""
        return self._rows[self.cursor].symbol if 0 <= self.cursor < len(self._rows) else None

    def move_cursor_to(self, symbol: str) -> None:
        """Highlight ``symbol``'s row if it is listed."""
        for index, row in enumerate(self._rows):
            if row.symbol == symbol:
                self.cursor = index
                return

    def on_resize(self, event: events.Resize) -> None:
        """Keep the scrollable size in step with the widget's width."""
        self.virtual_size = Size(event.size.width, len(self._rows))

    # -- drawing ------------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        """One row, from the cache unless its row or the width changed."""
        width = self.scrollable_content_region.width
        if width != self._width:
            self._width = width
            self._strips.clear()
        index = y + self.scroll_offset.y
        if index >= len(self._rows):
            return Strip.blank(width, self.rich_style)
        strip = self._strips.get(index)
        if strip is None:
            strip = self._draw(self._rows[index], index == self.cursor, width)
            self._strips[index] = strip
            self.painted += 1
        return strip

    def _draw(self, row: WatchRow, highlighted: bool, width: int) -> Strip:
        base = self.rich_style
        if highlighted:
            base += self.get_component_rich_style("watchlist--cursor")
        dim = self.get_component_rich_style("watchlist--dim", partial=True)
        price = base + (dim if row.stale else Style.parse(row.style or "none"))
        name_style = base + (dim if not row.badge else
                             self.get_component_rich_style("watchlist--badge", partial=True))
        name = row.badge or row.name or row.note
        segments = [
            Segment(fmt.fit(row.code, CODE_W), base + Style(bold=row.primary)),
            Segment(" ", base),
            Segment(fmt.fit(name, NAME_W), name_style),
            Segment(fmt.fit(row.last, LAST_W, "right"), price),
            Segment(fmt.fit(row.change_pct, PCT_W, "right"), price),
        ]
        return Strip(segments).crop_extend(0, width, base)

    # -- interaction --------------------------------------------------------------------------

    def watch_cursor(self, old: int, new: int) -> None:
        """Repaint the two rows whose highlight changed and keep the cursor in view."""
        for index in (old, new):
            self._strips.pop(index, None)
            self.refresh_lines(index)
        self.scroll_to_region(Region(0, new, self.size.width, 1), animate=False)

    def action_cursor(self, step: int) -> None:
        """Move the highlight."""
        if self._rows:
            self.cursor = max(0, min(len(self._rows) - 1, self.cursor + step))

    def action_select(self) -> None:
        """Make the highlighted row the primary."""
        symbol = self.cursor_symbol()
        if symbol is not None:
            self.post_message(self.Selected(symbol))

    def action_reorder(self, step: int) -> None:
        """Ask for the highlighted row to move within its group."""
        symbol = self.cursor_symbol()
        if symbol is not None:
            self.post_message(self.Reorder(symbol, step))

    def on_click(self, event: events.Click) -> None:
        """A click highlights the row and makes it the primary."""
        index = event.y + self.scroll_offset.y
        if 0 <= index < len(self._rows):
            self.cursor = index
            self.post_message(self.Selected(self._rows[index].symbol))

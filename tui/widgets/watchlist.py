"""The watchlist: a compact scrolling list, one widget per column (see cell_column).

A tick repaints only the cells whose text changed, each from its own column's left edge, so
60 symbols cost what the changed quotes cost, not a row or a table.
"""

from __future__ import annotations

from neodymium.tui import formatting as fmt
from neodymium.tui.watchlist_view import PCT_CELLS, WatchListView, WatchRow
from neodymium.tui.widgets.cell_column import Cell, CellColumn
from rich.style import Style
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import ScrollableContainer
from textual.geometry import Region
from textual.message import Message
from textual.reactive import reactive

CODE_W, NAME_W, LAST_W = 6, 8, 8
#: The change %'s column: its characters and the space before them.
PCT_W = PCT_CELLS + 1
#: A row's cells: code, a space, name, last, change %.
ROW_W = CODE_W + 1 + NAME_W + LAST_W + PCT_W
#: Cell styles that name a component class (the rest are Rich style strings).
DIM, BADGE = "@dim", "@badge"


class WatchList(ScrollableContainer, can_focus=True):
    """Rows of code, short name, last and change %; Enter or a click makes a row the primary.

    Three columns: the code (and the space after it), the name or badge, and the quote (last
    and change %, one cell: they change together and share a colour).
    """

    DEFAULT_CSS = """
    WatchList {
        layout: horizontal;
        overflow-x: hidden;
    }
    """
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
        self._columns = (CellColumn(self, name="code"), CellColumn(self, name="name"),
                         CellColumn(self, name="quote"))
        self._styles: dict[tuple[bool, str], Style] = {}

    def compose(self) -> ComposeResult:
        yield from self._columns

    # -- data ---------------------------------------------------------------------------------

    def show(self, view: WatchListView) -> None:
        """Take new rows; repaint only the cells that changed."""
        old, self._rows = self._rows, view.rows
        if self.cursor >= len(view.rows):
            self.cursor = max(0, len(view.rows) - 1)
        if len(old) == len(view.rows):  # a tick: only the rows that changed are drawn again
            for index, (before, after) in enumerate(zip(old, view.rows, strict=True)):
                if before != after:
                    for column, cell in zip(self._columns, _cells(after), strict=True):
                        column.set_cell(index, cell)
            return
        code, name, quote = zip(*map(_cells, view.rows), strict=True) if view.rows else ((),) * 3
        self._columns[0].set_cells(code, CODE_W + 1, gap=1)
        self._columns[1].set_cells(name, NAME_W)
        self._columns[2].set_cells(quote, LAST_W + PCT_W, fill=True)

    @property
    def rows(self) -> tuple[WatchRow, ...]:
        """The rows on show."""
        return self._rows

    @property
    def painted(self) -> int:
        """Cells drawn since start-up (what a tick cost; read by tests and benchmarks)."""
        return sum(column.painted for column in self._columns)

    def cursor_symbol(self) -> str | None:
        """The highlighted row's symbol."""
        return self._rows[self.cursor].symbol if 0 <= self.cursor < len(self._rows) else None

    def move_cursor_to(self, symbol: str) -> None:
        """Highlight ``symbol``'s row if it is listed."""
        for index, row in enumerate(self._rows):
            if row.symbol == symbol:
                self.cursor = index
                return

    # -- drawing ------------------------------------------------------------------------------

    def cell_style(self, row: int, cell: Cell) -> Style:
        """The row's style (the cursor's when highlighted) with the cell's on top."""
        key = (row == self.cursor, cell.style)
        style = self._styles.get(key)
        if style is None:
            style = self.rich_style
            if key[0]:
                style += self.get_component_rich_style("watchlist--cursor")
            if cell.style == DIM:
                style += self.get_component_rich_style("watchlist--dim", partial=True)
            elif cell.style == BADGE:
                style += self.get_component_rich_style("watchlist--badge", partial=True)
            elif cell.style:
                style += Style.parse(cell.style)
            self._styles[key] = style
        return style

    def _restyle(self, *rows: int) -> None:
        for column in self._columns:
            column.restyle(rows)

    def notify_style_update(self) -> None:
        """A theme or CSS change: styles are looked up again."""
        super().notify_style_update()
        self._styles.clear()

    def on_focus(self) -> None:
        """The cursor takes the focused colour."""
        self._styles.clear()
        self._restyle(self.cursor)

    def on_blur(self) -> None:
        """The cursor takes the unfocused colour."""
        self._styles.clear()
        self._restyle(self.cursor)

    # -- interaction --------------------------------------------------------------------------

    def watch_cursor(self, old: int, new: int) -> None:
        """Repaint the two rows whose highlight changed and keep the cursor in view."""
        self._restyle(old, new)
        self.scroll_to_region(Region(0, new, 1, 1), animate=False)

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
        area = self.scrollable_content_region
        if event.screen_offset not in area:
            return
        index = event.screen_y - area.y + self.scroll_offset.y
        if 0 <= index < len(self._rows):
            self.cursor = index
            self.post_message(self.Selected(self._rows[index].symbol))


def _cells(row: WatchRow) -> tuple[Cell, Cell, Cell]:
    """A row's code (and the space after it), its name, badge or note, and its quote."""
    return (Cell(fmt.fit(row.code, CODE_W) + " ", "bold" if row.primary else ""),
            Cell(fmt.fit(row.badge or row.name or row.note, NAME_W), BADGE if row.badge else DIM),
            Cell(fmt.fit(row.last, LAST_W, "right") + fmt.fit(row.change_pct, PCT_W, "right"),
                 DIM if row.stale else row.style))

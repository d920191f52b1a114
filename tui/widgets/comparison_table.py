"""The ETF comparison table: a sticky header line over one widget per column (see cell_column).

A DataTable repaints its header and every row at full width for any change, and a table drawn
as one widget resends a changed row from its left edge; here each column is its own widget,
so a new snapshot repaints only the cells whose text or style differs, each from its own
column's edge. The columns a quote moves (last, day, the returns and spreads) share one
widget: a quote's change is one span up to its last changed character, the last price in
the day's colour so that it and the day's change are one colour code. Columns give way by
priority as the width shrinks (see comparison_columns).
The primary row stays on top; ``o`` sorts (again on the same column flips the direction) and
a click on a header sorts by that column.
"""

from __future__ import annotations

from collections.abc import Sequence

from neodymium.tui import formatting as fmt
from neodymium.tui.comparison_view import ComparisonRow
from neodymium.tui.widgets.cell_column import Cell, CellColumn
from neodymium.tui.widgets.comparison_columns import (
    COLUMNS,
    MAX_COLUMNS,
    NUMERIC,
    Column,
    Widths,
    cell_text,
    layout,
    sort_key_of,
    sort_rows,
    titles,
)
from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import ScrollableContainer
from textual.strip import Strip
from textual.widget import Widget

__all__ = ["COLUMNS", "ComparisonTable", "headers", "sort_rows"]

#: What a row's cells are made for: the columns shown, the gap between them, the window.
Shape = tuple[tuple[Column, ...], int, str]


def headers(window: str) -> dict[str, str]:
    """Column titles for a window (used by the command palette)."""
    return titles(window)


def moves_with_quotes(key: str) -> bool:
    """Whether a column's value moves with each quote (last, day, returns, spreads)."""
    return key in {"last", "day"} or key.startswith(("return:", "spread:"))


def _groups(columns: Sequence[Column]) -> list[list[int]]:
    """Column indices per widget: side by side, the columns a quote moves share one widget
    (a quote's change is one span, one cursor move); every other column has its own."""
    groups: list[list[int]] = []
    for index, column in enumerate(columns):
        if groups and moves_with_quotes(column.key) and \
                moves_with_quotes(columns[groups[-1][-1]].key):
            groups[-1].append(index)
        else:
            groups.append([index])
    return groups


class TableHeader(Widget):
    """The column titles, docked above the columns so they stay while the rows scroll."""

    DEFAULT_CSS = """
    TableHeader {
        dock: top;
        height: 1;
    }
    """

    def __init__(self, style: Style) -> None:
        super().__init__()
        self.text = ""
        self._style = style

    def show(self, text: str, style: Style) -> None:
        """Show these titles (repainted only when they or their style changed)."""
        if (text, style) != (self.text, self._style):
            self.text, self._style = text, style
            self.refresh()

    def render_line(self, y: int) -> Strip:
        """The titles, one segment, padded to the width."""
        width = self.size.width
        if y:
            return Strip.blank(width, self._style)
        return Strip([Segment(self.text, self._style)]).adjust_cell_length(width, self._style)


class ComparisonTable(ScrollableContainer, can_focus=True):
    """Rows of ComparisonRow under a sticky header, a row cursor; one widget per column."""

    DEFAULT_CSS = """
    ComparisonTable {
        layout: horizontal;
        overflow-x: hidden;
    }
    """
    BINDINGS = [
        Binding("up", "cursor(-1)", "Up", show=False),
        Binding("down", "cursor(1)", "Down", show=False),
        Binding("home", "cursor_to(0)", "First", show=False),
        Binding("end", "cursor_to(-1)", "Last", show=False),
    ]
    COMPONENT_CLASSES = {"comparison--header", "comparison--cursor", "comparison--primary"}

    def __init__(self, *, colors: fmt.Convention = "cn", **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.convention: fmt.Convention = colors
        self.window = ""
        self.sort_column: str | None = None
        self.sort_reverse = False
        self.cursor_row = 0
        self.rows_shown: list[ComparisonRow] = []
        self._rows: tuple[ComparisonRow, ...] = ()
        self._columns: list[Column] = []
        self._gap = 2
        self._header = TableHeader(Style())
        self._body = [CellColumn(self) for _ in range(MAX_COLUMNS)]
        for column in self._body:
            column.display = False
        self._styles: dict[tuple[bool, bool, str], Style] = {}
        #: Where each shown column is drawn: its widget's index and its part in that widget.
        self._where: dict[str, tuple[int, int]] = {}
        #: Each shown symbol's cells and the row and column shape they were made for.
        self._memo: dict[str, tuple[ComparisonRow, Shape, tuple[Cell, ...]]] = {}
        self._header_style: Style | None = None
        #: Each shown row's cells per column (measured once per row object).
        self._widths = Widths()

    def compose(self) -> ComposeResult:
        yield self._header
        yield from self._body

    # ---- data -------------------------------------------------------------------------
    def show(self, rows: Sequence[ComparisonRow], window: str) -> None:
        """Show these rows for a window; repaint only the cells whose text changed."""
        cursor = self.cursor_symbol()
        self._rows, self.window = tuple(rows), window
        self._update(cursor)

    def _update(self, cursor: str | None) -> None:
        self.rows_shown = sort_rows(self._rows, self.sort_column, self.sort_reverse, self.window)
        self._widths.keep(row.symbol for row in self._rows)
        columns, gap = layout(self._rows, self.window, self._available_width(),
                              self.sort_column, self._widths)
        self._columns, self._gap = columns, gap
        symbols = [r.symbol for r in self.rows_shown]
        old = self.cursor_row
        if cursor in symbols:
            self.cursor_row = symbols.index(cursor)
        self.cursor_row = min(self.cursor_row, max(0, len(symbols) - 1))
        if self.cursor_row != old:
            self._restyle(old)
        groups = _groups(columns)
        self._where = {columns[index].key: (number, part)
                       for number, group in enumerate(groups)
                       for part, index in enumerate(group)}
        shape = (tuple(columns), gap, self.window)
        rows = [self._row_cells(row, shape, groups) for row in self.rows_shown]
        self._memo = {row.symbol: self._memo[row.symbol] for row in self.rows_shown}
        for number, widget in enumerate(self._body):
            if number >= len(groups):
                if widget.display:
                    widget.display = False
                    widget.set_cells((), 0)
                continue
            group = groups[number]
            pads = [gap if index < len(columns) - 1 else 0 for index in group]
            widget.set_cells([cells[number] for cells in rows],
                             sum(columns[index].width for index in group) + sum(pads),
                             fill=number == len(groups) - 1, gap=pads[-1])
            widget.display = True
        if self._header_style is None:  # the DOM walk behind rich_style: once per restyle
            self._header_style = (self.rich_style +
                                  self.get_component_rich_style("comparison--header"))
        self._header.show("".join(self._header_cells(columns, gap)), self._header_style)

    def _row_cells(self, row: ComparisonRow, shape: Shape,
                   groups: Sequence[Sequence[int]]) -> tuple[Cell, ...]:
        """A row's cell in each column widget; kept while the row and the columns stay the
        same (a snapshot mostly moves a few rows: the others are not formatted again)."""
        kept = self._memo.get(row.symbol)
        if kept is not None and (kept[0] is row or kept[0] == row) and kept[1] == shape:
            return kept[2]
        columns, gap, window = shape
        cells = []
        for group in groups:
            parts = [(fmt.fit(cell_text(row, columns[index].key, window),
                              columns[index].width, columns[index].justify) +
                      " " * (gap if index < len(columns) - 1 else 0),
                      self._style_of(row, columns[index].key)) for index in group]
            cells.append(Cell(*parts[0], row.is_primary) if len(parts) == 1 else
                         Cell.joined(parts, row.is_primary))
        self._memo[row.symbol] = (row, shape, tuple(cells))
        return tuple(cells)

    def _available_width(self) -> int:
        """Cells for the columns: the widget's width, less a scrollbar only when the rows
        cannot all be shown (so the layout does not depend on when a transient bar came)."""
        width = self.size.width or 80
        height = self.size.height
        overflow = height > 0 and len(self._rows) + 1 > height
        return max(20, width - (self.styles.scrollbar_size_vertical if overflow else 0))

    def _header_cells(self, columns: Sequence[Column], gap: int) -> list[str]:
        cells = []
        for index, column in enumerate(columns):
            title = column.title
            if self.sort_column is not None and \
                    sort_key_of(column.key, self.window) == sort_key_of(self.sort_column,
                                                                          self.window):
                title += " ▼" if self.sort_reverse else " ▲"
            cells.append(fmt.fit(title, column.width, column.justify) +
                         (" " * gap if index < len(columns) - 1 else ""))
        return cells

    def _signed(self, value: str) -> str:
        if value.startswith("+"):
            return fmt.direction_style(1.0, self.convention)
        if value.startswith("-"):
            return fmt.direction_style(-1.0, self.convention)
        return ""

    def _style_of(self, row: ComparisonRow, key: str) -> str:
        """A cell's own style (a Rich style string) before the row's."""
        if key in {"symbol", "name"}:
            return "bold" if row.is_primary else ""
        if key == "spark":
            return row.spark_style
        if key == "last":  # coloured by the day's direction, as the watchlist and A-share
            return "dim" if row.stale else row.day_style  # terminals do: one colour with Day
        if key == "day":
            return row.day_style
        if key.startswith(("return", "spread")):
            return self._signed(cell_text(row, key, self.window))
        if key in {"max_drawdown", "currency"}:
            return "dim"
        return ""

    # ---- drawing ----------------------------------------------------------------------
    def cell_style(self, row: int, cell: Cell) -> Style:
        """The row's style (cursor, primary) with the cell's own on top."""
        cursor = row == self.cursor_row
        key = (cursor, cell.primary, cell.style)
        style = self._styles.get(key)
        if style is None:
            style = self.rich_style
            if cursor:
                style += self.get_component_rich_style("comparison--cursor",
                                                       partial=not self.has_focus)
            elif cell.primary:
                style += self.get_component_rich_style("comparison--primary", partial=True)
            if cursor and cell.style:
                # The cursor's colours win (as in a DataTable); only the weight is kept.
                style += Style(bold=True) if "bold" in cell.style else Style()
            elif cell.style:
                style += Style.parse(cell.style)
            self._styles[key] = style
        return style

    def _restyle(self, *rows: int) -> None:
        for column in self._body:
            if column.display:
                column.restyle(rows)

    def notify_style_update(self) -> None:
        """A theme or CSS change: styles are looked up again."""
        super().notify_style_update()
        self._styles.clear()
        self._header_style = None

    def on_resize(self, event: events.Resize) -> None:
        """Fit the columns to the new size."""
        self._update(self.cursor_symbol())

    def on_focus(self) -> None:
        """Show the cursor in the focused colour."""
        self._styles.clear()
        self._restyle(self.cursor_row)

    def on_blur(self) -> None:
        """Show the cursor dimmed."""
        self._styles.clear()
        self._restyle(self.cursor_row)

    # ---- sorting and cursor -----------------------------------------------------------
    def sort_by(self, column: str, reverse: bool | None = None) -> None:
        """Sort by a column (numbers descending first); again on it flips the direction."""
        same = self.sort_column is not None and \
            sort_key_of(column, self.window) == sort_key_of(self.sort_column, self.window)
        if reverse is None:
            reverse = not self.sort_reverse if same else sort_key_of(column, "") in NUMERIC \
                or column.startswith(("return:", "spread:"))
        self.sort_column, self.sort_reverse = column, reverse
        self._update(self.cursor_symbol())

    def next_sort(self) -> None:
        """``o``: flip the direction once on the same column, then move to the next column."""
        current = sort_key_of(self.sort_column, self.window) if self.sort_column else None
        if current in COLUMNS:
            first_reverse = current in NUMERIC
            if self.sort_reverse == first_reverse:
                self.sort_by(current, reverse=not first_reverse)
                return
            self.sort_by(COLUMNS[(COLUMNS.index(current) + 1) % len(COLUMNS)])
            return
        self.sort_by(COLUMNS[0])

    def on_click(self, event: events.Click) -> None:
        """A click on the header sorts by that column; on a row moves the cursor there."""
        area = self.scrollable_content_region
        if event.screen_offset not in area:
            return
        x, y = event.screen_x - area.x, event.screen_y - area.y
        if y == 0:
            left = 0
            for column in self._columns:
                left += column.width + self._gap
                if x < left:
                    self.sort_by(column.key)
                    break
        elif 0 < y + self.scroll_offset.y <= len(self.rows_shown):
            self._move_cursor(y + self.scroll_offset.y - 1)

    def action_cursor(self, step: int) -> None:
        """Move the row cursor."""
        self._move_cursor(self.cursor_row + step)

    def action_cursor_to(self, row: int) -> None:
        """Move the row cursor to the first (0) or last (-1) row."""
        self._move_cursor(row if row >= 0 else len(self.rows_shown) - 1)

    def _move_cursor(self, row: int) -> None:
        if not self.rows_shown:
            return
        old, self.cursor_row = self.cursor_row, max(0, min(len(self.rows_shown) - 1, row))
        self._restyle(old, self.cursor_row)
        top = self.scroll_offset.y
        visible = max(1, self.scrollable_content_region.height - 1)
        if self.cursor_row < top:
            self.scroll_to(y=self.cursor_row, animate=False)
        elif self.cursor_row >= top + visible:
            self.scroll_to(y=self.cursor_row - visible + 1, animate=False)

    def cursor_symbol(self) -> str | None:
        """The symbol of the highlighted row, if any."""
        if not self.rows_shown or self.cursor_row >= len(self.rows_shown):
            return None
        return self.rows_shown[self.cursor_row].symbol

    @property
    def row_count(self) -> int:
        """Rows shown (the header not counted)."""
        return len(self.rows_shown)

    @property
    def column_keys(self) -> list[str]:
        """Keys of the columns that fit, in display order."""
        return [c.key for c in self._columns]

    def column_widget(self, key: str) -> CellColumn:
        """The widget that draws a shown column (the moving columns share one)."""
        return self._body[self._where[key][0]]

    def column_offset(self, key: str) -> int:
        """Cells from the left edge of a shown column's widget to the column."""
        row = self.column_widget(key).cells[0]
        part = self._where[key][1]
        return sum(cell_len(text) for text, _ in row.pieces()[:part])

    def cell_text(self, symbol: str, key: str) -> str:
        """The text shown in a row's column (stripped), for tests and exports."""
        row = [r.symbol for r in self.rows_shown].index(symbol)
        number, part = self._where[key]
        return self._body[number].cells[row].pieces()[part][0].strip()

    def header_text(self) -> Text:
        """The header line as text."""
        return Text(self._header.text)

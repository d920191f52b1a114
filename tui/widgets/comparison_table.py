"""The ETF comparison table, drawn line by line and repainted only where a cell's text changed.

A DataTable repaints its header and every row at full width for any change; here each row is
kept as its cells' text, and a new snapshot refreshes just the regions of cells whose text or
style differs. Columns give way by priority as the width shrinks (see comparison_columns).
The primary row stays on top; ``o`` sorts (again on the same column flips the direction) and
a click on a header sorts by that column.
"""

from __future__ import annotations

from collections.abc import Sequence

from neodymium.tui import formatting as fmt
from neodymium.tui.comparison_view import ComparisonRow
from neodymium.tui.widgets.comparison_columns import (
    COLUMNS,
    NUMERIC,
    Column,
    cell_text,
    layout,
    sort_key_of,
    sort_rows,
    titles,
)
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

__all__ = ["COLUMNS", "ComparisonTable", "headers", "sort_rows"]

#: One cell as shown: its text (fitted to the column) and its style.
CellView = tuple[str, str]


def headers(window: str) -> dict[str, str]:
    """Column titles for a window (used by the command palette)."""
    return titles(window)


class ComparisonTable(ScrollView, can_focus=True):
    """Rows of ComparisonRow, a sticky header line, a row cursor; Line API with region refresh."""

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
        self._lines: list[list[CellView]] = []
        self._layout_key: object = None
        self._strips: dict[tuple[int, bool, int], Strip] = {}

    # ---- data -------------------------------------------------------------------------
    def show(self, rows: Sequence[ComparisonRow], window: str) -> None:
        """Show these rows for a window; repaint only the cells whose text changed."""
        cursor = self.cursor_symbol()
        self._rows, self.window = tuple(rows), window
        self._update(cursor)

    def _update(self, cursor: str | None) -> None:
        self.rows_shown = sort_rows(self._rows, self.sort_column, self.sort_reverse, self.window)
        width = self._available_width()
        columns, gap = layout(self._rows, self.window, width, self.sort_column)
        lines = [self._header_cells(columns)] + [self._row_cells(r, columns)
                                                  for r in self.rows_shown]
        symbols = [r.symbol for r in self.rows_shown]
        if cursor in symbols:
            self.cursor_row = symbols.index(cursor)
        self.cursor_row = min(self.cursor_row, max(0, len(symbols) - 1))
        key = (tuple(columns), gap, len(lines))
        if key != self._layout_key:
            self._columns, self._gap, self._lines = columns, gap, lines
            self._layout_key = key
            self._strips.clear()
            self.virtual_size = Size(width, len(lines))
            self.refresh()
            return
        regions = []
        for y, (old, new) in enumerate(zip(self._lines, lines, strict=True)):
            x, changed = 0, []
            for column, before, after in zip(columns, old, new, strict=True):
                if before != after:
                    changed.append(Region(x, y - (self.scroll_offset.y if y else 0),
                                          column.width, 1))
                x += column.width + gap
            if changed:  # one span per line: Textual sends each span from the line's start
                regions.append(Region.from_union(changed))
                self._drop_strips(y)
        self._lines = lines
        if regions:
            self.refresh(*regions)

    def _available_width(self) -> int:
        """Cells for the columns: the widget's width, less a scrollbar only when the rows
        cannot all be shown (so the layout does not depend on when a transient bar came)."""
        width = self.size.width or 80
        height = self.size.height
        overflow = height > 0 and len(self._rows) + 1 > height
        return max(20, width - (self.styles.scrollbar_size_vertical if overflow else 0))

    def _drop_strips(self, y: int) -> None:
        for key in [k for k in self._strips if k[0] == y]:
            del self._strips[key]

    def _header_cells(self, columns: Sequence[Column]) -> list[CellView]:
        cells = []
        for column in columns:
            title = column.title
            if self.sort_column is not None and \
                    sort_key_of(column.key, self.window) == sort_key_of(self.sort_column,
                                                                          self.window):
                title += " ▼" if self.sort_reverse else " ▲"
            cells.append((fmt.fit(title, column.width, column.justify), "bold"))
        return cells

    def _signed(self, value: str) -> str:
        if value.startswith("+"):
            return fmt.direction_style(1.0, self.convention)
        if value.startswith("-"):
            return fmt.direction_style(-1.0, self.convention)
        return ""

    def _row_cells(self, row: ComparisonRow, columns: Sequence[Column]) -> list[CellView]:
        cells = []
        for column in columns:
            text = cell_text(row, column.key, self.window)
            key = column.key
            if key in {"symbol", "name"}:
                style = "bold" if row.is_primary else ""
            elif key == "spark":
                style = row.spark_style
            elif key == "last":
                style = "dim" if row.stale else ""
            elif key == "day":
                style = row.day_style
            elif key.startswith(("return", "spread")):
                style = self._signed(text)
            elif key in {"max_drawdown", "currency"}:
                style = "dim"
            else:
                style = ""
            cells.append((fmt.fit(text, column.width, column.justify), style))
        return cells

    # ---- drawing ----------------------------------------------------------------------
    def render_line(self, y: int) -> Strip:
        """The header on the first line; rows below it scroll."""
        line = y if y == 0 else y + self.scroll_offset.y
        width = self.scrollable_content_region.width
        base = self.rich_style
        if line >= len(self._lines):
            return Strip.blank(width, base)
        cursor = line - 1 == self.cursor_row and line > 0
        key = (line, cursor and self.has_focus, width)
        strip = self._strips.get(key)
        if strip is None:
            strip = self._build_strip(line, cursor, width, base)
            self._strips[key] = strip
        return strip

    def _build_strip(self, line: int, cursor: bool, width: int, base: Style) -> Strip:
        if line == 0:
            row_style = base + self.get_component_rich_style("comparison--header")
        elif cursor:
            row_style = base + self.get_component_rich_style(
                "comparison--cursor", partial=not self.has_focus)
        else:
            row_style = base
        if line > 0 and self.rows_shown[line - 1].is_primary and not cursor:
            row_style += self.get_component_rich_style("comparison--primary", partial=True)
        segments: list[Segment] = []
        gap = " " * self._gap
        for index, (text, style) in enumerate(self._lines[line]):
            if index:
                segments.append(Segment(gap, row_style))
            if cursor and style:
                # The cursor's colours win (as in a DataTable); only the weight is kept.
                cell_style = row_style + Style(bold=True) if "bold" in style else row_style
            else:
                cell_style = row_style + Style.parse(style) if style else row_style
            segments.append(Segment(text, cell_style))
        return Strip(segments).adjust_cell_length(width, row_style)

    def on_resize(self, event: events.Resize) -> None:
        """Fit the columns to the new size and repaint the whole table once.

        Textual marks a resized widget dirty at its old size and keeps that region until the
        widget's next refresh; a full refresh now replaces it, so the first tick after the
        table grew (its height follows the rows) does not repaint that stale region again.
        """
        self._layout_key = None
        self._update(self.cursor_symbol())

    def on_focus(self) -> None:
        """Show the cursor in the focused colour."""
        self.refresh()

    def on_blur(self) -> None:
        """Show the cursor dimmed."""
        self.refresh()

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
        x, y = event.x - self.gutter.left, event.y - self.gutter.top
        if y == 0:
            left = 0
            for column in self._columns:
                if left <= x < left + column.width + self._gap:
                    self.sort_by(column.key)
                    break
                left += column.width + self._gap
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
        for line in (old + 1, self.cursor_row + 1):
            self._drop_strips(line)
            self.refresh_line(line)
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

    def cell_text(self, symbol: str, key: str) -> str:
        """The text shown in a row's column (stripped), for tests and exports."""
        index = [r.symbol for r in self.rows_shown].index(symbol) + 1
        return self._lines[index][self.column_keys.index(key)][0].strip()

    def header_text(self) -> Text:
        """The header line as text."""
        return Text((" " * self._gap).join(cell for cell, _ in self._lines[0])) \
            if self._lines else Text()

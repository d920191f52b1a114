"""The ETF comparison table: returns and spread over a window, sparkline, correlation, beta, risk.

Rows are ordered by the sort column (click a header, or the sort key); the cursor stays on the
same symbol when rows are re-ordered or refreshed.
"""

from __future__ import annotations

from collections.abc import Sequence

from neodymium.tui import formatting as fmt
from neodymium.tui.comparison_view import ComparisonRow, stats_horizon
from rich.console import JustifyMethod
from rich.text import Text
from textual.coordinate import Coordinate
from textual.widgets import DataTable

NAME_CELLS = 12
#: Column keys in display order; each is also a key of ComparisonRow.sort_values.
COLUMNS = ("symbol", "name", "spark", "last", "day", "return", "spread", "corr", "beta", "vol",
           "max_drawdown")
NUMERIC = frozenset(COLUMNS) - {"symbol", "name"}


def headers(window: str) -> dict[str, str]:
    """Column titles for a window (correlation/beta horizon follows the window)."""
    horizon = stats_horizon(window)
    return {
        "symbol": "Symbol", "name": "Name", "spark": "20 sessions", "last": "Last",
        "day": "Day", "return": window, "spread": f"vs {window}", "corr": f"ρ{horizon}",
        "beta": f"β{horizon}", "vol": "Vol 1Y", "max_drawdown": "MaxDD",
    }


def sort_rows(rows: Sequence[ComparisonRow], column: str | None, reverse: bool
              ) -> list[ComparisonRow]:
    """Rows ordered by a column; missing values always last, whatever the direction."""
    if column is None:
        return list(rows)
    present = [r for r in rows if r.sort_values.get(column) is not None]
    missing = [r for r in rows if r.sort_values.get(column) is None]
    present.sort(key=lambda r: r.sort_values[column], reverse=reverse)  # type: ignore[arg-type,return-value]
    return present + missing


class ComparisonTable(DataTable):
    """A DataTable keyed by symbol, rebuilt from view rows in the chosen order."""

    def __init__(self, *, colors: fmt.Convention = "cn", **kwargs: object) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)  # type: ignore[arg-type]
        self.convention: fmt.Convention = colors
        self.window = ""
        self.sort_column: str | None = None
        self.sort_reverse = False
        self._rows: tuple[ComparisonRow, ...] = ()

    def show(self, rows: Sequence[ComparisonRow], window: str) -> None:
        """Show these rows for a window, keeping the cursor on the same symbol."""
        if window != self.window:
            self._build_columns(window)
        cursor_key = self.cursor_symbol()
        self._rows = tuple(rows)
        self.clear()
        for row in sort_rows(rows, self.sort_column, self.sort_reverse):
            self.add_row(*self._cells(row), key=row.symbol)
        if cursor_key is not None and cursor_key in {r.symbol for r in rows}:
            self.move_cursor(row=self.get_row_index(cursor_key), animate=False)

    def sort_by(self, column: str, reverse: bool | None = None) -> None:
        """Sort by a column (numbers descending first); repeat to flip the direction."""
        if reverse is None:
            reverse = not self.sort_reverse if column == self.sort_column else column in NUMERIC
        self.sort_column, self.sort_reverse = column, reverse
        self._build_columns(self.window)
        self.show(self._rows, self.window)

    def next_sort(self) -> None:
        """Cycle the sort column (for keyboard users)."""
        index = COLUMNS.index(self.sort_column) + 1 if self.sort_column in COLUMNS else 0
        self.sort_by(COLUMNS[index % len(COLUMNS)])

    def on_data_table_header_selected(self, event: DataTable.HeaderSelected) -> None:
        """A click on a header sorts by it."""
        event.stop()
        self.sort_by(str(event.column_key.value))

    def cursor_symbol(self) -> str | None:
        """The symbol of the highlighted row, if any."""
        if not self.row_count or self.cursor_row >= self.row_count:
            return None
        return self.coordinate_to_cell_key(Coordinate(self.cursor_row, 0)).row_key.value

    def _build_columns(self, window: str) -> None:
        self.clear(columns=True)
        titles = headers(window)
        for key in COLUMNS:
            title = titles[key]
            if key == self.sort_column:
                title += " ▼" if self.sort_reverse else " ▲"
            justify: JustifyMethod = "left" if key in {"symbol", "name", "spark"} else "right"
            width = NAME_CELLS if key == "name" else None
            self.add_column(Text(title, justify=justify), key=key, width=width)
        self.window = window

    def _signed(self, value: str) -> str:
        if value.startswith("+"):
            return fmt.direction_style(1.0, self.convention)
        if value.startswith("-"):
            return fmt.direction_style(-1.0, self.convention)
        return ""

    def _cells(self, row: ComparisonRow) -> list[Text]:
        bold = "bold" if row.is_primary else ""
        return [
            Text(row.symbol, style=bold),
            Text(fmt.fit(row.name, NAME_CELLS), style=bold),
            Text(row.spark, style=row.spark_style),
            Text(row.last, justify="right", style="dim" if row.stale else ""),
            Text(row.day_pct, justify="right", style=row.day_style),
            Text(row.window_return, justify="right", style=self._signed(row.window_return)),
            Text(row.window_spread, justify="right", style=self._signed(row.window_spread)),
            Text(row.corr, justify="right"),
            Text(row.beta, justify="right"),
            Text(row.vol, justify="right"),
            Text(row.max_drawdown, justify="right", style="dim"),
        ]

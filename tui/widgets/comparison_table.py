"""The ETF comparison table: the primary and each comparison symbol, returns and spreads."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.widgets import DataTable

from tui import formatting as fmt
from tui.view import ComparisonRow

NAME_CELLS = 16


class ComparisonTable(DataTable):
    """A DataTable keyed by symbol; cells update in place as snapshots arrive."""

    def __init__(self, *, colors: str = "cn", **kwargs: object) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)  # type: ignore[arg-type]
        self.convention = colors
        self._columns_for: tuple[str, ...] = ()

    def show(self, rows: Sequence[ComparisonRow], windows: Sequence[str]) -> None:
        """Replace the table contents with these rows (keeps the cursor on the same symbol)."""
        if tuple(windows) != self._columns_for:
            self.clear(columns=True)
            self.add_column("Symbol", key="symbol")
            self.add_column("Name", key="name", width=NAME_CELLS)
            self.add_column(Text("Last", justify="right"), key="last")
            self.add_column(Text("Day", justify="right"), key="day")
            for window in windows:
                self.add_column(Text(window, justify="right"), key=f"r{window}")
                self.add_column(Text(f"vs {window}", justify="right"), key=f"s{window}")
            self._columns_for = tuple(windows)
        cursor_key = None
        if self.row_count and self.cursor_row < self.row_count:
            cursor_key = self.coordinate_to_cell_key((self.cursor_row, 0)).row_key.value
        self.clear()
        for row in rows:
            self.add_row(*self._cells(row), key=row.symbol)
        if cursor_key is not None and cursor_key in {r.symbol for r in rows}:
            self.move_cursor(row=self.get_row_index(cursor_key))

    def _style(self, value: str) -> str:
        if value.startswith("+"):
            return fmt.direction_style(1.0, self.convention)
        if value.startswith("-"):
            return fmt.direction_style(-1.0, self.convention)
        return ""

    def _cells(self, row: ComparisonRow) -> list[Text]:
        symbol_style = "bold" if row.is_primary else ""
        cells = [
            Text(row.symbol, style=symbol_style),
            Text(fmt.fit(row.name, NAME_CELLS), style=symbol_style),
            Text(row.last, justify="right", style="dim" if row.stale else ""),
            Text(row.day_pct, justify="right", style=row.day_style),
        ]
        for (_, ret), (_, spread) in zip(row.returns, row.spreads, strict=True):
            cells.append(Text(ret, justify="right", style=self._style(ret)))
            cells.append(Text(spread, justify="right", style="dim " + self._style(spread)))
        return cells

"""Which comparison columns fit a width, in what order, and how rows sort (no Textual here).

Always shown: Symbol, Last, Day, the window's return and its spread (in 1D the return is the
Day column, so only the spread is added). The rest give way, first to last, as the width
shrinks: ``DROP_ORDER`` is the stated priority. Wide tables (``WIDE_CELLS`` and up) add the
windows of ``WIDE_WINDOWS`` side by side, each with its spread, and full names.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from neodymium.tui.comparison_view import TABLE_WINDOWS, ComparisonRow, stats_horizon
from rich.cells import cell_len

Justify = Literal["left", "right"]
#: Column keys in their display order (window columns are ``return:W`` / ``spread:W``).
BASE_ORDER = ("symbol", "name", "currency", "spark", "last", "day", "windows", "corr", "beta",
              "vol", "max_drawdown")
#: Columns keys a keyboard user cycles through with ``o`` (the window's return and spread).
COLUMNS = ("symbol", "name", "spark", "last", "day", "return", "spread", "corr", "beta", "vol",
           "max_drawdown")
NUMERIC = frozenset(COLUMNS) - {"symbol", "name"}
#: What gives way first when the width is short (earliest first); the rest always stay.
DROP_ORDER = ("max_drawdown", "vol", "extra-windows", "name-full", "spark", "beta", "corr",
              "currency", "name")
WIDE_WINDOWS = ("5D", "1M", "YTD", "1Y")
WIDE_CELLS = 150
NAME_CELLS = 12
#: The narrowest a name is squeezed before it gives way altogether.
NAME_MIN = 6
NAME_FULL_MAX = 30
#: The most columns a table can show: every base column, and a return and a spread for each
#: wide window and the window chosen.
MAX_COLUMNS = len(BASE_ORDER) - 1 + 2 * (len(WIDE_WINDOWS) + 1)
MIN_WIDTHS = {"last": 6, "day": 7, "return": 7, "spread": 7, "corr": 5, "beta": 5, "vol": 6,
              "max_drawdown": 6}


@dataclass(frozen=True, slots=True)
class Column:
    """One shown column: its key (also its sort key), title, width and alignment."""

    key: str
    title: str
    width: int
    justify: Justify
    group: str


def titles(window: str) -> dict[str, str]:
    """Column titles for a window (correlation/beta horizon follows the window)."""
    horizon = stats_horizon(window)
    return {
        "symbol": "Symbol", "name": "Name", "currency": "Ccy", "spark": "20 sessions",
        "last": "Last", "day": "Day", "return": window, "spread": f"vs {window}",
        "corr": f"ρ{horizon}", "beta": f"β{horizon}", "vol": "Vol 1Y", "max_drawdown": "MaxDD",
    }


def cell_text(row: ComparisonRow, key: str, window: str) -> str:
    """The text a row shows in a column."""
    if key.startswith(("return:", "spread:")):
        kind, shown = key.split(":", 1)
        if shown == window:
            return row.window_return if kind == "return" else row.window_spread
        return (row.returns if kind == "return" else row.spreads).get(shown, "")
    value = {
        "symbol": row.symbol, "name": row.name, "currency": row.currency, "spark": row.spark,
        "last": row.last, "day": row.day_pct, "return": row.window_return,
        "spread": row.window_spread, "corr": row.corr, "beta": row.beta, "vol": row.vol,
        "max_drawdown": row.max_drawdown,
    }[key]
    return value


class Widths:
    """Each row's cells in each column, kept while the row is the very object measured (the
    table's rows come from a row memo: a symbol that did not move brings the same row, and
    the layout of a snapshot measures only the rows that moved)."""

    def __init__(self) -> None:
        self._rows: dict[str, tuple[ComparisonRow, str, dict[str, int]]] = {}

    def of(self, row: ComparisonRow, key: str, window: str) -> int:
        """Cells of ``row``'s text in column ``key``."""
        kept = self._rows.get(row.symbol)
        if kept is None or kept[0] is not row or kept[1] != window:
            kept = self._rows[row.symbol] = (row, window, {})
        cells = kept[2].get(key)
        if cells is None:
            cells = kept[2][key] = cell_len(cell_text(row, key, window))
        return cells

    def keep(self, symbols: Iterable[str]) -> None:
        """Forget every symbol but ``symbols`` (rows no longer shown)."""
        wanted = set(symbols)
        self._rows = {symbol: kept for symbol, kept in self._rows.items() if symbol in wanted}


def _windows(window: str, wide: bool) -> list[str]:
    shown = set(WIDE_WINDOWS) | {window} if wide else {window}
    return [w for w in TABLE_WINDOWS if w in shown]


def _candidates(rows: Sequence[ComparisonRow], window: str, wide: bool,
                full_names: bool, sorted_key: str | None, widths: Widths) -> list[Column]:
    names = titles(window)
    mixed = len({row.currency for row in rows if row.currency}) > 1
    out: list[Column] = []

    def width(key: str, title: str, minimum: int = 0) -> int:
        values = [widths.of(row, key, window) for row in rows]
        arrow = 2 if sorted_key is not None and sort_key_of(key, window) == sorted_key else 0
        return max([minimum, cell_len(title) + arrow, *values])

    for key in BASE_ORDER:
        if key == "windows":
            for shown in _windows(window, wide):
                group = "window" if shown == window else "extra-windows"
                if not (shown == "1D" and shown == window):  # in 1D the Day column is it
                    out.append(Column(f"return:{shown}", shown,
                                      width(f"return:{shown}", shown, MIN_WIDTHS["return"]),
                                      "right", group))
                title = f"vs {shown}"
                out.append(Column(f"spread:{shown}", title,
                                  width(f"spread:{shown}", title, MIN_WIDTHS["spread"]),
                                  "right", group))
        elif key == "currency":
            if mixed:
                out.append(Column(key, names[key], width(key, names[key]), "left", key))
        elif key == "name":
            longest = max((widths.of(row, "name", window) for row in rows), default=NAME_CELLS)
            full = min(NAME_FULL_MAX, longest)
            cells = full if full_names and full > NAME_CELLS else NAME_CELLS
            out.append(Column(key, names[key], cells, "left",
                              "name-full" if cells > NAME_CELLS else key))
        else:
            justify: Justify = "left" if key in {"symbol", "spark"} else "right"
            group = key if key not in {"symbol", "last", "day"} else "core"
            out.append(Column(key, names[key], width(key, names[key], MIN_WIDTHS.get(key, 0)),
                              justify, group))
    return out


def total(columns: Sequence[Column], gap: int) -> int:
    """Cells a row of these columns takes."""
    return sum(c.width for c in columns) + gap * max(0, len(columns) - 1)


def layout(rows: Sequence[ComparisonRow], window: str, width: int,
           sort_column: str | None = None, widths: Widths | None = None
           ) -> tuple[list[Column], int]:
    """The columns that fit ``width`` cells and the gap between them (the sorted column is
    two cells wider, for its arrow); ``widths``: the caller's, kept between layouts."""
    wide = width >= WIDE_CELLS
    gap = 1 if wide else 2
    sorted_key = sort_key_of(sort_column, window) if sort_column else None
    columns = _candidates(rows, window, wide, full_names=wide, sorted_key=sorted_key,
                          widths=widths if widths is not None else Widths())
    for group in DROP_ORDER:
        if total(columns, gap) <= width:
            break
        if group == "name":
            spare = width - total([c for c in columns if c.key != "name"], gap) - gap
            if spare >= NAME_MIN:
                columns = [c if c.key != "name" else
                           Column(c.key, c.title, min(c.width, spare), c.justify, "name")
                           for c in columns]
                continue
        if group == "name-full":
            columns = [c if c.group != "name-full" else
                       Column(c.key, c.title, NAME_CELLS, c.justify, "name") for c in columns]
        else:
            columns = [c for c in columns if c.group != group]
    if wide and total(columns, 2) <= width:
        gap = 2
    return columns, gap


def sort_key_of(column: str, window: str) -> str:
    """The ComparisonRow.sort_values key of a column key."""
    if column.startswith(("return:", "spread:")):
        kind, shown = column.split(":", 1)
        return kind if shown == window else column
    return column


@lru_cache(maxsize=512)
def pinyin_key(name: str) -> str:
    """A name's sort key in pinyin order (北方稀土 → "bei fang xi tu"); Latin stays as is."""
    from pypinyin import lazy_pinyin

    return " ".join(lazy_pinyin(name)).lower()


def sort_rows(rows: Sequence[ComparisonRow], column: str | None, reverse: bool,
              window: str = "") -> list[ComparisonRow]:
    """The primary first, then the rest by a column; missing values always last.

    Names sort in pinyin order, so 稀土 (xi tu) comes after 北方 (bei fang).
    """
    pinned = [r for r in rows if r.is_primary]
    rest = [r for r in rows if not r.is_primary]
    if column is None:
        return pinned + rest
    key = sort_key_of(column, window)

    def value(row: ComparisonRow) -> float | str | None:
        if key == "name":
            return pinyin_key(row.name)
        return row.sort_values.get(key)

    present = [r for r in rest if value(r) is not None]
    missing = [r for r in rest if value(r) is None]
    present.sort(key=value, reverse=reverse)  # type: ignore[arg-type]
    return pinned + present + missing

"""The 分时 chart's volume bars at the terminal's resolution: one bar per character cell.

The chart has more minutes (241 a session, 1,205 over 五日) than its canvas has half-block
columns at most widths, and a character cell shows one colour only: drawn minute by minute,
an up minute and a down minute sharing a cell left half of it empty, and the volume pane looked
like a comb. Here the minutes are gathered into the cells plotext draws them in (the price line
above uses the same mapping), each cell one bar: the largest minute's volume (so the scale stays
"per minute"), coloured by the cell's move (its last price against the last price before it),
the auction's colour where an opening auction's minute falls. No Textual here.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class VolumeCell:
    """One character column's bar."""

    column: int
    volume: float
    direction: str  # "up", "down" or "flat"
    auction: bool


def column_of(x: float, span: float, columns: int) -> int:
    """The character column plotext draws ``x`` (0 to ``span``) in on a canvas ``columns``
    wide with two dots per column (half blocks, braille), as its ``get_matrix_data`` maps it."""
    dots = 2 * columns
    dot = math.floor(round(0.5 + (dots - 1) * x / span, 8)) if span else 0
    return max(0, min(dot // 2, columns - 1))


def volume_cells(xs: Sequence[float], volumes: Sequence[float], prices: Sequence[float],
                 prev_close: float | None, auctions: Collection[float], span: float,
                 columns: int) -> list[VolumeCell]:
    """The minutes' volumes gathered per character column, left to right (columns without a
    minute have no cell)."""
    cells: list[VolumeCell] = []
    before = prev_close
    current: int | None = None
    peak, last, auction = 0.0, 0.0, False
    for x, volume, price in zip(xs, volumes, prices, strict=True):
        column = column_of(x, span, columns)
        if column != current:
            if current is not None:
                cells.append(VolumeCell(current, peak, _direction(before, last), auction))
                before = last
            current, peak, auction = column, 0.0, False
        peak, last = max(peak, volume), price
        auction = auction or x in auctions
    if current is not None:
        cells.append(VolumeCell(current, peak, _direction(before, last), auction))
    return cells


def _direction(before: float | None, price: float) -> str:
    if before is None or price == before:
        return "flat"
    return "up" if price > before else "down"


def canvas_columns(axis_line: str) -> int | None:
    """The canvas width of a plotext plot, read off its bottom axis line (``└──┬──┘``, colours
    removed); None when the line is not one."""
    left, right = axis_line.find("└"), axis_line.rfind("┘")
    return right - left - 1 if 0 <= left < right else None

"""Label/value grids drawn as one widget, each row its columns side by side.

The grid is one ``CellText`` whose lines are the rows, each row its columns' cells side by
side; a changed value refreshes only its own cells. The columns are laid out as
``rich.table.Table.grid(padding=(0, pad), expand=...)`` lays out no-wrap columns, so the grid
looks as the table did.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from neodymium.tui.widgets.cells import CellText
from rich.text import Text
from textual.events import Resize

Justify = Literal["left", "right"]
#: From this width label/value pairs stop stretching to the edges.
WIDE_FIELDS = 80


@dataclass(frozen=True, slots=True)
class Grid:
    """Rows of cells (one Text a column), the gap after each column but the last, and whether
    the columns stretch to the grid's width."""

    rows: tuple[tuple[Text, ...], ...]
    pad: int = 1
    expand: bool = False


def styled(text: str, style: str) -> Text:
    """``text`` in ``style``, set on a span (a Text's own style loses the theme's colours)."""
    cell = Text()
    cell.append(text, style=style)
    return cell


def distribute(total: int, ratios: Sequence[int]) -> list[int]:
    """``total`` cells shared in proportion to ``ratios``, rounding up from the first (the rule
    rich uses to stretch a table)."""
    left_ratio, left, shares = sum(ratios), total, []
    for ratio in ratios:
        share = math.ceil(ratio * left / left_ratio) if left_ratio > 0 else left
        shares.append(share)
        left_ratio -= ratio
        left -= share
    return shares


def reduce(excess: int, widths: Sequence[int]) -> list[int]:
    """``widths`` less ``excess`` cells taken evenly (rich's last resort for a table too wide
    for its space)."""
    count, left, result = len(widths), excess, []
    for width in widths:
        taken = min(width, round(left / count)) if count else 0
        result.append(width - taken)
        left -= taken
        count -= 1
    return result


def column_widths(natural: Sequence[int], pad: int, width: int, expand: bool) -> list[int]:
    """Each column's width with its gap: its widest cell plus ``pad`` (none after the last);
    the room left over shared in proportion to those widths when ``expand``; cells taken
    evenly from every column when they do not fit."""
    outer = [cells + (pad if index < len(natural) - 1 else 0)
             for index, cells in enumerate(natural)]
    spare = width - sum(outer)
    if expand and spare > 0 and sum(outer) > 0:
        return [cells + share for cells, share in zip(outer, distribute(spare, outer),
                                                      strict=True)]
    if spare < 0:
        return reduce(-spare, outer)
    return outer


def fit(cell: Text, area: int, cells: int, justify: Justify) -> Text:
    """``cell`` justified in the first ``area`` cells, then blank to ``cells``."""
    text = cell.copy()
    text.truncate(max(0, area), overflow="ellipsis")
    fill = " " * (area - text.cell_len)
    line = Text(fill) + text if justify == "right" else text + Text(fill)
    line.append(" " * (cells - line.cell_len))
    return line


def edges(natural: Sequence[int], outer: Sequence[int], justify: Sequence[Justify],
          pad: int) -> list[tuple[int, int]]:
    """Each column's (area, width): the room a right-justified column was given beyond its
    widest cell moves to the column before it (as trailing blank), so the column starts where
    its widest value does. The cells land where rich's table puts them."""
    last = len(natural) - 1
    widths = list(outer)
    areas = [cells - (pad if index < last else 0) for index, cells in enumerate(outer)]
    for index in range(1, len(natural)):
        if justify[index] == "right":
            extra = max(0, areas[index] - natural[index])
            widths[index] -= extra
            widths[index - 1] += extra
            areas[index] -= extra
    return list(zip(areas, widths, strict=True))


@dataclass(frozen=True, slots=True)
class Fitted:
    """One column's cells and the lines they were fitted to (``area``, ``cells``)."""

    source: tuple[Text, ...] = ()
    lines: tuple[Text, ...] = ()
    area: int = -1
    cells: int = -1

    def refit(self, source: tuple[Text, ...], area: int, cells: int,
              justify: Justify) -> Fitted:
        """``source`` fitted, reusing the lines of the cells that did not change."""
        if (area, cells) != (self.area, self.cells):
            return Fitted(source, tuple(fit(cell, area, cells, justify) for cell in source),
                          area, cells)
        lines = tuple(self.lines[y] if y < len(self.source) and self.source[y] == cell
                      else fit(cell, area, cells, justify) for y, cell in enumerate(source))
        return Fitted(source, lines, area, cells)


class FieldGrid(CellText):
    """Columns of cells drawn as one widget's lines; subclasses say what to show in
    ``grid(width)`` and call ``repaint`` when it changed. A changed value is sent alone: the
    widget refreshes only the cells of its lines that changed, and the screen's compositor
    sends only those that differ from what the terminal shows (tui/screen_shadow.py), so a
    column whose width changes moves its neighbours' cells without a layout of the screen."""

    DEFAULT_CSS = """
    FieldGrid {
        width: 1fr;
        height: auto;
        text-wrap: nowrap;
        text-overflow: clip;
    }
    """

    #: How each column's cells are justified.
    JUSTIFY: tuple[Justify, ...] = ("left", "right", "left", "right")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        #: Each column's cells and lines as last fitted (unchanged cells are not fitted again).
        self._fitted: list[Fitted] = []

    def grid(self, width: int) -> Grid:
        """What to show at ``width`` cells."""
        return Grid(())

    def on_resize(self, event: Resize) -> None:
        """Lay the columns out again for the new width."""
        self.repaint()

    def on_mount(self) -> None:
        """Show what arrived before the widget was laid out."""
        self.repaint()

    def repaint(self) -> None:
        """Fit each column's cells (only those that changed) and show the rows as lines: only
        the lines that changed are rendered again, and only their changed cells are sent."""
        width = self.size.width
        if not width:
            return  # not laid out yet: on_resize shows the grid
        grid = self.grid(width)
        # As many columns as the widest row (one pair a line is two), at most JUSTIFY's.
        count = min(len(self.JUSTIFY), max((len(row) for row in grid.rows), default=0))
        rows = [row + (Text(),) * (count - len(row)) for row in grid.rows]
        natural = [max((row[index].cell_len for row in rows), default=0)
                   for index in range(count)]
        outer = column_widths(natural, grid.pad, width, grid.expand)
        shape = edges(natural, outer, self.JUSTIFY, grid.pad)
        fitted = self._fitted if len(self._fitted) == count else [Fitted()] * count
        for index, (area, cells) in enumerate(shape):
            fitted[index] = fitted[index].refit(tuple(row[index] for row in rows), area, cells,
                                                self.JUSTIFY[index])
        self._fitted = fitted
        lines = tuple(Text.assemble(*(column.lines[y] for column in fitted), no_wrap=True)
                      for y in range(len(rows)))
        self.show_lines(lines)


def pairs(rows: Sequence[tuple[str, str]], width: int) -> Grid:
    """Label/value pairs two to a line (labels dim); from WIDE_FIELDS cells each label keeps
    next to its value (a gap of two) instead of the pairs stretching to the edges."""
    stretch = width < WIDE_FIELDS
    lines = []
    for index in range(0, len(rows), 2):
        line: list[Text] = []
        for label, value in rows[index:index + 2]:
            line += [styled(label, "dim"), Text(value)]
        lines.append(tuple(line))
    return Grid(tuple(lines), pad=1 if stretch else 2, expand=stretch)


def one_a_line(rows: Sequence[tuple[str, str]]) -> Grid:
    """Label/value pairs one to a line (labels dim), values at the right edge."""
    return Grid(tuple((styled(label, "dim"), Text(value)) for label, value in rows), pad=1,
                expand=True)

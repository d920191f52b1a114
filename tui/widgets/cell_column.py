"""One column of a table as its own widget: the unit the watchlist and the comparison are built of.

Textual sends a changed span from the left edge of the widget it lies in (each line is cut only
at widget edges), so in a table drawn as one widget a changed cell costs every cell to its left.
Laid out side by side in one scrolling container, one widget per column puts an edge before
every cell: a tick sends each changed cell from its own column's left edge. Each cell is one
segment (the gap before it included), so it costs one colour code, not one per piece.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple, Protocol

from rich.segment import Segment
from rich.style import Style
from textual.geometry import Region
from textual.strip import Strip
from textual.widget import Widget


class Cell(NamedTuple):
    """A cell as shown: its text (exactly the column's width) and what styles it."""

    text: str
    #: A Rich style string ("" for the row's own style).
    style: str = ""
    #: Set on the primary's row (its row style differs).
    primary: bool = False


class CellOwner(Protocol):
    """The table a column belongs to: it knows how a row and a cell are styled."""

    def cell_style(self, row: int, cell: Cell) -> Style:
        """The style of ``cell`` drawn on ``row`` (the cursor's row, the primary's...)."""
        ...


class CellColumn(Widget):
    """Rows of one-line cells; a new set of cells repaints only the rows whose cell changed."""

    DEFAULT_CSS = """
    CellColumn {
        height: auto;
        width: auto;
    }
    """

    def __init__(self, owner: CellOwner, *, name: str | None = None) -> None:
        super().__init__(name=name)
        self._owner = owner
        self._cells: tuple[Cell, ...] = ()
        self._width = 0
        self._fill = False
        self._gap = 0
        self._strips: dict[int, Strip] = {}
        #: Cells drawn since start-up (what a tick cost; read by tests and benchmarks).
        self.painted = 0

    @property
    def cells(self) -> tuple[Cell, ...]:
        """The cells on show, top to bottom."""
        return self._cells

    @property
    def cell_width(self) -> int:
        """Cells of each cell's text (the widget is wider when it fills the row)."""
        return self._width

    @property
    def gap(self) -> int:
        """Blank cells at the end of each cell, parting it from the next column."""
        return self._gap

    def set_cells(self, cells: Sequence[Cell], width: int, *, fill: bool = False,
                  gap: int = 0) -> None:
        """Show these cells, ``width`` wide (``fill``: the column takes the rest of the row).

        Each cell's text ends in ``gap`` blanks that part it from the next column; they are
        never repainted on their own, so a changed cell is sent from the column's left edge to
        its last character, which ends inside the column (Textual adds an empty cursor move
        for a span that ends exactly at the next widget's edge). Only the rows whose cell
        changed are repainted; a new width or row count repaints the column.
        """
        old, new = self._cells, tuple(cells)
        self._cells = new
        self._gap = gap
        if (width, fill) != (self._width, self._fill) or len(old) != len(new):
            self._width, self._fill = width, fill
            self.styles.width = "1fr" if fill else width
            self.styles.height = len(new)
            self._strips.clear()
            self.refresh()
            return
        for row, (before, after) in enumerate(zip(old, new, strict=True)):
            if before != after:
                self._strips.pop(row, None)
                self.refresh(Region(0, row, width - gap, 1))

    def set_cell(self, row: int, cell: Cell) -> None:
        """Show a new cell on one row (repainted only if it differs)."""
        if self._cells[row] != cell:
            cells = list(self._cells)
            cells[row] = cell
            self._cells = tuple(cells)
            self._strips.pop(row, None)
            self.refresh(Region(0, row, self._width - self._gap, 1))

    def restyle(self, rows: Sequence[int]) -> None:
        """Repaint whole rows whose style changed (the cursor moved, the focus changed)."""
        for row in rows:
            if 0 <= row < len(self._cells):
                self._strips.pop(row, None)
                self.refresh(Region(0, row, self.size.width, 1))

    def clear_cache(self) -> None:
        """Forget the drawn cells (the owner's styles changed); repaint the column."""
        self._strips.clear()
        self.refresh()

    def notify_style_update(self) -> None:
        """A theme or CSS change: draw every cell again."""
        super().notify_style_update()
        self._strips.clear()

    def on_resize(self) -> None:
        """A filling column's padding follows its width."""
        self._strips.clear()

    def render_line(self, y: int) -> Strip:
        """One cell, from the cache unless it changed."""
        strip = self._strips.get(y)
        if strip is not None:
            return strip
        width = self.size.width
        if y >= len(self._cells):
            return Strip.blank(width, self.rich_style)
        cell = self._cells[y]
        style = self._owner.cell_style(y, cell)
        strip = Strip([Segment(cell.text, style)], self._width)
        if width != self._width:
            blank = self._owner.cell_style(y, Cell("", "", cell.primary))
            strip = strip.adjust_cell_length(width, blank)
        self._strips[y] = strip
        self.painted += 1
        return strip

"""One column of a table as its own widget: the unit the watchlist and the comparison are built of.

Textual sends a changed span from the left edge of the widget it lies in (each line is cut only
at widget edges), so in a table drawn as one widget a changed cell costs every cell to its left.
Laid out side by side in one scrolling container, one widget per column puts an edge before
every cell: a tick sends each changed cell from its own column's left edge. Each cell is one
segment (the gap before it included), so it costs one colour code, not one per piece.

A cell may also hold several styled parts (values that change together, drawn as one span:
one cursor move). Parts that resolve to the same style are one segment, and blanks join the
segment before them when they would look the same, so a span costs one colour code per change
of colour, not per value. A change is sent up to its last changed character only: Textual
sends a span from the widget's left edge but stops where the refreshed region ends.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple, Protocol

from rich.cells import cell_len
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
    #: Styled pieces whose texts make up ``text`` (empty: all of it in ``style``).
    parts: tuple[tuple[str, str], ...] = ()

    @classmethod
    def joined(cls, parts: Sequence[tuple[str, str]], primary: bool = False) -> Cell:
        """One cell drawn from several (text, style) pieces, left to right."""
        return cls("".join(text for text, _ in parts), "", primary, tuple(parts))

    def pieces(self) -> tuple[tuple[str, str], ...]:
        """The (text, style) pieces, one for a plain cell."""
        return self.parts or ((self.text, self.style),)


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
        its last changed character, which ends inside the column (Textual adds an empty cursor move
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
                self._repaint(row, before, after)

    def set_cell(self, row: int, cell: Cell) -> None:
        """Show a new cell on one row (repainted only if it differs)."""
        before = self._cells[row]
        if before != cell:
            cells = list(self._cells)
            cells[row] = cell
            self._cells = tuple(cells)
            self._repaint(row, before, cell)

    def _repaint(self, row: int, before: Cell, after: Cell) -> None:
        """Draw a changed cell again, up to its last changed character."""
        self._strips.pop(row, None)
        self.refresh(Region(0, row, changed_end(before, after, self._width - self._gap), 1))

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
        if cell.parts:
            strip = Strip(cell_segments(self._owner, y, cell), self._width)
        else:
            strip = Strip([Segment(cell.text, self._owner.cell_style(y, cell))], self._width)
        if width != self._width:
            blank = self._owner.cell_style(y, Cell("", "", cell.primary))
            strip = strip.adjust_cell_length(width, blank)
        self._strips[y] = strip
        self.painted += 1
        return strip


def changed_end(before: Cell, after: Cell, limit: int) -> int:
    """Cells from the left edge through the last one whose character or style differs, at
    most ``limit`` (all of it when the texts do not line up one character to a cell)."""
    if before.primary != after.primary:
        return limit
    old, new = _styled_chars(before), _styled_chars(after)
    if len(old) != len(new) or len(new) != cell_len(after.text) or \
            len(old) != cell_len(before.text):
        return limit
    for index in range(min(len(new), limit) - 1, -1, -1):
        if old[index] != new[index]:
            return index + 1
    return limit


def _styled_chars(cell: Cell) -> list[tuple[str, str]]:
    return [(char, style) for text, style in cell.pieces() for char in text]


def _looks_blank_alike(a: Style, b: Style) -> bool:
    """Whether blanks drawn in ``a`` look the same as in ``b`` (only a foreground, weight or
    dimness differs, which a blank does not show; reversed, the foreground is the fill)."""
    if a.reverse or b.reverse:
        return a == b
    return (a.bgcolor, a.underline, a.strike, a.overline, a.underline2) == \
        (b.bgcolor, b.underline, b.strike, b.overline, b.underline2)


def cell_segments(owner: CellOwner, row: int, cell: Cell) -> list[Segment]:
    """A many-part cell's segments: one per change of style, blanks joining the one before."""
    texts: list[str] = []
    styles: list[Style] = []
    for text, name in cell.parts:
        style = owner.cell_style(row, Cell("", name, cell.primary))
        body = text.lstrip(" ")
        lead = text[:len(text) - len(body)]
        if styles and (style == styles[-1] or
                       (not body and _looks_blank_alike(style, styles[-1]))):
            texts[-1] += text
            continue
        if styles and lead and _looks_blank_alike(style, styles[-1]):
            texts[-1] += lead
            text = body
        texts.append(text)
        styles.append(style)
    return [Segment(text, style) for text, style in zip(texts, styles, strict=True) if text]

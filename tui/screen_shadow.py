"""What the terminal shows, cell by cell, so a partial update sends only the cells that differ.

Textual sends every changed widget row whole: a clock that went from 12:00:41 to 12:00:42
resends ``as of 12:00:42`` and the colours around it. Like curses, the screen's compositor keeps
a copy of what it last sent (character and pen, per cell; ``ScreenShadow``) and, within each
piece of a row it is about to send, sends only the runs of cells that differ from the copy (runs
a few cells apart are joined, since the cells between cost less than a cursor move).

A full update's lines are kept as sent and cut into cells only for the rows a partial update
later touches, so a first frame or a resize pays nothing for the copy.

The copy is only trusted while this screen is the one on the terminal: it is rebuilt by every
full update, and ``DirtyOnlyCompositor`` sends a full update instead of a partial one when the
screen has been suspended and resumed since (a modal or another screen drew over it).
"""

from __future__ import annotations

from collections.abc import Iterable

from neodymium.tui.sgr_delta import Pen, SgrWriter, pen_of
from rich.cells import get_character_cell_size
from rich.color import ColorSystem
from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip

#: Unchanged cells between two changed runs that are resent rather than skipped by a move.
JOIN_GAP = 4


class _Unknown:
    """The pen of a cell whose look is not known (never sent, or sent with a link): equal to
    nothing, so the cell is always sent."""

    def __eq__(self, other: object) -> bool:
        return False

    def __hash__(self) -> int:
        return 0


UNKNOWN = _Unknown()

#: One cell as the terminal shows it: its text ("" for the right half of a wide character) and
#: the pen it was written with.
Cell = tuple[str, Pen | _Unknown | None]
#: One cell to write: text, pen and the style it comes from.
NewCell = tuple[str, Pen | _Unknown | None, Style | None]


def cells_of(segments: Iterable[Segment], color_system: ColorSystem) -> list[NewCell]:
    """``segments`` cut into cells; a wide character takes its cell and an empty one after it,
    a zero-width character joins the cell before it."""
    cells: list[NewCell] = []
    for text, style, _ in segments:
        if not text:
            continue
        if style is None:
            pen: Pen | _Unknown | None = None
        elif style.link:
            pen = UNKNOWN
        else:
            pen = pen_of(style, color_system)
        for character in text:
            width = get_character_cell_size(character)
            if width == 1:
                cells.append((character, pen, style))
            elif width == 2:
                cells.append((character, pen, style))
                cells.append(("", pen, style))
            elif cells:
                last_text, last_pen, last_style = cells[-1]
                cells[-1] = (last_text + character, last_pen, last_style)
    return cells


def changed_runs(new: list[NewCell], old: list[Cell]) -> list[tuple[int, int]]:
    """``[start, end)`` runs of ``new`` that differ from ``old`` (the same cells as shown),
    joined across gaps of at most ``JOIN_GAP`` cells, never splitting a wide character."""
    runs: list[tuple[int, int]] = []
    for index, (text, pen, _) in enumerate(new):
        if pen is not UNKNOWN and index < len(old) and old[index] == (text, pen):
            continue
        if runs and index - runs[-1][1] <= JOIN_GAP:
            runs[-1] = (runs[-1][0], index + 1)
        else:
            runs.append((index, index + 1))
    widened: list[tuple[int, int]] = []
    for start, end in runs:
        while start > 0 and new[start][0] == "":
            start -= 1
        while end < len(new) and new[end][0] == "":
            end += 1
        widened.append((start, end))
    return widened


class ScreenShadow:
    """The compositor's copy of the terminal's cells."""

    def __init__(self) -> None:
        self.rows: list[list[Cell]] = []
        #: The screen's ``stack_updates`` and the app's Ctrl+Z resumes when the copy was last
        #: rebuilt; None before that.
        self.generation: tuple[int, int] | None = None
        #: Lines a full update sent, by row (where each starts, its strips, the colour system):
        #: cut into cells only when a partial update first touches the row.
        self._sent_lines: dict[int, tuple[int, list[Strip], ColorSystem]] = {}

    def reset(self, width: int, height: int, generation: tuple[int, int]) -> None:
        """A copy the size of the screen with every cell unknown, until a full update fills it."""
        self.rows = [[("", UNKNOWN)] * width for _ in range(height)]
        self._sent_lines.clear()
        self.generation = generation

    def trusted(self, width: int, height: int, generation: tuple[int, int]) -> bool:
        """Whether the copy is of this screen, at this size, since it last resumed."""
        return (self.generation == generation and len(self.rows) == height
                and bool(self.rows) and len(self.rows[0]) == width)

    def record_line(self, y: int, x: int, strips: list[Strip], color_system: ColorSystem) -> None:
        """Record a whole line a full update sent at ``(x, y)``."""
        if y < len(self.rows):
            self._sent_lines[y] = (x, strips, color_system)

    def write_changes(self, writer: SgrWriter, x: int, y: int, cells: list[NewCell]) -> None:
        """Send the runs of ``cells`` (to go at ``(x, y)``) that differ from the copy, and
        record them."""
        row = self._row(y)
        for start, end in changed_runs(cells, row[x:x + len(cells)]):
            writer.move_to(x + start, y)
            for text, _, style in cells[start:end]:
                if text:
                    writer.put(text, style, get_character_cell_size(text[0]))
        _fill(row, x, cells)

    def _row(self, y: int) -> list[Cell]:
        """Row ``y`` of the copy, cut into cells from its full update's line if need be."""
        if y >= len(self.rows):
            return []
        row = self.rows[y]
        line = self._sent_lines.pop(y, None)
        if line is not None:
            x, strips, color_system = line
            _fill(row, x, [cell for strip in strips for cell in cells_of(strip, color_system)])
        return row


def _fill(row: list[Cell], x: int, cells: list[NewCell]) -> None:
    """Record ``cells`` as written into ``row`` from column ``x``."""
    for offset, (text, pen, _) in enumerate(cells[:max(0, len(row) - x)]):
        row[x + offset] = (text, pen)

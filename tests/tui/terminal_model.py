"""A small model of a terminal, to compare what two streams of output paint.

It understands what Textual and ``neodymium.tui.sgr_delta`` send: cursor position (CUP
``ESC[r;cH``), column (CHA ``ESC[cG``), line feed, SGR (ECMA-48 8.3.117: 0 resets; 1-9, 21 and
51-53 set attributes; 22 clears bold and dim, 23 italic, 24 both underlines, 25 both blinks, 27
reverse, 28 conceal, 29 strike, 54 frame and encircle, 55 overline; 30-37, 38;5;n, 38;2;r;g;b,
39, 90-97 the foreground and the same for the background), OSC 8 links, and text, a wide
character taking two cells. Each cell keeps its text and the full SGR state it was written in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rich.cells import get_character_cell_size

TOKEN = re.compile(r"\x1b\[([0-9;]*)([A-Za-z])|\x1b\]8;[^;]*;([^\x1b]*)\x1b\\|(\n)|([^\x1b\n]+)")

OFF = {"22": {"1", "2"}, "23": {"3"}, "24": {"4", "21"}, "25": {"5", "6"}, "27": {"7"},
       "28": {"8"}, "29": {"9"}, "54": {"51", "52"}, "55": {"53"}}
ON = {"1", "2", "3", "4", "5", "6", "7", "8", "9", "21", "51", "52", "53"}

Look = tuple[frozenset[str], str, str, str]


@dataclass
class Terminal:
    """A grid of cells, a cursor and the current SGR state."""

    width: int
    height: int
    cells: dict[tuple[int, int], tuple[str, Look]] = field(default_factory=dict)
    x: int = 0
    y: int = 0
    attributes: set[str] = field(default_factory=set)
    foreground: str = ""
    background: str = ""
    link: str = ""

    def feed(self, stream: str) -> None:
        """Apply ``stream`` as a terminal would."""
        for match in TOKEN.finditer(stream):
            params, final, link, newline, text = match.groups()
            if final is not None:
                self._control(params, final)
            elif link is not None:
                self.link = link
            elif newline:
                self.x, self.y = 0, self.y + 1
            elif text:
                self._print(text)

    def _control(self, params: str, final: str) -> None:
        numbers = params.split(";") if params else []
        if final == "H":
            row, column = [*numbers, "1", "1"][:2]
            self.y, self.x = int(row or 1) - 1, int(column or 1) - 1
        elif final == "G":
            self.x = int(numbers[0] if numbers else 1) - 1
        elif final == "m":
            self._sgr(numbers or ["0"])

    def _sgr(self, codes: list[str]) -> None:
        index = 0
        while index < len(codes):
            code = codes[index] or "0"
            if code == "0":
                self.attributes.clear()
                self.foreground = self.background = ""
            elif code in ON:
                self.attributes.add(code)
            elif code in OFF:
                self.attributes -= OFF[code]
            elif code in ("38", "48"):
                length = 5 if codes[index + 1] == "2" else 3
                color = ";".join(codes[index:index + length])[3:]
                if code == "38":
                    self.foreground = color
                else:
                    self.background = color
                index += length - 1
            elif code == "39":
                self.foreground = ""
            elif code == "49":
                self.background = ""
            elif 30 <= int(code) <= 37 or 90 <= int(code) <= 97:
                self.foreground = f"c{code}"
            elif 40 <= int(code) <= 47 or 100 <= int(code) <= 107:
                self.background = f"c{int(code) - 10}"
            else:
                raise AssertionError(f"SGR code {code} not modelled")
            index += 1

    def _print(self, text: str) -> None:
        look: Look = (frozenset(self.attributes), self.foreground, self.background, self.link)
        for character in text:
            width = get_character_cell_size(character)
            if width == 0:
                previous = self.cells.get((self.x - 1, self.y), ("", look))
                self.cells[(self.x - 1, self.y)] = (previous[0] + character, previous[1])
                continue
            self.cells[(self.x, self.y)] = (character, look)
            if width == 2:
                self.cells[(self.x + 1, self.y)] = ("", look)
            self.x += width

    def rows(self) -> list[list[tuple[str, Look] | None]]:
        """The grid, row by row (None for a cell never written)."""
        return [[self.cells.get((x, y)) for x in range(self.width)] for y in range(self.height)]

    def text(self) -> str:
        """The characters on screen, one line per row."""
        return "\n".join("".join(cell[0] if cell else " " for cell in row)
                         for row in self.rows())

"""Terminal output that sends each change of style, not the whole style around every piece.

Textual writes every segment as ``ESC[<all of its style>m text ESC[0m``: a value in a panel
costs its text plus about 40 bytes of colour codes, and the next value on the line, in the same
colours, sends all of them again. A terminal keeps its current colours and attributes (SGR state,
ECMA-48 8.3.117) across cursor moves until told otherwise, so this writer keeps track of what it
last set and sends only what differs: the attributes turned off (22, 23, 24, 25, 27, 28, 29, 54,
55) or on, the foreground if it changed (39 for the default), the background likewise (49), or a
reset and the whole style when that is shorter. One reset ends the update, so the terminal is
left as Textual leaves it. What each cell shows is exactly what Textual's writer shows
(tests/tui/test_sgr_delta.py and test_dirty_compositor.py paint both and compare cells).

A segment with a link is written as Rich writes it (its OSC 8 wrapper needs the reset), and one
with no style after a reset, as Textual does.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from typing import NamedTuple

from rich.cells import cell_len
from rich.color import ColorSystem
from rich.console import COLOR_SYSTEMS, Console
from rich.segment import Segment
from rich.style import Style

#: Each attribute a style can turn on, with its SGR code, in the order Textual writes them.
ATTRIBUTE_CODES = (
    ("bold", "1"), ("dim", "2"), ("italic", "3"), ("underline", "4"), ("blink", "5"),
    ("blink2", "6"), ("reverse", "7"), ("conceal", "8"), ("strike", "9"),
    ("underline2", "21"), ("frame", "51"), ("encircle", "52"), ("overline", "53"),
)
_ORDER = {code: index for index, (_, code) in enumerate(ATTRIBUTE_CODES)}

#: The code that turns an attribute off, and every attribute that code turns off with it.
OFF_CODES = {
    "1": "22", "2": "22", "3": "23", "4": "24", "21": "24", "5": "25", "6": "25", "7": "27",
    "8": "28", "9": "29", "51": "54", "52": "54", "53": "55",
}
TURNS_OFF = {
    "22": frozenset({"1", "2"}), "23": frozenset({"3"}), "24": frozenset({"4", "21"}),
    "25": frozenset({"5", "6"}), "27": frozenset({"7"}), "28": frozenset({"8"}),
    "29": frozenset({"9"}), "54": frozenset({"51", "52"}), "55": frozenset({"53"}),
}

RESET = "\x1b[0m"


class Pen(NamedTuple):
    """What a style sets in the terminal: attribute codes (in Textual's order) and colour codes
    (empty for the terminal's default)."""

    attributes: tuple[str, ...]
    foreground: tuple[str, ...]
    background: tuple[str, ...]

    def codes(self) -> list[str]:
        """The whole style as SGR parameters, as Textual writes it after a reset."""
        return [*self.attributes, *self.foreground, *self.background]


@lru_cache(maxsize=4096)
def pen_of(style: Style, color_system: ColorSystem) -> Pen | None:
    """The pen ``style`` sets on a terminal with ``color_system``; ``None`` if it sets nothing."""
    attributes = tuple(code for name, code in ATTRIBUTE_CODES if getattr(style, name) is True)
    color, bgcolor = style.color, style.bgcolor
    foreground = () if color is None else color.downgrade(color_system).get_ansi_codes(True)
    background = () if bgcolor is None else bgcolor.downgrade(color_system).get_ansi_codes(False)
    if not (attributes or foreground or background):
        return None
    return Pen(attributes, foreground, background)


@lru_cache(maxsize=4096)
def transition(before: Pen | None, after: Pen | None) -> str:
    """The escape sequence that takes a terminal showing ``before`` (``None``: just reset) to
    ``after``: the changes alone, or a reset and the whole style when that is shorter."""
    if after is None:
        return "" if before is None else RESET
    whole = ";".join(after.codes())
    if before is None:
        return f"\x1b[{whole}m"
    changes = _changes(before, after)
    if not changes:
        return ""
    shortest = min(";".join(changes), f"0;{whole}", key=len)
    return f"\x1b[{shortest}m"


def _changes(before: Pen, after: Pen) -> list[str]:
    """SGR parameters for what differs between two pens (turning off before turning on)."""
    codes: list[str] = []
    wanted = set(after.attributes)
    still_on = set(before.attributes)
    for code in before.attributes:
        if code not in wanted and code in still_on:
            off = OFF_CODES[code]
            codes.append(off)
            still_on -= TURNS_OFF[off]
    codes.extend(code for code in sorted(wanted - still_on, key=_ORDER.__getitem__))
    if after.foreground != before.foreground:
        codes.extend(after.foreground or ("39",))
    if after.background != before.background:
        codes.extend(after.background or ("49",))
    return codes


def color_system_of(console: Console) -> ColorSystem:
    """The console's colour system, truecolour when it has none (as Textual's ``Strip.render``)."""
    name = console.color_system
    return COLOR_SYSTEMS[name] if name else ColorSystem.TRUECOLOR


class SgrWriter:
    """Builds one update's terminal output: cursor moves and text, styles as changes.

    The writer follows the cursor across what it writes, so a move to where the cursor already
    is sends nothing and a move along the same row sends only the column (CHA)."""

    def __init__(self, color_system: ColorSystem) -> None:
        self._color_system = color_system
        self._parts: list[str] = []
        self._pen: Pen | None = None
        self._x = -1
        self._y = -1

    def move_to(self, x: int, y: int) -> None:
        """Put the cursor at column ``x``, row ``y`` (from 0); the colours stay."""
        if y != self._y:
            self._parts.append(f"\x1b[{y + 1};{x + 1}H")
        elif x != self._x:
            self._parts.append(f"\x1b[{x + 1}G")
        self._x, self._y = x, y

    def write(self, segments: Iterable[Segment]) -> None:
        """Write ``segments`` at the cursor."""
        for text, style, _ in segments:
            if text:
                self.put(text, style, cell_len(text))

    def put(self, text: str, style: Style | None, width: int) -> None:
        """Write ``text`` (``width`` cells) in ``style`` at the cursor."""
        append = self._parts.append
        pen = self._pen
        if style is None or style.link:
            if pen is not None:
                append(RESET)
                self._pen = None
            append(text if style is None else style.render(text, color_system=self._color_system))
        else:
            new_pen = pen_of(style, self._color_system)
            if new_pen is not pen:
                append(transition(pen, new_pen))
                self._pen = new_pen
            append(text)
        self._x += width

    def finish(self) -> str:
        """Everything written, ending with the terminal reset if a style is still set."""
        if self._pen is not None:
            self._parts.append(RESET)
            self._pen = None
        return "".join(self._parts)

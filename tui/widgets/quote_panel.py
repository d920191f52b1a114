"""The quote panel: the last price large, change, the day's fields, badges, a flash on the
decimals each tick changes."""

from __future__ import annotations

from dataclasses import dataclass
from time import monotonic

from neodymium.tui.formatting import split_price
from neodymium.tui.view import QuoteView
from neodymium.tui.widgets.big_digits import BigDigits
from neodymium.tui.widgets.cells import CellText
from neodymium.tui.widgets.field_grid import FieldGrid, Grid, pairs
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.reactive import reactive
from textual.widgets import Digits

#: The shortest time a tick's tint shows. It ends with the first redraw after that (the
#: clock's second or a snapshot: QuotePanel.end_flash), so it shows for 0.5-1.5 s and its
#: end rides in a frame drawn anyway instead of waking the app for one of its own.
FLASH_MIN_SECONDS = 0.5
#: How a stale label ends (see tui/freshness.py); the quote panel shows it first.
STALE_MARK = " · STALE"
#: Cells the change line may be narrower than the width it keeps before it is fitted again
#: (a sign or a digit comes and goes with the price; a badge that goes away is wider).
CHANGE_SLACK = 3


def change_width(kept: tuple[str, int] | None, symbol: str, width: int) -> int:
    """The width the change line keeps for ``symbol`` when its text is ``width`` cells wide,
    given the (symbol, width) it kept so far: the widest text seen for the symbol, so the age
    beside it stays where it is as the change gains or loses a sign or a digit (each new width
    was a layout pass of the whole screen); fitted again for another symbol or when the text
    is narrower by more than ``CHANGE_SLACK``."""
    if kept is None or kept[0] != symbol or width > kept[1] or width < kept[1] - CHANGE_SLACK:
        return width
    return kept[1]


class QuoteFields(FieldGrid):
    """The day's fields as label/value pairs, two to a line, each column its own widget."""

    rows: tuple[tuple[str, str], ...] = ()

    def grid(self, width: int) -> Grid:
        """The pairs at ``width``."""
        return pairs(self.rows, width)


class BigPrice(Horizontal):
    """The last price in big digits, as three Digits: the whole part with the point, the
    decimals but the last, and the last decimal (what a tick moves most: a tick resends, and
    its flash tints, only the parts that changed)."""

    def compose(self) -> ComposeResult:
        yield BigDigits("—", id="last-whole")
        yield BigDigits("", id="last-decimals")
        yield BigDigits("", id="last-digit")

    @property
    def value(self) -> str:
        """The price shown."""
        return "".join(digits.value for digits in self.query(Digits))


def tinted_parts(before: str, after: str) -> tuple[int, ...]:
    """Which parts of ``split_price`` a move from ``before`` to ``after`` tints: the decimals
    that changed (most often only the last), or the whole part when no decimal did."""
    changed = tuple(index for index, (old, new) in enumerate(
        zip(split_price(before), split_price(after), strict=True)) if old != new)
    return tuple(index for index in changed if index) or changed


@dataclass(frozen=True, slots=True)
class _Parts:
    """The panel's widgets a view is handed to."""

    digits: tuple[Digits, ...]  # the whole part, the decimals but the last, the last
    price: CellText
    change: CellText
    age: CellText
    fields: QuoteFields


class QuotePanel(Vertical):
    """Renders a QuoteView; flashes up/down when the last price changes.

    Each part is updated only when its text changes, and then only in the cells that differ.
    """

    COMPONENT_CLASSES = {"quote-panel--tick-up", "quote-panel--tick-down"}

    view: reactive[QuoteView | None] = reactive(None, repaint=False)
    #: The direction of the flash on show ("up", "down"), None when there is none.
    flash: str | None = None
    #: When the flash on show began (``monotonic()``), None when there is none.
    _flash_since: float | None = None
    #: The parts of the big price the flash on show tints (those the tick changed).
    _tinted: tuple[Digits, ...] = ()
    _parts: _Parts | None = None
    #: The symbol the change line's width was kept for, and the width (see change_width).
    _change_kept: tuple[str, int] | None = None

    def compose(self) -> ComposeResult:
        yield BigPrice(id="last-price")
        with Horizontal(id="price-row"):
            yield CellText(id="price-line")
            yield CellText(id="change-line")
            yield CellText(id="quote-age")
        yield QuoteFields(id="quote-fields")

    def on_mount(self) -> None:
        """Render a view that arrived before the panel was mounted."""
        self._show(None, self.view)

    def watch_view(self, old: QuoteView | None, new: QuoteView | None) -> None:
        """Update children and flash when the price ticks."""
        self._show(old, new)

    def _show(self, old: QuoteView | None, new: QuoteView | None) -> None:
        if new is None:
            return
        if self._parts is None or not self._parts.fields.is_attached:
            if not self.query("#last-price"):  # not composed yet: on_mount shows the view
                return
            big = tuple(self.query(Digits))
            if len(big) != 3:  # the big price's digits are not mounted yet: show after
                if self.is_attached:
                    self.call_after_refresh(lambda: self._show(None, self.view))
                return
            # Looked up once: DOM queries on every tick cost more than the panel's own work.
            self._parts = _Parts(big,
                                 self.query_one("#price-line", CellText),
                                 self.query_one("#change-line", CellText),
                                 self.query_one("#quote-age", CellText),
                                 self.query_one(QuoteFields))
        parts = self._parts
        for digits, value in zip(parts.digits, split_price(new.last), strict=True):
            if digits.value != value:
                digits.update(value)
        price = Text()  # the style on a span keeps the theme's colours (not on the Text itself)
        price.append(new.last, style=f"bold {new.style}")
        parts.price.show(price)
        change = self._change_line(new)
        width = change_width(self._change_kept, new.symbol, change.cell_len)
        if self._change_kept != (new.symbol, width):
            self._change_kept = (new.symbol, width)
            parts.change.styles.width = width  # one layout pass; none while it holds
        parts.change.show(change)
        parts.age.show(self._age(new))
        if old is None or old.rows != new.rows:
            fields = parts.fields
            fields.rows = new.rows
            fields.repaint()
        if old is not None and old.last_value is not None and new.last_value is not None \
                and new.last_value != old.last_value:
            tinted = tuple(parts.digits[index] for index in tinted_parts(old.last, new.last))
            self._flash(tinted, "up" if new.last_value > old.last_value else "down")

    def _flash(self, tinted: tuple[Digits, ...], direction: str | None) -> None:
        """Tint the decimals the tick changed (``tinted``: most often the last one; the whole
        part when no decimal moved) in ``direction`` until end_flash (None: end the tint).

        Those digits are sent anyway when the tick lands, so the tint costs only their cells
        once more when it ends; a part that did not move is neither tinted nor sent. An
        inline background repaints the digits only; toggling a class restyled them (a
        stylesheet pass, ~6 ms a move). The colours stay in the stylesheet, as component
        classes."""
        background = None if direction is None else self.get_component_styles(
            f"quote-panel--tick-{direction}").background
        for digits in self._tinted:
            if digits not in tinted:
                digits.styles.background = None
        self.flash = direction
        if direction is None:
            self._flash_since, self._tinted = None, ()
            return
        self._flash_since, self._tinted = monotonic(), tinted
        for digits in tinted:
            digits.styles.background = background

    def end_flash(self) -> None:
        """End a flash that has shown for FLASH_MIN_SECONDS (the app calls this on each
        redraw, whose frame then carries the untinted digits)."""
        since = self._flash_since
        if since is None or monotonic() - since < FLASH_MIN_SECONDS:
            return
        self._flash((), None)

    @staticmethod
    def _change_line(view: QuoteView) -> Text:
        line = Text()
        line.append(f"{view.change}  {view.change_pct}", style=f"bold {view.style}")
        if view.badge:
            line.append("  ")
            line.append(f" {view.badge} ", style="bold reverse magenta")
        return line

    @staticmethod
    def _age(view: QuoteView) -> Text:
        """How fresh the quote is, in its own widget: when it moves, only it is sent."""
        fresh = view.freshness
        age = Text()  # the style on a span keeps the theme's colours
        label = fresh.on_screen
        if fresh.stale and STALE_MARK in label:
            # The word that matters first, then the stamp without "as of" (the header has the
            # whole label): "STALE · 08-21 15:00" fits the panel beside the change at 120x40.
            label = "STALE · " + label.replace(STALE_MARK, "", 1).removeprefix("as of ")
        age.append(label, style="bold red" if fresh.stale else "dim")
        return age

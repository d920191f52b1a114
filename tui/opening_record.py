"""What the next start's opening paint draws, read off the first frame on the screen.

Once the watch screen's first frame is up, the places of the primary's name, big digits,
change and age are taken from the widgets' regions and their colours from the screen's
cells (``Screen.get_style_at``), and kept with opening_paint.remember.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from neodymium.providers import markets
from neodymium.providers.models import Quote
from neodymium.providers.symbols import Symbol
from neodymium.tui.formatting import direction, price_decimals
from neodymium.tui.opening_paint import Opening, Place, title_name
from rich.cells import cell_len
from rich.color import Color
from textual.screen import Screen
from textual.widget import Widget

#: The widgets whose places are kept: the header, the three parts of the big price, the
#: change and the age beside it.
TITLE, DIGITS, CHANGE, AGE = ("#status", ("#last-whole", "#last-decimals", "#last-digit"),
                              "#change-line", "#quote-age")


def hex_of(color: Color | None) -> str | None:
    """``#rrggbb`` for a colour Rich can name as one (None for the terminal's default)."""
    if color is None or color.is_default:
        return None
    return color.get_truecolor().hex


def _place(screen: Screen[None], widget: Widget, way: str | None) -> Place:
    """Where ``widget`` is and how its first cell looks; its colour kept for the price's
    direction ``way`` (None: for any)."""
    region = widget.content_region
    style = screen.get_style_at(region.x, region.y)
    colour = hex_of(style.color)
    colours = {} if colour is None else {way or "": colour}
    return Place(region.x, region.y, region.width, hex_of(style.bgcolor), colours,
                 bool(style.bold))


def read_opening(screen: Screen[None], key: str, symbol: Symbol, quote: Quote,
                 cache: Path) -> Opening | None:
    """The record of ``screen``'s first frame showing ``quote`` (None when the watch
    screen's pieces are not all shown)."""
    way = direction(quote.change)
    try:
        title = _place(screen, screen.query_one(TITLE), None)
        name = title_name(quote)
        symbol_at = title.x + (cell_len(name) + 2 if name else 0)
        symbol_colour = hex_of(screen.get_style_at(symbol_at, title.y).color)
        if symbol_colour is not None:
            title = replace(title, colours={**title.colours, "symbol": symbol_colour})
        digits = [_place(screen, screen.query_one(part), way) for part in DIGITS]
        change = _place(screen, screen.query_one(CHANGE), way)
        age = _place(screen, screen.query_one(AGE), None)
    except Exception:  # a narrow layout without one of them: no record
        return None
    if any(place.width <= 0 for place in (title, *digits, change, age)):
        return None
    width, height = screen.app.size
    return Opening(key, width, height, symbol.key, str(cache),
                   markets.zone(markets.market_of(symbol.exchange)).key,
                   price_decimals(symbol), hex_of(screen.rich_style.bgcolor), title,
                   (digits[0], digits[1], digits[2]), change, age)

"""Order-book (五档) and day-statistics values, shared by the providers that send them.

Each provider reads its own field positions; this module only turns the numbers it read into
contract values: levels in shares, empty levels dropped, percentages and ratios kept honest.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from neodymium.providers.models import BookLevel, OrderBook
from neodymium.providers.values import quantity, ratio

#: Levels per side of a 五档 book.
BOOK_DEPTH = 5

Pair = tuple[Decimal | None, Decimal | None]


def levels(pairs: Iterable[Pair], shares_per_unit: Decimal | int = 1) -> tuple[BookLevel, ...]:
    """``(price, volume)`` pairs as book levels in shares, best first; a level without a
    positive price or volume (no order at that depth) is left out."""
    out = []
    for price, volume in list(pairs)[:BOOK_DEPTH]:
        if price is None or price <= 0 or volume is None or volume <= 0:
            continue
        out.append(BookLevel(price=float(price), volume=float(volume * shares_per_unit)))
    return tuple(out)


def order_book(bids: Iterable[Pair], asks: Iterable[Pair],
               shares_per_unit: Decimal | int = 1) -> OrderBook | None:
    """The book, or None when both sides are empty (suspended, before the auction, index)."""
    book = OrderBook(bids=levels(bids, shares_per_unit), asks=levels(asks, shares_per_unit))
    return book if book.bids or book.asks else None


def percent(value: Decimal | None) -> float | None:
    """A non-negative percentage (turnover rate, amplitude, volume ratio); zero is real."""
    return quantity(value)


def book_ratio(value: Decimal | None) -> float | None:
    """P/B: negative is real (negative equity), exactly zero means not meaningful (ETFs)."""
    return ratio(value)

"""Eastmoney's order book and day statistics: which f-codes carry them in each endpoint.

f-codes mean different things in different endpoints (research/providers.md §3), so stock/get
and ulist each get their own table. ``get`` is the endpoint's reader, which has already undone
the raw form's scaling (prices ×10^decimals, percents ×100).
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from neodymium.providers.book import book_ratio, order_book, percent
from neodymium.providers.markets import Board
from neodymium.providers.units import units_for
from neodymium.providers.values import positive, quantity

Getter = Callable[[str], Decimal | None]

#: stock/get book: (price, volume in lots) from the best level outwards.
STOCK_GET_BIDS = (("f19", "f20"), ("f17", "f18"), ("f15", "f16"), ("f13", "f14"), ("f11", "f12"))
STOCK_GET_ASKS = (("f39", "f40"), ("f37", "f38"), ("f35", "f36"), ("f33", "f34"), ("f31", "f32"))
#: stock/get: outside/inside volume, volume ratio, average price, float cap, P/B, turnover,
#: amplitude, and the ten book levels.
STOCK_GET_EXTRA_FIELDS = ",".join(
    ["f49", "f161", "f50", "f71", "f117", "f167", "f168", "f171"]
    + [code for pair in STOCK_GET_BIDS + STOCK_GET_ASKS for code in pair]
)
#: ulist: amplitude, turnover, volume ratio, float cap, P/B.
ULIST_EXTRA_FIELDS = "f7,f8,f10,f21,f23"


def stock_get_extras(get: Getter, board: Board, volume_unit: int) -> dict[str, Any]:
    """Book, 内盘/外盘 and day statistics of a stock/get answer, in shares and CNY: 内盘/外盘
    sum to the volume and take its unit (``volume_unit`` shares), the book the board's."""
    book_unit = units_for("eastmoney", board).book

    def side(codes: tuple[tuple[str, str], ...]) -> list[tuple[Decimal | None, Decimal | None]]:
        return [(get(price), get(volume)) for price, volume in codes]

    return {
        "book": order_book(side(STOCK_GET_BIDS), side(STOCK_GET_ASKS), book_unit),
        "outside_volume": quantity(get("f49"), volume_unit),
        "inside_volume": quantity(get("f161"), volume_unit),
        "volume_ratio": percent(get("f50")),
        "avg_price": positive(get("f71")),
        "float_market_cap": positive(get("f117")),
        "pb": book_ratio(get("f167")),
        "turnover_rate": percent(get("f168")),
        "amplitude": percent(get("f171")),
    }


def ulist_extras(get: Getter) -> dict[str, Any]:
    """The day statistics a ulist entry carries (no book, no 内盘/外盘, no average price)."""
    return {
        "amplitude": percent(get("f7")),
        "turnover_rate": percent(get("f8")),
        "volume_ratio": percent(get("f10")),
        "float_market_cap": positive(get("f21")),
        "pb": book_ratio(get("f23")),
    }


#: Fields that change with every trade and come only from stock/get: shown only when that
#: answer was fetched this cycle, never from the minutes-old cache.
LIVE_ONLY = ("book", "inside_volume", "outside_volume", "avg_price")
#: Fields ulist may lack that a same-day stock/get answer can fill.
FILLABLE = ("float_market_cap", "pb", "turnover_rate", "amplitude", "volume_ratio")

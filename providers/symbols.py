"""One canonical key per instrument, and each source's spelling of it.

The spellings a user may write and the canonical key each stands for (``600111.SS``,
``REMX``, ``0700.HK``) are text rules in ``neodymium.config.symbol_text``, so the config checks
them without importing providers; here a key is placed on its exchange and board (``000001.SS``
is the SSE Composite, an index). Market, exchange and board enums live in markets.py.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from neodymium.config.symbol_text import SymbolError as SymbolError
from neodymium.config.symbol_text import beijing_successor, spell
from neodymium.providers.markets import Board, Exchange, Market, market_of


@dataclass(frozen=True, slots=True)
class Symbol:
    """A parsed canonical symbol."""

    key: str
    code: str
    exchange: Exchange
    board: Board

    @property
    def market(self) -> Market:
        """The market whose rules apply to this symbol."""
        return market_of(self.exchange)

    @property
    def is_fund(self) -> bool:
        """True for ETFs and LOFs."""
        return self.board is Board.FUND

    @property
    def is_index(self) -> bool:
        """True for an index (not tradable, no price limits)."""
        return self.board is Board.INDEX

    def __str__(self) -> str:
        return self.key


# Shanghai Stock Exchange index codes that clash with Shenzhen stock codes.
_SH_INDEX_PREFIXES = ("000",)
_SZ_INDEX_PREFIXES = ("399",)


def _cn_board(code: str, exchange: Exchange) -> Board:
    if exchange is Exchange.SS:
        if code.startswith(_SH_INDEX_PREFIXES):
            return Board.INDEX
        if code.startswith(("688", "689")):
            return Board.STAR
        if code.startswith(("600", "601", "603", "605")):
            return Board.MAIN
        if code.startswith("900"):
            return Board.B_SHARE
        if code.startswith("5"):
            return Board.FUND
        return Board.OTHER
    if exchange is Exchange.SZ:
        if code.startswith(_SZ_INDEX_PREFIXES):
            return Board.INDEX
        if code.startswith(("300", "301")):
            return Board.CHINEXT
        if code.startswith(("000", "001", "002", "003")):
            return Board.MAIN
        if code.startswith("200"):
            return Board.B_SHARE
        if code.startswith(("15", "16", "18")):
            return Board.FUND
        return Board.OTHER
    return Board.BSE


@lru_cache(maxsize=4096)  # called per symbol per redraw; a Symbol is immutable
def parse_symbol(text: str) -> Symbol:
    """Parse user or config input into a canonical Symbol placed on its exchange and board
    (the accepted spellings: :func:`neodymium.config.symbol_text.spell`)."""
    spelling = spell(text)
    exchange = Exchange(spelling.suffix)
    board = (_cn_board(spelling.code, exchange)
             if exchange in (Exchange.SS, Exchange.SZ, Exchange.BJ) else Board.OTHER)
    return Symbol(key=spelling.key, code=spelling.code, exchange=exchange, board=board)


def parse_symbols(raw: Sequence[str]) -> tuple[list[Symbol], dict[str, str]]:
    """The valid symbols of ``raw``, once each in first-mention order, and why each invalid
    text is not one (text → reason)."""
    symbols: dict[str, Symbol] = {}
    invalid: dict[str, str] = {}
    for text in raw:
        try:
            symbol = parse_symbol(text)
        except SymbolError as exc:
            invalid[text] = str(exc)
            continue
        symbols.setdefault(symbol.key, symbol)
    return list(symbols.values()), invalid


def successor_hint(key: str) -> str:
    """What an unserved reason adds for an old Beijing code (" (Beijing codes moved …)", see
    providers/errors.unserved_reason), or "" for any other symbol."""
    successor = beijing_successor(key)
    if successor is None:
        return ""
    return f" (Beijing codes moved to 920xxx in 2025: try {successor})"

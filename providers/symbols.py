"""One canonical key per instrument, and each source's spelling of it.

Canonical keys: ``600111.SS`` (Shanghai), ``159713.SZ`` (Shenzhen), ``430047.BJ`` (Beijing),
``000001.SS`` with ``index`` kind for the SSE Composite, and bare tickers such as ``REMX`` for
US listings, ``0700.HK``, ``VOD.L`` and ``7203.T`` for Hong Kong, London and Tokyo (Yahoo's
spelling). Market, exchange and board enums live in markets.py. The exchange is never
inferred from ``startswith("6")`` alone: Shanghai ETFs start with 5, and ``000001`` is a
Shenzhen stock but also the Shanghai index.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from neodymium.providers.markets import Board, Exchange, Market, market_of


class SymbolError(ValueError):
    """A string that is not a symbol we can place on an exchange."""


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


_CN_KEY = re.compile(r"^(\d{6})\.(SS|SH|SZ|BJ)$")
_CN_PREFIXED = re.compile(r"^(sh|sz|bj)(\d{6})$")
_US_TICKER = re.compile(r"^[A-Z][A-Z0-9.\-]{0,9}$")
_SUFFIX_ALIASES = {"SH": "SS"}
# Yahoo-style suffixes of other exchanges: 0700.HK, VOD.L, 7203.T.
_FOREIGN_KEY = re.compile(r"^(\d{1,5}\.HK|[A-Z0-9]{1,5}\.L|\d{3}[0-9A-Z]\.T)$")

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


def _exchange_for_bare_code(code: str) -> Exchange:
    """Place a bare six-digit code on its exchange (stock rules, never index rules)."""
    if code.startswith(("43", "83", "87", "92")):
        return Exchange.BJ
    if code.startswith(("5", "6", "9")):
        return Exchange.SS
    return Exchange.SZ


def parse_symbol(text: str) -> Symbol:
    """Parse user or config input into a canonical Symbol.

    Accepts ``600111.SS``, ``600111.SH``, ``sh600111``, a bare ``600111`` (placed by the
    exchange prefix table; a bare ``000001`` is the Shenzhen stock, write ``000001.SS`` for the
    index), and US tickers such as ``REMX``.
    """
    raw = text.strip()
    if not raw:
        raise SymbolError("empty symbol")
    upper = raw.upper()
    if match := _CN_KEY.match(upper):
        code, suffix = match.group(1), _SUFFIX_ALIASES.get(match.group(2), match.group(2))
        exchange = Exchange(suffix)
    elif match := _CN_PREFIXED.match(raw.lower()):
        prefix, code = match.groups()
        exchange = {"sh": Exchange.SS, "sz": Exchange.SZ, "bj": Exchange.BJ}[prefix]
    elif _FOREIGN_KEY.match(upper):
        code, suffix = upper.rsplit(".", 1)
        if suffix == "HK":
            code = code.zfill(4)
        return Symbol(key=f"{code}.{suffix}", code=code, exchange=Exchange(suffix),
                      board=Board.OTHER)
    elif re.fullmatch(r"\d{6}", raw):
        code, exchange = raw, _exchange_for_bare_code(raw)
    elif _US_TICKER.match(upper) and not upper.isdigit():
        return Symbol(key=upper, code=upper, exchange=Exchange.US, board=Board.OTHER)
    else:
        raise SymbolError(f"{text!r} is not a symbol (try 600111.SS, 159713.SZ or REMX)")
    return Symbol(key=f"{code}.{exchange.value}", code=code, exchange=exchange,
                  board=_cn_board(code, exchange))





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

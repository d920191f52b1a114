"""Market rules in one place: one record per market, one rule per board.

Adding a market is adding a ``MarketInfo`` record (and its exchanges) here; the calendar, the
price limits, the formatting and the providers read everything market-specific from this module:
exchange, exchange-calendars name, time zone, currency, trading phases, lot size, default colour
convention, and per board the daily price limit, the new-listing window and the price tick.

``providers/units.py`` holds the units table beside these rules (what each provider's volume
and amount fields are worth per answer and board).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import time
from decimal import Decimal
from enum import StrEnum
from types import MappingProxyType
from typing import Literal
from zoneinfo import ZoneInfo


class Market(StrEnum):
    """Which market's rules (calendar, limits, colours, units) apply."""

    CN = "CN"
    US = "US"
    HK = "HK"
    UK = "UK"
    JP = "JP"


class Exchange(StrEnum):
    """Where an instrument is listed; the value is the canonical key's suffix."""

    SS = "SS"  # Shanghai
    SZ = "SZ"  # Shenzhen
    BJ = "BJ"  # Beijing
    US = "US"  # any US venue (bare tickers)
    HK = "HK"  # Hong Kong Exchanges
    L = "L"  # London Stock Exchange
    T = "T"  # Tokyo Stock Exchange


class Board(StrEnum):
    """The listing board, which decides A-share price limits."""

    MAIN = "main"
    STAR = "star"  # Shanghai 688/689
    CHINEXT = "chinext"  # Shenzhen 300/301
    BSE = "bse"  # Beijing
    FUND = "fund"  # ETFs and LOFs
    INDEX = "index"
    B_SHARE = "b-share"
    OTHER = "other"


class Phase(StrEnum):
    """Where the trading day stands."""

    PRE_OPEN = "pre-open"  # a session day, before the opening auction or the open
    OPENING_AUCTION = "opening-auction"  # orders collected, price indicative
    AUCTION_DONE = "auction-done"  # CN 09:25–09:30: matched, continuous trading opens 09:30
    CONTINUOUS = "continuous"
    LUNCH = "lunch"  # the midday break (CN 11:30–13:00, HK 12:00–13:00, JP 11:30–12:30)
    CLOSING_AUCTION = "closing-auction"
    CLOSED = "closed"  # after the close, and weekends
    HOLIDAY = "holiday"  # a weekday that is not a session


_CENT, _MILLI = Decimal("0.01"), Decimal("0.001")


@dataclass(frozen=True, slots=True)
class BoardRule:
    """A board's trading rules as in force today (limits.py adds the historical changes)."""

    name: str  # display name
    limit: Decimal | None  # daily limit as a fraction of the previous close; None: no limit
    st_limit: Decimal | None = None  # risk-warning (ST) stocks, when it differs
    unlimited_days: int = 0  # trading days after listing without a limit (1 = listing day)
    tick: Decimal = _CENT


@dataclass(frozen=True, slots=True)
class MarketInfo:
    """Everything that differs from one market to the next."""

    market: Market
    exchanges: tuple[Exchange, ...]
    exchange_names: Mapping[Exchange, str]
    calendar: str  # exchange-calendars name
    zone: ZoneInfo
    currency: str
    #: Phases of a regular session day, each from its start time (exchange-local) until the next.
    plan: tuple[tuple[time, Phase], ...]
    lot_size: int  # shares per round lot (HK varies per stock: 0 means "see the quote")
    colors: Literal["cn", "us"]  # the local convention: cn = red up, us = green up
    boards: Mapping[Board, BoardRule] = field(default_factory=lambda: MappingProxyType({}))

    def board_rule(self, board: Board) -> BoardRule | None:
        """The board's rules, or None when the market has no such board."""
        return self.boards.get(board)


def _plan(*steps: tuple[str, Phase]) -> tuple[tuple[time, Phase], ...]:
    return tuple((time.fromisoformat(at), phase) for at, phase in steps)


_TEN, _FIVE, _TWENTY, _THIRTY = Decimal("0.10"), Decimal("0.05"), Decimal("0.20"), Decimal("0.30")

#: A-share boards (SSE/SZSE/BSE trading rules; see limits.py for the dated reforms).
_CN_BOARDS = MappingProxyType({
    Board.MAIN: BoardRule("main board", _TEN, st_limit=_FIVE, unlimited_days=5),
    Board.STAR: BoardRule("STAR", _TWENTY, unlimited_days=5),
    Board.CHINEXT: BoardRule("ChiNext", _TWENTY, unlimited_days=5),
    Board.BSE: BoardRule("BSE", _THIRTY, unlimited_days=1),
    Board.FUND: BoardRule("ETF", _TEN, tick=_MILLI),
    Board.INDEX: BoardRule("index", None),
    Board.B_SHARE: BoardRule("B share", _TEN, st_limit=_FIVE),
    Board.OTHER: BoardRule("", None),
})

_NO_LIMIT_BOARDS = MappingProxyType({
    Board.OTHER: BoardRule("", None),
    Board.FUND: BoardRule("ETF", None),
    Board.INDEX: BoardRule("index", None),
})

MARKETS: Mapping[Market, MarketInfo] = MappingProxyType({
    Market.CN: MarketInfo(
        market=Market.CN,
        exchanges=(Exchange.SS, Exchange.SZ, Exchange.BJ),
        exchange_names=MappingProxyType({Exchange.SS: "SSE", Exchange.SZ: "SZSE",
                                         Exchange.BJ: "BSE"}),
        calendar="XSHG",
        zone=ZoneInfo("Asia/Shanghai"),
        currency="CNY",
        plan=_plan(("00:00", Phase.PRE_OPEN), ("09:15", Phase.OPENING_AUCTION),
                   ("09:25", Phase.AUCTION_DONE), ("09:30", Phase.CONTINUOUS),
                   ("11:30", Phase.LUNCH), ("13:00", Phase.CONTINUOUS),
                   ("14:57", Phase.CLOSING_AUCTION), ("15:00", Phase.CLOSED)),
        lot_size=100,
        colors="cn",
        boards=_CN_BOARDS,
    ),
    Market.US: MarketInfo(
        market=Market.US,
        exchanges=(Exchange.US,),
        exchange_names=MappingProxyType({Exchange.US: "US"}),
        calendar="XNYS",
        zone=ZoneInfo("America/New_York"),
        currency="USD",
        plan=_plan(("00:00", Phase.PRE_OPEN), ("09:30", Phase.CONTINUOUS),
                   ("16:00", Phase.CLOSED)),
        lot_size=1,
        colors="us",
        boards=_NO_LIMIT_BOARDS,
    ),
    Market.HK: MarketInfo(
        market=Market.HK,
        exchanges=(Exchange.HK,),
        exchange_names=MappingProxyType({Exchange.HK: "HKEX"}),
        calendar="XHKG",
        zone=ZoneInfo("Asia/Hong_Kong"),
        currency="HKD",
        plan=_plan(("00:00", Phase.PRE_OPEN), ("09:00", Phase.OPENING_AUCTION),
                   ("09:30", Phase.CONTINUOUS), ("12:00", Phase.LUNCH),
                   ("13:00", Phase.CONTINUOUS), ("16:00", Phase.CLOSING_AUCTION),
                   ("16:10", Phase.CLOSED)),
        lot_size=0,
        colors="us",
        boards=_NO_LIMIT_BOARDS,
    ),
    Market.UK: MarketInfo(
        market=Market.UK,
        exchanges=(Exchange.L,),
        exchange_names=MappingProxyType({Exchange.L: "LSE"}),
        calendar="XLON",
        zone=ZoneInfo("Europe/London"),
        currency="GBp",
        plan=_plan(("00:00", Phase.PRE_OPEN), ("07:50", Phase.OPENING_AUCTION),
                   ("08:00", Phase.CONTINUOUS), ("16:30", Phase.CLOSING_AUCTION),
                   ("16:35", Phase.CLOSED)),
        lot_size=1,
        colors="us",
        boards=_NO_LIMIT_BOARDS,
    ),
    Market.JP: MarketInfo(
        market=Market.JP,
        exchanges=(Exchange.T,),
        exchange_names=MappingProxyType({Exchange.T: "TSE"}),
        calendar="XTKS",
        zone=ZoneInfo("Asia/Tokyo"),
        currency="JPY",
        plan=_plan(("00:00", Phase.PRE_OPEN), ("09:00", Phase.CONTINUOUS),
                   ("11:30", Phase.LUNCH), ("12:30", Phase.CONTINUOUS),
                   ("15:25", Phase.CLOSING_AUCTION), ("15:30", Phase.CLOSED)),
        lot_size=100,
        colors="us",
        boards=_NO_LIMIT_BOARDS,
    ),
})

#: B shares differ by exchange: Shanghai's (900xxx) trade in USD in lots of 1000 shares with a
#: 0.001 tick, Shenzhen's (200xxx) in HKD in lots of 100 with a 0.01 tick; both have the main
#: board's limits. Exchange rules as restated by brokers' B-share guides (e.g. "上交所B股…一手
#: 1000股…0.001美元; 深交所B股…一手100股…0.01港元"); not checked against an exchange rulebook.
B_SHARES: Mapping[Exchange, tuple[str, int, Decimal]] = MappingProxyType({
    Exchange.SS: ("USD", 1000, _MILLI), Exchange.SZ: ("HKD", 100, _CENT),
})


def shares_per_hand(board: Board, exchange: Exchange) -> int:
    """Shares in one A-share 手 as the exchange counts it: 1000 for Shanghai B shares, else 100."""
    if board is Board.B_SHARE and exchange in B_SHARES:
        return B_SHARES[exchange][1]
    return MARKETS[Market.CN].lot_size


#: Which market each exchange belongs to.
EXCHANGE_MARKET: Mapping[Exchange, Market] = MappingProxyType({
    exchange: info.market for info in MARKETS.values() for exchange in info.exchanges
})


def market_info(market: Market) -> MarketInfo:
    """The record for ``market``."""
    return MARKETS[market]


def market_of(exchange: Exchange) -> Market:
    """The market an exchange belongs to."""
    return EXCHANGE_MARKET[exchange]


def zone(market: Market) -> ZoneInfo:
    """The exchange's time zone."""
    return MARKETS[market].zone


#: The zone of every A-share timestamp (Beijing time), for providers that parse naive times.
SHANGHAI = MARKETS[Market.CN].zone


# --- currencies -----------------------------------------------------------------------------

#: Minor currency units as upstreams spell them (ISO 4217 has no codes for them): the major
#: currency and how many minor units make one. London quotes most shares in pence (GBp, also
#: GBX), Johannesburg in cents (ZAc), Tel Aviv in agorot (ILA). Upper-casing GBp into GBP is
#: a 100× error, so these spellings are kept as they are.
MINOR_CURRENCIES: Mapping[str, tuple[str, int]] = MappingProxyType({
    "GBp": ("GBP", 100), "GBX": ("GBP", 100), "ZAc": ("ZAR", 100), "ILA": ("ILS", 100),
})


def normalise_currency(code: str | None) -> str | None:
    """An upstream currency code as the contract carries it: ISO codes upper-case, minor
    units (``GBp``, ``ZAc``, ``ILA``) exactly as listed in MINOR_CURRENCIES; else None."""
    text = (code or "").strip()
    if text in MINOR_CURRENCIES:
        return text
    if len(text) == 3 and text.isascii() and text.isalpha():
        return text.upper()
    return None

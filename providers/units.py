"""The units table: per provider, answer (quote, daily bars, minute line) and board, what one
upstream volume and amount unit is worth in shares and currency units, and which real captures
verified it (tests/providers/test_units.py repeats their cross-checks); ``checked_volume_unit``
lets a payload whose own amount ÷ volume contradicts the table win. It sits next to the market
and board rules (markets.py), where the next provider will find it.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from types import MappingProxyType

from neodymium.providers.markets import Board

log = logging.getLogger(__name__)


class Feed(StrEnum):
    """Which of a provider's answers a unit rule is for: the same upstream can count volume in
    lots in one answer and in shares in another."""

    QUOTE = "quote"  # the live quote line / snapshot, with its book
    DAILY = "daily"  # daily bars
    MINUTE = "minute"  # minute lines (today's and the five-day one)


@dataclass(frozen=True, slots=True)
class Units:
    """What one upstream unit is worth: shares per volume unit, currency units per amount unit,
    shares per order-book size unit (五档 levels); ``verified`` names the capture or report that
    checked it, empty when the rule is assumed (the parsers' cross-checks then decide)."""

    volume: int
    amount: Decimal
    note: str = ""
    book: int = 1
    verified: str = ""


_WAN, _YUAN = Decimal(10_000), Decimal(1)
_LOTS = "volume in lots (手)"

#: Per provider, per answer, per board: the units of the volume and amount fields; every parser
#: reads its units here. A board missing from a table falls back to its ``None`` entry, which is
#: an assumption (``verified`` empty); a board entry names the captures that verified it, and
#: tests/providers/test_units.py repeats each capture's cross-check (amount ÷ volume within the
#: day's range, 外盘 + 内盘 = volume, minute volumes summing to the day's).
UNITS: Mapping[str, Mapping[Feed, Mapping[Board | None, Units]]] = MappingProxyType({
    "tencent": MappingProxyType({
        # qt.gtimg.cn [6]/[36] volume, [7]/[8] 外盘/内盘 (they sum to [6]), [37] amount in 万元
        # ([35] carries the exact CNY amount). The 五档 sizes [10]…[28] stay in lots on STAR
        # too: the 688256 capture's levels are 143, 102, 13, 2, 18 / 2, 2, 2, 12, 2, and a STAR
        # order is at least 200 shares, so "2" is the 2-lot minimum order, not 2 shares.
        Feed.QUOTE: MappingProxyType({
            None: Units(100, _WAN, f"{_LOTS}, amount in 万元", book=100),
            Board.MAIN: Units(100, _WAN, _LOTS, book=100, verified="600519 (2026-06-30)"),
            Board.CHINEXT: Units(100, _WAN, _LOTS, book=100, verified="300308 (2026-06-03)"),
            Board.BSE: Units(100, _WAN, _LOTS, book=100, verified="920118 (2026-07-23)"),
            Board.FUND: Units(100, _WAN, _LOTS, book=100, verified="510050 (2026-07-23)"),
            Board.STAR: Units(1, _WAN, "volume in shares, book in lots", book=100,
                              verified="688256 (2026-06-03); 688691 (daily_stock_analysis "
                                       "#1408)"),
        }),
        # fqkline rows [date, open, close, high, low, volume, {notes}, turnover, amount 万元].
        Feed.DAILY: MappingProxyType({
            None: Units(100, _WAN, _LOTS),
            Board.MAIN: Units(100, _WAN, _LOTS, verified="603501, 002230, 600227 "
                                                         "(daily_stock_analysis #2350); 600000 "
                                                         "(akshare PR #7328)"),
            Board.STAR: Units(1, _WAN, "volume in shares",
                              verified="688111, 688012 (daily_stock_analysis #2350); 688981 "
                                       "(akshare PR #7328)"),
        }),
        # minute/query and day/query rows "HHMM price cumulative_volume cumulative_amount(CNY)".
        Feed.MINUTE: MappingProxyType({
            None: Units(100, _YUAN, f"cumulative {_LOTS}, amount in CNY"),
            Board.MAIN: Units(100, _YUAN, _LOTS, verified="600519 (code corpus 70370113191)"),
            # No capture: the quote line's and the daily bars' unit; parsers check each answer.
            Board.STAR: Units(1, _YUAN, "cumulative volume in shares"),
        }),
    }),
    # hq.sinajs.cn [8] volume in shares, [9] amount in CNY, 五档 sizes in shares (27345 on a
    # main-board level of the 002475 capture: no lot multiple).
    "sina": MappingProxyType({Feed.QUOTE: MappingProxyType({
        None: Units(1, _YUAN, "volume in shares, amount in currency units"),
        Board.MAIN: Units(1, _YUAN, "shares", verified="600396, 000001 (2026-07-23); 002475, "
                                                       "002472, 000963 (2026-07-17)"),
        Board.CHINEXT: Units(1, _YUAN, "shares", verified="300236 (2026-07-17)"),
        Board.STAR: Units(1, _YUAN, "shares", verified="688099 (2026-07-17), 688047 "
                                                       "(2024-09-30)"),
        Board.BSE: Units(1, _YUAN, "shares", verified="920118 (2026-07-23)"),
        Board.FUND: Units(1, _YUAN, "shares", verified="513500 (2026-07-30), 510300 "
                                                       "(2026-08-25)"),
    })}),
    # push2 stock/get f47 (ulist f5) volume and f49/f161 外盘/内盘 in lots, f48 (ulist f6) amount
    # in CNY, book sizes f12…f40 in lots; kline f56/f57 and trends2 rows alike. No STAR,
    # ChiNext, Beijing or B-share capture was found: the parsers check each answer.
    "eastmoney": MappingProxyType({
        Feed.QUOTE: MappingProxyType({
            None: Units(100, _YUAN, f"{_LOTS}, amount in CNY", book=100),
            Board.MAIN: Units(100, _YUAN, _LOTS, book=100, verified="600519 stock/get, ulist "
                                                                    "(2026-09-10)"),
            Board.FUND: Units(100, _YUAN, _LOTS, book=100, verified="513300 stock/get"),
        }),
        Feed.DAILY: MappingProxyType({
            None: Units(100, _YUAN, f"kline {_LOTS}"),
            Board.MAIN: Units(100, _YUAN, _LOTS, verified="600986 kline row"),
        }),
        Feed.MINUTE: MappingProxyType({
            None: Units(100, _YUAN, f"trends2 {_LOTS}"),
            Board.MAIN: Units(100, _YUAN, _LOTS, verified="600519 trends2 (2026-09-10)"),
        }),
    }),
    # Yahoo regularMarketVolume in shares; no amount.
    "yahoo": MappingProxyType({Feed.QUOTE: MappingProxyType({None: Units(1, _YUAN)})}),
    "demo": MappingProxyType({Feed.QUOTE: MappingProxyType({None: Units(1, _YUAN)})}),
})

_SHARES_YUAN = Units(1, _YUAN, "volume in shares, amount in currency units")


def units_for(provider: str, board: Board, feed: Feed = Feed.QUOTE) -> Units:
    """The volume/amount units ``provider`` uses for ``board`` in its ``feed`` answers (shares
    and currency units when the table has no entry)."""
    table = UNITS.get(provider, {}).get(feed)
    if table is None:
        return _SHARES_YUAN
    return table.get(board) or table[None]


#: The volume units a payload can imply: shares, lots of 100, lots of 1000 (SSE B shares).
_CANDIDATE_UNITS = (1, 100, 1000)
_DISAGREEMENTS: set[tuple[str, Feed, Board, int]] = set()  # logged already (bounded: the keys)
#: Tolerance when the payload has no average price, only a last (or adjusted) one: the day's
#: average stays within a factor of 3 of it, while the candidate units are 10× or 100× apart.
LAST_PRICE_TOLERANCE = Decimal(2)


def implied_volume_unit(volume: Decimal | None, amount: Decimal | None,
                        price: Decimal | None, tolerance: Decimal = Decimal("0.05")
                        ) -> int | None:
    """Shares per volume unit that the payload's own figures imply (1, 100 or 1000), or None.

    ``amount`` is in currency units; ``amount ÷ (volume × unit)`` must land within a factor
    ``1 + tolerance`` of ``price`` (the average price: 5 %; a last or adjusted price that can
    stray from the average: a looser factor) for the unit to count.
    """
    if not volume or not amount or not price or volume <= 0 or price <= 0 or amount <= 0:
        return None
    for unit in _CANDIDATE_UNITS:
        ratio = amount / (volume * unit) / price
        if max(ratio, 1 / ratio) <= 1 + tolerance:
            return unit
    return None


def checked_volume_unit(provider: str, board: Board, feed: Feed, volume: Decimal | None,
                        amount: Decimal | None, price: Decimal | None,
                        tolerance: Decimal = Decimal("0.05")) -> int:
    """The table's volume unit, unless the payload's own amount ÷ volume clearly implies
    another: then the payload wins and the disagreement is logged."""
    units = units_for(provider, board, feed)
    implied = implied_volume_unit(volume, amount, price, tolerance)
    if implied is not None and implied != units.volume:
        if (key := (provider, feed, board, implied)) not in _DISAGREEMENTS:  # once, not per poll
            _DISAGREEMENTS.add(key)
            log.warning("%s %s %s: volume unit %d per the payload's cross-check, not %d (%s)",
                        provider, feed, board, implied, units.volume, units.note)
        return implied
    return units.volume

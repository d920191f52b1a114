"""The demo's order book (五档) and day statistics, derived from its simulated quote.

Deterministic like the rest of the demo: the book's sizes come from a hash of (seed, symbol,
snapshot second), so a test sees the same book at the same instant and the book changes only
with the symbol's snapshot. The book never crosses a price limit: at limit-up there is nothing
offered, at limit-down nothing bid.
"""

from __future__ import annotations

import hashlib
import math
from typing import Any

from neodymium.providers.book import BOOK_DEPTH
from neodymium.providers.demo.data import PRIMARY, Profile
from neodymium.providers.models import BookLevel, OrderBook, Quote
from neodymium.providers.simulated_hours import SESSION_SECONDS, trading_seconds

#: The primary's price-to-book at the anchor close (the recorded Tencent line says 7.25).
PRIMARY_PB = 7.25
SHARES_PER_LOT = 100
SECONDS_PER_DAY = 86400.0


def _unit(*parts: object) -> float:
    digest = hashlib.blake2b(repr(parts).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") / 2**64


def _size(seed: int, key: str, second: int, side: str, level: int, profile: Profile) -> float:
    """Lots resting at one level: a few minutes of average flow, deeper levels a bit larger."""
    base = profile.avg_volume / SECONDS_PER_DAY * 60.0 / SHARES_PER_LOT
    spread = 0.2 + 1.6 * _unit(seed, key, second, side, level)
    lots = max(1, round(base * spread * (1 + level / 4)))
    return float(lots * SHARES_PER_LOT)


def demo_book(seed: int, quote: Quote, profile: Profile, second: int) -> OrderBook | None:
    """Five levels a tick apart from the quote's bid and ask, inside the limit band."""
    if profile.is_index or (quote.bid is None and quote.ask is None):
        return None
    tick, dec = profile.tick, profile.decimals
    bids, asks = [], []
    key = quote.symbol
    for level in range(BOOK_DEPTH):
        if quote.bid is not None:
            price = round(quote.bid - level * tick, dec)
            if price > 0 and (quote.limit_down is None or price >= quote.limit_down):
                bids.append(BookLevel(price, _size(seed, key, second, "b", level, profile)))
        if quote.ask is not None:
            price = round(quote.ask + level * tick, dec)
            if quote.limit_up is None or price <= quote.limit_up:
                asks.append(BookLevel(price, _size(seed, key, second, "a", level, profile)))
    return OrderBook(bids=tuple(bids), asks=tuple(asks))


def demo_stats(seed: int, quote: Quote, profile: Profile, second: int,
               *, a_share: bool = True, session_over: bool = False) -> dict[str, Any]:
    """Book, 内盘/外盘, turnover, volume ratio, amplitude, P/B, float cap and average price.

    Only A-share quotes carry them, as the real A-share sources do; a US quote gets none.
    ``session_over``: the quote is a past session's close, with no book (before the next
    auction nothing is bid or offered) and its volume over a whole session.
    """
    if not a_share:
        return {}
    volume, amount, prev = quote.volume, quote.amount, quote.prev_close
    last = quote.last
    stats: dict[str, Any] = {} if session_over else {
        "book": demo_book(seed, quote, profile, second)}
    if volume:
        tilt = math.tanh((quote.change_pct or 0.0) / 2.0) * 0.15
        outside = round(volume * (0.5 + tilt) / SHARES_PER_LOT) * SHARES_PER_LOT
        stats["outside_volume"] = float(outside)
        stats["inside_volume"] = float(volume - outside)
        stats["avg_price"] = round(amount / volume, profile.decimals + 1) if amount else None
        # The day's volume counts from the auction, at an average day's per session (intraday).
        elapsed = SESSION_SECONDS if session_over else max(trading_seconds(second), 60)
        expected = profile.avg_volume * elapsed / SESSION_SECONDS
        stats["volume_ratio"] = round(volume / expected, 2)
        if profile.total_shares:
            stats["turnover_rate"] = round(volume / profile.total_shares * 100.0, 2)
    if prev and quote.high is not None and quote.low is not None:
        stats["amplitude"] = round((quote.high - quote.low) / prev * 100.0, 2)
    if profile.total_shares and last is not None:
        stats["float_market_cap"] = round(last * profile.total_shares, 2)
    if quote.symbol == PRIMARY and last is not None:
        stats["pb"] = round(last / (profile.level / PRIMARY_PB), 2)
    return stats

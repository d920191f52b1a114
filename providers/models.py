"""The data contract every provider speaks.

Units are normalised at the provider boundary: volume in shares (not lots), money in
currency units (not 万/亿), times tz-aware. A missing value is ``None``, never ``0``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import date, datetime
from enum import StrEnum
from types import MappingProxyType


class DataKind(StrEnum):
    """The kinds of data a provider can serve; each is polled on its own schedule."""

    QUOTES = "quotes"
    HISTORY = "history"
    NEWS = "news"


class TradingStatus(StrEnum):
    """Whether an instrument trades, as the upstream reports it."""

    TRADING = "trading"
    SUSPENDED = "suspended"  # 停牌
    DELISTED = "delisted"  # 退市
    NOT_YET_LISTED = "not-yet-listed"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class BookLevel:
    """One price level of an order book; ``volume`` in shares."""

    price: float
    volume: float


@dataclass(frozen=True, slots=True)
class OrderBook:
    """The five-level (五档) book: ``bids`` best first (highest), ``asks`` best first (lowest).

    A level the source sent empty (no order at that depth, or limit-up with no asks) is left
    out, so a side may hold fewer than five levels.
    """

    bids: tuple[BookLevel, ...] = ()
    asks: tuple[BookLevel, ...] = ()

    @property
    def bid_volume(self) -> float:
        """Shares bid over the levels shown."""
        return sum(level.volume for level in self.bids)

    @property
    def ask_volume(self) -> float:
        """Shares offered over the levels shown."""
        return sum(level.volume for level in self.asks)

    @property
    def imbalance(self) -> float | None:
        """委差: shares bid minus shares offered, or None on an empty book."""
        if not self.bids and not self.asks:
            return None
        return self.bid_volume - self.ask_volume

    @property
    def imbalance_pct(self) -> float | None:
        """委比: (bid − ask) / (bid + ask) × 100, or None on an empty book."""
        total = self.bid_volume + self.ask_volume
        if total <= 0:
            return None
        return (self.bid_volume - self.ask_volume) / total * 100.0


def _require_aware(name: str, value: datetime | None) -> None:
    if value is not None and (value.tzinfo is None or value.utcoffset() is None):
        raise ValueError(f"{name} must be timezone-aware, got naive {value!r}")


@dataclass(frozen=True, slots=True)
class Quote:
    """A point-in-time quote for one instrument, as one source reported it."""

    symbol: str
    as_of: datetime
    source: str
    name: str | None = None
    last: float | None = None
    prev_close: float | None = None
    open: float | None = None
    high: float | None = None
    low: float | None = None
    volume: float | None = None
    amount: float | None = None
    bid: float | None = None
    ask: float | None = None
    pe_ttm: float | None = None
    pe_dynamic: float | None = None
    pe_static: float | None = None
    market_cap: float | None = None
    high_52w: float | None = None
    low_52w: float | None = None
    limit_up: float | None = None
    limit_down: float | None = None
    currency: str | None = None
    delay_s: int = 0
    # -- trust (issue 8): status as the upstream sends it; None when the source does not say.
    status: TradingStatus | None = None
    #: "upstream" when a status field was read, "inferred" when it was read off the line.
    status_source: str | None = None
    # -- the order book and the day's statistics (issue 13) --
    #: Five bid and ask levels, volumes in shares.
    book: OrderBook | None = None
    #: 换手率, percent of the float traded today.
    turnover_rate: float | None = None
    #: 量比, today's volume per minute over the 5-day average per minute.
    volume_ratio: float | None = None
    #: 振幅, (high − low) / previous close, percent.
    amplitude: float | None = None
    #: 市净率, price over book value per share.
    pb: float | None = None
    #: 流通市值, currency units.
    float_market_cap: float | None = None
    #: 均价, amount over volume for the day.
    avg_price: float | None = None
    #: 内盘 (sold at the bid) and 外盘 (bought at the ask), shares.
    inside_volume: float | None = None
    outside_volume: float | None = None

    def __post_init__(self) -> None:
        _require_aware("Quote.as_of", self.as_of)
        if self.status is not None and not isinstance(self.status, TradingStatus):
            object.__setattr__(self, "status", TradingStatus(self.status))

    @property
    def change(self) -> float | None:
        """Last minus previous close, or None when either is missing."""
        if self.last is None or self.prev_close is None:
            return None
        return self.last - self.prev_close

    @property
    def change_pct(self) -> float | None:
        """Change as a percentage of the previous close, or None."""
        if self.last is None or not self.prev_close:
            return None
        return (self.last / self.prev_close - 1.0) * 100.0

    @property
    def delayed(self) -> bool:
        """True when the source delays its data."""
        return self.delay_s > 0


#: Fields of a quote that carry market data (everything but identity and provenance).
QUOTE_VALUE_FIELDS: tuple[str, ...] = tuple(
    f.name for f in fields(Quote) if f.name not in {"symbol", "as_of", "source", "delay_s"}
)


@dataclass(frozen=True, slots=True)
class Bar:
    """One daily OHLCV bar; volume in shares, amount in currency units."""

    symbol: str
    day: date
    open: float | None
    high: float | None
    low: float | None
    close: float
    volume: float | None = None
    amount: float | None = None


class NewsKind(StrEnum):
    """Whether an item is a headline or a company announcement."""

    NEWS = "news"
    ANNOUNCEMENT = "announcement"


@dataclass(frozen=True, slots=True)
class NewsItem:
    """A headline or announcement; ``id`` is stable across polls and restarts."""

    id: str
    title: str
    source: str
    published: datetime
    url: str | None = None
    symbols: tuple[str, ...] = ()
    kind: NewsKind = NewsKind.NEWS
    summary: str | None = None
    # -- trust (issue 8): whether ``published`` is the source's own date. An undated item is
    # stamped with its fetch time (dated False); one dated in the future is clamped to it.
    dated: bool = True
    clamped: bool = False

    def __post_init__(self) -> None:
        _require_aware("NewsItem.published", self.published)


@dataclass(frozen=True, slots=True)
class QuoteBatch:
    """The answer to one quote request: partial failure is normal."""

    quotes: Mapping[str, Quote] = field(default_factory=lambda: MappingProxyType({}))
    errors: Mapping[str, Exception] = field(default_factory=lambda: MappingProxyType({}))


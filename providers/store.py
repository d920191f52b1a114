"""What the feed knows: last good values per field, bars, news, provider health, as snapshots.

The store is mutated only by the feed; subscribers receive immutable :class:`Snapshot` objects.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from types import MappingProxyType
from typing import TYPE_CHECKING, Any
from unicodedata import east_asian_width

from neodymium.providers.models import QUOTE_VALUE_FIELDS, Bar, DataKind, NewsItem, Quote
from neodymium.providers.news_dedup import merge_duplicates, news_order
from neodymium.providers.relay.status import RelayStatus

if TYPE_CHECKING:
    from neodymium.providers.derived import DerivedView


@dataclass(frozen=True, slots=True)
class FieldOrigin:
    """Where and when one quote field's value came from."""

    source: str
    as_of: datetime


@dataclass(frozen=True, slots=True)
class QuoteState:
    """The merged quote of a symbol: each field is the last good value any source gave."""

    quote: Quote
    origins: Mapping[str, FieldOrigin]
    received_at: datetime
    from_cache: bool = False

    def origin(self, field_name: str) -> FieldOrigin | None:
        """Where a field's value came from, or None if no source gave it."""
        return self.origins.get(field_name)

    def sources(self) -> list[str]:
        """Every source that contributed a field, most recent first."""
        ordered = sorted(self.origins.values(), key=lambda origin: origin.as_of, reverse=True)
        return list(dict.fromkeys(origin.source for origin in ordered))


def merge_quote(previous: QuoteState | None, incoming: Quote, received_at: datetime) -> QuoteState:
    """Fold a new quote into the previous state, keeping fields the new source lacks."""
    if previous is not None and previous.quote is incoming:
        # The source's own quote merged whole last time (a merge that kept older fields made
        # a new object), given again (its unchanged snapshot): the fields and origins stand.
        return QuoteState(incoming, previous.origins, received_at)
    if previous is None:
        origins = {
            name: FieldOrigin(incoming.source, incoming.as_of)
            for name in QUOTE_VALUE_FIELDS
            if getattr(incoming, name) is not None
        }
        return QuoteState(incoming, MappingProxyType(origins), received_at)
    kept: dict[str, Any] = {}
    origins = dict(previous.origins)
    origin = FieldOrigin(incoming.source, incoming.as_of)
    for name in QUOTE_VALUE_FIELDS:
        if getattr(incoming, name) is None or (
                name == "name" and keeps_local_name(previous.quote.name, incoming.name)):
            value = getattr(previous.quote, name)
            if value is not None:
                kept[name] = value
        else:
            origins[name] = origin
    merged = replace(incoming, **kept) if kept else incoming
    return QuoteState(merged, MappingProxyType(origins), received_at)


def keeps_local_name(held: str | None, incoming: str | None) -> bool:
    """True when ``held`` is a name in the market's own script (北方稀土) and ``incoming`` is
    not (Yahoo's "China Northern Rare Earth (Group) High-Tech Co.,Ltd"): an A-share keeps its
    Chinese short name whichever source served the last quote."""
    return bool(held and incoming) and _has_wide(held) and not _has_wide(incoming)


def _has_wide(text: str | None) -> bool:
    """True when ``text`` has a wide (CJK) character."""
    return any(east_asian_width(char) in "WF" for char in text or "")


#: The health entry that reports a cache which stopped taking writes.
CACHE_HEALTH = "cache"


@dataclass(frozen=True, slots=True)
class ProviderHealth:
    """How one provider is doing, for the health view and the status bar."""

    name: str
    state: str = "idle"  # idle | ok | backoff | circuit-open | failing
    last_success: datetime | None = None
    last_error: str | None = None
    #: The last error's kind (``bad-payload``, ``unavailable``…: ProviderError.kind), so its
    #: cause can be named when the message's words do not say it.
    last_error_kind: str = ""
    last_error_at: datetime | None = None
    latency_s: float | None = None
    requests: int = 0
    errors: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))
    consecutive_failures: int = 0
    backoff_until: datetime | None = None
    delayed: bool = False
    #: The data kinds whose requests are currently failing (quotes, history, news).
    failing_kinds: tuple[str, ...] = ()

    @property
    def error_count(self) -> int:
        """All errors of every kind."""
        return sum(self.errors.values())


@dataclass(frozen=True, slots=True)
class Snapshot:
    """An immutable picture of everything the feed knows at one instant."""

    as_of: datetime
    quotes: Mapping[str, QuoteState]
    bars: Mapping[str, tuple[Bar, ...]]
    news: tuple[NewsItem, ...]
    health: Mapping[str, ProviderHealth]
    symbol_errors: Mapping[str, str]
    loaded: frozenset[DataKind]
    names: Mapping[str, str]
    version: int = 0
    #: Limits, 52-week position, comparisons and sparklines, computed once at publication.
    derived: DerivedView | None = None
    #: Set when the values come from a relay (``[feed].source = "nats://…"``).
    relay: RelayStatus | None = None


@dataclass(frozen=True, slots=True)
class Merged:
    """Values another feed already merged (a relay's), for :meth:`Store.adopt`.

    Quote states keep their field origins and receipt time; bars are the whole set per symbol.
    ``health``, ``loaded`` and ``symbol_errors``, when given, replace the store's own.
    """

    quotes: Mapping[str, QuoteState] = field(default_factory=dict)
    bars: Mapping[str, tuple[Bar, ...]] = field(default_factory=dict)
    news: tuple[NewsItem, ...] = ()
    health: Mapping[str, ProviderHealth] | None = None
    loaded: frozenset[DataKind] | None = None
    symbol_errors: Mapping[str, str] | None = None


class Store:
    """Mutable state owned by the feed, published as snapshots."""

    def __init__(self, max_news: int = 300) -> None:
        #: The link to a relay, when the store is filled from one (copied into each snapshot).
        self.relay: RelayStatus | None = None
        self.quotes: dict[str, QuoteState] = {}
        self.bars: dict[str, tuple[Bar, ...]] = {}
        self.news: dict[str, NewsItem] = {}
        self.health: dict[str, ProviderHealth] = {}
        self.symbol_errors: dict[str, str] = {}
        self.loaded: set[DataKind] = set()
        self.max_news = max_news
        self.version = 0
        #: The merged, ordered headlines and the ids they were built from (news changes far
        #: less often than quotes are published).
        self._news_built: tuple[tuple[str, ...], tuple[NewsItem, ...]] = ((), ())

    def put_quote(self, quote: Quote, received_at: datetime, from_cache: bool = False) -> None:
        """Merge a quote and clear the symbol's error."""
        state = merge_quote(self.quotes.get(quote.symbol), quote, received_at)
        if from_cache:
            state = replace(state, from_cache=True)
        self.quotes[quote.symbol] = state
        self.symbol_errors.pop(quote.symbol, None)

    def adopt(self, merged: Merged, seen: set[str] | None = None) -> list[NewsItem]:
        """Take values merged elsewhere as they are: no merge with what is here, no new
        receipt time. A symbol's adopted quote clears its error. Returns the news items not
        seen before (as :meth:`put_news`)."""
        if merged.health is not None:
            self.health = dict(merged.health)
        if merged.loaded is not None:
            self.loaded = set(merged.loaded)
        if merged.symbol_errors is not None:
            self.symbol_errors = dict(merged.symbol_errors)
        for key, state in merged.quotes.items():
            self.quotes[key] = state
            self.symbol_errors.pop(key, None)
        for key, bars in merged.bars.items():
            self._set_bars(key, tuple(bars))
        return self.put_news(merged.news, seen=seen)

    def put_bars(self, symbol: str, bars: Iterable[Bar]) -> None:
        """Merge daily bars by day (newer values win), kept in date order."""
        by_day = {bar.day: bar for bar in self.bars.get(symbol, ())}
        by_day.update({bar.day: bar for bar in bars})
        self._set_bars(symbol, tuple(by_day[day] for day in sorted(by_day)))

    def _set_bars(self, symbol: str, bars: tuple[Bar, ...]) -> None:
        """Hold ``bars`` for ``symbol``, keeping the tuple already held when they are equal: a
        poll that brings the same bars again is no new history, so what was derived from
        them (keyed by the tuple, providers.comparison_state.Memo) is reused, not redone."""
        if self.bars.get(symbol) != bars:
            self.bars[symbol] = bars

    def put_news(self, items: Iterable[NewsItem], seen: set[str] | None = None) -> list[NewsItem]:
        """Add news items by id; returns those not seen before (here or in ``seen``)."""
        fresh = []
        for item in items:
            if item.id in self.news:
                continue
            self.news[item.id] = item
            if seen is None or item.id not in seen:
                fresh.append(item)
        if len(self.news) > self.max_news:
            keep = sorted(self.news.values(), key=lambda n: n.published, reverse=True)
            self.news = {item.id: item for item in keep[: self.max_news]}
        return fresh

    def set_health(self, health: ProviderHealth) -> None:
        """Replace a provider's health record."""
        self.health[health.name] = health

    def snapshot(self, now: datetime, names: Mapping[str, str]) -> Snapshot:
        """Freeze the current state."""
        self.version += 1
        ids = tuple(self.news)  # items are added by id, never replaced
        if ids != self._news_built[0]:
            self._news_built = (ids, tuple(merge_duplicates(
                sorted(self.news.values(), key=news_order, reverse=True))))
        news = self._news_built[1]
        return Snapshot(
            as_of=now,
            quotes=MappingProxyType(dict(self.quotes)),
            bars=MappingProxyType(dict(self.bars)),
            news=news,
            health=MappingProxyType(dict(self.health)),
            symbol_errors=MappingProxyType(dict(self.symbol_errors)),
            loaded=frozenset(self.loaded),
            names=MappingProxyType(dict(names)),
            version=self.version,
            relay=self.relay,
        )


def names_from(quotes: Mapping[str, QuoteState]) -> dict[str, str]:
    """Display names by symbol from the quotes that carry one."""
    return {key: state.quote.name for key, state in quotes.items() if state.quote.name}

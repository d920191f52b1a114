"""Feed behaviour with scripted in-process providers: failover, backoff, stale-not-blank.

These providers are test doubles for the feed's logic only; the real providers are exercised
against the fake upstream in test_feed_upstream.py and their own tests.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime

import httpx
import pytest
from neodymium.config.settings import Settings
from neodymium.providers.base import Provider
from neodymium.providers.clock import FrozenClock
from neodymium.providers.errors import ProviderUnavailable, RateLimited, SymbolNotFound
from neodymium.providers.feed import Feed
from neodymium.providers.models import Bar, DataKind, NewsItem, Quote, QuoteBatch
from neodymium.providers.symbols import Market, Symbol

# Friday 2026-08-21 10:00 in Shanghai: the market is trading.
TRADING = datetime(2026, 8, 21, 2, 0, tzinfo=UTC)


class Scripted(Provider):
    """A provider whose answers the test sets; records what it was asked."""

    name = "scripted"
    kinds = frozenset({DataKind.QUOTES, DataKind.HISTORY, DataKind.NEWS})

    def __init__(self, name: str, clock: FrozenClock, markets: set[Market] | None = None,
                 fields: Mapping[str, float] | None = None) -> None:
        super().__init__(httpx.AsyncClient(), clock=clock)
        self.label = name
        self.markets = markets or {Market.CN, Market.US}
        self.fields = dict(fields or {"last": 50.0})
        self.fail: Exception | None = None
        self.not_found: set[str] = set()
        self.asked: list[list[str]] = []
        self.as_of: datetime | None = None

    @property
    def backoff_key(self) -> str:
        return self.label

    def supports(self, symbol: Symbol, kind: DataKind) -> bool:
        return symbol.market in self.markets

    async def fetch_quotes(self, symbols: Sequence[Symbol]) -> QuoteBatch:
        self.asked.append([s.key for s in symbols])
        if self.fail is not None:
            raise self.fail
        quotes = {s.key: Quote(s.key, self.as_of or self.clock(), self.label, **self.fields)
                  for s in symbols if s.key not in self.not_found}
        errors = {k: SymbolNotFound(self.label, k) for k in self.not_found}
        return QuoteBatch(quotes, errors)

    async def fetch_history(self, symbol: Symbol, start: date | None, end: date) -> list[Bar]:
        return [Bar(symbol.key, end, 1, 1, 1, 1.0)]

    async def fetch_news(self, symbols: Sequence[Symbol], names: Mapping[str, str]
                         ) -> list[NewsItem]:
        return [NewsItem(f"{self.label}:1", "headline", self.label, self.clock())]


def make_feed(clock: FrozenClock, *providers: Scripted, watch: Sequence[str] = ("600111.SS",)
              ) -> Feed:
    names = [p.label for p in providers]
    settings = Settings.model_validate({
        "watch": {"primary": watch[0], "symbols": list(watch), "compare": []},
        "quotes": {"providers": names, "interval": 5.0},
        "history": {"providers": names}, "news": {"providers": names},
    })
    return Feed(settings, {p.label: p for p in providers}, clock=clock)


async def test_failover_asks_next_provider_in_same_cycle() -> None:
    clock = FrozenClock(TRADING)
    first = Scripted("first", clock)
    second = Scripted("second", clock, fields={"last": 51.0})
    first.fail = ProviderUnavailable("first", "down")
    feed = make_feed(clock, first, second)
    snapshot = await feed.poll_quotes()
    assert snapshot is not None
    assert snapshot.quotes["600111.SS"].quote.last == 51.0
    assert snapshot.quotes["600111.SS"].origin("last").source == "second"
    assert snapshot.health["first"].state == "backoff"
    assert snapshot.health["second"].state == "ok"


async def test_symbol_not_found_goes_to_next_provider_then_is_reported() -> None:
    clock = FrozenClock(TRADING)
    first = Scripted("first", clock)
    second = Scripted("second", clock)
    first.not_found = {"159713.SZ"}
    second.not_found = {"159713.SZ"}
    feed = make_feed(clock, first, second, watch=("600111.SS", "159713.SZ"))
    snapshot = await feed.poll_quotes()
    assert second.asked == [["159713.SZ"]]
    assert "600111.SS" in snapshot.quotes
    assert "not found" in snapshot.symbol_errors["159713.SZ"]


async def test_us_symbols_go_to_the_provider_that_serves_them() -> None:
    clock = FrozenClock(TRADING)
    cn = Scripted("cn", clock, markets={Market.CN})
    us = Scripted("us", clock, markets={Market.US})
    feed = make_feed(clock, cn, us, watch=("600111.SS", "REMX"))
    feed._due[Market.US] = TRADING  # due regardless of the New York clock
    snapshot = await feed.poll_quotes()
    assert cn.asked == [["600111.SS"]]
    assert snapshot.quotes["600111.SS"].origin("last").source == "cn"
    if us.asked:
        assert us.asked == [["REMX"]]


async def test_last_good_values_survive_an_outage_and_recover() -> None:
    clock = FrozenClock(TRADING)
    only = Scripted("only", clock, fields={"last": 50.0, "pe_ttm": 85.0})
    feed = make_feed(clock, only)
    await feed.poll_quotes()
    only.fail = RateLimited("only", "429", retry_after=30)
    clock.advance(5)
    snapshot = await feed.poll_quotes()
    assert snapshot.quotes["600111.SS"].quote.last == 50.0  # kept, not blanked
    assert snapshot.health["only"].errors == {"rate-limited": 1}
    backoff_until = snapshot.health["only"].backoff_until
    assert backoff_until is not None and (backoff_until - clock()).total_seconds() >= 30
    # Still backing off: the provider is not asked again.
    clock.advance(5)
    asked = len(only.asked)
    await feed.poll_quotes()
    assert len(only.asked) == asked
    # After the backoff the fault is gone: recovery on the next cycle.
    only.fail = None
    only.fields = {"last": 52.0}
    clock.advance(60)
    snapshot = await feed.poll_quotes()
    assert snapshot.quotes["600111.SS"].quote.last == 52.0
    assert snapshot.quotes["600111.SS"].quote.pe_ttm == 85.0
    assert snapshot.health["only"].state == "ok"


async def test_bad_symbol_is_reported_and_skipped() -> None:
    clock = FrozenClock(TRADING)
    only = Scripted("only", clock)
    feed = make_feed(clock, only, watch=("600111.SS", "??"))
    snapshot = await feed.poll_quotes()
    assert "??" in snapshot.symbol_errors
    assert only.asked == [["600111.SS"]]


async def test_all_kinds_load_and_subscribers_get_snapshots() -> None:
    clock = FrozenClock(TRADING)
    only = Scripted("only", clock)
    feed = make_feed(clock, only)
    seen = []
    feed.subscribe(seen.append)
    await feed.refresh_now()
    assert feed.latest is not None
    assert feed.latest.loaded == frozenset(DataKind)
    assert feed.latest.news[0].id == "only:1"
    assert feed.latest.bars["600111.SS"]
    assert seen and seen[-1] is feed.latest


@pytest.mark.parametrize(
    ("local", "polled"),
    [("10:00", True), ("12:00", False), ("03:00", False)],
)
async def test_quote_cadence_follows_the_session(local: str, polled: bool) -> None:
    from zoneinfo import ZoneInfo

    hour, minute = map(int, local.split(":"))
    start = datetime(2026, 8, 21, hour, minute, tzinfo=ZoneInfo("Asia/Shanghai"))
    clock = FrozenClock(start)
    only = Scripted("only", clock)
    feed = make_feed(clock, only)
    await feed.poll_quotes()  # the first poll always runs
    clock.advance(6)
    await feed.poll_quotes()
    assert (len(only.asked) == 2) is polled


async def test_upstream_reporting_no_trading_today_marks_a_non_session() -> None:
    from zoneinfo import ZoneInfo

    from neodymium.providers import calendar

    # Only past the calendar's known years: 2028 is weekdays minus the provisional table.
    shanghai = ZoneInfo("Asia/Shanghai")
    clock = FrozenClock(datetime(2028, 3, 15, 10, 30, tzinfo=shanghai))
    only = Scripted("only", clock)
    only.as_of = datetime(2028, 3, 14, 15, 0, tzinfo=shanghai)  # yesterday's close
    feed = make_feed(clock, only)
    try:
        assert calendar.is_session_day(Market.CN, date(2028, 3, 15))
        await feed.poll_quotes()
        assert not calendar.is_session_day(Market.CN, date(2028, 3, 15))
        assert calendar.session_state(Market.CN, clock()).phase is calendar.Phase.HOLIDAY
    finally:
        calendar.clear_non_session_marks()


async def test_one_fresh_quote_means_the_market_trades() -> None:
    from zoneinfo import ZoneInfo

    from neodymium.providers import calendar

    shanghai = ZoneInfo("Asia/Shanghai")
    clock = FrozenClock(datetime(2026, 8, 21, 10, 30, tzinfo=shanghai))
    only = Scripted("only", clock)
    feed = make_feed(clock, only)
    try:
        await feed.poll_quotes()
        assert calendar.is_session_day(Market.CN, date(2026, 8, 21))
    finally:
        calendar.clear_non_session_marks()


async def test_history_is_fetched_again_right_after_the_close() -> None:
    from zoneinfo import ZoneInfo

    clock = FrozenClock(datetime(2026, 8, 21, 14, 50, tzinfo=ZoneInfo("Asia/Shanghai")))
    only = Scripted("only", clock)
    calls: list[datetime] = []
    original = only.fetch_history

    async def counting(symbol, start, end):
        calls.append(clock())
        return await original(symbol, start, end)

    only.fetch_history = counting  # type: ignore[method-assign]
    feed = make_feed(clock, only)
    await feed.poll_history()
    clock.advance(9 * 60)  # 14:59: not yet closed; the hourly refresh is far away
    await feed.poll_history()
    assert len(calls) == 1
    clock.advance(2 * 60 + 1)  # 15:01:01: closed a minute ago
    await feed.poll_history()
    assert len(calls) == 2
    clock.advance(60)
    await feed.poll_history()
    assert len(calls) == 2  # once per close, not every poll after it

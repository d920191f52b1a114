"""The real providers and the feed against the fake upstream: what the user would see.

Failover from Tencent to Sina, fields kept from the source that has them, stale markers while
everything is down, and recovery within one polling interval once the fault is switched off.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime
from zoneinfo import ZoneInfo

import httpx
import pytest
from neodymium.config.settings import Settings
from neodymium.providers.clock import FrozenClock
from neodymium.providers.factory import build_providers
from neodymium.providers.feed import Feed
from neodymium.tui.view import freshness

from tests.fakeupstream import FakeUpstream, Fault

TRADING = datetime(2026, 8, 21, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
HTTP_PROVIDERS = ("tencent", "sina", "eastmoney", "yahoo", "sina-roll",
                  "eastmoney-announcements")


def settings_for(upstream: FakeUpstream) -> Settings:
    return Settings.model_validate({
        "watch": {"primary": "600111.SS", "symbols": ["600111.SS"],
                  "compare": ["159713.SZ", "REMX"]},
        "quotes": {"providers": ["tencent", "sina", "yahoo"], "interval": 5.0},
        "history": {"providers": ["tencent", "yahoo"]},
        "news": {"providers": ["sina-roll"]},
        "providers": {name: {"base_url": upstream.base_url, "timeout": 0.5, "min_interval": 0}
                      for name in HTTP_PROVIDERS},
    })


@pytest.fixture
async def feed_and_clock(fake_upstream: FakeUpstream) -> AsyncIterator[tuple[Feed, FrozenClock]]:
    clock = FrozenClock(TRADING)
    settings = settings_for(fake_upstream)
    async with httpx.AsyncClient() as client:
        feed = Feed(settings, build_providers(settings, client, clock), clock=clock)
        yield feed, clock
        await feed.stop()


async def next_cycle(feed: Feed, clock: FrozenClock, seconds: float = 5.0):
    clock.advance(seconds)
    return await feed.poll_quotes()


async def test_every_symbol_is_served_by_the_right_source(feed_and_clock) -> None:
    feed, _ = feed_and_clock
    snapshot = await feed.poll_quotes()
    stock = snapshot.quotes["600111.SS"]
    assert stock.quote.name == "北方稀土"
    assert stock.quote.pe_ttm == 85.24
    assert stock.quote.volume == 123_456_700  # lots → shares
    assert stock.origin("last").source == "tencent"
    assert snapshot.quotes["159713.SZ"].origin("last").source == "tencent"
    assert snapshot.quotes["REMX"].origin("last").source == "yahoo"
    assert snapshot.health["tencent"].state == "ok"


async def test_failover_to_sina_keeps_pe_from_tencent(feed_and_clock, fake_upstream) -> None:
    feed, clock = feed_and_clock
    await feed.poll_quotes()
    fake_upstream.set_fault("tencent-quote", Fault("status", status=503))
    fake_upstream.scenario.set("price:600111.SS", 51.0)
    snapshot = await next_cycle(feed, clock)
    stock = snapshot.quotes["600111.SS"]
    assert stock.quote.last == 51.0
    assert stock.origin("last").source == "sina"
    assert stock.quote.pe_ttm == 85.24 and stock.origin("pe_ttm").source == "tencent"
    assert snapshot.health["tencent"].state == "backoff"
    assert snapshot.health["tencent"].errors == {"unavailable": 1}


async def test_garbage_counts_as_bad_payload_and_next_provider_serves(feed_and_clock,
                                                                      fake_upstream) -> None:
    feed, _ = feed_and_clock
    fake_upstream.set_fault("tencent-quote", Fault("garbage"))
    snapshot = await feed.poll_quotes()
    assert snapshot.health["tencent"].errors.get("bad-payload", 0) >= 1
    assert snapshot.quotes["600111.SS"].origin("last").source == "sina"


async def test_everything_down_keeps_last_values_marked_stale(feed_and_clock,
                                                              fake_upstream) -> None:
    feed, clock = feed_and_clock
    await feed.poll_quotes()
    for route in ("tencent-quote", "sina-quote", "yahoo-chart"):
        fake_upstream.set_fault(route, Fault("reset"))
    snapshot = await next_cycle(feed, clock, 30)
    stock = snapshot.quotes["600111.SS"]
    assert stock.quote.last == 50.46  # the last good value, not blank
    fresh = freshness(stock, clock(), feed.settings, feed.symbols[0].market, simulated=False)
    assert fresh.stale and "STALE" in fresh.label
    assert "600111.SS" in snapshot.symbol_errors


async def test_recovers_on_the_first_cycle_after_backoff(feed_and_clock, fake_upstream) -> None:
    feed, clock = feed_and_clock
    await feed.poll_quotes()
    fake_upstream.set_fault("tencent-quote", Fault("status", status=429, retry_after="20"))
    snapshot = await next_cycle(feed, clock)
    until = snapshot.health["tencent"].backoff_until
    assert until is not None and (until - clock()).total_seconds() >= 20
    fake_upstream.clear_fault()
    fake_upstream.scenario.set("price:600111.SS", 52.0)
    requests = fake_upstream.count("tencent-quote")
    await next_cycle(feed, clock)  # still backing off: Tencent is not asked
    assert fake_upstream.count("tencent-quote") == requests
    snapshot = await next_cycle(feed, clock, (until - clock()).total_seconds() + 0.1)
    assert snapshot.quotes["600111.SS"].origin("last").source == "tencent"
    assert snapshot.quotes["600111.SS"].quote.last == 52.0
    assert snapshot.health["tencent"].state == "ok"


async def test_history_and_news_arrive(feed_and_clock) -> None:
    feed, _ = feed_and_clock
    await feed.refresh_now()
    snapshot = feed.latest
    assert snapshot.bars["600111.SS"]
    assert snapshot.bars["REMX"]
    assert all(item.title for item in snapshot.news)
    assert all("\x1b" not in item.title for item in snapshot.news)


async def test_one_failure_recovers_within_one_polling_interval(feed_and_clock,
                                                               fake_upstream) -> None:
    feed, clock = feed_and_clock
    fake_upstream.set_fault("tencent-quote", Fault("status", status=502))
    snapshot = await feed.poll_quotes()
    assert snapshot.quotes["600111.SS"].origin("last").source == "sina"
    fake_upstream.clear_fault()
    snapshot = await next_cycle(feed, clock, feed.settings.quotes.interval)
    assert snapshot.quotes["600111.SS"].origin("last").source == "tencent"
    assert snapshot.health["tencent"].state == "ok"

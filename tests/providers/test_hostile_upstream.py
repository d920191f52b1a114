"""Hostile upstreams against the real providers and feed: bounded bodies, total deadlines,
redirects, permanent errors, absurd Retry-After, recovery and probing, crashing jobs."""

from __future__ import annotations

import tracemalloc
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import httpx
import pytest
from neodymium.config.settings import Settings
from neodymium.providers.base import ProviderOptions
from neodymium.providers.clock import FrozenClock
from neodymium.providers.errors import BadPayload, PermanentError, ProviderUnavailable
from neodymium.providers.factory import build_providers, make_client
from neodymium.providers.feed import Feed
from neodymium.providers.models import DataKind
from neodymium.providers.rss import RssOptions, RssProvider
from neodymium.providers.schedule import FeedScheduler
from neodymium.providers.symbols import parse_symbol
from neodymium.providers.tencent import TencentProvider

from tests.fakeupstream import FakeUpstream, Fault
from tests.fakeupstream.server import gzip_bomb

TRADING = datetime(2026, 8, 21, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
STOCK = [parse_symbol("600111.SS")]
HTTP_PROVIDERS = ("tencent", "sina", "yahoo", "sina-roll")


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    async with make_client() as shared:  # the app's own client: no redirects of its own
        yield shared


def tencent(client: httpx.AsyncClient, upstream: FakeUpstream, **options) -> TencentProvider:
    merged = {"timeout": 2.0, "min_interval": 0.0, **options}
    return TencentProvider(client, ProviderOptions(base_url=upstream.base_url, **merged))


# -- bodies ------------------------------------------------------------------------------------


async def test_an_endless_body_is_cut_at_the_limit_with_a_short_message(
    client: httpx.AsyncClient, fake_upstream: FakeUpstream
) -> None:
    fake_upstream.set_fault("tencent-quote", Fault("endless"))
    provider = tencent(client, fake_upstream, max_body_kib=256)
    with pytest.raises(BadPayload) as caught:
        await provider.fetch_quotes(STOCK)
    assert "256 KiB limit" in str(caught.value)
    assert len(str(caught.value)) < 300  # an excerpt, never the payload


async def test_a_gzip_bomb_is_counted_after_inflating_and_never_held(
    client: httpx.AsyncClient, fake_upstream: FakeUpstream
) -> None:
    gzip_bomb(64 * 1024 * 1024)  # built before measuring: the server's memory is not ours
    fake_upstream.set_fault("tencent-quote", Fault("gzip-bomb"))
    provider = tencent(client, fake_upstream)
    tracemalloc.start()
    try:
        with pytest.raises(BadPayload) as caught:
            await provider.fetch_quotes(STOCK)
        held, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert "4 MiB limit" in str(caught.value)
    assert peak < 12 * 1024 * 1024  # 64 MiB inflated if decoded unbounded
    # The error is still alive here (as a provider's last error is): it keeps no body.
    assert held < 1024 * 1024


async def test_a_gzip_answer_within_the_limit_is_read(
    client: httpx.AsyncClient, fake_upstream: FakeUpstream
) -> None:
    fake_upstream.set_fault("tencent-quote", Fault("gzip-bomb", size=1024))
    provider = tencent(client, fake_upstream)
    with pytest.raises(BadPayload) as caught:  # zeros are no quote, but they were read
        await provider.fetch_quotes(STOCK)
    assert "limit" not in str(caught.value)


async def test_a_trickling_server_fails_within_the_total_deadline(
    client: httpx.AsyncClient, fake_upstream: FakeUpstream
) -> None:
    fake_upstream.set_fault("tencent-quote", Fault("trickle", delay=0.05))
    provider = tencent(client, fake_upstream, timeout=0.5)
    with pytest.raises(ProviderUnavailable) as caught:
        await provider.fetch_quotes(STOCK)
    assert caught.value.cause == "timeout"
    assert "within 0.5 s" in str(caught.value)


# -- redirects ---------------------------------------------------------------------------------


async def test_a_redirect_loop_costs_one_request_and_is_not_followed(
    client: httpx.AsyncClient, fake_upstream: FakeUpstream
) -> None:
    fake_upstream.set_fault("tencent-quote", Fault("redirect"))
    with pytest.raises(PermanentError, match="not followed"):
        await tencent(client, fake_upstream).fetch_quotes(STOCK)
    assert fake_upstream.count("tencent-quote") == 1


async def test_a_quote_api_never_follows_a_redirect_to_another_host(
    client: httpx.AsyncClient, fake_upstream: FakeUpstream
) -> None:
    with FakeUpstream() as elsewhere:
        fake_upstream.set_fault("tencent-quote", Fault(
            "redirect", location=f"{elsewhere.base_url}/q=sh600111"))
        with pytest.raises(PermanentError, match="another host"):
            await tencent(client, fake_upstream).fetch_quotes(STOCK)
        assert elsewhere.requests == []


async def test_a_feed_may_move_to_another_host_but_not_forever(
    client: httpx.AsyncClient, fake_upstream: FakeUpstream
) -> None:
    with FakeUpstream() as elsewhere:
        moved = f"{fake_upstream.base_url}/rss/good.xml"
        fake_upstream.set_fault("rss-feed", Fault("redirect",
                                                  location=f"{elsewhere.base_url}/rss/good.xml"))
        provider = RssProvider(client, RssOptions(feeds=(moved,), min_interval=0))
        items = await provider.fetch_news(STOCK, {})
        assert items and elsewhere.count("rss-feed") == 1

        elsewhere.set_fault("rss-feed", Fault("redirect"))  # now a loop on the new host
        with pytest.raises(PermanentError, match="too many redirects"):
            await provider.fetch_news(STOCK, {})
        assert elsewhere.count("rss-feed") == 1 + RssProvider.max_redirects


# -- the feed ----------------------------------------------------------------------------------


def settings_for(upstream: FakeUpstream, timeout: float = 1.0) -> Settings:
    return Settings.model_validate({
        "watch": {"primary": "600111.SS", "symbols": ["600111.SS"], "compare": []},
        "quotes": {"providers": ["tencent", "sina"], "interval": 5.0},
        "history": {"providers": ["tencent"]},
        "news": {"providers": ["sina-roll"]},
        "providers": {name: {"base_url": upstream.base_url, "timeout": timeout,
                             "min_interval": 0} for name in HTTP_PROVIDERS},
    })


@pytest.fixture
async def feed_and_clock(fake_upstream: FakeUpstream) -> AsyncIterator[tuple[Feed, FrozenClock]]:
    async for pair in _feed(fake_upstream, timeout=0.5):
        yield pair


@pytest.fixture
async def patient_feed_and_clock(fake_upstream: FakeUpstream
                                 ) -> AsyncIterator[tuple[Feed, FrozenClock]]:
    """A feed whose deadline a busy machine cannot outlast (only the fake clock matters)."""
    async for pair in _feed(fake_upstream, timeout=10.0):
        yield pair


async def _feed(upstream: FakeUpstream, timeout: float
                ) -> AsyncIterator[tuple[Feed, FrozenClock]]:
    clock = FrozenClock(TRADING)
    settings = settings_for(upstream, timeout=timeout)
    async with make_client() as http:
        feed = Feed(settings, build_providers(settings, http, clock), clock=clock)
        yield feed, clock
        await feed.stop()


async def test_a_trickling_provider_fails_over_like_any_failure(feed_and_clock,
                                                                fake_upstream) -> None:
    feed, _ = feed_and_clock
    fake_upstream.set_fault("tencent-quote", Fault("trickle", delay=0.05))
    snapshot = await feed.poll_quotes()
    assert snapshot.quotes["600111.SS"].origin("last").source == "sina"
    assert snapshot.health["tencent"].state == "backoff"
    assert "within 0.5 s" in snapshot.health["tencent"].last_error
    assert snapshot.health["tencent"].last_error_kind == "unavailable"


async def test_a_cut_off_quote_line_is_named_a_format_problem_not_a_refusal(
        feed_and_clock, fake_upstream) -> None:
    from neodymium.tui.status_words import plain_cause

    feed, _ = feed_and_clock
    fake_upstream.set_fault("tencent-quote", Fault("truncated"))
    health = (await feed.poll_quotes()).health["tencent"]
    assert health.last_error_kind == "bad-payload"
    assert plain_cause(health.last_error, health.last_error_kind) == "unexpected reply format"


async def test_a_404_backs_off_instead_of_being_retried_every_cycle(feed_and_clock,
                                                                    fake_upstream) -> None:
    feed, clock = feed_and_clock
    fake_upstream.set_fault("tencent-quote", Fault("status", status=404))
    snapshot = await feed.poll_quotes()
    assert snapshot.quotes["600111.SS"].origin("last").source == "sina"
    assert snapshot.health["tencent"].errors == {"permanent": 1}
    until = snapshot.health["tencent"].backoff_until
    assert until is not None and (until - clock()).total_seconds() >= 5  # not every cycle
    while clock() + timedelta(seconds=1) < until:
        clock.advance(1)
        await feed.poll_quotes()
    assert fake_upstream.count("tencent-quote") == 1


async def test_a_retry_after_of_1e12_neither_crashes_nor_silences_the_host(feed_and_clock,
                                                                           fake_upstream) -> None:
    feed, clock = feed_and_clock
    fake_upstream.set_fault("tencent-quote", Fault("status", status=429, retry_after="1e12"))
    snapshot = await feed.poll_quotes()
    assert snapshot.quotes["600111.SS"].origin("last").source == "sina"
    until = snapshot.health["tencent"].backoff_until
    assert until is not None and (until - clock()).total_seconds() == 3600


async def test_recovery_after_a_40s_outage_takes_about_one_probe_interval(
    feed_and_clock, fake_upstream
) -> None:
    feed, clock = feed_and_clock
    await feed.poll_quotes()
    for route in ("tencent-quote", "sina-quote"):
        fake_upstream.set_fault(route, Fault("status", status=503))
    clock.advance(5)
    start = clock()
    while clock() - start < timedelta(seconds=40):
        await feed.poll_quotes()
        clock.advance(5)
    fake_upstream.clear_fault()
    back = clock()
    interval = max((feed.latest.health[name].backoff_until - back).total_seconds()
                   for name in ("tencent", "sina"))
    fake_upstream.scenario.set("price:600111.SS", 53.0)
    while feed.latest.quotes["600111.SS"].quote.last != 53.0:
        clock.advance(5)
        await feed.poll_quotes()
        assert clock() - back < timedelta(seconds=300)
    recovered = (clock() - back).total_seconds()
    assert recovered <= interval + 5  # the next probe, plus at most one polling interval
    assert recovered <= 60


async def test_a_provider_behind_a_working_one_is_probed_and_its_warning_clears(
    patient_feed_and_clock, fake_upstream
) -> None:
    feed, clock = patient_feed_and_clock
    for route in ("tencent-quote", "sina-quote"):
        fake_upstream.set_fault(route, Fault("reset"))
    while feed.latest is None or feed.latest.health["sina"].state != "circuit-open":
        await feed.poll_quotes()
        clock.advance(5)
        assert clock() - TRADING < timedelta(minutes=5)
    fake_upstream.clear_fault()
    back = clock()
    for _ in range(40):
        clock.advance(5)
        snapshot = await feed.poll_quotes()
        # Both must come back; which one's jittered backoff expires first is chance.
        if snapshot.health["sina"].state == snapshot.health["tencent"].state == "ok":
            break
    assert snapshot.health["tencent"].state == "ok"
    assert snapshot.health["sina"].state == "ok"
    assert snapshot.quotes["600111.SS"].origin("last").source == "tencent"
    assert (clock() - back).total_seconds() <= 125  # one capped interval, not 300 s+


async def test_an_exception_in_a_job_is_logged_shown_and_later_polls_still_run(
    feed_and_clock, caplog
) -> None:
    feed, _ = feed_and_clock
    calls = 0

    async def broken() -> None:
        nonlocal calls
        calls += 1
        if calls == 1:
            raise ZeroDivisionError("a parser bug")

    job = FeedScheduler(feed)._job(DataKind.NEWS, broken)
    await job()
    health = feed.latest.health["news job"]
    assert health.state == "failing" and "ZeroDivisionError: a parser bug" in health.last_error
    assert any(record.exc_info for record in caplog.records)  # with its traceback
    await job()
    assert calls == 2 and feed.latest.health["news job"].state == "ok"


async def test_a_redirected_yahoo_backs_off_instead_of_being_asked_every_cycle(
    fake_upstream: FakeUpstream
) -> None:
    clock = FrozenClock(TRADING)
    settings = Settings.model_validate({
        **settings_for(fake_upstream).model_dump(),
        "watch": {"primary": "600111.SS", "symbols": ["600111.SS"], "compare": ["REMX"]},
        "quotes": {"providers": ["yahoo"], "interval": 5.0},
    })
    fake_upstream.set_fault("yahoo-chart", Fault("redirect"))
    async with make_client() as http:
        feed = Feed(settings, build_providers(settings, http, clock), clock=clock)
        snapshot = await feed.poll_quotes()
        assert snapshot.health["yahoo"].errors == {"permanent": 1}
        asked = fake_upstream.count("yahoo-chart")
        for _ in range(4):
            clock.advance(1)
            await feed.poll_quotes()
        assert fake_upstream.count("yahoo-chart") == asked
        await feed.stop()


async def test_a_refresh_probes_a_host_backing_off_after_a_dropped_connection(
        feed_and_clock, fake_upstream) -> None:
    from neodymium.providers.backoff import BackoffPolicy

    feed, clock = feed_and_clock
    feed.backoff.policy = BackoffPolicy(base_s=60, cap_s=120)  # a long pause, as after many
    fake_upstream.set_fault("tencent-quote", Fault("reset"))
    assert (await feed.poll_quotes()).health["tencent"].state == "backoff"
    fake_upstream.clear_fault()  # the network is back
    asked = fake_upstream.count("tencent-quote")
    clock.advance(6)
    feed.make_due(DataKind.QUOTES)
    await feed.poll_quotes()  # a scheduled poll leaves the pause alone: sina answers
    assert fake_upstream.count("tencent-quote") == asked
    await feed.refresh_now()  # r: try now
    assert fake_upstream.count("tencent-quote") == asked + 1
    latest = feed.latest
    assert latest is not None and latest.health["tencent"].state == "ok"
    assert latest.quotes["600111.SS"].origin("last").source == "tencent"


async def test_a_refresh_keeps_a_rate_limited_hosts_pause(feed_and_clock, fake_upstream) -> None:
    feed, clock = feed_and_clock
    fake_upstream.set_fault("tencent-quote", Fault("status", status=429, retry_after="60"))
    await feed.poll_quotes()
    fake_upstream.clear_fault()
    asked = fake_upstream.count("tencent-quote")
    clock.advance(6)
    await feed.refresh_now()
    assert fake_upstream.count("tencent-quote") == asked  # the server asked for 60 s
    latest = feed.latest
    assert latest is not None and latest.quotes["600111.SS"].origin("last").source == "sina"


async def test_a_refresh_after_a_captive_portal_asks_the_quote_api_again(
        feed_and_clock, fake_upstream) -> None:
    from neodymium.providers.backoff import BackoffPolicy

    feed, clock = feed_and_clock
    feed.backoff.policy = BackoffPolicy(permanent_base_s=60)  # paused well past the refresh
    portal = Fault("redirect", status=302, location="http://portal.example.invalid/login")
    fake_upstream.set_fault("tencent-quote", portal)
    health = (await feed.poll_quotes()).health["tencent"]
    assert health.state == "backoff" and health.last_error_kind == "permanent"
    fake_upstream.clear_fault()  # logged in to the portal
    asked = fake_upstream.count("tencent-quote")
    clock.advance(6)
    await feed.refresh_now()
    assert fake_upstream.count("tencent-quote") == asked + 1
    latest = feed.latest
    assert latest is not None and latest.quotes["600111.SS"].origin("last").source == "tencent"

"""Backoff arithmetic and the store's last-good-value merge."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from neodymium.providers.backoff import Backoff, BackoffPolicy
from neodymium.providers.errors import (
    AuthError,
    PermanentError,
    ProviderUnavailable,
    RateLimited,
)
from neodymium.providers.models import Quote
from neodymium.providers.store import Store, merge_quote

T0 = datetime(2026, 8, 21, 2, 0, tzinfo=UTC)


def test_backoff_grows_with_jitter_and_resets() -> None:
    backoff = Backoff(BackoffPolicy(base_s=2, cap_s=60, circuit_after=10), random.Random(1))
    error = ProviderUnavailable("x", "down")
    delays = []
    for _ in range(6):
        until = backoff.failed("x", error, T0)
        delays.append((until - T0).total_seconds())
    for n, delay in enumerate(delays, start=1):
        ceiling = min(60, 2 * 2 ** (n - 1))
        assert ceiling / 2 <= delay <= ceiling
    assert not backoff.ready("x", T0)
    assert backoff.ready("x", T0 + timedelta(seconds=61))
    backoff.succeeded("x")
    assert backoff.ready("x", T0)


def test_retry_after_is_a_floor() -> None:
    backoff = Backoff(rng=random.Random(1))
    until = backoff.failed("x", RateLimited("x", "429", retry_after=120), T0)
    assert (until - T0).total_seconds() >= 120


def test_circuit_opens_but_probes_at_growing_intervals_never_a_fixed_cooldown() -> None:
    backoff = Backoff(BackoffPolicy(base_s=2, cap_s=120, circuit_after=3), random.Random(1))
    delays = [(backoff.failed("x", ProviderUnavailable("x", "down"), T0) - T0).total_seconds()
              for _ in range(12)]
    assert backoff.state("x").circuit_open
    assert delays[3] > delays[0]  # growing
    assert max(delays) <= 120  # a returning host is probed again within one capped interval


def test_non_retryable_error_backs_off_longer_and_keeps_growing() -> None:
    backoff = Backoff(rng=random.Random(1))
    first = (backoff.failed("x", AuthError("x", "403"), T0) - T0).total_seconds()
    for _ in range(10):
        last = (backoff.failed("x", AuthError("x", "403"), T0) - T0).total_seconds()
    transient = Backoff(rng=random.Random(1))
    assert first > (transient.failed("y", ProviderUnavailable("y", "down"), T0)
                    - T0).total_seconds()
    assert 5 <= first <= 10
    assert 300 <= last <= 600


def test_a_refresh_wakes_pauses_old_enough_unless_the_host_asked_to_wait() -> None:
    backoff = Backoff(BackoffPolicy(base_s=60, cap_s=120, permanent_base_s=60), random.Random(1))
    backoff.failed("down", ProviderUnavailable("down", "timed out"), T0)
    backoff.failed("portal", PermanentError("portal", "HTTP 302 redirect … (another host)"), T0)
    backoff.failed("limited", RateLimited("limited", "429", retry_after=90), T0)
    backoff.failed("banned", AuthError("banned", "403"), T0)
    backoff.failed("fresh", ProviderUnavailable("fresh", "timed out"), T0 + timedelta(seconds=8))
    now = T0 + timedelta(seconds=10)
    assert backoff.wake(now, floor_s=5) == ["down", "portal"]
    assert backoff.ready("down", now) and backoff.ready("portal", now)
    assert not any(backoff.ready(key, now) for key in ("limited", "banned", "fresh"))
    assert backoff.state("down").failures == 1  # woken, not forgiven: a failure grows it


def test_a_huge_retry_after_is_capped_and_never_overflows() -> None:
    backoff = Backoff(rng=random.Random(1))
    for asked in (1e12, float("inf"), 1e308):
        until = backoff.failed("x", RateLimited("x", "429", retry_after=asked), T0)
        assert (until - T0).total_seconds() == 3600
    for _ in range(2000):  # thousands of failures: 2**n must not overflow either
        backoff.failed("y", ProviderUnavailable("y", "down"), T0)
    assert backoff.state("y").failures == 2000


def test_merge_keeps_fields_the_new_source_lacks() -> None:
    tencent = Quote("600111.SS", T0, "tencent", name="北方稀土", last=50.46, pe_ttm=85.24,
                    market_cap=182.4e9)
    sina = Quote("600111.SS", T0 + timedelta(seconds=5), "sina", name="北方稀土", last=50.50)
    state = merge_quote(merge_quote(None, tencent, T0), sina, T0 + timedelta(seconds=5))
    assert state.quote.last == 50.50
    assert state.quote.pe_ttm == 85.24
    assert state.origin("last").source == "sina"
    assert state.origin("pe_ttm").source == "tencent"
    assert state.origin("pe_ttm").as_of == T0
    assert state.sources() == ["sina", "tencent"]


YAHOO_NAME = "China Northern Rare Earth (Group) High-Tech Co.,Ltd"


def test_an_a_share_keeps_its_chinese_name_when_yahoo_serves_the_quote() -> None:
    tencent = Quote("600111.SS", T0, "tencent", name="北方稀土", last=50.46)
    yahoo = Quote("600111.SS", T0 + timedelta(seconds=5), "yahoo", name=YAHOO_NAME, last=50.52)
    state = merge_quote(merge_quote(None, tencent, T0), yahoo, T0 + timedelta(seconds=5))
    assert state.quote.name == "北方稀土"
    assert state.origin("name").source == "tencent"
    assert state.quote.last == 50.52 and state.origin("last").source == "yahoo"


def test_a_chinese_name_replaces_an_english_one_and_english_names_follow_the_source() -> None:
    yahoo = Quote("600111.SS", T0, "yahoo", name=YAHOO_NAME, last=50.46)
    sina = Quote("600111.SS", T0 + timedelta(seconds=5), "sina", name="北方稀土", last=50.50)
    assert merge_quote(merge_quote(None, yahoo, T0), sina, T0).quote.name == "北方稀土"
    remx = Quote("REMX", T0, "yahoo", name="VanEck Rare Earth ETF", last=40.0)
    renamed = Quote("REMX", T0, "stooq", name="VANECK RARE EARTH/STRATEGIC", last=40.1)
    assert merge_quote(merge_quote(None, remx, T0), renamed, T0).quote.name == renamed.name


def test_missing_never_becomes_zero() -> None:
    state = merge_quote(None, Quote("X", T0, "s", last=None), T0)
    assert state.quote.last is None and "last" not in state.origins


def test_news_dedup_and_new_ids() -> None:
    from neodymium.providers.models import NewsItem

    store = Store(max_news=2)
    items = [NewsItem(str(i), f"t{i}", "s", T0 + timedelta(minutes=i)) for i in range(3)]
    fresh = store.put_news(items[:2])
    assert [i.id for i in fresh] == ["0", "1"]
    assert store.put_news(items[:2]) == []
    store.put_news(items[2:])
    snapshot = store.snapshot(T0, {})
    assert [n.id for n in snapshot.news] == ["2", "1"]

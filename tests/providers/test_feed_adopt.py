"""Values a relay already merged enter the store through ``Feed.adopt``, as they are.

The relay's receipt time and each field's origin are kept (no re-merge with what the subscriber
held, no new stamp), only watched symbols are taken, and the relay's health, loaded kinds and
symbol errors replace the subscriber's own beside its invalid symbols.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

from neodymium.config.settings import Settings
from neodymium.providers.clock import FrozenClock
from neodymium.providers.feed import Feed
from neodymium.providers.models import Bar, DataKind, NewsItem, NewsKind, Quote
from neodymium.providers.store import Merged, ProviderHealth, QuoteState, merge_quote

SHANGHAI = timezone(timedelta(hours=8))
AS_OF = datetime(2026, 8, 21, 10, 0, 3, tzinfo=SHANGHAI)
RELAY_RECEIVED = datetime(2026, 8, 21, 2, 0, 4, tzinfo=UTC)
NOW = RELAY_RECEIVED + timedelta(minutes=5)


def feed() -> Feed:
    settings = Settings.model_validate({
        "watch": {"primary": "600111.SS", "symbols": ["600111.SS", "NOT A SYMBOL"],
                  "compare": ["REMX"]},
    })
    return Feed(settings, {}, clock=FrozenClock(NOW))


def relayed_state() -> QuoteState:
    """A state the relay merged from two sources."""
    state = merge_quote(None, Quote("600111.SS", AS_OF, "tencent", name="北方稀土", last=45.12,
                                    pe_ttm=85.2), RELAY_RECEIVED)
    return merge_quote(state, Quote("600111.SS", AS_OF, "sina", bid=45.11), RELAY_RECEIVED)


def test_a_relayed_quote_keeps_its_receipt_time_and_origins_and_is_not_merged() -> None:
    subscriber = feed()
    # What the subscriber held before (its own direct poll, say) has a P/E from eastmoney and
    # an ask the relay's state lacks: adopting must not fold these in.
    subscriber.store.put_quote(Quote("600111.SS", AS_OF, "eastmoney", last=1.0, ask=9.9),
                               NOW)
    subscriber.store.symbol_errors["600111.SS"] = "tencent: timed out"
    state = relayed_state()
    assert subscriber.adopt(Merged(quotes={"600111.SS": state}))
    snapshot = subscriber.publish()
    got = snapshot.quotes["600111.SS"]
    assert got is state
    assert got.received_at == RELAY_RECEIVED  # not re-stamped with the subscriber's clock
    assert got.origin("bid").source == "sina" and got.origin("last").source == "tencent"
    assert got.quote.ask is None and got.origin("ask") is None  # not re-merged
    assert "600111.SS" not in snapshot.symbol_errors


def test_only_watched_symbols_and_matching_keys_are_taken() -> None:
    subscriber = feed()
    state = relayed_state()
    assert not subscriber.adopt(Merged(quotes={"000001.SZ": state}))
    assert not subscriber.adopt(Merged(quotes={"REMX": state}))  # key and quote disagree
    bars = (Bar("000001.SZ", date(2026, 8, 20), None, None, None, 10.0),)
    assert not subscriber.adopt(Merged(bars={"000001.SZ": bars}))
    snapshot = subscriber.publish()
    assert dict(snapshot.quotes) == {} and dict(snapshot.bars) == {}


def test_bars_news_health_and_errors_from_the_relay() -> None:
    subscriber = feed()
    bars = (Bar("600111.SS", date(2026, 8, 20), 44.0, 45.5, 43.9, 45.0, 1e7, 4.5e8),)
    news = (NewsItem("em:1", "北方稀土：关于回购股份的公告", "eastmoney", AS_OF,
                     "https://example.com/a", ("600111.SS",), NewsKind.ANNOUNCEMENT),)
    assert subscriber.adopt(Merged(bars={"600111.SS": bars}, news=news))
    health = {"tencent": ProviderHealth("tencent", state="backoff", requests=3)}
    assert not subscriber.adopt(Merged(
        health=health, loaded=frozenset({DataKind.QUOTES}),
        symbol_errors={"REMX": "yahoo: rate limited", "000001.SZ": "not ours"}))
    snapshot = subscriber.publish()
    assert snapshot.bars["600111.SS"] == bars
    assert [item.id for item in snapshot.news] == ["em:1"]
    assert dict(snapshot.health) == health
    assert snapshot.loaded == {DataKind.QUOTES}
    assert snapshot.symbol_errors["REMX"] == "yahoo: rate limited"
    assert "000001.SZ" not in snapshot.symbol_errors
    assert "NOT A SYMBOL" in snapshot.symbol_errors  # this feed's own invalid symbol stays

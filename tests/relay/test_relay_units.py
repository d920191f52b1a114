"""Pure parts of the relay: the codec's round trips and refusals, key names, the bounded wants,
auth options that keep secrets out of URLs, and the header's note on the relay."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from neodymium.config.settings import RelaySettings, Settings
from neodymium.providers.models import Bar, NewsItem, NewsKind, Quote
from neodymium.providers.relay import codec, keys
from neodymium.providers.relay.connect import auth_options, display_host
from neodymium.providers.relay.status import LinkState, RelayStatus
from neodymium.providers.relay.wants import WANT_TTL, Wants
from neodymium.providers.store import ProviderHealth, merge_quote
from neodymium.tui.view import relay_note
from pydantic import ValidationError

SHANGHAI = timezone(timedelta(hours=8))
SENT = datetime(2026, 8, 21, 2, 0, 1, tzinfo=UTC)


def quote() -> Quote:
    return Quote("600111.SS", datetime(2026, 8, 21, 10, 0, 3, tzinfo=SHANGHAI), "tencent",
                 name="北方稀土", last=45.12, prev_close=44.0, volume=1.2e7, pe_ttm=85.24,
                 currency="CNY", delay_s=0)


def test_a_quote_state_round_trips_with_its_offsets() -> None:
    state = merge_quote(None, quote(), datetime(2026, 8, 21, 2, 0, 4, tzinfo=UTC))
    state = merge_quote(state, Quote("600111.SS", state.quote.as_of, "sina", bid=45.11),
                        state.received_at)
    envelope = codec.decode(codec.encode("quote", state, SENT))
    assert envelope.kind == "quote" and envelope.sent_at == SENT
    back = envelope.data
    assert back == state
    assert back.quote.as_of.utcoffset() == timedelta(hours=8)
    assert back.origin("bid").source == "sina" and back.origin("last").source == "tencent"


def test_bars_and_news_round_trip() -> None:
    bars = (Bar("600111.SS", date(2026, 8, 20), 44.0, 45.5, 43.9, 45.0, 1e7, 4.5e8),
            Bar("600111.SS", date(2026, 8, 21), None, None, None, 45.12))
    assert codec.decode(codec.encode("bars", bars, SENT)).data == bars
    news = (NewsItem("em:1", "北方稀土：关于回购股份的公告", "eastmoney",
                     datetime(2026, 8, 21, 18, 30, tzinfo=SHANGHAI), "https://example.com/a",
                     ("600111.SS",), NewsKind.ANNOUNCEMENT),)
    back = codec.decode(codec.encode("news", news, SENT)).data
    assert back == news and back[0].kind is NewsKind.ANNOUNCEMENT


def test_health_round_trips() -> None:
    health = codec.RelayHealth(
        relay_id="desk-1-ab", host="desk-1", active=True, heartbeat_at=SENT,
        providers={"tencent": ProviderHealth("tencent", state="backoff", requests=3,
                                             errors={"unavailable": 2})},
        symbol_errors={"000000.SZ": "not found"}, loaded=("quotes",), symbols=("600111.SS",))
    assert codec.decode(codec.encode("health", health, SENT)).data == health


@pytest.mark.parametrize("payload, reason", [
    (b"\xff\xfe", "not JSON"),
    (b"[]", "version-1"),
    (b'{"v": 1, "kind": "quote", "sent_at": "2026-08-21T02:00:00", "data": {}}', "aware"),
    (b'{"v": 1, "kind": "martian", "sent_at": "2026-08-21T02:00:00Z", "data": {}}', "unknown"),
    (b'{"v": 1, "kind": "quote", "sent_at": "2026-08-21T02:00:00Z", "data": {"quote": 1}}',
     "bad quote"),
])
def test_malformed_messages_are_refused(payload: bytes, reason: str) -> None:
    with pytest.raises(codec.CodecError, match=reason):
        codec.decode(payload)


def test_a_naive_time_inside_a_quote_is_refused() -> None:
    state = merge_quote(None, quote(), SENT)
    data = codec.to_data("quote", state)
    data["quote"]["as_of"] = "2026-08-21T10:00:03"
    with pytest.raises(codec.CodecError, match="timezone-aware"):
        codec.from_data("quote", data)


@pytest.mark.parametrize("symbol", ["600111.SS", "159713.SZ", "REMX", "^GSPC", "BRK-B"])
def test_key_names_round_trip(symbol: str) -> None:
    kind, back = keys.split_key(keys.quote_key(symbol))
    assert (kind, back) == ("quote", symbol)
    assert all(ch.isalnum() or ch in "-_.=" for ch in keys.quote_key(symbol))


def test_a_symbols_keys_are_its_quote_then_its_bars() -> None:
    assert keys.symbol_keys(["600111.SS", "^GSPC"]) == [
        "quote.600111.SS", "bars.600111.SS", "quote.=5EGSPC", "bars.=5EGSPC"]


def test_wants_are_bounded_and_refused_with_a_reason() -> None:
    now = SENT
    wants = Wants(["600111.SS", "REMX"], limit=3)
    answer = wants.ask("a", ["159713.SZ", "516780.SS", "REMX", "garbage!"], now)
    assert answer.accepted == ["159713.SZ", "REMX"]
    assert "at most 3 symbols" in answer.refused["516780.SS"]
    assert "garbage!" in answer.refused
    assert answer.changed and wants.union_keys() == ["600111.SS", "REMX", "159713.SZ"]
    # Renewing the same ask changes nothing; a second client shares symbols freely.
    assert not wants.ask("a", ["159713.SZ"], now).changed
    assert wants.ask("b", ["159713.SZ"], now).accepted == ["159713.SZ"]


def test_wants_expire_unless_renewed() -> None:
    wants = Wants(["600111.SS"], limit=10)
    wants.ask("a", ["REMX"], SENT)
    assert not wants.expire(SENT + WANT_TTL / 2)
    assert wants.expire(SENT + WANT_TTL)
    assert wants.union_keys() == ["600111.SS"]


def test_secrets_leave_the_url_and_env_wins_over_config() -> None:
    settings = RelaySettings(token="from-config", tls_ca=None)
    options = auth_options("nats://alice:s3cret@desk-1:4222", settings, env={})
    assert options["servers"] == ["nats://desk-1:4222"]
    assert (options["user"], options["password"]) == ("alice", "s3cret")
    assert options["token"] == "from-config"
    options = auth_options("nats://desk-1:4222", settings, env={"NEODYMIUM_NATS_TOKEN": "env"})
    assert options["token"] == "env"
    assert display_host("nats://alice:s3cret@desk-1:4222") == "desk-1:4222"
    assert "from-config" not in repr(settings)


def test_a_feed_source_must_be_a_nats_url() -> None:
    assert Settings(feed={"source": "nats://desk-1:4222"}).feed.relay_url == "nats://desk-1:4222"
    with pytest.raises(ValidationError, match="nats://host"):
        Settings(feed={"source": "http://desk-1"})


def test_the_header_note_says_where_and_how_old() -> None:
    now = SENT
    live = RelayStatus("desk-1:4222", LinkState.LIVE, active_relay="desk-1", last_update=now)
    assert relay_note(live, now) == "via relay desk-1:4222 · relay desk-1 ok"
    down = replace(live, state=LinkState.UNREACHABLE, last_update=now - timedelta(seconds=42))
    assert relay_note(down, now) == "relay unreachable · last update 42s ago"
    assert relay_note(replace(down, direct=True), now).endswith("· polling directly")


def test_a_bad_nats_url_is_a_clear_error(capsys) -> None:
    from neodymium.tui.cli import main

    assert main(["relay", "--nats", "http://desk-1:4222"]) == 2
    assert "nats://host" in capsys.readouterr().err


def test_presence_rows_show_active_and_standby_and_drop_the_silent() -> None:
    from neodymium.providers.relay.presence import STANDBY, live, relay_rows

    def record(relay_id: str, active: bool, age_s: float) -> codec.RelayHealth:
        return codec.RelayHealth(relay_id=relay_id, host="desk-1", active=active,
                                 heartbeat_at=SENT - timedelta(seconds=age_s))

    records = {"a": record("a", True, 0.5), "b": record("b", False, 1.0),
               "gone": record("gone", False, 30.0)}
    heard = live(records, SENT, timedelta(seconds=5))
    assert set(heard) == {"a", "b"}
    rows = relay_rows(heard, active=None)
    assert {name: row.state for name, row in rows.items()} == {"relay a": "ok",
                                                              "relay b": STANDBY}
    assert rows["relay b"].last_success == records["b"].heartbeat_at
    # The active relay's health record gives its row before its presence arrives.
    only_health = relay_rows({}, active=record("c", True, 0.1))
    assert {name: row.state for name, row in only_health.items()} == {"relay c": "ok"}
    assert keys.split_key(keys.presence_key("desk 1")) == (keys.PRESENCE, "desk 1")


def test_a_bucket_value_folds_into_the_store_by_kind() -> None:
    from neodymium.providers.relay.folding import merged_for

    quote = merged_for(keys.QUOTE, "600111.SS", "q", direct=False)
    assert quote is not None and dict(quote.quotes) == {"600111.SS": "q"}
    assert merged_for(keys.QUOTE, "600111.SS", "q", direct=True) is None  # own polls win
    bars = merged_for(keys.BARS, "600111.SS", ("b",), direct=True)
    assert bars is not None and dict(bars.bars) == {"600111.SS": ("b",)}
    news = merged_for(keys.NEWS, None, ("n",), direct=False)
    assert news is not None and news.news == ("n",)
    assert merged_for(keys.HEALTH, None, {}, direct=False) is None

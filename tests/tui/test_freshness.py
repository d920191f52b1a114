"""Freshness from the quote's own as_of against its session (pure: no app, no network)."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from neodymium.config.settings import Settings
from neodymium.providers.markets import Market
from neodymium.providers.models import Quote, TradingStatus
from neodymium.providers.status import status_from_quote
from neodymium.providers.store import Store, merge_quote
from neodymium.providers.symbols import parse_symbol
from neodymium.tui.freshness import freshness

SH = ZoneInfo("Asia/Shanghai")
SETTINGS = Settings.model_validate({"quotes": {"providers": ["tencent"], "interval": 5}})


def state(as_of: datetime, received: datetime, **values: object):
    quote = Quote(symbol="600111.SS", as_of=as_of, source="tencent", last=50.0,
                  prev_close=49.0, **values)  # type: ignore[arg-type]
    return merge_quote(None, quote, received)


def test_a_quote_from_last_year_shows_the_year() -> None:
    now = datetime(2027, 1, 4, 10, 0, tzinfo=SH)
    fresh = freshness(state(datetime(2026, 12, 31, 15, 0, tzinfo=SH), now), now, SETTINGS,
                      Market.CN, simulated=False)
    assert fresh.label == "as of 2026-12-31 15:00 · STALE"
    assert fresh.reason == "previous session"


def test_outside_the_session_an_older_quote_than_the_last_close_says_stale() -> None:
    now = datetime(2026, 8, 24, 20, 0, tzinfo=SH)  # Monday evening; Friday's close is older
    fresh = freshness(state(datetime(2026, 8, 21, 15, 0, tzinfo=SH), now), now, SETTINGS,
                      Market.CN, simulated=False)
    assert (fresh.stale, fresh.reason) == (True, "previous session")
    assert fresh.label == "as of 08-21 15:00 · STALE"  # the screen says what the JSON says
    evening = freshness(state(datetime(2026, 8, 24, 15, 0, 1, tzinfo=SH), now), now, SETTINGS,
                        Market.CN, simulated=False)
    assert (evening.stale, evening.label) == (False, "last close")


def test_a_fresh_stamp_received_now_is_not_stale_and_ages_from_as_of() -> None:
    now = datetime(2026, 8, 21, 10, 0, 12, tzinfo=SH)
    fresh = freshness(state(now - timedelta(seconds=3), now), now, SETTINGS, Market.CN,
                      simulated=False)
    assert (fresh.stale, fresh.age_s, fresh.label) == (False, 3.0, "3s ago")


def test_an_exchange_stamp_that_stopped_moving_is_stale_with_the_silence() -> None:
    now = datetime(2026, 8, 21, 10, 5, tzinfo=SH)
    fresh = freshness(state(now - timedelta(seconds=120), now), now, SETTINGS, Market.CN,
                      simulated=False)
    assert fresh.stale and fresh.reason == "no update for 120 s"


def test_a_delayed_source_is_allowed_its_delay() -> None:
    now = datetime(2026, 8, 21, 10, 30, tzinfo=SH)
    fresh = freshness(state(now - timedelta(seconds=905), now, delay_s=900), now, SETTINGS,
                      Market.CN, simulated=False)
    assert not fresh.stale and fresh.delayed and "delayed 15m" in fresh.label


def test_status_read_from_a_line_without_a_status_field() -> None:
    symbol = parse_symbol("600111.SS")
    after_open = datetime(2026, 8, 21, 10, 0, tzinfo=SH)

    def quote(**values: object) -> Quote:
        return Quote(symbol="600111.SS", as_of=after_open, source="x", prev_close=49.0,
                     **values)  # type: ignore[arg-type]

    assert status_from_quote(quote(open=49.5, volume=100.0), symbol) is TradingStatus.TRADING
    assert status_from_quote(quote(volume=0.0), symbol) is TradingStatus.SUSPENDED
    assert status_from_quote(quote(name="华讯退"), symbol) is TradingStatus.DELISTED
    assert status_from_quote(quote(name="退市海医"), symbol) is TradingStatus.DELISTED
    pre_open = Quote(symbol="600111.SS", as_of=after_open.replace(hour=9, minute=0),
                     source="x", prev_close=49.0, volume=0.0)
    assert status_from_quote(pre_open, symbol) is None  # before the open nobody has traded


def test_a_fresh_quote_shows_its_time_which_moves_with_quotes_not_seconds() -> None:
    now = datetime(2026, 8, 21, 10, 0, 12, tzinfo=SH)
    as_of = now - timedelta(seconds=3)
    fresh = freshness(state(as_of, now), now, SETTINGS, Market.CN, simulated=False)
    later = freshness(state(as_of, now), now + timedelta(seconds=1), SETTINGS, Market.CN,
                      simulated=False)
    assert (fresh.label, later.label) == ("3s ago", "4s ago")  # JSON and alerts keep the age
    assert fresh.on_screen == later.on_screen == "as of 10:00:09"


def test_a_stale_quote_shows_its_age_and_a_delayed_one_says_so() -> None:
    now = datetime(2026, 8, 21, 10, 5, tzinfo=SH)
    stale = freshness(state(now - timedelta(seconds=120), now), now, SETTINGS, Market.CN,
                      simulated=False)
    assert stale.on_screen == stale.label == "2m00s ago · STALE"
    delayed = freshness(state(now - timedelta(seconds=905), now, delay_s=900), now, SETTINGS,
                        Market.CN, simulated=False)
    assert delayed.on_screen == "as of 09:49:55 · delayed 15m"


def test_the_time_is_in_the_zone_the_clock_shows() -> None:
    now = datetime(2026, 8, 21, 10, 0, 12, tzinfo=SH)
    utc = Settings.model_validate({"quotes": {"providers": ["tencent"], "interval": 5},
                                   "display": {"timezone": "UTC"}})
    fresh = freshness(state(now, now), now, utc, Market.CN, simulated=False)
    assert fresh.on_screen == "as of 02:00:12"


def test_freshness_that_shows_the_same_compares_equal_as_the_seconds_pass() -> None:
    """A fresh quote shows its time, not its age: a second later nothing on screen changed,
    so the views holding it compare equal and are not handed on to be drawn again."""
    from neodymium.tui.view import build_quote

    now = datetime(2026, 8, 21, 10, 0, 12, tzinfo=SH)
    store = Store()
    store.put_quote(Quote(symbol="600111.SS", as_of=now - timedelta(seconds=3), source="tencent",
                          last=50.0, prev_close=49.0), now)
    snapshot = store.snapshot(now, {})
    first = build_quote(snapshot, SETTINGS, now, simulated=False)
    second = build_quote(snapshot, SETTINGS, now + timedelta(seconds=1), simulated=False)
    assert first.freshness.age_s != second.freshness.age_s
    assert first == second and first.freshness.on_screen == "as of 10:00:09"
    silent = now + timedelta(seconds=120)  # stale: the label with its age is on screen
    a, b = (freshness(state(now - timedelta(seconds=3), now), moment, SETTINGS, Market.CN,
                      simulated=False) for moment in (silent, silent + timedelta(seconds=1)))
    assert a.stale and a.on_screen != b.on_screen and a != b

"""Crossing semantics of the alert engine on a fake clock and scripted quote sequences."""

from __future__ import annotations

from dataclasses import fields
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from neodymium.config.settings import AlertRule
from neodymium.providers.alerts import AlertEngine, AlertEvent, RuleState
from neodymium.providers.cache import Cache
from neodymium.providers.clock import FrozenClock
from neodymium.providers.models import Quote
from neodymium.providers.store import Store

# Friday 2026-08-21 10:00 in Shanghai: continuous trading.
TRADING = datetime(2026, 8, 21, 2, 0, tzinfo=UTC)
SYMBOL = "600111.SS"


class Script:
    """A store fed by the test, a fake clock and one engine: ``tick(price)`` polls once."""

    def __init__(self, *rules: AlertRule, start: datetime = TRADING, cache: Cache | None = None,
                 stale_after: float = 15.0) -> None:
        self.clock = FrozenClock(start)
        self.store = Store()
        self.engine = AlertEngine(rules, stale_after=stale_after, store=cache)

    def tick(self, last: float | None, *, step: float = 5.0, as_of: datetime | None = None,
             from_cache: bool = False, **values: float) -> list[AlertEvent]:
        """Advance the clock, receive a quote at that instant, evaluate."""
        now = self.clock.advance(step)
        if last is not None or values:
            fields_: dict[str, object] = {"last": last, "prev_close": 50.0, "name": "北方稀土"}
            fields_.update(values)
            quote = Quote(SYMBOL, as_of or now, "scripted", **fields_)  # type: ignore[arg-type]
            self.store.put_quote(quote, now, from_cache=from_cache)
        return self.engine.evaluate(self.store.snapshot(now, {}), now)

    def wait(self, seconds: float) -> list[AlertEvent]:
        """Advance the clock without a new quote, evaluate."""
        now = self.clock.advance(seconds)
        return self.engine.evaluate(self.store.snapshot(now, {}), now)


def rule(when: str, repeat: str = "once", symbol: str = SYMBOL) -> AlertRule:
    return AlertRule(symbol=symbol, when=when, repeat=repeat)


def fired(*batches: list[AlertEvent]) -> list[int]:
    """Which ticks (by position) produced an event."""
    return [i for i, batch in enumerate(batches) if batch]


def test_fires_once_on_the_crossing_not_while_it_holds() -> None:
    s = Script(rule("price >= 55", "every 1m"))
    ticks = [s.tick(p) for p in (54.0, 54.9, 55.0, 55.5, 56.0, 55.2)]
    assert fired(*ticks) == [2]
    event = ticks[2][0]
    assert (event.symbol, event.when, event.last) == (SYMBOL, "price >= 55", 55.0)
    assert event.fired_at == TRADING + timedelta(seconds=15)


def test_once_never_fires_again_even_on_a_new_crossing() -> None:
    s = Script(rule("price >= 55"))
    ticks = [s.tick(p) for p in (54.0, 56.0, 54.0, 56.0, 54.0, 57.0)]
    assert fired(*ticks) == [1]


def test_a_true_condition_at_the_first_valid_look_counts_as_a_crossing() -> None:
    s = Script(rule("price <= 40"))
    assert fired(s.tick(39.0), s.tick(38.0)) == [0]


def test_every_period_fires_on_crossings_at_most_once_per_period() -> None:
    s = Script(rule("price >= 55", "every 10m"))
    assert s.tick(56.0)  # 10:00:05
    assert not s.tick(54.0) and not s.tick(56.0, step=240)  # a crossing 4 min later: quiet
    assert not s.tick(54.0)
    assert s.tick(56.0, step=360)  # 10m 15s after the first: fires


def test_change_pct_down_rule() -> None:
    s = Script(rule("change_pct <= -5", "every 1m"))
    ticks = [s.tick(p) for p in (48.0, 47.6, 47.4, 47.0)]  # prev close 50: -4%, -4.8%, -5.2%
    assert fired(*ticks) == [2]
    assert ticks[2][0].change_pct == pytest.approx(-5.2)


def test_never_on_a_stale_value() -> None:
    s = Script(rule("price >= 55", "every 1m"), stale_after=15.0)
    assert not s.tick(54.0)
    s.store.put_quote(Quote(SYMBOL, s.clock(), "scripted", last=56.0, prev_close=50.0),
                       s.clock())
    assert not s.wait(20.0)  # 56 arrived 20 s ago: stale by the time it is looked at
    assert s.tick(56.0)  # a fresh 56: the crossing from 54 is seen now


def test_a_stale_gap_is_not_a_new_crossing() -> None:
    s = Script(rule("price >= 55", "every 1m"))
    assert s.tick(56.0)
    assert not s.wait(600.0)  # the feed went quiet: no evaluation, state kept
    assert not s.tick(56.5)  # still above: the gap did not re-arm it


def test_never_on_a_cached_or_zero_or_pre_open_value() -> None:
    s = Script(rule("price >= 55", "every 1m"))
    assert not s.tick(56.0, from_cache=True)
    assert not s.tick(0.0)  # a pre-open 0.00 is not a price
    # 09:00 Shanghai on a session day: pre-open, nothing is evaluated.
    early = Script(rule("price >= 55"), start=datetime(2026, 8, 21, 1, 0, tzinfo=UTC))
    assert not early.tick(56.0)
    # 09:20: the opening auction's price is indicative only.
    auction = Script(rule("price >= 55"), start=datetime(2026, 8, 21, 1, 20, tzinfo=UTC))
    assert not auction.tick(56.0)
    # 09:26: the auction has matched, the open price is a trade.
    matched = Script(rule("price >= 55"), start=datetime(2026, 8, 21, 1, 26, tzinfo=UTC))
    assert matched.tick(56.0)


def test_a_quote_from_an_earlier_session_is_not_evaluated() -> None:
    s = Script(rule("price >= 55"))
    yesterday = TRADING - timedelta(days=1)
    assert not s.tick(56.0, as_of=yesterday)  # a halted stock still shows Thursday's price
    assert s.tick(56.0)


def test_daily_fires_once_per_session_and_re_arms_at_the_next() -> None:
    s = Script(rule("price >= 55", "daily"))
    friday = [s.tick(p) for p in (54.0, 56.0, 54.0, 56.0)]
    assert fired(*friday) == [1]
    # After Friday's close and through the weekend nothing is evaluated.
    assert not s.tick(57.0, step=6 * 3600)
    assert not s.tick(57.0, step=24 * 3600)
    # Monday 2026-08-24 10:00 Shanghai: the condition still holds; a new session fires again.
    s.clock.now = datetime(2026, 8, 24, 2, 0, tzinfo=UTC)
    monday = s.tick(56.0, step=0)
    assert monday and monday[0].session_day.isoformat() == "2026-08-24"
    assert not s.tick(54.0) and not s.tick(56.0)


def test_limit_up_down_and_open() -> None:
    limits = {"limit_up": 55.0, "limit_down": 45.0}
    s = Script(rule("limit_up", "every 1m"), rule("limit_open", "every 1m"))
    ticks = [s.tick(p, **limits) for p in (54.0, 55.0, 55.0, 54.98, 55.0)]
    kinds = [[e.when for e in batch] for batch in ticks]
    assert kinds == [[], ["limit_up"], [], ["limit_open"], []]
    down = Script(rule("limit_down"))
    assert fired(*(down.tick(p, **limits) for p in (46.0, 45.0))) == [1]


def test_limit_rules_without_limits_are_no_data() -> None:
    s = Script(rule("limit_up"), rule("limit_open"))
    assert not any(s.tick(p) for p in (54.0, 60.0, 50.0))


def test_52_week_high_and_low() -> None:
    s = Script(rule("high_52w"), rule("low_52w"))
    ticks = [s.tick(p, high_52w=58.0, low_52w=30.0) for p in (57.0, 58.0, 29.5)]
    assert [[e.when for e in batch] for batch in ticks] == [[], ["high_52w"], ["low_52w"]]


def test_volume_ratio_is_no_data_until_quotes_carry_it() -> None:
    s = Script(rule("volume_ratio >= 2"))
    if "volume_ratio" in {f.name for f in fields(Quote)}:
        assert fired(s.tick(54.0, volume_ratio=1.5), s.tick(54.0, volume_ratio=2.5)) == [1]
    else:
        assert not s.tick(54.0) and not s.tick(56.0)


def test_stale_rule_fires_when_no_fresh_quote_arrives_in_a_session() -> None:
    s = Script(rule("stale >= 60", "every 1m"))
    assert not s.tick(54.0)
    assert not s.wait(30.0)
    assert s.wait(31.0)  # 61 s without a quote while trading
    assert not s.wait(30.0)
    assert not s.tick(54.0)  # fresh again: false
    s.clock.now = datetime(2026, 8, 21, 3, 31, tzinfo=UTC)  # 11:31, lunch
    assert not s.wait(1800.0)
    s.clock.now = datetime(2026, 8, 21, 5, 0, 1, tzinfo=UTC)  # 13:00:01, trading again
    assert not s.wait(0)  # the morning's last quote is not silence in the afternoon
    assert not s.wait(30.0)
    assert s.wait(31.0)
    s.clock.now = datetime(2026, 8, 21, 8, 0, tzinfo=UTC)  # 16:00, closed
    assert not s.wait(3600.0)


def test_snooze_consumes_crossings_and_cancel_silences() -> None:
    first, second = rule("price >= 55", "every 1m"), rule("price <= 50", "every 1m")
    s = Script(first, second)
    s.engine.snooze(first.rule_id, TRADING + timedelta(minutes=5))
    assert not s.tick(56.0)  # crossed while snoozed
    assert not s.tick(57.0, step=400)  # snooze over, but no new crossing
    assert s.tick(54.0) == [] and s.tick(56.0, step=60)
    s.engine.cancel(second.rule_id)
    assert not s.tick(49.0)
    assert s.engine.states[second.rule_id].phase(second, s.clock()) == "cancelled"


def test_state_lasts_across_restarts_in_the_cache(tmp_path: Path) -> None:
    once = rule("price >= 55")
    cache = Cache(tmp_path / "cache.sqlite3")
    s = Script(once, cache=cache)
    assert fired(s.tick(54.0), s.tick(56.0)) == [1]
    cache.close()
    reopened = Cache(tmp_path / "cache.sqlite3")
    again = Script(once, cache=reopened, start=TRADING + timedelta(hours=1))
    assert not any(again.tick(p) for p in (54.0, 56.0, 54.0, 57.0))
    stored = RuleState.from_json(reopened.get_alert_states()[once.rule_id])
    assert stored.fire_count == 1
    assert stored.fired_at == TRADING + timedelta(seconds=10)
    assert stored.phase(once, again.clock()) == "done"


def test_event_json_is_what_hooks_receive() -> None:
    s = Script(rule("price >= 55", "every 1m"))
    s.tick(54.0)
    (event,) = s.tick(55.12)
    assert event.to_dict() == {
        "type": "alert", "rule": "600111.SS | price >= 55 | every 1m", "symbol": "600111.SS",
        "name": "北方稀土", "when": "price >= 55", "repeat": "every 1m",
        "fired_at": "2026-08-21T02:00:10+00:00", "session_day": "2026-08-21",
        "last": 55.12, "change_pct": 10.24, "note": None,
        "message": "北方稀土 600111.SS: price >= 55 · last 55.12 (+10.24%)",
    }


def test_rearm_waits_for_the_next_crossing() -> None:
    once = rule("price >= 55")
    s = Script(once)
    assert s.tick(56.0)
    s.engine.cancel(once.rule_id)
    s.engine.rearm(once.rule_id)
    assert s.engine.states[once.rule_id].phase(once, s.clock()) == "armed"
    assert not s.tick(57.0)  # still above: no new crossing yet
    assert not s.tick(54.0) and s.tick(56.0)

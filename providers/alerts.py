"""The alert engine: rules evaluated against feed snapshots, firing on crossings only.

A rule fires when its condition was false (or never seen) on the previous valid observation
and is true on this one; while the condition holds nothing more happens. An observation is
valid only on a fresh quote of today's session while the market trades: never on a cached or
stale value, during the opening auction (indicative prices), or on a 0.00 pre-open last.
Invalid observations leave the state untouched, so a value that goes stale and comes back
does not count as a new crossing.

``repeat``: ``once`` fires once ever (the state lives in the cache, so across restarts too);
``daily`` fires at most once per session day and re-arms when the next session starts (a
condition that still holds then fires again); ``every 10m`` fires on a crossing at most once
per period. Snoozed rules keep tracking crossings silently; cancelled rules are skipped.
Pure apart from the optional state store; no Textual.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, replace
from datetime import date, datetime
from functools import lru_cache
from typing import Any, Literal, Protocol

from neodymium.config.alert_rules import Kind, RepeatKind
from neodymium.config.settings import AlertRule
from neodymium.providers import calendar
from neodymium.providers.models import Quote
from neodymium.providers.store import QuoteState, Snapshot
from neodymium.providers.symbols import Market, Symbol, parse_symbol
from neodymium.providers.text import clean_text

log = logging.getLogger(__name__)

RulePhase = Literal["armed", "snoozed", "done", "cancelled"]

#: Phases whose prices are trades (the opening auction's are indicative only).
EVALUATED_PHASES = frozenset({calendar.Phase.AUCTION_DONE, calendar.Phase.CONTINUOUS,
                              calendar.Phase.CLOSING_AUCTION})
#: Prices within this of a limit count as at the limit (quotes carry 2–3 decimals).
LIMIT_TOLERANCE = 1e-6


class StateStore(Protocol):
    """Where rule states are kept between runs (the SQLite cache implements it)."""

    def get_alert_states(self) -> dict[str, str]: ...

    def put_alert_state(self, rule_id: str, payload: str) -> None: ...


@dataclass(frozen=True, slots=True)
class RuleState:
    """What the engine remembers about one rule."""

    truth: bool | None = None
    truth_day: date | None = None
    at_limit: bool | None = None
    fired_at: datetime | None = None
    fired_day: date | None = None
    fire_count: int = 0
    snoozed_until: datetime | None = None
    cancelled: bool = False

    def to_json(self) -> str:
        """The state as stored in the cache."""
        data: dict[str, Any] = asdict(self)
        for key, value in data.items():
            if isinstance(value, date | datetime):
                data[key] = value.isoformat()
        return json.dumps(data, sort_keys=True)

    @classmethod
    def from_json(cls, payload: str) -> RuleState:
        """Read a stored state; unreadable parts fall back to the defaults."""
        try:
            data = json.loads(payload)
            return cls(
                truth=data.get("truth"), truth_day=_day(data.get("truth_day")),
                at_limit=data.get("at_limit"), fired_at=_moment(data.get("fired_at")),
                fired_day=_day(data.get("fired_day")), fire_count=int(data.get("fire_count", 0)),
                snoozed_until=_moment(data.get("snoozed_until")),
                cancelled=bool(data.get("cancelled", False)),
            )
        except (ValueError, TypeError, AttributeError):
            log.warning("alerts: ignored an unreadable stored state")
            return cls()

    def phase(self, rule: AlertRule, now: datetime) -> RulePhase:
        """Where the rule stands: armed, snoozed (until :attr:`snoozed_until`), done (a
        ``once`` rule that fired) or cancelled; the front end words it."""
        if self.cancelled:
            return "cancelled"
        if self.snoozed_until is not None and now < self.snoozed_until:
            return "snoozed"
        if rule.repeat_policy.kind is RepeatKind.ONCE and self.fire_count:
            return "done"
        return "armed"


@dataclass(frozen=True, slots=True)
class AlertEvent:
    """One firing, as delivered to the screen, the terminal, hooks and ``alerts run``."""

    rule_id: str
    symbol: str
    name: str | None
    when: str
    repeat: str
    fired_at: datetime
    session_day: date
    last: float | None
    change_pct: float | None
    note: str | None = None

    @property
    def title(self) -> str:
        """Short headline: ``北方稀土 600111.SS: price >= 55``."""
        who = f"{self.name} {self.symbol}" if self.name else self.symbol
        return clean_text(f"{who}: {self.when}")

    @property
    def body(self) -> str:
        """The figures behind it: ``last 55.12 (+3.21%)``."""
        parts = []
        if self.last is not None:
            parts.append(f"last {self.last:g}")
        if self.change_pct is not None:
            parts.append(f"({self.change_pct:+.2f}%)")
        if self.note:
            parts.append(f"· {self.note}")
        return clean_text(" ".join(parts) or "no price")

    def to_dict(self) -> dict[str, object]:
        """The event as one JSON object (hooks get exactly this on stdin)."""
        return {
            "type": "alert", "rule": self.rule_id, "symbol": self.symbol,
            "name": clean_text(self.name) if self.name else None,
            "when": self.when, "repeat": self.repeat,
            "fired_at": self.fired_at.isoformat(), "session_day": self.session_day.isoformat(),
            "last": self.last,
            "change_pct": None if self.change_pct is None else round(self.change_pct, 4),
            "note": clean_text(self.note) if self.note else None,
            "message": f"{self.title} · {self.body}",
        }

    def to_json(self) -> str:
        """One line of JSON."""
        return json.dumps(self.to_dict(), ensure_ascii=False, allow_nan=False)


@dataclass(frozen=True, slots=True)
class _Observation:
    truth: bool | None
    at_limit: bool | None = None


class AlertEngine:
    """Evaluates every rule on each snapshot; keeps and persists what fired when."""

    def __init__(self, rules: Sequence[AlertRule], *, stale_after: float,
                 store: StateStore | None = None,
                 simulated: Callable[[], bool] = lambda: False) -> None:
        self.rules = list(rules)
        self.stale_after = stale_after
        self.store = store
        self.simulated = simulated
        self.states: dict[str, RuleState] = {}
        #: When each market's current trading stretch was first seen (silence counts from it).
        self._open_since: dict[Market, datetime] = {}
        #: Session states of this evaluation, by market (one calendar look per market).
        self._sessions: dict[Market, calendar.SessionState] = {}
        self.set_rules(rules)

    def set_rules(self, rules: Sequence[AlertRule]) -> None:
        """Evaluate these rules from now on; a rule seen before keeps its state."""
        self.rules = list(rules)
        stored = self.store.get_alert_states() if self.store is not None else {}
        for rule in self.rules:
            if rule.rule_id not in self.states:
                payload = stored.get(rule.rule_id)
                self.states[rule.rule_id] = (RuleState.from_json(payload) if payload
                                             else RuleState())

    # -- evaluation ---------------------------------------------------------------------------

    def evaluate(self, snapshot: Snapshot, now: datetime) -> list[AlertEvent]:
        """Fold one snapshot in; return the events that fire now."""
        self._sessions = {}
        events = []
        for rule in self.rules:
            event = self._evaluate_rule(rule, snapshot, now)
            if event is not None:
                events.append(event)
        return events

    def _evaluate_rule(self, rule: AlertRule, snapshot: Snapshot,
                       now: datetime) -> AlertEvent | None:
        state = self.states[rule.rule_id]
        if state.cancelled:
            return None
        symbol = _symbol(rule.symbol)
        day = self._session_day(symbol, now)
        if day is None:
            self._open_since.pop(symbol.market, None)
            return None
        opened = self._open_since.setdefault(symbol.market, now)
        if rule.repeat_policy.kind is RepeatKind.DAILY and state.truth_day != day:
            state = replace(state, truth=None)  # a new session re-arms a daily rule
        quote_state = snapshot.quotes.get(rule.symbol)
        observed = self._observe(rule, quote_state, state, day, now, opened)
        if observed.truth is None:
            return None
        crossed = observed.truth and state.truth is not True
        updated = replace(state, truth=observed.truth, truth_day=day,
                          at_limit=observed.at_limit)
        event = None
        if crossed and self._may_fire(rule, state, day, now):
            quote = quote_state.quote if quote_state is not None else None
            event = self._event(rule, quote, snapshot.names, day, now)
            updated = replace(updated, fired_at=now, fired_day=day,
                              fire_count=state.fire_count + 1)
        self._set(rule.rule_id, updated)
        return event

    def _session_day(self, symbol: Symbol, now: datetime) -> date | None:
        """Today's session day when prices are trades now; None when nothing is evaluated."""
        session = self._sessions.get(symbol.market)
        if session is None:
            session = self._sessions[symbol.market] = calendar.session_state(symbol.market, now)
        if self.simulated():
            return session.now.date()
        if session.phase not in EVALUATED_PHASES:
            return None
        return session.session_day

    def _observe(self, rule: AlertRule, quote_state: QuoteState | None, state: RuleState,
                 day: date, now: datetime, opened: datetime) -> _Observation:
        condition = rule.condition
        if condition.kind is Kind.STALE:
            # Silence counts only within this trading stretch: a quote from before lunch is
            # not "stale" at 13:00:01, before the first poll of the afternoon has returned.
            limit = condition.value if condition.value is not None else self.stale_after
            fresh = quote_state is not None and not quote_state.from_cache
            since = max(quote_state.received_at if fresh and quote_state else opened, opened)
            return _Observation((now - since).total_seconds() >= limit)
        quote = self._valid_quote(quote_state, day, now)
        if quote is None or quote.last is None:
            return _Observation(None)
        last = quote.last
        kind = condition.kind
        if kind is Kind.PRICE:
            return _Observation(condition.compare(last))
        if kind in {Kind.CHANGE_PCT, Kind.VOLUME_RATIO}:
            value = (quote.change_pct if kind is Kind.CHANGE_PCT
                     else getattr(quote, "volume_ratio", None))
            return _Observation(None if value is None else condition.compare(value))
        if kind in {Kind.LIMIT_UP, Kind.LIMIT_DOWN, Kind.LIMIT_OPEN}:
            up = quote.limit_up is not None and last >= quote.limit_up - LIMIT_TOLERANCE
            down = quote.limit_down is not None and last <= quote.limit_down + LIMIT_TOLERANCE
            if kind is Kind.LIMIT_UP:
                return _Observation(up if quote.limit_up is not None else None)
            if kind is Kind.LIMIT_DOWN:
                return _Observation(down if quote.limit_down is not None else None)
            if quote.limit_up is None and quote.limit_down is None:
                return _Observation(None)
            at_limit = up or down
            return _Observation(state.at_limit is True and not at_limit, at_limit)
        bound = quote.high_52w if kind is Kind.HIGH_52W else quote.low_52w
        if bound is None:
            return _Observation(None)
        return _Observation(last >= bound if kind is Kind.HIGH_52W else last <= bound)

    def _valid_quote(self, quote_state: QuoteState | None, day: date,
                     now: datetime) -> Quote | None:
        """The quote when it may be evaluated: fresh, from today's session, a real price."""
        if quote_state is None or quote_state.from_cache:
            return None
        quote = quote_state.quote
        if quote.last is None or quote.last <= 0:
            return None
        if (now - quote_state.received_at).total_seconds() > self.stale_after:
            return None
        if not self.simulated():
            session = self._sessions[_symbol(quote.symbol).market]
            if quote.as_of.astimezone(session.now.tzinfo).date() != day:
                return None
        return quote

    def _may_fire(self, rule: AlertRule, state: RuleState, day: date, now: datetime) -> bool:
        if state.snoozed_until is not None and now < state.snoozed_until:
            return False
        policy = rule.repeat_policy
        if policy.kind is RepeatKind.ONCE:
            return state.fire_count == 0
        if policy.kind is RepeatKind.DAILY:
            return state.fired_day != day
        assert policy.period is not None
        return state.fired_at is None or now - state.fired_at >= policy.period

    @staticmethod
    def _event(rule: AlertRule, quote: Quote | None, names: Mapping[str, str], day: date,
               now: datetime) -> AlertEvent:
        name = (quote.name if quote is not None else None) or names.get(rule.symbol)
        return AlertEvent(
            rule_id=rule.rule_id, symbol=rule.symbol, name=clean_text(name) if name else None,
            when=rule.when, repeat=rule.repeat, fired_at=now, session_day=day,
            last=quote.last if quote is not None else None,
            change_pct=quote.change_pct if quote is not None else None, note=rule.note,
        )

    # -- what the alerts pane and ``alerts list`` change --------------------------------------

    def rule(self, rule_id: str) -> AlertRule:
        """The rule with this id (KeyError if none)."""
        for rule in self.rules:
            if rule.rule_id == rule_id:
                return rule
        raise KeyError(rule_id)

    def snooze(self, rule_id: str, until: datetime) -> None:
        """Fire nothing for this rule until ``until`` (crossings meanwhile are consumed)."""
        self._set(rule_id, replace(self.states[rule_id], snoozed_until=until))

    def cancel(self, rule_id: str) -> None:
        """Stop evaluating this rule, across restarts, until re-armed."""
        self._set(rule_id, replace(self.states[rule_id], cancelled=True))

    def rearm(self, rule_id: str) -> None:
        """Forget what this rule fired and any snooze or cancel: it fires on the next crossing
        (a condition that holds now must first turn false, as after any firing)."""
        state = self.states[rule_id]
        self._set(rule_id, RuleState(truth=state.truth, truth_day=state.truth_day,
                                     at_limit=state.at_limit))

    def _set(self, rule_id: str, state: RuleState) -> None:
        if self.states.get(rule_id) == state:
            return
        self.states[rule_id] = state
        if self.store is not None:
            self.store.put_alert_state(rule_id, state.to_json())


@lru_cache(maxsize=1024)
def _symbol(key: str) -> Symbol:
    """Rules name canonical keys; parse each once."""
    return parse_symbol(key)


def _moment(value: object) -> datetime | None:
    return datetime.fromisoformat(str(value)) if value else None


def _day(value: object) -> date | None:
    return date.fromisoformat(str(value)) if value else None

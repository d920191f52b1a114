"""Exchange sessions: the phase of the trading day, holidays, and the polling cadence they imply.

Each market's sessions come from exchange-calendars (the calendar named in its markets.py
record: XSHG, XNYS, XHKG, XLON, XTKS). Shanghai and New York come through a compact table
precomputed from it (``calendar_table``: building them at start-up would take a second and pull
in pandas); the others are built lazily and once per process. Past the last year the package
records (XSHG raises ``ValueError`` there) an A-share day is a session when it is a weekday, is
not a provisional closure built from the published holiday rules (holiday_rules.py), and no
upstream has reported it as a non-session (``mark_non_session``, trusted only there); the
user's ``[calendar]`` corrections override both. Every answer is computed from a per-day
schedule that is cached, so ``session_state`` is cheap enough to call every second.
"""

from __future__ import annotations

import logging
import threading
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from neodymium.providers.holiday_rules import cn_closures
from neodymium.providers.markets import Market, Phase, market_info

if TYPE_CHECKING:
    from neodymium.providers.calendar_table import Table

__all__ = ["Phase"]

log = logging.getLogger(__name__)


TRADING_PHASES = frozenset(
    {Phase.OPENING_AUCTION, Phase.AUCTION_DONE, Phase.CONTINUOUS, Phase.CLOSING_AUCTION}
)

#: Seconds after a trading stretch ends (lunch, close) at which one last poll picks up the
#: final prices before the slow cadence takes over.
FINAL_REFRESH_S = 5.0


def _zone(market: Market) -> ZoneInfo:
    return market_info(market).zone


def _provisional(market: Market, day: date) -> str | None:
    """The provisional closure name for ``day`` past the recorded years (holiday_rules.py)."""
    return cn_closures(day.year).get(day) if market is Market.CN else None


# Chinese closures that are not the usual festivals.
_CN_SPECIAL_NAMES = {
    date(2015, 9, 3): "Victory Day",
    date(2015, 9, 4): "Victory Day",
}
# A closed block containing one of these days is named after it.
_CN_ANCHORS = (((1, 1), "New Year's Day"), ((10, 1), "National Day"), ((5, 1), "Labour Day"))
# Otherwise the block is named by the (month, day) of its first closed weekday.
_CN_RANGES = (
    ((1, 10), (2, 28), "Spring Festival"),
    ((3, 28), (4, 10), "Qingming"),
    ((4, 25), (5, 10), "Labour Day"),
    ((5, 20), (6, 30), "Dragon Boat"),
    ((9, 1), (9, 30), "Mid-Autumn"),
    ((12, 25), (12, 31), "New Year's Day"),
)

_SCAN_DAYS = 400


_known: dict[Market, Table] = {}
_build_lock = threading.Lock()
_non_sessions: dict[Market, set[date]] = {market: set() for market in Market}
_extra_closures: dict[Market, frozenset[date]] = {}
_extra_sessions: dict[Market, frozenset[date]] = {}
_days: dict[tuple[Market, date], _Day] = {}
_fallback_logged: set[Market] = set()


def _build_known(market: Market) -> Table:
    from neodymium.providers import calendar_table

    rules = market_info(market)
    try:
        if rules.calendar in calendar_table.CALENDARS:
            return calendar_table.load(rules.calendar)
        # no table for it: built from exchange-calendars on first use
        return calendar_table.build(rules.calendar, str(rules.zone))
    except Exception:  # a broken calendar must not take the clock down
        log.exception("exchange calendar for %s unavailable; using weekdays", market)
        return calendar_table.Table(date.max, date.min, frozenset(), {}, {})


def _calendar(market: Market) -> Table:
    known = _known.get(market)
    if known is not None:
        return known
    with _build_lock:
        if market not in _known:
            _known[market] = _build_known(market)
        return _known[market]


def preload(*markets: Market) -> None:
    """Load the exchange calendars now (a few milliseconds from the precomputed table).

    Without arguments: Shanghai and New York; other markets are built on first use.
    """
    for market in markets or (Market.CN, Market.US):
        _calendar(market)


def mark_non_session(market: Market, day: date) -> None:
    """Record that an upstream reported no trading on ``day`` (process-local)."""
    if day not in _non_sessions[market]:
        _non_sessions[market].add(day)
        _days.clear()


def clear_non_session_marks() -> None:
    """Forget every ``mark_non_session`` (for tests and a config reload)."""
    for marks in _non_sessions.values():
        marks.clear()
    _days.clear()


def set_overrides(market: Market, closures: Iterable[date] = (),
                  sessions: Iterable[date] = ()) -> None:
    """The user's corrections (config ``[calendar]``): days closed or open whatever the
    calendar says. Replaces any earlier overrides for ``market``."""
    _extra_closures[market] = frozenset(closures)
    _extra_sessions[market] = frozenset(sessions)
    _days.clear()


def _is_session(market: Market, day: date) -> bool:
    if day in _extra_closures.get(market, ()):
        return False
    if day in _extra_sessions.get(market, ()):
        return True
    if day.weekday() >= 5 or day in _non_sessions[market]:
        return False
    known = _calendar(market)
    if known.covers(day):
        return day in known.sessions
    if market not in _fallback_logged:
        _fallback_logged.add(market)
        log.info("%s sessions past %s follow the provisional holiday rules",
                 market, known.last)
    return _provisional(market, day) is None


def is_provisional(market: Market, day: date) -> bool:
    """True when ``day`` lies past the years exchange-calendars records (the provisional
    holiday rules decide it, and upstreams may correct it)."""
    return day > _calendar(market).last  # an unavailable calendar's last day is date.min


def session_start(market: Market, day: date) -> datetime | None:
    """When ``day``'s first trading phase (auction or continuous) starts; None off-session."""
    schedule = _day(market, day)
    for start, phase in zip(schedule.starts, schedule.phases, strict=True):
        if phase in TRADING_PHASES:
            return start
    return None


def is_session_day(market: Market, day: date) -> bool:
    """True when ``day`` (exchange-local date) is a trading session."""
    return _day(market, day).is_session


def session_days(market: Market, start: date, end: date) -> list[date]:
    """The sessions from ``start`` to ``end``, both inclusive, in order."""
    days, day = [], start
    while day <= end:
        if _is_session(market, day):
            days.append(day)
        day += timedelta(days=1)
    return days


def _in_range(day: date, low: tuple[int, int], high: tuple[int, int]) -> bool:
    return low <= (day.month, day.day) <= high


def _cn_holiday_name(day: date) -> str | None:
    """Name a Chinese closure by the block of closed days around it."""
    block = [day]
    for step in (-1, 1):
        other = day + timedelta(days=step)
        while len(block) < 30 and not _is_session(Market.CN, other):
            block.append(other)
            other += timedelta(days=step)
    weekdays = sorted(d for d in block if d.weekday() < 5)
    if not weekdays:
        return None
    for (month, dom), name in _CN_ANCHORS:
        if any(d.month == month and d.day == dom for d in block):
            return name
    for d in weekdays:
        if d in _CN_SPECIAL_NAMES:
            return _CN_SPECIAL_NAMES[d]
    first = weekdays[0]
    for low, high, name in _CN_RANGES:
        if _in_range(first, low, high):
            return name
    return None


def _holiday_name(market: Market, day: date) -> str | None:
    if day in _extra_closures.get(market, ()):
        return "closed (config)"
    if day in _non_sessions[market]:
        return None
    provisional = _provisional(market, day) if not _calendar(market).covers(day) else None
    if provisional is not None:
        return provisional
    known = _calendar(market)
    if market is not Market.CN:
        return known.names.get(day) if day.weekday() < 5 else None
    if known.covers(day):
        return _cn_holiday_name(day)
    if day.weekday() >= 5:
        neighbours = [day + timedelta(days=n) for n in (-2, -1, 1, 2)]
        names = {_provisional(Market.CN, d) for d in neighbours} - {None}
        return names.pop() if len(names) == 1 else None
    return None


@dataclass(frozen=True, slots=True)
class _Day:
    """One exchange-local calendar day: its phases and, for a session, its close."""

    day: date
    is_session: bool
    holiday_name: str | None
    starts: tuple[datetime, ...]
    phases: tuple[Phase, ...]
    close: datetime | None


def _day(market: Market, day: date) -> _Day:
    key = (market, day)
    cached = _days.get(key)
    if cached is not None:
        return cached
    rules = market_info(market)
    midnight = datetime.combine(day, time(0), tzinfo=rules.zone)
    if _is_session(market, day):
        plan = list(rules.plan)
        early = _calendar(market).closes.get(day)
        if early is not None:
            plan = [(t, p) for t, p in plan if t < early] + [(early, Phase.CLOSED)]
        starts = tuple(datetime.combine(day, t, tzinfo=rules.zone) for t, _ in plan)
        result = _Day(day, True, None, starts, tuple(p for _, p in plan), starts[-1])
    else:
        phase = Phase.HOLIDAY if day.weekday() < 5 else Phase.CLOSED
        result = _Day(day, False, _holiday_name(market, day), (midnight,), (phase,), None)
    _days[key] = result
    return result


def _boundaries_after(market: Market, local: datetime) -> Iterator[tuple[datetime, Phase]]:
    """Every phase start strictly after ``local``, in order, for the next _SCAN_DAYS days."""
    day = local.date()
    for _ in range(_SCAN_DAYS):
        schedule = _day(market, day)
        for start, phase in zip(schedule.starts, schedule.phases, strict=True):
            if start > local:
                yield start, phase
        day += timedelta(days=1)


def _last_close(market: Market, local: datetime) -> datetime:
    day = local.date()
    for _ in range(_SCAN_DAYS):
        close = _day(market, day).close
        if close is not None and close <= local:
            return close
        day -= timedelta(days=1)
    return local


def next_close(market: Market, now: datetime) -> datetime | None:
    """The first session close of ``market`` strictly after ``now`` (None: none in sight)."""
    local = _local(market, now)
    day = local.date()
    for _ in range(_SCAN_DAYS):
        close = _day(market, day).close
        if close is not None and close > local:
            return close
        day += timedelta(days=1)
    return None


@dataclass(frozen=True, slots=True)
class SessionState:
    """The market's phase at one instant, and when it next changes."""

    market: Market
    phase: Phase
    now: datetime  # exchange-local
    session_day: date | None  # today's date when today is a session
    next_change: datetime | None  # next instant the phase differs
    next_open: datetime  # next start of continuous trading strictly after now
    last_close: datetime  # most recent session close at or before now
    holiday_name: str | None
    next_phase: Phase | None = None  # the phase that starts at next_change

    @property
    def is_trading(self) -> bool:
        """True while prices can move: the auctions and continuous trading."""
        return self.phase in TRADING_PHASES


def _local(market: Market, now: datetime) -> datetime:
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError(f"session times need a timezone-aware datetime, got {now!r}")
    return now.astimezone(_zone(market))


def session_state(market: Market, now: datetime) -> SessionState:
    """The phase of ``market`` at ``now`` (any timezone-aware instant)."""
    local = _local(market, now)
    today = _day(market, local.date())
    phase = today.phases[bisect_right(today.starts, local) - 1]
    next_change: datetime | None = None
    next_phase: Phase | None = None
    next_open: datetime | None = None
    for start, upcoming in _boundaries_after(market, local):
        if next_change is None and upcoming is not phase:
            next_change, next_phase = start, upcoming
        if next_open is None and upcoming is Phase.CONTINUOUS:
            next_open = start
        if next_change is not None and next_open is not None:
            break
    return SessionState(
        market=market,
        phase=phase,
        now=local,
        session_day=today.day if today.is_session else None,
        next_change=next_change,
        next_open=next_open or local + timedelta(days=_SCAN_DAYS),
        last_close=_last_close(market, local),
        holiday_name=today.holiday_name,
        next_phase=next_phase,
    )


def next_poll_delay(market: Market, now: datetime, interval: float,
                    slow_interval: float) -> float:
    """Seconds until the next quote poll for ``market``.

    ``interval`` while prices can move (auctions included), ``slow_interval`` otherwise, but
    never sleeping past the start of the next trading stretch, and with one final poll
    FINAL_REFRESH_S after each stretch ends (lunch, close) so the last prices are shown.
    """
    local = _local(market, now)
    today = _day(market, local.date())
    index = bisect_right(today.starts, local) - 1
    trading = today.phases[index] in TRADING_PHASES
    final = timedelta(seconds=FINAL_REFRESH_S)
    candidates = [local + timedelta(seconds=interval if trading else slow_interval)]
    if not trading and index > 0 and today.phases[index - 1] in TRADING_PHASES:
        ended = today.starts[index]
        if local < ended + final:
            candidates.append(ended + final)
    for start, phase in _boundaries_after(market, local):
        if (phase in TRADING_PHASES) is not trading:
            candidates.append(start + final if trading else start)
            break
    return max(0.0, (min(candidates) - local).total_seconds())

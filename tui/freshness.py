"""How old a quote is, told from the exchange's own timestamp against its session."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo

from neodymium.config.settings import Settings
from neodymium.providers import calendar
from neodymium.providers.markets import Market, zone
from neodymium.providers.store import QuoteState
from neodymium.tui import formatting as fmt

#: A quote stamped this close to the last session close counts as the closing quote.
CLOSE_GRACE = timedelta(minutes=20)


@dataclass(frozen=True, slots=True)
class Freshness:
    """How old a quote is and how to label it.

    Two are equal when they show the same (``on_screen``, stale, delayed, closed, reason): the
    age and its label move every second, and a view holding a freshness that compared unequal
    each second was handed on and redrawn although nothing on screen changed.
    """

    age_s: float | None = field(compare=False)
    stale: bool
    delayed: bool
    label: str = field(compare=False)
    closed: bool = False
    reason: str | None = None  # why stale: "previous session", "no update for N s", "cached"
    #: What the screen shows instead of a fresh quote's ticking age: its time ("as of
    #: 10:30:05"), which moves when a new quote arrives, not every second ("" : the label).
    stamp: str = field(default="", compare=False)
    #: The label, or a fresh quote's time (the clock beside it tells its age).
    on_screen: str = field(init=False, default="")

    def __post_init__(self) -> None:
        object.__setattr__(self, "on_screen",
                           self.label if self.stale or not self.stamp else self.stamp)


def _stamp(as_of: datetime, now: datetime, market: Market) -> str:
    """``11-23 15:00`` in the exchange's zone, with the year when it is not this year."""
    local, today = as_of.astimezone(zone(market)), now.astimezone(zone(market))
    return local.strftime("%m-%d %H:%M" if local.year == today.year else "%Y-%m-%d %H:%M")


def _clock_stamp(moment: datetime, settings: Settings, market: Market) -> str:
    """``as of 10:30:05`` in the zone the header's clock shows."""
    shown: tzinfo = (zone(market) if settings.display.timezone == "exchange"
                     else ZoneInfo(settings.display.timezone))
    return f"as of {moment.astimezone(shown):%H:%M:%S}"


def _simulated_freshness(state: QuoteState, now: datetime, settings: Settings,
                         market: Market) -> Freshness:
    age = max(0.0, (now - state.received_at).total_seconds())
    stale = state.from_cache or age > settings.stale_after()
    label = f"{fmt.fmt_age(age)} ago" + (" · cached" if state.from_cache else "")
    return Freshness(age, stale, state.quote.delayed, label,
                     reason="cached" if state.from_cache else None,
                     stamp=_clock_stamp(state.quote.as_of, settings, market))


def freshness(state: QuoteState | None, now: datetime, settings: Settings, market: Market,
              simulated: bool) -> Freshness:
    """Age and staleness from the quote's own ``as_of`` (exchange time) against its session.

    In a session, a quote stamped before the session began is stale ("previous session"), as is
    one not updated for longer than the stale threshold plus the source's delay; at the midday
    break the morning's last price is the "midday break" price; outside the session the last
    session's closing quote is the "last close", never stale.
    """
    if state is None:
        return Freshness(None, True, False, "no data yet", reason="no data")
    if simulated:
        return _simulated_freshness(state, now, settings, market)
    quote = state.quote
    age = max(0.0, (now - quote.as_of).total_seconds())
    delayed = quote.delayed
    cached = " · cached" if state.from_cache else ""
    session = calendar.session_state(market, now)
    start = (calendar.session_start(market, session.session_day)
             if session.session_day is not None else None)
    in_session = session.is_trading or session.phase is calendar.Phase.LUNCH
    if in_session and start is not None and quote.as_of < start:
        return Freshness(age, True, delayed,
                         f"as of {_stamp(quote.as_of, now, market)} · STALE{cached}",
                         reason="previous session")
    if session.phase is calendar.Phase.LUNCH:
        return Freshness(age, state.from_cache, delayed, f"midday break 午间休市{cached}",
                         closed=True, reason="cached" if state.from_cache else None)
    if not in_session:
        is_last_close = quote.as_of >= session.last_close - CLOSE_GRACE
        label = ("last close" if is_last_close
                 else f"as of {_stamp(quote.as_of, now, market)} · STALE")
        return Freshness(age, not is_last_close, delayed, label + cached, closed=is_last_close,
                         reason=None if is_last_close else "previous session")
    # Silent when the exchange's stamp stopped moving, or nothing has arrived (all sources down).
    silence = max(age, (now - state.received_at).total_seconds())
    silent = silence > settings.stale_after() + quote.delay_s
    stale = state.from_cache or silent
    label = f"{fmt.fmt_age(age)} ago"
    delay = f" · delayed {quote.delay_s // 60}m" if delayed else ""
    label += delay + (cached or (" · STALE" if stale else ""))
    reason = ("cached" if state.from_cache
              else f"no update for {int(silence)} s" if silent else None)
    return Freshness(age, stale, delayed, label, reason=reason,
                     stamp=_clock_stamp(quote.as_of, settings, market) + delay)

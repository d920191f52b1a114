"""Upstream quotes as a witness to the calendar: a provisional weekday nobody traded.

The calendar package stops at its last recorded year and misses ad hoc closures; the upstreams
know. Pure: the feed asks, then marks the day and re-plans its polls.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta

from neodymium.providers import calendar
from neodymium.providers.store import QuoteState
from neodymium.providers.symbols import Market, parse_symbol

#: Minutes after the open before stale upstream dates count as "no trading today".
NO_TRADING_AFTER_MIN = 30


def untraded_session_day(quotes: Mapping[str, QuoteState], now: datetime) -> date | None:
    """Today's A-share session day when, well into trading hours, no A-share quote is from today.

    Only past the calendar's known years (the provisional table), never for a day the
    exchange's published calendar says trades. Needs every fresh A-share quote to agree, so one
    halted stock cannot do it.
    """
    state = calendar.session_state(Market.CN, now)
    if state.phase is not calendar.Phase.CONTINUOUS or state.session_day is None:
        return None
    if not calendar.is_provisional(Market.CN, state.session_day):
        return None  # the calendar knows this day trades: stale quotes are the upstream's fault
    if now.astimezone(state.now.tzinfo) - state.now.replace(hour=9, minute=30) \
            < timedelta(minutes=NO_TRADING_AFTER_MIN):
        return None
    days = {s.quote.as_of.astimezone(state.now.tzinfo).date()
            for s in quotes.values()
            if not s.from_cache and parse_symbol(s.quote.symbol).market is Market.CN}
    if days and max(days) < state.session_day:
        return state.session_day
    return None

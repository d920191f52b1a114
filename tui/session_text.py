"""The status bar's sentence about the market session, e.g. ``Trading · lunch in 1:02:03``.

Presentation of providers.calendar's SessionState: the calendar says what the phase is and when
it changes; this module says it in words.
"""

from __future__ import annotations

import math
from datetime import timedelta

from neodymium.providers.calendar import Phase, SessionState


def countdown(delta: timedelta) -> str:
    """``2d 18h``, ``1:02:03`` or ``4:05``: time left, rounded up to the second."""
    seconds = max(0, math.ceil(delta.total_seconds()))
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    if days:
        return f"{days}d {hours}h"
    if hours:
        return f"{hours}:{minutes:02d}:{secs:02d}"
    return f"{minutes}:{secs:02d}"


def _opens(state: SessionState) -> str:
    opens = state.next_open
    next_weekday = state.now.date() + timedelta(days=1)
    while next_weekday.weekday() >= 5:
        next_weekday += timedelta(days=1)
    if opens.date() in (state.now.date(), next_weekday):
        label = f"{opens:%a %H:%M}"
    else:
        label = f"{opens:%a %m-%d %H:%M}"
    return f"opens {label} (in {countdown(opens - state.now)})"


def _until_change(state: SessionState) -> str:
    if state.next_change is None:
        return "—"
    return countdown(state.next_change - state.now)


def describe_session(state: SessionState) -> str:
    """One line for the status bar, e.g. ``Trading · lunch in 1:02:03``."""
    phase = state.phase
    if phase is Phase.CONTINUOUS:
        what = {Phase.LUNCH: "lunch", Phase.CLOSING_AUCTION: "closing auction"}.get(
            state.next_phase or Phase.CLOSED, "closes")
        return f"Trading · {what} in {_until_change(state)}"
    if phase is Phase.LUNCH:
        return f"Lunch break · reopens in {_until_change(state)}"
    if phase is Phase.OPENING_AUCTION:
        return f"Opening auction · trading in {countdown(state.next_open - state.now)}"
    if phase is Phase.AUCTION_DONE:
        return (f"Auction matched · trading opens {state.next_open:%H:%M} "
                f"(in {countdown(state.next_open - state.now)})")
    if phase is Phase.CLOSING_AUCTION:
        return f"Closing auction · closes in {_until_change(state)}"
    if phase is Phase.PRE_OPEN:
        if state.next_phase is Phase.OPENING_AUCTION:
            return (f"Pre-open · auction in {_until_change(state)} · "
                    f"opens {state.next_open:%H:%M}")
        return f"Pre-market · opens in {countdown(state.next_open - state.now)}"
    if state.holiday_name:
        return f"Holiday: {state.holiday_name} · {_opens(state)}"
    if phase is Phase.HOLIDAY:
        return f"No trading today · {_opens(state)}"
    return f"Closed · {_opens(state)}"

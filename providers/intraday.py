"""The day's minute line (分时): the contract, and the A-share minute axis with lunch compressed.

A-shares trade 09:30–11:30 and 13:00–15:00 Asia/Shanghai: 241 minute marks, with 11:30 and
13:00 on the same x (the lunch break takes no room). Volumes are per minute in shares, the
average price (均价) is the day's amount over volume up to that minute.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time

#: x of 11:30 (and of 13:00), and of 15:00.
MORNING_MINUTES = 120
SESSION_MINUTES = 240
OPEN, MORNING_CLOSE, AFTERNOON_OPEN, CLOSE = time(9, 30), time(11, 30), time(13, 0), time(15, 0)


@dataclass(frozen=True, slots=True)
class MinuteBar:
    """One minute: its Shanghai time, the last price, volume (shares) and average price."""

    at: datetime
    price: float
    volume: float | None = None
    avg_price: float | None = None


@dataclass(frozen=True, slots=True)
class Intraday:
    """One session's minute line as a source reported it."""

    symbol: str
    day: date
    source: str
    prev_close: float | None
    bars: tuple[MinuteBar, ...] = field(default_factory=tuple)


def minute_x(at: time) -> int | None:
    """The x of a Shanghai clock time on the compressed axis, or None outside the sessions.

    09:30 → 0, 11:30 → 120, 13:00 → 120 (adjoining), 13:01 → 121, 15:00 → 240.
    """
    minutes = at.hour * 60 + at.minute
    if OPEN <= at <= MORNING_CLOSE:
        return minutes - (9 * 60 + 30)
    if AFTERNOON_OPEN <= at <= CLOSE:
        return MORNING_MINUTES + minutes - 13 * 60
    return None


def per_minute(cumulative: Sequence[float | None]) -> list[float | None]:
    """Per-minute volumes from a running total (a drop, a data error, gives None, not < 0)."""
    out: list[float | None] = []
    previous = 0.0
    for total in cumulative:
        if total is None:
            out.append(None)
            continue
        out.append(total - previous if total >= previous else None)
        previous = total
    return out

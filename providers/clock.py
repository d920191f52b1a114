"""Time sources: the system clock and a settable one for tests and headless runs."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

#: A callable returning the current time, tz-aware.
Clock = Callable[[], datetime]


def system_clock() -> datetime:
    """The current time in UTC."""
    return datetime.now(UTC)


class FrozenClock:
    """A clock that only moves when told to; for tests and deterministic snapshots."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("FrozenClock needs a timezone-aware start")
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> datetime:
        """Move the clock forward and return the new time."""
        self.now = self.now + timedelta(seconds=seconds)
        return self.now


class ShiftedClock:
    """The wall clock moved to read ``start`` now (to the whole second: it keeps the wall's
    fraction, so a 1 s tick still turns with the wall's second), running on in real time:
    the demo at a chosen moment (``--demo-at``)."""

    def __init__(self, start: datetime, wall: Clock = system_clock) -> None:
        if start.tzinfo is None:
            raise ValueError("ShiftedClock needs a timezone-aware start")
        self._wall = wall
        self.offset = timedelta(seconds=round((start - wall()).total_seconds()))

    def __call__(self) -> datetime:
        return self._wall() + self.offset

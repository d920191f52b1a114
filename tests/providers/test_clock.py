"""The clocks: the shifted one reads its start now and runs on with the wall."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from neodymium.providers.clock import FrozenClock, ShiftedClock

WALL = datetime(2026, 12, 4, 7, 30, 12, 250_000, tzinfo=UTC)


def test_a_shifted_clock_starts_at_its_moment_and_keeps_the_walls_fraction() -> None:
    wall = FrozenClock(WALL)
    start = datetime(2026, 8, 21, 2, 30, tzinfo=UTC)  # 10:30 in Shanghai
    clock = ShiftedClock(start, wall)
    assert clock() == start + timedelta(microseconds=250_000)  # whole seconds moved
    wall.advance(61)
    assert clock() == start + timedelta(seconds=61, microseconds=250_000)


def test_a_shifted_clock_needs_an_aware_start() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        ShiftedClock(datetime(2026, 8, 21, 10, 30), FrozenClock(WALL))

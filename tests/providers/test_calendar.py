"""Session phases, holidays, the fallback past exchange-calendars' last year, and poll cadence."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from neodymium.providers import calendar
from neodymium.providers.calendar import Phase, next_poll_delay, session_state
from neodymium.providers.symbols import Market
from neodymium.tui.session_text import describe_session

SH = ZoneInfo("Asia/Shanghai")
NY = ZoneInfo("America/New_York")
FRIDAY = date(2026, 8, 21)  # an ordinary A-share session


def sh(day: date, clock: str) -> datetime:
    return datetime.combine(day, datetime.strptime(clock, "%H:%M:%S").time(), tzinfo=SH)


def ny(day: date, clock: str) -> datetime:
    return datetime.combine(day, datetime.strptime(clock, "%H:%M:%S").time(), tzinfo=NY)


@pytest.fixture(autouse=True)
def _forget_marks() -> Iterator[None]:
    calendar.clear_non_session_marks()
    yield
    calendar.clear_non_session_marks()


@pytest.mark.parametrize(
    ("clock", "phase", "next_change", "trading"),
    [
        ("09:14:00", Phase.PRE_OPEN, "09:15:00", False),
        ("09:15:00", Phase.OPENING_AUCTION, "09:25:00", True),
        ("09:25:00", Phase.AUCTION_DONE, "09:30:00", True),
        ("09:29:59", Phase.AUCTION_DONE, "09:30:00", True),
        ("09:30:00", Phase.CONTINUOUS, "11:30:00", True),
        ("11:29:00", Phase.CONTINUOUS, "11:30:00", True),
        ("11:30:00", Phase.LUNCH, "13:00:00", False),
        ("12:59:00", Phase.LUNCH, "13:00:00", False),
        ("13:00:00", Phase.CONTINUOUS, "14:57:00", True),
        ("14:56:59", Phase.CONTINUOUS, "14:57:00", True),
        ("14:57:00", Phase.CLOSING_AUCTION, "15:00:00", True),
    ],
)
def test_a_share_phases_through_the_day(clock: str, phase: Phase, next_change: str,
                                        trading: bool) -> None:
    state = session_state(Market.CN, sh(FRIDAY, clock))
    assert state.phase is phase
    assert state.next_change == sh(FRIDAY, next_change)
    assert state.is_trading is trading
    assert state.session_day == FRIDAY
    assert state.holiday_name is None
    assert state.last_close == sh(FRIDAY - timedelta(days=1), "15:00:00")


def test_next_open_is_the_next_continuous_start_strictly_after_now() -> None:
    assert session_state(Market.CN, sh(FRIDAY, "09:14:00")).next_open == sh(FRIDAY, "09:30:00")
    assert session_state(Market.CN, sh(FRIDAY, "09:29:59")).next_open == sh(FRIDAY, "09:30:00")
    assert session_state(Market.CN, sh(FRIDAY, "12:00:00")).next_open == sh(FRIDAY, "13:00:00")
    monday = date(2026, 8, 24)
    assert session_state(Market.CN, sh(FRIDAY, "13:00:00")).next_open == sh(monday, "09:30:00")


def test_at_the_close_the_market_is_closed_and_last_close_is_today() -> None:
    state = session_state(Market.CN, sh(FRIDAY, "15:00:00"))
    assert state.phase is Phase.CLOSED
    assert not state.is_trading
    assert state.last_close == sh(FRIDAY, "15:00:00")
    assert state.session_day == FRIDAY


def test_friday_evening_opens_monday() -> None:
    state = session_state(Market.CN, sh(FRIDAY, "15:30:00"))
    assert state.phase is Phase.CLOSED
    assert state.next_open == sh(date(2026, 8, 24), "09:30:00")
    assert state.next_change == sh(date(2026, 8, 24), "00:00:00")
    assert state.next_phase is Phase.PRE_OPEN
    assert describe_session(state) == "Closed · opens Mon 09:30 (in 2d 18h)"


def test_weekend_is_closed_not_holiday() -> None:
    state = session_state(Market.CN, sh(date(2026, 8, 22), "11:00:00"))
    assert state.phase is Phase.CLOSED
    assert state.session_day is None
    assert state.holiday_name is None
    assert state.last_close == sh(FRIDAY, "15:00:00")


@pytest.mark.parametrize(
    ("clock", "text"),
    [
        ("09:14:00", "Pre-open · auction in 1:00 · opens 09:30"),
        ("09:20:48", "Opening auction · trading in 9:12"),
        ("09:25:48", "Auction matched · trading opens 09:30 (in 4:12)"),
        ("10:27:57", "Trading · lunch in 1:02:03"),
        ("12:12:48", "Lunch break · reopens in 47:12"),
        ("14:00:00", "Trading · closing auction in 57:00"),
        ("14:58:47", "Closing auction · closes in 1:13"),
    ],
)
def test_describe_during_the_session(clock: str, text: str) -> None:
    assert describe_session(session_state(Market.CN, sh(FRIDAY, clock))) == text


def test_overnight_describe_names_the_weekday_only() -> None:
    thursday = date(2026, 8, 20)
    state = session_state(Market.CN, sh(thursday, "16:00:00"))
    assert describe_session(state) == "Closed · opens Fri 09:30 (in 17:30:00)"


def test_national_day_is_a_named_holiday_until_october_8() -> None:
    state = session_state(Market.CN, sh(date(2026, 10, 1), "10:00:00"))
    assert state.phase is Phase.HOLIDAY
    assert state.holiday_name == "National Day"
    assert state.session_day is None
    assert not state.is_trading
    assert state.next_open == sh(date(2026, 10, 8), "09:30:00")
    assert state.last_close == sh(date(2026, 9, 30), "15:00:00")
    later = session_state(Market.CN, sh(date(2026, 10, 5), "06:30:00"))
    assert describe_session(later) == "Holiday: National Day · opens Thu 10-08 09:30 (in 3d 3h)"


def test_a_weekend_inside_a_holiday_keeps_the_holiday_name() -> None:
    state = session_state(Market.CN, sh(date(2026, 10, 3), "10:00:00"))
    assert state.phase is Phase.CLOSED
    assert state.holiday_name == "National Day"
    assert describe_session(state).startswith("Holiday: National Day · opens Thu 10-08 09:30")


@pytest.mark.parametrize(
    ("day", "name"),
    [
        (date(2026, 1, 2), "New Year's Day"),
        (date(2026, 2, 17), "Spring Festival"),
        (date(2026, 4, 6), "Qingming"),
        (date(2026, 5, 5), "Labour Day"),
        (date(2026, 6, 19), "Dragon Boat"),
        (date(2026, 9, 25), "Mid-Autumn"),
        (date(2023, 9, 29), "National Day"),  # Mid-Autumn fused with the golden week
        (date(2018, 12, 31), "New Year's Day"),
        (date(2015, 9, 3), "Victory Day"),
    ],
)
def test_exchange_calendar_closures_get_names(day: date, name: str) -> None:
    assert not calendar.is_session_day(Market.CN, day)
    assert session_state(Market.CN, sh(day, "10:00:00")).holiday_name == name


def test_provisional_2027_new_year_then_monday_is_a_session() -> None:
    new_year = session_state(Market.CN, sh(date(2027, 1, 1), "10:00:00"))
    assert new_year.phase is Phase.HOLIDAY
    assert new_year.holiday_name == "New Year's Day"
    monday = session_state(Market.CN, sh(date(2027, 1, 4), "10:00:00"))
    assert monday.phase is Phase.CONTINUOUS
    assert monday.session_day == date(2027, 1, 4)
    assert monday.last_close == sh(date(2026, 12, 31), "15:00:00")


def test_provisional_2027_spring_festival_spans_the_official_break() -> None:
    # Spring Festival 2027-02-06 (Sat): eve 02-05 plus the following week are the official break;
    # the exchange reopens on Monday 02-15, not on the Friday inside the break.
    state = session_state(Market.CN, sh(date(2027, 2, 9), "10:00:00"))
    assert state.phase is Phase.HOLIDAY
    assert state.holiday_name == "Spring Festival"
    assert state.next_open == sh(date(2027, 2, 15), "09:30:00")
    assert state.last_close == sh(date(2027, 2, 4), "15:00:00")
    assert describe_session(state) == "Holiday: Spring Festival · opens Mon 02-15 09:30 (in 5d 23h)"
    weekend = session_state(Market.CN, sh(date(2027, 2, 6), "10:00:00"))
    assert weekend.holiday_name == "Spring Festival"
    sessions = calendar.session_days(Market.CN, date(2027, 2, 1), date(2027, 2, 16))
    assert sessions == [date(2027, 2, d) for d in (1, 2, 3, 4, 15, 16)]
    assert calendar.is_provisional(Market.CN, date(2027, 2, 9))
    assert not calendar.is_provisional(Market.CN, date(2026, 8, 21))


@pytest.mark.parametrize("year", [2024, 2025, 2026])
def test_provisional_rules_reproduce_the_recorded_years(year: int) -> None:
    from neodymium.providers.holiday_rules import cn_closures

    days = [date(year, 1, 1) + timedelta(days=n) for n in range(366)]
    recorded = {d for d in days if d.year == year and d.weekday() < 5
                and not calendar.is_session_day(Market.CN, d)}
    assert set(cn_closures(year)) == recorded


def test_provisional_rules_past_the_table() -> None:
    from neodymium.providers.holiday_rules import cn_closures

    closures = cn_closures(2028)  # Spring Festival 01-26 (Wed); Mid-Autumn 10-03 in Golden Week
    assert [d for d, name in closures.items() if name == "Spring Festival"] == [
        date(2028, 1, d) for d in (25, 26, 27, 28, 31)] + [date(2028, 2, 1)]
    assert date(2028, 10, 6) in closures and "Mid-Autumn" not in closures.values()
    assert not calendar.is_session_day(Market.CN, date(2028, 1, 31))


def test_config_overrides_add_and_remove_closures() -> None:
    try:
        calendar.set_overrides(Market.CN, closures=[date(2028, 3, 15)],
                               sessions=[date(2027, 2, 12)])
        assert not calendar.is_session_day(Market.CN, date(2028, 3, 15))
        state = session_state(Market.CN, sh(date(2028, 3, 15), "10:00:00"))
        assert state.holiday_name == "closed (config)"
        assert calendar.is_session_day(Market.CN, date(2027, 2, 12))
        assert calendar.is_session_day(Market.US, date(2028, 3, 15))
    finally:
        calendar.set_overrides(Market.CN)
    assert calendar.is_session_day(Market.CN, date(2028, 3, 15))


def test_other_exchanges_use_their_own_zone_and_hours() -> None:
    noon_utc = datetime(2026, 12, 2, 3, 0, tzinfo=UTC)
    hong_kong = session_state(Market.HK, noon_utc)
    assert hong_kong.now.utcoffset() == timedelta(hours=8)
    assert hong_kong.phase is Phase.CONTINUOUS
    assert session_state(Market.JP, noon_utc).phase is Phase.LUNCH  # 12:00 in Tokyo
    london = session_state(Market.UK, noon_utc)
    assert london.now.utcoffset() == timedelta(0) and london.phase is Phase.PRE_OPEN
    assert london.next_open == datetime(2026, 12, 2, 8, 0, tzinfo=ZoneInfo("Europe/London"))


def test_a_year_with_no_data_falls_back_to_weekdays() -> None:
    state = session_state(Market.CN, sh(date(2028, 3, 15), "10:00:00"))
    assert state.phase is Phase.CONTINUOUS
    assert state.next_change == sh(date(2028, 3, 15), "11:30:00")
    week = calendar.session_days(Market.CN, date(2028, 3, 13), date(2028, 3, 19))
    assert week == [date(2028, 3, d) for d in range(13, 18)]


def test_upstream_reported_non_session_is_honoured() -> None:
    day = date(2028, 3, 15)
    assert calendar.is_session_day(Market.CN, day)
    calendar.mark_non_session(Market.CN, day)
    assert not calendar.is_session_day(Market.CN, day)
    state = session_state(Market.CN, sh(day, "10:00:00"))
    assert state.phase is Phase.HOLIDAY
    assert state.holiday_name is None
    assert state.next_open == sh(date(2028, 3, 16), "09:30:00")
    assert describe_session(state) == "No trading today · opens Thu 09:30 (in 23:30:00)"
    assert day not in calendar.session_days(Market.CN, date(2028, 3, 13), date(2028, 3, 17))
    assert calendar.is_session_day(Market.US, day)  # the mark is per market


def test_session_days_bounds_are_inclusive_and_ordered() -> None:
    days = calendar.session_days(Market.CN, date(2026, 9, 28), date(2026, 10, 9))
    assert days == [date(2026, 9, 28), date(2026, 9, 29), date(2026, 9, 30),
                    date(2026, 10, 8), date(2026, 10, 9)]
    assert calendar.session_days(Market.CN, date(2026, 10, 9), date(2026, 10, 8)) == []


def test_an_instant_in_utc_is_placed_in_shanghai() -> None:
    state = session_state(Market.CN, datetime(2026, 8, 21, 1, 30, tzinfo=UTC))
    assert state.phase is Phase.CONTINUOUS
    assert state.now.utcoffset() == timedelta(hours=8)
    assert (state.now.hour, state.now.minute) == (9, 30)
    late = session_state(Market.CN, datetime(2026, 8, 20, 23, 0, tzinfo=UTC))  # Fri 07:00 CST
    assert late.phase is Phase.PRE_OPEN
    assert late.session_day == FRIDAY


def test_naive_times_are_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        session_state(Market.CN, datetime(2026, 8, 21, 10, 0))


@pytest.mark.parametrize(
    ("clock", "phase"),
    [("09:29:00", Phase.PRE_OPEN), ("09:30:00", Phase.CONTINUOUS), ("15:59:59", Phase.CONTINUOUS),
     ("16:00:00", Phase.CLOSED)],
)
def test_new_york_session(clock: str, phase: Phase) -> None:
    state = session_state(Market.US, ny(date(2026, 11, 23), clock))
    assert state.phase is phase
    assert state.now.tzinfo == NY


def test_new_york_describe_and_dst() -> None:
    assert (describe_session(session_state(Market.US, ny(date(2026, 11, 23), "09:29:00")))
            == "Pre-market · opens in 1:00")
    assert (describe_session(session_state(Market.US, ny(date(2026, 11, 23), "13:30:00")))
            == "Trading · closes in 2:30:00")
    summer = session_state(Market.US, datetime(2026, 7, 1, 13, 30, tzinfo=UTC))  # 09:30 EDT
    assert summer.phase is Phase.CONTINUOUS
    winter = session_state(Market.US, datetime(2026, 12, 1, 13, 30, tzinfo=UTC))  # 08:30 EST
    assert winter.phase is Phase.PRE_OPEN


def test_new_york_holiday_and_half_day() -> None:
    thanksgiving = session_state(Market.US, ny(date(2026, 11, 26), "12:00:00"))
    assert thanksgiving.phase is Phase.HOLIDAY
    assert thanksgiving.holiday_name == "Thanksgiving"
    half_day = session_state(Market.US, ny(date(2026, 11, 27), "12:00:00"))
    assert half_day.next_change == ny(date(2026, 11, 27), "13:00:00")
    after = session_state(Market.US, ny(date(2026, 11, 27), "13:00:00"))
    assert after.phase is Phase.CLOSED
    assert after.last_close == ny(date(2026, 11, 27), "13:00:00")


def test_new_york_far_future_falls_back_without_error() -> None:
    state = session_state(Market.US, ny(date(2040, 3, 14), "10:00:00"))
    assert state.phase is Phase.CONTINUOUS


@pytest.mark.parametrize(
    ("day", "clock", "interval", "slow", "expected"),
    [
        (FRIDAY, "10:00:00", 5, 300, 5),  # trading: fast
        (FRIDAY, "09:15:00", 5, 300, 5),  # the opening auction counts as trading
        (FRIDAY, "09:12:00", 5, 300, 180),  # pre-open: slow, capped at the 09:15 auction
        (FRIDAY, "14:59:50", 5, 300, 5),
        (FRIDAY, "14:59:50", 300, 300, 15),  # one final refresh at 15:00:05, not 15:04:50
        (FRIDAY, "15:00:02", 5, 300, 3),  # just closed: the final refresh still pending
        (FRIDAY, "15:00:05", 5, 300, 300),  # refreshed: slow from now on
        (FRIDAY, "11:30:01", 5, 300, 4),  # a last look at the morning's final prices
        (FRIDAY, "12:00:00", 5, 300, 300),  # lunch: slow
        (FRIDAY, "12:58:00", 5, 300, 120),  # lunch: capped at the 13:00 reopen
        (FRIDAY, "16:00:00", 5, 1e6, 2 * 86400 + 17 * 3600 + 15 * 60),  # to Monday 09:15
        (date(2026, 10, 7), "23:00:00", 5, 1e6, 10 * 3600 + 15 * 60),  # holiday → 10-08 09:15
    ],
)
def test_next_poll_delay_a_shares(day: date, clock: str, interval: float, slow: float,
                                  expected: float) -> None:
    delay = next_poll_delay(Market.CN, sh(day, clock), interval, slow)
    assert isinstance(delay, float)
    assert delay == pytest.approx(expected)


def test_next_poll_delay_new_york_close_and_open() -> None:
    assert next_poll_delay(Market.US, ny(date(2026, 11, 23), "15:59:00"), 300, 300) == 65
    assert next_poll_delay(Market.US, ny(date(2026, 11, 23), "09:29:00"), 5, 300) == 60
    assert next_poll_delay(Market.US, ny(date(2026, 11, 23), "16:00:01"), 5, 300) == 4


def test_the_exchange_calendar_is_not_built_at_import_time() -> None:
    code = ("import sys, neodymium.providers.calendar, neodymium.providers.limits; "
            "sys.exit('exchange_calendars' in sys.modules)")
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


def test_an_unavailable_calendar_means_weekdays_all_provisional(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from neodymium.providers import calendar_table

    def broken(name: str) -> calendar_table.Table:
        raise OSError("table unreadable")

    monkeypatch.setattr(calendar_table, "load", broken)
    monkeypatch.setattr(calendar, "_known", {})
    monkeypatch.setattr(calendar, "_days", {})
    friday = date(2026, 8, 21)
    assert calendar.is_provisional(Market.CN, friday)  # nothing recorded: every day is a guess
    assert calendar.is_session_day(Market.CN, friday)
    assert not calendar.is_session_day(Market.CN, date(2026, 8, 22))  # Saturday


def test_next_close_is_strictly_after_now() -> None:
    shanghai = ZoneInfo("Asia/Shanghai")
    friday_close = datetime(2026, 8, 21, 15, 0, tzinfo=shanghai)
    assert calendar.next_close(Market.CN, friday_close - timedelta(seconds=1)) == friday_close
    assert calendar.next_close(Market.CN, friday_close) == datetime(2026, 8, 24, 15, 0,
                                                                      tzinfo=shanghai)

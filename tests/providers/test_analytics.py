"""Analytics against hand-computed values on small handmade series.

Every expected number is worked out in the comment or expression next to it, so a reader can
check it without running anything.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date, timedelta

import pandas as pd
import pytest
from neodymium.providers.analytics import (
    WINDOWS,
    closes_frame,
    compare,
    high_low_52w,
    pct_from,
    range_position,
    rebased,
    returns,
    sparkline,
    window_start,
)
from neodymium.providers.models import Bar

approx = pytest.approx


def d(text: str) -> date:
    return date.fromisoformat(text)


def bars_of(symbol: str, closes: Sequence[tuple[date, float]]) -> list[Bar]:
    return [Bar(symbol, day, None, None, None, close) for day, close in closes]


def series(closes: Sequence[tuple[date, float]]) -> pd.Series:
    return closes_frame({"X": bars_of("X", closes)})["X"]


def weekdays(first: date, last: date, skip: Sequence[date] = ()) -> list[date]:
    """Mon-Fri from first to last, without the holidays in ``skip``."""
    days, day = [], first
    while day <= last:
        if day.weekday() < 5 and day not in skip:
            days.append(day)
        day += timedelta(days=1)
    return days


def every_day(first: date, count: int) -> list[date]:
    """Consecutive calendar days: a 'market' that trades daily keeps the counting by hand easy."""
    return [first + timedelta(days=i) for i in range(count)]


# A weekday calendar 2024-12-02 (Mon) .. 2026-01-09 (Fri), closed on both New Year's Days
# (2025-01-01 is a Wednesday, 2026-01-01 a Thursday).
CALENDAR = weekdays(d("2024-12-02"), d("2026-01-09"), skip=[d("2025-01-01"), d("2026-01-01")])


# -- range and percentages ----------------------------------------------------------------------


@pytest.mark.parametrize(("last", "low", "high", "expected"), [
    (15.0, 10.0, 20.0, 0.5),      # (15 - 10) / (20 - 10)
    (12.5, 10.0, 20.0, 0.25),     # 2.5 / 10
    (10.0, 10.0, 20.0, 0.0),      # at the low
    (20.0, 10.0, 20.0, 1.0),      # at the high
    (25.0, 10.0, 20.0, 1.0),      # a new high beyond a stale range is clamped
    (5.0, 10.0, 20.0, 0.0),
    (10.0, 10.0, 10.0, None),     # low == high: no range to be in
    (10.0, 20.0, 10.0, None),     # inverted range
    (None, 10.0, 20.0, None),
    (15.0, None, 20.0, None),
    (15.0, 10.0, None, None),
    (float("nan"), 10.0, 20.0, None),
])
def test_range_position(last: float | None, low: float | None, high: float | None,
                        expected: float | None) -> None:
    assert range_position(last, low, high) == expected


def test_pct_from() -> None:
    assert pct_from(110.0, 100.0) == approx(10.0)    # (110 / 100 - 1) * 100
    assert pct_from(45.0, 60.0) == approx(-25.0)     # (45 / 60 - 1) * 100 = -0.25 * 100
    assert pct_from(100.0, 100.0) == 0.0
    assert pct_from(None, 100.0) is None
    assert pct_from(100.0, None) is None
    assert pct_from(100.0, 0.0) is None               # no percentage of nothing
    assert pct_from(100.0, float("nan")) is None


def test_high_low_52w_uses_bars_within_365_days() -> None:
    asof = d("2026-08-21")  # 365 days earlier is 2025-08-21, included
    bars = [
        Bar("X", d("2025-08-20"), 90, 99.0, 1.0, 50.0),      # 366 days back: out
        Bar("X", d("2025-08-21"), 25, 30.0, 20.0, 25.0),     # first day in
        Bar("X", d("2026-03-02"), None, None, None, 45.0),   # no high/low: its close counts
        Bar("X", d("2026-08-21"), 35, 40.0, 10.0, 38.0),     # asof itself
        Bar("X", d("2026-08-24"), 90, 100.0, 5.0, 95.0),     # after asof: out
    ]
    assert high_low_52w(bars, asof) == (45.0, 10.0)  # max(30, 45, 40), min(20, 45, 10)
    assert high_low_52w(bars[:1], asof) is None
    assert high_low_52w([], asof) is None


# -- window starts ------------------------------------------------------------------------------


@pytest.mark.parametrize(("window", "asof", "expected"), [
    ("1D", "2026-01-09", "2026-01-08"),  # the session before Fri 01-09
    ("5D", "2026-01-09", "2026-01-02"),  # 01-09, 08, 07, 06, 05 (Mon), then Fri 01-02; 01-01 shut
    ("YTD", "2026-01-09", "2025-12-31"),  # last session of 2025 (a Wednesday)
    ("1M", "2026-01-09", "2025-12-09"),   # 2026-01-09 minus one month, a Tuesday
    ("3M", "2026-01-09", "2025-10-09"),   # a Thursday
    ("6M", "2026-01-09", "2025-07-09"),   # a Wednesday
    ("1Y", "2026-01-09", "2025-01-09"),   # a Thursday
    ("1D", "2026-01-10", "2026-01-08"),   # Saturday: measured from Friday's session, as above
    ("YTD", "2026-01-10", "2025-12-31"),
    ("1M", "2025-03-31", "2025-02-28"),   # March 31 minus a month clamps to Feb 28 (a Friday)
    ("3M", "2025-03-31", "2024-12-31"),   # a Tuesday
    ("1M", "2025-12-08", "2025-11-07"),   # 11-08 is a Saturday: the Friday before
    ("YTD", "2025-01-03", "2024-12-31"),  # across the year boundary, 01-01 shut
    ("1D", "2025-01-02", "2024-12-31"),   # 01-01 is not a session
    ("6M", "2025-06-30", "2024-12-30"),   # history starts 2024-12-02, so this fits
    ("1Y", "2025-06-30", None),           # 2024-06-30 is before the first session
    ("1M", "2024-12-20", None),           # 2024-11-20 is before the first session
    ("5D", "2024-12-06", None),           # only 5 sessions (Mon..Fri): 5 back needs a sixth
    ("1D", "2024-12-02", None),           # one session: nothing before it
    ("1D", "2024-11-29", None),           # before all history
])
def test_window_start(window: str, asof: str, expected: str | None) -> None:
    start = window_start(window, d(asof), CALENDAR)
    assert start == (d(expected) if expected else None)


def test_window_start_ytd_needs_last_year() -> None:
    this_year_only = [day for day in CALENDAR if day.year == 2025]
    assert window_start("YTD", d("2025-06-30"), this_year_only) is None


def test_window_start_ignores_order_and_duplicates() -> None:
    shuffled = list(reversed(CALENDAR)) + CALENDAR[:10]
    assert window_start("5D", d("2026-01-09"), shuffled) == d("2026-01-02")


def test_unknown_window_is_an_error() -> None:
    with pytest.raises(ValueError, match="unknown window"):
        window_start("2W", d("2026-01-09"), CALENDAR)


# -- returns ------------------------------------------------------------------------------------


def test_returns_across_a_year_boundary() -> None:
    closes = series([(d("2025-12-30"), 8.0), (d("2025-12-31"), 10.0), (d("2026-01-02"), 11.0),
                     (d("2026-01-05"), 12.0), (d("2026-01-06"), 12.5)])
    got = returns(closes, d("2026-01-06"))
    assert got["1D"] == approx((12.5 / 12.0 - 1) * 100)   # 4.1667 %
    assert got["YTD"] == approx(25.0)                      # 12.5 / 10 (2025-12-31) - 1
    assert got["5D"] is None                               # 5 sessions in all, 5D needs 6
    assert got["1M"] is None and got["1Y"] is None         # 2025-12-06 precedes the history
    assert set(got) == set(WINDOWS)


def test_returns_to_a_live_last_price() -> None:
    closes = series([(d("2025-12-31"), 10.0), (d("2026-01-02"), 11.0), (d("2026-01-05"), 12.0)])
    got = returns(closes, d("2026-01-05"), last=13.0)
    assert got["1D"] == approx((13.0 / 11.0 - 1) * 100)   # live 13 against 01-02's 11
    assert got["YTD"] == approx(30.0)                      # 13 / 10 - 1


def test_returns_over_a_year_of_sessions() -> None:
    # close = 100 + calendar days since 2024-12-01, so each start close is countable by hand.
    closes = series([(day, 100.0 + (day - d("2024-12-01")).days) for day in CALENDAR])
    got = returns(closes, d("2026-01-09"))
    end = 100 + 404                           # 2026-01-09 is 30 + 9 + 365 = 404 days on
    assert got["1D"] == approx((end / (100 + 403) - 1) * 100)   # from 2026-01-08
    assert got["5D"] == approx((end / (100 + 397) - 1) * 100)   # from 2026-01-02
    assert got["YTD"] == approx((end / (100 + 395) - 1) * 100)  # from 2025-12-31
    assert got["1M"] == approx((end / (100 + 373) - 1) * 100)   # from 2025-12-09
    assert got["1Y"] == approx((end / (100 + 39) - 1) * 100)    # from 2025-01-09


def test_returns_without_history_are_all_none() -> None:
    assert returns(series([]), d("2026-01-09")) == dict.fromkeys(WINDOWS)
    after = series([(d("2026-02-02"), 10.0)])
    assert returns(after, d("2026-01-09"), last=11.0) == dict.fromkeys(WINDOWS)


def test_returns_ignore_closes_after_asof() -> None:
    closes = series([(d("2026-01-05"), 10.0), (d("2026-01-06"), 11.0), (d("2026-01-07"), 99.0)])
    assert returns(closes, d("2026-01-06"))["1D"] == approx(10.0)   # 11 / 10 - 1


# -- frames -------------------------------------------------------------------------------------


def test_closes_frame_unions_dates_and_keeps_the_last_duplicate() -> None:
    frame = closes_frame({
        "A": bars_of("A", [(d("2026-01-06"), 2.0), (d("2026-01-05"), 1.0),
                           (d("2026-01-06"), 2.5)]),
        "B": bars_of("B", [(d("2026-01-07"), 7.0)]),
    })
    assert list(frame.columns) == ["A", "B"]
    assert [t.date() for t in frame.index] == [d("2026-01-05"), d("2026-01-06"), d("2026-01-07")]
    assert frame["A"].tolist()[:2] == [1.0, 2.5]
    assert math.isnan(frame["A"].iloc[2]) and math.isnan(frame["B"].iloc[0])
    assert closes_frame({}).empty


def test_rebased_starts_each_column_at_100() -> None:
    frame = closes_frame({
        "A": bars_of("A", [(d("2026-01-06"), 50.0), (d("2026-01-07"), 55.0)]),
        "B": bars_of("B", [(d("2026-01-05"), 300.0), (d("2026-01-06"), 200.0),
                           (d("2026-01-07"), 190.0)]),
    })
    out = rebased(frame, d("2026-01-06"))
    assert out["A"].tolist() == approx([100.0, 110.0])   # 55 / 50 * 100
    assert out["B"].tolist() == approx([100.0, 95.0])    # 190 / 200 * 100; 01-05 dropped
    early = rebased(frame, d("2026-01-01"))              # A starts later than B: at its own first
    assert math.isnan(early["A"].iloc[0])
    assert early["A"].tolist()[1:] == approx([100.0, 110.0])
    assert rebased(frame, d("2026-02-01")).empty


def test_sparkline_is_the_last_sessions_oldest_first() -> None:
    days = every_day(d("2026-01-01"), 25)
    bars = bars_of("X", [(day, float(i)) for i, day in enumerate(days)])
    assert sparkline(list(reversed(bars))) == [float(i) for i in range(5, 25)]
    assert sparkline(bars, sessions=3) == [22.0, 23.0, 24.0]
    assert sparkline(bars[:2]) == [0.0, 1.0]
    assert sparkline(bars, sessions=0) == []


# -- comparison ---------------------------------------------------------------------------------


def path_from(daily: Sequence[float], start: float = 100.0) -> list[float]:
    """Closes whose day-on-day returns are exactly ``daily``."""
    closes = [start]
    for r in daily:
        closes.append(closes[-1] * (1 + r))
    return closes


# 300 daily returns cycling through +1 %, -2 %, +0.5 %, +1.5 %, -0.8 %.
PATTERN = [0.01, -0.02, 0.005, 0.015, -0.008] * 60


def pair(primary_daily: Sequence[float], etf_daily: Sequence[float],
         days: Sequence[date]) -> dict[str, list[Bar]]:
    return {
        "P": bars_of("P", list(zip(days, path_from(primary_daily), strict=True))),
        "E": bars_of("E", list(zip(days, path_from(etf_daily), strict=True))),
    }


def test_a_series_against_itself_has_correlation_and_beta_one() -> None:
    days = weekdays(d("2025-01-01"), d("2026-12-31"))[:301]
    bars = pair(PATTERN, PATTERN, days)
    result = compare("P", bars, {}, days[-1])
    for symbol in ("P", "E"):
        c = result[symbol]
        assert (c.corr_60, c.corr_250) == (approx(1.0), approx(1.0))
        assert (c.beta_60, c.beta_250) == (approx(1.0), approx(1.0))
        assert c.aligned_days == 301 and c.note is None
        assert all(v == approx(0.0) for v in c.spread.values() if v is not None)
    assert list(result) == ["P", "E"]


def test_against_its_negative_correlation_is_minus_one() -> None:
    days = weekdays(d("2025-01-01"), d("2026-12-31"))[:301]
    result = compare("P", pair(PATTERN, [-r for r in PATTERN], days), {}, days[-1])
    assert result["E"].corr_60 == approx(-1.0)
    assert result["E"].corr_250 == approx(-1.0)
    assert result["E"].beta_60 == approx(-1.0)   # cov(p, -p) / var(-p) = -var(p) / var(p)


def test_beta_of_twice_the_etf_returns_is_two() -> None:
    days = weekdays(d("2025-01-01"), d("2026-12-31"))[:301]
    result = compare("P", pair([2 * r for r in PATTERN], PATTERN, days), {}, days[-1])
    assert result["E"].beta_60 == approx(2.0)    # cov(2e, e) / var(e) = 2 var(e) / var(e)
    assert result["E"].beta_250 == approx(2.0)
    assert result["E"].corr_60 == approx(1.0)    # scaling does not change correlation


def test_correlation_needs_the_full_window() -> None:
    days = weekdays(d("2025-01-01"), d("2026-12-31"))[:100]   # 100 closes, 99 returns
    result = compare("P", pair(PATTERN[:99], PATTERN[:99], days), {}, days[-1])
    assert result["E"].corr_60 == approx(1.0)
    assert result["E"].corr_250 is None and result["E"].beta_250 is None
    short = compare("P", pair(PATTERN[:59], PATTERN[:59], days[:60]), {}, days[59])
    assert short["E"].corr_60 is None and short["E"].beta_60 is None   # 59 returns < 60


def test_misaligned_calendars_are_joined_on_common_days() -> None:
    # One underlying price path over 2025's weekdays. The A-share misses National Day week and
    # every 11th weekday; the US ETF misses Thanksgiving and every 13th weekday. On the dates both
    # traded their day-on-day returns are identical, so correlation and beta are exactly 1. A
    # join that filled gaps or paired by position would not give 1.
    all_days = weekdays(d("2025-01-01"), d("2025-12-31"))
    price = dict(zip(all_days, path_from(PATTERN[: len(all_days) - 1]), strict=True))
    golden_week = weekdays(d("2025-10-01"), d("2025-10-08"))
    cn = [day for i, day in enumerate(all_days) if i % 11 != 5 and day not in golden_week]
    us = [day for i, day in enumerate(all_days) if i % 13 != 7 and day != d("2025-11-27")]
    common = sorted(set(cn) & set(us))
    bars = {"600111.SS": bars_of("600111.SS", [(day, price[day]) for day in cn]),
            "REMX": bars_of("REMX", [(day, price[day]) for day in us])}
    result = compare("600111.SS", bars, {}, d("2025-12-31"))
    remx = result["REMX"]
    assert remx.aligned_days == len(common)
    assert remx.note == f"aligned on {len(common)} common days"
    assert remx.corr_60 == approx(1.0) and remx.beta_60 == approx(1.0)
    assert len(common) < 251 and remx.corr_250 is None   # under a year of common days
    assert result["600111.SS"].note is None


def test_spread_is_primary_minus_other_in_points() -> None:
    days = [d("2026-01-05"), d("2026-01-06")]
    bars = {"P": bars_of("P", list(zip(days, [10.0, 11.0], strict=True))),   # 1D +10 %
            "E": bars_of("E", list(zip(days, [50.0, 52.0], strict=True)))}   # 1D +4 %
    result = compare("P", bars, {}, d("2026-01-06"))
    assert result["E"].spread["1D"] == approx(6.0)      # 10 - 4
    assert result["E"].spread["1M"] is None             # neither reaches back a month
    live = compare("P", bars, {"P": 12.0, "E": 51.0}, d("2026-01-06"))
    assert live["E"].spread["1D"] == approx(18.0)       # (12/10 - 1) - (51/50 - 1) = 20 - 2


def test_max_drawdown_over_the_one_year_window() -> None:
    # A flat year at 100, then 120, 90, 110, 130, 104: the worst fall is 120 -> 90, -25 %
    # (the later 130 -> 104 is only -20 %).
    days = every_day(d("2025-01-01"), 366 + 5)
    closes = [100.0] * 366 + [120.0, 90.0, 110.0, 130.0, 104.0]
    bars = {"P": bars_of("P", list(zip(days, closes, strict=True)))}
    asof = days[-1]
    assert compare("P", bars, {}, asof)["P"].max_drawdown == approx(-25.0)
    # A live price of 78 below the 130 peak: 78 / 130 - 1 = -40 %, now the worst.
    assert compare("P", bars, {"P": 78.0}, asof)["P"].max_drawdown == approx(-40.0)
    # A year's history that never falls has no drawdown.
    rising = {"P": bars_of("P", [(day, 100.0 + i) for i, day in enumerate(days)])}
    assert compare("P", rising, {}, asof)["P"].max_drawdown == 0.0


def test_annualised_volatility() -> None:
    # Calendar-daily sessions 2023-01-01 .. 2024-03-01. The 1Y window runs 2023-03-01 ..
    # 2024-03-01, 367 closes (2024 has Feb 29), so 366 returns alternating +1 % / -1 %: mean 0,
    # sample std = 0.01 * sqrt(366 / 365), annualised x sqrt(252), in percent x 100.
    days = every_day(d("2023-01-01"), 426)
    assert days[-1] == d("2024-03-01")
    alternating = [0.01 if i % 2 == 0 else -0.01 for i in range(425)]
    bars = {"P": bars_of("P", list(zip(days, path_from(alternating), strict=True)))}
    vol = compare("P", bars, {}, days[-1])["P"].vol_ann
    assert vol == approx(0.01 * math.sqrt(366 / 365) * math.sqrt(252) * 100)   # 15.8957
    steady = {"P": bars_of("P", list(zip(days, path_from([0.001] * 425), strict=True)))}
    assert compare("P", steady, {}, days[-1])["P"].vol_ann == approx(0.0, abs=1e-9)


def test_short_history_gives_none_not_numbers() -> None:
    days = every_day(d("2026-01-01"), 30)
    bars = {"P": bars_of("P", [(day, 10.0 + i) for i, day in enumerate(days)]),
            "E": bars_of("E", [(day, 20.0 - i * 0.1) for i, day in enumerate(days)])}
    e = compare("P", bars, {}, days[-1])["E"]
    assert e.returns["1Y"] is None and e.returns["YTD"] is None and e.returns["1M"] is None
    assert e.returns["5D"] is not None
    assert (e.vol_ann, e.max_drawdown, e.corr_60, e.beta_60) == (None, None, None, None)


def test_missing_history_is_noted() -> None:
    bars = {"P": [], "E": bars_of("E", [(d("2026-01-05"), 1.0), (d("2026-01-06"), 1.1)])}
    result = compare("P", bars, {"P": 50.0}, d("2026-01-06"))
    assert result["P"].note == "no history"
    assert result["P"].returns == dict.fromkeys(WINDOWS)
    assert result["E"].note == "no history for P"
    assert result["E"].aligned_days == 0
    assert result["E"].spread == dict.fromkeys(WINDOWS)
    assert compare("Q", {}, {}, d("2026-01-06"))["Q"].note == "no history"

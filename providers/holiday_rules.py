"""Provisional A-share closures for years exchange-calendars does not record yet.

Built from the published rules, not guessed per year: the State Council's
《全国年节及纪念日放假办法》 (2024 revision: New Year 1 day, Spring Festival eve + 3 days,
Qingming 1, Labour Day 2, Dragon Boat 1, Mid-Autumn 1, National Day 3) with the usual
arrangements around them, and the exchanges closing every weekday of each official break:

- Spring Festival: the eve through the sixth day (8 days: 2025-01-28..02-04,
  2026-02-16..02-23, 2027-02-05..02-12);
- Labour Day: 1-5 May; National Day: 1-7 October, 1-8 when Mid-Autumn falls in it;
- one-day festivals: a Tuesday bridges the Monday, a Thursday the Friday, a weekend day moves
  to the Monday.

Lunisolar dates (Spring Festival, Qingming, Dragon Boat, Mid-Autumn) come from
exchange-calendars' own tables (``exchange_calendars.lunisolar_holidays``, to 2049). The
exchanges' notice ("关于<year>年部分节假日休市安排的通知", usually December) is what counts; users
can correct any day in config (``[calendar]``).
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache


def _lunisolar(name: str, year: int) -> date | None:
    from exchange_calendars import lunisolar_holidays

    stamps = getattr(lunisolar_holidays, name)
    found = [stamp.date() for stamp in stamps if stamp.year == year]
    return found[0] if found else None


def _weekdays(first: date, last: date, name: str) -> dict[date, str]:
    days: dict[date, str] = {}
    day = first
    while day <= last:
        if day.weekday() < 5:
            days[day] = name
        day += timedelta(days=1)
    return days


def _one_day(day: date, name: str) -> dict[date, str]:
    weekday = day.weekday()
    if weekday == 1:  # Tuesday: the Monday bridges
        return {day - timedelta(days=1): name, day: name}
    if weekday == 3:  # Thursday: the Friday bridges
        return {day: name, day + timedelta(days=1): name}
    if weekday >= 5:  # a weekend day: the Monday after
        return {day + timedelta(days=7 - weekday): name}
    return {day: name}


@cache
def cn_closures(year: int) -> dict[date, str]:
    """Weekdays the Shanghai and Shenzhen exchanges are expected to close in ``year``."""
    closures: dict[date, str] = {}
    closures.update(_one_day(date(year, 1, 1), "New Year's Day"))
    new_year = _lunisolar("chinese_lunar_new_year_dates", year)
    if new_year is not None:
        closures.update(_weekdays(new_year - timedelta(days=1), new_year + timedelta(days=6),
                                  "Spring Festival"))
    qingming = _lunisolar("qingming_festival_dates", year)
    if qingming is not None:
        closures.update(_one_day(qingming, "Qingming"))
    closures.update(_weekdays(date(year, 5, 1), date(year, 5, 5), "Labour Day"))
    dragon_boat = _lunisolar("dragon_boat_festival_dates", year)
    if dragon_boat is not None:
        closures.update(_one_day(dragon_boat, "Dragon Boat"))
    mid_autumn = _lunisolar("mid_autumn_festival_dates", year)
    golden_week_end = date(year, 10, 7)
    if mid_autumn is not None:
        if date(year, 10, 1) <= mid_autumn <= date(year, 10, 8):
            golden_week_end = date(year, 10, 8)
        else:
            closures.update(_one_day(mid_autumn, "Mid-Autumn"))
    closures.update(_weekdays(date(year, 10, 1), golden_week_end, "National Day"))
    return closures

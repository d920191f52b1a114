"""Exchange calendars as a compact precomputed table, so start-up never builds exchange-calendars.

Importing exchange-calendars (and pandas with it) and building XSHG and XNYS takes about a
second and 50 MiB. The few facts ``calendar`` needs (first and last day, the weekdays that are
not sessions, US early closes and holiday names) sit in ``calendar_data`` as short strings.
Regenerate it after upgrading exchange-calendars (a test says when it no longer matches)::

    python -m neodymium.providers.calendar_table > providers/calendar_data.py
"""

from __future__ import annotations

import sys
import warnings
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from datetime import date, time, timedelta

#: Calendars in the table, their first day, and how far ahead of the generating year XNYS is
#: built; other markets' calendars are built from START on first use.
START = "2000-01-01"
CALENDARS = {"XSHG": START, "XNYS": START}
YEARS_AHEAD = 10


@dataclass(frozen=True, slots=True)
class WeekdaySessions(Collection[date]):
    """The weekdays from ``first`` to ``last`` less ``closed``: what a set of some 9,000
    dates says (about 1.5 MiB for two calendars), kept as the few hundred closed days."""

    first: date
    last: date
    closed: frozenset[date]

    def __contains__(self, day: object) -> bool:
        return (isinstance(day, date) and self.first <= day <= self.last
                and day.weekday() < 5 and day not in self.closed)

    def __iter__(self) -> Iterator[date]:
        return (day for day in _weekdays(self.first, self.last) if day not in self.closed)

    def __len__(self) -> int:
        return sum(1 for _ in self)


@dataclass(frozen=True, slots=True)
class Table:
    """What one exchange calendar says, in plain Python."""

    first: date
    last: date
    sessions: Collection[date]
    closes: dict[date, time]  # non-standard closes (US half days), exchange-local
    names: dict[date, str]  # holiday names where the package has them (US)

    def covers(self, day: date) -> bool:
        """True when the table knows ``day`` (within its first and last day)."""
        return self.first <= day <= self.last


def _day(text: str) -> date:
    return date(int(text[:4]), int(text[4:6]), int(text[6:8]))


def _weekdays(first: date, last: date) -> list[date]:
    days, day = [], first
    while day <= last:
        if day.weekday() < 5:
            days.append(day)
        day += timedelta(days=1)
    return days


def load(name: str) -> Table:
    """The precomputed table of calendar ``name`` (``XSHG`` or ``XNYS``)."""
    from neodymium.providers.calendar_data import TABLES

    raw = TABLES[name]
    first, last = _day(raw["first"]), _day(raw["last"])
    closed = {_day(text) for text in raw["closed"].split()}
    closes = {_day(text[:8]): time(int(text[9:11]), int(text[11:13]))
              for text in raw["closes"].split()}
    names = {_day(day): holiday for holiday, days in raw["names"].items()
             for day in days.split()}
    return Table(first, last, WeekdaySessions(first, last, frozenset(closed)), closes, names)


def build(name: str, zone: str, today: date | None = None) -> Table:
    """The same table built from the installed exchange-calendars (slow; for generating)."""
    import exchange_calendars as xcals

    wanted_end = (today or date.today()).replace(month=12, day=31)
    wanted_end = wanted_end.replace(year=wanted_end.year + YEARS_AHEAD)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Series.values returning an ndarray")
        try:
            cal = xcals.get_calendar(name, start=CALENDARS.get(name, START), end=str(wanted_end))
        except ValueError:  # precomputed calendars (XSHG) stop at their last recorded year
            bound = type(xcals.get_calendar(name)).bound_max()
            cal = xcals.get_calendar(name, start=CALENDARS.get(name, START), end=bound)
        sessions = frozenset(cal.sessions.date)
        closes = {session.date(): cal.session_close(session).tz_convert(zone).time()
                  for session in cal.early_closes}
        names: dict[date, str] = {}
        if cal.regular_holidays is not None:
            named = cal.regular_holidays.holidays(cal.first_session, cal.last_session,
                                                  return_name=True)
            names = {stamp.date(): str(holiday) for stamp, holiday in named.items()}
    return Table(cal.first_session.date(), cal.last_session.date(), sessions, closes, names)


def render(tables: dict[str, Table], version: str) -> str:
    """``calendar_data`` as Python source."""
    out = [
        f'"""Precomputed exchange calendars (generated from exchange-calendars {version} by',
        '``python -m neodymium.providers.calendar_table``; do not edit by hand)."""',
        "", "from __future__ import annotations", "",
        f"GENERATED_WITH = {version!r}", "", "TABLES: dict[str, dict] = {",
    ]
    for name, table in tables.items():
        closed = [d for d in _weekdays(table.first, table.last) if d not in table.sessions]
        by_name: dict[str, list[date]] = {}
        for day, holiday in sorted(table.names.items()):
            by_name.setdefault(holiday, []).append(day)
        out += [f"    {name!r}: {{",
                f"        'first': '{table.first:%Y%m%d}', 'last': '{table.last:%Y%m%d}',",
                "        'closed': (", *_wrapped([f"{d:%Y%m%d}" for d in closed]), "        ),",
                "        'closes': (", *_wrapped([f"{d:%Y%m%d}T{t:%H%M}"
                                                   for d, t in sorted(table.closes.items())]),
                "        ),", "        'names': {"]
        for holiday, days in by_name.items():
            out += [f"            {holiday!r}: (", *_wrapped([f"{d:%Y%m%d}" for d in days], 16),
                    "            ),"]
        out += ["        },", "    },"]
    out += ["}", ""]
    return "\n".join(out)


def _wrapped(words: list[str], indent: int = 12, width: int = 99) -> list[str]:
    lines, line = [], ""
    for word in words:
        if line and indent + len(line) + len(word) + 4 > width:
            lines.append(" " * indent + repr(line + " "))
            line = ""
        line += (" " if line else "") + word
    if line:
        lines.append(" " * indent + repr(line))
    return lines or [" " * indent + "''"]


def main() -> int:
    """Print ``calendar_data`` built from the installed exchange-calendars."""
    from importlib.metadata import version

    zones = {"XSHG": "Asia/Shanghai", "XNYS": "America/New_York"}
    tables = {name: build(name, zones[name]) for name in CALENDARS}
    sys.stdout.write(render(tables, version("exchange-calendars")))
    return 0


if __name__ == "__main__":
    sys.exit(main())

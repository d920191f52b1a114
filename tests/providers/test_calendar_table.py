"""The precomputed calendar table: the same sessions as exchange-calendars, loaded without it."""

from __future__ import annotations

import subprocess
import sys
from datetime import date

import pytest
from neodymium.providers import calendar_table
from neodymium.providers.calendar_data import GENERATED_WITH

ZONES = {"XSHG": "Asia/Shanghai", "XNYS": "America/New_York"}


@pytest.mark.parametrize("name", ["XSHG", "XNYS"])
def test_table_matches_the_installed_exchange_calendars(name: str) -> None:
    from importlib.metadata import version

    table = calendar_table.load(name)
    generated_in = date(table.last.year - calendar_table.YEARS_AHEAD, 6, 30)
    built = calendar_table.build(name, ZONES[name], today=generated_in)
    hint = (f"exchange-calendars {version('exchange-calendars')} differs from the table built "
            f"with {GENERATED_WITH}: run python -m neodymium.providers.calendar_table "
            "> providers/calendar_data.py")
    if name == "XSHG":  # recorded years only: the table stops where the package stops
        assert (built.first, built.last) == (table.first, table.last), hint
    assert built.first == table.first, hint
    last = min(built.last, table.last)
    sessions = {d for d in built.sessions if d <= last}
    assert sessions == {d for d in table.sessions if d <= last}, hint
    assert built.closes == table.closes, hint
    assert built.names == table.names, hint


def test_render_round_trips() -> None:
    tables = {name: calendar_table.load(name) for name in ZONES}
    namespace: dict[str, object] = {}
    exec(calendar_table.render(tables, "test"), namespace)
    for name, table in tables.items():
        raw = namespace["TABLES"][name]  # type: ignore[index]
        assert raw["first"] == f"{table.first:%Y%m%d}"
        assert len(raw["closed"].split()) > 100
    assert tables["XNYS"].names[date(2026, 11, 26)] == "Thanksgiving"
    assert date(2026, 10, 1) not in tables["XSHG"].sessions
    assert date(2026, 9, 30) in tables["XSHG"].sessions


def test_sessions_need_neither_exchange_calendars_nor_pandas() -> None:
    code = ("import sys\n"
            "from datetime import datetime, timezone\n"
            "from neodymium.providers import calendar\n"
            "from neodymium.providers.symbols import Market\n"
            "calendar.session_state(Market.CN, datetime(2026, 10, 1, 3, tzinfo=timezone.utc))\n"
            "calendar.session_state(Market.US, datetime(2026, 11, 26, 15, tzinfo=timezone.utc))\n"
            "sys.exit(2 if 'exchange_calendars' in sys.modules else 3 if 'pandas' in sys.modules"
            " else 0)")
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0

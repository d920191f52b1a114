"""The health table fits the terminal: a narrow one leaves out latency, then the last
success, then the error counts, and never cuts a provider's name or a column heading."""

from __future__ import annotations

import io
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from neodymium.providers.store import ProviderHealth
from neodymium.tui.health_table import HealthTable
from rich.console import Console

NOW = datetime(2026, 8, 21, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
HEALTH = {
    "eastmoney-announcements": ProviderHealth(
        name="eastmoney-announcements", state="backoff", failing_kinds=("news",),
        last_error="eastmoney-announcements: HTTP 503 Service Unavailable",
        last_error_kind="unavailable", last_error_at=NOW, requests=4,
        errors={"unavailable": 1}, backoff_until=NOW + timedelta(seconds=90)),
    "tencent": ProviderHealth(name="tencent", state="ok", last_success=NOW,
                              latency_s=0.044, requests=16),
}


def drawn(width: int) -> str:
    console = Console(width=width, file=io.StringIO(), color_system=None)
    console.print(HealthTable(HEALTH, NOW, None))
    return console.file.getvalue()  # type: ignore[attr-defined]


def test_a_wide_table_has_every_column() -> None:
    text = drawn(140)
    for heading in ("Provider", "State", "Cause", "Next try", "Last ok", "Latency", "Errors"):
        assert heading in text
    assert "44 ms" in text and "1 of 4" in text


def test_a_narrow_table_drops_columns_instead_of_cutting_them() -> None:
    text = drawn(100)
    assert "Latency" not in text and "Errors" in text and "1 of 4" in text
    text = drawn(68)  # the health view's room in an 80-column terminal
    assert "Latency" not in text and "Last ok" not in text and "Errors" not in text
    for heading in ("Provider", "State", "Cause", "Next try"):
        assert heading in text
    assert "eastmoney-announcements" in text
    assert "server" in text and "retry in 1m30s" in text  # the cause wraps, never cut
    assert "…" not in text
    assert max(len(line) for line in text.splitlines()) <= 68


FAILING = {
    name: ProviderHealth(
        name=name, state="backoff", failing_kinds=kinds,
        last_error=f"{name}: HTTP 503 Service Unavailable", last_error_kind="unavailable",
        last_error_at=NOW, requests=2, errors={"unavailable": 2},
        backoff_until=NOW + timedelta(seconds=52))
    for name, kinds in (("eastmoney", ("quotes", "history")), ("rss", ("news",)),
                        ("sina", ("quotes",)), ("sina-roll", ("news",)),
                        ("tencent", ("quotes", "history")), ("yahoo", ("quotes",)))
}


def test_errors_of_the_kind_the_cause_names_are_not_told_twice() -> None:
    text = drawn(140)
    assert "1 of 4" in text and "unavailable" not in text  # the cause says "server error"
    mixed = {"tencent": ProviderHealth(
        name="tencent", state="backoff", failing_kinds=("quotes",), last_error="timed out",
        last_error_kind="timeout", last_error_at=NOW, requests=9,
        errors={"timeout": 2, "unavailable": 1})}
    console = Console(width=140, file=io.StringIO(), color_system=None)
    console.print(HealthTable(mixed, NOW, None))
    assert "3 of 9 (timeout 2, unavailable 1)" in console.file.getvalue()  # type: ignore[attr-defined]


async def test_at_120_columns_each_provider_takes_one_line() -> None:
    """Six failing providers at 120x40: the state's kinds wrapped over three lines beside a
    short cause (the wrapping columns shared the room equally) and the table filled the
    screen."""
    from neodymium.providers.errors import unserved_reason
    from neodymium.tui.screens.modals import HealthScreen
    from textual.app import App

    unserved = {"300308.SZ": "; ".join(f"{name}: HTTP 503 Service Unavailable"
                                       for name in ("tencent", "sina", "eastmoney", "yahoo")),
                "430047.BJ": unserved_reason("430047.BJ", ["tencent: HTTP 503 Service "
                                                           "Unavailable"])}

    class Host(App[None]):
        def on_mount(self) -> None:
            self.push_screen(HealthScreen(FAILING, NOW, unserved))

    app = Host()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        table = app.screen.query_one("#health-table")
        lines = ["".join(segment.text for segment in strip)
                 for strip in table.render_lines(table.region.reset_offset)]
        rows = [line for line in lines if "backoff" in line]
        # The rules above, between and below the heading, and one line per provider.
        assert len(rows) == len(FAILING) and len(lines) == len(FAILING) + 4
        assert all("server error" in row and " of " in row for row in rows)
        # A symbol no provider served: its cause once, in plain words (each provider's message
        # is under "Last errors"), not four providers' messages over two lines.
        symbols = app.screen.query_one("#symbol-errors")
        said = "".join(segment.text for strip in symbols.render_lines(
            symbols.region.reset_offset) for segment in strip)
        assert "300308.SZ: server error" in said and "503" not in said
        # An old Beijing code keeps the code it moved to.
        assert "430047.BJ: server error (Beijing codes moved to 920xxx in 2025: try" in said

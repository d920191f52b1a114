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

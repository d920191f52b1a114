"""The health view's table: per provider its state, the cause in plain words, the next try,
the last success, latency and errors, fitted to the width it is drawn at."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from neodymium.providers.store import ProviderHealth
from neodymium.tui import formatting as fmt
from neodymium.tui import status_words as words
from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderResult
from rich.table import Table
from rich.text import Text


def next_try(item: ProviderHealth, now: datetime,
             next_polls: Mapping[str, datetime] | None) -> str:
    """When the provider is asked again: out of backoff, and at its kinds' next poll."""
    if not item.failing_kinds:
        return "—"
    polls = [next_polls[k] for k in item.failing_kinds if next_polls and k in next_polls]
    when = words.retry_at([item], min(polls) if polls else None)
    return words.retry_words(when, now).replace("retrying", "retry")


#: Columns the health table leaves out, in this order, when the terminal is too narrow to
#: show them whole (the provider, its state, the cause and the next try always stay).
HEALTH_OPTIONAL = ("Latency", "Last ok", "Errors")


def health_table(health: Mapping[str, ProviderHealth], now: datetime,
                 next_polls: Mapping[str, datetime] | None = None,
                 width: int | None = None) -> Table:
    """Per provider: state, the cause in plain words, next try, last success, latency,
    requests and errors by kind; within ``width`` cells, without the optional columns that
    do not fit (names and words are never cut to make room)."""
    items = sorted(health.values(), key=lambda h: h.name)
    name_cells = max([8, *(cell_len(health_name(item)) for item in items)])
    # Each column: its heading, the fewest cells it takes, and how it grows or wraps.
    columns: list[tuple[str, int, dict[str, bool | int]]] = [
        ("Provider", name_cells, {"no_wrap": True}),
        ("State", 8, {"ratio": 2}),
        ("Cause", 12, {"ratio": 2}),
        ("Next try", 13, {"no_wrap": True}),
        ("Last ok", 7, {"no_wrap": True}),
        ("Latency", 7, {"no_wrap": True}),
        ("Errors", 10, {"ratio": 2}),
    ]
    for optional in HEALTH_OPTIONAL:
        needed = sum(cells + 3 for _, cells, _ in columns) + 1  # padding and rules
        if width is None or needed <= width:
            break
        columns = [column for column in columns if column[0] != optional]
    table = Table(expand=True, header_style="bold")
    for name, cells, how in columns:
        table.add_column(name, min_width=cells, **how)  # type: ignore[arg-type]
    for item in items:
        row = health_cells(item, now, next_polls)
        table.add_row(*(row[name] for name, _, _ in columns))
    return table


def health_name(item: ProviderHealth) -> str:
    """The provider's name as the table shows it."""
    return item.name + (" (delayed)" if item.delayed else "")


def health_cells(item: ProviderHealth, now: datetime,
                 next_polls: Mapping[str, datetime] | None) -> dict[str, Text | str]:
    """One provider's row, by column."""
    styles = {"ok": "green", "backoff": "yellow", "circuit-open": "bold red", "idle": "dim"}
    since = "—" if item.last_success is None else \
        fmt.fmt_age((now - item.last_success).total_seconds()) + " ago"
    latency = "—" if item.latency_s is None else f"{item.latency_s * 1000:.0f} ms"
    errors = ", ".join(f"{kind} {count}" for kind, count in sorted(item.errors.items())) or "0"
    cause = (words.plain_cause(item.last_error, item.last_error_kind)
             if item.failing_kinds else "")
    return {
        "Provider": health_name(item),
        "State": Text(item.state + (f" ({', '.join(item.failing_kinds)})"
                                    if item.failing_kinds else ""),
                      style=styles.get(item.state, "")),
        "Cause": Text(cause or "—", style="bold" if cause else "dim"),
        "Next try": next_try(item, now, next_polls), "Last ok": since, "Latency": latency,
        "Errors": f"{item.error_count} of {item.requests}"
                  + (f" ({errors})" if item.errors else ""),
    }


class HealthTable:
    """The health table drawn at whatever width it is given (a narrow terminal drops the
    optional columns instead of cutting every one)."""

    def __init__(self, health: Mapping[str, ProviderHealth], now: datetime,
                 next_polls: Mapping[str, datetime] | None) -> None:
        self.health, self.now, self.next_polls = health, now, next_polls

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield health_table(self.health, self.now, self.next_polls, options.max_width)

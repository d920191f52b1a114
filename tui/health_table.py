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
    rows = [health_cells(item, now, next_polls) for item in items]
    natural = {name: max([cells, cell_len(name), *(cell_len(str(row[name])) for row in rows)])
               for name, cells, _ in columns}

    def fits(chosen: list[tuple[str, int, dict[str, bool | int]]]) -> bool:
        """Every cell of these columns on one line (3 cells of padding and rule each)."""
        return width is None or sum(natural[name] + 3 for name, _, _ in chosen) + 1 <= width

    # Optional columns go (latency first) until the rest fit on one line each; when even
    # the essential ones do not, those wrap, sharing the room.
    for optional in HEALTH_OPTIONAL:
        if fits(columns):
            break
        columns = [column for column in columns if column[0] != optional]
    one_line = fits(columns)
    table = Table(expand=True, header_style="bold")
    for name, cells, how in columns:
        if one_line:
            table.add_column(name, min_width=natural[name], no_wrap=True)
        else:
            table.add_column(name, min_width=cells, **how)  # type: ignore[arg-type]
    for row in rows:
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
    cause = (words.plain_cause(item.last_error, item.last_error_kind)
             if item.failing_kinds else "")
    # The errors by kind, unless they are all of the kind the Cause column already names.
    told = cause and set(item.errors) == {item.last_error_kind}
    errors = "" if told else ", ".join(f"{kind} {count}"
                                       for kind, count in sorted(item.errors.items()))
    return {
        "Provider": health_name(item),
        "State": Text(item.state + (f" ({', '.join(item.failing_kinds)})"
                                    if item.failing_kinds else ""),
                      style=styles.get(item.state, "")),
        "Cause": Text(cause or "—", style="bold" if cause else "dim"),
        "Next try": next_try(item, now, next_polls), "Last ok": since, "Latency": latency,
        "Errors": f"{item.error_count} of {item.requests}" + (f" ({errors})" if errors else ""),
    }


class HealthTable:
    """The health table drawn at whatever width it is given (a narrow terminal drops the
    optional columns instead of cutting every one)."""

    def __init__(self, health: Mapping[str, ProviderHealth], now: datetime,
                 next_polls: Mapping[str, datetime] | None) -> None:
        self.health, self.now, self.next_polls = health, now, next_polls

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield health_table(self.health, self.now, self.next_polls, options.max_width)

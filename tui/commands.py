"""Command-palette entries of the watcher (refresh, screenshot, health, windows, sorting)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial
from typing import TYPE_CHECKING

from neodymium.tui.comparison_view import TABLE_WINDOWS
from textual.app import SystemCommand

if TYPE_CHECKING:
    from neodymium.tui.app import NeodymiumApp


def watch_commands(app: NeodymiumApp) -> Iterator[SystemCommand]:
    """Everything a key does, findable by name, plus every window and sort column."""
    actions: list[tuple[str, str, Callable[[], object]]] = [
        ("Refresh now", "Poll quotes, history and news immediately", app.action_refresh),
        ("Screenshot", "Save the screen as an SVG file and say where",
         app.action_save_screenshot),
        ("Provider health", "State, latency and errors of each provider", app.action_health),
        ("Charts", "600111 and the ETFs rebased to 100; price and volume", app.action_charts),
        ("Alerts", "Rules, their state and what fired; snooze, cancel, add (A)",
         app.action_alerts),
        ("Positions", "Market value, day and total P&L, weights (p)", app.action_positions),
        ("Private mode", "Mask position sizes, values and P&L on screen and in exports (b)",
         app.action_private),
        ("Help", "Keys and a short tour", app.action_help),
    ]
    for title, help_text, callback in actions:
        yield SystemCommand(title, help_text, callback)
    for window in TABLE_WINDOWS:
        yield SystemCommand(f"Comparison window: {window}", f"Returns and spreads over {window}",
                            partial(app.set_window, window))
    from neodymium.tui.widgets.comparison_table import COLUMNS, headers  # mounted by now

    titles = headers(app.window)
    for column in COLUMNS:
        yield SystemCommand(f"Sort comparison by {titles[column]}", "Repeat to flip the direction",
                            partial(app.sort_comparison, column))

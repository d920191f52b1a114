"""The Textual app: a thin layer that wires the feed to the watch screen."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from neodymium.config.loader import (
    ConfigError,
    update_alerts,
    update_positions,
    update_watchlist,
)
from neodymium.config.settings import AlertRule, PositionSettings, Settings
from neodymium.providers import calendar
from neodymium.providers.alerts import AlertEngine
from neodymium.providers.cache import Cache
from neodymium.providers.clock import Clock, system_clock
from neodymium.providers.feed import Feed
from neodymium.providers.runtime import ALL_KINDS, Runtime
from neodymium.providers.store import Snapshot
from neodymium.providers.symbols import SymbolError, parse_symbol
from neodymium.tui import export
from neodymium.tui.alerting import AlertDelivery
from neodymium.tui.commands import watch_commands
from neodymium.tui.comparison_view import DEFAULT_WINDOW, TABLE_WINDOWS
from neodymium.tui.messages import SnapshotArrived
from neodymium.tui.news_view import NewsMemo
from neodymium.tui.screens.alerts import AlertsScreen
from neodymium.tui.screens.charts import ChartScreen
from neodymium.tui.screens.modals import HealthScreen, HelpScreen, NewsDetailScreen, SymbolPrompt
from neodymium.tui.screens.positions import PositionsScreen
from neodymium.tui.screens.watch import WatchScreen
from neodymium.tui.view import ScreenView, build_screen
from neodymium.tui.widgets.comparison_table import ComparisonTable
from neodymium.tui.widgets.news_pane import NewsPane
from textual import on
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import OptionList

T = TypeVar("T")


def _key_or_raw(raw: str) -> str:
    try:
        return parse_symbol(raw).key
    except SymbolError:
        return raw


@dataclass(frozen=True, slots=True)
class AppOptions:
    """How the app was started (from the command line or a test)."""

    demo: bool = False
    seed: int | None = None
    screenshot_dir: Path | None = None
    #: Where watchlist edits are written (None: edits last for this session only).
    config_path: Path | None = None
    #: Start with position figures masked (``--private``).
    private: bool = False
    #: The log file, shown in the health view (None: not logging).
    log_file: Path | None = None


class NeodymiumApp(App[None]):
    """Watch a primary symbol, its comparison ETFs and the news."""

    TITLE = "neodymium"
    CSS_PATH = "styles/app.tcss"
    BINDINGS = [
        Binding("q", "quit", "Quit"),
        Binding("r", "refresh", "Refresh"),
        Binding("s", "save_screenshot", "Screenshot"),
        Binding("h", "health", "Health"),
        Binding("c", "charts", "Charts"),
        # Listed in help (?) and the palette; the footer keeps its room for the main keys.
        Binding("A", "alerts", "Alerts", show=False),
        Binding("p", "positions", "Positions", show=False),
        Binding("b", "private", "Private", show=False),
        Binding("w", "window(1)", "Window"),
        Binding("W", "window(-1)", "Window", show=False),
        Binding("o", "sort", "Sort", show=False),
        Binding("a", "add_symbol", "Add", show=False),
        Binding("d", "remove_symbol", "Remove", show=False),
        Binding("question_mark", "help", "Help", key_display="?"),
    ]

    def __init__(
        self,
        settings: Settings,
        *,
        options: AppOptions | None = None,
        clock: Clock = system_clock,
        cache: Cache | None = None,
        runtime: Runtime | None = None,
    ) -> None:
        super().__init__()
        self.settings = settings
        self.options = options or AppOptions()
        self.clock = clock
        self.runtime = runtime or Runtime(settings, clock=clock, demo=self.options.demo,
                                          seed=self.options.seed, cache=cache)
        self.cache = self.runtime.cache
        self.feed: Feed | None = None
        self.snapshot: Snapshot | None = None
        self.view: ScreenView | None = None
        self.data_ready = asyncio.Event()
        self.alerting: AlertDelivery | None = None
        #: Position sizes, values and P&L masked on screen and in exports.
        self.private = self.options.private or settings.privacy.private
        self.window = DEFAULT_WINDOW
        self._news_memo = NewsMemo()
        self._apply_theme()
        # Building the exchange calendars takes about a second: start it now, beside Textual's
        # own start-up, and only wait for it in on_mount.
        threading.Thread(target=calendar.preload, name="calendars", daemon=True).start()

    def _apply_theme(self) -> None:
        try:
            self.theme = self.settings.display.theme
        except Exception:  # an unknown theme name falls back to the default theme
            self.theme = "textual-dark"

    @property
    def simulated(self) -> bool:
        """True when every quote provider is simulated (the demo)."""
        if self.feed is None:
            return self.options.demo
        return self.feed.simulated

    def get_default_screen(self) -> Screen[None]:
        return WatchScreen(colors=self.settings.display.colors)

    async def on_mount(self) -> None:
        """Open the runtime, paint from the cache, start polling."""
        await asyncio.to_thread(calendar.preload)  # returns once the start-up thread is done
        for warning in await self.runtime.open():
            self.notify(warning, title="Cache", severity="warning")
        self.feed = self.runtime.feed
        self.alerting = AlertDelivery(self, AlertEngine(
            self.settings.alerts, stale_after=self.settings.stale_after(), store=self.cache,
            simulated=lambda: self.simulated))
        self.feed.subscribe(self._post_snapshot)
        for raw, reason in self.feed.invalid_symbols.items():
            self.notify(f"{raw}: {reason}", title="Skipped a bad symbol", severity="warning")
        await self.runtime.start()
        self.set_interval(1.0, self.redraw, name="clock")
        self.set_interval(1.0, self.check_alerts, name="alerts")

    async def on_unmount(self) -> None:
        """Stop polling, close the shared client and the cache."""
        await self.runtime.close()

    @on(SnapshotArrived)
    def _on_snapshot(self, message: SnapshotArrived) -> None:
        self.snapshot = message.snapshot
        self.redraw()
        if self.snapshot.loaded >= ALL_KINDS:
            self.data_ready.set()
        self.check_alerts()
        for screen in self.screen_stack:
            if isinstance(screen, HealthScreen):
                screen.update_health(self.snapshot.health, self.clock(),
                                     self.snapshot.symbol_errors)
            elif isinstance(screen, ChartScreen):
                screen.update_snapshot(self.snapshot)
            elif isinstance(screen, PositionsScreen):
                screen.update_view(self.settings, self.snapshot, self.private)

    def check_alerts(self) -> None:
        """Evaluate the alert rules on the latest snapshot (each snapshot and every second, so
        ``stale`` rules notice silence) and deliver what fires."""
        if self.alerting is not None and self.alerting.check(self.snapshot, self.clock()):
            for screen in self.screen_stack:
                if isinstance(screen, AlertsScreen) and screen.is_mounted:
                    screen.refresh_view()

    def action_alerts(self) -> None:
        """Show the alert rules, their state and what fired; snooze, cancel, re-arm."""
        if self.alerting is not None and not isinstance(self.screen, AlertsScreen):
            self.push_screen(AlertsScreen(self.alerting.engine, self.alerting.recent,
                                          self.clock, self.settings, self.change_alerts))

    def change_alerts(self, rules: list[AlertRule]) -> None:
        """Keep edited rules, write them to the config file, poll any new symbol."""
        self.settings = self.settings.model_copy(update={"alerts": rules})
        if self.alerting is not None:
            self.alerting.engine.set_rules(rules)
        self._save_edit(update_alerts, rules, "Alerts")
        for screen in self.screen_stack:
            if isinstance(screen, AlertsScreen) and screen.is_mounted:
                screen.settings = self.settings
                screen.refresh_view()

    def action_positions(self) -> None:
        """Show the holdings valued at the latest quotes (e edits, d removes)."""
        if not isinstance(self.screen, PositionsScreen):
            self.push_screen(PositionsScreen(self.settings, self.snapshot, self.private,
                                             self.change_positions))

    def action_private(self) -> None:
        """The privacy key: mask or show position sizes, values and P&L (exports too)."""
        self.private = not self.private
        for screen in self.screen_stack:
            if isinstance(screen, PositionsScreen):
                screen.update_view(self.settings, self.snapshot, self.private)
        self.notify("position figures masked, on screen and in exports" if self.private
                    else "position figures shown", title="Private" if self.private else "Public")

    def change_positions(self, positions: list[PositionSettings]) -> None:
        """Keep edited positions, write them to the config file, poll any new symbol."""
        self.settings = self.settings.model_copy(update={"positions": positions})
        self._save_edit(update_positions, positions, "Positions")
        for screen in self.screen_stack:
            if isinstance(screen, PositionsScreen):
                screen.update_view(self.settings, self.snapshot, self.private)

    def _save_edit(self, write: Callable[[Path, list[T]], None], items: list[T],
                   title: str) -> None:
        """Write an edit to the config file (or say it lasts this session), poll new symbols."""
        path = self.options.config_path
        if path is not None:
            try:
                write(path, items)
            except (OSError, ConfigError) as exc:
                self.notify(f"kept for this session only: {exc}", title="Not saved",
                            severity="warning")
                path = None
        if self.feed is not None:
            self.feed.set_watch(self.settings)
            self.run_worker(self.feed.refresh_now(), exclusive=True, group="refresh")
        self.notify(f"{title} updated" + (f" · saved to {path}" if path else ""), title=title)

    def redraw(self) -> None:
        """Rebuild the view from the latest snapshot and the clock (ages, countdowns)."""
        self.view = build_screen(self.snapshot, self.settings, self.clock(), self.simulated,
                                 self.window, self._news_memo)
        watch = self.get_screen_of(WatchScreen)
        if watch is not None:
            watch.show(self.view)

    def get_screen_of(self, kind: type[WatchScreen]) -> WatchScreen | None:
        """The first screen of a kind on the stack."""
        for screen in self.screen_stack:
            if isinstance(screen, kind):
                return screen
        return None

    async def action_refresh(self) -> None:
        """Poll every data kind now."""
        if self.feed is not None:
            self.notify("Refreshing…", timeout=1.5)
            self.run_worker(self.feed.refresh_now(), exclusive=True, group="refresh")

    def _post_snapshot(self, snapshot: Snapshot) -> None:
        self.post_message(SnapshotArrived(snapshot))

    def action_save_screenshot(self) -> None:
        """Save an SVG screenshot stamped with time, sources and DEMO; say where."""
        folder = self.options.screenshot_dir or Path.cwd()
        path = export.save_svg(self, folder)
        self.notify(f"Saved {path}", title="Screenshot")

    def action_window(self, step: int) -> None:
        """Show the next (or previous) return window in the comparison table."""
        index = TABLE_WINDOWS.index(self.window)
        self.set_window(TABLE_WINDOWS[(index + step) % len(TABLE_WINDOWS)])

    def set_window(self, window: str) -> None:
        """Show a given return window in the comparison table."""
        self.window = window
        self.redraw()

    def action_sort(self) -> None:
        """Cycle the comparison table's sort column."""
        for table in self.query(ComparisonTable):
            table.next_sort()

    def sort_comparison(self, column: str) -> None:
        """Sort the comparison table by a column."""
        for table in self.query(ComparisonTable):
            table.sort_by(column)

    def action_add_symbol(self) -> None:
        """Ask for a symbol and add it to the comparison list."""
        self.push_screen(SymbolPrompt(), self.add_symbol)

    def add_symbol(self, text: str | None) -> None:
        """Add a symbol to ``[watch].compare`` (reported, not added, when it is not one)."""
        if not text:
            return
        try:
            key = parse_symbol(text).key
        except SymbolError as exc:
            self.notify(str(exc), title="Not added", severity="error")
            return
        compare = list(self.settings.watch.compare)
        if key in compare or key == self.settings.watch.primary:
            self.notify(f"{key} is already watched", title="Not added")
            return
        self._change_compare([*compare, key], f"Added {key}")

    def action_remove_symbol(self) -> None:
        """Remove the highlighted comparison symbol (never the primary)."""
        table = self.query_one(ComparisonTable)
        key = table.cursor_symbol()
        if key is None or key == self.settings.watch.primary:
            self.notify("Highlight a comparison row first (the primary stays)",
                        title="Nothing removed")
            return
        compare = [raw for raw in self.settings.watch.compare if _key_or_raw(raw) != key]
        self._change_compare(compare, f"Removed {key}")

    def _change_compare(self, compare: list[str], message: str) -> None:
        watch = self.settings.watch.model_copy(update={"compare": compare})
        self.settings = self.settings.model_copy(update={"watch": watch})
        path = self.options.config_path
        if path is not None:
            try:
                update_watchlist(path, compare, key="compare")
            except (OSError, ConfigError) as exc:
                self.notify(f"kept for this session only: {exc}", title="Not saved",
                            severity="warning")
                path = None
        if self.feed is not None:
            self.feed.set_watch(self.settings)
            self.run_worker(self.feed.refresh_now(), exclusive=True, group="refresh")
        self.notify(message + (f" · saved to {path}" if path else ""), title="Watchlist")
        self.redraw()

    def action_charts(self) -> None:
        """Open the comparison and price charts for the table's window."""
        if not isinstance(self.screen, ChartScreen):
            self.push_screen(ChartScreen(self.snapshot, self.settings, self.window))

    def action_help(self) -> None:
        """Show keys and a short tour."""
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_health(self) -> None:
        """Show provider health."""
        if isinstance(self.screen, HealthScreen):
            return
        snapshot = self.snapshot
        self.push_screen(HealthScreen(snapshot.health if snapshot else {}, self.clock(),
                                      snapshot.symbol_errors if snapshot else {},
                                      log_file=self.options.log_file))

    @on(OptionList.OptionSelected, "NewsPane")
    def _open_news(self, event: OptionList.OptionSelected) -> None:
        line = self.query_one(NewsPane).selected_line()
        if line is not None:
            self.push_screen(NewsDetailScreen(line))

    def get_system_commands(self, screen: Screen[None]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield from watch_commands(self)

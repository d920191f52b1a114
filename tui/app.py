"""The Textual app: a thin layer that wires the feed to the watch screen."""

from __future__ import annotations

import asyncio
import contextlib
import signal
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, TypeGuard, TypeVar

from neodymium.config.loader import (
    ConfigError,
    save_primary,
    update_alerts,
    update_positions,
    update_watch_group,
    update_watchlist,
)
from neodymium.config.settings import AlertRule, PositionSettings, Settings
from neodymium.providers import calendar
from neodymium.providers.alerts import AlertEngine
from neodymium.providers.cache import Cache
from neodymium.providers.clock import Clock, system_clock
from neodymium.providers.errors import excerpt_of
from neodymium.providers.feed import CACHE_HEALTH, Feed
from neodymium.providers.intraday import Intraday
from neodymium.providers.intraday_source import fetch_intraday, fetch_intraday_days
from neodymium.providers.runtime import ALL_KINDS, Runtime
from neodymium.providers.store import Snapshot
from neodymium.providers.symbol_index import SymbolIndex
from neodymium.providers.symbol_list import load_index, refresh_index
from neodymium.providers.symbols import Market, Symbol, SymbolError, parse_symbol
from neodymium.tui import export
from neodymium.tui.alerting import AlertDelivery
from neodymium.tui.commands import watch_commands
from neodymium.tui.comparison_view import DEFAULT_WINDOW, TABLE_WINDOWS
from neodymium.tui.messages import SnapshotArrived
from neodymium.tui.news_view import NewsMemo
from neodymium.tui.screens.alerts import AlertsScreen
from neodymium.tui.screens.book import BookScreen
from neodymium.tui.screens.intraday import IntradayScreen
from neodymium.tui.screens.modals import HealthScreen, HelpScreen, NewsDetailScreen, SymbolPrompt
from neodymium.tui.screens.positions import PositionsScreen
from neodymium.tui.screens.search import SearchScreen
from neodymium.tui.screens.watch import WatchScreen
from neodymium.tui.screens.watchlist import WatchlistScreen
from neodymium.tui.status_words import refresh_outcome
from neodymium.tui.view import ScreenView, build_screen, with_clock
from neodymium.tui.watchlist_view import (
    ALL_GROUP,
    build_watchlist,
    group_members,
    group_names,
    moved,
)
from neodymium.tui.widgets.comparison_table import ComparisonTable
from neodymium.tui.widgets.news_pane import NewsPane
from neodymium.tui.widgets.watchlist import WatchList
from textual import on
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.widgets import OptionList

if TYPE_CHECKING:
    from neodymium.tui.screens.charts import ChartScreen

T = TypeVar("T")
#: Signals that end the app the way ``q`` does (where the platform has them).
EXIT_SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP")
                     if hasattr(signal, name))


def is_chart_screen(screen: Screen[object] | Screen[None]) -> TypeGuard[ChartScreen]:
    """True for the chart screen, without importing it (plotext, pandas) until it was opened."""
    charts = sys.modules.get("neodymium.tui.screens.charts")
    return charts is not None and isinstance(screen, charts.ChartScreen)


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
        Binding("k", "book", "Book", show=False),
        Binding("l", "watchlist", "List", show=False),
        Binding("g", "group(1)", "Group", show=False),
        Binding("P", "save_primary", "Save primary", show=False),
        Binding("slash", "search", "Search", key_display="/"),
        Binding("u", "undo_remove", "Undo", show=False),
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
        if self.no_color and settings.display.colors != "mono":
            # NO_COLOR: Textual greys every colour, and red/green both go dark; say up/down
            # with weight and sign instead.
            display = settings.display.model_copy(update={"colors": "mono"})
            settings = settings.model_copy(update={"display": display})
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
        #: Set on every snapshot (headless callers wait on it instead of polling).
        self.snapshot_seen = asyncio.Event()
        self.window = DEFAULT_WINDOW
        self._news_memo = NewsMemo()
        self.group = ALL_GROUP
        self.symbol_index: SymbolIndex | None = None
        self._index_due = False
        self._signals: list[int] = []
        self._cache_told = False
        #: The comparison list before the last ``d``, for ``u`` (undo).
        self._undo_compare: list[str] | None = None
        self._apply_theme()

    def notify(self, message: str, *, title: str = "", severity: SeverityLevel = "information",
               timeout: float | None = None, markup: bool = False) -> None:
        """A toast. Its text is never markup here: messages carry symbols, paths and upstream
        errors (``[/]`` in any of them crashed the app)."""
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)

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
        if not self.is_headless and self.console.color_system in {"standard", "windows"}:
            # A 16-colour terminal: blended tints land on "bright black"; see app.tcss.
            self.add_class("-sixteen-colors")
        calendar.preload()  # a few milliseconds: a precomputed table, not exchange-calendars
        for warning in await self.runtime.open():
            self.notify(warning, title="Cache", severity="warning")
        # A cache that stopped taking writes was just reported; the feed's health says it too.
        self._cache_told = self.cache is not None and self.cache.write_problem is not None
        self.feed = self.runtime.feed
        self.alerting = AlertDelivery(self, AlertEngine(
            self.settings.alerts, stale_after=self.settings.stale_after(), store=self.cache,
            simulated=lambda: self.simulated))
        self.feed.subscribe(self._post_snapshot)
        for raw, reason in self.feed.invalid_symbols.items():
            self.notify(f"{excerpt_of(raw, 40)}: {excerpt_of(reason, 160)}",
                        title="Skipped a bad symbol", severity="warning")
        await self.runtime.start()
        self.set_interval(1.0, self.tick_clock, name="clock")
        self.set_interval(1.0, self.check_alerts, name="alerts")
        self._handle_signals()

    def _handle_signals(self) -> None:
        """SIGTERM and SIGHUP (the SSH session closing) leave like ``q``: the terminal gets its
        screen, cursor, mouse and paste modes back, and the exit code is 0."""
        if self.is_headless:
            return
        loop = asyncio.get_running_loop()
        for number in EXIT_SIGNALS:
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                loop.add_signal_handler(number, self.exit)
                self._signals.append(number)

    async def on_unmount(self) -> None:
        """Stop polling, close the shared client and the cache."""
        loop = asyncio.get_running_loop()
        for number in self._signals:
            loop.remove_signal_handler(number)
        self._signals.clear()
        await self.runtime.close()

    @on(SnapshotArrived)
    def _on_snapshot(self, message: SnapshotArrived) -> None:
        self.snapshot = message.snapshot
        self.snapshot_seen.set()
        cache_health = self.snapshot.health.get(CACHE_HEALTH)
        if cache_health is not None and cache_health.last_error and not self._cache_told:
            self._cache_told = True
            self.notify(cache_health.last_error, title="Cache", severity="warning")
        self.redraw()
        if self.snapshot.loaded >= ALL_KINDS:
            self.data_ready.set()
        self.check_alerts()
        for screen in self.screen_stack:
            if isinstance(screen, HealthScreen):
                screen.update_health(self.snapshot.health, self.clock(),
                                     self.snapshot.symbol_errors,
                                     self.feed.next_polls() if self.feed else None)
            elif is_chart_screen(screen):
                screen.update_snapshot(self.snapshot)
            elif isinstance(screen, PositionsScreen):
                screen.update_view(self.settings, self.snapshot, self.private)
            elif isinstance(screen, IntradayScreen):
                state = self.snapshot.quotes.get(screen.symbol.key)
                screen.update_quote(state.quote if state else None)

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
                                 self.window, self._news_memo,
                                 next_polls=self.feed.next_polls() if self.feed else None)
        self._show_view()

    def tick_clock(self) -> None:
        """The 1 s clock: rebuild what time moves (ages, countdowns), not the whole view."""
        if self.view is None:
            self.redraw()
            return
        self.view = with_clock(self.view, self.snapshot, self.settings, self.clock(),
                               self.simulated,
                               next_polls=self.feed.next_polls() if self.feed else None)
        self._show_view()

    def _show_view(self) -> None:
        assert self.view is not None
        watch = self.get_screen_of(WatchScreen)
        if watch is not None:
            watch.show(self.view)
        watchlist = build_watchlist(self.snapshot, self.settings, self.group, self.clock(),
                                    self.simulated)
        if watch is not None:
            watch.show_watchlist(watchlist)
        for screen in self.screen_stack:
            if isinstance(screen, BookScreen):
                screen.show(self.view.book)
            elif isinstance(screen, WatchlistScreen):
                screen.show(watchlist)

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
            self.run_worker(self._refresh_and_report(), exclusive=True, group="refresh")

    async def _refresh_and_report(self) -> None:
        """Poll every kind, then say what came back and what failed (and why)."""
        assert self.feed is not None
        await self.feed.refresh_now()
        message, complete = refresh_outcome(self.feed.publish(), self.settings)
        self.notify(message, title="Refresh", severity="information" if complete else "warning")

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
        """Ask for a symbol and add it to the watchlist group (when the watchlist has focus)
        or the comparison list."""
        if self._watchlist_focused():
            self.push_screen(SymbolPrompt(), self._add_to_group)
            return
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
        """Remove the highlighted watchlist or comparison symbol (never the primary)."""
        if self._watchlist_focused():
            self._remove_from_group()
            return
        table = self.query_one(ComparisonTable)
        key = table.cursor_symbol()
        if key is None or key == self.settings.watch.primary:
            self.notify("Highlight a comparison row first (the primary stays)",
                        title="Nothing removed")
            return
        before = list(self.settings.watch.compare)
        compare = [raw for raw in before if _key_or_raw(raw) != key]
        self._undo_compare = before
        self._change_compare(compare, f"Removed {key} from the comparison list · u undoes it")

    def action_undo_remove(self) -> None:
        """Put back the comparison symbol that ``d`` removed last."""
        if self._undo_compare is None:
            self.notify("Nothing to undo", title="Comparison list")
            return
        restored, self._undo_compare = self._undo_compare, None
        self._change_compare(restored, "Restored the comparison list")

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
        self.notify(message + (f" · saved to {path}" if path else ""), title="Comparison list")
        self.redraw()

    def action_charts(self) -> None:
        """The 分时 minute line for an A-share primary; the comparison charts otherwise."""
        primary = parse_symbol(self.settings.watch.primary)
        if primary.market is not Market.CN or self.runtime.client is None:
            self.action_comparison_charts()
            return
        if isinstance(self.screen, IntradayScreen) or is_chart_screen(self.screen):
            return
        state = self.snapshot.quotes.get(primary.key) if self.snapshot else None
        name = (state.quote.name if state and state.quote.name else None) or primary.key
        self.push_screen(IntradayScreen(primary, name, self._fetch_intraday, self.clock,
                                        state.quote if state else None,
                                        self.settings.display.colors, self._fetch_days))

    async def _fetch_intraday(self, symbol: Symbol, now: datetime) -> Intraday:
        client = self.runtime.client
        assert client is not None and self.feed is not None
        return await fetch_intraday(self.settings, client, self.feed.providers, symbol, now)

    async def _fetch_days(self, symbol: Symbol, now: datetime) -> list[Intraday]:
        client = self.runtime.client
        assert client is not None and self.feed is not None
        return await fetch_intraday_days(self.settings, client, self.feed.providers, symbol,
                                         now)

    def action_comparison_charts(self) -> None:
        """Open the comparison and price charts for the table's window."""
        from neodymium.tui.screens.charts import ChartScreen  # plotext and pandas: on demand

        if not isinstance(self.screen, ChartScreen):
            self.push_screen(ChartScreen(self.snapshot, self.settings, self.window))

    def action_book(self) -> None:
        """Open the 五档 order book (shown beside the quote anyway on wide terminals)."""
        if not isinstance(self.screen, BookScreen):
            self.push_screen(BookScreen(self.view.book if self.view else None))

    # -- search -------------------------------------------------------------------------------

    async def action_search(self) -> None:
        """Open search; the list loads on first use and is refreshed when a day old."""
        if isinstance(self.screen, SearchScreen):
            return
        if self.symbol_index is None:
            loaded, self._index_due = await asyncio.to_thread(load_index, self.cache,
                                                               self.clock())
            self.symbol_index = loaded
        index: SymbolIndex = self.symbol_index
        if self._index_due and not self.simulated and self.runtime.client is not None:
            self._index_due = False
            self.run_worker(self._refresh_index(), group="symbol-list")
        self.push_screen(SearchScreen(index), self._searched)

    async def _refresh_index(self) -> None:
        client = self.runtime.client
        assert client is not None
        options = self.settings.providers.get("eastmoney")
        try:
            self.symbol_index = await refresh_index(
                client, self.cache, options.base_url if options else None)
        except Exception as exc:  # any failure keeps the list in hand; say so once
            self.notify(f"symbol list not refreshed: {exc}", title="Search",
                        severity="warning")

    def _searched(self, key: str | None) -> None:
        if key:
            self.set_primary(key)

    # -- the watchlist ------------------------------------------------------------------------

    def action_watchlist(self) -> None:
        """Open the watchlist (kept at the left anyway on wide terminals)."""
        if not isinstance(self.screen, WatchlistScreen):
            self.push_screen(WatchlistScreen(build_watchlist(
                self.snapshot, self.settings, self.group, self.clock(), self.simulated)))

    def action_group(self, step: int) -> None:
        """Show the next watchlist group."""
        names = group_names(self.settings)
        index = names.index(self.group) if self.group in names else 0
        self.group = names[(index + step) % len(names)]
        self.redraw()

    @on(WatchList.Selected)
    def _select_row(self, event: WatchList.Selected) -> None:
        self.set_primary(event.symbol)

    def set_primary(self, raw: str) -> None:
        """Make ``raw`` the primary: quote, gauge, valuation, book and comparison follow.

        The choice lasts for this session; P saves it as ``[watch].primary``.
        """
        if raw == self.settings.watch.primary:
            return
        try:
            watch = self.settings.watch.with_primary(raw)
        except ValueError as exc:
            self.notify(str(exc), title="Not a symbol", severity="error")
            return
        self.settings = self.settings.model_copy(update={"watch": watch})
        if self.feed is not None:
            self.feed.set_watch(self.settings)
            self.run_worker(self.feed.refresh_now(), exclusive=True, group="refresh")
        self.redraw()

    def action_save_primary(self) -> None:
        """Remember the primary for the next start (written to the config, comments kept)."""
        path = self.options.config_path
        key = self.settings.watch.primary
        if path is None:
            self.notify("no config file to save to", title="Not saved", severity="warning")
            return
        try:
            save_primary(path, key)
        except (OSError, ConfigError) as exc:
            self.notify(str(exc), title="Not saved", severity="warning")
            return
        self.notify(f"{key} opens next time · saved to {path}", title="Primary")

    @on(WatchList.Reorder)
    def _reorder(self, event: WatchList.Reorder) -> None:
        members = group_members(self.settings, self.group)
        keys = [_key_or_raw(raw) for raw in members]
        if event.symbol not in keys:
            return
        self._change_group(moved(members, keys.index(event.symbol), event.step),
                           f"Moved {event.symbol}")
        for watchlist in self.query(WatchList):
            watchlist.move_cursor_to(event.symbol)

    def _watchlist_focused(self) -> bool:
        return isinstance(self.focused, WatchList)

    def _add_to_group(self, text: str | None) -> None:
        if not text:
            return
        try:
            key = parse_symbol(text).key
        except SymbolError as exc:
            self.notify(str(exc), title="Not added", severity="error")
            return
        members = group_members(self.settings, self.group)
        if key in {_key_or_raw(raw) for raw in members}:
            self.notify(f"{key} is already in {self.group}", title="Not added")
            return
        self._change_group([*members, key], f"Added {key} to {self.group}")

    def _remove_from_group(self) -> None:
        focused = self.focused
        key = focused.cursor_symbol() if isinstance(focused, WatchList) else None
        if key is None or key == self.settings.watch.primary:
            self.notify("Highlight a watchlist row first (the primary stays)",
                        title="Nothing removed")
            return
        members = [raw for raw in group_members(self.settings, self.group)
                   if _key_or_raw(raw) != key]
        self._change_group(members, f"Removed {key} from {self.group}")

    def _change_group(self, members: list[str], message: str) -> None:
        """Apply a watchlist edit and write it back (comments kept, atomic)."""
        if self.group == ALL_GROUP:
            watch = self.settings.watch.model_copy(update={"symbols": members})
        else:
            groups = {**self.settings.watch.groups, self.group: members}
            watch = self.settings.watch.model_copy(update={"groups": groups})
        self.settings = self.settings.model_copy(update={"watch": watch})
        path = self.options.config_path
        if path is not None:
            try:
                if self.group == ALL_GROUP:
                    update_watchlist(path, members, key="symbols")
                else:
                    update_watch_group(path, self.group, members)
            except (OSError, ConfigError) as exc:
                self.notify(f"kept for this session only: {exc}", title="Not saved",
                            severity="warning")
                path = None
        if self.feed is not None:
            self.feed.set_watch(self.settings)
            self.run_worker(self.feed.refresh_now(), exclusive=True, group="refresh")
        self.notify(message + (f" · saved to {path}" if path else ""), title="Watchlist")
        self.redraw()

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
                                      log_file=self.options.log_file,
                                      next_polls=self.feed.next_polls() if self.feed else None))

    @on(OptionList.OptionSelected, "NewsPane")
    def _open_news(self, event: OptionList.OptionSelected) -> None:
        line = self.query_one(NewsPane).selected_line()
        if line is not None:
            self.push_screen(NewsDetailScreen(line))

    def get_system_commands(self, screen: Screen[None]) -> Iterable[SystemCommand]:
        # Textual's own "Screenshot" would save an unstamped SVG with Rich's CJK widths: the
        # palette lists one Screenshot, ours.
        ours = list(watch_commands(self))
        titles = {command.title for command in ours}
        for command in super().get_system_commands(screen):
            if command.title != "Screenshot" and command.title not in titles:
                yield command
        yield from ours

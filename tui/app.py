"""The Textual app: a thin layer that wires the feed to the watch screen (its actions live
in app_compare, app_desk and app_personal, the shared state in app_core)."""

from __future__ import annotations

import asyncio
import contextlib
import os
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, TypeGuard

from neodymium.config.loader import ConfigError
from neodymium.config.settings import Settings
from neodymium.providers import calendar
from neodymium.providers.cache import Cache
from neodymium.providers.clock import Clock, system_clock
from neodymium.providers.first_paint import cached_snapshot
from neodymium.providers.models import DataKind
from neodymium.providers.store import CACHE_HEALTH, Snapshot
from neodymium.providers.symbol_index import SymbolIndex
from neodymium.tui import startup_gc
from neodymium.tui.app_compare import ComparisonActions
from neodymium.tui.app_core import (
    EXIT_SIGNALS,
    AppCore,
    AppOptions,
    is_chart_screen,
    is_intraday_screen,
    is_loaded_instance,
)
from neodymium.tui.app_personal import PersonalActions, is_positions_screen
from neodymium.tui.commands import watch_commands
from neodymium.tui.comparison_view import DEFAULT_WINDOW
from neodymium.tui.messages import SnapshotArrived
from neodymium.tui.news_view import NewsMemo
from neodymium.tui.screens.watch import WatchScreen
from neodymium.tui.status_words import refresh_outcome
from neodymium.tui.view import ScreenView
from neodymium.tui.watchlist_view import (
    ALL_GROUP,
)
from textual import on
from textual.app import SystemCommand
from textual.binding import Binding
from textual.driver import Driver
from textual.screen import Screen
from textual.widgets import OptionList

if TYPE_CHECKING:
    from neodymium.providers.feed import Feed
    from neodymium.providers.runtime import Runtime
    from neodymium.tui.alerting import AlertDelivery
    from neodymium.tui.screens.modals import HealthScreen

__all__ = ["AppCore", "AppOptions", "NeodymiumApp", "is_chart_screen"]


#: Every data kind: the feed has loaded them all when each has arrived once.
ALL_KINDS: frozenset[DataKind] = frozenset(DataKind)
#: The exit code of a config error (as the command line's).
EXIT_CONFIG = 2
#: Seconds a signalled exit may take before the process ends without restoring the terminal.
SIGNAL_EXIT_GRACE_S = 5.0
#: How long after a whole second the clock ticks (timers may fire a little early).
CLOCK_LAG_S = 0.01


def is_health_screen(screen: Screen[object] | Screen[None]) -> TypeGuard[HealthScreen]:
    """True for the health screen, without importing the modals before one was opened."""
    return is_loaded_instance(screen, "neodymium.tui.screens.modals", "HealthScreen")


class NeodymiumApp(ComparisonActions, PersonalActions):
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
        Binding("n", "news_scope", "News: primary/all", show=False),
        Binding("slash", "search", "Search", key_display="/"),
        Binding("u", "undo_remove", "Undo", show=False),
        Binding("question_mark", "help", "Help", key_display="?"),
        # Job control as in any terminal program: back with ``fg`` (not under textual-serve).
        Binding("ctrl+z", "suspend_process", "Suspend", show=False),
    ]

    def __init__(
        self,
        settings: Settings,
        *,
        options: AppOptions | None = None,
        clock: Clock = system_clock,
        cache: Cache | None = None,
        runtime: Runtime | None = None,
        config_check: Callable[[], None] | None = None,
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
        self._runtime = runtime
        #: Config checks left for after the first frame (cli.provider_check), and what they
        #: found: the app then leaves with exit code 2 and the command line prints it.
        self._config_check = config_check
        self.config_error: ConfigError | None = None
        self.cache = runtime.cache if runtime is not None else cache
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
        self.all_news = False
        self.group = ALL_GROUP
        self.symbol_index: SymbolIndex | None = None
        self._index_due = False
        self._signals: list[int] = []
        self._cache_told = False
        #: The comparison list before the last ``d``, for ``u`` (undo).
        self._undo_compare: list[str] | None = None
        #: Times the app came back from Ctrl+Z: a screen's copy of the terminal is trusted
        #: only from a full update after the last one (tui/dirty_compositor.py).
        self.terminal_resumes = 0
        self._apply_theme()

    def get_driver_class(self) -> type[Driver]:
        """Textual's driver for this terminal, but on Linux and macOS one whose input thread
        sleeps until a key comes (tui/quiet_driver.py)."""
        driver = super().get_driver_class()
        from textual.drivers.linux_driver import LinuxDriver

        if driver is LinuxDriver:
            from neodymium.tui.quiet_driver import QuietLinuxDriver

            return QuietLinuxDriver
        return driver

    def get_default_screen(self) -> Screen[None]:
        return WatchScreen(colors=self.settings.display.colors)

    async def on_mount(self) -> None:
        """Paint the cached quotes first; open the runtime, start polling and start the clock
        once that frame is on the screen."""
        if not self.is_headless and self.console.color_system in {"standard", "windows"}:
            # A 16-colour terminal: blended tints land on "bright black"; see app.tcss.
            self.add_class("-sixteen-colors")
        self._paint_from_cache()
        self.call_after_refresh(self._start_runtime)
        self._handle_signals()
        self.app_resume_signal.subscribe(self, self._terminal_resumed)

    def _terminal_resumed(self, _app: object) -> None:
        """Back from Ctrl+Z (``fg``): the terminal was cleared, so the screens' copies of it
        (tui/screen_shadow.py) no longer hold; the next update is a full one, now."""
        self.terminal_resumes += 1
        self.screen.refresh()

    def _to_next_second(self) -> float:
        """Seconds until the clock's next whole second (and a hair, so it has turned)."""
        return 1.0 - self.clock().microsecond / 1e6 + CLOCK_LAG_S

    def _start_seconds(self) -> None:
        """Tick now, on the whole second, then every second: the header's clock turns when
        the wall clock does, with one wake-up a second."""
        self._each_second()
        self.set_interval(1.0, self._each_second, name="second")

    def _each_second(self) -> None:
        """One timer for what time moves: the clock's cells (ages, countdowns), then the alert
        rules (so ``stale`` rules notice silence). Two timers woke the app twice a second."""
        self.tick_clock()
        self.check_alerts()

    def _paint_from_cache(self) -> None:
        """The first frame: the watched symbols' last cached quotes (marked as cached), read
        before the client, providers and feed exist (or are even imported)."""
        if self.cache is None:
            return
        for warning in self.cache.open():
            self.notify(warning, title="Cache", severity="warning")
        self.snapshot = cached_snapshot(self.cache, self.settings, self.clock())
        if self.snapshot is not None:
            self.redraw()

    async def _start_runtime(self) -> None:
        """Once the first frame is on the screen: the panels it left out, painted before the
        runtime's imports (which block the loop for a while), then the runtime."""
        self._remember_opening()
        for screen in self.screen_stack:
            if isinstance(screen, WatchScreen):
                await screen.complete()
        self.call_after_refresh(self._open_runtime)

    def _remember_opening(self) -> None:
        """Keep where this first frame shows the primary's cached price, for the next start's
        opening paint (tui/opening_paint.py) on the same config and terminal size."""
        key = self.options.opening_key
        if key is None or self.cache is None or self.snapshot is None \
                or not isinstance(self.screen, WatchScreen):
            return
        from neodymium.providers.symbols import parse_symbol
        from neodymium.tui.opening_paint import remember
        from neodymium.tui.opening_record import read_opening

        symbol = parse_symbol(self.settings.watch.primary)
        state = self.snapshot.quotes.get(symbol.key)
        if state is None or state.quote.last is None:
            return
        opening = read_opening(self.screen, key, symbol, state.quote, self.cache.path)
        if opening is not None:
            remember(opening)

    async def _open_runtime(self) -> None:
        """Open the runtime, paint everything the cache holds, start polling."""
        startup_gc.release()  # the first frame is on the screen (see cli.main)
        # The clock starts after the first frame: its first tick redrew every panel before it
        # whenever start-up crossed a whole second. The first frame shows the time already.
        self.set_timer(self._to_next_second(), self._start_seconds, name="second-align")
        if not self._config_checked():
            return
        from neodymium.providers.alerts import AlertEngine
        from neodymium.providers.errors import excerpt_of
        from neodymium.tui.alerting import AlertDelivery

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

    def _config_checked(self) -> bool:
        """Run the config checks left for after the first frame; on a ConfigError, leave
        (exit code 2) before the runtime opens."""
        if self._config_check is None:
            return True
        try:
            self._config_check()
        except ConfigError as exc:
            self.config_error = exc
            self.exit(return_code=EXIT_CONFIG)
            return False
        return True

    def _handle_signals(self) -> None:
        """SIGTERM and SIGHUP (the SSH session closing) leave like ``q``: the terminal gets its
        screen, cursor, mouse and paste modes back, and the exit code is 0."""
        if self.is_headless:
            return
        loop = asyncio.get_running_loop()
        for number in EXIT_SIGNALS:
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                loop.add_signal_handler(number, self._exit_on_signal)
                self._signals.append(number)

    def _exit_on_signal(self) -> None:
        """Leave like ``q``. When the terminal is already gone (tmux or SSH closed it),
        Textual's writer thread can block restoring it for ever; the cache commits per
        transaction, so after a grace period the process simply ends."""
        self.exit()
        watchdog = threading.Timer(SIGNAL_EXIT_GRACE_S, os._exit, args=(0,))
        watchdog.daemon = True
        watchdog.start()

    async def on_unmount(self) -> None:
        """Stop polling, close the shared client and the cache."""
        loop = asyncio.get_running_loop()
        for number in self._signals:
            loop.remove_signal_handler(number)
        self._signals.clear()
        if self._runtime is not None:
            await self._runtime.close()
        elif self.cache is not None:  # quit before the runtime opened: the first paint's
            self.cache.close()

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
            if is_health_screen(screen):
                screen.update_health(self.snapshot.health, self.clock(),
                                     self.snapshot.symbol_errors,
                                     self.feed.next_polls() if self.feed else None)
            elif is_chart_screen(screen):
                screen.update_snapshot(self.snapshot)
            elif is_positions_screen(screen):
                screen.update_view(self.settings, self.snapshot, self.private)
            elif is_intraday_screen(screen):
                state = self.snapshot.quotes.get(screen.symbol.key)
                screen.update_quote(state.quote if state else None)

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
        from neodymium.tui import export

        folder = self.options.screenshot_dir or Path.cwd()
        path = export.save_svg(self, folder)
        self.notify(f"Saved {path}", title="Screenshot")

    def action_help(self) -> None:
        """Show keys and a short tour."""
        from neodymium.tui.screens.modals import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_health(self) -> None:
        """Show provider health."""
        from neodymium.tui.screens.modals import HealthScreen

        if isinstance(self.screen, HealthScreen):
            return
        snapshot = self.snapshot
        self.push_screen(HealthScreen(snapshot.health if snapshot else {}, self.clock(),
                                      snapshot.symbol_errors if snapshot else {},
                                      log_file=self.options.log_file,
                                      next_polls=self.feed.next_polls() if self.feed else None))

    @on(OptionList.OptionSelected, "NewsPane")
    def _open_news(self, event: OptionList.OptionSelected) -> None:
        from neodymium.tui.widgets.news_pane import NewsPane  # mounted by now

        line = self.query_one(NewsPane).selected_line()
        if line is not None:
            from neodymium.tui.screens.modals import NewsDetailScreen

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

"""The app's shared state and its redraw path."""

from __future__ import annotations

import asyncio
import math
import signal
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, TypeGuard, TypeVar

from neodymium.config.loader import (
    ConfigError,
)
from neodymium.config.settings import Settings
from neodymium.providers.cache import Cache
from neodymium.providers.clock import Clock
from neodymium.providers.store import Snapshot
from neodymium.providers.symbol_index import SymbolIndex
from neodymium.providers.symbols import SymbolError, parse_symbol
from neodymium.tui.comparison_view import ComparisonRow
from neodymium.tui.news_view import NewsMemo
from neodymium.tui.row_memo import RowMemo
from neodymium.tui.screens.watch import WatchScreen
from neodymium.tui.view import PrimaryPanels, ScreenView, build_screen, with_clock
from neodymium.tui.watchlist_view import WatchRow, build_watchlist
from textual.app import App
from textual.notifications import SeverityLevel
from textual.screen import Screen

if TYPE_CHECKING:
    from neodymium.providers.feed import Feed
    from neodymium.providers.runtime import Runtime
    from neodymium.tui.alerting import AlertDelivery
    from neodymium.tui.screens.book import BookScreen
    from neodymium.tui.screens.charts import ChartScreen
    from neodymium.tui.screens.intraday import IntradayScreen
    from neodymium.tui.screens.watchlist import WatchlistScreen

T = TypeVar("T")
#: Signals that end the app the way ``q`` does (where the platform has them).
EXIT_SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP")
                     if hasattr(signal, name))


def is_loaded_instance(node: object, module: str, name: str) -> bool:
    """``isinstance(node, module.name)`` once ``module`` is imported; False before, without
    importing it (the screens and widgets opened later stay off the first frame's path)."""
    loaded = sys.modules.get(module)
    return loaded is not None and isinstance(node, getattr(loaded, name))


def is_chart_screen(screen: Screen[object] | Screen[None]) -> TypeGuard[ChartScreen]:
    """True for the chart screen, without importing it (plotext, pandas) until it was opened."""
    return is_loaded_instance(screen, "neodymium.tui.screens.charts", "ChartScreen")


def is_book_screen(screen: Screen[object] | Screen[None]) -> TypeGuard[BookScreen]:
    """True for the 五档 screen, without importing it before it (or the watch screen's book,
    just after the first frame) was needed."""
    return is_loaded_instance(screen, "neodymium.tui.screens.book", "BookScreen")


def is_watchlist_screen(screen: Screen[object] | Screen[None]) -> TypeGuard[WatchlistScreen]:
    """True for the full-screen watchlist, without importing it before it was opened."""
    return is_loaded_instance(screen, "neodymium.tui.screens.watchlist", "WatchlistScreen")


def is_intraday_screen(screen: Screen[object] | Screen[None]) -> TypeGuard[IntradayScreen]:
    """True for the 分时 screen, without importing it (plotext) until it was opened."""
    return is_loaded_instance(screen, "neodymium.tui.screens.intraday", "IntradayScreen")


def _second(moment: datetime) -> int:
    """The whole second ``moment`` falls in (what the header's clock shows)."""
    return math.floor(moment.timestamp())


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
    #: The opening paint's key for this config (None: keep no record; see opening_paint).
    opening_key: str | None = None



class AppCore(App[None]):
    """The state every part of the app shares, and the redraw path (the actions in
    app_compare, app_desk and app_personal build on it; app.NeodymiumApp composes them)."""

    settings: Settings
    options: AppOptions
    clock: Clock
    #: The data side, built on first use (after the first frame: see NeodymiumApp.on_mount).
    _runtime: Runtime | None
    cache: Cache | None
    feed: Feed | None
    snapshot: Snapshot | None
    view: ScreenView | None
    data_ready: asyncio.Event
    alerting: AlertDelivery | None
    #: Position sizes, values and P&L masked on screen and in exports.
    private: bool
    #: Set on every snapshot (headless callers wait on it instead of polling).
    snapshot_seen: asyncio.Event
    window: str
    _news_memo: NewsMemo
    #: n: the news pane shows every headline instead of the primary's and the sector's.
    all_news: bool
    group: str
    symbol_index: SymbolIndex | None
    _index_due: bool
    _signals: list[int]
    _cache_told: bool
    #: The comparison list before the last ``d``, for ``u`` (undo).
    _undo_compare: list[str] | None
    #: The whole second (of the clock) the view was last drawn at.
    _drawn_second: int | None = None
    #: The snapshot and settings the view was built from (the clock's tick makes again only
    #: what time moves, and only of a view built from the ones it holds).
    _built_from: tuple[Snapshot | None, Settings] | None = None
    #: The comparison and watchlist rows last built (an unchanged symbol keeps its row).
    _row_memos: tuple[RowMemo[ComparisonRow], RowMemo[WatchRow]] | None = None
    #: The primary's panels last built (a snapshot that did not move it keeps them).
    _primary_memo: RowMemo[PrimaryPanels] | None = None

    @property
    def leaving(self) -> bool:
        """True once the app was asked to exit (``q``, a signal, a config error)."""
        return self.return_code is not None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """No key starts anything once the app is leaving: a screen opened by a key typed just
        after ``q`` (``qp``, ``q/``) mounted after its children were gone, and the app ended
        with a traceback and exit code 1."""
        if self.leaving:
            return False
        return super().check_action(action, parameters)

    @property
    def row_memos(self) -> tuple[RowMemo[ComparisonRow], RowMemo[WatchRow]]:
        """The comparison and watchlist row memos (made on first use)."""
        if self._row_memos is None:
            self._row_memos = (RowMemo(), RowMemo())
        return self._row_memos

    @property
    def primary_memo(self) -> RowMemo[PrimaryPanels]:
        """The primary panels' memo (made on first use)."""
        if self._primary_memo is None:
            self._primary_memo = RowMemo()
        return self._primary_memo

    def notify(self, message: str, *, title: str = "", severity: SeverityLevel = "information",
               timeout: float | None = None, markup: bool = False) -> None:
        """A toast. Its text is never markup here: messages carry symbols, paths and upstream
        errors (``[/]`` in any of them crashed the app)."""
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)

    @property
    def runtime(self) -> Runtime:
        """The client, providers, cache and feed; built when first asked for, so the first
        frame paints before httpx, apscheduler and the providers are imported."""
        if self._runtime is None:
            from neodymium.providers.runtime import Runtime

            self._runtime = Runtime(self.settings, clock=self.clock, demo=self.options.demo,
                                    seed=self.options.seed, cache=self.cache)
        return self._runtime

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

    def redraw(self) -> None:
        """Rebuild the view from the latest snapshot and the clock (ages, countdowns)."""
        now = self.clock()
        self.view = build_screen(self.snapshot, self.settings, now, self.simulated,
                                 self.window, self._news_memo,
                                 next_polls=self.feed.next_polls() if self.feed else None,
                                 all_news=self.all_news, comparison_memo=self.row_memos[0],
                                 primary_memo=self.primary_memo)
        self._built_from = (self.snapshot, self.settings)
        self._drawn_second = _second(now)
        self._show_view()

    def tick_clock(self) -> None:
        """The 1 s clock: rebuild what time moves (ages, countdowns), not the whole view;
        nothing when a redraw already drew this second (a snapshot that came with it)."""
        built = self._built_from
        if self.view is None or built is None or built[0] is not self.snapshot \
                or built[1] is not self.settings:
            self.redraw()
            return
        now = self.clock()
        if _second(now) == self._drawn_second:
            return
        self.view = with_clock(self.view, self.snapshot, self.settings, now, self.simulated,
                               next_polls=self.feed.next_polls() if self.feed else None)
        self._drawn_second = _second(now)
        self._show_view()

    def _show_view(self) -> None:
        """Hand the view to the screens. A quote flash that has shown long enough ends here,
        in the frame the clock or a snapshot draws anyway (never in one of its own)."""
        assert self.view is not None
        watch = self.get_screen_of(WatchScreen)
        if watch is not None:
            watch.end_flash()
            watch.show(self.view)
        watchlist = build_watchlist(self.snapshot, self.settings, self.group, self.clock(),
                                    self.simulated, memo=self.row_memos[1])
        if watch is not None:
            watch.show_watchlist(watchlist)
        for screen in self.screen_stack:
            if is_book_screen(screen):
                screen.show(self.view.book)
            elif is_watchlist_screen(screen):
                screen.show(watchlist)

    def _symbol_to_add(self, text: str | None) -> str | None:
        """The canonical key of a typed symbol, or None (a bad one is reported, not added)."""
        if not text:
            return None
        try:
            return parse_symbol(text).key
        except SymbolError as exc:
            self.notify(str(exc), title="Not added", severity="error")
            return None

    def get_screen_of(self, kind: type[WatchScreen]) -> WatchScreen | None:
        """The first screen of a kind on the stack."""
        for screen in self.screen_stack:
            if isinstance(screen, kind):
                return screen
        return None

    def _save_edit(self, write: Callable[[Path, list[T]], None], items: list[T],
                   title: str, message: str | None = None) -> None:
        """Write an edit to the config file (or say it lasts this session), poll new symbols;
        the toast says ``message`` (default: "<title> updated") and where it was saved."""
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
        said = message if message is not None else f"{title} updated"
        self.notify(said + (f" · saved to {path}" if path else ""), title=title)


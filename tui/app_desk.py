"""The desk: charts, 分时, the book, search, the watchlist and its groups."""

from __future__ import annotations

import asyncio
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, TypeGuard, cast

from neodymium.config.loader import ConfigError
from neodymium.config.write_back import save_primary, update_watch_group, update_watchlist
from neodymium.providers.symbols import Market, Symbol, parse_symbol
from neodymium.tui import formatting as fmt
from neodymium.tui.app_core import (
    AppCore,
    _key_or_raw,
    is_book_screen,
    is_chart_screen,
    is_intraday_screen,
    is_loaded_instance,
    is_watchlist_screen,
)
from neodymium.tui.watchlist_view import (
    ALL_GROUP,
    build_watchlist,
    group_members,
    group_names,
    moved,
)

if TYPE_CHECKING:
    from neodymium.providers.intraday import Intraday
    from neodymium.providers.symbol_index import SymbolIndex
    from neodymium.tui.widgets.watchlist import WatchList


def is_watchlist(widget: object) -> TypeGuard[WatchList]:
    """True for a watchlist widget (its module is imported when the first one mounts)."""
    return is_loaded_instance(widget, "neodymium.tui.widgets.watchlist", "WatchList")


class DeskActions(AppCore):
    """The desk: charts, 分时, the book, search, the watchlist and its groups."""

    def action_charts(self) -> None:
        """The 分时 minute line for an A-share primary; the comparison charts otherwise."""
        primary = parse_symbol(self.settings.watch.primary)
        if primary.market is not Market.CN or self.runtime.client is None:
            self.action_comparison_charts()
            return
        if is_intraday_screen(self.screen) or is_chart_screen(self.screen):
            return
        from neodymium.tui.chart_view import volume_unit
        from neodymium.tui.screens.intraday import IntradayScreen  # plotext: on demand

        state = self.snapshot.quotes.get(primary.key) if self.snapshot else None
        name = (state.quote.name if state and state.quote.name else None) or primary.key
        in_hands = volume_unit(self.settings) == "手"  # as the daily chart counts
        self.push_screen(IntradayScreen(primary, name, self._fetch_intraday, self.clock,
                                        state.quote if state else None,
                                        self.settings.display.colors, self._fetch_days,
                                        hand=fmt.shares_per_hand(primary) if in_hands else None))

    async def _fetch_intraday(self, symbol: Symbol, now: datetime) -> Intraday:
        from neodymium.providers.intraday_source import fetch_intraday

        client = self.runtime.client
        assert client is not None and self.feed is not None
        return await fetch_intraday(self.settings, client, self.feed.providers, symbol, now)

    async def _fetch_days(self, symbol: Symbol, now: datetime) -> list[Intraday]:
        from neodymium.providers.intraday_source import fetch_intraday_days

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
        from neodymium.tui.screens.book import BookScreen

        if not is_book_screen(self.screen):
            self.push_screen(BookScreen(self.view.book if self.view else None))

    # -- search -------------------------------------------------------------------------------

    async def action_search(self) -> None:
        """Open search; the list loads on first use and is refreshed when a day old."""
        from neodymium.tui.screens.search import SearchScreen

        if isinstance(self.screen, SearchScreen):
            return
        index = await self.searchable_index()
        if not self.leaving:  # q while the list loaded
            self.push_screen(SearchScreen(index), self._searched)

    async def searchable_index(self) -> SymbolIndex:
        """The symbol list with the watched names (search and ``a`` look symbols up in it):
        loaded on first use, and refreshed in the background when a day old."""
        from neodymium.providers.symbol_list import load_index

        if self.symbol_index is None:
            loaded, self._index_due = await asyncio.to_thread(load_index, self.cache,
                                                               self.clock())
            self.symbol_index = loaded
        if self._index_due and not self.simulated and self.runtime.client is not None:
            self._index_due = False
            self.run_worker(self._refresh_index(), group="symbol-list")
        return self.symbol_index.with_names(self._watched_names())

    def _watched_names(self) -> list[tuple[str, str]]:
        """Each watched symbol with the name its quote gives (search finds them by pinyin even
        when the market list lacks them)."""
        quotes = self.snapshot.quotes if self.snapshot is not None else {}
        return [(key, state.quote.name) for key, state in quotes.items() if state.quote.name]

    async def _refresh_index(self) -> None:
        from neodymium.providers.symbol_list import refresh_index
        from neodymium.tui.screens.search import SearchScreen

        client = self.runtime.client
        assert client is not None
        options = self.settings.providers.get("eastmoney")
        try:
            self.symbol_index = await refresh_index(
                client, self.cache, options.base_url if options else None)
        except Exception as exc:  # any failure keeps the list in hand; say so once
            self.notify(f"symbol list not refreshed: {exc}", title="Search",
                        severity="warning")
            return
        if isinstance(self.screen, SearchScreen):  # still open: search the new list now
            self.screen.use_index(self.symbol_index.with_names(self._watched_names()))

    def _searched(self, key: str | None) -> None:
        if key:
            self.set_primary(key)

    # -- the watchlist ------------------------------------------------------------------------

    def action_watchlist(self) -> None:
        """Open the watchlist (kept at the left anyway on wide terminals)."""
        from neodymium.tui.screens.watchlist import WatchlistScreen

        if not is_watchlist_screen(self.screen):
            self.push_screen(WatchlistScreen(build_watchlist(
                self.snapshot, self.settings, self.group, self.clock(), self.simulated)))

    def action_group(self, step: int) -> None:
        """Show the next watchlist group."""
        names = group_names(self.settings)
        index = names.index(self.group) if self.group in names else 0
        self.group = names[(index + step) % len(names)]
        self.redraw()

    # The watchlist's messages are handled by name: its module is imported only when the
    # watch screen mounts the list, just after the first frame.
    def on_watch_list_selected(self, event: WatchList.Selected) -> None:
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

    def action_news_scope(self) -> None:
        """n: the news pane shows every headline, or again only the primary's and the sector's."""
        self.all_news = not self.all_news
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

    def on_watch_list_reorder(self, event: WatchList.Reorder) -> None:
        members = group_members(self.settings, self.group)
        keys = [_key_or_raw(raw) for raw in members]
        if event.symbol not in keys:
            return
        self._change_group(moved(members, keys.index(event.symbol), event.step),
                           f"Moved {event.symbol}")
        for watchlist in self.query("WatchList"):
            cast("WatchList", watchlist).move_cursor_to(event.symbol)

    def _watchlist_focused(self) -> bool:
        return is_watchlist(self.focused)

    def _add_to_group(self, text: str | None) -> None:
        key = self._symbol_to_add(text)
        if key is None:
            return
        members = group_members(self.settings, self.group)
        if key in {_key_or_raw(raw) for raw in members}:
            self.notify(f"{key} is already in {self.group}", title="Not added")
            return
        self._change_group([*members, key], f"Added {key} to {self.group}")

    def _remove_from_group(self) -> None:
        focused = self.focused
        key = focused.cursor_symbol() if is_watchlist(focused) else None
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
        group = self.group

        def write(path: Path, items: list[str]) -> None:
            if group == ALL_GROUP:
                update_watchlist(path, items, key="symbols")
            else:
                update_watch_group(path, group, items)

        self._save_edit(write, members, "Watchlist", message)
        self.redraw()


"""The comparison table's window, sort and list edits."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from neodymium.config.write_back import update_watchlist
from neodymium.tui.app_core import _key_or_raw
from neodymium.tui.app_desk import DeskActions
from neodymium.tui.comparison_view import TABLE_WINDOWS

if TYPE_CHECKING:
    from neodymium.tui.widgets.comparison_table import ComparisonTable


class ComparisonActions(DeskActions):
    """The comparison table's window, sort and list edits (``a``/``d`` edit the watchlist
    instead while it has focus, hence the desk's actions underneath)."""

    def action_window(self, step: int) -> None:
        """Show the next (or previous) return window in the comparison table."""
        index = TABLE_WINDOWS.index(self.window)
        self.set_window(TABLE_WINDOWS[(index + step) % len(TABLE_WINDOWS)])

    def set_window(self, window: str) -> None:
        """Show a given return window in the comparison table."""
        self.window = window
        self.redraw()

    def _comparison_tables(self) -> list[ComparisonTable]:
        """The comparison table, once the watch screen mounted it (just after the first
        frame: its module is imported then, not before)."""
        return [cast("ComparisonTable", table) for table in self.query("ComparisonTable")]

    def action_sort(self) -> None:
        """Cycle the comparison table's sort column."""
        for table in self._comparison_tables():
            table.next_sort()

    def sort_comparison(self, column: str) -> None:
        """Sort the comparison table by a column."""
        for table in self._comparison_tables():
            table.sort_by(column)

    async def action_add_symbol(self) -> None:
        """Ask for a symbol (by code, name, pinyin or initials, as ``/`` finds them) and add it
        to the watchlist group (when the watchlist has focus) or the comparison list."""
        from neodymium.tui.screens.search import SearchScreen

        if isinstance(self.screen, SearchScreen):
            return
        to_group = self._watchlist_focused()
        target = f"Add to {self.group}" if to_group else "Add to the comparison"
        index = await self.searchable_index()
        if self.leaving:  # q while the list loaded
            return
        screen = SearchScreen(index, tickers=True,
                              heading=f"{target} · code, 名称, pinyin, initials, ticker")
        self.push_screen(screen, self._add_to_group if to_group else self.add_symbol)

    def add_symbol(self, text: str | None) -> None:
        """Add a symbol to ``[watch].compare`` (reported, not added, when it is not one)."""
        key = self._symbol_to_add(text)
        if key is None:
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
        tables = self._comparison_tables()  # none until just after the first frame
        key = tables[0].cursor_symbol() if tables else None
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
        self._save_edit(lambda path, items: update_watchlist(path, items, key="compare"),
                        compare, "Comparison list", message)
        self.redraw()


"""The main screen: status bar, quote panel, range gauge, valuation, comparison, news."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar, cast

from neodymium.tui.comparison_view import comparison_note
from neodymium.tui.dirty_compositor import install as install_compositor
from neodymium.tui.formatting import Convention
from neodymium.tui.view import ScreenView
from neodymium.tui.watchlist_view import WatchListView
from neodymium.tui.widgets.cells import TitledBox
from neodymium.tui.widgets.quote_panel import QuotePanel
from neodymium.tui.widgets.range_gauge import LEGEND, RangeGauge
from neodymium.tui.widgets.status_bar import StatusBar
from neodymium.tui.widgets.valuation import ValuationPanel
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.css.query import NoMatches
from textual.events import Resize, ScreenResume
from textual.markup import escape
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer

if TYPE_CHECKING:
    from neodymium.tui.widgets.book_panel import BookPanel
    from neodymium.tui.widgets.comparison_table import ComparisonTable
    from neodymium.tui.widgets.news_pane import NewsPane
    from neodymium.tui.widgets.watchlist import WatchList

W = TypeVar("W", bound=Widget)

#: The rules of the panels this screen mounts after its first frame (table, book, watchlist,
#: news): read when they mount here, or by the screens that show them too (book, watchlist)
#: when the first of those opens.
PANELS_CSS = Path(__file__).resolve().parent.parent / "styles" / "panels.tcss"


class Slot(Widget):
    """A blank that holds a panel's place, at its height, until the panel arrives."""

    def render(self) -> str:
        return ""


class WatchScreen(Screen[None]):
    """Lays out the panels; ``show`` hands each its slice of the view."""

    #: Start on the comparison table, as before the watchlist (Tab or a click reaches it):
    #: focused just after the first frame (see _focus_first), not by Textual's auto-focus,
    #: which restyled the table's columns and the focused panels (~45 nodes) before it.
    AUTO_FOCUS = ""
    FIRST_FOCUS = "#comparison"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (80, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (32, "-tall")]
    #: Columns the main panels need for the 五档 panel beside the quote (narrower: on k).
    BOOK_MIN_WIDTH = 110
    #: Columns from which the watchlist sits at the left (narrower: on l), and its width.
    WATCH_MIN_WIDTH = 100
    WATCH_WIDTH = 34

    def __init__(self, colors: Convention = "cn") -> None:
        super().__init__()
        install_compositor(self)  # render only what changed: see tui/dirty_compositor.py
        self.up_down = colors
        self._pending: ScreenView | None = None
        self._shown: ScreenView | None = None
        self._watchlist: WatchListView | None = None
        #: The table, book, watchlist and news are mounted just after the first frame (see
        #: complete).
        self._completion: asyncio.Task[None] | None = None
        self._complete = False
        self._parts: dict[str, Widget] = {}
        self._resumed = False

    def compose(self) -> ComposeResult:
        # Classes before the panels: one styling pass, not two.
        self._preset_breakpoints()
        self._fit(self.app.size.width)
        yield StatusBar(id="status")
        with Horizontal(id="desk"):
            with Vertical(id="watch-box", classes="panel") as box:
                box.border_title = "Watchlist"
            with Vertical(id="main"):
                yield from self._main()
        yield Slot(id="footer-slot", classes="slot")

    async def complete(self) -> None:
        """Mount what the first frame left out, once (a second call waits for the first).
        The app calls it before it imports and opens its runtime, which blocks the loop for
        a while: left to this screen's own callback, the panels came after all that."""
        if self._completion is None:
            self._completion = asyncio.create_task(self._mount_after_first_frame())
        await self._completion

    async def _mount_after_first_frame(self) -> None:
        """The panels' contents the first frame left out (the comparison table, the book,
        the watchlist, the news), into boxes it already showed at their final size: each
        replaces a blank slot of its height, or fills its box, so the layout does not move.
        The footer, whose keys Textual adds only after it mounts (the first frame showed
        its bar empty), replaces a slot of its row and colour: its rules and styling were
        about 2% of the work before the first frame.
        Composing, styling and painting them delayed the first frame, which now shows the
        cached quote sooner, and so did importing their modules, which now happens here.
        All arrive in one frame, already showing the view."""
        from neodymium.tui.widgets.book_panel import BookPanel
        from neodymium.tui.widgets.comparison_table import ComparisonTable
        from neodymium.tui.widgets.news_pane import NewsPane
        from neodymium.tui.widgets.watchlist import WatchList

        self._read_panels_css()
        table = ComparisonTable(id="comparison", colors=self.up_down)
        for slot in self._found(Widget, "#compare-slot"):  # the height it held: see
            table.styles.height = slot.styles.height       # _size_comparison
        later = (("#compare-box", table), ("#book-box", BookPanel(id="book")),
                 ("#watch-box", WatchList(id="watchlist")),
                 ("#news-box", NewsPane(id="news")))
        with self.app.batch_update():
            for box_id, widget in later:
                boxes = self.query(box_id) if self.is_attached else None
                if not boxes or not boxes.first().is_attached:  # the app quit before this
                    return
                await boxes.first().mount(widget)
            await self.mount(Footer())
            await self.query(".slot").remove()
            self._complete = True
            if self._shown is not None:
                view, self._shown = self._shown, None
                self.show(view)
            if self._watchlist is not None:
                self.show_watchlist(self._watchlist)
        self._focus_first()

    def _read_panels_css(self) -> None:
        """Add the later panels' rules (styles/panels.tcss) to the app's stylesheet before
        they mount, unless the book or watchlist screen read them already. Parsing them
        before the first frame, with app.tcss, cost a quarter of its parse for rules that
        match nothing there. The mount styles only the new panels, so nothing else is
        restyled; a later reparse (theme, other screens) keeps the file, as it keeps
        every source read."""
        stylesheet = self.app.stylesheet
        if not stylesheet.has_source(str(PANELS_CSS)):
            stylesheet.read(PANELS_CSS)
            stylesheet.parse()

    def _hold(self, view: ScreenView) -> None:
        """Before the book arrives, title its box as the book will."""
        if view.book is not None:
            for box in self._found(TitledBox, "#book-box"):
                box.set_titles(view.book.title, view.book.summary)

    def _size_comparison(self, rows: int) -> None:
        """The comparison's height: its header and rows (capped by the CSS's max-height), set
        here rather than left to the table's own ``height: auto``, so that its slot before
        the table arrives, and the table in the frame it arrives (before it has laid out its
        rows), have the height it will have: the news below does not move."""
        for part in self._found(Widget, "#comparison" if self._complete else "#compare-slot"):
            if part.styles.height is None or part.styles.height.cells != rows + 1:
                part.styles.height = rows + 1

    def _focus_first(self) -> None:
        """Focus the comparison table when nothing has focus (as Textual's auto-focus would)."""
        if self.focused is not None or not self.app.app_focus:
            return
        for widget in self.query(self.FIRST_FOCUS):
            if widget.focusable:
                widget.focus(scroll_visible=False)
                return

    def _main(self) -> ComposeResult:
        with Horizontal(id="top"):
            with Vertical(id="quote-box", classes="panel") as box:
                box.border_title = "Quote"
                yield QuotePanel(id="quote")
            with Vertical(id="range-box", classes="panel") as box:
                box.border_title = "52-week range · valuation"
                yield RangeGauge(id="gauge")
                yield ValuationPanel(id="valuation")
            with TitledBox(id="book-box", classes="panel"):
                yield Slot(id="book-slot", classes="slot")
        with Vertical(id="compare-box", classes="panel"):
            yield Slot(id="compare-slot", classes="slot")
        with Vertical(id="news-box", classes="panel") as box:
            box.border_title = "News & announcements"

    def on_resize(self, event: Resize) -> None:
        """Show the watchlist and the book beside the quote only when there is room; the next
        redraw hands every part on again (the news cells and table columns follow the width)."""
        self._fit(event.size.width)
        self._shown = None

    def _preset_breakpoints(self) -> None:
        """The breakpoint classes Textual gives the screen on its first resize, set already:
        that resize then changes no class, so it does not restyle every panel again."""
        width, height = self.app.size
        classes: dict[str, bool] = {}
        for size, points in ((width, self.HORIZONTAL_BREAKPOINTS),
                             (height, self.VERTICAL_BREAKPOINTS)):
            fitting = [point for point in points if size >= point[0]]
            chosen = max(fitting)[1] if fitting else None
            classes.update({name: name == chosen for _, name in points})
        self.update_classes(classes, animate=False)

    def _fit(self, width: int) -> None:
        with_watch = width >= self.WATCH_MIN_WIDTH
        self.set_class(with_watch, "-with-watch")
        main = width - (self.WATCH_WIDTH if with_watch else 0)
        self.set_class(main >= self.BOOK_MIN_WIDTH, "-with-book")

    def show_watchlist(self, view: WatchListView) -> None:
        """Hand the watchlist its rows (only changed lines repaint; kept for on_mount)."""
        self._watchlist = view
        # Looked up once: a DOM query on each tick cost about 4 ms with the list mounted.
        for watchlist in self._found(Widget, "#watchlist") if self._complete else []:
            cast("WatchList", watchlist).show(view)
        for box in self._found(Widget, "#watch-box"):  # titled in the first frame, before the list
            title = escape(f"{view.group} ({len(view.rows)})")  # a group name is text
            subtitle = "g group · Enter open" if len(view.groups) > 1 else "Enter open"
            if box.border_title != title:  # set only when changed: each set repaints the box
                box.border_title = title
            if box.border_subtitle != subtitle:
                box.border_subtitle = subtitle

    def on_screen_resume(self, event: ScreenResume) -> None:
        """The first resume comes just after the mount, which styled every panel for this
        screen's classes already: Textual's second pass over all of them (about 50 nodes)
        is left out, and the first frame comes sooner. Later resumes (back from a modal,
        perhaps in another theme) restyle as usual."""
        if not self._resumed:
            self._resumed = True
            event.refresh_styles = False
        elif self._complete:
            self._focus_first()

    def on_mount(self) -> None:
        """Apply a view that arrived before the panels existed; mount the rest once the
        first frame is on the screen."""
        self.call_after_refresh(self.complete)
        self._fit(self.app.size.width)
        if self._pending is not None:
            view, self._pending = self._pending, None
            self.show(view)
        if self._watchlist is not None:
            self.show_watchlist(self._watchlist)

    def show(self, view: ScreenView) -> None:
        """Hand each widget its part of the view (kept for on_mount if not composed yet)."""
        if not self._parts and not self.query(QuotePanel):
            self._pending = view
            return
        try:
            self._show(view)
        except NoMatches:  # the screen is being torn down while a redraw was queued
            return

    def end_flash(self) -> None:
        """End the quote panel's tick flash once it has shown long enough (on each redraw)."""
        for panel in self._found(QuotePanel):
            panel.end_flash()

    def _part(self, kind: type[W], selector: str | None = None) -> W:
        """The screen's widget of ``kind`` (or at ``selector``), looked up once: the panels
        live as long as the screen, and a DOM query on every redraw cost more than the
        redraw's own work."""
        key = selector or kind.__name__
        part = self._parts.get(key)
        if part is None or not part.is_attached:
            part = self.query_one(selector, kind) if selector else self.query_one(kind)
            self._parts[key] = part
        return cast(W, part)

    def _found(self, kind: type[W], selector: str | None = None) -> list[W]:
        """``_part`` as a list: empty while the screen is not composed or is torn down."""
        try:
            return [self._part(kind, selector)]
        except NoMatches:
            return []

    def _show(self, view: ScreenView) -> None:
        """Each widget gets its part; a part equal to the one shown last is not handed on."""
        shown, self._shown = self._shown, view
        self._part(StatusBar).view = view.header
        self._part(QuotePanel).view = view.quote
        self._part(RangeGauge).view = view.gauge
        self._part(ValuationPanel).view = view.valuation
        if self._complete:
            cast("BookPanel", self._part(Widget, "#book")).view = view.book
        range_box = self._part(Widget, "#range-box")
        legend = LEGEND if view.gauge.last is not None else ""
        if range_box.border_subtitle != legend:  # set only when changed: each set repaints
            range_box.border_subtitle = legend
        if not self._complete:
            self._hold(view)
        elif shown is None or (shown.comparison, shown.window) != (view.comparison, view.window):
            cast("ComparisonTable", self._part(Widget, "#comparison")).show(view.comparison,
                                                                            view.window)
        if shown is None or (shown.comparison, shown.window) != (view.comparison, view.window):
            self._size_comparison(len(view.comparison))
            box = self._part(Widget, "#compare-box")
            title = f"vs ETFs · {view.window} return, spread in points · w/W window · o sort"
            note = comparison_note(view.comparison)
            if box.border_title != title:  # set only when changed: each set repaints the box
                box.border_title = title
            if box.border_subtitle != note:
                box.border_subtitle = note
        if self._complete and (shown is None or (shown.news, shown.news_status)
                               != (view.news, view.news_status)):
            cast("NewsPane", self._part(Widget, "#news")).show(view.news, view.news_status)
        news_box = self._part(Widget, "#news-box")
        if news_box.border_title != view.news_title:  # set only when changed: each set repaints
            news_box.border_title = view.news_title

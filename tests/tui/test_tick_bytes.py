"""Bytes a tick sends grow with the values that changed, not with the rows on screen.

Exact counts (RepaintCounter) on a frozen clock and the seeded demo, at 160x48. Each tick hands
the feed a batch as a poll would (``Feed.apply_quotes``), so the test chooses what changed: one
watchlist symbol, the primary, or nothing at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import timedelta
from types import MappingProxyType

import pytest
from neodymium.config.settings import Settings
from neodymium.providers.clock import FrozenClock
from neodymium.providers.demo.universe import a_share_watchlist
from neodymium.providers.models import Quote, QuoteBatch
from neodymium.providers.symbols import parse_symbol
from neodymium.tui.app import AppOptions, NeodymiumApp
from neodymium.tui.widgets.book_panel import BookPanel
from neodymium.tui.widgets.cell_column import CellColumn
from neodymium.tui.widgets.comparison_table import ComparisonTable
from neodymium.tui.widgets.watchlist import WatchList

from benchmarks.repaint_bytes import RepaintCounter
from tests.tui.conftest import FROZEN
from tests.tui.terminal_model import Terminal
from tests.tui.test_repaint_bytes import SIZE, _settled

PRIMARY = "600111.SS"
#: A watchlist and comparison symbol listed in the same place with 6 and with 60 symbols.
ONE = "516780.SS"
#: A cursor move followed by nothing to draw: Textual's own partial update sends one where a span
#: ends exactly at the next widget's edge (the watchlist's scrollbar, shown only when the rows
#: scroll, is one); the screens' compositor (tui/dirty_compositor.py) leaves them out.
EMPTY_MOVE = re.compile(r"\x1b\[\d+;\d+H(?=\x1b\[\d+;\d+H|\n|$)")
#: One changed quote: the changed characters of its watchlist row's quote cell (last and
#: change %) and of its comparison row's moving cells (last, day, the window's return and
#: spread), each colour sent as a change from the one before. Measured 130 B at 160x48 with 6
#: and with 60 symbols (tui/screen_shadow.py, tui/sgr_delta.py); 100 B before the demo's open
#: gap changed the figures (this tick now moves 1M and the spread by two more digits each, and
#: β60's last digit). It was 167 B while each moving
#: cell was sent up to its last change with its whole style, 263 B while each comparison cell
#: was sent from its own column's edge with its own colour code, and 1,163 B while each table
#: resent a changed row from the table's left edge.
ONE_QUOTE_BYTES = 140
#: The comparison columns a quote changes (the window is 1M), drawn by one widget.
QUOTE_COLUMNS = ("last", "day", "return:1M", "spread:1M")
#: The primary's snapshot: the changed characters of the big decimals, the change and the
#: quote's time, the day's changed fields, valuation, the book's changed prices and sizes,
#: 委比/委差 on the book's border row, and the primary's watchlist and comparison rows.
#: Measured 1,012 B at 160x48 in truecolour; 1,039 on 02acd83, while both big decimals were
#: tinted and resent whichever moved (1,082 recorded earlier). It was 2,087 B while each
#: changed value was sent whole with its whole style (the book ~1,150 of it: 20 values move
#: when the price does), 2,207 while the compositor sent Textual's empty cursor moves, 6,153 B
#: while the panels resent each changed line from their left edges, and up to 11 KB in 256
#: colours before they repainted only changed cells.
PRIMARY_BYTES = 1150


@pytest.fixture(autouse=True)
def _terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """The benchmark's terminal (bench_pty): the byte counts depend on the colour system."""
    monkeypatch.setenv("TERM", "xterm-256color")
    monkeypatch.setenv("COLORTERM", "truecolor")
    monkeypatch.delenv("NO_COLOR", raising=False)


def watching(count: int) -> Settings:
    """The demo polling every second with ``count`` symbols in the watchlist and comparison
    (the defaults first, then A-shares of the demo's universe, as benchmarks/bench_pty does)."""
    compare = a_share_watchlist([PRIMARY, *Settings().watch.compare], count)[1:]
    return Settings.model_validate({
        "quotes": {"providers": ["demo"], "interval": 1.0},
        "watch": {"primary": PRIMARY, "symbols": [PRIMARY, *compare], "compare": compare},
    }).demo()


def later_quote(app: NeodymiumApp, key: str) -> Quote:
    """``key``'s demo quote a little later, with a different last price, stamped now."""
    demo = app.feed.providers["demo"]
    held = app.snapshot.quotes[key].quote
    for seconds in range(3, 300, 3):
        quote = demo.quote_at(parse_symbol(key), app.clock() + timedelta(seconds=seconds))
        if quote.last != held.last:
            return replace(quote, as_of=app.clock())
    raise AssertionError(f"{key} never moved")


def batch(*quotes: Quote) -> QuoteBatch:
    return QuoteBatch(quotes=MappingProxyType({q.symbol: q for q in quotes}),
                      errors=MappingProxyType({}))


@dataclass
class Tick:
    """What one tick painted, and what was on screen."""

    frames: list[int]
    texts: list[str]
    watch_rows: int
    compare_rows: int
    book_summary: str
    #: Where the changed symbol's moving cells start on screen (row, column; 1-based as a
    #: cursor move), and their text less the gap after them, before and after the tick: the
    #: watchlist's quote cell ("quote") and the comparison's QUOTE_COLUMNS ("compare").
    cells: dict[str, tuple[int, int, str, str]]
    #: The comparison's moving cells of the changed row: (text, style) per column.
    parts: tuple[tuple[str, str], ...]
    #: Symbols the snapshot holds a last price for, and those it holds an error for.
    priced: int
    errors: dict[str, str]


async def _quiet(app: NeodymiumApp, pilot) -> None:
    """Wait until nothing is painted over three pauses in a row (a loaded machine can leave a
    late frame of the start-up that would be counted as the tick's)."""
    counter = RepaintCounter(app)
    quiet = 0
    for _ in range(100):
        counter.reset()
        await pilot.pause()
        quiet = quiet + 1 if not counter.frames else 0
        if quiet == 3:
            break
    counter.close()


async def tick_bytes(count: int, change: str | None) -> Tick:
    """Frames painted when, a second after start-up (the clock's cells already repainted),
    the feed brings a new quote for ``change`` (None: the quotes it holds of every other
    symbol, unchanged)."""
    clock = FrozenClock(FROZEN)
    app = NeodymiumApp(watching(count), options=AppOptions(demo=True, seed=7), clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await _settled(app, pilot)
        clock.advance(1)
        app.tick_clock()
        await _quiet(app, pilot)
        if change is None:
            quotes = [state.quote for key, state in app.snapshot.quotes.items()
                      if key != PRIMARY]  # the primary's would restart its age: news
        else:
            quotes = [later_quote(app, change)]
        watchlist = app.screen.query_one(WatchList)
        table = app.screen.query_one(ComparisonTable)
        before = _moving_cells(watchlist, table, change)
        counter = RepaintCounter(app, keep=True)
        await app.feed.apply_quotes(batch(*quotes))
        await pilot.pause()
        await pilot.pause()
        counter.close()
        book = app.screen.query_one(BookPanel).view
        after = _moving_cells(watchlist, table, change)
        cells = {key: (*after[key][:3], before[key][2]) for key in after}
        parts: tuple[tuple[str, str], ...] = ()
        if change is not None:
            row = [r.symbol for r in table.rows_shown].index(change)
            parts = table.column_widget("last").cells[row].parts
        snapshot = app.snapshot
        priced = sum(1 for state in snapshot.quotes.values() if state.quote.last is not None)
        return Tick(counter.frames, counter.texts, len(watchlist.rows), table.row_count,
                    book.summary if book else "", cells, parts, priced,
                    dict(snapshot.symbol_errors))


def _moving_cells(watchlist: WatchList, table: ComparisonTable,
                  symbol: str | None) -> dict[str, tuple[int, int, str]]:
    """Where ``symbol``'s watchlist quote cell and comparison moving cells are on screen
    (1-based) and their text less the gap after them."""
    if symbol is None:
        return {}
    quote = next(c for c in watchlist.query(CellColumn) if c.name == "quote")
    row = [r.symbol for r in table.rows_shown].index(symbol)
    widget = table.column_widget(QUOTE_COLUMNS[0])
    assert all(table.column_widget(key) is widget for key in QUOTE_COLUMNS)
    return {"quote": _cell_at(quote, [r.symbol for r in watchlist.rows].index(symbol)),
            "compare": _cell_at(widget, row, table.column_offset(QUOTE_COLUMNS[0]))}


def _cell_at(column: CellColumn, row: int, offset: int = 0) -> tuple[int, int, str]:
    """Where a column's cell is on screen (1-based) and its text less the gap after it."""
    region = column.region
    text = column.cells[row].text
    return region.y + row + 1, region.x + offset + 1, text[offset:len(text) - column.gap]


async def test_one_changed_quote_costs_the_same_with_6_and_60_symbols() -> None:
    six, sixty = [await tick_bytes(count, ONE) for count in (6, 60)]
    assert (six.watch_rows, six.compare_rows) == (6, 6)
    assert (sixty.watch_rows, sixty.compare_rows) == (60, 60)
    # Every row is a moving price the demo simulates, none an error row.
    assert (six.priced, six.errors, sixty.priced, sixty.errors) == (6, {}, 60, {})
    # 54 more rows (and the scrollbars they bring) cost nothing: the same cells, to the byte
    # (so the watchlist's scrollbar does not cut the row's change % either).
    assert six.texts == sixty.texts
    assert not any(EMPTY_MOVE.search(text) for text in sixty.texts)
    assert 0 < sum(sixty.frames) <= ONE_QUOTE_BYTES, sixty


async def test_a_quote_sends_its_changed_characters_and_the_screen_shows_the_new_values() -> None:
    tick = await tick_bytes(6, ONE)
    sent = "".join(tick.texts)
    written = Terminal(*SIZE)
    written.feed(sent)
    shown = Terminal(*SIZE)
    for y, x, _, old in tick.cells.values():
        shown.feed(f"\x1b[{y};{x}H{old}")
    shown.feed(sent)
    for y, x, text, old in tick.cells.values():
        assert len(text) == len(old) and text != old
        # The terminal that showed the old values shows the new ones...
        assert "".join(cell[0] for cell in shown.rows()[y - 1][x - 1:x - 1 + len(text)]) == text
        # ...and of each moving cell only its first to its last changed character was sent.
        changed = [x - 1 + i for i, (a, b) in enumerate(zip(text, old, strict=True)) if a != b]
        columns = [column for column, row in written.cells
                   if row == y - 1 and x - 1 <= column < x - 1 + len(text)]
        assert set(changed) <= set(columns)
        assert (min(columns), max(columns)) == (changed[0], changed[-1]), (text, old)
    # The colours are reset once, at the end.
    assert sent.count("\x1b[0m") == 1 and sent.endswith("\x1b[0m")


async def test_a_poll_that_brings_nothing_new_sends_nothing() -> None:
    for count in (6, 60):
        tick = await tick_bytes(count, None)
        assert tick.frames == [], count


async def test_the_primary_repaints_only_its_changed_cells() -> None:
    tick = await tick_bytes(60, PRIMARY)
    assert (tick.priced, tick.errors) == (60, {})
    assert tick.book_summary  # 委比/委差 shown on the book's border
    assert 0 < sum(tick.frames) <= PRIMARY_BYTES, tick
    # Values are sent from their own column's edge: the labels beside them are not resent.
    drawn = "".join(tick.texts)
    assert not [label for label in ("Ask5", "Bid1", "Volume", "Outside", "P/E TTM", "Mkt cap")
                if label in drawn]

"""The 五档 panel and the day's statistics: beside the quote when wide, on k when narrow,
in Chinese when [display].labels = "zh"."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from zoneinfo import ZoneInfo

from neodymium.providers.models import BookLevel, OrderBook, Quote
from neodymium.providers.store import Store
from neodymium.providers.symbols import parse_symbol
from neodymium.tui.book_view import build_book, fmt_size, stats_rows
from neodymium.tui.screens.book import BookScreen
from neodymium.tui.widgets.book_panel import BookPanel
from neodymium.tui.widgets.cells import TitledBox
from neodymium.tui.widgets.valuation import ValuationPanel
from textual.app import App, ComposeResult
from textual.strip import Strip

from tests.tui.conftest import demo_settings, make_app

SHANGHAI = ZoneInfo("Asia/Shanghai")
AT = datetime(2026, 8, 21, 15, 0, 3, tzinfo=SHANGHAI)
BOOK = OrderBook(bids=(BookLevel(50.45, 35200), BookLevel(50.44, 18800)),
                 asks=(BookLevel(50.46, 12800),))


def snapshot_with(quote: Quote, *, from_cache: bool = False):
    store = Store()
    store.put_quote(quote, AT, from_cache=from_cache)
    return store.snapshot(AT, {})


def quote(**values: object) -> Quote:
    return Quote("600111.SS", AT, "tencent", last=50.46, prev_close=49.88, book=BOOK,
                 **values)  # type: ignore[arg-type]


def test_book_view_sizes_in_lots_colours_and_wei_bi() -> None:
    view = build_book(snapshot_with(quote()), demo_settings())

    assert [row.label for row in view.asks] == ["Ask5", "Ask4", "Ask3", "Ask2", "Ask1"]
    assert (view.asks[-1].price, view.asks[-1].size) == ("50.46", "128")
    assert (view.bids[0].price, view.bids[0].size, view.bids[0].style) == ("50.45", "352", "red")
    assert view.asks[0].price == "—"  # a side with fewer than five levels is padded, not faked
    assert view.summary == "Imbal. +61.68%  Net +412"
    assert not view.empty


def test_book_view_in_chinese_and_in_shares_with_intl_units() -> None:
    zh = build_book(snapshot_with(quote()), demo_settings(labels="zh"))
    assert zh.title == "五档" and zh.bids[0].label == "买1" and zh.asks[-1].label == "卖1"
    assert zh.summary.startswith("委比 +61.68%  委差 ")
    assert fmt_size(35200, "intl") == "35,200"


def test_a_cached_quote_shows_no_book() -> None:
    view = build_book(snapshot_with(quote(), from_cache=True), demo_settings())
    assert view.empty and view.summary == "no book"
    assert {row.price for row in view.bids} == {"—"}


def test_statistics_rows_labelled_in_either_language() -> None:
    q = quote(turnover_rate=3.42, volume_ratio=1.08, amplitude=3.21, pb=7.25,
              float_market_cap=1823.85e8, avg_price=50.3)
    symbol = parse_symbol("600111.SS")
    english = dict(stats_rows(q, symbol, demo_settings()))
    chinese = dict(stats_rows(q, symbol, demo_settings(labels="zh")))
    assert english == {"P/B": "7.25", "Float cap": "1823.85亿元", "Turnover": "3.42%",
                       "Vol ratio": "1.08", "Amplitude": "3.21%", "Avg price": "50.30"}
    assert list(chinese) == ["市净率", "流通市值", "换手率", "量比", "振幅", "均价"]
    assert dict(stats_rows(None, symbol, demo_settings()))["P/B"] == "—"


async def test_book_beside_the_quote_when_wide() -> None:
    app = make_app()
    async with app.run_test(size=(160, 40)) as pilot:  # watchlist, quote, range and book
        await app.data_ready.wait()
        await pilot.pause()
        box = app.screen.query_one("#book-box")
        assert box.display and box.region.width > 0
        panel = app.screen.query_one(BookPanel)
        assert panel.view is not None and not panel.view.empty
        assert box.border_subtitle.startswith("Imbal.")
        rows = dict(app.screen.query_one(ValuationPanel).view.rows)
        assert rows["Turnover"].endswith("%") and rows["P/B"] != "—"


async def test_book_on_k_when_narrow_and_in_chinese() -> None:
    app = make_app(labels="zh")
    async with app.run_test(size=(80, 24)) as pilot:
        await app.data_ready.wait()
        await pilot.pause()
        assert app.screen.query_one("#book-box").region.width == 0
        await pilot.press("k")
        await pilot.pause()
        assert isinstance(app.screen, BookScreen)
        view = app.screen.query_one(BookPanel).view
        assert view is not None and view.title == "五档" and view.bids[0].label == "买1"
        await pilot.press("k")
        assert not isinstance(app.screen, BookScreen)


async def test_quote_json_carries_book_and_statistics(capsys) -> None:
    import json

    from neodymium.providers.clock import FrozenClock
    from neodymium.tui.oneshot import run_quote

    from tests.tui.conftest import FROZEN

    code = await run_quote(demo_settings(), ["600111.SS", "REMX"], as_json=True, timeout=10,
                           seed=7, clock=FrozenClock(FROZEN))
    assert code == 0
    records = {q["symbol"]: q for q in json.loads(capsys.readouterr().out)["quotes"]}
    book = records["600111.SS"]["book"]
    assert len(book["bids"]) == 5 and len(book["asks"]) == 5
    assert book["bids"][0]["price"] < book["asks"][0]["price"]
    assert book["bids"][0]["volume"] % 100 == 0  # shares, whole lots
    for key in ("turnover_rate", "volume_ratio", "amplitude", "pb", "float_market_cap",
                "avg_price", "inside_volume", "outside_volume"):
        assert records["600111.SS"][key] is not None
        assert records["REMX"][key] is None  # not sent for a US fund
    assert records["REMX"]["book"] is None


class Book(App[None]):
    """The 五档 panel in its titled box, as wide as beside the quote at 160 columns."""

    CSS = "TitledBox { width: 32; height: 12; border: round $primary; } BookPanel { height: 10; }"

    def compose(self) -> ComposeResult:
        with TitledBox():
            yield BookPanel()


async def test_a_book_renders_only_the_levels_that_changed() -> None:
    settings = demo_settings()
    app = Book()
    async with app.run_test(size=(40, 14)) as pilot:
        panel = app.query_one(BookPanel)
        panel.view = build_book(snapshot_with(quote(volume=1000.0)), settings)
        await pilot.pause()
        rendered: list[list[str]] = []
        draw = panel._strips_of

        def counting(renderable: object) -> list[Strip]:
            rendered.append([line.split() for line in str(renderable).split("\n")])
            return draw(renderable)  # type: ignore[arg-type]

        panel._strips_of = counting  # type: ignore[method-assign]
        # Another quote (a new volume), the same levels: the book renders nothing.
        panel.view = build_book(snapshot_with(quote(volume=2000.0)), settings)
        assert rendered == []
        before = [panel.render_line(y) for y in range(panel.size.height)]
        moved = OrderBook(bids=(BookLevel(50.45, 35300), *BOOK.bids[1:]), asks=BOOK.asks)
        panel.view = build_book(snapshot_with(replace(quote(), book=moved)), settings)
        # One size moved by digits alone: its line is its old drawing with new digits.
        assert rendered == []
        after = [panel.render_line(y) for y in range(panel.size.height)]
        changed = [y for y, (old, new) in enumerate(zip(before, after, strict=True))
                   if old != new]
        assert [after[y].text.split() for y in changed] == [["Bid1", "50.45", "353"]]
        panel.refresh()  # a whole drawing shows the same
        assert [panel.render_line(y) for y in range(panel.size.height)] == after
        rendered.clear()
        longer = OrderBook(bids=(BookLevel(50.45, 1035300), *BOOK.bids[1:]), asks=BOOK.asks)
        panel.view = build_book(snapshot_with(replace(quote(), book=longer)), settings)
        assert len(rendered) == 1  # wider: rendered again, from Ask1 (the column realigns)
        assert ["Bid1", "50.45", "10,353"] in rendered[0] and len(rendered[0]) < 10

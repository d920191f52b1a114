"""The news pane follows the primary: its headlines plus the sector's, or all of them on n."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from neodymium.providers.models import NewsItem
from neodymium.providers.symbols import parse_symbol
from neodymium.tui.news_view import NewsFilter, news_for
from neodymium.tui.widgets.news_pane import NewsPane
from neodymium.tui.widgets.watchlist import WatchList

from tests.tui.test_watchlist import desk_app, ready, settle

NOON = datetime(2026, 8, 21, 4, tzinfo=UTC)
PRIMARY, ETF = parse_symbol("600111.SS"), parse_symbol("159713.SZ")
NAMES = {"600111.SS": "北方稀土", "159713.SZ": "稀土ETF富国"}


def item(ident: str, title: str, *symbols: str) -> NewsItem:
    return NewsItem(id=ident, title=title, source="test", published=NOON, symbols=symbols)


ITEMS = (
    item("tagged", "Interim report", "600111.SS"),
    item("named", "两融数据：北方稀土融资余额连续增加"),
    item("coded", "sh600111 盘中异动"),
    item("sector", "氧化镨钕报价走高，磁材企业积极补库"),
    item("etf", "稀土ETF份额创新高", "159713.SZ"),
    item("etf-named", "稀土ETF富国获净申购"),
)


def shown(primary=PRIMARY, everything: bool = False) -> list[str]:
    scope = NewsFilter(primary, (PRIMARY, ETF), NAMES, everything)
    return [news.id for news in news_for(ITEMS, scope)]


def test_primary_scope_keeps_its_news_and_the_sectors_not_other_symbols() -> None:
    assert shown() == ["tagged", "named", "coded", "sector"]
    assert shown(ETF) == ["sector", "etf", "etf-named"]
    assert shown(everything=True) == [news.id for news in ITEMS]


def test_a_primary_off_the_watchlist_still_finds_its_name() -> None:
    other = parse_symbol("600392.SS")
    scope = NewsFilter(other, (PRIMARY, ETF), {**NAMES, "600392.SS": "盛和资源"})
    extra = (*ITEMS, item("shenghe", "盛和资源：海外矿山投产"))
    assert [news.id for news in news_for(extra, scope)] == ["sector", "shenghe"]


def pane_titles(app) -> list[str]:
    pane = app.screen.query_one(NewsPane)
    return [line.title for line in pane.lines.values()]


async def test_switching_the_primary_changes_the_headlines_and_n_shows_all(
        tmp_path: Path) -> None:
    app = desk_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        before = pane_titles(app)
        assert any("600111" in title for title in before)
        assert not any("159713" in title for title in before)
        box = app.screen.query_one("#news-box")
        assert "600111" in str(box.border_title)

        app.screen.query_one(WatchList).focus()
        await pilot.press("down", "down", "enter")  # 159713.SZ
        await settle(app, pilot)
        after = pane_titles(app)
        assert app.settings.watch.primary == "159713.SZ"
        assert any("159713" in title for title in after)
        assert not any("600111" in title or "北方稀土" in title for title in after)
        assert "159713" in str(box.border_title)

        await pilot.press("n")
        await pilot.pause()
        everything = pane_titles(app)
        assert any("600111" in title for title in everything)
        assert any("159713" in title for title in everything)
        assert len(everything) > len(after)

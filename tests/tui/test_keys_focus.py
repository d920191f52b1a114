"""Keys and focus: Tab into the news, focus borders, modal footers, d/u, the palette."""

from __future__ import annotations

from neodymium.tui.app import NeodymiumApp
from neodymium.tui.comparison_view import TABLE_WINDOWS
from neodymium.tui.export_grid import screen_grid
from neodymium.tui.screens.modals import HelpScreen, NewsDetailScreen
from neodymium.tui.widgets.comparison_table import ComparisonTable
from neodymium.tui.widgets.news_pane import NewsPane

from tests.tui.conftest import make_app


def _text(app: NeodymiumApp) -> list[str]:
    return ["".join(cell.char for cell in row) for row in screen_grid(app)]


async def _ready(app: NeodymiumApp, pilot) -> None:
    await app.data_ready.wait()
    await pilot.pause()


async def test_tab_into_the_news_highlights_the_first_headline() -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await _ready(app, pilot)
        news = app.query_one(NewsPane)
        for _ in range(4):
            if news.has_focus:
                break
            await pilot.press("tab")
        assert news.has_focus
        assert news.highlighted == 0
        await pilot.press("enter")
        assert isinstance(app.screen, NewsDetailScreen)


async def test_the_focused_panel_border_shows_focus() -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await _ready(app, pilot)
        compare, news = app.query_one("#compare-box"), app.query_one("#news-box")
        app.query_one(ComparisonTable).focus()
        await pilot.pause()
        focused, other = compare.styles.border_top[1], news.styles.border_top[1]
        assert focused != other
        app.query_one(NewsPane).focus()
        await pilot.pause()
        assert news.styles.border_top[1] == focused
        assert compare.styles.border_top[1] == other


async def test_a_modal_shows_its_own_footer() -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await _ready(app, pilot)
        assert "Refresh" in _text(app)[-1]
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.pause()
        footer = _text(app)[-1]
        assert "Close" in footer and "Refresh" not in footer


async def test_d_names_the_comparison_list_and_u_undoes_it() -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await _ready(app, pilot)
        messages: list[str] = []
        app.notify = lambda message, **kw: messages.append(message)  # type: ignore[method-assign]
        table = app.query_one(ComparisonTable)
        table.focus()
        before = list(app.settings.watch.compare)
        await pilot.press("down", "d")
        assert len(app.settings.watch.compare) == len(before) - 1
        removed = next(key for key in before if key not in app.settings.watch.compare)
        assert any(f"Removed {removed} from the comparison list" in m and "u undoes" in m
                   for m in messages), messages
        assert not any("watchlist" in m.lower() for m in messages)
        await pilot.press("u")
        assert app.settings.watch.compare == before


async def test_the_palette_lists_each_command_once_and_windows_in_time_order() -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await _ready(app, pilot)
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert len(titles) == len(set(titles))
        assert sum("creenshot" in title for title in titles) == 1
        windows = [t.split(": ")[1] for t in titles if t.startswith("Comparison window: ")]
        assert windows == list(TABLE_WINDOWS)

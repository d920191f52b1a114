"""Drive the app as a user would: keys, screenshot, help, health, news."""

from __future__ import annotations

from pathlib import Path

import pytest
from neodymium.tui.app import NeodymiumApp
from neodymium.tui.screens.modals import HealthScreen, HelpScreen, NewsDetailScreen
from neodymium.tui.widgets.news_pane import NewsPane
from neodymium.tui.widgets.status_bar import StatusBar
from textual import events
from textual.widgets import OptionList

from tests.tui.conftest import make_app


async def wait_for_data(app: NeodymiumApp, pilot) -> None:
    await app.data_ready.wait()
    await pilot.pause()


async def test_opens_on_600111_with_demo_badge(demo_app: NeodymiumApp) -> None:
    async with demo_app.run_test(size=(120, 40)) as pilot:
        await wait_for_data(demo_app, pilot)
        header = demo_app.view.header
        assert header.title == "北方稀土"
        assert header.code == "600111.SS"
        assert header.demo
        assert "SSE main board" in header.venue
        rendered = demo_app.query_one(StatusBar).plain()
        assert "DEMO" in rendered and "北方稀土" in rendered
        quote = demo_app.view.quote
        assert quote.last != "—"
        assert demo_app.view.comparison[0].symbol == "600111.SS"
        assert {row.symbol for row in demo_app.view.comparison} >= {"516780.SS", "REMX"}


async def test_help_opens_and_closes(demo_app: NeodymiumApp) -> None:
    async with demo_app.run_test(size=(120, 40)) as pilot:
        await pilot.press("question_mark")
        assert isinstance(demo_app.screen, HelpScreen)
        await pilot.press("escape")
        assert not isinstance(demo_app.screen, HelpScreen)


async def test_health_view_lists_providers(demo_app: NeodymiumApp) -> None:
    async with demo_app.run_test(size=(120, 40)) as pilot:
        await wait_for_data(demo_app, pilot)
        await pilot.press("h")
        assert isinstance(demo_app.screen, HealthScreen)
        assert demo_app.screen.health["demo"].state == "ok"
        await pilot.press("h")
        assert not isinstance(demo_app.screen, HealthScreen)


async def test_screenshot_key_writes_stamped_svg(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_data(app, pilot)
        await pilot.press("s")
        await pilot.pause()
    files = list(tmp_path.glob("neodymium-*.svg"))
    assert len(files) == 1
    import html

    svg = html.unescape(files[0].read_text(encoding="utf-8")).replace("\xa0", " ")
    assert svg.startswith("<svg")
    assert "DEMO" in svg and "sources: demo" in svg


async def test_news_scrolls_and_opens_detail(demo_app: NeodymiumApp) -> None:
    async with demo_app.run_test(size=(120, 40)) as pilot:
        await wait_for_data(demo_app, pilot)
        pane = demo_app.query_one(NewsPane)
        assert pane.option_count >= 6
        pane.focus()
        await pilot.press("home", "down", "down")
        assert pane.highlighted == 2
        expected = pane.selected_line()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(demo_app.screen, NewsDetailScreen)
        assert demo_app.screen.line == expected
        await pilot.press("escape")
        assert demo_app.screen.query(OptionList)


async def test_new_news_does_not_steal_the_reading_position(demo_app: NeodymiumApp) -> None:
    async with demo_app.run_test(size=(120, 40)) as pilot:
        await wait_for_data(demo_app, pilot)
        pane = demo_app.query_one(NewsPane)
        lines = list(demo_app.view.news)
        pane.focus()
        await pilot.press("home", "down", "down", "down")
        reading = pane.selected_line()
        from dataclasses import replace

        newer = [replace(lines[0], id="breaking-1", title="Breaking one"),
                 replace(lines[0], id="breaking-2", title="Breaking two")]
        pane.show(newer + lines)  # no await before the checks: the 1 s redraw cannot interfere
        assert pane.selected_line() == reading
        assert str(pane.get_option_at_index(0).prompt).endswith("Breaking one")


async def test_refresh_key_polls_now(demo_app: NeodymiumApp) -> None:
    async with demo_app.run_test(size=(120, 40)) as pilot:
        await wait_for_data(demo_app, pilot)
        before = demo_app.feed.latest.version
        await pilot.press("r")
        await demo_app.workers.wait_for_complete()
        await pilot.pause()
        assert demo_app.feed.latest.version > before


async def test_quit_key_exits(demo_app: NeodymiumApp) -> None:
    async with demo_app.run_test(size=(120, 40)) as pilot:
        await pilot.press("q")
    assert demo_app.return_code == 0


@pytest.mark.parametrize("typed", ["p", "slash", "a", "A"])
async def test_a_key_typed_just_after_q_opens_nothing(demo_app: NeodymiumApp,
                                                       typed: str) -> None:
    """``qp`` typed fast (or pasted): both keys arrive together. The screen ``p`` opened then
    mounted while the app was leaving and the app ended with a traceback, exit code 1."""
    async with demo_app.run_test(size=(120, 40)) as pilot:
        await wait_for_data(demo_app, pilot)
        for key in ("q", typed):  # one after the other, before either is handled
            demo_app.post_message(events.Key(key, None))
        await pilot.pause()
    assert demo_app.return_code == 0


async def test_external_text_is_not_markup(demo_app: NeodymiumApp) -> None:
    from datetime import UTC, datetime

    from neodymium.providers.models import NewsItem
    from neodymium.tui.news_view import build_news

    item = NewsItem("x", "[bold red]BUY[/] \x1b[31mnow\x1b[0m", "[link=http://evil]src[/link]",
                    datetime(2026, 1, 23, 2, 0, tzinfo=UTC))
    line = build_news([item], UTC)[0]
    assert line.title == "[bold red]BUY[/] now"
    from neodymium.tui.widgets.news_pane import news_prompt

    prompt = news_prompt(line)
    assert "[bold red]BUY[/]" in prompt.plain
    assert "\x1b" not in prompt.plain
    assert all(span.style != "bold red" for span in prompt.spans)


async def test_price_tick_flashes_in_its_direction(tmp_path: Path, monkeypatch) -> None:
    from neodymium.providers.clock import FrozenClock
    from neodymium.tui.widgets import quote_panel
    from neodymium.tui.widgets.quote_panel import QuotePanel, tinted_parts

    from tests.tui.conftest import FROZEN

    # The flash ends on the first clock second after its shortest time (real time); under
    # load a poll can outlast that.
    monkeypatch.setattr(quote_panel, "FLASH_MIN_SECONDS", 600.0)
    clock = FrozenClock(FROZEN)
    app = make_app(tmp_path, clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_data(app, pilot)
        panel = app.query_one(QuotePanel)
        before, text_before = app.view.quote.last_value, app.view.quote.last
        for _ in range(30):
            clock.advance(1)
            await app.feed.poll_quotes()
            await pilot.pause()
            if app.view.quote.last_value != before:
                break
        after = app.view.quote.last_value
        assert after != before
        expected = "up" if after > before else "down"
        assert panel.flash == expected
        tint = panel.get_component_styles(f"quote-panel--tick-{expected}").background
        assert tint.a > 0
        # The decimals the tick moved flash (the others are not sent again to untint).
        parts = ("#last-whole", "#last-decimals", "#last-digit")
        flashed = {parts[index] for index in tinted_parts(text_before, app.view.quote.last)}
        assert flashed
        for part in parts:
            assert (panel.query_one(part).styles.background == tint) == (part in flashed), part


async def test_upstream_errors_show_in_status_bar_and_health(fake_upstream) -> None:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from neodymium.config.settings import Settings
    from neodymium.providers.clock import FrozenClock

    from tests.fakeupstream import Fault

    fake_upstream.set_fault("tencent-quote", Fault("status", status=503))
    settings = Settings.model_validate({
        "watch": {"primary": "600111.SS", "symbols": ["600111.SS"], "compare": []},
        "quotes": {"providers": ["tencent", "sina"]}, "history": {"providers": ["tencent"]},
        "news": {"providers": ["sina-roll"]},
        "providers": {name: {"base_url": fake_upstream.base_url, "timeout": 2, "min_interval": 0}
                      for name in ("tencent", "sina", "sina-roll")},
    })
    clock = FrozenClock(datetime(2026, 8, 21, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")))
    app = NeodymiumApp(settings, clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_data(app, pilot)
        assert app.view.quote.last == "50.46"
        assert app.snapshot.quotes["600111.SS"].origin("last").source == "sina"
        assert "tencent backoff" in app.query_one(StatusBar).plain()
        await pilot.press("h")
        assert isinstance(app.screen, HealthScreen)
        assert app.screen.health["tencent"].errors == {"unavailable": 1}
        assert app.screen.health["sina"].state == "ok"


async def test_c_opens_charts_for_the_table_window(demo_app: NeodymiumApp) -> None:
    from neodymium.tui.screens.charts import ChartScreen

    async with demo_app.run_test(size=(120, 40)) as pilot:
        await wait_for_data(demo_app, pilot)
        await pilot.press("w")  # 1M → 3M in the table
        await pilot.press("c", "v")  # 分时 for an A-share, v its comparison charts
        await pilot.pause()
        assert isinstance(demo_app.screen, ChartScreen)
        assert demo_app.screen.window == "3M"
        await pilot.press("escape")
        assert not isinstance(demo_app.screen, ChartScreen)

"""The 分时 screen: c opens it for an A-share primary (the comparison charts for others), v
reaches the comparison, the line follows the demo's quotes."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from neodymium.providers.clock import FrozenClock
from neodymium.providers.symbols import parse_symbol
from neodymium.tui.app import AppOptions, NeodymiumApp
from neodymium.tui.screens.charts import ChartScreen
from neodymium.tui.screens.intraday import IntradayScreen
from neodymium.tui.widgets.intraday_chart import IntradayChart
from textual.content import Content

from tests.tui.conftest import demo_settings

#: Friday 2026-01-23 14:30 in Shanghai: the morning, the lunch seam and an hour and a half after.
AFTERNOON = datetime(2026, 1, 23, 14, 30, tzinfo=ZoneInfo("Asia/Shanghai"))


def afternoon_app(**display: object) -> NeodymiumApp:
    return NeodymiumApp(demo_settings(**display), options=AppOptions(demo=True, seed=7),
                        clock=FrozenClock(AFTERNOON))


async def open_intraday(app: NeodymiumApp, pilot) -> IntradayChart:
    await app.data_ready.wait()
    await pilot.pause()
    await pilot.press("c")
    await pilot.pause()
    await app.screen.workers.wait_for_complete()
    await pilot.pause()
    return app.screen.query_one(IntradayChart)


async def test_c_opens_the_minute_line_with_lunch_compressed() -> None:
    app = afternoon_app()
    async with app.run_test(size=(120, 40)) as pilot:
        chart = await open_intraday(app, pilot)
        assert isinstance(app.screen, IntradayScreen)
        data = chart.data
        assert chart.has_data() and data.source == "demo"
        assert data.xs[0] == 0 and data.xs[-1] == 120 + 90  # 14:30
        assert 120 in data.xs and len(data.xs) == 211  # 11:30 and 13:00 share one x
        assert data.prices[-1] == app.snapshot.quotes["600111.SS"].quote.last
        assert data.limit_up == app.snapshot.quotes["600111.SS"].quote.limit_up
        await pilot.press("v")
        await pilot.pause()
        assert isinstance(app.screen, ChartScreen)


async def test_c_under_no_color_draws_the_minute_line() -> None:
    """NO_COLOR makes the app's colours "mono": the 分时 chart looked its volume bars' colours
    up by that name and the app died on ``c`` (KeyError: 'mono'); it draws as cn there."""
    app = afternoon_app(colors="mono")
    async with app.run_test(size=(120, 40)) as pilot:
        chart = await open_intraday(app, pilot)
        assert isinstance(app.screen, IntradayScreen) and chart.has_data()
        assert "11:30|13:00" in app.export_screenshot()  # drawn, axis and all
        assert app.return_code is None


async def test_a_us_primary_gets_the_comparison_charts() -> None:
    app = NeodymiumApp(demo_settings(), options=AppOptions(demo=True, seed=7),
                       clock=FrozenClock(AFTERNOON))
    async with app.run_test(size=(120, 40)) as pilot:
        await app.data_ready.wait()
        app.set_primary("REMX")
        await pilot.pause()
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, ChartScreen)


async def test_snapshot_view_intraday_writes_the_minute_line(tmp_path) -> None:
    from neodymium.tui.cli import build_parser
    from neodymium.tui.headless import run_snapshot

    assert build_parser().parse_args(["snapshot", "-o", "x", "--view", "intraday"]).view == \
        "intraday"
    output = tmp_path / "intraday.txt"
    code = await run_snapshot(demo_settings(), fmt="txt", output=output, size=(100, 30),
                              timeout=20, seed=7, demo=True, clock=FrozenClock(AFTERNOON),
                              view="intraday")
    text = output.read_text(encoding="utf-8")
    assert code == 0
    assert "分时 · 北方稀土 600111.SS" in text and "11:30|13:00" in text and "+0.00%" in text


async def test_five_key_switches_to_five_sessions_and_back() -> None:
    app = afternoon_app()
    async with app.run_test(size=(120, 40)) as pilot:
        chart = await open_intraday(app, pilot)
        await pilot.press("5")
        await app.screen.workers.wait_for_complete()
        await pilot.pause()
        assert len(chart.data.day_starts) == 5 and chart.data.span == 5 * 241 - 1
        assert chart.data.day_starts[-1][1] == "01-23"
        await pilot.press("5")
        await app.screen.workers.wait_for_complete()
        await pilot.pause()
        assert chart.data.day_starts == () and chart.data.span == 240


async def test_an_upstream_name_in_the_title_is_text_never_markup() -> None:
    hostile = "[link='file:///etc/passwd']北方[/link][b]稀土"
    app = afternoon_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await app.data_ready.wait()
        await app.push_screen(IntradayScreen(
            parse_symbol("600111.SS"), hostile, app._fetch_intraday, app.clock, None,
            app.settings.display.colors, app._fetch_days))
        await pilot.pause()
        # Textual keeps a border title as markup and draws it through Content.from_markup.
        shown = Content.from_markup(str(app.screen.query_one("#intraday-box").border_title))
        assert hostile in shown.plain
        assert not shown.spans


def test_volume_labels_count_in_hands_as_the_quote_panel_does() -> None:
    from neodymium.tui.widgets.intraday_chart import volume_label

    assert volume_label(63_400_000, 100) == ("63.4", "万手")
    assert volume_label(377_300, 100) == ("3773", "手")
    assert volume_label(12_000_000_000, 100) == ("1.2", "亿手")
    assert volume_label(63_400_000, None) == ("63.4", "M shares")
    assert volume_label(812, None) == ("812", "shares")


async def test_the_minute_volumes_are_in_hands_with_cn_units_and_in_shares_with_intl() -> None:
    for units, hand, unit in (("auto", 100, "手"), ("intl", None, "shares")):
        app = afternoon_app(units=units)
        async with app.run_test(size=(120, 40)) as pilot:
            chart = await open_intraday(app, pilot)
            assert chart.hand == hand
            legend = chart.legend(120)[0].plain
            named = legend.split("volume (")[1].split(")")[0] if "volume (" in legend else ""
            assert named.endswith(unit), legend


async def test_an_empty_chart_says_whether_it_is_loading_failed_or_has_no_minutes() -> None:
    from neodymium.providers.errors import ProviderUnavailable
    from neodymium.providers.intraday import Intraday
    from neodymium.tui.widgets.intraday_chart import FAILED, LOADING, NO_MINUTES

    symbol = parse_symbol("300308.SZ")
    answer: dict[str, object] = {}

    async def fetch(_symbol, _now) -> Intraday:
        result = answer["next"]
        if isinstance(result, Exception):
            raise result
        assert isinstance(result, Intraday)
        return result

    app = afternoon_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await app.data_ready.wait()
        screen = IntradayScreen(symbol, "中际旭创", fetch, app.clock)
        answer["next"] = ProviderUnavailable("eastmoney", "no minute line for 300308.SZ")
        await app.push_screen(screen)
        chart = screen.query_one(IntradayChart)
        assert chart.empty_message() in (LOADING, FAILED)
        await screen.workers.wait_for_complete()
        await pilot.pause()
        assert chart.empty_message() == FAILED
        assert "no minute line for 300308.SZ" in str(screen.query_one("#intraday-note").render())
        answer["next"] = Intraday("300308.SZ", AFTERNOON.date(), "eastmoney", 1191.81)
        screen.refetch()
        await screen.workers.wait_for_complete()
        await pilot.pause()
        assert chart.empty_message() == NO_MINUTES and not chart.has_data()

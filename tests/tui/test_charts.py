"""Charts: the rebased comparison and price/volume data, the drawing helpers, the chart screen."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date, datetime, timedelta
from types import MappingProxyType
from zoneinfo import ZoneInfo

import pytest
from neodymium.config.settings import Settings
from neodymium.providers.models import Bar, Quote
from neodymium.providers.store import QuoteState, Snapshot
from neodymium.tui.chart_axes import (
    date_ticks,
    legend_lines,
    nice_ticks,
    volume_buckets,
    volume_scale,
)
from neodymium.tui.chart_view import (
    CHART_WINDOWS,
    ChartData,
    Series,
    comparison_chart,
    day_directions,
    price_chart,
    series_label,
)
from neodymium.tui.screens.charts import ChartScreen, chart_window
from neodymium.tui.widgets.charts import (
    LIGHT_LINE_STYLES,
    LINE_STYLES,
    ComparisonChart,
    PriceChart,
)
from plotext._dict import color_codes
from rich.cells import cell_len
from rich.console import Console
from textual.app import App, ComposeResult

from tests.tui.conftest import make_app

SHANGHAI = ZoneInfo("Asia/Shanghai")
NEW_YORK = ZoneInfo("America/New_York")
#: The last session of the handmade history: Friday 2026-01-23.
LAST = date(2026, 1, 23)


def weekdays(first: date, last: date) -> list[date]:
    """Every Monday-to-Friday day from ``first`` to ``last``."""
    days, day = [], first
    while day <= last:
        if day.weekday() < 5:
            days.append(day)
        day += timedelta(days=1)
    return days


def make_bars(symbol: str, closes: dict[date, float], volume: float | None = 1_000_000.0
              ) -> tuple[Bar, ...]:
    return tuple(Bar(symbol, day, None, None, None, close, volume) for day, close in
                 sorted(closes.items()))


def ramp(days: list[date], start: float = 10.0, step: float = 0.1) -> dict[date, float]:
    """Closes rising by ``step`` a session."""
    return {day: round(start + step * index, 4) for index, day in enumerate(days)}


def quote(symbol: str, last: float, as_of: datetime, name: str | None = None,
          volume: float | None = None) -> QuoteState:
    q = Quote(symbol=symbol, as_of=as_of, source="test", name=name, last=last, volume=volume)
    return QuoteState(q, MappingProxyType({}), as_of)


def snapshot(bars: dict[str, tuple[Bar, ...]], quotes: dict[str, QuoteState] | None = None,
             names: dict[str, str] | None = None) -> Snapshot:
    return Snapshot(
        as_of=datetime(2026, 1, 23, 16, 0, tzinfo=SHANGHAI),
        quotes=MappingProxyType(quotes or {}),
        bars=MappingProxyType(bars),
        news=(),
        health=MappingProxyType({}),
        symbol_errors=MappingProxyType({}),
        loaded=frozenset(),
        names=MappingProxyType(names or {}),
    )


def settings(compare: list[str], **display: object) -> Settings:
    return Settings.model_validate({"watch": {"primary": "600111.SS", "compare": compare},
                                    "display": display})


CN_DAYS = weekdays(date(2024, 12, 2), LAST)


def by_label(data: ChartData, code: str) -> Series:
    return next(s for s in data.series if s.label.split(" ")[0] == code)


# -- comparison_chart ----------------------------------------------------------------------------


def test_primary_is_rebased_to_100_at_the_window_start() -> None:
    closes = ramp(CN_DAYS)
    closes[date(2025, 12, 23)] = 20.0  # 1M back from 2026-01-23 is 2025-12-23, a Tuesday
    closes[date(2026, 1, 9)] = 25.0
    data = comparison_chart(snapshot({"600111.SS": make_bars("600111.SS", closes)}),
                            settings([]), "1M")
    line = by_label(data, "600111.SS")
    assert line.x[0] == "2025-12-23"
    assert line.y[0] == pytest.approx(100.0)
    assert line.y[line.x.index("2026-01-09")] == pytest.approx(125.0)
    assert line.x[-1] == "2026-01-23"
    assert data.window == "1M"
    assert "1M" in data.title


def test_each_comparison_is_rebased_on_its_own_start_close() -> None:
    primary = ramp(CN_DAYS)
    etf = ramp(CN_DAYS, start=1.0, step=0.001)
    etf[date(2025, 12, 23)] = 1.25
    etf[date(2026, 1, 23)] = 1.5
    data = comparison_chart(snapshot({"600111.SS": make_bars("600111.SS", primary),
                                      "516780.SS": make_bars("516780.SS", etf)}),
                            settings(["516780.SS"]), "1M")
    line = by_label(data, "516780.SS")
    assert line.y[0] == pytest.approx(100.0)
    assert line.y[-1] == pytest.approx(120.0)
    assert "calendars differ" not in data.note
    assert "2025-12-23" in data.note


def test_us_calendar_is_rebased_at_its_first_close_on_or_after_the_start() -> None:
    us_days = [d for d in CN_DAYS if d != date(2025, 12, 23)]  # closed on the CN start day
    remx = ramp(us_days, start=50.0, step=0.0)
    remx[date(2025, 12, 24)] = 40.0
    remx[date(2026, 1, 22)] = 50.0
    del remx[date(2026, 1, 23)]  # the US session of the 23rd has not happened yet
    data = comparison_chart(snapshot({"600111.SS": make_bars("600111.SS", ramp(CN_DAYS)),
                                      "REMX": make_bars("REMX", remx)}),
                            settings(["REMX"]), "1M")
    line = by_label(data, "REMX")
    assert line.x[0] == "2025-12-24"
    assert line.y[0] == pytest.approx(100.0)
    assert line.x[-1] == "2026-01-22"
    assert line.y[-1] == pytest.approx(125.0)
    assert "CN/US calendars differ" in data.note
    assert "first close from 2025-12-23" in data.note


def test_symbols_without_history_across_the_window_are_left_out_and_named() -> None:
    recent = {d: 1.0 for d in CN_DAYS if d >= date(2026, 1, 5)}  # listed after the 1M start
    data = comparison_chart(snapshot({"600111.SS": make_bars("600111.SS", ramp(CN_DAYS)),
                                      "159713.SZ": make_bars("159713.SZ", recent)}),
                            settings(["516780.SS", "159713.SZ"]), "1M")
    assert [s.label.split(" ")[0] for s in data.series] == ["600111.SS"]
    assert "no history over the window: 516780.SS, 159713.SZ" in data.note
    # Over five sessions the new listing has history and is drawn.
    short = comparison_chart(snapshot({"600111.SS": make_bars("600111.SS", ramp(CN_DAYS)),
                                       "159713.SZ": make_bars("159713.SZ", recent)}),
                             settings(["159713.SZ"]), "5D")
    assert [s.label.split(" ")[0] for s in short.series] == ["600111.SS", "159713.SZ"]


def test_a_primary_without_history_is_named_and_the_others_still_drawn() -> None:
    data = comparison_chart(snapshot({"516780.SS": make_bars("516780.SS", ramp(CN_DAYS))}),
                            settings(["516780.SS"]), "1M")
    assert [s.label for s in data.series] == ["516780.SS"]
    assert data.series[0].x[0] == "2025-12-23"
    assert "no history over the window: 600111.SS" in data.note


def test_window_switching_moves_the_start() -> None:
    snap = snapshot({"600111.SS": make_bars("600111.SS", ramp(CN_DAYS))})
    starts = {w: comparison_chart(snap, settings([]), w).series[0].x[0] for w in CHART_WINDOWS}
    assert starts == {
        "5D": "2026-01-16",   # five sessions before Friday the 23rd
        "1M": "2025-12-23",
        "3M": "2025-10-23",
        "6M": "2025-07-23",
        "YTD": "2025-12-31",  # the last session of the year before
        "1Y": "2025-01-23",
    }
    assert all(comparison_chart(snap, settings([]), w).series[0].y[0] == pytest.approx(100.0)
               for w in CHART_WINDOWS)


def test_history_shorter_than_the_window_starts_at_the_first_day_and_says_so() -> None:
    days = [d for d in CN_DAYS if d >= date(2025, 11, 3)]
    data = comparison_chart(snapshot({"600111.SS": make_bars("600111.SS", ramp(days))}),
                            settings([]), "1Y")
    assert data.series[0].x[0] == "2025-11-03"
    assert "history shorter than the window: from 2025-11-03" in data.note


def test_the_live_quote_extends_the_line_past_the_last_bar() -> None:
    days = [d for d in CN_DAYS if d < LAST]
    closes = ramp(days)
    closes[date(2025, 12, 23)] = 20.0
    live = quote("600111.SS", 30.0, datetime(2026, 1, 23, 10, 30, tzinfo=SHANGHAI), "北方稀土")
    data = comparison_chart(snapshot({"600111.SS": make_bars("600111.SS", closes)},
                                     {"600111.SS": live}), settings([]), "1M")
    line = data.series[0]
    assert line.x[-1] == "2026-01-23"
    assert line.y[-1] == pytest.approx(150.0)
    assert line.label == "600111.SS 北方稀土"


def test_a_live_quote_on_the_last_bar_day_replaces_its_close_and_an_older_one_is_ignored() -> None:
    closes = ramp(CN_DAYS)
    closes[date(2025, 12, 23)] = 20.0
    bars = {"600111.SS": make_bars("600111.SS", closes)}
    same_day = quote("600111.SS", 22.0, datetime(2026, 1, 23, 14, 0, tzinfo=SHANGHAI))
    line = comparison_chart(snapshot(bars, {"600111.SS": same_day}), settings([]), "1M").series[0]
    assert line.x.count("2026-01-23") == 1
    assert line.y[-1] == pytest.approx(110.0)
    older = quote("600111.SS", 99.0, datetime(2026, 1, 22, 14, 0, tzinfo=SHANGHAI))
    line = comparison_chart(snapshot(bars, {"600111.SS": older}), settings([]), "1M").series[0]
    assert line.y[-1] == pytest.approx(closes[LAST] / 20.0 * 100.0)


def test_a_us_quote_is_dated_in_new_york() -> None:
    us_days = [d for d in CN_DAYS if d < date(2026, 1, 22)]
    remx = ramp(us_days, start=50.0, step=0.0)
    # 2026-01-23 10:30 in Shanghai is the evening of the 22nd in New York: the 22nd's close.
    live = quote("REMX", 55.0, datetime(2026, 1, 23, 10, 30, tzinfo=SHANGHAI))
    data = comparison_chart(snapshot({"600111.SS": make_bars("600111.SS", ramp(CN_DAYS)),
                                      "REMX": make_bars("REMX", remx)}, {"REMX": live}),
                            settings(["REMX"]), "1M")
    line = by_label(data, "REMX")
    assert line.x[-1] == "2026-01-22"
    assert line.y[-1] == pytest.approx(110.0)


def test_labels_are_code_and_a_clean_short_name() -> None:
    snap = snapshot({}, {"REMX": quote("REMX", 1.0, datetime(2026, 1, 22, tzinfo=NEW_YORK),
                                       "VanEck\x1b[31m Rare Earth/Strategic Metals ETF")},
                    names={"516780.SS": "稀土ETF华泰柏瑞"})
    remx = series_label(snap, "REMX")
    assert remx == "REMX VanEck Ra…"  # ten cells, the ellipsis included
    assert "\x1b" not in remx
    assert series_label(snap, "516780.SS") == "516780.SS 稀土ETF华…"
    assert cell_len(series_label(snap, "516780.SS")) <= len("516780.SS ") + 10
    assert series_label(snap, "159713.SZ") == "159713.SZ"


def test_no_snapshot_or_no_history_draws_nothing_and_says_why() -> None:
    assert comparison_chart(None, settings(["REMX"]), "1Y").note == "waiting for data"
    empty = comparison_chart(snapshot({}), settings(["REMX"]), "1Y")
    assert empty.series == () and empty.note == "no daily history yet"


def test_unknown_windows_are_refused() -> None:
    with pytest.raises(ValueError, match="5D, 1M, 3M, 6M, YTD, 1Y"):
        comparison_chart(None, settings([]), "1D")
    with pytest.raises(ValueError):
        price_chart(None, settings([]), "2W")


# -- price_chart ---------------------------------------------------------------------------------


def test_price_chart_gives_closes_and_volumes_in_lots_for_cn_units() -> None:
    closes = ramp(CN_DAYS)
    bars = list(make_bars("600111.SS", closes, volume=2_500_000.0))
    gap = next(i for i, b in enumerate(bars) if b.day == date(2026, 1, 20))
    bars[gap] = Bar("600111.SS", bars[gap].day, None, None, None, bars[gap].close, None)
    snap = snapshot({"600111.SS": tuple(bars)})
    price, volume = price_chart(snap, settings([]), "5D")
    assert price.x == ("2026-01-16", "2026-01-19", "2026-01-20", "2026-01-21", "2026-01-22",
                       "2026-01-23")
    assert price.y[0] == pytest.approx(closes[date(2026, 1, 16)])
    assert "2026-01-20" not in volume.x  # a missing volume is left out, never drawn as 0
    assert set(volume.y) == {25_000.0}  # 手: lots of 100 shares
    assert volume.label == "volume (手)"
    _, shares = price_chart(snap, settings([], units="intl"), "5D")
    assert set(shares.y) == {2_500_000.0}
    assert shares.label == "volume (shares)"


def test_price_chart_ends_at_the_live_price_with_its_volume() -> None:
    days = [d for d in CN_DAYS if d < LAST]
    live = quote("600111.SS", 47.27, datetime(2026, 1, 23, 10, 30, tzinfo=SHANGHAI),
                 volume=12_300_000.0)
    price, volume = price_chart(snapshot({"600111.SS": make_bars("600111.SS", ramp(days))},
                                         {"600111.SS": live}), settings([]), "1M")
    assert (price.x[-1], price.y[-1]) == ("2026-01-23", 47.27)
    assert (volume.x[-1], volume.y[-1]) == ("2026-01-23", 123_000.0)


def test_price_chart_without_history_is_empty() -> None:
    price, volume = price_chart(snapshot({}), settings([]), "1Y")
    assert price.y == () and volume.y == ()


def test_day_directions() -> None:
    closes = Series("c", ("a", "b", "c", "d"), (1.0, 2.0, 2.0, 1.5))
    assert day_directions(closes) == {"a": "flat", "b": "up", "c": "flat", "d": "down"}


# -- drawing helpers -----------------------------------------------------------------------------


@pytest.mark.parametrize("styles", [LINE_STYLES, LIGHT_LINE_STYLES], ids=["dark", "light"])
def test_line_styles_differ_in_colour_and_marker(styles) -> None:
    assert len({s.color for s in styles}) == len(styles)
    assert len({s.marker for s in styles}) == len(styles)
    assert all(s.color in color_codes for s in styles)  # 16-colour names plotext knows


def test_nice_ticks_are_round_and_inside_the_range() -> None:
    assert nice_ticks(87.3, 212.6, 4) == [100.0, 150.0, 200.0]
    assert nice_ticks(87.3, 212.6, 6) == [100.0, 120.0, 140.0, 160.0, 180.0, 200.0]
    assert nice_ticks(0.0, 212.6, 1) == [0.0, 200.0]
    assert nice_ticks(46.2, 54.9, 3) == [47.5, 50.0, 52.5]
    assert nice_ticks(5.0, 5.0, 3) == [5.0]


def test_date_ticks_use_months_for_long_spans_and_days_for_short_ones() -> None:
    year = [d for d in CN_DAYS if d >= date(2025, 1, 23)]
    long = date_ticks(year, 110)
    assert long[0] == (date(2025, 2, 1), "2025-02") and len(long) <= 110 // 11
    short = date_ticks(weekdays(date(2026, 1, 16), LAST), 110)
    assert [label for _, label in short] == ["01-16", "01-19", "01-20", "01-21", "01-22",
                                             "01-23"]
    assert len(date_ticks(year[-60:], 40)) <= 4


def test_volume_buckets_one_per_session_or_grouped_to_fit() -> None:
    closes = Series("c", ("d1", "d2", "d3", "d4", "d5"), (10.0, 11.0, 10.5, 10.5, 12.0))
    volumes = Series("v", ("d1", "d2", "d4", "d5"), (100.0, 200.0, 300.0, 500.0))
    each = volume_buckets(closes, volumes, columns=80)
    assert [(b.x, b.volume, b.direction) for b in each] == [
        (0, 100.0, "flat"), (1, 200.0, "up"), (3, 300.0, "flat"), (4, 500.0, "up")]
    # Three sessions a bar, grouped from the latest back; a day without volume is not a 0.
    grouped = volume_buckets(closes, volumes, columns=2)
    assert [(b.x, b.span, b.volume, b.direction) for b in grouped] == [
        (0.5, 3, 150.0, "up"), (3.0, 3, 400.0, "up")]


def test_volume_scale_keeps_tick_labels_ascii() -> None:
    assert volume_scale(2_000_000.0, "手") == (1e4, "万")
    assert volume_scale(3e8, "手") == (1e8, "亿")
    assert volume_scale(2_000_000.0, "shares") == (1e6, "M")
    assert volume_scale(500.0, "shares") == (1.0, "")


def test_legend_lines_count_cjk_as_two_cells() -> None:
    items = [("▄▀", "color(11)", "600111.SS 北方稀土 +1.0%"),
             ("••", "color(14)", "516780.SS 稀土ETF华… -2.0%")]
    wide = legend_lines(items, 80)
    assert len(wide) == 1
    narrow = legend_lines(items, 30)
    assert len(narrow) == 2 and all(line.cell_len <= 30 for line in narrow)


def test_chart_window_maps_table_windows() -> None:
    assert chart_window("3M") == "3M"
    assert chart_window("1D") == "5D"
    assert chart_window("bogus") == "1Y"


class ChartsOnly(App[None]):
    def compose(self) -> ComposeResult:
        yield ComparisonChart()
        yield PriceChart(colors="us")


def plain(renderable: object, width: int = 80) -> str:
    console = Console(width=width, record=True, file=io.StringIO())
    console.print(renderable)
    return console.export_text()


@pytest.mark.parametrize("days, values", [
    (("2026-01-23",), (100.0,)),
    (("2026-01-22", "2026-01-23"), (100.0, 100.0)),
], ids=["one-session", "flat"])
async def test_widgets_draw_a_single_or_flat_series(days, values) -> None:
    app = ChartsOnly()
    async with app.run_test(size=(80, 40)) as pilot:
        comparison, price = app.query_one(ComparisonChart), app.query_one(PriceChart)
        comparison.show(ChartData("t", "5D", (Series("600111.SS 北方稀土", days, values),), ""))
        price.show(Series("600111.SS close", days, values), Series("v", days, (1e6,) * len(days)),
                   unit="shares")
        await pilot.pause()
        assert comparison.render() is comparison.render()  # plotext ran once for both paints
        drawn = plain(comparison.render())
        assert "600111.SS 北方稀土 +0.0%" in drawn and "100.00" in drawn
        assert "01-23" in drawn
        assert "volume (M shares) up" in plain(price.render())


async def test_widgets_say_when_there_is_nothing_to_draw() -> None:
    app = ChartsOnly()
    async with app.run_test(size=(80, 40)) as pilot:
        comparison = app.query_one(ComparisonChart)
        assert "waiting for data" in plain(comparison.render())
        comparison.show(ChartData("t", "1Y", (), "no daily history yet"))
        await pilot.pause()
        assert "no history to chart over 1Y: no daily history yet" in plain(comparison.render())
        assert "no daily history" in plain(app.query_one(PriceChart).render())


# -- the screen ----------------------------------------------------------------------------------


async def test_chart_screen_switches_windows_and_goes_back() -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await app.data_ready.wait()
        await pilot.pause()
        screen = ChartScreen(app.snapshot, app.settings, "1Y")
        app.push_screen(screen)
        await pilot.pause()
        chart = screen.query_one(ComparisonChart)
        assert chart.data is not None and chart.data.window == "1Y"
        assert {s.label.split(" ")[0] for s in chart.data.series} >= {"600111.SS", "REMX"}
        assert screen.query_one(PriceChart).closes.y
        one_year_start = chart.data.series[0].x[0]

        await pilot.press("2")
        assert screen.window == "1M" and chart.data.window == "1M"
        assert chart.data.series[0].x[0] > one_year_start
        await pilot.press("right_square_bracket")
        assert chart.data.window == "3M"
        await pilot.press("left_square_bracket", "left_square_bracket", "left_square_bracket")
        assert chart.data.window == "5D"  # stops at the shortest
        await pilot.press("W")
        assert chart.data.window == "1Y"  # w/W wrap around, as on the watch screen
        await pilot.press("w")
        assert "5D" in str(screen.query_one("#chart-compare-box").border_title)

        screen.update_snapshot(app.snapshot)
        await pilot.pause()
        assert chart.data.window == "5D"

        await pilot.press("escape")
        assert not isinstance(app.screen, ChartScreen)
        app.push_screen(ChartScreen(app.snapshot, app.settings, "1D"))
        await pilot.pause()
        assert app.screen.window == "5D"
        await pilot.press("q")  # q leaves the charts, it does not quit the app
        assert not isinstance(app.screen, ChartScreen)
        assert app.is_running


async def test_new_snapshots_redraw_at_most_every_few_seconds() -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await app.data_ready.wait()
        app.feed.scheduler.pause()  # only this test's snapshots reach the screen from here on
        await pilot.pause()
        screen = ChartScreen(app.snapshot, app.settings, "1M")
        screen.redraw_every_s = 3600.0
        app.push_screen(screen)
        await pilot.pause()
        chart = screen.query_one(ComparisonChart)
        assert "REMX" in {s.label.split(" ")[0] for s in chart.data.series}
        without_remx = replace(app.snapshot, bars=MappingProxyType(
            {k: v for k, v in app.snapshot.bars.items() if k != "REMX"}))
        screen.update_snapshot(without_remx)
        await pilot.pause()
        assert "REMX" in {s.label.split(" ")[0] for s in chart.data.series}  # not yet
        await pilot.press("3")  # a window key redraws at once, from the latest snapshot
        assert "REMX" not in {s.label.split(" ")[0] for s in chart.data.series}
        assert "REMX" in chart.data.note
        screen.redraw_every_s = 0.0
        screen.update_snapshot(app.snapshot)
        assert "REMX" in {s.label.split(" ")[0] for s in chart.data.series}


async def test_charts_stay_drawn_at_80_by_24() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await app.data_ready.wait()
        await pilot.pause()
        app.push_screen(ChartScreen(app.snapshot, app.settings, "3M"))
        await pilot.pause()
        for chart in (app.screen.query_one(ComparisonChart), app.screen.query_one(PriceChart)):
            assert chart.size.height >= 8
            assert chart.has_data()


async def _show_charts(pilot) -> None:
    app = pilot.app
    await app.data_ready.wait()
    await pilot.pause()
    app.push_screen(ChartScreen(app.snapshot, app.settings, "1Y"))
    await pilot.pause()


def test_chart_screen_picture(snap_compare) -> None:
    assert snap_compare(make_app(), terminal_size=(120, 40), run_before=_show_charts)

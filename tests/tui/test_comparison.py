"""The comparison table: window selection, sorting, sparklines."""

from __future__ import annotations

import pytest
from neodymium.tui.comparison_view import ComparisonRow, spark, stats_horizon
from neodymium.tui.widgets.comparison_columns import Widths, layout
from neodymium.tui.widgets.comparison_table import ComparisonTable, sort_rows

from tests.tui.conftest import make_app


def row(symbol: str, ret: float | None, name: str = "", primary: bool = False) -> ComparisonRow:
    return ComparisonRow(symbol, name or symbol, "", "", "", "", "", "", "", "", "", "", "",
                         {"return": ret, "symbol": symbol}, is_primary=primary)


def test_layout_with_kept_widths_measures_a_row_that_moved_again() -> None:
    from dataclasses import replace

    widths = Widths()
    rows = [row("600111.SS", 1.0, primary=True), row("159713.SZ", 2.0, name="稀土ETF富国")]
    rows = [replace(r, last="1.158", day_pct="+0.17%") for r in rows]
    assert layout(rows, "1M", 100, None, widths) == layout(rows, "1M", 100)
    rows[1] = replace(rows[1], last="1234567.891", name="稀土ETF富国 LONGER NAME")
    columns, gap = layout(rows, "1M", 100, None, widths)
    assert (columns, gap) == layout(rows, "1M", 100)  # the same as measured afresh
    assert next(c.width for c in columns if c.key == "last") == len("1234567.891")


def test_sort_rows_puts_missing_last_both_ways() -> None:
    rows = [row("A", 1.0), row("B", None), row("C", 3.0), row("D", -2.0)]
    assert [r.symbol for r in sort_rows(rows, "return", reverse=True)] == ["C", "A", "D", "B"]
    assert [r.symbol for r in sort_rows(rows, "return", reverse=False)] == ["D", "A", "C", "B"]
    assert [r.symbol for r in sort_rows(rows, None, reverse=False)] == ["A", "B", "C", "D"]


def test_sort_keeps_the_primary_on_top_and_names_sort_in_pinyin() -> None:
    rows = [row("P", 0.0, "北方稀土", primary=True), row("X", 5.0, "稀土ETF富国"),
            row("Y", 1.0, "有色金属ETF南方"), row("Z", 9.0, "VanEck Rare Earth"),
            row("W", 2.0, "包钢股份")]
    by_name = [r.name for r in sort_rows(rows, "name", reverse=False)]
    # 北方 bei fang pinned; then bao gang < vaneck < xi tu < you se (pinyin, not code points)
    assert by_name == ["北方稀土", "包钢股份", "VanEck Rare Earth", "稀土ETF富国",
                       "有色金属ETF南方"]
    assert [r.symbol for r in sort_rows(rows, "return", reverse=False)] == ["P", "Y", "W", "X", "Z"]
    assert sort_rows(rows, "return", reverse=True)[0].symbol == "P"


def test_spark_scales_min_to_max() -> None:
    assert spark([1, 2, 3]) == "▁▅█"
    assert spark([5, 5]) == "▄▄"
    assert spark([]) == ""


def test_stats_horizon_follows_window() -> None:
    assert stats_horizon("1M") == 60 and stats_horizon("1Y") == 250


async def test_window_keys_and_sorting() -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await app.data_ready.wait()
        await pilot.pause()
        table = app.query_one(ComparisonTable)
        assert table.window == "1M"
        assert "return:1M" in table.column_keys and "1M" in table.header_text().plain
        await pilot.press("w")
        assert app.window == "3M" and table.window == "3M"
        assert "ρ60" in table.header_text().plain
        await pilot.press("W", "W", "W")
        assert app.window == "1D"
        await pilot.press("w", "w", "w", "w", "w")
        assert app.window == "YTD"
        assert "ρ250" in table.header_text().plain
        app.sort_comparison("return")
        await pilot.pause()
        primary = app.settings.watch.primary
        others = [r for r in app.view.comparison if r.symbol != primary]
        expected = [r.symbol for r in sorted(others, key=lambda r: r.sort_values["return"],
                                             reverse=True)]
        assert [r.symbol for r in table.rows_shown] == [primary, *expected]
        assert "YTD ▼" in table.header_text().plain
        app.sort_comparison("return")
        await pilot.pause()
        assert [r.symbol for r in table.rows_shown] == [primary, *expected[::-1]]
        assert "YTD ▲" in table.header_text().plain


async def test_o_flips_the_same_column_then_moves_on() -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await app.data_ready.wait()
        table = app.query_one(ComparisonTable)
        await pilot.press("o")
        assert (table.sort_column, table.sort_reverse) == ("symbol", False)
        await pilot.press("o")
        assert (table.sort_column, table.sort_reverse) == ("symbol", True)
        await pilot.press("o")
        assert (table.sort_column, table.sort_reverse) == ("name", False)
        await pilot.press("o", "o")
        assert (table.sort_column, table.sort_reverse) == ("spark", True)


async def test_clicking_a_header_sorts_by_it() -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await app.data_ready.wait()
        await pilot.pause()
        table = app.query_one(ComparisonTable)
        x = table.header_text().plain.index("Day")
        await pilot.click(ComparisonTable, offset=(x + 1, 0))
        assert table.sort_column == "day" and table.sort_reverse
        days = [r.sort_values["day"] for r in table.rows_shown[1:]]
        assert days == sorted(days, reverse=True)
        await pilot.click(ComparisonTable, offset=(x + 1, 0))
        assert table.sort_column == "day" and not table.sort_reverse


async def test_one_changed_price_repaints_one_cell() -> None:
    from dataclasses import replace

    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await app.data_ready.wait()
        await pilot.pause()
        table = app.query_one(ComparisonTable)
        rows = list(table._rows)
        seen: list[tuple[str, tuple[object, ...]]] = []

        def spy(key, original):
            def refresh(*regions, **kwargs):
                seen.append((key, regions))
                return original(*regions, **kwargs)
            return refresh

        table.refresh = spy("table", table.refresh)  # type: ignore[method-assign]
        widgets = {id(table.column_widget(key)): key for key in reversed(table.column_keys)}
        for key in widgets.values():  # the moving columns share a widget, named by "last"
            column = table.column_widget(key)
            column.refresh = spy(key, column.refresh)  # type: ignore[method-assign]
        table.show(rows, table.window)
        assert seen == []  # nothing changed: nothing repainted
        old = table.cell_text(rows[2].symbol, "last")
        rows[2] = replace(rows[2], last=old[:-1] + ("1" if old[-1] != "1" else "2"))
        table.show(rows, table.window)
        assert [key for key, _ in seen] == ["last"]  # one widget, one region
        (region,) = seen[0][1]
        width = next(c.width for c in table._columns if c.key == "last")
        # From the widget's edge to the changed last digit, not the day or the gap after it.
        assert (region.x, region.width, region.height) == (0, width, 1)
        assert region.y == table.rows_shown.index(rows[2])


async def test_only_the_changed_row_is_formatted_again() -> None:
    from dataclasses import replace

    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await app.data_ready.wait()
        await pilot.pause()
        table = app.query_one(ComparisonTable)
        rows = list(table._rows)
        before = {key: table.column_widget(key).cells for key in table.column_keys}
        changed = table.rows_shown.index(rows[2])
        rows[2] = replace(rows[2], last="9.999")
        table.show(rows, table.window)
        for key, cells in before.items():
            after = table.column_widget(key).cells
            # The other rows' cells are the very objects shown before: not made again.
            assert all(after[y] is cells[y] for y in range(len(cells)) if y != changed)
        assert table.cell_text(rows[2].symbol, "last") == "9.999"


@pytest.mark.parametrize("size", [(80, 24), (60, 20)])
async def test_narrow_terminals_keep_every_row_and_the_key_columns(size) -> None:
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await app.data_ready.wait()
        await pilot.pause()
        table = app.query_one(ComparisonTable)
        assert {"symbol", "last", "day", "return:1M", "spread:1M"} <= set(table.column_keys)
        assert table.virtual_size.width <= table.scrollable_content_region.width
        if size == (80, 24):
            assert table.content_region.height == 1 + len(app.view.comparison)
            assert not table.show_vertical_scrollbar


async def test_wide_terminals_show_several_windows_and_full_names() -> None:
    app = make_app()
    async with app.run_test(size=(200, 50)) as pilot:
        await app.data_ready.wait()
        await pilot.pause()
        table = app.query_one(ComparisonTable)
        for window in ("5D", "1M", "YTD", "1Y"):
            assert {f"return:{window}", f"spread:{window}"} <= set(table.column_keys)
        assert table.cell_text("516780.SS", "name") == "稀土ETF华泰柏瑞"
        assert table.cell_text("REMX", "currency") == "USD"


async def test_1d_window_has_no_duplicate_of_day() -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await app.data_ready.wait()
        app.set_window("1D")
        await pilot.pause()
        table = app.query_one(ComparisonTable)
        assert "return:1D" not in table.column_keys and "spread:1D" in table.column_keys


async def test_every_row_has_a_20_session_sparkline() -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await app.data_ready.wait()
        await pilot.pause()
        for comparison_row in app.view.comparison:
            assert len(comparison_row.spark) == 20
            assert comparison_row.vol != "—"


async def test_command_palette_offers_windows_and_sorting() -> None:
    from neodymium.tui.commands import watch_commands

    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await app.data_ready.wait()
        titles = {command.title: command for command in watch_commands(app)}
        assert "Refresh now" in titles and "Provider health" in titles
        titles["Comparison window: 6M"].callback()
        await pilot.pause()
        assert app.window == "6M"
        titles["Sort comparison by Day"].callback()
        await pilot.pause()
        assert app.query_one(ComparisonTable).sort_column == "day"


async def test_1d_return_is_the_day_change_during_a_session() -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await app.data_ready.wait()
        app.set_window("1D")
        await pilot.pause()
        for comparison_row in app.view.comparison:
            state = app.snapshot.quotes[comparison_row.symbol]
            if comparison_row.symbol == "REMX":
                continue  # New York's last session is yesterday's; its 1D is aligned on it
            assert comparison_row.sort_values["return"] == pytest.approx(
                state.quote.change_pct, abs=0.01)


async def test_add_and_remove_a_comparison_symbol_writes_the_config(tmp_path) -> None:
    from dataclasses import replace as dc_replace

    from neodymium.config.loader import load_config

    config = tmp_path / "config.toml"
    config.write_text("# my setup\n[watch]\ncompare = ['516780.SS'] # rare earths\n",
                      encoding="utf-8")
    app = make_app(tmp_path)
    app.options = dc_replace(app.options, config_path=config)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.data_ready.wait()
        await pilot.press("a")
        await pilot.press(*"399001.sz")
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "399001.SZ" in app.settings.watch.compare
        assert "399001.SZ" in {s.key for s in app.feed.symbols}
        assert "399001.SZ" in {row.symbol for row in app.view.comparison}
        saved = load_config(config).settings.watch.compare
        assert saved == app.settings.watch.compare and saved[-1] == "399001.SZ"
        assert "# my setup" in config.read_text(encoding="utf-8")

        table = app.query_one(ComparisonTable)
        table.focus()
        table.action_cursor_to([r.symbol for r in table.rows_shown].index("399001.SZ"))
        await pilot.press("d")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "399001.SZ" not in app.settings.watch.compare
        assert "399001.SZ" not in {row.symbol for row in app.view.comparison}
        assert "399001.SZ" not in load_config(config).settings.watch.compare


async def test_a_bad_symbol_is_reported_and_nothing_is_written(tmp_path) -> None:
    from dataclasses import replace as dc_replace

    config = tmp_path / "config.toml"
    app = make_app(tmp_path)
    app.options = dc_replace(app.options, config_path=config)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.data_ready.wait()
        before = list(app.settings.watch.compare)
        app.add_symbol("not a symbol!")
        await pilot.pause()
        assert app.settings.watch.compare == before
        assert not config.exists()


def test_a_table_of_the_primary_alone_says_how_to_add_a_symbol() -> None:
    from neodymium.tui.comparison_view import NOTHING_TO_COMPARE, comparison_note

    assert comparison_note([row("600111.SS", 1.0, primary=True)]) == NOTHING_TO_COMPARE
    assert comparison_note([row("600111.SS", 1.0, primary=True), row("REMX", 2.0)]) == ""
    assert comparison_note([]) == ""


async def test_an_empty_compare_list_shows_the_hint_under_the_table() -> None:
    from neodymium.config.settings import Settings
    from neodymium.providers.clock import FrozenClock
    from neodymium.tui.app import AppOptions, NeodymiumApp
    from neodymium.tui.comparison_view import NOTHING_TO_COMPARE

    from tests.tui.conftest import FROZEN

    settings = Settings.model_validate({"quotes": {"providers": ["demo"], "interval": 1.0},
                                        "watch": {"compare": []}}).demo()
    app = NeodymiumApp(settings, options=AppOptions(demo=True, seed=7), clock=FrozenClock(FROZEN))
    async with app.run_test(size=(120, 40)) as pilot:
        await app.data_ready.wait()
        await pilot.pause()
        assert app.screen.query_one("#compare-box").border_subtitle == NOTHING_TO_COMPARE

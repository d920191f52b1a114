"""The comparison table: window selection, sorting, sparklines."""

from __future__ import annotations

import pytest
from neodymium.tui.comparison_view import ComparisonRow, spark, stats_horizon
from neodymium.tui.widgets.comparison_table import ComparisonTable, sort_rows

from tests.tui.conftest import make_app


def row(symbol: str, ret: float | None) -> ComparisonRow:
    return ComparisonRow(symbol, symbol, "", "", "", "", "", "", "", "", "", "", "",
                         {"return": ret, "symbol": symbol})


def test_sort_rows_puts_missing_last_both_ways() -> None:
    rows = [row("A", 1.0), row("B", None), row("C", 3.0), row("D", -2.0)]
    assert [r.symbol for r in sort_rows(rows, "return", reverse=True)] == ["C", "A", "D", "B"]
    assert [r.symbol for r in sort_rows(rows, "return", reverse=False)] == ["D", "A", "C", "B"]
    assert [r.symbol for r in sort_rows(rows, None, reverse=False)] == ["A", "B", "C", "D"]


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
        assert str(table.ordered_columns[5].label) == "1M"
        await pilot.press("w")
        assert app.window == "3M" and table.window == "3M"
        assert str(table.ordered_columns[7].label) == "ρ60"
        await pilot.press("W", "W", "W")
        assert app.window == "1D"
        await pilot.press("w", "w", "w", "w", "w")
        assert app.window == "YTD"
        assert str(table.ordered_columns[7].label) == "ρ250"
        app.sort_comparison("return")
        await pilot.pause()
        values = [r.sort_values["return"] for r in app.view.comparison]
        shown = [table.get_row_at(i)[0].plain for i in range(table.row_count)]
        expected = [r.symbol for r in sorted(app.view.comparison,
                                             key=lambda r: r.sort_values["return"], reverse=True)]
        assert None not in values
        assert shown == expected
        assert str(table.ordered_columns[5].label).endswith("▼")
        app.sort_comparison("return")
        await pilot.pause()
        assert [table.get_row_at(i)[0].plain for i in range(table.row_count)] == expected[::-1]


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
        await pilot.press(*"159715.sz")
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "159715.SZ" in app.settings.watch.compare
        assert "159715.SZ" in {s.key for s in app.feed.symbols}
        assert "159715.SZ" in {row.symbol for row in app.view.comparison}
        saved = load_config(config).settings.watch.compare
        assert saved == app.settings.watch.compare and saved[-1] == "159715.SZ"
        assert "# my setup" in config.read_text(encoding="utf-8")

        table = app.query_one(ComparisonTable)
        table.focus()
        table.move_cursor(row=table.get_row_index("159715.SZ"))
        await pilot.press("d")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "159715.SZ" not in app.settings.watch.compare
        assert "159715.SZ" not in {row.symbol for row in app.view.comparison}
        assert "159715.SZ" not in load_config(config).settings.watch.compare


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

"""The valuation panel's figures are never cut with "…": narrow panels drop 元, then go to one
pair a line, at 80x24 and between 100 and 115 columns (the watchlist at the left)."""

from __future__ import annotations

import pytest
from neodymium.tui.widgets.valuation import ValuationPanel, grid_cells, layout

from tests.tui.conftest import make_app

ROWS = (("P/E TTM", "84.11"), ("Mkt cap", "1799.63亿元"), ("P/B", "7.15"),
        ("Float cap", "1799.63亿元"), ("Turnover", "1.43%"), ("Vol ratio", "1.02"))


def shown(grid_rows) -> list[tuple[str, ...]]:
    return [tuple(cell.plain for cell in row) for row in grid_rows]


def test_rows_that_fit_are_two_pairs_a_line_and_whole() -> None:
    grid = layout(ROWS, 40)
    assert shown(grid.rows)[0] == ("P/E TTM", "84.11", "Mkt cap", "1799.63亿元")


def test_a_narrower_panel_drops_the_yuan_but_keeps_the_magnitude() -> None:
    grid = layout(ROWS, 35)
    assert shown(grid.rows)[0] == ("P/E TTM", "84.11", "Mkt cap", "1799.63亿")
    assert grid_cells(ROWS) > 35


def test_a_panel_too_narrow_for_two_pairs_shows_the_first_half_whole_one_a_line() -> None:
    grid = layout(ROWS, 22)  # as many lines as two pairs a line: the panel keeps its height
    assert shown(grid.rows) == [("P/E TTM", "84.11"), ("Mkt cap", "1799.63亿元"),
                                ("P/B", "7.15")]
    grid = layout(ROWS, 18)
    assert shown(grid.rows)[1] == ("Mkt cap", "1799.63亿")


async def test_market_caps_are_not_cut_at_80x24() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await app.data_ready.wait()
        await pilot.pause()
        panel = app.screen.query_one(ValuationPanel)
        text = "\n".join(panel.render_line(y).text for y in range(panel.size.height))
        assert "Mkt cap" in text and "亿" in text
        assert "…" not in text


@pytest.mark.parametrize("width", [100, 104, 110])
async def test_no_figure_is_cut_with_the_watchlist_at_the_left(width: int) -> None:
    app = make_app()
    async with app.run_test(size=(width, 30)) as pilot:
        await app.data_ready.wait()
        await pilot.pause()
        panel = app.screen.query_one(ValuationPanel)
        lines = [panel.render_line(y).text for y in range(panel.size.height)]
        assert "…" not in "\n".join(lines), lines
        pe = dict(panel.view.rows)["P/E TTM"] if panel.view else ""
        assert pe and any(pe in line for line in lines), lines
        assert any("Mkt cap" in line and "亿" in line for line in lines), lines


def box_heights(app) -> dict[str, int]:
    return {name: app.screen.query_one(f"#{name}").region.height
            for name in ("quote-box", "range-box", "valuation", "news-box")}


@pytest.mark.parametrize(("start", "sizes"), [
    ((120, 40), [(80, 24), (120, 40), (80, 24)]),
    ((60, 20), [(120, 40)]),
])
async def test_a_live_resize_lays_the_panels_out_as_a_fresh_start_at_that_size(
        start: tuple[int, int], sizes: list[tuple[int, int]]) -> None:
    """120x40 to 80x24 (a tmux pane split, a phone's SSH client turned): the valuation's
    lines, fitted to the old width and wider than the new one, were measured folded (twice
    as many rows), and that height, kept per width, outlived the refit: the range box stood
    four blank rows taller than the quote and pushed the news off the screen. From 60x20,
    where the valuation is hidden, to 120x40 it showed one row of its four."""
    end = sizes[-1]
    fresh = make_app()
    async with fresh.run_test(size=end) as pilot:
        await fresh.data_ready.wait()
        await pilot.pause()
        expected = box_heights(fresh)
    app = make_app()
    async with app.run_test(size=start) as pilot:
        await app.data_ready.wait()
        await pilot.pause()
        for size in sizes:
            await pilot.resize_terminal(*size)
            await pilot.pause()
            await pilot.pause()
        assert box_heights(app) == expected
        panel = app.screen.query_one(ValuationPanel)
        assert box_heights(app)["valuation"] == len(panel.grid(panel.size.width).rows) == 4
        assert expected["quote-box"] == expected["range-box"]
        news = app.screen.query_one("#news-box").region
        assert news.height >= 4 and news.bottom <= end[1]  # on the screen (the footer docks
        # over its bottom border, as at a fresh start)

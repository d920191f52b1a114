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

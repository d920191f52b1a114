"""The valuation panel's figures fit an 80-column terminal instead of being cut with "…"."""

from __future__ import annotations

from neodymium.tui.widgets.valuation import ValuationPanel, fit_rows, grid_cells

from tests.tui.conftest import make_app

ROWS = (("P/E TTM", "84.11"), ("Mkt cap", "1799.63亿元"), ("P/B", "7.15"),
        ("Float cap", "1799.63亿"), ("Turnover", "1.43%"), ("Vol ratio", "1.02"))


def test_rows_that_fit_are_kept_whole() -> None:
    assert fit_rows(ROWS, 40) == list(ROWS)


def test_narrow_panel_drops_the_yuan_but_keeps_the_magnitude() -> None:
    rows = dict(fit_rows(ROWS, 35))
    assert rows["Mkt cap"] == "1799.63亿" and rows["P/E TTM"] == "84.11"
    assert grid_cells(ROWS) > 35 >= grid_cells(list(rows.items()))


async def test_market_caps_are_not_cut_at_80x24() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await app.data_ready.wait()
        await pilot.pause()
        panel = app.screen.query_one(ValuationPanel)
        shown = "\n".join(panel.render_line(y).text for y in range(panel.size.height))
        assert "Mkt cap" in shown and "亿" in shown
        assert "…" not in shown

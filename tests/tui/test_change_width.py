"""The change line beside the big price keeps its widest width for the symbol, so the age
after it stays put and a change that gains or loses a sign or a digit lays nothing out."""

from __future__ import annotations

from dataclasses import replace

from neodymium.tui.app import NeodymiumApp
from neodymium.tui.widgets.cells import CellText
from neodymium.tui.widgets.quote_panel import CHANGE_SLACK, QuotePanel, change_width


def test_the_first_width_is_the_texts() -> None:
    assert change_width(None, "600111.SS", 13) == 13


def test_a_wider_text_widens_it() -> None:
    assert change_width(("600111.SS", 13), "600111.SS", 15) == 15


def test_a_slightly_narrower_text_keeps_the_width() -> None:
    assert change_width(("600111.SS", 13), "600111.SS", 12) == 13
    assert change_width(("600111.SS", 13), "600111.SS", 13 - CHANGE_SLACK) == 13


def test_a_much_narrower_text_is_fitted_again() -> None:
    """A badge that went away leaves no wide gap before the age."""
    assert change_width(("600111.SS", 22), "600111.SS", 13) == 13


def test_another_symbol_is_fitted_again() -> None:
    assert change_width(("600111.SS", 15), "000001.SZ", 13) == 13


async def test_a_narrower_change_leaves_the_age_where_it_was(demo_app: NeodymiumApp) -> None:
    async with demo_app.run_test(size=(160, 48)) as pilot:
        await demo_app.data_ready.wait()
        await pilot.pause()
        panel = demo_app.screen.query_one(QuotePanel)
        change = panel.query_one("#change-line", CellText)
        age = panel.query_one("#quote-age", CellText)
        view = panel.view
        assert view is not None
        panel.view = replace(view, change="-10.25", change_pct="-16.88%")
        await pilot.pause()
        wide, age_x = change.outer_size.width, age.region.x
        assert wide == len("-10.25  -16.88%")

        panel.view = replace(view, change="-0.01", change_pct="-0.02%")
        await pilot.pause()
        assert change.outer_size.width == wide
        assert age.region.x == age_x
        assert change.content.plain.startswith("-0.01  -0.02%")  # type: ignore[union-attr]
